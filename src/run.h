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
#include "listen/enrich.h"
#include "listen/firewall.h"
#include "listen/hostnames.h"
#include "listen/ifaddr.h"
#include "listen/ipproto.h"
#include "listen/unixfile.h"
#include "listen/netns.h"
#include "listen/plan.h"
#include "listen/procfs.h"
#include "listen/selinux.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/sockstat.h"

/* One network namespace of the run: its sockets carry its index (lsock.netns). */
struct ns_view {
	struct netns ns;         /* fd -1 for the one listen runs in; label NULL outside -N,
				  * --netns and --all-netns */
	struct ifaddr_table ifs;
	bool have_ifs;           /* ifs was dumped or replayed */
	struct scope_public public; /* its public addresses, for the audit */
	struct fw_ruleset fw;    /* its firewall ruleset, when have_fw */
	bool have_fw;
	bool dumped;             /* its sockets are in the last dump (not skipped) */
	struct sockstat stat;    /* -s: its counts, when have_stat */
	bool have_stat;
};

/* Everything collected and looked up for one run; released by run_free(). */
struct run {
	const struct plan *plan; /* what the run collects and shows */
	struct lsock_vec socks;
	struct procfs_map owners;
	struct procfs_info *info; /* of owners.procs, for the audit, JSON and Unit; NULL if not
				   * read */
	struct enrich_holder *holders; /* of owners.procs, with info: managers, docker-proxies */
	struct selinux_contexts contexts; /* -Z, -z: of owners.procs (and owners.owners) */
	struct svc_db services;
	struct ipproto_names ipprotos; /* /etc/protocols, for raw sockets' ports (unless -n) */
	struct ns_view *views;   /* at least one */
	size_t nviews;
	bool ns_mode;            /* -N, --netns or --all-netns: say which namespace */
	struct act_db activation; /* the socket units, read when a service manager holds sockets */
	struct container_cache containers;
	int state_dirfd;         /* --state-root or /, for runtime state and unit files; -1 */
	int proc_dirfd;          /* --proc-root or /proc; -1 when it could not be opened */
	struct cgroup_paths cgroups;
	struct hostnames hosts;  /* -r's host names */
	char *replay;           /* the --replay-netlink capture, for the interfaces in it */
	size_t replay_len;
	bool etc_loaded;        /* services.etc holds /etc/services (or --services-file) */
	unsigned hidepid;       /* the hidepid= level of the /proc walked, 0 if none */
	struct procfs_self self; /* what listen is, when holders were looked for: why one may
				  * be hidden (run.owners.denials say of each) */
	size_t unowned;         /* sockets (before --process and --user) with no holder found */
	bool *held;             /* parallel to owners.procs: a --process or --user match; NULL
				 * without them */
	size_t nheld;           /* how many matched */
	void *bytecode;         /* the filter compiled for the kernel, or NULL */
	size_t bytecode_len;
	bool fw_read;           /* some namespace's ruleset was read */
	bool fw_unread;         /* and some could not be (refused, or failed): verdicts missing */
	bool fw_filters;        /* and one has base chains on the input, forward or prerouting
				 * hooks: there is a firewall to give verdicts of */
	unsigned said;          /* RUN_SAID_*: notices given, which a watch gives once */
	bool md5_hidden;        /* -i: the dump ran without CAP_NET_ADMIN, which the kernel
				 * requires to tell TCP MD5 keys */
	unsigned unseen;        /* DIAG_*: kinds asked for that the kernel could not list (no
				 * mptcp_diag, no vsock_diag): the metrics give no count of them */
	struct unixfile_set unixfiles; /* unix sockets' files, parallel to socks, when the plan
					* looks at them (n 0 otherwise) */
};

/* Notices that the watch's repeated dumps and look-ups give once (run.said). */
enum {
	RUN_SAID_SKIPPED = 1 << 0,  /* namespaces skipped */
	RUN_SAID_FALLBACK = 1 << 1, /* sock_diag missing: /proc/net read */
	RUN_SAID_FIREWALL = 1 << 2, /* the rulesets could not be read */
	RUN_SAID_RAW_FALLBACK = 1 << 8,    /* raw_diag missing: /proc/net/raw read */
	RUN_SAID_PACKET_FALLBACK = 1 << 9, /* packet_diag missing: /proc/net/packet read */
	RUN_SAID_PARTIAL = 1 << 10, /* -A all, -A inet, -f inet: kinds of socket not shown */
	RUN_SAID_UNSEEN = 1 << 11,  /* no mptcp_diag or vsock_diag: those sockets not shown */
};

void run_free(struct run *run);

/* -s: each namespace's counts (sockstat.h) into its view; a namespace that cannot be entered
 * with --all-netns is skipped, as the dump skips it. Prints its errors; returns 0 or a
 * negative errno. */
int run_read_summary(const struct listen_opts *o, struct run *run);

/* The search for the sockets' holders (run_owners.c): one of the two is set. */
struct run_owners {
	struct procfs_walk *walk;
	struct bpf_owners *bpf;
};

/*
 * Start looking for the holders while the sockets are dumped, from the source the plan and
 * the machine choose (plan_owner_source); --verbose says which. Prints its errors; returns 0
 * or a negative errno (--owners=bpf that cannot be honoured is one, never -EINVAL).
 */
int run_owners_start(const struct listen_opts *o, struct run *run, struct run_owners *s);

/* Map the kept sockets to their holders into run->owners, and release s. Prints its
 * errors; returns 0 or a negative errno. */
int run_owners_finish(const struct listen_opts *o, struct run *run, struct run_owners *s);

/* Release s without finishing it. */
void run_owners_cancel(struct run_owners *s);

struct enrich_src;
struct mnl_socket;

/*
 * Collect everything the plan asks for (run->plan, set by the caller with state_dirfd and
 * proc_dirfd -1): namespaces, the filter compiled, sockets dumped and filtered, holders walked,
 * their details, services, interfaces, cgroups. Prints its errors, once; returns 0, -EINVAL
 * for a usage error (a bad filter or namespace name), or another negative errno.
 */
int run_gather(struct listen_opts *o, struct run *run);

/* run_gather in the steps the watch repeats (watch.c). run_prepare: the namespaces, the
 * filter resolved and compiled, /proc opened (once). run_dump: the sockets of every view
 * appended to run->socks and filtered (each poll). run_look_up_again: what run_gather looks up
 * after the dump, for the sockets in run->socks, forgetting the previous look-up's holders,
 * interfaces and rulesets first (each poll that found new sockets). Each prints its errors. */
int run_prepare(struct listen_opts *o, struct run *run);
int run_dump(const struct listen_opts *o, struct run *run);
int run_look_up_again(const struct listen_opts *o, struct run *run);

/*
 * The namespaces to look in (run_netns.c): the one listen runs in; the one -N or --netns
 * names; or every one with --all-netns, each labelled. Opens the state root too. Prints its
 * errors; -EINVAL for a bad name (a usage error).
 */
int run_setup_namespaces(const struct listen_opts *o, struct run *run, int proc_dirfd);

/* With -N NAME: whether NAME under /run/netns no longer names the namespace listen holds
 * (`ip netns del`, or another one made under that name). */
bool run_namespace_unnamed(const struct run *run);

/*
 * --all-netns --watch: the namespaces listed again. Those still there keep their views (and
 * what was looked up in them), new ones get a view (labelled), the inodes of those gone are
 * put in vanished (room for run->nviews) and their views released. View indexes change: the
 * sockets in run->socks refer to the old ones. Prints its errors.
 */
int run_follow_namespaces(struct run *run, uint64_t *vanished, size_t *nvanished);

/* The run's records as enrichment reads them; src->ns is malloc'd (free it, also after an
 * error). Returns 0 or -ENOMEM. */
int run_enrich_source(const struct run *run, struct enrich_src *src);

/* Read the --replay-netlink capture once (run_dump.c). Prints its error. */
int run_load_replay(const struct listen_opts *o, struct run *run);

/* Dump the sockets the plan asks for in every namespace to look in, or replay them from the
 * capture, into run->socks (run_dump.c); with --dump-netlink, write the capture. Prints its
 * errors. */
int run_collect(const struct listen_opts *o, struct run *run);

/* The interfaces of namespace v, dumped once (run.c). Prints its errors. */
int run_interfaces(const struct listen_opts *o, struct run *run, struct ns_view *v);

/* The /etc/services names (--services-file) into run->services, read once: 0 or the file's
 * error (not said). */
int run_load_etc_services(const struct listen_opts *o, struct run *run);

/* Resolve the filter's names and compile it for the kernel. Prints its errors; returns 0,
 * -EINVAL for a bad filter (a usage error), or another negative errno. */
int run_prepare_filter(struct listen_opts *o, struct run *run);

/* The port of service name for protocols (SVC_TCP | SVC_UDP), /etc/services (or
 * --services-file) read once: 0, -ENOENT when nothing names it, -EEXIST, or the file's error
 * (not said). */
int run_service_port(const struct listen_opts *o, struct run *run, const char *name,
		     unsigned protocols, uint16_t *port);

/* The IP protocol named name in /etc/protocols: 0, -ENOENT, or an error it said. */
int run_ipproto_by_name(struct run *run, const char *name, uint8_t *proto);

/*
 * The firewall rulesets of the run's namespaces (run_firewall.c), when a listener is exposed:
 * read in each namespace with CAP_NET_ADMIN, with their interfaces. Without the capability,
 * or when a namespace cannot be read, says so once and leaves the verdicts out; a namespace
 * with iptables-legacy tables is said once too (its verdicts are unknown). Returns 0, or a
 * negative errno when running short of memory or descriptors (said).
 */
int run_find_firewall(const struct listen_opts *o, struct run *run);

/*
 * -K (run_kill.c). run_kill_check: whether listen may close sockets (CAP_NET_ADMIN of the
 * caller's own, never lent to listen), said when not; -EPERM then. run_kill: close every
 * socket of run->socks in its namespace and keep only those closed there, for the view;
 * each one not closed is said on stderr with the kernel's reason and counted in *failed.
 * Returns 0, or a negative errno (said) when it could not try.
 */
/* A question about one socket, asked on nl (a NETLINK_SOCK_DIAG socket in its namespace):
 * the answer, or a negative errno. */
typedef int run_ask_fn(struct mnl_socket *nl, const struct lsock *sk, uint32_t seq);

/* Ask about each socket of run->socks that want marks (NULL: all), in its namespace; its
 * answer in result (parallel to run->socks.v), a namespace's error for the sockets of one
 * that could not be entered. Returns 0, or -EMFILE, -ENFILE (not said). */
int run_ask_each(struct run *run, const bool *want, run_ask_fn *ask, int *result);

/* The sockets of run->socks with an inode and no holder found, when some processes could not
 * be read: those the kernel no longer has were closed before the look-up, not hidden. Moves
 * them to the end of run->socks (the others keep their order) and returns how many, fixing
 * run->unowned; a socket it cannot ask about counts as there. Returns the count or -ENOMEM,
 * -EMFILE, -ENFILE (said). */
int run_split_gone(struct run *run);

int run_kill_check(void);

/* --dry-run: the sockets -K would close stay in run->socks; those the kernel cannot close
 * (MPTCP, SCTP, vsock) are said on stderr, one line each, and counted in *failed, as -K
 * would. Returns 0. */
int run_kill_dry(struct run *run, size_t *failed);
int run_kill(struct run *run, size_t *failed);

/*
 * -Z and -z (run_selinux.c). run_check_selinux: whether SELinux is on (selinux.h; a
 * --proc-root tree says so itself); where it is not, says so as ss does and returns
 * -EOPNOTSUPP. run_read_contexts: the holders' contexts (and with -z their socket fds'),
 * read with the privilege their /proc entries need; those refused are said once. Both return
 * 0 or a negative errno (said).
 */
int run_check_selinux(const struct listen_opts *o, struct run *run);
int run_read_contexts(const struct listen_opts *o, struct run *run);

/* One line on stderr for error r (a negative errno) about what: "listen: WHAT: REASON", with
 * the limit when it is too many open files; "listen: out of memory" for -ENOMEM. */
void run_report(const char *what, int r);

#endif
