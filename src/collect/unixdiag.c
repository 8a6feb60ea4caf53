/* The unix socket collector: one UNIX_DIAG dump of every type, parsed apart from the I/O. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_ext.h"
#include "listen/capture.h"
#include "listen/diag.h"
#include "listen/netlink.h"
#include "listen/sock.h"
#include "listen/unixdiag.h"

/* UNIX_DIAG_UID and UDIAG_SHOW_UID came with Linux 5.3; older headers lack them. */
#ifndef UDIAG_SHOW_UID
#define UDIAG_SHOW_UID 0x00000040
#define UNIX_DIAG_UID 7
#endif
#define UNIXDIAG_ATTR_MAX (UNIX_DIAG_UID > UNIX_DIAG_MAX ? UNIX_DIAG_UID : UNIX_DIAG_MAX)

/* Keep the attributes we know with the length we expect; skip everything else. */
static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	size_t need;

	switch (type) {
	case UNIX_DIAG_NAME:
	case UNIX_DIAG_SHUTDOWN:
		need = 1;
		break;
	case UNIX_DIAG_PEER:
	case UNIX_DIAG_UID:
		need = sizeof(uint32_t);
		break;
	case UNIX_DIAG_VFS:
		need = sizeof(struct unix_diag_vfs);
		break;
	case UNIX_DIAG_RQLEN:
		need = sizeof(struct unix_diag_rqlen);
		break;
	case UNIX_DIAG_MEMINFO: /* read by its length (diag_ext_skmem) */
		need = 0;
		break;
	default:
		return MNL_CB_OK;
	}
	if (len >= need)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_sock(struct unixdiag_parser *p, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[UNIXDIAG_ATTR_MAX + 1] = { 0 };
	const struct unix_diag_msg *m;
	struct lsock *sk;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return -EBADMSG;
	m = mnl_nlmsg_get_payload(nlh);
	if (m->udiag_family != AF_UNIX)
		return 0;
	if (p->states && (m->udiag_state >= 32 || !(p->states & (1u << m->udiag_state))))
		return 0;
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);

	sk = lsock_vec_push(p->out);
	if (!sk)
		return -ENOMEM;
	sk->family = AF_UNIX;
	sk->type = m->udiag_type;
	sk->state = m->udiag_state;
	sk->inode = m->udiag_ino;
	sk->cookie = (uint64_t)m->udiag_cookie[1] << 32 | m->udiag_cookie[0];
	if (tb[UNIX_DIAG_NAME]) {
		const char *name = mnl_attr_get_payload(tb[UNIX_DIAG_NAME]);
		size_t len = mnl_attr_get_payload_len(tb[UNIX_DIAG_NAME]);

		/* A path ends at its NUL (bind's length may count it); an abstract name is
		 * every byte after its leading NUL. */
		if (name[0])
			len = strnlen(name, len);
		if (lsock_vec_name(p->out, sk, name, len) < 0) {
			p->out->len--;
			return -ENOMEM;
		}
	}
	if (tb[UNIX_DIAG_PEER]) {
		sk->un.flags |= LSOCK_UNIX_PEER;
		sk->un.peer = mnl_attr_get_u32(tb[UNIX_DIAG_PEER]);
	}
	if (tb[UNIX_DIAG_VFS]) {
		const struct unix_diag_vfs *v = mnl_attr_get_payload(tb[UNIX_DIAG_VFS]);

		sk->un.flags |= LSOCK_UNIX_VFS;
		sk->un.vfs_dev = v->udiag_vfs_dev;
		sk->un.vfs_ino = v->udiag_vfs_ino;
	}
	if (tb[UNIX_DIAG_RQLEN]) {
		const struct unix_diag_rqlen *q = mnl_attr_get_payload(tb[UNIX_DIAG_RQLEN]);

		sk->un.flags |= LSOCK_UNIX_QUEUES;
		sk->rqueue = q->udiag_rqueue;
		sk->wqueue = q->udiag_wqueue;
	}
	if (tb[UNIX_DIAG_SHUTDOWN]) {
		sk->flags |= LSOCK_HAS_SHUTDOWN;
		sk->shutdown = mnl_attr_get_u8(tb[UNIX_DIAG_SHUTDOWN]) & 3;
	}
	if (tb[UNIX_DIAG_UID]) {
		sk->un.flags |= LSOCK_UNIX_UID;
		sk->uid = mnl_attr_get_u32(tb[UNIX_DIAG_UID]);
	}
	if (tb[UNIX_DIAG_MEMINFO] && (p->ext & DIAG_EXT_MEMORY))
		return diag_ext_keep_skmem(p->out, sk, tb[UNIX_DIAG_MEMINFO]);
	return 0;
}

static int parse_msg(void *ctx, const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY ? parse_sock(ctx, nlh) : 0;
}

int unixdiag_parse(struct unixdiag_parser *p, const void *buf, size_t len)
{
	return netlink_walk(buf, len, &p->interrupted, parse_msg, p);
}

/* What one dump needs besides its socket. */
struct dump_arg {
	const struct diag_query *q;
	struct lsock_vec *out;
	FILE *capture;
	size_t ext_mark; /* the records' lsock_ext before the dump: a new try starts there */
};

/* Run the dump to its end (a netlink_dump_fn). Returns 0, -EAGAIN when it must be restarted,
 * or a negative errno. */
static int dump_all(struct mnl_socket *nl, void *buf, uint32_t seq, void *arg)
{
	const struct dump_arg *d = arg;
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct unix_diag_req))] = { 0 };
	struct unixdiag_parser p = { .out = d->out, .ext = d->q->ext };
	struct netlink_capture cap = { d->capture, CAPTURE_SOCK_DIAG, AF_UNIX, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct unix_diag_req *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = AF_UNIX;
	r->udiag_states = d->q->states;
	r->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN |
			UDIAG_SHOW_UID;
	/* -m's memory only when asked: 36 bytes more a socket. */
	if (d->q->ext & DIAG_EXT_MEMORY)
		r->udiag_show |= UDIAG_SHOW_MEMINFO;
	d->out->ext_len = d->ext_mark;
	return netlink_dump(nl, buf, nlh, parse_msg, &p, &cap);
}

int unixdiag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture)
{
	struct dump_arg d = { q, out, capture, out->ext_len };

	return netlink_dump_whole(dump_all, &d, &out->len, capture != NULL);
}

static int replay_msg(void *parser, const void *payload, size_t len)
{
	return unixdiag_parse(parser, payload, len);
}

int unixdiag_replay(const struct diag_query *q, const void *buf, size_t len,
		    struct lsock_vec *out)
{
	struct unixdiag_parser p = { .out = out, .states = q->states, .ext = q->ext };

	return capture_replay(buf, len, AF_UNIX, replay_msg, &p);
}
