/* The process map: which processes hold which socket inodes, read from a /proc tree. */
#ifndef LISTEN_PROCFS_H
#define LISTEN_PROCFS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "listen/unit.h"

struct lsock;

/* A process that holds at least one selected socket. */
struct procfs_proc {
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid; /* owner of /proc/PID: the effective uid (root's if it is not dumpable) */
	char *name; /* comm as the kernel gives it: untrusted bytes, escape before printing */
};

/* One (process, fd) holding a socket. */
struct procfs_owner {
	uint32_t pid;
	int32_t fd;
	uint32_t proc; /* index into procfs_map.procs */
};

/* A process whose fd table listen was not allowed to read, and what was found out about it
 * afterwards (procfs_examine_denials), for saying why. */
struct procfs_denial {
	uint32_t pid;
	int err;           /* -EACCES or -EPERM */
	bool links;        /* its fd directory opened, the links in it did not read */
	bool examined;     /* the fields below were looked for */
	bool gone;         /* it had exited, or was exiting, when looked at again */
	bool zombie;       /* it is a zombie: its files are closed, it holds nothing */
	bool other_userns; /* in a user namespace other than listen's (its uid_map differs) */
	bool caps_known;
	uint64_t caps;     /* its permitted capabilities (status CapPrm), when caps_known */
	char *name;        /* its comm, untrusted bytes; NULL when unknown */
};

struct procfs_map {
	struct procfs_proc *procs;
	size_t nprocs;
	struct procfs_owner *owners; /* grouped by socket, see lsock.owner_first */
	size_t nowners;
	unsigned denied; /* processes whose fd table we were not allowed to read */
	struct procfs_denial *denials; /* those processes, by pid (denied of them) */
	size_t ndenials;
	bool hidden;     /* /proc hides other users' processes from us (hidepid): set by the
			  * caller from procfs_hidepid */
	bool outside;    /* /proc lists a nested pid namespace's processes, not those outside
			  * it (listen in a container): set by the caller from procfs_pidns */
};

/* Whether some holders may be missing from m: unreadable fd tables, or processes hidden or
 * outside the pid namespace /proc shows. */
static inline bool procfs_map_partial(const struct procfs_map *m)
{
	return m->denied || m->hidden || m->outside;
}

/*
 * Walk the /proc tree at proc_dirfd (not taken over) and record every (pid, fd) holding one
 * of the n sockets, by inode. Sets each socket's owner_first/owner_count into m->owners,
 * ordered like ss (highest pid first, then highest fd). Processes or fds that vanish during
 * the walk are skipped; unreadable fd tables are counted in m->denied. Running short of file
 * descriptors or memory anywhere (fileio_exhausted) is an error, never a process taken for gone.
 * Returns 0 or a negative errno (then m holds nothing to use, but must still be freed).
 */
int procfs_map_owners(struct procfs_map *m, int proc_dirfd, struct lsock *socks, size_t n);

/*
 * The same in two halves, so the walk runs while the sockets are dumped: start reading every
 * fd table under proc_dirfd (not taken over; keep it open until the walk ends) on threads
 * worker threads (0: one per CPU beyond the caller's, at least 1, at most 4), then wait for
 * them and map the sockets' holders, taking part in the rest of the walk from the calling
 * thread. procfs_walk_finish and procfs_walk_cancel free the walk.
 * Both return 0 or a negative errno; after an error m holds nothing, but must be freed.
 */
struct procfs_walk;
int procfs_walk_start(struct procfs_walk **w, int proc_dirfd, unsigned threads);
int procfs_walk_finish(struct procfs_walk *w, struct procfs_map *m, struct lsock *socks, size_t n);
void procfs_walk_cancel(struct procfs_walk *w);

/* A socket fd and the process holding it, found by another source than the walk. */
struct procfs_sock_fd {
	uint32_t inode;
	uint32_t pid;
	int32_t fd;
};

/*
 * A walk already done by another source (the BPF iterator, bpf_owners.h): the n socket fds of
 * v (malloc'd; taken over, also on an error), ordered by pid (each pid's fds together) as
 * /proc lists them. procfs_walk_finish then maps and describes them as it does the walk's own,
 * reading each holder's details from proc_dirfd. Returns 0, -ENOMEM, or -EINVAL when the pids
 * are not in order.
 */
int procfs_walk_adopt(struct procfs_walk **w, int proc_dirfd, struct procfs_sock_fd *v, size_t n);

void procfs_map_free(struct procfs_map *m);

/*
 * Look again at each process of d[0..*n) (a walk's m->denials, or a namespace search's),
 * through the /proc tree at proc_dirfd: whether it is gone, its name, its permitted
 * capabilities, whether its user namespace is listen's. What cannot be read stays unknown.
 * Zombies are dropped (*n shrinks): a zombie has closed its files, so nothing of its is hidden.
 * Capabilities and user namespaces are looked for only when privileged (they tell apart the
 * reasons a privileged listen was refused; the unprivileged one's is its lack of rights).
 * Returns 0, or -EMFILE, -ENFILE or -ENOMEM.
 */
int procfs_examine_denials(int proc_dirfd, struct procfs_denial *d, size_t *n, bool privileged);

/* The number after "KEY:" on a line of a /proc/PID/status text ("CapPrm:\t000001ff..."), read
 * in base (16 for capability sets, 10 for counts). Returns 0, -ENOENT (no such line) or
 * -EINVAL. */
int procfs_status_field(const char *buf, size_t len, const char *key, uint64_t *value,
			int base);

/* What listen itself is, for saying why a process could not be read. */
struct procfs_self {
	bool root;         /* its effective uid is 0 */
	bool privileged;   /* holds or may raise what reading others' fds takes (PRIV_PROCS) */
	bool init_userns;  /* in the initial user namespace (its uid_map maps every uid) */
	bool bounding_known;
	uint64_t bounding; /* its capability bounding set (status CapBnd) */
	char *lsm;         /* the label a security module confines it by (attr/current), NULL
			    * when none does or it is "unconfined" */
};

/* Read what listen is from the /proc tree at proc_dirfd (its self and thread-self); what
 * is not there stays false or NULL. Returns 0, or -EMFILE, -ENFILE or -ENOMEM (never taken for
 * a fact). Release with procfs_self_free, whatever it returned. */
int procfs_read_self(int proc_dirfd, struct procfs_self *s);
void procfs_self_free(struct procfs_self *s);

/* Sockets with an inode but no owner found: when m->denied > 0, their owners are hidden. */
size_t procfs_unowned(const struct lsock *socks, size_t n);

/*
 * Parse the start of a /proc/PID/stat line, "pid (comm) state ppid ...". The name is the
 * text between the first '(' and the last ')', so names with spaces and parentheses work.
 * On success *name and *name_len point into buf. Returns 0 or -EINVAL.
 */
int procfs_parse_stat(const char *buf, size_t len, const char **name, size_t *name_len,
		      uint32_t *ppid);

/*
 * Read the command line of pid from the /proc tree at proc_dirfd: its arguments joined by
 * spaces (see procfs_join_cmdline). *out is malloc'd, NUL-terminated, untrusted bytes.
 * Returns 0, -ENOENT for a vanished process, another negative errno, or -ENODATA for an
 * empty command line (a kernel thread or a zombie).
 */
int procfs_cmdline(int proc_dirfd, uint32_t pid, char **out, size_t *len);

/* What the owner column, JSON and the audit show of a holder, read once per process after the
 * walk. Every string is untrusted bytes (NUL-terminated): escape before printing. */
struct procfs_info {
	char *cmdline; /* arguments joined by spaces; NULL when empty or unreadable */
	char *exe;     /* target of /proc/PID/exe; NULL if unreadable (not ours, a kernel thread) */
	bool exe_deleted; /* the executable is gone from disk: deleted, or replaced by another
			   * file (exe ends in " (deleted)") */
	char *user;    /* the name of procs[i].uid in the passwd database (procfs_read_users);
			* NULL when it has none */
	char *parent;  /* the comm of the parent process; NULL when unknown */
	char *cgroup;  /* the cgroup path naming its unit or container (procfs_cgroup_path) */
	uint64_t start; /* when it started, seconds since the epoch; 0 when unknown */
	bool caps_known; /* caps was read (procfs_read_caps) */
	uint64_t caps;   /* its effective capabilities (status CapEff), with caps_known */
	struct unit_owner unit; /* what cgroup says it belongs to (unit_parse); container names
				 * are the caller's to add (container_name); freed with the rest */
};

/* What procfs_read_info reads: everything, what the Unit column needs (the cgroup, and the
 * command line of a docker-proxy), or that and what identifies the program (the command
 * line and the executable). */
enum procfs_info_what { PROCFS_INFO_ALL, PROCFS_INFO_UNIT, PROCFS_INFO_IDENT };

/*
 * Read the details of each of m's processes into *info, a new array parallel to m->procs.
 * Processes that vanished keep NULLs. Returns 0, or -EMFILE, -ENFILE or -ENOMEM when listen
 * ran short of file descriptors or memory (details it could not read are never taken for
 * ones that are not there). Release with procfs_info_free.
 */
int procfs_read_info(int proc_dirfd, const struct procfs_map *m, enum procfs_info_what what,
		     struct procfs_info **info);
void procfs_info_free(struct procfs_info *info, size_t n);

/* Fill info[i].caps (parallel to m->procs) from each process's status. Returns 0, or -EMFILE,
 * -ENFILE or -ENOMEM; a process gone or unreadable keeps caps_known false. */
int procfs_read_caps(int proc_dirfd, const struct procfs_map *m, struct procfs_info *info);

/*
 * Fill info[i].user (parallel to m->procs) from the passwd database, once per uid. Apart from
 * procfs_read_info because it asks the name service (files, sockets, modules), which runs
 * without the privilege /proc needs. Returns 0, or -ENOMEM, -EMFILE, -ENFILE.
 */
int procfs_read_users(const struct procfs_map *m, struct procfs_info *info);

/*
 * Field number field (1-based, 3 or more: after "pid (comm)") of a /proc/PID/stat line, as a
 * number: 4 is the parent pid, 22 the start time in clock ticks after boot. Returns 0 or
 * -EINVAL.
 */
int procfs_stat_field(const char *buf, size_t len, unsigned field, uint64_t *value);

/*
 * The path of a /proc/PID/cgroup text that shows the process's unit or container: the cgroup
 * v2 line's, else systemd's v1 tree (name=systemd), else any controller's; never "/".
 * *path points into buf. Returns 0 or -ENOENT.
 */
int procfs_cgroup_path(const char *buf, size_t len, const char **path, size_t *path_len);

/* The cgroup path of pid that names its unit or container (procfs_cgroup_path), malloc'd;
 * NULL when unreadable or there is none (*err set to the negative errno when that was for
 * lack of file descriptors or memory: fileio_exhausted). */
char *procfs_read_cgroup(int proc_dirfd, uint32_t pid, int *err);

/* How a proc mount hides processes of other users (its hidepid= and gid= options). */
struct procfs_hidepid {
	unsigned level;   /* 0 off, 1 noaccess, 2 invisible, 4 ptraceable (proc(5)) */
	bool has_gid;     /* members of gid see every process all the same */
	unsigned gid;
};

/*
 * The hidepid of the proc mount whose superblock is device major:minor (st_dev of a directory
 * in it), from a /proc/PID/mountinfo text; level 0 when that mount does not hide processes,
 * is not a proc mount or is not there. Options may be numbers or names ("hidepid=2",
 * "hidepid=invisible").
 */
void procfs_hidepid(const char *mountinfo, size_t len, unsigned major, unsigned minor,
		    struct procfs_hidepid *h);

/*
 * Whether the proc mount at proc_dirfd hides other users' processes from this process:
 * hidepid=2 or 4, without CAP_SYS_PTRACE (priv_can) or membership of the mount's gid= group.
 * *level gets its hidepid level. Returns 1, 0 (also when there is no mount table, as under a
 * fixture tree), or -EMFILE, -ENFILE, -ENOMEM.
 */
int procfs_hides_others(int proc_dirfd, unsigned *level);

/* The pid namespace of the reader of the proc mount at proc_dirfd (its self/ns/pid). */
enum procfs_pidns {
	PROCFS_PIDNS_UNKNOWN, /* no self/ns/pid to read (a fixture tree) */
	PROCFS_PIDNS_INITIAL, /* the initial one: every process on the machine is listed */
	PROCFS_PIDNS_NESTED,  /* a nested one (a container's): processes outside it are not */
};
enum procfs_pidns procfs_pidns(int proc_dirfd);

/* Turn the NUL-separated arguments of a cmdline file into one line in place: NULs become
 * spaces, trailing NULs go. Returns the new length. */
size_t procfs_join_cmdline(char *buf, size_t len);

#endif
