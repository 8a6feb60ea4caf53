/* Unit tests of the reachability evaluator on ruleset fixtures (tests/data/firewall). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "listen/enrich.h"
#include "listen/firewall.h"
#include "listen/ifaddr.h"
#include "listen/reach.h"
#include "listen/sock.h"
#include "listen/verdict.h"
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
	assert_int_equal(reach_merge(&a, &c), 0);
	assert_int_equal(a.verdict, REACH_UNKNOWN);
	assert_int_equal(reach_merge(&a, &b), 0);
	assert_int_equal(a.verdict, REACH_OPEN);
	assert_string_equal(reach_name(a.verdict), "open");
	assert_null(reach_name(REACH_NONE));
}

/* A prefix of a partial verdict. */
static struct reach_prefix prefix(const char *addr, uint8_t len)
{
	struct reach_prefix p = { .family = strchr(addr, ':') ? AF_INET6 : AF_INET, .len = len };

	assert_int_equal(inet_pton(p.family, addr, p.addr), 1);
	return p;
}

/* A path that is unknown may be open to every source: a partial one must not hide it, in
 * either order; two partial paths let in the sources of both. */
static void merge_partial_unknown(void **state)
{
	struct reach_prefix *p4 = malloc(sizeof(*p4)), *p6 = malloc(2 * sizeof(*p6));
	struct reach_result part = { .verdict = REACH_PARTIAL, .from = p4, .nfrom = 1 };
	struct reach_result unk = { .verdict = REACH_UNKNOWN, .has_rule = true,
				    .rule = { .handle = 4 } };
	struct reach_result other;

	(void)state;
	assert_non_null(p4);
	assert_non_null(p6);
	*p4 = prefix("10.97.0.0", 24);
	assert_true(reach_rank(REACH_UNKNOWN) > reach_rank(REACH_PARTIAL));
	assert_true(reach_rank(REACH_OPEN) > reach_rank(REACH_UNKNOWN));
	assert_true(reach_rank(REACH_PARTIAL) > reach_rank(REACH_FILTERED));
	/* partial, then unknown: unknown */
	assert_int_equal(reach_merge(&part, &unk), 0);
	assert_int_equal(part.verdict, REACH_UNKNOWN);
	assert_int_equal(part.rule.handle, 4);
	assert_int_equal(part.nfrom, 0);
	assert_null(part.from);
	/* unknown, then partial: still unknown */
	unk = part;
	other = (struct reach_result){ .verdict = REACH_PARTIAL, .from = p6, .nfrom = 1 };
	p6[0] = prefix("fd97::", 64);
	assert_int_equal(reach_merge(&unk, &other), 0);
	assert_int_equal(unk.verdict, REACH_UNKNOWN);
	assert_int_equal(unk.rule.handle, 4);
	reach_result_free(&unk);
	/* partial and partial: the union, each prefix once */
	p4 = malloc(sizeof(*p4));
	assert_non_null(p4);
	*p4 = prefix("10.97.0.0", 24);
	part = (struct reach_result){ .verdict = REACH_PARTIAL, .from = p4, .nfrom = 1 };
	other.nfrom = 2;
	p6[1] = prefix("10.97.0.0", 24);
	assert_int_equal(reach_merge(&part, &other), 0);
	assert_int_equal(part.verdict, REACH_PARTIAL);
	assert_int_equal(part.nfrom, 2);
	assert_int_equal(part.from[0].family, AF_INET);
	assert_int_equal(part.from[1].family, AF_INET6);
	assert_int_equal(part.from[1].len, 64);
	reach_result_free(&part);
	reach_result_free(&other);
}

/* The reviewer's rulesets (review.md, 1 and 2) in nft's JSON: policy drop, lo accepted, 7000
 * accepted on eth1 alone, 6379 from 10.97.0.0/24 over IPv4 and through a limit over IPv6. */
static const char weak_host_json[] =
	"{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"filter\"}}, "
	"{\"chain\": {\"family\": \"inet\", \"table\": \"filter\", \"name\": \"input\", "
	"\"hook\": \"input\", \"type\": \"filter\", \"prio\": 0, \"policy\": \"drop\"}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 4, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": "
	"\"iif\"}}, \"right\": \"lo\"}}, {\"accept\": null}]}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 5, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": "
	"\"iifname\"}}, \"right\": \"eth1\"}}, {\"match\": {\"op\": \"==\", \"left\": "
	"{\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 7000}}, "
	"{\"accept\": null}]}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 6, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
	"{\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": {\"prefix\": {\"addr\": "
	"\"10.97.0.0\", \"len\": 24}}}}, {\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
	"{\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 6379}}, {\"accept\": null}]}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 7, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": "
	"\"nfproto\"}}, \"right\": \"ipv6\"}}, {\"match\": {\"op\": \"==\", \"left\": "
	"{\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 6379}}, "
	"{\"limit\": {\"rate\": 100, \"burst\": 5, \"per\": \"second\"}}, {\"accept\": null}]}}]}";

/* A TCP listener on addr:port (dual-stack unless v6only, for IPv6). */
static struct lsock listener(const char *addr, uint16_t port, bool v6only)
{
	struct lsock sk = { .protocol = IPPROTO_TCP, .lport = port, .state = LSOCK_LISTEN };

	sk.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(sk.family, addr, sk.laddr), 1);
	if (sk.family == AF_INET6) {
		sk.flags |= LSOCK_HAS_V6ONLY;
		sk.v6only = v6only;
	}
	return sk;
}

/* The weak host model: a socket on one address is reached through every interface (the one
 * holding the address decides Scope, not Reach), a service address on lo too; only a socket
 * bound to a device is reached through it alone. And a dual-stack socket whose IPv4 path is
 * partial and IPv6 path unknown is unknown. */
static void weak_host(void **state)
{
	struct ifaddr_link links[] = { { .index = 1, .loopback = true, .name = "lo" },
				       { .index = 2, .name = "eth0" },
				       { .index = 3, .name = "eth1" } };
	struct ifaddr_addr addrs[] = { { .index = 1, .family = AF_INET, .prefixlen = 8 },
				       { .index = 1, .family = AF_INET, .prefixlen = 32 },
				       { .index = 2, .family = AF_INET, .prefixlen = 24 },
				       { .index = 3, .family = AF_INET, .prefixlen = 24 } };
	struct ifaddr_table ifs = { .links = links, .nlinks = 3, .addrs = addrs, .naddrs = 4 };
	struct fw_ruleset rs = { 0 };
	struct enrich_ns ns = { .ifs = &ifs, .fw = &rs };
	struct enrich_src src = { .ns = &ns, .nns = 1 };
	struct lsock sk[7];
	struct reach_result *v;

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "127.0.0.1", addrs[0].addr), 1);
	assert_int_equal(inet_pton(AF_INET, "203.0.113.5", addrs[1].addr), 1);
	assert_int_equal(inet_pton(AF_INET, "10.99.0.1", addrs[2].addr), 1);
	assert_int_equal(inet_pton(AF_INET, "10.98.0.1", addrs[3].addr), 1);
	assert_int_equal(fw_parse(&rs, weak_host_json, strlen(weak_host_json), NULL, 0), 0);
	sk[0] = listener("10.99.0.1", 7000, false);   /* on eth0, accepted through eth1 */
	sk[1] = listener("203.0.113.5", 7000, false); /* a VIP on lo, through eth1 too */
	sk[2] = listener("203.0.113.5", 80, false);   /* a VIP on lo: dropped, not unknown */
	sk[3] = listener("10.99.0.1", 7000, false);   /* bound to eth0 (SO_BINDTODEVICE) */
	sk[3].ifindex = 2;
	sk[4] = listener("::", 6379, false);         /* IPv4 partial, IPv6 unknown */
	sk[5] = listener("0.0.0.0", 6379, false);    /* IPv4 alone: partial */
	sk[6] = listener("127.0.0.1", 7000, false);  /* loopback: not evaluated */
	assert_int_equal(verdict_all(&src, sk, 7, &v), 0);
	assert_int_equal(v[0].verdict, REACH_OPEN);
	assert_int_equal(v[0].rule.handle, 5);
	assert_int_equal(v[1].verdict, REACH_OPEN);
	assert_int_equal(v[2].verdict, REACH_FILTERED);
	assert_true(v[2].has_rule);
	assert_int_equal(v[2].rule.handle, 0); /* the policy */
	assert_int_equal(v[3].verdict, REACH_FILTERED);
	assert_int_equal(v[4].verdict, REACH_UNKNOWN);
	assert_int_equal(v[4].rule.handle, 7);
	assert_int_equal(v[5].verdict, REACH_PARTIAL);
	assert_int_equal(v[5].nfrom, 1);
	assert_int_equal(v[6].verdict, REACH_NONE);
	verdict_free(v, 7);
	fw_ruleset_free(&rs);
}

/* An SCTP ruleset in nft's JSON: policy drop; sctp dport 3868 accept; meta l4proto sctp th
 * dport 2905 accept; tcp dport 9899 accept; sctp sport 5000 accept. */
static const char sctp_json[] =
	"{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"filter\"}}, "
	"{\"chain\": {\"family\": \"inet\", \"table\": \"filter\", \"name\": \"input\", "
	"\"hook\": \"input\", \"type\": \"filter\", \"prio\": 0, \"policy\": \"drop\"}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 4, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
	"{\"protocol\": \"sctp\", \"field\": \"dport\"}}, \"right\": 3868}}, "
	"{\"accept\": null}]}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 5, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": "
	"\"l4proto\"}}, \"right\": \"sctp\"}}, {\"match\": {\"op\": \"==\", \"left\": "
	"{\"payload\": {\"protocol\": \"th\", \"field\": \"dport\"}}, \"right\": 2905}}, "
	"{\"accept\": null}]}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 6, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
	"{\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 9899}}, {\"accept\": null}]}}, "
	"{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"input\", "
	"\"handle\": 7, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
	"{\"protocol\": \"sctp\", \"field\": \"sport\"}}, \"right\": 5000}}, "
	"{\"accept\": null}]}}]}";

/* SCTP's verdicts: sctp dport and meta l4proto sctp match SCTP alone, tcp dport never does,
 * another SCTP field cannot be told (unknown, the rule named); the listener's verdict. */
static void sctp_rules(void **state)
{
	struct fw_ruleset rs = { 0 };
	struct reach_result res;
	const int S = IPPROTO_SCTP, T = IPPROTO_TCP;
	struct ifaddr_link links[] = { { .index = 2, .name = "eth0" } };
	struct ifaddr_addr addrs[] = { { .index = 2, .family = AF_INET, .prefixlen = 24 } };
	struct ifaddr_table ifs = { .links = links, .nlinks = 1, .addrs = addrs, .naddrs = 1 };
	struct enrich_ns ns = { .ifs = &ifs, .fw = &rs };
	struct enrich_src src = { .ns = &ns, .nns = 1 };
	struct lsock sk[2];
	struct reach_result *v;

	(void)state;
	assert_int_equal(fw_parse(&rs, sctp_json, strlen(sctp_json), NULL, 0), 0);
	assert_int_equal(eval(&rs, S, "10.1.1.1", 3868, "eth0", &res), REACH_OPEN);
	assert_int_equal(res.rule.handle, 4);
	reach_result_free(&res);
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 3868, "eth0"), REACH_FILTERED);
	assert_int_equal(eval(&rs, S, "10.1.1.1", 2905, "eth0", &res), REACH_OPEN);
	assert_int_equal(res.rule.handle, 5);
	reach_result_free(&res);
	assert_int_equal(verdict(&rs, IPPROTO_UDP, "10.1.1.1", 2905, "eth0"), REACH_FILTERED);
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 9899, "eth0"), REACH_OPEN);
	assert_int_equal(eval(&rs, S, "10.1.1.1", 9899, "eth0", &res), REACH_UNKNOWN);
	assert_int_equal(res.rule.handle, 7); /* sctp sport: not known of a new association */
	reach_result_free(&res);
	assert_int_equal(verdict(&rs, T, "10.1.1.1", 7000, "eth0"), REACH_FILTERED);

	/* An SCTP listener gets a verdict as a TCP one does. */
	assert_int_equal(inet_pton(AF_INET, "10.99.0.1", addrs[0].addr), 1);
	sk[0] = listener("0.0.0.0", 3868, false);
	sk[1] = listener("10.99.0.1", 9899, false);
	sk[0].protocol = sk[1].protocol = IPPROTO_SCTP;
	assert_int_equal(verdict_all(&src, sk, 2, &v), 0);
	assert_int_equal(v[0].verdict, REACH_OPEN);
	assert_int_equal(v[1].verdict, REACH_UNKNOWN);
	verdict_free(v, 2);
	fw_ruleset_free(&rs);
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
		cmocka_unit_test(merge_partial_unknown),
		cmocka_unit_test(weak_host),
		cmocka_unit_test(sctp_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
