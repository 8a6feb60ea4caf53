/* Unit tests of the BPF owner source's userspace half: the parser of the iterator's output,
 * and its records mapped by the walk's code (procfs_walk_adopt) to the same holders, in the
 * same order, as the walk of the same /proc tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "listen/bpf_owners.h"
#include "listen/diag.h"
#include "listen/procfs.h"
#include "listen/sock.h"
#include "testutil.h"

/* A stream of records, as the kernel writes them. */
struct stream {
	unsigned char *buf;
	size_t len;
};

static void put(struct stream *s, uint32_t tgid, int32_t fd, uint64_t ino)
{
	s->buf = realloc(s->buf, s->len + BPF_OWNERS_RECORD);
	assert_non_null(s->buf);
	memcpy(s->buf + s->len, &tgid, 4);
	memcpy(s->buf + s->len + 4, &fd, 4);
	memcpy(s->buf + s->len + 8, &ino, 8);
	s->len += BPF_OWNERS_RECORD;
}

static void trailer(struct stream *s)
{
	put(s, 0, -1, 0);
}

/* Parse s in pieces of size piece; returns parse's or parse_end's result. */
static int parse_in(const struct stream *s, size_t piece, struct bpf_owners_parser *p)
{
	int r = 0;

	*p = (struct bpf_owners_parser){ 0 };
	for (size_t off = 0; off < s->len && r == 0; off += piece)
		r = bpf_owners_parse(p, s->buf + off, s->len - off < piece ? s->len - off : piece);
	return r < 0 ? r : bpf_owners_parse_end(p);
}

/* Records split anywhere between reads come out whole; inodes beyond 32 bits are skipped, as
 * the walk skips them. */
static void parse_pieces(void **state)
{
	static const size_t pieces[] = { 1, 3, 7, 16, 17, 4096 };
	struct stream s = { 0 };

	(void)state;
	put(&s, 5, 3, 100);
	put(&s, 5, 9, UINT64_C(1) << 33);
	put(&s, 70000, 0, 101);
	put(&s, 70000, 1, 100);
	trailer(&s);
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		struct bpf_owners_parser p;

		assert_int_equal(parse_in(&s, pieces[i], &p), 0);
		assert_int_equal(p.len, 3);
		assert_int_equal(p.v[0].pid, 5);
		assert_int_equal(p.v[0].fd, 3);
		assert_int_equal(p.v[0].inode, 100);
		assert_int_equal(p.v[1].pid, 70000);
		assert_int_equal(p.v[2].fd, 1);
		free(p.v);
	}
	free(s.buf);
}

/* Output that is not whole, or not what the program writes, is never taken for "no holders". */
static void parse_bad(void **state)
{
	struct bpf_owners_parser p;
	struct stream s = { 0 };

	(void)state;
	/* Nothing at all, or records without the trailer: the read was cut short. */
	assert_int_equal(parse_in(&s, 16, &p), -EBADMSG);
	free(p.v);
	put(&s, 5, 3, 100);
	assert_int_equal(parse_in(&s, 16, &p), -EBADMSG);
	free(p.v);
	/* A partial record after the trailer, a record after it. */
	trailer(&s);
	s.len += 0;
	assert_int_equal(parse_in(&s, 16, &p), 0);
	free(p.v);
	s.buf = realloc(s.buf, s.len + 5);
	assert_non_null(s.buf);
	memset(s.buf + s.len, 0, 5);
	s.len += 5;
	assert_int_equal(parse_in(&s, 16, &p), -EBADMSG);
	free(p.v);
	s.len -= 5;
	put(&s, 6, 3, 100);
	assert_int_equal(parse_in(&s, 16, &p), -EBADMSG);
	free(p.v);
	free(s.buf);
	/* Pids going backwards, a negative fd, pid 0, a trailer with an inode. */
	static const struct { uint32_t tgid; int32_t fd; uint64_t ino; } bad[] = {
		{ 4, 1, 100 }, { 9, -2, 100 }, { 0, 3, 100 }, { 0, -1, 7 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = (struct stream){ 0 };
		put(&s, 5, 3, 100);
		put(&s, bad[i].tgid, bad[i].fd, bad[i].ino);
		trailer(&s);
		assert_int_equal(parse_in(&s, 64, &p), -EBADMSG);
		free(p.v);
		free(s.buf);
	}
	/* The trailer alone: a machine whose processes hold no socket. */
	s = (struct stream){ 0 };
	trailer(&s);
	assert_int_equal(parse_in(&s, 16, &p), 0);
	assert_int_equal(p.len, 0);
	free(p.v);
	free(s.buf);
}

static int by_number(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The numeric names in directory dirfd/path, ascending, as the kernel iterates them. */
static size_t numbers(int dirfd, const char *path, long **out)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY);
	DIR *d = fdopendir(fd);
	struct dirent *de;
	size_t n = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name)
			continue;
		*out = realloc(*out, (n + 1) * sizeof(**out));
		assert_non_null(*out);
		(*out)[n++] = v;
	}
	closedir(d);
	qsort(*out, n, sizeof(**out), by_number);
	return n;
}

/* What the iterator writes for a /proc tree: each socket fd, by pid then fd, and the trailer;
 * nothing of the process hide (0: none), as a kernel that hides it from the iterator writes. */
static void stream_of_tree(int dirfd, struct stream *s, long hide)
{
	long *pids, *fds;
	size_t npids = numbers(dirfd, ".", &pids);

	for (size_t i = 0; i < npids; i++) {
		char path[64], link[64];
		size_t nfds;

		if (pids[i] == hide)
			continue;
		snprintf(path, sizeof(path), "%ld/fd", pids[i]);
		nfds = numbers(dirfd, path, &fds);
		for (size_t k = 0; k < nfds; k++) {
			unsigned long long ino;
			ssize_t len;

			snprintf(path, sizeof(path), "%ld/fd/%ld", pids[i], fds[k]);
			len = readlinkat(dirfd, path, link, sizeof(link) - 1);
			if (len <= 0)
				continue;
			link[len] = '\0';
			if (sscanf(link, "socket:[%llu]", &ino) == 1)
				put(s, (uint32_t)pids[i], (int32_t)fds[k], ino);
		}
		free(fds);
	}
	free(pids);
	trailer(s);
}

/* Both sources give the same holders, in the same order, with the same process details. */
static void adopt_equals_walk(void **state)
{
	struct lsock_vec socks = { 0 };
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	int dirfd = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY);
	struct bpf_owners_parser p;
	struct procfs_map want, got;
	struct procfs_walk *w;
	struct stream s = { 0 };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockets.nl", &len);

	(void)state;
	assert_int_equal(diag_replay(&all, buf, len, &socks), 0);
	free(buf);
	assert_int_equal(procfs_map_owners(&want, dirfd, socks.v, socks.len), 0);
	assert_true(want.nowners > 10);
	stream_of_tree(dirfd, &s, 0);
	assert_int_equal(parse_in(&s, 4096, &p), 0);
	free(s.buf);
	assert_int_equal(procfs_walk_adopt(&w, dirfd, p.v, p.len), 0);
	assert_int_equal(procfs_walk_finish(w, &got, socks.v, socks.len), 0);
	assert_int_equal(got.denied, 0);
	assert_int_equal(got.nowners, want.nowners);
	assert_int_equal(got.nprocs, want.nprocs);
	/* m.procs is in the order /proc lists processes: by pid in a real /proc, as the
	 * iterator gives them, but the fixture's directory lists them in its own order. */
	for (size_t i = 0; i < want.nowners; i++) {
		const struct procfs_proc *a = &got.procs[got.owners[i].proc];
		const struct procfs_proc *b = &want.procs[want.owners[i].proc];

		assert_int_equal(got.owners[i].pid, want.owners[i].pid);
		assert_int_equal(got.owners[i].fd, want.owners[i].fd);
		assert_int_equal(a->pid, got.owners[i].pid);
		assert_int_equal(a->pid, b->pid);
		assert_int_equal(a->ppid, b->ppid);
		assert_int_equal(a->uid, b->uid);
		assert_string_equal(a->name, b->name);
	}
	for (size_t i = 1; i < got.nprocs; i++)
		assert_true(got.procs[i - 1].pid < got.procs[i].pid);
	procfs_map_free(&got);
	procfs_map_free(&want);
	/* No records: a walk that found nothing, not an error. */
	assert_int_equal(procfs_walk_adopt(&w, dirfd, NULL, 0), 0);
	assert_int_equal(procfs_walk_finish(w, &got, socks.v, socks.len), 0);
	assert_int_equal(got.nowners, 0);
	assert_int_equal(procfs_unowned(socks.v, socks.len) > 0, 1);
	procfs_map_free(&got);
	lsock_vec_free(&socks);
	close(dirfd);
}

/* The fixture's sockets, and what the iterator writes for the tree at dir with hide hidden. */
static void hidden_setup(const char *dir, long hide, struct lsock_vec *socks,
			 struct bpf_owners_parser *p)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	struct stream s = { 0 };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockets.nl", &len);

	assert_true(dirfd >= 0);
	assert_int_equal(diag_replay(&all, buf, len, socks), 0);
	free(buf);
	stream_of_tree(dirfd, &s, hide);
	assert_int_equal(parse_in(&s, 4096, p), 0);
	free(s.buf);
	close(dirfd);
}

/* Map the records of p over the tree at dir; returns the denials found, or -1 on an error, and
 * how many sockets were left without a holder. */
static int hidden_run(const char *dir, struct bpf_owners_parser *p, struct lsock_vec *socks,
		      size_t *unowned, uint32_t *denied_pid, bool *links)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	struct procfs_walk *w;
	struct procfs_map m;
	int n = -1;

	if (dirfd >= 0 && procfs_walk_adopt(&w, dirfd, p->v, p->len) == 0 &&
	    procfs_walk_finish(w, &m, socks->v, socks->len) == 0) {
		n = (int)m.denied;
		*denied_pid = m.ndenials ? m.denials[0].pid : 0;
		*links = m.ndenials && m.denials[0].links;
		*unowned = procfs_unowned(socks->v, socks->len);
		procfs_map_free(&m);
	}
	p->v = NULL; /* taken over */
	if (dirfd >= 0)
		close(dirfd);
	return n;
}

/*
 * A process the iterator does not list (a hardened kernel hides PID 1 from it, as from /proc)
 * may hold a socket left without a holder: when its fd table is unreadable it is a denial, so
 * the socket is reported as "could not look", never as held by nobody. Root reads any fd
 * directory, so the unreadable case runs in a child as nobody.
 */
enum { ALONE = 4354 }; /* the fixture's only holder of one socket */

static void adopt_probes_unlisted(void **state)
{
	char dir[] = "/tmp/listen-test-probe-XXXXXX", cmd[300];
	struct lsock_vec socks = { 0 };
	struct bpf_owners_parser p;
	size_t readable, unowned;
	uint32_t pid;
	bool links;
	int status;
	pid_t child;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -a '%s/proc/.' '%s'", LISTEN_DATA_DIR, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	/* Readable: the socket it holds have no holder, and nothing is denied. */
	hidden_setup(dir, ALONE, &socks, &p);
	assert_int_equal(hidden_run(dir, &p, &socks, &readable, &pid, &links), 0);
	assert_true(readable > 0);
	lsock_vec_free(&socks);
	/* Listed by the iterator: its holders, and it is never looked at. */
	hidden_setup(dir, 0, &socks, &p);
	snprintf(cmd, sizeof(cmd), "%s/%d/fd", dir, ALONE);
	assert_int_equal(chmod(cmd, 0), 0);
	assert_int_equal(hidden_run(dir, &p, &socks, &unowned, &pid, &links), 0);
	assert_true(unowned < readable);
	lsock_vec_free(&socks);
	/* Unlisted and unreadable: the same sockets without a holder, and it a denial. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		     setresuid(65534, 65534, 65534) < 0))
			_exit(100);
		hidden_setup(dir, ALONE, &socks, &p);
		if (hidden_run(dir, &p, &socks, &unowned, &pid, &links) != 1)
			_exit(101);
		_exit(pid != ALONE ? 102 : links ? 103 : unowned != readable ? 104 : 0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	test_remove_tree(dir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Records out of pid order are refused (and freed: the sanitizers check). */
static void adopt_unordered(void **state)
{
	struct procfs_sock_fd *v = malloc(2 * sizeof(*v));
	struct procfs_walk *w = (struct procfs_walk *)1;

	(void)state;
	assert_non_null(v);
	v[0] = (struct procfs_sock_fd){ .inode = 1, .pid = 9, .fd = 3 };
	v[1] = (struct procfs_sock_fd){ .inode = 2, .pid = 8, .fd = 3 };
	assert_int_equal(procfs_walk_adopt(&w, -1, v, 2), -EINVAL);
	assert_null(w);
	/* A source given up before it is read leaves nothing behind either. */
	bpf_owners_cancel(NULL);
}

/* Facts read from a fixture /proc: the thread count from loadavg; a tree without one is 0. */
static void facts(void **state)
{
	struct bpf_owners_facts f;
	int dirfd = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY);

	(void)state;
	bpf_owners_facts(&f, dirfd);
	assert_int_equal(f.built, bpf_owners_built());
	/* The fixture has no self/ns/pid: not known to be the initial pid namespace. */
	assert_false(f.init_pidns);
	close(dirfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_pieces),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(adopt_equals_walk),
		cmocka_unit_test(adopt_unordered),
		cmocka_unit_test(adopt_probes_unlisted),
		cmocka_unit_test(facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
