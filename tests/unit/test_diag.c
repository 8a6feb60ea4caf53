/* Unit tests of the sock_diag reply parser and the capture replay. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/mptcp.h>
#include <linux/tcp.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/capture.h"
#include "listen/diag.h"
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

/* A socket message; the caller may add attributes before end_msg. */
static struct nlmsghdr *put_sock(struct reply *r, uint8_t family, uint8_t state, uint16_t sport,
				 uint16_t dport)
{
	struct nlmsghdr *nlh = put_msg(r, SOCK_DIAG_BY_FAMILY);
	struct inet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->idiag_family = family;
	m->idiag_state = state;
	m->id.idiag_sport = htons(sport);
	m->id.idiag_dport = htons(dport);
	return nlh;
}

static void put_done(struct reply *r)
{
	struct nlmsghdr *nlh = put_msg(r, NLMSG_DONE);

	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	end_msg(r, nlh);
}

static void put_error(struct reply *r, int error)
{
	struct nlmsghdr *nlh = put_msg(r, NLMSG_ERROR);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = error;
	end_msg(r, nlh);
}

static int parse(struct reply *r, struct lsock_vec *out, struct diag_parser *p)
{
	*p = (struct diag_parser){ .out = out, .protocol = IPPROTO_TCP };
	return diag_parse(p, r->words, r->len);
}

static void every_field(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p;
	struct nlmsghdr *nlh = put_sock(r, AF_INET6, LSOCK_ESTABLISHED, 443, 51000);
	struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", m->id.idiag_src);
	inet_pton(AF_INET6, "::ffff:127.0.0.1", m->id.idiag_dst);
	m->id.idiag_if = 7;
	m->id.idiag_cookie[0] = 0x89abcdef;
	m->id.idiag_cookie[1] = 0x01234567;
	m->idiag_uid = 1000;
	m->idiag_inode = 424242;
	m->idiag_rqueue = 11;
	m->idiag_wqueue = 22;
	mnl_attr_put_u8(nlh, INET_DIAG_SKV6ONLY, 1);
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, 2);
	mnl_attr_put_u32(nlh, INET_DIAG_MARK, 0x2a);
	mnl_attr_put_u64(nlh, INET_DIAG_CGROUP_ID, 0x1122334455ull);
	end_msg(r, nlh);
	put_done(r);

	assert_int_equal(parse(r, &out, &p), 0);
	assert_int_equal(out.len, 1);
	const struct lsock *sk = &out.v[0];
	unsigned char want[16];

	assert_int_equal(sk->family, AF_INET6);
	assert_int_equal(sk->protocol, IPPROTO_TCP);
	assert_int_equal(sk->state, LSOCK_ESTABLISHED);
	assert_int_equal(sk->lport, 443);
	assert_int_equal(sk->rport, 51000);
	inet_pton(AF_INET6, "2001:db8::1", want);
	assert_memory_equal(sk->laddr, want, 16);
	inet_pton(AF_INET6, "::ffff:127.0.0.1", want);
	assert_memory_equal(sk->raddr, want, 16);
	assert_int_equal(sk->ifindex, 7);
	assert_int_equal(sk->uid, 1000);
	assert_int_equal(sk->inode, 424242);
	assert_int_equal(sk->rqueue, 11);
	assert_int_equal(sk->wqueue, 22);
	assert_true(sk->cookie == 0x0123456789abcdefull);
	assert_int_equal(sk->flags, LSOCK_HAS_V6ONLY | LSOCK_HAS_SHUTDOWN | LSOCK_HAS_MARK |
					    LSOCK_HAS_CGROUP);
	assert_int_equal(sk->v6only, 1);
	assert_int_equal(sk->shutdown, 2);
	assert_int_equal(sk->mark, 0x2a);
	assert_true(sk->cgroup_id == 0x1122334455ull);
	assert_false(p.interrupted);
	lsock_vec_free(&out);
	free(r);
}

static void ipv4_copies_four_bytes(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p;
	struct nlmsghdr *nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 22, 0);
	struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	static const unsigned char zero[12];

	(void)state;
	m->id.idiag_src[0] = htonl(0x7f000001);
	memset(&m->id.idiag_src[1], 0xff, 12); /* kernel leaves these zero; we must not copy them */
	end_msg(r, nlh);
	assert_int_equal(parse(r, &out, &p), 1); /* no NLMSG_DONE yet: more to come */
	assert_int_equal(out.len, 1);
	assert_memory_equal(out.v[0].laddr, "\x7f\x00\x00\x01", 4);
	assert_memory_equal(out.v[0].laddr + 4, zero, 12);
	assert_int_equal(out.v[0].flags, 0);
	lsock_vec_free(&out);
	free(r);
}

static void error_message(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p;

	(void)state;
	put_error(r, -EPERM);
	assert_int_equal(parse(r, &out, &p), -EPERM);
	r->len = 0;
	put_error(r, 0); /* an acknowledgement ends the exchange */
	assert_int_equal(parse(r, &out, &p), 0);
	r->len = 0;
	put_error(r, 12345); /* not an errno */
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	/* An error message too short to hold struct nlmsgerr. */
	r->len = 0;
	struct nlmsghdr *nlh = put_msg(r, NLMSG_ERROR);

	end_msg(r, nlh);
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	assert_int_equal(out.len, 0);
	free(r);
}

static void truncated_and_garbled(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p;
	struct nlmsghdr *nlh;

	(void)state;
	end_msg(r, put_sock(r, AF_INET, LSOCK_LISTEN, 1, 0));
	end_msg(r, put_sock(r, AF_INET, LSOCK_LISTEN, 2, 0));
	size_t whole = r->len;

	/* Cut inside the second message: the first is kept, the rest is an error. */
	r->len = whole - 10;
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	assert_int_equal(out.len, 1);
	out.len = 0;
	/* Cut inside the first message's header. */
	r->len = 7;
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	assert_int_equal(out.len, 0);
	/* A length field pointing past the end. */
	r->len = whole;
	((struct nlmsghdr *)r->words)->nlmsg_len = 100000;
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	/* A length that is negative as an int (found by fuzzing: libmnl's check accepts it). */
	((struct nlmsghdr *)r->words)->nlmsg_len = 0x80000010u;
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	((struct nlmsghdr *)r->words)->nlmsg_len = 0xfffffffdu;
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	assert_int_equal(out.len, 0);
	/* A socket message shorter than struct inet_diag_msg. */
	r->len = 0;
	nlh = put_msg(r, SOCK_DIAG_BY_FAMILY);
	mnl_nlmsg_put_extra_header(nlh, 8);
	end_msg(r, nlh);
	assert_int_equal(parse(r, &out, &p), -EBADMSG);
	assert_int_equal(out.len, 0);
	/* No bytes at all: nothing parsed, more expected. */
	assert_int_equal(diag_parse(&p, r->words, 0), 1);
	lsock_vec_free(&out);
	free(r);
}

static void unknown_and_bad_attributes_are_skipped(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p;
	struct nlmsghdr *nlh = put_sock(r, AF_INET6, LSOCK_LISTEN, 80, 0);

	(void)state;
	mnl_attr_put_u32(nlh, 200, 7);                       /* a type from the future */
	mnl_attr_put(nlh, INET_DIAG_CGROUP_ID, 2, "ab");     /* too short for a u64 */
	mnl_attr_put(nlh, INET_DIAG_SKV6ONLY, 0, NULL);      /* empty */
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, 1);         /* fine */
	/* A last attribute whose length runs past the message. */
	struct nlattr *bad = mnl_nlmsg_get_payload_tail(nlh);

	mnl_attr_put_u32(nlh, INET_DIAG_MARK, 5);
	bad->nla_len = 200;
	end_msg(r, nlh);
	/* An unknown message type and a family we do not handle, both ignored. */
	end_msg(r, put_msg(r, 0x77));
	end_msg(r, put_sock(r, AF_UNIX, 1, 0, 0));
	put_done(r);

	assert_int_equal(parse(r, &out, &p), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].flags, LSOCK_HAS_SHUTDOWN);
	assert_int_equal(out.v[0].shutdown, 1);
	lsock_vec_free(&out);
	free(r);
}

static void dump_interrupted(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p;
	struct nlmsghdr *nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 80, 0);

	(void)state;
	nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	end_msg(r, nlh);
	put_done(r);
	assert_int_equal(parse(r, &out, &p), 0);
	assert_true(p.interrupted);
	lsock_vec_free(&out);
	free(r);
}

/* MPTCP's dumps (capture-mptcp.sh): kept apart from TCP's in the capture, replayed after
 * them, each record marked; -M alone has MPTCP's sockets only, -t TCP's only. */
/* -i's md5keys, ULP and mptcp_info from a real kernel's replies (tcpinfo.nl): whom the keys
 * are for, the subflows' ULP "mptcp" and its fields, an MPTCP socket's mptcp_info read as
 * such, not as a tcp_info; none of them kept without -i. */
static void replay_tcpinfo(void **state)
{
	struct diag_query q = { DIAG_TCP | DIAG_MPTCP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL,
				.ext = DIAG_EXT_INFO };
	struct lsock_vec out = { 0 };
	size_t len, subflows = 0, mptcp = 0, keys = 0;
	char *buf = test_read_file(LISTEN_DATA_DIR "/tcpinfo.nl", &len);

	(void)state;
	assert_int_equal(diag_replay(&q, buf, len, &out), 0);
	assert_int_equal(out.len, 11); /* tcpinfo.ss: 8 TCP sockets, 3 MPTCP */
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock *sk = &out.v[i];
		const struct lsock_ext *e = lsock_vec_ext(&out, sk);
		char text[INET6_ADDRSTRLEN];

		assert_non_null(e);
		assert_true(e->has_info);
		if (sk->flags & LSOCK_MPTCP) {
			mptcp++;
			/* A 6.18 kernel's struct. */
			assert_int_equal(e->mptcp.len, LSOCK_MPTCPI_END_LAST);
			assert_false(e->has_ulp);
			assert_int_equal(e->nmd5, 0);
			if (sk->state == LSOCK_ESTABLISHED) {
				assert_int_equal(e->mptcp.subflows_max, 2);
				assert_int_equal(e->mptcp.subflows_total, 1);
				assert_true(e->mptcp.flags &
					    MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED);
				assert_true(e->mptcp.token != 0);
				/* tcpinfohelper.py: 1000 bytes one way, 200 the other. */
				assert_int_equal(e->mptcp.bytes_sent + e->mptcp.bytes_received,
						 1200);
			}
			continue;
		}
		if (sk->lport == 7401 || sk->lport == 7402) {
			assert_int_equal(e->nmd5, sk->lport == 7401 ? 2 : 1);
			for (uint32_t k = 0; k < e->nmd5; k++) {
				const struct lsock_md5key *m = &e->md5[k];

				assert_non_null(inet_ntop(m->family, m->addr, text, sizeof(text)));
				keys++;
				if (m->family == AF_INET6)
					assert_true(!strcmp(text, "::1") && m->prefixlen == 128);
				else if (m->prefixlen == 8)
					assert_string_equal(text, "10.0.0.0");
				else
					assert_true(!strcmp(text, "127.0.0.1") &&
						    m->prefixlen == 32);
			}
		} else {
			assert_int_equal(e->nmd5, 0);
		}
		if (sk->lport == 7403 || sk->rport == 7403) {
			assert_true(e->has_ulp);
			assert_string_equal(e->ulp.name, "mptcp");
			subflows += sk->state == LSOCK_ESTABLISHED;
			if (sk->state == LSOCK_ESTABLISHED) {
				assert_int_equal(e->ulp.kind, LSOCK_ULP_MPTCP);
				assert_true(e->ulp.sf.flags & MPTCP_SUBFLOW_FLAG_FULLY_ESTABLISHED);
				assert_true(e->ulp.have & LSOCK_SF_MAP_SEQ);
			}
		} else {
			assert_false(e->has_ulp);
		}
	}
	assert_int_equal(mptcp, 3);
	assert_int_equal(subflows, 2);
	assert_int_equal(keys, 3);
	lsock_vec_free(&out);
	q.ext = 0;
	assert_int_equal(diag_replay(&q, buf, len, &out), 0);
	assert_int_equal(out.len, 11);
	assert_int_equal(out.ext_len, 0);
	lsock_vec_free(&out);
	free(buf);
}

/* Put a nested attribute holding the attributes fill puts. */
static struct nlattr *nest(struct nlmsghdr *nlh, uint16_t type)
{
	return mnl_attr_nest_start(nlh, type);
}

/* Every attribute by its length: an MD5 attribute's torn last key is no key, and one shorter
 * than a key none; a ULP name longer than the kernel's limit is cut, one without a NUL ends
 * with the attribute; kTLS's u16 of another length and a subflow's u64 of another length
 * are not taken; maplen as the kernel's u16 or as a u32; only the first of two ULP infos. */
static void md5_and_ulp_lengths(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p = { .out = &out, .protocol = IPPROTO_TCP, .ext = DIAG_EXT_INFO };
	struct tcp_diag_md5sig sig[2] = { { .tcpm_family = AF_INET, .tcpm_prefixlen = 24,
					    .tcpm_keylen = 6, .tcpm_key = "secret" },
					  { .tcpm_family = AF_INET6, .tcpm_prefixlen = 64 } };
	const struct lsock_ext *e;
	struct nlmsghdr *nlh;
	struct nlattr *ulp, *in;

	(void)state;
	sig[0].tcpm_addr[0] = htonl(0xc0a80100);
	nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 1, 0);
	mnl_attr_put(nlh, INET_DIAG_MD5SIG, sizeof(sig[0]) + 40, sig); /* torn second key */
	ulp = nest(nlh, INET_DIAG_ULP_INFO);
	mnl_attr_put(nlh, INET_ULP_INFO_NAME, 20, "a-name-of-twenty-ch!");
	in = nest(nlh, INET_ULP_INFO_TLS);
	mnl_attr_put_u16(nlh, TLS_INFO_VERSION, TLS_1_3_VERSION);
	mnl_attr_put_u32(nlh, TLS_INFO_CIPHER, TLS_CIPHER_AES_GCM_256); /* not a u16 */
	mnl_attr_put_u16(nlh, TLS_INFO_RXCONF, TLS_CONF_HW);
	mnl_attr_put(nlh, TLS_INFO_RX_NO_PAD, 0, NULL);
	mnl_attr_nest_end(nlh, in);
	in = nest(nlh, INET_ULP_INFO_MPTCP); /* a second info: not taken */
	mnl_attr_put_u32(nlh, MPTCP_SUBFLOW_ATTR_FLAGS, 1);
	mnl_attr_nest_end(nlh, in);
	mnl_attr_nest_end(nlh, ulp);
	end_msg(r, nlh);

	nlh = put_sock(r, AF_INET6, LSOCK_ESTABLISHED, 2, 3);
	mnl_attr_put(nlh, INET_DIAG_MD5SIG, sizeof(sig[0]) - 1, &sig[1]);
	ulp = nest(nlh, INET_DIAG_ULP_INFO);
	mnl_attr_put(nlh, INET_ULP_INFO_NAME, 5, "mptcp"); /* no NUL */
	in = nest(nlh, INET_ULP_INFO_MPTCP);
	mnl_attr_put_u32(nlh, MPTCP_SUBFLOW_ATTR_MAP_SEQ, 5); /* not a u64 */
	mnl_attr_put_u16(nlh, MPTCP_SUBFLOW_ATTR_MAP_DATALEN, 1460);
	mnl_attr_put_u8(nlh, MPTCP_SUBFLOW_ATTR_ID_REM, 3);
	mnl_attr_put_u32(nlh, MPTCP_SUBFLOW_ATTR_TOKEN_REM, 0xabcdef);
	mnl_attr_put_u64(nlh, MPTCP_SUBFLOW_ATTR_SSN_OFFSET, 9); /* not a u32 */
	mnl_attr_put_u32(nlh, 99, 1); /* unknown */
	mnl_attr_nest_end(nlh, in);
	mnl_attr_nest_end(nlh, ulp);
	end_msg(r, nlh);

	nlh = put_sock(r, AF_INET, LSOCK_ESTABLISHED, 4, 5);
	ulp = nest(nlh, INET_DIAG_ULP_INFO);
	in = nest(nlh, INET_ULP_INFO_MPTCP);
	mnl_attr_put_u32(nlh, MPTCP_SUBFLOW_ATTR_MAP_DATALEN, 0x12345);
	mnl_attr_nest_end(nlh, in);
	mnl_attr_nest_end(nlh, ulp);
	end_msg(r, nlh);
	put_done(r);
	assert_int_equal(diag_parse(&p, r->words, r->len), 0);
	assert_int_equal(out.len, 3);

	e = lsock_vec_ext(&out, &out.v[0]);
	assert_non_null(e);
	assert_int_equal(e->nmd5, 1);
	assert_int_equal(e->md5[0].family, AF_INET);
	assert_int_equal(e->md5[0].prefixlen, 24);
	assert_memory_equal(e->md5[0].addr, sig[0].tcpm_addr, 4);
	assert_true(e->has_ulp);
	assert_string_equal(e->ulp.name, "a-name-of-twent");
	assert_int_equal(strlen(e->ulp.name), sizeof(e->ulp.name) - 1);
	assert_int_equal(e->ulp.kind, LSOCK_ULP_TLS);
	assert_int_equal(e->ulp.have, LSOCK_TLS_VERSION | LSOCK_TLS_RXCONF | LSOCK_TLS_RX_NO_PAD);
	assert_int_equal(e->ulp.tls.version, TLS_1_3_VERSION);
	assert_int_equal(e->ulp.tls.rxconf, TLS_CONF_HW);

	e = lsock_vec_ext(&out, &out.v[1]);
	assert_non_null(e);
	assert_int_equal(e->nmd5, 0);
	assert_string_equal(e->ulp.name, "mptcp");
	assert_int_equal(e->ulp.kind, LSOCK_ULP_MPTCP);
	assert_int_equal(e->ulp.have, LSOCK_SF_MAP_DATALEN | LSOCK_SF_ID_REM | LSOCK_SF_TOKEN_REM);
	assert_int_equal(e->ulp.sf.map_datalen, 1460);
	assert_int_equal(e->ulp.sf.id_rem, 3);
	assert_int_equal(e->ulp.sf.token_rem, 0xabcdef);

	e = lsock_vec_ext(&out, &out.v[2]);
	assert_non_null(e);
	assert_string_equal(e->ulp.name, "");
	assert_int_equal(e->ulp.sf.map_datalen, 0x12345);
	lsock_vec_free(&out);
	free(r);
}

/* A capture's copy of a reply: every key cleared, whom it is for and the rest left (a torn
 * last piece too); the copy parses to the same records. */
static void scrub_keys(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct tcp_diag_md5sig sig[2] = { { .tcpm_family = AF_INET, .tcpm_prefixlen = 32,
					    .tcpm_keylen = 6, .tcpm_key = "secret" },
					  { .tcpm_family = AF_INET, .tcpm_prefixlen = 8,
					    .tcpm_keylen = 7, .tcpm_key = "hush-it" } };
	struct lsock_vec out = { 0 };
	struct diag_parser p = { .out = &out, .protocol = IPPROTO_TCP, .ext = DIAG_EXT_INFO };
	struct nlmsghdr *nlh;
	const struct lsock_ext *e;
	size_t len;

	(void)state;
	sig[0].tcpm_addr[0] = htonl(0x7f000001);
	sig[1].tcpm_addr[0] = htonl(0x0a000000);
	nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 179, 0);
	mnl_attr_put(nlh, INET_DIAG_MD5SIG, sizeof(sig), sig);
	end_msg(r, nlh);
	nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 180, 0);
	mnl_attr_put(nlh, INET_DIAG_MD5SIG, sizeof(sig[0]) + 20, sig); /* a torn last piece */
	end_msg(r, nlh);
	put_done(r);
	len = r->len;
	diag_scrub(r->words, len);
	assert_null(memmem(r->words, len, "hush-it", 7));
	assert_null(memmem(r->words, len, "secret", 6));
	assert_non_null(memmem(r->words, len, &sig[1].tcpm_addr, 4)); /* whom it is for */
	assert_int_equal(diag_parse(&p, r->words, len), 0);
	assert_int_equal(out.len, 2);
	e = lsock_vec_ext(&out, &out.v[0]);
	assert_non_null(e);
	assert_int_equal(e->nmd5, 2);
	assert_int_equal(e->md5[1].prefixlen, 8);
	assert_memory_equal(e->md5[1].addr, sig[1].tcpm_addr, 4);
	e = lsock_vec_ext(&out, &out.v[1]);
	assert_non_null(e);
	assert_int_equal(e->nmd5, 1);
	assert_memory_equal(e->md5[0].addr, sig[0].tcpm_addr, 4);
	lsock_vec_free(&out);
	free(r);
}

/* An MPTCP socket's mptcp_info by its length: a field it does not reach in whole reads 0; a
 * longer struct is cut
 * to what listen knows. */
static void mptcp_info_lengths(void **state)
{
	static const size_t lens[] = { 0, 6, 20, 48, 80, 96, 200 };
	unsigned char raw[200] = { 0 };
	uint64_t seq = 0x1122334455667788, sent = 4242;
	uint32_t token = 0xdeadbeef, last = 77;

	(void)state;
	raw[3] = 8; /* subflows_max */
	memcpy(raw + 12, &token, 4);
	memcpy(raw + 16, &seq, 8);
	memcpy(raw + 56, &sent, 8);
	memcpy(raw + 92, &last, 4);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct reply *r = calloc(1, sizeof(*r));
		struct lsock_vec out = { 0 };
		struct diag_parser p = { .out = &out, .protocol = IPPROTO_MPTCP,
					 .ext = DIAG_EXT_INFO };
		struct nlmsghdr *nlh = put_sock(r, AF_INET, LSOCK_ESTABLISHED, 80, 5000);
		const struct lsock_ext *e;

		mnl_attr_put(nlh, INET_DIAG_INFO, lens[i], raw);
		end_msg(r, nlh);
		put_done(r);
		assert_int_equal(diag_parse(&p, r->words, r->len), 0);
		e = lsock_vec_ext(&out, &out.v[0]);
		assert_non_null(e);
		assert_true(out.v[0].flags & LSOCK_MPTCP);
		assert_int_equal(e->mptcp.len, lens[i]);
		assert_int_equal(e->mptcp.subflows_max, lens[i] >= 4 ? 8 : 0);
		assert_int_equal(e->mptcp.token, lens[i] >= 16 ? token : 0);
		assert_true(e->mptcp.write_seq == (lens[i] >= 24 ? seq : 0));
		assert_true(e->mptcp.bytes_sent == (lens[i] >= 64 ? sent : 0));
		assert_int_equal(e->mptcp.last_ack_recv, lens[i] >= 96 ? last : 0);
		lsock_vec_free(&out);
		free(r);
	}
}

static void replay_mptcp(void **state)
{
	struct diag_query both = { DIAG_TCP | DIAG_MPTCP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query mptcp = { DIAG_MPTCP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query tcp = { DIAG_TCP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query mptcp4_listen = { DIAG_MPTCP, DIAG_V4, LSOCK_STATES_LISTENING };
	struct lsock_vec out = { 0 };
	size_t len, listeners = 0;
	char *buf = test_read_file(LISTEN_DATA_DIR "/mptcp.nl", &len);

	(void)state;
	/* mptcp.ss: 10 TCP sockets (subflows and listeners), then 9 MPTCP ones. */
	assert_int_equal(diag_replay(&both, buf, len, &out), 0);
	assert_int_equal(out.len, 19);
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock *sk = &out.v[i];

		assert_int_equal(sk->protocol, IPPROTO_TCP);
		assert_int_equal(!!(sk->flags & LSOCK_MPTCP), i >= 10);
		assert_string_equal(lsock_netid(sk), i >= 10 ? "mptcp" : "tcp");
		assert_true(sk->inode && sk->cookie);
		if (i >= 10 && sk->state == LSOCK_LISTEN) {
			listeners++;
			assert_true(sk->flags & LSOCK_HAS_CGROUP);
			if (sk->family == AF_INET6)
				assert_true(sk->flags & LSOCK_HAS_V6ONLY);
		}
	}
	assert_int_equal(listeners, 3);
	out.len = 0;
	assert_int_equal(diag_replay(&mptcp, buf, len, &out), 0);
	assert_int_equal(out.len, 9);
	out.len = 0;
	assert_int_equal(diag_replay(&tcp, buf, len, &out), 0);
	assert_int_equal(out.len, 10);
	for (size_t i = 0; i < out.len; i++)
		assert_false(out.v[i].flags & LSOCK_MPTCP);
	out.len = 0;
	assert_int_equal(diag_replay(&mptcp4_listen, buf, len, &out), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].lport, 7311);
	assert_int_equal(out.v[0].wqueue, 16); /* the backlog */
	assert_true(out.v[0].flags & LSOCK_MPTCP);
	lsock_vec_free(&out);
	free(buf);
}

/* SCTP (make-sctp.py, built by hand): associations follow their socket with its inode and
 * SCTP's states; the kernel sends a socket in a state not asked for only as the parent of
 * associations, and sends associations only when more than listening and closed sockets are
 * asked for. */
static void replay_sctp(void **state)
{
	struct diag_query all = { DIAG_SCTP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query connected = { DIAG_SCTP, DIAG_V4 | DIAG_V6, LSOCK_STATES_CONNECTED };
	struct diag_query listening = { DIAG_SCTP, DIAG_V4 | DIAG_V6, LSOCK_STATES_LISTENING };
	struct diag_query tcp = { DIAG_TCP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	static const char *const want[] = { "LISTEN", "ESTAB", "COOKIE_ECHOED", "ESTAB", "ESTAB",
					    "LISTEN" };
	struct lsock_vec out = { 0 };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sctp.nl", &len);

	(void)state;
	assert_int_equal(diag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.len, 6);
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock *sk = &out.v[i];
		bool assoc = i == 1 || i == 2 || i == 4;

		assert_int_equal(sk->protocol, IPPROTO_SCTP);
		assert_int_equal(!!(sk->flags & LSOCK_SCTP_ASSOC), assoc);
		assert_string_equal(lsock_state_name(sk), want[i]);
		assert_string_equal(lsock_netid(sk), "sctp");
		assert_int_equal(lsock_is_listener(sk), i == 0 || i == 5);
	}
	assert_int_equal(out.v[1].rport, 40000);
	assert_int_equal(out.v[0].wqueue, 10);
	assert_int_equal(out.v[5].family, AF_INET6);

	out.len = 0; /* the IPv6 listener has no association: not sent */
	assert_int_equal(diag_replay(&connected, buf, len, &out), 0);
	assert_int_equal(out.len, 5);
	assert_int_equal(out.v[0].state, LSOCK_LISTEN);
	out.len = 0; /* listeners only, without associations */
	assert_int_equal(diag_replay(&listening, buf, len, &out), 0);
	assert_int_equal(out.len, 2);
	assert_false((out.v[0].flags | out.v[1].flags) & LSOCK_SCTP_ASSOC);
	out.len = 0;
	assert_int_equal(diag_replay(&tcp, buf, len, &out), 0);
	assert_int_equal(out.len, 0);

	/* An association's state past SCTP's names. */
	struct lsock odd = { .protocol = IPPROTO_SCTP, .flags = LSOCK_SCTP_ASSOC, .state = 9 };

	assert_string_equal(lsock_state_name(&odd), "UNKNOWN");
	lsock_vec_free(&out);
	free(buf);
}

/* A dump that could not run ends with NLMSG_DONE carrying the errno (inet_diag without a
 * handler for the protocol): that error, not an empty answer. */
static void done_with_error(void **state)
{
	char buf[64] __attribute__((aligned(4))) = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct lsock_vec out = { 0 };
	struct diag_parser p = { .out = &out, .protocol = IPPROTO_SCTP };

	(void)state;
	nlh->nlmsg_type = NLMSG_DONE;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -ENOENT;
	assert_int_equal(diag_parse(&p, buf, nlh->nlmsg_len), -ENOENT);
	*(int *)mnl_nlmsg_get_payload(nlh) = 0;
	assert_int_equal(diag_parse(&p, buf, nlh->nlmsg_len), 0);
	*(int *)mnl_nlmsg_get_payload(nlh) = 5;
	assert_int_equal(diag_parse(&p, buf, nlh->nlmsg_len), 0);
	nlh->nlmsg_len = sizeof(*nlh); /* no payload at all */
	assert_int_equal(diag_parse(&p, buf, nlh->nlmsg_len), 0);
	assert_int_equal(out.len, 0);
}

static void replay_fixture(void **state)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct diag_query tcp4_listen = { DIAG_TCP, DIAG_V4, LSOCK_STATES_LISTENING };
	struct lsock_vec out = { 0 };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockets.nl", &len);
	size_t dual = 0, v6only = 0, bound = 0;

	(void)state;
	assert_int_equal(diag_replay(&all, buf, len, &out), 0);
	/* sockets.ss lists the same capture: one header line and 20 sockets. */
	assert_int_equal(out.len, 20);
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock *sk = &out.v[i];

		if (sk->family == AF_INET6 && sk->state == LSOCK_LISTEN) {
			assert_true(sk->flags & LSOCK_HAS_V6ONLY);
			dual += sk->lport == 80 && !sk->v6only;
			v6only += sk->lport == 443 && sk->v6only;
		}
		bound += sk->ifindex != 0;
		assert_true(sk->flags & LSOCK_HAS_CGROUP);
	}
	assert_int_equal(dual, 1);
	assert_int_equal(v6only, 1);
	assert_int_equal(bound, 3); /* 5432, 6379, udp 67 */
	/* UDP comes first, as ss prints it. */
	assert_int_equal(out.v[0].protocol, IPPROTO_UDP);
	assert_int_equal(out.v[out.len - 1].protocol, IPPROTO_TCP);

	out.len = 0;
	assert_int_equal(diag_replay(&tcp4_listen, buf, len, &out), 0);
	assert_int_equal(out.len, 4); /* 22, 8080, 5432, 9100 */
	for (size_t i = 0; i < out.len; i++) {
		assert_int_equal(out.v[i].state, LSOCK_LISTEN);
		assert_int_equal(out.v[i].family, AF_INET);
	}
	lsock_vec_free(&out);
	free(buf);
}

/* -i's and -m's attributes from the capture: tcp_info, the congestion control, skmeminfo,
 * each record that has them pointing at its own; none kept when the query does not ask. */
static void replay_views(void **state)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL,
				  .ext = DIAG_EXT_INFO | DIAG_EXT_MEMORY };
	struct lsock_vec out = { 0 };
	size_t len, infos = 0;
	char *buf = test_read_file(LISTEN_DATA_DIR "/views.nl", &len);

	(void)state;
	assert_int_equal(diag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.len, 9); /* views.ss: 3 UDP, 6 TCP */
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock *sk = &out.v[i];
		const struct lsock_ext *e = lsock_vec_ext(&out, sk);

		assert_non_null(e);
		assert_int_equal(e->nskmem, LSOCK_SKMEM_MAX);
		assert_true(e->skmem[LSOCK_SKMEM_RCVBUF] > 0);
		if (sk->protocol == IPPROTO_UDP) {
			assert_false(e->has_info);
			continue;
		}
		assert_true(e->has_info);
		assert_string_equal(e->cong, "bbr");
		assert_int_equal(e->info.groups, LSOCK_TCPI_G_MAX); /* a 6.18 kernel's */
		/* bbr tells of itself for connections, not listeners. */
		assert_int_equal(e->cc.kind, sk->state == LSOCK_LISTEN ? LSOCK_CC_NONE :
					     LSOCK_CC_BBR);
		infos++;
		/* views.ss: the server ends got 50000 bytes, the clients 3000. */
		if (sk->state == LSOCK_ESTABLISHED && (sk->lport == 7001 || sk->lport == 7002)) {
			assert_int_equal(e->info.bytes_received, 50000);
			assert_int_equal(e->skmem[LSOCK_SKMEM_RMEM_ALLOC], 51664);
		} else if (sk->state == LSOCK_ESTABLISHED) {
			assert_int_equal(e->info.bytes_received, 3000);
			assert_int_equal(e->info.bytes_sent, 50000);
			assert_true(e->info.options & LSOCK_TCPI_TIMESTAMPS);
			assert_int_equal(sk->timer, LSOCK_TIMER_KEEPALIVE);
		}
	}
	assert_int_equal(infos, 6);
	lsock_vec_free(&out);

	/* Not asked: the records have none, as a dump without them. */
	all.ext = DIAG_EXT_MEMORY;
	assert_int_equal(diag_replay(&all, buf, len, &out), 0);
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock_ext *e = lsock_vec_ext(&out, &out.v[i]);

		assert_non_null(e);
		assert_false(e->has_info);
		assert_string_equal(e->cong, "");
	}
	lsock_vec_free(&out);
	all.ext = 0;
	assert_int_equal(diag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.ext_len, 0);
	for (size_t i = 0; i < out.len; i++)
		assert_null(lsock_vec_ext(&out, &out.v[i]));
	lsock_vec_free(&out);
	free(buf);
}

/* One TCP socket with a tcp_info of len bytes (of a bigger kernel's struct when len is more
 * than the headers' one), cwnd 10, rcv_wnd (past the headers' struct) 4242. */
static void put_info_sock(struct reply *r, size_t len)
{
	unsigned char raw[sizeof(struct tcp_info) + 64] = { 0 };
	struct tcp_info ti = { 0 };
	uint32_t rcv_wnd = 4242;

	ti.tcpi_snd_cwnd = 10;
	ti.tcpi_options = 4;
	ti.tcpi_snd_wscale = 7;
	ti.tcpi_rcv_wscale = 9;
	ti.tcpi_bytes_received = 77;
	ti.tcpi_snd_wnd = 65535;
	memcpy(raw, &ti, sizeof(ti));
	memcpy(raw + sizeof(ti), &rcv_wnd, sizeof(rcv_wnd));
	struct nlmsghdr *nlh = put_sock(r, AF_INET, LSOCK_ESTABLISHED, 80, 5000);

	mnl_attr_put(nlh, INET_DIAG_INFO, len, raw);
	end_msg(r, nlh);
}

/* tcp_info by its length: an old kernel's short struct leaves the later fields 0 and their
 * groups unsent; a newer kernel's longer one is cut to what listen knows; none is read past
 * the attribute. */
static void tcp_info_lengths(void **state)
{
	static const size_t lens[] = {
		0, 8, 104, offsetof(struct tcp_info, tcpi_bytes_acked),
		offsetof(struct tcp_info, tcpi_snd_wnd) + 4, sizeof(struct tcp_info) + 4,
		sizeof(struct tcp_info) + 64,
	};
	static const uint8_t groups[] = {
		0, 0, LSOCK_TCPI_G_PACING, LSOCK_TCPI_G_BYTES, LSOCK_TCPI_G_RCV_WND,
		LSOCK_TCPI_G_RCV_WND, LSOCK_TCPI_G_MAX,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct reply *r = calloc(1, sizeof(*r));
		struct lsock_vec out = { 0 };
		struct diag_parser p = { .out = &out, .protocol = IPPROTO_TCP,
					 .ext = DIAG_EXT_INFO };
		const struct lsock_ext *e;

		put_info_sock(r, lens[i]);
		put_done(r);
		assert_int_equal(diag_parse(&p, r->words, r->len), 0);
		assert_int_equal(out.len, 1);
		e = lsock_vec_ext(&out, &out.v[0]);
		assert_non_null(e);
		assert_true(e->has_info);
		assert_int_equal(e->info.len, lens[i]);
		assert_int_equal(e->info.groups, groups[i]);
		assert_int_equal(e->info.snd_cwnd, lens[i] >= 104 ? 10 : 0);
		assert_int_equal(e->info.snd_wscale, lens[i] >= 8 ? 7 : 0);
		assert_int_equal(e->info.rcv_wscale, lens[i] >= 8 ? 9 : 0);
		assert_int_equal(e->info.bytes_received, groups[i] > LSOCK_TCPI_G_BYTES ? 77 : 0);
		assert_int_equal(e->info.rcv_wnd, lens[i] > sizeof(struct tcp_info) ? 4242 : 0);
		lsock_vec_free(&out);
		free(r);
	}
}

/* skmeminfo of fewer fields than the oldest kernel's seven is none; more than listen knows
 * are cut; the congestion control's name is cut to its buffer and ends at its NUL; a record
 * the replayed bytecode drops takes its extension with it. */
static void skmem_and_cong(void **state)
{
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	struct diag_parser p = { .out = &out, .protocol = IPPROTO_TCP,
				 .ext = DIAG_EXT_INFO | DIAG_EXT_MEMORY };
	uint32_t mem[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct nlmsghdr *nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 80, 0);
	const struct lsock_ext *e;

	(void)state;
	mnl_attr_put(nlh, INET_DIAG_SKMEMINFO, 6 * 4, mem);
	end_msg(r, nlh);
	nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 81, 0);
	mnl_attr_put(nlh, INET_DIAG_SKMEMINFO, sizeof(mem), mem);
	mnl_attr_put(nlh, INET_DIAG_CONG, 40, "a-very-long-congestion-control-name-xxxxx");
	end_msg(r, nlh);
	nlh = put_sock(r, AF_INET, LSOCK_LISTEN, 82, 0);
	mnl_attr_put(nlh, INET_DIAG_SKMEMINFO, 8 * 4, mem);
	mnl_attr_put(nlh, INET_DIAG_CONG, 8, "cubic\0zz");
	end_msg(r, nlh);
	put_done(r);
	assert_int_equal(diag_parse(&p, r->words, r->len), 0);
	assert_int_equal(out.len, 3);
	assert_null(lsock_vec_ext(&out, &out.v[0]));
	e = lsock_vec_ext(&out, &out.v[1]);
	assert_non_null(e);
	assert_int_equal(e->nskmem, LSOCK_SKMEM_MAX);
	assert_int_equal(e->skmem[LSOCK_SKMEM_DROPS], 9);
	assert_string_equal(e->cong, "a-very-long-con");
	e = lsock_vec_ext(&out, &out.v[2]);
	assert_int_equal(e->nskmem, 8);
	assert_int_equal(e->skmem[LSOCK_SKMEM_DROPS], 0);
	assert_string_equal(e->cong, "cubic");
	assert_int_equal(out.ext_len, 2);
	lsock_vec_pop(&out);
	assert_int_equal(out.ext_len, 1);
	lsock_vec_free(&out);
	free(r);
}

/* One reply datagram of TCPDIAG_GETSOCK messages, a socket per port: port p is IPv6 where
 * "46"[k] of families is '6'; DONE ends it when done is set. */
static void put_tcpdiag(struct reply *r, const char *families, const uint16_t *ports, bool done)
{
	r->len = 0;
	for (size_t k = 0; families[k]; k++) {
		struct nlmsghdr *nlh = put_sock(r, families[k] == '6' ? AF_INET6 : AF_INET,
						LSOCK_ESTABLISHED, ports[k], 1);

		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		end_msg(r, nlh);
	}
	if (done)
		put_done(r);
}

/* A dump of both families (TCPDIAG_GETSOCK) replays as the two dumps of one family would
 * have come: IPv4 first, each in the kernel's order; each dump on its own. */
static void replay_both_families(void **state)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	static const uint16_t first[] = { 1, 2, 3, 4 }, second[] = { 5, 6 },
			      third[] = { 7, 8, 9, 10 }, want[] = { 2, 4, 5, 1, 3, 6, 8, 7, 9, 10 };
	struct reply *r = calloc(1, sizeof(*r));
	struct lsock_vec out = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	fputs(CAPTURE_MAGIC, f);
	put_tcpdiag(r, "6464", first, false); /* more IPv4 than IPv6 in the first dump */
	assert_int_equal(capture_write(f, CAPTURE_SOCK_DIAG, AF_UNSPEC, IPPROTO_TCP, r->words,
				       r->len), 0);
	put_tcpdiag(r, "46", second, true);
	assert_int_equal(capture_write(f, CAPTURE_SOCK_DIAG, AF_UNSPEC, IPPROTO_TCP, r->words,
				       r->len), 0);
	put_tcpdiag(r, "6466", third, true); /* fewer in the second: a namespace's own */
	assert_int_equal(capture_write(f, CAPTURE_SOCK_DIAG, AF_UNSPEC, IPPROTO_TCP, r->words,
				       r->len), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(diag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.len, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < out.len; i++) {
		assert_int_equal(out.v[i].lport, want[i]);
		assert_int_equal(out.v[i].family, i < 3 || i == 6 ? AF_INET : AF_INET6);
		assert_int_equal(out.v[i].protocol, IPPROTO_TCP);
	}
	lsock_vec_free(&out);
	free(buf);
	free(r);
}

static void replay_rejects_bad_captures(void **state)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct lsock_vec out = { 0 };
	unsigned char buf[64] = CAPTURE_MAGIC;
	struct capture_hdr h = { .family = AF_INET, .protocol = IPPROTO_TCP, .len = 100 };
	size_t magic = sizeof(CAPTURE_MAGIC) - 1;

	(void)state;
	assert_int_equal(diag_replay(&all, buf, magic, &out), 0); /* empty capture */
	assert_int_equal(diag_replay(&all, "LSNLCAP", 7, &out), -EBADMSG);
	assert_int_equal(diag_replay(&all, "XXXXXXXXXXXX", 12, &out), -EBADMSG);
	memcpy(buf + magic, &h, sizeof(h)); /* a record longer than the file */
	assert_int_equal(diag_replay(&all, buf, magic + sizeof(h) + 4, &out), -EBADMSG);
	assert_int_equal(diag_replay(&all, buf, magic + 3, &out), -EBADMSG); /* half a header */
	h.len = 0;
	h.protocol = 99; /* not TCP or UDP */
	memcpy(buf + magic, &h, sizeof(h));
	assert_int_equal(diag_replay(&all, buf, magic + sizeof(h), &out), -EBADMSG);
	h.protocol = IPPROTO_TCP;
	h.source = 7; /* a source this version does not know */
	memcpy(buf + magic, &h, sizeof(h));
	assert_int_equal(diag_replay(&all, buf, magic + sizeof(h), &out), -EBADMSG);
	h.source = CAPTURE_RTNL; /* interface records are not sockets: skipped */
	memcpy(buf + magic, &h, sizeof(h));
	assert_int_equal(diag_replay(&all, buf, magic + sizeof(h), &out), 0);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field),
		cmocka_unit_test(ipv4_copies_four_bytes),
		cmocka_unit_test(error_message),
		cmocka_unit_test(truncated_and_garbled),
		cmocka_unit_test(unknown_and_bad_attributes_are_skipped),
		cmocka_unit_test(dump_interrupted),
		cmocka_unit_test(replay_fixture),
		cmocka_unit_test(replay_views),
		cmocka_unit_test(tcp_info_lengths),
		cmocka_unit_test(skmem_and_cong),
		cmocka_unit_test(replay_both_families),
		cmocka_unit_test(replay_mptcp),
		cmocka_unit_test(replay_tcpinfo),
		cmocka_unit_test(md5_and_ulp_lengths),
		cmocka_unit_test(mptcp_info_lengths),
		cmocka_unit_test(scrub_keys),
		cmocka_unit_test(replay_sctp),
		cmocka_unit_test(done_with_error),
		cmocka_unit_test(replay_rejects_bad_captures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
