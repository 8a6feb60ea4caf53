/*
 * The plan of one run, made once from the parsed options: which sockets to ask each namespace
 * for, which look-ups the run needs, and which view prints. Every "this option needs that
 * look-up" rule is here and nowhere else; collect, enrich and the views read the plan.
 */
#ifndef LISTEN_PLAN_H
#define LISTEN_PLAN_H

#include <stdbool.h>

#include "listen/diag.h"

struct listen_opts;
struct bpf_owners_facts;

/* The view that prints the run: one, chosen here. */
enum plan_view {
	PLAN_VIEW_TABLE,
	PLAN_VIEW_JSON,
	PLAN_VIEW_JSON_LINES,
	PLAN_VIEW_PROM,
	PLAN_VIEW_OWNERS,    /* listen :PORT */
	PLAN_VIEW_PIDS,      /* --pids */
	PLAN_VIEW_AUDIT,
	PLAN_VIEW_AUDIT_JSON,
	PLAN_VIEW_WATCH,      /* --watch: events as lines for people */
	PLAN_VIEW_WATCH_JSON, /* --watch --json=lines */
	PLAN_VIEW_WATCH_AUDIT, /* --audit --watch: new findings as events */
	PLAN_VIEW_WATCH_AUDIT_JSON,
	PLAN_VIEW_SUMMARY,      /* -s alone: ss -s's counts, no rows */
	PLAN_VIEW_SUMMARY_JSON,
};

/* Which network namespaces the run looks in. */
enum plan_netns {
	PLAN_NETNS_OWN,      /* the one listen runs in */
	PLAN_NETNS_NAME,     /* -N NAME, under /run/netns */
	PLAN_NETNS_PID_OR_PATH, /* --netns=PID|PATH */
	PLAN_NETNS_ALL,      /* --all-netns */
};

/* How much is read of each holder after the walk. */
enum plan_details {
	PLAN_DETAILS_NONE,
	PLAN_DETAILS_UNIT,   /* the cgroup (for the Unit column) and a docker-proxy's command
			      * line */
	PLAN_DETAILS_ALL,    /* command line, executable, user, parent, start time too */
};

/* Where the holders come from: the /proc walk, or the kernel's task_file iterator. */
enum plan_owners {
	PLAN_OWNERS_AUTO,    /* the iterator where it is allowed, supported and worth it */
	PLAN_OWNERS_PROC,
	PLAN_OWNERS_BPF,
};

/* Below this many threads on the machine the /proc walk costs less than loading the iterator:
 * the load takes some 1.3 ms, the walk some 40 us a process (bench/compare's idle scenario
 * has ~140 threads, and there the iterator is 0.87x of the walk; the README's Performance). */
#define PLAN_BPF_MIN_TASKS 64

struct plan {
	struct diag_query query;  /* states, protocols, families (bytecode: collect's) */
	enum plan_netns netns;
	const char *netns_spec;   /* the name, pid or path of -N or --netns, or NULL */
	unsigned implied;         /* DIAG_*: what the plan added to the query unasked (the audit's
				   * and the metrics' MPTCP and SCTP): a kernel without their
				   * sock_diag is not said (MPTCP's subflows are seen as TCP) */
	bool owners;              /* walk /proc for the sockets' holders */
	enum plan_owners owner_source; /* --owners; PLAN_OWNERS_PROC for a --proc-root tree,
					* which the kernel's iterator cannot see */
	bool verbose;             /* --verbose: say on stderr which owner source ran */
	bool raw_source;          /* say where raw sockets were read from: -w asked for them
				   * (or --verbose); the audit's own review of them is quiet */
	bool processes;           /* the view shows the holders (-p, or asked for by what the
				   * view is: the owner view, the audit, --process) */
	bool audit;               /* the audit's findings are made, against the allow-list:
				   * --audit, and the metrics' risk (so an alert and --audit
				   * agree) */
	bool holders;             /* keep the sockets a --process or --user holder holds */
	unsigned contexts;        /* -Z: 1, the holders' SELinux contexts; -z: 2, those of the
				   * fds they hold the sockets by too; 0 */
	bool user_names;          /* look --user's names up in the passwd database */
	enum plan_details details;
	bool proc_required;       /* /proc must open (holders, -e); else it only helps */
	bool port_names;          /* ports as names, not numbers (no -n) */
	bool host_names;          /* -r: addresses as host names */
	const char *partial;      /* the kinds of socket -A or -f asked for that listen does
				   * not show (family.h), to be said; NULL */
	bool kill;                /* -K: close the sockets selected, print those closed */
	bool dry_run;             /* -K --dry-run: print those -K would close, close none */
	bool services;            /* the Service column and the warnings */
	bool identify;            /* name services by the holders' programs: read their
				   * executables and command lines (holders and services on) */
	bool scope;               /* the Scope column (names the interface holding an address) */
	bool public_addresses;    /* does a wildcard reach a public address (the audit asks) */
	bool cgroup_paths;        /* -e's cgroup: for every socket */
	bool firewall;            /* read each namespace's ruleset for the listeners' verdicts */
	bool socket_units;        /* the Unit column may name a holder-less socket by its cgroup */
	bool unix_files;          /* look at unix sockets' files: who may connect (the Scope
				   * column, the audit); not in a capture, whose files are
				   * another machine's */
	enum plan_view view;
	bool summary;             /* -s: /proc/net/sockstat's counts of each namespace, printed
				   * before the table's rows (PLAN_VIEW_TABLE) or alone */
	bool timers;              /* -o or -e: each socket's timer */
	bool bare;                /* no ss option and no expression: `listen -tulnp` */
	unsigned watch_ms;        /* --watch: how often to look for new sockets; 0 without */
};

/*
 * Make the plan for the options (cli_parse's, already checked for conflicts): fill in ss's
 * defaults (states per protocol, both protocols and families) and what the chosen view needs.
 */
void plan_make(struct plan *p, const struct listen_opts *o);

/*
 * The owner source the run uses, PLAN_OWNERS_PROC or PLAN_OWNERS_BPF, from what the plan asks
 * and the facts (bpf_owners_facts). The iterator needs the build, the privilege, the kernel's
 * BTF and no confidentiality lockdown; chosen by itself it also needs PLAN_BPF_MIN_TASKS
 * threads. When the iterator is not used, *why says why in a few words ("not privileged");
 * NULL when it is. --owners=bpf that cannot be honoured gives PLAN_OWNERS_PROC with a reason
 * too: the caller tells it apart by p->owner_source.
 */
enum plan_owners plan_owner_source(const struct plan *p, const struct bpf_owners_facts *f,
				   const char **why);

#endif
