/* Unit tests of the PACKET_DIAG reply parser, the capture replay (packet and raw sockets), the
 * /proc/net/packet and /proc/net/raw fallbacks' parsers, a dump the kernel ends with an error
 * in NLMSG_DONE (no raw_diag), and the names of IP protocols and ethertypes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/ipproto.h"
#include "listen/packetdiag.h"
#include "listen/procnet.h"
#include "listen/sock.h"
#include "testutil.h"

/* Reply bytes under construction; 4-byte aligned like a real receive buffer. */
struct reply {
	uint32_t words[2048];
	size_t len;
};

static struct nlmsghdr *put_msg(struct reply *r, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)r->words + r->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	return nlh;
}

static void end_msg(struct reply *r, struct nlmsghdr *nlh)
{
	r->len += MNL_ALIGN(nlh->nlmsg_len);
}

static struct nlmsghdr *put_sock(struct reply *r, uint8_t type, uint16_t proto, uint32_t ino)
{
	struct nlmsghdr *nlh = put_msg(r, SOCK_DIAG_BY_FAMILY);
	struct packet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->pdiag_family = AF_PACKET;
	m->pdiag_type = type;
	m->pdiag_num = proto;
	m->pdiag_ino = ino;
	m->pdiag_cookie[0] = 0x42;
	m->pdiag_cookie[1] = 2;
	return nlh;
}

static void put_done(struct reply *r, int err)
{
	struct nlmsghdr *nlh = put_msg(r, NLMSG_DONE);
	int *e = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

	*e = err;
	end_msg(r, nlh);
}

static int parse(struct reply *r, struct lsock_vec *out)
{
	struct packetdiag_parser p = { .out = out };

	return packetdiag_parse(&p, r->words, r->len);
}

/* Every attribute lands in its field: the device, the memberships and a promiscuous one, the
 * filter's length, fanout, uid and queues. */
static void every_field(void **state)
{
	static struct reply r;
	struct lsock_vec out = { 0 };
	struct packet_diag_info info = { .pdi_index = 3, .pdi_version = 2, .pdi_copy_thresh = 9,
					 .pdi_flags = 0x1 | 0x2 };
	struct packet_diag_mclist mc[2] = { { .pdmc_index = 3, .pdmc_type = PACKET_MR_MULTICAST },
					    { .pdmc_index = 3, .pdmc_type = PACKET_MR_PROMISC } };
	struct sock_filter prog[4] = { { 0 } };
	uint32_t mem[SK_MEMINFO_VARS] = { [SK_MEMINFO_RMEM_ALLOC] = 3968,
					  [SK_MEMINFO_WMEM_ALLOC] = 12 };
	struct nlmsghdr *nlh;

	(void)state;
	r.len = 0;
	nlh = put_sock(&r, SOCK_RAW, LSOCK_ETH_P_ALL, 1001);
	mnl_attr_put(nlh, PACKET_DIAG_INFO, sizeof(info), &info);
	mnl_attr_put(nlh, PACKET_DIAG_MCLIST, sizeof(mc), mc);
	mnl_attr_put(nlh, PACKET_DIAG_FILTER, sizeof(prog), prog);
	mnl_attr_put_u32(nlh, PACKET_DIAG_FANOUT, 7 | 1u << 16);
	mnl_attr_put_u32(nlh, PACKET_DIAG_UID, 1000);
	mnl_attr_put(nlh, PACKET_DIAG_MEMINFO, sizeof(mem), mem);
	end_msg(&r, nlh);
	/* An unprivileged dump: an empty filter attribute says "not telling". */
	nlh = put_sock(&r, SOCK_DGRAM, 0x0800, 1002);
	mnl_attr_put(nlh, PACKET_DIAG_FILTER, 0, NULL);
	end_msg(&r, nlh);
	put_done(&r, 0);

	assert_int_equal(parse(&r, &out), 0);
	assert_int_equal(out.len, 2);

	const struct lsock *a = &out.v[0], *b = &out.v[1];

	assert_int_equal(a->family, AF_PACKET);
	assert_int_equal(a->protocol, LSOCK_PROTO_PACKET);
	assert_int_equal(a->type, SOCK_RAW);
	assert_int_equal(a->state, LSOCK_CLOSE);
	assert_int_equal(a->lport, LSOCK_ETH_P_ALL);
	assert_int_equal(a->inode, 1001);
	assert_true(a->cookie == (2ull << 32 | 0x42));
	assert_int_equal(a->ifindex, 3);
	assert_int_equal(a->pk.version, 2);
	assert_int_equal(a->pk.copy_thresh, 9);
	assert_int_equal(a->pk.info_flags, 3);
	assert_int_equal(a->pk.mclist, 2);
	assert_int_equal(a->pk.filter_len, 4);
	assert_int_equal(a->pk.fanout, 7 | 1u << 16);
	assert_int_equal(a->uid, 1000);
	assert_int_equal(a->rqueue, 3968);
	assert_int_equal(a->wqueue, 12);
	assert_int_equal(a->pk.flags, LSOCK_PACKET_INFO | LSOCK_PACKET_MCLIST |
					  LSOCK_PACKET_PROMISC | LSOCK_PACKET_FILTER_KNOWN |
					  LSOCK_PACKET_FILTER | LSOCK_PACKET_FANOUT |
					  LSOCK_PACKET_UID | LSOCK_PACKET_QUEUES);
	assert_string_equal(lsock_netid(a), "p_raw");
	assert_string_equal(lsock_proto_name(a->protocol), "packet");
	assert_string_equal(lsock_family_name(a->family), "packet");
	assert_true(lsock_is_listener(a));
	assert_false(lsock_is_inet_transport(a));

	assert_string_equal(lsock_netid(b), "p_dgr");
	assert_int_equal(b->lport, 0x0800);
	assert_int_equal(b->ifindex, 0);
	assert_int_equal(b->pk.flags, 0); /* no info, memberships, queues; filter not told */

	/* A query without UNCONN wants none of them. */
	struct packetdiag_parser p = { .out = &out, .drop = true };

	out.len = 0;
	assert_int_equal(packetdiag_parse(&p, r.words, r.len), 0);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
}

/* Short messages are malformed; short or unknown attributes are skipped; no filter attribute
 * is no filter; an error in NLMSG_DONE is the dump's. */
static void malformed(void **state)
{
	static struct reply r;
	struct lsock_vec out = { 0 };
	struct nlmsghdr *nlh;

	(void)state;
	r.len = 0;
	nlh = put_sock(&r, SOCK_RAW, 3, 5);
	mnl_attr_put(nlh, PACKET_DIAG_INFO, 8, "abcdefgh");  /* too short for the struct */
	mnl_attr_put_u8(nlh, PACKET_DIAG_UID, 1);           /* too short for a u32 */
	mnl_attr_put(nlh, PACKET_DIAG_MEMINFO, 4, "abcd");   /* too short */
	mnl_attr_put(nlh, PACKET_DIAG_MCLIST, 5, "abcde");   /* less than one entry */
	mnl_attr_put_u32(nlh, 200, 1);                       /* unknown */
	end_msg(&r, nlh);
	put_done(&r, 0);
	assert_int_equal(parse(&r, &out), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].pk.flags, LSOCK_PACKET_MCLIST | LSOCK_PACKET_FILTER_KNOWN);
	assert_int_equal(out.v[0].pk.mclist, 0);
	assert_int_equal(out.v[0].ifindex, 0);

	r.len = 0;
	nlh = put_msg(&r, SOCK_DIAG_BY_FAMILY);
	mnl_nlmsg_put_extra_header(nlh, 4); /* shorter than packet_diag_msg */
	end_msg(&r, nlh);
	out.len = 0;
	assert_int_equal(parse(&r, &out), -EBADMSG);
	assert_int_equal(out.len, 0);

	/* inet_diag without raw_diag: the dump ends at once, with -ENOENT in NLMSG_DONE. It
	 * is an error, not an empty answer. */
	r.len = 0;
	put_done(&r, -ENOENT);
	assert_int_equal(parse(&r, &out), -ENOENT);
	struct diag_parser dp = { .out = &out, .protocol = IPPROTO_RAW };

	assert_int_equal(diag_parse(&dp, r.words, r.len), -ENOENT);
	lsock_vec_free(&out);
}

/* The fixture (tests/data/rawpkt.nl, rawpkt.ss lists the same sockets): five packet sockets
 * and six raw ones, each replay taking its own. */
static void replay_fixture(void **state)
{
	struct diag_query all = { DIAG_PACKET | DIAG_RAW, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query connected = { DIAG_PACKET | DIAG_RAW, DIAG_V4 | DIAG_V6,
					LSOCK_STATES_CONNECTED };
	struct diag_query raw4 = { DIAG_RAW, DIAG_V4, LSOCK_STATES_ALL };
	struct lsock_vec out = { 0 };
	size_t len, promisc = 0, filters = 0, bound = 0;
	char *buf = test_read_file(LISTEN_DATA_DIR "/rawpkt.nl", &len);

	(void)state;
	assert_int_equal(packetdiag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.len, 5);
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock *sk = &out.v[i];

		promisc += (sk->pk.flags & LSOCK_PACKET_PROMISC) != 0;
		filters += (sk->pk.flags & LSOCK_PACKET_FILTER) != 0;
		bound += sk->ifindex != 0;
		assert_true(sk->pk.flags & LSOCK_PACKET_INFO);
		assert_true(sk->pk.flags & LSOCK_PACKET_FILTER_KNOWN);
	}
	assert_int_equal(promisc, 1);
	assert_int_equal(filters, 1);
	assert_int_equal(bound, 2);
	assert_int_equal(out.v[1].type, SOCK_DGRAM);
	assert_int_equal(out.v[1].lport, 0x0800);
	assert_int_equal(out.v[2].lport, 0x0806);

	/* The raw sockets are inet_diag's IPPROTO_RAW dumps: diag_replay's. */
	out.len = 0;
	assert_int_equal(diag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.len, 6);
	for (size_t i = 0; i < out.len; i++)
		assert_int_equal(out.v[i].protocol, IPPROTO_RAW);
	assert_int_equal(out.v[0].state, LSOCK_ESTABLISHED);
	assert_int_equal(out.v[0].lport, IPPROTO_ICMP);
	assert_int_equal(out.v[3].lport, IPPROTO_RAW);
	assert_int_equal(out.v[5].family, AF_INET6);
	assert_int_equal(out.v[5].lport, IPPROTO_ICMPV6);
	assert_string_equal(lsock_netid(&out.v[0]), "raw");
	out.len = 0;
	assert_int_equal(diag_replay(&raw4, buf, len, &out), 0);
	assert_int_equal(out.len, 4);
	/* No packet socket is in a connected state; one raw socket is. */
	out.len = 0;
	assert_int_equal(packetdiag_replay(&connected, buf, len, &out), 0);
	assert_int_equal(diag_replay(&connected, buf, len, &out), 0);
	assert_int_equal(out.len, 1);
	lsock_vec_free(&out);
	free(buf);
}

/* -m: PACKET_DIAG_MEMINFO whole in the record's lsock_ext, by its length as
 * INET_DIAG_SKMEMINFO is; the queues from it with or without -m. Three fields give the
 * queues but no skmem (fewer than the oldest kernel's seven). */
static void meminfo(void **state)
{
	static struct reply r;
	struct lsock_vec out = { 0 };
	uint32_t mem[SK_MEMINFO_VARS] = { 3968, 212992, 12, 212992, 0, 0, 136, 0, 5 };
	struct nlmsghdr *nlh;
	struct packetdiag_parser p = { .out = &out, .ext = DIAG_EXT_MEMORY };
	const struct lsock_ext *e;

	(void)state;
	r.len = 0;
	nlh = put_sock(&r, SOCK_RAW, LSOCK_ETH_P_ALL, 1001);
	mnl_attr_put(nlh, PACKET_DIAG_MEMINFO, sizeof(mem), mem);
	end_msg(&r, nlh);
	nlh = put_sock(&r, SOCK_RAW, LSOCK_ETH_P_ALL, 1002);
	mnl_attr_put(nlh, PACKET_DIAG_MEMINFO, 3 * sizeof(uint32_t), mem);
	end_msg(&r, nlh);
	nlh = put_sock(&r, SOCK_RAW, LSOCK_ETH_P_ALL, 1003); /* none */
	end_msg(&r, nlh);
	put_done(&r, 0);

	assert_int_equal(packetdiag_parse(&p, r.words, r.len), 0);
	assert_int_equal(out.len, 3);
	assert_int_equal(out.ext_len, 1);
	e = lsock_vec_ext(&out, &out.v[0]);
	assert_non_null(e);
	assert_int_equal(e->nskmem, LSOCK_SKMEM_MAX);
	assert_int_equal(e->skmem[LSOCK_SKMEM_RMEM_ALLOC], 3968);
	assert_int_equal(e->skmem[LSOCK_SKMEM_OPTMEM], 136);
	assert_int_equal(e->skmem[LSOCK_SKMEM_DROPS], 5);
	assert_int_equal(out.v[0].rqueue, 3968);
	assert_null(lsock_vec_ext(&out, &out.v[1]));
	assert_true(out.v[1].pk.flags & LSOCK_PACKET_QUEUES);
	assert_int_equal(out.v[1].wqueue, 12);
	assert_null(lsock_vec_ext(&out, &out.v[2]));

	/* Without -m, the queues alone. */
	lsock_vec_free(&out);
	assert_int_equal(parse(&r, &out), 0);
	assert_int_equal(out.len, 3);
	assert_int_equal(out.ext_len, 0);
	assert_int_equal(out.v[0].rqueue, 3968);
	lsock_vec_free(&out);
}

/* The -m fixture (tests/data/skmem.nl; skmem.ss lists the same sockets): three packet
 * sockets, the one of every protocol on lo with two frames waiting; the rawpkt fixture, taken
 * without -m, has the memory too (packet_diag is always asked for it). */
static void replay_meminfo(void **state)
{
	struct diag_query q = { DIAG_PACKET, 0, LSOCK_STATES_ALL };
	struct lsock_vec out = { 0 };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/skmem.nl", &len);

	(void)state;
	q.ext = DIAG_EXT_MEMORY;
	assert_int_equal(packetdiag_replay(&q, buf, len, &out), 0);
	assert_int_equal(out.len, 3);
	assert_int_equal(out.ext_len, 3);
	assert_int_equal(lsock_vec_ext(&out, &out.v[0])->skmem[LSOCK_SKMEM_RMEM_ALLOC], 3328);
	assert_int_equal(out.v[0].rqueue, 3328);
	for (size_t i = 0; i < out.len; i++)
		assert_int_equal(lsock_vec_ext(&out, &out.v[i])->skmem[LSOCK_SKMEM_RCVBUF],
				 212992);
	assert_int_equal(lsock_vec_ext(&out, &out.v[2])->skmem[LSOCK_SKMEM_RMEM_ALLOC], 0);
	lsock_vec_free(&out);
	free(buf);

	buf = test_read_file(LISTEN_DATA_DIR "/rawpkt.nl", &len);
	assert_int_equal(packetdiag_replay(&q, buf, len, &out), 0);
	assert_int_equal(out.len, 5);
	assert_int_equal(out.ext_len, 5);
	/* The socket with a BPF filter: the program is in optmem. */
	assert_int_equal(lsock_vec_ext(&out, &out.v[4])->skmem[LSOCK_SKMEM_OPTMEM], 136);
	lsock_vec_free(&out);
	free(buf);
}

/* /proc/net/packet: the columns into the record, the rest not known. */
static void procnet_packet(void **state)
{
	static const char table[] =
		"sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n"
		"000000009f032749 3      3    0003   0     1 7936   0      131746139\n"
		"00000000a37dbd90 3      2    0800   4     1 0      1000   131746140\n";
	struct diag_query all = { DIAG_PACKET, 0, LSOCK_STATES_ALL };
	struct diag_query connected = { DIAG_PACKET, 0, LSOCK_STATES_CONNECTED };
	struct lsock_vec out = { 0 };

	(void)state;
	assert_int_equal(packetdiag_procnet_parse(&all, table, sizeof(table) - 1, &out), 0);
	assert_int_equal(out.len, 2);
	assert_int_equal(out.v[0].family, AF_PACKET);
	assert_int_equal(out.v[0].type, SOCK_RAW);
	assert_int_equal(out.v[0].lport, 3);
	assert_int_equal(out.v[0].rqueue, 7936);
	assert_int_equal(out.v[0].inode, 131746139);
	assert_true(out.v[0].flags & LSOCK_PROCNET);
	assert_int_equal(out.v[0].pk.flags, LSOCK_PACKET_UID | LSOCK_PACKET_QUEUES);
	assert_int_equal(out.v[1].type, SOCK_DGRAM);
	assert_int_equal(out.v[1].lport, 0x0800);
	assert_int_equal(out.v[1].ifindex, 4);
	assert_int_equal(out.v[1].uid, 1000);

	out.len = 0;
	assert_int_equal(packetdiag_procnet_parse(&connected, table, sizeof(table) - 1, &out), 0);
	assert_int_equal(out.len, 0);
	/* Not the table, a line cut short, a column too many, a value out of range. */
	static const char *const bad[] = {
		"garbage\n1 2 3\n",
		"sk RefCnt Type Proto Iface R Rmem User Inode\n0 3 3 0003 0 1 0 0\n",
		"sk RefCnt Type Proto Iface R Rmem User Inode\n0 3 3 0003 0 1 0 0 1 9\n",
		"sk RefCnt Type Proto Iface R Rmem User Inode\n0 3 3 10003 0 1 0 0 1\n",
		"sk RefCnt Type Proto Iface R Rmem User Inode\n0 3 3 0003 0 1 0 0 99999999999\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out.len = 0;
		assert_int_equal(packetdiag_procnet_parse(&all, bad[i], strlen(bad[i]), &out),
				 -EBADMSG);
		assert_int_equal(out.len, 0);
	}
	lsock_vec_free(&out);
}

/* /proc/net/raw and raw6: the protocol in the port; a raw socket's bound IPv6 address says
 * nothing of IPV6_V6ONLY. */
static void procnet_raw(void **state)
{
	static const char raw4[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid "
		" "
		"timeout inode ref pointer drops\n"
		"  1: 0100007F:0001 0200007F:0000 01 00000000:00000000 00:00000000 00000000     0 "
		"       0 1001 2 0000000000000000 0\n"
		"255: 00000000:00FF 00000000:0000 07 00000000:00000010 00:00000000 00000000  1000 "
		"       0 1002 2 0000000000000000 0\n";
	static const char raw6[] =
		"  sl  local_address                         remote_address                      "
		"  st "
		"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"   58: 00000000000000000000000001000000:003A "
		"00000000000000000000000000000000:0000 07 "
		"00000000:00000000 00:00000000 00000000     0        0 1003 2 0000000000000000 0\n";
	struct diag_query all = { DIAG_RAW, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query tcp = { DIAG_TCP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct lsock_vec out = { 0 };

	(void)state;
	assert_int_equal(procnet_parse(&all, AF_INET, IPPROTO_RAW, raw4, sizeof(raw4) - 1, &out),
			 0);
	assert_int_equal(out.len, 2);
	assert_int_equal(out.v[0].protocol, IPPROTO_RAW);
	assert_int_equal(out.v[0].state, LSOCK_ESTABLISHED);
	assert_int_equal(out.v[0].lport, IPPROTO_ICMP);
	assert_memory_equal(out.v[0].laddr, "\x7f\0\0\1", 4);
	assert_memory_equal(out.v[0].raddr, "\x7f\0\0\2", 4);
	assert_int_equal(out.v[1].lport, IPPROTO_RAW);
	assert_int_equal(out.v[1].rqueue, 16);
	assert_int_equal(out.v[1].uid, 1000);
	assert_true(lsock_is_listener(&out.v[1]));
	assert_false(lsock_is_inet_transport(&out.v[1]));
	assert_string_equal(lsock_proto_name(IPPROTO_RAW), "raw");

	out.len = 0;
	assert_int_equal(procnet_parse(&all, AF_INET6, IPPROTO_RAW, raw6, sizeof(raw6) - 1, &out),
			 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].lport, IPPROTO_ICMPV6);
	assert_int_equal(out.v[0].laddr[15], 1);
	assert_false(out.v[0].flags & LSOCK_HAS_V6ONLY);

	/* A query of TCP alone takes none of them. */
	out.len = 0;
	assert_int_equal(procnet_parse(&tcp, AF_INET, IPPROTO_RAW, raw4, sizeof(raw4) - 1, &out),
			 0);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
}

/* protocols(5) names, the first of a number winning; ethertypes by number and name. */
static void names(void **state)
{
	static const char text[] =
		"# a comment\n"
		"ip\t0\tIP\t\t# internet protocol\n"
		"icmp\t1\tICMP\n"
		"other-icmp\t1\n"
		"ipv6-icmp 58 IPv6-ICMP\n"
		"bad 256\n"
		"worse x1\n"
		"noproto\n"
		"bad\033[2J 7\n"
		"\0nul 8\n"
		"tcp\t6 TCP";
	struct ipproto_names t = { 0 };
	uint8_t p;
	uint16_t e;

	(void)state;
	assert_int_equal(ipproto_parse(&t, text, sizeof(text) - 1), 0);
	assert_string_equal(ipproto_name(&t, 0), "ip");
	assert_string_equal(ipproto_name(&t, 1), "icmp");
	assert_string_equal(ipproto_name(&t, 58), "ipv6-icmp");
	assert_string_equal(ipproto_name(&t, 6), "tcp");
	assert_null(ipproto_name(&t, 255));
	assert_null(ipproto_name(&t, 7)); /* a control byte: the line is skipped */
	assert_null(ipproto_name(&t, 8));
	assert_null(ipproto_name(NULL, 1));
	assert_int_equal(ipproto_by_name(&t, "ipv6-icmp", &p), 0);
	assert_int_equal(p, 58);
	assert_int_equal(ipproto_by_name(&t, "IPv6-ICMP", &p), 0); /* protocols(5)'s alias */
	assert_int_equal(p, 58);
	assert_int_equal(ipproto_by_name(&t, "bad", &p), -ENOENT);
	ipproto_free(&t);
	assert_int_equal(ipproto_load(&t, "/nonexistent/protocols"), 0);
	assert_null(ipproto_name(&t, 1));

	assert_string_equal(ipproto_ether_name(0x0800), "ip");
	assert_string_equal(ipproto_ether_name(0x0806), "arp");
	assert_string_equal(ipproto_ether_name(0x86dd), "ipv6");
	assert_string_equal(ipproto_ether_name(0x8100), "802.1Q");
	assert_null(ipproto_ether_name(0x1234));
	assert_null(ipproto_ether_name(LSOCK_ETH_P_ALL)); /* ss prints "*" */
	assert_int_equal(ipproto_ether_by_name("lldp", &e), 0);
	assert_int_equal(e, 0x88cc);
	assert_int_equal(ipproto_ether_by_name("nosuch", &e), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field),
		cmocka_unit_test(malformed),
		cmocka_unit_test(replay_fixture),
		cmocka_unit_test(meminfo),
		cmocka_unit_test(replay_meminfo),
		cmocka_unit_test(procnet_packet),
		cmocka_unit_test(procnet_raw),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
