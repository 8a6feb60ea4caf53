/* Unit tests of the cgroup v2 mount lookup and the id-to-path walk. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/cgroup.h"
#include "testutil.h"

static void find_v2(void **state)
{
	/* A v1 hybrid layout with the v2 hierarchy at /sys/fs/cgroup/unified. */
	static const char hybrid[] =
		"22 28 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
		"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"32 31 0:29 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw\n"
		"33 31 0:30 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n";
	/* A pure v2 system, a bind mount of a sub-tree first, and a space in a path. */
	static const char unified[] =
		"40 1 0:40 /system.slice /mnt/sub rw - cgroup2 cgroup2 rw\n"
		"41 1 0:40 / /run/my\\040cgroup rw shared:4 master:1 - cgroup2 cgroup2 rw\n";
	static const char v1_only[] =
		"33 31 0:30 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
		"garbage line\n"
		"- - - - - - -\n";
	char *p;

	(void)state;
	p = cgroup_find_v2(hybrid, strlen(hybrid));
	assert_string_equal(p, "/sys/fs/cgroup/unified");
	free(p);
	p = cgroup_find_v2(unified, strlen(unified));
	assert_string_equal(p, "/run/my cgroup");
	free(p);
	errno = 0;
	assert_null(cgroup_find_v2(v1_only, strlen(v1_only)));
	assert_int_equal(errno, ENOENT);
	assert_null(cgroup_find_v2("", 0));
}

static uint64_t ino_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/* A cgroup's id is its directory's inode number, so a plain tree stands in for cgroupfs. */
static void resolve(void **state)
{
	char root[] = "/tmp/listen-cgroup-XXXXXX", path[256], cmd[1024];
	uint64_t ids[5];
	struct cgroup_paths cp;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/system.slice/ssh.service", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s/user.slice/user-1000.slice'", path, root);
	assert_int_equal(system(cmd), 0);
	ids[0] = ino_of(path);
	ids[1] = ino_of(root);
	snprintf(path, sizeof(path), "%s/user.slice/user-1000.slice", root);
	ids[2] = ino_of(path);
	ids[3] = ids[0]; /* duplicates are fine */
	ids[4] = 0x7fffffffffffull; /* no such cgroup */

	fd = open(root, O_RDONLY | O_DIRECTORY);
	assert_int_equal(cgroup_paths_resolve(&cp, fd, ids, 5), 0);
	assert_string_equal(cgroup_path(&cp, ids[0]), "/system.slice/ssh.service");
	assert_string_equal(cgroup_path(&cp, ids[1]), "/");
	assert_string_equal(cgroup_path(&cp, ids[2]), "/user.slice/user-1000.slice");
	assert_null(cgroup_path(&cp, ids[4]));
	assert_null(cgroup_path(&cp, 12345));
	cgroup_paths_free(&cp);
	assert_int_equal(cgroup_paths_resolve(&cp, fd, NULL, 0), 0);
	assert_null(cgroup_path(&cp, ids[0]));
	cgroup_paths_free(&cp);
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* A cgroup listen has no descriptor left to open is not one that is gone: an error, not an
 * id left unresolved. */
static void short_of_descriptors(void **state)
{
	char root[] = "/tmp/listen-cgroup-XXXXXX", path[256], cmd[1024];
	struct cgroup_paths cp;
	struct test_fds fds;
	uint64_t id;
	int fd, r;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/system.slice/ssh.service", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	assert_int_equal(system(cmd), 0);
	id = ino_of(path);
	fd = open(root, O_RDONLY | O_DIRECTORY);
	test_fds_use(&fds, 1); /* the root's listing, but no subdirectory */
	r = cgroup_paths_resolve(&cp, fd, &id, 1);
	test_fds_free(&fds);
	assert_int_equal(r, -EMFILE);
	cgroup_paths_free(&cp);
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(find_v2),
		cmocka_unit_test(resolve),
		cmocka_unit_test(short_of_descriptors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
