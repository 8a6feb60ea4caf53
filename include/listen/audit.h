/*
 * The audit: every socket reachable beyond loopback that waits for peers, grouped into
 * findings (a dual-stack pair, or workers sharing a port, is one finding), ranked by risk with
 * the reasons, and checked against an allow-list of approved services.
 */
#ifndef LISTEN_AUDIT_H
#define LISTEN_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "listen/scope.h"
#include "listen/services.h"

struct lsock;
struct out_row;
struct procfs_info;
struct procfs_owner;
struct procfs_proc;

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
};

struct audit {
	const struct out_row *socks; /* the enriched rows (enrich.h) it was built from */
	size_t *order;        /* the rows of its findings, as indexes into socks, grouped */
	size_t norder;
	struct audit_finding *findings; /* sorted: risk, highest first, then port, protocol */
	size_t nfindings;
	size_t clients;       /* UDP sockets on unnamed ephemeral ports: left out, not services */
	struct scope_public host;
};

/*
 * Build the findings from n enriched rows (any states: only listeners beyond loopback count);
 * a row's reach gives the public addresses of its namespace, host (may be NULL) those of the
 * host, for rows without. procs is what the owners index. The audit keeps pointers into the
 * rows and procs, which must outlive it. Returns 0 or -ENOMEM; release with audit_free either
 * way.
 */
int audit_build(struct audit *a, const struct out_row *socks, size_t n,
		const struct procfs_proc *procs, const struct svc_db *db,
		const struct scope_public *host);

void audit_free(struct audit *a);

/* One approved service: proto/port, optionally an exact local address and a process name. */
struct audit_rule {
	uint8_t protocol;       /* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port;
	bool any_addr;          /* no address, or "*" */
	uint8_t family;
	unsigned char addr[16];
	char *process;          /* NULL: any */
	unsigned line;
};

struct audit_allow {
	struct audit_rule *v;
	size_t len;
};

/*
 * Parse an allow-list: one rule per line, "proto/port [address] [process]", '#' comments,
 * blank lines. On a bad line returns -EINVAL with *line set and a message in err ("expected
 * tcp/PORT or udp/PORT, got 'x'"); else 0 or -ENOMEM. Release with audit_allow_free.
 */
int audit_allow_parse(struct audit_allow *al, const char *buf, size_t len, unsigned *line,
		      char *err, size_t errlen);

void audit_allow_free(struct audit_allow *al);

/* Mark every finding some rule approves (allowed_by). */
void audit_apply_allow(struct audit *a, const struct audit_allow *al,
		       const struct procfs_proc *procs);

/* Whether an unapproved finding has a risk at or above threshold: the audit fails. */
bool audit_fails(const struct audit *a, enum svc_risk threshold);

/*
 * Print the review: one block per finding (level, proto/port, service, addresses and scopes,
 * reasons, holders with pid, user and command line), then the totals. info[i] is what is
 * known of procs[i] (info may be NULL). Returns 0, -ENOMEM, or the failed write's -errno
 * (-EPIPE when the reader went away, -ENOSPC on a full disk).
 */
int audit_print(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		const struct procfs_info *info, bool color);

/*
 * The same review as one JSON document (doc/listen-audit.schema.json): {"findings": [...],
 * "summary": {...}}, with whether it fails at fail_on. Returns 0, -ENOMEM, or the failed
 * write's -errno, as audit_print.
 */
int audit_print_json(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		     const struct procfs_info *info, enum svc_risk fail_on);

#endif
