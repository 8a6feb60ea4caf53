/* Cgroup v2 ids to paths: a cgroup's id is the inode number of its directory in cgroupfs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/cgroup.h"
#include "listen/mountinfo.h"
#include "listen/fileio.h"
#include "listen/sbuf.h"

struct cgroup_path {
	uint64_t id;
	char *path; /* NULL until the walk finds it */
};

/* Deeper trees than this are not walked: it bounds the recursion on hostile trees. */
#define CGROUP_MAX_DEPTH 128

char *cgroup_find_v2(const char *mountinfo, size_t len)
{
	struct mountinfo_entry e;
	size_t pos = 0;

	while (mountinfo_next(mountinfo, len, &pos, &e))
		if (mountinfo_is(e.fstype, e.fstype_len, "cgroup2") &&
		    mountinfo_is(e.root, e.root_len, "/"))
			return mountinfo_unescape(e.mountpoint, e.mountpoint_len);
	errno = ENOENT;
	return NULL;
}

static int id_cmp(const void *a, const void *b)
{
	const struct cgroup_path *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct cgroup_path *find(const struct cgroup_paths *cp, uint64_t id)
{
	struct cgroup_path key = { .id = id };

	return cp->len ? bsearch(&key, cp->v, cp->len, sizeof(*cp->v), id_cmp) : NULL;
}

/* Record path for id if it is one we look for; returns how many ids were newly found. */
static int note(struct cgroup_paths *cp, uint64_t id, const char *path, size_t *found)
{
	struct cgroup_path *e = find(cp, id);

	if (!e || e->path)
		return 0;
	e->path = strdup(path);
	if (!e->path)
		return -ENOMEM;
	(*found)++;
	return 0;
}

static int walk(struct cgroup_paths *cp, int fd, struct sbuf *path, size_t *found, int depth)
{
	struct dirent *de;
	DIR *dir;
	int r = 0;

	if (depth > CGROUP_MAX_DEPTH)
		return 0;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return fileio_exhausted(r) ? r : 0;
	}
	while (r == 0 && *found < cp->len) {
		errno = 0;
		if (!(de = readdir(dir))) {
			r = fileio_exhausted(-errno) ? -errno : 0; /* else gone meanwhile */
			break;
		}
		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		size_t mark = path->len;

		if (mark > 1)
			sbuf_putc(path, '/');
		sbuf_puts(path, de->d_name);
		if (path->failed) {
			r = -ENOMEM;
			break;
		}
		r = note(cp, de->d_ino, path->s, found);
		int sub = openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		/* A cgroup removed meanwhile has no paths to find; one not opened for lack of
		 * descriptors may have. */
		if (r == 0 && sub < 0 && fileio_exhausted(-errno))
			r = -errno;
		if (r == 0 && sub >= 0)
			r = walk(cp, sub, path, found, depth + 1);
		else if (sub >= 0)
			close(sub);
		path->len = mark;
		path->s[mark] = '\0';
	}
	closedir(dir);
	return r;
}

int cgroup_paths_resolve(struct cgroup_paths *cp, int root_dirfd, const uint64_t *ids, size_t n)
{
	struct sbuf path = { 0 };
	struct stat st;
	size_t found = 0;
	int r, fd;

	*cp = (struct cgroup_paths){ 0 };
	if (n == 0)
		return 0;
	cp->v = calloc(n, sizeof(*cp->v));
	if (!cp->v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		cp->v[i].id = ids[i];
	qsort(cp->v, n, sizeof(*cp->v), id_cmp);
	for (size_t i = 0; i < n; i++) /* keep one entry per id */
		if (cp->len == 0 || cp->v[cp->len - 1].id != cp->v[i].id)
			cp->v[cp->len++] = cp->v[i];

	sbuf_puts(&path, "/");
	if (path.failed)
		return -ENOMEM;
	if (fstat(root_dirfd, &st) == 0 && (r = note(cp, st.st_ino, "/", &found)) < 0) {
		sbuf_free(&path);
		return r;
	}
	fd = openat(root_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = fd < 0 ? -errno : walk(cp, fd, &path, &found, 0);
	sbuf_free(&path);
	return r;
}

const char *cgroup_path(const struct cgroup_paths *cp, uint64_t id)
{
	const struct cgroup_path *e = find(cp, id);

	return e ? e->path : NULL;
}

void cgroup_paths_free(struct cgroup_paths *cp)
{
	for (size_t i = 0; i < cp->len; i++)
		free(cp->v[i].path);
	free(cp->v);
	*cp = (struct cgroup_paths){ 0 };
}
