/* Unit tests of -r's host names: each address asked once, wildcards never, the budget kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "listen/hostnames.h"
#include "listen/sock.h"

static unsigned asked;

/* A resolver that knows 127.0.0.1 and 2001:db8::1 (the latter by a hostile name). */
static int fake(uint8_t family, const unsigned char *addr, char **name)
{
	char text[64];

	asked++;
	inet_ntop(family, addr, text, sizeof(text));
	if (strcmp(text, "127.0.0.1") == 0)
		*name = strdup("localhost");
	else if (strcmp(text, "2001:db8::1") == 0)
		*name = strdup("evil\033[31m.example");
	else
		return -ENOENT;
	return *name ? 0 : -ENOMEM;
}

/* A resolver that takes 30 ms an address. */
static int slow(uint8_t family, const unsigned char *addr, char **name)
{
	struct timespec ts = { 0, 30 * 1000 * 1000 };

	(void)family, (void)addr, (void)name;
	asked++;
	nanosleep(&ts, NULL);
	return -ENOENT;
}

static struct lsock sock(int family, const char *l, const char *r)
{
	struct lsock sk = { .family = (uint8_t)family, .protocol = IPPROTO_TCP };

	inet_pton(family, l, sk.laddr);
	if (r)
		inet_pton(family, r, sk.raddr);
	return sk;
}

static void names(void **state)
{
	struct lsock socks[] = {
		sock(AF_INET, "127.0.0.1", "127.0.0.1"),
		sock(AF_INET, "127.0.0.1", NULL), /* a listener: its peer is a wildcard */
		sock(AF_INET, "0.0.0.0", NULL),
		sock(AF_INET6, "2001:db8::1", "2001:db8::2"),
		{ .family = AF_UNIX },
	};
	struct hostnames h = { 0 };
	unsigned char a[16];

	(void)state;
	asked = 0;
	assert_int_equal(hostnames_resolve(&h, socks, 5, fake, 10000), 0);
	assert_int_equal(asked, 3); /* 127.0.0.1, 2001:db8::1 and ::2; once each */
	assert_int_equal(h.unasked, 0);
	inet_pton(AF_INET, "127.0.0.1", a);
	assert_string_equal(hostnames_get(&h, AF_INET, a), "localhost");
	inet_pton(AF_INET6, "2001:db8::1", a);
	assert_string_equal(hostnames_get(&h, AF_INET6, a), "evil\033[31m.example");
	inet_pton(AF_INET6, "2001:db8::2", a);
	assert_null(hostnames_get(&h, AF_INET6, a));
	memset(a, 0, sizeof(a));
	assert_null(hostnames_get(&h, AF_INET, a));
	assert_null(hostnames_get(NULL, AF_INET, a));
	hostnames_free(&h);
	assert_int_equal(h.len, 0);
}

/* A slow resolver is asked until the budget is spent; the rest are counted. */
static void budget(void **state)
{
	struct lsock socks[6];
	struct hostnames h = { 0 };
	char text[32];

	(void)state;
	for (int i = 0; i < 6; i++) {
		snprintf(text, sizeof(text), "10.0.0.%d", i + 1);
		socks[i] = sock(AF_INET, text, NULL);
	}
	asked = 0;
	assert_int_equal(hostnames_resolve(&h, socks, 6, slow, 50), 0);
	assert_true(asked >= 1 && asked < 6);
	assert_int_equal(h.unasked, 6 - asked);
	hostnames_free(&h);
	asked = 0;
	assert_int_equal(hostnames_resolve(&h, socks, 0, slow, 50), 0);
	assert_int_equal(asked, 0);
	hostnames_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
