/*
 * The process map: which processes hold which socket inodes.
 *
 * The walk reads every /proc/PID/fd on worker threads and keeps each socket fd it sees,
 * without knowing which sockets will be asked about, so it runs while the socket dump does.
 * Joining the two afterwards is a look-up per socket fd in an inode hash sized to the dump.
 * Process details (stat, owner) are read only for processes that hold a selected socket.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/array.h"
#include "listen/fileio.h"
#include "listen/procfs.h"
#include "listen/sock.h"

#define WALK_MAX_THREADS 4
#define DENTS_SIZE (32 * 1024)

/* A socket fd seen in the walk: inode, the process (index into the pid list) and fd. */
struct sock_fd {
	uint32_t inode;
	uint32_t proc;
	int32_t fd;
};

/* One worker thread's findings. */
struct walker {
	struct procfs_walk *w;
	pthread_t thread;
	bool started;
	struct sock_fd *v;
	size_t len, cap;
	struct procfs_denial *denials; /* the fd tables it was not allowed to read */
	size_t ndenials, denials_cap;
	int error;
	_Alignas(struct dirent64) char dents[DENTS_SIZE]; /* getdents64's records */
};

struct procfs_walk {
	int proc_dirfd;
	uint32_t *pids; /* in readdir order */
	size_t npids;
	atomic_size_t next; /* the next pid to take */
	atomic_bool stop;
	unsigned nworkers;
	struct walker *workers;
	bool adopted; /* another source's findings (procfs_walk_adopt): pids are only holders */
};

/* Open-addressing map from socket inode to record index; inode 0 marks an empty slot. */
struct inode_map {
	uint32_t *inode;
	uint32_t *index;
	uint32_t mask;
};

/* A selected socket's holder, before grouping by socket. */
struct hit {
	uint32_t sock;
	uint32_t pid;
	int32_t fd;
	uint32_t proc; /* index into the pid list, then into procfs_map.procs */
};

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

static int push_sock_fd(struct walker *k, struct sock_fd s)
{
	if (k->len == k->cap && array_grow((void **)&k->v, &k->cap, k->len + 1, sizeof(*k->v)) < 0)
		return -ENOMEM;
	k->v[k->len++] = s;
	return 0;
}

/* Note that the fd table of pid was not readable: err from its directory, or from its links
 * (links). Returns 0 or -ENOMEM. */
static int push_denial(struct walker *k, uint32_t pid, int err, bool links)
{
	if (k->ndenials == k->denials_cap &&
	    array_grow((void **)&k->denials, &k->denials_cap, k->ndenials + 1,
		       sizeof(*k->denials)) < 0)
		return -ENOMEM;
	k->denials[k->ndenials++] = (struct procfs_denial){ .pid = pid, .err = err,
							    .links = links };
	return 0;
}

/* Read one process's fd table, keeping its socket fds. */
static int scan_fds(struct walker *k, uint32_t proc)
{
	char path[24], link[64];
	int dfd, r = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%u/fd", k->w->pids[proc]);
	dfd = openat(k->w->proc_dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = -errno;
		if ((r == -EACCES || r == -EPERM) && push_denial(k, k->w->pids[proc], r, false) < 0)
			return -ENOMEM;
		/* Gone, or not a process directory: nothing to add. Out of descriptors or memory:
		 * its sockets would look like nobody's, so that is an error. */
		return fileio_exhausted(r) ? r : 0;
	}
	/* getdents64 straight into our buffer: no DIR, no allocation per process. */
	while (r == 0 && (n = getdents64(dfd, k->dents, sizeof(k->dents))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(k->dents + off);
			long fd = parse_uint(de->d_name);
			ssize_t len;

			off += de->d_reclen;
			if (fd < 0)
				continue;
			len = readlinkat(dfd, de->d_name, link, sizeof(link));
			if (len < 0 && (errno == EACCES || errno == EPERM)) {
				/* The directory was readable (CAP_DAC_READ_SEARCH) but its
				 * links are not (no ptrace access): the holders are hidden
				 * all the same. */
				r = push_denial(k, k->w->pids[proc], -errno, true) < 0 ?
				    -ENOMEM : 1;
				break;
			}
			if (len < 0 && fileio_exhausted(-errno)) {
				r = -errno;
				break;
			}
			uint32_t ino = len > 0 ? socket_inode(link, (size_t)len) : 0;

			if (ino && push_sock_fd(k, (struct sock_fd){ ino, proc, (int32_t)fd }) < 0)
				r = -ENOMEM;
		}
	}
	/* The process exiting ends the listing early (ENOENT); running short does not. */
	if (r == 0 && n < 0 && fileio_exhausted(-errno))
		r = -errno;
	close(dfd);
	return r < 0 ? r : 0;
}

static void *walker_run(void *arg)
{
	struct walker *k = arg;
	struct procfs_walk *w = k->w;
	size_t i;

	while (!atomic_load_explicit(&w->stop, memory_order_relaxed) &&
	       (i = atomic_fetch_add(&w->next, 1)) < w->npids) {
		k->error = scan_fds(k, (uint32_t)i);
		if (k->error < 0) {
			atomic_store(&w->stop, true);
			break;
		}
	}
	return NULL;
}

/* The pids under the /proc tree, in readdir order. */
static int list_pids(struct procfs_walk *w)
{
	size_t cap = 0;
	struct dirent *de;
	DIR *dir;
	int dfd, r = 0;

	dfd = openat(w->proc_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	dir = fdopendir(dfd);
	if (!dir) {
		r = -errno;
		close(dfd);
		return r;
	}
	for (;;) {
		errno = 0;
		if (!(de = readdir(dir))) {
			r = -errno; /* 0 at the end; a listing cut short would lose processes */
			break;
		}
		long pid = parse_uint(de->d_name);

		if (pid <= 0)
			continue;
		if (w->npids == cap &&
		    array_grow((void **)&w->pids, &cap, w->npids + 1, sizeof(*w->pids)) < 0) {
			r = -ENOMEM;
			break;
		}
		w->pids[w->npids++] = (uint32_t)pid;
	}
	closedir(dir);
	return r;
}

static void walk_free(struct procfs_walk *w)
{
	for (unsigned t = 0; t < w->nworkers; t++) {
		free(w->workers[t].v);
		free(w->workers[t].denials);
	}
	free(w->workers);
	free(w->pids);
	free(w);
}

/* Take part in the walk from the calling thread, then wait for the workers; returns the first
 * error one of them met. */
static int walk_join(struct procfs_walk *w)
{
	int r = 0;

	for (unsigned t = 0; t < w->nworkers; t++)
		if (!w->workers[t].started)
			walker_run(&w->workers[t]);
	for (unsigned t = 0; t < w->nworkers; t++) {
		struct walker *k = &w->workers[t];

		if (k->started)
			pthread_join(k->thread, NULL);
		if (k->error < 0 && r == 0)
			r = k->error;
	}
	return r;
}

int procfs_walk_start(struct procfs_walk **out, int proc_dirfd, unsigned threads)
{
	struct procfs_walk *w = calloc(1, sizeof(*w));
	int r;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->proc_dirfd = proc_dirfd;
	r = list_pids(w);
	if (threads == 0) {
		/* The caller dumps sockets meanwhile, then walks too: one thread per other CPU. */
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cpus <= 2 ? 1 :
			  cpus > WALK_MAX_THREADS ? WALK_MAX_THREADS : (unsigned)cpus - 1;
	}
	/* Each thread's walker, and one for the caller to use when it finishes the walk; none
	 * for an empty tree. */
	w->nworkers = w->npids ? threads + 1 : 0;
	if (r == 0 && w->nworkers && !(w->workers = calloc(w->nworkers, sizeof(*w->workers))))
		r = -ENOMEM;
	if (r < 0) {
		w->nworkers = 0;
		walk_free(w);
		return r;
	}
	for (unsigned t = 0; t < w->nworkers; t++) {
		w->workers[t].w = w;
		w->workers[t].started = t + 1 < w->nworkers &&
			pthread_create(&w->workers[t].thread, NULL, walker_run,
				       &w->workers[t]) == 0;
	}
	*out = w;
	return 0;
}

/* The records of another source become the one walker's findings, in place: the same size,
 * so no second copy of what may be a hundred thousand of them. */
_Static_assert(sizeof(struct procfs_sock_fd) == sizeof(struct sock_fd),
	       "procfs_walk_adopt rewrites records in place");

int procfs_walk_adopt(struct procfs_walk **out, int proc_dirfd, struct procfs_sock_fd *v, size_t n)
{
	struct procfs_walk *w = calloc(1, sizeof(*w));
	size_t npids = 0;

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].pid < v[i - 1].pid) {
			free(v);
			free(w);
			return -EINVAL;
		}
		npids += i == 0 || v[i].pid != v[i - 1].pid;
	}
	if (!w || !(w->pids = malloc((npids ? npids : 1) * sizeof(*w->pids))) ||
	    !(w->workers = calloc(1, sizeof(*w->workers)))) {
		if (w)
			free(w->pids);
		free(w);
		free(v);
		return -ENOMEM;
	}
	w->proc_dirfd = proc_dirfd;
	w->adopted = true;
	w->nworkers = 1;
	w->workers[0].w = w;
	for (size_t i = 0; i < n; i++) {
		struct procfs_sock_fd in = v[i];
		struct sock_fd s;

		if (w->npids == 0 || in.pid != w->pids[w->npids - 1])
			w->pids[w->npids++] = in.pid;
		s = (struct sock_fd){ .inode = in.inode, .proc = (uint32_t)(w->npids - 1),
				      .fd = in.fd };
		memcpy(&v[i], &s, sizeof(s)); /* the memory's type is struct sock_fd from here */
	}
	w->workers[0].v = (struct sock_fd *)(void *)v;
	w->workers[0].len = w->workers[0].cap = n;
	atomic_store(&w->next, w->npids); /* nothing left to walk */
	*out = w;
	return 0;
}

void procfs_walk_cancel(struct procfs_walk *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, true);
	walk_join(w);
	walk_free(w);
}

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
		for (s = inode_slot(h, ino); h->inode[s] && h->inode[s] != ino;
		     s = (s + 1) & h->mask)
			;
		if (h->inode[s])
			continue; /* the same inode twice: the first record gets the owners, the
				   * others share them (procfs_walk_finish) */
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

/* Describe process pid and append it to m->procs; -ENOENT (or another errno that is not
 * fileio_exhausted) if it is gone. */
static int add_proc(struct procfs_map *m, size_t *cap, int proc_dirfd, uint32_t pid)
{
	char path[32], buf[4096];
	const char *name;
	size_t name_len;
	uint32_t ppid = 0;
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "%u/stat", pid);
	n = fileio_read_small(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (procfs_parse_stat(buf, (size_t)n, &name, &name_len, &ppid) < 0) {
		/* No parsable stat: the comm file alone still names the process. */
		snprintf(path, sizeof(path), "%u/comm", pid);
		n = fileio_read_small(proc_dirfd, path, buf, sizeof(buf));
		if (n < 0)
			return (int)n;
		name = buf;
		name_len = (size_t)n;
		if (name_len && buf[name_len - 1] == '\n')
			name_len--;
	}
	snprintf(path, sizeof(path), "%u", pid);
	if (fstatat(proc_dirfd, path, &st, 0) < 0) {
		if (fileio_exhausted(-errno))
			return -errno;
		st.st_uid = (uid_t)-1;
	}
	if (m->nprocs == *cap &&
	    array_grow((void **)&m->procs, cap, m->nprocs + 1, sizeof(*m->procs)) < 0)
		return -ENOMEM;
	char *dup = strndup(name, name_len);

	if (!dup)
		return -ENOMEM;
	m->procs[m->nprocs++] = (struct procfs_proc){ .pid = pid, .ppid = ppid,
						      .uid = (uint32_t)st.st_uid, .name = dup };
	return 0;
}

/* ss lists the holders of a socket in reverse walk order: highest pid, then highest fd. */
static int owner_cmp(const void *a, const void *b)
{
	const struct procfs_owner *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid > y->pid ? -1 : 1;
	return x->fd > y->fd ? -1 : x->fd < y->fd;
}

/* The walk's socket fds that hold one of the sockets, as hits. */
static int select_hits(const struct procfs_walk *w, const struct inode_map *map, struct hit **out,
		       size_t *len)
{
	size_t total = 0, n = 0;
	struct hit *v;

	for (unsigned t = 0; t < w->nworkers; t++)
		total += w->workers[t].len;
	v = malloc((total ? total : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (unsigned t = 0; t < w->nworkers; t++) {
		const struct walker *k = &w->workers[t];

		for (size_t i = 0; i < k->len; i++) {
			uint32_t index;

			if (inode_map_find(map, k->v[i].inode, &index))
				v[n++] = (struct hit){ .sock = index, .pid = w->pids[k->v[i].proc],
						       .fd = k->v[i].fd, .proc = k->v[i].proc };
		}
	}
	*out = v;
	*len = n;
	return 0;
}

static int denial_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct procfs_denial *)a)->pid;
	uint32_t y = ((const struct procfs_denial *)b)->pid;

	return x < y ? -1 : x > y;
}

/* One more denial in m, kept by pid: a process whose details could not be read. */
static int add_denial(struct procfs_map *m, uint32_t pid, int err)
{
	struct procfs_denial *v = realloc(m->denials, (m->ndenials + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	m->denials = v;
	v[m->ndenials++] = (struct procfs_denial){ .pid = pid, .err = err };
	qsort(m->denials, m->ndenials, sizeof(*m->denials), denial_cmp);
	m->denied = (unsigned)m->ndenials;
	return 0;
}

/*
 * Describe each process that holds a selected socket, in readdir order, and point the hits
 * at m->procs. Hits of processes that exited meanwhile get proc UINT32_MAX: as if never seen.
 */
static int describe_holders(const struct procfs_walk *w, struct procfs_map *m, struct hit *hits,
			    size_t nhits)
{
	uint32_t *slot = malloc((w->npids ? w->npids : 1) * sizeof(*slot));
	size_t cap = 0;
	int r = 0;

	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < w->npids; i++)
		slot[i] = UINT32_MAX;
	for (size_t i = 0; i < nhits; i++)
		slot[hits[i].proc] = 0;
	for (size_t i = 0; i < w->npids && r == 0; i++) {
		if (slot[i] == UINT32_MAX)
			continue;
		r = add_proc(m, &cap, w->proc_dirfd, w->pids[i]);
		slot[i] = r == 0 ? (uint32_t)(m->nprocs - 1) : UINT32_MAX;
		/* Seen holding a socket (by another source) but not to be described: hidden. */
		if ((r == -EACCES || r == -EPERM) && add_denial(m, w->pids[i], r) < 0)
			r = -ENOMEM;
		if (!fileio_exhausted(r))
			r = 0; /* it exited: as if never seen */
	}
	for (size_t i = 0; i < nhits; i++)
		hits[i].proc = slot[hits[i].proc];
	free(slot);
	return r;
}

/* Whether pid's fd table reads, tried on its first link: 0 (or it exited, or holds no fd),
 * -EACCES/-EPERM with *links saying whether the directory opened, or the error that makes
 * any answer untrue (fileio_exhausted). */
static int probe_fds(struct walker *k, uint32_t pid, bool *links)
{
	char path[24], link[64];
	ssize_t n;
	int dfd, r = 0;

	*links = false;
	snprintf(path, sizeof(path), "%u/fd", pid);
	dfd = openat(k->w->proc_dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == EACCES || errno == EPERM || fileio_exhausted(-errno) ? -errno : 0;
	*links = true;
	while (r == 0 && (n = getdents64(dfd, k->dents, sizeof(k->dents))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(k->dents + off);

			off += de->d_reclen;
			if (parse_uint(de->d_name) < 0)
				continue;
			if (readlinkat(dfd, de->d_name, link, sizeof(link)) < 0 &&
			    (errno == EACCES || errno == EPERM || fileio_exhausted(-errno)))
				r = -errno;
			close(dfd);
			return r;
		}
	}
	r = n < 0 && fileio_exhausted(-errno) ? -errno : 0;
	close(dfd);
	return r;
}

static int pid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Another source lists only the processes it saw holding sockets, and a hardened kernel may
 * hide a process from the BPF iterator as it hides its fd table from /proc (PID 1 on some
 * machines). So when a selected socket is left without a holder, every process that source did
 * not list is tried as the walk tries it: one whose fd table cannot be read may hold the socket,
 * and becomes a denial in m, reported as the walk's own are. Returns 0 or a negative errno.
 */
static int probe_unlisted(struct procfs_walk *w, struct procfs_map *m)
{
	struct procfs_walk all = { .proc_dirfd = w->proc_dirfd };
	struct walker *k = &w->workers[0];
	size_t first = k->ndenials;
	int r = list_pids(&all);

	for (size_t i = 0; r == 0 && i < all.npids; i++) {
		bool links;

		if (bsearch(&all.pids[i], w->pids, w->npids, sizeof(*w->pids), pid_cmp))
			continue;
		r = probe_fds(k, all.pids[i], &links);
		if (r == -EACCES || r == -EPERM)
			r = push_denial(k, all.pids[i], r, links);
	}
	free(all.pids);
	if (r < 0 || k->ndenials == first)
		return r;
	size_t add = k->ndenials - first;
	struct procfs_denial *v = realloc(m->denials, (m->ndenials + add) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v + m->ndenials, k->denials + first, add * sizeof(*v));
	m->denials = v;
	m->ndenials += add;
	qsort(m->denials, m->ndenials, sizeof(*m->denials), denial_cmp);
	m->denied = (unsigned)m->ndenials;
	return 0;
}

/* The workers' denials in m, by pid. */
static int gather_denials(const struct procfs_walk *w, struct procfs_map *m)
{
	size_t n = 0;

	for (unsigned t = 0; t < w->nworkers; t++)
		n += w->workers[t].ndenials;
	if (!n)
		return 0;
	m->denials = malloc(n * sizeof(*m->denials));
	if (!m->denials)
		return -ENOMEM;
	for (unsigned t = 0; t < w->nworkers; t++)
		for (size_t i = 0; i < w->workers[t].ndenials; i++)
			m->denials[m->ndenials++] = w->workers[t].denials[i];
	qsort(m->denials, m->ndenials, sizeof(*m->denials), denial_cmp);
	m->denied = (unsigned)m->ndenials;
	return 0;
}

int procfs_walk_finish(struct procfs_walk *w, struct procfs_map *m, struct lsock *socks, size_t n)
{
	struct inode_map map = { 0 };
	struct hit *hits = NULL;
	size_t nhits = 0, kept = 0;
	int r;

	*m = (struct procfs_map){ 0 };
	for (size_t i = 0; i < n; i++)
		socks[i].owner_first = socks[i].owner_count = 0;
	if (!w)
		return -EINVAL;
	r = walk_join(w);
	if (r == 0)
		r = gather_denials(w, m);
	if (r == 0)
		r = inode_map_init(&map, socks, n);
	if (r == 0)
		r = select_hits(w, &map, &hits, &nhits);
	if (r == 0)
		r = describe_holders(w, m, hits, nhits);
	if (r == 0 && !(m->owners = malloc((nhits ? nhits : 1) * sizeof(*m->owners))))
		r = -ENOMEM;
	if (r < 0) {
		inode_map_free(&map);
		walk_free(w);
		free(hits);
		return r;
	}
	/* Group by socket in linear time: count each socket's holders, give each its slice of
	 * m->owners, fill the slices, then order each (almost always one holder) like ss. */
	for (size_t i = 0; i < nhits; i++)
		if (hits[i].proc != UINT32_MAX)
			socks[hits[i].sock].owner_count++;
	for (size_t i = 0; i < n; i++) {
		socks[i].owner_first = (uint32_t)kept;
		kept += socks[i].owner_count;
		socks[i].owner_count = 0;
	}
	for (size_t i = 0; i < nhits; i++) {
		struct lsock *sk = &socks[hits[i].sock];

		if (hits[i].proc != UINT32_MAX)
			m->owners[sk->owner_first + sk->owner_count++] = (struct procfs_owner){
				.pid = hits[i].pid, .fd = hits[i].fd, .proc = hits[i].proc };
	}
	for (size_t i = 0; i < n; i++)
		if (socks[i].owner_count > 1)
			qsort(m->owners + socks[i].owner_first, socks[i].owner_count,
			      sizeof(*m->owners), owner_cmp);
	/* Records of one socket (an SCTP endpoint's associations; an MPTCP listener and the TCP
	 * listener the kernel keeps for its subflows) share its holders, as ss shows them. */
	for (size_t i = 0; i < n; i++) {
		uint32_t first;

		if (socks[i].inode && inode_map_find(&map, socks[i].inode, &first) && first != i) {
			socks[i].owner_first = socks[first].owner_first;
			socks[i].owner_count = socks[first].owner_count;
		}
	}
	inode_map_free(&map);
	m->nowners = kept;
	free(hits);
	if (w->adopted && procfs_unowned(socks, n))
		r = probe_unlisted(w, m);
	walk_free(w);
	return r;
}

int procfs_map_owners(struct procfs_map *m, int proc_dirfd, struct lsock *socks, size_t n)
{
	struct procfs_walk *w;
	int r = procfs_walk_start(&w, proc_dirfd, 0);

	if (r < 0) {
		*m = (struct procfs_map){ 0 };
		return r;
	}
	return procfs_walk_finish(w, m, socks, n);
}

void procfs_map_free(struct procfs_map *m)
{
	for (size_t i = 0; i < m->nprocs; i++)
		free(m->procs[i].name);
	for (size_t i = 0; i < m->ndenials; i++)
		free(m->denials[i].name);
	free(m->procs);
	free(m->owners);
	free(m->denials);
	*m = (struct procfs_map){ 0 };
}

size_t procfs_unowned(const struct lsock *socks, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += socks[i].inode != 0 && socks[i].owner_count == 0;
	return count;
}
