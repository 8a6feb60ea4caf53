/*
 * The files of unix sockets bound to a path: who the permissions let connect. Connecting needs
 * write permission on the socket file and search permission on every directory on the way to
 * it, so the file's owner, group and mode and each directory's are read, one component at a
 * time from a directory descriptor (never following a link an unprivileged user could have
 * planted), and the file is the socket's own only when its device and inode are the ones
 * UNIX_DIAG_VFS gave.
 */
#ifndef LISTEN_UNIXFILE_H
#define LISTEN_UNIXFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsock;
struct procfs_map;

/* What looking at a socket's file found. */
enum unixfile_status {
	UNIXFILE_UNCHECKED, /* not looked at: abstract, unbound, or not asked for */
	UNIXFILE_OK,        /* the socket's own file: owner, group, mode and reach are known */
	UNIXFILE_NO_VFS,    /* the kernel gave no device and inode (/proc/net/unix): whether the
			     * file at the path is the socket's cannot be told */
	UNIXFILE_RELATIVE,  /* bound to a relative path: relative to the binder's directory then */
	UNIXFILE_GONE,      /* nothing at the path: removed, or in another mount namespace */
	UNIXFILE_REPLACED,  /* another file at the path: replaced, or another mount namespace */
	UNIXFILE_DENIED,    /* a directory on the path refused listen a look (err) */
	UNIXFILE_LINK,      /* a symbolic link on the path listen does not follow: not root's,
			     * and listen runs as root (link_uid owns it) */
	UNIXFILE_ERROR,     /* another error (err) */
};

/* Who the permissions let connect, besides root: bits of unixfile.reach. */
enum {
	UNIXFILE_OTHERS = 1 << 0, /* any user */
	UNIXFILE_GROUP = 1 << 1,  /* members of the file's group */
	UNIXFILE_OWNER = 1 << 2,  /* the file's owner */
};

/* One socket's file. */
struct unixfile {
	uint8_t status;      /* enum unixfile_status */
	uint8_t reach;       /* UNIXFILE_*, with UNIXFILE_OK */
	bool via_root;       /* found through a holder's /proc/PID/root (root_pid): the socket is
			      * in another mount namespace than listen's (a container's) */
	bool roots_refused;  /* not found here, and a holder's /proc/PID/root could not be
			      * opened: its mount namespace was not looked in */
	int err;             /* with UNIXFILE_DENIED and UNIXFILE_ERROR: a negative errno */
	uint32_t mode;       /* the socket file's mode, owner and group, with UNIXFILE_OK */
	uint32_t uid, gid;
	uint32_t link_uid;   /* with UNIXFILE_LINK */
	uint32_t root_pid;   /* with via_root */
	const char *group;   /* the name of gid (unixfile_set's store), NULL when the group
			      * database has none or it was not looked up */
};

/* A directory searched on the way to a socket file. */
struct unixfile_dir {
	uint32_t mode, uid, gid;
};

/*
 * Who may connect to a socket file of this mode, owner and group, found through the n
 * directories dirs (each searched): UNIXFILE_OTHERS when the file is writable by others and
 * every directory searchable by others; UNIXFILE_GROUP when group-writable and every directory
 * searchable by the file's group (its group bits when the directory has that group, else its
 * others' bits); UNIXFILE_OWNER when owner-writable and every directory searchable by the
 * owner (its owner bits when the owner owns it, else as for the group: the owner is taken
 * for a member of the file's group). Supplementary groups are not known: a directory's group
 * bits count for the file's group only. Pure.
 */
unsigned unixfile_reach(uint32_t mode, uint32_t uid, uint32_t gid,
			const struct unixfile_dir *dirs, size_t n);

/* How a look goes: from which root, and whether links not root's may be followed. */
struct unixfile_walk {
	int root_fd;        /* the directory "/" is (the host's, or a holder's /proc/PID/root) */
	bool careful;       /* listen may search what its user could not (root): follow only
			     * links root owns */
};

/*
 * Look at the file a socket bound to path (len bytes, absolute) has, from w->root_fd, one
 * component at a time, and check it is the one of device dev (kernel encoding, major << 20 |
 * minor) and inode ino. Fills *out (status, and with UNIXFILE_OK mode, owner, group, reach).
 * Returns 0, or -EMFILE, -ENFILE or -ENOMEM when listen ran short (never taken for an answer).
 */
int unixfile_look(const struct unixfile_walk *w, const char *path, size_t len, uint32_t dev,
		  uint32_t ino, struct unixfile *out);

/* Every socket's file, parallel to the sockets, and the group names they point to.
 * Zero-initialise; release with unixfile_set_free. */
struct unixfile_set {
	struct unixfile *v;
	size_t n;
	char **groups;
	size_t ngroups;
};

/*
 * Look at the files of the n sockets socks that are bound to a path (each distinct path,
 * device and inode once), from the host's root root_fd; where the file is not the socket's,
 * through each holder's /proc/PID/root (proc_dirfd, with the privilege to read other users'
 * processes; owners may be NULL: none known), as lsof does. careful as in unixfile_walk.
 * Group names are looked up (without privilege) for the files the group may connect to.
 * Returns 0 or -EMFILE, -ENFILE, -ENOMEM.
 */
int unixfile_collect(struct unixfile_set *set, const struct lsock *socks, size_t n,
		     int root_fd, int proc_dirfd, const struct procfs_map *owners, bool careful);

void unixfile_set_free(struct unixfile_set *set);

#endif
