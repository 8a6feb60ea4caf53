/* Unit tests of the mountinfo reader. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "listen/mountinfo.h"

static void entries(void **state)
{
	static const char text[] =
		"22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
		"not an entry\n"
		"\n"
		"- - - - - - -\n"
		"x y 0:z / /a rw - tmpfs tmpfs rw\n"
		"41 1 259:3 /sub /run/my\\040dir rw shared:4 master:1 "
		"- ext4 /dev/nvme0n1p3 rw,errors=remount-ro";
	struct mountinfo_entry e;
	size_t pos = 0;
	char *s;

	(void)state;
	assert_true(mountinfo_next(text, strlen(text), &pos, &e));
	assert_int_equal(e.major, 0);
	assert_int_equal(e.minor, 21);
	assert_true(mountinfo_is(e.root, e.root_len, "/"));
	assert_true(mountinfo_is(e.mountpoint, e.mountpoint_len, "/proc"));
	assert_true(mountinfo_is(e.fstype, e.fstype_len, "proc"));
	assert_true(mountinfo_is(e.options, e.options_len, "rw"));
	assert_false(mountinfo_is(e.fstype, e.fstype_len, "pro"));
	/* The lines that are no entries are passed over; the last has no newline. */
	assert_true(mountinfo_next(text, strlen(text), &pos, &e));
	assert_int_equal(e.major, 259);
	assert_int_equal(e.minor, 3);
	assert_true(mountinfo_is(e.fstype, e.fstype_len, "ext4"));
	s = mountinfo_unescape(e.mountpoint, e.mountpoint_len);
	assert_string_equal(s, "/run/my dir");
	free(s);
	assert_false(mountinfo_next(text, strlen(text), &pos, &e));
	assert_int_equal(pos, strlen(text));
	pos = 0;
	assert_false(mountinfo_next("", 0, &pos, &e));
}

static void options(void **state)
{
	static const char opts[] = "rw,hidepid=invisible,gid=27,subset";
	const char *v;
	size_t n;

	(void)state;
	assert_true(mountinfo_option(opts, strlen(opts), "hidepid", &v, &n));
	assert_int_equal(n, 9);
	assert_memory_equal(v, "invisible", 9);
	assert_true(mountinfo_option(opts, strlen(opts), "gid", &v, &n));
	assert_int_equal(n, 2);
	assert_memory_equal(v, "27", 2);
	/* A flag has no value; a prefix of a name is not the name. */
	assert_false(mountinfo_option(opts, strlen(opts), "subset", &v, &n));
	assert_false(mountinfo_option(opts, strlen(opts), "hide", &v, &n));
	assert_false(mountinfo_option(opts, strlen(opts), "id", &v, &n));
	assert_false(mountinfo_option("", 0, "gid", &v, &n));
	/* An unterminated escape is kept as it is. */
	v = mountinfo_unescape("a\\04", 4);
	assert_string_equal(v, "a\\04");
	free((char *)v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(entries),
		cmocka_unit_test(options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
