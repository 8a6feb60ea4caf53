/* Unit tests of ss's socket table and family names (-A, -f). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/family.h"

/* Each -A list selects its protocols and unix types, nothing else. */
static void queries(void **state)
{
	static const struct {
		const char *list;
		unsigned protocols, unix_types;
		bool partial;
	} cases[] = {
		{ "tcp", DIAG_TCP, 0, false },
		{ "udp", DIAG_UDP, 0, false },
		{ "mptcp", DIAG_MPTCP, 0, false },
		{ "tcp,udp", DIAG_TCP | DIAG_UDP, 0, false },
		{ "unix", DIAG_UNIX, 0, false },
		{ "unix_stream", 0, 1u << SOCK_STREAM, false },
		{ "unix_dgram,unix_seqpacket", 0, 1u << SOCK_DGRAM | 1u << SOCK_SEQPACKET, false },
		{ "inet", DIAG_INET | DIAG_RAW, 0, true },
		{ "all", DIAG_INET | DIAG_RAW | DIAG_UNIX | DIAG_PACKET | DIAG_VSOCK, 0, true },
		{ "sctp", DIAG_SCTP, 0, false },
		{ "udp,unix_stream", DIAG_UDP, 1u << SOCK_STREAM, false },
		{ "tcp,", DIAG_TCP, 0, false },
		/* ss's short names, and "!name" taking a table away. */
		{ "u_str,u_seq", 0, 1u << SOCK_STREAM | 1u << SOCK_SEQPACKET, false },
		{ "all,!tcp", ((DIAG_INET | DIAG_RAW) & ~DIAG_TCP) | DIAG_UNIX | DIAG_PACKET |
		  DIAG_VSOCK, 0, true },
		{ "inet,!udp,!mptcp,!sctp,!raw", DIAG_TCP, 0, true },
		{ "unix,!u_dgr", 0, 1u << SOCK_STREAM | 1u << SOCK_SEQPACKET, false },
		{ "unix_stream,unix_dgram,!unix_stream", 0, 1u << SOCK_DGRAM, false },
		{ "all,!unix,!packet,!vsock", DIAG_INET | DIAG_RAW, 0, true },
		{ "tcp,!dccp,!xdp", DIAG_TCP, 0, false },
		{ "raw,packet", DIAG_RAW | DIAG_PACKET, 0, false },
		{ "vsock", DIAG_VSOCK, 0, false },
		{ "vsock,!vsock", 0, 0, false },
		{ "!tcp,tcp", DIAG_TCP, 0, false },
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag_query q = { 0 };
		const char *partial = NULL;

		assert_int_equal(family_query(cases[i].list, &q, &partial, err, sizeof(err)), 0);
		assert_int_equal(q.protocols, cases[i].protocols);
		assert_int_equal(q.unix_types, cases[i].unix_types);
		assert_int_equal(q.vsock_types, 0);
		assert_int_equal(q.families, 0);
		assert_int_equal(partial != NULL, cases[i].partial);
	}
}

/* "all" leaves out more than "inet": whichever comes first, all's list is said. */
static void partial_lists(void **state)
{
	struct diag_query q = { 0 };
	const char *a = NULL, *b = NULL;
	char err[512];

	(void)state;
	assert_int_equal(family_query("inet,all", &q, &a, err, sizeof(err)), 0);
	assert_int_equal(family_query("all,inet", &q, &b, err, sizeof(err)), 0);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "netlink"));
	a = NULL;
	assert_int_equal(family_query("inet", &q, &a, err, sizeof(err)), 0);
	assert_string_equal(a, "DCCP sockets (listen does not read them yet)");
}

/* vsock's types, and one of them taken away from all. */
static void vsock_types(void **state)
{
	struct diag_query q = { 0 };
	const char *partial = NULL;
	char err[512];

	(void)state;
	assert_int_equal(family_query("vsock_dgram,v_str", &q, &partial, err, sizeof(err)), 0);
	assert_int_equal(q.protocols, 0);
	assert_int_equal(q.vsock_types, 1u << SOCK_STREAM | 1u << SOCK_DGRAM);
	q = (struct diag_query){ 0 };
	assert_int_equal(family_query("vsock,!v_dgr", &q, &partial, err, sizeof(err)), 0);
	assert_int_equal(q.protocols, 0);
	assert_int_equal(q.vsock_types, 1u << SOCK_STREAM | 1u << SOCK_SEQPACKET);
}

/* Names listen does not show yet, and unknown ones, are refused with one line. */
static void refused(void **state)
{
	static const char *const lists[] = { "dccp", "tcp,dccp", "netlink", "tipc", "xdp" };
	struct diag_query q = { 0 };
	const char *partial = NULL;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		assert_int_equal(family_query(lists[i], &q, &partial, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "are not supported yet"));
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(family_query("tcp,bogus", &q, &partial, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "-A takes a list of all, inet, tcp, udp, mptcp, unix, "
			    "unix_stream, unix_dgram, unix_seqpacket, raw, packet, packet_raw, "
			    "packet_dgram, netlink, dccp, sctp, vsock, vsock_stream, vsock_dgram, "
			    "tipc and xdp (\"!name\" leaves one out), not 'tcp,bogus'");
	assert_int_equal(family_query("!bogus", &q, &partial, err, sizeof(err)), -EINVAL);
	assert_int_equal(family_query("netlink", &q, &partial, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "-A netlink: netlink sockets are not supported yet");
	assert_int_equal(family_query("", &q, &partial, err, sizeof(err)), -EINVAL);
	/* A message cut short still ends in a NUL. */
	assert_int_equal(family_query("bogus", &q, &partial, err, 20), -EINVAL);
	assert_int_equal(strlen(err), 19);
}

/* -f: the family, and the protocols it stands for. */
static void families(void **state)
{
	struct diag_query q = { 0 };
	const char *partial = NULL;
	unsigned implied = 0;
	char err[256];

	(void)state;
	assert_int_equal(family_family("inet", &q, &implied, &partial, err, sizeof(err)), 0);
	assert_int_equal(q.families, DIAG_V4);
	assert_int_equal(implied, DIAG_INET | DIAG_RAW);
	assert_non_null(partial);
	assert_int_equal(family_family("inet6", &q, &implied, &partial, err, sizeof(err)), 0);
	assert_int_equal(q.families, DIAG_V4 | DIAG_V6);
	assert_int_equal(family_family("unix", &q, &implied, &partial, err, sizeof(err)), 0);
	assert_int_equal(implied, DIAG_INET | DIAG_RAW | DIAG_UNIX);
	assert_int_equal(q.protocols, 0);
	assert_int_equal(family_family("vsock", &q, &implied, &partial, err, sizeof(err)), 0);
	assert_true(implied & DIAG_VSOCK);
	assert_int_equal(family_family("link", &q, &implied, &partial, err, sizeof(err)), 0);
	assert_true(implied & DIAG_PACKET);
	for (const char *const *n = (const char *const[]){ "netlink", "tipc", "xdp", NULL }; *n;
	     n++) {
		assert_int_equal(family_family(*n, &q, &implied, &partial, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "are not supported yet"));
	}
	assert_int_equal(family_family("inet4", &q, &implied, &partial, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "-f takes inet, inet6, unix, link, vsock, netlink, tipc or xdp, "
			    "not 'inet4'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queries),
		cmocka_unit_test(partial_lists),
		cmocka_unit_test(vsock_types),
		cmocka_unit_test(refused),
		cmocka_unit_test(families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
