/* Unit tests of option parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen/cli.h"
#include "listen/sock.h"

static int parse(struct listen_opts *o, char *err, const char *a1, const char *a2,
		 const char *a3)
{
	char *argv[5] = { "listen", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);

	err[0] = '\0';
	cli_free(o);
	return cli_parse(o, argc, argv, err, 256);
}

/* cli_parse only parses: the defaults are the plan's (test_plan.c). */
static void defaults(void **state)
{
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, NULL, NULL, NULL), 0);
	assert_int_equal(o.action, CLI_RUN);
	assert_int_equal(o.query.protocols, 0);
	assert_int_equal(o.query.families, 0);
	assert_int_equal(o.query.states, 0);
	assert_true(o.header);
	assert_false(o.numeric || o.processes || o.extended);
	assert_true(o.services && o.scope);
	assert_int_equal(o.color, CLI_COLOR_AUTO);
}

static void flags(void **state)
{
	struct listen_opts o = { 0 };
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
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-tx", NULL, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '-x'; see 'listen --help'");
	assert_int_equal(parse(&o, err, "--bogus", NULL, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '--bogus'; see 'listen --help'");
	assert_int_equal(parse(&o, err, "--tcp=1", NULL, NULL), -EINVAL);
	assert_string_equal(err, "option '--tcp' takes no value; see 'listen --help'");
	assert_int_equal(parse(&o, err, "-t", "stray", NULL), -EINVAL);
	assert_string_equal(err, "filter: unknown word 'stray': expected sport, dport, src, dst, "
			    "dev, not or '(' at word 1");
	assert_int_equal(parse(&o, err, "--proc-root", NULL, NULL), -EINVAL);
	assert_string_equal(err, "option '--proc-root' needs an argument; see 'listen --help'");
	assert_int_equal(parse(&o, err, "--dump-netlink=a", "--replay-netlink=b", NULL), -EINVAL);
	assert_non_null(strstr(err, "exclude each other"));
	assert_int_equal(parse(&o, err, "--color=sometimes", NULL, NULL), -EINVAL);
	assert_string_equal(err, "--color takes auto, always or never, not 'sometimes'");
	assert_int_equal(parse(&o, err, "--color=", NULL, NULL), -EINVAL);
	/* An optional value must be attached: "--color never" leaves a stray argument. */
	assert_int_equal(parse(&o, err, "--color", "never", NULL), -EINVAL);
	assert_string_equal(err, "filter: unknown word 'never': expected sport, dport, src, dst, "
			    "dev, not or '(' at word 1");
	assert_true(strchr(err, '\n') == NULL);
	assert_int_equal(parse(&o, err, "--pids", "--json", NULL), -EINVAL);
	assert_string_equal(err, "--pids prints pids only: not with --audit, --json or --format");
	assert_int_equal(parse(&o, err, "--audit", ":22", NULL), -EINVAL);
	assert_string_equal(err, "--audit reviews every listener: not with a port list");
	assert_int_equal(parse(&o, err, "exclude", "all", NULL), -EINVAL);
	assert_string_equal(err, "filter: the state clauses leave no state to show");
	assert_int_equal(parse(&o, err, "-F", "/nonexistent/rules", NULL), -EINVAL);
	assert_string_equal(err, "-F /nonexistent/rules: No such file or directory");
	assert_int_equal(parse(&o, err, "-F", "/proc/self/environ", NULL), -EINVAL);
	assert_string_equal(err, "-F /proc/self/environ: not a text file");
	assert_int_equal(parse(&o, err, "--now", "soon", NULL), -EINVAL);
	assert_string_equal(err, "--now takes seconds since the epoch, not 'soon'");
	cli_free(&o);
}

static void filters(void **state)
{
	struct listen_opts o = { 0 };
	char err[256], path[] = "/tmp/listen-test-filter-XXXXXX";
	int fd;

	(void)state;
	/* The state clauses are the filter's; the plan puts them in place of -l and -a. */
	assert_int_equal(parse(&o, err, "-tl", "state", "established"), 0);
	assert_true(o.filter.states_given);
	assert_int_equal(o.filter.states, 1u << LSOCK_ESTABLISHED);
	assert_int_equal(o.query.states, LSOCK_STATES_LISTENING);
	assert_int_equal(parse(&o, err, "-u", "exclude established", NULL), 0);
	assert_int_equal(o.filter.states, LSOCK_STATES_ALL & ~(1u << LSOCK_ESTABLISHED));
	assert_int_equal(parse(&o, err, "-tl", "sport = :22", NULL), 0);
	assert_false(o.filter.states_given || o.filter.ports || o.processes);
	/* A port list: the owner view (the plan adds the holders). */
	assert_int_equal(parse(&o, err, ":8080", NULL, NULL), 0);
	assert_true(o.filter.ports);
	assert_string_equal(o.filter.port_text, ":8080");
	assert_int_equal(parse(&o, err, "-a", "8080", NULL), 0);
	assert_true(o.filter.ports);
	assert_int_equal(parse(&o, err, "--pids", "sport = :22", NULL), 0);
	assert_true(o.pids && !o.filter.ports);
	/* -F: the file's words follow the arguments'. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "# ssh or web\nsport = :22\n or sport = :80 # web\n";

	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(parse(&o, err, "-F", path, NULL), 0);
	assert_int_equal(o.filter.nnodes, 3);
	assert_int_equal(parse(&o, err, "-F", path, "dport = :1"), 0);
	assert_int_equal(o.filter.nodes[o.filter.root].kind, FILTER_OR);
	assert_int_equal(parse(&o, err, "state", "bogus", NULL), -EINVAL);
	assert_string_equal(err, "filter: unknown state 'bogus' (see 'man listen': FILTERS) at word 2");
	unlink(path);
	/* Words are only read for a run: --help ignores them. */
	assert_int_equal(parse(&o, err, "--help", "sport", NULL), 0);
	cli_free(&o);
}

/* The options for tests and captures are noted, by long name, so main can refuse them when
 * privileges are raised; the others are not. */
static void test_options(void **state)
{
	static const char *const hidden[] = {
		"--dump-netlink=x", "--replay-netlink=x", "--proc-root=x", "--services-file=x",
		"--cgroup-root=x", "--nmap-services-file=x", "--no-bytecode", "--now=5",
		"--state-root=x",
	};
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		const char *eq = strchr(hidden[i], '=');
		size_t n = eq ? (size_t)(eq - hidden[i]) : strlen(hidden[i]);

		assert_int_equal(parse(&o, err, "-tl", hidden[i], NULL), 0);
		assert_non_null(o.test_option);
		assert_int_equal(strlen(o.test_option), n - 2);
		assert_memory_equal(o.test_option, hidden[i] + 2, n - 2);
	}
	/* The first one given is named. */
	assert_int_equal(parse(&o, err, "--now=5", "--proc-root=x", NULL), 0);
	assert_string_equal(o.test_option, "now");
	assert_int_equal(parse(&o, err, "-tlnpe", "--json", "--all-netns"), 0);
	assert_null(o.test_option);
	assert_int_equal(parse(&o, err, "--audit", "--allow=x", "--fail-on=low"), 0);
	assert_null(o.test_option);
	cli_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(flags),
		cmocka_unit_test(errors),
		cmocka_unit_test(filters),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
