/* Command-line options: the same short flags and meanings as ss, via getopt_long, from one
 * table. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/cli.h"
#include "listen/family.h"
#include "listen/fileio.h"
#include "listen/interval.h"
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
	bool choice;       /* one choice of several: two different ones clash (cli_choose) */
	bool ss;           /* ss's own option: the selection is ss's, not bare listen's */
	bool once;         /* OPT_STRING's that a second value would silently replace: refused */
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

static const struct cli_word owners_words[] = {
	{ "auto", CLI_OWNERS_AUTO }, { "proc", CLI_OWNERS_PROC }, { "bpf", CLI_OWNERS_BPF },
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

/* --width=N: the columns the table fits, 20 to CLI_WIDTH_MAX (the last of it and -W wins). */
static int cli_set_width(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || *arg < '0' || *arg > '9' || v < 20 ||
	    v > CLI_WIDTH_MAX) {
		snprintf(err, errlen, "--width takes a number of columns from 20 to %u, not '%s'",
			 CLI_WIDTH_MAX, arg);
		return -EINVAL;
	}
	o->width = (unsigned)v;
	return 0;
}

/* --watch[=INTERVAL]: events as sockets come and go, polling every INTERVAL. */
static int cli_set_watch(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	o->watch = true;
	o->watch_ms = CLI_WATCH_DEFAULT_MS;
	if (arg && interval_parse(arg, &o->watch_ms) < 0) {
		snprintf(err, errlen, "--watch takes an interval from %ums to %uh, such as 250ms, "
			 "1s or 2.5s, not '%s'", INTERVAL_MIN_MS, INTERVAL_MAX_MS / 3600000, arg);
		return -EINVAL;
	}
	return 0;
}

/* Append an element of size bytes to the array *v of *n; the new one, zeroed, or NULL. */
static void *cli_push(void *v, size_t *n, size_t size)
{
	void **arr = v;
	char *grown = realloc(*arr, (*n + 1) * size);

	if (!grown)
		return NULL;
	*arr = grown;
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}

/* Whether arg is all digits: a number, not a name ("1x" is a name). */
static bool cli_digits(const char *arg)
{
	return *arg && arg[strspn(arg, "0123456789")] == '\0';
}

/* The digits of arg as a number that fits 32 bits ("4294967295" does, "4294967296" not). */
static bool cli_number(const char *arg, uint32_t *value)
{
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, NULL, 10);
	if (errno || v > UINT32_MAX)
		return false;
	*value = (uint32_t)v;
	return true;
}

/* --process=NAME|PID: a number is a pid, anything else a process name. */
static int cli_add_process(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	struct cli_holders *h = &o->holders;
	uint32_t pid, *p;
	const char **name;

	if (!*arg || (cli_digits(arg) && (!cli_number(arg, &pid) || !pid))) {
		snprintf(err, errlen, "--process takes a process name or a pid, not '%s'", arg);
		return -EINVAL;
	}
	if (cli_digits(arg)) {
		if (!(p = cli_push(&h->pids, &h->npids, sizeof(*p))))
			return -ENOMEM;
		*p = pid;
	} else {
		if (!(name = cli_push(&h->names, &h->nnames, sizeof(*name))))
			return -ENOMEM;
		*name = arg;
	}
	return 0;
}

/* --user=NAME|UID: a number is a uid, anything else a name for run.c to look up. */
static int cli_add_user(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	struct cli_holders *h = &o->holders;
	uint32_t uid, *u;
	const char **name;

	if (!*arg || (cli_digits(arg) && !cli_number(arg, &uid))) {
		snprintf(err, errlen, "--user takes a user name or a uid, not '%s'", arg);
		return -EINVAL;
	}
	if (cli_digits(arg)) {
		if (!(u = cli_push(&h->uids, &h->nuids, sizeof(*u))))
			return -ENOMEM;
		*u = uid;
	} else {
		if (!(name = cli_push(&h->users, &h->nusers, sizeof(*name))))
			return -ENOMEM;
		*name = arg;
	}
	return 0;
}

/* -A/--query LIST: ss's socket tables (family.c). */
static int cli_set_query(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	return family_query(arg, &o->query, &o->query_partial, err, errlen);
}

/* -f/--family NAME: ss's address families (family.c). */
static int cli_set_family(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	return family_family(arg, &o->query, &o->family_protocols, &o->family_partial, err,
			     errlen);
}

/* --ss-columns: exactly ss's columns, for scripts written for ss. */
static int cli_set_ss_columns(struct listen_opts *o, const char *arg, char *err, size_t errlen)
{
	(void)arg, (void)err, (void)errlen;
	o->services = o->scope = o->reach = o->unit = false;
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
#define CHOICE .choice = true
#define SS .ss = true
#define ONCE .once = true

/*
 * Every option, one entry each: getopt_long's table and short-option string are made from it.
 * A short form takes a value only when the long form requires one: "-jl" is -j -l.
 */
static const struct cli_option cli_options[] = {
	{ "tcp", 't', no_argument, OR(query.protocols, DIAG_TCP), SS },
	{ "udp", 'u', no_argument, OR(query.protocols, DIAG_UDP), SS },
	{ "unix", 'x', no_argument, OR(query.protocols, DIAG_UNIX), SS },
	{ "raw", 'w', no_argument, OR(query.protocols, DIAG_RAW), SS },
	{ "packet", '0', no_argument, OR(query.protocols, DIAG_PACKET), SS },
	{ "mptcp", 'M', no_argument, OR(query.protocols, DIAG_MPTCP), SS },
	{ "vsock", 0, no_argument, OR(query.protocols, DIAG_VSOCK), SS },
	{ "sctp", 'S', no_argument, OR(query.protocols, DIAG_SCTP), SS },
	{ "query", 'A', required_argument, CALL(cli_set_query), SS, .alias = "socket" },
	{ "family", 'f', required_argument, CALL(cli_set_family), SS },
	/* Like ss, the last of -l and -a wins. */
	{ "listening", 'l', no_argument, SET(query.states, LSOCK_STATES_LISTENING), SS },
	{ "all", 'a', no_argument, SET(query.states, LSOCK_STATES_ALL), SS },
	{ "numeric", 'n', no_argument, FLAG(numeric, true) },
	{ "processes", 'p', no_argument, FLAG(processes, true) },
	{ "extended", 'e', no_argument, FLAG(extended, true) },
	{ "options", 'o', no_argument, FLAG(timers, true) },
	{ "info", 'i', no_argument, OR(query.ext, DIAG_EXT_INFO) },
	{ "memory", 'm', no_argument, OR(query.ext, DIAG_EXT_MEMORY) },
	{ "summary", 's', no_argument, FLAG(summary, true), SS },
	/* Like ss, the last of -4 and -6 wins: -46 is IPv6 only. */
	{ "ipv4", '4', no_argument, SET(query.families, DIAG_V4), SS },
	{ "ipv6", '6', no_argument, SET(query.families, DIAG_V6), SS },
	{ "no-header", 'H', no_argument, FLAG(header, false) },
	{ "filter", 'F', required_argument, STRING(filter_file), SS, ONCE },
	{ "kill", 'K', no_argument, FLAG(kill, true), SS },
	{ "dry-run", 0, no_argument, FLAG(dry_run, true) },
	{ "resolve", 'r', no_argument, FLAG(resolve, true) },
	{ "oneline", 'O', no_argument, FLAG(oneline, true) },
	{ "context", 'Z', no_argument, OR(contexts, 1) },
	{ "contexts", 'z', no_argument, OR(contexts, 2) },
	{ "pids", 0, no_argument, FLAG(pids, true) },
	{ "owners", 0, required_argument, WORD(owners, owners_words, 0) },
	{ "verbose", 0, no_argument, FLAG(verbose, true) },
	{ "audit", 0, no_argument, CALL(cli_set_audit) },
	{ "allow", 0, required_argument, STRING(allow_file), ONCE },
	{ "fail-on", 0, required_argument, WORD(fail_on, risk_words, 0) },
	{ "process", 0, required_argument, CALL(cli_add_process) },
	{ "user", 0, required_argument, CALL(cli_add_user) },
	{ "format", 0, required_argument, WORD(format, format_words, 0), CHOICE },
	{ "json", 'j', optional_argument, WORD(format, json_words, CLI_FORMAT_JSON), CHOICE },
	{ "no-services", 0, no_argument, FLAG(services, false) },
	{ "no-scope", 0, no_argument, FLAG(scope, false) },
	{ "no-reach", 0, no_argument, FLAG(reach, false) },
	{ "no-unit", 0, no_argument, FLAG(unit, false) },
	{ "ss-columns", 0, no_argument, CALL(cli_set_ss_columns) },
	{ "net", 'N', required_argument, STRING(netns_name), ONCE },
	{ "netns", 0, required_argument, STRING(netns_spec), ONCE },
	{ "all-netns", 0, no_argument, FLAG(all_netns, true) },
	{ "wide", 'W', no_argument, SET(width, CLI_WIDTH_WIDE) },
	{ "width", 0, required_argument, CALL(cli_set_width) },
	{ "watch", 0, optional_argument, CALL(cli_set_watch) },
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

/*
 * ss's options that listen does not take (yet): named in the error, not "unknown option".
 * Each takes a value when ss's does, so its value is not read as a filter. what is the
 * message after the option's names; NULL for -i, which lsof users give for a port.
 */
static const struct cli_unsupported {
	const char *name;
	char letter;
	int arg;
	const char *what;
} cli_unsupported[] = {
	{ "dccp", 'd', no_argument, "DCCP sockets are not supported yet" },
	{ "tipc", 0, no_argument, "TIPC sockets are not supported yet" },
	{ "tipcinfo", 0, no_argument, "TIPC socket details are not supported yet" },
	{ "xdp", 0, no_argument, "XDP sockets are not supported yet" },
	{ "events", 'E', no_argument,
	  "not supported: listen --watch shows sockets as they come and go" },
	{ "diag", 'D', required_argument, "raw TCP dumps are not supported" },
	{ "bpf", 'b', no_argument, "socket BPF filters are not supported yet" },
	{ "threads", 'T', no_argument, "threads are not supported yet; -p shows the processes" },
	{ "bound-inactive", 'B', no_argument, "bound-inactive sockets are not supported yet" },
	{ "tos", 0, no_argument, "TOS and priority are not supported yet" },
	{ "cgroup", 0, no_argument, "not supported; -e shows the cgroup" },
	{ "inet-sockopt", 0, no_argument, "socket options are not supported yet" },
};

#define CLI_NOPTIONS (sizeof(cli_options) / sizeof(cli_options[0]))
#define CLI_NUNSUPPORTED (sizeof(cli_unsupported) / sizeof(cli_unsupported[0]))
/* getopt_long returns CLI_VAL + i for the long forms of cli_options[i], CLI_VAL_UNSUPPORTED
 * + i for those of cli_unsupported[i]. */
#define CLI_VAL 256
#define CLI_VAL_UNSUPPORTED 1024

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

/* getopt_long's tables from cli_options and cli_unsupported: each long form and alias, and
 * the short letters after a ':' (so a missing value is told from an unknown option). */
static void cli_getopt_tables(struct option *longs, char *shorts)
{
	size_t n = 0;

	*shorts++ = ':';
	for (size_t i = 0; i < CLI_NOPTIONS; i++) {
		const struct cli_option *opt = &cli_options[i];
		struct option l = { opt->name, opt->arg, NULL, CLI_VAL + (int)i };

		longs[n++] = l;
		if (opt->alias) {
			l.name = opt->alias;
			longs[n++] = l;
		}
		if (opt->letter) {
			*shorts++ = opt->letter;
			if (opt->arg == required_argument)
				*shorts++ = ':';
		}
	}
	for (size_t i = 0; i < CLI_NUNSUPPORTED; i++) {
		const struct cli_unsupported *u = &cli_unsupported[i];

		longs[n++] = (struct option){ u->name, u->arg, NULL, CLI_VAL_UNSUPPORTED + (int)i };
		if (u->letter) {
			*shorts++ = u->letter;
			if (u->arg == required_argument)
				*shorts++ = ':';
		}
	}
	longs[n] = (struct option){ NULL, 0, NULL, 0 };
	*shorts = '\0';
}

/* The option getopt_long returned c for, or NULL for one of its errors or an unsupported one. */
static const struct cli_option *cli_option_of(int c)
{
	if (c >= CLI_VAL && c < CLI_VAL + (int)CLI_NOPTIONS)
		return &cli_options[c - CLI_VAL];
	for (size_t i = 0; i < CLI_NOPTIONS; i++)
		if (c && cli_options[i].letter == c)
			return &cli_options[i];
	return NULL;
}

/* The unsupported option getopt_long returned c for, or NULL. */
static const struct cli_unsupported *cli_unsupported_of(int c)
{
	if (c >= CLI_VAL_UNSUPPORTED && c < CLI_VAL_UNSUPPORTED + (int)CLI_NUNSUPPORTED)
		return &cli_unsupported[c - CLI_VAL_UNSUPPORTED];
	for (size_t i = 0; i < CLI_NUNSUPPORTED; i++)
		if (c && c < CLI_VAL && cli_unsupported[i].letter == c)
			return &cli_unsupported[i];
	return NULL;
}

/* Append to the message in err, cutting it short if it does not fit. */
static void cli_append(char *err, size_t errlen, const char *s)
{
	size_t used = errlen ? strlen(err) : 0;

	if (used + 1 < errlen)
		snprintf(err + used, errlen - used, "%s", s);
}

/* Whether name (n bytes) is the full long name of an option or alias. */
static bool cli_is_long(const char *name, size_t n)
{
	for (size_t i = 0; i < CLI_NOPTIONS; i++) {
		const char *alias = cli_options[i].alias;

		if ((strlen(cli_options[i].name) == n && !memcmp(cli_options[i].name, name, n)) ||
		    (alias && strlen(alias) == n && !memcmp(alias, name, n)))
			return true;
	}
	for (size_t i = 0; i < CLI_NUNSUPPORTED; i++) {
		const char *u = cli_unsupported[i].name;

		if (strlen(u) == n && !memcmp(u, name, n))
			return true;
	}
	return false;
}

/*
 * "unknown option '--pid'; did you mean '--pids'?" for a long option that is not spelled in
 * full, naming the options (not hidden, not unsupported) it begins; arg is the word given.
 */
static int cli_unknown_long(const char *arg, char *err, size_t errlen)
{
	size_t n = strcspn(arg + 2, "="), found = 0, shown = 0;

	snprintf(err, errlen, "unknown option '%.*s'", (int)n + 2, arg);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; n && i < CLI_NOPTIONS; i++) {
			const struct cli_option *opt = &cli_options[i];

			if (opt->test || (strncmp(opt->name, arg + 2, n) &&
					  (!opt->alias || strncmp(opt->alias, arg + 2, n))))
				continue;
			if (pass == 0) {
				found++;
				continue;
			}
			cli_append(err, errlen, shown == 0 ? "; did you mean '--" :
					  shown + 1 < found ? "', '--" : "' or '--");
			cli_append(err, errlen, opt->name);
			shown++;
		}
	}
	cli_append(err, errlen, found ? "'?" : "; see 'listen --help'");
	return -EINVAL;
}

/* The message for an option getopt_long refused (it returned c). */
static int cli_refuse(int c, char **argv, char *err, size_t errlen)
{
	const char *arg = argv[optind - 1];

	if (strncmp(arg, "--", 2) == 0 && !cli_is_long(arg + 2, strcspn(arg + 2, "=")))
		return cli_unknown_long(arg, err, errlen);
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

/* The word that held the long option getopt_long just returned: getopt_long takes any
 * unambiguous abbreviation, listen only full names. */
static const char *cli_long_word(char **argv)
{
	if (optarg && optind >= 2 && optarg == argv[optind - 1])
		return argv[optind - 2]; /* "--filter FILE" */
	return argv[optind - 1];
}

/* The message for ss's option u, which listen does not take. */
static int cli_not_yet(const struct cli_unsupported *u, char *err, size_t errlen)
{
	char names[32];

	if (u->letter)
		snprintf(names, sizeof(names), "-%c/--%s", u->letter, u->name);
	else
		snprintf(names, sizeof(names), "--%s", u->name);
	snprintf(err, errlen, "%s: %s", names, u->what);
	return -EINVAL;
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
		if (opt->once && *(const char **)field && strcmp(*(const char **)field, arg) != 0) {
			snprintf(err, errlen, "--%s given twice ('%s', then '%s'): give it once",
				 opt->name, *(const char **)field, arg);
			return -EINVAL;
		}
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

bool cli_summary_rows(const struct listen_opts *o)
{
	return o->query.protocols || o->query.families || o->filter.root != FILTER_NONE ||
	       o->filter.states_given;
}

/* The output format chosen so far, and by which option: another choice must agree. */
struct cli_choice {
	bool made;
	unsigned value;
	char given[40]; /* "--json=lines", "-j", "--format=prom" */
};

/* Note the choice opt (just applied, arg its value) made; -EINVAL if an earlier option chose
 * differently: "--json --format=prom" is a mistake, not last-one-wins. */
static int cli_choose(struct cli_choice *ch, const struct listen_opts *o,
		      const struct cli_option *opt, bool shrt, const char *arg, char *err,
		      size_t errlen)
{
	char given[sizeof(ch->given)];
	unsigned v;

	memcpy(&v, (const char *)o + opt->off, sizeof(v));
	if (shrt)
		snprintf(given, sizeof(given), "-%c", opt->letter);
	else
		snprintf(given, sizeof(given), "--%s%s%.20s", opt->name, arg ? "=" : "",
			 arg ? arg : "");
	if (ch->made && ch->value != v) {
		snprintf(err, errlen, "%s and %s ask for different output formats: give one",
			 ch->given, given);
		return -EINVAL;
	}
	ch->made = true;
	ch->value = v;
	memcpy(ch->given, given, sizeof(given));
	return 0;
}

/* Take the option getopt_long returned c for: apply it, or say why not. */
static int cli_take(struct listen_opts *o, struct cli_choice *ch, int c, char **argv,
		    char *err, size_t errlen)
{
	const struct cli_option *opt = cli_option_of(c);
	const struct cli_unsupported *u = cli_unsupported_of(c);
	const char *word = c >= CLI_VAL ? cli_long_word(argv) : NULL;
	int r;

	if (word && !cli_is_long(word + 2, strcspn(word + 2, "=")))
		return cli_unknown_long(word, err, errlen);
	if (u)
		return cli_not_yet(u, err, errlen);
	if (!opt)
		return cli_refuse(c, argv, err, errlen);
	if (opt->test && !o->test_option)
		o->test_option = opt->name;
	o->ss_option |= opt->ss;
	r = cli_apply(o, opt, optarg, err, errlen);
	if (r == 0 && opt->choice)
		r = cli_choose(ch, o, opt, c < CLI_VAL, optarg, err, errlen);
	return r;
}

int cli_parse(struct listen_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	struct option longs[2 * CLI_NOPTIONS + CLI_NUNSUPPORTED + 1];
	char shorts[2 * CLI_NOPTIONS + 3 * CLI_NUNSUPPORTED + 2];
	struct cli_choice choice = { 0 };
	const char *conflict;
	int c, r;

	*o = (struct listen_opts){
		.action = CLI_RUN,
		.header = true,
		.services = true,
		.scope = true,
		.unit = true,
		.reach = true,
		.fail_on = SVC_RISK_HIGH,
		.filter = { .root = FILTER_NONE },
	};
	cli_getopt_tables(longs, shorts);
	/* An lsof habit, "-i:8080" or "-iTCP:8080", is not ss's -i followed by options. */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (strncmp(argv[i], "-i", 2) == 0 && (r = cli_lsof_info(argv[i] + 2, err,
									 errlen)) < 0)
			return r;
	opterr = 0;
	optind = 0; /* glibc's full reset: 1 would resume a bundle an earlier call stopped in */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		r = cli_take(o, &choice, c, argv, err, errlen);
		if (r < 0)
			return r;
	}
	if (o->action != CLI_RUN && o->action != CLI_AUDIT)
		return 0;
	r = parse_filter(o, argv + optind, (size_t)(argc - optind), err, errlen);
	if (r < 0)
		return r;
	/* "-i :8080": lsof's -i and a port. */
	if ((o->query.ext & DIAG_EXT_INFO) && o->filter.ports &&
	    (r = cli_lsof_info(o->filter.port_text, err, errlen)) < 0)
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
	free(o->holders.names);
	free(o->holders.pids);
	free(o->holders.users);
	free(o->holders.uids);
	o->holders = (struct cli_holders){ 0 };
}
