/* Unit tests of the reachability evaluator on ruleset fixtures (tests/data/firewall). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "listen/firewall.h"
#include "listen/reach.h"
#include "fw_fixture.h"

/* The verdict for a new connection to addr:port over proto, arriving on iif; *res keeps the
 * deciding rule (freed by the caller). */
static enum reach_verdict eval(const struct fw_ruleset *rs, uint8_t proto, const char *addr,
			       uint16_t port, const char *iif, struct reach_result *res)
{
	struct reach_query q = { .protocol = proto, .dport = port, .iifname = iif, .local = true };

	q.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(q.family, addr, q.daddr), 1);
	q.daddr_known = true;
	assert_int_equal(reach_eval(rs, REACH_INPUT, &q, res), 0);
	return res->verdict;
}

/* The verdict alone. */
static enum reach_verdict verdict(const struct fw_ruleset *rs, uint8_t proto, const char *addr,
				  uint16_t port, const char *iif)
{
	struct reach_result res;
	enum reach_verdict v = eval(rs, proto, addr, port, iif, &res);

	reach_result_free(&res);
	return v;
}

static void native_constructs(void **state)
{
	struct fw_ruleset rs;
	struct reach_result res;
	const int T = IPPROTO_TCP, U = IPPROTO_UDP;

	(void)state;
	fw_fixture(&rs, "native", false);
	/* policy drop: nothing accepts 9999 */
	assert_int_equal(eval(&rs, T, "10.1.1.1", 9999, "eth0", &res), REACH_FILTERED);
	assert_true(res.has_rule);
	assert_int_equal(res.rule.handle, 17); /* log ... drop: log is transparent */
	reach_result_free(&res);
	/* iif lo accepts; iifname veth* jumps to svc, which accepts 8080 and returns the rest */
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 9999, "lo"), REACH_OPEN);
	assert_int_equal(eval(&rs, T, "10.1.1.1", 8080, "veth0", &res), REACH_OPEN);
	assert_int_equal(res.rule.handle, 18);
	assert_string_equal(res.rule.chain, "svc");
	reach_result_free(&res);
	/* from elsewhere, 8080 is in fib daddr type local's 8000-8100 */
	assert_int_equal(eval(&rs, T, "10.1.1.1", 8080, "eth0", &res), REACH_OPEN);
	assert_int_equal(res.rule.handle, 14);
	reach_result_free(&res);
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 7999, "veth0"), REACH_FILTERED);
	/* meta l4proto { tcp, udp } th dport 53 */
	assert_int_equal(verdict(&rs, U, "10.1.1.1", 53, "eth0"), REACH_OPEN);
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 53, "eth0"), REACH_OPEN);
	/* a verdict map: 22 accept, 23 drop */
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 22, "eth0"), REACH_OPEN);
	assert_int_equal(eval(&rs, T, "10.1.1.1", 23, "eth0", &res), REACH_FILTERED);
	assert_int_equal(res.rule.handle, 11);
	reach_result_free(&res);
	assert_int_equal(verdict(&rs, U, "10.1.1.1", 22, "eth0"), REACH_FILTERED);
	/* fib daddr type local, an anonymous set with an interval */
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 8050, "eth0"), REACH_OPEN);
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 8101, "eth0"), REACH_FILTERED);
	/* meta nfproto ipv6 */
	assert_int_equal(verdict(&rs, T, "2001:db8::1", 99, "eth0"), REACH_OPEN);
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 99, "eth0"), REACH_FILTERED);
	fw_ruleset_free(&rs);
}

static void sources_partial(void **state)
{
	struct fw_ruleset rs;
	struct reach_result res;
	char a[INET6_ADDRSTRLEN];

	(void)state;
	fw_fixture(&rs, "native", false);
	/* ip saddr @allowed4 tcp dport 5432 accept: from those prefixes only */
	assert_int_equal(eval(&rs, IPPROTO_TCP, "10.1.1.1", 5432, "eth0", &res), REACH_PARTIAL);
	assert_int_equal(res.nfrom, 2);
	inet_ntop(AF_INET, res.from[0].addr, a, sizeof(a));
	assert_string_equal(a, "10.0.0.0");
	assert_int_equal(res.from[0].len, 8);
	assert_int_equal(res.from[1].len, 24);
	assert_int_equal(res.rule.handle, 12);
	reach_result_free(&res);
	/* IPv6 has no such prefixes: filtered */
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "2001:db8::1", 5432, "eth0"), REACH_FILTERED);
	fw_ruleset_free(&rs);
}

static void several_base_chains(void **state)
{
	struct fw_ruleset rs;
	struct reach_result res;

	(void)state;
	fw_fixture(&rs, "native", false);
	/* ip6 early (priority -10) runs first: its drop ends the hook even though inet filter's
	 * fib rule would accept 8000-8100... 7000 is outside it anyway; it drops IPv6 only. */
	assert_int_equal(eval(&rs, IPPROTO_TCP, "2001:db8::1", 7000, "eth0", &res),
			 REACH_FILTERED);
	assert_string_equal(res.rule.table, "early");
	reach_result_free(&res);
	/* its accepts end that chain only: inet filter still drops 7002 */
	assert_int_equal(verdict(&rs, IPPROTO_UDP, "2001:db8::1", 7002, "eth0"), REACH_FILTERED);
	/* limit: unknown, naming the rule */
	assert_int_equal(eval(&rs, IPPROTO_TCP, "2001:db8::1", 7001, "eth0", &res), REACH_UNKNOWN);
	assert_string_equal(res.rule.family, "ip6");
	assert_string_equal(res.rule.chain, "in6");
	assert_int_equal(res.rule.handle, 4);
	reach_result_free(&res);
	/* goto g, which returns for 7003: back to the base chain's caller, so in6 ends (policy
	 * accept), then inet filter drops it */
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "2001:db8::1", 7003, "eth0"), REACH_FILTERED);
	/* the same ports over IPv4 never see the ip6 table */
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "10.1.1.1", 7001, "eth0"), REACH_FILTERED);
	fw_ruleset_free(&rs);
}

static void iptables_rules(void **state)
{
	struct fw_ruleset rs;
	struct reach_result res;

	(void)state;
	fw_fixture(&rs, "iptables", true);
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "10.1.1.1", 443, "eth0"), REACH_OPEN);
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "10.1.1.1", 444, "eth0"), REACH_FILTERED);
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "10.1.1.1", 25, "eth0"), REACH_OPEN);
	assert_int_equal(eval(&rs, IPPROTO_UDP, "10.1.1.1", 53, "eth0", &res), REACH_FILTERED);
	assert_int_equal(res.rule.handle, 7);
	reach_result_free(&res);
	assert_int_equal(eval(&rs, IPPROTO_TCP, "10.1.1.1", 5432, "eth0", &res), REACH_PARTIAL);
	assert_int_equal(res.nfrom, 2);
	reach_result_free(&res);
	/* -m recent: not understood, and on the path of 27 */
	assert_int_equal(eval(&rs, IPPROTO_TCP, "10.1.1.1", 27, "eth0", &res), REACH_UNKNOWN);
	assert_int_equal(res.rule.handle, 10);
	reach_result_free(&res);
	/* ip6tables: policy accept, REJECT with tcp-reset for 24 */
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "2001:db8::1", 24, "eth0"), REACH_FILTERED);
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "2001:db8::1", 27, "eth0"), REACH_OPEN);
	fw_ruleset_free(&rs);
	/* without the text listing, conntrack is unknown on every path */
	fw_fixture(&rs, "iptables", false);
	assert_int_equal(eval(&rs, IPPROTO_TCP, "10.1.1.1", 443, "eth0", &res), REACH_UNKNOWN);
	assert_int_equal(res.rule.handle, 2);
	reach_result_free(&res);
	rs.legacy = true;
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "2001:db8::1", 27, "eth0"), REACH_UNKNOWN);
	fw_ruleset_free(&rs);
}

static void docker_published(void **state)
{
	struct fw_ruleset rs;
	struct reach_dnat *d;
	struct reach_result res;
	size_t n;
	struct reach_query q = { IPPROTO_TCP, AF_INET, true, { 172, 17, 0, 2 }, 80, "eth0",
				 "docker0", false, true };

	(void)state;
	fw_fixture(&rs, "docker", true);
	assert_int_equal(reach_published(&rs, "eth0", &d, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].port, 8080);
	assert_int_equal(d[0].to_port, 80);
	assert_int_equal(d[0].protocol, IPPROTO_TCP);
	assert_memory_equal(d[0].addr, "\xac\x11\x00\x02", 4);
	assert_int_equal(d[0].rule.handle, 9);
	free(d);
	/* from docker0 itself the DOCKER nat chain returns: nothing published */
	assert_int_equal(reach_published(&rs, "docker0", &d, &n), 0);
	assert_int_equal(n, 0);
	free(d);
	/* the forward path accepts it (DOCKER chain), though input drops 8080 */
	assert_int_equal(reach_eval(&rs, REACH_FORWARD, &q, &res), 0);
	assert_int_equal(res.verdict, REACH_OPEN);
	assert_string_equal(res.rule.chain, "DOCKER");
	reach_result_free(&res);
	assert_int_equal(verdict(&rs, IPPROTO_TCP, "10.1.1.1", 8080, "eth0"), REACH_FILTERED);
	q.dport = 81;
	assert_int_equal(reach_eval(&rs, REACH_FORWARD, &q, &res), 0);
	assert_int_equal(res.verdict, REACH_FILTERED);
	reach_result_free(&res);
	fw_ruleset_free(&rs);
}

/* Chains that fan out (each jumping ten times into the next, eight deep: 10^8 paths) are
 * unknown once the walk's budget is spent, not walked for ever. */
static void fan_out(void **state)
{
	struct fw_ruleset rs = { 0 };
	struct reach_result res;
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);

	(void)state;
	fprintf(f, "{\"nftables\": [{\"chain\": {\"family\": \"inet\", \"table\": \"t\", "
		   "\"name\": \"c0\", \"hook\": \"input\", \"type\": \"filter\", \"prio\": 0, "
		   "\"policy\": \"drop\"}}");
	for (int c = 1; c <= 8; c++)
		fprintf(f, ", {\"chain\": {\"family\": \"inet\", \"table\": \"t\", "
			   "\"name\": \"c%d\"}}", c);
	for (int c = 0; c < 8; c++)
		for (int k = 0; k < 10; k++)
			fprintf(f, ", {\"rule\": {\"family\": \"inet\", \"table\": \"t\", "
				   "\"chain\": \"c%d\", \"handle\": %d, \"expr\": [{\"jump\": "
				   "{\"target\": \"c%d\"}}]}}", c, c * 10 + k + 1, c + 1);
	fprintf(f, "]}");
	assert_int_equal(fclose(f), 0);
	assert_int_equal(fw_parse(&rs, json, len, NULL, 0), 0);
	assert_int_equal(eval(&rs, IPPROTO_TCP, "10.1.1.1", 22, "eth0", &res), REACH_UNKNOWN);
	reach_result_free(&res);
	fw_ruleset_free(&rs);
	free(json);
}

static void merge(void **state)
{
	struct reach_result a = { .verdict = REACH_FILTERED }, b = { .verdict = REACH_OPEN };
	struct reach_result c = { .verdict = REACH_UNKNOWN };

	(void)state;
	reach_merge(&a, &c);
	assert_int_equal(a.verdict, REACH_UNKNOWN);
	reach_merge(&a, &b);
	assert_int_equal(a.verdict, REACH_OPEN);
	assert_string_equal(reach_name(a.verdict), "open");
	assert_null(reach_name(REACH_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_constructs),
		cmocka_unit_test(sources_partial),
		cmocka_unit_test(several_base_chains),
		cmocka_unit_test(iptables_rules),
		cmocka_unit_test(docker_published),
		cmocka_unit_test(fan_out),
		cmocka_unit_test(merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
