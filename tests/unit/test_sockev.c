/* Unit tests of the destroy notifications' parser on datagrams captured from the kernel
 * (tests/data/sockev, see tests/data/README.md): what a freed socket still says. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/sock.h"
#include "listen/sockev.h"
#include "testutil.h"

/* A TCP listener on 127.0.0.1:8080, closed: its addresses, port and cookie, state CLOSE. */
static void tcp_listener(void **state)
{
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockev/tcp-listener.nl", &len);
	struct lsock_vec out = { 0 };
	unsigned char lo[4] = { 127, 0, 0, 1 };

	(void)state;
	assert_int_equal(sockev_parse(IPPROTO_TCP, buf, len, &out), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].family, AF_INET);
	assert_int_equal(out.v[0].protocol, IPPROTO_TCP);
	assert_int_equal(out.v[0].state, LSOCK_CLOSE);
	assert_int_equal(out.v[0].lport, 8080);
	assert_int_equal(out.v[0].rport, 0);
	assert_memory_equal(out.v[0].laddr, lo, 4);
	assert_true(out.v[0].cookie != 0);
	lsock_vec_free(&out);
	free(buf);
}

/* A UDP socket on [::1]:5353; the protocol is the caller's (the group it came on). */
static void udp6(void **state)
{
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockev/udp6.nl", &len);
	struct lsock_vec out = { 0 };
	struct in6_addr lo = IN6ADDR_LOOPBACK_INIT;

	(void)state;
	assert_int_equal(sockev_parse(IPPROTO_UDP, buf, len, &out), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].family, AF_INET6);
	assert_int_equal(out.v[0].protocol, IPPROTO_UDP);
	assert_int_equal(out.v[0].lport, 5353);
	assert_memory_equal(out.v[0].laddr, &lo, 16);
	lsock_vec_free(&out);
	free(buf);
}

/* Cut short or garbled: refused, nothing half-added. */
static void malformed(void **state)
{
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockev/tcp-listener.nl", &len);
	struct lsock_vec out = { 0 };

	(void)state;
	assert_int_equal(sockev_parse(IPPROTO_TCP, buf, 20, &out), -EBADMSG);
	assert_int_equal(out.len, 0);
	memset(buf, 0xff, 4); /* a length past the datagram */
	assert_int_equal(sockev_parse(IPPROTO_TCP, buf, len, &out), -EBADMSG);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_listener),
		cmocka_unit_test(udp6),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
