/* Unit tests of network namespaces: naming one (and every way of naming it wrong), finding
 * them all, labels, and running code inside one. */
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
	for (const char *const *bad = (const char *const[]){ "", ".", "..", "a/b", "../x", NULL }; *bad; bad++) {
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
	assert_int_equal(open_spec(&ns, NETNS_BY_PID_OR_PATH, "/proc/self/ns/uts", tmpl, err), -EINVAL);
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

static void discovery(void **state)
{
	char tmpl[] = "/tmp/listen-netns-XXXXXX";
	struct netns_set set;
	struct stat self;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(netns_discover(&set, proc_fd, tmpl), 0);
	assert_int_equal(stat("/proc/self/ns/net", &self), 0);
	assert_true(set.len >= 1);
	assert_true(set.v[0].host);
	bool ours = false;

	for (size_t i = 0; i < set.len; i++) {
		ours |= set.v[i].ino == self.st_ino;
		assert_true(i == 0 || !set.v[i].host);
		/* Each namespace once; all but ours open for entering. */
		for (size_t j = 0; j < i; j++)
			assert_false(set.v[i].ino == set.v[j].ino && set.v[i].dev == set.v[j].dev);
		assert_true((set.v[i].fd < 0) == (set.v[i].ino == self.st_ino));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(naming),
		cmocka_unit_test(labels),
		cmocka_unit_test(discovery),
		cmocka_unit_test(calling),
	};
	int r;

	proc_fd = open("/proc", O_RDONLY | O_DIRECTORY);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	close(proc_fd);
	return r;
}
