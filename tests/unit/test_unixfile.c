/* Unit tests of unix sockets' files: who may connect, from fixture directories with real
 * sockets in them, including links planted on the path, a replaced file and another root. */
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
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "listen/sock.h"
#include "listen/unixfile.h"

/* The fixture directory, made fresh for each test. */
static char dir[64];
static int root_fd = -1;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/listen-unixfile-XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755) < 0)
		return -1;
	root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return root_fd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	close(root_fd);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A path under the fixture directory. */
static const char *at(const char *rel)
{
	static char buf[4][320];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, rel);
	return buf[k];
}

/* A socket bound to path with mode: its fd (kept open while the test runs), and the device
 * (kernel encoding, as UNIX_DIAG_VFS gives it) and inode of its file. */
static int bound(const char *path, mode_t mode, uint32_t *dev, uint32_t *ino)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct stat st;

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(chmod(path, mode), 0);
	assert_int_equal(stat(path, &st), 0);
	*dev = major(st.st_dev) << 20 | minor(st.st_dev);
	*ino = (uint32_t)st.st_ino;
	return fd;
}

static struct unixfile look(const char *path, uint32_t dev, uint32_t ino, bool careful)
{
	struct unixfile u;

	assert_int_equal(unixfile_look(&(struct unixfile_walk){ root_fd, careful }, path,
				       strlen(path), dev, ino, &u), 0);
	return u;
}

/* The rule itself: write permission on the file, search on every directory, by class. */
static void reach_rules(void **state)
{
	const struct unixfile_dir open_dirs[] = { { 040755, 0, 0 }, { 040755, 0, 0 } };
	const struct unixfile_dir group_dir[] = { { 040755, 0, 0 }, { 040750, 0, 999 } };
	const struct unixfile_dir closed[] = { { 040755, 0, 0 }, { 040700, 0, 0 } };
	const struct unixfile_dir others_only[] = { { 040705, 0, 999 } };

	(void)state;
	assert_int_equal(unixfile_reach(0140666, 0, 0, open_dirs, 2),
			 UNIXFILE_OTHERS | UNIXFILE_GROUP | UNIXFILE_OWNER);
	assert_int_equal(unixfile_reach(0140660, 0, 999, open_dirs, 2),
			 UNIXFILE_GROUP | UNIXFILE_OWNER);
	assert_int_equal(unixfile_reach(0140600, 0, 0, open_dirs, 2), UNIXFILE_OWNER);
	assert_int_equal(unixfile_reach(0140000, 0, 0, open_dirs, 2), 0);
	/* A directory of the file's group open to it only: the group, not others. */
	assert_int_equal(unixfile_reach(0140666, 0, 999, group_dir, 2),
			 UNIXFILE_GROUP | UNIXFILE_OWNER);
	/* root's 0700 directory: a world-writable file in it is root's alone... */
	assert_int_equal(unixfile_reach(0140666, 0, 0, closed, 2), UNIXFILE_OWNER);
	/* ...and no one's but root's when another user owns the file. */
	assert_int_equal(unixfile_reach(0140666, 1000, 1000, closed, 2), 0);
	/* The kernel takes the group's bits for the group even where others' would allow;
	 * the owner is taken for a member of the file's group. */
	assert_int_equal(unixfile_reach(0140666, 1000, 999, others_only, 1), UNIXFILE_OTHERS);
	assert_int_equal(unixfile_reach(0140666, 0, 0, NULL, 0),
			 UNIXFILE_OTHERS | UNIXFILE_GROUP | UNIXFILE_OWNER);
}

/* Modes on real files, the directories on the way, and the file's identity. */
static void modes(void **state)
{
	uint32_t dev, ino, dev2, ino2, dev3, ino3;
	int a = bound(at("world.sock"), 0666, &dev, &ino);
	int b = bound(at("owner.sock"), 0600, &dev2, &ino2);
	struct unixfile u;

	(void)state;
	u = look(at("world.sock"), dev, ino, true);
	assert_int_equal(u.status, UNIXFILE_OK);
	assert_int_equal(u.mode, 0666);
	assert_int_equal(u.uid, geteuid());
	assert_true(u.reach & UNIXFILE_OTHERS);
	u = look(at("owner.sock"), dev2, ino2, true);
	assert_int_equal(u.status, UNIXFILE_OK);
	assert_int_equal(u.reach, UNIXFILE_OWNER);
	/* The same path with another identity: not this socket's file. */
	u = look(at("world.sock"), dev2, ino2, true);
	assert_int_equal(u.status, UNIXFILE_REPLACED);
	/* A world-writable file behind a directory others may not search. */
	assert_int_equal(mkdir(at("closed"), 0700), 0);
	int c = bound(at("closed/in.sock"), 0666, &dev3, &ino3);

	u = look(at("closed/in.sock"), dev3, ino3, true);
	assert_int_equal(u.status, UNIXFILE_OK);
	assert_false(u.reach & UNIXFILE_OTHERS);
	assert_true(u.reach & UNIXFILE_OWNER);
	/* A relative name is relative to the binder's directory: not looked for. */
	u = look("run/x.sock", dev, ino, true);
	assert_int_equal(u.status, UNIXFILE_RELATIVE);
	close(a);
	close(b);
	close(c);
}

/* A socket file removed, or replaced by another file: said, never taken for the socket's. */
static void replaced_and_gone(void **state)
{
	uint32_t dev, ino;
	int a = bound(at("r.sock"), 0666, &dev, &ino);
	int fd;

	(void)state;
	assert_int_equal(unlink(at("r.sock")), 0);
	assert_int_equal(look(at("r.sock"), dev, ino, true).status, UNIXFILE_GONE);
	fd = open(at("r.sock"), O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(look(at("r.sock"), dev, ino, true).status, UNIXFILE_REPLACED);
	/* Another socket bound there since: also not this one. */
	assert_int_equal(unlink(at("r.sock")), 0);
	uint32_t dev2, ino2;
	int b = bound(at("r.sock"), 0666, &dev2, &ino2);

	assert_int_equal(look(at("r.sock"), dev, ino, true).status, UNIXFILE_REPLACED);
	assert_int_equal(look(at("r.sock"), dev2, ino2, true).status, UNIXFILE_OK);
	/* A directory on the path replaced by a file. */
	assert_int_equal(mkdir(at("d"), 0755), 0);
	uint32_t dev3, ino3;
	int c = bound(at("d/s.sock"), 0666, &dev3, &ino3);
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf %s && touch %s", at("d"), at("d"));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(look(at("d/s.sock"), dev3, ino3, true).status, UNIXFILE_GONE);
	close(a);
	close(b);
	close(c);
}

/* Links on the path: followed to the socket's file; as root only root's; loops end. */
static void links(void **state)
{
	uint32_t dev, ino;
	struct unixfile u;
	int a;

	(void)state;
	assert_int_equal(mkdir(at("real"), 0755), 0);
	a = bound(at("real/s.sock"), 0666, &dev, &ino);
	assert_int_equal(symlink(at("real"), at("abs")), 0);
	assert_int_equal(symlink("real", at("rel")), 0);
	assert_int_equal(symlink("loop2", at("loop1")), 0);
	assert_int_equal(symlink("loop1", at("loop2")), 0);
	/* Not careful (listen sees only what its user may): any link is followed. */
	assert_int_equal(look(at("abs/s.sock"), dev, ino, false).status, UNIXFILE_OK);
	assert_int_equal(look(at("rel/s.sock"), dev, ino, false).status, UNIXFILE_OK);
	assert_int_equal(look(at("rel/../rel/./s.sock"), dev, ino, false).status, UNIXFILE_OK);
	u = look(at("loop1/s.sock"), dev, ino, false);
	assert_int_equal(u.status, UNIXFILE_ERROR);
	assert_int_equal(u.err, -ELOOP);
	/* The directories behind the link count: a closed target keeps others out. */
	assert_int_equal(chmod(at("real"), 0700), 0);
	u = look(at("abs/s.sock"), dev, ino, false);
	assert_int_equal(u.status, UNIXFILE_OK);
	assert_false(u.reach & UNIXFILE_OTHERS);
	assert_int_equal(chmod(at("real"), 0755), 0);
	if (geteuid() != 0) {
		/* careful is root's: an unprivileged run has no link of its own to compare. */
		assert_int_equal(look(at("abs/s.sock"), dev, ino, true).status, UNIXFILE_LINK);
		close(a);
		return;
	}
	/* Root follows root's link, not another user's: it could point where that user may
	 * not look. */
	assert_int_equal(look(at("abs/s.sock"), dev, ino, true).status, UNIXFILE_OK);
	assert_int_equal(lchown(at("abs"), 65534, 65534), 0);
	u = look(at("abs/s.sock"), dev, ino, true);
	assert_int_equal(u.status, UNIXFILE_LINK);
	assert_int_equal(u.link_uid, 65534);
	close(a);
}

/* Another root (a holder's /proc/PID/root): absolute links and ".." stay inside it. */
static void other_root(void **state)
{
	uint32_t dev, ino;
	int a, saved = root_fd;

	(void)state;
	assert_int_equal(mkdir(at("root"), 0755), 0);
	assert_int_equal(mkdir(at("root/run"), 0755), 0);
	a = bound(at("root/run/c.sock"), 0660, &dev, &ino);
	assert_int_equal(symlink("/run", at("root/var-run")), 0);
	root_fd = open(at("root"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root_fd >= 0);
	assert_int_equal(look("/run/c.sock", dev, ino, false).status, UNIXFILE_OK);
	assert_int_equal(look("/var-run/c.sock", dev, ino, false).status, UNIXFILE_OK);
	assert_int_equal(look("/../../../run/c.sock", dev, ino, false).status, UNIXFILE_OK);
	/* The host's /run is not where the link leads. */
	assert_int_equal(look("/var-run/../var-run/c.sock", dev, ino, false).status, UNIXFILE_OK);
	close(root_fd);
	root_fd = saved;
	close(a);
}

/* Denied: a directory listen's user may not search (not root, which may search any). */
static void denied(void **state)
{
	uint32_t dev, ino;
	struct unixfile u;
	int a;

	(void)state;
	assert_int_equal(mkdir(at("shut"), 0755), 0);
	a = bound(at("shut/s.sock"), 0666, &dev, &ino);
	assert_int_equal(chmod(at("shut"), 0), 0);
	u = look(at("shut/s.sock"), dev, ino, false);
	if (geteuid() == 0 && access(at("shut"), X_OK) == 0) {
		/* root searches it: checked, and no one else may connect */
		assert_int_equal(u.status, UNIXFILE_OK);
		assert_int_equal(u.reach, 0);
	} else {
		assert_int_equal(u.status, UNIXFILE_DENIED);
		assert_int_equal(u.err, -EACCES);
	}
	assert_int_equal(chmod(at("shut"), 0755), 0);
	close(a);
}

/* The sockets of a run: each file once, abstract and unbound ones left alone, the group named
 * where it may write. */
static void collect(void **state)
{
	struct lsock_vec v = { 0 };
	struct unixfile_set set = { 0 };
	uint32_t dev, ino;
	int a = bound(at("g.sock"), 0660, &dev, &ino);
	const char *path = at("g.sock");
	struct lsock *sk;

	(void)state;
	for (int i = 0; i < 4; i++) {
		sk = lsock_vec_push(&v);
		assert_non_null(sk);
		sk->family = AF_UNIX;
		sk->state = i == 0 ? LSOCK_LISTEN : LSOCK_ESTABLISHED;
		sk->un.flags = LSOCK_UNIX_NAME | LSOCK_UNIX_VFS;
		sk->un.vfs_dev = dev;
		sk->un.vfs_ino = ino;
		assert_int_equal(lsock_vec_name(&v, sk, path, strlen(path)), 0);
	}
	assert_int_equal(lsock_vec_name(&v, &v.v[2], "\0abstract", 9), 0);
	v.v[3].un.flags = LSOCK_UNIX_NAME; /* from /proc/net/unix: no identity */
	sk = lsock_vec_push(&v); /* unbound */
	sk->family = AF_UNIX;
	/* Sockets sharing a directory (walked once for them): another file there, and two
	 * files in a directory that is not there. */
	uint32_t dev2, ino2;
	int b = bound(at("h.sock"), 0600, &dev2, &ino2);
	const char *paths[3] = { at("h.sock"), at("none/a.sock"), at("none/b.sock") };

	for (int i = 0; i < 3; i++) {
		sk = lsock_vec_push(&v);
		assert_non_null(sk);
		sk->family = AF_UNIX;
		sk->state = LSOCK_LISTEN;
		sk->un.flags = LSOCK_UNIX_NAME | LSOCK_UNIX_VFS;
		sk->un.vfs_dev = dev2;
		sk->un.vfs_ino = ino2;
		assert_int_equal(lsock_vec_name(&v, sk, paths[i], strlen(paths[i])), 0);
	}
	assert_int_equal(unixfile_collect(&set, v.v, v.len, root_fd, -1, NULL, true), 0);
	assert_int_equal(set.n, 8);
	assert_int_equal(set.v[5].status, UNIXFILE_OK);
	assert_int_equal(set.v[5].reach, UNIXFILE_OWNER);
	assert_int_equal(set.v[6].status, UNIXFILE_GONE);
	assert_int_equal(set.v[7].status, UNIXFILE_GONE);
	close(b);
	assert_int_equal(set.v[0].status, UNIXFILE_OK);
	assert_int_equal(set.v[1].status, UNIXFILE_OK);
	assert_int_equal(set.v[2].status, UNIXFILE_UNCHECKED);
	assert_int_equal(set.v[3].status, UNIXFILE_NO_VFS);
	assert_int_equal(set.v[4].status, UNIXFILE_UNCHECKED);
	assert_true(set.v[0].reach & UNIXFILE_GROUP);
	assert_int_equal(set.v[0].gid, getegid());
	if (getegid() == 0)
		assert_string_equal(set.v[0].group, "root");
	assert_ptr_equal(set.v[0].group, set.v[1].group);
	unixfile_set_free(&set);
	lsock_vec_free(&v);
	close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reach_rules),
		cmocka_unit_test_setup_teardown(modes, setup, teardown),
		cmocka_unit_test_setup_teardown(replaced_and_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(links, setup, teardown),
		cmocka_unit_test_setup_teardown(other_root, setup, teardown),
		cmocka_unit_test_setup_teardown(denied, setup, teardown),
		cmocka_unit_test_setup_teardown(collect, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
