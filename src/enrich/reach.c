/* Reachability: a new inbound connection walked through a namespace's ruleset. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/firewall.h"
#include "listen/reach.h"
#include "listen/sock.h"

/* Tri-state truth of a match. */
enum tri { T_FALSE, T_TRUE, T_UNKNOWN };

/* The packet walked: the query and its source (generic: outside every named prefix). */
struct pkt {
	const struct reach_query *q;
	bool src_generic;
	unsigned char saddr[16];
};

/* How a chain ended. */
enum outcome { O_END, O_RETURN, O_ACCEPT, O_DROP, O_UNKNOWN, O_DNAT };

/* One walk's state: the deciding rule, and the dnat a nat chain applied. */
struct walk {
	const struct fw_ruleset *rs;
	const struct pkt *p;
	const struct fw_rule *rule;  /* the rule that decided (accept, drop, unknown, dnat) */
	const struct fw_expr *dnat;
	unsigned depth;
	unsigned long steps;         /* rules evaluated: a walk has a budget */
};

/* The kernel's jump stack depth (NFT_JUMP_STACK_SIZE), and a walk's budget of rules: a
 * ruleset that fans out through chains beyond it is unknown rather than walked for ever. */
enum { REACH_MAX_DEPTH = 16, REACH_MAX_STEPS = 1 << 20 };

/* Whether the address a (family's length) lies in [lo, hi]. */
static bool addr_in(const unsigned char *a, const struct fw_elem *e, size_t alen)
{
	return memcmp(a, e->alo, alen) >= 0 && memcmp(a, e->ahi, alen) <= 0;
}

/* Whether an interval of addresses is the whole space (a /0). */
static bool whole(const struct fw_elem *e, size_t alen)
{
	for (size_t i = 0; i < alen; i++)
		if (e->alo[i] != 0 || e->ahi[i] != 0xff)
			return false;
	return true;
}

/* Whether an interface name matches a pattern ("veth*" matches by prefix). */
static bool ifname_match(const char *name, const char *pat)
{
	size_t n = strlen(pat);

	if (n && pat[n - 1] == '*')
		return strncmp(name, pat, n - 1) == 0;
	return strcmp(name, pat) == 0;
}

/* The name and number of a protocol or family for comparison with an element. */
static enum tri elem_is(const struct fw_elem *e, const char *n1, const char *n2, uint32_t v1,
			uint32_t v2)
{
	bool in;

	if (e->kind == FW_ELEM_STR)
		in = strcmp(e->str, n1) == 0 || (n2 && strcmp(e->str, n2) == 0);
	else if (e->kind == FW_ELEM_NUM)
		in = (v1 >= e->lo && v1 <= e->hi) || (v2 && v2 >= e->lo && v2 <= e->hi);
	else
		return T_UNKNOWN;
	return in ? T_TRUE : T_FALSE;
}

/* Whether one element matches the packet's value of key. */
static enum tri elem_match(const struct pkt *p, enum fw_key key, const struct fw_elem *e)
{
	const struct reach_query *q = p->q;
	bool v4 = q->family == AF_INET;

	switch (key) {
	case FW_KEY_CT_STATE:
		return e->kind == FW_ELEM_STR ? (strcmp(e->str, "new") == 0 ? T_TRUE : T_FALSE)
					      : T_UNKNOWN;
	case FW_KEY_CT_STATUS:
		if (e->kind == FW_ELEM_STR && strcmp(e->str, "dnat") == 0)
			return q->dnat ? T_TRUE : T_FALSE;
		return e->kind == FW_ELEM_STR && strcmp(e->str, "snat") == 0 ? T_FALSE : T_UNKNOWN;
	case FW_KEY_IIFNAME:
	case FW_KEY_IIF:
	case FW_KEY_OIFNAME:
	case FW_KEY_OIF: {
		const char *name = key == FW_KEY_IIF || key == FW_KEY_IIFNAME ? q->iifname
									      : q->oifname;

		if (!name || e->kind != FW_ELEM_STR)
			return T_UNKNOWN;
		return ifname_match(name, e->str) ? T_TRUE : T_FALSE;
	}
	case FW_KEY_L4PROTO:
	case FW_KEY_L4PROTO4:
	case FW_KEY_L4PROTO6:
		return elem_is(e, lsock_proto_name(q->protocol), NULL, q->protocol, 0);
	case FW_KEY_NFPROTO:
		if (v4)
			return elem_is(e, "ipv4", "ip", 2, 0x0800);
		return elem_is(e, "ipv6", "ip6", 10, 0x86dd);
	case FW_KEY_SADDR4:
	case FW_KEY_SADDR6:
		if (e->kind != FW_ELEM_ADDR)
			return T_UNKNOWN;
		if (p->src_generic) /* outside every named prefix, inside a /0 */
			return whole(e, v4 ? 4 : 16) ? T_TRUE : T_FALSE;
		return addr_in(p->saddr, e, v4 ? 4 : 16) ? T_TRUE : T_FALSE;
	case FW_KEY_DADDR4:
	case FW_KEY_DADDR6:
		if (e->kind != FW_ELEM_ADDR || !q->daddr_known)
			return T_UNKNOWN;
		return addr_in(q->daddr, e, v4 ? 4 : 16) ? T_TRUE : T_FALSE;
	case FW_KEY_TH_DPORT:
	case FW_KEY_TCP_DPORT:
	case FW_KEY_UDP_DPORT:
	case FW_KEY_SCTP_DPORT:
		if (e->kind != FW_ELEM_NUM)
			return T_UNKNOWN;
		return q->dport >= e->lo && q->dport <= e->hi ? T_TRUE : T_FALSE;
	case FW_KEY_FIB_DADDR_TYPE:
		if (e->kind != FW_ELEM_STR)
			return T_UNKNOWN;
		return (strcmp(e->str, "local") == 0) == q->local ? T_TRUE : T_FALSE;
	default:
		return T_UNKNOWN;
	}
}

/* Whether the packet has the key at all: ip saddr on an IPv6 packet, tcp dport on UDP. */
static bool key_applies(const struct pkt *p, enum fw_key key)
{
	bool v4 = p->q->family == AF_INET;

	switch (key) {
	case FW_KEY_SADDR4:
	case FW_KEY_DADDR4:
	case FW_KEY_L4PROTO4:
		return v4;
	case FW_KEY_SADDR6:
	case FW_KEY_DADDR6:
	case FW_KEY_L4PROTO6:
		return !v4;
	case FW_KEY_TCP_DPORT:
		return p->q->protocol == IPPROTO_TCP;
	case FW_KEY_UDP_DPORT:
	case FW_KEY_UDP_OTHER:
		return p->q->protocol == IPPROTO_UDP;
	case FW_KEY_TCP_OTHER:
		return p->q->protocol == IPPROTO_TCP;
	case FW_KEY_SCTP_DPORT:
	case FW_KEY_SCTP_OTHER:
		return p->q->protocol == IPPROTO_SCTP;
	case FW_KEY_FOREIGN_L4:
		return false;
	default:
		return true;
	}
}

/* The element of elems (or of the named set) that the packet's key value falls in; *t says
 * whether one does (unknown when some element cannot be compared). */
static const struct fw_elem *lookup(const struct walk *w, const struct fw_rule *r,
				    const struct fw_expr *x, enum tri *t)
{
	const struct fw_elem *v = x->elems;
	size_t n = x->nelems;
	bool unknown = false;

	if (x->set) {
		const struct fw_set *s = fw_set_find(w->rs, &w->rs->chains[r->chain], x->set);

		if (!s) {
			*t = T_UNKNOWN;
			return NULL;
		}
		v = s->elems;
		n = s->nelems;
	}
	for (size_t i = 0; i < n; i++) {
		enum tri e = elem_match(w->p, (enum fw_key)x->key, &v[i]);

		if (e == T_TRUE) {
			*t = T_TRUE;
			return &v[i];
		}
		unknown |= e == T_UNKNOWN;
	}
	*t = unknown ? T_UNKNOWN : T_FALSE;
	return NULL;
}

/* A match statement's truth. */
static enum tri match(const struct walk *w, const struct fw_rule *r, const struct fw_expr *x)
{
	enum tri t;

	if (x->key == FW_KEY_OTHER)
		return T_UNKNOWN;
	if (!key_applies(w->p, (enum fw_key)x->key))
		return T_FALSE;
	if (x->cmp != FW_CMP_EQ && x->cmp != FW_CMP_NE) {
		uint32_t v = w->p->q->dport, b = x->nelems ? x->elems[0].lo : 0;
		bool port = x->key == FW_KEY_TH_DPORT || x->key == FW_KEY_TCP_DPORT ||
			    x->key == FW_KEY_UDP_DPORT;

		if (!port || x->nelems != 1 || x->elems[0].kind != FW_ELEM_NUM)
			return T_UNKNOWN;
		return (x->cmp == FW_CMP_LT ? v < b : x->cmp == FW_CMP_GT ? v > b :
			x->cmp == FW_CMP_LE ? v <= b : v >= b) ? T_TRUE : T_FALSE;
	}
	lookup(w, r, x, &t);
	if (x->cmp == FW_CMP_NE && t != T_UNKNOWN)
		t = t == T_TRUE ? T_FALSE : T_TRUE;
	return t;
}

static enum outcome run_chain(struct walk *w, size_t c);

/* A verdict (from a statement or a map element) applied. */
static enum outcome verdict(struct walk *w, const struct fw_rule *r, uint8_t v,
			    const char *target, bool *next_rule)
{
	enum outcome o;
	long c;

	*next_rule = false;
	switch (v) {
	case FW_V_ACCEPT:
		w->rule = r;
		return O_ACCEPT;
	case FW_V_DROP:
	case FW_V_REJECT:
		w->rule = r;
		return O_DROP;
	case FW_V_RETURN:
		return O_RETURN;
	case FW_V_CONTINUE:
		*next_rule = true;
		return O_END;
	case FW_V_JUMP:
	case FW_V_GOTO:
		c = target ? fw_chain_find(w->rs, &w->rs->chains[r->chain], target) : -1;
		if (c < 0 || w->depth >= REACH_MAX_DEPTH) {
			w->rule = r;
			return O_UNKNOWN;
		}
		w->depth++;
		o = run_chain(w, (size_t)c);
		w->depth--;
		if (o == O_END || o == O_RETURN) {
			*next_rule = v == FW_V_JUMP;
			return v == FW_V_JUMP ? O_END : O_RETURN;
		}
		return o;
	default:
		w->rule = r;
		return O_UNKNOWN;
	}
}

/* One rule. *next says the packet goes on to the next rule. */
static enum outcome run_rule(struct walk *w, const struct fw_rule *r, bool *next)
{
	bool uncertain = false;

	*next = true;
	if (++w->steps > REACH_MAX_STEPS)
		goto unknown;
	for (size_t k = 0; k < r->nexprs; k++) {
		const struct fw_expr *x = &r->exprs[k];
		enum tri t;
		const struct fw_elem *e;

		switch (x->stmt) {
		case FW_ST_MATCH:
			t = match(w, r, x);
			if (t == T_FALSE)
				return O_END;
			uncertain |= t == T_UNKNOWN;
			break;
		case FW_ST_NOP:
			break;
		case FW_ST_UNKNOWN:
			uncertain = true;
			break;
		case FW_ST_VERDICT:
			if (x->only_family && x->only_family != w->p->q->family)
				return O_END; /* the rule is of the other family */
			if (uncertain)
				goto unknown;
			return verdict(w, r, x->verdict, x->target, next);
		case FW_ST_VMAP:
			e = NULL;
			if (x->key == FW_KEY_OTHER)
				t = T_UNKNOWN;
			else if (!key_applies(w->p, (enum fw_key)x->key))
				t = T_FALSE;
			else
				e = lookup(w, r, x, &t);
			if (uncertain || t == T_UNKNOWN)
				goto unknown;
			if (t == T_TRUE)
				return verdict(w, r, e->verdict, e->target, next);
			break;
		case FW_ST_DNAT:
		case FW_ST_NAT:
			if (uncertain)
				goto unknown;
			w->rule = r;
			w->dnat = x->stmt == FW_ST_DNAT ? x : NULL;
			*next = false;
			return x->stmt == FW_ST_DNAT ? O_DNAT : O_ACCEPT;
		}
	}
	return O_END;
unknown:
	w->rule = r;
	*next = false;
	return O_UNKNOWN;
}

/* A chain's rules in order, until one ends the chain. */
static enum outcome run_chain(struct walk *w, size_t c)
{
	const struct fw_chain *ch = &w->rs->chains[c];

	for (size_t i = 0; i < ch->nrules; i++) {
		bool next;
		enum outcome o = run_rule(w, &w->rs->rules[ch->first + i], &next);

		if (!next || o != O_END)
			return o;
	}
	return O_END;
}

/* Whether a base chain of this family sees packets of the query's family. */
static bool family_sees(uint8_t fam, uint8_t family)
{
	return fam == FW_FAM_INET || (fam == FW_FAM_IP && family == AF_INET) ||
	       (fam == FW_FAM_IP6 && family == AF_INET6);
}

/* The base chains on hook for family (nat ones or the others), sorted by priority. */
static size_t base_chains(const struct fw_ruleset *rs, uint8_t hook, bool nat, uint8_t family,
			  size_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->nchains; i++) {
		const struct fw_chain *c = &rs->chains[i];

		if (c->hook != hook || c->nat != nat || !family_sees(c->family, family))
			continue;
		size_t k = n++;

		while (k > 0 && rs->chains[out[k - 1]].prio > c->prio) {
			out[k] = out[k - 1];
			k--;
		}
		out[k] = i;
	}
	return n;
}

/* The rule's names for the result. */
static void name_rule(const struct fw_ruleset *rs, const struct fw_rule *r, size_t chain,
		      struct reach_result *res)
{
	const struct fw_chain *c = &rs->chains[r ? r->chain : chain];

	res->has_rule = true;
	res->rule = (struct reach_rule){ c->family_name, c->table, c->name,
					 r ? r->comment : NULL, r ? r->handle : 0 };
}

/* One packet through the hook's base chains. */
static int walk_hook(const struct fw_ruleset *rs, uint8_t hook, const struct pkt *p,
		     struct reach_result *res)
{
	size_t *order = malloc((rs->nchains ? rs->nchains : 1) * sizeof(*order));
	size_t n;

	if (!order)
		return -ENOMEM;
	*res = (struct reach_result){ .verdict = REACH_OPEN };
	n = base_chains(rs, hook, false, p->q->family, order);
	for (size_t i = 0; i < n; i++) {
		struct walk w = { rs, p, NULL, NULL, 0 };
		enum outcome o = run_chain(&w, order[i]);

		if (o == O_ACCEPT || o == O_DNAT) {
			name_rule(rs, w.rule, order[i], res);
			continue;
		}
		if (o == O_UNKNOWN) {
			res->verdict = REACH_UNKNOWN;
			name_rule(rs, w.rule, order[i], res);
			break;
		}
		if (o == O_DROP || rs->chains[order[i]].policy == FW_V_DROP) {
			res->verdict = REACH_FILTERED;
			name_rule(rs, o == O_DROP ? w.rule : NULL, order[i], res);
			break;
		}
	}
	free(order);
	return 0;
}

/* Add the source prefixes a match names (of the query's family) to *v. */
static int add_prefixes(const struct fw_ruleset *rs, const struct fw_rule *r,
			const struct fw_expr *x, uint8_t family, struct reach_prefix **v,
			size_t *n)
{
	const struct fw_elem *e = x->elems;
	size_t ne = x->nelems;
	const struct fw_set *s = x->set ? fw_set_find(rs, &rs->chains[r->chain], x->set) : NULL;

	if (s) {
		e = s->elems;
		ne = s->nelems;
	}
	for (size_t i = 0; i < ne; i++) {
		size_t alen = family == AF_INET ? 4 : 16, len = 0;
		struct reach_prefix *p;

		if (e[i].kind != FW_ELEM_ADDR || e[i].family != family)
			continue;
		while (len < alen * 8 && !((e[i].alo[len / 8] ^ e[i].ahi[len / 8]) &
					   (0x80 >> (len % 8))))
			len++;
		if (len == 0)
			continue;
		if (!(p = fw_grow(v, n, sizeof(*p))))
			return -ENOMEM;
		*p = (struct reach_prefix){ family, (uint8_t)len, { 0 } };
		memcpy(p->addr, e[i].alo, alen);
	}
	return 0;
}

/* Whether a rule could match the packet whatever its source: none of its other matches is
 * false. Only such rules' prefixes can change the verdict. */
static bool may_match(const struct fw_ruleset *rs, const struct pkt *p, const struct fw_rule *r,
		      uint8_t skey)
{
	struct walk w = { rs, p, NULL, NULL, 0 };

	for (size_t k = 0; k < r->nexprs; k++) {
		const struct fw_expr *x = &r->exprs[k];

		if (x->stmt == FW_ST_MATCH && x->key != skey && match(&w, r, x) == T_FALSE)
			return false;
	}
	return true;
}

/* Every source prefix the ruleset matches on, for the query's family, in rules that could
 * match the packet otherwise. */
static int source_prefixes(const struct fw_ruleset *rs, const struct pkt *p,
			   struct reach_prefix **v, size_t *n)
{
	uint8_t family = p->q->family;
	uint8_t key = family == AF_INET ? FW_KEY_SADDR4 : FW_KEY_SADDR6;
	int r = 0;

	for (size_t i = 0; i < rs->nrules && r == 0; i++) {
		const struct fw_rule *rule = &rs->rules[i];
		bool checked = false;

		for (size_t k = 0; k < rule->nexprs && r == 0; k++) {
			const struct fw_expr *x = &rule->exprs[k];

			if ((x->stmt != FW_ST_MATCH && x->stmt != FW_ST_VMAP) || x->key != key)
				continue;
			if (!checked && !may_match(rs, p, rule, key))
				break;
			checked = true;
			r = add_prefixes(rs, rule, x, family, v, n);
		}
	}
	return r;
}

/* Whether prefix a lies within b. */
static bool prefix_within(const struct reach_prefix *a, const struct reach_prefix *b)
{
	struct fw_elem e = { .kind = FW_ELEM_ADDR };
	size_t alen = a->family == AF_INET ? 4 : 16;

	if (a->family != b->family || a->len < b->len)
		return false;
	memcpy(e.alo, b->addr, 16);
	memcpy(e.ahi, b->addr, 16);
	for (size_t bit = b->len; bit < alen * 8; bit++)
		e.ahi[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
	return addr_in(a->addr, &e, alen);
}

/* When any source is dropped: the named prefixes from which the connection is accepted. */
static int try_sources(const struct fw_ruleset *rs, uint8_t hook, const struct reach_query *q,
		       struct reach_result *res)
{
	struct pkt generic = { q, true, { 0 } };
	struct reach_prefix *v = NULL;
	size_t n = 0;
	int r = source_prefixes(rs, &generic, &v, &n);

	for (size_t i = 0; i < n && r == 0; i++) {
		struct pkt p = { q, false, { 0 } };
		struct reach_result one;
		bool dup = false;

		for (size_t k = 0; k < res->nfrom && !dup; k++)
			dup = prefix_within(&v[i], &res->from[k]);
		memcpy(p.saddr, v[i].addr, 16);
		if (dup || (r = walk_hook(rs, hook, &p, &one)) < 0)
			continue;
		if (one.verdict == REACH_OPEN) {
			struct reach_prefix *f = fw_grow(&res->from, &res->nfrom, sizeof(*f));

			if (!f)
				r = -ENOMEM;
			else
				*f = v[i];
			res->verdict = REACH_PARTIAL;
			res->has_rule = one.has_rule;
			res->rule = one.rule;
		}
	}
	free(v);
	return r;
}

int reach_eval(const struct fw_ruleset *rs, enum reach_hook hook, const struct reach_query *q,
	       struct reach_result *res)
{
	struct pkt p = { q, true, { 0 } };
	uint8_t h = hook == REACH_INPUT ? FW_HOOK_INPUT : FW_HOOK_FORWARD;
	int r;

	if (rs->legacy) {
		*res = (struct reach_result){ .verdict = REACH_UNKNOWN };
		return 0;
	}
	r = walk_hook(rs, h, &p, res);
	if (r == 0 && res->verdict == REACH_FILTERED)
		r = try_sources(rs, h, q, res);
	return r;
}

/* The prerouting nat path for one new connection: where it is sent, if anywhere. */
static int walk_nat(const struct fw_ruleset *rs, const struct pkt *p, struct walk *out)
{
	size_t *order = malloc((rs->nchains ? rs->nchains : 1) * sizeof(*order));
	size_t n;

	if (!order)
		return -ENOMEM;
	n = base_chains(rs, FW_HOOK_PREROUTING, true, p->q->family, order);
	*out = (struct walk){ rs, p, NULL, NULL, 0 };
	for (size_t i = 0; i < n && !out->dnat; i++) {
		enum outcome o = run_chain(out, order[i]);

		if (o == O_UNKNOWN || o == O_DROP)
			break;
	}
	free(order);
	return 0;
}

/* The ports a dnat rule names for protocol (its dport matches), as elements. */
static void dnat_ports(const struct fw_rule *r, uint8_t protocol, const struct fw_elem **v,
		       size_t *n)
{
	*v = NULL;
	*n = 0;
	for (size_t k = 0; k < r->nexprs; k++) {
		const struct fw_expr *x = &r->exprs[k];

		if (x->stmt == FW_ST_MATCH && x->cmp == FW_CMP_EQ && !x->set &&
		    (x->key == FW_KEY_TH_DPORT ||
		     x->key == (protocol == IPPROTO_TCP ? FW_KEY_TCP_DPORT : FW_KEY_UDP_DPORT))) {
			*v = x->elems;
			*n = x->nelems;
		}
	}
}

/* Try each port of a dnat rule through the whole nat path; add those that end there. */
static int try_dnat_rule(const struct fw_ruleset *rs, const struct fw_rule *r, uint8_t family,
			 uint8_t protocol, const char *iifname, struct reach_dnat **out, size_t *n)
{
	const struct fw_elem *ports;
	size_t np;

	dnat_ports(r, protocol, &ports, &np);
	for (size_t i = 0; i < np; i++) {
		uint32_t hi = ports[i].hi < 65535 ? ports[i].hi : 65535;

		/* A range is tried port by port, up to 1024 of them. */
		for (uint32_t port = ports[i].lo; ports[i].kind == FW_ELEM_NUM && port <= hi &&
		     port - ports[i].lo < 1024; port++) {
			struct reach_query q = { protocol, family, false, { 0 }, (uint16_t)port,
						 iifname, NULL, true, false };
			struct pkt p = { &q, true, { 0 } };
			struct walk w;
			struct reach_dnat *d;
			struct reach_result names;

			if (walk_nat(rs, &p, &w) < 0)
				return -ENOMEM;
			if (w.rule != r || !w.dnat ||
			    (!w.dnat->redirect && w.dnat->nat_family != family))
				continue;
			if (!(d = fw_grow(out, n, sizeof(*d))))
				return -ENOMEM;
			name_rule(rs, r, r->chain, &names);
			*d = (struct reach_dnat){ protocol, family, (uint16_t)port,
						  w.dnat->redirect, { 0 },
						  w.dnat->port ? w.dnat->port : (uint16_t)port,
						  names.rule };
			memcpy(d->addr, w.dnat->addr, 16);
		}
	}
	return 0;
}

int reach_published(const struct fw_ruleset *rs, const char *iifname, struct reach_dnat **out,
		    size_t *n)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	static const uint8_t fams[] = { AF_INET, AF_INET6 };
	int r = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < rs->nrules && r == 0; i++) {
		const struct fw_rule *rule = &rs->rules[i];
		const struct fw_chain *c = &rs->chains[rule->chain];
		bool dnat = false;

		for (size_t k = 0; k < rule->nexprs; k++)
			dnat |= rule->exprs[k].stmt == FW_ST_DNAT;
		if (!dnat || rs->legacy || (c->hook != FW_HOOK_NONE && !c->nat))
			continue;
		for (size_t f = 0; f < 2 && r == 0; f++)
			for (size_t p = 0; p < 2 && r == 0; p++)
				r = try_dnat_rule(rs, rule, fams[f], protos[p], iifname, out, n);
	}
	return r;
}

int reach_rank(enum reach_verdict v)
{
	/* unknown above partial: a path this cannot decide may be open to every source, and
	 * must not be hidden behind another path that lets some sources in */
	static const int ranks[] = { [REACH_NONE] = 0, [REACH_FILTERED] = 1,
				     [REACH_PARTIAL] = 2, [REACH_UNKNOWN] = 3, [REACH_OPEN] = 4 };

	return ranks[v];
}

/* Whether a holds prefix p already. */
static bool has_prefix(const struct reach_result *a, const struct reach_prefix *p)
{
	for (size_t i = 0; i < a->nfrom; i++)
		if (a->from[i].family == p->family && a->from[i].len == p->len &&
		    memcmp(a->from[i].addr, p->addr, sizeof(p->addr)) == 0)
			return true;
	return false;
}

int reach_merge(struct reach_result *a, struct reach_result *b)
{
	if (reach_rank(b->verdict) > reach_rank(a->verdict)) {
		reach_result_free(a);
		*a = *b;
		*b = (struct reach_result){ 0 };
		return 0;
	}
	if (a->verdict != REACH_PARTIAL || b->verdict != REACH_PARTIAL)
		return 0;
	/* Two partial paths (IPv4 and IPv6, two interfaces): the sources of either get in. */
	for (size_t i = 0; i < b->nfrom; i++) {
		struct reach_prefix *p;

		if (has_prefix(a, &b->from[i]))
			continue;
		if ((p = fw_grow(&a->from, &a->nfrom, sizeof(*p))) == NULL)
			return -ENOMEM;
		*p = b->from[i];
	}
	return 0;
}

void reach_result_free(struct reach_result *r)
{
	free(r->from);
	r->from = NULL;
	r->nfrom = 0;
}

const char *reach_name(enum reach_verdict v)
{
	static const char *const names[] = { NULL, "open", "filtered", "partial", "unknown" };

	return names[v];
}
