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
#include "listen/services.h"
#include "listen/sock.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
	assert_true(o.ss_option);
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
	/* So does the last of -4 and -6. */
	assert_int_equal(parse(&o, err, "-4", "-6", "-tu"), 0);
	assert_int_equal(o.query.families, DIAG_V6);
	assert_int_equal(o.query.protocols, DIAG_TCP | DIAG_UDP);
	assert_int_equal(parse(&o, err, "-t64", NULL, NULL), 0);
	assert_int_equal(o.query.families, DIAG_V4);
	assert_int_equal(parse(&o, err, "--numeric", "--processes", "--extended"), 0);
	assert_true(o.numeric && o.processes && o.extended);
	assert_int_equal(parse(&o, err, "--no-header", NULL, NULL), 0);
	assert_false(o.header);
	/* Which options select sockets as ss does (bare listen is -tulnp; any of ss's selection
	 * options is ss's meaning), and which only say how to show them, ss's among them. */
	static const char *const ss_opts[] = { "-t", "-u", "-x", "-w", "-0", "-l", "-a", "-4",
					       "-6", "--tcp", "-s" };
	static const char *const own_opts[] = { "--json", "--format=prom", "--color", "--pids",
						"--no-services", "--ss-columns", "--all-netns",
						"--process=x", "--user=0", "--netns=1",
						"--no-unit", "-n", "-p", "-e", "-H", "-Nx",
						"--net=x", "-o", "-i", "-m" };

	for (size_t i = 0; i < sizeof(ss_opts) / sizeof(ss_opts[0]); i++) {
		o.ss_option = false;
		if (parse(&o, err, ss_opts[i], NULL, NULL) != 0)
			fail_msg("%s: %s", ss_opts[i], err);
		assert_true(o.ss_option);
	}
	for (size_t i = 0; i < sizeof(own_opts) / sizeof(own_opts[0]); i++) {
		assert_int_equal(parse(&o, err, own_opts[i], NULL, NULL), 0);
		assert_false(o.ss_option);
	}
	char path[] = "/tmp/listen-test-cli-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(parse(&o, err, "-F", path, NULL), 0);
	assert_true(o.ss_option);
	unlink(path);
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
	assert_int_equal(parse(&o, err, "-tY", NULL, NULL), -EINVAL);
	assert_string_equal(err, "unknown option '-Y'; see 'listen --help'");
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
	/* --width: a number of columns a terminal can have, and enough for the titles. */
	static const char *const widths[] = { "--width=abc", "--width=0", "--width=19",
					      "--width=65536", "--width=99999999999999999999",
					      "--width=", "--width=-80", "--width=+80",
					      "--width= 80", "--width=80x" };

	for (size_t i = 0; i < ARRAY_SIZE(widths); i++) {
		char want[128];

		assert_int_equal(parse(&o, err, widths[i], NULL, NULL), -EINVAL);
		snprintf(want, sizeof(want), "--width takes a number of columns from 20 to 65535, "
			 "not '%s'", widths[i] + 8);
		assert_string_equal(err, want);
	}
	/* An optional value must be attached: "--color never" leaves a stray argument. */
	assert_int_equal(parse(&o, err, "--color", "never", NULL), -EINVAL);
	assert_string_equal(err, "filter: unknown word 'never': expected sport, dport, src, dst, "
			    "dev, not or '(' at word 1");
	assert_true(strchr(err, '\n') == NULL);
	assert_int_equal(parse(&o, err, "--pids", "--json", NULL), -EINVAL);
	assert_string_equal(err, "--pids prints pids only: not with --audit, --json or --format");
	/* The iterator sees the running kernel, never a fixture tree. */
	assert_int_equal(parse(&o, err, "--owners=bpf", "--proc-root=x", NULL), -EINVAL);
	assert_string_equal(err, "--owners=bpf reads the running kernel: not with --proc-root");
	assert_int_equal(parse(&o, err, "--owners=ebpf", NULL, NULL), -EINVAL);
	assert_string_equal(err, "--owners takes auto, proc or bpf, not 'ebpf'");
	/* The allow-list goes with the audit and with the metrics that count its findings;
	 * --fail-on with the audit only. */
	assert_int_equal(parse(&o, err, "--allow=x", NULL, NULL), -EINVAL);
	assert_string_equal(err, "--allow goes with --audit or --format=prom");
	assert_int_equal(parse(&o, err, "--json", "--allow=x", NULL), -EINVAL);
	assert_string_equal(err, "--allow goes with --audit or --format=prom");
	assert_int_equal(parse(&o, err, "--format=prom", "--no-services", "--allow=x"), -EINVAL);
	assert_string_equal(err, "--allow goes with --audit or --format=prom");
	assert_int_equal(parse(&o, err, "--format=prom", "--allow=x", NULL), 0);
	assert_int_equal(parse(&o, err, "--format=prom", "--fail-on=low", NULL), -EINVAL);
	assert_string_equal(err, "--fail-on goes with --audit");
	assert_int_equal(parse(&o, err, "--audit", ":22", NULL), -EINVAL);
	assert_string_equal(err, "--audit reviews every listener: not with a port list");
	/* -o, -i, -m add to the rows of the table and JSON; -s is a view of its own. */
	static const char *const rows_only[][2] = {
		{ "-o", "--audit" }, { "-i", "--pids" }, { "-m", "--watch" },
		{ "-m", "--format=prom" }, { "-o", ":22" },
	};
	for (size_t i = 0; i < sizeof(rows_only) / sizeof(rows_only[0]); i++) {
		assert_int_equal(parse(&o, err, rows_only[i][0], rows_only[i][1], NULL), -EINVAL);
		assert_string_equal(err, "-o, -i and -m add to the table's and JSON's rows: not "
				    "with --audit, --pids, --watch, --format=prom or a port list");
	}
	assert_int_equal(parse(&o, err, "-s", "--audit", NULL), -EINVAL);
	assert_string_equal(err, "-s prints the summary: not with --audit, --pids, --watch, "
			    "--format=prom or a port list");
	assert_int_equal(parse(&o, err, "-s", "--dump-netlink=x", NULL), -EINVAL);
	assert_string_equal(err, "-s reads the kernel's counters (/proc/net/sockstat): not with "
			    "a capture");
	assert_int_equal(parse(&o, err, "-s", "--replay-netlink=x", NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "-s", "--replay-netlink=x", "--proc-root=y"), 0);
	assert_int_equal(parse(&o, err, "-s", "--json", "-t"), -EINVAL);
	assert_string_equal(err, "-s with --json prints the summary alone: not with -t, -u, -x, "
			    "-4, -6 or a filter");
	/* As in ss, -l alone is no selection. */
	assert_int_equal(parse(&o, err, "-s", "--json", "-l"), 0);
	/* -m covers every family ss gives memory for: unix and packet sockets too. */
	assert_int_equal(parse(&o, err, "-xm", NULL, NULL), 0);
	assert_true(o.query.ext & DIAG_EXT_MEMORY);
	assert_int_equal(parse(&o, err, "-0m", "-e", NULL), 0);
	assert_int_equal(parse(&o, err, "-xlm", "--json", NULL), 0);
	assert_int_equal(parse(&o, err, "-wm", NULL, NULL), 0);
	/* What stays refused with them: the views that have no place for the memory. */
	assert_int_equal(parse(&o, err, "-xm", "--format=prom", NULL), -EINVAL);
	assert_string_equal(err, "-o, -i and -m add to the table's and JSON's rows: not with "
			    "--audit, --pids, --watch, --format=prom or a port list");
	assert_int_equal(parse(&o, err, "-0m", "--watch", NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "-xm", "--audit", NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "-xo", "-i", NULL), 0);
	/* The audit reviews unix sockets; the metrics count their findings, and give them
	 * series with -x; the port view has no place for them. */
	assert_int_equal(parse(&o, err, "--audit", "-x", NULL), 0);
	assert_int_equal(parse(&o, err, "--audit", "-x", "--watch"), 0);
	assert_int_equal(parse(&o, err, "-x", "--format=prom", NULL), 0);
	assert_int_equal(parse(&o, err, "-x", ":22", NULL), -EINVAL);
	assert_string_equal(err, "-x: unix sockets have no ports: not with a port list");
	assert_int_equal(parse(&o, err, "-x", "--watch", NULL), 0);
	/* A namespace, a filter file or an allow-list given twice is not silently the last. */
	assert_int_equal(parse(&o, err, "-Na", "-Nb", NULL), -EINVAL);
	assert_string_equal(err, "--net given twice ('a', then 'b'): give it once");
	assert_int_equal(parse(&o, err, "--allow=x", "--allow=y", NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "-Na", "-Na", NULL), 0);
	assert_int_equal(parse(&o, err, "-w", ":1", NULL), -EINVAL);
	assert_string_equal(err,
			    "-w, -0: raw and packet sockets have no ports: not with a port list");
	/* The watch finds raw and packet sockets by looking; the metrics have their series. */
	assert_int_equal(parse(&o, err, "-0", "--watch", NULL), 0);
	assert_int_equal(parse(&o, err, "-w0", "--audit", "--watch"), 0);
	assert_int_equal(parse(&o, err, "-w", "--format=prom", NULL), 0);
	assert_int_equal(parse(&o, err, "-xw0", "--format=prom", "--allow=x"), 0);
	assert_int_equal(parse(&o, err, "-0", "--audit", NULL), 0);
	assert_int_equal(parse(&o, err, "-w0lp", "--json", NULL), 0);
	assert_int_equal(parse(&o, err, "-xlp", "--json", NULL), 0);
	assert_int_equal(parse(&o, err, "exclude", "all", NULL), -EINVAL);
	assert_string_equal(err, "filter: the state clauses leave no state to show");
	assert_int_equal(parse(&o, err, "-F", "/nonexistent/rules", NULL), -EINVAL);
	assert_string_equal(err, "-F /nonexistent/rules: No such file or directory");
	assert_int_equal(parse(&o, err, "-F", "/proc/self/environ", NULL), -EINVAL);
	assert_string_equal(err, "-F /proc/self/environ: not a text file");
	assert_int_equal(parse(&o, err, "--now", "soon", NULL), -EINVAL);
	assert_string_equal(err, "--now takes seconds since the epoch, not 'soon'");
	/* An error inside a bundle leaves the rest unread, also by the next parse: "l" here. */
	assert_int_equal(parse(&o, err, "-Yl", NULL, NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "-t", NULL, NULL), 0);
	assert_int_equal(o.query.states, 0);
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
	/* fuser's ports: the owner view of that protocol; -t or -u must not exclude it. */
	assert_int_equal(parse(&o, err, "8080/tcp", "53/udp", NULL), 0);
	assert_true(o.filter.ports);
	assert_string_equal(o.filter.port_text, "8080/tcp 53/udp");
	assert_int_equal(parse(&o, err, "-t", "8080/tcp,53/udp", NULL), 0);
	assert_int_equal(parse(&o, err, "-u", "8080/tcp", NULL), -EINVAL);
	assert_string_equal(err, "-u selects UDP, and the ports given are TCP's: nothing could "
			    "match");
	assert_int_equal(parse(&o, err, "-t", "53/udp", NULL), -EINVAL);
	assert_string_equal(err, "-t selects TCP, and the ports given are UDP's: nothing could "
			    "match");
	assert_int_equal(parse(&o, err, "8080/sctp", NULL, NULL), -EINVAL);
	assert_string_equal(err, "filter: '8080/sctp': the protocol after '/' is tcp or udp at "
			    "word 1");
	assert_int_equal(parse(&o, err, "--audit", "22/tcp", NULL), -EINVAL);
	assert_string_equal(err, "--audit reviews every listener: not with a port list");
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
	assert_string_equal(err, "filter: unknown state 'bogus' (see 'man listen': FILTERS) "
			    "at word 2");
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

/* --process and --user as " holders=NAME pid:PID user:NAME uid:UID", or nothing. */
static void holders(FILE *f, const struct cli_holders *h)
{
	const char *sep = "=";

	if (!cli_holders_given(h))
		return;
	fputs(" holders", f);
	for (size_t i = 0; i < h->nnames; i++, sep = " ")
		fprintf(f, "%s%s", sep, h->names[i]);
	for (size_t i = 0; i < h->npids; i++, sep = " ")
		fprintf(f, "%spid:%u", sep, h->pids[i]);
	for (size_t i = 0; i < h->nusers; i++, sep = " ")
		fprintf(f, "%suser:%s", sep, h->users[i]);
	for (size_t i = 0; i < h->nuids; i++, sep = " ")
		fprintf(f, "%suid:%u", sep, h->uids[i]);
}

/* What o sets that the defaults d do not: " field=value" each, in the struct's order. */
static char *changes(const struct listen_opts *o, const struct listen_opts *d)
{
	static const char *const actions[] = { "run", "audit", "help", "version" };
	static const char *const colors[] = { "auto", "always", "never" };
	static const char *const formats[] = { "table", "json", "json-lines", "prom" };
	static const char *const owners[] = { "auto", "proc", "bpf" };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
#define NAMED(x, names) if (o->x != d->x) fprintf(f, " %s=%s", #x, names[o->x])
#define NUMBER(x) if (o->x != d->x) fprintf(f, " %s=%llu", #x, (unsigned long long)o->x)
#define STRING(x) if (o->x != d->x) fprintf(f, " %s=%s", #x, o->x ? o->x : "NULL")
	NAMED(action, actions);
	NUMBER(query.protocols);
	NUMBER(query.families);
	NUMBER(query.unix_types);
	NUMBER(query.vsock_types);
	NUMBER(query.packet_types);
	NUMBER(family_protocols);
	STRING(query_partial);
	STRING(family_partial);
	NUMBER(kill);
	NUMBER(dry_run);
	NUMBER(resolve);
	NUMBER(oneline);
	NUMBER(contexts);
	if (o->query.states != d->query.states)
		fprintf(f, " query.states=%s",
			o->query.states == LSOCK_STATES_LISTENING ? "listening" :
			o->query.states == LSOCK_STATES_ALL ? "all" : "?");
	NUMBER(numeric);
	NUMBER(processes);
	NUMBER(extended);
	NUMBER(timers);
	NUMBER(summary);
	NUMBER(query.ext);
	NUMBER(header);
	NUMBER(services);
	NUMBER(scope);
	NUMBER(reach);
	NUMBER(unit);
	STRING(netns_name);
	STRING(netns_spec);
	NUMBER(all_netns);
	NAMED(color, colors);
	NAMED(format, formats);
	NUMBER(width);
	NUMBER(pids);
	NAMED(owners, owners);
	NUMBER(verbose);
	holders(f, &o->holders);
	STRING(filter_file);
	NUMBER(no_bytecode);
	STRING(allow_file);
	if (o->fail_on != d->fail_on)
		fprintf(f, " fail_on=%s", svc_risk_name(o->fail_on));
	STRING(test_option);
	STRING(dump_netlink);
	STRING(replay_netlink);
	STRING(proc_root);
	STRING(services_file);
	STRING(nmap_services_file);
	STRING(cgroup_root);
	STRING(state_root);
	NUMBER(now);
	NUMBER(watch);
	NUMBER(watch_ms);
#undef NAMED
#undef NUMBER
#undef STRING
	assert_int_equal(fclose(f), 0);
	return text;
}

#define RULES LISTEN_DATA_DIR "/filter-rules"

/* Every option, in its long form and its short one, and every word an option takes: what
 * changes from the defaults (changes()), given after with (an option it needs) if set. */
#define NOT_ALL "netlink, DCCP, TIPC and XDP sockets (listen does not read them yet)"
#define NOT_INET "DCCP sockets (listen does not read them yet)"

/* Every option, in its long form and its short one, and every word an option takes: what
 * changes from the defaults (changes()), given after with (an option it needs) if set, and
 * before then. */
static const struct option_case {
	const char *lng, *shrt, *with, *want, *then;
} option_cases[] = {
	{ "--mptcp", "-M", NULL, "query.protocols=256" },
	{ "--mptcp", "-M", "-t", "query.protocols=257" },
	{ "--vsock", NULL, NULL, "query.protocols=512" },
	{ "--sctp", "-S", NULL, "query.protocols=1024" },
	{ "--query=sctp", "-Asctp", "-t", "query.protocols=1025" },
	{ "--query=vsock_stream", "-Av_str", NULL, "query.vsock_types=2" },
	{ "--family=vsock", "-fvsock", NULL, "family_protocols=512" },
	{ "--query=tcp,mptcp", "-Atcp,mptcp", NULL, "query.protocols=257" },
	{ "--query=udp", "-Audp", "-x", "query.protocols=6" },
	{ "--socket=unix_dgram", NULL, NULL, "query.unix_types=4" },
	{ "--query=unix_stream,unix_seqpacket", NULL, NULL, "query.unix_types=34" },
	{ "--query=unix", NULL, NULL, "query.protocols=4" },
	{ "--query=raw,packet", "-Araw,packet", NULL, "query.protocols=24" },
	{ "--query=packet_raw", "-Ap_raw", NULL, "query.packet_types=8" },
	{ "--family=link", "-flink", NULL, "family_protocols=16" },
	{ "--query=all", "-Aall", NULL, "query.protocols=1823 query_partial=" NOT_ALL },
	{ "--query=inet", NULL, "-Aall", "query.protocols=1823 query_partial=" NOT_ALL },
	{ "--query=inet", "-Ainet", NULL, "query.protocols=1291 query_partial=" NOT_INET },
	{ "--family=inet", "-finet", NULL,
	  "query.families=1 family_protocols=1291 family_partial=" NOT_INET },
	{ "--family=inet6", NULL, "-finet",
	  "query.families=3 family_protocols=1291 family_partial=" NOT_INET },
	{ "--family=unix", "-funix", NULL, "family_protocols=4" },
	{ "--kill", "-K", "--process=1", "kill=1 holders=pid:1" },
	{ "--dry-run", NULL, "-K", "kill=1 dry_run=1 holders=pid:1", "--process=1" },
	{ "--resolve", "-r", NULL, "resolve=1" },
	{ "--oneline", "-O", NULL, "oneline=1" },
	{ "--context", "-Z", NULL, "contexts=1" },
	{ "--contexts", "-z", NULL, "contexts=2" },
	{ "--contexts", "-z", "-Z", "contexts=3" }, /* both: -Zz is -z */
	{ "--tcp", "-t", NULL, "query.protocols=1" },
	{ "--udp", "-u", NULL, "query.protocols=2" },
	{ "--udp", "-u", "-t", "query.protocols=3" },
	{ "--unix", "-x", NULL, "query.protocols=4" },
	{ "--unix", "-x", "-t", "query.protocols=5" },
	{ "--raw", "-w", NULL, "query.protocols=8" },
	{ "--raw", "-w", "-t", "query.protocols=9" },
	{ "--packet", "-0", NULL, "query.protocols=16" },
	{ "--packet", "-0", "-x", "query.protocols=20" },
	{ "--listening", "-l", NULL, "query.states=listening" },
	{ "--all", "-a", NULL, "query.states=all" },
	{ "--all", "-a", "-l", "query.states=all" },
	{ "--listening", "-l", "-a", "query.states=listening" },
	{ "--numeric", "-n", NULL, "numeric=1" },
	{ "--processes", "-p", NULL, "processes=1" },
	{ "--extended", "-e", NULL, "extended=1" },
	{ "--options", "-o", NULL, "timers=1" },
	{ "--info", "-i", NULL, "query.ext=1" },
	{ "--memory", "-m", NULL, "query.ext=2" },
	{ "--memory", "-m", "-i", "query.ext=3" },
	{ "--summary", "-s", NULL, "summary=1" },
	{ "--ipv4", "-4", NULL, "query.families=1" },
	{ "--ipv6", "-6", NULL, "query.families=2" },
	{ "--ipv6", "-6", "-4", "query.families=2" },
	{ "--ipv4", "-4", "-6", "query.families=1" },
	{ "--no-header", "-H", NULL, "header=0" },
	{ "--filter=" RULES, "-F" RULES, NULL, "filter_file=" RULES },
	{ "--pids", NULL, NULL, "pids=1" },
	{ "--owners=proc", NULL, NULL, "owners=proc" },
	{ "--owners=bpf", NULL, NULL, "owners=bpf" },
	{ "--owners=auto", NULL, "--owners=bpf", "" },
	{ "--verbose", NULL, NULL, "verbose=1" },
	{ "--audit", NULL, NULL, "action=audit" },
	{ "--audit", NULL, "--help", "action=help" },
	{ "--allow=a", NULL, "--audit", "action=audit allow_file=a" },
	{ "--fail-on=low", NULL, "--audit", "action=audit fail_on=low" },
	{ "--fail-on=medium", NULL, "--audit", "action=audit fail_on=medium" },
	{ "--fail-on=high", NULL, "--audit", "action=audit" },
	{ "--format=table", NULL, NULL, "" },
	{ "--format=json", NULL, "--json", "format=json" },
	{ "--json", "-j", "--format=json", "format=json" },
	{ "--json=lines", NULL, "--format=json-lines", "format=json-lines" },
	{ "--format=json", NULL, NULL, "format=json" },
	{ "--format=json-lines", NULL, NULL, "format=json-lines" },
	{ "--format=prom", NULL, NULL, "format=prom" },
	{ "--json", "-j", NULL, "format=json" },
	{ "--json=array", NULL, NULL, "format=json" },
	{ "--json=lines", NULL, NULL, "format=json-lines" },
	{ "--no-services", NULL, NULL, "services=0" },
	{ "--no-scope", NULL, NULL, "scope=0" },
	{ "--no-reach", NULL, NULL, "reach=0" },
	{ "--no-unit", NULL, NULL, "unit=0" },
	{ "--ss-columns", NULL, NULL, "services=0 scope=0 reach=0 unit=0" },
	{ "--process=nginx", NULL, NULL, "holders=nginx" },
	{ "--process=812", NULL, NULL, "holders=pid:812" },
	{ "--process=4294967295", NULL, "--process=a", "holders=a pid:4294967295" },
	{ "--process=1x", NULL, NULL, "holders=1x" },
	{ "--user=www-data", NULL, NULL, "holders=user:www-data" },
	{ "--user=0", NULL, "--user=nobody", "holders=user:nobody uid:0" },
	{ "--net=blue", "-Nblue", NULL, "netns_name=blue" },
	{ "--netns=1", NULL, NULL, "netns_spec=1" },
	{ "--all-netns", NULL, NULL, "all_netns=1" },
	{ "--wide", "-W", NULL, "width=65536" },
	{ "--width=80", NULL, NULL, "width=80" },
	{ "--width=20", NULL, "-W", "width=20" },
	{ "--wide", "-W", "--width=100", "width=65536" },
	{ "--width=65535", NULL, NULL, "width=65535" },
	{ "--watch", NULL, NULL, "watch=1 watch_ms=250" },
	{ "--watch=2.5s", NULL, "--json=lines", "format=json-lines watch=1 watch_ms=2500" },
	{ "--color", NULL, NULL, "color=always" },
	{ "--color=auto", NULL, "--color", "" },
	{ "--color=always", NULL, NULL, "color=always" },
	{ "--color=never", NULL, NULL, "color=never" },
	{ "--colour", NULL, NULL, "color=always" },
	{ "--colour=never", NULL, NULL, "color=never" },
	{ "--help", "-h", NULL, "action=help" },
	{ "--help", "-h", "--audit", "action=help" },
	{ "--version", "-V", NULL, "action=version" },
	{ "--dump-netlink=d", NULL, NULL, "test_option=dump-netlink dump_netlink=d" },
	{ "--replay-netlink=r", NULL, NULL, "test_option=replay-netlink replay_netlink=r" },
	{ "--proc-root=p", NULL, NULL, "test_option=proc-root proc_root=p" },
	{ "--services-file=s", NULL, NULL, "test_option=services-file services_file=s" },
	{ "--cgroup-root=c", NULL, NULL, "test_option=cgroup-root cgroup_root=c" },
	{ "--nmap-services-file=n", NULL, NULL,
	  "test_option=nmap-services-file nmap_services_file=n" },
	{ "--no-bytecode", NULL, NULL, "no_bytecode=1 test_option=no-bytecode" },
	{ "--now=1700000000", NULL, NULL, "test_option=now now=1700000000" },
	{ "--state-root=s", NULL, NULL, "test_option=state-root state_root=s" },
};

/* -K, -A and -f: what they refuse, each with one line that names the reason. */
static void kill_and_families(void **state)
{
	static const struct {
		const char *a1, *a2, *a3, *err;
	} cases[] = {
		{ "-K", NULL, NULL, "refusing to close every socket: give a filter (such as "
				    "'dport = :443'), ports or --process" },
		{ "-Kt", NULL, NULL, "refusing to close every socket: give a filter (such as "
				     "'dport = :443'), ports or --process" },
		{ "-Kl", "state", "listening", "refusing to close every socket: give a filter "
					       "(such as 'dport = :443'), ports or --process" },
		{ "--dry-run", "dport", ":80", "--dry-run goes with -K" },
		{ "-K", "--audit", "--process=1", "-K prints the sockets it closes: not with "
						  "--audit, --watch, --pids or --format=prom" },
		{ "-K", "--pids", ":80", "-K prints the sockets it closes: not with --audit, "
					 "--watch, --pids or --format=prom" },
		{ "-K", "--format=prom", ":80", "-K prints the sockets it closes: not with "
						"--audit, --watch, --pids or --format=prom" },
		{ "-K", "--replay-netlink=x", ":80", "-K closes live sockets: not with a capture" },
		{ "-Kx", "src", "/run/x", "-K closes TCP and UDP sockets: not unix, raw or "
					  "packet ones" },
		{ "-K", "-Aunix_stream", "--process=1", "-K closes TCP and UDP sockets: not unix, "
						       "raw or packet ones" },
		{ "-Adccp", NULL, NULL, "-A dccp: DCCP sockets (-d) are not supported yet" },
		{ "-K", "-Araw", "--process=1", "-K closes TCP and UDP sockets: not unix, raw or "
						"packet ones" },
		{ "-K", "-Ap_dgr", "--process=1", "-K closes TCP and UDP sockets: not unix, raw or "
						  "packet ones" },
		{ "-S", "-K", "--process=1", "-K: the kernel cannot close MPTCP, SCTP or vsock "
					     "sockets (their sock_diag handlers have no "
					     "SOCK_DESTROY); -t or -u" },
		{ "-Anetlink", NULL, NULL, "-A netlink: netlink sockets are not supported yet" },
		{ "-fxdp", NULL, NULL, "-f xdp: XDP sockets (--xdp) are not supported yet" },
		{ "-fvsock", "sport", ":22", "--vsock: filters take state clauses only (vsock "
					     "sockets have no addresses or ports of IP's)" },
		{ "--vsock", "-K", "--process=1",
		  "-K: the kernel cannot close MPTCP, SCTP or vsock sockets (their sock_diag "
		  "handlers have no SOCK_DESTROY); -t or -u" },
		{ "-fhelp", NULL, NULL, "-f takes inet, inet6, unix, link, vsock, netlink, tipc or "
					"xdp, not 'help'" },
		{ "-Atcp,", "-Abogus", NULL,
		  "-A takes a list of all, inet, tcp, udp, mptcp, unix, unix_stream, unix_dgram, "
		  "unix_seqpacket, raw, packet, packet_raw, packet_dgram, netlink, dccp, sctp, "
		  "vsock, vsock_stream, vsock_dgram, tipc and xdp (\"!name\" leaves one out), not "
		  "'bogus'" },
		{ "-A", "", NULL,
		  "-A takes a list of all, inet, tcp, udp, mptcp, unix, unix_stream, unix_dgram, "
		  "unix_seqpacket, raw, packet, packet_raw, packet_dgram, netlink, dccp, sctp, "
		  "vsock, vsock_stream, vsock_dgram, tipc and xdp (\"!name\" leaves one out), not "
		  "''" },
		{ "-M", "-K", "--process=1", "-K: the kernel cannot close MPTCP, SCTP or vsock "
					     "sockets (their sock_diag handlers have no "
					     "SOCK_DESTROY); -t or -u" },
	};
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = parse(&o, err, cases[i].a1, cases[i].a2, cases[i].a3);

		if (r != -EINVAL || strcmp(err, cases[i].err) != 0)
			fail_msg("%s %s %s: %d '%s'", cases[i].a1, cases[i].a2 ? cases[i].a2 : "",
				 cases[i].a3 ? cases[i].a3 : "", r, err);
	}
	/* A filter, ports or holders are enough. */
	assert_int_equal(parse(&o, err, "-K", "dport", ":443"), 0);
	assert_int_equal(parse(&o, err, "-K", ":8080", NULL), 0);
	assert_int_equal(parse(&o, err, "-K", "--user=nobody", NULL), 0);
	assert_int_equal(parse(&o, err, "-K", "--dry-run", "--process=1"), 0);
	assert_true(o.kill && o.dry_run);
	/* MPTCP, SCTP and vsock in every view: the audit, JSON, the metrics and the watch;
	 * -K with TCP among them closes TCP's and names the rest. */
	assert_int_equal(parse(&o, err, "-Mtl", "--audit", NULL), 0);
	assert_int_equal(parse(&o, err, "-Ainet", "--watch", NULL), 0);
	assert_int_equal(parse(&o, err, "-S", "--watch", NULL), 0);
	assert_int_equal(parse(&o, err, "-Stl", "--audit", NULL), 0);
	assert_int_equal(parse(&o, err, "--vsock", "--json", NULL), 0);
	assert_int_equal(parse(&o, err, "--vsock", "--format=prom", NULL), 0);
	assert_int_equal(parse(&o, err, "-Avsock", "--audit", NULL), 0);
	assert_int_equal(parse(&o, err, "--vsock", "--watch", NULL), 0);
	assert_int_equal(parse(&o, err, "-K", "-Atcp,mptcp", "--process=1"), 0);
	cli_free(&o);
}

/* Each option case, long form and short, sets what it should and nothing else. */
static void every_option(void **state)
{
	struct listen_opts d = { 0 }, o = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&d, err, NULL, NULL, NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(option_cases); i++) {
		const struct option_case *c = &option_cases[i];
		const char *forms[] = { c->lng, c->shrt };

		for (size_t k = 0; k < ARRAY_SIZE(forms) && forms[k]; k++) {
			int r = c->with ? parse(&o, err, c->with, forms[k], c->then) :
					  parse(&o, err, forms[k], NULL, NULL);

			if (r != 0)
				fail_msg("%s: %d, %s", forms[k], r, err);
			char *got = changes(&o, &d);

			if (strcmp(got + (*got == ' '), c->want) != 0)
				fail_msg("%s %s: '%s', not '%s'", c->with ? c->with : "", forms[k],
					 got + (*got == ' '), c->want);
			free(got);
		}
	}
	cli_free(&o);
	cli_free(&d);
}

/* Is there a case for --name (long) or -x (short), named at s with its dashes? */
static bool has_case(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(option_cases); i++) {
		const char *form = n > 2 ? option_cases[i].lng : option_cases[i].shrt;

		if (!form || strncmp(form, s, n) != 0)
			continue;
		if (n == 2 || form[n] == '\0' || form[n] == '=') /* "-Nblue", "--net=blue" */
			return true;
	}
	return false;
}

/* Every option --help names, long or short, has a case above. */
static void every_option_in_help(void **state)
{
	char *text = NULL;
	size_t len = 0, longs = 0, shorts = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	cli_usage(f);
	assert_int_equal(fclose(f), 0);
	for (const char *p = text; (p = strchr(p, '-')); p++) {
		size_t n = 1 + strspn(p + 1, "-abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

		if (p > text && p[-1] != ' ' && p[-1] != '(')
			continue;
		if (p[1] == '-' && n > 3) {
			longs++;
			if (!has_case(p, n))
				fail_msg("no case for %.*s", (int)n, p);
		} else if (n == 2 && p[2] == ',') {
			shorts++;
			if (!has_case(p, n))
				fail_msg("no case for %.*s", (int)n, p);
		}
		p += n - 1;
	}
	assert_true(longs > 25 && shorts > 14);
	free(text);
}

/* A word option given a word it does not take: the words it does, in the message. */
static void bad_words(void **state)
{
	static const struct {
		const char *arg, *msg;
	} bad[] = {
		{ "--format=xml", "--format takes table, json, json-lines or prom, not 'xml'" },
		{ "--format=", "--format takes table, json, json-lines or prom, not ''" },
		{ "--json=object", "--json takes lines or array, not 'object'" },
		{ "--color=sometimes", "--color takes auto, always or never, not 'sometimes'" },
		{ "--colour=x", "--color takes auto, always or never, not 'x'" },
		{ "--fail-on=critical", "--fail-on takes low, medium or high, not 'critical'" },
		{ "--fail-on=LOW", "--fail-on takes low, medium or high, not 'LOW'" },
		/* Abbreviations are refused before their value is looked at. */
		{ "--fail=LOW", "unknown option '--fail'; did you mean '--fail-on'?" },
	};
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse(&o, err, "--audit", bad[i].arg, NULL), -EINVAL);
		assert_string_equal(err, bad[i].msg);
	}
	/* A short err is cut, not overrun. */
	char *argv[] = { "listen", "--format=xml", NULL };
	char small[12];

	cli_free(&o);
	memset(small, 'x', sizeof(small));
	assert_int_equal(cli_parse(&o, 2, argv, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "--format ta");
	cli_free(&o);
}

/* Long options are taken by their full names only: an abbreviation is refused, naming the
 * options it begins. */
static void full_names(void **state)
{
	static const struct {
		const char *arg, *err;
	} cases[] = {
		{ "--pid", "unknown option '--pid'; did you mean '--pids'?" },
		{ "--col", "unknown option '--col'; did you mean '--color'?" },
		{ "--colo=never", "unknown option '--colo'; did you mean '--color'?" },
		{ "--netn=1", "unknown option '--netn'; did you mean '--netns'?" },
		{ "--filt", "unknown option '--filt'; did you mean '--filter'?" },
		{ "--no-s", "unknown option '--no-s'; did you mean '--no-services' or "
			    "'--no-scope'?" },
		{ "--p", "unknown option '--p'; did you mean '--packet', '--processes', '--pids' "
			 "or '--process'?" },
		{ "--proc", "unknown option '--proc'; did you mean '--processes' or "
			    "'--process'?" },
		/* Hidden and unsupported options are not suggested. */
		{ "--proc-r=x", "unknown option '--proc-r'; see 'listen --help'" },
		{ "--uni", "unknown option '--uni'; did you mean '--unix'?" },
		{ "--ra", "unknown option '--ra'; did you mean '--raw'?" },
		{ "--nosuch", "unknown option '--nosuch'; see 'listen --help'" },
	};
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse(&o, err, "-t", cases[i].arg, NULL), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
	/* The full names work, with their values attached or not. */
	assert_int_equal(parse(&o, err, "--net", "blue", "--color=never"), 0);
	assert_int_equal(parse(&o, err, "--process", "nginx", "--pids"), 0);
	assert_int_equal(parse(&o, err, "--colour", NULL, NULL), 0);
	cli_free(&o);
}

/* ss's options that listen does not take are named, each with one line. */
static void ss_options_named(void **state)
{
	static const struct {
		const char *arg, *err;
	} cases[] = {
		{ "-i:8080", "-i is ss's --info (TCP internals), not lsof's; for who owns port "
			     "8080: listen :8080" },
		{ "-iTCP@host:http", "-i is ss's --info (TCP internals), not lsof's; for who owns "
				     "port http: listen http/tcp" },
		{ "-i4udp:53", "-i is ss's --info (TCP internals), not lsof's; for who owns port "
			       "53: listen 53/udp" },
		{ "-iTCP:80,443", "-i is ss's --info (TCP internals), not lsof's; for who owns "
				  "port 80,443: listen 80/tcp,443/tcp" },
		{ "-i@host:22", "-i is ss's --info (TCP internals), not lsof's; for who owns port "
				"22: listen :22" },
	};
	static const char letters[] = "dEDbTB";
	static const char *const names[] = {
		"dccp", "tipc", "tipcinfo", "xdp", "events", "diag=f", "bpf", "threads",
		"bound-inactive", "tos", "cgroup", "inet-sockopt",
	};
	struct listen_opts o = { 0 };
	char err[256], arg[40];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse(&o, err, cases[i].arg, NULL, NULL), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
	/* lsof's "-i :8080": the port is the next word. */
	assert_int_equal(parse(&o, err, "-i", ":8080", NULL), -EINVAL);
	assert_string_equal(err, "-i is ss's --info (TCP internals), not lsof's; for who owns port "
			    "8080: listen :8080");
	for (size_t i = 0; letters[i]; i++) {
		/* -D takes a value, as in ss. */
		snprintf(arg, sizeof(arg), "-%c%s", letters[i], letters[i] == 'D' ? "x" : "");
		assert_int_equal(parse(&o, err, arg, NULL, NULL), -EINVAL);
		if (strncmp(err, arg, 2) != 0 || strstr(err, "not supported") == NULL)
			fail_msg("%s: %s", arg, err);
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(arg, sizeof(arg), "--%s", names[i]);
		assert_int_equal(parse(&o, err, arg, NULL, NULL), -EINVAL);
		if (!strstr(err, "not supported") || !strstr(err, "--") || strchr(err, '\n'))
			fail_msg("%s: %s", arg, err);
	}
	cli_free(&o);
}

/* Two different output formats are a mistake; the same one twice is not. */
static void output_choices(void **state)
{
	static const struct {
		const char *a1, *a2, *err;
	} clashes[] = {
		{ "--json", "--format=prom", "--json and --format=prom ask for different output "
					     "formats: give one" },
		{ "--format=json", "--json=lines", "--format=json and --json=lines ask for "
						   "different output formats: give one" },
		{ "--format=prom", "-j", "--format=prom and -j ask for different output formats: "
					 "give one" },
		{ "--format", "table", NULL },
	};
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(clashes) - 1; i++) {
		assert_int_equal(parse(&o, err, clashes[i].a1, clashes[i].a2, NULL), -EINVAL);
		assert_string_equal(err, clashes[i].err);
	}
	assert_int_equal(parse(&o, err, "-j", "--format", "table"), -EINVAL);
	assert_string_equal(err, "-j and --format=table ask for different output formats: "
			    "give one");
	assert_int_equal(parse(&o, err, "-j", "--json", "--format=json"), 0);
	assert_int_equal(o.format, CLI_FORMAT_JSON);
	assert_int_equal(parse(&o, err, "--json=lines", "--format=json-lines", NULL), 0);
	assert_int_equal(o.format, CLI_FORMAT_JSON_LINES);
	assert_int_equal(parse(&o, err, "--format=prom", "--format=prom", NULL), 0);
	/* Other repeated options still follow ss: the last wins. */
	assert_int_equal(parse(&o, err, "--color=never", "--color=always", NULL), 0);
	cli_free(&o);
}

/* --process and --user: names and numbers, repeatable; empty or overflowing ones refused. */
static void holder_options(void **state)
{
	char *argv[] = { "listen", "--process=nginx", "--process", "812", "--user=0",
			 "--user", "www-data", "--process=sshd", NULL };
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(cli_parse(&o, ARRAY_SIZE(argv) - 1, argv, err, sizeof(err)), 0);
	assert_true(cli_holders_given(&o.holders));
	assert_int_equal(o.holders.nnames, 2);
	assert_string_equal(o.holders.names[1], "sshd");
	assert_int_equal(o.holders.npids, 1);
	assert_int_equal(o.holders.pids[0], 812);
	assert_int_equal(o.holders.nuids, 1);
	assert_int_equal(o.holders.nusers, 1);
	assert_string_equal(o.holders.users[0], "www-data");
	assert_int_equal(parse(&o, err, "--process=", NULL, NULL), -EINVAL);
	assert_string_equal(err, "--process takes a process name or a pid, not ''");
	assert_int_equal(parse(&o, err, "--process=4294967296", NULL, NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "--process=0", NULL, NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "--user", "", NULL), -EINVAL);
	assert_string_equal(err, "--user takes a user name or a uid, not ''");
	assert_int_equal(parse(&o, err, "--user=99999999999", NULL, NULL), -EINVAL);
	assert_string_equal(err, "--user takes a user name or a uid, not '99999999999'");
	/* Only a number is a number: "1x" is a name. */
	assert_int_equal(parse(&o, err, "--user=1x", "--process=2y", NULL), 0);
	assert_string_equal(o.holders.users[0], "1x");
	assert_string_equal(o.holders.names[0], "2y");
	assert_int_equal(parse(&o, err, "--user", NULL, NULL), -EINVAL);
	assert_string_equal(err, "option '--user' needs an argument; see 'listen --help'");
	cli_free(&o);
}

/* --watch: the interval (250 ms by default), one-line refusals of bad ones and of the views
 * it cannot stream. */
static void watch_option(void **state)
{
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "--watch", NULL, NULL), 0);
	assert_true(o.watch);
	assert_int_equal(o.watch_ms, CLI_WATCH_DEFAULT_MS);
	assert_int_equal(parse(&o, err, "--watch=2.5s", "--json=lines", NULL), 0);
	assert_int_equal(o.watch_ms, 2500);
	assert_int_equal(parse(&o, err, "--audit", "--watch=1s", "--json=lines"), 0);
	assert_int_equal(o.action, CLI_AUDIT);
	assert_int_equal(parse(&o, err, "--watch", ":8080", NULL), 0);
	assert_false(parse(&o, err, NULL, NULL, NULL) == 0 && o.watch);
	assert_int_equal(parse(&o, err, "--watch=fast", NULL, NULL), -EINVAL);
	assert_string_equal(err, "--watch takes an interval from 10ms to 24h, such as 250ms, 1s "
			    "or 2.5s, not 'fast'");
	assert_int_equal(parse(&o, err, "--watch=5ms", NULL, NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "--watch", "--json", NULL), -EINVAL);
	assert_string_equal(err, "--watch prints one JSON object per event: --json=lines");
	assert_int_equal(parse(&o, err, "--watch", "--pids", NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "--watch", "--format=prom", NULL), -EINVAL);
	assert_int_equal(parse(&o, err, "--watch", "--replay-netlink=x", NULL), -EINVAL);
	assert_string_equal(err, "--watch follows the kernel: not with a capture");
	/* Without --watch, the audit's JSON is still one document. */
	assert_int_equal(parse(&o, err, "--audit", "--json=lines", NULL), -EINVAL);
	cli_free(&o);
}

/* -Z and -z: contexts of the holders of the table's and JSON's rows, nowhere else. */
static void contexts_option(void **state)
{
	static const char *const elsewhere[] = { "--audit", "--pids", "--watch", "--format=prom",
						 ":22" };
	struct listen_opts o = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-Z", NULL, NULL), 0);
	assert_int_equal(o.contexts, 1);
	assert_int_equal(parse(&o, err, "-tlz", "--json", NULL), 0);
	assert_int_equal(o.contexts, 2);
	assert_int_equal(parse(&o, err, "--contexts", "--json=lines", NULL), 0);
	assert_int_equal(o.contexts, 2);
	/* Both, in either order: -z (ss 6.1's -Zz shows the processes' only). */
	assert_int_equal(parse(&o, err, "-zZ", NULL, NULL), 0);
	assert_int_equal(o.contexts, 3);
	assert_int_equal(parse(&o, err, "-Z", "-z", NULL), 0);
	assert_int_equal(o.contexts, 3);
	for (size_t i = 0; i < sizeof(elsewhere) / sizeof(elsewhere[0]); i++) {
		assert_int_equal(parse(&o, err, "-Z", elsewhere[i], NULL), -EINVAL);
		assert_string_equal(err, "-Z and -z add to the holders of the table's and JSON's "
				    "rows: not with --audit, --pids, --watch, --format=prom or a "
				    "port list");
		assert_int_equal(parse(&o, err, "-z", elsewhere[i], NULL), -EINVAL);
	}
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
		cmocka_unit_test(every_option),
		cmocka_unit_test(every_option_in_help),
		cmocka_unit_test(bad_words),
		cmocka_unit_test(full_names),
		cmocka_unit_test(ss_options_named),
		cmocka_unit_test(kill_and_families),
		cmocka_unit_test(output_choices),
		cmocka_unit_test(holder_options),
		cmocka_unit_test(watch_option),
		cmocka_unit_test(contexts_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
