/* Unit tests of the selection by holder (--process, --user). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "listen/cli.h"
#include "listen/holders.h"
#include "listen/procfs.h"
#include "listen/sock.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct procfs_proc procs[] = {
	{ .pid = 811, .uid = 0, .name = "nginx" },
	{ .pid = 812, .uid = 33, .name = "nginx" },
	{ .pid = 900, .uid = 0, .name = "sshd" },
	{ .pid = 950, .uid = 1000, .name = "systemd-resolve" }, /* cut by the kernel */
	{ .pid = 960, .uid = 1000, .name = NULL },               /* gone before it was read */
};

static void match(void **state)
{
	const char *nginx[] = { "nginx" }, *two[] = { "sshd", "nginx" };
	const char *resolved[] = { "systemd-resolved" }, *longer[] = { "systemd-resolvedX" };
	const char *partial[] = { "ngin" }, *empty_ok[] = { "systemd-resolv" };
	uint32_t pid[] = { 900 }, root[] = { 0 }, www[] = { 33, 1000 };
	struct cli_holders h = { 0 };

	(void)state;
	/* Nothing asked: every holder. */
	assert_true(holders_match(&h, &procs[0]));
	h = (struct cli_holders){ .names = nginx, .nnames = 1 };
	assert_true(holders_match(&h, &procs[0]) && holders_match(&h, &procs[1]));
	assert_false(holders_match(&h, &procs[2]) || holders_match(&h, &procs[4]));
	/* Names are whole: no prefix. */
	h = (struct cli_holders){ .names = partial, .nnames = 1 };
	assert_false(holders_match(&h, &procs[0]));
	/* A name the kernel cut: its first 15 bytes; anything shorter is whole. */
	h = (struct cli_holders){ .names = resolved, .nnames = 1 };
	assert_true(holders_match(&h, &procs[3]));
	h.names = longer;
	assert_true(holders_match(&h, &procs[3]));
	h.names = empty_ok;
	assert_false(holders_match(&h, &procs[3]));
	/* Names and pids of --process: any. */
	h = (struct cli_holders){ .names = two, .nnames = 2 };
	assert_true(holders_match(&h, &procs[2]) && holders_match(&h, &procs[1]));
	h = (struct cli_holders){ .pids = pid, .npids = 1 };
	assert_true(holders_match(&h, &procs[2]));
	assert_false(holders_match(&h, &procs[0]));
	h = (struct cli_holders){ .names = nginx, .nnames = 1, .pids = pid, .npids = 1 };
	assert_true(holders_match(&h, &procs[2]) && holders_match(&h, &procs[0]));
	/* --user: any of its uids; with --process, both. */
	h = (struct cli_holders){ .uids = www, .nuids = 2 };
	assert_true(holders_match(&h, &procs[1]) && holders_match(&h, &procs[3]));
	assert_false(holders_match(&h, &procs[0]));
	h = (struct cli_holders){ .names = nginx, .nnames = 1, .uids = root, .nuids = 1 };
	assert_true(holders_match(&h, &procs[0]));
	assert_false(holders_match(&h, &procs[1]) || holders_match(&h, &procs[2]));
}

/* Sockets are kept when one of their holders matches, in order; held[] marks the matches. */
static void select_sockets(void **state)
{
	/* Socket 0: nginx 811 and 812; 1: sshd; 2: no holder found; 3: 812 only. */
	struct procfs_owner owners[] = {
		{ 812, 6, 1 }, { 811, 6, 0 }, { 900, 3, 2 }, { 812, 7, 1 },
	};
	struct procfs_map m = { procs, ARRAY_SIZE(procs), owners, ARRAY_SIZE(owners), 0, false };
	struct lsock socks[4] = {
		{ .lport = 80, .inode = 1, .owner_first = 0, .owner_count = 2 },
		{ .lport = 22, .inode = 2, .owner_first = 2, .owner_count = 1 },
		{ .lport = 53, .inode = 3 },
		{ .lport = 81, .inode = 4, .owner_first = 3, .owner_count = 1 },
	};
	uint32_t www[] = { 33 };
	struct cli_holders h = { .uids = www, .nuids = 1 };
	bool held[ARRAY_SIZE(procs)];

	(void)state;
	assert_int_equal(holders_select(&h, &m, held, socks, 4), 2);
	assert_int_equal(socks[0].lport, 80);
	assert_int_equal(socks[1].lport, 81);
	assert_int_equal(socks[1].owner_first, 3); /* the holders go with their socket */
	assert_false(held[0]);
	assert_true(held[1]);
	assert_false(held[2] || held[3] || held[4]);
	/* Nobody matches: nothing kept. */
	uint32_t none[] = { 4242 };

	h = (struct cli_holders){ .pids = none, .npids = 1 };
	assert_int_equal(holders_select(&h, &m, held, socks, 2), 0);
}

/* --user's names become uids; an unknown one is named. */
static void resolve_users(void **state)
{
	const char *names[] = { "root", "no-such-user-here" }, *unknown = NULL;
	uint32_t *uids = malloc(sizeof(*uids));
	struct cli_holders h = { .users = names, .nusers = 1, .uids = uids, .nuids = 1 };

	(void)state;
	uids[0] = 7;
	assert_int_equal(holders_resolve_users(&h, &unknown), 0);
	assert_int_equal(h.nuids, 2);
	assert_int_equal(h.uids[0], 7);
	assert_int_equal(h.uids[1], 0);
	h.users = names + 1;
	assert_int_equal(holders_resolve_users(&h, &unknown), -ENOENT);
	assert_string_equal(unknown, "no-such-user-here");
	assert_int_equal(h.nuids, 2);
	free(h.uids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match),
		cmocka_unit_test(select_sockets),
		cmocka_unit_test(resolve_users),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
