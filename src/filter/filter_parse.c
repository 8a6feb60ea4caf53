/*
 * Filter expressions: words to a tree.
 *
 * The grammar is ss's (misc/ssfilter.y): `and`, `or` and juxtaposition are one level, read
 * left to right, so `a or b and c` is `(a or b) and c`; `not` takes the one term after it.
 * Runs of one operator become one node with many children, so long generated filters stay
 * shallow.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/array.h"
#include "listen/filter.h"
#include "listen/sock.h"

/* Deeper nesting (parentheses, not, alternating operators) is refused, so that evaluation
 * and compilation, which recurse, stay within a small stack. */
#define FILTER_MAX_DEPTH 100

struct token {
	const char *s;
	size_t len;
};

struct parser {
	struct filter *f;
	struct filter_error *err;
	const struct token *t;
	size_t n, i;
	unsigned depth;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int push_token(struct token **v, size_t *n, size_t *cap, const char *s, size_t len)
{
	int r = array_grow((void **)v, cap, *n + 1, sizeof(**v));

	if (r == 0)
		(*v)[(*n)++] = (struct token){ s, len };
	return r;
}

/* Split the arguments into words: at blanks, '#' to the end of the line, and '(' and ')'
 * apart from the word they touch. */
static int tokenize(char *const *args, size_t nargs, struct token **out, size_t *nout)
{
	size_t n = 0, cap = 0;
	struct token *v = NULL;
	int r = 0;

	for (size_t a = 0; a < nargs && r == 0; a++) {
		const char *p = args[a];

		while (*p && r == 0) {
			const char *s, *e;

			if (is_blank(*p)) {
				p++;
				continue;
			}
			if (*p == '#') {
				while (*p && *p != '\n')
					p++;
				continue;
			}
			for (s = p; *p && !is_blank(*p); p++)
				;
			e = p;
			for (; s < e && *s == '(' && r == 0; s++)
				r = push_token(&v, &n, &cap, s, 1);
			const char *close = e;

			while (close > s && close[-1] == ')')
				close--;
			if (close > s && r == 0)
				r = push_token(&v, &n, &cap, s, (size_t)(close - s));
			for (; close < e && r == 0; close++)
				r = push_token(&v, &n, &cap, close, 1);
		}
	}
	if (r < 0) {
		free(v);
		return r;
	}
	*out = v;
	*nout = n;
	return 0;
}

static bool tok_is(const struct token *t, const char *word)
{
	return t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

static bool tok_in(const struct token *t, const char *const *words)
{
	for (; *words; words++)
		if (tok_is(t, *words))
			return true;
	return false;
}

static const char *const and_words[] = { "and", "&&", "&", NULL };
static const char *const or_words[] = { "or", "||", "|", NULL };
static const char *const not_words[] = { "not", "!", NULL };

static const struct token *peek(const struct parser *p)
{
	return p->i < p->n ? &p->t[p->i] : NULL;
}

static int fail(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record an error at word at (0-based token index). */
static int fail(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	p->err->word = (unsigned)at + 1;
	return -EINVAL;
}

/* A word as printable text for a message: at most 40 bytes, controls as '?'. */
static const char *shown(const struct token *t, char *buf, size_t size)
{
	size_t n = t->len < size - 4 ? t->len : size - 4;

	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)t->s[i] < 0x20 || t->s[i] == 0x7f ? '?' : t->s[i];
	if (n < t->len)
		memcpy(buf + n, "...", 4);
	else
		buf[n] = '\0';
	return buf;
}

/* A growable list of child node indexes, one per level of the parse. */
struct kids {
	uint32_t *v;
	size_t n, cap;
};

static int kids_push(struct kids *k, uint32_t node)
{
	int r = array_grow((void **)&k->v, &k->cap, k->n + 1, sizeof(*k->v));

	if (r == 0)
		k->v[k->n++] = node;
	return r;
}

static int too_deep(struct parser *p, size_t at)
{
	return fail(p, at, "expression nested more than %d deep", FILTER_MAX_DEPTH);
}

/* Make an AND, OR or NOT node of the given children. */
static int add_op(struct parser *p, enum filter_kind kind, const uint32_t *kids, size_t n,
		  size_t word, uint32_t *index)
{
	struct filter *f = p->f;
	struct filter_node node = {
		.kind = (uint8_t)kind, .count = (uint32_t)n, .word = (uint32_t)word + 1,
		.name = FILTER_NONE, .port_name = FILTER_NONE,
	};
	unsigned depth = 0;
	int r;

	for (size_t k = 0; k < n; k++)
		depth = f->nodes[kids[k]].depth > depth ? f->nodes[kids[k]].depth : depth;
	if (depth + 1 > FILTER_MAX_DEPTH)
		return too_deep(p, word);
	node.depth = (uint8_t)(depth + 1);
	r = filter_add_kids(f, kids, n, &node.first);
	return r < 0 ? r : filter_add_node(f, &node, index);
}

/* Parse a decimal port: "0".."65535" without leading zeros. */
static bool parse_port_number(const char *s, size_t len, int32_t *port)
{
	long v = 0;

	if (len == 0 || len > 5 || (len > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 65535)
		return false;
	*port = (int32_t)v;
	return true;
}

static bool all_digits(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A service name as it may appear in services(5): printable, no separators we use. */
static bool service_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 64 || all_digits(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == ':' || c == ',' || c == '[' || c == ']' ||
		    c == '/')
			return false;
	}
	return true;
}

/* The port part of a condition ("22", "http", "*", ""), into node. */
static int set_port(struct parser *p, size_t at, const char *s, size_t len,
		    struct filter_node *node)
{
	char buf[48];

	if (len == 0 || (len == 1 && s[0] == '*')) {
		node->port = -1;
		return 0;
	}
	if (parse_port_number(s, len, &node->port))
		return 0;
	if (all_digits(s, len) && s[0] == '0') {
		struct token t = { s, len };

		return fail(p, at, "'%s' is not a port: write it without leading zeros",
			    shown(&t, buf, sizeof(buf)));
	}
	if (all_digits(s, len))
		return fail(p, at, "port %.*s is out of range (0-65535)",
			    (int)(len > 12 ? 12 : len), s);
	if (!service_name_ok(s, len)) {
		struct token t = { s, len };

		return fail(p, at, "'%s' is not a port", shown(&t, buf, sizeof(buf)));
	}
	node->port = -1;
	return filter_add_name(p->f, s, len, &node->port_name);
}

/* A host name as resolv.conf(5) would look it up: letters, digits, '-', '.', '_'. */
static bool host_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return false;
	}
	return !all_digits(s, len);
}

/* Parse an address ("127.0.0.1", "::1") of at most 63 bytes into pfx at full length. */
static bool parse_address(const char *s, size_t len, struct filter_prefix *pfx)
{
	char buf[64];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(pfx, 0, sizeof(*pfx));
	if (inet_pton(AF_INET, buf, pfx->addr) == 1) {
		pfx->family = AF_INET;
		pfx->bits = 32;
		return true;
	}
	if (inet_pton(AF_INET6, buf, pfx->addr) == 1) {
		pfx->family = AF_INET6;
		pfx->bits = 128;
		return true;
	}
	return false;
}

/* The address part of a src/dst condition: empty (any), an address, or a host name. */
static int set_address(struct parser *p, size_t at, const char *s, size_t len,
		       const char *bits, size_t bits_len, struct filter_node *node)
{
	struct filter_prefix pfx;
	char buf[48];
	struct token t = { s, len };

	node->first = (uint32_t)p->f->nprefixes;
	node->count = 0;
	if (len == 0 || (len == 1 && s[0] == '*')) {
		if (bits)
			return fail(p, at, "a prefix length needs an address");
		return 0;
	}
	if (!parse_address(s, len, &pfx)) {
		if (bits || !host_name_ok(s, len))
			return fail(p, at, "'%s' is not an address", shown(&t, buf, sizeof(buf)));
		return filter_add_name(p->f, s, len, &node->name);
	}
	if (bits) {
		int32_t v;

		if (!parse_port_number(bits, bits_len, &v) ||
		    v > (pfx.family == AF_INET ? 32 : 128)) {
			struct token b = { bits, bits_len };

			return fail(p, at, "bad prefix length '/%s' for %s",
				    shown(&b, buf, sizeof(buf)),
				    pfx.family == AF_INET ? "IPv4 (0-32)" : "IPv6 (0-128)");
		}
		pfx.bits = (uint8_t)v;
	}
	node->count = 1;
	return filter_add_prefix(p->f, &pfx);
}

/* Whether a word is one IPv6 address that ss's split at the last colon would not read as an
 * address and a port ("::1", "fe80::1", but not "fe80::1:22"): taken whole, beyond ss. */
static bool ipv6_unsplit(const char *s, size_t len)
{
	const char *colon = memrchr(s, ':', len);
	struct filter_prefix pfx;
	int32_t port;

	if (!parse_address(s, len, &pfx) || pfx.family != AF_INET6)
		return false;
	return !(colon && parse_port_number(colon + 1, (size_t)(s + len - colon - 1), &port) &&
		 parse_address(s, (size_t)(colon - s), &pfx));
}

/*
 * The operand of src or dst, as ss reads it: "*", "*:PORT", "[ADDR]", "[ADDR]:PORT",
 * "[ADDR]/LEN[:PORT]", "ADDR/LEN[:PORT]", "ADDR:PORT", ":PORT", "ADDR", host names. Beyond ss:
 * an IPv6 address without brackets when the whole word is one ("::1"), and "[ADDR]/LEN".
 */
static int parse_host(struct parser *p, size_t at, struct filter_node *node)
{
	const struct token *t = &p->t[at];
	const char *s = t->s, *end = t->s + t->len, *addr, *addr_end, *rest;
	char buf[48];

	if (s[0] == '[') {
		const char *close = memchr(s, ']', t->len);

		if (!close)
			return fail(p, at, "missing ']' in '%s'", shown(t, buf, sizeof(buf)));
		addr = s + 1;
		addr_end = close;
		rest = close + 1;
		if (addr == addr_end)
			return fail(p, at, "empty brackets in '%s'", shown(t, buf, sizeof(buf)));
	} else if (s[0] == '*') {
		addr = s;
		addr_end = s + 1;
		rest = s + 1;
	} else if (!memchr(s, '/', t->len) && ipv6_unsplit(s, t->len)) {
		node->port = -1;
		return set_address(p, at, s, t->len, NULL, 0, node);
	} else {
		/* As ss: the port follows the last colon (after the prefix length, if any). */
		const char *slash = memchr(s, '/', t->len);
		const char *colon = memrchr(s, ':', t->len);

		addr = s;
		addr_end = slash ? slash : colon ? colon : end;
		rest = addr_end;
	}
	/* rest: "" | ":PORT" | "/LEN" | "/LEN:PORT" */
	const char *bits = NULL, *port = NULL;
	size_t bits_len = 0, port_len = 0;

	if (rest < end && *rest == '/') {
		bits = rest + 1;
		const char *colon = memchr(bits, ':', (size_t)(end - bits));

		bits_len = (size_t)((colon ? colon : end) - bits);
		rest = colon ? colon : end;
	}
	if (rest < end) {
		if (*rest != ':')
			return fail(p, at, "'%s' is not an address", shown(t, buf, sizeof(buf)));
		port = rest + 1;
		port_len = (size_t)(end - port);
	}
	int r = set_port(p, at, port ? port : "", port_len, node);

	if (r == 0)
		r = set_address(p, at, addr, (size_t)(addr_end - addr), bits, bits_len, node);
	return r;
}

struct cmp_word {
	const char *word;
	enum filter_cmp cmp;
};

static const struct cmp_word cmp_words[] = {
	{ "=", FILTER_EQ }, { "==", FILTER_EQ }, { "eq", FILTER_EQ },
	{ "!=", FILTER_NE }, { "ne", FILTER_NE }, { "neq", FILTER_NE },
	{ "<", FILTER_LT }, { "lt", FILTER_LT }, { "<=", FILTER_LE }, { "le", FILTER_LE },
	{ "leq", FILTER_LE }, { ">", FILTER_GT }, { "gt", FILTER_GT }, { ">=", FILTER_GE },
	{ "ge", FILTER_GE }, { "geq", FILTER_GE },
};

static bool cmp_of(const struct token *t, enum filter_cmp *cmp)
{
	for (size_t i = 0; t && i < sizeof(cmp_words) / sizeof(cmp_words[0]); i++) {
		if (tok_is(t, cmp_words[i].word)) {
			*cmp = cmp_words[i].cmp;
			return true;
		}
	}
	return false;
}

/* Words that cannot be the operand of a condition: it is missing. */
static bool is_operator(const struct token *t)
{
	enum filter_cmp c;

	return tok_in(t, and_words) || tok_in(t, or_words) || tok_in(t, not_words) ||
	       tok_is(t, "(") || tok_is(t, ")") || cmp_of(t, &c);
}

/* A condition: the keyword at p->i, an optional comparison, and its operand. */
static int parse_condition(struct parser *p, uint32_t *index)
{
	static const char *const unsupported[] = { "autobound", "fwmark", "cgroup", NULL };
	const struct token *kw = peek(p);
	struct filter_node node = { .port = -1, .name = FILTER_NONE, .port_name = FILTER_NONE };
	enum filter_cmp cmp = FILTER_EQ;
	size_t at = p->i;
	char buf[48], what[64];
	bool has_cmp;
	int r;

	if (tok_is(kw, "sport"))
		node.kind = FILTER_SPORT;
	else if (tok_is(kw, "dport"))
		node.kind = FILTER_DPORT;
	else if (tok_is(kw, "src"))
		node.kind = FILTER_SRC;
	else if (tok_is(kw, "dst"))
		node.kind = FILTER_DST;
	else if (tok_is(kw, "dev"))
		node.kind = FILTER_DEV;
	else if (tok_in(kw, unsupported))
		return fail(p, at, "'%s' is not supported: only sport, dport, src, dst and dev",
			    shown(kw, buf, sizeof(buf)));
	else if (tok_is(kw, "state") || tok_is(kw, "exclude") || tok_is(kw, "excl"))
		return fail(p, at, "'%s' clauses go before the expression",
			    shown(kw, buf, sizeof(buf)));
	else if (kw->s[0] == ':' && p->i > 0)
		return fail(p, at, "a port list ('%s') must come first; or use 'sport = %s'",
			    shown(kw, buf, sizeof(buf)), shown(kw, what, sizeof(what)));
	else
		return fail(p, at, "unknown word '%s': expected sport, dport, src, dst, dev, "
			    "not or '('", shown(kw, buf, sizeof(buf)));
	p->i++;
	has_cmp = cmp_of(peek(p), &cmp);
	if (has_cmp)
		p->i++;
	snprintf(what, sizeof(what), "%.*s%s%.*s", (int)kw->len, kw->s, has_cmp ? " " : "",
		 has_cmp ? (int)p->t[p->i - 1].len : 0, has_cmp ? p->t[p->i - 1].s : "");
	node.cmp = (uint8_t)cmp;
	if (node.kind == FILTER_SRC || node.kind == FILTER_DST || node.kind == FILTER_DEV) {
		if (cmp != FILTER_EQ && cmp != FILTER_NE)
			return fail(p, p->i - 1, "'%s' compares ports; %.*s takes '=' or '!='",
				    what, (int)kw->len, kw->s);
	}
	if (!peek(p) || is_operator(peek(p))) {
		const char *thing =
			node.kind == FILTER_DEV ? "a device" :
			node.kind == FILTER_SRC || node.kind == FILTER_DST ? "an address" :
			"a port";

		return fail(p, p->i, "expected %s after '%s'", thing, what);
	}
	const struct token *arg = &p->t[p->i];

	node.word = (uint32_t)p->i + 1; /* names are resolved later: point at the operand */
	switch (node.kind) {
	case FILTER_SPORT:
	case FILTER_DPORT: {
		size_t skip = arg->s[0] == ':';

		if (cmp != FILTER_EQ && cmp != FILTER_NE &&
		    (arg->len == skip || (arg->len == skip + 1 && arg->s[skip] == '*')))
			return fail(p, p->i, "expected a port number after '%s', not '%s'", what,
				    shown(arg, buf, sizeof(buf)));
		r = set_port(p, p->i, arg->s + skip, arg->len - skip, &node);
		break;
	}
	case FILTER_DEV: {
		unsigned long long n = 0;

		if (all_digits(arg->s, arg->len)) {
			for (size_t i = 0; i < arg->len && n <= UINT32_MAX; i++)
				n = n * 10 + (unsigned)(arg->s[i] - '0');
			if (n > UINT32_MAX)
				return fail(p, p->i, "bad device number '%s'",
					    shown(arg, buf, sizeof(buf)));
			node.ifindex = (uint32_t)n;
			r = 0;
		} else if (arg->len >= 16 || memchr(arg->s, '/', arg->len)) {
			r = fail(p, p->i, "'%s' is not a device name",
				 shown(arg, buf, sizeof(buf)));
		} else {
			r = filter_add_name(p->f, arg->s, arg->len, &node.name);
		}
		break;
	}
	default:
		r = parse_host(p, p->i, &node);
		break;
	}
	if (r < 0)
		return r;
	p->i++;
	/* `src != X` and `dev != X` are `not (...)`; ports keep their comparison. */
	if (cmp == FILTER_NE && node.kind != FILTER_SPORT && node.kind != FILTER_DPORT) {
		uint32_t inner;

		node.cmp = FILTER_EQ;
		r = filter_add_node(p->f, &node, &inner);
		return r < 0 ? r : add_op(p, FILTER_NOT, &inner, 1, at, index);
	}
	return filter_add_node(p->f, &node, index);
}

static int parse_list(struct parser *p, uint32_t *index);

/* One term: a condition, `not TERM`, or `( LIST )`. */
static int parse_term(struct parser *p, uint32_t *index)
{
	const struct token *t = peek(p);
	size_t at = p->i;
	int r;

	if (!t) /* after '(' at the end */
		return fail(p, at, "expected a condition after '%.*s'", (int)p->t[at - 1].len,
			    p->t[at - 1].s);
	if (tok_in(t, not_words)) {
		uint32_t inner;

		p->i++;
		if (!peek(p) || tok_is(peek(p), ")") || tok_in(peek(p), and_words) ||
		    tok_in(peek(p), or_words))
			return fail(p, p->i, "expected a condition after '%.*s'", (int)t->len,
				    t->s);
		if (++p->depth > FILTER_MAX_DEPTH)
			return too_deep(p, at);
		r = parse_term(p, &inner);
		p->depth--;
		return r < 0 ? r : add_op(p, FILTER_NOT, &inner, 1, at, index);
	}
	if (tok_is(t, "(")) {
		p->i++;
		if (++p->depth > FILTER_MAX_DEPTH)
			return too_deep(p, at);
		if (peek(p) && tok_is(peek(p), ")"))
			return fail(p, p->i, "empty parentheses");
		r = parse_list(p, index);
		p->depth--;
		if (r < 0)
			return r;
		if (!peek(p))
			return fail(p, at, "missing ')' for this '('");
		p->i++;
		return 0;
	}
	if (tok_is(t, ")"))
		return fail(p, at, "unexpected ')'");
	if (tok_in(t, and_words) || tok_in(t, or_words))
		return fail(p, at, "'%.*s' needs a condition before it", (int)t->len, t->s);
	return parse_condition(p, index);
}

/* Close a run of one operator into a node; a run of one term is that term. */
static int close_run(struct parser *p, enum filter_kind op, struct kids *run, size_t at,
		     uint32_t *index)
{
	if (run->n == 1) {
		*index = run->v[0];
		return 0;
	}
	return add_op(p, op, run->v, run->n, at, index);
}

/* Terms joined by and, or, or nothing (and), up to ')' or the end, left to right. */
static int parse_list(struct parser *p, uint32_t *index)
{
	struct kids run = { 0 };
	enum filter_kind op = FILTER_AND;
	size_t start = p->i;
	uint32_t term;
	int r = parse_term(p, &term);

	if (r == 0)
		r = kids_push(&run, term);
	while (r == 0 && peek(p) && !tok_is(peek(p), ")")) {
		const struct token *t = peek(p);
		bool is_or = tok_in(t, or_words);
		enum filter_kind next = is_or ? FILTER_OR : FILTER_AND;

		if (is_or || tok_in(t, and_words)) {
			p->i++;
			if (!peek(p) || tok_is(peek(p), ")")) {
				r = fail(p, p->i, "expected a condition after '%.*s'", (int)t->len,
					 t->s);
				break;
			}
		}
		if (next != op && run.n > 1) {
			/* `a or b and c`: the run so far becomes the first child of the next. */
			r = close_run(p, op, &run, start, &term);
			run.n = 0;
			if (r == 0)
				r = kids_push(&run, term);
		}
		op = next;
		if (r == 0)
			r = parse_term(p, &term);
		if (r == 0)
			r = kids_push(&run, term);
	}
	if (r == 0)
		r = close_run(p, op, &run, start, index);
	free(run.v);
	return r;
}

/* Leading `state NAME` and `exclude NAME` clauses, as ss reads them: the first state clause
 * starts from nothing, the first exclude from every state. */
static int parse_states(struct parser *p)
{
	struct filter *f = p->f;

	while (peek(p)) {
		const struct token *t = peek(p);
		bool exclude = tok_is(t, "exclude") || tok_is(t, "excl");
		char name[32], buf[48];
		uint32_t mask;

		if (!exclude && !tok_is(t, "state"))
			break;
		p->i++;
		if (!peek(p))
			return fail(p, p->i, "expected a state after '%.*s'", (int)t->len, t->s);
		const struct token *s = peek(p);

		mask = 0;
		if (s->len < sizeof(name)) {
			memcpy(name, s->s, s->len);
			name[s->len] = '\0';
			mask = filter_state_mask(name);
		}
		if (!mask)
			return fail(p, p->i, "unknown state '%s' (see 'man listen': FILTERS)",
				    shown(s, buf, sizeof(buf)));
		if (!f->states_given)
			f->states = exclude ? LSOCK_STATES_ALL : 0;
		f->states = exclude ? f->states & ~mask : f->states | mask;
		f->states_given = true;
		p->i++;
	}
	return 0;
}

/* One item of a port list: "8080", "8000-8100", "http". */
static int parse_port_item(struct parser *p, size_t at, const char *s, size_t len,
			   uint32_t *index)
{
	struct filter_node node = { .kind = FILTER_SPORT, .port = -1, .word = (uint32_t)at + 1,
				    .name = FILTER_NONE, .port_name = FILTER_NONE };
	const char *dash = memchr(s, '-', len);
	int32_t lo, hi;
	char buf[48];
	struct token t = { s, len };
	int r;

	if (dash && all_digits(s, (size_t)(dash - s))) {
		uint32_t kids[2];

		if (!parse_port_number(s, (size_t)(dash - s), &lo) ||
		    !parse_port_number(dash + 1, (size_t)(s + len - dash - 1), &hi) || lo > hi)
			return fail(p, at, "bad port range '%s'", shown(&t, buf, sizeof(buf)));
		node.cmp = FILTER_GE;
		node.port = lo;
		r = filter_add_node(p->f, &node, &kids[0]);
		node.cmp = FILTER_LE;
		node.port = hi;
		if (r == 0)
			r = filter_add_node(p->f, &node, &kids[1]);
		return r < 0 ? r : add_op(p, FILTER_AND, kids, 2, at, index);
	}
	if (len == 0)
		return fail(p, at, "empty item in the port list");
	if (len == 1 && s[0] == '*')
		return fail(p, at, "'*' is every port; give a port number or name");
	r = set_port(p, at, s, len, &node);
	return r < 0 ? r : filter_add_node(p->f, &node, index);
}

/* Whether a word opens the owner view: ":8080", ":80,443", ":http", "8080", "8000-8100". */
static bool is_port_list(const struct token *t)
{
	if (t->s[0] == ':')
		return t->len > 1;
	for (size_t i = 0; i < t->len; i++)
		if (!((t->s[i] >= '0' && t->s[i] <= '9') || t->s[i] == ',' || t->s[i] == '-'))
			return false;
	return t->s[0] >= '0' && t->s[0] <= '9';
}

/* The port list of the owner view: an OR of its items. */
static int parse_port_list(struct parser *p, uint32_t *index)
{
	const struct token *t = peek(p);
	const char *s = t->s[0] == ':' ? t->s + 1 : t->s, *end = t->s + t->len;
	struct kids items = { 0 };
	size_t at = p->i;
	uint32_t item;
	int r = 0;

	p->f->port_text = strndup(t->s, t->len);
	if (!p->f->port_text)
		return -ENOMEM;
	while (r == 0) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *e = comma ? comma : end;

		r = parse_port_item(p, at, s, (size_t)(e - s), &item);
		if (r == 0)
			r = kids_push(&items, item);
		if (!comma)
			break;
		s = comma + 1;
	}
	if (r == 0)
		r = close_run(p, FILTER_OR, &items, at, index);
	free(items.v);
	p->i++;
	return r;
}

int filter_parse(struct filter *f, char *const *args, size_t nargs, struct filter_error *err)
{
	struct token *toks = NULL;
	size_t ntoks = 0;
	int r;

	*f = (struct filter){ .root = FILTER_NONE };
	err->word = 0;
	err->msg[0] = '\0';
	r = tokenize(args, nargs, &toks, &ntoks);
	if (r < 0)
		return r;

	struct parser p = { .f = f, .err = err, .t = toks, .n = ntoks };
	uint32_t ports = FILTER_NONE, rest = FILTER_NONE;

	r = parse_states(&p);
	if (r == 0 && peek(&p) && is_port_list(peek(&p))) {
		f->ports = true;
		r = parse_port_list(&p, &ports);
	}
	if (r == 0 && peek(&p)) {
		r = parse_list(&p, &rest);
		if (r == 0 && peek(&p))
			r = fail(&p, p.i, "unexpected ')'");
	}
	if (r == 0) {
		if (ports != FILTER_NONE && rest != FILTER_NONE) {
			uint32_t both[2] = { ports, rest };

			r = add_op(&p, FILTER_AND, both, 2, 0, &f->root);
		} else {
			f->root = ports != FILTER_NONE ? ports : rest;
		}
	}
	free(toks);
	if (r < 0)
		filter_free(f);
	return r;
}

