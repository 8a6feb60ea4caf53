/* Requests about one socket, built from its record: SOCK_DESTROY and the kernel's ack, and the
 * exact look-up that says whether it is still there. */
#include <errno.h>
#include <stdalign.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/destroy.h"
#include "listen/netlink.h"
#include "listen/sock.h"

/* A request of type (SOCK_DESTROY, or SOCK_DIAG_BY_FAMILY without NLM_F_DUMP: the one socket)
 * naming sk by its id; 0 when sk is not a TCP, UDP or MPTCP socket or buf is too small. */
static size_t exact_request(void *buf, size_t size, const struct lsock *sk, uint32_t seq,
			    uint16_t type, uint16_t flags)
{
	bool mptcp = sk->flags & LSOCK_MPTCP;
	struct inet_diag_req_v2 *r;
	struct nlmsghdr *nlh;
	size_t alen = sk->family == AF_INET ? 4 : 16;

	if (size < DESTROY_REQUEST_SIZE || (sk->family != AF_INET && sk->family != AF_INET6) ||
	    (sk->protocol != IPPROTO_TCP && sk->protocol != IPPROTO_UDP))
		return 0;
	memset(buf, 0, DESTROY_REQUEST_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = sk->family;
	r->sdiag_protocol = sk->protocol;
	r->idiag_states = UINT32_MAX;
	r->id.idiag_sport = htons(sk->lport);
	r->id.idiag_dport = htons(sk->rport);
	memcpy(r->id.idiag_src, sk->laddr, alen);
	memcpy(r->id.idiag_dst, sk->raddr, alen);
	r->id.idiag_if = sk->ifindex;
	if (sk->flags & LSOCK_PROCNET) {
		r->id.idiag_cookie[0] = r->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	} else {
		r->id.idiag_cookie[0] = (uint32_t)sk->cookie;
		r->id.idiag_cookie[1] = (uint32_t)(sk->cookie >> 32);
	}
	if (mptcp)
		mnl_attr_put_u32(nlh, INET_DIAG_REQ_PROTOCOL, IPPROTO_MPTCP);
	return nlh->nlmsg_len;
}

bool destroy_request_possible(const struct lsock *sk)
{
	return (sk->family == AF_INET || sk->family == AF_INET6) &&
	       (sk->protocol == IPPROTO_TCP || sk->protocol == IPPROTO_UDP) &&
	       !(sk->flags & LSOCK_MPTCP);
}

size_t destroy_request(void *buf, size_t size, const struct lsock *sk, uint32_t seq)
{
	return exact_request(buf, size, sk, seq, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK);
}

/* Only an ack is expected; anything else is not an answer. */
static int no_message(void *ctx, const struct nlmsghdr *nlh)
{
	(void)ctx, (void)nlh;
	return -EBADMSG;
}

int destroy_parse_ack(const void *buf, size_t len)
{
	bool interrupted = false;
	int r = netlink_walk(buf, len, &interrupted, no_message, NULL);

	return r == 1 ? -EBADMSG : r; /* 1: the datagram held no ack */
}

/* Send the request req (len bytes; 0: none could be made) on nl and receive the one
 * datagram that answers it into buf: its length, or -EOPNOTSUPP, or the negative errno of
 * sending or receiving. */
static ssize_t ask(struct mnl_socket *nl, const void *req, size_t len, void *buf, size_t size)
{
	ssize_t n;

	if (!len)
		return -EOPNOTSUPP;
	if (mnl_socket_sendto(nl, req, len) < 0)
		return -errno;
	do
		n = mnl_socket_recvfrom(nl, buf, size);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int destroy_socket(struct mnl_socket *nl, const struct lsock *sk, uint32_t seq)
{
	char req[DESTROY_REQUEST_SIZE];
	alignas(struct nlmsghdr) char buf[8192]; /* an ack carries the request back */
	ssize_t n = ask(nl, req, destroy_request(req, sizeof(req), sk, seq), buf, sizeof(buf));

	return n < 0 ? (int)n : destroy_parse_ack(buf, (size_t)n);
}

/* A socket's record in the reply: it is there. */
static int found(void *ctx, const struct nlmsghdr *nlh)
{
	(void)nlh;
	*(bool *)ctx = true;
	return 0;
}

int socket_still_there(struct mnl_socket *nl, const struct lsock *sk, uint32_t seq)
{
	char req[DESTROY_REQUEST_SIZE];
	/* One record with its attributes (none asked for), or an error. */
	alignas(struct nlmsghdr) char buf[8192];
	bool interrupted = false, there = false;
	ssize_t n;
	int r;

	/* mptcp_diag's exact look-up takes a connection's token in the cookie's place (and a
	 * listener has none): an MPTCP socket cannot be asked for by its cookie. */
	if (sk->flags & LSOCK_MPTCP)
		return -EOPNOTSUPP;
	n = ask(nl, req, exact_request(req, sizeof(req), sk, seq, SOCK_DIAG_BY_FAMILY,
				       NLM_F_REQUEST), buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	r = netlink_walk(buf, (size_t)n, &interrupted, found, &there);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : there ? 1 : -EBADMSG;
}

const char *destroy_strerror(const struct lsock *sk, int err)
{
	switch (err) {
	case -ENOENT:
		return "it was gone before it could be closed";
	case -EOPNOTSUPP:
		if (sk->protocol == IPPROTO_SCTP || sk->family == AF_VSOCK)
			return "the kernel cannot close it: SOCK_DESTROY does not close SCTP or "
			       "vsock sockets";
		return (sk->flags & LSOCK_MPTCP) ? "the kernel cannot close it: SOCK_DESTROY does "
						   "not close MPTCP sockets" :
		       "this kernel cannot close it (built without CONFIG_INET_DIAG_DESTROY?)";
	case -EPERM:
	case -EACCES:
		return "not permitted (CAP_NET_ADMIN is needed in its network namespace)";
	default:
		return strerror(-err);
	}
}
