/*
 * iptables-nft's extensions (xt matches and targets, NFTA_MATCH/NFTA_TARGET: a name, a
 * revision and the extension's binary struct) as the two ruleset readers see them: the JSON
 * reader's record (the JSON names an extension without its arguments) and the records of
 * its translation in nft's text listing (by libxtables), which the JSON reader takes instead
 * for rules with an extension it would leave unknown. Used by the netlink decoder
 * (firewall_nl.h).
 */
#ifndef LISTEN_FIREWALL_XT_H
#define LISTEN_FIREWALL_XT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fw_expr;

struct fw_xt {
	int family;             /* in: the table's NFPROTO_* */
	uint8_t l4;             /* in: the transport protocol the rule matched before, or 0 */
	struct fw_expr *text;   /* out: the records of its text translation */
	size_t ntext;
	bool text_bad;          /* out: the translation is one the text reader cannot parse */
	bool text_unsure;       /* out: a translation this decoder does not reproduce */
};

/*
 * Decode extension name (revision rev, info: len bytes of its struct) into json (the JSON
 * reader's record, zeroed by the caller) and x's text records. Returns 0, -EOPNOTSUPP (an
 * extension the JSON reader names with arguments this decoder cannot check: none today) or
 * -ENOMEM; release x with fw_xt_free on failure.
 */
int fw_xt_decode(struct fw_xt *x, struct fw_expr *json, bool target, const char *name,
		 uint32_t rev, const void *info, size_t len);

/* Release x's text records. */
void fw_xt_free(struct fw_xt *x);

#endif
