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

/*
 * Code points that are valid but act on a terminal, reorder the text around them, break a line
 * or print as nothing, so that a name could pass for another ("ss" U+2060 "hd" reads as sshd):
 * the C1 controls, the line and paragraph separators, and Unicode's format characters and
 * default-ignorable code points. Emoji lose their variation selectors to this: a name is
 * shown as what it is, not as what it looks like.
 */
static bool dangerous(unsigned cp)
{
	static const struct {
		unsigned lo, hi;
	} ranges[] = {
		{ 0x0080, 0x009f },   /* C1 controls */
		{ 0x00ad, 0x00ad },   /* soft hyphen */
		{ 0x034f, 0x034f },   /* combining grapheme joiner */
		{ 0x0600, 0x0605 },   /* Arabic number signs */
		{ 0x061c, 0x061c },   /* Arabic letter mark */
		{ 0x06dd, 0x06dd },   /* Arabic end of ayah */
		{ 0x070f, 0x070f },   /* Syriac abbreviation mark */
		{ 0x0890, 0x0891 },   /* Arabic pound and piastre marks above */
		{ 0x08e2, 0x08e2 },   /* Arabic disputed end of ayah */
		{ 0x115f, 0x1160 },   /* Hangul choseong and jungseong fillers */
		{ 0x17b4, 0x17b5 },   /* Khmer inherent vowels */
		{ 0x180b, 0x180f },   /* Mongolian variation selectors and vowel separator */
		{ 0x200b, 0x200f },   /* zero width space and joiners, direction marks */
		{ 0x2028, 0x202e },   /* separators, bidirectional embeddings and overrides */
		{ 0x2060, 0x206f },   /* word joiner, invisible operators, isolates */
		{ 0x3164, 0x3164 },   /* Hangul filler */
		{ 0xfe00, 0xfe0f },   /* variation selectors */
		{ 0xfeff, 0xfeff },   /* zero width no-break space (byte order mark) */
		{ 0xffa0, 0xffa0 },   /* halfwidth Hangul filler */
		{ 0xfff0, 0xfffb },   /* unassigned specials, interlinear annotation */
		{ 0x110bd, 0x110bd }, /* Kaithi number sign */
		{ 0x110cd, 0x110cd }, /* Kaithi number sign above */
		{ 0x13430, 0x1343f }, /* Egyptian hieroglyph format controls */
		{ 0x1bca0, 0x1bca3 }, /* shorthand format controls */
		{ 0x1d173, 0x1d17a }, /* musical symbol format controls */
		{ 0xe0000, 0xe0fff }, /* tags, variation selectors supplement */
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]) && cp >= ranges[i].lo; i++)
		if (cp <= ranges[i].hi)
			return true;
	return false;
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
	if (cp > 0xffff) { /* a UTF-16 surrogate pair, as JSON spells a code point past U+FFFF */
		put_u(b, 0xd800 | ((cp - 0x10000) >> 10));
		put_u(b, 0xdc00 | ((cp - 0x10000) & 0x3ff));
		return;
	}
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
		put_u(b, cp > 0x10ffff ? 0xfffd : cp);
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
