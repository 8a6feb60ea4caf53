/*
 * The audit: every socket reachable beyond loopback that waits for peers, and every unix
 * listener a privileged process holds that others may connect to, grouped into
 * findings (a dual-stack pair, or workers sharing a port, is one finding), ranked by risk with
 * the reasons. The allow-list is audit_allow.h; the review is printed by output.h's
 * out_audit_text and out_audit_json.
 */
#ifndef LISTEN_AUDIT_H
#define LISTEN_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "listen/scope.h"
#include "listen/services.h"

struct out_row;
struct procfs_proc;
struct reach_result;
struct sbuf;

/* Why a finding has its risk. */
enum {
	AUDIT_NOTE = 1 << 0,     /* the service's risk note applies */
	AUDIT_ALL = 1 << 1,      /* bound to every interface, where one address might do */
	AUDIT_PUBLIC = 1 << 2,   /* on a public address */
	AUDIT_ROOT = 1 << 3,     /* a holder runs as root: a medium risk becomes high */
	AUDIT_UNKNOWN = 1 << 4,  /* no known service on the port: low */
	AUDIT_NO_OWNER = 1 << 5, /* no holder found, and some could not be read (not root) */
	AUDIT_ALL_PUBLIC = 1 << 6, /* bound to every interface, and one holds a public address: a
				    * medium risk becomes high (replaces AUDIT_ALL) */
	AUDIT_ALL_NETNS = 1 << 7, /* bound to every interface of another network namespace than
				   * the host's: reachable only through that namespace's (replaces
				   * AUDIT_ALL) */
	AUDIT_GUESS = 1 << 8,    /* the service is the port's guess, no holder said: the risk
				  * is at most medium from the service alone */
	AUDIT_UNEXPECTED = 1 << 9, /* a program that is not what the port is for: 22 not held
				    * by an SSH server, 53 not by a DNS server, 25 not by a mail
				    * server, 80/443 by an interpreter running as root (medium
				    * at least) */
	AUDIT_NAME_CLAIM = 1 << 10, /* a holder's name claims a program its executable is not
				     * ("sshd" running /tmp/x): high */
	AUDIT_EXE_DELETED = 1 << 11, /* a holder's executable is gone from disk: replaced or
				      * deleted since it started (medium at least) */
	AUDIT_FW_PARTIAL = 1 << 12, /* the firewall accepts it only from some prefixes: one risk
				    * level lower */
	AUDIT_FW_UNKNOWN = 1 << 13, /* the firewall's verdict cannot be told: the rule is named */
	AUDIT_PUBLISHED = 1 << 14, /* a container's port the host publishes (dnat): a finding on
				    * the host, at the host's port (replaces AUDIT_ALL_NETNS) */
	AUDIT_SNIFF = 1 << 15,   /* a packet socket: sees every frame of its protocol on its
				  * interface, or on every one (medium) */
	AUDIT_PROMISC = 1 << 16, /* it made the interface promiscuous, or the interface is:
				  * frames for other hosts too (high) */
	AUDIT_BPF_FILTER = 1 << 17, /* every socket has a classic BPF filter choosing what it
				     * keeps: one level lower */
	AUDIT_FILTER_UNKNOWN = 1 << 18, /* whether a filter is attached could not be told */
	AUDIT_RAW = 1 << 19,     /* a raw IP socket: receives every packet of its IP protocol
				  * to its address (low) */
	AUDIT_RAW_FORGE = 1 << 20, /* IPPROTO_RAW: sends IP packets whose headers it writes
				    * (medium) */
	AUDIT_LOOPBACK_ONLY = 1 << 21, /* a raw or packet socket that sees loopback traffic
					* only: one level lower */
	AUDIT_UNIX_OPEN = 1 << 22, /* a unix listener any user may connect to (world-writable),
				    * or any process of its netns (abstract), held by root:
				    * medium, or its note's risk */
	AUDIT_UNIX_GROUP = 1 << 23, /* writable by a group whose members are root in effect
				     * (docker, lxd, libvirt, disk...), held by root: medium */
	AUDIT_UNIX_UNCHECKED = 1 << 24, /* who may connect could not be checked: low, and why */
	AUDIT_EXPECTED = 1 << 25,  /* open to every user by design (the notes: D-Bus, journald):
				    * none */
	AUDIT_CAPS = 1 << 26,      /* a unix finding's holder is not root but runs with
				    * capabilities (beyond binding low ports): privileged too */
	AUDIT_VSOCK_ANY = 1 << 27, /* a vsock listener on VMADDR_CID_ANY: in a guest the host
				    * may connect, on a host every guest may (medium) */
	AUDIT_VSOCK_HOST = 1 << 28, /* on the host's context id (2): every guest may connect
				     * (medium; high when root holds it) */
	AUDIT_VSOCK_GUEST = 1 << 29, /* on a guest's own context id: only its host may (low) */
	AUDIT_FW_ONE_FAMILY = 1u << 30, /* a dual-stack listener the firewall filters for one
					 * family and lets in for the other (reach_result's
					 * only_family): a ruleset written for one family */
};


struct audit_finding {
	uint8_t protocol;
	uint16_t port;
	struct svc_ref svc;
	enum svc_risk risk;
	unsigned reasons;     /* AUDIT_* */
	size_t first, count;  /* its sockets: audit.socks[audit.order[first .. first + count)] */
	const char *netns;    /* its sockets' network namespace, NULL for the host's */
	const struct scope_public *reach; /* the public addresses it is reachable through */
	unsigned allowed_by;  /* line of the allow-list rule that approves it, 0 if none */
	const struct reach_result *verdict; /* the firewall's, most reachable of its sockets;
					     * NULL when not evaluated */
};

struct audit {
	const struct out_row *socks; /* the enriched rows (enrich.h) it was built from */
	size_t nsocks;
	size_t *order;        /* the rows of its findings, as indexes into socks, grouped */
	size_t norder;
	struct audit_finding *findings; /* sorted: risk, highest first, then port, protocol */
	size_t nfindings;
	size_t clients;       /* UDP sockets on unnamed ephemeral ports: left out, not services */
	size_t filtered;      /* listeners the firewall drops from everywhere: not findings */
	size_t unidentified;  /* findings with a holder that could not be read: judged from the
			       * port alone (so medium at most), possibly too low */
	bool no_firewall;     /* the ruleset could not be read: set by the caller; findings are
			       * judged as if nothing were dropped, and dropped ones not left out */
	bool *subflow;        /* parallel to socks: a TCP listener the kernel keeps for an MPTCP
			       * listener's subflows (same namespace and inode), reviewed as that
			       * MPTCP listener, not on its own; NULL when there is none */
	struct scope_public host;
};

/* Whether the review saw less than it needs: hidden holders, or no ruleset. */
static inline bool audit_incomplete(const struct audit *a)
{
	return a->unidentified || a->no_firewall;
}

/* Whether a row is a raw or packet socket's: reviewed for what it receives, not as a service. */
bool audit_rawpkt(const struct out_row *r);

/*
 * Build the findings from n enriched rows (any states: only listeners beyond loopback count,
 * and every packet socket and unconnected raw socket);
 * a row's reach gives the public addresses of its namespace, host (may be NULL) those of the
 * host, for rows without. procs is what the owners index. The audit keeps pointers into the
 * rows and procs, which must outlive it. Returns 0 or -ENOMEM; release with audit_free either
 * way.
 */
int audit_build(struct audit *a, const struct out_row *socks, size_t n,
		const struct procfs_proc *procs, const struct svc_db *db,
		const struct scope_public *host);

void audit_free(struct audit *a);

/* The unix socket of finding f (its first), or NULL for a TCP or UDP finding. */
const struct lsock *audit_unix_socket(const struct audit *a, const struct audit_finding *f);

/* The vsock socket of finding f (its first), or NULL for another finding. */
const struct lsock *audit_vsock_socket(const struct audit *a, const struct audit_finding *f);

/* The protocol of finding f as JSON, the metrics and the allow-list name it: "tcp", "udp",
 * "mptcp", "sctp", "raw", "packet", "unix" or "vsock". */
const char *audit_protocol(const struct audit *a, const struct audit_finding *f);

/* Whether the i-th row is a TCP listener that stands for an MPTCP listener's subflows
 * (a.subflow): not a finding, nor a metrics series, of its own. */
bool audit_subflow(const struct audit *a, size_t i);

/* Whether row r is a client's port, not a service: an unconnected UDP socket on a port in the
 * ephemeral range that nothing names (a resolver's, a DHCP or NTP client's). The audit leaves
 * these out (counting them in clients), and so do the metrics. */
bool audit_client(const struct out_row *r, const struct svc_db *db);

/* Whether an unapproved finding has a risk at or above threshold: the audit fails. */
bool audit_fails(const struct audit *a, enum svc_risk threshold);

/* Findings by risk (count[SVC_RISK_*]), and how many the allow-list approves. */
void audit_totals(const struct audit *a, size_t count[4], size_t *allowed);

/* The reasons of finding f in the order they are given: the bit after prev (0 to start), or 0
 * when there are no more. */
unsigned audit_next_reason(const struct audit_finding *f, unsigned prev);

/* The reason's code for tools: "public-address", "root", ... */
const char *audit_reason_code(unsigned bit);

/* Append the reason's text for people to b: "bound to all interfaces, public 203.0.113.7 among
 * them". */
void audit_reason_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
		       unsigned bit);

/* Whether the i-th socket of finding f (f->first <= i) is the first with its address and
 * device: each distinct address is shown once. */
bool audit_first_address(const struct audit *a, const struct audit_finding *f, size_t i);

/* The distinct holders of finding f, one a call: start with *i = f->first and *j = 0. Returns
 * the next one's index into the procs the rows' owners index, or -1 when there are no more. */
long audit_next_holder(const struct audit *a, const struct audit_finding *f, size_t *i,
		       size_t *j);

#endif
