/* Command-line options: the same short flags and meanings as ss, via getopt_long. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/cli.h"
#include "listen/fileio.h"
#include "listen/services.h"
#include "listen/sock.h"

enum {
	OPT_DUMP_NETLINK = 256,
	OPT_REPLAY_NETLINK,
	OPT_PROC_ROOT,
	OPT_SERVICES_FILE,
	OPT_CGROUP_ROOT,
	OPT_NMAP_SERVICES_FILE,
	OPT_NO_SERVICES,
	OPT_NO_SCOPE,
	OPT_COLOR,
	OPT_AUDIT,
	OPT_ALLOW,
	OPT_FAIL_ON,
	OPT_FORMAT,
	OPT_JSON,
	OPT_PIDS,
	OPT_NO_BYTECODE,
	OPT_NOW,
	OPT_NETNS,
	OPT_ALL_NETNS,
	OPT_NO_UNIT,
	OPT_STATE_ROOT,
};

static const struct option long_options[] = {
	{ "tcp", no_argument, NULL, 't' },
	{ "udp", no_argument, NULL, 'u' },
	{ "listening", no_argument, NULL, 'l' },
	{ "all", no_argument, NULL, 'a' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "processes", no_argument, NULL, 'p' },
	{ "extended", no_argument, NULL, 'e' },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "no-header", no_argument, NULL, 'H' },
	{ "filter", required_argument, NULL, 'F' },
	{ "pids", no_argument, NULL, OPT_PIDS },
	{ "audit", no_argument, NULL, OPT_AUDIT },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "json", optional_argument, NULL, OPT_JSON },
	{ "no-services", no_argument, NULL, OPT_NO_SERVICES },
	{ "no-scope", no_argument, NULL, OPT_NO_SCOPE },
	{ "no-unit", no_argument, NULL, OPT_NO_UNIT },
	{ "net", required_argument, NULL, 'N' },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	/* Not in --help: for capturing fixtures and running the tests against them. */
	{ "dump-netlink", required_argument, NULL, OPT_DUMP_NETLINK },
	{ "replay-netlink", required_argument, NULL, OPT_REPLAY_NETLINK },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "services-file", required_argument, NULL, OPT_SERVICES_FILE },
	{ "cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT },
	{ "nmap-services-file", required_argument, NULL, OPT_NMAP_SERVICES_FILE },
	{ "no-bytecode", no_argument, NULL, OPT_NO_BYTECODE },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "state-root", required_argument, NULL, OPT_STATE_ROOT },
	{ NULL, 0, NULL, 0 },
};

/* The hidden options above: for tests and captures, with paths and times a user makes up. */
static bool is_test_option(int c)
{
	static const int test_options[] = {
		OPT_DUMP_NETLINK, OPT_REPLAY_NETLINK, OPT_PROC_ROOT, OPT_SERVICES_FILE,
		OPT_CGROUP_ROOT, OPT_NMAP_SERVICES_FILE, OPT_NO_BYTECODE, OPT_NOW, OPT_STATE_ROOT,
	};

	for (size_t i = 0; i < sizeof(test_options) / sizeof(test_options[0]); i++)
		if (c == test_options[i])
			return true;
	return false;
}

void cli_usage(FILE *f)
{
	fputs("Usage: listen [OPTIONS] [FILTER]   or   listen [OPTIONS] :PORT[,PORT|-PORT...]\n"
	      "Show TCP and UDP sockets, the processes holding them, and how they are exposed.\n"
	      "FILTER is ss's: state NAME, sport/dport/src/dst/dev, and/or/not, e.g.\n"
	      "'sport = :22 or dst 10.0.0.0/8'. :PORT shows who owns the port, in full.\n"
	      "\n"
	      "Sockets:\n"
	      "  -t, --tcp          TCP sockets (with neither -t nor -u: both)\n"
	      "  -u, --udp          UDP sockets\n"
	      "  -4, --ipv4         IPv4 only\n"
	      "  -6, --ipv6         IPv6 only\n"
	      "  -l, --listening    listening TCP and bound UDP sockets\n"
	      "  -a, --all          every state (default: connected sockets)\n"
	      "  -F, --filter=FILE  read the filter from FILE ('#' comments)\n"
	      "  -N, --net=NAME     in the network namespace NAME (ip netns), not this one\n"
	      "      --netns=PID|PATH  in the network namespace of PID, or an nsfs file\n"
	      "      --all-netns    every network namespace, with a Netns column\n"
	      "Output:\n"
	      "  -n, --numeric      ports as numbers (the Service column still names them)\n"
	      "  -p, --processes    processes holding each socket (other users' need root)\n"
	      "  -e, --extended     uid, inode, cookie, cgroup, v6only, shutdown state\n"
	      "  -H, --no-header    no column titles and no summary line\n"
	      "      --no-services  no Service column and no warnings\n"
	      "      --no-scope     no Scope column\n"
	      "      --no-unit      no Unit column with -p (with the two above: ss's columns)\n"
	      "      --color[=WHEN] colour warnings (or --colour): auto, always, never\n"
	      "  -j, --json[=lines] a JSON array of sockets, or one object per line\n"
	      "      --format=FMT   table (default), json, json-lines, prom (metrics)\n"
	      "      --pids         only the pids of the holders: kill $(listen --pids :8080)\n"
	      "Audit:\n"
	      "      --audit        review the services reachable beyond loopback, by risk\n"
	      "      --allow FILE   approved services (default: " CLI_DEFAULT_ALLOW ")\n"
	      "      --fail-on LEVEL  exit 3 on an unapproved finding at LEVEL or above:\n"
	      "                     low, medium, high (default)\n"
	      "Other:\n"
	      "  -h, --help         this help\n"
	      "  -V, --version      the version\n"
	      "\n"
	      "Exit status: 0 success, 1 error or nothing on :PORT (or for --pids),\n"
	      "2 bad usage, filter or allow-list, 3 audit findings.\n"
	      "listen(1) describes the columns, the allow-list, JSON and the metrics.\n",
	      f);
}

static int parse_format(const char *s, enum cli_format *f)
{
	static const char *const names[] = {
		[CLI_FORMAT_TABLE] = "table", [CLI_FORMAT_JSON] = "json",
		[CLI_FORMAT_JSON_LINES] = "json-lines", [CLI_FORMAT_PROM] = "prom",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum cli_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The positional words, then -F's file, as the filter. */
static int parse_filter(struct listen_opts *o, char **words, size_t n, char *err,
			size_t errlen)
{
	char **args = calloc(n + 1, sizeof(*args)), *text = NULL;
	struct filter_error ferr = { 0 };
	size_t len = 0;
	int r = 0;

	if (!args)
		return -ENOMEM;
	memcpy(args, words, n * sizeof(*args));
	if (o->filter_file) {
		r = fileio_read_all(AT_FDCWD, o->filter_file, 1 << 20, &text, &len);
		if (r == 0 && memchr(text, '\0', len))
			r = -EILSEQ;
		if (r < 0 && r != -ENOMEM) {
			snprintf(err, errlen, "-F %s: %s", o->filter_file,
				 r == -EILSEQ ? "not a text file" : fileio_strerror(r));
			if (!fileio_exhausted(r))
				r = -EINVAL; /* else a runtime error, not a bad file */
		}
		args[n++] = text;
	}
	if (r == 0)
		r = filter_parse(&o->filter, args, n, &ferr);
	if (r == -EINVAL && ferr.word)
		snprintf(err, errlen, "filter: %s at word %u", ferr.msg, ferr.word);
	free(text);
	free(args);
	return r;
}

int cli_parse(struct listen_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	int c, index = 0;

	*o = (struct listen_opts){
		.action = CLI_RUN,
		.header = true,
		.services = true,
		.scope = true,
		.unit = true,
		.fail_on = SVC_RISK_HIGH,
		.filter = { .root = FILTER_NONE },
	};
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":tulanpe46HjhVF:N:", long_options, &index)) != -1) {
		if (is_test_option(c) && !o->test_option)
			o->test_option = long_options[index].name;
		switch (c) {
		case 't':
			o->query.protocols |= DIAG_TCP;
			break;
		case 'u':
			o->query.protocols |= DIAG_UDP;
			break;
		case '4':
			o->query.families |= DIAG_V4;
			break;
		case '6':
			o->query.families |= DIAG_V6;
			break;
		case 'l': /* like ss, the last of -l and -a wins */
			o->query.states = LSOCK_STATES_LISTENING;
			break;
		case 'a':
			o->query.states = LSOCK_STATES_ALL;
			break;
		case 'n':
			o->numeric = true;
			break;
		case 'p':
			o->processes = true;
			break;
		case 'e':
			o->extended = true;
			break;
		case 'H':
			o->header = false;
			break;
		case 'j':
			o->format = CLI_FORMAT_JSON;
			break;
		case 'F':
			o->filter_file = optarg;
			break;
		case OPT_PIDS:
			o->pids = true;
			break;
		case OPT_NO_BYTECODE:
			o->no_bytecode = true;
			break;
		case OPT_NOW: {
			char *end;

			errno = 0;
			o->now = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || !o->now) {
				snprintf(err, errlen, "--now takes seconds since the epoch, not '%s'",
					 optarg);
				return -EINVAL;
			}
			break;
		}
		case OPT_JSON:
			if (!optarg || strcmp(optarg, "array") == 0) {
				o->format = CLI_FORMAT_JSON;
			} else if (strcmp(optarg, "lines") == 0) {
				o->format = CLI_FORMAT_JSON_LINES;
			} else {
				snprintf(err, errlen, "--json takes lines or array, not '%s'", optarg);
				return -EINVAL;
			}
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &o->format) < 0) {
				snprintf(err, errlen,
					 "--format takes table, json, json-lines or prom, not '%s'",
					 optarg);
				return -EINVAL;
			}
			break;
		case 'h':
			o->action = CLI_HELP;
			break;
		case 'V':
			o->action = CLI_VERSION;
			break;
		case OPT_AUDIT:
			if (o->action == CLI_RUN)
				o->action = CLI_AUDIT;
			break;
		case OPT_ALLOW:
			o->allow_file = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "low") == 0) {
				o->fail_on = SVC_RISK_LOW;
			} else if (strcmp(optarg, "medium") == 0) {
				o->fail_on = SVC_RISK_MEDIUM;
			} else if (strcmp(optarg, "high") == 0) {
				o->fail_on = SVC_RISK_HIGH;
			} else {
				snprintf(err, errlen, "--fail-on takes low, medium or high, not '%s'",
					 optarg);
				return -EINVAL;
			}
			break;
		case OPT_NO_SERVICES:
			o->services = false;
			break;
		case OPT_NO_SCOPE:
			o->scope = false;
			break;
		case OPT_NO_UNIT:
			o->unit = false;
			break;
		case 'N':
			o->netns_name = optarg;
			break;
		case OPT_NETNS:
			o->netns_spec = optarg;
			break;
		case OPT_ALL_NETNS:
			o->all_netns = true;
			break;
		case OPT_STATE_ROOT:
			o->state_root = optarg;
			break;
		case OPT_COLOR:
			if (!optarg || strcmp(optarg, "always") == 0) {
				o->color = CLI_COLOR_ALWAYS;
			} else if (strcmp(optarg, "auto") == 0) {
				o->color = CLI_COLOR_AUTO;
			} else if (strcmp(optarg, "never") == 0) {
				o->color = CLI_COLOR_NEVER;
			} else {
				snprintf(err, errlen, "--color takes auto, always or never, not '%s'",
					 optarg);
				return -EINVAL;
			}
			break;
		case OPT_NMAP_SERVICES_FILE:
			o->nmap_services_file = optarg;
			break;
		case OPT_DUMP_NETLINK:
			o->dump_netlink = optarg;
			break;
		case OPT_REPLAY_NETLINK:
			o->replay_netlink = optarg;
			break;
		case OPT_PROC_ROOT:
			o->proc_root = optarg;
			break;
		case OPT_SERVICES_FILE:
			o->services_file = optarg;
			break;
		case OPT_CGROUP_ROOT:
			o->cgroup_root = optarg;
			break;
		case ':':
			snprintf(err, errlen, "option '%s' needs an argument; see 'listen --help'",
				 argv[optind - 1]);
			return -EINVAL;
		default:
			/* A long option given a value it does not take: "--tcp=1". */
			if (optopt && strncmp(argv[optind - 1], "--", 2) == 0 &&
			    strchr(argv[optind - 1], '=')) {
				int n = (int)(strchr(argv[optind - 1], '=') - argv[optind - 1]);

				snprintf(err, errlen, "option '%.*s' takes no value; see 'listen --help'",
					 n, argv[optind - 1]);
			} else if (optopt)
				snprintf(err, errlen, "unknown option '-%c'; see 'listen --help'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'; see 'listen --help'",
					 argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (o->action != CLI_RUN && o->action != CLI_AUDIT)
		return 0;
	int r = parse_filter(o, argv + optind, (size_t)(argc - optind), err, errlen);

	if (r < 0)
		return r;
	if (o->dump_netlink && o->replay_netlink) {
		snprintf(err, errlen, "--dump-netlink and --replay-netlink exclude each other");
		return -EINVAL;
	}
	if (!!o->netns_name + !!o->netns_spec + o->all_netns > 1) {
		snprintf(err, errlen, "-N, --netns and --all-netns exclude each other: give one");
		return -EINVAL;
	}
	if ((o->netns_name || o->netns_spec || o->all_netns) &&
	    (o->dump_netlink || o->replay_netlink)) {
		snprintf(err, errlen, "a capture holds one namespace: not with -N, --netns or --all-netns");
		return -EINVAL;
	}
	if ((o->allow_file || o->fail_on != SVC_RISK_HIGH) && o->action == CLI_RUN) {
		snprintf(err, errlen, "--allow and --fail-on go with --audit");
		return -EINVAL;
	}
	if (o->action == CLI_AUDIT && (o->format == CLI_FORMAT_PROM ||
					o->format == CLI_FORMAT_JSON_LINES)) {
		snprintf(err, errlen, "--audit prints a review or, with --json, one JSON document");
		return -EINVAL;
	}
	if (o->pids && (o->action == CLI_AUDIT || o->format != CLI_FORMAT_TABLE)) {
		snprintf(err, errlen, "--pids prints pids only: not with --audit, --json or --format");
		return -EINVAL;
	}
	if (o->filter.ports && o->action == CLI_AUDIT) {
		snprintf(err, errlen, "--audit reviews every listener: not with a port list");
		return -EINVAL;
	}
	if (o->filter.states_given && !o->filter.states) {
		snprintf(err, errlen, "filter: the state clauses leave no state to show");
		return -EINVAL;
	}
	return 0;
}

void cli_free(struct listen_opts *o)
{
	filter_free(&o->filter);
}
