/*
 * The words of a filter expression, for the parser (filter_parse.c): splitting arguments into
 * words, reading the operands of conditions, and errors that name the word they are at.
 */
#ifndef LISTEN_FILTER_WORD_H
#define LISTEN_FILTER_WORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct filter;
struct filter_error;
struct filter_node;

/* A word: len bytes at s, inside the caller's arguments. */
struct token {
	const char *s;
	size_t len;
};

/* The parser's state: the filter it builds, the words, where it is, how deeply nested. */
struct parser {
	struct filter *f;
	struct filter_error *err;
	const struct token *t;
	size_t n, i;
	unsigned depth; /* parentheses and nots open around the word at i */
};

/* Split arguments into words: at blanks, '#' to the end of its line, and '(' and ')' apart
 * from the word they touch. *out gets a malloc'd array. Returns 0 or -ENOMEM. */
int word_split(char *const *args, size_t nargs, struct token **out, size_t *nout);

/* Record an error at word at (0-based) in p->err; returns -EINVAL. */
int word_fail(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A word as printable text for a message, in buf: at most size - 4 bytes, controls as '?'. */
const char *word_shown(const struct token *t, char *buf, size_t size);

/* Whether len bytes at s are a decimal port, "0".."65535" without leading zeros. */
bool word_port_number(const char *s, size_t len, int32_t *port);

/* Whether len bytes at s are one or more decimal digits. */
bool word_all_digits(const char *s, size_t len);

/* The port of a condition, written at word at ("22", "http", "*", "" for any), into node:
 * its port, or a service name to resolve. Returns 0, -EINVAL (p->err says why), -ENOMEM. */
int word_port(struct parser *p, size_t at, const char *s, size_t len, struct filter_node *node);

/* The operand of src or dst at word at, as ss reads it ("10.0.0.0/8", "[::1]:22", "*:80",
 * "any", a host name), into node. Returns 0, -EINVAL or -ENOMEM. */
int word_host(struct parser *p, size_t at, struct filter_node *node);

/* The operand of dev at word at: a device name, or an index in decimal. Returns 0, -EINVAL
 * or -ENOMEM. */
int word_device(struct parser *p, size_t at, struct filter_node *node);

#endif
