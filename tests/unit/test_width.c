/* Unit tests of display widths and cutting on character boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "listen/sbuf.h"
#include "listen/width.h"

static void widths(void **state)
{
	(void)state;
	assert_int_equal(width_char('a'), 1);
	assert_int_equal(width_char(0xe9), 1);     /* é */
	assert_int_equal(width_char(0x301), 0);    /* combining acute */
	assert_int_equal(width_char(0x65e5), 2);   /* 日 */
	assert_int_equal(width_char(0xac00), 2);   /* 가 */
	assert_int_equal(width_char(0xff21), 2);   /* fullwidth A */
	assert_int_equal(width_char(0x1f600), 2);  /* an emoji */
	assert_int_equal(width_char(0x2026), 1);   /* … */
	assert_int_equal(width_char(0x10ffff), 1);
	assert_int_equal(width_text("", 0), 0);
	assert_int_equal(width_text("nginx", 5), 5);
	assert_int_equal(width_text("a longer ascii text", 19), 19);
	/* "日本語サー": 15 bytes, 5 characters, 10 columns. */
	assert_int_equal(width_text("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc",
				    15), 10);
	assert_int_equal(width_text("e\xcc\x81t\xc3\xa9", 6), 3); /* e + acute, t, é */
	/* Bytes that are not UTF-8 count one each: a cut sequence, a stray continuation. */
	assert_int_equal(width_text("ab\xe6\x97", 4), 4);
	assert_int_equal(width_text("\x80\xff", 2), 2);
}

static void heads(void **state)
{
	static const char jp[] = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"; /* 日本語 */
	size_t used;

	(void)state;
	assert_int_equal(width_head("nginx", 5, 3, &used), 3);
	assert_int_equal(used, 3);
	assert_int_equal(width_head("nginx", 5, 9, &used), 5);
	assert_int_equal(used, 5);
	assert_int_equal(width_head("nginx", 5, 0, &used), 0);
	/* A wide character is never split: 5 columns take two of them (4 columns). */
	assert_int_equal(width_head(jp, 9, 5, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(width_head(jp, 9, 1, &used), 0);
	assert_int_equal(used, 0);
	/* A combining mark stays with its character. */
	assert_int_equal(width_head("e\xcc\x81x", 4, 1, &used), 3);
	assert_int_equal(used, 1);
	assert_int_equal(width_head("ab\xe6\x97", 4, 3, &used), 3);
	assert_int_equal(width_head("\xc3\xa9\xc3\xa9", 4, 1, &used), 2);
}

static void tails(void **state)
{
	static const char jp[] = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	size_t used;

	(void)state;
	assert_int_equal(width_tail("[::1]:631", 9, 4, &used), 5);
	assert_int_equal(used, 4);
	assert_int_equal(width_tail("abc", 3, 9, &used), 0);
	assert_int_equal(used, 3);
	assert_int_equal(width_tail(jp, 9, 3, &used), 6);
	assert_int_equal(used, 2);
	/* A combining mark comes with its character; one is never left at the start of the
	 * end, drawn on nothing. */
	assert_int_equal(width_tail("ae\xcc\x81", 4, 1, &used), 1);
	assert_int_equal(used, 1);
	assert_int_equal(width_tail("e\xcc\x81", 3, 0, &used), 3);
	assert_int_equal(used, 0);
	/* Bytes that are not UTF-8, one column each. */
	assert_int_equal(width_tail("a\xe6\x97", 3, 2, &used), 1);
	assert_int_equal(used, 2);
	assert_int_equal(width_tail("\xc3\xa9\xc3\xa9", 4, 1, &used), 2);
}

/* Cut text: the mark in place, never inside a character or an escape. */
static void cuts(void **state)
{
	static const struct {
		const char *text;
		size_t cols;
		int middle;
		const char *want;
	} cases[] = {
		{ "elasticsearch?", 8, 0, "elastic~" },
		{ "evil\\x1b[2J", 6, 0, "evil~" },        /* not "evil\\~" */
		{ "evil\\x1b[2J", 9, 0, "evil\\x1b~" },
		{ "a\\nb", 3, 0, "a~" },
		{ "a\\\\b", 4, 0, "a\\\\~" },          /* an escaped backslash is whole */
		{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, 0, "\xe6\x97\xa5~" },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, 0, "\xe6\x97\xa5\xe6\x9c\xac~" },
		{ "[2001:db8:85a3:1234:5678:8a2e:370:7334]", 21, 1, "[2001:db8:~:370:7334]" },
		{ "[::ffff:127.0.0.2]", 13, 1, "[::fff~0.0.2]" },
		{ "ab\\x1bcd", 6, 1, "ab~cd" },         /* the end starts after the escape */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf b = { 0 };
		const char *t = cases[i].text;

		if (cases[i].middle)
			width_cut_middle(&b, t, strlen(t), cases[i].cols, "~");
		else
			width_cut_end(&b, t, strlen(t), cases[i].cols, "~");
		sbuf_putc(&b, '\0');
		assert_string_equal(b.s, cases[i].want);
		assert_true(width_text(b.s, b.len - 1) <= cases[i].cols);
		sbuf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths),
		cmocka_unit_test(heads),
		cmocka_unit_test(tails),
		cmocka_unit_test(cuts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
