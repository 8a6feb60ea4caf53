/* iptables-nft's extensions: their binary structs into the records of nft's listings. */
/* glibc's networking headers before the kernel's (linux/in.h defers to them) */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_state.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv4/ipt_LOG.h>
#include <stdlib.h>
#include <string.h>

#include "listen/firewall.h"
#include "listen/firewall_nl.h"
#include "listen/firewall_xt.h"

/* A new text record (zeroed), or NULL. */
static struct fw_expr *text_add(struct fw_xt *x, uint8_t stmt)
{
	struct fw_expr *e = fw_grow(&x->text, &x->ntext, sizeof(*e));

	if (e)
		e->stmt = stmt;
	return e;
}

/* A name element. */
static int str_elem(struct fw_expr *e, const char *s)
{
	struct fw_elem *el = fw_grow(&e->elems, &e->nelems, sizeof(*el));

	if (!el)
		return -ENOMEM;
	el->kind = FW_ELEM_STR;
	return (el->str = strdup(s)) ? 0 : -ENOMEM;
}

/* "ct state a,b" of a conntrack or state mask, in the order libxtables prints the names. */
static int ct_state_text(struct fw_xt *x, unsigned mask, unsigned untracked)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ XT_CONNTRACK_STATE_INVALID, "invalid" }, { 1u << 3, "new" },
		{ 1u << 2, "related" }, { 1u << 1, "established" },
	};
	struct fw_expr *e;
	unsigned seen = 0;
	int r = 0;

	if (!mask || !(e = text_add(x, FW_ST_MATCH)))
		return mask ? -ENOMEM : (x->text_unsure = true, 0);
	e->key = FW_KEY_CT_STATE;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && r == 0; i++)
		if (mask & names[i].bit) {
			seen |= names[i].bit;
			r = str_elem(e, names[i].name);
		}
	if (r == 0 && (mask & untracked)) {
		seen |= untracked;
		r = str_elem(e, "untracked");
	}
	x->text_unsure |= mask != seen;
	return r;
}

/* -m conntrack: only --ctstate is translated as this decoder knows. */
static int xt_conntrack(struct fw_xt *x, uint32_t rev, const void *info, size_t len)
{
	uint16_t flags, inv, state;

	if (rev == 3 && len >= sizeof(struct xt_conntrack_mtinfo3)) {
		const struct xt_conntrack_mtinfo3 *m = info;

		flags = m->match_flags, inv = m->invert_flags, state = m->state_mask;
	} else if (rev == 2 && len >= sizeof(struct xt_conntrack_mtinfo2)) {
		const struct xt_conntrack_mtinfo2 *m = info;

		flags = m->match_flags, inv = m->invert_flags, state = m->state_mask;
	} else if (rev == 1 && len >= sizeof(struct xt_conntrack_mtinfo1)) {
		const struct xt_conntrack_mtinfo1 *m = info;

		flags = m->match_flags, inv = m->invert_flags, state = m->state_mask;
	} else {
		x->text_unsure = true;
		return 0;
	}
	/* -m state is -m conntrack --ctstate marked as its alias */
	if ((flags & ~XT_CONNTRACK_STATE_ALIAS) != XT_CONNTRACK_STATE) {
		x->text_unsure = true;
		return 0;
	}
	if (inv) {
		x->text_bad = true; /* "ct state ! new": the text reader stops there */
		return 0;
	}
	return ct_state_text(x, state, XT_CONNTRACK_STATE_UNTRACKED);
}

/* -m multiport: "tcp dport != { 22, 80-90 }". */
static int xt_multiport(struct fw_xt *x, uint32_t rev, const void *info, size_t len)
{
	const struct xt_multiport_v1 *m1 = info;
	const struct xt_multiport *m0 = info;
	uint8_t flags = rev == 1 ? m1->flags : m0->flags, count = rev == 1 ? m1->count : m0->count;
	const uint16_t *ports = rev == 1 ? m1->ports : m0->ports;
	bool tcp = x->l4 == IPPROTO_TCP;
	struct fw_expr *e;

	if ((rev == 1 && len < sizeof(*m1)) || (rev == 0 && len < sizeof(*m0)) || rev > 1 ||
	    count == 0 || count > XT_MULTI_PORTS || flags > XT_MULTIPORT_DESTINATION ||
	    (x->l4 != IPPROTO_TCP && x->l4 != IPPROTO_UDP)) {
		x->text_unsure = true;
		return 0;
	}
	if (!(e = text_add(x, FW_ST_MATCH)))
		return -ENOMEM;
	e->key = flags == XT_MULTIPORT_DESTINATION ? (tcp ? FW_KEY_TCP_DPORT : FW_KEY_UDP_DPORT)
						   : (tcp ? FW_KEY_TCP_OTHER : FW_KEY_UDP_OTHER);
	e->cmp = rev == 1 && m1->invert ? FW_CMP_NE : FW_CMP_EQ;
	for (uint8_t i = 0; i < count; i++) {
		struct fw_elem *el = fw_grow(&e->elems, &e->nelems, sizeof(*el));

		if (!el)
			return -ENOMEM;
		el->kind = FW_ELEM_NUM;
		el->lo = el->hi = ports[i];
		if (rev == 1 && m1->pflags[i] && i + 1 < count)
			el->hi = ports[++i];
	}
	return 0;
}

/* -m addrtype --dst-type: "fib daddr type [!=] { local, broadcast }". */
static int xt_addrtype(struct fw_xt *x, uint32_t rev, const void *info, size_t len)
{
	static const char *const types[] = { "unspec", "unicast", "local", "broadcast", "anycast",
					     "multicast", "blackhole", "unreachable", "prohibit",
					     "throw", "nat", "xresolve" };
	uint16_t src, dst;
	bool inv;
	struct fw_expr *e;

	if (rev == 1 && len >= sizeof(struct xt_addrtype_info_v1)) {
		const struct xt_addrtype_info_v1 *a = info;

		src = a->source, dst = a->dest, inv = a->flags & XT_ADDRTYPE_INVERT_DEST;
		if (a->flags & ~(uint32_t)XT_ADDRTYPE_INVERT_DEST)
			src = 1; /* an interface limit: not translated as below */
	} else if (rev == 0 && len >= sizeof(struct xt_addrtype_info)) {
		const struct xt_addrtype_info *a = info;

		src = a->source, dst = a->dest, inv = a->invert_dest;
		if (a->invert_source)
			src = 1;
	} else {
		src = 1, dst = 0, inv = false;
	}
	if (src || !dst || dst >> 12) {
		x->text_unsure = true;
		return 0;
	}
	if (!(e = text_add(x, FW_ST_MATCH)))
		return -ENOMEM;
	e->key = FW_KEY_FIB_DADDR_TYPE;
	e->cmp = inv ? FW_CMP_NE : FW_CMP_EQ;
	for (unsigned i = 0; i < 12; i++)
		if (dst & (1u << i) && str_elem(e, types[i]) < 0)
			return -ENOMEM;
	return 0;
}

/* -p icmp --icmp-type T: "icmp type NAME". */
static int xt_icmp(struct fw_xt *x, const void *info, size_t len)
{
	const struct ipt_icmp *m = info;
	struct fw_expr *e;
	unsigned char t;

	if (len < sizeof(*m) || m->invflags || m->code[0] != 0 || m->code[1] != 0xff ||
	    m->type == 0xff) {
		x->text_unsure = true;
		return 0;
	}
	if (!(e = text_add(x, FW_ST_MATCH)))
		return -ENOMEM;
	e->key = FW_KEY_FOREIGN_L4;
	t = m->type;
	return fw_nl_value(&e->elems, &e->nelems, FW_T_ICMP, &t, 1);
}

/* The single address and port of a nat range, or false when it is more than that. */
static bool nat_range(const void *info, size_t len, uint32_t rev, int family,
		      struct fw_expr *e)
{
	unsigned flags;
	uint16_t pmin, pmax;

	if (rev == 0) {
		const struct nf_nat_ipv4_multi_range_compat *m = info;

		if (len < sizeof(*m) || m->rangesize != 1 || family != NFPROTO_IPV4)
			return false;
		flags = m->range[0].flags;
		if ((flags & NF_NAT_RANGE_MAP_IPS) && m->range[0].min_ip != m->range[0].max_ip)
			return false;
		memcpy(e->addr, &m->range[0].min_ip, 4);
		pmin = m->range[0].min.all, pmax = m->range[0].max.all;
	} else {
		const struct nf_nat_range *m = info;
		size_t alen = family == NFPROTO_IPV4 ? 4 : 16;

		if (len < sizeof(*m) || (family != NFPROTO_IPV4 && family != NFPROTO_IPV6))
			return false;
		flags = m->flags;
		if ((flags & NF_NAT_RANGE_MAP_IPS) &&
		    memcmp(&m->min_addr, &m->max_addr, alen) != 0)
			return false;
		memcpy(e->addr, &m->min_addr, alen);
		pmin = m->min_proto.all, pmax = m->max_proto.all;
	}
	if (flags & ~(unsigned)(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED))
		return false;
	if ((flags & NF_NAT_RANGE_PROTO_SPECIFIED) && (pmin != pmax || pmin == 0))
		return false;
	if (flags & NF_NAT_RANGE_MAP_IPS)
		e->nat_family = family == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	else
		memset(e->addr, 0, sizeof(e->addr));
	if (flags & NF_NAT_RANGE_PROTO_SPECIFIED)
		e->port = ntohs(pmin);
	return true;
}

/* -j DNAT / REDIRECT: "dnat to ADDR[:PORT]", "redirect [to :PORT]". */
static int xt_dnat(struct fw_xt *x, uint32_t rev, const void *info, size_t len, bool redirect)
{
	struct fw_expr *e = text_add(x, FW_ST_DNAT);

	if (!e)
		return -ENOMEM;
	e->redirect = redirect;
	if (rev > 2 || !nat_range(info, len, rev, x->family, e) ||
	    (redirect ? e->nat_family != 0 : e->nat_family == 0))
		x->text_unsure = true;
	return 0;
}

/* -j MASQUERADE without options: "masquerade". */
static int xt_masquerade(struct fw_xt *x, uint32_t rev, const void *info, size_t len)
{
	struct fw_expr e = { 0 };

	if (rev != 0 || !nat_range(info, len, rev, x->family, &e) || e.port || e.nat_family) {
		x->text_unsure = true;
		return 0;
	}
	return text_add(x, FW_ST_NAT) ? 0 : -ENOMEM;
}

int fw_xt_decode(struct fw_xt *x, struct fw_expr *json, bool target, const char *name,
		 uint32_t rev, const void *info, size_t len)
{
	json->stmt = FW_ST_UNKNOWN;
	/* What the JSON reader makes of {"xt": {"type", "name"}} (firewall.c, parse_xt). */
	if (!target && strcmp(name, "comment") == 0)
		json->stmt = FW_ST_NOP; /* translated to nothing in the text listing */
	else if (target && strcmp(name, "LOG") == 0)
		json->stmt = FW_ST_NOP;
	else if (target && strcmp(name, "REJECT") == 0)
		json->stmt = FW_ST_VERDICT, json->verdict = FW_V_REJECT;
	if (json->stmt == FW_ST_UNKNOWN &&
	    asprintf(&json->name, "xt %s %s", target ? "target" : "match", name) < 0) {
		json->name = NULL;
		return -ENOMEM;
	}

	if (!target && strcmp(name, "comment") == 0)
		return 0;
	if (target && strcmp(name, "LOG") == 0) {
		const struct ipt_log_info *l = info;

		/* "log prefix ... level ...": flags are printed in a form the text reader half
		 * reads */
		if (len < sizeof(*l) || l->logflags || memchr(l->prefix, '"', sizeof(l->prefix)) ||
		    memchr(l->prefix, '\\', sizeof(l->prefix)))
			x->text_unsure = true;
		return text_add(x, FW_ST_NOP) ? 0 : -ENOMEM;
	}
	if (target && strcmp(name, "REJECT") == 0) {
		struct fw_expr *e = text_add(x, FW_ST_VERDICT);

		if (!e)
			return -ENOMEM;
		e->verdict = FW_V_REJECT;
		return 0;
	}
	if (!target && strcmp(name, "conntrack") == 0)
		return xt_conntrack(x, rev, info, len);
	if (!target && strcmp(name, "state") == 0) {
		const struct xt_state_info *s = info;

		if (len < sizeof(*s)) {
			x->text_unsure = true;
			return 0;
		}
		return ct_state_text(x, s->statemask, XT_STATE_UNTRACKED);
	}
	if (!target && strcmp(name, "multiport") == 0)
		return xt_multiport(x, rev, info, len);
	if (!target && strcmp(name, "addrtype") == 0)
		return xt_addrtype(x, rev, info, len);
	if (!target && strcmp(name, "icmp") == 0 && x->family == NFPROTO_IPV4)
		return xt_icmp(x, info, len);
	if (target && (strcmp(name, "DNAT") == 0 || strcmp(name, "REDIRECT") == 0))
		return xt_dnat(x, rev, info, len, name[0] == 'R');
	if (target && strcmp(name, "MASQUERADE") == 0)
		return xt_masquerade(x, rev, info, len);
	/* nft's text reader has no snat; libxtables has no translation of recent: both leave
	 * the rule's text line unparsed. Anything else is not reproduced. */
	if ((target && strcmp(name, "SNAT") == 0) || (!target && strcmp(name, "recent") == 0))
		x->text_bad = true;
	else
		x->text_unsure = true;
	return 0;
}

void fw_xt_free(struct fw_xt *x)
{
	struct fw_rule r = { .exprs = x->text, .nexprs = x->ntext };

	fw_rule_clear(&r);
	x->text = NULL;
	x->ntext = 0;
}
