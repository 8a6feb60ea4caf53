/* Command-line options: ss-compatible short flags, long options for the rest. */
#ifndef LISTEN_CLI_H
#define LISTEN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "listen/diag.h"
#include "listen/filter.h"

enum cli_action { CLI_RUN, CLI_AUDIT, CLI_HELP, CLI_VERSION };

/* The allow-list read by --audit when no --allow is given, if it exists. */
#define CLI_DEFAULT_ALLOW "/etc/listen/allow"

/* How often --watch looks for new sockets without an interval: 250 ms. */
#define CLI_WATCH_DEFAULT_MS 250u

enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* The widest --width takes: a terminal's width is 16 bits (struct winsize). */
#define CLI_WIDTH_MAX 65535
/* listen_opts.width for -W: every column in full, whatever the terminal. */
#define CLI_WIDTH_WIDE (CLI_WIDTH_MAX + 1u)

/* --owners: where the holders come from (plan_owner_source decides for auto). */
enum cli_owners { CLI_OWNERS_AUTO, CLI_OWNERS_PROC, CLI_OWNERS_BPF };

enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_JSON, CLI_FORMAT_JSON_LINES, CLI_FORMAT_PROM };

/* --process and --user: which holders a socket must have one of (none given: any). Names and
 * numbers as given; --user's names become uids when run.c looks them up. */
struct cli_holders {
	const char **names;  /* --process NAME: an exact process name (comm) */
	size_t nnames;
	uint32_t *pids;      /* --process PID */
	size_t npids;
	const char **users;  /* --user NAME: looked up in the passwd database by run.c */
	size_t nusers;
	uint32_t *uids;      /* --user UID, and the users' once looked up */
	size_t nuids;
};

/* Whether --process or --user was given. */
static inline bool cli_holders_given(const struct cli_holders *h)
{
	return h->nnames || h->npids || h->nusers || h->nuids;
}

struct listen_opts {
	enum cli_action action;
	bool ss_option;  /* one of ss's selection options was given (-t -u -x -w -0 -M -S
			  * --vsock -A -f -K -l -a -4 -6 -F): ss's selection, never bare listen's
			  * (plan.c); its output options (-n -p -e -H -r -O -Z -z) and -N keep bare
			  * listen's */
	struct diag_query query;
	unsigned family_protocols; /* -f's protocols, when no option names any (family.h) */
	const char *query_partial;  /* -A all, -A inet: the kinds of ss's listen leaves out
				     * (family.h), to be said; NULL */
	const char *family_partial; /* the same for -f inet, said when -f chose protocols */
	bool kill;       /* -K: close the selected sockets (SOCK_DESTROY) */
	bool dry_run;    /* --dry-run: -K lists what it would close, and closes nothing */
	bool resolve;    /* -r: host names for addresses */
	bool oneline;    /* -O: each socket on one line (every view prints so already) */
	unsigned contexts; /* SELinux contexts: -Z ors in 1, -z 2 (the sockets' too, whatever
			    * the order: -zZ is -z); 0 */
	bool numeric;    /* -n: ports as numbers */
	bool processes;  /* -p: owning processes */
	bool extended;   /* -e: socket details */
	bool timers;     /* -o: the timer of each socket (-e shows it too) */
	bool summary;    /* -s: the counts of /proc/net/sockstat, then (with a selection: -t,
			  * -u, -x, -4, -6 or a filter, as ss) the rows */
	bool header;     /* cleared by -H */
	bool services;   /* the Service column and warnings; cleared by --no-services */
	bool scope;      /* the Scope column; cleared by --no-scope */
	bool unit;       /* the Unit column with -p; cleared by --no-unit */
	bool reach;      /* the firewall's verdicts (Reach); cleared by --no-reach */
	const char *netns_name; /* -N: a namespace under /run/netns, or NULL */
	const char *netns_spec; /* --netns: a pid or an nsfs path, or NULL */
	bool all_netns;         /* --all-netns: every namespace, with a Netns column */
	enum cli_color color;
	enum cli_format format;
	unsigned width;  /* the table's columns: --width=N, CLI_WIDTH_WIDE for -W, or 0 (the
			  * terminal's when stdout is one, else in full) */
	bool pids;       /* --pids: only the pids of the holders, one per line */
	unsigned owners; /* --owners: enum cli_owners */
	bool verbose;    /* --verbose: say on stderr where the holders came from */
	struct cli_holders holders; /* --process, --user: keep sockets one of these holds */
	struct filter filter;    /* the positional words and -F's file; see filter.h */
	const char *filter_file; /* -F: more of the expression, from a file */
	bool no_bytecode;        /* hidden --no-bytecode: the filter runs in userspace only */
	const char *allow_file; /* --allow: the audit's allow-list, NULL for the default */
	int fail_on;            /* --fail-on: enum svc_risk at which the audit fails */
	/* Hidden options for capturing and replaying fixtures; NULL when not given. */
	const char *test_option; /* the first of them given (its long name, no dashes), or NULL */
	const char *dump_netlink;
	const char *replay_netlink;
	const char *proc_root;
	const char *services_file;
	const char *nmap_services_file;
	const char *cgroup_root;
	const char *state_root; /* where /var/lib/docker, /run/systemd... are looked for: "/" */
	uint64_t now; /* the time the owner view measures ages from; 0 for the clock's */
	bool watch;        /* --watch: events as sockets come and go */
	uint32_t watch_ms; /* how often it looks for new sockets, in milliseconds */
};

/*
 * Parse argv into o, the positional words (and -F's file) as a filter whose names are not yet
 * resolved. Returns 0, -ENOMEM, or -EINVAL with a one-line message (no "listen: " prefix, no
 * newline) in err naming the offending argument; -EMFILE or -ENFILE (message in err too) when
 * -F's file could not be opened for lack of descriptors. Strings in o point into argv. Release
 * with cli_free, whatever it returned.
 */
int cli_parse(struct listen_opts *o, int argc, char **argv, char *err, size_t errlen);

void cli_free(struct listen_opts *o);

/* With -s, whether the rows follow the summary: a selection was given (as in ss: -t, -u, -x,
 * -4, -6, or a filter). */
bool cli_summary_rows(const struct listen_opts *o);

/* The --help text (cli_help.c). */
void cli_usage(FILE *f);

/* lsof's -i given a port ("-i:8080", "-iTCP:8080", "-i :8080"), word being what follows -i:
 * -EINVAL with the command that answers it in err; 0 when word names no port (cli_help.c). */
int cli_lsof_info(const char *word, char *err, size_t errlen);

/* The first clash among the parsed options and the filter, as a message; NULL if there is none
 * (cli_conflict.c; cli_parse asks it). */
const char *cli_conflict(const struct listen_opts *o);

#endif
