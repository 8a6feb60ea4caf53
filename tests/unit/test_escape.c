/* Unit tests of terminal escaping of untrusted text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
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
/* esc_term_sbuf: a built text escaped, and a failed one passed on as a failure. */
static void built_text(void **state)
{
	struct sbuf t = { 0 }, b = { 0 };

	(void)state;
	sbuf_puts(&t, "docker \033[2Jweb");
	esc_term_sbuf(&b, &t);
	assert_string_equal(b.s, "docker \\x1b[2Jweb");
	t.failed = 1;
	esc_term_sbuf(&b, &t);
	assert_true(b.failed);
	sbuf_free(&t);
	sbuf_free(&b);
}

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

/* Invisible characters and those that break a line or change the direction of the text around
 * them are escaped like the bidirectional overrides, in every escaper. */
static void invisible(void **state)
{
	static const struct {
		const char *utf8, *term, *json;
	} cps[] = {
		{ "\xd8\x9c", "\\xd8\\x9c", "\\u061c" },             /* Arabic letter mark */
		{ "\xe2\x80\x8b", "\\xe2\\x80\\x8b", "\\u200b" },    /* zero width space */
		{ "\xe2\x80\x8c", "\\xe2\\x80\\x8c", "\\u200c" },    /* zero width non-joiner */
		{ "\xe2\x80\x8d", "\\xe2\\x80\\x8d", "\\u200d" },    /* zero width joiner */
		{ "\xe2\x80\x8e", "\\xe2\\x80\\x8e", "\\u200e" },    /* left-to-right mark */
		{ "\xe2\x80\x8f", "\\xe2\\x80\\x8f", "\\u200f" },    /* right-to-left mark */
		{ "\xe2\x80\xa8", "\\xe2\\x80\\xa8", "\\u2028" },    /* line separator */
		{ "\xe2\x80\xa9", "\\xe2\\x80\\xa9", "\\u2029" },    /* paragraph separator */
		{ "\xe2\x80\xaa", "\\xe2\\x80\\xaa", "\\u202a" },    /* left-to-right embedding */
		{ "\xe2\x81\xa6", "\\xe2\\x81\\xa6", "\\u2066" },    /* left-to-right isolate */
		{ "\xe2\x81\xa9", "\\xe2\\x81\\xa9", "\\u2069" },    /* pop directional isolate */
		{ "\xef\xbb\xbf", "\\xef\\xbb\\xbf", "\\ufeff" },    /* zero width no-break space */
		{ "\xc2\xad", "\\xc2\\xad", "\\u00ad" },             /* soft hyphen */
		{ "\xcd\x8f", "\\xcd\\x8f", "\\u034f" },             /* combining grapheme joiner */
		{ "\xe1\x85\x9f", "\\xe1\\x85\\x9f", "\\u115f" },    /* Hangul choseong filler */
		{ "\xe1\xa0\x8e", "\\xe1\\xa0\\x8e", "\\u180e" },    /* Mongolian vowel separator */
		{ "\xe2\x81\xa0", "\\xe2\\x81\\xa0", "\\u2060" },    /* word joiner */
		{ "\xe2\x81\xa4", "\\xe2\\x81\\xa4", "\\u2064" },    /* invisible plus */
		{ "\xe3\x85\xa4", "\\xe3\\x85\\xa4", "\\u3164" },    /* Hangul filler */
		{ "\xef\xb8\x8f", "\\xef\\xb8\\x8f", "\\ufe0f" },    /* variation selector 16 */
		{ "\xef\xbe\xa0", "\\xef\\xbe\\xa0", "\\uffa0" },    /* halfwidth Hangul filler */
		{ "\xef\xbf\xb9", "\\xef\\xbf\\xb9", "\\ufff9" },    /* interlinear annotation */
		{ "\xf0\x9d\x85\xb3", "\\xf0\\x9d\\x85\\xb3", "\\ud834\\udd73" }, /* music format */
		{ "\xf3\xa0\x80\x81", "\\xf3\\xa0\\x80\\x81", "\\udb40\\udc01" }, /* language tag */
		{ "\xf3\xa0\x87\xaf", "\\xf3\\xa0\\x87\\xaf", "\\udb40\\uddef" }, /* VS256 */
	};
	char in[32], want[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		snprintf(in, sizeof(in), "a%sb", cps[i].utf8);
		snprintf(want, sizeof(want), "a%sb", cps[i].term);
		check_with(esc_term, in, strlen(in), want);
		snprintf(want, sizeof(want), "a%sb", cps[i].json);
		check_with(esc_json, in, strlen(in), want);
		check_with(esc_prom, in, strlen(in), "a\xef\xbf\xbd" "b");
	}
	/* Their neighbours are ordinary text and pass. */
	CHECK("\xd8\x9b\xe2\x80\x8a\xe2\x80\x90\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xb0\xef\xbb\xbc",
	      "\xd8\x9b\xe2\x80\x8a\xe2\x80\x90\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xb0\xef\xbb\xbc");
	/* U+00AC, U+00AE, U+3165, U+FE10, U+FFFC, U+E1000 (unassigned), a supplementary CJK
	 * ideograph, as JSON keeps it: UTF-8 as it is. */
	CHECK("\xc2\xac\xc2\xae\xe3\x85\xa5\xef\xb8\x90\xef\xbf\xbc"
	      "\xf3\xa1\x80\x80\xf0\xa0\x80\x80",
	      "\xc2\xac\xc2\xae\xe3\x85\xa5\xef\xb8\x90\xef\xbf\xbc"
	      "\xf3\xa1\x80\x80\xf0\xa0\x80\x80");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(length_bounded),
		cmocka_unit_test(built_text),
		cmocka_unit_test(json),
		cmocka_unit_test(prom),
		cmocka_unit_test(invisible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
