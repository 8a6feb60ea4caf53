/* Unit tests of option parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "listen/cli.h"
#include "listen/sock.h"

static int parse(struct listen_opts *o, char *err, const char *a1, const char *a2,
		 const char *a3)
{
	char *argv[5] = { "listen", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);

	err[0] = '\0';
	return cli_parse(o, argc, argv, err, 256);
}

static void defaults(void **state)
{
	struct listen_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, NULL, NULL, NULL), 0);
	assert_int_equal(o.action, CLI_RUN);
	assert_int_equal(o.query.protocols, DIAG_TCP | DIAG_UDP);
	assert_int_equal(o.query.families, DIAG_V4 | DIAG_V6);
	assert_int_equal(o.query.states, LSOCK_STATES_CONNECTED);
	assert_true(o.header);
	assert_false(o.numeric || o.processes || o.extended);
	assert_true(o.services && o.scope);
	assert_int_equal(o.color, CLI_COLOR_AUTO);
	/* ss's UDP default is established only: one state. */
	assert_int_equal(parse(&o, err, "-u", NULL, NULL), 0);
	assert_int_equal(o.query.states, 1u << LSOCK_ESTABLISHED);
	assert_int_equal(parse(&o, err, "-t", NULL, NULL), 0);
	assert_int_equal(o.query.states, LSOCK_STATES_CONNECTED);
}

static void flags(void **state)
{
	struct listen_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-tlnpeH4", NULL, NULL), 0);
	assert_int_equal(o.query.protocols, DIAG_TCP);
	assert_int_equal(o.query.families, DIAG_V4);
	assert_int_equal(o.query.states, LSOCK_STATES_LISTENING);
	assert_true(o.numeric && o.processes && o.extended && !o.header);
	assert_int_equal(parse(&o, err, "--udp", "--all", "--ipv6"), 0);
	assert_int_equal(o.query.protocols, DIAG_UDP);
	assert_int_equal(o.query.families, DIAG_V6);
	assert_int_equal(o.query.states, LSOCK_STATES_ALL);
	/* The last of -l and -a wins, as in ss. */
	assert_int_equal(parse(&o, err, "-a", "-l", NULL), 0);
	assert_int_equal(o.query.states, LSOCK_STATES_LISTENING);
	assert_int_equal(parse(&o, err, "--listening", "--all", NULL), 0);
	assert_int_equal(o.query.states, LSOCK_STATES_ALL);
	assert_int_equal(parse(&o, err, "-4", "-6", "-tu"), 0);
	assert_int_equal(o.query.families, DIAG_V4 | DIAG_V6);
	assert_int_equal(o.query.protocols, DIAG_TCP | DIAG_UDP);
	assert_int_equal(parse(&o, err, "--numeric", "--processes", "--extended"), 0);
	assert_true(o.numeric && o.processes && o.extended);
	assert_int_equal(parse(&o, err, "--no-header", NULL, NULL), 0);
	assert_false(o.header);
	assert_int_equal(parse(&o, err, "-h", NULL, NULL), 0);
	assert_int_equal(o.action, CLI_HELP);
	assert_int_equal(parse(&o, err, "--version", NULL, NULL), 0);
	assert_int_equal(o.action, CLI_VERSION);
	assert_int_equal(parse(&o, err, "--replay-netlink=x.nl", "--proc-root", "/p"), 0);
	assert_string_equal(o.replay_netlink, "x.nl");
	assert_string_equal(o.proc_root, "/p");
	assert_int_equal(parse(&o, err, "--no-services", "--no-scope", NULL), 0);
	assert_false(o.services || o.scope);
	assert_int_equal(parse(&o, err, "--color", NULL, NULL), 0);
	assert_int_equal(o.color, CLI_COLOR_ALWAYS);
	assert_int_equal(parse(&o, err, "--color=never", NULL, NULL), 0);
	assert_int_equal(o.color, CLI_COLOR_NEVER);
	assert_int_equal(parse(&o, err, "--colour=always", "--color=auto", NULL), 0);
	assert_int_equal(o.color, CLI_COLOR_AUTO);
	assert_int_equal(parse(&o, err, "--nmap-services-file", "/n", NULL), 0);
	assert_string_equal(o.nmap_services_file, "/n");
}

static void errors(void **state)
{
	struct listen_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-tx", NULL, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '-x'; see 'listen --help'");
	assert_int_equal(parse(&o, err, "--bogus", NULL, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '--bogus'; see 'listen --help'");
	assert_int_equal(parse(&o, err, "--tcp=1", NULL, NULL), -EINVAL);
	assert_string_equal(err, "option '--tcp' takes no value; see 'listen --help'");
	assert_int_equal(parse(&o, err, "-t", "stray", NULL), -EINVAL);
	assert_string_equal(err, "unexpected argument 'stray'; see 'listen --help'");
	assert_int_equal(parse(&o, err, "--proc-root", NULL, NULL), -EINVAL);
	assert_string_equal(err, "option '--proc-root' needs an argument; see 'listen --help'");
	assert_int_equal(parse(&o, err, "--dump-netlink=a", "--replay-netlink=b", NULL), -EINVAL);
	assert_non_null(strstr(err, "exclude each other"));
	assert_int_equal(parse(&o, err, "--color=sometimes", NULL, NULL), -EINVAL);
	assert_string_equal(err, "--color takes auto, always or never, not 'sometimes'");
	assert_int_equal(parse(&o, err, "--color=", NULL, NULL), -EINVAL);
	/* An optional value must be attached: "--color never" leaves a stray argument. */
	assert_int_equal(parse(&o, err, "--color", "never", NULL), -EINVAL);
	assert_string_equal(err, "unexpected argument 'never'; see 'listen --help'");
	assert_true(strchr(err, '\n') == NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(flags),
		cmocka_unit_test(errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
