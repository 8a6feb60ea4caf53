/* The vsock collector: one vsock_diag dump of every type, parsed apart from the I/O. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <linux/vm_sockets_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/capture.h"
#include "listen/diag.h"
#include "listen/netlink.h"
#include "listen/sock.h"
#include "listen/vsockdiag.h"

/* A dump that keeps being interrupted by concurrent changes is retried this many times. */

static int parse_sock(struct vsockdiag_parser *p, const struct nlmsghdr *nlh)
{
	const struct vsock_diag_msg *m;
	struct lsock *sk;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return -EBADMSG;
	m = mnl_nlmsg_get_payload(nlh);
	if (m->vdiag_family != AF_VSOCK)
		return 0;
	if (p->states && (m->vdiag_state >= 32 || !(p->states & (1u << m->vdiag_state))))
		return 0;
	sk = lsock_vec_push(p->out);
	if (!sk)
		return -ENOMEM;
	sk->family = AF_VSOCK;
	sk->type = m->vdiag_type;
	sk->state = m->vdiag_state; /* the TCP states' numbers, as for TCP */
	sk->flags |= LSOCK_HAS_SHUTDOWN;
	sk->shutdown = m->vdiag_shutdown & 3;
	sk->inode = m->vdiag_ino;
	sk->cookie = (uint64_t)m->vdiag_cookie[1] << 32 | m->vdiag_cookie[0];
	sk->vs.cid = m->vdiag_src_cid;
	sk->vs.port = m->vdiag_src_port;
	sk->vs.peer_cid = m->vdiag_dst_cid;
	sk->vs.peer_port = m->vdiag_dst_port;
	return 0;
}

static int parse_msg(void *ctx, const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY ? parse_sock(ctx, nlh) : 0;
}

int vsockdiag_parse(struct vsockdiag_parser *p, const void *buf, size_t len)
{
	return netlink_walk(buf, len, &p->interrupted, parse_msg, p);
}

/* What one dump needs besides its socket. */
struct dump_arg {
	const struct diag_query *q;
	struct lsock_vec *out;
	FILE *capture;
};

/* Run the dump to its end (a netlink_dump_fn). Returns 0, -EAGAIN when it must be restarted,
 * or a negative errno. */
static int dump_all(struct mnl_socket *nl, void *buf, uint32_t seq, void *arg)
{
	const struct dump_arg *d = arg;
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct vsock_diag_req))] = { 0 };
	struct vsockdiag_parser p = { .out = d->out };
	struct netlink_capture cap = { d->capture, CAPTURE_SOCK_DIAG, AF_VSOCK, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct vsock_diag_req *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = AF_VSOCK;
	r->vdiag_states = d->q->states;
	return netlink_dump(nl, buf, nlh, parse_msg, &p, &cap);
}

int vsockdiag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture)
{
	struct dump_arg d = { q, out, capture };

	return netlink_dump_whole(dump_all, &d, &out->len, capture != NULL);
}

static int replay_msg(void *parser, const void *payload, size_t len)
{
	return vsockdiag_parse(parser, payload, len);
}

int vsockdiag_replay(const struct diag_query *q, const void *buf, size_t len,
		     struct lsock_vec *out)
{
	struct vsockdiag_parser p = { .out = out, .states = q->states };

	return capture_replay(buf, len, AF_VSOCK, replay_msg, &p);
}
