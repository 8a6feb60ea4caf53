/* Unit tests of the owner view (`listen :PORT`): identical holders as one, pids as runs, the
 * peer of a connected socket, a deleted executable flagged. Captured with open_memstream and
 * compared exactly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/enrich.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct lsock sock(uint8_t state, const char *laddr, uint16_t lport, const char *raddr,
			 uint16_t rport)
{
	struct lsock sk = { .family = AF_INET, .protocol = IPPROTO_TCP, .state = state,
			    .lport = lport, .rport = rport, .inode = 1000u + lport };

	inet_pton(AF_INET, laddr, sk.laddr);
	inet_pton(AF_INET, raddr, sk.raddr);
	return sk;
}

/* The owner view of rows (caller frees). */
static char *owners(const struct out_row *rows, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(out_owners(f, rows, n, &(struct out_owners_opts){ .now = 1000 }), 0);
	fclose(f);
	return text;
}

/* Numbers as runs, then "+N more" past eight runs. */
static void number_runs(void **state)
{
	static const struct {
		uint32_t v[12];
		size_t n;
		const char *want;
	} cases[] = {
		{ { 7 }, 1, "7" },
		{ { 812, 813, 814, 815 }, 4, "812-815" },
		{ { 1, 3, 5 }, 3, "1,3,5" },
		{ { 1, 2, 4, 5, 9 }, 5, "1-2,4-5,9" },
		{ { 1, 3, 5, 7, 9, 11, 13, 15 }, 8, "1,3,5,7,9,11,13,15" },
		{ { 1, 3, 5, 7, 9, 11, 13, 15, 17 }, 9, "1,3,5,7,9,11,13,15 +1 more" },
		{ { 1, 3, 5, 7, 9, 11, 13, 15, 17, 18, 19, 21 }, 12,
		  "1,3,5,7,9,11,13,15 +4 more" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct sbuf b = { 0 };

		out_number_runs(&b, cases[i].v, cases[i].n);
		assert_string_equal(b.s, cases[i].want);
		sbuf_free(&b);
	}
}

/* Workers alike in name, user, command line, executable and unit are one entry; the parent,
 * a worker run otherwise and a worker whose executable was deleted are apart. */
static void identical_workers(void **state)
{
	struct lsock s = sock(LSOCK_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	struct procfs_proc procs[7] = {
		{ .pid = 815, .ppid = 811, .uid = 33, .name = "nginx" },
		{ .pid = 811, .ppid = 1, .uid = 0, .name = "nginx" },
		{ .pid = 812, .ppid = 811, .uid = 33, .name = "nginx" },
		{ .pid = 900, .ppid = 811, .uid = 33, .name = "nginx" },
		{ .pid = 813, .ppid = 811, .uid = 33, .name = "nginx" },
		{ .pid = 814, .ppid = 811, .uid = 33, .name = "nginx" },
		{ .pid = 816, .ppid = 811, .uid = 0, .name = "nginx" }, /* another user */
	};
	struct procfs_info info[7];
	struct procfs_owner ow[7];
	struct out_row row = { .sk = &s, .owners = ow, .nowners = 7, .procs = procs,
			       .info = info, .scope = SCOPE_ALL };
	char *text;

	(void)state;
	for (uint32_t i = 0; i < 7; i++) {
		info[i] = (struct procfs_info){ .cmdline = "nginx: worker process",
						.exe = "/usr/sbin/nginx", .user = "www-data",
						.parent = "nginx", .start = 400 };
		ow[i] = (struct procfs_owner){ procs[i].pid, i == 3 ? 7 : 6, i };
	}
	info[1].cmdline = "nginx: master process /usr/sbin/nginx";
	info[1].user = "root";
	info[1].parent = "systemd";
	info[1].start = 100;
	info[6].user = "root";
	info[3].start = 700; /* started later: still the same program, run the same way */
	text = owners(&row, 1);
	assert_string_equal(text,
		"tcp  LISTEN  0.0.0.0:80  all\n"
		"  pid 811  nginx  user root  fd 6\n"
		"    command   nginx: master process /usr/sbin/nginx\n"
		"    exe       /usr/sbin/nginx\n"
		"    parent    1 systemd\n"
		"    started   1970-01-01 00:01:40 UTC (15m 0s ago)\n"
		"  5 \xc3\x97 nginx  user www-data  pids 812-815,900  fd 6,7\n"
		"    command   nginx: worker process\n"
		"    exe       /usr/sbin/nginx\n"
		"    parent    811 nginx\n"
		"    started   1970-01-01 00:06:40 UTC (10m 0s ago), the last "
		"1970-01-01 00:11:40 UTC (5m 0s ago)\n"
		"  pid 816  nginx  user root  fd 6\n"
		"    command   nginx: worker process\n"
		"    exe       /usr/sbin/nginx\n"
		"    parent    811 nginx\n"
		"    started   1970-01-01 00:06:40 UTC (10m 0s ago)\n");
	free(text);
	/* A deleted executable: flagged, and not the same program as the one on disk. */
	info[4].exe = "/usr/sbin/nginx (deleted)";
	info[4].exe_deleted = true;
	/* Different parents: their pids, not one parent's name. */
	procs[5].ppid = 1;
	text = owners(&row, 1);
	assert_non_null(strstr(text, "  4 \xc3\x97 nginx  user www-data  pids 812,814-815,900  "
				     "fd 6,7\n    command   nginx: worker process\n"
				     "    exe       /usr/sbin/nginx\n    parents   1,811\n"));
	assert_non_null(strstr(text, "  pid 813  nginx  user www-data  fd 6\n"
				     "    command   nginx: worker process\n"
				     "    exe       /usr/sbin/nginx  ! deleted or replaced on disk "
				     "since it started\n"));
	free(text);
}

/* Holders differing in one thing each are never one entry. */
static void different_holders(void **state)
{
	struct lsock s = sock(LSOCK_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0);
	struct procfs_proc procs[2] = { { .pid = 10, .name = "app" },
					{ .pid = 11, .name = "app" } };
	struct procfs_info info[2];
	struct procfs_owner ow[2] = { { 10, 3, 0 }, { 11, 3, 1 } };
	struct enrich_holder holders[2] = { 0 };
	struct out_row row = { .sk = &s, .owners = ow, .nowners = 2, .procs = procs,
			       .info = info, .scope = SCOPE_LOOPBACK };
	char *text;

	(void)state;
	for (int change = 0; change < 6; change++) {
		info[0] = info[1] = (struct procfs_info){ .cmdline = "app -x", .exe = "/bin/app" };
		procs[1].name = "app";
		procs[1].uid = 0;
		row.holders = NULL;
		switch (change) {
		case 0: /* the control: alike, one entry */
			break;
		case 1:
			procs[1].name = "app2";
			break;
		case 2:
			procs[1].uid = 1000;
			break;
		case 3:
			info[1].cmdline = "app -y";
			break;
		case 4:
			info[1].exe = NULL; /* not readable */
			break;
		case 5: /* a docker-proxy or a service manager is its own */
			holders[0].proxy = true;
			row.holders = holders;
			break;
		}
		text = owners(&row, 1);
		if ((strstr(text, "2 \xc3\x97 ") != NULL) != (change == 0))
			fail_msg("change %d:\n%s", change, text);
		free(text);
	}
	/* Units differ: a unit and none. */
	row.holders = NULL;
	info[0] = info[1] = (struct procfs_info){ .cmdline = "app -x", .exe = "/bin/app" };
	assert_int_equal(unit_parse("/system.slice/app.service", 25, &info[0].unit), 0);
	text = owners(&row, 1);
	assert_null(strstr(text, "2 \xc3\x97 "));
	free(text);
	assert_int_equal(unit_parse("/system.slice/app.service", 25, &info[1].unit), 0);
	text = owners(&row, 1);
	if (!strstr(text, "  2 \xc3\x97 app  user 0  pids 10-11  fd 3\n"))
		fail_msg("%s", text);
	free(text);
	unit_owner_free(&info[0].unit);
	unit_owner_free(&info[1].unit);
}

/* A connected socket shows its peer; a client's end names the server's service "(peer)". */
static void connected(void **state)
{
	struct lsock s[2] = { sock(LSOCK_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0),
			      sock(LSOCK_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 41000) };
	struct out_row rows[2] = {
		{ .sk = &s[0], .scope = SCOPE_LOOPBACK, .service = "http-alt" },
		{ .sk = &s[1], .scope = SCOPE_LOOPBACK, .service = "http-alt" },
	};
	struct lsock client = sock(LSOCK_ESTABLISHED, "127.0.0.1", 41000, "127.0.0.1", 443);
	struct out_row crow = { .sk = &client, .scope = SCOPE_LOOPBACK, .service = "https",
				.service_peer = true };
	char *text;

	(void)state;
	s[0].inode = s[1].inode = client.inode = 0;
	text = owners(rows, 2);
	assert_string_equal(text,
		"tcp  LISTEN  127.0.0.1:8080                        loopback  http-alt?\n"
		"tcp  ESTAB   127.0.0.1:8080  peer 127.0.0.1:41000  loopback  http-alt?\n"
		"  no process holds it: not accepted yet, or closing\n");
	free(text);
	text = owners(&crow, 1);
	assert_string_equal(text,
		"tcp  ESTAB  127.0.0.1:41000  peer 127.0.0.1:443  loopback  https (peer)\n"
		"  no process holds it: not accepted yet, or closing\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(number_runs),
		cmocka_unit_test(identical_workers),
		cmocka_unit_test(different_holders),
		cmocka_unit_test(connected),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
