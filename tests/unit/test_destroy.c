/* Unit tests of SOCK_DESTROY's requests and the kernel's acks to them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/destroy.h"
#include "listen/sock.h"

/* An established TCP socket over IPv4, as the dump gave it. */
static struct lsock tcp4(void)
{
	struct lsock sk = { .family = AF_INET, .protocol = IPPROTO_TCP,
			    .state = LSOCK_ESTABLISHED, .lport = 6001, .rport = 48682,
			    .ifindex = 3, .cookie = 0x0000000100c52f26ull };

	inet_pton(AF_INET, "127.0.0.1", sk.laddr);
	inet_pton(AF_INET, "10.1.2.3", sk.raddr);
	return sk;
}

/* The request names the socket exactly: family, protocol, both ends, device, cookie. */
static void request_tcp4(void **state)
{
	char buf[DESTROY_REQUEST_SIZE];
	struct lsock sk = tcp4();
	size_t len = destroy_request(buf, sizeof(buf), &sk, 42);
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct inet_diag_req_v2 *r = mnl_nlmsg_get_payload(nlh);
	unsigned char want[4];

	(void)state;
	assert_int_equal(len, NLMSG_LENGTH(sizeof(*r)));
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_type, SOCK_DESTROY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 42);
	assert_int_equal(r->sdiag_family, AF_INET);
	assert_int_equal(r->sdiag_protocol, IPPROTO_TCP);
	assert_int_equal(r->id.idiag_sport, htons(6001));
	assert_int_equal(r->id.idiag_dport, htons(48682));
	inet_pton(AF_INET, "127.0.0.1", want);
	assert_memory_equal(r->id.idiag_src, want, 4);
	inet_pton(AF_INET, "10.1.2.3", want);
	assert_memory_equal(r->id.idiag_dst, want, 4);
	assert_int_equal(r->id.idiag_if, 3);
	assert_int_equal(r->id.idiag_cookie[0], 0x00c52f26);
	assert_int_equal(r->id.idiag_cookie[1], 1);
}

/* A record from /proc/net has no cookie: the kernel goes by the addresses. MPTCP's protocol
 * goes in an attribute. IPv6 takes all 16 bytes. */
static void request_variants(void **state)
{
	char buf[DESTROY_REQUEST_SIZE];
	struct lsock sk = tcp4();
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct inet_diag_req_v2 *r = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	(void)state;
	sk.flags |= LSOCK_PROCNET;
	assert_true(destroy_request(buf, sizeof(buf), &sk, 1) > 0);
	assert_int_equal(r->id.idiag_cookie[0], INET_DIAG_NOCOOKIE);
	assert_int_equal(r->id.idiag_cookie[1], INET_DIAG_NOCOOKIE);

	sk = tcp4();
	sk.flags |= LSOCK_MPTCP;
	assert_int_equal(destroy_request(buf, sizeof(buf), &sk, 1),
			 NLMSG_LENGTH(sizeof(*r)) + MNL_ATTR_HDRLEN + 4);
	a = (const void *)(buf + NLMSG_LENGTH(sizeof(*r)));
	assert_int_equal(mnl_attr_get_type(a), INET_DIAG_REQ_PROTOCOL);
	assert_int_equal(mnl_attr_get_u32(a), IPPROTO_MPTCP);

	sk = (struct lsock){ .family = AF_INET6, .protocol = IPPROTO_UDP, .lport = 53 };
	inet_pton(AF_INET6, "2001:db8::1", sk.laddr);
	assert_true(destroy_request(buf, sizeof(buf), &sk, 1) > 0);
	assert_int_equal(r->sdiag_family, AF_INET6);
	assert_int_equal(r->sdiag_protocol, IPPROTO_UDP);
	assert_memory_equal(r->id.idiag_src, sk.laddr, 16);

	/* Not a socket SOCK_DESTROY takes, or no room. */
	sk = (struct lsock){ .family = AF_UNIX };
	assert_int_equal(destroy_request(buf, sizeof(buf), &sk, 1), 0);
	sk = tcp4();
	sk.protocol = IPPROTO_SCTP;
	assert_int_equal(destroy_request(buf, sizeof(buf), &sk, 1), 0);
	sk = tcp4();
	assert_int_equal(destroy_request(buf, DESTROY_REQUEST_SIZE - 1, &sk, 1), 0);

	/* What the kernel can close (--dry-run's prediction): TCP and UDP, not MPTCP, SCTP,
	 * vsock or unix. */
	sk = tcp4();
	assert_true(destroy_request_possible(&sk));
	sk.flags |= LSOCK_MPTCP;
	assert_false(destroy_request_possible(&sk));
	sk = tcp4();
	sk.protocol = IPPROTO_SCTP;
	assert_false(destroy_request_possible(&sk));
	sk = (struct lsock){ .family = AF_VSOCK };
	assert_false(destroy_request_possible(&sk));
	sk = (struct lsock){ .family = AF_INET6, .protocol = IPPROTO_UDP };
	assert_true(destroy_request_possible(&sk));
}

/* An NLMSG_ERROR carrying err (0: the ack of success) into buf; its length. */
static size_t ack(char *buf, int err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	return nlh->nlmsg_len;
}

static void acks(void **state)
{
	char buf[256] = { 0 };
	size_t len;

	(void)state;
	assert_int_equal(destroy_parse_ack(buf, ack(buf, 0)), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(destroy_parse_ack(buf, ack(buf, -ENOENT)), -ENOENT);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(destroy_parse_ack(buf, ack(buf, -EOPNOTSUPP)), -EOPNOTSUPP);
	/* Cut, not an ack, an error past the errnos, nothing. */
	memset(buf, 0, sizeof(buf));
	len = ack(buf, 0);
	assert_int_equal(destroy_parse_ack(buf, len - 1), -EBADMSG);
	((struct nlmsghdr *)buf)->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	assert_int_equal(destroy_parse_ack(buf, len), -EBADMSG);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(destroy_parse_ack(buf, ack(buf, -5000)), -EBADMSG);
	assert_int_equal(destroy_parse_ack(buf, 0), -EBADMSG);
}

/* The reasons said for a socket not closed. */
static void reasons(void **state)
{
	char buf[DESTROY_REQUEST_SIZE];
	struct lsock sk = tcp4();

	(void)state;
	assert_string_equal(destroy_strerror(&sk, -ENOENT),
			    "it was gone before it could be closed");
	assert_non_null(strstr(destroy_strerror(&sk, -EPERM), "CAP_NET_ADMIN"));
	sk.flags |= LSOCK_MPTCP;
	assert_string_equal(destroy_strerror(&sk, -EOPNOTSUPP),
			    "the kernel cannot close it: SOCK_DESTROY does not close MPTCP "
			    "sockets");
	assert_string_equal(destroy_strerror(&sk, -EBUSY), strerror(EBUSY));
	sk = tcp4();
	sk.protocol = IPPROTO_SCTP;
	assert_string_equal(destroy_strerror(&sk, -EOPNOTSUPP),
			    "the kernel cannot close it: SOCK_DESTROY does not close SCTP or vsock "
			    "sockets");
	sk = (struct lsock){ .family = AF_VSOCK, .type = SOCK_STREAM };
	assert_string_equal(destroy_strerror(&sk, -EOPNOTSUPP),
			    "the kernel cannot close it: SOCK_DESTROY does not close SCTP or vsock "
			    "sockets");
	assert_int_equal(destroy_request(buf, sizeof(buf), &sk, 1), 0);
	/* Nothing to ask of the kernel for vsock, SCTP or MPTCP sockets (mptcp_diag's exact
	 * look-up takes a token, not the cookie): not asked, so never taken for gone. */
	assert_int_equal(socket_still_there(NULL, &sk, 1), -EOPNOTSUPP);
	sk = tcp4();
	sk.flags |= LSOCK_MPTCP;
	assert_int_equal(socket_still_there(NULL, &sk, 1), -EOPNOTSUPP);
	sk.protocol = IPPROTO_SCTP;
	sk.flags = 0;
	assert_int_equal(socket_still_there(NULL, &sk, 1), -EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_tcp4),
		cmocka_unit_test(request_variants),
		cmocka_unit_test(acks),
		cmocka_unit_test(reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
