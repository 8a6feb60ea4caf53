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

/* Two digits at a time: a table row has a few numbers, a hundred thousand rows many. */
void sbuf_putu(struct sbuf *b, uint64_t v)
{
	static const char pairs[] = "000102030405060708091011121314151617181920212223242526272829"
				    "303132333435363738394041424344454647484950515253545556575859"
				    "606162636465666768697071727374757677787980818283848586878889"
				    "90919293949596979899";
	char digits[20], *p = digits + sizeof(digits);

	for (; v >= 100; v /= 100) {
		p -= 2;
		memcpy(p, pairs + v % 100 * 2, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + v * 2, 2);
	} else {
		*--p = (char)('0' + v);
	}
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
