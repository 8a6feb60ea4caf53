/* What /proc says of a process: stat, command line, executable, user, cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "listen/fileio.h"
#include "listen/mountinfo.h"
#include "listen/priv.h"
#include "listen/procfs.h"
#include "listen/sock.h"

int procfs_parse_stat(const char *buf, size_t len, const char **name, size_t *name_len,
		      uint32_t *ppid)
{
	const char *open = memchr(buf, '(', len), *close = NULL, *p, *end = buf + len;
	unsigned long v = 0;

	for (p = buf + len; p > buf; p--) {
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	}
	if (!open || !close || close < open)
		return -EINVAL;
	/* ") S 1234 ..." : skip the state letter, then read the parent pid. */
	p = close + 1;
	if (end - p < 4 || p[0] != ' ' || p[2] != ' ')
		return -EINVAL;
	for (p += 3; p < end && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > UINT32_MAX)
			return -EINVAL;
	}
	if (p == close + 4)
		return -EINVAL;
	*name = open + 1;
	*name_len = (size_t)(close - open - 1);
	*ppid = (uint32_t)v;
	return 0;
}

size_t procfs_join_cmdline(char *buf, size_t len)
{
	while (len && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return len;
}

int procfs_cmdline(int proc_dirfd, uint32_t pid, char **out, size_t *len)
{
	char path[32];
	int r;

	snprintf(path, sizeof(path), "%u/cmdline", pid);
	/* Arguments and environment share a few MiB at most; take them whole. */
	r = fileio_read_all(proc_dirfd, path, 16 << 20, out, len);
	if (r < 0)
		return r;
	*len = procfs_join_cmdline(*out, *len);
	if (*len == 0) {
		free(*out);
		*out = NULL;
		return -ENODATA;
	}
	return 0;
}

/* Keep r in *err, the first error that says listen ran short (fileio_exhausted); any other
 * means the detail is not there to read (the process is gone, or is another user's). */
static void keep_exhausted(int *err, int r)
{
	if (*err == 0 && fileio_exhausted(r))
		*err = r;
}

/* The target of PID/exe, or NULL when it cannot be read (another user's process, a kernel
 * thread) or listen runs short (*err set). */
static char *read_exe(int proc_dirfd, uint32_t pid, bool *deleted, int *err)
{
	static const char gone[] = " (deleted)";
	char path[32], buf[4097];
	struct stat st;
	ssize_t n;
	char *exe;

	snprintf(path, sizeof(path), "%u/exe", pid);
	n = readlinkat(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0)
		keep_exhausted(err, -errno);
	if (n <= 0 || (size_t)n >= sizeof(buf))
		return NULL;
	exe = strndup(buf, (size_t)n);
	if (!exe)
		keep_exhausted(err, -ENOMEM);
	/* The kernel marks a file gone from disk with " (deleted)"; a file really named so
	 * still has links (a fixture's dangling link has no file to ask: its name tells). */
	*deleted = exe && (size_t)n >= sizeof(gone) - 1 &&
		   memcmp(buf + n - (sizeof(gone) - 1), gone, sizeof(gone) - 1) == 0 &&
		   !(fstatat(proc_dirfd, path, &st, 0) == 0 && st.st_nlink > 0);
	return exe;
}

/* Names of uids, looked up once per distinct uid. */
struct user_cache {
	struct user_entry {
		uint32_t uid;
		char *name; /* NULL: the uid has no name */
	} *v;
	size_t len;
};

/* The name of uid in *name (NULL when it has none), owned by the cache. Returns 0, or the
 * negative errno of running short (the passwd database could not be opened or read). */
static int user_name(struct user_cache *c, uint32_t uid, const char **name)
{
	struct passwd pw, *res = NULL;
	struct user_entry *v;
	char buf[4096];
	int e;

	for (size_t i = 0; i < c->len; i++) {
		if (c->v[i].uid == uid) {
			*name = c->v[i].name;
			return 0;
		}
	}
	v = reallocarray(c->v, c->len + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->v = v;
	v = &c->v[c->len++];
	*v = (struct user_entry){ .uid = uid };
	e = getpwuid_r(uid, &pw, buf, sizeof(buf), &res);
	if (e && fileio_exhausted(-e))
		return -e;
	if (e == 0 && res && !(v->name = strdup(pw.pw_name)))
		return -ENOMEM;
	*name = v->name;
	return 0;
}

int procfs_stat_field(const char *buf, size_t len, unsigned field, uint64_t *value)
{
	const char *p = NULL, *end = buf + len;
	uint64_t v = 0;

	for (const char *q = end; q > buf; q--) {
		if (q[-1] == ')') {
			p = q;
			break;
		}
	}
	if (!p || field < 3)
		return -EINVAL;
	/* p is after "pid (comm)": field 3 is the next word. */
	for (unsigned f = 2; f < field; f++) {
		if (p >= end || *p != ' ')
			return -EINVAL;
		for (p++; p < end && *p != ' ' && *p != '\n'; p++)
			;
	}
	const char *start = p - 1;

	while (start > buf && start[-1] != ' ')
		start--;
	if (start == p)
		return -EINVAL;
	for (const char *q = start; q < p; q++) {
		if (*q < '0' || *q > '9' || v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	*value = v;
	return 0;
}

int procfs_cgroup_path(const char *buf, size_t len, const char **path, size_t *path_len)
{
	const char *best = NULL, *end = buf + len;
	size_t best_len = 0;
	int best_rank = 0;

	/* Lines "ID:CONTROLLERS:PATH". The v2 line ("0::") names the unit on a unified host;
	 * on a v1 or hybrid host systemd's own tree (name=systemd) does, else any controller. */
	for (const char *line = buf; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *e = nl ? nl : end;
		const char *c1 = memchr(line, ':', (size_t)(e - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(e - c1 - 1)) : NULL;

		if (c2 && c2 + 1 < e && !(e - c2 == 2 && c2[1] == '/')) {
			size_t clen = (size_t)(c2 - c1 - 1);
			int rank = clen == 0 ? 3 :
				   clen == 12 && memcmp(c1 + 1, "name=systemd", 12) == 0 ? 2 : 1;

			if (rank > best_rank) {
				best = c2 + 1;
				best_len = (size_t)(e - c2 - 1);
				best_rank = rank;
			}
		}
		line = nl ? nl + 1 : end;
	}
	if (!best)
		return -ENOENT;
	*path = best;
	*path_len = best_len;
	return 0;
}

/* The boot time in seconds since the epoch, from the btime line of stat; 0 when unknown
 * (*err set when listen ran short). */
static uint64_t boot_time(int proc_dirfd, int *err)
{
	char *buf, *p;
	size_t len;
	uint64_t v = 0;
	int r = fileio_read_all(proc_dirfd, "stat", 1 << 20, &buf, &len);

	keep_exhausted(err, r);
	if (r < 0)
		return 0;
	p = strstr(buf, "\nbtime ");
	if (p)
		v = strtoull(p + 7, NULL, 10);
	free(buf);
	return v;
}

/* When pid started, in seconds since the epoch; 0 when unknown (*err set when listen ran
 * short). */
static uint64_t start_time(int proc_dirfd, uint32_t pid, uint64_t btime, int *err)
{
	char path[32], buf[1024];
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t ticks;
	ssize_t n;

	snprintf(path, sizeof(path), "%u/stat", pid);
	n = fileio_read_small(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0)
		keep_exhausted(err, (int)n);
	if (!btime || hz <= 0 || n <= 0 || procfs_stat_field(buf, (size_t)n, 22, &ticks) < 0)
		return 0;
	return btime + ticks / (uint64_t)hz;
}

/* The comm of pid, without its newline; NULL when unreadable (*err set when listen ran
 * short). */
static char *read_comm(int proc_dirfd, uint32_t pid, int *err)
{
	char path[32], buf[64];
	ssize_t n;
	char *s;

	snprintf(path, sizeof(path), "%u/comm", pid);
	n = fileio_read_small(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0)
		keep_exhausted(err, (int)n);
	if (n <= 0)
		return NULL;
	if (buf[n - 1] == '\n')
		n--;
	s = strndup(buf, (size_t)n);
	if (!s)
		keep_exhausted(err, -ENOMEM);
	return s;
}

/* The effective capabilities of pid (status CapEff) into *caps; false when unreadable (*err
 * set when listen ran short). */
static bool read_caps(int proc_dirfd, uint32_t pid, uint64_t *caps, int *err)
{
	char path[32], buf[4096];
	ssize_t n;

	snprintf(path, sizeof(path), "%u/status", pid);
	n = fileio_read_small(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0)
		keep_exhausted(err, (int)n);
	return n > 0 && procfs_status_field(buf, (size_t)n, "CapEff", caps, 16) == 0;
}

char *procfs_read_cgroup(int proc_dirfd, uint32_t pid, int *err)
{
	char path[32], *buf, *s = NULL;
	const char *cg;
	size_t len, cg_len;
	int r;

	snprintf(path, sizeof(path), "%u/cgroup", pid);
	r = fileio_read_all(proc_dirfd, path, 1 << 20, &buf, &len);
	if (r < 0) {
		keep_exhausted(err, r);
		return NULL;
	}
	if (procfs_cgroup_path(buf, len, &cg, &cg_len) == 0) {
		s = strndup(cg, cg_len);
		if (!s)
			keep_exhausted(err, -ENOMEM);
	}
	free(buf);
	return s;
}

/* What the Unit column needs of procs [from, to): the cgroup and its unit, and a docker-proxy's
 * command line (it says where it forwards). Several run at once on large maps. */
struct unit_job {
	int proc_dirfd;
	const struct procfs_map *m;
	struct procfs_info *info;
	size_t from, to;
	int err; /* the first error of running short */
};

static void *read_units(void *arg)
{
	struct unit_job *j = arg;
	size_t len;

	for (size_t i = j->from; i < j->to && !j->err; i++) {
		const struct procfs_proc *p = &j->m->procs[i];
		struct procfs_info *in = &j->info[i];

		in->cgroup = procfs_read_cgroup(j->proc_dirfd, p->pid, &j->err);
		if (in->cgroup)
			keep_exhausted(&j->err,
				       unit_parse(in->cgroup, strlen(in->cgroup), &in->unit));
		if (p->name && strcmp(p->name, "docker-proxy") == 0)
			keep_exhausted(&j->err,
				       procfs_cmdline(j->proc_dirfd, p->pid, &in->cmdline, &len));
	}
	return NULL;
}

/* Below this many processes one thread reads them: starting others costs more. */
#define INFO_THREADS_FROM 256
#define INFO_MAX_THREADS 4

/* read_units over the whole map, shared between threads when it is large; returns the first
 * error of running short, or 0. */
static int read_all_units(int proc_dirfd, const struct procfs_map *m, struct procfs_info *info)
{
	struct unit_job jobs[INFO_MAX_THREADS];
	pthread_t tids[INFO_MAX_THREADS];
	bool started[INFO_MAX_THREADS] = { false };
	int err = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = m->nprocs < INFO_THREADS_FROM || cpus < 2 ? 1
		   : cpus > INFO_MAX_THREADS ? INFO_MAX_THREADS : (size_t)cpus;

	for (size_t t = 0; t < n; t++)
		jobs[t] = (struct unit_job){ proc_dirfd, m, info, m->nprocs * t / n,
					     m->nprocs * (t + 1) / n, 0 };
	for (size_t t = 1; t < n; t++)
		started[t] = pthread_create(&tids[t], NULL, read_units, &jobs[t]) == 0;
	read_units(&jobs[0]);
	for (size_t t = 1; t < n; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		else
			read_units(&jobs[t]); /* no thread: here, then */
	}
	for (size_t t = 0; t < n && !err; t++)
		err = jobs[t].err;
	return err;
}

int procfs_read_info(int proc_dirfd, const struct procfs_map *m, enum procfs_info_what what,
		     struct procfs_info **out)
{
	struct procfs_info *info = calloc(m->nprocs ? m->nprocs : 1, sizeof(*info));
	int err = info ? 0 : -ENOMEM;
	uint64_t btime = what == PROCFS_INFO_ALL && !err ? boot_time(proc_dirfd, &err) : 0;

	if (!err)
		err = read_all_units(proc_dirfd, m, info);
	for (size_t i = 0; what != PROCFS_INFO_UNIT && i < m->nprocs && !err; i++) {
		const struct procfs_proc *p = &m->procs[i];
		size_t len;

		if (!info[i].cmdline)
			keep_exhausted(&err,
				       procfs_cmdline(proc_dirfd, p->pid, &info[i].cmdline, &len));
		info[i].exe = read_exe(proc_dirfd, p->pid, &info[i].exe_deleted, &err);
		if (what != PROCFS_INFO_ALL)
			continue;
		info[i].parent = p->ppid ? read_comm(proc_dirfd, p->ppid, &err) : NULL;
		info[i].start = start_time(proc_dirfd, p->pid, btime, &err);
	}
	if (err) {
		procfs_info_free(info, m->nprocs);
		return err;
	}
	*out = info;
	return 0;
}

int procfs_read_caps(int proc_dirfd, const struct procfs_map *m, struct procfs_info *info)
{
	int err = 0;

	for (size_t i = 0; i < m->nprocs && !err; i++)
		info[i].caps_known = read_caps(proc_dirfd, m->procs[i].pid, &info[i].caps, &err);
	return err;
}

int procfs_read_users(const struct procfs_map *m, struct procfs_info *info)
{
	struct user_cache users = { 0 };
	int err = 0;

	for (size_t i = 0; i < m->nprocs && !err; i++) {
		const char *user = NULL;

		keep_exhausted(&err, user_name(&users, m->procs[i].uid, &user));
		if (user && !info[i].user && !(info[i].user = strdup(user)))
			keep_exhausted(&err, -ENOMEM);
	}
	for (size_t i = 0; i < users.len; i++)
		free(users.v[i].name);
	free(users.v);
	return err;
}

void procfs_info_free(struct procfs_info *info, size_t n)
{
	for (size_t i = 0; info && i < n; i++) {
		free(info[i].cmdline);
		free(info[i].exe);
		free(info[i].user);
		free(info[i].parent);
		free(info[i].cgroup);
		unit_owner_free(&info[i].unit);
	}
	free(info);
}

/* Whether the calling process is in group gid. */
static bool in_group(unsigned gid)
{
	int n = getgroups(0, NULL);
	gid_t *groups = n > 0 ? malloc((size_t)n * sizeof(*groups)) : NULL;
	bool in = getegid() == gid;

	n = groups ? getgroups(n, groups) : 0;
	for (int i = 0; i < n && !in; i++)
		in = groups[i] == gid;
	free(groups);
	return in;
}

int procfs_hides_others(int proc_dirfd, unsigned *level)
{
	struct procfs_hidepid h;
	struct stat st;
	char *mountinfo;
	size_t len;
	int r;

	*level = 0;
	if (fstat(proc_dirfd, &st) < 0)
		return 0;
	r = fileio_read_all(proc_dirfd, "self/mountinfo", SIZE_MAX, &mountinfo, &len);
	if (r < 0) /* no mount table to go by (a fixture tree): nothing known to be hidden */
		return fileio_exhausted(r) ? r : 0;
	procfs_hidepid(mountinfo, len, major(st.st_dev), minor(st.st_dev), &h);
	free(mountinfo);
	*level = h.level;
	/* Hidden processes are visible to CAP_SYS_PTRACE and to the mount's gid= group. */
	return h.level >= 2 && !priv_can(PRIV_PROCS) && !(h.has_gid && in_group(h.gid));
}

enum procfs_pidns procfs_pidns(int proc_dirfd)
{
	/* The initial pid namespace's inode number is fixed (the kernel's PROC_PID_INIT_INO). */
	static const char init[] = "pid:[4026531836]";
	char link[64];
	ssize_t n = readlinkat(proc_dirfd, "self/ns/pid", link, sizeof(link));

	if (n <= 0)
		return PROCFS_PIDNS_UNKNOWN;
	return n == (ssize_t)strlen(init) && memcmp(link, init, (size_t)n) == 0
	       ? PROCFS_PIDNS_INITIAL : PROCFS_PIDNS_NESTED;
}

/* A hidepid= value: a number, or the name newer kernels print. */
static unsigned hidepid_level(const char *v, size_t n)
{
	static const char *const names[] = { "off", "noaccess", "invisible", NULL, "ptraceable" };

	if (n == 1 && v[0] >= '0' && v[0] <= '4' && v[0] != '3')
		return (unsigned)(v[0] - '0');
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] && mountinfo_is(v, n, names[i]))
			return i;
	return 2; /* a level this code does not know: assume processes are hidden */
}

void procfs_hidepid(const char *mountinfo, size_t len, unsigned major, unsigned minor,
		    struct procfs_hidepid *h)
{
	struct mountinfo_entry e;
	size_t pos = 0, n;
	const char *v;

	*h = (struct procfs_hidepid){ 0 };
	while (mountinfo_next(mountinfo, len, &pos, &e)) {
		if (e.major != major || e.minor != minor ||
		    !mountinfo_is(e.fstype, e.fstype_len, "proc"))
			continue;
		if (mountinfo_option(e.options, e.options_len, "hidepid", &v, &n))
			h->level = hidepid_level(v, n);
		if (mountinfo_option(e.options, e.options_len, "gid", &v, &n) && n && n <= 10) {
			unsigned long long g = 0;
			size_t i = 0;

			for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
				g = g * 10 + (unsigned long long)(v[i] - '0');
			h->has_gid = i == n && g <= 0xffffffffULL;
			h->gid = h->has_gid ? (unsigned)g : 0;
		}
		return;
	}
}
