/* Helpers shared by the unit tests. */
#ifndef LISTEN_TESTUTIL_H
#define LISTEN_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

/* Read a fixture file whole; aborts the test program if it cannot. */
static inline char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		abort();
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
