/* Unit tests of the UNIX_DIAG reply parser, the capture replay, the record's name store and
 * the /proc/net/unix fallback's parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/procnet.h"
#include "listen/sock.h"
#include "listen/unixdiag.h"
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

static struct nlmsghdr *put_sock(struct reply *r, uint8_t type, uint8_t state, uint32_t ino)
{
	struct nlmsghdr *nlh = put_msg(r, SOCK_DIAG_BY_FAMILY);
	struct unix_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->udiag_family = AF_UNIX;
	m->udiag_type = type;
	m->udiag_state = state;
	m->udiag_ino = ino;
	m->udiag_cookie[0] = 0x1234;
	m->udiag_cookie[1] = 1;
	return nlh;
}

static void put_done(struct reply *r)
{
	struct nlmsghdr *nlh = put_msg(r, NLMSG_DONE);

	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	end_msg(r, nlh);
}

static int parse(struct reply *r, struct lsock_vec *out, uint32_t states)
{
	struct unixdiag_parser p = { .out = out, .states = states };

	return unixdiag_parse(&p, r->words, r->len);
}

/* Every attribute lands in its field; a path ends at its NUL, an abstract name keeps all. */
static void every_field(void **state)
{
	static struct reply r;
	struct lsock_vec out = { 0 };
	struct unix_diag_vfs vfs = { .udiag_vfs_ino = 77, .udiag_vfs_dev = 254u << 20 | 3 };
	struct unix_diag_rqlen q = { 2, 128 };
	struct nlmsghdr *nlh;

	(void)state;
	r.len = 0;
	nlh = put_sock(&r, SOCK_STREAM, LSOCK_LISTEN, 1001);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof("/run/a.sock"), "/run/a.sock");
	mnl_attr_put(nlh, UNIX_DIAG_VFS, sizeof(vfs), &vfs);
	mnl_attr_put(nlh, UNIX_DIAG_RQLEN, sizeof(q), &q);
	mnl_attr_put_u32(nlh, UNIX_DIAG_UID, 1000);
	mnl_attr_put_u8(nlh, UNIX_DIAG_SHUTDOWN, 2);
	end_msg(&r, nlh);
	nlh = put_sock(&r, SOCK_SEQPACKET, LSOCK_ESTABLISHED, 1002);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, 7, "\0ab\0c\n\xff");
	mnl_attr_put_u32(nlh, UNIX_DIAG_PEER, 1003);
	end_msg(&r, nlh);
	nlh = put_sock(&r, SOCK_DGRAM, LSOCK_CLOSE, 1004); /* unbound, nothing known */
	end_msg(&r, nlh);
	put_done(&r);

	assert_int_equal(parse(&r, &out, 0), 0);
	assert_int_equal(out.len, 3);

	const struct lsock *a = &out.v[0], *b = &out.v[1], *c = &out.v[2];

	assert_int_equal(a->family, AF_UNIX);
	assert_int_equal(a->protocol, 0);
	assert_int_equal(a->type, SOCK_STREAM);
	assert_int_equal(a->state, LSOCK_LISTEN);
	assert_int_equal(a->inode, 1001);
	assert_true(a->cookie == (1ull << 32 | 0x1234));
	assert_int_equal(a->un.name_len, strlen("/run/a.sock"));
	assert_memory_equal(a->un.name, "/run/a.sock", a->un.name_len);
	assert_false(lsock_unix_abstract(a));
	assert_int_equal(a->un.flags, LSOCK_UNIX_NAME | LSOCK_UNIX_VFS | LSOCK_UNIX_QUEUES |
					  LSOCK_UNIX_UID);
	assert_int_equal(a->un.vfs_ino, 77);
	assert_int_equal(a->un.vfs_dev, 254u << 20 | 3);
	assert_int_equal(a->rqueue, 2);
	assert_int_equal(a->wqueue, 128);
	assert_int_equal(a->uid, 1000);
	assert_true(a->flags & LSOCK_HAS_SHUTDOWN);
	assert_int_equal(a->shutdown, 2);
	assert_true(lsock_is_listener(a));
	assert_string_equal(lsock_netid(a), "u_str");

	assert_true(lsock_unix_abstract(b));
	assert_int_equal(b->un.name_len, 7);
	assert_memory_equal(b->un.name, "\0ab\0c\n\xff", 7);
	assert_int_equal(b->un.flags, LSOCK_UNIX_NAME | LSOCK_UNIX_PEER);
	assert_int_equal(b->un.peer, 1003);
	assert_false(lsock_is_listener(b));
	assert_string_equal(lsock_netid(b), "u_seq");

	assert_int_equal(c->un.flags, 0);
	assert_false(lsock_is_listener(c)); /* unbound: nobody can send to it */
	assert_string_equal(lsock_netid(c), "u_dgr");
	assert_string_equal(lsock_unix_type_name(c->type), "dgram");
	assert_string_equal(lsock_family_name(c->family), "unix");

	/* The parser drops states it was not asked for, as the kernel's mask does. */
	out.len = 0;
	assert_int_equal(parse(&r, &out, 1u << LSOCK_LISTEN), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].inode, 1001);
	lsock_vec_free(&out);
}

/* Short messages are malformed; short or unknown attributes are skipped. */
static void malformed(void **state)
{
	static struct reply r;
	struct lsock_vec out = { 0 };
	struct nlmsghdr *nlh;

	(void)state;
	r.len = 0;
	nlh = put_sock(&r, SOCK_STREAM, LSOCK_ESTABLISHED, 5);
	mnl_attr_put_u8(nlh, UNIX_DIAG_PEER, 1);       /* too short for a u32 */
	mnl_attr_put(nlh, UNIX_DIAG_VFS, 4, "abcd");  /* too short for the struct */
	mnl_attr_put_u32(nlh, 200, 1);                 /* unknown */
	end_msg(&r, nlh);
	put_done(&r);
	assert_int_equal(parse(&r, &out, 0), 0);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.v[0].un.flags, 0);

	r.len = 0;
	nlh = put_msg(&r, SOCK_DIAG_BY_FAMILY);
	mnl_nlmsg_put_extra_header(nlh, 4); /* shorter than unix_diag_msg */
	end_msg(&r, nlh);
	out.len = 0;
	assert_int_equal(parse(&r, &out, 0), -EBADMSG);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
}

/* Names outlive the blocks they were written in: many names, each where it was put. */
static void name_store(void **state)
{
	struct lsock_vec out = { 0 };
	char name[300];

	(void)state;
	for (int i = 0; i < 2000; i++) {
		struct lsock *sk = lsock_vec_push(&out);

		assert_non_null(sk);
		sk->family = AF_UNIX;
		memset(name, 'a' + i % 26, sizeof(name));
		assert_int_equal(lsock_vec_name(&out, sk, name, (size_t)(i % 300)), 0);
	}
	for (int i = 0; i < 2000; i++) {
		assert_int_equal(out.v[i].un.name_len, i % 300);
		for (int k = 0; k < i % 300; k++)
			assert_int_equal(out.v[i].un.name[k], 'a' + i % 26);
	}
	lsock_vec_free(&out);
}

/* The captured fixture (tests/data/unix.nl: unix.ss lists the same sockets). */
static void replay_fixture(void **state)
{
	struct diag_query all = { DIAG_UNIX, 0, LSOCK_STATES_ALL };
	struct diag_query listening = { DIAG_UNIX, 0, LSOCK_STATES_LISTENING };
	struct lsock_vec out = { 0 };
	size_t len, abstract = 0, paths = 0, peers = 0, types[6] = { 0 };
	char *buf = test_read_file(LISTEN_DATA_DIR "/unix.nl", &len);

	(void)state;
	assert_int_equal(unixdiag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.len, 21);
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock *sk = &out.v[i];

		abstract += lsock_unix_abstract(sk);
		paths += (sk->un.flags & LSOCK_UNIX_VFS) != 0;
		peers += sk->un.peer != 0;
		if (sk->type < 6)
			types[sk->type]++;
		assert_true(sk->un.flags & LSOCK_UNIX_QUEUES);
		assert_true(sk->un.flags & LSOCK_UNIX_UID);
	}
	assert_int_equal(abstract, 4);
	assert_int_equal(paths, 5); /* 4 bound, and the accepted end shares its listener's */
	assert_int_equal(peers, 9);
	assert_int_equal(types[SOCK_STREAM], 10);
	assert_int_equal(types[SOCK_DGRAM], 6);
	assert_int_equal(types[SOCK_SEQPACKET], 5);

	/* The inet replay skips unix datagrams; the unix replay keeps only its states. */
	struct diag_query inet = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };

	out.len = 0;
	assert_int_equal(diag_replay(&inet, buf, len, &out), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(unixdiag_replay(&listening, buf, len, &out), 0);
	assert_int_equal(out.len, 10);
	lsock_vec_free(&out);
	free(buf);
}

/* UNIX_DIAG_MEMINFO, read by its length as INET_DIAG_SKMEMINFO is, into the record's
 * lsock_ext only when -m asked for it: a kernel's nine fields, an old kernel's seven, a newer
 * one's twelve (the nine listen knows), and five (not a skmeminfo: none). */
static void meminfo(void **state)
{
	static struct reply r;
	struct lsock_vec out = { 0 };
	uint32_t mem[12];
	struct nlmsghdr *nlh;
	const struct lsock_ext *e;
	static const size_t counts[] = { 9, 7, 12, 5 };

	(void)state;
	for (uint32_t i = 0; i < 12; i++)
		mem[i] = 100 + i;
	r.len = 0;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		nlh = put_sock(&r, SOCK_STREAM, LSOCK_ESTABLISHED, 2001 + (uint32_t)i);
		mnl_attr_put(nlh, UNIX_DIAG_MEMINFO, counts[i] * sizeof(uint32_t), mem);
		end_msg(&r, nlh);
	}
	nlh = put_sock(&r, SOCK_DGRAM, LSOCK_CLOSE, 2005); /* none sent */
	end_msg(&r, nlh);
	put_done(&r);

	/* Not asked: no lsock_ext, whatever the reply holds (a capture made with -m). */
	assert_int_equal(parse(&r, &out, 0), 0);
	assert_int_equal(out.len, 5);
	assert_int_equal(out.ext_len, 0);
	for (size_t i = 0; i < out.len; i++)
		assert_null(lsock_vec_ext(&out, &out.v[i]));

	struct unixdiag_parser p = { .out = &out, .ext = DIAG_EXT_MEMORY };

	out.len = 0;
	assert_int_equal(unixdiag_parse(&p, r.words, r.len), 0);
	assert_int_equal(out.len, 5);
	assert_int_equal(out.ext_len, 3);
	e = lsock_vec_ext(&out, &out.v[0]);
	assert_non_null(e);
	assert_int_equal(e->nskmem, LSOCK_SKMEM_MAX);
	assert_int_equal(e->skmem[LSOCK_SKMEM_RMEM_ALLOC], 100);
	assert_int_equal(e->skmem[LSOCK_SKMEM_WMEM_ALLOC], 102);
	assert_int_equal(e->skmem[LSOCK_SKMEM_DROPS], 108);
	assert_false(e->has_info);
	e = lsock_vec_ext(&out, &out.v[1]);
	assert_non_null(e);
	assert_int_equal(e->nskmem, 7);
	assert_int_equal(e->skmem[LSOCK_SKMEM_OPTMEM], 106);
	assert_int_equal(e->skmem[LSOCK_SKMEM_BACKLOG], 0);
	e = lsock_vec_ext(&out, &out.v[2]);
	assert_non_null(e);
	assert_int_equal(e->nskmem, LSOCK_SKMEM_MAX);
	assert_int_equal(e->skmem[LSOCK_SKMEM_DROPS], 108);
	assert_null(lsock_vec_ext(&out, &out.v[3]));
	assert_null(lsock_vec_ext(&out, &out.v[4]));
	/* The queues still come from UNIX_DIAG_RQLEN alone. */
	assert_false(out.v[0].un.flags & LSOCK_UNIX_QUEUES);
	lsock_vec_free(&out);
}

/* The -m fixture (tests/data/skmem.nl, taken with -x0am; skmem.ss lists the same sockets):
 * every unix socket has its memory, the senders' bytes in t as ss shows them; replayed
 * without -m, none. */
static void replay_meminfo(void **state)
{
	struct diag_query q = { DIAG_UNIX, 0, LSOCK_STATES_ALL };
	struct lsock_vec out = { 0 };
	size_t len, sent = 0;
	char *buf = test_read_file(LISTEN_DATA_DIR "/skmem.nl", &len);

	(void)state;
	q.ext = DIAG_EXT_MEMORY;
	assert_int_equal(unixdiag_replay(&q, buf, len, &out), 0);
	assert_int_equal(out.len, 10);
	assert_int_equal(out.ext_len, 10);
	for (size_t i = 0; i < out.len; i++) {
		const struct lsock_ext *e = lsock_vec_ext(&out, &out.v[i]);

		assert_non_null(e);
		assert_int_equal(e->nskmem, LSOCK_SKMEM_MAX);
		assert_int_equal(e->skmem[LSOCK_SKMEM_RCVBUF], 212992);
		/* A unix socket's bytes are charged to the sender: r is 0, t is what it sent. */
		assert_int_equal(e->skmem[LSOCK_SKMEM_RMEM_ALLOC], 0);
		sent += e->skmem[LSOCK_SKMEM_WMEM_ALLOC];
		if (out.v[i].inode == 151368419)
			assert_int_equal(e->skmem[LSOCK_SKMEM_WMEM_ALLOC], 2304);
	}
	assert_int_equal(sent, 2304 + 1280 + 1280 + 3840);
	lsock_vec_free(&out);
	q.ext = 0;
	assert_int_equal(unixdiag_replay(&q, buf, len, &out), 0);
	assert_int_equal(out.len, 10);
	assert_int_equal(out.ext_len, 0);
	lsock_vec_free(&out);
	free(buf);
}

/* /proc/net/unix: listeners by their flag, abstract names from '@', paths whole. */
static void procnet_unix(void **state)
{
	static const char table[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 101 /run/a b.sock\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 102 @abs@x\n"
		"0000000000000000: 00000003 00000000 00000000 0005 03 103\n"
		"0000000000000000: 00000002 00000000 00000000 0001 02 104\n";
	struct diag_query all = { DIAG_UNIX, 0, LSOCK_STATES_ALL };
	struct diag_query listening = { DIAG_UNIX, 0, LSOCK_STATES_LISTENING };
	struct lsock_vec out = { 0 };

	(void)state;
	assert_int_equal(procnet_unix_parse(&all, table, sizeof(table) - 1, &out), 0);
	assert_int_equal(out.len, 4);
	assert_int_equal(out.v[0].state, LSOCK_LISTEN);
	assert_int_equal(out.v[0].type, SOCK_STREAM);
	assert_int_equal(out.v[0].un.name_len, strlen("/run/a b.sock"));
	assert_memory_equal(out.v[0].un.name, "/run/a b.sock", out.v[0].un.name_len);
	assert_true(out.v[0].flags & LSOCK_PROCNET);
	assert_int_equal(out.v[1].state, LSOCK_CLOSE);
	assert_true(lsock_unix_abstract(&out.v[1]));
	assert_memory_equal(out.v[1].un.name, "\0abs@x", 6);
	assert_int_equal(out.v[2].state, LSOCK_ESTABLISHED);
	assert_int_equal(out.v[2].type, SOCK_SEQPACKET);
	assert_int_equal(out.v[2].un.flags, 0);
	assert_int_equal(out.v[3].state, LSOCK_SYN_SENT);

	out.len = 0;
	assert_int_equal(procnet_unix_parse(&listening, table, sizeof(table) - 1, &out), 0);
	assert_int_equal(out.len, 2);
	/* Not the table: nothing kept. */
	out.len = 0;
	assert_int_equal(procnet_unix_parse(&all, "garbage\n1 2 3\n", 14, &out), -EBADMSG);
	assert_int_equal(procnet_unix_parse(&all, table, 70, &out), -EBADMSG);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field),
		cmocka_unit_test(malformed),
		cmocka_unit_test(name_store),
		cmocka_unit_test(replay_fixture),
		cmocka_unit_test(meminfo),
		cmocka_unit_test(replay_meminfo),
		cmocka_unit_test(procnet_unix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
