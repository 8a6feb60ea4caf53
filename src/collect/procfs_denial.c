/*
 * Why a process's fd table could not be read: each such process looked at again after the
 * walk (is it gone, what capabilities does it hold, which user namespace is it in), and what
 * listen itself is (root, its capabilities, its user namespace, the label a security module
 * confines it by). enrich/denial.c turns the two into causes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen/fileio.h"
#include "listen/priv.h"
#include "listen/procfs.h"

/* The kernel's flag for a task that has begun to exit (include/linux/sched.h). */
#define PF_EXITING 0x00000004

int procfs_status_field(const char *buf, size_t len, const char *key, uint64_t *value,
			int base)
{
	size_t klen = strlen(key);

	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;

		if ((size_t)(e - p) > klen + 1 && memcmp(p, key, klen) == 0 && p[klen] == ':') {
			char num[24], *stop;
			const char *v = p + klen + 1;
			size_t n;

			while (v < e && (*v == '\t' || *v == ' '))
				v++;
			for (n = 0; v + n < e && v[n] != '\t' && v[n] != ' '; n++)
				;
			if (n == 0 || n >= sizeof(num))
				return -EINVAL;
			memcpy(num, v, n);
			num[n] = '\0';
			errno = 0;
			*value = strtoull(num, &stop, base);
			return errno || *stop || num[0] == '-' ? -EINVAL : 0;
		}
		p = e + 1;
	}
	return -ENOENT;
}

/* A small file of the /proc tree into buf, NUL-terminated; its length, or a negative errno. */
static ssize_t read_text(int proc_dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n = fileio_read_small(proc_dirfd, path, buf, size - 1);

	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Look again at one process whose fd table was not readable. */
static int examine(int proc_dirfd, struct procfs_denial *d, const char *own_uid_map,
		   bool privileged)
{
	char path[40], buf[4096];
	const char *name, *close;
	size_t name_len;
	uint32_t ppid;
	uint64_t caps;
	ssize_t n;

	d->examined = true;
	free(d->name);
	d->name = NULL;
	snprintf(path, sizeof(path), "%u/stat", d->pid);
	n = read_text(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0) {
		d->gone = n == -ENOENT || n == -ESRCH;
		return fileio_exhausted((int)n) ? (int)n : 0;
	}
	if (procfs_parse_stat(buf, (size_t)n, &name, &name_len, &ppid) == 0) {
		uint64_t flags = 0;

		/* A zombie or a dead task, or one already exiting (PF_EXITING in its flags):
		 * its fd table went, or was going, while it was read. */
		close = name + name_len; /* ") S ..." */
		procfs_stat_field(buf, (size_t)n, 9, &flags);
		d->zombie = close[2] == 'Z';
		d->gone = d->zombie || close[2] == 'X' || close[2] == 'x' || (flags & PF_EXITING);
		if (!(d->name = strndup(name, name_len)))
			return -ENOMEM;
	}
	if (!privileged)
		return 0;
	snprintf(path, sizeof(path), "%u/status", d->pid);
	n = read_text(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0 && fileio_exhausted((int)n))
		return (int)n;
	if (n >= 0 && procfs_status_field(buf, (size_t)n, "CapPrm", &caps, 16) == 0) {
		d->caps_known = true;
		d->caps = caps;
	}
	snprintf(path, sizeof(path), "%u/uid_map", d->pid);
	n = read_text(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0 && fileio_exhausted((int)n))
		return (int)n;
	d->other_userns = n >= 0 && own_uid_map && strcmp(buf, own_uid_map) != 0;
	return 0;
}

int procfs_examine_denials(int proc_dirfd, struct procfs_denial *d, size_t *n, bool privileged)
{
	char own[4096];
	ssize_t len = privileged ? read_text(proc_dirfd, "self/uid_map", own, sizeof(own)) : -1;
	int r = len < 0 && fileio_exhausted((int)len) ? (int)len : 0;
	size_t kept = 0;

	for (size_t i = 0; r == 0 && i < *n; i++)
		if (!d[i].examined)
			r = examine(proc_dirfd, &d[i], len >= 0 ? own : NULL, privileged);
	if (r < 0)
		return r;
	for (size_t i = 0; i < *n; i++) {
		if (d[i].zombie)
			free(d[i].name);
		else
			d[kept++] = d[i];
	}
	*n = kept;
	return 0;
}

/* Whether a uid_map maps every uid onto itself: the initial user namespace's. */
static bool maps_every_uid(const char *map)
{
	unsigned long long inside, outside, count;
	char extra;

	return sscanf(map, " %llu %llu %llu %c", &inside, &outside, &count, &extra) == 3 &&
	       inside == 0 && outside == 0 && count == 4294967295ull;
}

int procfs_read_self(int proc_dirfd, struct procfs_self *s)
{
	char buf[4096];
	uint64_t v;
	ssize_t n;

	*s = (struct procfs_self){ .root = geteuid() == 0, .privileged = priv_can(PRIV_PROCS) };
	if (proc_dirfd < 0)
		return 0;
	n = read_text(proc_dirfd, "self/status", buf, sizeof(buf));
	if (n >= 0 && procfs_status_field(buf, (size_t)n, "CapBnd", &v, 16) == 0) {
		s->bounding_known = true;
		s->bounding = v;
	}
	if (n < 0 && fileio_exhausted((int)n))
		return (int)n;
	n = read_text(proc_dirfd, "self/uid_map", buf, sizeof(buf));
	s->init_userns = n >= 0 && maps_every_uid(buf);
	if (n < 0 && fileio_exhausted((int)n))
		return (int)n;
	/* AppArmor's or SELinux's label of this thread; EINVAL when no module gives one. */
	n = read_text(proc_dirfd, "thread-self/attr/current", buf, sizeof(buf));
	if (n < 0 && fileio_exhausted((int)n))
		return (int)n;
	if (n > 0) {
		size_t len = strcspn(buf, "\n");

		buf[len] = '\0';
		if (len && !strstr(buf, "unconfined") && !(s->lsm = strdup(buf)))
			return -ENOMEM;
	}
	return 0;
}

void procfs_self_free(struct procfs_self *s)
{
	free(s->lsm);
	s->lsm = NULL;
}
