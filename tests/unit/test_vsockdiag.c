/* Unit tests of the vsock_diag reply parser and its replay, on replies built by hand (no
 * kernel here has vsock_diag). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <linux/vm_sockets_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/sock.h"
#include "listen/vsockdiag.h"
#include "testutil.h"

/* Append to buf (at *len) one SOCK_DIAG_BY_FAMILY message for a vsock socket. */
static void put_sock(char *buf, size_t *len, uint8_t type, uint8_t state, uint32_t cid,
		     uint32_t port, uint32_t peer_cid, uint32_t peer_port, uint32_t ino)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + *len);
	struct vsock_diag_msg *m;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	*m = (struct vsock_diag_msg){ .vdiag_family = AF_VSOCK, .vdiag_type = type,
				      .vdiag_state = state, .vdiag_shutdown = 2,
				      .vdiag_src_cid = cid, .vdiag_src_port = port,
				      .vdiag_dst_cid = peer_cid, .vdiag_dst_port = peer_port,
				      .vdiag_ino = ino, .vdiag_cookie = { 7, 1 } };
	*len += nlh->nlmsg_len;
}

static void put_done(char *buf, size_t *len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + *len);

	nlh->nlmsg_type = NLMSG_DONE;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*len += nlh->nlmsg_len;
}

static void parses(void **state)
{
	char buf[1024] __attribute__((aligned(4))) = { 0 };
	size_t len = 0;
	struct lsock_vec out = { 0 };
	struct vsockdiag_parser p = { .out = &out };

	(void)state;
	put_sock(buf, &len, SOCK_STREAM, LSOCK_LISTEN, LSOCK_VSOCK_ANY, 1024, LSOCK_VSOCK_ANY,
		 LSOCK_VSOCK_ANY, 100);
	put_sock(buf, &len, SOCK_DGRAM, LSOCK_CLOSE, 3, 9999, LSOCK_VSOCK_ANY, LSOCK_VSOCK_ANY,
		 101);
	assert_int_equal(vsockdiag_parse(&p, buf, len), 1);
	put_done(buf, &len);
	out.len = 0;
	assert_int_equal(vsockdiag_parse(&p, buf, len), 0);
	assert_int_equal(out.len, 2);
	assert_int_equal(out.v[0].family, AF_VSOCK);
	assert_int_equal(out.v[0].type, SOCK_STREAM);
	assert_int_equal(out.v[0].state, LSOCK_LISTEN);
	assert_int_equal(out.v[0].vs.cid, LSOCK_VSOCK_ANY);
	assert_int_equal(out.v[0].vs.port, 1024);
	assert_int_equal(out.v[0].inode, 100);
	assert_int_equal(out.v[0].cookie, (1ull << 32) | 7);
	assert_true(out.v[0].flags & LSOCK_HAS_SHUTDOWN);
	assert_int_equal(out.v[0].shutdown, 2);
	assert_string_equal(lsock_netid(&out.v[0]), "v_str");
	assert_true(lsock_is_listener(&out.v[0]));
	assert_string_equal(lsock_netid(&out.v[1]), "v_dgr");
	/* Bound to a port, a datagram socket receives from any peer, as a UDP one does. */
	assert_true(lsock_is_listener(&out.v[1]));
	out.v[1].vs.port = LSOCK_VSOCK_ANY;
	assert_false(lsock_is_listener(&out.v[1]));
	assert_string_equal(lsock_family_name(AF_VSOCK), "vsock");

	/* A state mask drops what the kernel's would have. */
	out.len = 0;
	p.states = 1u << LSOCK_LISTEN;
	assert_int_equal(vsockdiag_parse(&p, buf, len), 0);
	assert_int_equal(out.len, 1);
	lsock_vec_free(&out);
}

/* Cut messages, an error, another family. */
static void rejects(void **state)
{
	char buf[512] __attribute__((aligned(4))) = { 0 };
	size_t len = 0;
	struct lsock_vec out = { 0 };
	struct vsockdiag_parser p = { .out = &out };
	struct nlmsghdr *nlh;

	(void)state;
	put_sock(buf, &len, SOCK_STREAM, LSOCK_LISTEN, 3, 1, 2, 2, 5);
	assert_int_equal(vsockdiag_parse(&p, buf, len - 1), -EBADMSG);
	nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_len = sizeof(*nlh) + 8; /* shorter than a vsock_diag_msg */
	assert_int_equal(vsockdiag_parse(&p, buf, nlh->nlmsg_len), -EBADMSG);
	memset(buf, 0, sizeof(buf));
	len = 0;
	put_sock(buf, &len, SOCK_STREAM, LSOCK_LISTEN, 3, 1, 2, 2, 5);
	((struct vsock_diag_msg *)mnl_nlmsg_get_payload((struct nlmsghdr *)buf))->vdiag_family =
		AF_UNIX;
	out.len = 0;
	assert_int_equal(vsockdiag_parse(&p, buf, len), 1);
	assert_int_equal(out.len, 0);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct nlmsgerr)) = -ENOENT;
	assert_int_equal(vsockdiag_parse(&p, buf, nlh->nlmsg_len), -ENOENT);
	lsock_vec_free(&out);
}

/* The hand-built capture (make-vsock.py): replayed with the states asked; the TCP and UDP
 * replay skips its datagrams. */
static void replay(void **state)
{
	struct diag_query all = { DIAG_VSOCK, 0, LSOCK_STATES_ALL };
	struct diag_query listening = { DIAG_VSOCK, 0, LSOCK_STATES_LISTENING };
	struct diag_query inet = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct lsock_vec out = { 0 };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/vsock.nl", &len);

	(void)state;
	assert_int_equal(vsockdiag_replay(&all, buf, len, &out), 0);
	assert_int_equal(out.len, 6);
	assert_int_equal(out.v[1].vs.cid, 3);
	assert_int_equal(out.v[1].vs.peer_cid, 2);
	assert_int_equal(out.v[1].vs.peer_port, 50123);
	out.len = 0;
	assert_int_equal(vsockdiag_replay(&listening, buf, len, &out), 0);
	assert_int_equal(out.len, 3); /* two listeners and the bound datagram socket */
	out.len = 0;
	assert_int_equal(diag_replay(&inet, buf, len, &out), 0);
	assert_int_equal(out.len, 0);
	lsock_vec_free(&out);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses),
		cmocka_unit_test(rejects),
		cmocka_unit_test(replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
