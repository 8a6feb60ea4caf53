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

/* The replies of the dumps, growing. */
struct dumpbuf {
	char *p;
	size_t len, cap;
	uint32_t seq;
};

/* Room for n more bytes. */
static int dump_reserve(struct dumpbuf *b, size_t n)
{
	char *p;
	size_t cap = b->cap ? b->cap : 1 << 16;

	while (cap - b->len < n)
		cap *= 2;
	if (cap == b->cap)
		return 0;
	if (!(p = realloc(b->p, cap)))
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* The errno of a refusal as fw_read reports it. */
static int dump_error(int e)
{
	return e == EPERM || e == EACCES ? -EPERM :
	       e == EPROTONOSUPPORT || e == EAFNOSUPPORT || e == EOPNOTSUPP ? -ENOSYS :
	       e == ENOMEM || e == ENOBUFS ? -ENOMEM : -EIO;
}

/* Send one request of type (NFT_MSG_*) for family (a dump unless gen), and append every
 * reply message up to its end to b (*genid instead, for NFT_MSG_GETGEN). */
static int dump_one(struct mnl_socket *nl, struct dumpbuf *b, uint16_t type, int family,
		    const char *table, const char *set, uint32_t *genid)
{
	char req[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nfgenmsg *g;
	uint32_t portid = mnl_socket_get_portid(nl), seq = ++b->seq;
	bool done = false;

	nlh->nlmsg_type = (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST | (genid ? NLM_F_ACK : NLM_F_DUMP);
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = (uint8_t)family;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	if (table) {
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, table);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set);
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return dump_error(errno);
	while (!done) {
		ssize_t n;
		int left, r = dump_reserve(b, 1 << 16);
		const struct nlmsghdr *m;

		if (r < 0)
			return r;
		n = mnl_socket_recvfrom(nl, b->p + b->len, b->cap - b->len);
		if (n < 0)
			return errno == ENOBUFS ? -EAGAIN : dump_error(errno);
		left = (int)n;
		for (m = (void *)(b->p + b->len); mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			if (!mnl_nlmsg_portid_ok(m, portid) || m->nlmsg_seq != seq)
				return -EIO;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(m);

				if (m->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
					return -EIO;
				if (err->error)
					return err->error == -ENOENT && !genid ? -EAGAIN
									     : dump_error(-err->error);
				done = true; /* the ack of a request */
			} else if (m->nlmsg_type == NLMSG_DONE) {
				done = true;
			} else if (genid && NFNL_MSG_TYPE(m->nlmsg_type) == NFT_MSG_NEWGEN) {
				const struct nlattr *a;

				mnl_attr_for_each(a, m, sizeof(struct nfgenmsg))
					if (mnl_attr_get_type(a) == NFTA_GEN_ID &&
					    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
						*genid = ntohl(mnl_attr_get_u32(a));
			}
		}
		if (left != 0)
			return -EIO;
		if (!genid)
			b->len += (size_t)n;
	}
	return 0;
}

/* The set elements of every set of the ip, ip6 and inet tables the set dump (b->p from
 * start) listed: one dump each. */
static int dump_elems(struct mnl_socket *nl, struct dumpbuf *b, size_t start, size_t end)
{
	for (size_t off = start; off < end;) {
		const struct nlmsghdr *m = (void *)(b->p + off);
		const struct nfgenmsg *g = mnl_nlmsg_get_payload(m);
		char table[256] = "", set[256] = "";
		const struct nlattr *a;
		int family = g->nfgen_family, r;

		off += MNL_ALIGN(m->nlmsg_len);
		if (NFNL_MSG_TYPE(m->nlmsg_type) != NFT_MSG_NEWSET || m->nlmsg_type == NLMSG_DONE ||
		    (family != NFPROTO_IPV4 && family != NFPROTO_IPV6 && family != NFPROTO_INET))
			continue;
		mnl_attr_for_each(a, m, sizeof(*g)) {
			char *dst = mnl_attr_get_type(a) == NFTA_SET_TABLE ? table :
				    mnl_attr_get_type(a) == NFTA_SET_NAME ? set : NULL;

			if (dst && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(dst, 256, "%s", mnl_attr_get_str(a));
		}
		if (!table[0] || !set[0])
			return -EIO;
		/* b->p may move: the loop reads by offset */
		if ((r = dump_one(nl, b, NFT_MSG_GETSETELEM, family, table, set, NULL)) < 0)
			return r;
	}
	return 0;
}

/* One consistent snapshot: the generation is the same before and after the dumps. */
static int dump_all(struct mnl_socket *nl, struct dumpbuf *b)
{
	uint32_t gen0 = 0, gen1 = 1;
	size_t sets;
	int r;

	for (int tries = 0; tries < 4; tries++) {
		b->len = 0;
		if ((r = dump_one(nl, b, NFT_MSG_GETGEN, NFPROTO_UNSPEC, NULL, NULL, &gen0)) < 0 ||
		    (r = dump_one(nl, b, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC, NULL, NULL, NULL)) < 0)
			return r;
		sets = b->len;
		if ((r = dump_one(nl, b, NFT_MSG_GETSET, NFPROTO_UNSPEC, NULL, NULL, NULL)) < 0)
			return r;
		r = dump_elems(nl, b, sets, b->len);
		if (r == 0)
			r = dump_one(nl, b, NFT_MSG_GETRULE, NFPROTO_UNSPEC, NULL, NULL, NULL);
		if (r == 0)
			r = dump_one(nl, b, NFT_MSG_GETGEN, NFPROTO_UNSPEC, NULL, NULL, &gen1);
		if (r == -EAGAIN || (r == 0 && gen0 != gen1))
			continue; /* changed while it was read: again */
		return r;
	}
	return -EAGAIN;
}

int fw_nl_dump(char **out, size_t *len)
{
	struct dumpbuf b = { 0 };
	struct mnl_socket *nl;
	int r;

	if (!priv_can(PRIV_NETADMIN))
		return -EPERM;
	priv_raise(PRIV_NETADMIN);
	nl = mnl_socket_open(NETLINK_NETFILTER);
	r = nl ? 0 : dump_error(errno);
	if (r == 0 && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = dump_error(errno);
	if (r == 0)
		r = dump_all(nl, &b);
	if (nl)
		mnl_socket_close(nl);
	priv_lower();
	if (r < 0) {
		free(b.p);
		return r;
	}
	*out = b.p;
	*len = b.len;
	return 0;
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
	char *buf = NULL;
	size_t len = 0;
	int r = fw_nl_dump(&buf, &len);

	if (r == 0)
		r = fw_nl_parse(rs, buf, len);
	free(buf);
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
