/* The view phase: the run printed with the view the plan chose, then the notices. Like run.c,
 * it prints its own errors, once. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "listen/array.h"
#include "listen/audit.h"
#include "listen/audit_allow.h"
#include "listen/cli.h"
#include "listen/diag.h"
#include "listen/enrich.h"
#include "listen/fileio.h"
#include "listen/output.h"
#include "listen/output_summary.h"
#include "listen/plan.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/verdict.h"
#include "run.h"
#include "view.h"
#include "watch.h"

/* Colour for --color=auto: a terminal, and the user has not asked for none (no-color.org). */
static bool use_color(const struct listen_opts *o)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->color != CLI_COLOR_AUTO)
		return o->color == CLI_COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
	       !(term && strcmp(term, "dumb") == 0);
}

/* The columns the table fits: --width's, else a terminal's (its size, else $COLUMNS, else 80);
 * 0 for every column in full: -W, not a terminal, or only ss's columns (--ss-columns), which
 * print as ss prints them. */
static unsigned table_width(const struct listen_opts *o, bool tty)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	unsigned long v;
	char *end;

	if (o->width)
		return o->width == CLI_WIDTH_WIDE ? 0 : o->width;
	if (!tty || (!o->services && !o->scope && !o->reach && !o->unit))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && *env >= '0' && *env <= '9') {
		v = strtoul(env, &end, 10);
		if (!*end && v > 0 && v <= CLI_WIDTH_MAX)
			return (unsigned)v;
	}
	return 80;
}

/* Whether the locale's characters are UTF-8 (LC_ALL, else LC_CTYPE, else LANG, as setlocale
 * reads them): the table marks cut text with "…", else with "~". */
static bool utf8_locale(void)
{
	const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" }, *v = NULL;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !(v && *v); i++)
		v = getenv(names[i]);
	return v && (strcasestr(v, "utf-8") || strcasestr(v, "utf8"));
}

/* "listen: no listening TCP or UDP socket on :8080" for the owner view (and "held by the
 * processes asked for" with --process or --user). */
static void report_nothing(const struct listen_opts *o, const struct diag_query *q)
{
	unsigned p = q->protocols;

	fprintf(stderr, "listen: no %s%s socket on %s%s\n",
		q->states == LSOCK_STATES_LISTENING ? "listening " : "",
		p == DIAG_TCP ? "TCP" : p == DIAG_UDP ? "UDP" : "TCP or UDP", o->filter.port_text,
		cli_holders_given(&o->holders) ? " held by the processes asked for" : "");
}

/* What a view is given; the audit sets failed when a finding reaches --fail-on. */
struct show {
	const struct listen_opts *o;
	struct run *run;
	const struct enrich_src *src;
	const struct audit_allow *allow;
	const struct out_backend *backend;
	bool failed;
};

/* The format options of the run's rows. */
static struct out_opts row_opts(const struct show *s)
{
	const struct listen_opts *o = s->o;
	const struct run *run = s->run;
	const struct plan *p = run->plan;
	uint32_t states = p->query.states;
	bool tty = isatty(STDOUT_FILENO);
	bool table = p->view == PLAN_VIEW_TABLE || p->view == PLAN_VIEW_WATCH ||
		     p->view == PLAN_VIEW_WATCH_AUDIT;
	struct out_opts oo = {
		.header = o->header,
		/* ss has the Netid column for more than one protocol, and for unix, packet and
		 * vsock sockets (whose types it tells apart) unless -A named one type. */
		.netid = (p->query.protocols & (p->query.protocols - 1)) != 0 ||
			 ((p->query.protocols & DIAG_PACKET) &&
			  !(p->query.packet_types && !(p->query.packet_types &
						       (p->query.packet_types - 1)))) ||
			 ((p->query.protocols & DIAG_UNIX) &&
			  !(p->query.unix_types && !(p->query.unix_types &
						     (p->query.unix_types - 1)))) ||
			 ((p->query.protocols & DIAG_VSOCK) &&
			  !(p->query.vsock_types && !(p->query.vsock_types &
						      (p->query.vsock_types - 1)))),
		.state = (states & (states - 1)) != 0,
		.processes = p->processes,
		.extended = o->extended,
		/* A unix socket's Service is its note (unix_scope.h), its Scope who may
		 * connect. Raw and packet sockets have a scope (what they receive or sniff),
		 * no service; vsock sockets neither (yet). */
		.services = o->services && (p->query.protocols & (DIAG_INET | DIAG_UNIX)),
		.scope = o->scope && (p->query.protocols & ~(unsigned)DIAG_VSOCK),
		.color = use_color(o),
		.summary = tty && o->header,
		.lines = p->view == PLAN_VIEW_JSON_LINES,
		/* The Netns column with --all-netns; netns in JSON and metrics with any of them. */
		.netns = table ? p->netns == PLAN_NETNS_ALL : run->ns_mode,
		.unit = p->processes && o->unit,
		.reach = run->fw_filters,
		.more = {
			.timers = p->timers,
			.memory = (p->query.ext & DIAG_EXT_MEMORY) != 0,
			.info = (p->query.ext & DIAG_EXT_INFO) != 0,
			.numeric = o->numeric,
			.md5_hidden = run->md5_hidden,
		},
	};

	oo.width = table_width(o, tty);
	oo.utf8 = oo.width && utf8_locale();
	return oo;
}

/* -s: the counts of each namespace read, labelled with --all-netns; the rows follow in the
 * table when a selection was given (show_rows). */
static int show_summary(struct show *s)
{
	const struct run *run = s->run;
	const struct plan *p = run->plan;
	struct out_summary *sums = calloc(run->nviews ? run->nviews : 1, sizeof(*sums));
	size_t n = 0;
	int r;

	if (!sums)
		return -ENOMEM;
	for (size_t i = 0; i < run->nviews; i++)
		if (run->views[i].have_stat)
			sums[n++] = (struct out_summary){
				p->netns == PLAN_NETNS_ALL ? run->views[i].ns.label : NULL,
				&run->views[i].stat };
	if (p->view == PLAN_VIEW_SUMMARY_JSON)
		r = out_summary_json(stdout, sums, n, s->o->format == CLI_FORMAT_JSON_LINES);
	else
		r = out_summary_text(stdout, sums, n);
	free(sums);
	return r;
}

/* The rows streamed through a format backend: the table, JSON, JSON Lines. */
static int show_rows(struct show *s)
{
	const struct out_backend *be = s->backend;
	struct run *run = s->run;
	struct out_opts oo = row_opts(s);
	void *state;
	int r = 0;

	if (run->plan->summary && (r = show_summary(s)) < 0)
		return r;
	state = be->begin(stdout, &oo);
	if (!state)
		return -ENOMEM;
	for (int pass = be->measure ? 0 : 1; pass < 2; pass++) {
		for (size_t i = 0; i < run->socks.len && r == 0; i++) {
			struct enrich_names names;
			struct out_row row = enrich_row(s->src, &run->socks.v[i], &names);

			row.ext = lsock_vec_ext(&run->socks, &run->socks.v[i]);

			r = pass == 0 ? be->measure(state, &row) : be->row(state, &row);
		}
	}
	int e = be->end(state);

	return r ? r : e;
}

/* The metrics: every row at once, with the audit built from them for its risk. */
static int show_prom(struct show *s)
{
	struct run *run = s->run;
	size_t n = run->socks.len;
	struct out_opts oo = row_opts(s);
	struct enrich_names *names = NULL;
	struct out_row *rows = NULL;
	struct audit a = { 0 };
	int r = enrich_all(s->src, run->socks.v, n, &rows, &names);

	/* The risk of every family's findings; the series of those dumped, unix sockets' only
	 * when asked for (-x): a host has many, few of them findings, counted anyway. */
	oo.services = s->o->services;
	oo.series = run->plan->query.protocols & ~run->unseen; /* not looked at: no count */
	if (!(s->o->query.protocols & DIAG_UNIX))
		oo.series &= ~(unsigned)DIAG_UNIX;

	if (r == 0)
		r = audit_build(&a, rows, n, run->owners.procs, &run->services,
				&run->views[0].public);
	if (r == 0) {
		audit_allow_apply(s->allow, &a, run->owners.procs);
		r = out_prom(stdout, rows, n, &a, &run->services, &oo);
	}
	audit_free(&a);
	free(rows);
	free(names);
	return r;
}

/* The owner view of `listen :PORT`. */
static int show_owners(struct show *s)
{
	const struct run *run = s->run;
	struct out_owners_opts oo = { .now = s->o->now ? s->o->now : (uint64_t)time(NULL),
				      .privileged = run->self.privileged || run->self.root };
	struct enrich_names *names = NULL;
	struct out_row *rows = NULL;
	int r = enrich_all(s->src, run->socks.v, run->socks.len, &rows, &names);

	if (r == 0)
		r = out_owners(stdout, rows, run->socks.len, &oo);
	free(rows);
	free(names);
	return r;
}

/* --pids: the holders' pids, ascending, one per line; with --process or --user, only the
 * holders they match (not the other holders of the sockets kept). */
static int show_pids(struct show *s)
{
	const struct run *run = s->run;
	size_t n = 0;
	uint32_t *pids = malloc((run->owners.nprocs ? run->owners.nprocs : 1) * sizeof(*pids));

	if (!pids)
		return -ENOMEM;
	for (size_t i = 0; i < run->owners.nprocs; i++)
		if (!run->held || run->held[i])
			pids[n++] = run->owners.procs[i].pid;
	n = array_u32_set(pids, n);
	for (size_t i = 0; i < n; i++)
		printf("%u\n", pids[i]);
	free(pids);
	return ferror(stdout) ? -errno : 0;
}

/* The audit: findings from the listeners, checked against the allow-list, as text or JSON. */
static int show_audit(struct show *s)
{
	const struct listen_opts *o = s->o;
	struct run *run = s->run;
	size_t n = run->socks.len;
	struct enrich_names *names = NULL;
	struct out_row *rows = NULL;
	struct audit a = { 0 };
	int r = enrich_all(s->src, run->socks.v, n, &rows, &names);

	if (r < 0)
		goto out;
	r = audit_build(&a, rows, n, run->owners.procs, &run->services, &run->views[0].public);
	if (r < 0)
		goto out;
	/* What the review could not see: a ruleset it was refused or could not read. */
	a.no_firewall = run->fw_unread;
	audit_allow_apply(s->allow, &a, run->owners.procs);
	s->failed = audit_fails(&a, (enum svc_risk)o->fail_on);
	if (run->plan->view == PLAN_VIEW_AUDIT_JSON)
		r = out_audit_json(stdout, &a, run->owners.procs, run->info, run->holders,
				   (enum svc_risk)o->fail_on);
	else
		r = out_audit_text(stdout, &a, run->owners.procs, run->info,
				   (use_color(o) ? OUT_AUDIT_COLOR : 0) |
				   (run->self.privileged || run->self.root ?
				    OUT_AUDIT_PRIVILEGED : 0));
out:
	audit_free(&a);
	free(rows);
	free(names);
	return r;
}

/* --watch: the events, until a signal ends them. */
static int show_watch(struct show *s)
{
	struct out_opts oo = row_opts(s);

	return watch_run(s->o, s->run, s->allow, &oo);
}

/* The views, one for each of the plan's: all but the streamed rows take every row at once.
 * A view that says its own errors (the watch) has says_errors. */
static const struct view {
	int (*show)(struct show *s);
	const struct out_backend *backend;
	bool says_errors;
} views[] = {
	[PLAN_VIEW_TABLE] = { show_rows, &out_table },
	[PLAN_VIEW_JSON] = { show_rows, &out_json },
	[PLAN_VIEW_JSON_LINES] = { show_rows, &out_json },
	[PLAN_VIEW_PROM] = { show_prom, NULL },
	[PLAN_VIEW_OWNERS] = { show_owners, NULL },
	[PLAN_VIEW_PIDS] = { show_pids, NULL },
	[PLAN_VIEW_AUDIT] = { show_audit, NULL },
	[PLAN_VIEW_AUDIT_JSON] = { show_audit, NULL },
	[PLAN_VIEW_WATCH] = { show_watch, NULL, true },
	[PLAN_VIEW_WATCH_JSON] = { show_watch, NULL, true },
	[PLAN_VIEW_WATCH_AUDIT] = { show_watch, NULL, true },
	[PLAN_VIEW_WATCH_AUDIT_JSON] = { show_watch, NULL, true },
	[PLAN_VIEW_SUMMARY] = { show_summary, NULL },
	[PLAN_VIEW_SUMMARY_JSON] = { show_summary, NULL },
};

/* The allow-list's names, from the run's services and protocols. */
struct allow_names {
	const struct listen_opts *o;
	struct run *run;
	const char *services; /* the file a failed look-up names */
};

static int allow_service(void *ctx, const char *name, uint8_t protocol, uint16_t *port)
{
	struct allow_names *an = ctx;
	unsigned protocols = protocol == IPPROTO_TCP ? SVC_TCP :
			     protocol == IPPROTO_SCTP ? SVC_SCTP : SVC_UDP;
	int r = run_service_port(an->o, an->run, name, protocols, port);

	if (r < 0 && r != -ENOENT)
		run_report(an->services, r);
	return r;
}

static int allow_protocol(void *ctx, const char *name, uint8_t *proto)
{
	struct allow_names *an = ctx;

	return run_ipproto_by_name(an->run, name, proto);
}

int view_load_allow(const struct listen_opts *o, struct run *run, struct audit_allow *allow)
{
	const char *path = o->allow_file ? o->allow_file : CLI_DEFAULT_ALLOW;
	struct allow_names an = { o, run, o->services_file ? o->services_file : "/etc/services" };
	const struct audit_allow_names names = { &an, allow_service, allow_protocol };
	char *buf, err[256];
	size_t len;
	unsigned line;
	int r = fileio_read_all(AT_FDCWD, path, 16 << 20, &buf, &len);

	if (r == -ENOENT && !o->allow_file)
		return 0;
	if (r < 0) {
		run_report(path, r);
		return fileio_exhausted(r) ? r : -EINVAL; /* short of descriptors: not a bad file */
	}
	r = audit_allow_parse(allow, buf, len, &names, &line, err, sizeof(err));
	free(buf);
	if (r == -EINVAL)
		fprintf(stderr, "listen: %s:%u: %s\n", path, line, err);
	else if (r == -ENOMEM)
		fprintf(stderr, "listen: out of memory\n");
	/* any other error: a name's look-up that failed, said by it */
	return r;
}

void view_report_gaps(const struct listen_opts *o, const struct run *run)
{
	if (run->plan->watch_ms)
		return; /* the watch said its notices as it went */
	if (o->filter.ports && run->socks.len == 0)
		report_nothing(o, &run->plan->query);
	view_report_hidden(run);
}

bool view_report_hidden(const struct run *run)
{
	const struct procfs_map *m = &run->owners;
	struct sbuf b = { 0 };
	char what[64];

	/* Counted before --process and --user: a hidden holder may have been one of theirs. */
	if (!run->plan->owners || !procfs_map_partial(m) || !run->unowned)
		return false;
	snprintf(what, sizeof(what), "owners of %zu socket%s hidden", run->unowned,
		 run->unowned == 1 ? "" : "s");
	if (out_denial_notice(&b, &run->self, m, what, run->hidepid) < 0)
		fputs("listen: out of memory\n", stderr);
	else
		fputs(b.s, stderr);
	sbuf_free(&b);
	return true;
}

int view_show(const struct listen_opts *o, struct run *run, const struct audit_allow *allow,
	      bool *failed)
{
	const struct view *v = &views[run->plan->view];
	struct enrich_src src;
	struct show sh = { o, run, &src, allow, v->backend, false };
	struct reach_result *verdicts = NULL;
	size_t n = run->socks.len; /* the watch's show goes on to other sockets */
	int r = run_enrich_source(run, &src);

	if (r == 0 && run->fw_read)
		r = verdict_all(&src, run->socks.v, n, &verdicts);
	src.verdicts = verdicts;
	if (r == 0)
		r = v->show(&sh);
	verdict_free(verdicts, n);
	free((void *)src.ns);
	*failed = sh.failed;
	if (r == 0 && fflush(stdout) != 0)
		r = -errno;
	if (r == -EPIPE)
		return 0; /* the reader went away (`listen | head`): quietly, and not a failure */
	if (v->says_errors)
		return r;
	if (r == -ENOMEM)
		fprintf(stderr, "listen: out of memory\n");
	else if (r < 0)
		fprintf(stderr, "listen: write error: %s\n", strerror(-r));
	return r;
}

int view_text(const struct listen_opts *o)
{
	if (o->action == CLI_HELP)
		cli_usage(stdout);
	else
		puts("listen " LISTEN_VERSION);
	if (fflush(stdout) == 0 || errno == EPIPE)
		return 0;
	fprintf(stderr, "listen: write error: %s\n", strerror(errno));
	return -EIO;
}
