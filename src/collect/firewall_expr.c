/*
 * A rule's register-based expressions (as the kernel holds them) into the statements the JSON
 * reader makes of nft's listing of the same rule: loads into registers, then the compare,
 * lookup or range that reads them is one match; nft's dependency elimination is redone.
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
#include "listen/firewall_xt.h"

#define NREGS 24 /* NFT_REG_VERDICT .. NFT_REG32_15 */
#define XMAX 16  /* above every NFTA_<expression>_* attribute this decoder reads */

/* One expression of a rule: its name and its attributes by type (NULL when absent). */
struct xexpr {
	const char *name;
	const struct nlattr *tb[XMAX];
};

/* Whether attribute a is there. */
static bool x_has(const struct xexpr *e, unsigned a)
{
	return a < XMAX && e->tb[a];
}

/* A 32-bit attribute (network order on the wire), 0 when absent or short. */
static uint32_t x_u32(const struct xexpr *e, unsigned a)
{
	if (!x_has(e, a) || mnl_attr_get_payload_len(e->tb[a]) < 4)
		return 0;
	return ntohl(mnl_attr_get_u32(e->tb[a]));
}

/* A string attribute, NULL unless there and ended by its NUL. */
static const char *x_str(const struct xexpr *e, unsigned a)
{
	if (!x_has(e, a) || mnl_attr_validate(e->tb[a], MNL_TYPE_NUL_STRING) < 0)
		return NULL;
	return mnl_attr_get_str(e->tb[a]);
}

/* The bytes of an attribute. */
static const void *x_raw(const struct xexpr *e, unsigned a, uint32_t *len)
{
	if (!x_has(e, a))
		return NULL;
	*len = mnl_attr_get_payload_len(e->tb[a]);
	return mnl_attr_get_payload(e->tb[a]);
}

/* The attribute of type t nested in a (NFTA_DATA_VALUE in a data attribute...), or NULL. */
static const struct nlattr *nested(const struct nlattr *a, uint16_t t)
{
	const struct nlattr *n;

	if (!a)
		return NULL;
	mnl_attr_for_each_nested(n, a)
		if (mnl_attr_get_type(n) == t)
			return n;
	return NULL;
}

/* The value of a data attribute (NFTA_DATA_VALUE nested in it). */
static const unsigned char *x_data(const struct xexpr *e, unsigned a, uint32_t *len)
{
	const struct nlattr *v = x_has(e, a) ? nested(e->tb[a], NFTA_DATA_VALUE) : NULL;

	*len = 0;
	if (!v)
		return NULL;
	*len = mnl_attr_get_payload_len(v);
	return mnl_attr_get_payload(v);
}

/* Where a register's value came from. */
enum src { SRC_NONE, SRC_META, SRC_PAYLOAD, SRC_CT, SRC_FIB, SRC_IMM };

struct reg {
	uint8_t src;               /* enum src */
	uint32_t key;              /* meta or ct key; fib result */
	uint32_t base, off, len;   /* payload; len of any load */
	uint32_t flags;            /* fib flags */
	bool dir;                  /* ct with a direction */
	bool masked;
	unsigned char mask[16];
	unsigned char data[16];    /* immediate */
	uint32_t dlen;
};

/* One statement of nft's listing: the JSON reader's record of it, and the text reader's. */
struct stmt {
	struct fw_expr json;
	struct fw_expr *text;      /* for xt: the records of its translation */
	size_t ntext;
	bool same;                 /* the text reader makes json (anything but xt) */
	bool gone;                 /* dropped by nft as a dependency */
};

struct dec {
	int family;
	const char *table;
	const struct fw_nl_set *sets;
	size_t nsets;
	struct reg regs[NREGS];
	struct stmt *st;
	size_t nst, cst;
	uint8_t l3;                /* NFPROTO_IPV4/IPV6 known to the protocol context, or 0 */
	uint8_t l4;                /* the transport protocol it knows, or 0 */
	long dep_ll, dep_nh;       /* statements a network / transport header match makes
				    * redundant (meta nfproto, meta l4proto), or -1 */
	uint8_t dep_ll_val, dep_nh_val;
	bool xt_unknown;           /* an xt the JSON reader leaves unknown: text form applies */
	bool text_bad;             /* the text listing of this rule does not parse */
	bool text_unsure;          /* its text form is not one this decoder reproduces */
	long ge;                   /* the statement of a `>=` compare just made, or -1 */
	uint32_t ge_reg;           /* of this register */
};

/* A key, the type of its values, and what nft's dependency tracking makes of it. */
struct key {
	uint8_t key;               /* enum fw_key */
	uint8_t type;              /* enum fw_nl_type */
	uint8_t base;              /* payload base, or 0xff for other loads */
	uint8_t proto;             /* the header's protocol (IPPROTO_*, or NFPROTO_* for network) */
	int prefix;                /* bits of an address compared, -1: all */
};

/* A new statement (zeroed), or NULL. */
static struct stmt *add_stmt(struct dec *d)
{
	struct stmt *s;

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
static int key_of_reg(const struct dec *d, const struct reg *g, struct key *k)
{
	*k = (struct key){ FW_KEY_OTHER, FW_T_NONE, 0xff, 0, -1 };
	if (g->src == SRC_META && !g->masked) {
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
	if (g->src == SRC_CT && !g->dir && (g->key == NFT_CT_STATE || g->key == NFT_CT_STATUS)) {
		k->key = g->key == NFT_CT_STATE ? FW_KEY_CT_STATE : FW_KEY_CT_STATUS;
		k->type = g->key == NFT_CT_STATE ? FW_T_CT_STATE : FW_T_CT_STATUS;
		return 0;
	}
	if (g->src == SRC_FIB && g->flags == NFTA_FIB_F_DADDR &&
	    g->key == NFT_FIB_RESULT_ADDRTYPE && !g->masked) {
		k->key = FW_KEY_FIB_DADDR_TYPE;
		k->type = FW_T_FIB_ADDR;
		return 0;
	}
	if (g->src != SRC_PAYLOAD)
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
			k->key = FW_KEY_L4PROTO;
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
static long stmt_index(const struct dec *d, const struct stmt *s)
{
	return (long)(s - d->st);
}

/* nft's dependency tracking after a match on key k (single value v when eq is set): a network
 * or transport header match drops the meta nfproto / l4proto match that only made it
 * possible; an eq match on a protocol key becomes the next one's dependency. */
static void track(struct dec *d, const struct key *k, struct stmt *s, bool eq, uint32_t v)
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
	} else if (k->key == FW_KEY_L4PROTO) {
		/* ip protocol, ip6 nexthdr: the context, not a dependency nft drops */
		d->l4 = (uint8_t)v;
		if (k->base == 0xff) {
			d->dep_nh = stmt_index(d, s);
			d->dep_nh_val = (uint8_t)v;
		}
	}
}

/* Any statement but a match ends what nft tracks as dependencies (not what it knows). */
static void untrack(struct dec *d)
{
	d->dep_ll = d->dep_nh = -1;
}

/* The text listing's form of a match's values: an address range that is no prefix reads as
 * a word there, which this decoder does not reproduce. */
static void check_text(struct dec *d, const struct fw_expr *x)
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

/* A compare of what register g holds: key op value (dlen bytes). */
static int cmp_reg(struct dec *d, const struct reg *g, uint32_t op, const unsigned char *v,
		   uint32_t dlen)
{
	struct key k;
	struct stmt *s;
	int r;
	uint32_t val = 0;
	bool bitmask;

	if ((r = key_of_reg(d, g, &k)) < 0)
		return r;
	bitmask = k.type == FW_T_CT_STATE || k.type == FW_T_CT_STATUS;
	if (!(s = add_stmt(d)))
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
		r = fw_nl_value(&s->json.elems, &s->json.nelems, (enum fw_nl_type)k.type, g->mask, 4);
	} else if (k.type == FW_T_ADDR4 || k.type == FW_T_ADDR6) {
		struct fw_elem *el;
		size_t alen = k.type == FW_T_ADDR4 ? 4 : 16;
		unsigned char a[16] = { 0 };

		static const uint8_t acmps[] = {
			[NFT_CMP_EQ] = FW_CMP_EQ, [NFT_CMP_NEQ] = FW_CMP_NE, [NFT_CMP_LT] = FW_CMP_LT,
			[NFT_CMP_LTE] = FW_CMP_LE, [NFT_CMP_GT] = FW_CMP_GT, [NFT_CMP_GTE] = FW_CMP_GE,
		};

		if (op >= sizeof(acmps) || dlen != g->len ||
		    (op > NFT_CMP_NEQ && k.prefix != (int)alen * 8))
			return -EOPNOTSUPP;
		memcpy(a, v, dlen);
		s->json.cmp = acmps[op];
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
		static const uint8_t cmps[] = {
			[NFT_CMP_EQ] = FW_CMP_EQ, [NFT_CMP_NEQ] = FW_CMP_NE, [NFT_CMP_LT] = FW_CMP_LT,
			[NFT_CMP_LTE] = FW_CMP_LE, [NFT_CMP_GT] = FW_CMP_GT, [NFT_CMP_GTE] = FW_CMP_GE,
		};

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
static int do_cmp(struct dec *d, const struct xexpr *e)
{
	uint32_t sreg = x_u32(e, NFTA_CMP_SREG), dlen = 0;
	uint32_t op = x_u32(e, NFTA_CMP_OP);
	const unsigned char *v = x_data(e, NFTA_CMP_DATA, &dlen);
	const struct reg *g = sreg < NREGS ? &d->regs[sreg] : NULL;
	struct reg half;
	int r;

	if (!g || !v || !dlen || dlen > 16 || g->src == SRC_NONE || g->src == SRC_IMM)
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
	if (g->src != SRC_PAYLOAD || g->base != NFT_PAYLOAD_TRANSPORT_HEADER || g->off != 0 ||
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
static const struct fw_nl_set *find_set(const struct dec *d, const char *name)
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
static int do_lookup(struct dec *d, const struct xexpr *e)
{
	uint32_t sreg = x_u32(e, NFTA_LOOKUP_SREG);
	const char *name = x_str(e, NFTA_LOOKUP_SET);
	uint32_t flags = x_has(e, NFTA_LOOKUP_FLAGS) ?
			 x_u32(e, NFTA_LOOKUP_FLAGS) : 0;
	bool vmap = x_has(e, NFTA_LOOKUP_DREG);
	struct reg *g = sreg < NREGS ? &d->regs[sreg] : NULL;
	const struct fw_nl_set *set = name ? find_set(d, name) : NULL;
	struct key k;
	struct stmt *s;
	int r;

	if (!g || !set || g->masked || flags & ~NFT_LOOKUP_F_INV)
		return -EOPNOTSUPP;
	if ((r = key_of_reg(d, g, &k)) < 0)
		return r;
	if (k.prefix >= 0 && k.prefix != (k.type == FW_T_ADDR4 ? 32 : 128))
		return -EOPNOTSUPP;
	if (vmap && (x_u32(e, NFTA_LOOKUP_DREG) != NFT_REG_VERDICT ||
		     set->data_type != NFT_DATA_VERDICT || flags))
		return -EOPNOTSUPP;
	if (!vmap && (set->flags & NFT_SET_MAP))
		return -EOPNOTSUPP;
	if (!(s = add_stmt(d)))
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
static int do_range(struct dec *d, const struct xexpr *e)
{
	uint32_t sreg = x_u32(e, NFTA_RANGE_SREG), flen = 0, tlen = 0;
	uint32_t op = x_u32(e, NFTA_RANGE_OP);
	const unsigned char *from = x_data(e, NFTA_RANGE_FROM_DATA, &flen);
	const unsigned char *to = x_data(e, NFTA_RANGE_TO_DATA, &tlen);
	struct reg *g = sreg < NREGS ? &d->regs[sreg] : NULL;
	struct fw_elem *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	struct key k;
	struct stmt *s;
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
	if (r == 0 && !(s = add_stmt(d)))
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

/* A statement that is not a match: it ends the tracked dependencies. */
static struct stmt *add_other(struct dec *d, uint8_t stmt)
{
	struct stmt *s = add_stmt(d);

	untrack(d);
	if (s)
		s->json.stmt = stmt;
	return s;
}

/* An unknown statement named as the JSON reader names it. */
static int add_unknown(struct dec *d, const char *name)
{
	struct stmt *s = add_other(d, FW_ST_UNKNOWN);

	if (!s || !(s->json.name = strdup(name)))
		return -ENOMEM;
	d->text_bad = true;
	return 0;
}

/* An immediate: a verdict, or data loaded into a register. */
static int do_immediate(struct dec *d, const struct xexpr *e)
{
	uint32_t dreg = x_u32(e, NFTA_IMMEDIATE_DREG), len = 0;
	const struct nlattr *vd, *code, *chain;
	struct stmt *s;

	if (dreg != NFT_REG_VERDICT) {
		const void *v = x_data(e, NFTA_IMMEDIATE_DATA, &len);

		if (dreg >= NREGS || !v || len > 16)
			return -EOPNOTSUPP;
		d->regs[dreg] = (struct reg){ .src = SRC_IMM, .dlen = len, .len = len };
		memcpy(d->regs[dreg].data, v, len);
		return 0;
	}
	vd = x_has(e, NFTA_IMMEDIATE_DATA) ? nested(e->tb[NFTA_IMMEDIATE_DATA], NFTA_DATA_VERDICT)
					   : NULL;
	code = nested(vd, NFTA_VERDICT_CODE);
	chain = nested(vd, NFTA_VERDICT_CHAIN);
	if (!code || mnl_attr_get_payload_len(code) < 4)
		return -EOPNOTSUPP;
	if (!(s = add_other(d, FW_ST_VERDICT)))
		return -ENOMEM;
	switch ((int)ntohl(mnl_attr_get_u32(code))) {
	case NF_ACCEPT: s->json.verdict = FW_V_ACCEPT; return 0;
	case NF_DROP: s->json.verdict = FW_V_DROP; return 0;
	case NFT_CONTINUE: s->json.verdict = FW_V_CONTINUE; return 0;
	case NFT_RETURN: s->json.verdict = FW_V_RETURN; return 0;
	case NFT_JUMP: s->json.verdict = FW_V_JUMP; break;
	case NFT_GOTO: s->json.verdict = FW_V_GOTO; break;
	default: return -EOPNOTSUPP;
	}
	if (!chain || mnl_attr_validate(chain, MNL_TYPE_NUL_STRING) < 0)
		return -EOPNOTSUPP;
	s->json.target = strdup(mnl_attr_get_str(chain));
	return s->json.target ? 0 : -ENOMEM;
}

/* The port an immediate in a nat register gives (network order in the register). */
static int nat_port(const struct dec *d, uint32_t reg, uint16_t *port)
{
	const struct reg *g = reg < NREGS ? &d->regs[reg] : NULL;

	if (!g || g->src != SRC_IMM || g->dlen != 2)
		return -EOPNOTSUPP;
	*port = (uint16_t)(g->data[0] << 8 | g->data[1]);
	return 0;
}

/* A dnat or redirect to a range: nft's JSON gives a prefix, a range or a map, which the
 * JSON reader does not follow (and the text reader does not read). */
static int nat_range(struct dec *d, struct stmt *s, const char *name)
{
	memset(&s->json, 0, sizeof(s->json));
	s->json.stmt = FW_ST_UNKNOWN;
	d->text_bad = true;
	return (s->json.name = strdup(name)) ? 0 : -ENOMEM;
}

/* dnat, snat, redirect, masquerade. */
static int do_nat(struct dec *d, const struct xexpr *e, const char *what)
{
	bool redir = strcmp(what, "redir") == 0, masq = strcmp(what, "masq") == 0;
	uint32_t amin = NFTA_NAT_REG_ADDR_MIN, amax = NFTA_NAT_REG_ADDR_MAX;
	uint32_t pmin = redir ? NFTA_REDIR_REG_PROTO_MIN : masq ? NFTA_MASQ_REG_PROTO_MIN
								     : NFTA_NAT_REG_PROTO_MIN;
	uint32_t pmax = redir ? NFTA_REDIR_REG_PROTO_MAX : masq ? NFTA_MASQ_REG_PROTO_MAX
								     : NFTA_NAT_REG_PROTO_MAX;
	uint32_t fattr = redir ? NFTA_REDIR_FLAGS : masq ? NFTA_MASQ_FLAGS
							       : NFTA_NAT_FLAGS;
	uint32_t flags = x_has(e, fattr) ? x_u32(e, fattr) : 0;
	bool dnat = redir || (!masq && x_u32(e, NFTA_NAT_TYPE) == NFT_NAT_DNAT);
	struct stmt *s = add_other(d, dnat ? FW_ST_DNAT : FW_ST_NAT);

	if (!s)
		return -ENOMEM;
	if (flags & ~(uint32_t)(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED))
		d->text_bad = true; /* random, persistent... follow in the text listing */
	if (!dnat) {
		/* the text reader reads masquerade alone, not snat */
		d->text_bad |= !masq || x_has(e, pmin);
		return 0;
	}
	s->json.redirect = redir;
	if (!redir && x_has(e, amin)) {
		const struct reg *g = x_u32(e, amin) < NREGS ?
				      &d->regs[x_u32(e, amin)] : NULL;

		if (!g || g->src != SRC_IMM || (g->dlen != 4 && g->dlen != 16))
			return -EOPNOTSUPP;
		if (x_has(e, amax) && x_u32(e, amax) != x_u32(e, amin))
			return nat_range(d, s, "dnat"); /* an address range */
		s->json.nat_family = g->dlen == 4 ? AF_INET : AF_INET6;
		memcpy(s->json.addr, g->data, g->dlen);
	} else if (!redir) {
		return -EOPNOTSUPP;
	}
	if (x_has(e, pmin)) {
		int r = nat_port(d, x_u32(e, pmin), &s->json.port);

		if (r < 0)
			return r;
		if (x_has(e, pmax) && x_u32(e, pmax) != x_u32(e, pmin)) {
			/* a port range: the JSON reader keeps the address and no port */
			if (redir || !s->json.nat_family)
				return nat_range(d, s, redir ? "redirect" : "dnat");
			s->json.port = 0;
			d->text_bad = true;
		}
	}
	return 0;
}

/* reject: a verdict, whatever its type. An icmp or icmpv6 type of an inet table's reject
 * needs its family: nft drops the meta nfproto match it put before it. */
static int do_reject(struct dec *d, const struct xexpr *e)
{
	struct stmt *s;

	if (d->family == NFPROTO_INET && x_u32(e, NFTA_REJECT_TYPE) == NFT_REJECT_ICMP_UNREACH &&
	    d->dep_ll >= 0)
		d->st[d->dep_ll].gone = true;
	s = add_other(d, FW_ST_VERDICT);

	if (!s)
		return -ENOMEM;
	s->json.verdict = FW_V_REJECT;
	return 0;
}

/* An iptables extension: the JSON reader's record of it and its text translation. */
static int do_xt(struct dec *d, const struct xexpr *e, bool target)
{
	uint32_t len = 0;
	const void *info = x_raw(e, target ? NFTA_TARGET_INFO : NFTA_MATCH_INFO, &len);
	const char *name = x_str(e, target ? NFTA_TARGET_NAME : NFTA_MATCH_NAME);
	uint32_t rev = x_u32(e, target ? NFTA_TARGET_REV : NFTA_MATCH_REV);
	struct fw_xt xt = { .family = d->family, .l4 = d->l4 };
	struct stmt *s = add_other(d, FW_ST_UNKNOWN);
	int r;

	if (!s)
		return -ENOMEM;
	if (!name || !info)
		return -EOPNOTSUPP;
	r = fw_xt_decode(&xt, &s->json, target, name, rev, info, len);
	if (r < 0) {
		fw_xt_free(&xt);
		return r;
	}
	s->same = false;
	s->text = xt.text;
	s->ntext = xt.ntext;
	d->text_bad |= xt.text_bad;
	d->text_unsure |= xt.text_unsure;
	d->xt_unknown |= s->json.stmt == FW_ST_UNKNOWN;
	return 0;
}

/* A load into a register: meta, payload, ct, fib. */
static int do_load(struct dec *d, const struct xexpr *e, const char *n)
{
	bool meta = strcmp(n, "meta") == 0, payload = strcmp(n, "payload") == 0;
	bool ct = strcmp(n, "ct") == 0;
	uint32_t dreg_attr = meta ? NFTA_META_DREG : payload ? NFTA_PAYLOAD_DREG :
			     ct ? NFTA_CT_DREG : NFTA_FIB_DREG;
	uint32_t dreg;
	struct reg g = { 0 };

	if (!x_has(e, dreg_attr))
		return -EOPNOTSUPP; /* a set: meta mark set, payload mangling... */
	dreg = x_u32(e, dreg_attr);
	if (dreg == NFT_REG_VERDICT || dreg >= NREGS)
		return -EOPNOTSUPP;
	if (meta) {
		g.src = SRC_META;
		g.key = x_u32(e, NFTA_META_KEY);
		g.len = g.key == NFT_META_IIFNAME || g.key == NFT_META_OIFNAME ? 16 :
			g.key == NFT_META_L4PROTO || g.key == NFT_META_NFPROTO ? 1 : 4;
	} else if (payload) {
		g.src = SRC_PAYLOAD;
		g.base = x_u32(e, NFTA_PAYLOAD_BASE);
		g.off = x_u32(e, NFTA_PAYLOAD_OFFSET);
		g.len = x_u32(e, NFTA_PAYLOAD_LEN);
		if (g.len == 0 || g.len > 16)
			return -EOPNOTSUPP;
	} else if (ct) {
		g.src = SRC_CT;
		g.key = x_u32(e, NFTA_CT_KEY);
		g.dir = x_has(e, NFTA_CT_DIRECTION);
		g.len = 4;
	} else {
		g.src = SRC_FIB;
		g.key = x_u32(e, NFTA_FIB_RESULT);
		g.flags = x_u32(e, NFTA_FIB_FLAGS);
		g.len = 4;
	}
	d->regs[dreg] = g;
	return 0;
}

/* bitwise: a mask on a loaded register (prefixes, ct state flags). */
static int do_bitwise(struct dec *d, const struct xexpr *e)
{
	uint32_t sreg = x_u32(e, NFTA_BITWISE_SREG);
	uint32_t dreg = x_u32(e, NFTA_BITWISE_DREG);
	uint32_t len = x_u32(e, NFTA_BITWISE_LEN), mlen = 0, xlen = 0;
	const unsigned char *mask = x_data(e, NFTA_BITWISE_MASK, &mlen);
	const unsigned char *xor = x_data(e, NFTA_BITWISE_XOR, &xlen);
	struct reg g;

	if (sreg >= NREGS || dreg >= NREGS || dreg == NFT_REG_VERDICT || !mask || !xor ||
	    mlen != len || xlen != len || len > 16 || d->regs[sreg].masked ||
	    d->regs[sreg].src == SRC_NONE || d->regs[sreg].src == SRC_IMM ||
	    (x_has(e, NFTA_BITWISE_OP) &&
	     x_u32(e, NFTA_BITWISE_OP) != NFT_BITWISE_BOOL))
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

/* One expression of the rule. */
static int do_expr(struct dec *d, const struct xexpr *e)
{
	const char *n = e->name;

	if (!n)
		return -EOPNOTSUPP;
	if (n[0] != 'c' || n[1] != 'm') /* not cmp */
		d->ge = -1;
	switch (n[0]) {
	case 'b':
		if (strcmp(n, "bitwise") == 0)
			return do_bitwise(d, e);
		break;
	case 'c':
		if (strcmp(n, "cmp") == 0)
			return do_cmp(d, e);
		if (strcmp(n, "ct") == 0)
			return do_load(d, e, n);
		if (strcmp(n, "counter") == 0)
			return add_other(d, FW_ST_NOP) ? 0 : -ENOMEM;
		break;
	case 'f':
		if (strcmp(n, "fib") == 0)
			return do_load(d, e, n);
		break;
	case 'i':
		if (strcmp(n, "immediate") == 0)
			return do_immediate(d, e);
		break;
	case 'l':
		if (strcmp(n, "lookup") == 0)
			return do_lookup(d, e);
		if (strcmp(n, "log") == 0)
			return add_other(d, FW_ST_NOP) ? 0 : -ENOMEM;
		if (strcmp(n, "limit") == 0)
			return add_unknown(d, n);
		break;
	case 'm':
		if (strcmp(n, "meta") == 0)
			return do_load(d, e, n);
		if (strcmp(n, "match") == 0)
			return do_xt(d, e, false);
		if (strcmp(n, "masq") == 0)
			return do_nat(d, e, n);
		break;
	case 'n':
		if (strcmp(n, "nat") == 0)
			return do_nat(d, e, n);
		if (strcmp(n, "notrack") == 0)
			return add_unknown(d, n);
		break;
	case 'p':
		if (strcmp(n, "payload") == 0)
			return do_load(d, e, n);
		break;
	case 'q':
		if (strcmp(n, "quota") == 0)
			return add_unknown(d, n);
		break;
	case 'r':
		if (strcmp(n, "range") == 0)
			return do_range(d, e);
		if (strcmp(n, "reject") == 0)
			return do_reject(d, e);
		if (strcmp(n, "redir") == 0)
			return do_nat(d, e, n);
		break;
	case 't':
		if (strcmp(n, "target") == 0)
			return do_xt(d, e, true);
		break;
	}
	return -EOPNOTSUPP;
}

/* The rule's comment, from its user data: type-length-value records of one byte each for
 * type and length, as nft writes them (libnftnl's udata.h), the comment of type 0 with its
 * NUL. Walked here, every length checked: libnftnl's walker reads past a short last record. */
static const char *rule_comment(const unsigned char *u, size_t len)
{
	enum { UDATA_RULE_COMMENT = 0 };

	for (size_t off = 0; off + 2 <= len;) {
		uint8_t type = u[off], l = u[off + 1];

		if (off + 2 + l > len)
			return NULL;
		if (type == UDATA_RULE_COMMENT && l > 0 && u[off + 2 + l - 1] == '\0')
			return (const char *)u + off + 2;
		off += 2 + (size_t)l;
	}
	return NULL;
}

/* Release what one record owns. */
static void expr_clear(struct fw_expr *x)
{
	for (size_t i = 0; i < x->nelems; i++) {
		free(x->elems[i].str);
		free(x->elems[i].target);
	}
	free(x->elems);
	free(x->target);
	free(x->set);
	free(x->name);
	memset(x, 0, sizeof(*x));
}

/* Release a statement list. */
static void stmts_free(struct stmt *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct fw_rule tmp = { .exprs = st[i].text, .nexprs = st[i].ntext };

		expr_clear(&st[i].json);
		fw_rule_clear(&tmp);
	}
	free(st);
}

/* Move the records of the listing the JSON reader ends with into r. */
static int flatten(struct dec *d, struct fw_rule *r, bool text, bool comment)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nst; i++)
		if (!d->st[i].gone)
			n += text && !d->st[i].same ? d->st[i].ntext : 1;
	n += text && comment;
	if (!(r->exprs = calloc(n ? n : 1, sizeof(*r->exprs))))
		return -ENOMEM;
	for (size_t i = 0; i < d->nst; i++) {
		struct stmt *s = &d->st[i];

		if (s->gone)
			continue;
		if (text && !s->same) {
			if (s->ntext)
				memcpy(r->exprs + r->nexprs, s->text, s->ntext * sizeof(*s->text));
			r->nexprs += s->ntext;
			free(s->text);
			s->text = NULL;
			s->ntext = 0;
			continue;
		}
		r->exprs[r->nexprs++] = s->json;
		memset(&s->json, 0, sizeof(s->json));
	}
	if (text && comment)
		r->exprs[r->nexprs++].stmt = FW_ST_NOP; /* its text line's `comment "..."` */
	return 0;
}

/* An expression's attributes by type. */
static int expr_attr(const struct nlattr *a, void *data)
{
	struct xexpr *e = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t < XMAX)
		e->tb[t] = a;
	return MNL_CB_OK;
}

/* One NFTA_LIST_ELEM of a rule's expressions: its name and data. */
static int expr_of(const struct nlattr *elem, struct xexpr *e)
{
	const struct nlattr *a, *name = NULL, *data = NULL;

	memset(e, 0, sizeof(*e));
	mnl_attr_for_each_nested(a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	if (mnl_attr_get_type(elem) != NFTA_LIST_ELEM || !name ||
	    mnl_attr_validate(name, MNL_TYPE_NUL_STRING) < 0)
		return -EBADMSG;
	e->name = mnl_attr_get_str(name);
	if (data && mnl_attr_parse_nested(data, expr_attr, e) < 0)
		return -EBADMSG;
	return 0;
}

int fw_nl_rule(struct fw_rule *r, const struct fw_nl_rulemsg *m, const struct fw_nl_set *sets,
	       size_t nsets, bool *xt)
{
	struct dec d = { .family = m->family, .table = m->table, .sets = sets, .nsets = nsets,
			 .dep_ll = -1, .dep_nh = -1, .ge = -1 };
	const struct nlattr *elem;
	const char *comment = NULL;
	bool text;
	int rc = 0;

	if (m->exprs)
		mnl_attr_for_each_nested(elem, m->exprs) {
			struct xexpr e;

			if (rc == 0 && (rc = expr_of(elem, &e)) == 0)
				rc = do_expr(&d, &e);
		}
	if (rc == 0 && m->udata)
		comment = rule_comment(m->udata, m->ulen);
	if (rc == 0 && comment && !(r->comment = strdup(comment)))
		rc = -ENOMEM;
	/* The JSON reader takes a rule with an unknown xt from its text line, when it parses. */
	text = d.xt_unknown && !d.text_bad;
	if (rc == 0 && text && d.text_unsure)
		rc = -EOPNOTSUPP;
	if (rc == 0)
		rc = flatten(&d, r, text, comment != NULL);
	if (rc == 0 && text && comment && strpbrk(comment, "\"\\"))
		rc = -EOPNOTSUPP; /* its text line quotes it: not reproduced */
	*xt |= d.xt_unknown;
	stmts_free(d.st, d.nst);
	return rc;
}
