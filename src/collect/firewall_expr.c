/*
 * A rule's register-based expressions (as the kernel holds them): loads into registers, then
 * the compare, lookup or range that reads them, as the one match nft lists; nft's dependency
 * elimination is redone. The rest of a rule is firewall_stmt.c's.
 */
/* glibc's networking headers before the kernel's (linux/in.h defers to them) */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <stdlib.h>
#include <string.h>

#include "listen/firewall.h"
#include "listen/firewall_nl.h"
#include "listen/firewall_dec.h"

/* Whether attribute a is there. */
bool fw_dec_has(const struct fw_dec_expr *e, unsigned a)
{
	return a < FW_XMAX && e->tb[a];
}

/* A 32-bit attribute (network order on the wire), 0 when absent or short. */
uint32_t fw_dec_u32(const struct fw_dec_expr *e, unsigned a)
{
	if (!fw_dec_has(e, a) || mnl_attr_get_payload_len(e->tb[a]) < 4)
		return 0;
	return ntohl(mnl_attr_get_u32(e->tb[a]));
}

/* A string attribute, NULL unless there and ended by its NUL. */
const char *fw_dec_str(const struct fw_dec_expr *e, unsigned a)
{
	if (!fw_dec_has(e, a) || mnl_attr_validate(e->tb[a], MNL_TYPE_NUL_STRING) < 0)
		return NULL;
	return mnl_attr_get_str(e->tb[a]);
}

/* The bytes of an attribute. */
const void *fw_dec_raw(const struct fw_dec_expr *e, unsigned a, uint32_t *len)
{
	if (!fw_dec_has(e, a))
		return NULL;
	*len = mnl_attr_get_payload_len(e->tb[a]);
	return mnl_attr_get_payload(e->tb[a]);
}

/* The attribute of type t fw_dec_nested in a (NFTA_DATA_VALUE in a data attribute...), or NULL. */
const struct nlattr *fw_dec_nested(const struct nlattr *a, uint16_t t)
{
	const struct nlattr *n;

	if (!a)
		return NULL;
	mnl_attr_for_each_nested(n, a)
		if (mnl_attr_get_type(n) == t)
			return n;
	return NULL;
}

/* The value of a data attribute (NFTA_DATA_VALUE fw_dec_nested in it). */
const unsigned char *fw_dec_data(const struct fw_dec_expr *e, unsigned a, uint32_t *len)
{
	const struct nlattr *v = fw_dec_has(e, a) ? fw_dec_nested(e->tb[a], NFTA_DATA_VALUE) : NULL;

	*len = 0;
	if (!v)
		return NULL;
	*len = mnl_attr_get_payload_len(v);
	return mnl_attr_get_payload(v);
}

/* A key, the type of its values, and what nft's dependency tracking makes of it. */
struct key {
	uint8_t key;               /* enum fw_key */
	uint8_t type;              /* enum fw_nl_type */
	uint8_t base;              /* payload base, or 0xff for other loads */
	uint8_t proto;             /* the header's protocol (IPPROTO_*, or NFPROTO_* for network) */
	int prefix;                /* bits of an address compared, -1: all */
};

/* A new statement (zeroed), or NULL. */
struct fw_dec_stmt *fw_dec_stmt(struct fw_dec *d)
{
	struct fw_dec_stmt *s;

	if (d->nst == d->cst) {
		size_t c = d->cst ? d->cst * 2 : 8;

		if (!(s = realloc(d->st, c * sizeof(*s))))
			return NULL;
		d->st = s;
		d->cst = c;
	}
	s = &d->st[d->nst++];
	memset(s, 0, sizeof(*s));
	s->same = true;
	return s;
}

/* Whether n bytes of a mask form a prefix; its length in *bits. */
static bool prefix_mask(const unsigned char *m, size_t n, int *bits)
{
	size_t i = 0;

	*bits = 0;
	while (i < n && m[i] == 0xff)
		i++, *bits += 8;
	if (i < n) {
		unsigned char b = m[i];

		while (b & 0x80)
			b = (unsigned char)(b << 1), (*bits)++;
		if (b)
			return false;
		for (i++; i < n; i++)
			if (m[i])
				return false;
	}
	return true;
}

/* What a register (loaded by meta, payload, ct or fib) is, as a key. -EOPNOTSUPP if not one
 * this decoder shows as nft does. */
static int key_of_reg(const struct fw_dec *d, const struct fw_dec_reg *g, struct key *k)
{
	*k = (struct key){ FW_KEY_OTHER, FW_T_NONE, 0xff, 0, -1 };
	if (g->src == FW_SRC_META && !g->masked) {
		static const struct { uint32_t m; uint8_t key, type; } metas[] = {
			{ NFT_META_L4PROTO, FW_KEY_L4PROTO, FW_T_PROTO },
			{ NFT_META_NFPROTO, FW_KEY_NFPROTO, FW_T_NFPROTO },
			{ NFT_META_IIF, FW_KEY_IIF, FW_T_IFINDEX },
			{ NFT_META_OIF, FW_KEY_OIF, FW_T_IFINDEX },
			{ NFT_META_IIFNAME, FW_KEY_IIFNAME, FW_T_IFNAME },
			{ NFT_META_OIFNAME, FW_KEY_OIFNAME, FW_T_IFNAME },
		};

		for (size_t i = 0; i < sizeof(metas) / sizeof(metas[0]); i++)
			if (metas[i].m == g->key) {
				k->key = metas[i].key;
				k->type = metas[i].type;
				return 0;
			}
		return -EOPNOTSUPP;
	}
	if (g->src == FW_SRC_CT && !g->dir && (g->key == NFT_CT_STATE || g->key == NFT_CT_STATUS)) {
		k->key = g->key == NFT_CT_STATE ? FW_KEY_CT_STATE : FW_KEY_CT_STATUS;
		k->type = g->key == NFT_CT_STATE ? FW_T_CT_STATE : FW_T_CT_STATUS;
		return 0;
	}
	if (g->src == FW_SRC_FIB && g->flags == NFTA_FIB_F_DADDR &&
	    g->key == NFT_FIB_RESULT_ADDRTYPE && !g->masked) {
		k->key = FW_KEY_FIB_DADDR_TYPE;
		k->type = FW_T_FIB_ADDR;
		return 0;
	}
	if (g->src != FW_SRC_PAYLOAD)
		return -EOPNOTSUPP;
	k->base = (uint8_t)g->base;
	if (g->base == NFT_PAYLOAD_NETWORK_HEADER) {
		uint8_t l3 = d->family == NFPROTO_IPV4 ? NFPROTO_IPV4 :
			     d->family == NFPROTO_IPV6 ? NFPROTO_IPV6 : d->l3;
		bool v4 = l3 == NFPROTO_IPV4;
		uint32_t alen = v4 ? 4 : 16, s = v4 ? 12 : 8, t = v4 ? 16 : 24;

		k->proto = l3;
		if (!l3)
			return -EOPNOTSUPP;
		if ((g->off == s || g->off == t) && g->len >= 1 && g->len <= alen) {
			/* a prefix: whole bytes loaded, and a mask on the last ones */
			k->key = g->off == s ? (v4 ? FW_KEY_SADDR4 : FW_KEY_SADDR6)
					     : (v4 ? FW_KEY_DADDR4 : FW_KEY_DADDR6);
			k->type = v4 ? FW_T_ADDR4 : FW_T_ADDR6;
			k->prefix = (int)g->len * 8;
			if (g->masked && !prefix_mask(g->mask, g->len, &k->prefix))
				return -EOPNOTSUPP;
			return 0;
		}
		if (g->off == (v4 ? 9u : 6u) && g->len == 1 && !g->masked) {
			k->key = v4 ? FW_KEY_L4PROTO4 : FW_KEY_L4PROTO6;
			k->type = FW_T_PROTO;
			return 0;
		}
		return -EOPNOTSUPP;
	}
	if (g->base != NFT_PAYLOAD_TRANSPORT_HEADER || g->masked)
		return -EOPNOTSUPP;
	k->proto = d->l4;
	switch (d->l4) {
	case 0:
		if (g->off != 2 || g->len != 2)
			return -EOPNOTSUPP;
		k->key = FW_KEY_TH_DPORT;
		break;
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if ((g->off != 0 && g->off != 2) || g->len != 2)
			return -EOPNOTSUPP;
		k->key = g->off == 2 ? (d->l4 == IPPROTO_TCP ? FW_KEY_TCP_DPORT : FW_KEY_UDP_DPORT)
				     : (d->l4 == IPPROTO_TCP ? FW_KEY_TCP_OTHER : FW_KEY_UDP_OTHER);
		break;
	case IPPROTO_SCTP:
		if ((g->off != 0 && g->off != 2) || g->len != 2)
			return -EOPNOTSUPP;
		k->key = g->off == 2 ? FW_KEY_SCTP_DPORT : FW_KEY_SCTP_OTHER;
		break;
	case IPPROTO_DCCP:
	case IPPROTO_UDPLITE:
		if ((g->off != 0 && g->off != 2) || g->len != 2)
			return -EOPNOTSUPP;
		k->key = FW_KEY_FOREIGN_L4;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (g->off != 0 || g->len != 1)
			return -EOPNOTSUPP;
		k->key = FW_KEY_FOREIGN_L4;
		k->type = d->l4 == IPPROTO_ICMP ? FW_T_ICMP : FW_T_ICMP6;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
	k->type = FW_T_PORT;
	return 0;
}

/* The index of the statement s, for dependency tracking. */
static long stmt_index(const struct fw_dec *d, const struct fw_dec_stmt *s)
{
	return (long)(s - d->st);
}

/* nft's dependency tracking after a match on key k (single value v when eq is set): a network
 * or transport header match drops the meta nfproto / l4proto match that only made it
 * possible; an eq match on a protocol key becomes the next one's dependency. */
static void track(struct fw_dec *d, const struct key *k, struct fw_dec_stmt *s, bool eq, uint32_t v)
{
	if (k->base == NFT_PAYLOAD_NETWORK_HEADER && d->dep_ll >= 0 &&
	    d->dep_ll_val == k->proto) {
		d->st[d->dep_ll].gone = true;
		d->dep_ll = -1;
	}
	if (k->base == NFT_PAYLOAD_TRANSPORT_HEADER && d->dep_nh >= 0 &&
	    d->dep_nh_val == k->proto && k->proto) {
		d->st[d->dep_nh].gone = true;
		d->dep_nh = -1;
	}
	/* icmp and icmpv6 headers imply their network protocol too */
	if (k->base == NFT_PAYLOAD_TRANSPORT_HEADER && d->dep_ll >= 0 &&
	    ((k->proto == IPPROTO_ICMP && d->dep_ll_val == NFPROTO_IPV4) ||
	     (k->proto == IPPROTO_ICMPV6 && d->dep_ll_val == NFPROTO_IPV6))) {
		d->st[d->dep_ll].gone = true;
		d->dep_ll = -1;
	}
	if (!eq)
		return;
	if (k->key == FW_KEY_NFPROTO && k->base == 0xff &&
	    (v == NFPROTO_IPV4 || v == NFPROTO_IPV6)) {
		d->l3 = (uint8_t)v;
		d->dep_ll = stmt_index(d, s);
		d->dep_ll_val = (uint8_t)v;
	} else if (k->key == FW_KEY_L4PROTO || k->key == FW_KEY_L4PROTO4 ||
		   k->key == FW_KEY_L4PROTO6) {
		/* ip protocol, ip6 nexthdr: the context, not a dependency nft drops */
		d->l4 = (uint8_t)v;
		if (k->base == 0xff) {
			d->dep_nh = stmt_index(d, s);
			d->dep_nh_val = (uint8_t)v;
		}
	}
}

/* Any statement but a match ends what nft tracks as dependencies (not what it knows). */
void fw_dec_untrack(struct fw_dec *d)
{
	d->dep_ll = d->dep_nh = -1;
}

/* The text listing's form of a match's values: an address range that is no prefix reads as
 * a word there, which this decoder does not reproduce. */
static void check_text(struct fw_dec *d, const struct fw_expr *x)
{
	for (size_t i = 0; i < x->nelems; i++) {
		const struct fw_elem *e = &x->elems[i];
		int bits;
		unsigned char m[16];
		size_t n = e->family == AF_INET ? 4 : 16;

		if (e->kind == FW_ELEM_STR && strpbrk(e->str, "\"\\ ,{}"))
			d->text_unsure = true;
		if (e->kind != FW_ELEM_ADDR)
			continue;
		for (size_t b = 0; b < n; b++)
			m[b] = (unsigned char)~(e->alo[b] ^ e->ahi[b]);
		if (!prefix_mask(m, n, &bits))
			d->text_unsure = true;
		for (size_t b = 0; b < n; b++)
			if ((e->alo[b] & ~m[b]) || ((e->ahi[b] | m[b]) != 0xff))
				d->text_unsure = true;
	}
}

/* nft's compare operators as the JSON reader's. */
static const uint8_t cmps[] = {
	[NFT_CMP_EQ] = FW_CMP_EQ, [NFT_CMP_NEQ] = FW_CMP_NE, [NFT_CMP_LT] = FW_CMP_LT,
	[NFT_CMP_LTE] = FW_CMP_LE, [NFT_CMP_GT] = FW_CMP_GT, [NFT_CMP_GTE] = FW_CMP_GE,
};

/* A compare of what register g holds: key op value (dlen bytes). */
static int cmp_reg(struct fw_dec *d, const struct fw_dec_reg *g, uint32_t op,
		   const unsigned char *v, uint32_t dlen)
{
	struct key k;
	struct fw_dec_stmt *s;
	int r;
	uint32_t val = 0;
	bool bitmask;

	if ((r = key_of_reg(d, g, &k)) < 0)
		return r;
	bitmask = k.type == FW_T_CT_STATE || k.type == FW_T_CT_STATUS;
	if (!(s = fw_dec_stmt(d)))
		return -ENOMEM;
	s->json.stmt = FW_ST_MATCH;
	s->json.key = k.key;
	if (bitmask && g->masked) {
		/* ct state & MASK != 0: "ct state a,b" (op "in"); == 0: "ct state != a,b" */
		bool zero = true;

		for (size_t i = 0; i < dlen; i++)
			zero &= v[i] == 0;
		if (!zero || (op != NFT_CMP_NEQ && op != NFT_CMP_EQ) || g->len != 4)
			return -EOPNOTSUPP;
		s->json.cmp = op == NFT_CMP_NEQ ? FW_CMP_EQ : FW_CMP_NE;
		r = fw_nl_value(&s->json.elems, &s->json.nelems, (enum fw_nl_type)k.type, g->mask,
				4);
	} else if (k.type == FW_T_ADDR4 || k.type == FW_T_ADDR6) {
		struct fw_elem *el;
		size_t alen = k.type == FW_T_ADDR4 ? 4 : 16;
		unsigned char a[16] = { 0 };

		if (op >= sizeof(cmps) || dlen != g->len ||
		    (op > NFT_CMP_NEQ && k.prefix != (int)alen * 8))
			return -EOPNOTSUPP;
		memcpy(a, v, dlen);
		s->json.cmp = cmps[op];
		if (!(el = fw_grow(&s->json.elems, &s->json.nelems, sizeof(*el))))
			return -ENOMEM;
		el->kind = FW_ELEM_ADDR;
		el->family = alen == 4 ? AF_INET : AF_INET6;
		memcpy(el->alo, a, alen);
		memcpy(el->ahi, a, alen);
		for (size_t bit = (size_t)k.prefix; bit < alen * 8; bit++) {
			if (el->alo[bit / 8] & (0x80 >> (bit % 8)))
				return -EOPNOTSUPP; /* nft shows a masked value otherwise */
			el->ahi[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
		}
		r = 0;
	} else {
		if (g->masked || op >= sizeof(cmps) || (op > NFT_CMP_NEQ && k.type != FW_T_PORT))
			return -EOPNOTSUPP;
		if (bitmask && op != NFT_CMP_EQ && op != NFT_CMP_NEQ)
			return -EOPNOTSUPP;
		s->json.cmp = cmps[op];
		r = fw_nl_value(&s->json.elems, &s->json.nelems, (enum fw_nl_type)k.type, v, dlen);
		if (r == 0 && bitmask && s->json.nelems != 1) {
			/* "ct state != established | related": nft's JSON makes it {"|": [...]},
			 * one element the JSON reader cannot compare */
			for (size_t i = 1; i < s->json.nelems; i++)
				free(s->json.elems[i].str);
			free(s->json.elems[0].str);
			s->json.elems[0] = (struct fw_elem){ .kind = FW_ELEM_OTHER };
			s->json.nelems = 1;
			d->text_bad = true; /* the text reader stops at the | */
		} else if (r == 0 && bitmask && op == NFT_CMP_NEQ) {
			return -EOPNOTSUPP; /* one flag, != without a mask: not a form nft makes */
		}
	}
	if (r < 0)
		return r;
	if (dlen <= 4 && (k.type == FW_T_PROTO || k.type == FW_T_NFPROTO))
		val = v[0];
	check_text(d, &s->json);
	track(d, &k, s, op == NFT_CMP_EQ && !g->masked && dlen == 1, val);
	return 0;
}

/* A compare: key op value. iptables-nft compares a TCP or UDP header's source and
 * destination ports at once, which nft lists as two matches. */
int fw_dec_cmp(struct fw_dec *d, const struct fw_dec_expr *e)
{
	uint32_t sreg = fw_dec_u32(e, NFTA_CMP_SREG), dlen = 0;
	uint32_t op = fw_dec_u32(e, NFTA_CMP_OP);
	const unsigned char *v = fw_dec_data(e, NFTA_CMP_DATA, &dlen);
	const struct fw_dec_reg *g = sreg < FW_NREGS ? &d->regs[sreg] : NULL;
	struct fw_dec_reg half;
	int r;

	if (!g || !v || !dlen || dlen > 16 || g->src == FW_SRC_NONE || g->src == FW_SRC_IMM)
		return -EOPNOTSUPP;
	if (op == NFT_CMP_LTE && d->ge >= 0 && d->ge_reg == sreg && d->ge == (long)d->nst - 1) {
		/* ">= a" then "<= b" of one load: nft lists the range a-b */
		struct fw_expr *x = &d->st[d->ge].json;
		struct fw_elem *hi = NULL;
		size_t n = 0;
		bool addr = x->nelems == 1 && x->elems[0].kind == FW_ELEM_ADDR;

		if (x->nelems != 1 || (r = fw_nl_value(&hi, &n, addr ? (dlen == 4 ? FW_T_ADDR4 :
								       FW_T_ADDR6) : FW_T_PORT,
						       v, dlen)) < 0)
			return x->nelems != 1 ? -EOPNOTSUPP : r;
		x->cmp = FW_CMP_EQ;
		x->elems[0].hi = hi->hi;
		memcpy(x->elems[0].ahi, hi->ahi, sizeof(hi->ahi));
		free(hi);
		d->ge = -1;
		check_text(d, x);
		return 0;
	}
	if (op == NFT_CMP_GTE) {
		d->ge = (long)d->nst;
		d->ge_reg = sreg;
	}
	if (g->src != FW_SRC_PAYLOAD || g->base != NFT_PAYLOAD_TRANSPORT_HEADER || g->off != 0 ||
	    g->len != 4 || dlen != 4 || g->masked)
		return cmp_reg(d, g, op, v, dlen);
	if (op != NFT_CMP_EQ || (d->l4 != IPPROTO_TCP && d->l4 != IPPROTO_UDP))
		return -EOPNOTSUPP;
	half = *g;
	half.len = 2;
	if ((r = cmp_reg(d, &half, op, v, 2)) < 0)
		return r;
	half.off = 2;
	return cmp_reg(d, &half, op, v + 2, 2);
}

/* The set named name in the rule's table. */
static const struct fw_nl_set *find_set(const struct fw_dec *d, const char *name)
{
	for (size_t i = 0; i < d->nsets; i++) {
		const struct fw_nl_set *s = &d->sets[i];

		if (s->family == (d->family == NFPROTO_IPV4 ? FW_FAM_IP :
				  d->family == NFPROTO_IPV6 ? FW_FAM_IP6 : FW_FAM_INET) &&
		    strcmp(s->name, name) == 0 && strcmp(s->table, d->table) == 0)
			return s;
	}
	return NULL;
}

/* A copy of n elements. */
static int copy_elems(struct fw_elem **out, size_t *nout, const struct fw_elem *v, size_t n)
{
	if (!n)
		return 0;
	if (!(*out = calloc(n, sizeof(**out))))
		return -ENOMEM;
	*nout = n;
	for (size_t i = 0; i < n; i++) {
		(*out)[i] = v[i];
		(*out)[i].str = (*out)[i].target = NULL;
		if ((v[i].str && !((*out)[i].str = strdup(v[i].str))) ||
		    (v[i].target && !((*out)[i].target = strdup(v[i].target))))
			return -ENOMEM;
	}
	return 0;
}

/* A lookup: key in a set (a match), or in a verdict map (a vmap). */
int fw_dec_lookup(struct fw_dec *d, const struct fw_dec_expr *e)
{
	uint32_t sreg = fw_dec_u32(e, NFTA_LOOKUP_SREG);
	const char *name = fw_dec_str(e, NFTA_LOOKUP_SET);
	uint32_t flags = fw_dec_has(e, NFTA_LOOKUP_FLAGS) ?
			 fw_dec_u32(e, NFTA_LOOKUP_FLAGS) : 0;
	bool vmap = fw_dec_has(e, NFTA_LOOKUP_DREG);
	struct fw_dec_reg *g = sreg < FW_NREGS ? &d->regs[sreg] : NULL;
	const struct fw_nl_set *set = name ? find_set(d, name) : NULL;
	struct key k;
	struct fw_dec_stmt *s;
	int r;

	if (!g || !set || g->masked || flags & ~NFT_LOOKUP_F_INV)
		return -EOPNOTSUPP;
	if ((r = key_of_reg(d, g, &k)) < 0)
		return r;
	if (k.prefix >= 0 && k.prefix != (k.type == FW_T_ADDR4 ? 32 : 128))
		return -EOPNOTSUPP;
	if (vmap && (fw_dec_u32(e, NFTA_LOOKUP_DREG) != NFT_REG_VERDICT ||
		     set->data_type != NFT_DATA_VERDICT || flags))
		return -EOPNOTSUPP;
	if (!vmap && (set->flags & NFT_SET_MAP))
		return -EOPNOTSUPP;
	if (!(s = fw_dec_stmt(d)))
		return -ENOMEM;
	s->json.stmt = vmap ? FW_ST_VMAP : FW_ST_MATCH;
	s->json.key = k.key;
	s->json.cmp = flags & NFT_LOOKUP_F_INV ? FW_CMP_NE : FW_CMP_EQ;
	if (vmap)
		d->text_bad = true; /* the text reader does not read vmaps */
	if (!(set->flags & NFT_SET_ANONYMOUS))
		r = (s->json.set = strdup(set->name)) ? 0 : -ENOMEM;
	else
		r = copy_elems(&s->json.elems, &s->json.nelems, set->elems, set->nelems);
	if (r < 0)
		return r;
	check_text(d, &s->json);
	track(d, &k, s, false, 0);
	return 0;
}

/* A range: key in [from, to] (or not). */
int fw_dec_range(struct fw_dec *d, const struct fw_dec_expr *e)
{
	uint32_t sreg = fw_dec_u32(e, NFTA_RANGE_SREG), flen = 0, tlen = 0;
	uint32_t op = fw_dec_u32(e, NFTA_RANGE_OP);
	const unsigned char *from = fw_dec_data(e, NFTA_RANGE_FROM_DATA, &flen);
	const unsigned char *to = fw_dec_data(e, NFTA_RANGE_TO_DATA, &tlen);
	struct fw_dec_reg *g = sreg < FW_NREGS ? &d->regs[sreg] : NULL;
	struct fw_elem *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	struct key k;
	struct fw_dec_stmt *s;
	int r;

	if (!g || !from || !to || flen != tlen || flen != g->len || g->masked ||
	    (op != NFT_RANGE_EQ && op != NFT_RANGE_NEQ))
		return -EOPNOTSUPP;
	if ((r = key_of_reg(d, g, &k)) < 0)
		return r;
	if (k.type != FW_T_PORT && k.type != FW_T_ADDR4 && k.type != FW_T_ADDR6)
		return -EOPNOTSUPP;
	if (k.prefix >= 0 && k.prefix != (k.type == FW_T_ADDR4 ? 32 : 128))
		return -EOPNOTSUPP;
	r = fw_nl_value(&a, &na, (enum fw_nl_type)k.type, from, flen);
	if (r == 0)
		r = fw_nl_value(&b, &nb, (enum fw_nl_type)k.type, to, tlen);
	if (r == 0 && !(s = fw_dec_stmt(d)))
		r = -ENOMEM;
	if (r == 0) {
		s->json.stmt = FW_ST_MATCH;
		s->json.key = k.key;
		s->json.cmp = op == NFT_RANGE_EQ ? FW_CMP_EQ : FW_CMP_NE;
		a->hi = b->hi;
		memcpy(a->ahi, b->ahi, sizeof(a->ahi));
		s->json.elems = a;
		s->json.nelems = na;
		a = NULL;
		check_text(d, &s->json);
		track(d, &k, s, false, 0);
	}
	free(a);
	free(b);
	return r;
}

/* A load into a register: meta, payload, ct, fib. */
int fw_dec_load(struct fw_dec *d, const struct fw_dec_expr *e, const char *n)
{
	bool meta = strcmp(n, "meta") == 0, payload = strcmp(n, "payload") == 0;
	bool ct = strcmp(n, "ct") == 0;
	uint32_t dreg_attr = meta ? NFTA_META_DREG : payload ? NFTA_PAYLOAD_DREG :
			     ct ? NFTA_CT_DREG : NFTA_FIB_DREG;
	uint32_t dreg;
	struct fw_dec_reg g = { 0 };

	if (!fw_dec_has(e, dreg_attr))
		return -EOPNOTSUPP; /* a set: meta mark set, payload mangling... */
	dreg = fw_dec_u32(e, dreg_attr);
	if (dreg == NFT_REG_VERDICT || dreg >= FW_NREGS)
		return -EOPNOTSUPP;
	if (meta) {
		g.src = FW_SRC_META;
		g.key = fw_dec_u32(e, NFTA_META_KEY);
		g.len = g.key == NFT_META_IIFNAME || g.key == NFT_META_OIFNAME ? 16 :
			g.key == NFT_META_L4PROTO || g.key == NFT_META_NFPROTO ? 1 : 4;
	} else if (payload) {
		g.src = FW_SRC_PAYLOAD;
		g.base = fw_dec_u32(e, NFTA_PAYLOAD_BASE);
		g.off = fw_dec_u32(e, NFTA_PAYLOAD_OFFSET);
		g.len = fw_dec_u32(e, NFTA_PAYLOAD_LEN);
		if (g.len == 0 || g.len > 16)
			return -EOPNOTSUPP;
	} else if (ct) {
		g.src = FW_SRC_CT;
		g.key = fw_dec_u32(e, NFTA_CT_KEY);
		g.dir = fw_dec_has(e, NFTA_CT_DIRECTION);
		g.len = 4;
	} else {
		g.src = FW_SRC_FIB;
		g.key = fw_dec_u32(e, NFTA_FIB_RESULT);
		g.flags = fw_dec_u32(e, NFTA_FIB_FLAGS);
		g.len = 4;
	}
	d->regs[dreg] = g;
	return 0;
}

/* bitwise: a mask on a loaded register (prefixes, ct state flags). */
int fw_dec_bitwise(struct fw_dec *d, const struct fw_dec_expr *e)
{
	uint32_t sreg = fw_dec_u32(e, NFTA_BITWISE_SREG);
	uint32_t dreg = fw_dec_u32(e, NFTA_BITWISE_DREG);
	uint32_t len = fw_dec_u32(e, NFTA_BITWISE_LEN), mlen = 0, xlen = 0;
	const unsigned char *mask = fw_dec_data(e, NFTA_BITWISE_MASK, &mlen);
	const unsigned char *xor = fw_dec_data(e, NFTA_BITWISE_XOR, &xlen);
	struct fw_dec_reg g;

	if (sreg >= FW_NREGS || dreg >= FW_NREGS || dreg == NFT_REG_VERDICT || !mask || !xor ||
	    mlen != len || xlen != len || len > 16 || d->regs[sreg].masked ||
	    d->regs[sreg].src == FW_SRC_NONE || d->regs[sreg].src == FW_SRC_IMM ||
	    (fw_dec_has(e, NFTA_BITWISE_OP) &&
	     fw_dec_u32(e, NFTA_BITWISE_OP) != NFT_BITWISE_BOOL))
		return -EOPNOTSUPP;
	for (uint32_t i = 0; i < len; i++)
		if (xor[i])
			return -EOPNOTSUPP;
	g = d->regs[sreg];
	if (g.len != len)
		return -EOPNOTSUPP;
	g.masked = true;
	memcpy(g.mask, mask, len);
	d->regs[dreg] = g;
	return 0;
}
