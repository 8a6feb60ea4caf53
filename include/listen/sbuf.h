/* A growable byte string: the output backends build their text in these. */
#ifndef LISTEN_SBUF_H
#define LISTEN_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Zero-initialise; s is NUL-terminated once anything was added. An allocation failure is
 * remembered in failed and later additions are dropped, so callers check once at the end. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
	int failed;
};

void sbuf_add(struct sbuf *b, const void *p, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_putc(struct sbuf *b, char c);
/* v in decimal, without printf's cost: the tables print a few numbers per row. */
void sbuf_putu(struct sbuf *b, uint64_t v);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(struct sbuf *b);

#endif
