/* A growable byte string: the output backends build their text in these. */
#ifndef LISTEN_SBUF_H
#define LISTEN_SBUF_H

#include <stdarg.h>
#include <stddef.h>

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
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(struct sbuf *b);

#endif
