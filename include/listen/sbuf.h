/* A growable byte string: the output backends build their text in these. */
#ifndef LISTEN_SBUF_H
#define LISTEN_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Zero-initialise; s is NUL-terminated once anything was added. An allocation failure is
 * remembered in failed and later additions are dropped, so callers check once at the end. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
	int failed;
};

/* Make room for n more bytes and a NUL; -1 (and failed set) when memory runs out. */
int sbuf_grow(struct sbuf *b, size_t n);

/* Append n bytes. Inline: the tables add a dozen short pieces per row. */
static inline void sbuf_add(struct sbuf *b, const void *p, size_t n)
{
	if (b->failed || (b->len + n + 1 > b->cap && sbuf_grow(b, n) < 0))
		return;
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static inline void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

static inline void sbuf_putc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

/* v in decimal, without printf's cost: the tables print a few numbers per row. */
void sbuf_putu(struct sbuf *b, uint64_t v);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(struct sbuf *b);

/* Write b's text to f: 0, -ENOMEM when an addition failed, or the failed write's -errno
 * (-EPIPE when the reader went away, which callers end on quietly; -ENOSPC on a full disk). */
int sbuf_write(const struct sbuf *b, FILE *f);

#endif
