/* Unit tests of the small base modules: growable arrays and byte strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/array.h"
#include "listen/sbuf.h"
#include "listen/timefmt.h"

static void grow_doubles(void **state)
{
	int *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(array_grow((void **)&v, &cap, 1, sizeof(*v)), 0);
	assert_int_equal(cap, 16);
	assert_int_equal(array_grow((void **)&v, &cap, 17, sizeof(*v)), 0);
	assert_int_equal(cap, 32);
	assert_int_equal(array_grow((void **)&v, &cap, 20, sizeof(*v)), 0);
	assert_int_equal(cap, 32); /* room already */
	assert_int_equal(array_grow((void **)&v, &cap, SIZE_MAX, sizeof(*v)), -ENOMEM);
	assert_int_equal(cap, 32);
	free(v);
}

static void u32_set(void **state)
{
	uint32_t v[] = { 9, 3, 9, 1, 3, 3, 4294967295u, 0, 1 };
	uint32_t want[] = { 0, 1, 3, 9, 4294967295u };
	uint32_t one[] = { 7 };

	(void)state;
	assert_int_equal(array_u32_set(v, 9), 5);
	assert_memory_equal(v, want, sizeof(want));
	assert_int_equal(array_u32_set(one, 1), 1);
	assert_int_equal(one[0], 7);
	assert_int_equal(array_u32_set(NULL, 0), 0);
}

static void sbuf_writes(void **state)
{
	struct sbuf b = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_non_null(f);
	sbuf_puts(&b, "listen");
	sbuf_printf(&b, " %d", 42);
	assert_int_equal(sbuf_write(&b, f), 0);
	fclose(f);
	assert_string_equal(out, "listen 42");
	free(out);

	/* A failed addition is reported when written, and nothing is. */
	f = open_memstream(&out, &len);
	b.failed = 1;
	assert_int_equal(sbuf_write(&b, f), -ENOMEM);
	fclose(f);
	assert_int_equal(len, 0);
	free(out);
	sbuf_free(&b);

	/* A full disk is the write's errno. */
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	sbuf_puts(&b, "x");
	assert_int_equal(sbuf_write(&b, f), -ENOSPC);
	fclose(f);
	sbuf_free(&b);
}

static void rfc3339(void **state)
{
	struct sbuf b = { 0 };

	(void)state;
	assert_int_equal(sbuf_rfc3339(&b, 0, -1), 0);
	assert_string_equal(b.s, "1970-01-01T00:00:00Z");
	b.len = 0;
	assert_int_equal(sbuf_rfc3339(&b, 1796076726, 7), 0);
	assert_string_equal(b.s, "2026-11-30T22:12:06.007Z");
	b.len = 0;
	assert_int_equal(sbuf_rfc3339(&b, 951782400, 1000), 0); /* a leap day; 1000 ms: none */
	assert_string_equal(b.s, "2000-02-29T00:00:00Z");
	b.len = 0;
	b.s[0] = '\0';
	assert_int_equal(sbuf_rfc3339(&b, INT64_MAX, -1), -1);
	assert_int_equal(b.len, 0);
	sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grow_doubles),
		cmocka_unit_test(u32_set),
		cmocka_unit_test(sbuf_writes),
		cmocka_unit_test(rfc3339),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
