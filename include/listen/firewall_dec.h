/*
 * The rule decoder's own state, shared by its two files: firewall_expr.c (loads into
 * registers and the matches that read them) and firewall_stmt.c (everything else a rule
 * holds, and the rule). Not an API: see firewall_nl.h.
 */
#ifndef LISTEN_FIREWALL_DEC_H
#define LISTEN_FIREWALL_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "listen/firewall.h"
#include "listen/firewall_nl.h"

struct nlattr;

#define FW_NREGS 24 /* NFT_REG_VERDICT .. NFT_REG32_15 */
#define FW_XMAX 16  /* above every NFTA_<expression>_* attribute this decoder reads */

/* One expression of a rule: its name and its attributes by type (NULL when absent). */
struct fw_dec_expr {
	const char *name;
	const struct nlattr *tb[FW_XMAX];
};

/* Where a register's value came from. */
enum fw_src { FW_SRC_NONE, FW_SRC_META, FW_SRC_PAYLOAD, FW_SRC_CT, FW_SRC_FIB, FW_SRC_IMM };

struct fw_dec_reg {
	uint8_t src;               /* enum fw_src */
	uint32_t key;              /* meta or ct key; fib result */
	uint32_t base, off, len;   /* payload; len of any load */
	uint32_t flags;            /* fib flags */
	bool dir;                  /* ct with a direction */
	bool masked;
	unsigned char mask[16];
	unsigned char data[16];    /* immediate */
	uint32_t dlen;
};

/* One statement of nft's listing: the JSON reader's record of it, and the text reader's. */
struct fw_dec_stmt {
	struct fw_expr json;
	struct fw_expr *text;      /* for xt: the records of its translation */
	size_t ntext;
	bool same;                 /* the text reader makes json (anything but xt) */
	bool gone;                 /* dropped by nft as a dependency */
};

struct fw_dec {
	int family;
	const char *table;
	const struct fw_nl_set *sets;
	size_t nsets;
	struct fw_dec_reg regs[FW_NREGS];
	struct fw_dec_stmt *st;
	size_t nst, cst;
	uint8_t l3;                /* NFPROTO_IPV4/IPV6 known to the protocol context, or 0 */
	uint8_t l4;                /* the transport protocol it knows, or 0 */
	long dep_ll, dep_nh;       /* statements a network / transport header match makes
				    * redundant (meta nfproto, meta l4proto), or -1 */
	uint8_t dep_ll_val, dep_nh_val;
	bool xt_unknown;           /* an xt the JSON reader leaves unknown: text form applies */
	bool text_bad;             /* the text listing of this rule does not parse */
	bool text_unsure;          /* its text form is not one this decoder reproduces */
	long ge;                   /* the statement of a `>=` compare just made, or -1 */
	uint32_t ge_reg;           /* of this register */
};

/* An expression's attributes: whether a is there; a 32-bit one (network order on the wire,
 * 0 when absent or short); a string ended by its NUL (else NULL); its bytes; the attribute of
 * type t nested in a; the value of a data attribute (its nested NFTA_DATA_VALUE). */
bool fw_dec_has(const struct fw_dec_expr *e, unsigned a);
uint32_t fw_dec_u32(const struct fw_dec_expr *e, unsigned a);
const char *fw_dec_str(const struct fw_dec_expr *e, unsigned a);
const void *fw_dec_raw(const struct fw_dec_expr *e, unsigned a, uint32_t *len);
const struct nlattr *fw_dec_nested(const struct nlattr *a, uint16_t t);
const unsigned char *fw_dec_data(const struct fw_dec_expr *e, unsigned a, uint32_t *len);

/* A new statement (zeroed, its text form the JSON one), or NULL. */
struct fw_dec_stmt *fw_dec_stmt(struct fw_dec *d);

/* Any statement but a match ends what nft tracks as dependencies (not what it knows). */
void fw_dec_untrack(struct fw_dec *d);

/* The expressions that load registers (meta, payload, ct, fib; bitwise) and the ones that
 * read them into matches (cmp, lookup, range). Each returns 0, -EOPNOTSUPP (a shape nft
 * would list in a form the decoder does not make) or -ENOMEM. */
int fw_dec_load(struct fw_dec *d, const struct fw_dec_expr *e, const char *name);
int fw_dec_bitwise(struct fw_dec *d, const struct fw_dec_expr *e);
int fw_dec_cmp(struct fw_dec *d, const struct fw_dec_expr *e);
int fw_dec_lookup(struct fw_dec *d, const struct fw_dec_expr *e);
int fw_dec_range(struct fw_dec *d, const struct fw_dec_expr *e);

#endif
