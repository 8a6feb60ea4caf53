/* Command-line options: the same short flags and meanings as ss, via getopt_long, from one
 * table. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/cli.h"
#include "listen/fileio.h"
#include "listen/services.h"
#include "listen/sock.h"

/* What an option does to struct listen_opts. */
enum opt_effect {
	OPT_FLAG,   /* the bool field at off becomes value */
	OPT_SET,    /* the number field at off becomes value */
	OPT_OR,     /* value's bits are added to the number field at off */
	OPT_STRING, /* the const char * field at off points at the option's value */
	OPT_WORD,   /* the number field at off becomes the given word's (words), or value */
	OPT_CALL,   /* call does what it needs to */
};

/* A word an option takes, and the number it stands for. */
struct cli_word {
	const char *word;
	unsigned value;
};

/* One option: its names, its value, and what it does. */
struct cli_option {
	const char *name; /* the long form, without dashes */
	char letter;      /* the short form, or 0 */
	int arg;          /* no_argument, required_argument or optional_argument (long form) */
	enum opt_effect effect;
	size_t off;       /* of the field it sets, in struct listen_opts */
	unsigned value;   /* what OPT_FLAG, OPT_SET and OPT_OR store; OPT_WORD's with no value */
	const struct cli_word *words; /* OPT_WORD's, in the order its message lists them */
	int (*call)(struct listen_opts *o, const char *arg, char *err, size_t errlen);
	const char *alias; /* a second long form, or NULL */
	bool test;         /* for tests and captures: noted in test_option */
};

static const struct cli_word json_words[] = {
	{ "lines", CLI_FORMAT_JSON_LINES }, { "array", CLI_FORMAT_JSON }, { NULL, 0 },
};

static const struct cli_word format_words[] = {
	{ "table", CLI_FORMAT_TABLE }, { "json", CLI_FORMAT_JSON },
	{ "json-lines", CLI_FORMAT_JSON_LINES }, { "prom", CLI_FORMAT_PROM }, { NULL, 0 },
};

static const struct cli_word color_words[] = {
	{ "auto", CLI_COLOR_AUTO }, { "always", CLI_COLOR_ALWAYS }, { "never", CLI_COLOR_NEVER },
	{ NULL, 0 },
};

static const struct cli_word risk_words[] = {
	{ "low", SVC_RISK_LOW }, { "medium", SVC_RISK_MEDIUM }, { "high", SVC_RISK_HIGH },
	{ NULL, 0 },
};

/* --audit: the review, unless --help or --version came first. */
static int cli_set_audit(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	(void)arg, (void)err, (void)errlen;
	if (o->action == CLI_RUN)
		o->action = CLI_AUDIT;
	return 0;
}

/* --now: seconds since the epoch, not 0 (which stands for the clock's). */
static int cli_set_now(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	char *end;

	errno = 0;
	o->now = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || !o->now) {
		snprintf(err, errlen, "--now takes seconds since the epoch, not '%s'", arg);
		return -EINVAL;
	}
	return 0;
}

/* The offset of field f of struct listen_opts, which must be the size of a type: the build
 * fails for a bool given to STRING, or a field narrower than an unsigned to SET. Numbers are
 * unsigned-sized: an enum, int, unsigned or uint32_t. */
#define FIELD(f, type) (offsetof(struct listen_opts, f) + \
	0 * sizeof(char[sizeof(((struct listen_opts *)0)->f) == sizeof(type) ? 1 : -1]))
/* An option's effect, for the table below. */
#define FLAG(f, v) .effect = OPT_FLAG, .off = FIELD(f, bool), .value = (v)
#define SET(f, v) .effect = OPT_SET, .off = FIELD(f, unsigned), .value = (v)
#define OR(f, v) .effect = OPT_OR, .off = FIELD(f, unsigned), .value = (v)
#define STRING(f) .effect = OPT_STRING, .off = FIELD(f, const char *)
#define WORD(f, w, v) .effect = OPT_WORD, .off = FIELD(f, unsigned), .words = (w), .value = (v)
#define CALL(fn) .effect = OPT_CALL, .call = (fn)
#define TEST .test = true

/*
 * Every option, one entry each: getopt_long's table and short-option string are made from it.
 * A short form takes a value only when the long form requires one: "-jl" is -j -l.
 */
static const struct cli_option cli_options[] = {
	{ "tcp", 't', no_argument, OR(query.protocols, DIAG_TCP) },
	{ "udp", 'u', no_argument, OR(query.protocols, DIAG_UDP) },
	/* Like ss, the last of -l and -a wins. */
	{ "listening", 'l', no_argument, SET(query.states, LSOCK_STATES_LISTENING) },
	{ "all", 'a', no_argument, SET(query.states, LSOCK_STATES_ALL) },
	{ "numeric", 'n', no_argument, FLAG(numeric, true) },
	{ "processes", 'p', no_argument, FLAG(processes, true) },
	{ "extended", 'e', no_argument, FLAG(extended, true) },
	/* Like ss, the last of -4 and -6 wins: -46 is IPv6 only. */
	{ "ipv4", '4', no_argument, SET(query.families, DIAG_V4) },
	{ "ipv6", '6', no_argument, SET(query.families, DIAG_V6) },
	{ "no-header", 'H', no_argument, FLAG(header, false) },
	{ "filter", 'F', required_argument, STRING(filter_file) },
	{ "pids", 0, no_argument, FLAG(pids, true) },
	{ "audit", 0, no_argument, CALL(cli_set_audit) },
	{ "allow", 0, required_argument, STRING(allow_file) },
	{ "fail-on", 0, required_argument, WORD(fail_on, risk_words, 0) },
	{ "format", 0, required_argument, WORD(format, format_words, 0) },
	{ "json", 'j', optional_argument, WORD(format, json_words, CLI_FORMAT_JSON) },
	{ "no-services", 0, no_argument, FLAG(services, false) },
	{ "no-scope", 0, no_argument, FLAG(scope, false) },
	{ "no-unit", 0, no_argument, FLAG(unit, false) },
	{ "net", 'N', required_argument, STRING(netns_name) },
	{ "netns", 0, required_argument, STRING(netns_spec) },
	{ "all-netns", 0, no_argument, FLAG(all_netns, true) },
	{ "color", 0, optional_argument, WORD(color, color_words, CLI_COLOR_ALWAYS),
	  .alias = "colour" },
	{ "help", 'h', no_argument, SET(action, CLI_HELP) },
	{ "version", 'V', no_argument, SET(action, CLI_VERSION) },
	/* Not in --help: for capturing fixtures and running the tests against them, with paths
	 * and times a user makes up; main refuses them with lent privileges. */
	{ "dump-netlink", 0, required_argument, STRING(dump_netlink), TEST },
	{ "replay-netlink", 0, required_argument, STRING(replay_netlink), TEST },
	{ "proc-root", 0, required_argument, STRING(proc_root), TEST },
	{ "services-file", 0, required_argument, STRING(services_file), TEST },
	{ "cgroup-root", 0, required_argument, STRING(cgroup_root), TEST },
	{ "nmap-services-file", 0, required_argument, STRING(nmap_services_file), TEST },
	{ "no-bytecode", 0, no_argument, FLAG(no_bytecode, true), TEST },
	{ "now", 0, required_argument, CALL(cli_set_now), TEST },
	{ "state-root", 0, required_argument, STRING(state_root), TEST },
};

#define CLI_NOPTIONS (sizeof(cli_options) / sizeof(cli_options[0]))
/* getopt_long returns CLI_VAL + i for the long forms of cli_options[i]. */
#define CLI_VAL 256

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

/* getopt_long's tables from cli_options: each long form and alias, and the short letters
 * after a ':' (so a missing value is told from an unknown option). */
static void cli_getopt_tables(struct option *longs, char *shorts)
{
	size_t n = 0;

	*shorts++ = ':';
	for (size_t i = 0; i < CLI_NOPTIONS; i++) {
		const struct cli_option *opt = &cli_options[i];
		struct option l = { opt->name, opt->arg, NULL, CLI_VAL + (int)i };

		longs[n++] = l;
		if (opt->alias) {
			/* The same val: an abbreviation of both ("--col") is not ambiguous. */
			l.name = opt->alias;
			longs[n++] = l;
		}
		if (opt->letter) {
			*shorts++ = opt->letter;
			if (opt->arg == required_argument)
				*shorts++ = ':';
		}
	}
	longs[n] = (struct option){ NULL, 0, NULL, 0 };
	*shorts = '\0';
}

/* The option getopt_long returned c for, or NULL for one of its errors. */
static const struct cli_option *cli_option_of(int c)
{
	if (c >= CLI_VAL)
		return &cli_options[c - CLI_VAL];
	for (size_t i = 0; i < CLI_NOPTIONS; i++)
		if (c && cli_options[i].letter == c)
			return &cli_options[i];
	return NULL;
}

/* The message for an option getopt_long refused (it returned c). */
static int cli_refuse(int c, char **argv, char *err, size_t errlen)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		snprintf(err, errlen, "option '%s' needs an argument; see 'listen --help'", arg);
	else if (optopt && strncmp(arg, "--", 2) == 0 && strchr(arg, '='))
		/* A long option given a value it does not take: "--tcp=1". */
		snprintf(err, errlen, "option '%.*s' takes no value; see 'listen --help'",
			 (int)(strchr(arg, '=') - arg), arg);
	else if (optopt)
		snprintf(err, errlen, "unknown option '-%c'; see 'listen --help'", optopt);
	else
		snprintf(err, errlen, "unknown option '%s'; see 'listen --help'", arg);
	return -EINVAL;
}

/* Append to the message in err, cutting it short if it does not fit. */
static void cli_append(char *err, size_t errlen, const char *s)
{
	size_t used = errlen ? strlen(err) : 0;

	if (used + 1 < errlen)
		snprintf(err + used, errlen - used, "%s", s);
}

/* The value of word among opt's words; or -EINVAL, and err lists the words it takes. */
static int cli_word_value(const struct cli_option *opt, const char *word, unsigned *value,
			  char *err, size_t errlen)
{
	const struct cli_word *w = opt->words;
	size_t i;

	for (i = 0; w[i].word; i++) {
		if (strcmp(word, w[i].word) == 0) {
			*value = w[i].value;
			return 0;
		}
	}
	snprintf(err, errlen, "--%s takes ", opt->name);
	for (size_t j = 0; j < i; j++) {
		if (j > 0)
			cli_append(err, errlen, j + 1 < i ? ", " : " or ");
		cli_append(err, errlen, w[j].word);
	}
	cli_append(err, errlen, ", not '");
	cli_append(err, errlen, word);
	cli_append(err, errlen, "'");
	return -EINVAL;
}

/* Do what opt does, arg its value or NULL. */
static int cli_apply(struct listen_opts *o, const struct cli_option *opt, const char *arg,
		     char *err, size_t errlen)
{
	char *field = (char *)o + opt->off;
	unsigned v = opt->value, old;

	switch (opt->effect) {
	case OPT_FLAG:
		*(bool *)field = v != 0;
		return 0;
	case OPT_STRING:
		*(const char **)field = arg;
		return 0;
	case OPT_CALL:
		return opt->call(o, arg, err, errlen);
	case OPT_WORD:
		if (arg && cli_word_value(opt, arg, &v, err, errlen) < 0)
			return -EINVAL;
		break;
	case OPT_OR:
		memcpy(&old, field, sizeof(old));
		v |= old;
		break;
	case OPT_SET:
		break;
	}
	memcpy(field, &v, sizeof(v)); /* FIELD() made sure the field is this size */
	return 0;
}

/* The first clash among the options and the filter, as a message; NULL if there is none. */
static const char *cli_conflict(const struct listen_opts *o)
{
	bool netns = o->netns_name || o->netns_spec || o->all_netns;

	if (o->dump_netlink && o->replay_netlink)
		return "--dump-netlink and --replay-netlink exclude each other";
	if (!!o->netns_name + !!o->netns_spec + o->all_netns > 1)
		return "-N, --netns and --all-netns exclude each other: give one";
	if (netns && (o->dump_netlink || o->replay_netlink))
		return "a capture holds one namespace: not with -N, --netns or --all-netns";
	if ((o->allow_file || o->fail_on != SVC_RISK_HIGH) && o->action == CLI_RUN)
		return "--allow and --fail-on go with --audit";
	if (o->action == CLI_AUDIT &&
	    (o->format == CLI_FORMAT_PROM || o->format == CLI_FORMAT_JSON_LINES))
		return "--audit prints a review or, with --json, one JSON document";
	if (o->pids && (o->action == CLI_AUDIT || o->format != CLI_FORMAT_TABLE))
		return "--pids prints pids only: not with --audit, --json or --format";
	if (o->filter.ports && o->action == CLI_AUDIT)
		return "--audit reviews every listener: not with a port list";
	if (o->filter.states_given && !o->filter.states)
		return "filter: the state clauses leave no state to show";
	return NULL;
}

int cli_parse(struct listen_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	struct option longs[2 * CLI_NOPTIONS + 1];
	char shorts[2 * CLI_NOPTIONS + 2];
	const char *conflict;
	int c, r;

	*o = (struct listen_opts){
		.action = CLI_RUN,
		.header = true,
		.services = true,
		.scope = true,
		.unit = true,
		.fail_on = SVC_RISK_HIGH,
		.filter = { .root = FILTER_NONE },
	};
	cli_getopt_tables(longs, shorts);
	opterr = 0;
	optind = 0; /* glibc's full reset: 1 would resume a bundle an earlier call stopped in */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct cli_option *opt = cli_option_of(c);

		if (!opt)
			return cli_refuse(c, argv, err, errlen);
		if (opt->test && !o->test_option)
			o->test_option = opt->name;
		r = cli_apply(o, opt, optarg, err, errlen);
		if (r < 0)
			return r;
	}
	if (o->action != CLI_RUN && o->action != CLI_AUDIT)
		return 0;
	r = parse_filter(o, argv + optind, (size_t)(argc - optind), err, errlen);
	if (r < 0)
		return r;
	conflict = cli_conflict(o);
	if (conflict) {
		snprintf(err, errlen, "%s", conflict);
		return -EINVAL;
	}
	return 0;
}

void cli_free(struct listen_opts *o)
{
	filter_free(&o->filter);
}
