/* Unit tests of terminal escaping of untrusted text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "listen/escape.h"
#include "listen/sbuf.h"

typedef void escaper(struct sbuf *b, const char *s, size_t len);

static void check_with(escaper *esc, const char *in, size_t len, const char *want)
{
	struct sbuf b = { 0 };

	esc(&b, in, len);
	assert_false(b.failed);
	assert_string_equal(b.s ? b.s : "", want);
	sbuf_free(&b);
}

static void check(const char *in, size_t len, const char *want)
{
	check_with(esc_term, in, len, want);
}

#define CHECK(in, want) check(in, sizeof(in) - 1, want)
#define JSON(in, want) check_with(esc_json, in, sizeof(in) - 1, want)
#define PROM(in, want) check_with(esc_prom, in, sizeof(in) - 1, want)

static void cases(void **state)
{
	(void)state;
	CHECK("", "");
	CHECK("nginx", "nginx");
	CHECK("a b (c)", "a b (c)");
	CHECK("q\"uote", "q\\\"uote");
	CHECK("back\\slash", "back\\\\slash");
	CHECK("tab\there\nnl\rcr", "tab\\there\\nnl\\rcr");
	CHECK("\033[31mred", "\\x1b[31mred");
	CHECK("nul\0byte", "nul\\x00byte");
	CHECK("del\x7f", "del\\x7f");
	CHECK("caf\xc3\xa9", "caf\xc3\xa9");                 /* valid UTF-8 passes */
	CHECK("\xe2\x9c\x93 ok", "\xe2\x9c\x93 ok");
	CHECK("\xf0\x9f\x90\xa7", "\xf0\x9f\x90\xa7");       /* 4 bytes */
	CHECK("csi\xc2\x9b" "31m", "csi\\xc2\\x9b31m");      /* C1 control U+009B */
	CHECK("rlo\xe2\x80\xaeoxe", "rlo\\xe2\\x80\\xaeoxe"); /* U+202E reorders text */
	CHECK("iso\xe9", "iso\\xe9");                        /* Latin-1, not UTF-8 */
	CHECK("\xc0\xaf", "\\xc0\\xaf");                      /* overlong '/' */
	CHECK("\xed\xa0\x80", "\\xed\\xa0\\x80");             /* a UTF-16 surrogate */
	CHECK("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");    /* past U+10FFFF */
	CHECK("cut\xe2\x9c", "cut\\xe2\\x9c");                /* sequence cut short */
	CHECK("\xff\xfe", "\\xff\\xfe");
}

/* Only the given length is read, whatever follows. */
static void length_bounded(void **state)
{
	(void)state;
	check("abc\033", 3, "abc");
	check("\xc3\xa9", 1, "\\xc3");
}

/* JSON strings: code points as \u escapes, bytes that are not UTF-8 as U+FFFD. */
static void json(void **state)
{
	(void)state;
	JSON("", "");
	JSON("nginx -g daemon off;", "nginx -g daemon off;");
	JSON("q\"uote back\\slash", "q\\\"uote back\\\\slash");
	JSON("tab\there\nnl\rcr", "tab\\there\\nnl\\rcr");
	JSON("\033]0;pwned\a", "\\u001b]0;pwned\\u0007");
	JSON("nul\0byte\x7f", "nul\\u0000byte\\u007f");
	JSON("caf\xc3\xa9 \xf0\x9f\x90\xa7", "caf\xc3\xa9 \xf0\x9f\x90\xa7");
	JSON("csi\xc2\x9b", "csi\\u009b");
	JSON("rlo\xe2\x80\xae", "rlo\\u202e");
	JSON("iso\xe9!", "iso\\ufffd!");
	JSON("\xc0\xaf", "\\ufffd\\ufffd");
	JSON("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");
	JSON("cut\xe2\x9c", "cut\\ufffd\\ufffd");
}

/* Prometheus label values: \\ \" \n escaped, the rest made harmless and valid UTF-8. */
static void prom(void **state)
{
	(void)state;
	PROM("sshd", "sshd");
	PROM("a\"b\\c\nd", "a\\\"b\\\\c\\nd");
	PROM("\033[2Jx\ty", "\xef\xbf\xbd[2Jx\xef\xbf\xbdy");
	PROM("caf\xc3\xa9", "caf\xc3\xa9");
	PROM("bad\xff", "bad\xef\xbf\xbd");
	PROM("rlo\xe2\x80\xae", "rlo\xef\xbf\xbd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(length_bounded),
		cmocka_unit_test(json),
		cmocka_unit_test(prom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
