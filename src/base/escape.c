/* Escaping of untrusted text: nothing a process can name itself reaches the terminal raw. */
#include <stdbool.h>

#include "listen/escape.h"
#include "listen/sbuf.h"

size_t esc_utf8_len(const unsigned char *s, size_t len, unsigned *codepoint)
{
	unsigned c = s[0], min;
	size_t n;

	if (c < 0x80) {
		*codepoint = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, min = 0x80, c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, min = 0x800, c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past Unicode are not UTF-8. */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*codepoint = c;
	return n;
}

/* Code points that are valid but act on a terminal, reorder the text around them, break a
 * line or print as nothing: C1 controls; the Arabic letter mark (U+061C); zero width space,
 * joiners and the implicit direction marks (U+200B..U+200F); the line and paragraph separators
 * and the bidirectional embeddings and overrides (U+2028..U+202E); the isolates
 * (U+2066..U+2069); the zero width no-break space or byte order mark (U+FEFF). */
static bool dangerous(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

enum esc_mode { ESC_TERM, ESC_JSON, ESC_PROM };

static const char hex[] = "0123456789abcdef";

static void put_hex(struct sbuf *b, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char e[4] = { '\\', 'x', hex[s[i] >> 4], hex[s[i] & 15] };

		sbuf_add(b, e, sizeof(e));
	}
}

static void put_u(struct sbuf *b, unsigned cp)
{
	char e[6] = { '\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15],
		      hex[cp & 15] };

	sbuf_add(b, e, sizeof(e));
}

/* What cannot pass as it is: n bytes at s, the code point cp (0x110000 when the bytes are not
 * UTF-8), in each mode's own way. */
static void put_escaped(struct sbuf *b, enum esc_mode m, const unsigned char *s, size_t n,
			unsigned cp)
{
	switch (m) {
	case ESC_TERM:
		put_hex(b, s, n);
		break;
	case ESC_JSON:
		/* JSON strings carry code points, not bytes: a byte that is not UTF-8 becomes
		 * U+FFFD, the rest keep their value as \u escapes. */
		put_u(b, cp > 0xffff ? 0xfffd : cp);
		break;
	case ESC_PROM:
		/* The exposition format escapes only \ " and newline; anything else that could
		 * act on a terminal becomes U+FFFD. */
		sbuf_add(b, "\xef\xbf\xbd", 3);
		break;
	}
}

static void escape(struct sbuf *b, const char *str, size_t len, enum esc_mode m)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		size_t run = i;

		/* Copy plain printable ASCII in one piece. */
		while (run < len && s[run] >= 0x20 && s[run] < 0x7f && s[run] != '\\' &&
		       s[run] != '"')
			run++;
		if (run > i) {
			sbuf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		const char *named = NULL;
		unsigned cp;
		size_t n;

		switch (s[i]) {
		case '\\':
			named = "\\\\";
			break;
		case '"':
			named = "\\\"";
			break;
		case '\n':
			named = "\\n";
			break;
		case '\r':
			named = m == ESC_PROM ? NULL : "\\r";
			break;
		case '\t':
			named = m == ESC_PROM ? NULL : "\\t";
			break;
		}
		if (named) {
			sbuf_puts(b, named);
			i++;
			continue;
		}
		n = esc_utf8_len(s + i, len - i, &cp);
		if (n > 1 && !dangerous(cp)) {
			sbuf_add(b, s + i, n);
		} else {
			if (n == 0) {
				n = 1;
				cp = 0x110000;
			}
			put_escaped(b, m, s + i, n, cp);
		}
		i += n;
	}
}

void esc_term(struct sbuf *b, const char *s, size_t len)
{
	escape(b, s, len, ESC_TERM);
}

void esc_term_sbuf(struct sbuf *b, const struct sbuf *t)
{
	if (t->failed)
		b->failed = 1;
	else if (t->len)
		escape(b, t->s, t->len, ESC_TERM);
}

void esc_json(struct sbuf *b, const char *s, size_t len)
{
	escape(b, s, len, ESC_JSON);
}

void esc_prom(struct sbuf *b, const char *s, size_t len)
{
	escape(b, s, len, ESC_PROM);
}
