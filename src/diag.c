/* The sock_diag collector: one netlink socket, one dump per (protocol, family). */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "listen/diag.h"
#include "listen/sock.h"

/* A dump that keeps being interrupted by concurrent changes is retried this many times. */
#define DIAG_MAX_RESTARTS 8
/* The kernel fills dump datagrams up to 32 KiB; a larger buffer never truncates. */
#define DIAG_RECV_SIZE 65536

/* Does q ask for this (family, protocol) dump at all? */
static bool query_dumps(const struct diag_query *q, uint8_t family, uint8_t protocol)
{
	unsigned fam = family == AF_INET ? DIAG_V4 : DIAG_V6;
	unsigned proto = protocol == IPPROTO_TCP ? DIAG_TCP : DIAG_UDP;

	return (q->families & fam) && (q->protocols & proto);
}

static bool query_selects(const struct diag_query *q, uint8_t family, uint8_t protocol,
			  uint8_t state)
{
	return query_dumps(q, family, protocol) && state < 32 && (q->states & (1u << state));
}

/* Keep the attributes we know with the length we expect; skip everything else. */
static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	size_t need;

	switch (type) {
	case INET_DIAG_SKV6ONLY:
	case INET_DIAG_SHUTDOWN:
		need = sizeof(uint8_t);
		break;
	case INET_DIAG_MARK:
		need = sizeof(uint32_t);
		break;
	case INET_DIAG_CGROUP_ID:
		need = sizeof(uint64_t);
		break;
	default:
		return MNL_CB_OK;
	}
	if (len >= need)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_sock(struct diag_parser *p, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { 0 };
	const struct inet_diag_msg *m;
	struct lsock *sk;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return -EBADMSG;
	m = mnl_nlmsg_get_payload(nlh);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return 0;
	if (p->filter && !query_selects(p->filter, m->idiag_family, p->protocol, m->idiag_state))
		return 0;
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);

	sk = lsock_vec_push(p->out);
	if (!sk)
		return -ENOMEM;
	sk->family = m->idiag_family;
	sk->protocol = p->protocol;
	sk->state = m->idiag_state;
	sk->lport = ntohs(m->id.idiag_sport);
	sk->rport = ntohs(m->id.idiag_dport);
	sk->ifindex = m->id.idiag_if;
	sk->uid = m->idiag_uid;
	sk->inode = m->idiag_inode;
	sk->rqueue = m->idiag_rqueue;
	sk->wqueue = m->idiag_wqueue;
	sk->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	size_t alen = m->idiag_family == AF_INET ? 4 : 16;
	memcpy(sk->laddr, m->id.idiag_src, alen);
	memcpy(sk->raddr, m->id.idiag_dst, alen);

	if (tb[INET_DIAG_SKV6ONLY]) {
		sk->flags |= LSOCK_HAS_V6ONLY;
		sk->v6only = mnl_attr_get_u8(tb[INET_DIAG_SKV6ONLY]) != 0;
	}
	if (tb[INET_DIAG_SHUTDOWN]) {
		sk->flags |= LSOCK_HAS_SHUTDOWN;
		sk->shutdown = mnl_attr_get_u8(tb[INET_DIAG_SHUTDOWN]) & 3;
	}
	if (tb[INET_DIAG_MARK]) {
		sk->flags |= LSOCK_HAS_MARK;
		sk->mark = mnl_attr_get_u32(tb[INET_DIAG_MARK]);
	}
	if (tb[INET_DIAG_CGROUP_ID]) {
		sk->flags |= LSOCK_HAS_CGROUP;
		sk->cgroup_id = mnl_attr_get_u64(tb[INET_DIAG_CGROUP_ID]);
	}
	return 0;
}

static int parse_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return -EBADMSG;
	err = mnl_nlmsg_get_payload(nlh);
	if (err->error == 0)
		return 0; /* an acknowledgement ends the exchange like NLMSG_DONE */
	if (err->error < 0 && err->error > -4096)
		return err->error;
	return -EBADMSG;
}

int diag_parse(struct diag_parser *p, const void *buf, size_t len)
{
	const char *at = buf;

	/* Bounds are checked here in size_t: libmnl's mnl_nlmsg_ok() compares the length as an
	 * int, so a hostile nlmsg_len of 2^31 or more would pass it. */
	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)at;
		size_t msg_len = nlh->nlmsg_len, step;
		int r = 0;

		if (msg_len < sizeof(*nlh) || msg_len > len)
			return -EBADMSG;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			p->interrupted = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE:
			return 0;
		case NLMSG_ERROR:
			return parse_error(nlh);
		case SOCK_DIAG_BY_FAMILY:
			r = parse_sock(p, nlh);
			break;
		default: /* NLMSG_NOOP and types we do not know */
			break;
		}
		if (r < 0)
			return r;
		/* The last message may lack its alignment padding. */
		step = MNL_ALIGN(msg_len);
		step = step < len ? step : len;
		at += step;
		len -= step;
	}
	return len == 0 ? 1 : -EBADMSG; /* a few bytes left over: a truncated header */
}

static int write_capture(FILE *capture, uint8_t family, uint8_t protocol, const void *buf,
			 size_t len)
{
	struct diag_capture_hdr h = { .family = family, .protocol = protocol,
				      .len = (uint32_t)len };

	if (fwrite(&h, sizeof(h), 1, capture) != 1 || fwrite(buf, 1, len, capture) != len)
		return -EIO;
	return 0;
}

static struct mnl_socket *diag_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	return nl;
}

static int send_request(struct mnl_socket *nl, uint8_t family, uint8_t protocol,
			uint32_t states, uint32_t seq)
{
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct inet_diag_req_v2))] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct inet_diag_req_v2 *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = family;
	r->sdiag_protocol = protocol;
	r->idiag_states = states;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/*
 * Run one dump to its end. Returns 0, -EAGAIN when it must be restarted (the kernel flagged
 * it inconsistent, or dropped replies with ENOBUFS), or another negative errno.
 */
static int dump_one(struct mnl_socket *nl, void *buf, uint8_t family, uint8_t protocol,
		    uint32_t states, uint32_t seq, struct lsock_vec *out, FILE *capture)
{
	struct diag_parser p = { .out = out, .protocol = protocol };
	int r = send_request(nl, family, protocol, states, seq);

	while (r == 0 || r == 1) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, DIAG_RECV_SIZE);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == ENOBUFS ? -EAGAIN : -errno;
		}
		if (capture && write_capture(capture, family, protocol, buf, (size_t)n) < 0)
			return -EIO;
		r = diag_parse(&p, buf, (size_t)n);
		if (r == 0)
			break;
	}
	if (r < 0)
		return r;
	return p.interrupted ? -EAGAIN : 0;
}

int diag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture)
{
	static const uint8_t protocols[] = { IPPROTO_UDP, IPPROTO_TCP }; /* ss's order */
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	uint32_t seq = (uint32_t)time(NULL);
	struct mnl_socket *nl;
	void *buf;
	int r = 0;

	buf = malloc(DIAG_RECV_SIZE);
	if (!buf)
		return -ENOMEM;
	nl = diag_open();
	if (!nl) {
		r = -errno;
		free(buf);
		return r;
	}
	for (size_t i = 0; i < sizeof(protocols) && r == 0; i++) {
		for (size_t j = 0; j < sizeof(families) && r == 0; j++) {
			if (!query_dumps(q, families[j], protocols[i]))
				continue;
			size_t mark = out->len;

			for (int tries = 0;; tries++) {
				r = dump_one(nl, buf, families[j], protocols[i], q->states, ++seq,
					     out, capture);
				if (r != -EAGAIN)
					break;
				/* Restart on a fresh socket so no reply of the old dump is read. */
				out->len = mark;
				mnl_socket_close(nl);
				nl = NULL;
				if (capture || tries + 1 >= DIAG_MAX_RESTARTS)
					break;
				nl = diag_open();
				if (!nl) {
					r = -errno;
					break;
				}
			}
		}
	}
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	return r;
}

int diag_replay(const struct diag_query *q, const void *buf, size_t len, struct lsock_vec *out)
{
	const unsigned char *at = buf, *end = at + len;
	size_t magic = sizeof(DIAG_CAPTURE_MAGIC) - 1;
	void *scratch = NULL;
	int r = 0;

	if (len < magic || memcmp(at, DIAG_CAPTURE_MAGIC, magic) != 0)
		return -EBADMSG;
	at += magic;
	while (r >= 0 && at < end) {
		struct diag_capture_hdr h;

		if ((size_t)(end - at) < sizeof(h)) {
			r = -EBADMSG;
			break;
		}
		memcpy(&h, at, sizeof(h));
		at += sizeof(h);
		if (h.len > (size_t)(end - at) ||
		    (h.protocol != IPPROTO_TCP && h.protocol != IPPROTO_UDP)) {
			r = -EBADMSG;
			break;
		}
		/* Netlink headers need 4-byte alignment; the file gives no such promise. */
		void *aligned = realloc(scratch, h.len ? h.len : 1);

		if (!aligned) {
			r = -ENOMEM;
			break;
		}
		scratch = aligned;
		memcpy(scratch, at, h.len);
		at += h.len;

		struct diag_parser p = { .out = out, .protocol = h.protocol, .filter = q };

		r = diag_parse(&p, scratch, h.len);
	}
	free(scratch);
	return r < 0 ? r : 0;
}
