/*
 * Privilege. listen may run with more rights than the user who started it: file capabilities
 * (setcap cap_sys_ptrace,cap_dac_read_search+ep), a set-id install, or ambient capabilities
 * from a service manager. Those rights serve three things and nothing else: reading other
 * processes' /proc entries (and the runtimes' state their cgroups point to), entering
 * network namespaces, and reading their firewall rulesets. They are effective only around
 * those reads, on the thread doing them; every path a user names is opened with the user's
 * own rights.
 *
 * Capabilities belong to threads: a thread started while the caller's are raised has them
 * too, and keeps them until it lowers its own.
 */
#ifndef LISTEN_PRIV_H
#define LISTEN_PRIV_H

#include <stdbool.h>

/* What raised rights are used for; OR them together. */
enum priv_use {
	PRIV_PROCS = 1 << 0, /* other users' /proc/PID entries: CAP_DAC_READ_SEARCH,
			      * CAP_SYS_PTRACE */
	PRIV_NETNS = 1 << 1, /* setns into a network namespace: CAP_SYS_ADMIN */
	PRIV_NETADMIN = 1 << 2, /* reading a namespace's firewall ruleset: CAP_NET_ADMIN */
	PRIV_BPF = 1 << 3,   /* loading the owner iterator (bpf_owners.h): CAP_BPF with
			      * CAP_PERFMON, else CAP_SYS_ADMIN */
};

/*
 * Once, at start, before anything but the standard descriptors is opened and before any thread
 * is started. When listen runs with more rights than its real user (AT_SECURE, a set-id
 * executable, or capabilities held by a user other than root): give up the set-id (uid and gid
 * become the real ones), keep only the capabilities PRIV_* need in the permitted set, and none
 * effective, inheritable or ambient. Root running listen is not raised: it keeps its rights.
 * Returns 0, or a negative errno when rights could not be dropped (listen must not go on).
 */
int priv_init(void);

/* Whether listen runs with more rights than its user (decided by priv_init): options meant for
 * tests and fixtures are refused then. */
bool priv_raised(void);

/* Make the capabilities for use effective on the calling thread. Does nothing unless raised. */
void priv_raise(unsigned use);

/* No capability effective on the calling thread. Does nothing unless raised. */
void priv_lower(void);

/*
 * Whether the calling thread holds, or may raise, every capability use needs (root's always
 * do): whether /proc mounted with hidepid shows this thread every process, for example.
 */
bool priv_can(unsigned use);

/* Whether the calling thread has every capability use needs effective now (not merely may
 * raise them): what the kernel checks for what it gives only to the privileged. */
bool priv_effective(unsigned use);

/*
 * What to tell the user when something that needs use was refused, as a clause to follow a
 * colon: "run as root (or give listen CAP_NET_ADMIN)" when listen lacks the capabilities and is
 * not root; "listen runs as root without CAP_NET_ADMIN: a container or sandbox withholds it"
 * when root's set is bounded; "refused although listen holds CAP_NET_ADMIN: likely a security
 * policy (an LSM)" when it had them. Static text.
 */
const char *priv_advice(unsigned use);

#endif
