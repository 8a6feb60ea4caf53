/* Unit tests of the netlink ruleset reader: captured nfnetlink dump replies (NAME.nl in
 * tests/data/firewall, by capture.sh) decode into the records the JSON reader makes of the
 * same ruleset's listings (NAME.json, NAME.txt). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "../fw_canon.h"
#include "fw_fixture.h"
#include "listen/firewall.h"
#include "listen/firewall_nl.h"

/* The captured replies of fixture name. */
static char *capture(const char *name, size_t *len)
{
	char path[512], *buf;

	snprintf(path, sizeof(path), "%s/firewall/%s.nl", LISTEN_DATA_DIR, name);
	assert_int_equal(fileio_read_all(AT_FDCWD, path, SIZE_MAX, &buf, len), 0);
	return buf;
}

/* Both readers, one fixture: the same canonical records. */
static void same_records(const char *name)
{
	struct fw_ruleset a, b = { 0 };
	size_t len;
	char *buf = capture(name, &len), *ta, *tb, diff[1024];

	fw_fixture(&a, name, true);
	assert_int_equal(fw_nl_parse(&b, buf, len), 0);
	ta = fw_canon_str(&a);
	tb = fw_canon_str(&b);
	assert_non_null(ta);
	assert_non_null(tb);
	fw_canon_diff(ta, tb, diff, sizeof(diff));
	if (strcmp(ta, tb) != 0)
		fail_msg("%s: %s", name, diff);
	assert_true(b.nrules > 0);
	free(ta);
	free(tb);
	free(buf);
	fw_ruleset_free(&a);
	fw_ruleset_free(&b);
}

static void native_as_json(void **state)
{
	(void)state;
	same_records("native"); /* sets, maps, vmaps, intervals, prefixes, nat, ip6, goto */
}

static void iptables_as_json(void **state)
{
	(void)state;
	same_records("iptables"); /* xt extensions: text forms, and one left unknown */
}

static void docker_as_json(void **state)
{
	(void)state;
	same_records("docker"); /* DNAT, MASQUERADE, addrtype, oifname, two tables */
}

/* A rule the decoder does not know: the whole namespace goes to libnftables. */
static void unknown_rule_falls_back(void **state)
{
	struct fw_ruleset rs = { 0 };
	size_t len;
	char *buf = capture("fallback", &len);

	(void)state;
	assert_int_equal(fw_nl_parse(&rs, buf, len), -EOPNOTSUPP);
	fw_ruleset_free(&rs);
	free(buf);
}

/* Replies cut anywhere: a clean error or the records of the messages before the cut. */
static void truncated(void **state)
{
	size_t len;
	char *buf = capture("native", &len);

	(void)state;
	for (size_t cut = 0; cut < len; cut += 7) {
		struct fw_ruleset rs = { 0 };
		int r = fw_nl_parse(&rs, buf, cut);

		if (r != 0 && r != -EBADMSG && r != -EOPNOTSUPP)
			fail_msg("cut at %zu: %d", cut, r);
		fw_ruleset_free(&rs);
	}
	free(buf);
}

/* A dump that ended in an error, and a message of another subsystem, are not rulesets. */
static void not_a_ruleset(void **state)
{
	char buf[256] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;
	struct fw_ruleset rs = { 0 };

	(void)state;
	nlh->nlmsg_type = NLMSG_ERROR;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -EPERM;
	assert_int_equal(fw_nl_parse(&rs, buf, nlh->nlmsg_len), -EBADMSG);
	fw_ruleset_free(&rs);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8;
	mnl_nlmsg_put_extra_header(nlh, 4);
	assert_int_equal(fw_nl_parse(&rs, buf, nlh->nlmsg_len), -EBADMSG);
	fw_ruleset_free(&rs);
	/* nothing at all is an empty ruleset */
	assert_int_equal(fw_nl_parse(&rs, buf, 0), 0);
	assert_int_equal(rs.nchains, 0);
	fw_ruleset_free(&rs);
}

/* One value as an element; its string. */
static const char *value(enum fw_nl_type t, const void *v, size_t len, struct fw_elem **e,
			 size_t *n)
{
	*e = NULL;
	*n = 0;
	assert_int_equal(fw_nl_value(e, n, t, v, len), 0);
	return (*e)[0].kind == FW_ELEM_STR ? (*e)[0].str : NULL;
}

static void free_elems(struct fw_elem *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].str);
	free(e);
}

/* Values as nft shows them: wildcard names, flags, address types, protocols. */
static void values(void **state)
{
	struct fw_elem *e;
	size_t n;
	uint32_t x = 6;
	unsigned char tcp = 6, port[2] = { 0x1f, 0x90 };
	struct protoent *pe = getprotobynumber(6);

	(void)state;
	assert_string_equal(value(FW_T_IFNAME, "veth", 4, &e, &n), "veth*");
	free_elems(e, n);
	assert_string_equal(value(FW_T_IFNAME, "lo\0\0", 4, &e, &n), "lo");
	free_elems(e, n);
	value(FW_T_CT_STATE, &x, 4, &e, &n);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].str, "established");
	assert_string_equal(e[1].str, "related");
	free_elems(e, n);
	x = 2;
	assert_string_equal(value(FW_T_FIB_ADDR, &x, 4, &e, &n), "local");
	free_elems(e, n);
	value(FW_T_PORT, port, 2, &e, &n);
	assert_int_equal(e[0].kind, FW_ELEM_NUM);
	assert_int_equal(e[0].lo, 8080);
	free_elems(e, n);
	/* a protocol by its name in /etc/protocols, as nft prints it, else its number */
	if (pe)
		assert_string_equal(value(FW_T_PROTO, &tcp, 1, &e, &n), pe->p_name);
	else
		assert_null(value(FW_T_PROTO, &tcp, 1, &e, &n));
	free_elems(e, n);
	/* a bit of ct state without a name, and a name too long for an interface */
	x = 1u << 20;
	e = NULL, n = 0;
	assert_int_equal(fw_nl_value(&e, &n, FW_T_CT_STATE, (void *)&x, 4), -EOPNOTSUPP);
	free_elems(e, n);
	e = NULL, n = 0;
	assert_int_equal(fw_nl_value(&e, &n, FW_T_IFNAME, (const void *)"0123456789abcdef", 16),
			 -EOPNOTSUPP);
	free_elems(e, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_as_json),
		cmocka_unit_test(iptables_as_json),
		cmocka_unit_test(docker_as_json),
		cmocka_unit_test(unknown_rule_falls_back),
		cmocka_unit_test(truncated),
		cmocka_unit_test(not_a_ruleset),
		cmocka_unit_test(values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
