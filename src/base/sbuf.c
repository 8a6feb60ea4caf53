/* A growable byte string with a sticky allocation-failure flag. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/sbuf.h"

int sbuf_grow(struct sbuf *b, size_t n)
{
	if (b->failed)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;

	while (cap < b->len + n + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);

	if (!s) {
		b->failed = 1;
		return -1;
	}
	b->s = s;
	b->cap = cap;
	return 0;
}

void sbuf_putu(struct sbuf *b, uint64_t v)
{
	char digits[20], *p = digits + sizeof(digits);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	sbuf_add(b, p, (size_t)(digits + sizeof(digits) - p));
}

/* Format straight into the free space; only a result that does not fit is formatted again. */
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	va_list ap;
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(room ? b->s + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		if (sbuf_grow(b, (size_t)n) < 0)
			return;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	*b = (struct sbuf){ 0 };
}

int sbuf_write(const struct sbuf *b, FILE *f)
{
	if (b->failed)
		return -ENOMEM;
	errno = 0;
	if (b->len && fwrite(b->s, 1, b->len, f) != b->len)
		return errno ? -errno : -EIO;
	return 0;
}
