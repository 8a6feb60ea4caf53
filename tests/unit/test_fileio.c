/* Unit tests of file reading: regular files only, nothing waits on a FIFO, creating a file
 * never touches anything but a regular file. */
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

#include "listen/fileio.h"

static char dir[] = "/tmp/listen-fileio-XXXXXX";

static const char *at(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int setup(void **state)
{
	FILE *f;

	(void)state;
	if (!mkdtemp(dir) || mkfifo(at("fifo"), 0600) < 0 || mkdir(at("sub"), 0700) < 0 ||
	    !(f = fopen(at("file"), "w")))
		return -1;
	fputs("some text\n", f);
	fclose(f);
	return symlink("/dev/zero", at("zero")) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	for (const char *const *n = (const char *const[]){ "fifo", "sub", "file", "zero", "new",
							    NULL }; *n; n++)
		remove(at(*n));
	return rmdir(dir);
}

static void read_regular_only(void **state)
{
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(fileio_read_all(AT_FDCWD, at("file"), 100, &buf, &len), 0);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "some text\n");
	free(buf);
	/* A FIFO with no writer is refused at once, not waited on; a device, a directory too. */
	assert_int_equal(fileio_read_all(AT_FDCWD, at("fifo"), 100, &buf, &len), -FILEIO_ENOTREG);
	assert_int_equal(fileio_read_all(AT_FDCWD, at("zero"), 100, &buf, &len), -FILEIO_ENOTREG);
	assert_int_equal(fileio_read_all(AT_FDCWD, at("sub"), 100, &buf, &len), -EISDIR);
	assert_int_equal(fileio_read_all(AT_FDCWD, at("none"), 100, &buf, &len), -ENOENT);
	assert_int_equal(fileio_read_all(AT_FDCWD, at("file"), 4, &buf, &len), -EFBIG);
	assert_string_equal(fileio_strerror(-FILEIO_ENOTREG), "not a regular file");
	assert_string_equal(fileio_strerror(-ENOENT), strerror(ENOENT));
	/* /proc files are regular files. */
	assert_int_equal(fileio_read_all(AT_FDCWD, "/proc/self/stat", 1 << 20, &buf, &len), 0);
	free(buf);
}

static void read_small_never_waits(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(fileio_read_small(AT_FDCWD, at("file"), buf, sizeof(buf)), 10);
	/* An empty FIFO with no writer reads as empty (O_NONBLOCK), not a wait for ever. */
	assert_true(fileio_read_small(AT_FDCWD, at("fifo"), buf, sizeof(buf)) <= 0);
}

static void create_regular_only(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	fd = fileio_create(at("new"));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	/* An existing file is emptied. */
	fd = fileio_create(at("new"));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(at("new"), &st), 0);
	assert_int_equal(st.st_size, 0);
	/* Neither a FIFO (no reader: it would fail or block) nor a device is written to. */
	assert_int_equal(fileio_create(at("fifo")), -ENXIO);
	assert_int_equal(fileio_create(at("zero")), -FILEIO_ENOTREG);
	assert_int_equal(fileio_create(at("sub")), -EISDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_regular_only),
		cmocka_unit_test(read_small_never_waits),
		cmocka_unit_test(create_regular_only),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
