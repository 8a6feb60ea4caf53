/*
 * Reachability: what a namespace's firewall (firewall.h) does with a new inbound connection
 * from another host to a (protocol, family, address, port, interface). Pure: the ruleset's
 * records in, a verdict and the rule that decides it out.
 *
 * The input hook is walked as the kernel does: every base chain on it, of the packet's family
 * (inet tables for both), in priority order; an accept ends one base chain and the packet goes
 * on to the next, drop and reject end the hook, and a chain that runs out ends with its
 * policy. jump, goto and return, named and anonymous sets, intervals, prefixes and verdict
 * maps are followed. A new connection is ct state new. Matches on the source address are
 * decided for a source outside every prefix the ruleset names ("any source"); when that is
 * dropped, each prefix is tried and those accepted are the verdict's "from". Counters,
 * comments and log are transparent; anything else that could change the outcome makes the
 * verdict unknown, naming the rule.
 */
#ifndef LISTEN_REACH_H
#define LISTEN_REACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fw_ruleset;

enum reach_verdict {
	REACH_NONE,     /* not evaluated (no ruleset read, not an exposed listener) */
	REACH_OPEN,     /* accepted from any source */
	REACH_FILTERED, /* dropped or rejected from every source */
	REACH_PARTIAL,  /* accepted only from the prefixes in from */
	REACH_UNKNOWN,  /* a rule this cannot decide is on the path: rule names it */
};

/* A rule, by the names nft shows; handle 0 is the chain's policy. Strings point into the
 * ruleset. */
struct reach_rule {
	const char *family, *table, *chain, *comment;
	uint64_t handle;
};

struct reach_prefix {
	uint8_t family;         /* AF_INET or AF_INET6 */
	uint8_t len;
	unsigned char addr[16];
};

/* A published port: the host's address and port a connection reaches this listener through. */
struct reach_via {
	bool set;
	uint8_t family;
	unsigned char addr[16]; /* 0.0.0.0 or :: for every address of the host */
	uint16_t port;
};

struct reach_result {
	enum reach_verdict verdict;
	struct reach_via via;   /* reached through another namespace's dnat (or a redirect) */
	bool has_rule;          /* rule is the deciding one (or the one not understood) */
	struct reach_rule rule;
	struct reach_prefix *from; /* REACH_PARTIAL: malloc'd, nfrom of them */
	size_t nfrom;
	uint8_t only_family;    /* a dual-stack socket open for this family alone (AF_INET,
				 * AF_INET6): the other's packets are filtered; 0 otherwise */
};

/* A new connection from another host. */
struct reach_query {
	uint8_t protocol;       /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t family;         /* AF_INET or AF_INET6 */
	bool daddr_known;       /* daddr is the destination; else matches on it are unknown */
	unsigned char daddr[16];
	uint16_t dport;
	const char *iifname;    /* the interface it arrives on, NULL when unknown */
	const char *oifname;    /* the forward hook: the interface it leaves by */
	bool local;             /* the destination is one of this namespace's addresses (fib) */
	bool dnat;              /* its destination was rewritten (ct status dnat) */
};

/* Which hook to walk. */
enum reach_hook { REACH_INPUT, REACH_FORWARD };

/*
 * The verdict of rs for q on the input or forward hook, into *res (release with
 * reach_result_free). A ruleset with iptables-legacy tables is unknown. Returns 0 or -ENOMEM.
 */
int reach_eval(const struct fw_ruleset *rs, enum reach_hook hook, const struct reach_query *q,
	       struct reach_result *res);

/* A published port: the prerouting nat path sends protocol/port on this namespace's addresses
 * to addr:to_port (of another namespace, or this one for redirect). */
struct reach_dnat {
	uint8_t protocol;
	uint8_t family;
	uint16_t port;          /* on this namespace's addresses */
	bool redirect;          /* to this namespace itself */
	unsigned char addr[16]; /* the new destination (not for redirect) */
	uint16_t to_port;
	struct reach_rule rule; /* the dnat rule */
};

/*
 * Every port the prerouting nat chains of rs send elsewhere for a new connection arriving on
 * iifname (NULL: unknown): each dnat or redirect statement's ports are tried through the whole
 * prerouting path. *out is malloc'd (free it). Returns 0 or -ENOMEM.
 */
int reach_published(const struct fw_ruleset *rs, const char *iifname, struct reach_dnat **out,
		    size_t *n);

/* How reachable a verdict is, for merging paths: none, filtered, partial, unknown (a path
 * this cannot decide may be open to every source), open. */
int reach_rank(enum reach_verdict v);

/* Merge b into a, the more reachable (reach_rank) winning; a takes over b's prefixes when it
 * takes b, and when both are partial a's prefixes become the union of both. Returns 0 or
 * -ENOMEM (a keeps what it had). */
int reach_merge(struct reach_result *a, struct reach_result *b);

void reach_result_free(struct reach_result *r);

/* "open", "filtered", "partial", "unknown"; NULL for REACH_NONE. */
const char *reach_name(enum reach_verdict v);

#endif
