/* SOCK_DESTROY: one request per socket, built from its record, and the kernel's ack. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/destroy.h"
#include "listen/netlink.h"
#include "listen/sock.h"

size_t destroy_request(void *buf, size_t size, const struct lsock *sk, uint32_t seq)
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
	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
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

int destroy_socket(struct mnl_socket *nl, const struct lsock *sk, uint32_t seq)
{
	char req[DESTROY_REQUEST_SIZE], buf[8192]; /* an ack carries the request back */
	size_t len = destroy_request(req, sizeof(req), sk, seq);
	ssize_t n;

	if (!len)
		return -EOPNOTSUPP;
	if (mnl_socket_sendto(nl, req, len) < 0)
		return -errno;
	do
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return destroy_parse_ack(buf, (size_t)n);
}

const char *destroy_strerror(const struct lsock *sk, int err)
{
	switch (err) {
	case -ENOENT:
		return "it was gone before it could be closed";
	case -EOPNOTSUPP:
		if (sk->protocol == IPPROTO_SCTP)
			return "SOCK_DESTROY does not close SCTP sockets";
		return (sk->flags & LSOCK_MPTCP) ? "this kernel cannot close MPTCP sockets" :
		       "this kernel cannot close it (built without CONFIG_INET_DIAG_DESTROY?)";
	case -EPERM:
	case -EACCES:
		return "not permitted (CAP_NET_ADMIN is needed in its network namespace)";
	default:
		return strerror(-err);
	}
}
