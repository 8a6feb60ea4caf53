/*
 * The text listing of a ruleset (`nft -a list ruleset`), read only for the rules whose JSON
 * holds iptables extensions: nftables prints those translated into its own syntax there (by
 * libxtables), while the JSON names the extension without its arguments.
 */
#ifndef LISTEN_FIREWALL_TEXT_H
#define LISTEN_FIREWALL_TEXT_H

#include <stddef.h>

struct fw_rule;
struct fw_ruleset;

/*
 * Parse the statements of one rule line (without the "# handle N" tail) into r's statements,
 * and its comment. Returns 0, -EINVAL when the line holds something this reader does not know
 * (r is then unchanged), or -ENOMEM.
 */
int fw_text_rule(struct fw_rule *r, const char *line, size_t len);

/*
 * For every rule of rs (not yet grouped by chain) that holds an unknown xt statement, take the
 * statements from its line in text (tlen bytes), found by family, table, chain and handle,
 * when that line parses. Returns 0 or -ENOMEM.
 */
int fw_text_apply(struct fw_ruleset *rs, const char *text, size_t tlen);

#endif
