/* Unit tests of ss-style address formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "listen/addr.h"

static void check(int family, const char *text, int v6only, const char *want)
{
	unsigned char addr[16] = { 0 };
	char buf[ADDR_STRLEN];

	assert_int_equal(inet_pton(family, text, addr), 1);
	assert_string_equal(addr_format(buf, family, addr, v6only), want);
}

static void formats(void **state)
{
	(void)state;
	check(AF_INET, "0.0.0.0", 0, "0.0.0.0");
	check(AF_INET, "127.0.0.1", 0, "127.0.0.1");
	check(AF_INET, "255.255.255.255", 0, "255.255.255.255");
	check(AF_INET6, "::", 0, "*");       /* dual-stack wildcard */
	check(AF_INET6, "::", 1, "[::]");    /* v6only wildcard */
	check(AF_INET6, "::1", 0, "[::1]");
	check(AF_INET6, "::1", 1, "[::1]");
	check(AF_INET6, "::ffff:127.0.0.1", 0, "[::ffff:127.0.0.1]");
	check(AF_INET6, "fe80::1", 0, "[fe80::1]");
	check(AF_INET6, "2001:db8:85a3:1234:5678:8a2e:370:7334", 0,
	      "[2001:db8:85a3:1234:5678:8a2e:370:7334]");
	check(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1,
	      "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]");
	check(AF_INET6, "::ffff:255.255.255.255", 1, "[::ffff:255.255.255.255]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
