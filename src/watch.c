/*
 * The watch: the run's sockets printed as events, then a loop that waits for the kernel's
 * destroy notifications and, every interval, dumps the sockets again, compares them with the
 * ones seen by cookie (watchset.h) and looks up holders for the new ones only. Part of the
 * program layer with run.c and view.c: it prints its own errors, once.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "listen/audit.h"
#include "listen/audit_allow.h"
#include "listen/cli.h"
#include "listen/diag.h"
#include "listen/enrich.h"
#include "listen/filter.h"
#include "listen/interval.h"
#include "listen/output.h"
#include "listen/output_events.h"
#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/sockev.h"
#include "listen/verdict.h"
#include "listen/watchset.h"
#include "run.h"
#include "view.h"
#include "watch.h"

/* A socket the poll found gone is remembered this long, so that its destroy notification,
 * if it comes late, is not taken for a socket never seen. */
#define WATCH_RECENT_MS 5000

/* The destroy notifications of one namespace. */
struct watch_ns {
	uint64_t ino;
	struct sockev ev;
};

/* A socket the poll found gone, and when. */
struct watch_recent {
	struct wset_key key;
	int64_t at_ms;
};

struct watch {
	const struct listen_opts *o;
	struct run *run;
	const struct audit_allow *allow;
	struct out_opts oo;
	bool json, audit;
	struct wset seen;
	struct watch_ns *ns;      /* one per namespace with notifications joined */
	size_t nns;
	bool notify;              /* notifications are joined (else the poll finds gone ones) */
	struct watch_recent *recent;
	size_t nrecent, caprecent;
	struct sbuf out;          /* event lines not written yet */
	size_t initial, news, gones; /* events printed, for the summary */
	bool stop;                /* a signal, or the reader gone */
	bool hidden_said;         /* that some holders could not be looked at */
	bool unnamed_said;        /* that -N's name no longer names the namespace watched */
};

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The key of a socket of the run: its namespace by inode (0 for the one listen runs in). */
static struct wset_key key_of(const struct run *run, const struct lsock *sk)
{
	return wset_key_of(sk, sk->netns < run->nviews ? run->views[sk->netns].ns.ino : 0);
}

/* Row r as the table or JSON prints it, into *text (malloc'd, no newline). */
static int format_row(const struct watch *w, const struct out_row *r, char **text, size_t *len)
{
	const struct out_backend *be = w->json ? &out_json : &out_table;
	FILE *f = open_memstream(text, len);
	void *state;
	int e = 0;

	if (!f)
		return -ENOMEM;
	state = be->begin(f, &w->oo);
	if (!state)
		e = -ENOMEM;
	if (state && be->measure)
		e = be->measure(state, r);
	if (state && e == 0)
		e = be->row(state, r);
	if (state) {
		int e2 = be->end(state);

		e = e ? e : e2;
	}
	if (fclose(f) != 0 && e == 0)
		e = -ENOMEM;
	if (e < 0) {
		free(*text);
		*text = NULL;
		return e == -EIO ? -ENOMEM : e; /* a memory stream fails only for memory */
	}
	while (*len && (*text)[*len - 1] == '\n')
		(*text)[--*len] = '\0';
	return 0;
}

/* Write the lines gathered. The reader gone (EPIPE) stops the watch quietly. */
static int flush_out(struct watch *w)
{
	int r = sbuf_write(&w->out, stdout);

	w->out.len = 0;
	if (r == 0 && fflush(stdout) != 0)
		r = -errno;
	if (r == -EPIPE) {
		w->stop = true;
		return 0;
	}
	if (r == -ENOMEM)
		fprintf(stderr, "listen: out of memory\n");
	else if (r < 0)
		fprintf(stderr, "listen: write error: %s\n", strerror(-r));
	return r;
}

static void add_event(struct watch *w, const struct out_event *e)
{
	if (w->json)
		out_event_json(&w->out, e);
	else
		out_event_text(&w->out, e);
	if (e->kind == OUT_EVENT_NEW && e->initial)
		w->initial++;
	else if (e->kind == OUT_EVENT_NEW)
		w->news++;
	else
		w->gones++;
}

/* The finding of an event: its risk, and its reasons' codes in the audit's order (into
 * codes, room for 32). */
static void event_finding(struct out_event *e, enum svc_risk risk, unsigned bits,
			  const char **codes)
{
	struct audit_finding f = { .reasons = bits };

	e->risk = svc_risk_name(risk);
	e->nreasons = 0;
	for (unsigned bit = audit_next_reason(&f, 0); bit && e->nreasons < 32;
	     bit = audit_next_reason(&f, bit))
		codes[e->nreasons++] = audit_reason_code(bit);
	e->reasons = codes;
}

/* The audit's verdict on each row: the risk of the unapproved finding at --fail-on or above
 * it belongs to (SVC_RISK_NONE: not shown), and the finding. */
struct alert {
	enum svc_risk risk;
	const struct audit_finding *f;
};

/* Mark the rows of the audit's findings that alert. */
static void audit_alerts(const struct watch *w, const struct audit *a, struct alert *alerts)
{
	for (size_t k = 0; k < a->nfindings; k++) {
		const struct audit_finding *f = &a->findings[k];

		if (f->allowed_by || f->risk < (enum svc_risk)w->o->fail_on)
			continue;
		for (size_t i = f->first; i < f->first + f->count; i++)
			alerts[a->order[i]] = (struct alert){ f->risk, f };
	}
}

/* The event of one row: NEW (initial or not) or BRIEF, printed; its row kept for the gone
 * event. */
static int print_row(struct watch *w, const struct out_row *row, const struct alert *al,
		     enum out_event_kind kind, bool initial, int64_t now)
{
	const char *reasons[32];
	struct out_event e = { .kind = kind, .time_ms = now, .initial = initial };
	struct wset_entry *seen;
	char *text;
	size_t len;
	int r = format_row(w, row, &text, &len);

	if (r < 0)
		return r;
	e.row = text;
	e.row_len = len;
	if (al)
		event_finding(&e, al->risk, al->f->reasons, reasons);
	add_event(w, &e);
	if (kind == OUT_EVENT_BRIEF) {
		free(text);
		return 0;
	}
	/* Added unprinted when it was found; now with what its gone event repeats. */
	seen = wset_set_row(&w->seen, key_of(w->run, row->sk), text, len);
	if (seen && al) {
		seen->risk = (uint8_t)al->risk;
		seen->reasons = al->f->reasons;
	}
	return 0;
}

/*
 * The events of the sockets in run->socks, enriched from the run's look-ups: each NEW (or
 * BRIEF), and for the audit only those of unapproved findings at --fail-on or above. With
 * verdicts, the firewall's verdicts too (not for BRIEF ones: gone, nothing to reach).
 */
static int print_batch(struct watch *w, enum out_event_kind kind, bool initial, int64_t now)
{
	struct run *run = w->run;
	size_t n = run->socks.len;
	struct enrich_src src;
	struct reach_result *verdicts = NULL;
	struct enrich_names *names = NULL;
	struct out_row *rows = NULL;
	struct alert *alerts = NULL;
	struct audit a = { 0 };
	int r = run_enrich_source(run, &src);

	/* The rulesets were read again with the holders: the Reach column as they say. */
	w->oo.reach = run->fw_filters && kind != OUT_EVENT_BRIEF;
	if (r == 0 && run->fw_read && kind != OUT_EVENT_BRIEF)
		r = verdict_all(&src, run->socks.v, n, &verdicts);
	src.verdicts = verdicts;
	if (r == 0)
		r = enrich_all(&src, run->socks.v, n, &rows, &names);
	/* A socket gone before it was seen: who held it could not be looked at. */
	for (size_t i = 0; r == 0 && kind == OUT_EVENT_BRIEF && i < n; i++)
		rows[i].owners_unknown = true;
	if (r == 0 && w->audit) {
		alerts = calloc(n ? n : 1, sizeof(*alerts));
		r = alerts ? audit_build(&a, rows, n, run->owners.procs, &run->services,
					 &run->views[0].public)
			   : -ENOMEM;
		if (r == 0) {
			audit_allow_apply(w->allow, &a, run->owners.procs);
			audit_alerts(w, &a, alerts);
		}
	}
	if (r == 0 && kind != OUT_EVENT_BRIEF && !w->hidden_said)
		w->hidden_said = view_report_hidden(run);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (!alerts || alerts[i].risk != SVC_RISK_NONE)
			r = print_row(w, &rows[i], alerts ? &alerts[i] : NULL, kind, initial, now);
	audit_free(&a);
	free(alerts);
	free(rows);
	free(names);
	verdict_free(verdicts, n);
	free((void *)src.ns);
	if (r == -ENOMEM)
		fprintf(stderr, "listen: out of memory\n");
	return r;
}

/* A gone event for an entry that was printed. */
static void print_gone(struct watch *w, const struct wset_entry *g, int64_t now)
{
	struct out_event e = { .kind = OUT_EVENT_GONE, .time_ms = now, .initial = g->initial,
			       .lived_ms = now > g->since_ms ? (uint64_t)(now - g->since_ms) : 0,
			       .row = g->row, .row_len = g->row_len };
	const char *reasons[32];

	if (g->risk)
		event_finding(&e, (enum svc_risk)g->risk, g->reasons, reasons);
	if (g->row)
		add_event(w, &e);
}

static bool recently_gone(struct watch *w, struct wset_key key, int64_t now)
{
	size_t k = 0;
	bool hit = false;

	for (size_t i = 0; i < w->nrecent; i++) {
		if (now - w->recent[i].at_ms > WATCH_RECENT_MS)
			continue;
		hit |= w->recent[i].key.netns == key.netns && w->recent[i].key.cookie == key.cookie;
		w->recent[k++] = w->recent[i];
	}
	w->nrecent = k;
	return hit;
}

static int remember_gone(struct watch *w, struct wset_key key, int64_t now)
{
	if (!w->notify)
		return 0; /* only a late notification could mistake it */
	if (w->nrecent == w->caprecent) {
		size_t cap = w->caprecent ? w->caprecent * 2 : 64;
		struct watch_recent *v = realloc(w->recent, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		w->recent = v;
		w->caprecent = cap;
	}
	w->recent[w->nrecent++] = (struct watch_recent){ key, now };
	return 0;
}

/*
 * Whether a destroyed socket never seen is one the watch would have shown: bound to a port,
 * in a state the selection takes (unconnected: a listener or bound UDP socket, for -l), and
 * matching the filter. With --process or --user it never is: its holders are not known.
 */
static bool brief_selected(const struct watch *w, const struct lsock *sk)
{
	const struct plan *p = w->run->plan;
	uint32_t states = p->query.states;
	bool connected = sk->rport != 0;
	uint32_t unconnected = sk->protocol == IPPROTO_TCP ? 1u << LSOCK_LISTEN : 1u << LSOCK_CLOSE;

	if (!sk->lport || p->holders)
		return false;
	if (connected ? !(states & ~LSOCK_STATES_LISTENING) : !(states & unconnected))
		return false;
	return filter_match(&w->o->filter, sk);
}

/* The notifications waiting in every namespace: gone events for sockets seen, "+-" ones for
 * those selected but never seen. */
static int read_notifications(struct watch *w)
{
	struct run *run = w->run;
	int64_t now = clock_ms(CLOCK_REALTIME);
	struct lsock_vec *socks = &run->socks;
	size_t k = 0;
	int r = 0;

	if (!w->notify)
		return 0;
	socks->len = 0;
	for (size_t i = 0; i < w->nns; i++) {
		for (int j = 0; j < 2 && r == 0; j++) {
			size_t mark = socks->len;

			r = sockev_read(&w->ns[i].ev, j, socks);
			if (r == -ENOBUFS || r == -EBADMSG)
				r = 0; /* the poll finds those whose notification was lost */
			/* The namespace's view index, for enrichment; its inode in the key. */
			for (size_t x = mark; x < socks->len; x++) {
				socks->v[x].netns = 0;
				for (size_t v = 0; v < run->nviews; v++)
					if (run->views[v].ns.ino == w->ns[i].ino)
						socks->v[x].netns = (uint16_t)v;
			}
		}
	}
	if (r < 0) {
		run_report("cannot read socket notifications", r);
		return r;
	}
	for (size_t i = 0; i < socks->len; i++) {
		struct lsock *sk = &socks->v[i];
		struct wset_key key = key_of(run, sk);
		struct wset_entry g;

		if (wset_take(&w->seen, key, &g)) {
			print_gone(w, &g, now);
			free(g.row);
		} else if (!recently_gone(w, key, now) && brief_selected(w, sk)) {
			socks->v[k++] = *sk;
		}
	}
	socks->len = k;
	/* Gone: no holder, no verdict, and the kernel's queues were torn down already (a UDP
	 * socket's send queue reads as -1); the look-ups of the last batch name services. */
	for (size_t i = 0; i < k; i++) {
		socks->v[i].owner_count = 0;
		socks->v[i].rqueue = socks->v[i].wqueue = 0;
	}
	return k ? print_batch(w, OUT_EVENT_BRIEF, false, now) : 0;
}

/* Open the notifications of view v's namespace. */
struct join_arg {
	struct sockev *ev;
	const struct diag_query *q;
};

static int join_in_namespace(void *arg)
{
	struct join_arg *j = arg;

	return sockev_open(j->ev, j->q);
}

/* Join the notifications of every namespace that has none yet, and drop those of namespaces
 * gone. A namespace that cannot be joined is watched by the poll alone. */
static int join_namespaces(struct watch *w, bool first)
{
	struct run *run = w->run;
	struct watch_ns *ns = calloc(run->nviews ? run->nviews : 1, sizeof(*ns));
	size_t n = 0;
	int r = 0;

	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < run->nviews; i++) {
		struct ns_view *v = &run->views[i];
		struct watch_ns *have = NULL;

		for (size_t j = 0; j < w->nns && !have; j++)
			if (w->ns[j].ino == v->ns.ino && w->ns[j].ev.fd[0] != -2)
				have = &w->ns[j];
		if (have) {
			ns[n++] = *have;
			have->ev.fd[0] = -2; /* moved */
			continue;
		}
		struct join_arg j = { &ns[n].ev, &run->plan->query };

		r = netns_call(&v->ns, join_in_namespace, &j);
		if (r == 0) {
			ns[n++].ino = v->ns.ino;
		} else if (first && i == 0) {
			free(ns);
			return r;
		}
		r = 0;
	}
	for (size_t j = 0; j < w->nns; j++)
		if (w->ns[j].ev.fd[0] != -2)
			sockev_close(&w->ns[j].ev);
	free(w->ns);
	w->ns = ns;
	w->nns = n;
	return 0;
}

/* The notifications, or the poll for gone sockets too: said once. */
static void start_notifications(struct watch *w)
{
	int r = join_namespaces(w, true);
	char every[32];
	struct sbuf b = { 0 };

	interval_text(&b, w->run->plan->watch_ms);
	snprintf(every, sizeof(every), "%s", b.s ? b.s : "?");
	sbuf_free(&b);
	unsigned protocols = w->run->plan->query.protocols;
	/* The kernel notifies the end of TCP and UDP sockets only: unix, raw, packet, MPTCP,
	 * SCTP and vsock sockets are looked for. */
	static const struct {
		unsigned protocol;
		const char *name;
	} looked[] = { { DIAG_UNIX, "unix" }, { DIAG_RAW, "raw" }, { DIAG_PACKET, "packet" },
		       { DIAG_MPTCP, "MPTCP" }, { DIAG_SCTP, "SCTP" }, { DIAG_VSOCK, "vsock" } };
	char kinds[64] = "", too[160] = "";
	size_t nk = 0, len = 0;

	for (size_t i = 0; i < sizeof(looked) / sizeof(looked[0]); i++)
		nk += (protocols & looked[i].protocol) != 0;
	for (size_t i = 0, k = 0; i < sizeof(looked) / sizeof(looked[0]); i++) {
		if (!(protocols & looked[i].protocol))
			continue;
		k++;
		len += (size_t)snprintf(kinds + len, sizeof(kinds) - len, "%s%s",
					k == 1 ? "" : k == nk ? " and " : ", ", looked[i].name);
	}
	if (nk)
		snprintf(too, sizeof(too), "; %s sockets, which the kernel does not notify, by "
			 "looking too", kinds);
	w->notify = r == 0;
	if (!(protocols & (DIAG_TCP | DIAG_UDP)))
		fprintf(stderr, "listen: watching: %s sockets, gone and new, by looking every %s "
			"(the kernel sends no destroy notifications for them)\n", kinds, every);
	else if (w->notify)
		fprintf(stderr, "listen: watching: gone sockets from the kernel's destroy "
			"notifications, new ones by looking every %s%s\n", every, too);
	else
		fprintf(stderr, "listen: watching: the kernel's destroy notifications are not "
			"available (%s): gone and new sockets by looking every %s\n",
			strerror(-r), every);
}

/* --all-netns: namespaces that appeared get notifications, those gone end their sockets. */
static int follow_namespaces(struct watch *w, int64_t now)
{
	struct run *run = w->run;
	uint64_t *vanished = malloc((run->nviews ? run->nviews : 1) * sizeof(*vanished));
	size_t nvanished = 0;
	int r = vanished ? run_follow_namespaces(run, vanished, &nvanished) : -ENOMEM;

	for (size_t i = 0; r == 0 && i < nvanished; i++) {
		struct wset_entry *gone;
		size_t ngone;

		r = wset_take_netns(&w->seen, vanished[i], &gone, &ngone);
		for (size_t k = 0; r == 0 && k < ngone; k++)
			print_gone(w, &gone[k], now);
		if (r == 0)
			wset_entries_free(gone, ngone);
	}
	free(vanished);
	if (r == 0 && w->notify)
		r = join_namespaces(w, false);
	if (r == -ENOMEM)
		run_report(NULL, r);
	return r;
}

/*
 * The sockets the poll found new (run->socks, each in w->seen unprinted): their holders looked
 * up, then printed. One closed before its holders were looked for is no hidden holder: it is
 * printed as one that came and went ("+-"), and its destroy notification is expected.
 */
static int print_fresh(struct watch *w, int64_t now)
{
	struct run *run = w->run;
	struct lsock_vec *socks = &run->socks;
	size_t n, ngone;
	int r = run_look_up_again(w->o, run);

	/* The look-up kept those --process or --user select; of them, the gone go last. */
	n = socks->len;
	if (r == 0)
		r = run_split_gone(run);
	if (r < 0)
		return r; /* said */
	ngone = (size_t)r;
	socks->len = n - ngone;
	r = socks->len ? print_batch(w, OUT_EVENT_NEW, false, now) : 0;
	if (r < 0 || !ngone)
		return r;
	memmove(socks->v, socks->v + (n - ngone), ngone * sizeof(*socks->v));
	socks->len = ngone;
	for (size_t i = 0; i < ngone && r == 0; i++) {
		struct lsock *sk = &socks->v[i];
		struct wset_key key = key_of(run, sk);
		struct wset_entry g;

		if (wset_take(&w->seen, key, &g))
			free(g.row); /* unprinted: no row */
		r = remember_gone(w, key, now);
		sk->rqueue = sk->wqueue = 0;
	}
	if (r == -ENOMEM)
		run_report(NULL, r);
	return r == 0 ? print_batch(w, OUT_EVENT_BRIEF, false, now) : r;
}

/* One look: dump, compare, gone events for the missing, look up and print the new. */
static int poll_once(struct watch *w)
{
	struct run *run = w->run;
	struct lsock_vec *socks = &run->socks;
	int64_t now = clock_ms(CLOCK_REALTIME);
	struct wset_key *keys = NULL;
	uint64_t *dumped = NULL;
	size_t *fresh = NULL, nfresh = 0, ndumped = 0, ngone = 0;
	struct wset_entry *gone = NULL;
	int r = 0;

	if (run->plan->netns == PLAN_NETNS_ALL)
		r = follow_namespaces(w, now);
	/* The namespace lives on while listen holds it: watched still, and said so. */
	if (!w->unnamed_said && run_namespace_unnamed(run)) {
		fprintf(stderr, "listen: network namespace %s is no longer under %s (ip netns "
			"del?): watching on the one listen holds\n", run->views[0].ns.name,
			NETNS_RUN_DIR);
		w->unnamed_said = true;
	}
	socks->len = 0;
	if (r == 0)
		r = run_dump(w->o, run);
	if (r < 0)
		return r; /* said */
	keys = malloc((socks->len ? socks->len : 1) * sizeof(*keys));
	fresh = malloc((socks->len ? socks->len : 1) * sizeof(*fresh));
	dumped = malloc((run->nviews ? run->nviews : 1) * sizeof(*dumped));
	if (!keys || !fresh || !dumped) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < run->nviews; i++)
		if (run->views[i].dumped)
			dumped[ndumped++] = run->views[i].ns.ino;
	for (size_t i = 0; i < socks->len; i++)
		keys[i] = key_of(run, &socks->v[i]);
	r = wset_diff(&w->seen, keys, socks->len, fresh, &nfresh, &gone, &ngone, dumped, ndumped);
	for (size_t i = 0; r == 0 && i < ngone; i++) {
		print_gone(w, &gone[i], now);
		r = remember_gone(w, gone[i].key, now);
	}
	wset_entries_free(gone, ngone);
	/* The new ones: seen from now on (unprinted until their row is made), looked up. */
	for (size_t i = 0; r == 0 && i < nfresh; i++) {
		socks->v[i] = socks->v[fresh[i]];
		r = wset_add(&w->seen, keys[fresh[i]], now, false, NULL, 0);
	}
	socks->len = nfresh;
	if (r == -ENOMEM)
		run_report(NULL, r);
	if (r == 0 && nfresh)
		r = print_fresh(w, now);
out:
	if (r == -ENOMEM && (!keys || !fresh || !dumped))
		run_report(NULL, r);
	free(keys);
	free(fresh);
	free(dumped);
	return r;
}

/* SIGINT and SIGTERM as a descriptor to wait on; -errno on failure. */
static int signal_fd(sigset_t *old)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

/* Whether stdout is a pipe or socket: its reader going away is seen while nothing is
 * written (POLLERR, POLLHUP). */
static bool reader_can_go(void)
{
	struct stat st;

	return fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* Wait until the next look is due, reading notifications as they come. */
static int wait_until(struct watch *w, int sigfd, int64_t due)
{
	struct pollfd *fds = NULL;
	nfds_t n = 0;
	bool reader = reader_can_go();
	int64_t left;
	int r = 0;

	while (r == 0 && !w->stop && (left = due - clock_ms(CLOCK_MONOTONIC)) > 0) {
		struct pollfd *grown = realloc(fds, (2 + 2 * w->nns) * sizeof(*fds));

		if (!grown) {
			run_report(NULL, -ENOMEM);
			r = -ENOMEM;
			break;
		}
		fds = grown;
		n = 0;
		fds[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		if (reader)
			fds[n++] = (struct pollfd){ .fd = STDOUT_FILENO, .events = 0 };
		for (size_t i = 0; i < w->nns; i++)
			for (int j = 0; j < 2; j++)
				if (w->ns[i].ev.fd[j] >= 0)
					fds[n++] = (struct pollfd){ .fd = w->ns[i].ev.fd[j],
								    .events = POLLIN };
		int k = poll(fds, n, (int)left);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			run_report("cannot wait for socket notifications", r);
			break;
		}
		/* A signal (taken, so that unblocking it later does not deliver it), or the
		 * reader of the pipe gone: the end. */
		if (fds[0].revents) {
			struct signalfd_siginfo si;

			while (read(sigfd, &si, sizeof(si)) == sizeof(si))
				;
		}
		if (fds[0].revents || (reader && (fds[1].revents & (POLLERR | POLLHUP)))) {
			w->stop = true;
			break;
		}
		if (k > 0)
			r = read_notifications(w);
		if (r == 0 && k > 0)
			r = flush_out(w);
	}
	free(fds);
	return r;
}

/* "listen: watched 2m13s: 12 new, 10 gone (40 there at the start)" on a terminal, at the
 * end. */
static void summary(const struct watch *w, int64_t started)
{
	struct sbuf b = { 0 };

	if (!isatty(STDERR_FILENO))
		return;
	interval_text(&b, (uint64_t)(clock_ms(CLOCK_MONOTONIC) - started));
	fprintf(stderr, "listen: watched %s: %zu new, %zu gone (%zu there at the start)\n",
		b.s ? b.s : "?", w->news, w->gones, w->initial);
	sbuf_free(&b);
}

int watch_run(const struct listen_opts *o, struct run *run, const struct audit_allow *allow,
	      const struct out_opts *oo)
{
	enum plan_view view = run->plan->view;
	struct watch w = {
		.o = o, .run = run, .allow = allow, .oo = *oo,
		.json = view == PLAN_VIEW_WATCH_JSON || view == PLAN_VIEW_WATCH_AUDIT_JSON,
		.audit = view == PLAN_VIEW_WATCH_AUDIT || view == PLAN_VIEW_WATCH_AUDIT_JSON,
	};
	int64_t started = clock_ms(CLOCK_MONOTONIC), due = started;
	sigset_t old;
	int sigfd = signal_fd(&old), r = 0;

	if (sigfd < 0) {
		run_report("cannot wait for signals", sigfd);
		return sigfd;
	}
	w.oo.header = w.oo.summary = false;
	w.oo.width = 0;
	w.oo.lines = true;
	start_notifications(&w);
	/* What is there now: seen, and printed as there when the watch began. */
	for (size_t i = 0; r == 0 && i < run->socks.len; i++)
		r = wset_add(&w.seen, key_of(run, &run->socks.v[i]), clock_ms(CLOCK_REALTIME),
			     true, NULL, 0);
	if (r == 0)
		r = print_batch(&w, OUT_EVENT_NEW, true, clock_ms(CLOCK_REALTIME));
	else
		run_report(NULL, r);
	if (r == 0)
		r = flush_out(&w);
	while (r == 0 && !w.stop) {
		due += run->plan->watch_ms;
		r = wait_until(&w, sigfd, due);
		if (r == 0 && !w.stop) {
			/* Behind (a slow look, a suspended machine): the next is an interval on. */
			if (clock_ms(CLOCK_MONOTONIC) > due + run->plan->watch_ms)
				due = clock_ms(CLOCK_MONOTONIC);
			r = read_notifications(&w);
			if (r == 0)
				r = poll_once(&w);
			if (r == 0)
				r = flush_out(&w);
		}
	}
	if (r == 0)
		summary(&w, started);
	close(sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (size_t i = 0; i < w.nns; i++)
		sockev_close(&w.ns[i].ev);
	free(w.ns);
	free(w.recent);
	wset_free(&w.seen);
	sbuf_free(&w.out);
	return r;
}
