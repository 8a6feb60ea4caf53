/*
 * Firewall rulesets: one network namespace's nftables ruleset (which also holds what
 * iptables-nft, ufw, firewalld and Docker write), read from the kernel (firewall_nl.h) or
 * through libnftables as JSON (libnftables-json(5)), and turned into plain records that the
 * reachability evaluator (reach.h) walks. Both readers make the same records of a ruleset.
 * Nothing here decides a verdict.
 *
 * Completeness: the kernel's reader never gives a worse answer than libnftables'. A rule of
 * an ip, ip6 or inet table holding an expression its decoder does not reproduce exactly (as
 * the JSON reader would record it) makes it give up the whole namespace (-EOPNOTSUPP), which
 * fw_read then reads through libnftables: slower, never different. Chains, sets and rules of
 * other families (bridge, arp, netdev), which the evaluator never looks at, are recorded by
 * the JSON reader only.
 */
#ifndef LISTEN_FIREWALL_H
#define LISTEN_FIREWALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A table's family. */
enum fw_family { FW_FAM_IP, FW_FAM_IP6, FW_FAM_INET, FW_FAM_OTHER };

/* A base chain's hook. */
enum fw_hook {
	FW_HOOK_NONE, /* a regular chain: reached by jump or goto */
	FW_HOOK_PREROUTING,
	FW_HOOK_INPUT,
	FW_HOOK_FORWARD,
	FW_HOOK_OTHER,
};

/* What a match looks at. */
enum fw_key {
	FW_KEY_OTHER,      /* anything the evaluator does not know */
	FW_KEY_CT_STATE,
	FW_KEY_CT_STATUS,
	FW_KEY_IIF,
	FW_KEY_IIFNAME,
	FW_KEY_OIF,
	FW_KEY_OIFNAME,
	FW_KEY_L4PROTO,    /* meta l4proto: either family's */
	FW_KEY_NFPROTO,    /* meta nfproto, meta protocol */
	FW_KEY_SADDR4,
	FW_KEY_DADDR4,
	FW_KEY_SADDR6,
	FW_KEY_DADDR6,
	FW_KEY_TH_DPORT,
	FW_KEY_TCP_DPORT,
	FW_KEY_UDP_DPORT,
	FW_KEY_FIB_DADDR_TYPE,
	FW_KEY_FOREIGN_L4, /* a header field of another transport (icmp type, dccp dport...):
			    * never matches a TCP, UDP or SCTP packet */
	FW_KEY_TCP_OTHER,  /* another TCP field (sport, flags): unknown for TCP, false for UDP */
	FW_KEY_UDP_OTHER,  /* another UDP field: unknown for UDP, false for TCP */
	FW_KEY_SCTP_DPORT, /* sctp dport: false for TCP and UDP */
	FW_KEY_SCTP_OTHER, /* another SCTP field (sport, chunk): unknown for SCTP, false for
			    * TCP and UDP */
	FW_KEY_L4PROTO4,   /* ip protocol: an IPv4 packet's (never an IPv6 one) */
	FW_KEY_L4PROTO6,   /* ip6 nexthdr: an IPv6 packet's (never an IPv4 one) */
};

/* Verdicts, as statements and as the data of verdict maps. */
enum fw_verdict {
	FW_V_NONE,
	FW_V_ACCEPT,
	FW_V_DROP,
	FW_V_REJECT,
	FW_V_CONTINUE,
	FW_V_RETURN,
	FW_V_JUMP,
	FW_V_GOTO,
};

/* One element of a set or a match's right side. */
/* FW_ELEM_OTHER: a value the evaluator cannot compare (a concatenation...). */
enum fw_elem_kind { FW_ELEM_NUM, FW_ELEM_ADDR, FW_ELEM_STR, FW_ELEM_OTHER };

struct fw_elem {
	uint8_t kind;            /* enum fw_elem_kind */
	uint8_t family;          /* FW_ELEM_ADDR: AF_INET or AF_INET6 */
	uint32_t lo, hi;         /* FW_ELEM_NUM: a value or an interval */
	unsigned char alo[16], ahi[16]; /* FW_ELEM_ADDR: first and last address, network order */
	char *str;               /* FW_ELEM_STR: a name ("new", "veth*", "tcp", "local") */
	uint8_t verdict;         /* in a verdict map: the element's verdict, else FW_V_NONE */
	char *target;            /* its jump or goto target */
};

/* Comparisons of a match. */
enum fw_cmp { FW_CMP_EQ, FW_CMP_NE, FW_CMP_LT, FW_CMP_GT, FW_CMP_LE, FW_CMP_GE };

/* Statements of a rule. */
enum fw_stmt {
	FW_ST_MATCH,   /* key cmp (elems or set) */
	FW_ST_VERDICT, /* verdict (target for jump and goto) */
	FW_ST_VMAP,    /* key looked up in elems or set: the element's verdict */
	FW_ST_DNAT,    /* dnat or redirect: the packet's destination changes */
	FW_ST_NAT,     /* snat, masquerade: ends the chain in a nat chain */
	FW_ST_NOP,     /* counter, log, comment: transparent */
	FW_ST_UNKNOWN, /* anything else: name says what */
};

struct fw_expr {
	uint8_t stmt;            /* enum fw_stmt */
	uint8_t key;             /* enum fw_key, for MATCH and VMAP */
	uint8_t cmp;             /* enum fw_cmp, for MATCH */
	uint8_t verdict;         /* for VERDICT */
	uint8_t only_family;     /* VERDICT: a reject with an icmp (AF_INET) or icmpv6 (AF_INET6)
				  * type in an inet table, whose rule nft limits to that family
				  * (a meta nfproto match it does not list); 0: any */
	char *target;            /* for jump and goto */
	struct fw_elem *elems;   /* an anonymous set or one value */
	size_t nelems;
	char *set;               /* or a named set ("@name" without the @) of the rule's table */
	bool redirect;           /* DNAT: redirect (to this namespace) rather than dnat */
	uint8_t nat_family;      /* DNAT: AF_INET or AF_INET6 of addr, 0 when none is given */
	unsigned char addr[16];  /* DNAT: the new destination address */
	uint16_t port;           /* DNAT: the new destination port, 0 when unchanged */
	char *name;              /* UNKNOWN (and OTHER keys): what it is, for messages */
};

struct fw_rule {
	uint64_t handle;
	char *comment;           /* or NULL */
	struct fw_expr *exprs;
	size_t nexprs;
	size_t chain;            /* index into fw_ruleset.chains */
};

struct fw_chain {
	uint8_t family;          /* enum fw_family */
	char *family_name;       /* as nftables spells it: "inet", "ip", "ip6", "bridge"... */
	char *table, *name;
	uint8_t hook;            /* enum fw_hook */
	bool nat;                /* a base chain of type nat */
	int prio;
	uint8_t policy;          /* FW_V_ACCEPT or FW_V_DROP for base chains */
	size_t first, nrules;    /* its rules: fw_ruleset.rules[first .. first + nrules) */
};

struct fw_set {
	uint8_t family;          /* enum fw_family */
	char *table, *name;
	bool map;                /* a map (elements carry verdicts for verdict maps) */
	struct fw_elem *elems;
	size_t nelems;
};

/* One namespace's ruleset. Zero-initialise; release with fw_ruleset_free. */
struct fw_ruleset {
	struct fw_chain *chains;
	size_t nchains;
	struct fw_rule *rules;   /* grouped by chain, in each chain's order */
	size_t nrules;
	struct fw_set *sets;
	size_t nsets;
	bool legacy;             /* iptables-legacy tables are loaded in the namespace: nftables
				  * is not the whole firewall */
	bool xt;                 /* some rule holds an iptables extension (xt) */
};

/*
 * Parse the JSON of `nft -j list ruleset` (json, len bytes) into rs. iptables-nft writes
 * extensions (conntrack, multiport, addrtype, comment, REJECT, LOG, DNAT...) that the JSON
 * names without their arguments; nftables' text listing (text, tlen bytes, with handles, as
 * `nft -a list ruleset` prints it; may be NULL) shows them translated, so the statements of a
 * rule holding one are taken from its text line when that parses, else stay unknown.
 * Returns 0, -EBADMSG when json is not a ruleset, or -ENOMEM; release rs either way.
 */
int fw_parse(struct fw_ruleset *rs, const char *json, size_t len, const char *text,
	     size_t tlen);

/*
 * Read the ruleset of the network namespace the calling thread is in, with CAP_NET_ADMIN
 * raised on this thread only around the kernel's replies (priv.h), and whether
 * iptables-legacy tables are loaded there. Run in another namespace with netns_call.
 * fw_read_nl asks the kernel directly (nfnetlink dumps decoded as firewall_nl.h says: a
 * millisecond or two for a thousand rules); fw_read_nft asks libnftables for its JSON listing
 * (and its text listing for iptables-nft's extensions): tens of milliseconds, and it exits on
 * memory exhaustion. fw_read is fw_read_nl, and fw_read_nft when the decoder meets a rule it
 * does not know (-EOPNOTSUPP) or the dumps fail otherwise than by a refusal.
 * Returns 0; -EPERM without CAP_NET_ADMIN; -ENOSYS when the kernel has no nftables; -EBADMSG,
 * -ENOMEM or -EIO (fw_read_nl also -EOPNOTSUPP, and -EAGAIN when the ruleset kept changing
 * while it was read). Release rs either way.
 */
int fw_read(struct fw_ruleset *rs);
int fw_read_nl(struct fw_ruleset *rs);
int fw_read_nft(struct fw_ruleset *rs);

/* The chain named name in the table of chain c, or -1. */
long fw_chain_find(const struct fw_ruleset *rs, const struct fw_chain *c, const char *name);

/* The set named name in the table of chain c, or NULL. */
const struct fw_set *fw_set_find(const struct fw_ruleset *rs, const struct fw_chain *c,
				 const char *name);

void fw_ruleset_free(struct fw_ruleset *rs);

/* Shared by the JSON and the text readers (firewall.c, firewall_text.c). */

/* Grow the array *p of *n items of size bytes by one; returns the new item, zeroed, or NULL
 * when memory runs out (*p and *n unchanged). */
void *fw_grow(void *p, size_t *n, size_t size);

/* A verdict by name ("accept", "jump"...), FW_V_NONE when it is none. */
enum fw_verdict fw_verdict_of(const char *s);

/* An address s, as a prefix of len bits (-1: all of it), into e as an interval. */
bool fw_addr_elem(struct fw_elem *e, const char *s, int len);

/* The key of `meta KEY` and of `PROTO FIELD` (payload), FW_KEY_OTHER if not one evaluated. */
enum fw_key fw_meta_key(const char *k);
enum fw_key fw_payload_key(const char *proto, const char *field);

/* Give jansson (which libnftables uses too) a fixed hash seed before it makes its first
 * object: else it reads /dev/urandom, a file listen has no reason to open. The JSON is the
 * kernel's ruleset, which only its administrator writes: no one to flood the hash tables. */
void fw_seed(void);

/* Release a rule's statements (not its comment). */
void fw_rule_clear(struct fw_rule *r);

#endif
