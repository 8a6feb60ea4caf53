/* Unit tests of the ruleset reader: nftables' JSON (and text listing) into records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "listen/firewall.h"
#include "listen/firewall_text.h"
#include "fw_fixture.h"

/* The rule of chain (table, name) with this handle. */
static const struct fw_rule *rule(const struct fw_ruleset *rs, const char *table,
				  const char *chain, uint64_t handle)
{
	for (size_t c = 0; c < rs->nchains; c++) {
		const struct fw_chain *ch = &rs->chains[c];

		if (strcmp(ch->table, table) || strcmp(ch->name, chain))
			continue;
		for (size_t i = 0; i < ch->nrules; i++)
			if (rs->rules[ch->first + i].handle == handle)
				return &rs->rules[ch->first + i];
	}
	fail_msg("no rule %s %s #%llu", table, chain, (unsigned long long)handle);
	return NULL;
}

static void native_chains_and_sets(void **state)
{
	struct fw_ruleset rs;
	const struct fw_set *s;

	(void)state;
	fw_fixture(&rs, "native", false);
	assert_int_equal(rs.nchains, 5);
	assert_string_equal(rs.chains[0].name, "input");
	assert_int_equal(rs.chains[0].hook, FW_HOOK_INPUT);
	assert_int_equal(rs.chains[0].policy, FW_V_DROP);
	assert_int_equal(rs.chains[0].family, FW_FAM_INET);
	assert_int_equal(rs.chains[1].hook, FW_HOOK_NONE);
	assert_int_equal(rs.chains[2].hook, FW_HOOK_PREROUTING);
	assert_true(rs.chains[2].nat);
	assert_int_equal(rs.chains[2].prio, -100);
	assert_int_equal(rs.chains[3].prio, -10);
	assert_int_equal(rs.chains[0].nrules, 11);
	s = fw_set_find(&rs, &rs.chains[0], "allowed4");
	assert_non_null(s);
	assert_int_equal(s->nelems, 2);
	assert_int_equal(s->elems[0].kind, FW_ELEM_ADDR);
	assert_memory_equal(s->elems[0].alo, "\x0a\x00\x00\x00", 4);
	assert_memory_equal(s->elems[0].ahi, "\x0a\xff\xff\xff", 4);
	s = fw_set_find(&rs, &rs.chains[0], "portv");
	assert_non_null(s);
	assert_true(s->map);
	assert_int_equal(s->elems[0].lo, 22);
	assert_int_equal(s->elems[0].verdict, FW_V_ACCEPT);
	assert_int_equal(s->elems[1].verdict, FW_V_DROP);
	assert_false(rs.xt);
	fw_ruleset_free(&rs);
}

static void native_rules(void **state)
{
	struct fw_ruleset rs;
	const struct fw_rule *r;

	(void)state;
	fw_fixture(&rs, "native", false);
	r = rule(&rs, "filter", "input", 8);
	assert_string_equal(r->comment, "svc");
	assert_int_equal(r->nexprs, 3);
	assert_int_equal(r->exprs[0].key, FW_KEY_IIFNAME);
	assert_string_equal(r->exprs[0].elems[0].str, "veth*");
	assert_int_equal(r->exprs[1].stmt, FW_ST_NOP);
	assert_int_equal(r->exprs[2].verdict, FW_V_JUMP);
	assert_string_equal(r->exprs[2].target, "svc");
	r = rule(&rs, "filter", "input", 14);
	assert_int_equal(r->exprs[0].key, FW_KEY_FIB_DADDR_TYPE);
	assert_int_equal(r->exprs[1].nelems, 3);
	assert_int_equal(r->exprs[1].elems[2].lo, 8000);
	assert_int_equal(r->exprs[1].elems[2].hi, 8100);
	r = rule(&rs, "filter", "input", 11);
	assert_int_equal(r->exprs[0].stmt, FW_ST_VMAP);
	assert_string_equal(r->exprs[0].set, "portv");
	r = rule(&rs, "filter", "input", 5);
	assert_int_equal(r->exprs[0].key, FW_KEY_CT_STATE);
	assert_int_equal(r->exprs[0].nelems, 2);
	r = rule(&rs, "nat", "pre", 2);
	assert_int_equal(r->exprs[1].stmt, FW_ST_DNAT);
	assert_int_equal(r->exprs[1].port, 80);
	assert_int_equal(r->exprs[1].nat_family, AF_INET);
	r = rule(&rs, "early", "in6", 4);
	assert_int_equal(r->exprs[1].stmt, FW_ST_UNKNOWN);
	assert_string_equal(r->exprs[1].name, "limit");
	fw_ruleset_free(&rs);
}

static void iptables_extensions_from_text(void **state)
{
	struct fw_ruleset rs;
	const struct fw_rule *r;

	(void)state;
	fw_fixture(&rs, "iptables", false);
	assert_true(rs.xt);
	r = rule(&rs, "filter", "INPUT", 2);
	assert_int_equal(r->exprs[0].stmt, FW_ST_UNKNOWN);
	assert_string_equal(r->exprs[0].name, "xt match conntrack");
	fw_ruleset_free(&rs);

	fw_fixture(&rs, "iptables", true);
	r = rule(&rs, "filter", "INPUT", 2);
	assert_int_equal(r->exprs[0].key, FW_KEY_CT_STATE);
	assert_int_equal(r->exprs[0].nelems, 2);
	assert_string_equal(r->exprs[0].elems[1].str, "established");
	r = rule(&rs, "filter", "INPUT", 4);
	assert_int_equal(r->exprs[1].key, FW_KEY_TCP_DPORT);
	assert_int_equal(r->exprs[1].nelems, 3);
	r = rule(&rs, "filter", "INPUT", 8); /* the comment is xlate'd to nothing: kept unset */
	assert_int_equal(r->exprs[1].key, FW_KEY_CT_STATE);
	r = rule(&rs, "filter", "INPUT", 10); /* recent: not translated, stays unknown */
	assert_int_equal(r->exprs[1].stmt, FW_ST_UNKNOWN);
	r = rule(&rs, "filter", "INPUT", 7); /* a plain REJECT target: a verdict */
	assert_int_equal(r->exprs[2].verdict, FW_V_REJECT);
	fw_ruleset_free(&rs);
}

static void text_rule_forms(void **state)
{
	struct fw_rule r = { 0 };
	const char *l = "iifname != \"docker0\" tcp dport 8080 counter packets 3 bytes 9 "
			"dnat to 172.17.0.2:80 comment \"pub\"";

	(void)state;
	assert_int_equal(fw_text_rule(&r, l, strlen(l)), 0);
	assert_int_equal(r.nexprs, 5);
	assert_int_equal(r.exprs[0].cmp, FW_CMP_NE);
	assert_int_equal(r.exprs[3].stmt, FW_ST_DNAT);
	assert_int_equal(r.exprs[3].port, 80);
	assert_string_equal(r.comment, "pub");
	fw_rule_clear(&r);
	free(r.comment);
	r = (struct fw_rule){ 0 };
	l = "ip6 saddr { fd00::/8, 2001:db8::1 } udp dport 1000-2000 reject with icmpv6 type "
	    "admin-prohibited";
	assert_int_equal(fw_text_rule(&r, l, strlen(l)), 0);
	assert_int_equal(r.exprs[0].nelems, 2);
	assert_int_equal(r.exprs[1].elems[0].hi, 2000);
	assert_int_equal(r.exprs[2].verdict, FW_V_REJECT);
	fw_rule_clear(&r);
	/* A NUL byte is a blank, not the end of a word that never ends. */
	assert_int_equal(fw_text_rule(&r, "tcp dport 22\0accept", 20), 0);
	assert_int_equal(r.nexprs, 2);
	assert_int_equal(r.exprs[1].verdict, FW_V_ACCEPT);
	fw_rule_clear(&r);
	l = "xt match \"foo\" accept";
	assert_int_equal(fw_text_rule(&r, l, strlen(l)), -EINVAL);
	assert_int_equal(r.nexprs, 0);
}

static void bad_json(void **state)
{
	struct fw_ruleset rs = { 0 };
	static const char *const bad[] = {
		"", "[]", "{\"nftables\": 3}", "{\"nftables\": [{\"rule\": {\"family\": \"ip\"}}]}",
		"{\"nftables\": [{\"chain\": {\"family\": \"ip\"}}]}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fw_parse(&rs, bad[i], strlen(bad[i]), NULL, 0), -EBADMSG);
		fw_ruleset_free(&rs);
	}
}

/* SCTP's fields: dport is a key of its own, another field unknown for SCTP alone; other
 * transports' fields never match TCP, UDP or SCTP. In nft's text too. */
static void sctp_keys(void **state)
{
	struct fw_rule r = { 0 };
	const char *line = "meta l4proto sctp sctp dport { 3868, 2905 } accept";

	(void)state;
	assert_int_equal(fw_payload_key("sctp", "dport"), FW_KEY_SCTP_DPORT);
	assert_int_equal(fw_payload_key("sctp", "sport"), FW_KEY_SCTP_OTHER);
	assert_int_equal(fw_payload_key("sctp", "vtag"), FW_KEY_SCTP_OTHER);
	assert_int_equal(fw_payload_key("dccp", "dport"), FW_KEY_FOREIGN_L4);
	assert_int_equal(fw_payload_key("tcp", "dport"), FW_KEY_TCP_DPORT);
	/* ip protocol and ip6 nexthdr hold for their family's packets only */
	assert_int_equal(fw_payload_key("ip", "protocol"), FW_KEY_L4PROTO4);
	assert_int_equal(fw_payload_key("ip6", "nexthdr"), FW_KEY_L4PROTO6);
	assert_int_equal(fw_text_rule(&r, line, strlen(line)), 0);
	assert_int_equal(r.nexprs, 3);
	assert_int_equal(r.exprs[0].key, FW_KEY_L4PROTO);
	assert_int_equal(r.exprs[1].key, FW_KEY_SCTP_DPORT);
	assert_int_equal(r.exprs[1].nelems, 2);
	assert_int_equal(r.exprs[2].verdict, FW_V_ACCEPT);
	fw_rule_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_chains_and_sets),
		cmocka_unit_test(native_rules),
		cmocka_unit_test(sctp_keys),
		cmocka_unit_test(iptables_extensions_from_text),
		cmocka_unit_test(text_rule_forms),
		cmocka_unit_test(bad_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
