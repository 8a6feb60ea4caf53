/*
 * Reading a namespace's ruleset, with CAP_NET_ADMIN raised around it: straight from the
 * kernel (nfnetlink dumps, decoded by firewall_nl.c), else through libnftables.
 */
/* glibc's networking headers before the kernel's (linux/in.h defers to them) */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/firewall.h"
#include "listen/firewall_nl.h"
#include "listen/priv.h"

/* Run `list ruleset` with these output flags; *out is a copy of the buffered output. */
static int list_ruleset(unsigned flags, char **out, size_t *len)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *text, *err;
	int r = 0;

	if (!nft)
		return -ENOMEM;
	nft_ctx_output_set_flags(nft, flags);
	if (nft_ctx_buffer_output(nft) || nft_ctx_buffer_error(nft)) {
		nft_ctx_free(nft);
		return -ENOMEM;
	}
	priv_raise(PRIV_NETADMIN);
	if (nft_run_cmd_from_buffer(nft, "list ruleset") != 0)
		r = -EIO;
	priv_lower();
	text = nft_ctx_get_output_buffer(nft);
	err = nft_ctx_get_error_buffer(nft);
	if (r < 0 && err && strstr(err, "Operation not permitted"))
		r = -EPERM;
	else if (r < 0 && err && strstr(err, "Protocol not supported"))
		r = -ENOSYS;
	if (r == 0) {
		*len = text ? strlen(text) : 0;
		*out = strdup(text ? text : "");
		r = *out ? 0 : -ENOMEM;
	}
	nft_ctx_free(nft);
	return r;
}

/*
 * Whether iptables-legacy has tables in this namespace. The legacy x_tables register each
 * table a namespace uses in /proc/net/ip_tables_names (ip6_tables_names for IPv6); the file
 * is empty, or absent without the module, when only nftables (and iptables-nft) is used.
 * thread-self: /proc/self/net is the namespace of the process's first thread, not this one.
 */
static bool legacy_tables(void)
{
	static const char *const names[] = { "/proc/thread-self/net/ip_tables_names",
					     "/proc/thread-self/net/ip6_tables_names" };
	bool legacy = false;

	for (size_t i = 0; i < 2 && !legacy; i++) {
		char *buf = NULL;
		size_t len = 0;

		if (fileio_read_all(AT_FDCWD, names[i], 1 << 16, &buf, &len) == 0)
			legacy = len > 0;
		free(buf);
	}
	return legacy;
}

/* Where the replies of the dumps go, a datagram at a time (whole messages): a growing
 * buffer (fw_nl_dump), or the decoder as they come (fw_read_nl). */
struct sink {
	int (*reset)(struct sink *k);           /* a new try: forget what came */
	int (*chunk)(struct sink *k, const char *buf, size_t len);
	char *buf;                              /* the collected replies */
	size_t len, cap;
	struct fw_nl_parser *parser;            /* or the decoder */
	struct fw_ruleset *rs;
};

/* A set the set dump listed, whose elements are dumped next. */
struct setref {
	int family;
	char *table, *name;
};

struct dumper {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	char *rbuf;                             /* one datagram */
	size_t rlen;
	struct sink *sink;
	struct setref *sets;
	size_t nsets;
};

/* The errno of a refusal as fw_read reports it. */
static int dump_error(int e)
{
	return e == EPERM || e == EACCES ? -EPERM :
	       e == EPROTONOSUPPORT || e == EAFNOSUPPORT || e == EOPNOTSUPP ? -ENOSYS :
	       e == ENOMEM || e == ENOBUFS ? -ENOMEM : -EIO;
}

/* Remember a set of an ip, ip6 or inet table that the set dump listed. */
static int note_set(struct dumper *d, const struct nlmsghdr *m)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(m);
	const char *table = NULL, *name = NULL;
	const struct nlattr *a;
	struct setref *v;

	if (NFNL_MSG_TYPE(m->nlmsg_type) != NFT_MSG_NEWSET ||
	    m->nlmsg_len < mnl_nlmsg_size(sizeof(*g)) ||
	    (g->nfgen_family != NFPROTO_IPV4 && g->nfgen_family != NFPROTO_IPV6 &&
	     g->nfgen_family != NFPROTO_INET))
		return 0;
	mnl_attr_for_each(a, m, sizeof(*g)) {
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			continue;
		if (mnl_attr_get_type(a) == NFTA_SET_TABLE)
			table = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == NFTA_SET_NAME)
			name = mnl_attr_get_str(a);
	}
	if (!table || !name)
		return -EIO;
	if (!(v = fw_grow(&d->sets, &d->nsets, sizeof(*v))))
		return -ENOMEM;
	v->family = g->nfgen_family;
	v->table = strdup(table);
	v->name = strdup(name);
	return v->table && v->name ? 0 : -ENOMEM;
}

/* Send one request of type (NFT_MSG_*) for family (a dump unless genid), and pass every
 * reply up to its end to the sink (*genid instead, for NFT_MSG_GETGEN). */
static int dump_one(struct dumper *d, uint16_t type, int family, const struct setref *set,
		    uint32_t *genid)
{
	char req[1024] = { 0 }; /* sent whole: no byte unset */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nfgenmsg *g;
	uint32_t seq = ++d->seq;
	bool done = false;

	nlh->nlmsg_type = (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST | (genid ? NLM_F_ACK : NLM_F_DUMP);
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = (uint8_t)family;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	if (set) {
		if (strlen(set->table) + strlen(set->name) > 600)
			return -EIO;
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, set->table);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set->name);
	}
	if (mnl_socket_sendto(d->nl, nlh, nlh->nlmsg_len) < 0)
		return dump_error(errno);
	while (!done) {
		ssize_t n = mnl_socket_recvfrom(d->nl, d->rbuf, d->rlen);
		const struct nlmsghdr *m;
		int left, r;

		if (n < 0)
			return errno == ENOBUFS ? -EAGAIN : dump_error(errno);
		left = (int)n;
		for (m = (void *)d->rbuf; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			if (!mnl_nlmsg_portid_ok(m, d->portid) || m->nlmsg_seq != seq)
				return -EIO;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(m);

				if (m->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
					return -EIO;
				/* a set gone since the set dump: the ruleset changed, again */
				if (err->error == -ENOENT && !genid)
					return -EAGAIN;
				if (err->error)
					return dump_error(-err->error);
				done = true; /* the ack of a request */
			} else if (m->nlmsg_type == NLMSG_DONE) {
				done = true;
			} else if (genid && NFNL_MSG_TYPE(m->nlmsg_type) == NFT_MSG_NEWGEN) {
				const struct nlattr *a;

				mnl_attr_for_each(a, m, sizeof(struct nfgenmsg))
					if (mnl_attr_get_type(a) == NFTA_GEN_ID &&
					    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
						*genid = ntohl(mnl_attr_get_u32(a));
			} else if (type == NFT_MSG_GETSET && (r = note_set(d, m)) < 0) {
				return r;
			}
		}
		if (left != 0)
			return -EIO;
		if (!genid && (r = d->sink->chunk(d->sink, d->rbuf, (size_t)n)) < 0)
			return r;
	}
	return 0;
}

/* Forget the sets of a try. */
static void sets_clear(struct dumper *d)
{
	for (size_t i = 0; i < d->nsets; i++) {
		free(d->sets[i].table);
		free(d->sets[i].name);
	}
	free(d->sets);
	d->sets = NULL;
	d->nsets = 0;
}

/* One consistent snapshot: the generation is the same before and after the dumps (chains,
 * sets, the elements of each set, rules). */
static int dump_all(struct dumper *d)
{
	uint32_t gen0 = 0, gen1 = 1;
	int r;

	for (int tries = 0; tries < 4; tries++) {
		sets_clear(d);
		if ((r = d->sink->reset(d->sink)) < 0 ||
		    (r = dump_one(d, NFT_MSG_GETGEN, NFPROTO_UNSPEC, NULL, &gen0)) < 0 ||
		    (r = dump_one(d, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC, NULL, NULL)) < 0 ||
		    (r = dump_one(d, NFT_MSG_GETSET, NFPROTO_UNSPEC, NULL, NULL)) < 0)
			break;
		for (size_t i = 0; i < d->nsets && r == 0; i++)
			r = dump_one(d, NFT_MSG_GETSETELEM, d->sets[i].family, &d->sets[i], NULL);
		if (r == 0)
			r = dump_one(d, NFT_MSG_GETRULE, NFPROTO_UNSPEC, NULL, NULL);
		if (r == 0)
			r = dump_one(d, NFT_MSG_GETGEN, NFPROTO_UNSPEC, NULL, &gen1);
		if (r == -EAGAIN || (r == 0 && gen0 != gen1))
			continue; /* changed while it was read: again */
		break;
	}
	sets_clear(d);
	return r == 0 && gen0 != gen1 ? -EAGAIN : r;
}

/* Run the dumps into a sink, with CAP_NET_ADMIN raised around them. */
static int dump_into(struct sink *k)
{
	struct dumper d = { .sink = k, .rlen = 1 << 16 };
	int r;

	if (!priv_can(PRIV_NETADMIN))
		return -EPERM;
	if (!(d.rbuf = malloc(d.rlen)))
		return -ENOMEM;
	priv_raise(PRIV_NETADMIN);
	d.nl = mnl_socket_open(NETLINK_NETFILTER);
	r = d.nl ? 0 : dump_error(errno);
	if (r == 0 && mnl_socket_bind(d.nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = dump_error(errno);
	if (r == 0) {
		d.portid = mnl_socket_get_portid(d.nl);
		r = dump_all(&d);
	}
	if (d.nl)
		mnl_socket_close(d.nl);
	priv_lower();
	free(d.rbuf);
	return r;
}

static int collect_reset(struct sink *k)
{
	k->len = 0;
	return 0;
}

static int collect_chunk(struct sink *k, const char *buf, size_t len)
{
	if (k->cap - k->len < len) {
		size_t cap = k->cap ? k->cap : 1 << 16;
		char *p;

		while (cap - k->len < len)
			cap *= 2;
		if (!(p = realloc(k->buf, cap)))
			return -ENOMEM;
		k->buf = p;
		k->cap = cap;
	}
	memcpy(k->buf + k->len, buf, len);
	k->len += len;
	return 0;
}

int fw_nl_dump(char **out, size_t *len)
{
	struct sink k = { collect_reset, collect_chunk, NULL, 0, 0, NULL, NULL };
	int r = dump_into(&k);

	if (r < 0) {
		free(k.buf);
		return r;
	}
	*out = k.buf;
	*len = k.len;
	return 0;
}

static int decode_reset(struct sink *k)
{
	if (k->parser)
		fw_nl_parser_end(k->parser, -EAGAIN);
	k->parser = NULL;
	fw_ruleset_free(k->rs);
	return fw_nl_parser_new(&k->parser, k->rs);
}

static int decode_chunk(struct sink *k, const char *buf, size_t len)
{
	return fw_nl_parser_feed(k->parser, buf, len);
}

/* Through libnftables: its JSON listing, and the text listing when iptables-nft's extensions
 * are in it. */
static int read_nft(struct fw_ruleset *rs)
{
	char *json = NULL, *text = NULL;
	size_t len = 0, tlen = 0;
	int r;

	fw_seed();
	r = list_ruleset(NFT_CTX_OUTPUT_JSON, &json, &len);

	/* Only iptables-nft's extensions need the text listing (their JSON is {"xt": ...}):
	 * read it then, and parse once. Without it they stay unknown. */
	if (r == 0 && strstr(json, "\"xt\":") &&
	    list_ruleset(NFT_CTX_OUTPUT_HANDLE, &text, &tlen) < 0)
		text = NULL;
	if (r == 0)
		r = fw_parse(rs, json, len, text, tlen);
	free(json);
	free(text);
	return r;
}

int fw_read_nft(struct fw_ruleset *rs)
{
	int r;

	/* libnftables prints its own "(you must be root)" on stderr when refused: ask first. */
	if (!priv_can(PRIV_NETADMIN))
		return -EPERM;
	r = read_nft(rs);
	if (r == 0)
		rs->legacy = legacy_tables();
	return r;
}

int fw_read_nl(struct fw_ruleset *rs)
{
	struct sink k = { decode_reset, decode_chunk, NULL, 0, 0, NULL, rs };
	int r = dump_into(&k);

	/* the replies decoded as they came: no copy of them all */
	if (k.parser)
		r = fw_nl_parser_end(k.parser, r);
	if (r == 0)
		rs->legacy = legacy_tables();
	return r;
}

int fw_read(struct fw_ruleset *rs)
{
	int r = fw_read_nl(rs);

	if (r != -EOPNOTSUPP && r != -EBADMSG && r != -EAGAIN && r != -EIO)
		return r;
	/* a rule the decoder does not know, or a ruleset that kept changing: libnftables */
	fw_ruleset_free(rs);
	return fw_read_nft(rs);
}
