/* Network namespaces: naming, finding, and entering them on a helper thread. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/array.h"
#include "listen/fileio.h"
#include "listen/netns.h"
#include "listen/priv.h"
#include "listen/procfs.h"

/* A kernel thread's flag in /proc/PID/stat (PF_KTHREAD in linux/sched.h, not in the uapi). */
#define NETNS_PF_KTHREAD 0x00200000u

/* Whether fd is an nsfs file of a network namespace (a stale /run/netns entry is a plain
 * empty file). */
static bool is_netns(int fd)
{
	return ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
}

/* dev and ino of the namespace of a process, by its /proc entry ("1", "self"). */
static int ns_id(int proc_dirfd, const char *pid, uint64_t *dev, uint64_t *ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ns/net", pid);
	if (fstatat(proc_dirfd, path, &st, 0) < 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/* Whether the process at a /proc entry is a kernel thread (PF_KTHREAD in the flags, field 9
 * of its stat): 1 or 0, or the negative errno of running short. */
static int is_kthread(int proc_dirfd, const char *pid)
{
	char path[64], buf[1024];
	uint64_t flags;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stat", pid);
	n = fileio_read_small(proc_dirfd, path, buf, sizeof(buf));
	if (n < 0)
		return fileio_exhausted((int)n) ? (int)n : 0;
	return procfs_stat_field(buf, (size_t)n, 9, &flags) == 0 && (flags & NETNS_PF_KTHREAD);
}

/* Whether the processes at two /proc entries are in the same network namespace, told without
 * their ns links (which need ptrace access): each namespace has /proc/PID/net files of its
 * own. 1 or 0 (cannot tell), or the negative errno of running short. */
static int same_net(int proc_dirfd, const char *a, const char *b)
{
	char path[64];
	struct stat sa, sb;

	snprintf(path, sizeof(path), "%s/net/dev", a);
	if (fstatat(proc_dirfd, path, &sa, 0) < 0)
		return fileio_exhausted(-errno) ? -errno : 0;
	snprintf(path, sizeof(path), "%s/net/dev", b);
	if (fstatat(proc_dirfd, path, &sb, 0) < 0)
		return fileio_exhausted(-errno) ? -errno : 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Ours, and the host's: read once per open or discovery. */
struct ids {
	uint64_t host_dev, host_ino, self_dev, self_ino;
	bool host_known;
};

/*
 * The host's namespace is the initial one, which kernel threads never leave: kthreadd's (pid
 * 2 where kernel threads are visible, the initial pid namespace), or, when its link is not
 * ours to read, ours if we are in it. Pid 1 is no proof: in a container's pid namespace it is
 * the container's init, and no kernel thread is visible there: the host is then unknown.
 * Returns 0 (id->host_known says whether it was found) or a negative errno.
 */
static int read_ids(int proc_dirfd, struct ids *id)
{
	int r;

	*id = (struct ids){ 0 };
	r = ns_id(proc_dirfd, "self", &id->self_dev, &id->self_ino);
	if (r == 0)
		r = is_kthread(proc_dirfd, "2");
	if (r <= 0)
		return r;
	r = ns_id(proc_dirfd, "2", &id->host_dev, &id->host_ino);
	if (r == 0 || fileio_exhausted(r)) {
		id->host_known = r == 0;
		return r;
	}
	r = same_net(proc_dirfd, "self", "2");
	if (r > 0) {
		id->host_dev = id->self_dev;
		id->host_ino = id->self_ino;
		id->host_known = true;
	}
	return r < 0 ? r : 0;
}

/* Take over fd (a checked nsfs file) into ns; an fd for the namespace we are in is closed. */
static void adopt(struct netns *ns, int fd, const struct ids *id)
{
	struct stat st;

	ns->fd = fd;
	if (fstat(fd, &st) == 0) {
		ns->dev = st.st_dev;
		ns->ino = st.st_ino;
	}
	ns->host = id->host_known && ns->dev == id->host_dev && ns->ino == id->host_ino;
	ns->host_unknown = !id->host_known;
	if (ns->dev == id->self_dev && ns->ino == id->self_ino) {
		close(fd);
		ns->fd = -1;
	}
}

static bool all_digits(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Call fn for each network namespace named under run_dir, in the names' order, with its name
 * and its nsfs file's stat; each is open only while it is checked. Stops at fn's first
 * non-zero return and returns it (a negative errno, or a positive "found"); 0 after the last. */
static int each_named(const char *run_dir,
		      int (*fn)(void *arg, const char *name, const struct stat *st), void *arg)
{
	DIR *dir = opendir(run_dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int r = 0;

	if (!dir)
		return fileio_exhausted(-errno) ? -errno : 0; /* none named */
	for (;;) {
		errno = 0;
		if (!(de = readdir(dir))) {
			r = -errno;
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		if (array_grow((void **)&names, &cap, n + 1, sizeof(*names)) < 0 ||
		    !(names[n] = strdup(de->d_name))) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && r == 0; i++) {
		int fd = openat(dirfd(dir), names[i], O_RDONLY | O_CLOEXEC);
		struct stat st;
		bool netns;

		if (fd < 0) {
			if (fileio_exhausted(-errno))
				r = -errno;
			continue; /* removed since, or not ours to open */
		}
		netns = is_netns(fd) && fstat(fd, &st) == 0;
		close(fd);
		if (netns)
			r = fn(arg, names[i], &st);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return r;
}

/* each_named's step for netns_open: the name of the namespace arg points to (its dev and ino
 * set), taken into its name. */
static int name_if_same(void *arg, const char *name, const struct stat *st)
{
	struct netns *ns = arg;

	if (st->st_dev != ns->dev || st->st_ino != ns->ino)
		return 0;
	return (ns->name = strdup(name)) ? 1 : -ENOMEM;
}

int netns_open(struct netns *ns, enum netns_spec how, const char *spec, int proc_dirfd,
	       const char *run_dir, char *err, size_t errlen)
{
	char path[4096];
	int fd, e;

	*ns = (struct netns){ .fd = -1 };
	if (how == NETNS_BY_NAME) {
		if (!*spec || strchr(spec, '/') || strcmp(spec, ".") == 0 ||
		    strcmp(spec, "..") == 0 || strlen(spec) > 255) {
			snprintf(err, errlen, "-N: '%s' is not a namespace name", spec);
			return -EINVAL;
		}
		snprintf(path, sizeof(path), "%s/%s", run_dir, spec);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		e = errno;
		if (fd < 0 && e == ENOENT) {
			snprintf(err, errlen, "-N: no network namespace named '%s' in %s", spec,
				 run_dir);
			return -ENOENT;
		}
	} else if (!*spec) {
		snprintf(err, errlen, "--netns: an empty value: a pid or the path of a namespace");
		return -EINVAL;
	} else if (all_digits(spec)) {
		snprintf(path, sizeof(path), "%s/ns/net", spec);
		priv_raise(PRIV_PROCS); /* another user's process */
		fd = openat(proc_dirfd, path, O_RDONLY | O_CLOEXEC);
		e = errno;
		priv_lower();
		if (fd < 0 && e == ENOENT) {
			snprintf(err, errlen, "--netns: no process %s", spec);
			return -ENOENT;
		}
		if (fd < 0 && !fileio_exhausted(-e)) {
			snprintf(err, errlen, "--netns: the network namespace of process %s: %s",
				 spec, strerror(e));
			return -e;
		}
	} else {
		/* A user's path: an nsfs file is a regular file; a FIFO or device is not opened
		 * for long enough to wait on it. */
		snprintf(path, sizeof(path), "%s", spec);
		fd = fileio_open_regular(AT_FDCWD, path);
		e = fd < 0 ? -fd : 0;
		if (fd < 0 && e == ENOENT) {
			snprintf(err, errlen, "--netns: %s: no such file", spec);
			return -ENOENT;
		}
		if (fd < 0 && !fileio_exhausted(fd)) { /* the user's path: a usage error */
			snprintf(err, errlen, "--netns: %s: %s", spec,
				 e == FILEIO_ENOTREG || e == EISDIR ? "not a network namespace"
								    : strerror(e));
			return -EINVAL;
		}
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (!is_netns(fd)) {
		close(fd);
		snprintf(err, errlen, "%s: not a network namespace", path);
		return -EINVAL;
	}
	if (how != NETNS_BY_NAME && all_digits(spec))
		ns->pid = (uint32_t)strtoul(spec, NULL, 10);
	if (how == NETNS_BY_NAME && !(ns->name = strdup(spec))) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	struct ids id;

	priv_raise(PRIV_PROCS); /* kthreadd's namespace, to tell the host's */
	int r = read_ids(proc_dirfd, &id);

	priv_lower();
	if (fileio_exhausted(r)) { /* anything else: the host is unknown */
		close(fd);
		snprintf(err, errlen, "cannot tell the host's network namespace: %s", strerror(-r));
		return r;
	}
	adopt(ns, fd, &id);
	/* A namespace named by pid or path is labelled by its name, as -N and --all-netns do. */
	if (how != NETNS_BY_NAME && (r = each_named(run_dir, name_if_same, ns)) < 0) {
		netns_free(ns);
		snprintf(err, errlen, "%s: %s", run_dir, strerror(-r));
		return r;
	}
	return 0;
}

struct list {
	struct netns_set *set;
	size_t cap;
	int proc_dirfd;
	const char *run_dir;
	struct ids id;
};

static struct netns *find(struct netns_set *set, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < set->len; i++)
		if (set->v[i].dev == dev && set->v[i].ino == ino)
			return &set->v[i];
	return NULL;
}

/* The entry of namespace dev/ino, added unless it is known: to be reopened by name or pid
 * unless it is the one listen runs in. NULL when memory ran out. */
static struct netns *add(struct list *l, uint64_t dev, uint64_t ino)
{
	struct netns_set *set = l->set;
	struct netns *have = find(set, dev, ino);

	if (have)
		return have;
	if (array_grow((void **)&set->v, &l->cap, set->len + 1, sizeof(*set->v)) < 0)
		return NULL;
	set->v[set->len] = (struct netns){
		.dev = dev,
		.ino = ino,
		.fd = -1,
		.reopen = !(dev == l->id.self_dev && ino == l->id.self_ino),
		.host = l->id.host_known && dev == l->id.host_dev && ino == l->id.host_ino,
		.host_unknown = !l->id.host_known,
		.proc_dirfd = l->proc_dirfd,
		.run_dir = l->run_dir,
	};
	return &set->v[set->len++];
}

/* each_named's step for netns_discover: attach the name to its namespace's entry. */
static int add_named_one(void *arg, const char *name, const struct stat *st)
{
	struct netns *ns = add(arg, st->st_dev, st->st_ino);

	return !ns || (!ns->name && !(ns->name = strdup(name))) ? -ENOMEM : 0;
}

/* The names under run_dir, in order, each attached to its namespace. */
static int add_named(struct list *l)
{
	return each_named(l->run_dir, add_named_one, l);
}

/* Note that the namespace of pid could not be read (err). Returns 0 or -ENOMEM. */
static int add_denial(struct netns_set *set, uint32_t pid, int err)
{
	if (set->ndenials == set->denials_cap &&
	    array_grow((void **)&set->denials, &set->denials_cap, set->ndenials + 1,
		       sizeof(*set->denials)) < 0)
		return -ENOMEM;
	set->denials[set->ndenials++] = (struct procfs_denial){ .pid = pid, .err = err };
	set->denied++;
	return 0;
}

/* The namespace of every process, read without opening it. */
static int add_processes(struct list *l)
{
	int fd = openat(l->proc_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;
	struct dirent *de;
	DIR *dir;

	if (fd < 0 || !(dir = fdopendir(fd))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	for (;;) {
		uint64_t dev = 0, ino = 0;
		struct netns *ns;
		uint32_t pid;

		errno = 0;
		if (!(de = readdir(dir))) {
			r = -errno;
			break;
		}
		if (!all_digits(de->d_name))
			continue;
		pid = (uint32_t)strtoul(de->d_name, NULL, 10);
		r = ns_id(l->proc_dirfd, de->d_name, &dev, &ino);
		if ((r == -EACCES || r == -EPERM) && add_denial(l->set, pid, r) < 0) {
			r = -ENOMEM;
			break;
		}
		if (fileio_exhausted(r))
			break;
		if (r < 0) {
			r = 0;
			continue; /* gone since, or not ours to read */
		}
		ns = add(l, dev, ino);
		if (!ns) {
			r = -ENOMEM;
			break;
		}
		if (ns->pid == 0 || pid < ns->pid)
			ns->pid = pid;
	}
	closedir(dir);
	return r;
}

/* The host's first, then named ones by name, then the rest by lowest pid. */
static int order_cmp(const void *pa, const void *pb)
{
	const struct netns *a = pa, *b = pb;

	if (a->host != b->host)
		return a->host ? -1 : 1;
	if (!a->name != !b->name)
		return a->name ? -1 : 1;
	if (a->name)
		return strcmp(a->name, b->name);
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

/* netns_discover's work, with the privilege to read other users' /proc entries. */
static int discover(struct list *l)
{
	struct netns_set *set = l->set;
	int r = read_ids(l->proc_dirfd, &l->id);

	if (r < 0)
		return r;
	/* The host's and ours always; processes then say which pids are in them. */
	if ((l->id.host_known && !add(l, l->id.host_dev, l->id.host_ino)) ||
	    !add(l, l->id.self_dev, l->id.self_ino))
		return -ENOMEM;
	r = add_named(l);
	if (r == 0)
		r = add_processes(l);
	if (r == 0)
		qsort(set->v, set->len, sizeof(*set->v), order_cmp);
	return r;
}

int netns_discover(struct netns_set *set, int proc_dirfd, const char *run_dir)
{
	struct list l = { .set = set, .proc_dirfd = proc_dirfd, .run_dir = run_dir };
	int r;

	*set = (struct netns_set){ 0 };
	priv_raise(PRIV_PROCS); /* every process's namespace: other users' /proc entries */
	r = discover(&l);
	priv_lower();
	return r;
}

void netns_free(struct netns *ns)
{
	if (ns->fd >= 0)
		close(ns->fd);
	free(ns->name);
	free(ns->label);
	*ns = (struct netns){ .fd = -1 };
}

void netns_set_free(struct netns_set *set)
{
	for (size_t i = 0; i < set->len; i++)
		netns_free(&set->v[i]);
	for (size_t i = 0; i < set->ndenials; i++)
		free(set->denials[i].name);
	free(set->v);
	free(set->denials);
	*set = (struct netns_set){ 0 };
}

int netns_label(struct netns *ns, const char *container)
{
	char buf[64];
	const char *text = buf;

	if (ns->host)
		text = "host";
	else if (ns->name)
		text = ns->name;
	else if (container && *container)
		text = container;
	else
		snprintf(buf, sizeof(buf), "net:[%llu]", (unsigned long long)ns->ino);
	free(ns->label);
	ns->label = strdup(text);
	return ns->label ? 0 : -ENOMEM;
}

struct call {
	int fd;
	int (*fn)(void *arg);
	void *arg;
	int r;
};

static void *call_in_ns(void *p)
{
	struct call *c = p;

	/* A thread may enter another network namespace alone: the others stay. Entering is
	 * the one step here that needs privilege. */
	priv_raise(PRIV_NETNS);
	c->r = setns(c->fd, CLONE_NEWNET) < 0 ? -errno : 0;
	priv_lower();
	if (c->r == 0)
		c->r = c->fn(c->arg);
	return NULL;
}

/* Open path (under dirfd) if it still is namespace ns: the fd; -ENOENT when it is gone or is
 * another namespace now (a name made again, a pid reused); or the errno of opening it. */
static int open_same(int dirfd, const char *path, const struct netns *ns)
{
	struct stat st;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ESRCH ? -ENOENT : -errno;
	if (fstat(fd, &st) < 0 || st.st_dev != ns->dev || st.st_ino != ns->ino) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/* Open a namespace netns_discover found: by its name, else (or when the name is gone) by the
 * pid found in it. The fd, or a negative errno as open_same. */
static int reopen(const struct netns *ns)
{
	char path[4096];
	int fd = -ENOENT;

	if (ns->name &&
	    (size_t)snprintf(path, sizeof(path), "%s/%s", ns->run_dir, ns->name) < sizeof(path))
		fd = open_same(AT_FDCWD, path, ns);
	if (fd == -ENOENT && ns->pid) {
		snprintf(path, sizeof(path), "%u/ns/net", ns->pid);
		fd = open_same(ns->proc_dirfd, path, ns);
	}
	return fd;
}

int netns_call(const struct netns *ns, int (*fn)(void *arg), void *arg)
{
	struct call c = { ns->fd, fn, arg, 0 };
	pthread_t t;
	int e;

	if (ns->reopen) {
		priv_raise(PRIV_PROCS); /* by a pid in it: another user's /proc entry */
		c.fd = reopen(ns);
		priv_lower();
		if (c.fd < 0)
			return c.fd;
	}
	if (c.fd < 0)
		return fn(arg);
	e = pthread_create(&t, NULL, call_in_ns, &c);
	if (e == 0)
		pthread_join(t, NULL);
	if (ns->reopen)
		close(c.fd);
	return e ? -e : c.r;
}
