/* The sock_diag collector: one netlink socket, one dump per (protocol, family), TCP's two
 * families in one; raw IP sockets are one more protocol of the same dump. */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "diag_ext.h"
#include "listen/bytecode.h"
#include "listen/capture.h"
#include "listen/diag.h"
#include "listen/netlink.h"
#include "listen/sock.h"

/* A dump that keeps being interrupted by concurrent changes is retried this many times. */
#define DIAG_MAX_RESTARTS 8

const uint8_t diag_protocols[2] = { IPPROTO_UDP, IPPROTO_TCP };
const uint8_t diag_families[2] = { AF_INET, AF_INET6 };

bool diag_query_dumps(const struct diag_query *q, uint8_t family, unsigned protocol)
{
	unsigned fam = family == AF_INET ? DIAG_V4 : DIAG_V6;
	unsigned proto = protocol == IPPROTO_TCP ? DIAG_TCP :
			 protocol == IPPROTO_RAW ? DIAG_RAW :
			 protocol == IPPROTO_MPTCP ? DIAG_MPTCP :
			 protocol == IPPROTO_SCTP ? DIAG_SCTP : DIAG_UDP;

	return (q->families & fam) && (q->protocols & proto);
}

bool diag_query_selects(const struct diag_query *q, uint8_t family, unsigned protocol,
			uint8_t state)
{
	return diag_query_dumps(q, family, protocol) && state < 32 && (q->states & (1u << state));
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
		/* Those of -i and -m are read by their length (diag_ext.c). */
		if (type <= INET_DIAG_MAX && diag_ext_attr(type))
			tb[type] = attr;
		return MNL_CB_OK;
	}
	if (len >= need)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* An SCTP endpoint kept only as the parent of associations, and none followed: the kernel
 * would not have sent it. */
static void sctp_parent_done(struct diag_parser *p)
{
	if (p->sctp_parent && p->out->len)
		lsock_vec_pop(p->out);
	p->sctp_parent = false;
}

/* The attributes every record may carry: IPV6_V6ONLY, the shutdown state, the mark, the
 * cgroup. */
static void fill_attrs(struct lsock *sk, const struct nlattr *const *tb)
{
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
}

/* -i's and -m's attributes of sk (the last record), those asked for only, kept in the
 * vector's store when there are any. Returns 0 or -ENOMEM. */
static int keep_ext(struct diag_parser *p, struct lsock *sk, const struct nlattr **tb)
{
	struct lsock_ext ext = { 0 }, *e;
	int r;

	if (!(p->ext & DIAG_EXT_INFO))
		tb[INET_DIAG_INFO] = tb[INET_DIAG_CONG] = tb[INET_DIAG_VEGASINFO] =
			tb[INET_DIAG_DCTCPINFO] = tb[INET_DIAG_BBRINFO] = tb[INET_DIAG_MD5SIG] =
			tb[INET_DIAG_ULP_INFO] = NULL;
	if (!(p->ext & DIAG_EXT_MEMORY))
		tb[INET_DIAG_SKMEMINFO] = NULL;
	/* Copied in only when there is something: the vector's store moves as it grows. */
	r = diag_ext_fill(&ext, tb, p->protocol == IPPROTO_MPTCP, p->out);
	if (r <= 0)
		return r;
	if (!(e = lsock_vec_ext_new(p->out, sk)))
		return -ENOMEM;
	*e = ext;
	return 0;
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
	/* SCTP's associations follow their endpoint, with its inode (as ss tells them apart),
	 * and their state is SCTP's own. The kernel sends them, each after its socket whatever
	 * that socket's state, when states other than listening and closed are asked for; a
	 * replay does the same. */
	bool sctp = p->protocol == IPPROTO_SCTP;
	bool assoc = sctp && p->sctp_inode && m->idiag_inode == p->sctp_inode;
	bool parents = p->filter && (p->filter->states & ~(uint32_t)LSOCK_STATES_LISTENING);
	bool selected = m->idiag_state < 32 && p->filter &&
			(p->filter->states & (1u << m->idiag_state));

	if (sctp && !assoc) {
		sctp_parent_done(p);
		p->sctp_inode = m->idiag_inode;
	}
	if (assoc)
		p->sctp_parent = false;
	if (p->filter && !diag_query_dumps(p->filter, m->idiag_family, p->protocol))
		return 0;
	if (p->filter && (sctp ? !parents && (assoc || !selected)
			       : !diag_query_selects(p->filter, m->idiag_family, p->protocol,
						     m->idiag_state)))
		return 0;
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);

	sk = lsock_vec_push(p->out);
	if (!sk)
		return -ENOMEM;
	sk->family = m->idiag_family;
	sk->protocol = p->protocol == IPPROTO_MPTCP ? IPPROTO_TCP : (uint8_t)p->protocol;
	if (p->protocol == IPPROTO_MPTCP)
		sk->flags |= LSOCK_MPTCP;
	if (assoc)
		sk->flags |= LSOCK_SCTP_ASSOC;
	p->sctp_parent = sctp && !assoc && p->filter && !selected;
	sk->state = m->idiag_state;
	sk->lport = ntohs(m->id.idiag_sport);
	sk->rport = ntohs(m->id.idiag_dport);
	sk->ifindex = m->id.idiag_if;
	sk->uid = m->idiag_uid;
	sk->inode = m->idiag_inode;
	sk->rqueue = m->idiag_rqueue;
	sk->wqueue = m->idiag_wqueue;
	sk->timer = m->idiag_timer;
	sk->retrans = m->idiag_retrans;
	sk->expires = m->idiag_expires;
	sk->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	size_t alen = m->idiag_family == AF_INET ? 4 : 16;
	memcpy(sk->laddr, m->id.idiag_src, alen);
	memcpy(sk->raddr, m->id.idiag_dst, alen);

	fill_attrs(sk, tb);
	if (p->ext) {
		int r = keep_ext(p, sk, tb);

		if (r < 0)
			return r;
	}
	/* A replay does what the kernel would have done with the bytecode. */
	if (p->filter && p->filter->bytecode &&
	    !bytecode_run(p->filter->bytecode, p->filter->bytecode_len, sk)) {
		lsock_vec_pop(p->out);
		p->sctp_parent = false;
	}
	return 0;
}

/* Replies carry the request's type: SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK for a dump of
 * both families at once (dump_one). */
static int parse_msg(void *ctx, const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY || nlh->nlmsg_type == TCPDIAG_GETSOCK
		       ? parse_sock(ctx, nlh) : 0;
}

int diag_parse(struct diag_parser *p, const void *buf, size_t len)
{
	int r = netlink_walk(buf, len, &p->interrupted, parse_msg, p);

	if (r == 0)
		sctp_parent_done(p);
	return r;
}

/* A capture is made to be passed around, and listen prints whom the keys are for, never the
 * keys. */
void diag_scrub(void *buf, size_t len)
{
	const size_t key = offsetof(struct tcp_diag_md5sig, tcpm_key);
	const size_t head = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct inet_diag_msg));

	/* Bounds in size_t, each length checked against what is left before it is used: a
	 * length past INT_MAX would fool libmnl's int arithmetic. */
	for (size_t at = 0; len - at >= sizeof(struct nlmsghdr);) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)buf + at);
		size_t n = nlh->nlmsg_len;
		bool sock = nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY ||
			    nlh->nlmsg_type == TCPDIAG_GETSOCK;

		if (n < sizeof(*nlh) || n > len - at)
			return;
		for (size_t off = head; sock && n > off && n - off >= sizeof(struct nlattr);) {
			struct nlattr *a = (struct nlattr *)((char *)nlh + off);
			size_t alen = a->nla_len;
			unsigned char *p = (unsigned char *)a + MNL_ATTR_HDRLEN;
			size_t keys = 0;

			if (alen < MNL_ATTR_HDRLEN || alen > n - off)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == INET_DIAG_MD5SIG)
				keys = (alen - MNL_ATTR_HDRLEN) / sizeof(struct tcp_diag_md5sig);
			for (size_t k = 0; k < keys; k++)
				memset(p + k * sizeof(struct tcp_diag_md5sig) + key, 0,
				       TCP_MD5SIG_MAXKEYLEN);
			if (MNL_ALIGN(alen) > n - off)
				break;
			off += MNL_ALIGN(alen);
		}
		if (MNL_ALIGN(n) > len - at)
			return;
		at += MNL_ALIGN(n);
	}
}

/*
 * Run one dump to its end. Family AF_UNSPEC dumps TCP sockets of both families in one walk
 * of the kernel's tables, as the original tcp_diag request (TCPDIAG_GETSOCK) does: a
 * sock_diag request names one family, and each walks every socket of the protocol. Returns
 * 0, -EAGAIN when it must be restarted (the kernel flagged it inconsistent, or dropped
 * replies with ENOBUFS), or another negative errno.
 */
static int dump_one(struct mnl_socket *nl, void *buf, uint8_t family, unsigned protocol,
		    const struct diag_query *q, uint32_t seq, struct lsock_vec *out, FILE *capture)
{
	size_t size = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct inet_diag_req_v2)) +
		      MNL_ALIGN(sizeof(struct inet_diag_req)) + MNL_ATTR_HDRLEN +
		      MNL_ALIGN(q->bytecode_len) + MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof(uint32_t));
	void *req = calloc(1, size);
	struct diag_parser p = { .out = out, .protocol = protocol, .ext = q->ext };
	bool mptcp = protocol == IPPROTO_MPTCP;
	struct netlink_capture cap = { capture, mptcp ? CAPTURE_SOCK_DIAG_MPTCP : CAPTURE_SOCK_DIAG,
				       family, mptcp ? IPPROTO_TCP : (uint8_t)protocol,
				       diag_scrub };
	struct nlmsghdr *nlh;
	int ret;

	if (!req)
		return -ENOMEM;
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (family == AF_UNSPEC) {
		struct inet_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		r->idiag_states = q->states;
		r->idiag_ext = diag_ext_request(q->ext);
	} else {
		struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		r->sdiag_family = family;
		/* A protocol past 255 is named by an attribute, which the kernel reads first. */
		r->sdiag_protocol = mptcp ? IPPROTO_TCP : (uint8_t)protocol;
		r->idiag_states = q->states;
		r->idiag_ext = diag_ext_request(q->ext);
	}
	if (q->bytecode && protocol != IPPROTO_SCTP)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, q->bytecode_len, q->bytecode);
	if (mptcp)
		mnl_attr_put_u32(nlh, INET_DIAG_REQ_PROTOCOL, IPPROTO_MPTCP);
	ret = netlink_dump(nl, buf, nlh, parse_msg, &p, &cap);
	free(req);
	return ret;
}

static int cookie_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Mark the records out[from..] whose port the kernel chose: a dump of the same family and
 * protocol with only INET_DIAG_BC_AUTO, matched by cookie. Sockets that came or went between
 * the two dumps are simply not marked.
 */
static int mark_autobound(struct mnl_socket *nl, void *buf, uint8_t family, unsigned protocol,
			  const struct diag_query *q, uint32_t seq, struct lsock_vec *out,
			  size_t from)
{
	static const struct inet_diag_bc_op test = { INET_DIAG_BC_AUTO, 4, 8 };
	struct diag_query aq = *q;
	struct lsock_vec autos = { 0 };
	uint64_t *cookies;
	int r;

	aq.bytecode = &test;
	aq.bytecode_len = sizeof(test);
	aq.ext = 0;
	r = dump_one(nl, buf, family, protocol, &aq, seq, &autos, NULL);
	cookies = r == 0 && autos.len ? calloc(autos.len, sizeof(*cookies)) : NULL;
	if (r == 0 && autos.len && !cookies)
		r = -ENOMEM;
	if (cookies) {
		for (size_t i = 0; i < autos.len; i++)
			cookies[i] = autos.v[i].cookie;
		qsort(cookies, autos.len, sizeof(*cookies), cookie_cmp);
		for (size_t i = from; i < out->len; i++)
			if (bsearch(&out->v[i].cookie, cookies, autos.len, sizeof(*cookies),
				    cookie_cmp))
				out->v[i].flags |= LSOCK_AUTOBOUND;
	}
	free(cookies);
	lsock_vec_free(&autos);
	return r;
}

/* Run the (family, protocol) dump to its end on *nl, restarted on a fresh socket when the
 * kernel interrupts it; without the bytecode if the kernel refuses it. Marks autobound ports
 * when q asks. *nl is NULL after a failed restart. */
static int dump_retried(struct mnl_socket **nl, void *buf, uint8_t family, unsigned protocol,
			struct diag_query *q, uint32_t *seq, struct lsock_vec *out, FILE *capture)
{
	size_t mark = out->len, ext_mark = out->ext_len;
	int r;

	for (int tries = 0;; tries++) {
		r = dump_one(*nl, buf, family, protocol, q, ++*seq, out, capture);
		if (r == -EINVAL && q->bytecode && out->len == mark) {
			/* A kernel that does not know an operation: filter here. */
			q->bytecode = NULL;
			q->bytecode_len = 0;
			r = -EAGAIN;
		}
		if (r != -EAGAIN)
			break;
		/* Restart on a fresh socket so no reply of the old dump is read. */
		out->len = mark;
		out->ext_len = ext_mark;
		mnl_socket_close(*nl);
		*nl = NULL;
		if (capture || tries + 1 >= DIAG_MAX_RESTARTS)
			break;
		*nl = netlink_open(NETLINK_SOCK_DIAG);
		if (!*nl) {
			r = -errno;
			break;
		}
	}
	/* Raw and SCTP dumps take no AUTO test: their sockets are never marked. */
	for (int tries = 0; r == 0 && q->autobound && protocol != IPPROTO_RAW &&
			    protocol != IPPROTO_SCTP; tries++) {
		r = mark_autobound(*nl, buf, family, protocol, q, ++*seq, out, mark);
		if (r != -EAGAIN || tries + 1 >= DIAG_MAX_RESTARTS)
			break;
		mnl_socket_close(*nl);
		*nl = netlink_open(NETLINK_SOCK_DIAG);
		r = *nl ? 0 : -errno;
	}
	return r;
}

/*
 * The records out[from..] of a dump of both families put in the order of the two dumps of
 * one family each: IPv4 first, each family in the kernel's order. The fewer are moved aside
 * while the others close up.
 */
static int split_families(struct lsock_vec *out, size_t from)
{
	struct lsock *v = out->v, *aside;
	size_t n4 = 0, n6, n, k, a;

	for (size_t i = from; i < out->len; i++)
		n4 += v[i].family == AF_INET;
	n6 = out->len - from - n4;
	if (!n4 || !n6)
		return 0;
	n = n6 <= n4 ? n6 : n4;
	aside = malloc(n * sizeof(*aside));
	if (!aside)
		return -ENOMEM;
	if (n6 <= n4) { /* IPv4 closes up at the front, IPv6 goes after it */
		k = from;
		a = 0;
		for (size_t i = from; i < out->len; i++) {
			if (v[i].family == AF_INET)
				v[k++] = v[i];
			else
				aside[a++] = v[i];
		}
		memcpy(v + k, aside, n * sizeof(*aside));
	} else { /* IPv6 closes up at the back, IPv4 goes before it */
		k = out->len;
		a = n;
		for (size_t i = out->len; i-- > from;) {
			if (v[i].family == AF_INET6)
				v[--k] = v[i];
			else
				aside[--a] = v[i];
		}
		memcpy(v + from, aside, n * sizeof(*aside));
	}
	free(aside);
	return 0;
}

/* TCP of both families in one dump (dump_one), split as two would give them. A kernel (or
 * sandbox) that does not know the request (EOPNOTSUPP, EINVAL) gets the two, unless its
 * refusal is in a capture already; any other error is the dump's. */
static int dump_tcp_both(struct mnl_socket **nl, void *buf, struct diag_query *q,
			 uint32_t *seq, struct lsock_vec *out, FILE *capture)
{
	size_t mark = out->len;
	int r = dump_retried(nl, buf, AF_UNSPEC, IPPROTO_TCP, q, seq, out, capture);

	if (r == 0)
		return split_families(out, mark);
	if ((r != -EOPNOTSUPP && r != -EINVAL) || capture || !*nl)
		return r;
	out->len = mark;
	r = 0;
	for (size_t j = 0; j < sizeof(diag_families) && r == 0 && *nl; j++)
		r = dump_retried(nl, buf, diag_families[j], IPPROTO_TCP, q, seq, out, NULL);
	return r;
}

/* The dumps of protocols (n of them) for every family q asks for. */
static int collect(const struct diag_query *query, const unsigned *protocols, size_t n,
		   struct lsock_vec *out, FILE *capture)
{
	struct diag_query q = *query;
	uint32_t seq = (uint32_t)time(NULL);
	struct mnl_socket *nl;
	void *buf;
	int r = 0;

	buf = malloc(NETLINK_RECV_SIZE);
	if (!buf)
		return -ENOMEM;
	nl = netlink_open(NETLINK_SOCK_DIAG);
	if (!nl) {
		r = -errno;
		free(buf);
		return r;
	}
	for (size_t i = 0; i < n && r == 0 && nl; i++) {
		if (protocols[i] == IPPROTO_TCP && diag_query_dumps(&q, AF_INET, IPPROTO_TCP) &&
		    diag_query_dumps(&q, AF_INET6, IPPROTO_TCP)) {
			r = dump_tcp_both(&nl, buf, &q, &seq, out, capture);
			continue;
		}
		for (size_t j = 0; j < sizeof(diag_families) && r == 0 && nl; j++)
			if (diag_query_dumps(&q, diag_families[j], protocols[i]))
				r = dump_retried(&nl, buf, diag_families[j], protocols[i], &q, &seq,
						 out, capture);
	}
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	return r;
}

int diag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture)
{
	/* ss's order; MPTCP's do not fit diag_protocols' bytes. */
	static const unsigned inet[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_MPTCP, IPPROTO_SCTP };

	if (!(q->protocols & DIAG_INET))
		return 0;
	return collect(q, inet, sizeof(inet) / sizeof(inet[0]), out, capture);
}

int diag_raw_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture)
{
	static const unsigned raw[] = { IPPROTO_RAW };

	if (!(q->protocols & DIAG_RAW))
		return 0;
	return collect(q, raw, 1, out, capture);
}

struct replay {
	const struct diag_query *q;
	struct lsock_vec *out;
	bool in_dump; /* between a dump's first datagram and its NLMSG_DONE */
	size_t mark;  /* where the records of that dump begin */
	uint32_t sctp_inode; /* the parser's, across the datagrams of a dump */
	bool sctp_parent;
};

static int replay_one(void *ctx, const struct capture_hdr *h, const void *payload)
{
	struct replay *rp = ctx;
	struct diag_parser p = { .out = rp->out, .protocol = h->protocol, .filter = rp->q,
				 .ext = rp->q->ext, .sctp_inode = rp->sctp_inode,
				 .sctp_parent = rp->sctp_parent };
	int r;

	/* Unix, packet and vsock datagrams are their replays'; AF_UNSPEC is TCP of both. */
	if (h->family != AF_INET && h->family != AF_INET6 && h->family != AF_UNSPEC)
		return 0;
	if (h->protocol != IPPROTO_TCP && h->protocol != IPPROTO_UDP &&
	    h->protocol != IPPROTO_RAW && h->protocol != IPPROTO_SCTP)
		return -EBADMSG;
	if (!rp->in_dump)
		rp->mark = rp->out->len;
	r = diag_parse(&p, payload, h->len);
	rp->in_dump = r > 0;
	rp->sctp_inode = p.sctp_inode;
	rp->sctp_parent = p.sctp_parent;
	/* A dump of both families ends: split as it was live. */
	if (r == 0 && h->family == AF_UNSPEC)
		r = split_families(rp->out, rp->mark);
	return r;
}

/* An MPTCP dump's datagrams: their header says IPPROTO_TCP. */
static int replay_mptcp(void *ctx, const struct capture_hdr *h, const void *payload)
{
	struct replay *rp = ctx;
	struct diag_parser p = { .out = rp->out, .protocol = IPPROTO_MPTCP, .filter = rp->q,
				 .ext = rp->q->ext };

	if (h->protocol != IPPROTO_TCP)
		return -EBADMSG;
	return diag_parse(&p, payload, h->len);
}

int diag_replay(const struct diag_query *q, const void *buf, size_t len, struct lsock_vec *out)
{
	struct replay rp = { .q = q, .out = out };
	int r = capture_each(buf, len, CAPTURE_SOCK_DIAG, replay_one, &rp);

	if (r == 0 && (q->protocols & DIAG_MPTCP))
		r = capture_each(buf, len, CAPTURE_SOCK_DIAG_MPTCP, replay_mptcp, &rp);
	return r;
}
