/* nfnetlink dump replies (chains, sets, set elements, rules) into ruleset records. */
/* glibc's networking headers before the kernel's (linux/in.h defers to them) */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "listen/array.h"
#include "listen/firewall.h"
#include "listen/firewall_nl.h"

/* A set element as the dump gives it, decoded once its set is complete. */
struct raw_elem {
	unsigned char key[16];
	uint32_t klen;
	uint32_t flags;          /* NFT_SET_ELEM_INTERVAL_END */
	bool has_verdict;
	int verdict;
	char *chain;
};

struct raw_list {
	struct raw_elem *v;
	size_t n, cap;
};

/* The decoder's state between messages (fw_nl_parser). Rules come last in the replies:
 * the sets are decoded at the first, and each rule as it comes. */
struct fw_nl_parser {
	struct fw_ruleset *rs;
	struct fw_nl_set *sets;
	size_t nsets;
	struct raw_list *raw;    /* per set: its elements as dumped */
	size_t rcap;
	size_t ccap, scap, rulecap;
	bool sets_done;          /* the sets are decoded: rules may come, set elements not */
	long last;               /* the chain of the previous rule, or -1 */
};


/* nft's name of a family this decoder reads, else NULL. */
static const char *family_name(int f)
{
	return f == NFPROTO_IPV4 ? "ip" : f == NFPROTO_IPV6 ? "ip6" : f == NFPROTO_INET ? "inet"
										 : NULL;
}

static uint8_t family_of(int f)
{
	return f == NFPROTO_IPV4 ? FW_FAM_IP : f == NFPROTO_IPV6 ? FW_FAM_IP6 : FW_FAM_INET;
}

/* Attributes by type, up to max (the rest skipped, as libmnl's examples do). */
struct attrs {
	const struct nlattr **tb;
	uint16_t max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct attrs *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

/* The attributes of a message (after its nfgenmsg) or of a nested attribute into tb. */
static int parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb, uint16_t max)
{
	struct attrs t = { tb, max };

	return mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, &t) < 0 ? -EBADMSG : 0;
}

static int parse_nested(const struct nlattr *a, const struct nlattr **tb, uint16_t max)
{
	struct attrs t = { tb, max };

	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	return mnl_attr_parse_nested(a, attr_cb, &t) < 0 ? -EBADMSG : 0;
}

/* A string attribute ended by its NUL, else NULL. */
static const char *attr_str(const struct nlattr *a)
{
	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ? mnl_attr_get_str(a) : NULL;
}

/* A 32-bit attribute (network order), or dflt when absent; *bad when it is malformed. */
static uint32_t attr_u32(const struct nlattr *a, uint32_t dflt, bool *bad)
{
	if (!a)
		return dflt;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
		*bad = true;
		return dflt;
	}
	return ntohl(mnl_attr_get_u32(a));
}

/* A chain record of a NEWCHAIN message. */
static int add_chain(struct fw_nl_parser *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 }, *hook[NFTA_HOOK_MAX + 1] = { 0 };
	const char *table, *name, *type;
	struct fw_chain *ch;
	bool bad = false;

	if (parse_msg(nlh, tb, NFTA_CHAIN_MAX) < 0 || !(table = attr_str(tb[NFTA_CHAIN_TABLE])) ||
	    !(name = attr_str(tb[NFTA_CHAIN_NAME])) ||
	    (tb[NFTA_CHAIN_HOOK] && parse_nested(tb[NFTA_CHAIN_HOOK], hook, NFTA_HOOK_MAX) < 0))
		return -EBADMSG;
	if (array_grow((void **)&p->rs->chains, &p->ccap, p->rs->nchains + 1, sizeof(*ch)) < 0)
		return -ENOMEM;
	ch = &p->rs->chains[p->rs->nchains++];
	*ch = (struct fw_chain){ .family = family_of(family), .policy = FW_V_ACCEPT };
	ch->family_name = strdup(family_name(family));
	ch->table = strdup(table);
	ch->name = strdup(name);
	if (!ch->family_name || !ch->table || !ch->name)
		return -ENOMEM;
	if (hook[NFTA_HOOK_HOOKNUM]) {
		uint32_t h = attr_u32(hook[NFTA_HOOK_HOOKNUM], 0, &bad);

		ch->hook = h == NF_INET_PRE_ROUTING ? FW_HOOK_PREROUTING :
			   h == NF_INET_LOCAL_IN ? FW_HOOK_INPUT :
			   h == NF_INET_FORWARD ? FW_HOOK_FORWARD : FW_HOOK_OTHER;
		ch->prio = (int32_t)attr_u32(hook[NFTA_HOOK_PRIORITY], 0, &bad);
		type = attr_str(tb[NFTA_CHAIN_TYPE]);
		ch->nat = type && strcmp(type, "nat") == 0;
		if (attr_u32(tb[NFTA_CHAIN_POLICY], NF_ACCEPT, &bad) == NF_DROP)
			ch->policy = FW_V_DROP;
	}
	return bad ? -EBADMSG : 0;
}

/* A set of a NEWSET message. */
static int add_set(struct fw_nl_parser *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_SET_MAX + 1] = { 0 };
	const char *table, *name;
	struct fw_nl_set *set;
	bool bad = false;

	if (p->sets_done || parse_msg(nlh, tb, NFTA_SET_MAX) < 0 ||
	    !(table = attr_str(tb[NFTA_SET_TABLE])) ||
	    !(name = attr_str(tb[NFTA_SET_NAME])))
		return -EBADMSG;
	if (array_grow((void **)&p->sets, &p->scap, p->nsets + 1, sizeof(*set)) < 0 ||
	    array_grow((void **)&p->raw, &p->rcap, p->nsets + 1, sizeof(*p->raw)) < 0)
		return -ENOMEM;
	set = &p->sets[p->nsets];
	p->raw[p->nsets++] = (struct raw_list){ 0 };
	*set = (struct fw_nl_set){ .family = family_of(family) };
	set->table = strdup(table);
	set->name = strdup(name);
	set->flags = attr_u32(tb[NFTA_SET_FLAGS], 0, &bad);
	set->key_type = attr_u32(tb[NFTA_SET_KEY_TYPE], 0, &bad);
	set->key_len = attr_u32(tb[NFTA_SET_KEY_LEN], 0, &bad);
	set->data_type = attr_u32(tb[NFTA_SET_DATA_TYPE], 0, &bad);
	if (!set->table || !set->name)
		return -ENOMEM;
	return bad ? -EBADMSG : 0;
}

/* The set of family named name in table, or -1. */
static long set_index(const struct fw_nl_parser *p, int family, const char *table, const char *name)
{
	for (size_t i = p->nsets; i-- > 0;)
		if (p->sets[i].family == family_of(family) && strcmp(p->sets[i].name, name) == 0 &&
		    strcmp(p->sets[i].table, table) == 0)
			return (long)i;
	return -1;
}

/* The value of a data attribute (its nested NFTA_DATA_VALUE), or NULL. */
static const struct nlattr *data_value(const struct nlattr *a)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1] = { 0 };

	if (!a || parse_nested(a, tb, NFTA_DATA_MAX) < 0)
		return NULL;
	return tb[NFTA_DATA_VALUE];
}

/* One element of a NEWSETELEM message. */
static int add_elem(struct raw_list *l, const struct nlattr *a)
{
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1] = { 0 }, *key;
	const struct nlattr *data[NFTA_DATA_MAX + 1] = { 0 }, *vd[NFTA_VERDICT_MAX + 1] = { 0 };
	struct raw_elem *re;
	bool bad = false;

	if (mnl_attr_get_type(a) != NFTA_LIST_ELEM || parse_nested(a, tb, NFTA_SET_ELEM_MAX) < 0)
		return -EBADMSG;
	if (tb[NFTA_SET_ELEM_KEY_END] || tb[NFTA_SET_ELEM_EXPR] || tb[NFTA_SET_ELEM_EXPRESSIONS])
		return -EOPNOTSUPP; /* a concatenation of ranges, expressions (counters...) */
	if (!(key = data_value(tb[NFTA_SET_ELEM_KEY])) || mnl_attr_get_payload_len(key) > 16 ||
	    (tb[NFTA_SET_ELEM_DATA] && parse_nested(tb[NFTA_SET_ELEM_DATA], data, NFTA_DATA_MAX)) ||
	    (data[NFTA_DATA_VERDICT] &&
	     parse_nested(data[NFTA_DATA_VERDICT], vd, NFTA_VERDICT_MAX)))
		return -EBADMSG;
	if (array_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*re)) < 0)
		return -ENOMEM;
	re = &l->v[l->n++];
	*re = (struct raw_elem){ .klen = mnl_attr_get_payload_len(key) };
	memcpy(re->key, mnl_attr_get_payload(key), re->klen);
	re->flags = attr_u32(tb[NFTA_SET_ELEM_FLAGS], 0, &bad);
	if (vd[NFTA_VERDICT_CODE]) {
		re->has_verdict = true;
		re->verdict = (int)attr_u32(vd[NFTA_VERDICT_CODE], 0, &bad);
		if (vd[NFTA_VERDICT_CHAIN] && !attr_str(vd[NFTA_VERDICT_CHAIN]))
			bad = true;
		else if (vd[NFTA_VERDICT_CHAIN] &&
			 !(re->chain = strdup(attr_str(vd[NFTA_VERDICT_CHAIN]))))
			return -ENOMEM;
	}
	return bad ? -EBADMSG : 0;
}

/* The elements of a NEWSETELEM message, kept as dumped until the set is complete. */
static int add_elems(struct fw_nl_parser *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1] = { 0 }, *a;
	const char *table, *name;
	long i;
	int r = 0;

	if (p->sets_done || parse_msg(nlh, tb, NFTA_SET_ELEM_LIST_MAX) < 0 ||
	    !(table = attr_str(tb[NFTA_SET_ELEM_LIST_TABLE])) ||
	    !(name = attr_str(tb[NFTA_SET_ELEM_LIST_SET])) ||
	    (i = set_index(p, family, table, name)) < 0)
		return -EBADMSG;
	if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		return 0;
	if (mnl_attr_validate(tb[NFTA_SET_ELEM_LIST_ELEMENTS], MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	mnl_attr_for_each_nested(a, tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		if (r == 0)
			r = add_elem(&p->raw[i], a);
	return r;
}

/* A rule's attributes by type. */
static int rule_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t <= NFTA_RULE_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static int sets_finish(struct fw_nl_parser *p);
static long rule_chain(const struct fw_ruleset *rs, const struct fw_nl_rulemsg *r, long last);

/* A NEWRULE message, decoded as it comes (every set is read by then). */
static int add_rule(struct fw_nl_parser *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { 0 };
	struct fw_nl_rulemsg m;
	struct fw_ruleset *rs = p->rs;
	struct fw_rule *rule;
	long c;
	int r;

	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), rule_attr, tb) < 0 ||
	    !tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN] || !tb[NFTA_RULE_HANDLE] ||
	    mnl_attr_validate(tb[NFTA_RULE_TABLE], MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[NFTA_RULE_CHAIN], MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[NFTA_RULE_HANDLE], MNL_TYPE_U64) < 0 ||
	    (tb[NFTA_RULE_EXPRESSIONS] &&
	     mnl_attr_validate(tb[NFTA_RULE_EXPRESSIONS], MNL_TYPE_NESTED) < 0))
		return -EBADMSG;
	m = (struct fw_nl_rulemsg){
		.family = family,
		.table = mnl_attr_get_str(tb[NFTA_RULE_TABLE]),
		.chain = mnl_attr_get_str(tb[NFTA_RULE_CHAIN]),
		.handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE])),
		.exprs = tb[NFTA_RULE_EXPRESSIONS],
	};
	if (tb[NFTA_RULE_USERDATA]) {
		m.udata = mnl_attr_get_payload(tb[NFTA_RULE_USERDATA]);
		m.ulen = mnl_attr_get_payload_len(tb[NFTA_RULE_USERDATA]);
	}
	if (!p->sets_done && (r = sets_finish(p)) < 0)
		return r;
	if ((c = rule_chain(rs, &m, p->last)) < 0)
		return -EBADMSG;
	p->last = c;
	if (array_grow((void **)&rs->rules, &p->rulecap, rs->nrules + 1, sizeof(*rule)) < 0)
		return -ENOMEM;
	rule = &rs->rules[rs->nrules++];
	*rule = (struct fw_rule){ .handle = m.handle, .chain = (size_t)c };
	return fw_nl_rule(rule, &m, p->sets, p->nsets, &rs->xt);
}

/* One message of the replies. */
static int message(struct fw_nl_parser *p, const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g;
	int family;

	if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_NOOP)
		return 0;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

		return nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)) || err->error ? -EBADMSG : 0;
	}
	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return -EBADMSG;
	g = mnl_nlmsg_get_payload(nlh);
	family = g->nfgen_family;
	if (!family_name(family))
		return 0; /* bridge, arp, netdev: nothing the evaluator looks at */
	switch (NFNL_MSG_TYPE(nlh->nlmsg_type)) {
	case NFT_MSG_NEWCHAIN: return add_chain(p, nlh, family);
	case NFT_MSG_NEWSET: return add_set(p, nlh, family);
	case NFT_MSG_NEWSETELEM: return add_elems(p, nlh, family);
	case NFT_MSG_NEWRULE: return add_rule(p, nlh, family);
	default: return 0;
	}
}

/* The verdict of a map element. */
static int elem_verdict(struct fw_elem *e, const struct raw_elem *re)
{
	switch (re->verdict) {
	case NF_ACCEPT: e->verdict = FW_V_ACCEPT; return 0;
	case NF_DROP: e->verdict = FW_V_DROP; return 0;
	case NFT_CONTINUE: e->verdict = FW_V_CONTINUE; return 0;
	case NFT_RETURN: e->verdict = FW_V_RETURN; return 0;
	case NFT_JUMP: e->verdict = FW_V_JUMP; break;
	case NFT_GOTO: e->verdict = FW_V_GOTO; break;
	default: return -EOPNOTSUPP;
	}
	if (!re->chain)
		return -EOPNOTSUPP;
	return (e->target = strdup(re->chain)) ? 0 : -ENOMEM;
}

/* Order of raw elements by their value as nft compares them (ends first at a tie). */
static int raw_cmp(const void *a, const void *b, void *type)
{
	const struct raw_elem *x = a, *y = b;
	unsigned char kx[16], ky[16];
	int c;

	fw_nl_sortkey(*(enum fw_nl_type *)type, x->key, x->klen, kx);
	fw_nl_sortkey(*(enum fw_nl_type *)type, y->key, y->klen, ky);
	c = memcmp(kx, ky, 16);
	if (c)
		return c;
	return (int)(y->flags & NFT_SET_ELEM_INTERVAL_END) -
	       (int)(x->flags & NFT_SET_ELEM_INTERVAL_END);
}

/* The interval [lo, hi) of an element that ends before the value end: hi = end - 1. */
static void minus_one(unsigned char *v, size_t len)
{
	for (size_t i = len; i-- > 0;)
		if (v[i]--)
			break;
}

/* The elements of an interval set: each start element opens an interval, the end element
 * after it (the first value past it) closes it; one left open runs to the last value. */
static int set_intervals(struct fw_nl_set *s, const struct raw_elem *v, size_t n,
			 enum fw_nl_type t)
{
	struct fw_elem *open = NULL;

	if (t != FW_T_PORT && t != FW_T_ADDR4 && t != FW_T_ADDR6)
		return -EOPNOTSUPP;
	for (size_t i = 0; i < n; i++) {
		unsigned char hi[16];
		int r;

		if (v[i].flags & NFT_SET_ELEM_INTERVAL_END) {
			if (!open)
				continue; /* the marker before the first interval */
			memcpy(hi, v[i].key, v[i].klen);
			minus_one(hi, v[i].klen);
			if (open->kind == FW_ELEM_NUM) {
				struct fw_elem *tmp = NULL;
				size_t m = 0;

				if ((r = fw_nl_value(&tmp, &m, t, hi, v[i].klen)) < 0)
					return r;
				open->hi = tmp->hi;
				free(tmp);
			} else {
				memcpy(open->ahi, hi, v[i].klen);
			}
			open = NULL;
			continue;
		}
		if (open)
			return -EOPNOTSUPP; /* two starts: not a layout this decoder knows */
		if ((r = fw_nl_value(&s->elems, &s->nelems, t, v[i].key, v[i].klen)) < 0)
			return r;
		open = &s->elems[s->nelems - 1];
		if (v[i].has_verdict && (r = elem_verdict(open, &v[i])) < 0)
			return r;
	}
	if (open && open->kind == FW_ELEM_NUM)
		open->hi = t == FW_T_PORT && s->key_len == 2 ? 0xffff : UINT32_MAX;
	else if (open)
		memset(open->ahi, 0xff, sizeof(open->ahi));
	return 0;
}

/* Decode a set's elements as nft lists them: sorted by value, intervals joined. */
static int set_decode(struct fw_nl_set *s, struct raw_list *l)
{
	enum fw_nl_type t = fw_nl_type_of(s->key_type);

	if (!l->n)
		return 0;
	if (t == FW_T_NONE || (s->flags & NFT_SET_CONCAT))
		return -EOPNOTSUPP;
	qsort_r(l->v, l->n, sizeof(*l->v), raw_cmp, &t);
	if (s->flags & NFT_SET_INTERVAL)
		return set_intervals(s, l->v, l->n, t);
	for (size_t i = 0; i < l->n; i++) {
		size_t before = s->nelems;
		int r = fw_nl_value(&s->elems, &s->nelems, t, l->v[i].key, l->v[i].klen);

		if (r == 0 && s->nelems != before + 1)
			r = -EOPNOTSUPP; /* several flags in one element */
		if (r == 0 && l->v[i].has_verdict)
			r = elem_verdict(&s->elems[before], &l->v[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Whether chain c is family's chain named name in table. */
static bool chain_is(const struct fw_chain *c, const char *fam, const char *table,
		     const char *name)
{
	return strcmp(c->name, name) == 0 && strcmp(c->table, table) == 0 &&
	       strcmp(c->family_name, fam) == 0;
}

/* The chain of a rule. The dump lists rules chain after chain, in the chains' order: try the
 * previous rule's chain and the one after it before all of them. */
static long rule_chain(const struct fw_ruleset *rs, const struct fw_nl_rulemsg *r, long last)
{
	const char *fam = family_name(r->family), *table = r->table, *chain = r->chain;

	if (!fam)
		return -1;
	for (long i = last; i >= 0 && i <= last + 1 && (size_t)i < rs->nchains; i++)
		if (chain_is(&rs->chains[i], fam, table, chain))
			return i;
	for (size_t i = 0; i < rs->nchains; i++)
		if (chain_is(&rs->chains[i], fam, table, chain))
			return (long)i;
	return -1;
}

/* The rules of rs grouped by chain, in each chain's order (the dump's order in a chain). */
static int group_rules(struct fw_nl_parser *p)
{
	struct fw_ruleset *rs = p->rs;
	size_t *count = calloc(rs->nchains + 1, sizeof(*count));
	struct fw_rule *sorted = malloc((rs->nrules ? rs->nrules : 1) * sizeof(*sorted));

	if (!count || !sorted) {
		free(count);
		free(sorted);
		return -ENOMEM;
	}
	for (size_t i = 0; i < rs->nrules; i++)
		count[rs->rules[i].chain + 1]++;
	for (size_t i = 0; i < rs->nchains; i++) {
		rs->chains[i].first = count[i];
		rs->chains[i].nrules = count[i + 1];
		count[i + 1] += count[i];
	}
	for (size_t i = 0; i < rs->nrules; i++)
		sorted[count[rs->rules[i].chain]++] = rs->rules[i];
	free(rs->rules);
	rs->rules = sorted;
	free(count);
	return 0;
}

/* Every set's elements decoded, before the first rule. */
static int sets_finish(struct fw_nl_parser *p)
{
	int r = 0;

	p->sets_done = true;
	for (size_t i = 0; i < p->nsets && r == 0; i++)
		r = set_decode(&p->sets[i], &p->raw[i]);
	return r;
}

/* The named sets and maps, in the dump's order, into rs (their elements move). */
static int named_sets(struct fw_nl_parser *p)
{
	struct fw_ruleset *rs = p->rs;

	for (size_t i = 0; i < p->nsets; i++) {
		struct fw_nl_set *s = &p->sets[i];
		struct fw_set *o;

		if (s->flags & NFT_SET_ANONYMOUS)
			continue;
		if (!(o = fw_grow(&rs->sets, &rs->nsets, sizeof(*o))))
			return -ENOMEM;
		o->family = s->family;
		o->map = s->flags & NFT_SET_MAP;
		o->table = s->table;
		o->name = s->name;
		o->elems = s->elems;
		o->nelems = s->nelems;
		s->table = s->name = NULL;
		s->elems = NULL;
		s->nelems = 0;
	}
	return 0;
}

/* Release n elements and the array. */
static void elems_release(struct fw_elem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].str);
		free(v[i].target);
	}
	free(v);
}

/* Release the parse's own state. */
static void parse_free(struct fw_nl_parser *p)
{
	for (size_t i = 0; i < p->nsets; i++) {
		elems_release(p->sets[i].elems, p->sets[i].nelems);
		free(p->sets[i].table);
		free(p->sets[i].name);
		for (size_t k = 0; k < p->raw[i].n; k++)
			free(p->raw[i].v[k].chain);
		free(p->raw[i].v);
	}
	free(p->sets);
	free(p->raw);
	free(p);
}

int fw_nl_parser_new(struct fw_nl_parser **p, struct fw_ruleset *rs)
{
	if (!(*p = calloc(1, sizeof(**p))))
		return -ENOMEM;
	(*p)->rs = rs;
	(*p)->last = -1;
	return 0;
}

int fw_nl_parser_feed(struct fw_nl_parser *p, const void *buf, size_t len)
{
	const char *at = buf;
	size_t left = len;
	int r = 0;

	/* Not mnl_nlmsg_ok: it takes a length past 2^31 for a short one. */
	while (r == 0 && left >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;

		memcpy(&h, at, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > left)
			break;
		r = message(p, (const struct nlmsghdr *)at);
		if (MNL_ALIGN(h.nlmsg_len) >= left)
			left = 0;
		else
			at += MNL_ALIGN(h.nlmsg_len), left -= MNL_ALIGN(h.nlmsg_len);
	}
	return r == 0 && left != 0 ? -EBADMSG : r; /* bytes left that are no message */
}

int fw_nl_parser_end(struct fw_nl_parser *p, int r)
{
	if (r == 0 && !p->sets_done)
		r = sets_finish(p);
	if (r == 0)
		r = group_rules(p);
	if (r == 0)
		r = named_sets(p);
	parse_free(p);
	return r;
}

int fw_nl_parse(struct fw_ruleset *rs, const void *buf, size_t len)
{
	struct fw_nl_parser *p;
	int r = fw_nl_parser_new(&p, rs);

	return r < 0 ? r : fw_nl_parser_end(p, fw_nl_parser_feed(p, buf, len));
}
