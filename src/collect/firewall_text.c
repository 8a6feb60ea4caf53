/* The rule lines of nftables' text listing, for rules the JSON lists with xt extensions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/firewall.h"
#include "listen/firewall_text.h"

/* One word of a line: a bare word, a quoted string (without its quotes), or one of { } , */
struct tok {
	const char *s;
	size_t len;
	bool quoted;
};

struct line {
	struct tok *t;
	size_t n, i;
};

/* Whether c ends a bare word: blanks (a NUL too), braces, commas, quotes. */
static bool word_end(char c)
{
	return c == '\0' || strchr(" \t\r\n{},\"", c) != NULL;
}

/* Split a rule line into words. Returns 0, -EINVAL (an open quote) or -ENOMEM. */
static int tokenize(struct line *l, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		struct tok *t;
		size_t start;

		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\0') {
			i++;
			continue;
		}
		if (!(t = fw_grow(&l->t, &l->n, sizeof(*t))))
			return -ENOMEM;
		if (s[i] == '"') {
			start = ++i;
			while (i < len && s[i] != '"')
				i += s[i] == '\\' && i + 1 < len ? 2 : 1;
			if (i >= len)
				return -EINVAL;
			*t = (struct tok){ s + start, i - start, true };
			i++;
			continue;
		}
		start = i;
		if (s[i] == '{' || s[i] == '}' || s[i] == ',')
			i++;
		else
			while (i < len && !word_end(s[i]))
				i++;
		*t = (struct tok){ s + start, i - start, false };
	}
	return 0;
}

/* Whether the next word is w (bare). */
static bool peek(const struct line *l, const char *w)
{
	const struct tok *t = l->i < l->n ? &l->t[l->i] : NULL;

	return t && !t->quoted && t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

/* Take the next word if it is w. */
static bool accept_word(struct line *l, const char *w)
{
	if (!peek(l, w))
		return false;
	l->i++;
	return true;
}

/* The next word as a string (malloc'd), or NULL at the end (or out of memory: *oom). */
static char *take(struct line *l, bool *oom)
{
	char *s;

	if (l->i >= l->n)
		return NULL;
	s = strndup(l->t[l->i].s, l->t[l->i].len);
	if (!s)
		*oom = true;
	l->i++;
	return s;
}

/* A number in a word, or -1. */
static long number(const char *s)
{
	char *end;
	long v;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end || v > UINT32_MAX ? -1 : v;
}

/* One value: "22", "8000-8100", "10.0.0.0/8", "fd00::1", "new", "veth*". */
static int text_elem(struct fw_elem *e, const char *w, bool quoted)
{
	const char *slash = strchr(w, '/'), *dash = strchr(w, '-');
	long a = number(w), b;

	if (!quoted && a >= 0) {
		e->kind = FW_ELEM_NUM;
		e->lo = e->hi = (uint32_t)a;
		return 0;
	}
	if (!quoted && dash && (a = strtol(w, NULL, 10), number(dash + 1) >= 0) &&
	    w[0] >= '0' && w[0] <= '9' && !strchr(w, '.') && !strchr(w, ':')) {
		b = number(dash + 1);
		e->kind = FW_ELEM_NUM;
		e->lo = (uint32_t)a;
		e->hi = (uint32_t)b;
		return 0;
	}
	if (!quoted && slash) {
		char *addr = strndup(w, (size_t)(slash - w));
		bool ok = addr && number(slash + 1) >= 0 &&
			  fw_addr_elem(e, addr, (int)number(slash + 1));

		free(addr);
		return ok ? 0 : -EINVAL;
	}
	if (!quoted && fw_addr_elem(e, w, -1))
		return 0;
	e->kind = FW_ELEM_STR;
	e->str = strdup(w);
	return e->str ? 0 : -ENOMEM;
}

/* The right side of a match: "{ a, b }", "@set", "a,b" (ct state), or one value. */
static int text_values(struct line *l, struct fw_expr *x)
{
	bool brace = accept_word(l, "{"), oom = false;

	if (!brace && l->i < l->n && l->t[l->i].len > 1 && l->t[l->i].s[0] == '@' &&
	    !l->t[l->i].quoted) {
		char *s = take(l, &oom);

		x->set = s ? strdup(s + 1) : NULL;
		free(s);
		return x->set ? 0 : -ENOMEM;
	}
	do {
		bool quoted = l->i < l->n && l->t[l->i].quoted;
		char *w = take(l, &oom);
		struct fw_elem *e = w ? fw_grow(&x->elems, &x->nelems, sizeof(*e)) : NULL;
		int r = oom || (w && !e) ? -ENOMEM : !w ? -EINVAL : text_elem(e, w, quoted);

		free(w);
		if (r < 0)
			return r;
	} while (accept_word(l, ","));
	return brace && !accept_word(l, "}") ? -EINVAL : 0;
}

/* A comparison operator, if one comes next. */
static enum fw_cmp text_cmp(struct line *l)
{
	static const char *const ops[] = {
		[FW_CMP_EQ] = "==", [FW_CMP_NE] = "!=", [FW_CMP_LT] = "<", [FW_CMP_GT] = ">",
		[FW_CMP_LE] = "<=", [FW_CMP_GE] = ">=",
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (accept_word(l, ops[i]))
			return (enum fw_cmp)i;
	return FW_CMP_EQ;
}

/* The key of a match starting here, or FW_KEY_OTHER (nothing taken). */
static enum fw_key text_key(struct line *l)
{
	static const char *const meta[] = { "iif", "iifname", "oif", "oifname" };
	static const char *const payload[] = { "ip", "ip6", "tcp", "udp", "th", "icmp", "icmpv6",
					       "sctp" };
	char field[16];

	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		if (accept_word(l, meta[i]))
			return fw_meta_key(meta[i]);
	if (accept_word(l, "meta") && l->i < l->n && l->t[l->i].len < sizeof(field)) {
		memcpy(field, l->t[l->i].s, l->t[l->i].len);
		field[l->t[l->i++].len] = '\0';
		return fw_meta_key(field);
	}
	if (accept_word(l, "ct"))
		return accept_word(l, "state") ? FW_KEY_CT_STATE :
		       accept_word(l, "status") ? FW_KEY_CT_STATUS : FW_KEY_OTHER;
	if (accept_word(l, "fib"))
		return accept_word(l, "daddr") && accept_word(l, "type") ? FW_KEY_FIB_DADDR_TYPE
									 : FW_KEY_OTHER;
	for (size_t i = 0; i < sizeof(payload) / sizeof(payload[0]); i++) {
		if (!accept_word(l, payload[i]))
			continue;
		if (l->i >= l->n || l->t[l->i].len >= sizeof(field))
			return FW_KEY_OTHER;
		memcpy(field, l->t[l->i].s, l->t[l->i].len);
		field[l->t[l->i++].len] = '\0';
		return fw_payload_key(payload[i], field);
	}
	return FW_KEY_OTHER;
}

/* log's and counter's arguments, skipped. */
static void skip_args(struct line *l)
{
	static const char *const args[] = { "prefix", "level", "flags", "group", "snaplen",
					    "queue-threshold", "packets", "bytes" };

	for (bool more = true; more && l->i + 1 < l->n;) {
		more = false;
		for (size_t k = 0; k < sizeof(args) / sizeof(args[0]) && !more; k++)
			if (accept_word(l, args[k])) {
				l->i++;
				more = true;
				while (accept_word(l, ","))
					l->i++;
			}
	}
}

/* "reject [with icmp|icmpv6|icmpx [type] CODE | with tcp reset]". */
static void skip_reject(struct line *l)
{
	if (!accept_word(l, "with"))
		return;
	if (accept_word(l, "tcp")) {
		accept_word(l, "reset");
		return;
	}
	l->i++; /* icmp, icmpv6, icmpx */
	accept_word(l, "type");
	l->i++;
}

/* "dnat [ip|ip6] to ADDR[:PORT]", "redirect [to :PORT]": the new destination. */
static int text_dnat(struct line *l, struct fw_expr *x, bool redirect)
{
	bool oom = false;
	char *w, *colon;
	struct fw_elem e = { 0 };

	x->stmt = FW_ST_DNAT;
	x->redirect = redirect;
	if (!accept_word(l, "ip") && !accept_word(l, "ip6"))
		(void)0;
	if (!accept_word(l, "to"))
		return redirect ? 0 : -EINVAL;
	if (!(w = take(l, &oom)))
		return oom ? -ENOMEM : -EINVAL;
	/* "10.0.0.2:80", "[fd00::2]:80", ":8080", "fd00::2" */
	colon = w[0] == '[' ? strstr(w, "]:") : strrchr(w, ':');
	if (w[0] == '[' && colon)
		*colon++ = '\0';
	else if (colon && (w[0] == ':' || strchr(w, ':') == colon))
		*colon = '\0';
	else
		colon = NULL;
	if (colon && number(colon + 1) > 0 && number(colon + 1) <= 65535)
		x->port = (uint16_t)number(colon + 1);
	else if (colon)
		x->stmt = FW_ST_UNKNOWN;
	if (w[0] && fw_addr_elem(&e, w + (w[0] == '['), -1)) {
		x->nat_family = e.family;
		memcpy(x->addr, e.alo, sizeof(x->addr));
	} else if (w[0]) {
		x->stmt = FW_ST_UNKNOWN;
	}
	free(w);
	return x->stmt == FW_ST_UNKNOWN ? -EINVAL : 0;
}

/* One statement from here. Returns 0, -EINVAL (not one this reader knows) or -ENOMEM. */
static int text_stmt(struct line *l, struct fw_rule *r, struct fw_expr *x)
{
	enum fw_key key;
	bool oom = false;
	const char *w;

	if (accept_word(l, "counter") || accept_word(l, "log")) {
		x->stmt = FW_ST_NOP;
		skip_args(l);
		return 0;
	}
	if (accept_word(l, "comment")) {
		x->stmt = FW_ST_NOP;
		free(r->comment);
		r->comment = take(l, &oom);
		return oom ? -ENOMEM : r->comment ? 0 : -EINVAL;
	}
	w = l->i < l->n ? l->t[l->i].s : "";
	if (l->i < l->n && !l->t[l->i].quoted) {
		char v[16] = "";

		if (l->t[l->i].len < sizeof(v))
			memcpy(v, w, l->t[l->i].len);
		if ((x->verdict = (uint8_t)fw_verdict_of(v)) != FW_V_NONE) {
			l->i++;
			x->stmt = FW_ST_VERDICT;
			if (x->verdict == FW_V_REJECT)
				skip_reject(l);
			if (x->verdict != FW_V_JUMP && x->verdict != FW_V_GOTO)
				return 0;
			x->target = take(l, &oom);
			return oom ? -ENOMEM : x->target ? 0 : -EINVAL;
		}
	}
	if (accept_word(l, "dnat") || accept_word(l, "redirect"))
		return text_dnat(l, x, l->t[l->i - 1].s[0] == 'r');
	if (accept_word(l, "masquerade")) {
		x->stmt = FW_ST_NAT;
		return 0;
	}
	key = text_key(l);
	if (key == FW_KEY_OTHER)
		return -EINVAL;
	x->stmt = FW_ST_MATCH;
	x->key = (uint8_t)key;
	x->cmp = (uint8_t)text_cmp(l);
	return text_values(l, x);
}

int fw_text_rule(struct fw_rule *r, const char *s, size_t len)
{
	struct line l = { 0 };
	struct fw_rule nr = { .handle = r->handle, .chain = r->chain };
	int rc = tokenize(&l, s, len);

	while (rc == 0 && l.i < l.n) {
		struct fw_expr *x = fw_grow(&nr.exprs, &nr.nexprs, sizeof(*x));

		rc = x ? text_stmt(&l, &nr, x) : -ENOMEM;
	}
	free(l.t);
	if (rc < 0) {
		fw_rule_clear(&nr);
		free(nr.comment);
		return rc;
	}
	fw_rule_clear(r);
	r->exprs = nr.exprs;
	r->nexprs = nr.nexprs;
	if (nr.comment) {
		free(r->comment);
		r->comment = nr.comment;
	}
	return 0;
}

/* Whether a rule holds an xt extension left unknown. */
static bool has_xt(const struct fw_rule *r)
{
	for (size_t k = 0; k < r->nexprs; k++)
		if (r->exprs[k].stmt == FW_ST_UNKNOWN && r->exprs[k].name &&
		    strncmp(r->exprs[k].name, "xt ", 3) == 0)
			return true;
	return false;
}

/* Where we are in the listing: the table's family and name, the chain's name. */
struct where {
	char family[16], table[256], chain[256];
};

/* Follow "table FAMILY NAME {" and "chain NAME {" lines. */
static void follow(struct where *w, const char *s, size_t len, int depth)
{
	char buf[600];
	size_t n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;

	memcpy(buf, s, n);
	buf[n] = '\0';
	if (depth == 0 && sscanf(buf, " table %15s %255s {", w->family, w->table) != 2)
		w->family[0] = w->table[0] = '\0';
	if (depth == 1 && sscanf(buf, " chain %255s {", w->chain) != 1)
		w->chain[0] = '\0';
}

/* The rule of rs listed under w with this handle, or NULL. */
static struct fw_rule *rule_at(struct fw_ruleset *rs, const struct where *w, uint64_t handle)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct fw_chain *c = &rs->chains[rs->rules[i].chain];

		if (rs->rules[i].handle == handle && strcmp(c->name, w->chain) == 0 &&
		    strcmp(c->table, w->table) == 0 && strcmp(c->family_name, w->family) == 0)
			return &rs->rules[i];
	}
	return NULL;
}

/* Handle one line of the listing at brace depth *depth. */
static int text_line(struct fw_ruleset *rs, struct where *w, const char *s, size_t len,
		     int *depth)
{
	const char *mark = memmem(s, len, " # handle ", 10);
	int before = *depth;
	bool quoted = false;

	for (size_t i = 0; i < len && (!mark || s + i < mark); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == '{')
			(*depth)++;
		else if (!quoted && s[i] == '}')
			(*depth)--;
	}
	if (*depth > before)
		follow(w, s, len, before);
	if (before != 2 || *depth != 2 || !mark || !w->chain[0])
		return 0;
	struct fw_rule *r = rule_at(rs, w, strtoull(mark + 10, NULL, 10));
	int rc = r && has_xt(r) ? fw_text_rule(r, s, (size_t)(mark - s)) : 0;

	return rc == -ENOMEM ? rc : 0;
}

int fw_text_apply(struct fw_ruleset *rs, const char *text, size_t tlen)
{
	struct where w = { "", "", "" };
	int depth = 0, r = 0;

	for (const char *s = text, *end = text + tlen; s < end && r == 0;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		r = text_line(rs, &w, s, len, &depth);
		s += len + 1;
	}
	return r;
}
