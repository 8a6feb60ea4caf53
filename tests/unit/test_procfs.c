/* Unit tests of the process map on the fixture /proc tree, and of the stat parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "listen/diag.h"
#include "listen/procfs.h"
#include "listen/sock.h"
#include "testutil.h"

static void load_fixture(struct lsock_vec *socks)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockets.nl", &len);

	assert_int_equal(diag_replay(&all, buf, len, socks), 0);
	free(buf);
}

static const struct lsock *find(const struct lsock_vec *s, uint8_t proto, uint16_t lport,
				uint8_t state)
{
	for (size_t i = 0; i < s->len; i++)
		if (s->v[i].protocol == proto && s->v[i].lport == lport && s->v[i].state == state)
			return &s->v[i];
	fail_msg("no socket %u/%u in state %u", proto, lport, state);
	return NULL;
}

static const struct lsock *find_peer(const struct lsock_vec *s, uint8_t proto, uint16_t rport)
{
	for (size_t i = 0; i < s->len; i++)
		if (s->v[i].protocol == proto && s->v[i].rport == rport)
			return &s->v[i];
	fail_msg("no socket %u with peer port %u", proto, rport);
	return NULL;
}

static const char *owner_name(const struct procfs_map *m, const struct lsock *sk, size_t i)
{
	return m->procs[m->owners[sk->owner_first + i].proc].name;
}

static void fixture_tree(void **state)
{
	struct lsock_vec socks = { 0 };
	struct procfs_map m;
	int dirfd = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY);
	const struct lsock *sk;

	(void)state;
	load_fixture(&socks);
	assert_int_equal(procfs_map_owners(&m, dirfd, socks.v, socks.len), 0);
	assert_int_equal(m.denied, 0);

	/* Port 22: five holders, highest pid first, then highest fd; the vanished 999003 that
	 * also links to it is not among them. The first is the "sshd" of the identification
	 * fixtures. */
	sk = find(&socks, IPPROTO_TCP, 22, LSOCK_LISTEN);
	assert_int_equal(sk->owner_count, 5);
	assert_string_equal(owner_name(&m, sk, 0), "sshd");
	assert_int_equal(m.owners[sk->owner_first].pid, 999008);
	const struct procfs_owner *o = &m.owners[sk->owner_first + 1];

	assert_true(o[0].pid > o[2].pid);
	assert_int_equal(o[0].pid, o[1].pid);
	assert_int_equal(o[0].fd, 4);
	assert_int_equal(o[1].fd, 3);
	assert_int_equal(o[2].fd, 4);
	assert_int_equal(o[3].fd, 3);
	assert_string_equal(owner_name(&m, sk, 1), "lsn-worker");
	assert_string_equal(owner_name(&m, sk, 3), "lsn-parent");
	assert_int_equal(m.procs[o[0].proc].ppid, o[2].pid);

	/* Names with parentheses and control bytes come through raw (printing escapes them). */
	sk = find(&socks, IPPROTO_UDP, 53, LSOCK_CLOSE);
	assert_int_equal(sk->owner_count, 3);
	assert_string_equal(owner_name(&m, sk, 0), "evil\033[31m\nred");
	sk = find_peer(&socks, IPPROTO_UDP, 53); /* the UDP client, on an ephemeral port */
	assert_string_equal(owner_name(&m, sk, 0), "a) b (c");
	/* An unparsable stat falls back to comm; the non-numeric fd name "x" is skipped. */
	sk = find(&socks, IPPROTO_UDP, 123, LSOCK_CLOSE);
	assert_int_equal(sk->owner_count, 4);
	assert_string_equal(owner_name(&m, sk, 0), "chronyd");
	assert_string_equal(owner_name(&m, sk, 1), "from-comm");

	/* Time-wait and accepted-but-not-held sockets have no inode and no owner. */
	for (size_t i = 0; i < socks.len; i++)
		if (socks.v[i].inode == 0)
			assert_int_equal(socks.v[i].owner_count, 0);
	assert_int_equal(procfs_unowned(socks.v, socks.len), 0);
	procfs_map_free(&m);
	close(dirfd);
	lsock_vec_free(&socks);
}

/* The map must not depend on records being fresh: walking twice gives the same owners. */
static void walk_twice(void **state)
{
	struct lsock_vec socks = { 0 };
	struct procfs_map m;
	int dirfd = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY);

	(void)state;
	load_fixture(&socks);
	assert_int_equal(procfs_map_owners(&m, dirfd, socks.v, socks.len), 0);
	size_t n = m.nowners;

	procfs_map_free(&m);
	assert_int_equal(procfs_map_owners(&m, dirfd, socks.v, socks.len), 0);
	assert_int_equal(m.nowners, n);
	procfs_map_free(&m);
	/* No sockets: nothing found, nothing allocated wrongly. */
	assert_int_equal(procfs_map_owners(&m, dirfd, NULL, 0), 0);
	assert_int_equal(m.nowners, 0);
	procfs_map_free(&m);
	close(dirfd);
	lsock_vec_free(&socks);
}

/* An fd table we may not read is counted, and its sockets stay unowned. Root reads anything,
 * so a child drops to nobody (uid 65534) to meet a real EACCES. */
static void unreadable_fd_table(void **state)
{
	char tmpl[] = "/tmp/listen-procfs-XXXXXX", path[1024];
	struct lsock sk = { .inode = 777 };
	int pipefd[2];

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	chmod(tmpl, 0755);
	snprintf(path, sizeof(path), "%s/42", tmpl);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/42/fd", tmpl);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/42/fd/3", tmpl);
	assert_int_equal(symlink("socket:[777]", path), 0);
	snprintf(path, sizeof(path), "%s/42/stat", tmpl);
	FILE *f = fopen(path, "w");

	fputs("42 (secret) S 1 0 0\n", f);
	fclose(f);
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "%s/42/fd", tmpl);
		chmod(path, 0);
	}
	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();

	if (pid == 0) {
		struct procfs_map m;
		unsigned result[2] = { 99, 99 };
		int dirfd = open(tmpl, O_RDONLY | O_DIRECTORY);

		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(3);
		if (procfs_map_owners(&m, dirfd, &sk, 1) == 0) {
			result[0] = m.denied;
			result[1] = (unsigned)procfs_unowned(&sk, 1);
			procfs_map_free(&m);
		}
		_exit(write(pipefd[1], result, sizeof(result)) == sizeof(result) ? 0 : 4);
	}
	unsigned result[2] = { 0 };
	int status;

	assert_int_equal(read(pipefd[0], result, sizeof(result)), sizeof(result));
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(result[0], 1); /* one process denied */
	assert_int_equal(result[1], 1); /* its socket has no owner */
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	assert_int_equal(system(path), 0);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* Every thread count finds the same holders, in the same order, as the one-call map. */
static void walk_threads(void **state)
{
	struct lsock_vec socks = { 0 };
	struct procfs_map want, got;
	int dirfd = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY);
	static const unsigned counts[] = { 1, 2, 3, 8 };

	(void)state;
	load_fixture(&socks);
	assert_int_equal(procfs_map_owners(&want, dirfd, socks.v, socks.len), 0);
	assert_true(want.nowners > 0);
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		struct procfs_walk *w;

		assert_int_equal(procfs_walk_start(&w, dirfd, counts[c]), 0);
		assert_int_equal(procfs_walk_finish(w, &got, socks.v, socks.len), 0);
		assert_int_equal(got.nowners, want.nowners);
		assert_int_equal(got.nprocs, want.nprocs);
		for (size_t i = 0; i < want.nowners; i++) {
			assert_int_equal(got.owners[i].pid, want.owners[i].pid);
			assert_int_equal(got.owners[i].fd, want.owners[i].fd);
			assert_int_equal(got.owners[i].proc, want.owners[i].proc);
		}
		for (size_t i = 0; i < want.nprocs; i++)
			assert_string_equal(got.procs[i].name, want.procs[i].name);
		procfs_map_free(&got);
	}
	/* A walk given up before it is joined leaves nothing behind (the sanitizers check). */
	struct procfs_walk *w;

	assert_int_equal(procfs_walk_start(&w, dirfd, 2), 0);
	procfs_walk_cancel(w);
	procfs_walk_cancel(NULL);
	procfs_map_free(&want);
	close(dirfd);
	lsock_vec_free(&socks);
}

/* Many processes shared by several threads: each socket gets exactly its one holder, and a
 * socket nobody holds gets none. */
static void walk_many_processes(void **state)
{
	enum { NPROC = 300 };
	char tmpl[] = "/tmp/listen-walk-XXXXXX", path[1024];
	struct lsock socks[NPROC + 1] = { 0 };
	struct procfs_walk *w;
	struct procfs_map m;
	int dirfd;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	for (int i = 0; i < NPROC; i++) {
		int pid = 1000 + i;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%d", tmpl, pid);
		assert_int_equal(mkdir(path, 0755), 0);
		snprintf(path, sizeof(path), "%s/%d/fd", tmpl, pid);
		assert_int_equal(mkdir(path, 0755), 0);
		snprintf(path, sizeof(path), "%s/%d/fd/7", tmpl, pid);
		char link[32];

		snprintf(link, sizeof(link), "socket:[%d]", 50000 + i);
		assert_int_equal(symlink(link, path), 0);
		snprintf(path, sizeof(path), "%s/%d/fd/8", tmpl, pid);
		assert_int_equal(symlink("pipe:[12]", path), 0);
		snprintf(path, sizeof(path), "%s/%d/stat", tmpl, pid);
		assert_non_null(f = fopen(path, "w"));
		fprintf(f, "%d (p%d) S 1 0 0\n", pid, pid);
		fclose(f);
		socks[i].inode = (uint32_t)(50000 + i);
	}
	socks[NPROC].inode = 49999; /* held by nobody */
	dirfd = open(tmpl, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	assert_int_equal(procfs_walk_start(&w, dirfd, 4), 0);
	assert_int_equal(procfs_walk_finish(w, &m, socks, NPROC + 1), 0);
	assert_int_equal(m.nprocs, NPROC);
	assert_int_equal(m.nowners, NPROC);
	for (int i = 0; i < NPROC; i++) {
		char name[16];

		assert_int_equal(socks[i].owner_count, 1);
		assert_int_equal(m.owners[socks[i].owner_first].pid, 1000 + i);
		assert_int_equal(m.owners[socks[i].owner_first].fd, 7);
		snprintf(name, sizeof(name), "p%d", 1000 + i);
		assert_string_equal(m.procs[m.owners[socks[i].owner_first].proc].name, name);
	}
	assert_int_equal(socks[NPROC].owner_count, 0);
	assert_int_equal(procfs_unowned(socks, NPROC + 1), 1);
	procfs_map_free(&m);
	close(dirfd);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	assert_int_equal(system(path), 0);
}

/* Out of descriptors, the walk fails: a process it could not look at is never taken for one
 * that exited, which would make its sockets look like the kernel's. With one descriptor to
 * spare, walkers race for it; each run either finds every holder or fails with EMFILE. */
static void walk_short_of_descriptors(void **state)
{
	enum { NPROC = 200 };
	char tmpl[] = "/tmp/listen-walk-XXXXXX", path[1024];
	struct lsock socks[NPROC] = { 0 };
	struct test_fds fds;
	struct procfs_map m;
	int dirfd, r;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	dirfd = open(tmpl, O_RDONLY | O_DIRECTORY);
	for (int i = 0; i < NPROC; i++) {
		char link[32], stat[32];

		snprintf(stat, sizeof(stat), "%d/stat", 1000 + i);
		snprintf(link, sizeof(link), "%d (p) S 1 0 0\n", 1000 + i);
		test_put_file(dirfd, stat, link);
		snprintf(path, sizeof(path), "%s/%d/fd", tmpl, 1000 + i);
		assert_int_equal(mkdir(path, 0755), 0);
		snprintf(path, sizeof(path), "%s/%d/fd/3", tmpl, 1000 + i);
		snprintf(link, sizeof(link), "socket:[%d]", 60000 + i);
		assert_int_equal(symlink(link, path), 0);
		socks[i].inode = (uint32_t)(60000 + i);
	}
	test_fds_use(&fds, 0);
	r = procfs_map_owners(&m, dirfd, socks, NPROC);
	test_fds_free(&fds);
	procfs_map_free(&m);
	assert_int_equal(r, -EMFILE);
	for (int run = 0; run < 20; run++) {
		struct procfs_walk *w;

		test_fds_use(&fds, 1);
		r = procfs_walk_start(&w, dirfd, 4);
		if (r == 0)
			r = procfs_walk_finish(w, &m, socks, NPROC);
		test_fds_free(&fds);
		if (r == 0) {
			assert_int_equal(m.nowners, NPROC);
			assert_int_equal(procfs_unowned(socks, NPROC), 0);
		} else {
			assert_int_equal(r, -EMFILE);
		}
		procfs_map_free(&m);
	}
	close(dirfd);
	test_remove_tree(tmpl);
}

/* Details listen has no descriptor left to read are an error, not a process without them. */
static void info_short_of_descriptors(void **state)
{
	struct lsock_vec socks = { 0 };
	struct procfs_info *info = NULL;
	struct test_fds fds;
	struct procfs_map m;
	int dirfd = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY), r[2];

	(void)state;
	load_fixture(&socks);
	assert_int_equal(procfs_map_owners(&m, dirfd, socks.v, socks.len), 0);
	assert_true(m.nprocs > 0);
	test_fds_use(&fds, 0);
	r[0] = procfs_read_info(dirfd, &m, PROCFS_INFO_ALL, &info);
	r[1] = procfs_read_info(dirfd, &m, PROCFS_INFO_UNIT, &info);
	test_fds_free(&fds);
	assert_int_equal(r[0], -EMFILE);
	assert_int_equal(r[1], -EMFILE);
	assert_int_equal(procfs_read_info(dirfd, &m, PROCFS_INFO_ALL, &info), 0);
	/* User names come apart, from the passwd database. */
	assert_null(info[0].user);
	assert_int_equal(procfs_read_users(&m, info), 0);
	for (size_t i = 0; i < m.nprocs; i++) {
		const struct passwd *pw = getpwuid(m.procs[i].uid);

		if (pw)
			assert_string_equal(info[i].user, pw->pw_name);
		else
			assert_null(info[i].user);
	}
	procfs_info_free(info, m.nprocs);
	procfs_map_free(&m);
	close(dirfd);
	lsock_vec_free(&socks);
}

static void parse_stat(void **state)
{
	const char *name;
	size_t len;
	uint32_t ppid;
	struct {
		const char *line;
		const char *name; /* NULL: must be rejected */
		uint32_t ppid;
	} cases[] = {
		{ "1 (systemd) S 0 1 1 0", "systemd", 0 },
		{ "812 (sd-pam) S 811 811", "sd-pam", 811 },
		{ "9 ((sd-pam)) S 8 x", "(sd-pam)", 8 },
		{ "77 (a) b (c) R 5 77 77", "a) b (c", 5 },
		{ "5 () S 4", "", 4 },
		{ "6 (tab\there) S 3", "tab\there", 3 },
		{ "7 (x) S 4294967295", "x", 4294967295u },
		{ "7 (x) S 4294967296", NULL, 0 },
		{ "no parentheses", NULL, 0 },
		{ "3 (unterminated S 1", NULL, 0 },
		{ "3 )backwards( S 1", NULL, 0 },
		{ "3 (x)", NULL, 0 },
		{ "3 (x) S", NULL, 0 },
		{ "3 (x) S x", NULL, 0 },
		{ "3 (x)S 1", NULL, 0 },
		{ "", NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = procfs_parse_stat(cases[i].line, strlen(cases[i].line), &name, &len, &ppid);

		if (!cases[i].name) {
			assert_int_equal(r, -EINVAL);
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(len, strlen(cases[i].name));
		assert_memory_equal(name, cases[i].name, len);
		assert_int_equal(ppid, cases[i].ppid);
	}
}

/* hidepid is read from the options of the proc mount the walk's directory is on. */
static void hidepid(void **state)
{
	static const char mountinfo[] =
		"46 44 0:21 / /proc rw,relatime - proc proc rw\n"
		"65 46 0:39 / /proc rw,relatime - proc proc rw,hidepid=invisible\n"
		"66 46 0:40 / /mnt/p1 rw - proc proc rw,hidepid=2,gid=27\n"
		"67 46 0:41 / /mnt/p2 rw - proc proc rw,hidepid=ptraceable\n"
		"68 46 0:42 / /mnt/p3 rw - proc proc rw,hidepid=noaccess,gid=x1\n"
		"69 46 0:43 / /mnt/t rw - tmpfs tmpfs rw,hidepid=2\n"
		"70 46 0:44 / /mnt/p4 rw - proc proc rw,hidepid=someday\n";
	struct procfs_hidepid h;
	size_t len = strlen(mountinfo);

	(void)state;
	procfs_hidepid(mountinfo, len, 0, 21, &h);
	assert_int_equal(h.level, 0);
	assert_false(h.has_gid);
	procfs_hidepid(mountinfo, len, 0, 39, &h);
	assert_int_equal(h.level, 2);
	procfs_hidepid(mountinfo, len, 0, 40, &h);
	assert_int_equal(h.level, 2);
	assert_true(h.has_gid);
	assert_int_equal(h.gid, 27);
	procfs_hidepid(mountinfo, len, 0, 41, &h);
	assert_int_equal(h.level, 4);
	procfs_hidepid(mountinfo, len, 0, 42, &h);
	assert_int_equal(h.level, 1);
	assert_false(h.has_gid); /* not a number: no group sees through it */
	/* Not proc, or not mounted: nothing known to hide. */
	procfs_hidepid(mountinfo, len, 0, 43, &h);
	assert_int_equal(h.level, 0);
	procfs_hidepid(mountinfo, len, 8, 1, &h);
	assert_int_equal(h.level, 0);
	/* A level this code does not know is taken to hide. */
	procfs_hidepid(mountinfo, len, 0, 44, &h);
	assert_int_equal(h.level, 2);
}

/* A copy of /bin/sleep at path, started ("sleep 30"); its pid. */
static pid_t start_copy(const char *path)
{
	char cmd[1024];
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "cp /bin/sleep '%s'", path);
	assert_int_equal(system(cmd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(path, "sleep", "30", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) { /* until the exec is done */
		char link[64], target[1024];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0 && (target[n] = '\0', strcmp(target, path) == 0))
			break;
		usleep(10000);
	}
	return pid;
}

/* An executable gone from disk is told by the kernel's " (deleted)" and a file without links,
 * not by the name alone: a file really named so that exists is not deleted; the fixture's
 * dangling link (no file to ask) goes by its name. PROCFS_INFO_IDENT reads the executable and
 * command line, not the parent. */
static void exe_deleted(void **state)
{
	char dir[] = "/tmp/listen-exe-XXXXXX", gone[1100], named[1100];
	struct procfs_proc procs[2] = { { 0 } };
	struct procfs_map m = { .procs = procs, .nprocs = 2 };
	struct procfs_info *info = NULL;
	struct lsock_vec socks = { 0 };
	struct procfs_map fm;
	int dirfd = open("/proc", O_RDONLY | O_DIRECTORY);
	int fixture = open(LISTEN_DATA_DIR "/proc", O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(gone, sizeof(gone), "%s/gone", dir);
	snprintf(named, sizeof(named), "%s/x (deleted)", dir);
	procs[0].pid = (uint32_t)start_copy(gone);
	procs[1].pid = (uint32_t)start_copy(named);
	assert_int_equal(unlink(gone), 0);
	assert_int_equal(procfs_read_info(dirfd, &m, PROCFS_INFO_IDENT, &info), 0);
	assert_non_null(info[0].exe);
	assert_non_null(strstr(info[0].exe, "/gone (deleted)"));
	assert_true(info[0].exe_deleted);
	assert_string_equal(info[1].exe, named);
	assert_false(info[1].exe_deleted);
	assert_string_equal(info[0].cmdline, "sleep 30");
	assert_null(info[0].parent);
	procfs_info_free(info, 2);
	for (int i = 0; i < 2; i++) {
		kill((pid_t)procs[i].pid, SIGKILL);
		waitpid((pid_t)procs[i].pid, NULL, 0);
	}
	unlink(named);
	rmdir(dir);

	load_fixture(&socks);
	assert_int_equal(procfs_map_owners(&fm, fixture, socks.v, socks.len), 0);
	assert_int_equal(procfs_read_info(fixture, &fm, PROCFS_INFO_IDENT, &info), 0);
	for (size_t i = 0; i < fm.nprocs; i++) {
		if (fm.procs[i].pid == 4353)
			assert_true(info[i].exe_deleted);
		if (fm.procs[i].pid == 4352)
			assert_false(info[i].exe_deleted);
	}
	procfs_info_free(info, fm.nprocs);
	procfs_map_free(&fm);
	lsock_vec_free(&socks);
	close(fixture);
	close(dirfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_tree),
		cmocka_unit_test(walk_twice),
		cmocka_unit_test(walk_threads),
		cmocka_unit_test(walk_many_processes),
		cmocka_unit_test(unreadable_fd_table),
		cmocka_unit_test(walk_short_of_descriptors),
		cmocka_unit_test(info_short_of_descriptors),
		cmocka_unit_test(parse_stat),
		cmocka_unit_test(exe_deleted),
		cmocka_unit_test(hidepid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
