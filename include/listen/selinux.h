/* SELinux contexts for -Z and -z: whether SELinux is on (as libselinux decides), and the
 * contexts of the holders and of their socket fds, read without libselinux. */
#ifndef LISTEN_SELINUX_H
#define LISTEN_SELINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct procfs_map;

/* Whether a /proc/filesystems text lists "selinuxfs". */
bool selinux_fs_listed(const char *buf, size_t len);

/*
 * The first selinuxfs mount of a /proc/mounts text: *mnt points into buf (*mnt_len bytes,
 * with the kernel's octal escapes left in), *rdonly when its options start with "ro".
 * Returns 0 or -ENOENT.
 */
int selinux_mounts_find(const char *buf, size_t len, const char **mnt, size_t *mnt_len,
			bool *rdonly);

/* The length of the context in what attr/current or the xattr security.selinux gave: the
 * bytes before the first NUL or newline (the kernel ends it with one or the other). Returns
 * it, or -ENODATA when that is empty. */
ssize_t selinux_context_len(const char *buf, size_t len);

/*
 * Whether SELinux is on, as libselinux says (is_selinux_enabled): a selinuxfs mounted read-write
 * at /sys/fs/selinux or /selinux, else where the /proc tree at proc_dirfd (-1: none) says one
 * is mounted, and etc/selinux/config under root_dirfd (a state root, "/"). With fixture (a
 * test's --proc-root tree), only that tree's mounts say where and whether read-write: no
 * file system of the running machine is asked. Returns 1, 0, or -EMFILE, -ENFILE, -ENOMEM.
 */
int selinux_enabled(int proc_dirfd, int root_dirfd, bool fixture);

/* A context read, or why it was not. */
struct selinux_ctx {
	char *text; /* malloc'd, NUL-terminated, untrusted bytes: escape before printing */
	int err;    /* with text NULL: -EACCES or -EPERM (refused), -ENOENT (gone), -ENODATA
		     * (none), or another negative errno */
};

/* Where the contexts are read from: the running machine's /proc (selinux_source_proc), or a
 * test's stand-in. Each reads into buf (size bytes) and returns the length, or a negative
 * errno (-ERANGE: asked again with more room). */
struct selinux_source {
	ssize_t (*proc)(const struct selinux_source *s, uint32_t pid, char *buf, size_t size);
	ssize_t (*fd)(const struct selinux_source *s, uint32_t pid, int32_t fd, char *buf,
		      size_t size);
	int proc_dirfd; /* the /proc tree, not owned */
};

/* The running machine's: a process's attr/current, and the xattr security.selinux of the
 * file its fd refers to (/proc/PID/fd/N followed to the socket's inode). */
struct selinux_source selinux_source_proc(int proc_dirfd);

/* A --proc-root tree's, which has no inodes to carry an xattr: attr/current as above, and a
 * socket fd's context in the file PID/fdcontext/N (none when it is missing). */
struct selinux_source selinux_source_fixture(int proc_dirfd);

/* The contexts of a walk's holders and, with -z, of the fds they hold their sockets by. */
struct selinux_contexts {
	struct selinux_ctx *procs; /* parallel to procfs_map.procs */
	size_t nprocs;
	struct selinux_ctx *fds;   /* parallel to procfs_map.owners, NULL without fds */
	size_t nfds;
	unsigned procs_refused;    /* how many of them a permission check refused */
	unsigned fds_refused;
};

/*
 * Read the context of each of m's processes and, when fds, of each (pid, fd) holding a
 * socket, from src. What could not be read keeps why (a refusal is never taken for no
 * context). Returns 0, or -EMFILE, -ENFILE or -ENOMEM. Release with selinux_contexts_free,
 * whatever it returned.
 */
int selinux_read_contexts(const struct selinux_source *src, const struct procfs_map *m,
			  bool fds, struct selinux_contexts *c);
void selinux_contexts_free(struct selinux_contexts *c);

/* One word for why a context was not read, for JSON: "refused", "gone", "none" or
 * "unreadable". */
const char *selinux_err_word(int err);

#endif
