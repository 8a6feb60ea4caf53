/*
 * A canonical text of a ruleset's records (struct fw_ruleset), to show that the two readers
 * (libnftables' JSON, the kernel's dumps) make the same records: every field of every chain,
 * rule, statement, element and set, one line each. Objects of tables the netlink reader skips
 * (bridge, arp, netdev: FW_FAM_OTHER) are left out. Used by tests/live/fwdump.c and
 * tests/unit/test_firewall_nl.c.
 */
#ifndef TEST_FW_CANON_H
#define TEST_FW_CANON_H

#include <stdio.h>

struct fw_ruleset;

/* Write rs's canonical text to f. */
void fw_canon(FILE *f, const struct fw_ruleset *rs);

/* rs's canonical text, malloc'd (NULL when memory runs out). */
char *fw_canon_str(const struct fw_ruleset *rs);

/* The first line where texts a and b differ, into out (size bytes): "a: ...\nb: ...". */
void fw_canon_diff(const char *a, const char *b, char *out, size_t size);

#endif
