/* Cgroup v2 ids (as sock_diag reports them) to paths, for ss's "cgroup:PATH" in -e output. */
#ifndef LISTEN_CGROUP_H
#define LISTEN_CGROUP_H

#include <stddef.h>
#include <stdint.h>

struct cgroup_paths {
	struct cgroup_path *v;
	size_t len;
};

/*
 * Find the cgroup v2 hierarchy's mount point in a /proc/PID/mountinfo text: the first mount of
 * type cgroup2 whose root is "/", with the \\NNN escapes of mountinfo decoded. Returns a
 * malloc'd path, or NULL (errno ENOENT when there is none, ENOMEM).
 */
char *cgroup_find_v2(const char *mountinfo, size_t len);

/*
 * Walk the hierarchy at root_dirfd (not taken over) and record the path, relative to the root
 * and starting with "/", of each of the n ids (duplicates and 0 allowed). The walk stops once
 * every id is found; cgroups that cannot be read or are removed meanwhile are skipped. Returns
 * 0 or a negative errno: -EMFILE, -ENFILE, -ENOMEM when listen ran short (fileio_exhausted),
 * or that of opening the root.
 */
int cgroup_paths_resolve(struct cgroup_paths *cp, int root_dirfd, const uint64_t *ids, size_t n);

/* The path of id, or NULL if the walk did not find it. */
const char *cgroup_path(const struct cgroup_paths *cp, uint64_t id);

void cgroup_paths_free(struct cgroup_paths *cp);

#endif
