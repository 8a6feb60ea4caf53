/* Unit tests of network namespaces: naming one (and every way of naming it wrong), finding
 * them all without holding them open, labels, and running code inside one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "listen/netns.h"

static int proc_fd = -1;

static int open_spec(struct netns *ns, enum netns_spec how, const char *spec, const char *run_dir,
		     char *err)
{
	return netns_open(ns, how, spec, proc_fd, run_dir, err, 256);
}

static void naming(void **state)
{
	char tmpl[] = "/tmp/listen-netns-XXXXXX", err[256], path[300];
	struct netns ns;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	/* A stale entry: a plain file where a bind mount was. */
	snprintf(path, sizeof(path), "%s/stale", tmpl);
	close(open(path, O_WRONLY | O_CREAT, 0644));

	assert_int_equal(open_spec(&ns, NETNS_BY_NAME, "nope", tmpl, err), -ENOENT);
	assert_non_null(strstr(err, "no network namespace named 'nope'"));
	assert_int_equal(open_spec(&ns, NETNS_BY_NAME, "stale", tmpl, err), -EINVAL);
	assert_non_null(strstr(err, "not a network namespace"));
	for (const char *const *bad = (const char *const[]){ "", ".", "..", "a/b", "../x", NULL };
	     *bad; bad++) {
		assert_int_equal(open_spec(&ns, NETNS_BY_NAME, *bad, tmpl, err), -EINVAL);
		assert_non_null(strstr(err, "is not a namespace name"));
	}
	assert_int_equal(open_spec(&ns, NETNS_BY_PID_OR_PATH, "4294967295", tmpl, err), -ENOENT);
	assert_string_equal(err, "--netns: no process 4294967295");
	assert_int_equal(open_spec(&ns, NETNS_BY_PID_OR_PATH, path, tmpl, err), -EINVAL);
	assert_int_equal(open_spec(&ns, NETNS_BY_PID_OR_PATH, "/nonexistent", tmpl, err), -ENOENT);
	/* The namespace we are in, by pid and by path: no fd needed to be in it. */
	snprintf(path, sizeof(path), "%d", (int)getpid());
	assert_int_equal(open_spec(&ns, NETNS_BY_PID_OR_PATH, path, tmpl, err), 0);
	assert_int_equal(ns.fd, -1);
	assert_int_equal(ns.pid, (uint32_t)getpid());
	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	assert_true(ns.ino == st.st_ino);
	netns_free(&ns);
	assert_int_equal(open_spec(&ns, NETNS_BY_PID_OR_PATH, "/proc/self/ns/net", tmpl, err), 0);
	assert_int_equal(ns.fd, -1);
	assert_null(ns.name);
	netns_free(&ns);
	/* Another kind of namespace is not a network one. */
	assert_int_equal(open_spec(&ns, NETNS_BY_PID_OR_PATH, "/proc/self/ns/uts", tmpl, err),
			 -EINVAL);
	test_remove_tree(tmpl);
}

static void labels(void **state)
{
	struct netns ns = { .fd = -1, .ino = 4026532385u };

	(void)state;
	assert_int_equal(netns_label(&ns, NULL), 0);
	assert_string_equal(ns.label, "net:[4026532385]");
	assert_int_equal(netns_label(&ns, ""), 0);
	assert_string_equal(ns.label, "net:[4026532385]");
	assert_int_equal(netns_label(&ns, "web"), 0);
	assert_string_equal(ns.label, "web");
	ns.name = strdup("blue");
	assert_int_equal(netns_label(&ns, "web"), 0);
	assert_string_equal(ns.label, "blue");
	ns.host = true;
	assert_int_equal(netns_label(&ns, "web"), 0);
	assert_string_equal(ns.label, "host");
	netns_free(&ns);
	assert_null(ns.label);
}

/* How many descriptors this process has open. */
static size_t open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void discovery(void **state)
{
	char tmpl[] = "/tmp/listen-netns-XXXXXX";
	struct netns_set set;
	struct stat self;
	size_t before = open_fds();

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(netns_discover(&set, proc_fd, tmpl), 0);
	assert_int_equal(open_fds(), before); /* none held: each is reopened when entered */
	assert_int_equal(stat("/proc/self/ns/net", &self), 0);
	assert_true(set.len >= 1);
	/* The host's first; unknown where no kernel thread is visible (a pid namespace). */
	assert_true(set.v[0].host != set.v[0].host_unknown);
	bool ours = false;

	for (size_t i = 0; i < set.len; i++) {
		ours |= set.v[i].ino == self.st_ino;
		assert_true(i == 0 || !set.v[i].host);
		/* Each namespace once; all but ours reopened for entering, by name or pid. */
		for (size_t j = 0; j < i; j++)
			assert_false(set.v[i].ino == set.v[j].ino && set.v[i].dev == set.v[j].dev);
		assert_int_equal(set.v[i].fd, -1);
		assert_true(set.v[i].reopen == (set.v[i].ino != self.st_ino));
		assert_true(!set.v[i].reopen || set.v[i].name || set.v[i].pid);
	}
	assert_true(ours);
	netns_set_free(&set);
	assert_int_equal(set.len, 0);
	test_remove_tree(tmpl);
}

static int where(void *arg)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0)
		return -errno;
	*(uint64_t *)arg = st.st_ino;
	return 7;
}

/* A thread that makes a new network namespace and leaves an fd of it. */
static void *make_ns(void *arg)
{
	if (unshare(CLONE_NEWNET) == 0)
		*(int *)arg = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	return NULL;
}

static void calling(void **state)
{
	struct netns here = { .fd = -1 }, other = { .fd = -1 };
	struct stat self, after;
	uint64_t ino = 0;
	pthread_t t;

	(void)state;
	assert_int_equal(stat("/proc/thread-self/ns/net", &self), 0);
	/* The namespace we are in: called on this thread. */
	assert_int_equal(netns_call(&here, where, &ino), 7);
	assert_true(ino == self.st_ino);
	/* Another one: entered on a helper thread (with CAP_SYS_ADMIN; refused without), while
	 * this thread stays where it was. */
	assert_int_equal(pthread_create(&t, NULL, make_ns, &other.fd), 0);
	pthread_join(t, NULL);
	if (other.fd < 0) {
		assert_true(geteuid() != 0);
		other.fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		assert_int_equal(netns_call(&other, where, &ino), -EPERM);
	} else {
		struct stat st;

		assert_int_equal(fstat(other.fd, &st), 0);
		assert_true(st.st_ino != self.st_ino);
		assert_int_equal(netns_call(&other, where, &ino), 7);
		assert_true(ino == st.st_ino);
	}
	assert_int_equal(stat("/proc/thread-self/ns/net", &after), 0);
	assert_true(after.st_ino == self.st_ino);
	netns_free(&other);
}

/* A scratch /proc tree: "self" and "2" each with ns/net and net/dev files (plain files stand
 * in for nsfs: only their dev and ino count), 2 a kernel thread or not. */
static int fake_proc(char *dir, bool kthread)
{
	int fd;

	assert_non_null(mkdtemp(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	test_put_file(fd, "self/ns/net", "");
	test_put_file(fd, "self/net/dev", "");
	test_put_file(fd, "2/ns/net", "");
	test_put_file(fd, "2/net/dev", "");
	test_put_file(fd, "2/stat", kthread ? "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0\n"
					    : "2 (sh) S 1 2 2 0 -1 4194560 0 0 0 0\n");
	test_put_file(fd, "1/ns/net", "");
	return fd;
}

static uint64_t ino_at(int dir, const char *path)
{
	struct stat st;

	assert_int_equal(fstatat(dir, path, &st, 0), 0);
	return st.st_ino;
}

/* Which namespace is the host's: a kernel thread's (kthreadd, pid 2, by PF_KTHREAD in its
 * stat); when its link is unreadable, ours if ours shows the same /proc/PID/net; otherwise,
 * as where no kernel thread is visible, unknown: pid 1's is never taken for it. */
static void host_namespace(void **state)
{
	char tmpl[] = "/tmp/listen-netns-XXXXXX", proc[] = "/tmp/listen-proc-XXXXXX";
	struct netns_set set;
	struct test_fds fds;
	int fd, r;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	/* kthreadd's namespace, readable: the host's, first; ours is another. */
	fd = fake_proc(proc, true);
	assert_int_equal(netns_discover(&set, fd, tmpl), 0);
	assert_int_equal(set.len, 3);
	assert_true(set.v[0].host && !set.v[0].host_unknown);
	assert_true(set.v[0].ino == ino_at(fd, "2/ns/net"));
	for (size_t i = 1; i < set.len; i++)
		assert_false(set.v[i].host || set.v[i].host_unknown);
	netns_set_free(&set);
	/* Its link unreadable (gone here): ours, when our net files are its. */
	assert_int_equal(unlinkat(fd, "2/ns/net", 0), 0);
	assert_int_equal(unlinkat(fd, "2/net/dev", 0), 0);
	assert_int_equal(linkat(fd, "self/net/dev", fd, "2/net/dev", 0), 0);
	assert_int_equal(netns_discover(&set, fd, tmpl), 0);
	assert_true(set.v[0].host && !set.v[0].reopen);
	assert_true(set.v[0].ino == ino_at(fd, "self/ns/net"));
	netns_set_free(&set);
	/* Not ours either: unknown, none is the host's. */
	assert_int_equal(unlinkat(fd, "2/net/dev", 0), 0);
	test_put_file(fd, "2/net/dev", "");
	assert_int_equal(netns_discover(&set, fd, tmpl), 0);
	for (size_t i = 0; i < set.len; i++)
		assert_true(!set.v[i].host && set.v[i].host_unknown);
	netns_set_free(&set);
	close(fd);
	test_remove_tree(proc);

	/* Pid 2 is no kernel thread (a pid namespace): pid 1's readable namespace is no proof. */
	strcpy(proc, "/tmp/listen-proc-XXXXXX");
	fd = fake_proc(proc, false);
	assert_int_equal(netns_discover(&set, fd, tmpl), 0);
	for (size_t i = 0; i < set.len; i++)
		assert_true(!set.v[i].host && set.v[i].host_unknown);
	netns_set_free(&set);
	/* No descriptor left to read pid 2's stat with: an error, not an unknown host. */
	test_fds_use(&fds, 0);
	r = netns_discover(&set, fd, tmpl);
	test_fds_free(&fds);
	netns_set_free(&set);
	assert_int_equal(r, -EMFILE);
	/* No pid 2 at all. */
	assert_int_equal(unlinkat(fd, "2/stat", 0), 0);
	assert_int_equal(netns_discover(&set, fd, tmpl), 0);
	assert_true(set.len > 0 && set.v[0].host_unknown && !set.v[0].host);
	netns_set_free(&set);
	close(fd);
	test_remove_tree(proc);
	test_remove_tree(tmpl);
}

/* A namespace netns_discover found is opened only for the call, by name or pid, and only if
 * that still leads to it; one that is gone is -ENOENT, running short of descriptors is an
 * error of its own. */
static void reopening(void **state)
{
	char tmpl[] = "/tmp/listen-netns-XXXXXX", path[300];
	struct stat self;
	struct test_fds fds;
	uint64_t ino = 0;
	size_t before = open_fds();
	int r;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(stat("/proc/self/ns/net", &self), 0);
	struct netns ours = { .fd = -1, .reopen = true, .dev = self.st_dev, .ino = self.st_ino,
			      .pid = (uint32_t)getpid(), .proc_dirfd = proc_fd, .run_dir = tmpl };

	/* By pid: entered on a helper thread (refused without CAP_SYS_ADMIN), then closed. */
	r = netns_call(&ours, where, &ino);
	assert_true(geteuid() == 0 ? r == 7 && ino == self.st_ino : r == -EPERM);
	assert_int_equal(open_fds(), before);
	/* By name: a name that is gone, or that is now a plain file; then by the pid found in
	 * it, if there is one. */
	struct netns named = ours;

	named.name = "gone";
	named.pid = 0;
	assert_int_equal(netns_call(&named, where, &ino), -ENOENT);
	snprintf(path, sizeof(path), "%s/gone", tmpl);
	close(open(path, O_WRONLY | O_CREAT, 0644));
	assert_int_equal(netns_call(&named, where, &ino), -ENOENT);
	named.pid = (uint32_t)getpid();
	assert_int_equal(netns_call(&named, where, &ino), r);
	/* By pid: the pid is gone, or is now in another namespace. */
	struct netns moved = ours;

	moved.pid = 4194304; /* above pid_max's limit: never a process */
	assert_int_equal(netns_call(&moved, where, &ino), -ENOENT);
	moved.pid = (uint32_t)getpid();
	moved.ino = self.st_ino + 1;
	assert_int_equal(netns_call(&moved, where, &ino), -ENOENT);
	moved.pid = 0;
	assert_int_equal(netns_call(&moved, where, &ino), -ENOENT);
	assert_int_equal(open_fds(), before);
	/* No descriptor left to open it with: not a namespace that is gone. */
	test_fds_use(&fds, 0);
	r = netns_call(&ours, where, &ino);
	test_fds_free(&fds);
	assert_int_equal(r, -EMFILE);
	test_remove_tree(tmpl);
}

/* Out of descriptors, finding namespaces fails rather than finding fewer: the listing of
 * run_dir, then a name in it. */
static void discovery_short_of_descriptors(void **state)
{
	char tmpl[] = "/tmp/listen-netns-XXXXXX", path[300];
	struct netns_set set;
	struct test_fds fds;
	int r[3];

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/stale", tmpl);
	close(open(path, O_WRONLY | O_CREAT, 0644));
	for (int spare = 0; spare < 3; spare++) {
		test_fds_use(&fds, spare);
		r[spare] = netns_discover(&set, proc_fd, tmpl);
		test_fds_free(&fds);
		netns_set_free(&set);
	}
	assert_int_equal(r[0], -EMFILE);
	assert_int_equal(r[1], -EMFILE);
	assert_int_equal(r[2], 0); /* one for the listing, one for each name in turn */
	test_remove_tree(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(naming),
		cmocka_unit_test(labels),
		cmocka_unit_test(discovery),
		cmocka_unit_test(host_namespace),
		cmocka_unit_test(calling),
		cmocka_unit_test(reopening),
		cmocka_unit_test(discovery_short_of_descriptors),
	};
	int r;

	proc_fd = open("/proc", O_RDONLY | O_DIRECTORY);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	close(proc_fd);
	return r;
}
