/* Output backends: each turns enriched socket rows into text on a FILE the caller gives. */
#ifndef LISTEN_OUTPUT_H
#define LISTEN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "listen/output_info.h"
#include "listen/scope.h"
#include "listen/services.h"
#include "listen/unix_scope.h"

struct audit;
struct enrich_holder;
struct lsock;
struct procfs_info;
struct reach_result;
struct selinux_ctx;
struct procfs_owner;
struct procfs_proc;
struct prog_info;
struct sbuf;
struct svc_db;
struct svc_info;
struct svc_ref;
struct unit_owner;
struct unixfile;

struct out_opts {
	bool header;     /* print the column titles */
	bool netid;      /* show the Netid column (more than one protocol selected) */
	bool state;      /* show the State column (more than one state selected) */
	bool processes;  /* -p: users:(...) */
	bool extended;   /* -e: uid, inode, cookie, cgroup, v6only, shutdown */
	bool services;   /* the Service column and the warnings */
	bool scope;      /* the Scope column */
	bool color;      /* colour the warnings (ANSI escapes) */
	bool summary;    /* a closing line: listeners reachable beyond loopback, warnings */
	unsigned width;  /* the columns to fit (a terminal's, --width), 0 for every column in
			  * full (-W, a pipe) */
	bool utf8;       /* with width: text cut to fit is marked with "…", else with "~" */
	bool lines;      /* JSON: one object per line (JSON Lines) instead of one array */
	bool netns;      /* the Netns column, and netns in JSON and metrics (--all-netns, -N...) */
	bool unit;       /* the Unit column: the holders' units or containers (with -p) */
	bool reach;      /* the Reach column: a ruleset was read (and no --no-reach) */
	struct out_info_opts more; /* -o, -m, -i: the timer, and a line of memory and tcp_info
				    * under each row (ss's layout); JSON's timer is always there */
	unsigned series; /* the metrics: the protocols (diag.h's DIAG_*) dumped, whose series
			  * and totals they print; unix sockets' only when asked for (-x) */
};

/* One socket with everything the enrichment step found out about it. */
struct out_row {
	const struct lsock *sk;
	const struct lsock_ext *ext; /* what -i and -m found, or NULL */
	const char *ifname;   /* device the socket is bound to, or NULL */
	const char *lhost;    /* -r: the local address's host name (untrusted), or NULL */
	const char *rhost;    /* -r: the peer address's */
	const char *lservice; /* local port's service name, or NULL to print the number */
	const char *rservice;
	const char *cgroup;   /* cgroup path for -e, or NULL when unknown */
	const char *service;  /* the Service column: a name, or NULL */
	bool service_peer;    /* the name is the peer port's: this end is a client */
	const struct svc_info *svc; /* what is known of the service (the embedded table's entry,
				     * with the program's own risk and note), or NULL */
	enum svc_source service_source; /* where service comes from (services.h) */
	const struct prog_info *program; /* what the holders run, as program.h tells it, or NULL
					  * (no holder known, or none the table knows); it names
					  * the service unless it holds sockets for others
					  * (PROG_PASS: systemd, docker-proxy) */
	bool program_weak;    /* program was told by a process name only (exe unreadable) */
	bool interpreted;     /* program runs under an interpreter (python, java, node...) */
	bool holders_known;   /* some holder's executable could be read: no program then means
			       * one the table does not know */
	const char *port_guess; /* the port's service when the program's is another, or NULL */
	const struct prog_info *claimed; /* a holder's name claims this program, its
					  * executable is another: a disagreement */
	const char *claimed_exe; /* then that holder's executable */
	const char *deleted_exe; /* a holder's executable gone from disk (deleted or replaced:
				  * "/usr/sbin/nginx (deleted)"), or NULL */
	enum scope_class scope;
	const char *scope_ifname; /* the device bound to or the interface holding the address */
	bool exposed;         /* a listener reachable beyond loopback */
	bool warn;            /* a listener whose holder claims a program it is not, or an
			       * exposed listener whose service has a risk note: show
			       * out_warning_note */
	const struct procfs_owner *owners; /* the holders, ss's order */
	size_t nowners;
	const struct procfs_proc *procs;   /* owners[i].proc indexes this */
	const struct procfs_info *info;    /* parallel to procs, or NULL when not read */
	const struct enrich_holder *holders; /* parallel to procs, or NULL with info */
	const struct selinux_ctx *proc_ctx; /* -Z: parallel to procs, or NULL */
	const struct selinux_ctx *sock_ctx; /* -z: parallel to owners, or NULL */
	bool owners_unknown;  /* no holder found, but some processes could not be read */
	const char *netns;    /* the namespace's label ("host", "web", "net:[4026532]"), or NULL
			       * when one namespace is shown without saying which */
	uint64_t netns_inode; /* its inode, with netns */
	bool netns_other;     /* not known to be the host's: the scope is only within that
			       * namespace */
	bool netns_host_unknown; /* no namespace could be told to be the host's: any may be */
	const struct scope_public *reach; /* its namespace's public addresses (for the audit), or
					   * NULL when they were not looked for */
	bool activated;          /* held by a service manager (systemd): socket activation */
	const char *socket_unit; /* then the .socket unit listening here, or NULL when no unit
				  * file matches */
	const char *activates;   /* the service socket_unit starts */
	const char *sock_cgroup; /* with no holder to go by, the cgroup v2 path the socket was
				  * made in (INET_DIAG_CGROUP_ID), for the Unit column; or NULL */
	const struct reach_result *verdict; /* the firewall's verdict (verdict.h), or NULL when
					     * not evaluated */
	bool if_promisc;      /* a packet socket's device (or one of them, for every device) is
			       * promiscuous (IFF_PROMISC) */
	enum unix_scope uscope;  /* a unix socket's: who may connect (UNIX_SCOPE_NONE for TCP,
				  * UDP, and a unix socket not looked at) */
	const struct unixfile *ufile; /* its file's owner, group and mode, or NULL: not looked */
	const struct unix_note *unote; /* what a well-known unix socket is, or NULL */
};

/* A unix socket's name as the table shows it, escaped for a terminal: the path, "@" and the
 * rest of an abstract name, "*" when unbound. */
void out_unix_name_text(struct sbuf *b, const struct lsock *sk);

/* The Reach column's text: "open", "filtered", "from 10.0.0.0/8,192.168.1.0/24",
 * "via 0.0.0.0:8080", "unknown (inet filter input #12)"; nothing for NULL or REACH_NONE. */
void out_reach_text(struct sbuf *b, const struct reach_result *v);

/* The rule that decides v, as "inet filter input #12 \"comment\"" ("... policy" for a
 * chain's policy), escaped for a terminal; nothing when none does. */
void out_reach_rule_text(struct sbuf *b, const struct reach_result *v);

/* The label of a row's namespace when that is not known to be the host's; NULL otherwise. */
static inline const char *out_row_other_netns(const struct out_row *r)
{
	return r->netns_other ? r->netns : NULL;
}

/* The local address as the table prints it, without the port: "0.0.0.0%lo", "[::1]",
 * "*" for a dual-stack wildcard; the bound device escaped. */
void out_local_addr_text(struct sbuf *b, const struct out_row *r);

/*
 * The Unit column of a row: what each holder belongs to, once each, joined by ", ":
 * "nginx.service", "docker web (3f2a1b4c5d6e)", "ssh.socket (activates ssh.service)" or
 * "systemd (socket activation)" for a service manager, "docker-proxy to 172.17.0.2:80 (web)".
 * Escaped for a terminal. Nothing for a row without holders or info.
 */
void out_unit_text(struct sbuf *b, const struct out_row *r);

/* A unit or container as unit_text says it, escaped for a terminal. */
void out_unit_owner_text(struct sbuf *b, const struct unit_owner *u);

/* Where a docker-proxy holder forwards: "172.17.0.2:80", "[fd00::2]:80", with " (web)" when
 * the namespace holding that address is known. */
void out_forward_text(struct sbuf *b, const struct enrich_holder *h);

/* The service of a row as the audit and JSON take it. */
struct svc_ref out_service_ref(const struct out_row *r);

/*
 * The Service column's text for a service: "postgresql" (from the program), "postgresql (comm)"
 * (the program told by its process name only), "http (python3) on postgresql's port" (the
 * program's and the port's disagree), "python3" or "python3 on postgresql's port" (a program
 * that names no service), "postgresql?" (the port's guess), "https (peer)". Escaped.
 */
void out_service_text(struct sbuf *b, const struct svc_ref *s);

/* The Warning column's text of a row with a warning (r->warn), else nothing: "! redis: often
 * no auth by default", its name marked "redis?" when it is the port's guess. */
void out_warning_text(struct sbuf *b, const struct out_row *r);

/* What the warning of a row with one says, without the name: the service's note, or, when a
 * holder's name claims a program its executable is not, "calls itself sshd but runs /tmp/x"
 * (that warning is any listener's, exposed or not). Escaped for a terminal. */
void out_warning_note(struct sbuf *b, const struct out_row *r);

/* A backend: begin once, row per socket, end once. A backend with measure (the table) is
 * given every row to measure before the first row. end also releases the state, even when it
 * fails. Each returns 0 or a negative errno (-EIO when writing failed). */
struct out_backend {
	const char *name;
	void *(*begin)(FILE *f, const struct out_opts *o);
	int (*measure)(void *state, const struct out_row *r);
	int (*row)(void *state, const struct out_row *r);
	int (*end)(void *state);
};

/* ss's table: columns sized to their content, addresses right-aligned before the port. */
extern const struct out_backend out_table;

/* JSON: an array of socket objects (doc/listen.schema.json), or JSON Lines with o->lines.
 * Holders are given with -p (o->processes), else "owners" is null. The text is held in memory
 * until 8 MiB of it is, so that a smaller document is written whole or, when a row fails
 * (-ENOMEM), not at all; after a failure nothing more is written, not even the closing
 * bracket. */
extern const struct out_backend out_json;

/*
 * Prometheus text exposition of n rows: one info series per distinct TCP or UDP listener, unix
 * listener, raw socket and packet socket (of the protocols in o->series), then per network
 * namespace the TCP and UDP listeners by protocol and scope and, with o->services, the
 * listeners and findings of the audit a (built from the same rows, of every family) by its
 * risk; each series carries its finding's risk. Rows that are not listeners (a connected raw
 * socket, an unbound unix one), and those the audit takes for a client's port (audit_client,
 * by db), are left out. Written whole or not at all. Returns 0, -ENOMEM, or the failed
 * write's -errno.
 */
int out_prom(FILE *f, const struct out_row *rows, size_t n, const struct audit *a,
	     const struct svc_db *db, const struct out_opts *o);

/* How the owner view shows ages, and what it says of a hidden holder. */
struct out_owners_opts {
	uint64_t now;    /* seconds since the epoch */
	bool privileged; /* listen could read other users' processes: "run as root" is not why
			  * a holder is hidden */
};

/*
 * The owner view (`listen :PORT`): each socket with its scope, peer (when connected) and
 * service, grouped by the processes holding them, then per process its pid, name, user, fds,
 * command line, executable (flagged when deleted), parent, start time and unit or container.
 * Identical holders (same name, user, command line, executable and unit: workers) are one
 * entry, "4 × nginx  user www-data  pids 812-815", their parent and details shown once. Rows
 * need their info (procfs_info). Returns 0 or a negative errno (-EPIPE when the reader went
 * away).
 */
int out_owners(FILE *f, const struct out_row *rows, size_t n, const struct out_owners_opts *o);

/*
 * The notice on what could not be seen for processes listen could not read, for stderr
 * ("listen: " before each line): what is what was not seen ("owners of 7 sockets hidden",
 * "network namespaces not seen"), m the processes (denials, and hidden: a /proc whose
 * hidepid, at level hidepid, hides other users' processes). Each process gets its cause
 * (denial.h) and each cause a line saying what was denied and the likely reason; one line in
 * all when one cause explains everything. Returns 0 or -ENOMEM.
 */
struct procfs_map;
struct procfs_self;
int out_denial_notice(struct sbuf *b, const struct procfs_self *self, const struct procfs_map *m,
		      const char *what, unsigned hidepid);

/* Sorted, distinct numbers v[0..n) as runs, "812-815,900,902": the first 8 runs, then
 * " +N more" for the numbers not shown. */
void out_number_runs(struct sbuf *b, const uint32_t *v, size_t n);

/* How the audit's review is written: in colour; by a listen that had the rights to read
 * other users' processes (an unreadable holder is then not a matter of running as root). */
enum { OUT_AUDIT_COLOR = 1, OUT_AUDIT_PRIVILEGED = 2 };

/*
 * The audit's review (audit.h): one block per finding (level, proto/port, service, addresses
 * and scopes, reasons, holders with pid, user and command line), then the totals. info[i] is
 * what is known of procs[i] (info may be NULL); flags are OUT_AUDIT_*. Returns 0, -ENOMEM, or
 * the failed write's -errno (-EPIPE when the reader went away, -ENOSPC on a full disk).
 */
int out_audit_text(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		   const struct procfs_info *info, unsigned flags);

/*
 * The same review as one JSON document (#/$defs/audit in doc/listen.schema.json):
 * {"findings": [...], "summary": {...}}, with whether it fails at fail_on. holders[i] is what
 * the run found of procs[i] beyond /proc (may be NULL, as info). Returns as out_audit_text.
 */
int out_audit_json(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		   const struct procfs_info *info, const struct enrich_holder *holders,
		   enum svc_risk fail_on);

#endif
