/* Unit tests of the services(5) parser and lookup. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "listen/services.h"

static void parse_text(void **state)
{
	static const char text[] =
		"# comment line\n"
		"\n"
		"ssh\t\t22/tcp\t\t\t# SSH Remote Login Protocol\n"
		"domain\t\t53/tcp\n"
		"domain\t\t53/udp\n"
		"http-alt\t8080/tcp\twebcache\n"
		"later\t\t8080/tcp\n"       /* the first entry for a port wins */
		"   spaced   \t 9/udp  \r\n" /* surrounding blanks and CRLF */
		"sctp-only\t22/sctp\n"       /* not tcp or udp */
		"toolarge\t65536/tcp\n"
		"noslash\t\t25tcp\n"
		"noport\t\t/tcp\n"
		"#commented\t7/tcp\n"
		"alone\n"
		"max\t\t65535/udp\n"
		"zero\t\t0/tcp\n"
		"trailing\t11/tcpx\n"
		"nonewline\t12/tcp";
	struct svc_table t = { 0 };

	(void)state;
	assert_int_equal(svc_table_parse(&t, text, strlen(text)), 0);
	assert_string_equal(svc_name(&t, 22, IPPROTO_TCP), "ssh");
	assert_null(svc_name(&t, 22, IPPROTO_UDP));
	assert_string_equal(svc_name(&t, 53, IPPROTO_UDP), "domain");
	assert_string_equal(svc_name(&t, 8080, IPPROTO_TCP), "http-alt");
	assert_string_equal(svc_name(&t, 9, IPPROTO_UDP), "spaced");
	assert_string_equal(svc_name(&t, 65535, IPPROTO_UDP), "max");
	assert_string_equal(svc_name(&t, 0, IPPROTO_TCP), "zero");
	assert_string_equal(svc_name(&t, 12, IPPROTO_TCP), "nonewline");
	assert_null(svc_name(&t, 7, IPPROTO_TCP));
	assert_null(svc_name(&t, 11, IPPROTO_TCP));
	assert_null(svc_name(&t, 25, IPPROTO_TCP));
	assert_null(svc_name(&t, 0, IPPROTO_UDP));

	/* A second text extends the first; the first still wins for ports both name. */
	assert_int_equal(svc_table_parse(&t, "x 22/tcp\ny 23/tcp\n", 18), 0);
	assert_string_equal(svc_name(&t, 22, IPPROTO_TCP), "ssh");
	assert_string_equal(svc_name(&t, 23, IPPROTO_TCP), "y");
	svc_table_free(&t);
}

static void empty_and_missing(void **state)
{
	struct svc_table t = { 0 };

	(void)state;
	assert_null(svc_name(&t, 22, IPPROTO_TCP));
	assert_int_equal(svc_table_parse(&t, "", 0), 0);
	assert_int_equal(svc_table_parse(&t, "\n\n#\n", 4), 0);
	assert_int_equal(svc_table_load(&t, "/nonexistent/services"), 0);
	assert_int_equal(svc_table_load(&t, "/"), 0); /* a directory */
	assert_null(svc_name(&t, 22, IPPROTO_TCP));
	assert_int_equal(svc_table_load(&t, LISTEN_DATA_DIR "/services"), 0);
	assert_string_equal(svc_name(&t, 5432, IPPROTO_TCP), "postgresql");
	assert_string_equal(svc_name(&t, 8080, IPPROTO_TCP), "http-alt");
	svc_table_free(&t);
}

/* Many entries keep their first-wins order through the sort. */
static void many_entries(void **state)
{
	struct svc_table t = { 0 };
	char line[64];

	(void)state;
	for (int round = 0; round < 2; round++) {
		for (int port = 1; port <= 3000; port++) {
			int n = snprintf(line, sizeof(line), "r%dp%d %d/udp\n", round, port, port);

			assert_int_equal(svc_table_parse(&t, line, (size_t)n), 0);
		}
	}
	for (int port = 1; port <= 3000; port += 97) {
		snprintf(line, sizeof(line), "r0p%d", port);
		assert_string_equal(svc_name(&t, (uint16_t)port, IPPROTO_UDP), line);
	}
	svc_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_text),
		cmocka_unit_test(empty_and_missing),
		cmocka_unit_test(many_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
