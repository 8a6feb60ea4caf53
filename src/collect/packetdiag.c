/* The packet socket collector: one PACKET_DIAG dump, parsed apart from the I/O, and the
 * /proc/net/packet table in its place where the kernel has no packet_diag. */
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_ext.h"
#include "listen/capture.h"
#include "listen/diag.h"
#include "listen/fileio.h"
#include "listen/netlink.h"
#include "listen/packetdiag.h"
#include "listen/sock.h"

/* A table of a million packet sockets is about 100 MiB; past this something is wrong. */
#define PACKETDIAG_PROCNET_MAX (1u << 30)

/* Keep the attributes we know with the length we expect; skip everything else. */
static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	size_t need;

	switch (type) {
	case PACKET_DIAG_INFO:
		need = sizeof(struct packet_diag_info);
		break;
	case PACKET_DIAG_MCLIST:
	case PACKET_DIAG_FILTER: /* empty: not allowed to see it */
		need = 0;
		break;
	case PACKET_DIAG_FANOUT:
	case PACKET_DIAG_UID:
		need = sizeof(uint32_t);
		break;
	case PACKET_DIAG_MEMINFO: /* the queues; -m's skmem by its length (diag_ext_skmem) */
		need = sizeof(uint32_t) * (SK_MEMINFO_WMEM_ALLOC + 1);
		break;
	default:
		return MNL_CB_OK;
	}
	if (len >= need)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* The memberships: how many, and whether one makes the device promiscuous. */
static void mclist(struct lsock *sk, const struct nlattr *a)
{
	const char *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a), n = len / sizeof(struct packet_diag_mclist);

	sk->pk.flags |= LSOCK_PACKET_MCLIST;
	sk->pk.mclist = n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
	for (size_t i = 0; i < n; i++) {
		struct packet_diag_mclist m;

		memcpy(&m, p + i * sizeof(m), sizeof(m));
		if (m.pdmc_type == PACKET_MR_PROMISC)
			sk->pk.flags |= LSOCK_PACKET_PROMISC;
	}
}

static int parse_sock(struct packetdiag_parser *p, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PACKET_DIAG_MAX + 1] = { 0 };
	const struct packet_diag_msg *m;
	struct lsock *sk;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return -EBADMSG;
	m = mnl_nlmsg_get_payload(nlh);
	if (m->pdiag_family != AF_PACKET || p->drop)
		return 0;
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);

	sk = lsock_vec_push(p->out);
	if (!sk)
		return -ENOMEM;
	sk->family = AF_PACKET;
	sk->protocol = LSOCK_PROTO_PACKET;
	sk->type = m->pdiag_type;
	sk->state = LSOCK_CLOSE;
	sk->lport = m->pdiag_num; /* host byte order: the kernel turned it */
	sk->inode = m->pdiag_ino;
	sk->cookie = (uint64_t)m->pdiag_cookie[1] << 32 | m->pdiag_cookie[0];
	if (tb[PACKET_DIAG_INFO]) {
		struct packet_diag_info in;

		memcpy(&in, mnl_attr_get_payload(tb[PACKET_DIAG_INFO]), sizeof(in));
		sk->ifindex = in.pdi_index;
		sk->pk.flags |= LSOCK_PACKET_INFO;
		sk->pk.version = in.pdi_version;
		sk->pk.copy_thresh = in.pdi_copy_thresh;
		sk->pk.info_flags = in.pdi_flags;
	}
	if (tb[PACKET_DIAG_MCLIST])
		mclist(sk, tb[PACKET_DIAG_MCLIST]);
	if (tb[PACKET_DIAG_FILTER]) {
		size_t len = mnl_attr_get_payload_len(tb[PACKET_DIAG_FILTER]);

		/* Empty: the kernel would not say (CAP_NET_ADMIN); else the program itself. */
		if (len >= sizeof(struct sock_filter)) {
			sk->pk.flags |= LSOCK_PACKET_FILTER_KNOWN | LSOCK_PACKET_FILTER;
			sk->pk.filter_len = (uint32_t)(len / sizeof(struct sock_filter));
		}
	} else {
		/* Asked, and no attribute: no classic filter. */
		sk->pk.flags |= LSOCK_PACKET_FILTER_KNOWN;
	}
	if (tb[PACKET_DIAG_FANOUT]) {
		sk->pk.flags |= LSOCK_PACKET_FANOUT;
		sk->pk.fanout = mnl_attr_get_u32(tb[PACKET_DIAG_FANOUT]);
	}
	if (tb[PACKET_DIAG_UID]) {
		sk->pk.flags |= LSOCK_PACKET_UID;
		sk->uid = mnl_attr_get_u32(tb[PACKET_DIAG_UID]);
	}
	if (tb[PACKET_DIAG_MEMINFO]) {
		uint32_t mem[SK_MEMINFO_WMEM_ALLOC + 1];

		memcpy(mem, mnl_attr_get_payload(tb[PACKET_DIAG_MEMINFO]), sizeof(mem));
		sk->pk.flags |= LSOCK_PACKET_QUEUES;
		sk->rqueue = mem[SK_MEMINFO_RMEM_ALLOC];
		sk->wqueue = mem[SK_MEMINFO_WMEM_ALLOC];
	}
	if (tb[PACKET_DIAG_MEMINFO] && (p->ext & DIAG_EXT_MEMORY))
		return diag_ext_keep_skmem(p->out, sk, tb[PACKET_DIAG_MEMINFO]);
	return 0;
}

static int parse_msg(void *ctx, const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY ? parse_sock(ctx, nlh) : 0;
}

int packetdiag_parse(struct packetdiag_parser *p, const void *buf, size_t len)
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
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct packet_diag_req))] = { 0 };
	struct packetdiag_parser p = { .out = d->out, .ext = d->q->ext };
	struct netlink_capture cap = { d->capture, CAPTURE_SOCK_DIAG, AF_PACKET, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct packet_diag_req *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = AF_PACKET;
	/* The memory always: the Recv-Q is in it, as ss reads it (-m only prints it). */
	r->pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MCLIST | PACKET_SHOW_FANOUT |
			PACKET_SHOW_MEMINFO | PACKET_SHOW_FILTER;
	d->out->ext_len = d->ext_mark;
	return netlink_dump(nl, buf, nlh, parse_msg, &p, &cap);
}

int packetdiag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture)
{
	struct dump_arg d = { q, out, capture, out->ext_len };

	if (!(q->states & (1u << LSOCK_CLOSE)))
		return 0;
	return netlink_dump_whole(dump_all, &d, &out->len, capture != NULL);
}

static int replay_msg(void *parser, const void *payload, size_t len)
{
	return packetdiag_parse(parser, payload, len);
}

int packetdiag_replay(const struct diag_query *q, const void *buf, size_t len,
		      struct lsock_vec *out)
{
	struct packetdiag_parser p = { .out = out, .drop = !(q->states & (1u << LSOCK_CLOSE)),
				       .ext = q->ext };

	return capture_replay(buf, len, AF_PACKET, replay_msg, &p);
}

/* A field of the table: the token at *p up to the next blank; false at the line's end. */
static bool field(const char **p, const char *end, const char **tok, size_t *len)
{
	while (*p < end && **p == ' ')
		(*p)++;
	*tok = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*len = (size_t)(*p - *tok);
	return *len > 0;
}

/* A number of at most 16 digits of base (10 or 16) that fits in max. */
static bool number(const char *s, size_t len, int base, uint64_t max, uint64_t *v)
{
	*v = 0;
	if (len == 0 || len > 16)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
			base == 16 && s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 :
			base == 16 && s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;

		if (d < 0)
			return false;
		*v = *v * (uint64_t)base + (uint64_t)d;
		if (*v > max)
			return false;
	}
	return true;
}

/* "sk RefCnt Type Proto Iface R Rmem User Inode" into sk. */
static bool packet_line(const char *p, const char *end, struct lsock *sk)
{
	/* base and largest value of each column, in order */
	static const struct {
		int base;
		uint64_t max;
	} cols[] = {
		{ 16, UINT64_MAX }, { 10, UINT32_MAX }, { 10, UINT8_MAX }, { 16, UINT16_MAX },
		{ 10, UINT32_MAX }, { 10, 1 },          { 10, UINT32_MAX }, { 10, UINT32_MAX },
		{ 10, UINT32_MAX },
	};
	uint64_t v[sizeof(cols) / sizeof(cols[0])];
	const char *tok;
	size_t len;

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (!field(&p, end, &tok, &len) ||
		    !number(tok, len, cols[i].base, cols[i].max, &v[i]))
			return false;
	if (field(&p, end, &tok, &len))
		return false; /* a column this parser does not know */
	sk->type = (uint8_t)v[2];
	sk->lport = (uint16_t)v[3];
	sk->ifindex = (uint32_t)v[4];
	sk->rqueue = (uint32_t)v[6];
	sk->uid = (uint32_t)v[7];
	sk->inode = (uint32_t)v[8];
	return true;
}

int packetdiag_procnet_parse(const struct diag_query *q, const char *buf, size_t len,
			     struct lsock_vec *out)
{
	const char *end = buf + len, *nl = buf && len ? memchr(buf, '\n', len) : NULL;
	size_t mark = out->len, head;

	if (!buf || !nl)
		return -EBADMSG;
	/* The header names the columns; anything else is not the table. */
	head = (size_t)(nl - buf);
	if (!memmem(buf, head, "RefCnt", 6) || !memmem(buf, head, "Iface", 5))
		return -EBADMSG;
	for (const char *line = nl + 1; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		if (nl == line)
			continue;

		struct lsock sk = { .family = AF_PACKET, .protocol = LSOCK_PROTO_PACKET,
				    .state = LSOCK_CLOSE, .flags = LSOCK_PROCNET };

		sk.pk.flags = LSOCK_PACKET_UID | LSOCK_PACKET_QUEUES;
		if (!packet_line(line, nl, &sk)) {
			out->len = mark;
			return -EBADMSG;
		}
		if (!(q->states & (1u << LSOCK_CLOSE)))
			continue;

		struct lsock *dst = lsock_vec_push(out);

		if (!dst)
			return -ENOMEM;
		*dst = sk;
	}
	return 0;
}

int packetdiag_procnet_collect(const struct diag_query *q, struct lsock_vec *out)
{
	char *buf;
	size_t len;
	int r = fileio_read_all(AT_FDCWD, "/proc/thread-self/net/packet", PACKETDIAG_PROCNET_MAX,
				&buf, &len);

	if (r < 0)
		return r;
	r = packetdiag_procnet_parse(q, buf, len, out);
	free(buf);
	return r;
}
