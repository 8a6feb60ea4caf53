/* Unit tests of the /proc/net table parser, the collector's fallback. */
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

#include "listen/diag.h"
#include "listen/procnet.h"
#include "listen/sock.h"

static const struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };

/* Lines as a little-endian kernel writes them, trailing blanks and all. */
static const char tcp4[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	"timeout inode                                                     \n"
	"   0: 0100007F:0016 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        "
	"0 4242 1 0000000000000000 100 0 0 10 0                      \n"
	"   1: 0100007F:0016 0100007F:D431 01 0000001C:00000000 01:00000014 00000005  1000        "
	"2 4243 4 0000000000000000 20 4 30 10 -1                     \n"
	"   2: 0100007F:0016 0100007F:D432 06 00000000:00000000 03:00001770 00000000     0        "
	"0 0 3 0000000000000000                                      \n"
	"   3: 0100007F:0016 0100007F:D433 01 00000000:00000000 02:0000EA60 00000002     0        "
	"3 4244 2 0000000000000000 20 4 30 10 -1                     \n";

static const char udp6[] =
	"  sl  local_address                         remote_address                        st "
	"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"  123: 00000000000000000000000000000000:0035 00000000000000000000000000000000:0000 07 "
	"00000000:00000000 00:00000000 00000000   101        0 777 2 0000000000000000 0\n"
	"  124: 00000000000000000000000001000000:007B 00000000000000000000000000000000:0000 07 "
	"00000000:00000200 00:00000000 00000000     0        0 778 2 0000000000000000 5\n"
	"  125: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:C350 01 "
	"00000100:00000000 00:00000000 00000000     0        0 779 2 0000000000000000 0\n";

static void parses_tcp(void **state)
{
	struct lsock_vec out = { 0 };
	char addr[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(procnet_parse(&all, AF_INET, IPPROTO_TCP, tcp4, strlen(tcp4), &out), 0);
	assert_int_equal(out.len, 4);
	struct lsock *l = &out.v[0], *e = &out.v[1], *tw = &out.v[2], *ka = &out.v[3];

	assert_int_equal(l->state, LSOCK_LISTEN);
	assert_int_equal(l->family, AF_INET);
	assert_int_equal(l->protocol, IPPROTO_TCP);
	assert_string_equal(inet_ntop(AF_INET, l->laddr, addr, sizeof(addr)), "127.0.0.1");
	assert_int_equal(l->lport, 22);
	assert_int_equal(l->rqueue, 3); /* connections waiting to be accepted */
	assert_int_equal(l->wqueue, 0);
	assert_int_equal(l->inode, 4242);
	assert_true(l->flags & LSOCK_PROCNET);
	assert_false(l->flags & LSOCK_HAS_V6ONLY);

	assert_int_equal(e->state, LSOCK_ESTABLISHED);
	assert_int_equal(e->rport, 0xD431);
	assert_string_equal(inet_ntop(AF_INET, e->raddr, addr, sizeof(addr)), "127.0.0.1");
	assert_int_equal(e->wqueue, 28);
	assert_int_equal(e->uid, 1000);
	assert_int_equal(tw->state, LSOCK_TIME_WAIT);
	assert_int_equal(tw->inode, 0);
	/* Timers: when is in clock ticks (USER_HZ, 100 here); the count is the retransmits for a
	 * retransmission timer and the unanswered probes for the others, as ss reads them. */
	assert_int_equal(l->timer, LSOCK_TIMER_NONE);
	assert_int_equal(e->timer, LSOCK_TIMER_ON);
	assert_int_equal(e->expires, 200);
	assert_int_equal(e->retrans, 5);
	assert_int_equal(tw->timer, LSOCK_TIMER_TIMEWAIT);
	assert_int_equal(tw->expires, 60000);
	assert_int_equal(tw->retrans, 0);
	assert_int_equal(ka->timer, LSOCK_TIMER_KEEPALIVE);
	assert_int_equal(ka->expires, 600000);
	assert_int_equal(ka->retrans, 3);
	lsock_vec_free(&out);
}

static void parses_udp6(void **state)
{
	struct lsock_vec out = { 0 };
	char addr[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(procnet_parse(&all, AF_INET6, IPPROTO_UDP, udp6, strlen(udp6), &out), 0);
	assert_int_equal(out.len, 3);
	assert_string_equal(inet_ntop(AF_INET6, out.v[0].laddr, addr, sizeof(addr)), "::");
	assert_int_equal(out.v[0].lport, 53);
	assert_int_equal(out.v[0].uid, 101);
	assert_int_equal(out.v[0].state, LSOCK_CLOSE);
	assert_false(out.v[0].flags & LSOCK_HAS_V6ONLY); /* a wildcard's is unknown */
	assert_string_equal(inet_ntop(AF_INET6, out.v[1].laddr, addr, sizeof(addr)), "::1");
	assert_true(out.v[1].flags & LSOCK_HAS_V6ONLY); /* binding ::1 set it */
	assert_int_equal(out.v[1].v6only, 1);
	assert_int_equal(out.v[1].rqueue, 0x200);
	assert_string_equal(inet_ntop(AF_INET6, out.v[2].laddr, addr, sizeof(addr)),
			    "::ffff:127.0.0.1");
	assert_false(out.v[2].flags & LSOCK_HAS_V6ONLY); /* v4-mapped: dual-stack */
	assert_int_equal(out.v[2].rport, 50000);
	assert_int_equal(out.v[2].wqueue, 0x100);
	lsock_vec_free(&out);
}

static void selects_states(void **state)
{
	struct diag_query listening = all;
	struct lsock_vec out = { 0 };

	(void)state;
	listening.states = LSOCK_STATES_LISTENING;
	assert_int_equal(procnet_parse(&listening, AF_INET, IPPROTO_TCP, tcp4, strlen(tcp4), &out),
			 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].state, LSOCK_LISTEN);
	lsock_vec_free(&out);
}

/* Text that is not a table, or a line that is not a socket, is refused whole. */
static void rejects_garbage(void **state)
{
	static const char *bad[] = {
		"",
		"no header line",
		"   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000 0 0 1\n",
		"local_address\n   0: 0100007F:0016\n",
		"local_address\n   0: 100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
		"00000000 0 0 1\n",
		"local_address\n   0: 0100007F:10016 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000 0 0 1\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000 0 0 99999999999\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000 -1 0 1\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000 0 0 1x\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000 0 0\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000 00:00000000 "
		"00000000 0 0 1\n",
		"local_address\n   0 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
		"00000000 0 0 1\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"00:00000000 00000000 0 0 1\nzzz\n",
		/* The timer: tr:when, a timer number of at most two digits, when of at most 16. */
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 0 00000000 "
		"0 0 1\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"100:00000000 00000000 0 0 1\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		"00:10000000000000000 00000000 0 0 1\n",
		"local_address\n   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00: "
		"00000000 0 0 1\n",
	};
	struct lsock_vec out = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out.len = 0;
		assert_int_equal(procnet_parse(&all, AF_INET, IPPROTO_TCP, bad[i], strlen(bad[i]),
					       &out), -EBADMSG);
		assert_int_equal(out.len, 0);
	}
	/* An IPv6 table read as IPv4 (or the other way round) is refused too. */
	assert_int_equal(procnet_parse(&all, AF_INET, IPPROTO_UDP, udp6, strlen(udp6), &out),
			 -EBADMSG);
	assert_int_equal(procnet_parse(&all, AF_INET6, IPPROTO_TCP, tcp4, strlen(tcp4), &out),
			 -EBADMSG);
	/* A state this build does not know is skipped, not an error; so is a blank line. */
	static const char odd[] = "local_address\n"
				  "   0: 0100007F:0016 00000000:0000 0D 00000000:00000000 "
				  "00:00000000 00000000 0 0 1\n\n"
				  "   1: 0100007F:0017 00000000:0000 0A 00000000:00000000 "
				  "00:00000000 00000000 0 0 2";
	assert_int_equal(procnet_parse(&all, AF_INET, IPPROTO_TCP, odd, strlen(odd), &out), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].lport, 23);
	lsock_vec_free(&out);
}

/* The tables of this thread's namespace read whole: whatever is there parses. */
static void collects_own_namespace(void **state)
{
	struct lsock_vec out = { 0 };

	(void)state;
	assert_int_equal(procnet_collect(&all, &out), 0);
	for (size_t i = 0; i < out.len; i++) {
		assert_true(out.v[i].flags & LSOCK_PROCNET);
		assert_true(out.v[i].state > 0 && out.v[i].state < LSOCK_STATE_MAX);
		/* ss's order: UDP before TCP */
		if (i > 0 && out.v[i - 1].protocol == IPPROTO_TCP)
			assert_int_equal(out.v[i].protocol, IPPROTO_TCP);
	}
	lsock_vec_free(&out);
}

/* /proc/net/sctp/eps and assocs as the kernel prints them (net/sctp/proc.c's formats; with
 * kptr_restrict the pointers are zeros): a one-to-many listener bound to two addresses with
 * two associations, an IPv6 listener, and a connected one-to-one socket, which only assocs
 * lists. Written by hand: no kernel here has SCTP. */
static const char sctp_eps[] =
	" ENDPT     SOCK   STY SST HBKT LPORT   UID INODE LADDRS\n"
	"0000000000000000 0000000000000000 2   10  29   3868      0   500 10.0.0.1 192.168.7.1 \n"
	"0000000000000000 0000000000000000 2   10  40   9899    105   600 ::1 fe80::1 \n";
static const char sctp_assocs[] =
	" ASSOC     SOCK   STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT "
	"LADDRS <-> RADDRS HBINT INS OUTS MAXRT T1X T2X RTXC wmema wmemq sndbuf rcvbuf\n"
	"0000000000000000 0000000000000000 2   10  3  5       1        0       12       0   500 "
	"3868  40000 *10.0.0.1 192.168.7.1 <-> *10.0.0.2 192.168.7.2 \t    30000    10    10   "
	"10    0    0        0        1        0   212992   212992\n"
	"0000000000000000 0000000000000000 2   10  2  6       2        7        0       0   500 "
	"3868  40001 10.0.0.1 <-> 10.0.0.3 \t    30000    10    10   10    0    0        0        "
	"1        0   212992   212992\n"
	"0000000000000000 0000000000000000 1   1   3  7       3        0        0    1000   501 "
	"50000  2905 *10.0.0.1 <-> *10.0.0.9 \t    30000    10    10   10    0    0        0"
	"        1        0   212992   212992\n";

static void sctp_tables(void **state)
{
	struct diag_query sall = { DIAG_SCTP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query listening = { DIAG_SCTP, DIAG_V4 | DIAG_V6, LSOCK_STATES_LISTENING };
	struct diag_query v6 = { DIAG_SCTP, DIAG_V6, LSOCK_STATES_ALL };
	static const char *const want[] = { "LISTEN", "ESTAB", "COOKIE_ECHOED", "LISTEN", "ESTAB",
					    "ESTAB" };
	struct lsock_vec out = { 0 };
	unsigned char a[4];

	(void)state;
	assert_int_equal(procnet_sctp_parse(&sall, sctp_eps, strlen(sctp_eps), sctp_assocs,
					    strlen(sctp_assocs), &out), 0);
	assert_int_equal(out.len, 6);
	for (size_t i = 0; i < out.len; i++) {
		assert_string_equal(lsock_state_name(&out.v[i]), want[i]);
		assert_int_equal(out.v[i].protocol, IPPROTO_SCTP);
		assert_true(out.v[i].flags & LSOCK_PROCNET);
		assert_int_equal(!!(out.v[i].flags & LSOCK_SCTP_ASSOC), i == 1 || i == 2 || i == 5);
	}
	/* The listener: its first address; the association: the primary ones ('*'). */
	inet_pton(AF_INET, "10.0.0.1", a);
	assert_memory_equal(out.v[0].laddr, a, 4);
	assert_int_equal(out.v[0].lport, 3868);
	inet_pton(AF_INET, "10.0.0.2", a);
	assert_memory_equal(out.v[1].raddr, a, 4);
	assert_int_equal(out.v[1].rport, 40000);
	assert_int_equal(out.v[1].inode, 500);
	assert_int_equal(out.v[2].wqueue, 7);
	assert_int_equal(out.v[3].family, AF_INET6);
	assert_int_equal(out.v[3].uid, 105);
	/* The one-to-one socket, made from its association: the socket's state. */
	assert_int_equal(out.v[4].state, LSOCK_ESTABLISHED);
	assert_int_equal(out.v[4].inode, 501);
	assert_int_equal(out.v[4].uid, 1000);
	assert_int_equal(out.v[5].rport, 2905);

	out.len = 0;
	assert_int_equal(procnet_sctp_parse(&listening, sctp_eps, strlen(sctp_eps), sctp_assocs,
					    strlen(sctp_assocs), &out), 0);
	assert_int_equal(out.len, 2); /* the two listeners, without associations */
	out.len = 0;
	assert_int_equal(procnet_sctp_parse(&v6, sctp_eps, strlen(sctp_eps), sctp_assocs,
					    strlen(sctp_assocs), &out), 0);
	assert_int_equal(out.len, 1);
	/* Only headers: no socket. */
	out.len = 0;
	assert_int_equal(procnet_sctp_parse(&sall, sctp_eps, 56, sctp_assocs, 0, &out), 0);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
}

/* Text that is not such a table is refused whole: nothing is kept of it. */
static void sctp_garbage(void **state)
{
	struct diag_query sall = { DIAG_SCTP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	static const char *const bad_eps[] = {
		"h\n0 0 2 10 29 3868 0\n",                      /* too few words */
		"h\n0 0 2 10 29 3868 0 500 not-an-address\n",  /* no address */
		"h\n0 0 2 999 29 3868 0 500 10.0.0.1\n",       /* a state past a byte */
		"h\n0 0 2 10 29 70000 0 500 10.0.0.1\n",       /* a port past 65535 */
		"h\n0 0 2 10 29 -1 0 500 10.0.0.1\n",
	};
	static const char *const bad_assocs[] = {
		"h\n0 0 2 10 3 5 1 0 0 0 500 3868 40000 10.0.0.1 10.0.0.2\n", /* no <-> */
		"h\n0 0 2 10 3 5 1 0 0 0 500 3868 40000 junk <-> 10.0.0.2\n",
		"h\n0 0 2 10 3 5 1 0 0 0 500 3868 40000 <-> 10.0.0.2 1 2 3\n",  /* no local */
	};
	struct lsock_vec out = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad_eps) / sizeof(bad_eps[0]); i++)
		assert_int_equal(procnet_sctp_parse(&sall, bad_eps[i], strlen(bad_eps[i]), "", 0,
						    &out), -EBADMSG);
	for (size_t i = 0; i < sizeof(bad_assocs) / sizeof(bad_assocs[0]); i++)
		assert_int_equal(procnet_sctp_parse(&sall, "h\n", 2, bad_assocs[i],
						    strlen(bad_assocs[i]), &out), -EBADMSG);
	assert_int_equal(procnet_sctp_parse(&sall, "no newline", 10, "", 0, &out), -EBADMSG);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_tcp),
		cmocka_unit_test(parses_udp6),
		cmocka_unit_test(selects_states),
		cmocka_unit_test(rejects_garbage),
		cmocka_unit_test(collects_own_namespace),
		cmocka_unit_test(sctp_tables),
		cmocka_unit_test(sctp_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
