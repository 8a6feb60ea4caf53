/* Unit tests of unix sockets' scope (who may connect, as the views say it) and the built-in
 * notes on well-known unix sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/unix_scope.h"
#include "listen/unixfile.h"

/* A listening unix socket bound to name (len bytes; a leading NUL: abstract). */
static struct lsock named(const char *name, size_t len)
{
	return (struct lsock){ .family = AF_UNIX, .state = LSOCK_LISTEN, .type = SOCK_STREAM,
			       .un = { .name = name, .name_len = (uint32_t)len,
				       .flags = LSOCK_UNIX_NAME | LSOCK_UNIX_VFS } };
}

static struct sbuf out;

static const char *text(enum unix_scope s, const struct unixfile *f, const char *netns)
{
	out.len = 0;
	unix_scope_text(&out, s, f, netns);
	sbuf_putc(&out, '\0');
	assert_false(out.failed);
	return out.s;
}

static void scopes(void **state)
{
	struct lsock path = named("/run/app.sock", 13), abs = named("\0app", 4);
	struct lsock unbound = { .family = AF_UNIX, .type = SOCK_STREAM };
	struct unixfile f = { .status = UNIXFILE_OK, .mode = 0666, .gid = 999,
			      .reach = UNIXFILE_OTHERS | UNIXFILE_GROUP | UNIXFILE_OWNER };

	(void)state;
	assert_int_equal(unix_scope_of(&abs, NULL), UNIX_SCOPE_ABSTRACT);
	assert_string_equal(text(UNIX_SCOPE_ABSTRACT, NULL, NULL),
			    "abstract: any process in netns");
	assert_string_equal(text(UNIX_SCOPE_ABSTRACT, NULL, "web\x1b"),
			    "abstract: any process in netns web\\x1b");
	assert_int_equal(unix_scope_of(&unbound, &f), UNIX_SCOPE_NONE);
	assert_int_equal(unix_scope_of(&path, NULL), UNIX_SCOPE_NONE); /* not looked at */
	assert_int_equal(unix_scope_of(&path, &f), UNIX_SCOPE_WORLD);
	assert_string_equal(text(UNIX_SCOPE_WORLD, &f, NULL), "world-writable");
	f.reach = UNIXFILE_GROUP | UNIXFILE_OWNER;
	assert_int_equal(unix_scope_of(&path, &f), UNIX_SCOPE_GROUP);
	assert_string_equal(text(UNIX_SCOPE_GROUP, &f, NULL), "group 999");
	f.group = "dock\ner";
	assert_string_equal(text(UNIX_SCOPE_GROUP, &f, NULL), "group dock\\ner");
	f.reach = UNIXFILE_OWNER;
	assert_int_equal(unix_scope_of(&path, &f), UNIX_SCOPE_OWNER);
	assert_string_equal(text(UNIX_SCOPE_OWNER, &f, NULL), "owner only");
	f.reach = 0;
	assert_int_equal(unix_scope_of(&path, &f), UNIX_SCOPE_ROOT);
	assert_string_equal(text(UNIX_SCOPE_ROOT, &f, NULL), "not reachable");
	f.reach = UNIXFILE_OTHERS;
	f.via_root = true;
	f.root_pid = 812;
	assert_string_equal(text(UNIX_SCOPE_WORLD, &f, NULL),
			    "world-writable (mount ns of pid 812)");
	assert_true(unix_scope_open(UNIX_SCOPE_WORLD) && unix_scope_open(UNIX_SCOPE_ABSTRACT));
	assert_false(unix_scope_open(UNIX_SCOPE_GROUP) || unix_scope_open(UNIX_SCOPE_UNCHECKED));
	assert_string_equal(unix_scope_key(UNIX_SCOPE_ROOT), "root");
	assert_null(unix_scope_key(UNIX_SCOPE_NONE));
}

/* Could not look: said, with why, never taken for a scope. */
static void unchecked(void **state)
{
	struct lsock path = named("/run/app.sock", 13);
	static const struct {
		struct unixfile f;
		const char *text;
	} cases[] = {
		{ { .status = UNIXFILE_DENIED, .err = -EACCES }, "not checked: Permission denied" },
		{ { .status = UNIXFILE_GONE },
		  "not checked: file gone: removed, or in another mount namespace" },
		{ { .status = UNIXFILE_GONE, .roots_refused = true },
		  "not checked: file gone: removed, or in another mount namespace; a holder's "
		  "mount namespace could not be looked in" },
		{ { .status = UNIXFILE_REPLACED },
		  "not checked: another file at the path: replaced, or in another mount "
		  "namespace" },
		{ { .status = UNIXFILE_LINK, .link_uid = 1000 },
		  "not checked: a symbolic link of uid 1000 on the path, not followed as root" },
		{ { .status = UNIXFILE_RELATIVE }, "not checked: bound to a relative path" },
		{ { .status = UNIXFILE_NO_VFS },
		  "not checked: the kernel gave no file identity (/proc/net/unix)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(unix_scope_of(&path, &cases[i].f), UNIX_SCOPE_UNCHECKED);
		assert_string_equal(text(UNIX_SCOPE_UNCHECKED, &cases[i].f, NULL), cases[i].text);
	}
}

static const char *note_of(const char *name, size_t len)
{
	struct lsock sk = named(name, len);
	const struct unix_note *n = unix_note_find(&sk);

	return n ? n->info.name : NULL;
}

static void notes(void **state)
{
	struct lsock sk = named("/run/docker.sock", 16);
	const struct unix_note *n = unix_note_find(&sk);
	size_t count;
	const struct unix_note *all = unix_note_builtin(&count);

	(void)state;
	assert_non_null(n);
	assert_int_equal(n->info.risk, SVC_RISK_HIGH);
	assert_false(n->expected);
	assert_string_equal(note_of("/var/run/docker.sock", 20), "docker");
	assert_string_equal(note_of("/tmp/.X11-unix/X0", 17), "x11");
	assert_string_equal(note_of("\0/tmp/.X11-unix/X0", 18), "x11");
	assert_string_equal(note_of("/run/user/1000/bus", 18), "dbus-session");
	assert_string_equal(note_of("/run/dbus/system_bus_socket", 27), "dbus-system");
	assert_string_equal(note_of("/run/systemd/journal/stdout", 27), "journald");
	assert_string_equal(note_of("/run/systemd/private", 20), "systemd");
	assert_string_equal(note_of("/run/systemd/notify", 19), "systemd-notify");
	assert_string_equal(note_of("/run/libvirt/libvirt-sock-ro", 28), "libvirt");
	assert_string_equal(note_of("/run/postgresql/.s.PGSQL.5432", 29), "postgresql");
	/* The private bus is root's: not the systemd catch-all's "expected". */
	sk = named("/run/systemd/private", 20);
	assert_false(unix_note_find(&sk)->expected);
	sk = named("/run/dbus/system_bus_socket", 27);
	assert_true(unix_note_find(&sk)->expected);
	/* A path pattern is not an abstract one, and * stays within a component. */
	assert_null(note_of("\0/run/docker.sock", 17));
	assert_null(note_of("/run/docker.sock.bak", 20));
	assert_null(note_of("/run/user/1000/x/bus", 20));
	assert_null(note_of("/tmp/.X11-unix/X0/../../etc", 27));
	/* An abstract name with a NUL inside matches none. */
	assert_null(note_of("\0/tmp/.X11-unix/X0\0x", 20));
	/* Every note: a pattern, a name, a description; one open by design has no risk, one
	 * that is not says why it matters. */
	for (size_t i = 0; i < count; i++) {
		assert_true(all[i].pattern[0] == '/' || all[i].pattern[0] == '@');
		assert_non_null(all[i].info.name);
		assert_non_null(all[i].info.desc);
		if (all[i].expected)
			assert_int_equal(all[i].info.risk, SVC_RISK_NONE);
		else
			assert_non_null(all[i].info.note);
	}
}

static void groups(void **state)
{
	(void)state;
	assert_true(unix_group_root_equivalent("docker"));
	assert_true(unix_group_root_equivalent("lxd"));
	assert_true(unix_group_root_equivalent("libvirt"));
	assert_true(unix_group_root_equivalent("disk"));
	assert_false(unix_group_root_equivalent("users"));
	assert_false(unix_group_root_equivalent("dockers"));
	assert_false(unix_group_root_equivalent(NULL));
}

static int release(void **state)
{
	(void)state;
	sbuf_free(&out);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scopes),
		cmocka_unit_test(unchecked),
		cmocka_unit_test(notes),
		cmocka_unit_test(groups),
	};

	return cmocka_run_group_tests(tests, NULL, release);
}
