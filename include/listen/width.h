/* Display width of text on a terminal: how many columns it takes, and where to cut it to fit
 * a number of columns on a character boundary. */
#ifndef LISTEN_WIDTH_H
#define LISTEN_WIDTH_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf;

/*
 * Columns code point cp takes: 2 for East Asian wide and fullwidth characters (CJK, Hangul,
 * kana, fullwidth forms, most emoji), 0 for combining marks, variation selectors and zero
 * width joiners, 1 for the rest. Where a terminal may disagree it is counted wider, never
 * narrower: a line is then at most short, never too long.
 */
unsigned width_char(unsigned cp);

/* Whether the len bytes of s are all ASCII: then they take a column each. */
bool width_ascii(const char *s, size_t len);

/* Columns the len bytes of s take: UTF-8 by width_char, a byte that is not UTF-8 as 1. */
size_t width_text(const char *s, size_t len);

/*
 * The longest start of s (len bytes) that takes at most cols columns, cut on a character
 * boundary (a combining mark stays with the character it follows): its length in bytes;
 * *used (if not NULL) is given its width.
 */
size_t width_head(const char *s, size_t len, size_t cols, size_t *used);

/* The longest end of s that takes at most cols columns, likewise: the offset where it begins;
 * *used (if not NULL) is given its width. */
size_t width_tail(const char *s, size_t len, size_t cols, size_t *used);

/*
 * s (len bytes, as esc_term writes text) cut to cols columns (2 or more) into b: its start,
 * then mark (a text of one column: "…" or "~"). Never inside a character, between a
 * character and its combining marks, or inside an escape ("\\x1b", "\\n"): the start may
 * then take fewer columns.
 */
void width_cut_end(struct sbuf *b, const char *s, size_t len, size_t cols, const char *mark);

/* Likewise with the mark in the middle, the start and the end of s kept (an address:
 * "[2001:db8:…:370:7334]"). */
void width_cut_middle(struct sbuf *b, const char *s, size_t len, size_t cols, const char *mark);

#endif
