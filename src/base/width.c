/* Display width of terminal text, by code point ranges. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "listen/escape.h"
#include "listen/sbuf.h"
#include "listen/width.h"

struct range {
	uint32_t first, last;
};

/* East Asian Wide (W) and Fullwidth (F) blocks, and the emoji shown wide by default. */
static const struct range wide[] = {
	{ 0x1100, 0x115f },   { 0x231a, 0x231b },   { 0x2329, 0x232a },   { 0x23e9, 0x23ec },
	{ 0x23f0, 0x23f0 },   { 0x23f3, 0x23f3 },   { 0x25fd, 0x25fe },   { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 },   { 0x267f, 0x267f },   { 0x2693, 0x2693 },   { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab },   { 0x26bd, 0x26be },   { 0x26c4, 0x26c5 },   { 0x26ce, 0x26ce },
	{ 0x26d4, 0x26d4 },   { 0x26ea, 0x26ea },   { 0x26f2, 0x26f3 },   { 0x26f5, 0x26f5 },
	{ 0x26fa, 0x26fa },   { 0x26fd, 0x26fd },   { 0x2705, 0x2705 },   { 0x270a, 0x270b },
	{ 0x2728, 0x2728 },   { 0x274c, 0x274c },   { 0x274e, 0x274e },   { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 },   { 0x2795, 0x2797 },   { 0x27b0, 0x27b0 },   { 0x27bf, 0x27bf },
	{ 0x2b1b, 0x2b1c },   { 0x2b50, 0x2b50 },   { 0x2b55, 0x2b55 },   { 0x2e80, 0x303e },
	{ 0x3041, 0x33ff },   { 0x3400, 0x4dbf },   { 0x4e00, 0x9fff },   { 0xa000, 0xa4cf },
	{ 0xa960, 0xa97f },   { 0xac00, 0xd7a3 },   { 0xf900, 0xfaff },   { 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe6f },   { 0xff00, 0xff60 },   { 0xffe0, 0xffe6 },   { 0x16fe0, 0x16fe4 },
	{ 0x17000, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf },
	{ 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a }, { 0x1f200, 0x1f202 }, { 0x1f210, 0x1f23b },
	{ 0x1f240, 0x1f248 }, { 0x1f250, 0x1f251 }, { 0x1f260, 0x1f265 }, { 0x1f300, 0x1f64f },
	{ 0x1f680, 0x1f6ff }, { 0x1f7e0, 0x1f7eb }, { 0x1f90c, 0x1f9ff }, { 0x1fa70, 0x1faff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

/* Combining marks and other characters drawn over the one before them: no column of their
 * own. (Marks of scripts not listed count 1: wider, never narrower.) */
static const struct range zero[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a },
	{ 0x064b, 0x065f }, { 0x0670, 0x0670 }, { 0x06d6, 0x06dc }, { 0x0e31, 0x0e31 },
	{ 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e }, { 0x1160, 0x11ff }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0x302a, 0x302d },
	{ 0x3099, 0x309a }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xe0100, 0xe01ef },
};

static bool in(const struct range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < r[mid].first)
			hi = mid;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

unsigned width_char(unsigned cp)
{
	if (cp < 0x300)
		return 1;
	if (in(zero, sizeof(zero) / sizeof(zero[0]), cp))
		return 0;
	return in(wide, sizeof(wide) / sizeof(wide[0]), cp) ? 2 : 1;
}

/* The character at s (at most len bytes): its length, at least 1, and its width. */
static size_t next_char(const char *s, size_t len, unsigned *w)
{
	unsigned cp;
	size_t n;

	if ((unsigned char)*s < 0x80) {
		*w = 1;
		return 1;
	}
	n = esc_utf8_len((const unsigned char *)s, len, &cp);
	if (n == 0) {
		*w = 1;
		return 1;
	}
	*w = width_char(cp);
	return n;
}

bool width_ascii(const char *s, size_t len)
{
	uint64_t any = 0, word;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&word, s + i, 8);
		any |= word;
	}
	for (; i < len; i++)
		any |= (unsigned char)s[i];
	return !(any & 0x8080808080808080u);
}

size_t width_text(const char *s, size_t len)
{
	size_t w = 0, i = 0;

	/* Eight bytes at a time while they are ASCII, which table text nearly always is. */
	for (uint64_t word; i + 8 <= len; i += 8) {
		memcpy(&word, s + i, 8);
		if (word & 0x8080808080808080u)
			break;
		w += 8;
	}
	while (i < len) {
		unsigned cw;

		i += next_char(s + i, len - i, &cw);
		w += cw;
	}
	return w;
}

size_t width_head(const char *s, size_t len, size_t cols, size_t *used)
{
	size_t i = 0, w = 0;

	while (i < len) {
		unsigned cw;
		size_t n = next_char(s + i, len - i, &cw);

		if (w + cw > cols)
			break;
		w += cw;
		i += n;
	}
	if (used)
		*used = w;
	return i;
}

size_t width_tail(const char *s, size_t len, size_t cols, size_t *used)
{
	size_t start = len, w = 0;

	/* From the end back, one character at a time: find each one's first byte, then its
	 * width from there. */
	while (start > 0) {
		size_t b = start - 1, n;
		unsigned cw;

		while (b > 0 && start - b < 4 && ((unsigned char)s[b] & 0xc0) == 0x80)
			b--;
		n = next_char(s + b, start - b, &cw);
		if (b + n != start) { /* not one character: a stray byte */
			b = start - 1;
			cw = 1;
		}
		if (w + cw > cols)
			break;
		w += cw;
		start = b;
	}
	/* A mark that begins the end would be drawn on nothing: it goes with the start. */
	while (start < len) {
		unsigned cw;
		size_t n = next_char(s + start, len - start, &cw);

		if (cw)
			break;
		start += n;
	}
	if (used)
		*used = w;
	return start;
}

/* The length of the escape esc_term wrote at s (at most len bytes): "\\x1b" 4, "\\n", "\\t",
 * "\\r", "\\\\" or "\\\"" 2; 1 for anything else. Escapes are ASCII: cutting before or
 * after one is cutting between characters. */
static size_t escape_len(const char *s, size_t len)
{
	if (len < 2 || s[0] != '\\')
		return 1;
	if (s[1] == 'x')
		return len >= 4 && isxdigit((unsigned char)s[2]) &&
		       isxdigit((unsigned char)s[3]) ? 4 : 1;
	return s[1] && strchr("ntr\\\"", s[1]) ? 2 : 1;
}

/* pos moved out of an escape it falls inside: back to its backslash, or on past its end. */
static size_t escape_boundary(const char *s, size_t len, size_t pos, bool forward)
{
	for (size_t i = 0; i < pos;) {
		size_t n = escape_len(s + i, len - i);

		if (i + n > pos)
			return forward ? i + n : i;
		i += n;
	}
	return pos;
}

void width_cut_end(struct sbuf *b, const char *s, size_t len, size_t cols, const char *mark)
{
	sbuf_add(b, s, escape_boundary(s, len, width_head(s, len, cols - 1, NULL), false));
	sbuf_puts(b, mark);
}

void width_cut_middle(struct sbuf *b, const char *s, size_t len, size_t cols, const char *mark)
{
	size_t head = escape_boundary(s, len, width_head(s, len, cols / 2, NULL), false);
	size_t tail = width_tail(s, len, cols - 1 - width_text(s, head), NULL);

	tail = escape_boundary(s, len, tail, true);
	sbuf_add(b, s, head);
	sbuf_puts(b, mark);
	sbuf_add(b, s + tail, len - tail);
}
