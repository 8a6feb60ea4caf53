/* Firewall rulesets: nftables' JSON listing into plain records. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "listen/firewall.h"
#include "listen/firewall_text.h"

/* Grow an array of size-byte items to hold one more; returns the new item (zeroed) or NULL. */
void *fw_grow(void *pv, size_t *n, size_t size)
{
	void **p = pv;
	char *v = realloc(*p, (*n + 1) * size);

	if (!v)
		return NULL;
	*p = v;
	memset(v + *n * size, 0, size);
	return v + (*n)++ * size;
}

/* A copy of s, or NULL for NULL (and when memory runs out: *oom is set). */
static char *dup_or_null(const char *s, bool *oom)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*oom = true;
	return d;
}

static enum fw_family family_of(const char *s)
{
	if (!s)
		return FW_FAM_OTHER;
	if (strcmp(s, "ip") == 0)
		return FW_FAM_IP;
	if (strcmp(s, "ip6") == 0)
		return FW_FAM_IP6;
	if (strcmp(s, "inet") == 0)
		return FW_FAM_INET;
	return FW_FAM_OTHER;
}

/* A verdict's name to its value; FW_V_NONE when it is none. */
enum fw_verdict fw_verdict_of(const char *s)
{
	static const char *const names[] = {
		[FW_V_ACCEPT] = "accept", [FW_V_DROP] = "drop", [FW_V_REJECT] = "reject",
		[FW_V_CONTINUE] = "continue", [FW_V_RETURN] = "return", [FW_V_JUMP] = "jump",
		[FW_V_GOTO] = "goto",
	};

	for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum fw_verdict)i;
	return FW_V_NONE;
}

/* An address or a prefix ("10.0.0.0", len) as the interval it covers. */
bool fw_addr_elem(struct fw_elem *e, const char *s, int len)
{
	size_t bytes;

	memset(e->alo, 0, sizeof(e->alo));
	if (inet_pton(AF_INET, s, e->alo) == 1)
		e->family = AF_INET, bytes = 4;
	else if (inet_pton(AF_INET6, s, e->alo) == 1)
		e->family = AF_INET6, bytes = 16;
	else
		return false;
	if (len < 0)
		len = (int)bytes * 8;
	if ((size_t)len > bytes * 8)
		return false;
	e->kind = FW_ELEM_ADDR;
	memcpy(e->ahi, e->alo, sizeof(e->ahi));
	for (size_t bit = (size_t)len; bit < bytes * 8; bit++) {
		e->alo[bit / 8] &= (unsigned char)~(0x80 >> (bit % 8));
		e->ahi[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
	}
	return true;
}

/* A scalar: a number, an address, or a name. */
static int scalar_elem(struct fw_elem *e, json_t *v)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		e->kind = FW_ELEM_NUM;
		e->lo = e->hi = n < 0 || n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
		return 0;
	}
	if (!json_is_string(v)) {
		e->kind = FW_ELEM_OTHER;
		return 0;
	}
	if (fw_addr_elem(e, json_string_value(v), -1))
		return 0;
	e->kind = FW_ELEM_STR;
	e->str = strdup(json_string_value(v));
	return e->str ? 0 : -ENOMEM;
}

/* A range of two scalars of one kind, else an element that compares with nothing. */
static int range_elem(struct fw_elem *e, json_t *r)
{
	struct fw_elem a = { 0 }, b = { 0 };
	json_t *lo = json_array_get(r, 0), *hi = json_array_get(r, 1);
	int rc;

	e->kind = FW_ELEM_OTHER;
	if (json_array_size(r) != 2 || (rc = scalar_elem(&a, lo)) < 0 ||
	    (rc = scalar_elem(&b, hi)) < 0) {
		free(a.str);
		return json_array_size(r) != 2 ? 0 : rc;
	}
	if (a.kind == FW_ELEM_NUM && b.kind == FW_ELEM_NUM) {
		e->kind = FW_ELEM_NUM;
		e->lo = a.lo;
		e->hi = b.hi;
	} else if (a.kind == FW_ELEM_ADDR && b.kind == FW_ELEM_ADDR && a.family == b.family) {
		*e = a;
		memcpy(e->ahi, b.ahi, sizeof(e->ahi));
	}
	free(a.str);
	free(b.str);
	return 0;
}

static int verdict_data(struct fw_elem *e, json_t *d);

/* One value: scalar, {"prefix"}, {"range"}, {"elem": {"val"}}, [key, data] of a map. */
static int value_elem(struct fw_elem *e, json_t *v)
{
	json_t *o;

	if (json_is_array(v) && json_array_size(v) == 2) {
		int r = value_elem(e, json_array_get(v, 0));

		return r < 0 ? r : verdict_data(e, json_array_get(v, 1));
	}
	if (!json_is_object(v))
		return scalar_elem(e, v);
	if ((o = json_object_get(v, "elem")))
		return value_elem(e, json_object_get(o, "val"));
	if ((o = json_object_get(v, "prefix"))) {
		json_t *a = json_object_get(o, "addr"), *l = json_object_get(o, "len");

		if (!json_is_string(a) || !json_is_integer(l) ||
		    !fw_addr_elem(e, json_string_value(a), (int)json_integer_value(l)))
			e->kind = FW_ELEM_OTHER;
		return 0;
	}
	if ((o = json_object_get(v, "range")))
		return range_elem(e, o);
	e->kind = FW_ELEM_OTHER; /* a concatenation, an expression... */
	return 0;
}

/* The verdict a map element carries ({"accept": null}, {"jump": {"target": "x"}}). */
static int verdict_data(struct fw_elem *e, json_t *d)
{
	const char *k;
	json_t *v;

	json_object_foreach(d, k, v) {
		e->verdict = (uint8_t)fw_verdict_of(k);
		if (e->verdict == FW_V_JUMP || e->verdict == FW_V_GOTO) {
			json_t *t = json_object_get(v, "target");

			if (!json_is_string(t))
				e->verdict = FW_V_NONE;
			else if (!(e->target = strdup(json_string_value(t))))
				return -ENOMEM;
		}
		break;
	}
	return 0;
}

/* The elements of a right side: an anonymous {"set": [...]}, a list, or one value. */
static int elems_of(json_t *v, struct fw_elem **out, size_t *n)
{
	json_t *list = json_is_object(v) ? json_object_get(v, "set") : NULL, *it;
	size_t i;

	if (!list && json_is_array(v) &&
	    !(json_array_size(v) == 2 && json_is_object(json_array_get(v, 1))))
		list = v; /* ct state in ["established", "related"] */
	if (!list) {
		struct fw_elem *e = fw_grow(out, n, sizeof(*e));

		return !e ? -ENOMEM : value_elem(e, v);
	}
	if (!json_is_array(list)) { /* "set": 22 */
		struct fw_elem *e = fw_grow(out, n, sizeof(*e));

		return !e ? -ENOMEM : value_elem(e, list);
	}
	json_array_foreach(list, i, it) {
		struct fw_elem *e = fw_grow(out, n, sizeof(*e));
		int r = e ? value_elem(e, it) : -ENOMEM;

		if (r < 0)
			return r;
	}
	return 0;
}

enum fw_key fw_meta_key(const char *k)
{
	static const struct { const char *name; enum fw_key key; } keys[] = {
		{ "iif", FW_KEY_IIF }, { "iifname", FW_KEY_IIFNAME }, { "oif", FW_KEY_OIF },
		{ "oifname", FW_KEY_OIFNAME }, { "l4proto", FW_KEY_L4PROTO },
		{ "nfproto", FW_KEY_NFPROTO }, { "protocol", FW_KEY_NFPROTO },
	};

	for (size_t i = 0; k && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(k, keys[i].name) == 0)
			return keys[i].key;
	return FW_KEY_OTHER;
}

enum fw_key fw_payload_key(const char *proto, const char *field)
{
	bool ip = strcmp(proto, "ip") == 0, ip6 = strcmp(proto, "ip6") == 0;

	if ((ip || ip6) && strcmp(field, "saddr") == 0)
		return ip ? FW_KEY_SADDR4 : FW_KEY_SADDR6;
	if ((ip || ip6) && strcmp(field, "daddr") == 0)
		return ip ? FW_KEY_DADDR4 : FW_KEY_DADDR6;
	if (ip && strcmp(field, "protocol") == 0)
		return FW_KEY_L4PROTO4;
	if (ip6 && strcmp(field, "nexthdr") == 0)
		return FW_KEY_L4PROTO6;
	if (strcmp(proto, "icmp") == 0 || strcmp(proto, "icmpv6") == 0 ||
	    strcmp(proto, "dccp") == 0 ||
	    strcmp(proto, "udplite") == 0 || strcmp(proto, "igmp") == 0 ||
	    strcmp(proto, "esp") == 0 || strcmp(proto, "ah") == 0)
		return FW_KEY_FOREIGN_L4;
	if (strcmp(proto, "sctp") == 0)
		return strcmp(field, "dport") == 0 ? FW_KEY_SCTP_DPORT : FW_KEY_SCTP_OTHER;
	if (strcmp(field, "dport") != 0)
		return strcmp(proto, "tcp") == 0 ? FW_KEY_TCP_OTHER :
		       strcmp(proto, "udp") == 0 ? FW_KEY_UDP_OTHER : FW_KEY_OTHER;
	if (strcmp(proto, "th") == 0)
		return FW_KEY_TH_DPORT;
	if (strcmp(proto, "tcp") == 0)
		return FW_KEY_TCP_DPORT;
	return strcmp(proto, "udp") == 0 ? FW_KEY_UDP_DPORT : FW_KEY_OTHER;
}

/* The key a match's left side is, or FW_KEY_OTHER. */
static enum fw_key key_of(json_t *l)
{
	json_t *o;
	const char *k, *p;

	if ((o = json_object_get(l, "ct"))) {
		k = json_string_value(json_object_get(o, "key"));
		if (json_object_get(o, "dir") || !k)
			return FW_KEY_OTHER;
		return strcmp(k, "state") == 0 ? FW_KEY_CT_STATE :
		       strcmp(k, "status") == 0 ? FW_KEY_CT_STATUS : FW_KEY_OTHER;
	}
	if ((o = json_object_get(l, "meta")))
		return fw_meta_key(json_string_value(json_object_get(o, "key")));
	if ((o = json_object_get(l, "payload"))) {
		p = json_string_value(json_object_get(o, "protocol"));
		k = json_string_value(json_object_get(o, "field"));
		return p && k ? fw_payload_key(p, k) : FW_KEY_OTHER;
	}
	if ((o = json_object_get(l, "fib"))) {
		json_t *flags = json_object_get(o, "flags"), *f;
		size_t i;
		bool daddr = false;

		if (json_is_string(flags))
			daddr = strcmp(json_string_value(flags), "daddr") == 0;
		json_array_foreach(flags, i, f)
			daddr |= json_is_string(f) && strcmp(json_string_value(f), "daddr") == 0;
		k = json_string_value(json_object_get(o, "result"));
		return daddr && k && strcmp(k, "type") == 0 ? FW_KEY_FIB_DADDR_TYPE : FW_KEY_OTHER;
	}
	return FW_KEY_OTHER;
}

/* A comparison's name to its value ("==", "in", "!="...). */
static enum fw_cmp cmp_of(const char *op)
{
	if (!op || strcmp(op, "==") == 0 || strcmp(op, "in") == 0)
		return FW_CMP_EQ;
	if (strcmp(op, "!=") == 0)
		return FW_CMP_NE;
	if (strcmp(op, "<") == 0)
		return FW_CMP_LT;
	if (strcmp(op, ">") == 0)
		return FW_CMP_GT;
	if (strcmp(op, "<=") == 0)
		return FW_CMP_LE;
	return strcmp(op, ">=") == 0 ? FW_CMP_GE : FW_CMP_EQ;
}

/* The right side of a match or a vmap: a named set ("@name") or elements. */
static int right_side(struct fw_expr *x, json_t *r)
{
	if (json_is_string(r) && json_string_value(r)[0] == '@') {
		x->set = strdup(json_string_value(r) + 1);
		return x->set ? 0 : -ENOMEM;
	}
	return elems_of(r, &x->elems, &x->nelems);
}

/* A match statement. An operator this does not know makes the match unknown. */
static int parse_match(struct fw_expr *x, json_t *m)
{
	const char *op = json_string_value(json_object_get(m, "op"));

	x->stmt = FW_ST_MATCH;
	x->key = (uint8_t)key_of(json_object_get(m, "left"));
	x->cmp = (uint8_t)cmp_of(op);
	if (op && strcmp(op, "in") && strcmp(op, "==") && strcmp(op, "!=") &&
	    strcmp(op, "<") && strcmp(op, ">") && strcmp(op, "<=") && strcmp(op, ">="))
		x->key = FW_KEY_OTHER;
	if (x->key == FW_KEY_OTHER) {
		char *s = json_dumps(json_object_get(m, "left"), JSON_COMPACT);

		x->name = s ? s : strdup("match");
		return x->name ? 0 : -ENOMEM;
	}
	return right_side(x, json_object_get(m, "right"));
}

/* A dnat or redirect: the new address (if given) and port. */
static int parse_dnat(struct fw_expr *x, json_t *d, bool redirect)
{
	json_t *a = json_object_get(d, "addr"), *p = json_object_get(d, "port");
	struct fw_elem e = { 0 };

	x->stmt = FW_ST_DNAT;
	x->redirect = redirect;
	if (json_is_string(a) && fw_addr_elem(&e, json_string_value(a), -1)) {
		x->nat_family = e.family;
		memcpy(x->addr, e.alo, sizeof(x->addr));
	} else if (a || (p && !json_is_integer(p))) {
		x->stmt = FW_ST_UNKNOWN; /* a map, a range of addresses: not followed */
		x->name = strdup(redirect ? "redirect" : "dnat");
		return x->name ? 0 : -ENOMEM;
	}
	if (json_is_integer(p))
		x->port = (uint16_t)json_integer_value(p);
	return 0;
}

/* An xt extension: some are transparent or a plain verdict whatever their arguments. */
static int parse_xt(struct fw_expr *x, json_t *v)
{
	const char *type = json_string_value(json_object_get(v, "type"));
	const char *name = json_string_value(json_object_get(v, "name"));

	x->stmt = FW_ST_UNKNOWN;
	if (type && name && strcmp(type, "match") == 0 && strcmp(name, "comment") == 0)
		x->stmt = FW_ST_NOP;
	else if (type && name && strcmp(type, "target") == 0 && strcmp(name, "LOG") == 0)
		x->stmt = FW_ST_NOP;
	else if (type && name && strcmp(type, "target") == 0 && strcmp(name, "REJECT") == 0)
		x->stmt = FW_ST_VERDICT, x->verdict = FW_V_REJECT;
	if (x->stmt != FW_ST_UNKNOWN)
		return 0;
	if (asprintf(&x->name, "xt %s %s", type ? type : "?", name ? name : "?") < 0) {
		x->name = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The only family a reject's type sends to ({"type": "icmp"}: AF_INET, "icmpv6": AF_INET6;
 * icmpx and tcp reset: 0, any). In an ip or ip6 table the family is the table's anyway. */
static uint8_t reject_family(json_t *v)
{
	const char *type = json_string_value(json_object_get(v, "type"));

	if (type && strcmp(type, "icmp") == 0)
		return AF_INET;
	if (type && strcmp(type, "icmpv6") == 0)
		return AF_INET6;
	return 0;
}

/* One statement of a rule's "expr" list. */
static int parse_stmt(struct fw_expr *x, json_t *s)
{
	const char *k = NULL;
	json_t *v = NULL;

	json_object_foreach(s, k, v)
		break;
	if (!k)
		return -EBADMSG;
	if (strcmp(k, "match") == 0)
		return parse_match(x, v);
	if ((x->verdict = (uint8_t)fw_verdict_of(k)) != FW_V_NONE) {
		json_t *t = json_object_get(v, "target");

		x->stmt = FW_ST_VERDICT;
		if (x->verdict == FW_V_REJECT)
			x->only_family = reject_family(v);
		if ((x->verdict == FW_V_JUMP || x->verdict == FW_V_GOTO) && !json_is_string(t))
			return -EBADMSG;
		if (json_is_string(t) && !(x->target = strdup(json_string_value(t))))
			return -ENOMEM;
		return 0;
	}
	if (strcmp(k, "vmap") == 0) {
		x->stmt = FW_ST_VMAP;
		x->key = (uint8_t)key_of(json_object_get(v, "key"));
		return right_side(x, json_object_get(v, "data"));
	}
	if (strcmp(k, "counter") == 0 || strcmp(k, "log") == 0 || strcmp(k, "comment") == 0) {
		x->stmt = FW_ST_NOP;
		return 0;
	}
	if (strcmp(k, "dnat") == 0 || strcmp(k, "redirect") == 0)
		return parse_dnat(x, v, k[0] == 'r');
	if (strcmp(k, "snat") == 0 || strcmp(k, "masquerade") == 0) {
		x->stmt = FW_ST_NAT;
		return 0;
	}
	if (strcmp(k, "xt") == 0)
		return parse_xt(x, v);
	x->stmt = FW_ST_UNKNOWN;
	x->name = strdup(k);
	return x->name ? 0 : -ENOMEM;
}

/* A chain: its table, name, and for a base chain its hook, type, priority and policy. */
static int parse_chain(struct fw_ruleset *rs, json_t *c)
{
	const char *fam = json_string_value(json_object_get(c, "family"));
	const char *hook = json_string_value(json_object_get(c, "hook"));
	const char *type = json_string_value(json_object_get(c, "type"));
	const char *pol = json_string_value(json_object_get(c, "policy"));
	struct fw_chain *ch = fw_grow(&rs->chains, &rs->nchains, sizeof(*ch));
	bool oom = false;

	if (!ch)
		return -ENOMEM;
	ch->family = (uint8_t)family_of(fam);
	ch->family_name = dup_or_null(fam ? fam : "?", &oom);
	ch->table = dup_or_null(json_string_value(json_object_get(c, "table")), &oom);
	ch->name = dup_or_null(json_string_value(json_object_get(c, "name")), &oom);
	if (oom)
		return -ENOMEM;
	if (!ch->table || !ch->name)
		return -EBADMSG;
	ch->hook = !hook ? FW_HOOK_NONE : strcmp(hook, "input") == 0 ? FW_HOOK_INPUT :
		   strcmp(hook, "forward") == 0 ? FW_HOOK_FORWARD :
		   strcmp(hook, "prerouting") == 0 ? FW_HOOK_PREROUTING : FW_HOOK_OTHER;
	ch->nat = type && strcmp(type, "nat") == 0;
	ch->prio = (int)json_integer_value(json_object_get(c, "prio"));
	ch->policy = pol && strcmp(pol, "drop") == 0 ? FW_V_DROP : FW_V_ACCEPT;
	return 0;
}

/* A named set or map with its elements. */
static int parse_set(struct fw_ruleset *rs, json_t *s, bool map)
{
	const char *fam = json_string_value(json_object_get(s, "family"));
	struct fw_set *set = fw_grow(&rs->sets, &rs->nsets, sizeof(*set));
	json_t *elem = json_object_get(s, "elem"), *it;
	bool oom = false;
	size_t i;

	if (!set)
		return -ENOMEM;
	set->family = (uint8_t)family_of(fam);
	set->map = map;
	set->table = dup_or_null(json_string_value(json_object_get(s, "table")), &oom);
	set->name = dup_or_null(json_string_value(json_object_get(s, "name")), &oom);
	if (oom)
		return -ENOMEM;
	if (!set->table || !set->name)
		return -EBADMSG;
	if (!json_is_array(elem))
		return elem ? elems_of(elem, &set->elems, &set->nelems) : 0;
	json_array_foreach(elem, i, it) {
		struct fw_elem *e = fw_grow(&set->elems, &set->nelems, sizeof(*e));
		int r = e ? value_elem(e, it) : -ENOMEM;

		if (r < 0)
			return r;
	}
	return 0;
}

/* A rule: its chain (which must be listed before it), handle, comment and statements. */
static int parse_rule(struct fw_ruleset *rs, json_t *r)
{
	const char *fam = json_string_value(json_object_get(r, "family"));
	const char *table = json_string_value(json_object_get(r, "table"));
	const char *chain = json_string_value(json_object_get(r, "chain"));
	const char *comment = json_string_value(json_object_get(r, "comment"));
	json_t *exprs = json_object_get(r, "expr"), *s;
	struct fw_rule *rule;
	size_t i, c;

	for (c = rs->nchains; c-- > 0;) {
		const struct fw_chain *ch = &rs->chains[c];

		if (fam && table && chain && strcmp(ch->family_name, fam) == 0 &&
		    strcmp(ch->table, table) == 0 && strcmp(ch->name, chain) == 0)
			break;
	}
	if (c == (size_t)-1 || !json_is_array(exprs))
		return -EBADMSG;
	if (!(rule = fw_grow(&rs->rules, &rs->nrules, sizeof(*rule))))
		return -ENOMEM;
	rule->chain = c;
	rule->handle = (uint64_t)json_integer_value(json_object_get(r, "handle"));
	if (comment && !(rule->comment = strdup(comment)))
		return -ENOMEM;
	json_array_foreach(exprs, i, s) {
		struct fw_expr *x = fw_grow(&rule->exprs, &rule->nexprs, sizeof(*x));
		int rc = x ? parse_stmt(x, s) : -ENOMEM;

		if (rc < 0)
			return rc;
		rs->xt |= x->stmt == FW_ST_UNKNOWN && x->name && strncmp(x->name, "xt ", 3) == 0;
	}
	return 0;
}

/* Order the rules by chain, keeping each chain's order, and set each chain's range. */
static int group_rules(struct fw_ruleset *rs)
{
	struct fw_rule *sorted = malloc((rs->nrules ? rs->nrules : 1) * sizeof(*sorted));
	size_t k = 0;

	if (!sorted)
		return -ENOMEM;
	for (size_t c = 0; c < rs->nchains; c++) {
		rs->chains[c].first = k;
		for (size_t i = 0; i < rs->nrules; i++)
			if (rs->rules[i].chain == c)
				sorted[k++] = rs->rules[i];
		rs->chains[c].nrules = k - rs->chains[c].first;
	}
	free(rs->rules);
	rs->rules = sorted;
	return 0;
}

/* Every object of the "nftables" array: chains, sets, maps and rules (tables are implied). */
static int parse_objects(struct fw_ruleset *rs, json_t *list)
{
	json_t *o, *v;
	size_t i;
	int r = 0;

	json_array_foreach(list, i, o) {
		if ((v = json_object_get(o, "chain")))
			r = parse_chain(rs, v);
		else if ((v = json_object_get(o, "set")))
			r = parse_set(rs, v, false);
		else if ((v = json_object_get(o, "map")))
			r = parse_set(rs, v, true);
		else if ((v = json_object_get(o, "rule")))
			r = parse_rule(rs, v);
		if (r < 0)
			return r;
	}
	return 0;
}

void fw_seed(void)
{
	json_object_seed(0x6c697374);
}

int fw_parse(struct fw_ruleset *rs, const char *json, size_t len, const char *text,
	     size_t tlen)
{
	json_t *root, *list;
	int r;

	fw_seed();
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	list = json_object_get(root, "nftables");

	if (!json_is_array(list)) {
		json_decref(root);
		return -EBADMSG;
	}
	r = parse_objects(rs, list);
	json_decref(root);
	if (r == 0 && rs->xt && text)
		r = fw_text_apply(rs, text, tlen);
	return r < 0 ? r : group_rules(rs);
}

long fw_chain_find(const struct fw_ruleset *rs, const struct fw_chain *c, const char *name)
{
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct fw_chain *o = &rs->chains[i];

		if (strcmp(o->name, name) == 0 && strcmp(o->table, c->table) == 0 &&
		    strcmp(o->family_name, c->family_name) == 0)
			return (long)i;
	}
	return -1;
}

const struct fw_set *fw_set_find(const struct fw_ruleset *rs, const struct fw_chain *c,
				 const char *name)
{
	for (size_t i = 0; i < rs->nsets; i++) {
		const struct fw_set *s = &rs->sets[i];

		if (s->family == c->family && strcmp(s->name, name) == 0 &&
		    strcmp(s->table, c->table) == 0)
			return s;
	}
	return NULL;
}

/* Release the strings of n elements and the array. */
static void elems_free(struct fw_elem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].str);
		free(v[i].target);
	}
	free(v);
}

/* Release what a rule owns. */
void fw_rule_clear(struct fw_rule *r)
{
	for (size_t k = 0; k < r->nexprs; k++) {
		struct fw_expr *x = &r->exprs[k];

		free(x->target);
		free(x->set);
		free(x->name);
		elems_free(x->elems, x->nelems);
	}
	free(r->exprs);
	r->exprs = NULL;
	r->nexprs = 0;
}

void fw_ruleset_free(struct fw_ruleset *rs)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		fw_rule_clear(&rs->rules[i]);
		free(rs->rules[i].comment);
	}
	for (size_t i = 0; i < rs->nchains; i++) {
		free(rs->chains[i].family_name);
		free(rs->chains[i].table);
		free(rs->chains[i].name);
	}
	for (size_t i = 0; i < rs->nsets; i++) {
		free(rs->sets[i].table);
		free(rs->sets[i].name);
		elems_free(rs->sets[i].elems, rs->sets[i].nelems);
	}
	free(rs->rules);
	free(rs->chains);
	free(rs->sets);
	*rs = (struct fw_ruleset){ 0 };
}
