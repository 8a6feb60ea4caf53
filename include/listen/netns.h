/*
 * Network namespaces: opening the one a user names, finding every one on the host, and running
 * a collector inside one on a helper thread while the rest of listen stays where it is.
 */
#ifndef LISTEN_NETNS_H
#define LISTEN_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where `ip netns add NAME` mounts its namespaces. */
#define NETNS_RUN_DIR "/run/netns"

struct netns {
	uint64_t dev, ino; /* of the nsfs file: the namespace is net:[ino] */
	int fd;            /* -N, --netns: the open nsfs file; -1 for the namespace listen runs
			    * in, and for those netns_discover found (see reopen) */
	bool reopen;       /* netns_discover found it: netns_call opens it for each call, by name
			    * (under run_dir) or else by pid (under proc_dirfd), and closes it */
	bool host;         /* the host's: the initial namespace, which kernel threads are in */
	bool host_unknown; /* which one is the host's could not be told (no kernel thread's
			    * namespace readable, as in a pid namespace): host is false for every
			    * one, though any may be it */
	uint32_t pid;      /* the lowest pid found in it, 0 if none was */
	char *name;        /* its name under NETNS_RUN_DIR, or NULL */
	char *label;       /* what the Netns column shows (netns_label), or NULL */
	int proc_dirfd;      /* with reopen: the /proc tree it was found in (not owned) */
	const char *run_dir; /* with reopen: the directory of its name (not owned) */
};

struct procfs_denial;

struct netns_set {
	struct netns *v;
	size_t len;
	unsigned denied; /* processes whose namespace could not be read */
	struct procfs_denial *denials; /* those processes, for saying why (procfs.h) */
	size_t ndenials;
	size_t denials_cap;
};

/* How a user named a namespace. */
enum netns_spec { NETNS_BY_NAME, NETNS_BY_PID_OR_PATH };

/*
 * Open the namespace a user named: -N NAME (a name under run_dir), or --netns=PID (the
 * namespace of that process, under the /proc at proc_dirfd) or --netns=PATH (an nsfs file such
 * as /proc/PID/ns/net or a bind mount of one). Fills ns (fd, dev, ino, name for a name) and
 * says whether it is the host's, or that this is unknown. Returns 0; -ENOENT (no such name or
 * process or file), -EINVAL (a bad name, or not a network namespace), both with a one-line
 * message in err; or another negative errno (err set too).
 */
int netns_open(struct netns *ns, enum netns_spec how, const char *spec, int proc_dirfd,
	       const char *run_dir, char *err, size_t errlen);

/*
 * Every distinct network namespace: the host's first (if it can be told: see host_unknown),
 * then those named under run_dir (by name), then those only processes are in (by lowest pid).
 * None is held open: each has fd -1, and all but the one listen runs in have reopen set, so
 * proc_dirfd and run_dir must stay valid while they are used. Names are attached where a
 * namespace has one. Processes whose namespace cannot be read are counted in set->denied.
 * Returns 0 or a negative errno (running short of descriptors or memory is one:
 * fileio_exhausted); release with netns_set_free either way.
 */
int netns_discover(struct netns_set *set, int proc_dirfd, const char *run_dir);

void netns_free(struct netns *ns);
void netns_set_free(struct netns_set *set);

/*
 * The Netns column's text: "host" for the host's, else its name, else container (the name of
 * the container its processes are in, may be NULL), else "net:[INODE]". Sets ns->label;
 * returns 0 or -ENOMEM.
 */
int netns_label(struct netns *ns, const char *container);

/*
 * Run fn(arg) on a new thread that has entered the namespace (setns), and wait for it: the
 * calling thread and the rest of the process stay where they are. Sockets fn opens stay in
 * that namespace after the thread ends. A namespace with reopen set is opened for the call
 * and closed after it. Returns fn's value, or a negative errno: -ENOENT when a reopened
 * namespace is gone (its name or pid is no longer there, or leads to another namespace), that
 * of opening it (-EMFILE...), of entering (-EPERM without CAP_SYS_ADMIN) or of starting the
 * thread.
 */
int netns_call(const struct netns *ns, int (*fn)(void *arg), void *arg);

#endif
