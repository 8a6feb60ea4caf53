/* Unit tests of the summary's parsers (/proc/net/sockstat{,6}, snmp) and its view. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen/output_summary.h"
#include "listen/sockstat.h"
#include "testutil.h"

static const char sockstat4[] =
	"sockets: used 9\n"
	"TCP: inuse 3 orphan 1 tw 2 alloc 8 mem 269\n"
	"UDP: inuse 2 mem 0\n"
	"UDPLITE: inuse 0\n"
	"RAW: inuse 1\n"
	"FRAG: inuse 4 memory 0\n";
static const char sockstat6[] =
	"TCP6: inuse 3\nUDP6: inuse 1\nUDPLITE6: inuse 0\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n";
static const char snmp[] =
	"Ip: Forwarding DefaultTTL\nIp: 1 64\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	"EstabResets CurrEstab InSegs\n"
	"Tcp: 1 200 120000 -1 2 2 0 0 4 41\n"
	"Udp: InDatagrams\nUdp: 7\n";

static void parses_every_count(void **state)
{
	struct sockstat s = { 0 };

	(void)state;
	assert_int_equal(sockstat_parse(&s, sockstat4, strlen(sockstat4)), 0);
	assert_int_equal(sockstat_parse(&s, sockstat6, strlen(sockstat6)), 0);
	assert_int_equal(sockstat_parse_snmp(&s, snmp, strlen(snmp)), 0);
	assert_int_equal(s.sockets, 9);
	assert_int_equal(s.tcp_inuse, 3);
	assert_int_equal(s.tcp_orphan, 1);
	assert_int_equal(s.tcp_tw, 2);
	assert_int_equal(s.tcp_alloc, 8);
	assert_int_equal(s.tcp6_inuse, 3);
	assert_int_equal(s.udp, 2);
	assert_int_equal(s.udp6, 1);
	assert_int_equal(s.raw, 1);
	assert_int_equal(s.frag, 4);
	assert_int_equal(s.tcp_estab, 4);
	assert_true(s.estab);
}

/* Lines of another shape are refused; unknown names and words are skipped; no newline at the
 * end is fine. */
static void malformed_and_unknown(void **state)
{
	static const char *const bad[] = {
		"TCP inuse 3\n", ": inuse 3\n", "TCP: inuse\n", "TCP: inuse x\n", "TCP: inuse 3x\n",
		"TCP: inuse 1234567890123456789\n", "TCP: inuse -\n",
	};
	struct sockstat s = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sockstat_parse(&s, bad[i], strlen(bad[i])), -EBADMSG);
	s = (struct sockstat){ 0 };
	assert_int_equal(sockstat_parse(&s, "NEW: thing 5\nTCP: inuse 7 future 1", 34), 0);
	assert_int_equal(s.tcp_inuse, 7);
	assert_int_equal(sockstat_parse(&s, "\n\n", 2), 0);
	assert_int_equal(sockstat_parse(&s, "TCP: tw -1\n", 11), 0); /* the kernel's %d */
	assert_int_equal(s.tcp_tw, -1);
}

static void snmp_without_estab(void **state)
{
	struct sockstat s = { 0 };
	static const char none[] = "Ip: Forwarding\nIp: 1\n";
	static const char short_values[] = "Tcp: RtoAlgorithm CurrEstab\nTcp: 1\n";
	static const char no_values[] = "Tcp: RtoAlgorithm CurrEstab\n";
	static const char no_name[] = "Tcp: RtoAlgorithm\nTcp: 1\n";
	static const char bad_value[] = "Tcp: CurrEstab\nTcp: x\n";

	(void)state;
	assert_int_equal(sockstat_parse_snmp(&s, none, strlen(none)), -ENOENT);
	assert_int_equal(sockstat_parse_snmp(&s, short_values, strlen(short_values)), -EBADMSG);
	assert_int_equal(sockstat_parse_snmp(&s, no_values, strlen(no_values)), -EBADMSG);
	assert_int_equal(sockstat_parse_snmp(&s, no_name, strlen(no_name)), -ENOENT);
	assert_int_equal(sockstat_parse_snmp(&s, bad_value, strlen(bad_value)), -EBADMSG);
	assert_false(s.estab);
}

/* The fixture tree (tests/data/proc-views), read as /proc/thread-self/net is. */
static void reads_a_tree(void **state)
{
	int fd = open(LISTEN_DATA_DIR "/proc-views", O_RDONLY | O_DIRECTORY);
	struct sockstat s;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sockstat_read(fd, &s), 0);
	assert_true(s.v6 && s.estab);
	assert_int_equal(s.sockets, 9);
	assert_int_equal(s.tcp6_inuse, 3);
	close(fd);
	/* No sockstat: an error, not zeros. */
	fd = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(sockstat_read(fd, &s), -ENOENT);
	close(fd);
}

static char *text_of(const struct out_summary *sums, size_t n, int json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(json ? out_summary_json(f, sums, n, json == 2) :
				out_summary_text(f, sums, n), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* ss -s's text, with "?" for what the kernel did not give; JSON's null for it. */
static void summary_views(void **state)
{
	struct sockstat s = { 0 }, bare = { .sockets = 2, .udp = 1 };
	struct out_summary sums[] = { { NULL, &s }, { "web\033[31m", &bare } };
	char *text;

	(void)state;
	sockstat_parse(&s, sockstat4, strlen(sockstat4));
	sockstat_parse(&s, sockstat6, strlen(sockstat6));
	sockstat_parse_snmp(&s, snmp, strlen(snmp));
	s.v6 = true;
	text = text_of(sums, 2, 0);
	assert_string_equal(text,
		"Total: 9\n"
		"TCP:   10 (estab 4, closed 4, orphaned 1, timewait 2)\n\n"
		"Transport Total     IP        IPv6\n"
		"RAW\t  1         1         0        \n"
		"UDP\t  3         2         1        \n"
		"TCP\t  6         3         3        \n"
		"INET\t  10        6         4        \n"
		"FRAG\t  4         4         0        \n\n"
		"Netns: web\\x1b[31m\n"
		"Total: 2\n"
		"TCP:   0 (estab ?, closed 0, orphaned 0, timewait 0)\n\n"
		"Transport Total     IP        IPv6\n"
		"RAW\t  ?         0         ?        \n"
		"UDP\t  ?         1         ?        \n"
		"TCP\t  ?         0         ?        \n"
		"INET\t  ?         1         ?        \n"
		"FRAG\t  ?         0         ?        \n\n");
	free(text);
	text = text_of(&sums[1], 1, 2);
	assert_non_null(strstr(text, "\"netns\":\"web\\u001b[31m\",\"sockets\":2,"
				     "\"tcp\":{\"total\":0,\"established\":null,"));
	assert_non_null(strstr(text, "\"udp\":{\"ipv4\":1,\"ipv6\":null,\"total\":null}"));
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_int_equal(text[0], '{');
	free(text);
	text = text_of(sums, 0, 1);
	assert_string_equal(text, "[]\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_count),
		cmocka_unit_test(malformed_and_unknown),
		cmocka_unit_test(snmp_without_estab),
		cmocka_unit_test(reads_a_tree),
		cmocka_unit_test(summary_views),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
