/*
 * LD_PRELOAD shim for the fault tests: it stands between listen and the C library's socket
 * calls and breaks sock_diag the ways a kernel or sandbox can. LISTEN_FAULT holds
 * comma-separated faults, each KIND@N (the Nth sock_diag reply datagram the process receives,
 * from 1) or KIND@* (every one):
 *   nodiag      socket(AF_NETLINK, ..., NETLINK_SOCK_DIAG) fails with EPROTONOSUPPORT
 *   enobufs@N   that receive fails with ENOBUFS (the kernel dropped replies)
 *   intr@N      its messages carry NLM_F_DUMP_INTR (the table changed during the dump)
 *   eperm@N     it is replaced by an NLMSG_ERROR carrying EPERM (a sandbox says no)
 *   eio@N       the same with EIO (any other failure)
 *   truncate@N  it loses its last 7 bytes
 *   nomem@N     memory runs out: the Nth allocation (malloc, calloc, realloc, reallocarray,
 *               counted from 1 in the whole process, libc's own included) and every one after
 *               it fail with ENOMEM
 *   nomem1@N    the Nth allocation alone fails: a failure that is swallowed shows
 *   Allocations inside getpwuid_r and getaddrinfo are neither counted nor failed: glibc's
 *   NSS crashes when its own state cannot be allocated. With LISTEN_FAULT_NOMEM=FILE the
 *   count goes to FILE at exit, "allocations N", with " failed from OBJECT+OFFSET" (where the
 *   first failed one was called from, for addr2line) when one failed.
 * Always, whatever LISTEN_FAULT says: any attempt to run a program (exec*, posix_spawn*,
 * system, popen, fork) aborts the process. With LISTEN_FAULT_PATHS=FILE every path listen
 * opens, reads a link of or lists is appended to FILE, one per line, for the path checks;
 * with LISTEN_FAULT_CAPS=1 too, each line ends with a tab and "eff=HEX dumpable=N": the
 * capabilities effective on the thread that opened it, so a test sees where privilege was in
 * force, and whether the process could dump core then.
 * With LISTEN_FAULT_EMFILE=GLOB[@N] opening a path that matches GLOB (fnmatch(3) without
 * flags, on the path as given, or DIR/PATH for one relative to a directory fd) fails with
 * EMFILE: every time, or only the Nth such open (from 1), as when descriptors run out there.
 * With LISTEN_FAULT_SLOW=GLOB@MS opening a path that matches GLOB first waits MS milliseconds.
 */
/* The plain and the 64 names are both defined below: no renaming of one to the other. */
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <netdb.h>
#include <pwd.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define FAULT_EVERY 0u

static atomic_uint datagrams; /* sock_diag reply datagrams received so far */
static atomic_uint emfile_matches; /* opens that matched LISTEN_FAULT_EMFILE so far */

/* Does LISTEN_FAULT ask for kind at datagram n (0: the socket() call)? */
static bool wanted(const char *kind, unsigned n)
{
	const char *spec = getenv("LISTEN_FAULT");
	size_t klen = strlen(kind);

	for (const char *p = spec; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		if (strncmp(p, kind, klen) != 0)
			continue;
		if (p[klen] == ',' || p[klen] == '\0')
			return n == 0;
		if (p[klen] != '@')
			continue;
		if (p[klen + 1] == '*')
			return n != 0;
		if (strtoul(p + klen + 1, NULL, 10) == n)
			return true;
	}
	return false;
}

static void *next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f) {
		fprintf(stderr, "fault shim: no %s\n", name);
		abort();
	}
	return f;
}

static bool is_sock_diag(int fd)
{
	int domain = 0, protocol = 0;
	socklen_t len = sizeof(domain);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_NETLINK)
		return false;
	len = sizeof(protocol);
	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) == 0 &&
	       protocol == NETLINK_SOCK_DIAG;
}

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);

	if (!real)
		real = (int (*)(int, int, int))next("socket");
	if (domain == AF_NETLINK && protocol == NETLINK_SOCK_DIAG && wanted("nodiag", 0)) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	return real(domain, type, protocol);
}

/* Break the datagram of n bytes in iov as LISTEN_FAULT says; returns its new length. */
static ssize_t damage(struct msghdr *msg, ssize_t n, unsigned seq)
{
	char *buf = msg->msg_iov[0].iov_base;

	if (wanted("intr", seq)) {
		for (ssize_t at = 0; at + (ssize_t)sizeof(struct nlmsghdr) <= n;) {
			struct nlmsghdr *h = (struct nlmsghdr *)(buf + at);

			if (h->nlmsg_len < sizeof(*h))
				break;
			h->nlmsg_flags |= NLM_F_DUMP_INTR;
			at += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
	bool eperm = wanted("eperm", seq);

	if ((eperm || wanted("eio", seq)) &&
	    msg->msg_iov[0].iov_len >= NLMSG_SPACE(sizeof(struct nlmsgerr))) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		struct nlmsgerr *e = NLMSG_DATA(h);
		uint32_t seqno = h->nlmsg_seq, pid = h->nlmsg_pid;

		memset(buf, 0, NLMSG_SPACE(sizeof(*e)));
		h->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
		h->nlmsg_type = NLMSG_ERROR;
		h->nlmsg_seq = seqno;
		h->nlmsg_pid = pid;
		e->error = eperm ? -EPERM : -EIO;
		n = (ssize_t)h->nlmsg_len;
	}
	if (wanted("truncate", seq) && n > 7)
		n -= 7;
	return n;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);

	if (!real)
		real = (ssize_t (*)(int, struct msghdr *, int))next("recvmsg");
	if (!is_sock_diag(fd) || (flags & MSG_PEEK) || msg->msg_iovlen < 1)
		return real(fd, msg, flags);

	unsigned seq = atomic_fetch_add(&datagrams, 1) + 1;

	if (wanted("enobufs", seq)) {
		errno = ENOBUFS;
		return -1;
	}
	ssize_t n = real(fd, msg, flags);

	return n > 0 ? damage(msg, n, seq) : n;
}

/* Allocations: counted, and failing as nomem@N or nomem1@N says. The real functions are the
 * next ones (libc's, or a sanitizer's that must also free what it allocated). */
static atomic_ulong allocations;
static atomic_bool nomem_hit;
static void *_Atomic first_failed; /* the caller of the first allocation that failed */
static _Thread_local int in_nss; /* inside getpwuid_r or getaddrinfo: never fail */

/* N of KIND@N in LISTEN_FAULT, or 0. getenv and strtoul do not allocate. */
static unsigned long fault_number(const char *kind)
{
	const char *spec = getenv("LISTEN_FAULT"), *p = spec ? strstr(spec, kind) : NULL;

	return p ? strtoul(p + strlen(kind), NULL, 10) : 0;
}

/* Whether this allocation, made from caller, fails; sets errno as the C library would. */
__attribute__((unused)) static bool out_of_memory(void *caller)
{
	static unsigned long from = ~0ul, once = ~0ul;
	unsigned long n;

	if (in_nss)
		return false;
	if (from == ~0ul) {
		from = fault_number("nomem@");
		once = fault_number("nomem1@");
	}
	n = atomic_fetch_add(&allocations, 1) + 1;
	if (!(from && n >= from) && n != once)
		return false;
	if (!atomic_exchange(&nomem_hit, true))
		atomic_store(&first_failed, caller);
	errno = ENOMEM;
	return true;
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t size, struct passwd **res)
{
	static int (*real)(uid_t, struct passwd *, char *, size_t, struct passwd **);
	int r;

	if (!real)
		real = (int (*)(uid_t, struct passwd *, char *, size_t,
				struct passwd **))next("getpwuid_r");
	in_nss++;
	r = real(uid, pw, buf, size, res);
	in_nss--;
	return r;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	static int (*real)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
	int r;

	if (!real)
		real = (int (*)(const char *, const char *, const struct addrinfo *,
				struct addrinfo **))next("getaddrinfo");
	in_nss++;
	r = real(node, service, hints, res);
	in_nss--;
	return r;
}

/* At exit: how many allocations there were, for a test that tries each in turn. */
__attribute__((destructor)) static void report_allocations(void)
{
	const char *file = getenv("LISTEN_FAULT_NOMEM");
	void *caller = atomic_load(&first_failed);
	char line[4200];
	Dl_info where = { 0 };
	int fd, n;

	if (!file || (fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return;
	n = snprintf(line, sizeof(line), "allocations %lu", atomic_load(&allocations));
	if (caller && dladdr(caller, &where) && where.dli_fname && n > 0)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " failed from %s+%#lx",
			      where.dli_fname,
			      (unsigned long)((char *)caller - (char *)where.dli_fbase));
	else if (atomic_load(&nomem_hit) && n > 0)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " failed");
	if (n > 0 && (size_t)n < sizeof(line) - 1)
		line[n++] = '\n';
	if (n > 0)
		(void)!write(fd, line, (size_t)n);
	close(fd);
}

#ifndef SHIM_NO_ALLOC_FAULTS
/* Not under AddressSanitizer, which owns malloc: a preloaded wrapper in front of it crashes the
 * process before main. */
void *malloc(size_t size)
{
	static void *(*real)(size_t);

	if (!real)
		real = (void *(*)(size_t))next("malloc");
	return out_of_memory(__builtin_return_address(0)) ? NULL : real(size);
}

void *calloc(size_t n, size_t size)
{
	static void *(*real)(size_t, size_t);

	if (!real)
		real = (void *(*)(size_t, size_t))next("calloc");
	return out_of_memory(__builtin_return_address(0)) ? NULL : real(n, size);
}

static void *resize(void *p, size_t size, void *caller)
{
	static void *(*real)(void *, size_t);

	if (!real)
		real = (void *(*)(void *, size_t))next("realloc");
	return out_of_memory(caller) ? NULL : real(p, size);
}

void *realloc(void *p, size_t size)
{
	return resize(p, size, __builtin_return_address(0));
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return resize(p, n * size, __builtin_return_address(0));
}
#endif

/* Running a program is never what listen should do. */
static _Noreturn void refuse(const char *what)
{
	static const char text[] = "fault shim: listen tried to run a program: ";

	(void)!write(STDERR_FILENO, text, sizeof(text) - 1);
	(void)!write(STDERR_FILENO, what, strlen(what));
	(void)!write(STDERR_FILENO, "\n", 1);
	abort();
}

int execve(const char *p, char *const a[], char *const e[])
{
	(void)p, (void)a, (void)e;
	refuse("execve");
}
int execv(const char *p, char *const a[]) { (void)p, (void)a; refuse("execv"); }
int execvp(const char *p, char *const a[]) { (void)p, (void)a; refuse("execvp"); }
int execvpe(const char *p, char *const a[], char *const e[])
{
	(void)p, (void)a, (void)e;
	refuse("execvpe");
}
int execl(const char *p, const char *a, ...) { (void)p, (void)a; refuse("execl"); }
int execlp(const char *p, const char *a, ...) { (void)p, (void)a; refuse("execlp"); }
int execle(const char *p, const char *a, ...) { (void)p, (void)a; refuse("execle"); }
int fexecve(int fd, char *const a[], char *const e[])
{
	(void)fd, (void)a, (void)e;
	refuse("fexecve");
}
int execveat(int fd, const char *p, char *const a[], char *const e[], int f)
{
	(void)fd, (void)p, (void)a, (void)e, (void)f;
	refuse("execveat");
}
int system(const char *c) { (void)c; refuse("system"); }
FILE *popen(const char *c, const char *m) { (void)c, (void)m; refuse("popen"); }
pid_t fork(void) { refuse("fork"); }
pid_t vfork(void) { refuse("vfork"); }
int posix_spawn(pid_t *pid, const char *p, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *at, char *const a[], char *const e[])
{
	(void)pid, (void)p, (void)fa, (void)at, (void)a, (void)e;
	refuse("posix_spawn");
}
int posix_spawnp(pid_t *pid, const char *p, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *at, char *const a[], char *const e[])
{
	(void)pid, (void)p, (void)fa, (void)at, (void)a, (void)e;
	refuse("posix_spawnp");
}

/* The capabilities effective on the calling thread (capget acts on one thread). */
static unsigned long long effective_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d) < 0)
		return ~0ull;
	return d[0].effective | (unsigned long long)d[1].effective << 32;
}

/* The directory a directory fd is open on, into dir; "" when it cannot be told. */
static void dir_of(int dirfd, char *dir, size_t size)
{
	char link[64];
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	len = readlink(link, dir, size - 1);
	dir[len > 0 ? len : 0] = '\0';
}

/* Whether path (relative to dirfd) matches glob, as given or as DIR/PATH. */
static bool path_matches(const char *glob, int dirfd, const char *path)
{
	char full[4200], dir[4096];

	if (fnmatch(glob, path, 0) == 0)
		return true;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return false;
	dir_of(dirfd, dir, sizeof(dir));
	snprintf(full, sizeof(full), "%s/%s", dir, path);
	return fnmatch(glob, full, 0) == 0;
}

/* LISTEN_FAULT_SLOW=GLOB@MS: opening a path that matches GLOB waits MS milliseconds first, as
 * on a loaded machine, so that the world can change during a look-up. */
static void slow(int dirfd, const char *path)
{
	const char *spec = getenv("LISTEN_FAULT_SLOW"), *at;
	char glob[1024];

	if (!spec || !path || !(at = strrchr(spec, '@')))
		return;
	snprintf(glob, sizeof(glob), "%.*s", (int)(at - spec), spec);
	if (path_matches(glob, dirfd, path))
		usleep((useconds_t)strtoul(at + 1, NULL, 10) * 1000);
}

/* Does LISTEN_FAULT_EMFILE say that opening path (relative to dirfd) fails? (Where
 * LISTEN_FAULT_SLOW says so, it waits first.) */
static bool emfile(int dirfd, const char *path)
{
	const char *spec = getenv("LISTEN_FAULT_EMFILE"), *at;
	char glob[1024];

	slow(dirfd, path);
	if (!spec || !path)
		return false;
	at = strrchr(spec, '@');
	snprintf(glob, sizeof(glob), "%.*s", at ? (int)(at - spec) : (int)strlen(spec), spec);
	if (!path_matches(glob, dirfd, path))
		return false;
	unsigned n = atomic_fetch_add(&emfile_matches, 1) + 1;

	if (at && strtoul(at + 1, NULL, 10) != n)
		return false;
	errno = EMFILE;
	return true;
}

/* The path log: one line per path, written whole so threads do not interleave. */
static void log_path(int dirfd, const char *path)
{
	static int fd = -2;
	char line[4200], caps[32] = "";
	int n;

	if (fd == -2) {
		const char *file = getenv("LISTEN_FAULT_PATHS");

		fd = -1; /* the open below comes back here */
		fd = file ? open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	}
	if (fd < 0 || !path)
		return;
	if (getenv("LISTEN_FAULT_CAPS"))
		snprintf(caps, sizeof(caps), "\teff=%llx dumpable=%d", effective_caps(),
			 prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	/* A path relative to a directory fd other than the cwd: say which directory. */
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		char dir[4096];

		dir_of(dirfd, dir, sizeof(dir));
		n = snprintf(line, sizeof(line), "%s//%s%s\n", dir, path, caps);
	} else {
		n = snprintf(line, sizeof(line), "%s%s\n", path, caps);
	}
	if (n > 0)
		(void)!write(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

#define MODE_ARG(flags, mode)                               \
	do {                                                \
		if ((flags) & (O_CREAT | __O_TMPFILE)) {     \
			va_list ap;                         \
			va_start(ap, flags);                \
			mode = va_arg(ap, mode_t);          \
			va_end(ap);                         \
		}                                           \
	} while (0)

int open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	if (!real)
		real = (int (*)(const char *, int, ...))next("open");
	log_path(AT_FDCWD, path);
	if (emfile(AT_FDCWD, path))
		return -1;
	return real(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	if (!real)
		real = (int (*)(const char *, int, ...))next("open64");
	log_path(AT_FDCWD, path);
	if (emfile(AT_FDCWD, path))
		return -1;
	return real(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	if (!real)
		real = (int (*)(int, const char *, int, ...))next("openat");
	log_path(dirfd, path);
	if (emfile(dirfd, path))
		return -1;
	return real(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	if (!real)
		real = (int (*)(int, const char *, int, ...))next("openat64");
	log_path(dirfd, path);
	if (emfile(dirfd, path))
		return -1;
	return real(dirfd, path, flags, mode);
}

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);

	if (!real)
		real = (FILE * (*)(const char *, const char *)) next("fopen");
	log_path(AT_FDCWD, path);
	if (emfile(AT_FDCWD, path))
		return NULL;
	return real(path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);

	if (!real)
		real = (FILE * (*)(const char *, const char *)) next("fopen64");
	log_path(AT_FDCWD, path);
	if (emfile(AT_FDCWD, path))
		return NULL;
	return real(path, mode);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	static ssize_t (*real)(int, const char *, char *, size_t);

	if (!real)
		real = (ssize_t (*)(int, const char *, char *, size_t))next("readlinkat");
	log_path(dirfd, path);
	return real(dirfd, path, buf, size);
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	static ssize_t (*real)(const char *, char *, size_t);

	if (!real)
		real = (ssize_t (*)(const char *, char *, size_t))next("readlink");
	/* Not logged: log_path itself uses it, and listen's own use goes through readlinkat. */
	return real(path, buf, size);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	static int (*real)(int, const char *, struct stat *, int);

	if (!real)
		real = (int (*)(int, const char *, struct stat *, int))next("fstatat");
	log_path(dirfd, path);
	return real(dirfd, path, st, flags);
}

int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	static int (*real)(int, const char *, struct stat64 *, int);

	if (!real)
		real = (int (*)(int, const char *, struct stat64 *, int))next("fstatat64");
	log_path(dirfd, path);
	return real(dirfd, path, st, flags);
}

DIR *opendir(const char *path)
{
	static DIR *(*real)(const char *);

	if (!real)
		real = (DIR * (*)(const char *)) next("opendir");
	log_path(AT_FDCWD, path);
	if (emfile(AT_FDCWD, path))
		return NULL;
	return real(path);
}
