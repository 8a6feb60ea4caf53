/* The program layer's run: what run.c collects for main.c to print. Not a library module:
 * these functions print their own errors, one line each; running out of memory is always
 * "listen: out of memory", said once (main says it where these return -ENOMEM unsaid). */
#ifndef LISTEN_RUN_H
#define LISTEN_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "listen/activation.h"
#include "listen/audit.h"
#include "listen/cgroup.h"
#include "listen/cli.h"
#include "listen/container.h"
#include "listen/ifaddr.h"
#include "listen/netns.h"
#include "listen/plan.h"
#include "listen/procfs.h"
#include "listen/services.h"
#include "listen/sock.h"

struct procfs_walk;

/* One network namespace of the run: its sockets carry its index (lsock.netns). */
struct ns_view {
	struct netns ns;         /* fd -1 for the one listen runs in; label NULL outside -N,
				  * --netns and --all-netns */
	struct ifaddr_table ifs;
	bool have_ifs;           /* ifs was dumped or replayed */
	struct audit_host public; /* its public addresses, for the audit */
};

/* Everything collected and looked up for one run; released by run_free(). */
struct run {
	const struct plan *plan; /* what the run collects and shows */
	struct lsock_vec socks;
	struct procfs_map owners;
	struct procfs_info *info; /* of owners.procs, for the audit, JSON and Unit; NULL if not read */
	struct svc_db services;
	struct ns_view *views;   /* at least one */
	size_t nviews;
	bool ns_mode;            /* -N, --netns or --all-netns: say which namespace */
	struct act_db activation; /* the socket units, read when a service manager holds sockets */
	struct container_cache containers;
	int state_dirfd;         /* --state-root or /, for runtime state and unit files; -1 */
	struct cgroup_paths cgroups;
	char *replay;           /* the --replay-netlink capture, for the interfaces in it */
	size_t replay_len;
	bool etc_loaded;        /* services.etc holds /etc/services (or --services-file) */
	unsigned hidepid;       /* the hidepid= level of the /proc walked, 0 if none */
	void *bytecode;         /* the filter compiled for the kernel, or NULL */
	size_t bytecode_len;
};

void run_free(struct run *run);

/* One line on stderr for error r (a negative errno) about what: "listen: WHAT: REASON", with
 * the limit when it is too many open files; "listen: out of memory" for -ENOMEM. */
void run_report(const char *what, int r);

/* The namespaces to look in (run->views): the one listen runs in, the one -N or --netns
 * names, or every one with --all-netns; opens the state root. -EINVAL for a bad name.
 * Like every function below, it prints its errors (one line) and returns a negative errno;
 * running short of file descriptors or memory is always an error. */
int run_setup_namespaces(const struct listen_opts *o, struct run *run, int proc_dirfd);

/* Resolve the filter's names (in the first namespace) and compile it for the kernel.
 * -EINVAL for a bad filter. */
int run_prepare_filter(struct listen_opts *o, struct run *run);

/* Dump (or replay) the sockets of every namespace into run->socks. */
int run_collect(const struct listen_opts *o, struct run *run);

/* Join the /proc walk started before the dump with the sockets kept; the walk is freed. */
int run_find_owners(const struct listen_opts *o, struct run *run, struct procfs_walk *walk);

/* After procfs_read_info: container names, service managers and their socket units,
 * docker-proxy targets. */
int run_attribute(const struct listen_opts *o, struct run *run);

/* After run_find_owners: whether /proc hides processes from listen (hidepid) that hold
 * sockets, in run->owners.hidden; run->hidepid is the mount's level. */
int run_check_hidepid(struct run *run, int proc_dirfd);

/* The service tables the rows need. */
int run_load_services(const struct listen_opts *o, struct run *run, int proc_dirfd);

/* The interfaces of the namespaces whose rows name a device or an address's interface. */
int run_find_interfaces(const struct listen_opts *o, struct run *run);

/* The sockets' cgroup v2 paths, for -e and for rows with no holder to go by. */
int run_find_cgroups(const struct listen_opts *o, struct run *run, int proc_dirfd);

#endif
