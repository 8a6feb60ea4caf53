/*
 * Reading a namespace's nftables ruleset straight from the kernel: nfnetlink dumps of its
 * chains, sets, set elements and rules, their attributes parsed with libmnl, and the
 * register-based expressions of each rule decoded into the same records (firewall.h) that the
 * JSON reader makes of `nft -j list ruleset`, so the evaluator and every view see one thing
 * whichever reader ran. It costs a few milliseconds where libnftables' listings cost tens.
 * Not libnftnl: its message parsers end the process on an attribute of an unexpected size and
 * its user data walker reads past a short record (both found by fuzzing these bytes).
 *
 * Completeness: the decoder knows the shapes nft and iptables-nft write for what the evaluator
 * looks at (firewall.h's keys, sets, maps, verdicts, nat, and the iptables extensions the text
 * listing translates: conntrack, state, multiport, addrtype, icmp, comment, REJECT, LOG, DNAT,
 * REDIRECT, MASQUERADE, SNAT). For each rule it makes exactly the records the JSON reader would
 * (nft's dependency elimination, names, element order included). A rule holding any other
 * expression, in any chain of an ip, ip6 or inet table, makes the whole namespace's read fail
 * with -EOPNOTSUPP, and fw_read then reads it through libnftables instead: never a worse answer
 * than the JSON reader's. Tables of other families (bridge, arp, netdev) are skipped: the
 * evaluator never looks at them; their chains, sets and rules are not in the records.
 */
#ifndef LISTEN_FIREWALL_NL_H
#define LISTEN_FIREWALL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fw_ruleset;
struct fw_rule;

/*
 * Dump the ruleset of the network namespace the calling thread is in: the replies (every
 * netlink message, NLMSG_DONE included) of the chain, set, set element (one dump per set of an
 * ip, ip6 or inet table) and rule dumps, in that order, into *buf (malloc'd, *len bytes), with
 * CAP_NET_ADMIN raised on this thread only around the dumps. Returns 0; -EPERM without
 * CAP_NET_ADMIN; -ENOSYS when the kernel has no nftables; -ENOMEM; -EIO.
 */
int fw_nl_dump(char **buf, size_t *len);

/*
 * Decode dump replies (buf, len bytes: what fw_nl_dump collected, live or captured) into rs.
 * Returns 0; -EOPNOTSUPP when some rule holds an expression this decoder does not know (read
 * the namespace through libnftables then); -EBADMSG when the bytes are not dump replies (or a
 * dump ended in an error); -ENOMEM. Release rs either way.
 */
int fw_nl_parse(struct fw_ruleset *rs, const void *buf, size_t len);

/*
 * The same, fed the replies as they come (fw_nl_read does): new, then feed whole messages in
 * their order, then end with the first error feeding returned (or 0), which finishes rs when
 * there was none and releases p either way. Same returns as fw_nl_parse.
 */
struct fw_nl_parser;
int fw_nl_parser_new(struct fw_nl_parser **p, struct fw_ruleset *rs);
int fw_nl_parser_feed(struct fw_nl_parser *p, const void *buf, size_t len);
int fw_nl_parser_end(struct fw_nl_parser *p, int r);

/* Shared by the decoder's files (firewall_nl.c, firewall_expr.c, firewall_xt.c). */

/* A set as the rule decoder sees it: its records, and how to read its keys. */
struct fw_nl_set {
	char *table, *name;
	uint8_t family;          /* enum fw_family */
	uint32_t flags;          /* NFT_SET_* */
	uint32_t key_type;       /* nft's datatype of the key */
	uint32_t key_len;
	uint32_t data_type;      /* of a map's data (NFT_DATA_VERDICT for verdict maps) */
	struct fw_elem *elems;   /* decoded, in nft's order */
	size_t nelems;
};

/* What a register holds, as nft's datatypes: how a value compared with it is shown. */
enum fw_nl_type {
	FW_T_NONE,
	FW_T_PORT,     /* inet_service: a big-endian number */
	FW_T_INT_BE,   /* another big-endian integer (tcp sport...) */
	FW_T_ADDR4,
	FW_T_ADDR6,
	FW_T_PROTO,    /* inet_proto: a name from /etc/protocols, else a number */
	FW_T_NFPROTO,  /* ipv4, ipv6 */
	FW_T_IFINDEX,  /* an interface's name, else its index */
	FW_T_IFNAME,   /* a name; without its NUL a wildcard "name*" */
	FW_T_CT_STATE, /* bitmasks of names */
	FW_T_CT_STATUS,
	FW_T_FIB_ADDR, /* local, broadcast... */
	FW_T_ICMP,     /* icmp type names */
	FW_T_ICMP6,    /* icmpv6 type names */
};

/* nft's datatype number (a set's key type) as one of these, FW_T_NONE if not one shown. */
enum fw_nl_type fw_nl_type_of(uint32_t datatype);

/*
 * A value of type t (len bytes, as the kernel holds it) as the element the JSON reader makes
 * of nft's listing of it; bitmask types (ct state and status) are one element per bit, so
 * *e is grown by one element or more. Returns 0, -EOPNOTSUPP (a value nft shows in a form the
 * decoder does not make), or -ENOMEM.
 */
int fw_nl_value(struct fw_elem **e, size_t *n, enum fw_nl_type t, const unsigned char *v,
		size_t len);

/* The sort key nft orders elements of type t by (their value as a number), for len bytes. */
void fw_nl_sortkey(enum fw_nl_type t, const unsigned char *v, size_t len, unsigned char key[16]);

/* A NEWRULE message's attributes (pointing into the message). */
struct nlattr;
struct fw_nl_rulemsg {
	int family;                  /* NFPROTO_* of its table */
	const char *table, *chain;
	uint64_t handle;
	const struct nlattr *exprs;  /* NFTA_RULE_EXPRESSIONS, or NULL */
	const void *udata;           /* NFTA_RULE_USERDATA, or NULL */
	uint32_t ulen;
};

/*
 * Decode one rule into r's statements and comment (r->handle and r->chain are the caller's);
 * sets are that namespace's sets. Sets *xt when the rule holds an iptables extension the JSON
 * reader would leave unknown (fw_ruleset.xt). Returns 0, -EOPNOTSUPP, -EBADMSG or -ENOMEM
 * (r's statements are the caller's to release either way).
 */
int fw_nl_rule(struct fw_rule *r, const struct fw_nl_rulemsg *m, const struct fw_nl_set *sets,
	       size_t nsets, bool *xt);

#endif
