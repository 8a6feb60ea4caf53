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
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "listen/array.h"
#include "listen/filter.h"
#include "listen/sock.h"
#include "word.h"

/* Bounds that keep the recursion of parsing, evaluation and compilation within a small
 * stack, far above what a person writes: parentheses and nots open at once, and levels of
 * the tree, where each switch between `and` and `or` in a chain adds one (`a or b and c`
 * is `(a or b) and c`). */
#define FILTER_MAX_NESTING 1000
#define FILTER_MAX_DEPTH 10000

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
	return word_fail(p, at, "expression nested more than %d deep (parentheses and nots)",
			 FILTER_MAX_NESTING);
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
		return word_fail(p, word, "expression more than %d levels deep (each switch "
				 "between 'and' and 'or' adds one)", FILTER_MAX_DEPTH);
	node.depth = (uint16_t)(depth + 1);
	r = filter_add_kids(f, kids, n, &node.first);
	return r < 0 ? r : filter_add_node(f, &node, index);
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

/* The kind of condition a keyword starts, or -EINVAL with p->err filled. */
static int condition_kind(struct parser *p, const struct token *kw)
{
	static const char *const unsupported[] = { "fwmark", "cgroup", NULL };
	static const struct {
		const char *word;
		enum filter_kind kind;
	} kinds[] = {
		{ "sport", FILTER_SPORT }, { "dport", FILTER_DPORT }, { "src", FILTER_SRC },
		{ "dst", FILTER_DST }, { "dev", FILTER_DEV }, { "autobound", FILTER_AUTO },
	};
	char buf[48], what[64];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (tok_is(kw, kinds[k].word))
			return (int)kinds[k].kind;
	if (tok_in(kw, unsupported))
		return word_fail(p, p->i, "'%s' is not supported: only sport, dport, src, dst, dev "
				 "and autobound", word_shown(kw, buf, sizeof(buf)));
	if (tok_is(kw, "state") || tok_is(kw, "exclude") || tok_is(kw, "excl"))
		return word_fail(p, p->i, "'%s' clauses go before the expression",
				 word_shown(kw, buf, sizeof(buf)));
	if (kw->s[0] == ':' && p->i > 0)
		return word_fail(p, p->i, "a port list ('%s') must come first; or use "
				 "'sport = %s'", word_shown(kw, buf, sizeof(buf)),
				 word_shown(kw, what, sizeof(what)));
	return word_fail(p, p->i, "unknown word '%s': expected sport, dport, src, dst, dev, "
			 "not or '('", word_shown(kw, buf, sizeof(buf)));
}

/* The operand of a condition at p->i, into node; what is the keyword and comparison. */
static int parse_operand(struct parser *p, struct filter_node *node, const char *what)
{
	const struct token *arg = peek(p);

	if (!arg || is_operator(arg)) {
		const char *thing =
			node->kind == FILTER_DEV ? "a device" :
			node->kind == FILTER_SRC || node->kind == FILTER_DST ? "an address" :
			"a port";

		return word_fail(p, p->i, "expected %s after '%s'", thing, what);
	}
	node->word = (uint32_t)p->i + 1; /* names are resolved later: point at the operand */
	if (node->kind == FILTER_SRC &&
	    ((arg->len >= 5 && memcmp(arg->s, "unix:", 5) == 0) || arg->s[0] == '/' ||
	     arg->s[0] == '@')) {
		size_t skip = arg->s[0] == 'u' ? 5 : 0;

		node->kind = FILTER_PATH;
		return filter_add_name(p->f, arg->s + skip, arg->len - skip, &node->first);
	}
	if (node->kind == FILTER_DST &&
	    ((arg->len >= 5 && memcmp(arg->s, "unix:", 5) == 0) || arg->s[0] == '/' ||
	     arg->s[0] == '@'))
		return word_fail(p, p->i, "a unix socket's peer is not matched by name: "
				 "'src' takes a path pattern");
	if (node->kind == FILTER_DEV)
		return word_device(p, p->i, node);
	if (node->kind == FILTER_SRC || node->kind == FILTER_DST)
		return word_host(p, p->i, node);
	size_t skip = arg->s[0] == ':';

	/* A comparison with '*' (any port) is taken, as ss takes it; it selects nothing. */
	return word_port(p, p->i, arg->s + skip, arg->len - skip, node);
}

/* A condition: the keyword at p->i, an optional comparison, and its operand. */
static int parse_condition(struct parser *p, uint32_t *index)
{
	const struct token *kw = peek(p);
	struct filter_node node = { .port = -1, .name = FILTER_NONE, .port_name = FILTER_NONE };
	enum filter_cmp cmp = FILTER_EQ;
	size_t at = p->i;
	char what[64];
	bool has_cmp;
	int r = condition_kind(p, kw);

	if (r < 0)
		return r;
	node.kind = (uint8_t)r;
	node.word = (uint32_t)at + 1;
	p->i++;
	if (node.kind == FILTER_AUTO)
		return filter_add_node(p->f, &node, index);
	has_cmp = cmp_of(peek(p), &cmp);
	if (has_cmp)
		p->i++;
	snprintf(what, sizeof(what), "%.*s%s%.*s", (int)kw->len, kw->s, has_cmp ? " " : "",
		 has_cmp ? (int)p->t[p->i - 1].len : 0, has_cmp ? p->t[p->i - 1].s : "");
	node.cmp = (uint8_t)cmp;
	if ((node.kind == FILTER_SRC || node.kind == FILTER_DST || node.kind == FILTER_DEV) &&
	    cmp != FILTER_EQ && cmp != FILTER_NE)
		return word_fail(p, p->i - 1, "'%s' compares ports; %.*s takes '=' or '!='",
				 what, (int)kw->len, kw->s);
	r = parse_operand(p, &node, what);
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
		return word_fail(p, at, "expected a condition after '%.*s'", (int)p->t[at - 1].len,
			    p->t[at - 1].s);
	if (tok_in(t, not_words)) {
		uint32_t inner;

		p->i++;
		if (!peek(p) || tok_is(peek(p), ")") || tok_in(peek(p), and_words) ||
		    tok_in(peek(p), or_words))
			return word_fail(p, p->i, "expected a condition after '%.*s'", (int)t->len,
				    t->s);
		if (++p->depth > FILTER_MAX_NESTING)
			return too_deep(p, at);
		r = parse_term(p, &inner);
		p->depth--;
		return r < 0 ? r : add_op(p, FILTER_NOT, &inner, 1, at, index);
	}
	if (tok_is(t, "(")) {
		p->i++;
		if (++p->depth > FILTER_MAX_NESTING)
			return too_deep(p, at);
		if (peek(p) && tok_is(peek(p), ")"))
			return word_fail(p, p->i, "empty parentheses");
		r = parse_list(p, index);
		p->depth--;
		if (r < 0)
			return r;
		if (!peek(p))
			return word_fail(p, at, "missing ')' for this '('");
		p->i++;
		return 0;
	}
	if (tok_is(t, ")"))
		return word_fail(p, at, "unexpected ')'");
	if (tok_in(t, and_words) || tok_in(t, or_words))
		return word_fail(p, at, "'%.*s' needs a condition before it", (int)t->len, t->s);
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
				r = word_fail(p, p->i, "expected a condition after '%.*s'",
					      (int)t->len, t->s);
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
			return word_fail(p, p->i, "expected a state after '%.*s'", (int)t->len,
					 t->s);
		const struct token *s = peek(p);

		mask = 0;
		if (s->len < sizeof(name)) {
			memcpy(name, s->s, s->len);
			name[s->len] = '\0';
			mask = filter_state_mask(name);
		}
		if (!mask)
			return word_fail(p, p->i, "unknown state '%s' (see 'man listen': FILTERS)",
				    word_shown(s, buf, sizeof(buf)));
		if (!f->states_given)
			f->states = exclude ? LSOCK_STATES_ALL : 0;
		f->states = exclude ? f->states & ~mask : f->states | mask;
		f->states_given = true;
		p->i++;
	}
	return 0;
}

/* The protocol of fuser's "PORT/PROTO": IPPROTO_TCP or IPPROTO_UDP (in any case, as lsof
 * writes them too), or 0. */
static int item_protocol(const char *s, size_t len)
{
	if (len == 3 && strncasecmp(s, "tcp", 3) == 0)
		return IPPROTO_TCP;
	if (len == 3 && strncasecmp(s, "udp", 3) == 0)
		return IPPROTO_UDP;
	return 0;
}

/* The port, range or name of a port list item: "8080", "8000-8100", "http". protocols is
 * what a name resolves for (1: TCP, 2: UDP; 0: the selection's). */
static int parse_port_spec(struct parser *p, size_t at, const char *s, size_t len,
			   unsigned protocols, uint32_t *index)
{
	struct filter_node node = { .kind = FILTER_SPORT, .port = -1, .word = (uint32_t)at + 1,
				    .name = FILTER_NONE, .port_name = FILTER_NONE,
				    .protocols = protocols };
	const char *dash = memchr(s, '-', len);
	int32_t lo, hi;
	char buf[48];
	struct token t = { s, len };
	int r;

	if (dash && word_all_digits(s, (size_t)(dash - s))) {
		uint32_t kids[2];

		if (!word_port_number(s, (size_t)(dash - s), &lo) ||
		    !word_port_number(dash + 1, (size_t)(s + len - dash - 1), &hi) || lo > hi)
			return word_fail(p, at, "bad port range '%s'",
					 word_shown(&t, buf, sizeof(buf)));
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
		return word_fail(p, at, "empty item in the port list");
	if (len == 1 && s[0] == '*')
		return word_fail(p, at, "'*' is every port; give a port number or name");
	r = word_port(p, at, s, len, &node);
	return r < 0 ? r : filter_add_node(p->f, &node, index);
}

/* One item of a port list: "8080", "8000-8100", "http", and fuser's "8080/tcp", "ssh/tcp",
 * "53/udp" (the port and its protocol). *protocols gets the item's (1: TCP, 2: UDP), or 0. */
static int parse_port_item(struct parser *p, size_t at, const char *s, size_t len,
			   unsigned *protocols, uint32_t *index)
{
	const char *slash = memrchr(s, '/', len);
	struct token t = { s, len };
	uint32_t kids[2];
	char buf[48];
	int proto, r;

	*protocols = 0;
	if (!slash)
		return parse_port_spec(p, at, s, len, 0, index);
	struct token pt = { slash + 1, (size_t)(s + len - slash - 1) };

	proto = item_protocol(pt.s, pt.len);
	if (!proto)
		return word_fail(p, at, "'%s': the protocol after '/' is tcp or udp",
				 word_shown(&t, buf, sizeof(buf)));
	if (slash == s)
		return word_fail(p, at, "a port goes before '/%.3s' ('8080/%.3s', 'ssh/%.3s')",
				 pt.s, pt.s, pt.s);
	*protocols = proto == IPPROTO_TCP ? 1 : 2;
	r = parse_port_spec(p, at, s, (size_t)(slash - s), *protocols, &kids[0]);
	if (r == 0) {
		struct filter_node node = { .kind = FILTER_PROTO, .port = proto,
					    .word = (uint32_t)at + 1, .name = FILTER_NONE,
					    .port_name = FILTER_NONE };

		r = filter_add_node(p->f, &node, &kids[1]);
	}
	return r < 0 ? r : add_op(p, FILTER_AND, kids, 2, at, index);
}

/* Whether a word is a protocol of fuser's form after its last '/' ("8080/tcp", "x/sctp",
 * "/udp"): letters only, and nothing an expression or address would hold. */
static bool has_protocol_suffix(const struct token *t)
{
	const char *slash = memrchr(t->s, '/', t->len);
	size_t n;

	if (!slash || !(n = (size_t)(t->s + t->len - slash - 1)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((slash[1 + i] >= 'a' && slash[1 + i] <= 'z') ||
		      (slash[1 + i] >= 'A' && slash[1 + i] <= 'Z')))
			return false;
	for (const char *c = t->s; c < slash; c++)
		if (strchr("[]()=<>!&|.", *c))
			return false;
	return true;
}

/* Whether a word opens the owner view: ":8080", ":80,443", ":http", "8080", "8000-8100", and
 * fuser's "8080/tcp", "ssh/tcp", "53/udp". */
static bool is_port_list(const struct token *t)
{
	if (t->s[0] == ':')
		return t->len > 1;
	if (has_protocol_suffix(t))
		return true;
	for (size_t i = 0; i < t->len; i++)
		if (!((t->s[i] >= '0' && t->s[i] <= '9') || t->s[i] == ',' || t->s[i] == '-'))
			return false;
	return t->s[0] >= '0' && t->s[0] <= '9';
}

/* Append a port list word to f->port_text (the words as written, blank-separated). */
static int add_port_text(struct filter *f, const struct token *t)
{
	size_t old = f->port_text ? strlen(f->port_text) : 0;
	char *grown = realloc(f->port_text, old + t->len + 2);

	if (!grown)
		return -ENOMEM;
	if (old)
		grown[old++] = ' ';
	memcpy(grown + old, t->s, t->len);
	grown[old + t->len] = '\0';
	f->port_text = grown;
	return 0;
}

/* One word of the owner view's ports: its items, each or-ed into items. Every item gives its
 * protocol or none does: "80,443/tcp" could be read either way. */
static int parse_port_word(struct parser *p, struct kids *items, unsigned *protocols,
			   bool *any_protocol)
{
	const struct token *t = peek(p);
	const char *s = t->s[0] == ':' ? t->s + 1 : t->s, *end = t->s + t->len;
	size_t at = p->i, with = 0, without = 0;
	char buf[48];
	int r = add_port_text(p->f, t);

	while (r == 0) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *e = comma ? comma : end;
		unsigned proto;
		uint32_t item;

		r = parse_port_item(p, at, s, (size_t)(e - s), &proto, &item);
		if (r == 0)
			r = kids_push(items, item);
		*protocols |= proto;
		*any_protocol |= proto == 0;
		proto ? with++ : without++;
		if (!comma)
			break;
		s = comma + 1;
	}
	if (r == 0 && with && without)
		r = word_fail(p, at, "'%s': give every port of the list its protocol "
			      "('80/tcp,443/tcp') or none", word_shown(t, buf, sizeof(buf)));
	p->i++;
	return r;
}

/* The ports of the owner view: one or more words of them at the start, as fuser takes names
 * ("8080/tcp 53/udp"), an OR of every item. f->port_protocols gets the protocols they name
 * when each names its own. */
static int parse_port_list(struct parser *p, uint32_t *index)
{
	struct kids items = { 0 };
	unsigned protocols = 0;
	bool any_protocol = false;
	size_t at = p->i;
	int r = 0;

	while (r == 0 && peek(p) && is_port_list(peek(p)))
		r = parse_port_word(p, &items, &protocols, &any_protocol);
	if (r == 0)
		r = close_run(p, FILTER_OR, &items, at, index);
	p->f->port_protocols = any_protocol ? 0 : protocols;
	free(items.v);
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
	r = word_split(args, nargs, &toks, &ntoks);
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
			r = word_fail(&p, p.i, "unexpected ')'");
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

