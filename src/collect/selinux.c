/*
 * SELinux contexts without libselinux: whether SELinux is on, decided as libselinux 3.4 decides
 * (a read-write selinuxfs, and a configuration), and the contexts -Z and -z show: a holder's
 * from /proc/PID/attr/current, a socket fd's from the xattr security.selinux of the file
 * /proc/PID/fd/N refers to. Both are the raw contexts (no mcstrans translation).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "listen/fileio.h"
#include "listen/procfs.h"
#include "listen/selinux.h"

#define SELINUXFS_MAGIC 0xf97cff8cu

/* Room for a context at first, and the most asked for (the largest xattr the kernel has). */
#define CTX_FIRST 256
#define CTX_MAX ((size_t)64 << 10)

/* The line of buf at p ending before the next newline (or at the end): its end. */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

bool selinux_fs_listed(const char *buf, size_t len)
{
	static const char name[] = "selinuxfs";
	const char *end = buf + len;

	/* Each line is "nodev\tNAME" or "\tNAME": the name is the last field. */
	for (const char *p = buf; p < end;) {
		const char *e = line_end(p, end), *f = e;

		while (f > p && f[-1] != '\t' && f[-1] != ' ')
			f--;
		if ((size_t)(e - f) == sizeof(name) - 1 && !memcmp(f, name, sizeof(name) - 1))
			return true;
		p = e + 1;
	}
	return false;
}

/* The next space-separated field of [*p, e): its start and length; false when none. */
static bool field(const char **p, const char *e, const char **f, size_t *n)
{
	const char *s = *p, *t;

	while (s < e && *s == ' ')
		s++;
	if (s == e)
		return false;
	for (t = s; t < e && *t != ' '; t++)
		;
	*f = s;
	*n = (size_t)(t - s);
	*p = t;
	return true;
}

int selinux_mounts_find(const char *buf, size_t len, const char **mnt, size_t *mnt_len,
			bool *rdonly)
{
	const char *end = buf + len;

	/* "DEVICE MOUNTPOINT TYPE OPTIONS 0 0" */
	for (const char *p = buf; p < end;) {
		const char *e = line_end(p, end), *q = p, *dev, *dir, *type, *opts;
		size_t ndev, ndir, ntype, nopts;

		if (field(&q, e, &dev, &ndev) && field(&q, e, &dir, &ndir) &&
		    field(&q, e, &type, &ntype) && ntype == 9 && !memcmp(type, "selinuxfs", 9)) {
			bool ok = field(&q, e, &opts, &nopts);

			*mnt = dir;
			*mnt_len = ndir;
			*rdonly = ok && nopts >= 2 && !memcmp(opts, "ro", 2) &&
				  (nopts == 2 || opts[2] == ',');
			return 0;
		}
		p = e + 1;
	}
	return -ENOENT;
}

ssize_t selinux_context_len(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && buf[n] != '\0' && buf[n] != '\n')
		n++;
	return n ? (ssize_t)n : -ENODATA;
}

/* libselinux's test of a mount point: 1 for a read-write selinuxfs, 0 for a read-only one
 * (found, but SELinux is taken for off), -1 for none there. */
static int verify_mount(const char *path)
{
	struct statfs sf;
	struct statvfs sv;

	if (statfs(path, &sf) < 0 || (unsigned)sf.f_type != SELINUXFS_MAGIC ||
	    statvfs(path, &sv) < 0)
		return -1;
	return (sv.f_flag & ST_RDONLY) ? 0 : 1;
}

/* The long way: a selinuxfs /proc lists and mounts somewhere. 1, 0, or a negative errno
 * when listen ran short of descriptors or memory. */
static int mounted_per_proc(int proc_dirfd, bool fixture)
{
	const char *mnt;
	size_t mnt_len;
	bool rdonly;
	char *buf, path[4096];
	size_t len;
	int r;

	if (proc_dirfd < 0)
		return 0;
	r = fileio_read_all(proc_dirfd, "filesystems", (size_t)1 << 20, &buf, &len);
	if (r < 0 && fileio_exhausted(r))
		return r;
	/* As libselinux: a list that cannot be read does not rule selinuxfs out. */
	if (r == 0) {
		bool listed = selinux_fs_listed(buf, len);

		free(buf);
		if (!listed)
			return 0;
	}
	r = fileio_read_all(proc_dirfd, "mounts", (size_t)16 << 20, &buf, &len);
	if (r < 0)
		return fileio_exhausted(r) ? r : 0;
	r = selinux_mounts_find(buf, len, &mnt, &mnt_len, &rdonly);
	if (r == 0 && !fixture && mnt_len < sizeof(path)) {
		memcpy(path, mnt, mnt_len);
		path[mnt_len] = '\0';
		r = verify_mount(path) == 1 ? 1 : 0;
	} else {
		/* A fixture's mount is taken as it says: no statfs can be asked of it. */
		r = r == 0 && fixture && !rdonly;
	}
	free(buf);
	return r;
}

int selinux_enabled(int proc_dirfd, int root_dirfd, bool fixture)
{
	int r = -1;

	if (!fixture) {
		r = verify_mount("/sys/fs/selinux");
		if (r < 0)
			r = verify_mount("/selinux");
	}
	if (r < 0)
		r = mounted_per_proc(proc_dirfd, fixture);
	if (r <= 0 || root_dirfd < 0)
		return r < 0 ? r : 0;
	if (faccessat(root_dirfd, "etc/selinux/config", F_OK, 0) == 0)
		return 1;
	return fileio_exhausted(-errno) ? -errno : 0;
}

/* attr/current of pid: one read, as the kernel gives it whole. */
static ssize_t proc_current(const struct selinux_source *s, uint32_t pid, char *buf,
			    size_t size)
{
	char path[48];
	ssize_t n;

	snprintf(path, sizeof(path), "%u/attr/current", pid);
	n = fileio_read_small(s->proc_dirfd, path, buf, size);
	return n >= 0 && (size_t)n == size - 1 ? -ERANGE : n;
}

/* The xattr of the socket pid's fd refers to. getxattr has no *at form: the path goes
 * through listen's own descriptor of the /proc tree. */
static ssize_t fd_xattr(const struct selinux_source *s, uint32_t pid, int32_t fd, char *buf,
			size_t size)
{
	char path[96];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d/%u/fd/%d", s->proc_dirfd, pid, fd);
	n = getxattr(path, "security.selinux", buf, size);
	return n < 0 ? -errno : n;
}

/* A fixture's stand-in for the xattr: the file PID/fdcontext/N; none when it is missing. */
static ssize_t fd_fixture(const struct selinux_source *s, uint32_t pid, int32_t fd, char *buf,
			  size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%u/fdcontext/%d", pid, fd);
	n = fileio_read_small(s->proc_dirfd, path, buf, size);
	if (n >= 0 && (size_t)n == size - 1)
		return -ERANGE;
	return n == -ENOENT ? -ENODATA : n;
}

struct selinux_source selinux_source_proc(int proc_dirfd)
{
	return (struct selinux_source){ proc_current, fd_xattr, proc_dirfd };
}

struct selinux_source selinux_source_fixture(int proc_dirfd)
{
	return (struct selinux_source){ proc_current, fd_fixture, proc_dirfd };
}

/* One context into *c from src: pid's, or with ow its fd's; buf (*buf, *size) grows while
 * the source says it is too small. Returns 0, or -EMFILE, -ENFILE or -ENOMEM; what could not
 * be read is kept in c->err. */
static int read_one(const struct selinux_source *src, uint32_t pid,
		    const struct procfs_owner *ow, char **buf, size_t *size, struct selinux_ctx *c)
{
	ssize_t n;

	for (;;) {
		n = ow ? src->fd(src, ow->pid, ow->fd, *buf, *size) :
			 src->proc(src, pid, *buf, *size);
		if (n != -ERANGE || *size >= CTX_MAX)
			break;
		char *nb = realloc(*buf, *size * 4);

		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*size *= 4;
	}
	if (n >= 0)
		n = selinux_context_len(*buf, (size_t)n);
	if (n < 0) {
		c->err = (int)n;
		return fileio_exhausted(c->err) ? c->err : 0;
	}
	if (!(c->text = strndup(*buf, (size_t)n)))
		return -ENOMEM;
	return 0;
}

static bool refused(int err)
{
	return err == -EACCES || err == -EPERM;
}

int selinux_read_contexts(const struct selinux_source *src, const struct procfs_map *m,
			  bool fds, struct selinux_contexts *c)
{
	size_t size = CTX_FIRST;
	char *buf = malloc(size);
	int r = 0;

	*c = (struct selinux_contexts){ 0 };
	c->procs = calloc(m->nprocs ? m->nprocs : 1, sizeof(*c->procs));
	if (fds)
		c->fds = calloc(m->nowners ? m->nowners : 1, sizeof(*c->fds));
	if (!buf || !c->procs || (fds && !c->fds)) {
		free(buf);
		return -ENOMEM;
	}
	c->nprocs = m->nprocs;
	c->nfds = fds ? m->nowners : 0;
	for (size_t i = 0; r == 0 && i < m->nprocs; i++) {
		r = read_one(src, m->procs[i].pid, NULL, &buf, &size, &c->procs[i]);
		c->procs_refused += refused(c->procs[i].err);
	}
	for (size_t i = 0; r == 0 && i < c->nfds; i++) {
		r = read_one(src, 0, &m->owners[i], &buf, &size, &c->fds[i]);
		c->fds_refused += refused(c->fds[i].err);
	}
	free(buf);
	return r;
}

void selinux_contexts_free(struct selinux_contexts *c)
{
	for (size_t i = 0; c->procs && i < c->nprocs; i++)
		free(c->procs[i].text);
	for (size_t i = 0; c->fds && i < c->nfds; i++)
		free(c->fds[i].text);
	free(c->procs);
	free(c->fds);
	*c = (struct selinux_contexts){ 0 };
}

const char *selinux_err_word(int err)
{
	return refused(err) ? "refused" : err == -ENOENT || err == -ESRCH ? "gone" :
	       err == -ENODATA || err == -EOPNOTSUPP || err == -EINVAL ? "none" : "unreadable";
}
