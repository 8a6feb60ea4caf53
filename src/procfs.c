/* The process map: one readdir of /proc, one readlinkat per fd, an inode hash sized to the work. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/fileio.h"
#include "listen/procfs.h"
#include "listen/sock.h"

/* Open-addressing map from socket inode to record index; inode 0 marks an empty slot. */
struct inode_map {
	uint32_t *inode;
	uint32_t *index;
	uint32_t mask;
};

/* A (socket, pid, fd) found during the walk, before grouping by socket. */
struct hit {
	uint32_t sock;
	uint32_t pid;
	int32_t fd;
	uint32_t proc;
};

struct hits {
	struct hit *v;
	size_t len, cap;
};

static uint32_t inode_slot(const struct inode_map *h, uint32_t inode)
{
	return (inode * 0x9e3779b1u) & h->mask;
}

static int inode_map_init(struct inode_map *h, const struct lsock *socks, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	if (cap > UINT32_MAX)
		return -ENOMEM;
	h->mask = (uint32_t)cap - 1;
	h->inode = calloc(cap, sizeof(*h->inode));
	h->index = malloc(cap * sizeof(*h->index));
	if (!h->inode || !h->index)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint32_t ino = socks[i].inode, s;

		if (ino == 0)
			continue;
		for (s = inode_slot(h, ino); h->inode[s] && h->inode[s] != ino; s = (s + 1) & h->mask)
			;
		if (h->inode[s])
			continue; /* the same inode twice: the first record keeps the owners */
		h->inode[s] = ino;
		h->index[s] = (uint32_t)i;
	}
	return 0;
}

static bool inode_map_find(const struct inode_map *h, uint32_t inode, uint32_t *index)
{
	for (uint32_t s = inode_slot(h, inode); h->inode[s]; s = (s + 1) & h->mask) {
		if (h->inode[s] == inode) {
			*index = h->index[s];
			return true;
		}
	}
	return false;
}

static void inode_map_free(struct inode_map *h)
{
	free(h->inode);
	free(h->index);
}

/* A decimal number made only of digits that fits in 31 bits, or -1. */
static long parse_uint(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT32_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* The inode of a "socket:[N]" link target, or 0 for anything else. */
static uint32_t socket_inode(const char *link, size_t len)
{
	uint64_t v = 0;
	size_t i = 8;

	if (len < 10 || memcmp(link, "socket:[", 8) != 0 || link[len - 1] != ']')
		return 0;
	for (; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT32_MAX)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return i > 8 && v <= UINT32_MAX ? (uint32_t)v : 0;
}

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

/* Read a small file under dirfd into buf (NUL-terminated); returns its length or -errno. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Describe process pid and append it to m->procs; -ENOENT if it is gone. */
static int add_proc(struct procfs_map *m, size_t *cap, int proc_dirfd, uint32_t pid)
{
	char path[32], buf[4096];
	const char *name;
	size_t name_len;
	uint32_t ppid = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%u/stat", pid);
	n = read_small(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (procfs_parse_stat(buf, (size_t)n, &name, &name_len, &ppid) < 0) {
		/* No parsable stat: the comm file alone still names the process. */
		snprintf(path, sizeof(path), "%u/comm", pid);
		n = read_small(proc_dirfd, path, buf, sizeof(buf));
		if (n < 0)
			return (int)n;
		name = buf;
		name_len = (size_t)n;
		if (name_len && buf[name_len - 1] == '\n')
			name_len--;
	}
	if (m->nprocs == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct procfs_proc *v = reallocarray(m->procs, c, sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->procs = v;
		*cap = c;
	}
	char *dup = strndup(name, name_len);
	struct stat st;

	if (!dup)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%u", pid);
	if (fstatat(proc_dirfd, path, &st, 0) < 0)
		st.st_uid = (uid_t)-1;
	m->procs[m->nprocs++] = (struct procfs_proc){ .pid = pid, .ppid = ppid,
						      .uid = (uint32_t)st.st_uid, .name = dup };
	return 0;
}

static int hits_push(struct hits *h, struct hit hit)
{
	if (h->len == h->cap) {
		size_t c = h->cap ? h->cap * 2 : 64;
		struct hit *v = reallocarray(h->v, c, sizeof(*v));

		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = c;
	}
	h->v[h->len++] = hit;
	return 0;
}

/* Scan one process's fd table, appending a hit per selected socket. */
static int scan_fds(int proc_dirfd, uint32_t pid, const struct inode_map *map, struct hits *hits,
		    unsigned *denied)
{
	char path[32];
	struct dirent *de;
	DIR *dir;
	int dfd;

	snprintf(path, sizeof(path), "%u/fd", pid);
	dfd = openat(proc_dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == EACCES || errno == EPERM)
			(*denied)++;
		return 0; /* gone, or not a process directory: nothing to add */
	}
	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return errno == ENOMEM ? -ENOMEM : 0;
	}
	while ((de = readdir(dir))) {
		char link[64];
		uint32_t index;
		long fd = parse_uint(de->d_name);
		ssize_t len;

		if (fd < 0)
			continue;
		len = readlinkat(dfd, de->d_name, link, sizeof(link));
		if (len < 0 && (errno == EACCES || errno == EPERM)) {
			/* The directory was readable (CAP_DAC_READ_SEARCH) but its links are not
			 * (no ptrace access): the holders are hidden all the same. */
			(*denied)++;
			break;
		}
		if (len <= 0)
			continue; /* closed since readdir, or not a link */
		uint32_t ino = socket_inode(link, (size_t)len);

		if (ino && inode_map_find(map, ino, &index) &&
		    hits_push(hits, (struct hit){ .sock = index, .pid = pid, .fd = (int32_t)fd }) < 0) {
			closedir(dir);
			return -ENOMEM;
		}
	}
	closedir(dir);
	return 0;
}

/* ss lists the holders of a socket in reverse walk order: highest pid, then highest fd. */
static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->sock != y->sock)
		return x->sock < y->sock ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid > y->pid ? -1 : 1;
	return x->fd > y->fd ? -1 : x->fd < y->fd;
}

static int walk(struct procfs_map *m, int proc_dirfd, const struct inode_map *map,
		struct hits *hits)
{
	size_t proc_cap = 0;
	struct dirent *de;
	DIR *dir;
	int dfd, r = 0;

	dfd = openat(proc_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	dir = fdopendir(dfd);
	if (!dir) {
		r = -errno;
		close(dfd);
		return r;
	}
	while (r == 0 && (de = readdir(dir))) {
		long pid = parse_uint(de->d_name);
		size_t first = hits->len;

		if (pid <= 0)
			continue;
		r = scan_fds(proc_dirfd, (uint32_t)pid, map, hits, &m->denied);
		if (r < 0 || hits->len == first)
			continue;
		r = add_proc(m, &proc_cap, proc_dirfd, (uint32_t)pid);
		if (r == -ENOMEM)
			break;
		if (r < 0) {
			hits->len = first; /* exited while we looked: as if never seen */
			r = 0;
			continue;
		}
		for (size_t i = first; i < hits->len; i++)
			hits->v[i].proc = (uint32_t)(m->nprocs - 1);
	}
	closedir(dir);
	return r;
}

int procfs_map_owners(struct procfs_map *m, int proc_dirfd, struct lsock *socks, size_t n)
{
	struct inode_map map = { 0 };
	struct hits hits = { 0 };
	int r;

	*m = (struct procfs_map){ 0 };
	for (size_t i = 0; i < n; i++)
		socks[i].owner_first = socks[i].owner_count = 0;
	r = inode_map_init(&map, socks, n);
	if (r == 0)
		r = walk(m, proc_dirfd, &map, &hits);
	inode_map_free(&map);
	if (r < 0) {
		free(hits.v);
		return r;
	}

	if (hits.len)
		qsort(hits.v, hits.len, sizeof(*hits.v), hit_cmp);
	m->owners = malloc((hits.len ? hits.len : 1) * sizeof(*m->owners));
	if (!m->owners) {
		free(hits.v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < hits.len; i++) {
		struct lsock *sk = &socks[hits.v[i].sock];

		if (sk->owner_count++ == 0)
			sk->owner_first = (uint32_t)i;
		m->owners[i] = (struct procfs_owner){ .pid = hits.v[i].pid, .fd = hits.v[i].fd,
						      .proc = hits.v[i].proc };
	}
	m->nowners = hits.len;
	free(hits.v);
	return 0;
}

void procfs_map_free(struct procfs_map *m)
{
	for (size_t i = 0; i < m->nprocs; i++)
		free(m->procs[i].name);
	free(m->procs);
	free(m->owners);
	*m = (struct procfs_map){ 0 };
}

size_t procfs_unowned(const struct lsock *socks, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += socks[i].inode != 0 && socks[i].owner_count == 0;
	return count;
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

/* The target of PID/exe, or NULL when it cannot be read (another user's process, a kernel
 * thread) or memory runs out (*nomem set). */
static char *read_exe(int proc_dirfd, uint32_t pid, bool *nomem)
{
	char path[32], buf[4097];
	ssize_t n;
	char *exe;

	snprintf(path, sizeof(path), "%u/exe", pid);
	n = readlinkat(proc_dirfd, path, buf, sizeof(buf));
	if (n <= 0 || (size_t)n >= sizeof(buf))
		return NULL;
	exe = strndup(buf, (size_t)n);
	*nomem |= !exe;
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

/* The name of uid in *name (NULL when it has none), owned by the cache. */
static int user_name(struct user_cache *c, uint32_t uid, const char **name)
{
	struct passwd pw, *res = NULL;
	struct user_entry *v;
	char buf[4096];

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
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && !(v->name = strdup(pw.pw_name)))
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
			int rank = clen == 0 ? 3 : clen == 12 && memcmp(c1 + 1, "name=systemd", 12) == 0 ? 2 : 1;

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

/* The boot time in seconds since the epoch, from the btime line of stat; 0 when unknown. */
static uint64_t boot_time(int proc_dirfd)
{
	char *buf, *p;
	size_t len;
	uint64_t v = 0;

	if (fileio_read_all(proc_dirfd, "stat", 1 << 20, &buf, &len) < 0)
		return 0;
	p = strstr(buf, "\nbtime ");
	if (p)
		v = strtoull(p + 7, NULL, 10);
	free(buf);
	return v;
}

/* When pid started, in seconds since the epoch; 0 when unknown. */
static uint64_t start_time(int proc_dirfd, uint32_t pid, uint64_t btime)
{
	char path[32], buf[1024];
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t ticks;
	ssize_t n;

	snprintf(path, sizeof(path), "%u/stat", pid);
	n = read_small(proc_dirfd, path, buf, sizeof(buf));
	if (!btime || hz <= 0 || n <= 0 || procfs_stat_field(buf, (size_t)n, 22, &ticks) < 0)
		return 0;
	return btime + ticks / (uint64_t)hz;
}

/* The comm of pid, without its newline; NULL when unreadable (*nomem set on ENOMEM). */
static char *read_comm(int proc_dirfd, uint32_t pid, bool *nomem)
{
	char path[32], buf[64];
	ssize_t n;
	char *s;

	snprintf(path, sizeof(path), "%u/comm", pid);
	n = read_small(proc_dirfd, path, buf, sizeof(buf));
	if (n <= 0)
		return NULL;
	if (buf[n - 1] == '\n')
		n--;
	s = strndup(buf, (size_t)n);
	*nomem |= !s;
	return s;
}

/* The cgroup path of pid that names its unit or container (procfs_cgroup_path). */
static char *read_cgroup(int proc_dirfd, uint32_t pid, bool *nomem)
{
	char path[32], *buf, *s = NULL;
	const char *cg;
	size_t len, cg_len;
	int r;

	snprintf(path, sizeof(path), "%u/cgroup", pid);
	r = fileio_read_all(proc_dirfd, path, 1 << 20, &buf, &len);
	if (r < 0) {
		*nomem |= r == -ENOMEM;
		return NULL;
	}
	if (procfs_cgroup_path(buf, len, &cg, &cg_len) == 0) {
		s = strndup(cg, cg_len);
		*nomem |= !s;
	}
	free(buf);
	return s;
}

int procfs_read_info(int proc_dirfd, const struct procfs_map *m, struct procfs_info **out)
{
	struct procfs_info *info = calloc(m->nprocs ? m->nprocs : 1, sizeof(*info));
	struct user_cache users = { 0 };
	bool nomem = !info;
	uint64_t btime = boot_time(proc_dirfd);

	for (size_t i = 0; i < m->nprocs && !nomem; i++) {
		const struct procfs_proc *p = &m->procs[i];
		const char *user;
		size_t len;

		nomem = procfs_cmdline(proc_dirfd, p->pid, &info[i].cmdline, &len) == -ENOMEM ||
			user_name(&users, p->uid, &user) < 0 ||
			(user && !(info[i].user = strdup(user)));
		info[i].exe = read_exe(proc_dirfd, p->pid, &nomem);
		info[i].parent = p->ppid ? read_comm(proc_dirfd, p->ppid, &nomem) : NULL;
		info[i].cgroup = read_cgroup(proc_dirfd, p->pid, &nomem);
		info[i].start = start_time(proc_dirfd, p->pid, btime);
	}
	for (size_t i = 0; i < users.len; i++)
		free(users.v[i].name);
	free(users.v);
	if (nomem) {
		procfs_info_free(info, m->nprocs);
		return -ENOMEM;
	}
	*out = info;
	return 0;
}

void procfs_info_free(struct procfs_info *info, size_t n)
{
	for (size_t i = 0; info && i < n; i++) {
		free(info[i].cmdline);
		free(info[i].exe);
		free(info[i].user);
		free(info[i].parent);
		free(info[i].cgroup);
	}
	free(info);
}
