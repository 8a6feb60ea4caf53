/*
 * The words of a filter expression: splitting arguments into words, reading the operands of
 * conditions (ports, addresses, devices), and errors that name a word. Private to the
 * filter parser (filter_parse.c).
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
#include "word.h"

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
int word_split(char *const *args, size_t nargs, struct token **out, size_t *nout)
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

/* Record an error at word at (0-based token index). */
int word_fail(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	p->err->word = (unsigned)at + 1;
	return -EINVAL;
}

/* A word as printable text for a message: at most 40 bytes, controls as '?'. */
const char *word_shown(const struct token *t, char *buf, size_t size)
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

/* Parse a decimal port: "0".."65535" without leading zeros. */
bool word_port_number(const char *s, size_t len, int32_t *port)
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

bool word_all_digits(const char *s, size_t len)
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
	if (len == 0 || len > 64 || word_all_digits(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == ':' || c == ',' || c == '[' || c == ']' ||
		    c == '/')
			return false;
	}
	return true;
}

/* Whether a word is a number as ss reads one (strtol, base 0: "0x16" hex, "022" octal, "-1"):
 * *v gets its value and *base "hex", "octal" or "decimal". */
static bool ss_number(const char *s, size_t len, long *v, const char **base)
{
	char num[24], *end;
	size_t sign;

	if (len == 0 || len >= sizeof(num))
		return false;
	memcpy(num, s, len);
	num[len] = '\0';
	sign = num[0] == '-' || num[0] == '+';
	if (num[sign] < '0' || num[sign] > '9')
		return false;
	errno = 0;
	*v = strtol(num, &end, 0);
	if (*end || errno)
		return false;
	*base = num[sign] != '0' || len == sign + 1 ? "decimal" :
		num[sign + 1] == 'x' || num[sign + 1] == 'X' ? "hex" : "octal";
	return true;
}

/* Refuse a number written other than in plain decimal, saying how ss would read it. */
static int not_decimal(struct parser *p, size_t at, const char *s, size_t len, const char *what)
{
	struct token t = { s, len };
	const char *base;
	char buf[48];
	long v;

	if (!ss_number(s, len, &v, &base) || strcmp(base, "decimal") == 0)
		return word_fail(p, at, "'%s' is not %s: write it in decimal without leading zeros",
				 word_shown(&t, buf, sizeof(buf)), what);
	return word_fail(p, at, "'%s' is not %s: write it in decimal (ss would read %s as %s, %ld)",
			 word_shown(&t, buf, sizeof(buf)), what, buf, base, v);
}

/* The port part of a condition ("22", "http", "*", ""), into node. */
int word_port(struct parser *p, size_t at, const char *s, size_t len, struct filter_node *node)
{
	struct token t = { s, len };
	const char *base;
	char buf[48];
	long v;

	if (len == 0 || (len == 1 && s[0] == '*')) {
		node->port = -1;
		return 0;
	}
	if (word_port_number(s, len, &node->port))
		return 0;
	if (s[0] == '-' && ss_number(s, len, &v, &base))
		return word_fail(p, at, "'%s' is not a port: ports are 0-65535%s",
				 word_shown(&t, buf, sizeof(buf)),
				 v == -1 ? " (ss would read -1 as any port)" : "");
	if (word_all_digits(s, len) && s[0] != '0')
		return word_fail(p, at, "port %.*s is out of range (0-65535)",
				 (int)(len > 12 ? 12 : len), s);
	if (s[0] >= '0' && s[0] <= '9' && (word_all_digits(s, len) || ss_number(s, len, &v, &base)))
		return not_decimal(p, at, s, len, "a port");
	if (!service_name_ok(s, len))
		return word_fail(p, at, "'%s' is not a port", word_shown(&t, buf, sizeof(buf)));
	node->port = -1;
	return filter_add_name(p->f, s, len, &node->port_name);
}

int word_device(struct parser *p, size_t at, struct filter_node *node)
{
	const struct token *arg = &p->t[at];
	unsigned long long n = 0;
	long v;
	const char *base;
	char buf[48];

	if (word_all_digits(arg->s, arg->len) && (arg->s[0] != '0' || arg->len == 1)) {
		/* An index, as ss takes one (`dev 1`). */
		for (size_t i = 0; i < arg->len && n <= UINT32_MAX; i++)
			n = n * 10 + (unsigned)(arg->s[i] - '0');
		if (n > UINT32_MAX)
			return word_fail(p, at, "bad device number '%s'",
					 word_shown(arg, buf, sizeof(buf)));
		node->ifindex = (uint32_t)n;
		return 0;
	}
	if (arg->s[0] >= '0' && arg->s[0] <= '9' && ss_number(arg->s, arg->len, &v, &base))
		return not_decimal(p, at, arg->s, arg->len, "a device index");
	if (arg->len >= 16 || memchr(arg->s, '/', arg->len))
		return word_fail(p, at, "'%s' is not a device name",
				 word_shown(arg, buf, sizeof(buf)));
	return filter_add_name(p->f, arg->s, arg->len, &node->name);
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
	return !word_all_digits(s, len);
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

static bool any_address(const char *s, size_t len)
{
	static const char *const words[] = { "any", "all", "default" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (len == strlen(words[i]) && memcmp(s, words[i], len) == 0)
			return true;
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
			return word_fail(p, at, "a prefix length needs an address");
		return 0;
	}
	/* ss's words for every address (iproute2's "any", "all", and "default": a /0). */
	if (any_address(s, len)) {
		if (bits)
			return word_fail(p, at, "'%s' is every address: it takes no prefix length",
					 word_shown(&t, buf, sizeof(buf)));
		return 0;
	}
	if (!parse_address(s, len, &pfx)) {
		if (bits || !host_name_ok(s, len))
			return word_fail(p, at, "'%s' is not an address",
					 word_shown(&t, buf, sizeof(buf)));
		return filter_add_name(p->f, s, len, &node->name);
	}
	if (bits) {
		int32_t v;

		if (bits_len > 1 && bits[0] == '0' && word_all_digits(bits, 1))
			return not_decimal(p, at, bits, bits_len, "a prefix length");
		if (!word_port_number(bits, bits_len, &v) ||
		    v > (pfx.family == AF_INET ? 32 : 128)) {
			struct token b = { bits, bits_len };

			return word_fail(p, at, "bad prefix length '/%s' for %s",
				    word_shown(&b, buf, sizeof(buf)),
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
	return !(colon && word_port_number(colon + 1, (size_t)(s + len - colon - 1), &port) &&
		 parse_address(s, (size_t)(colon - s), &pfx));
}

/*
 * The operand of src or dst, as ss reads it: "*", "*:PORT", "[ADDR]", "[ADDR]:PORT",
 * "[ADDR]/LEN[:PORT]", "ADDR/LEN[:PORT]", "ADDR:PORT", ":PORT", "ADDR", host names. Beyond ss:
 * an IPv6 address without brackets when the whole word is one ("::1"), and "[ADDR]/LEN".
 */
int word_host(struct parser *p, size_t at, struct filter_node *node)
{
	const struct token *t = &p->t[at];
	const char *s = t->s, *end = t->s + t->len, *addr, *addr_end, *rest;
	char buf[48];

	if (s[0] == '[') {
		const char *close = memchr(s, ']', t->len);

		if (!close)
			return word_fail(p, at, "missing ']' in '%s'",
					 word_shown(t, buf, sizeof(buf)));
		addr = s + 1;
		addr_end = close;
		rest = close + 1;
		if (addr == addr_end)
			return word_fail(p, at, "empty brackets in '%s'",
					 word_shown(t, buf, sizeof(buf)));
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
			return word_fail(p, at, "'%s' is not an address",
					 word_shown(t, buf, sizeof(buf)));
		port = rest + 1;
		port_len = (size_t)(end - port);
	}
	int r = word_port(p, at, port ? port : "", port_len, node);

	if (r == 0)
		r = set_address(p, at, addr, (size_t)(addr_end - addr), bits, bits_len, node);
	return r;
}

