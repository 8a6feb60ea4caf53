/* Unit tests of the SELinux reader: the parsers of /proc/filesystems, /proc/mounts and a
 * context, whether SELinux is on (fixture trees), and the contexts read from the fixture tree,
 * from a source that refuses or needs more room, and from this machine's /proc. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen/diag.h"
#include "listen/procfs.h"
#include "listen/selinux.h"
#include "listen/sock.h"
#include "testutil.h"

#define S(text) text, sizeof(text) - 1

static void fs_listed(void **state)
{
	(void)state;
	assert_true(selinux_fs_listed(S("nodev\tsysfs\nnodev\tselinuxfs\n\text4\n")));
	assert_true(selinux_fs_listed(S("nodev\tselinuxfs"))); /* no newline at the end */
	assert_false(selinux_fs_listed(S("nodev\tsysfs\n\text4\n")));
	assert_false(selinux_fs_listed(S("nodev\tselinuxfs2\nnodev\tnotselinuxfs\n")));
	assert_false(selinux_fs_listed(S("")));
	assert_false(selinux_fs_listed(S("selinux")));
}

static void mounts_find(void **state)
{
	const char *mnt;
	size_t n;
	bool ro;

	(void)state;
	assert_int_equal(selinux_mounts_find(S("proc /proc proc rw 0 0\n"
					       "sel /sys/fs/selinux selinuxfs rw,relatime 0 0\n"),
					     &mnt, &n, &ro), 0);
	assert_int_equal(n, strlen("/sys/fs/selinux"));
	assert_memory_equal(mnt, "/sys/fs/selinux", n);
	assert_false(ro);
	assert_int_equal(selinux_mounts_find(S("none /selinux selinuxfs ro,nosuid 0 0"), &mnt, &n,
					     &ro), 0);
	assert_true(ro);
	assert_memory_equal(mnt, "/selinux", n);
	/* An option that starts with "ro" is not ro. */
	assert_int_equal(selinux_mounts_find(S("x /m selinuxfs rootcontext=a 0 0\n"), &mnt, &n,
					     &ro), 0);
	assert_false(ro);
	assert_int_equal(selinux_mounts_find(S("x /m selinuxfs ro\n"), &mnt, &n, &ro), 0);
	assert_true(ro);
	/* The type is the third field, whole; short and odd lines are skipped. */
	assert_int_equal(selinux_mounts_find(S("selinuxfs /a selinuxfs2 rw 0 0\n\nselinuxfs\n"
					       "a b\n  \n"), &mnt, &n, &ro), -ENOENT);
	assert_int_equal(selinux_mounts_find(S(""), &mnt, &n, &ro), -ENOENT);
	/* Without options it is not read-only. */
	assert_int_equal(selinux_mounts_find(S("x /m selinuxfs"), &mnt, &n, &ro), 0);
	assert_false(ro);
}

static void context_len(void **state)
{
	(void)state;
	assert_int_equal(selinux_context_len(S("system_u:system_r:init_t:s0\0")), 27);
	assert_int_equal(selinux_context_len(S("unconfined\n")), 10);
	assert_int_equal(selinux_context_len(S("a\0b")), 1);
	assert_int_equal(selinux_context_len(S("no end")), 6);
	assert_int_equal(selinux_context_len(S("\0")), -ENODATA);
	assert_int_equal(selinux_context_len(S("\n")), -ENODATA);
	assert_int_equal(selinux_context_len(S("")), -ENODATA);
}

/* A scratch proc tree and root: filesystems and mounts as given (NULL: no file), and
 * etc/selinux/config when config. */
struct scratch {
	char dir[64];
	int proc, root;
};

static void scratch_make(struct scratch *s, const char *fs, const char *mounts, bool config)
{
	int d;

	snprintf(s->dir, sizeof(s->dir), "/tmp/test_selinux.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	d = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(d >= 0);
	assert_int_equal(mkdirat(d, "proc", 0755), 0);
	assert_int_equal(mkdirat(d, "root", 0755), 0);
	if (fs)
		test_put_file(d, "proc/filesystems", fs);
	if (mounts)
		test_put_file(d, "proc/mounts", mounts);
	if (config)
		test_put_file(d, "root/etc/selinux/config", "SELINUX=enforcing\n");
	s->proc = openat(d, "proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	s->root = openat(d, "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(s->proc >= 0 && s->root >= 0);
	close(d);
}

static void scratch_free(struct scratch *s)
{
	close(s->proc);
	close(s->root);
	test_remove_tree(s->dir);
}

#define FS "nodev\tproc\nnodev\tselinuxfs\n"
#define RW "selinuxfs /sys/fs/selinux selinuxfs rw,relatime 0 0\n"

static int enabled(const char *fs, const char *mounts, bool config, bool fixture)
{
	struct scratch s;
	int r;

	scratch_make(&s, fs, mounts, config);
	r = selinux_enabled(s.proc, s.root, fixture);
	scratch_free(&s);
	return r;
}

static void enabled_fixture(void **state)
{
	struct scratch s;

	(void)state;
	assert_int_equal(enabled(FS, RW, true, true), 1);
	/* libselinux asks for a configuration too. */
	assert_int_equal(enabled(FS, RW, false, true), 0);
	/* A read-only selinuxfs (a container's) is SELinux off. */
	assert_int_equal(enabled(FS, "s /sys/fs/selinux selinuxfs ro,relatime 0 0\n", true, true),
			 0);
	/* Not listed, or not mounted. */
	assert_int_equal(enabled("nodev\tproc\n", RW, true, true), 0);
	assert_int_equal(enabled(FS, "proc /proc proc rw 0 0\n", true, true), 0);
	assert_int_equal(enabled(FS, NULL, true, true), 0);
	/* A list that cannot be read does not rule it out (libselinux's choice). */
	assert_int_equal(enabled(NULL, RW, true, true), 1);
	/* Without the fixture's word for it, the running machine's statfs decides: a tree's
	 * mounts alone never say SELinux is on. */
	if (access("/sys/fs/selinux", F_OK) != 0)
		assert_int_equal(enabled(FS, RW, true, false), 0);
	/* No /proc tree, no root. */
	scratch_make(&s, FS, RW, true);
	assert_int_equal(selinux_enabled(-1, s.root, true), 0);
	assert_int_equal(selinux_enabled(s.proc, -1, true), 0);
	scratch_free(&s);
}

/* This machine as libselinux sees it: on exactly when a read-write selinuxfs is mounted at
 * /sys/fs/selinux (or elsewhere, per /proc/mounts) and /etc/selinux/config exists. */
static void enabled_here(void **state)
{
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool on = access("/sys/fs/selinux/enforce", W_OK) == 0 &&
		  access("/etc/selinux/config", F_OK) == 0;

	(void)state;
	assert_int_equal(selinux_enabled(proc, root, false), on);
	close(proc);
	close(root);
}

static void load_owners(struct procfs_map *m, int dirfd, struct lsock_vec *socks)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	size_t len;
	char *buf = test_read_file(LISTEN_DATA_DIR "/sockets.nl", &len);

	assert_int_equal(diag_replay(&all, buf, len, socks), 0);
	free(buf);
	assert_int_equal(procfs_map_owners(m, dirfd, socks->v, socks->len), 0);
}

static const struct selinux_ctx *proc_ctx(const struct procfs_map *m,
					  const struct selinux_contexts *c, uint32_t pid)
{
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].pid == pid)
			return &c->procs[i];
	fail_msg("no process %u", pid);
	return NULL;
}

static const struct selinux_ctx *fd_ctx(const struct procfs_map *m,
					const struct selinux_contexts *c, uint32_t pid, int32_t fd)
{
	for (size_t i = 0; i < m->nowners; i++)
		if (m->owners[i].pid == pid && m->owners[i].fd == fd)
			return &c->fds[i];
	fail_msg("no fd %u/%d", pid, fd);
	return NULL;
}

/* tests/data/proc-selinux (make-selinux.sh): each kind of context, and each kind of none. */
static void read_fixture(void **state)
{
	int dirfd = open(LISTEN_DATA_DIR "/proc-selinux", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct selinux_source src = selinux_source_fixture(dirfd);
	struct lsock_vec socks = { 0 };
	struct procfs_map m = { 0 };
	struct selinux_contexts c;

	(void)state;
	assert_true(dirfd >= 0);
	load_owners(&m, dirfd, &socks);
	assert_int_equal(selinux_read_contexts(&src, &m, true, &c), 0);
	assert_int_equal(c.nprocs, m.nprocs);
	assert_int_equal(c.nfds, m.nowners);
	assert_string_equal(proc_ctx(&m, &c, 1)->text, "system_u:system_r:init_t:s0");
	assert_string_equal(proc_ctx(&m, &c, 4352)->text,
			    "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023");
	/* Hostile bytes are kept as they are, for the views to escape; a newline ends it. */
	assert_string_equal(proc_ctx(&m, &c, 4353)->text,
			    "system_u:system_r:evil_t:s0\x1b[31m\xff");
	assert_string_equal(proc_ctx(&m, &c, 999002)->text, "system_u:system_r:sshd_t:s0");
	assert_null(proc_ctx(&m, &c, 4354)->text);
	assert_int_equal(proc_ctx(&m, &c, 4354)->err, -ENODATA);
	assert_null(proc_ctx(&m, &c, 999008)->text);
	assert_int_equal(proc_ctx(&m, &c, 999008)->err, -ENOENT);
	assert_string_equal(fd_ctx(&m, &c, 4352, 3)->text,
			    "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023");
	assert_string_equal(fd_ctx(&m, &c, 4353, 4)->text,
			    "system_u:object_r:evil_t:s0\x1b]0;title\a");
	assert_string_equal(fd_ctx(&m, &c, 1, 40)->text, "system_u:system_r:init_t:s0");
	assert_null(fd_ctx(&m, &c, 4353, 3)->text);
	assert_int_equal(fd_ctx(&m, &c, 4353, 3)->err, -ENODATA);
	assert_int_equal(c.procs_refused + c.fds_refused, 0);
	selinux_contexts_free(&c);
	/* -Z: the processes' only. */
	assert_int_equal(selinux_read_contexts(&src, &m, false, &c), 0);
	assert_null(c.fds);
	assert_int_equal(c.nfds, 0);
	assert_non_null(proc_ctx(&m, &c, 1)->text);
	selinux_contexts_free(&c);
	procfs_map_free(&m);
	lsock_vec_free(&socks);
	close(dirfd);
}

/* A source standing in for a machine with SELinux on: pid 10 is refused, pid 11 has a context
 * longer than the first buffer, pid 12 has gone; fd 3 of each is refused, fd 4 has a context,
 * fd 5 runs listen out of descriptors. */
static char long_ctx[3000];

static ssize_t put(char *buf, size_t size, const char *text)
{
	size_t n = strlen(text) + 1;

	if (n > size)
		return -ERANGE;
	memcpy(buf, text, n);
	return (ssize_t)n;
}

static ssize_t fake_proc(const struct selinux_source *s, uint32_t pid, char *buf, size_t size)
{
	(void)s;
	if (pid == 10)
		return -EACCES;
	if (pid == 11)
		return put(buf, size, long_ctx);
	if (pid == 12)
		return -ESRCH;
	return put(buf, size, "system_u:system_r:httpd_t:s0");
}

static ssize_t fake_fd(const struct selinux_source *s, uint32_t pid, int32_t fd, char *buf,
		       size_t size)
{
	(void)s;
	(void)pid;
	if (fd == 3)
		return -EPERM;
	if (fd == 5)
		return -EMFILE;
	return put(buf, size, "system_u:system_r:httpd_t:s0");
}

static void read_injected(void **state)
{
	struct selinux_source src = { fake_proc, fake_fd, -1 };
	struct procfs_proc procs[] = { { .pid = 10 }, { .pid = 11 }, { .pid = 12 }, { .pid = 13 } };
	struct procfs_owner owners[] = { { 10, 3, 0 }, { 11, 4, 1 }, { 13, 3, 3 }, { 13, 4, 3 } };
	struct procfs_map m = { .procs = procs, .nprocs = 4, .owners = owners, .nowners = 4 };
	struct selinux_contexts c;

	(void)state;
	memset(long_ctx, 'a', sizeof(long_ctx) - 1);
	assert_int_equal(selinux_read_contexts(&src, &m, true, &c), 0);
	/* Refused is counted and kept as refused, never as no context. */
	assert_null(c.procs[0].text);
	assert_int_equal(c.procs[0].err, -EACCES);
	assert_string_equal(selinux_err_word(c.procs[0].err), "refused");
	assert_int_equal(c.procs_refused, 1);
	assert_string_equal(c.procs[1].text, long_ctx);
	assert_int_equal(c.procs[2].err, -ESRCH);
	assert_string_equal(selinux_err_word(c.procs[2].err), "gone");
	assert_string_equal(c.procs[3].text, "system_u:system_r:httpd_t:s0");
	assert_int_equal(c.fds[0].err, -EPERM);
	assert_string_equal(c.fds[1].text, "system_u:system_r:httpd_t:s0");
	assert_int_equal(c.fds[2].err, -EPERM);
	assert_int_equal(c.fds_refused, 2);
	selinux_contexts_free(&c);
	/* Running out of descriptors is an error, not a context missing. */
	owners[3].fd = 5;
	assert_int_equal(selinux_read_contexts(&src, &m, true, &c), -EMFILE);
	selinux_contexts_free(&c);
	assert_string_equal(selinux_err_word(-ENODATA), "none");
	assert_string_equal(selinux_err_word(-ENOENT), "gone");
	assert_string_equal(selinux_err_word(-EIO), "unreadable");
}

/* This machine's /proc: listen's own context and that of a socket it holds, through the
 * descriptor of the /proc tree (the xattr's path goes through /proc/self/fd). */
static void read_here(void **state)
{
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct selinux_source src = selinux_source_proc(proc);
	uint32_t self = (uint32_t)getpid();
	struct procfs_proc procs[] = { { .pid = self } };
	struct procfs_owner owners[] = { { self, sk, 0 }, { self, 999, 0 } };
	struct procfs_map m = { .procs = procs, .nprocs = 1, .owners = owners, .nowners = 2 };
	struct selinux_contexts c;
	bool on = access("/sys/fs/selinux/enforce", F_OK) == 0;

	(void)state;
	assert_true(proc >= 0 && sk >= 0);
	assert_int_equal(selinux_read_contexts(&src, &m, true, &c), 0);
	if (on) {
		assert_non_null(c.procs[0].text);
		assert_non_null(c.fds[0].text);
	} else {
		/* No security module gives a context (EINVAL), or AppArmor's label does. */
		assert_true(c.procs[0].err == -EINVAL || c.procs[0].text);
		/* A socket's inode has no security.selinux: none, never refused. */
		assert_null(c.fds[0].text);
		assert_true(c.fds[0].err == -ENODATA || c.fds[0].err == -EOPNOTSUPP);
	}
	/* An fd that is not open: gone. */
	assert_int_equal(c.fds[1].err, -ENOENT);
	assert_int_equal(c.procs_refused + c.fds_refused, 0);
	selinux_contexts_free(&c);
	close(sk);
	close(proc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fs_listed),
		cmocka_unit_test(mounts_find),
		cmocka_unit_test(context_len),
		cmocka_unit_test(enabled_fixture),
		cmocka_unit_test(enabled_here),
		cmocka_unit_test(read_fixture),
		cmocka_unit_test(read_injected),
		cmocka_unit_test(read_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
