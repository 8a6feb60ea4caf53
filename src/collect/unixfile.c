/* The files of unix sockets: owner, group and mode, and who may connect, looked at safely. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "listen/fileio.h"
#include "listen/priv.h"
#include "listen/procfs.h"
#include "listen/sock.h"
#include "listen/unixfile.h"

/* As the kernel's own limit on links followed in one lookup. */
#define UNIXFILE_MAX_LINKS 40
/* Holders whose /proc/PID/root is tried for one socket's file. */
#define UNIXFILE_MAX_ROOTS 8

/* Whether the class a directory puts one of (owner, group or others bits, as the kernel
 * decides for a caller of that uid and gid) may search it. */
static bool searchable(const struct unixfile_dir *d, int who, uint32_t uid, uint32_t gid)
{
	if (who == UNIXFILE_OWNER && d->uid == uid)
		return d->mode & S_IXUSR;
	if (who != UNIXFILE_OTHERS && d->gid == gid)
		return d->mode & S_IXGRP;
	return d->mode & S_IXOTH;
}

unsigned unixfile_reach(uint32_t mode, uint32_t uid, uint32_t gid,
			const struct unixfile_dir *dirs, size_t n)
{
	static const struct {
		int who;
		uint32_t write;
	} classes[] = {
		{ UNIXFILE_OTHERS, S_IWOTH },
		{ UNIXFILE_GROUP, S_IWGRP },
		{ UNIXFILE_OWNER, S_IWUSR },
	};
	unsigned reach = 0;

	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		bool ok = mode & classes[c].write;

		for (size_t i = 0; i < n && ok; i++)
			ok = searchable(&dirs[i], classes[c].who, uid, gid);
		if (ok)
			reach |= (unsigned)classes[c].who;
	}
	return reach;
}

/* The directories searched so far. */
struct dirs {
	struct unixfile_dir *v;
	size_t n, cap;
};

static int push_dir(struct dirs *d, const struct stat *st)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct unixfile_dir *v = reallocarray(d->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = (struct unixfile_dir){ st->st_mode, st->st_uid, st->st_gid };
	return 0;
}

/* What an error of a lookup says: a status, or (negative) an error to return. */
static int status_of(int err, struct unixfile *out)
{
	if (fileio_exhausted(-err))
		return -err;
	if (err == ENOENT || err == ENOTDIR) {
		out->status = UNIXFILE_GONE;
	} else if (err == EACCES || err == EPERM) {
		out->status = UNIXFILE_DENIED;
		out->err = -err;
	} else {
		out->status = UNIXFILE_ERROR;
		out->err = -err;
	}
	return 0;
}

/* Put the link's target before the rest of the path still to walk (rest, within buf). */
static int splice_link(int fd, char *buf, const char **rest)
{
	char target[PATH_MAX];
	ssize_t k = readlinkat(fd, "", target, sizeof(target));
	size_t rlen = strlen(*rest);

	if (k < 0)
		return -errno;
	if ((size_t)k + 1 + rlen + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memmove(buf + k + 1, *rest, rlen + 1);
	memcpy(buf, target, (size_t)k);
	buf[k] = '/';
	*rest = buf;
	return 0;
}

/* Open the directory "/" is, as a new descriptor. */
static int open_root(int root_fd)
{
	int fd = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Whether the file comp in directory dirfd is the socket's (device dev, inode ino), and who
 * may connect to it through dirs. */
static int check_file(int dirfd, const char *comp, uint32_t dev, uint32_t ino,
		      const struct dirs *dirs, struct unixfile *out)
{
	struct stat st;

	if (fstatat(dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return status_of(errno, out);
	if (!S_ISSOCK(st.st_mode) || major(st.st_dev) != dev >> 20 ||
	    minor(st.st_dev) != (dev & 0xfffff) || st.st_ino != ino) {
		out->status = UNIXFILE_REPLACED;
		return 0;
	}
	out->status = UNIXFILE_OK;
	out->mode = st.st_mode & 07777;
	out->uid = st.st_uid;
	out->gid = st.st_gid;
	out->reach = (uint8_t)unixfile_reach(st.st_mode, st.st_uid, st.st_gid, dirs->v, dirs->n);
	return 0;
}

/* Walk the directories of the path in buf from w->root_fd, recording each searched in dirs.
 * When the last component is reached, *dirfd gets the directory holding it (the caller's to
 * close) and last its name; otherwise out says why not (*dirfd -1). Returns 0, or -EMFILE,
 * -ENFILE, -ENOMEM. */
static int walk(const struct unixfile_walk *w, char *buf, struct dirs *dirs, int *dirfd,
		char last[NAME_MAX + 1], struct unixfile *out)
{
	const char *p = buf;
	struct stat root_st, st;
	unsigned links = 0;
	int cur = open_root(w->root_fd), r = 0;

	*dirfd = -1;
	if (cur < 0)
		return status_of(-cur, out);
	if (fstat(cur, &root_st) < 0 || (r = push_dir(dirs, &root_st)) < 0) {
		r = r ? r : status_of(errno, out);
		goto done;
	}
	for (;;) {
		char comp[NAME_MAX + 1];
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0) { /* the path ends in a slash: not a socket's */
			out->status = UNIXFILE_GONE;
			break;
		}
		if (len > NAME_MAX) {
			out->status = UNIXFILE_ERROR;
			out->err = -ENAMETOOLONG;
			break;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len;
		if (p[strspn(p, "/")] == '\0') {
			memcpy(last, comp, len + 1);
			*dirfd = cur;
			return 0;
		}
		if (strcmp(comp, ".") == 0)
			continue;
		struct stat cst;

		/* ".." of "/" is "/", in a holder's root too */
		if (strcmp(comp, "..") == 0 && fstat(cur, &cst) == 0 &&
		    cst.st_dev == root_st.st_dev && cst.st_ino == root_st.st_ino)
			continue;
		int fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0 || fstat(fd, &st) < 0) {
			r = status_of(errno, out);
			if (fd >= 0)
				close(fd);
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			/* Root follows only root's links: another user's could point where that
			 * user may not look. */
			if (w->careful && st.st_uid != 0) {
				out->status = UNIXFILE_LINK;
				out->link_uid = st.st_uid;
				close(fd);
				break;
			}
			r = ++links > UNIXFILE_MAX_LINKS ? -ELOOP : splice_link(fd, buf, &p);
			close(fd);
			if (r < 0) {
				r = status_of(-r, out);
				break;
			}
			if (*p == '/') {
				close(cur);
				cur = open_root(w->root_fd);
				if (cur < 0) {
					r = status_of(-cur, out);
					break;
				}
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			out->status = UNIXFILE_GONE;
			break;
		}
		close(cur);
		cur = fd;
		if ((r = push_dir(dirs, &st)) < 0)
			break;
	}
done:
	if (cur >= 0)
		close(cur);
	return r;
}

/* The directory a path's file is in, walked once for the sockets that share it (they come
 * together, sorted by name): the path up to its last slash, and what walking it gave. */
struct dir_cache {
	char *parent;        /* malloc'd, NULL when empty */
	size_t len;
	int fd;              /* the directory, or -1: walking failed (fail says why) */
	struct dirs dirs;
	struct unixfile fail;
};

static void dir_cache_free(struct dir_cache *c)
{
	free(c->parent);
	free(c->dirs.v);
	if (c->fd >= 0)
		close(c->fd);
	*c = (struct dir_cache){ .fd = -1 };
}

/* unixfile_look, through c: the walk of the path's directory is c's when it is the same. */
static int look_cached(const struct unixfile_walk *w, struct dir_cache *c, const char *path,
		       size_t len, uint32_t dev, uint32_t ino, struct unixfile *out)
{
	char last[NAME_MAX + 1], *buf;
	size_t plen;
	int r;

	*out = (struct unixfile){ 0 };
	len = strnlen(path, len);
	if (len == 0 || path[0] != '/') {
		out->status = UNIXFILE_RELATIVE;
		return 0;
	}
	if (len >= PATH_MAX) {
		out->status = UNIXFILE_ERROR;
		out->err = -ENAMETOOLONG;
		return 0;
	}
	plen = (size_t)((const char *)memrchr(path, '/', len) - path);
	if (c->parent && c->len == plen && memcmp(c->parent, path, plen) == 0) {
		const char *name = path + plen + 1;
		size_t nlen = len - plen - 1;

		if (c->fd < 0) {
			*out = c->fail;
			return 0;
		}
		if (nlen && nlen <= NAME_MAX && !(nlen == 1 && name[0] == '.') &&
		    !(nlen == 2 && name[0] == '.' && name[1] == '.')) {
			memcpy(last, name, nlen);
			last[nlen] = '\0';
			return check_file(c->fd, last, dev, ino, &c->dirs, out);
		}
	}
	dir_cache_free(c);
	buf = malloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, len);
	buf[len] = '\0';
	r = walk(w, buf, &c->dirs, &c->fd, last, out);
	free(buf);
	if (r < 0)
		return r;
	c->fail = *out;
	c->parent = plen ? strndup(path, plen) : strdup("");
	c->len = plen;
	if (!c->parent)
		return -ENOMEM;
	return c->fd >= 0 ? check_file(c->fd, last, dev, ino, &c->dirs, out) : 0;
}

int unixfile_look(const struct unixfile_walk *w, const char *path, size_t len, uint32_t dev,
		  uint32_t ino, struct unixfile *out)
{
	struct dir_cache c = { .fd = -1 };
	int r = look_cached(w, &c, path, len, dev, ino, out);

	dir_cache_free(&c);
	return r;
}

/* Sockets in the order that puts the same file together: name, device, inode. */
static int file_cmp(const void *pa, const void *pb, void *arg)
{
	const struct lsock *socks = arg;
	const struct lsock *a = &socks[*(const size_t *)pa], *b = &socks[*(const size_t *)pb];
	size_t n = a->un.name_len < b->un.name_len ? a->un.name_len : b->un.name_len;
	int c = memcmp(a->un.name, b->un.name, n);

	if (c)
		return c;
	if (a->un.name_len != b->un.name_len)
		return a->un.name_len < b->un.name_len ? -1 : 1;
	if ((a->un.flags & LSOCK_UNIX_VFS) != (b->un.flags & LSOCK_UNIX_VFS))
		return (a->un.flags & LSOCK_UNIX_VFS) ? 1 : -1;
	if (a->un.vfs_dev != b->un.vfs_dev)
		return a->un.vfs_dev < b->un.vfs_dev ? -1 : 1;
	if (a->un.vfs_ino != b->un.vfs_ino)
		return a->un.vfs_ino < b->un.vfs_ino ? -1 : 1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static bool same_file(const struct lsock *a, const struct lsock *b)
{
	return a->un.name_len == b->un.name_len &&
	       memcmp(a->un.name, b->un.name, a->un.name_len) == 0 &&
	       (a->un.flags & LSOCK_UNIX_VFS) == (b->un.flags & LSOCK_UNIX_VFS) &&
	       a->un.vfs_dev == b->un.vfs_dev && a->un.vfs_ino == b->un.vfs_ino;
}

/* Whether the file is worth a look: a socket bound to a path. */
static bool has_path(const struct lsock *sk)
{
	return sk->family == AF_UNIX && (sk->un.flags & LSOCK_UNIX_NAME) && sk->un.name_len &&
	       !lsock_unix_abstract(sk);
}

/* Look again through the roots of the holders of socks[idx[0..k)], the sockets of one file
 * not found as the socket's from the host's root. */
static int look_in_roots(struct unixfile *out, const struct lsock *socks, const size_t *idx,
			 size_t k, int proc_dirfd, const struct procfs_map *m, bool careful)
{
	uint32_t tried[UNIXFILE_MAX_ROOTS];
	size_t ntried = 0;

	for (size_t i = 0; i < k && ntried < UNIXFILE_MAX_ROOTS; i++) {
		const struct lsock *sk = &socks[idx[i]];

		for (size_t j = 0; j < sk->owner_count && ntried < UNIXFILE_MAX_ROOTS; j++) {
			uint32_t pid = m->owners[sk->owner_first + j].pid;
			bool seen = false;
			char path[32];
			struct unixfile u;
			int fd, r;

			for (size_t t = 0; t < ntried && !seen; t++)
				seen = tried[t] == pid;
			if (seen)
				continue;
			tried[ntried++] = pid;
			snprintf(path, sizeof(path), "%u/root", pid);
			priv_raise(PRIV_PROCS); /* another user's /proc entry */
			fd = openat(proc_dirfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
			r = fd < 0 ? -errno : 0;
			priv_lower();
			if (fileio_exhausted(r))
				return r;
			if (r == -EACCES || r == -EPERM)
				out->roots_refused = true;
			if (r < 0)
				continue;
			/* The walk itself goes with the user's own rights. */
			r = unixfile_look(&(struct unixfile_walk){ fd, careful }, sk->un.name,
					  sk->un.name_len, sk->un.vfs_dev, sk->un.vfs_ino, &u);
			close(fd);
			if (r < 0)
				return r;
			if (u.status == UNIXFILE_OK) {
				*out = u;
				out->via_root = true;
				out->root_pid = pid;
				return 0;
			}
		}
	}
	return 0;
}

/* The name of group gid, kept once in set's store; *name NULL when the database has none. */
static int group_name(struct unixfile_set *set, uint32_t gid, const char **name)
{
	struct group gr, *res = NULL;
	size_t size = 1024;
	char *buf = NULL, **v;
	int e;

	*name = NULL;
	do {
		char *nb = realloc(buf, size *= 2);

		if (!nb) {
			free(buf);
			return -ENOMEM;
		}
		buf = nb;
		e = getgrgid_r((gid_t)gid, &gr, buf, size, &res);
	} while (e == ERANGE && size < (1u << 20));
	if (e && fileio_exhausted(-e)) {
		free(buf);
		return -e;
	}
	if (!e && res) {
		v = reallocarray(set->groups, set->ngroups + 1, sizeof(*v));
		if (v)
			set->groups = v;
		if (!v || !(v[set->ngroups] = strdup(res->gr_name))) {
			free(buf);
			return -ENOMEM;
		}
		*name = v[set->ngroups++];
	}
	free(buf);
	return 0;
}

/* The group names of the files whose group may write to them, each gid looked up once. */
static int name_groups(struct unixfile_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct unixfile *u = &set->v[i];
		bool done = false;
		int r;

		if (u->status != UNIXFILE_OK || !(u->mode & S_IWGRP))
			continue;
		for (size_t j = 0; j < i && !done; j++)
			if (set->v[j].status == UNIXFILE_OK && (set->v[j].mode & S_IWGRP) &&
			    set->v[j].gid == u->gid) {
				u->group = set->v[j].group;
				done = true;
			}
		if (!done && (r = group_name(set, u->gid, &u->group)) < 0)
			return r;
	}
	return 0;
}

int unixfile_collect(struct unixfile_set *set, const struct lsock *socks, size_t n,
		     int root_fd, int proc_dirfd, const struct procfs_map *owners, bool careful)
{
	const struct unixfile_walk w = { root_fd, careful };
	struct dir_cache cache = { .fd = -1 };
	size_t *idx, k = 0;
	int r = 0;

	set->v = calloc(n ? n : 1, sizeof(*set->v));
	idx = malloc((n ? n : 1) * sizeof(*idx));
	if (!set->v || !idx) {
		free(idx);
		return -ENOMEM;
	}
	set->n = n;
	for (size_t i = 0; i < n; i++)
		if (has_path(&socks[i]))
			idx[k++] = i;
	if (k)
		qsort_r(idx, k, sizeof(*idx), file_cmp, (void *)socks);
	for (size_t i = 0; i < k && r == 0;) {
		const struct lsock *sk = &socks[idx[i]];
		struct unixfile u = { .status = UNIXFILE_NO_VFS };
		size_t j = i + 1;

		while (j < k && same_file(sk, &socks[idx[j]]))
			j++;
		if (sk->un.flags & LSOCK_UNIX_VFS)
			r = look_cached(&w, &cache, sk->un.name, sk->un.name_len,
					sk->un.vfs_dev, sk->un.vfs_ino, &u);
		if (r == 0 && owners && proc_dirfd >= 0 &&
		    (u.status == UNIXFILE_GONE || u.status == UNIXFILE_REPLACED))
			r = look_in_roots(&u, socks, idx + i, j - i, proc_dirfd, owners, careful);
		for (; i < j; i++)
			set->v[idx[i]] = u;
	}
	dir_cache_free(&cache);
	free(idx);
	return r < 0 ? r : name_groups(set);
}

void unixfile_set_free(struct unixfile_set *set)
{
	for (size_t i = 0; i < set->ngroups; i++)
		free(set->groups[i]);
	free(set->groups);
	free(set->v);
	*set = (struct unixfile_set){ 0 };
}
