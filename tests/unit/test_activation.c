/* Unit tests of socket activation: [Socket] settings, unit directories with drop-ins and
 * precedence, matching listeners, and telling a service manager. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "listen/activation.h"
#include "listen/procfs.h"
#include "listen/sock.h"

static void parse(struct act_unit *u, const char *name, const char *text)
{
	*u = (struct act_unit){ .name = strdup(name) };
	assert_int_equal(act_parse(u, text, strlen(text)), 0);
	assert_int_equal(act_finish(u), 0);
}

static void unit_free(struct act_unit *u)
{
	act_unit_free(u);
}

static void socket_settings(void **state)
{
	struct act_unit u;
	unsigned char lo6[16] = { [15] = 1 }, lo4[4] = { 127, 0, 0, 1 };

	(void)state;
	parse(&u, "x.socket",
	      "[Unit]\nListenStream=99\n" /* not the [Socket] section */
	      "# ListenStream=98\n; ListenStream=97\n"
	      "[Socket]\n"
	      "ListenStream = 22\n"
	      "ListenStream=127.0.0.1:631\n"
	      "ListenStream=[::1]:631\r\n"
	      "ListenStream=[fe80::1%eth0]:2222\n"
	      "ListenStream=/run/x.sock\n"
	      "ListenStream=@abstract\n"
	      "ListenStream=vsock:2:22\n"
	      "ListenStream=0\n"
	      "ListenStream=65536\n"
	      "ListenStream=1.2.3.4:\n"
	      "ListenDatagram=5353\n"
	      "ListenSequentialPacket=7\n"
	      "ListenSequentialPacket=%t/seq\n"
	      "ListenDatagram=/run/a%%b\n"
	      "ListenStream=%t\n"
	      "ListenStream=/run/%i.sock\n"
	      "ListenStream=%h/x\n"
	      "ListenStream=@\n"
	      "[Install]\nListenStream=96\n");
	assert_int_equal(u.nlistens, 9);
	assert_int_equal(u.listens[0].protocol, IPPROTO_TCP);
	assert_int_equal(u.listens[0].family, 0);
	assert_int_equal(u.listens[0].port, 22);
	assert_int_equal(u.listens[1].family, AF_INET);
	assert_memory_equal(u.listens[1].addr, lo4, 4);
	assert_int_equal(u.listens[2].family, AF_INET6);
	assert_memory_equal(u.listens[2].addr, lo6, 16);
	assert_int_equal(u.listens[2].port, 631);
	assert_int_equal(u.listens[3].port, 2222);
	/* Unix sockets: a path, an abstract name; %t the runtime directory, %% a %; other
	 * specifiers (the instance, the home) cannot be resolved here and are left out. */
	assert_int_equal(u.listens[4].protocol, 0);
	assert_int_equal(u.listens[4].type, SOCK_STREAM);
	assert_string_equal(u.listens[4].path, "/run/x.sock");
	assert_false(u.listens[4].runtime);
	assert_string_equal(u.listens[5].path, "@abstract");
	assert_int_equal(u.listens[6].protocol, IPPROTO_UDP);
	assert_int_equal(u.listens[6].port, 5353);
	assert_int_equal(u.listens[7].type, SOCK_SEQPACKET);
	assert_string_equal(u.listens[7].path, "/seq");
	assert_true(u.listens[7].runtime);
	assert_int_equal(u.listens[8].type, SOCK_DGRAM);
	assert_string_equal(u.listens[8].path, "/run/a%b");
	assert_string_equal(u.service, "x.service");
	unit_free(&u);

	/* An empty assignment to any of them clears every listen before it (as systemd does);
	 * Service= wins over the name. */
	parse(&u, "y.socket", "[Socket]\nListenStream=1\nListenDatagram=/run/d\n"
			      "ListenStream=\nListenStream=3\nService=other.service\nAccept=yes\n");
	assert_int_equal(u.nlistens, 1);
	assert_int_equal(u.listens[0].port, 3);
	assert_string_equal(u.service, "other.service");
	unit_free(&u);
	/* Accept=yes starts a template instance per connection. */
	parse(&u, "sshd.socket", "[Socket]\nListenStream=22\nAccept=true\n");
	assert_string_equal(u.service, "sshd@.service");
	unit_free(&u);
	/* A NUL inside a line: not a setting (found by fuzzing: Service= became ""). */
	u = (struct act_unit){ .name = strdup("n.socket") };
	assert_int_equal(act_parse(&u, "[Socket]\nService=\0x.service\nListenStream=\0" "22\n", 45),
			 0);
	assert_int_equal(act_finish(&u), 0);
	assert_string_equal(u.service, "n.service");
	assert_int_equal(u.nlistens, 0);
	unit_free(&u);
	parse(&u, "a.socket", "");
	assert_int_equal(u.nlistens, 0);
	assert_string_equal(u.service, "a.service");
	unit_free(&u);
}

static const struct act_unit *unit(const struct act_db *db, const char *name, bool user)
{
	for (size_t i = 0; i < db->len; i++)
		if (db->v[i].user == user && strcmp(db->v[i].name, name) == 0)
			return &db->v[i];
	return NULL;
}

static struct lsock sock(uint8_t protocol, const char *addr, uint16_t port)
{
	struct lsock sk = { .protocol = protocol, .lport = port, .state = LSOCK_LISTEN };

	sk.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(sk.family, addr, sk.laddr), 1);
	return sk;
}

/* A unix socket bound to name (len bytes: a path, or a NUL and an abstract name). */
static struct lsock unix_sock(uint8_t type, const char *name, uint32_t len)
{
	struct lsock sk = { .family = AF_UNIX, .type = type, .state = LSOCK_LISTEN };

	sk.un.name = name;
	sk.un.name_len = len;
	sk.un.flags = LSOCK_UNIX_NAME;
	return sk;
}

static void unit_directories(void **state)
{
	char tmpl[] = "/tmp/listen-units-XXXXXX";
	struct act_db db;
	const struct act_unit *u;
	int fixture = open(LISTEN_DATA_DIR "/state", O_RDONLY | O_DIRECTORY), dir;

	(void)state;
	/* The fixture: cups.socket's drop-in leaves [::1]:631 only; ssh.socket accepts. */
	assert_true(fixture >= 0);
	assert_int_equal(act_load(&db, fixture), 0);
	u = unit(&db, "cups.socket", false);
	assert_non_null(u);
	assert_int_equal(u->nlistens, 2);
	assert_string_equal(u->listens[0].path, "/run/cups/cups.sock");
	assert_int_equal(u->listens[1].port, 631);
	assert_int_equal(u->listens[1].family, AF_INET6);
	assert_string_equal(unit(&db, "ssh.socket", false)->service, "ssh@.service");
	struct lsock v6 = sock(IPPROTO_TCP, "::1", 631), v4 = sock(IPPROTO_TCP, "127.0.0.1", 631);
	struct lsock ssh = sock(IPPROTO_TCP, "::", 22), udp = sock(IPPROTO_UDP, "::", 22);

	assert_ptr_equal(act_find(&db, &v6, false, 0), u);
	assert_null(act_find(&db, &v4, false, 0));  /* the drop-in took 631 off every address */
	assert_null(act_find(&db, &v6, true, 0));   /* not a user unit */
	assert_string_equal(act_find(&db, &ssh, false, 0)->name, "ssh.socket");
	assert_null(act_find(&db, &udp, false, 0)); /* ListenStream is TCP */
	/* Its unix socket: by path and type. */
	struct lsock cups = unix_sock(SOCK_STREAM, "/run/cups/cups.sock", 19);

	assert_ptr_equal(act_find(&db, &cups, false, 0), u);
	cups.type = SOCK_DGRAM;
	assert_null(act_find(&db, &cups, false, 0));
	cups = unix_sock(SOCK_STREAM, "/run/cups/cups.sock2", 20);
	assert_null(act_find(&db, &cups, false, 0));
	act_db_free(&db);
	close(fixture);

	/* /etc hides /lib for the same name, drop-ins by file name across directories (the
	 * earlier directory's file hiding the later one's), user units apart, started units
	 * first. */
	assert_non_null(mkdtemp(tmpl));
	dir = open(tmpl, O_RDONLY | O_DIRECTORY);
	test_put_file(dir, "lib/systemd/system/web.socket", "[Socket]\nListenStream=80\n");
	test_put_file(dir, "etc/systemd/system/web.socket", "[Socket]\nListenStream=8080\n");
	test_put_file(dir, "lib/systemd/system/web.socket.d/10-port.conf",
		      "[Socket]\nListenStream=81\n");
	test_put_file(dir, "etc/systemd/system/web.socket.d/10-port.conf",
		      "[Socket]\nListenStream=82\n");
	test_put_file(dir, "usr/lib/systemd/system/web.socket.d/20-more.conf",
		      "[Socket]\nListenStream=83\n");
	test_put_file(dir, "usr/lib/systemd/system/a.socket", "[Socket]\nListenStream=9000\n");
	test_put_file(dir, "usr/lib/systemd/system/b.socket", "[Socket]\nListenStream=9000\n");
	test_put_file(dir, "run/systemd/units/invocation:b.socket", "");
	test_put_file(dir, "usr/lib/systemd/user/app.socket", "[Socket]\nListenStream=7000\n");
	test_put_file(dir, "usr/lib/systemd/system/notes.txt", "[Socket]\nListenStream=1\n");
	test_put_file(dir, "usr/lib/systemd/user/gpg.socket",
		      "[Socket]\nListenStream=%t/gnupg/S.gpg-agent\nListenStream=@gpg\n");
	test_put_file(dir, "usr/lib/systemd/system/pod.socket",
		      "[Socket]\nListenStream=%t/podman/podman.sock\n");
	assert_int_equal(act_load(&db, dir), 0);
	u = unit(&db, "web.socket", false);
	assert_non_null(u);
	assert_int_equal(u->nlistens, 3);
	assert_int_equal(u->listens[0].port, 8080);
	assert_int_equal(u->listens[1].port, 82);
	assert_int_equal(u->listens[2].port, 83);
	struct lsock s9000 = sock(IPPROTO_TCP, "0.0.0.0", 9000),
		     s7000 = sock(IPPROTO_TCP, "::", 7000);

	assert_string_equal(act_find(&db, &s9000, false, 0)->name, "b.socket");
	assert_true(act_find(&db, &s9000, false, 0)->active);
	assert_null(act_find(&db, &s7000, false, 0));
	assert_string_equal(act_find(&db, &s7000, true, 0)->name, "app.socket");
	/* %t: /run/user/UID of the user manager that holds it, /run for the system's. */
	struct lsock gpg = unix_sock(SOCK_STREAM, "/run/user/1000/gnupg/S.gpg-agent", 32),
		     pod = unix_sock(SOCK_STREAM, "/run/podman/podman.sock", 23),
		     abs = unix_sock(SOCK_STREAM, "\0gpg", 4);

	assert_string_equal(act_find(&db, &gpg, true, 1000)->name, "gpg.socket");
	assert_null(act_find(&db, &gpg, true, 1001));
	assert_null(act_find(&db, &gpg, false, 1000));
	assert_string_equal(act_find(&db, &pod, false, 0)->name, "pod.socket");
	assert_null(act_find(&db, &pod, true, 0));
	assert_string_equal(act_find(&db, &abs, true, 1000)->name, "gpg.socket");
	abs = unix_sock(SOCK_STREAM, "\0gpg\0", 5); /* the name's bytes, all of them */
	assert_null(act_find(&db, &abs, true, 1000));
	assert_int_equal(db.len, 6);
	act_db_free(&db);
	close(dir);
	test_remove_tree(tmpl);
	/* Nothing there. */
	assert_int_equal(act_load(&db, -1), 0);
	assert_int_equal(db.len, 0);
	act_db_free(&db);
}

/* Unit directories listen has no descriptor left to open are not missing ones. */
static void short_of_descriptors(void **state)
{
	int fixture = open(LISTEN_DATA_DIR "/state", O_RDONLY | O_DIRECTORY), r;
	struct test_fds fds;
	struct act_db db;

	(void)state;
	assert_true(fixture >= 0);
	test_fds_use(&fds, 0);
	r = act_load(&db, fixture);
	test_fds_free(&fds);
	act_db_free(&db);
	assert_int_equal(r, -EMFILE);
	close(fixture);
}

static void managers(void **state)
{
	struct procfs_proc init = { .pid = 1, .name = "systemd" },
			   user = { .pid = 900, .name = "systemd" };
	struct procfs_proc other = { .pid = 1, .name = "tini" },
			   fake = { .pid = 901, .name = "systemd" };
	struct unit_owner u;

	(void)state;
	unit_parse("/init.scope", 11, &u);
	assert_true(act_is_manager(&init, &u));
	assert_false(act_is_manager(&other, &u));
	unit_owner_free(&u);
	const char *p = "/user.slice/user-1000.slice/user@1000.service/init.scope";

	unit_parse(p, strlen(p), &u);
	assert_true(act_is_manager(&user, &u));
	unit_owner_free(&u);
	p = "/user.slice/user-1000.slice/user@1000.service/app.slice/x.service";
	unit_parse(p, strlen(p), &u);
	assert_false(act_is_manager(&fake, &u));
	unit_owner_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(socket_settings),
		cmocka_unit_test(unit_directories),
		cmocka_unit_test(short_of_descriptors),
		cmocka_unit_test(managers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
