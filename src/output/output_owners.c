/*
 * The owner view of `listen :PORT`: the sockets on the port, and everything about each
 * process holding them that one needs to act: pid, user, fds, command line, executable,
 * parent, start time, unit or container. Sockets held by the same processes (an IPv4 and an
 * IPv6 listener of one daemon, SO_REUSEPORT workers) are shown together above them.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listen/array.h"
#include "listen/addr.h"
#include "listen/enrich.h"
#include "listen/escape.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/scope.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/unit.h"

/* The processes holding one row, sorted and distinct: the key rows are grouped by. */
struct holders {
	uint32_t *procs;
	size_t n;
	size_t row;
};

static int holders_cmp(const struct holders *a, const struct holders *b,
		       const struct out_row *rows)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = 0; i < a->n; i++)
		if (a->procs[i] != b->procs[i])
			return a->procs[i] < b->procs[i] ? -1 : 1;
	return (int)rows[a->row].owners_unknown - (int)rows[b->row].owners_unknown;
}

/* The local address and port as the table prints them: "0.0.0.0%lo:8080". */
static void local_text(struct sbuf *b, const struct out_row *r)
{
	out_local_addr_text(b, r);
	sbuf_printf(b, ":%u", r->sk->lport);
}

/* "peer 127.0.0.1:37988" for a connected socket (the client's end marks its service
 * "(peer)"); nothing for a listener. */
static void peer_text(struct sbuf *b, const struct out_row *r)
{
	const struct lsock *sk = r->sk;
	char addr[ADDR_STRLEN];

	if (!sk->rport)
		return;
	sbuf_printf(b, "peer %s:%u", addr_format(addr, sk->family, sk->raddr, false), sk->rport);
}

/* "2h 13m", "3d 4h", "42s". */
static void age_text(struct sbuf *b, uint64_t secs)
{
	if (secs >= 86400)
		sbuf_printf(b, "%llud %lluh", (unsigned long long)(secs / 86400),
			    (unsigned long long)(secs % 86400 / 3600));
	else if (secs >= 3600)
		sbuf_printf(b, "%lluh %llum", (unsigned long long)(secs / 3600),
			    (unsigned long long)(secs % 3600 / 60));
	else if (secs >= 60)
		sbuf_printf(b, "%llum %llus", (unsigned long long)(secs / 60),
			    (unsigned long long)(secs % 60));
	else
		sbuf_printf(b, "%llus", (unsigned long long)secs);
}

static void field(struct sbuf *b, const char *label, const char *value)
{
	sbuf_printf(b, "    %-9s ", label);
	if (value)
		esc_term(b, value, strlen(value));
	sbuf_putc(b, '\n');
}

/* The socket units a service manager holder activates, per socket of the group g[0..n),
 * each once. */
static void activated_line(struct sbuf *b, const struct out_row *rows, const struct holders *g,
			   size_t n, uint32_t pid, uint32_t proc)
{
	struct procfs_owner ow = { .pid = pid, .proc = proc };
	size_t line;

	sbuf_printf(b, "    %-9s ", "activated");
	line = b->len;
	for (size_t k = 0; k < n && !b->failed; k++) {
		struct out_row one = rows[g[k].row];
		size_t mark = b->len, at, len;

		one.owners = &ow;
		one.nowners = 1;
		if (mark > line)
			sbuf_puts(b, ", ");
		at = b->len;
		out_unit_text(b, &one);
		if (n > 1) /* which socket it is said of */
			sbuf_printf(b, " for %s/%u", lsock_proto_name(one.sk->protocol),
				    one.sk->lport);
		len = b->len - at;
		if (!b->failed && len && memmem(b->s + line, mark - line, b->s + at, len)) {
			b->len = mark; /* already said */
			b->s[mark] = '\0';
		}
	}
	sbuf_putc(b, '\n');
}

/* The pids shown of a group of identical holders before "+N more". */
#define OWNERS_MAX_PID_RUNS 8

/* Holders shown as one: the procs (indexes into the row's procs) of identical processes. */
struct same {
	const uint32_t *procs;
	size_t n;
};

/* The fds of the holders in m holding any socket of the group (the sockets g[0..n)), in order,
 * once each: "6,7". */
static void fds_text(struct sbuf *b, const struct out_row *rows, const struct holders *g,
		     size_t n, const struct same *m)
{
	const char *sep = "";

	for (int32_t last = -1;;) {
		int32_t next = INT32_MAX;

		for (size_t k = 0; k < n; k++) {
			const struct out_row *r = &rows[g[k].row];

			for (size_t j = 0; j < r->nowners; j++)
				for (size_t i = 0; i < m->n; i++)
					if (r->owners[j].proc == m->procs[i] &&
					    r->owners[j].fd > last && r->owners[j].fd < next)
						next = r->owners[j].fd;
		}
		if (next == INT32_MAX)
			break;
		sbuf_printf(b, "%s%d", sep, next);
		sep = ",";
		last = next;
	}
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted numbers as runs, "812-815,900,902", the first OWNERS_MAX_PID_RUNS of them, then
 * "+N more" for the numbers left out. */
void out_number_runs(struct sbuf *b, const uint32_t *v, size_t n)
{
	size_t runs = 0, i = 0;

	while (i < n) {
		size_t j = i;

		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (runs == OWNERS_MAX_PID_RUNS) {
			sbuf_printf(b, " +%zu more", n - i);
			return;
		}
		sbuf_printf(b, runs ? ",%u" : "%u", v[i]);
		if (j > i)
			sbuf_printf(b, "-%u", v[j]);
		runs++;
		i = j + 1;
	}
}

/* The pids of the holders in m, as runs. */
static int pids_text(struct sbuf *b, const struct out_row *r0, const struct same *m, bool ppid)
{
	uint32_t *v = malloc(m->n * sizeof(*v));
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < m->n; i++)
		v[n++] = ppid ? r0->procs[m->procs[i]].ppid : r0->procs[m->procs[i]].pid;
	qsort(v, n, sizeof(*v), u32_cmp);
	n = array_u32_set(v, n);
	out_number_runs(b, v, n);
	free(v);
	return 0;
}

/* "2026-11-22 09:14:03 UTC (2h 13m ago)". */
static void when_text(struct sbuf *b, uint64_t start, const struct out_owners_opts *o)
{
	time_t t = (time_t)start;
	struct tm tm;
	char when[64] = "";

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm);
	sbuf_puts(b, when);
	if (o->now >= start) {
		sbuf_puts(b, " (");
		age_text(b, o->now - start);
		sbuf_puts(b, " ago)");
	}
}

/* The executable, flagged when it is gone from disk: what runs is no longer what the path
 * holds (deleted, or replaced by an upgrade since the process started). */
static void exe_line(struct sbuf *b, const struct procfs_info *in)
{
	static const char gone[] = " (deleted)";
	size_t len;

	if (!in->exe) {
		field(b, "exe", "(not readable)");
		return;
	}
	len = strlen(in->exe);
	if (in->exe_deleted && len >= sizeof(gone) - 1)
		len -= sizeof(gone) - 1; /* the kernel's mark, said plainly below */
	sbuf_printf(b, "    %-9s ", "exe");
	esc_term(b, in->exe, len);
	if (in->exe_deleted)
		sbuf_puts(b, "  ! deleted or replaced on disk since it started");
	sbuf_putc(b, '\n');
}

/* The parent line: the parent's pid and name, or the parents' pids when the holders of m do
 * not share one. */
static int parent_line(struct sbuf *b, const struct out_row *r0, const struct same *m)
{
	const struct procfs_proc *p = &r0->procs[m->procs[0]];
	const struct procfs_info *in = r0->info ? &r0->info[m->procs[0]] : NULL;
	bool shared = true;

	for (size_t i = 1; i < m->n; i++)
		shared &= r0->procs[m->procs[i]].ppid == p->ppid;
	if (!shared) {
		sbuf_printf(b, "    %-9s ", "parents");
		if (pids_text(b, r0, m, true) < 0)
			return -ENOMEM;
		sbuf_putc(b, '\n');
		return 0;
	}
	if (!p->ppid)
		return 0;
	sbuf_printf(b, "    %-9s %u", "parent", p->ppid);
	if (in && in->parent) {
		sbuf_putc(b, ' ');
		esc_term(b, in->parent, strlen(in->parent));
	}
	sbuf_putc(b, '\n');
	return 0;
}

/* The started line: when the holders of m started, the first and the last when they differ. */
static void started_line(struct sbuf *b, const struct out_row *r0, const struct same *m,
			 const struct out_owners_opts *o)
{
	uint64_t first = 0, last = 0;

	for (size_t i = 0; r0->info && i < m->n; i++) {
		uint64_t t = r0->info[m->procs[i]].start;

		if (t && (!first || t < first))
			first = t;
		if (t > last)
			last = t;
	}
	if (!first)
		return;
	sbuf_printf(b, "    %-9s ", "started");
	when_text(b, first, o);
	if (last != first) {
		sbuf_puts(b, ", the last ");
		when_text(b, last, o);
	}
	sbuf_putc(b, '\n');
}

/* Holders m of a group (the sockets g[0..n), sharing their holders): a line with the pid (or
 * "4 × nginx ... pids 812-815" for identical ones), name, user and fds, then their details,
 * the same for each (same_holder), shown once. */
static int holder_text(struct sbuf *b, const struct out_row *rows, const struct holders *g,
		       size_t n, const struct same *m, const struct out_owners_opts *o)
{
	const struct out_row *r0 = &rows[g->row];
	uint32_t proc = m->procs[0];
	const struct procfs_proc *p = &r0->procs[proc];
	const struct procfs_info *in = r0->info ? &r0->info[proc] : NULL;
	const struct enrich_holder *h = r0->holders ? &r0->holders[proc] : NULL;

	if (m->n == 1)
		sbuf_printf(b, "  pid %u  ", p->pid);
	else
		sbuf_printf(b, "  %zu \xc3\x97 ", m->n); /* U+00D7, the multiplication sign */
	esc_term(b, p->name, strlen(p->name));
	sbuf_puts(b, "  user ");
	if (in && in->user)
		esc_term(b, in->user, strlen(in->user));
	else
		sbuf_printf(b, "%u", p->uid);
	if (m->n > 1) {
		sbuf_puts(b, "  pids ");
		if (pids_text(b, r0, m, false) < 0)
			return -ENOMEM;
	}
	sbuf_puts(b, "  fd ");
	fds_text(b, rows, g, n, m);
	sbuf_putc(b, '\n');
	if (!in)
		return 0;
	field(b, "command",
	      in->cmdline ? in->cmdline : "(none: a kernel thread or an exiting process)");
	exe_line(b, in);
	if (parent_line(b, r0, m) < 0)
		return -ENOMEM;
	started_line(b, r0, m, o);
	if (in->unit.kind != UNIT_NONE) {
		sbuf_printf(b, "    %-9s ", unit_label(&in->unit));
		out_unit_owner_text(b, &in->unit);
		sbuf_putc(b, '\n');
	}
	if (h && h->proxy) {
		sbuf_printf(b, "    %-9s ", "forwards");
		out_forward_text(b, h);
		sbuf_putc(b, '\n');
	}
	if (h && h->manager)
		activated_line(b, rows, g, n, p->pid, proc);
	return 0;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether two holders of a row are the same program run the same way, shown as one: name,
 * user, command line, executable, unit or container. A service manager or a docker-proxy is
 * shown alone: what it says is its own. */
static bool same_holder(const struct out_row *r0, uint32_t a, uint32_t b)
{
	const struct procfs_proc *x = &r0->procs[a], *y = &r0->procs[b];
	const struct procfs_info *i = r0->info ? &r0->info[a] : NULL;
	const struct procfs_info *j = r0->info ? &r0->info[b] : NULL;
	const struct enrich_holder *h = r0->holders ? &r0->holders[a] : NULL;
	const struct enrich_holder *k = r0->holders ? &r0->holders[b] : NULL;
	struct sbuf u = { 0 }, v = { 0 };
	bool same;

	if (x->uid != y->uid || strcmp(x->name, y->name) != 0 ||
	    (h && (h->manager || h->proxy)) || (k && (k->manager || k->proxy)))
		return false;
	if (!i || !j)
		return !i && !j;
	if (!same_text(i->cmdline, j->cmdline) || !same_text(i->exe, j->exe) ||
	    i->exe_deleted != j->exe_deleted || !same_text(i->user, j->user) ||
	    i->unit.kind != j->unit.kind)
		return false;
	out_unit_owner_text(&u, &i->unit);
	out_unit_owner_text(&v, &j->unit);
	same = !u.failed && !v.failed && same_text(u.s, v.s);
	sbuf_free(&u);
	sbuf_free(&v);
	return same;
}

static int by_pid(const void *a, const void *b, void *procs)
{
	const struct procfs_proc *p = procs;
	uint32_t x = p[*(const uint32_t *)a].pid, y = p[*(const uint32_t *)b].pid;

	return x < y ? -1 : x > y;
}

/* The holders of a group (the sockets g[0..n)) by pid, identical ones as one where the first
 * of them is. */
static int holders_text(struct sbuf *b, const struct out_row *rows, const struct holders *g,
			size_t n, const struct out_owners_opts *o)
{
	const struct out_row *r0 = &rows[g->row];
	uint32_t *order = malloc((g->n ? g->n : 1) * sizeof(*order));
	uint32_t *members = malloc((g->n ? g->n : 1) * sizeof(*members));
	bool *shown = calloc(g->n ? g->n : 1, sizeof(*shown));
	int r = order && members && shown ? 0 : -ENOMEM;

	if (r == 0) {
		memcpy(order, g->procs, g->n * sizeof(*order));
		qsort_r(order, g->n, sizeof(*order), by_pid, (void *)r0->procs);
	}
	for (size_t p = 0; p < g->n && r == 0; p++) {
		struct same m = { members, 0 };

		if (shown[p])
			continue;
		for (size_t q = p; q < g->n; q++) {
			if (!shown[q] && (q == p || same_holder(r0, order[p], order[q]))) {
				members[m.n++] = order[q];
				shown[q] = true;
			}
		}
		r = holder_text(b, rows, g, n, &m, o);
	}
	free(order);
	free(members);
	free(shown);
	return r;
}

struct widths {
	size_t state, local, peer, scope, service;
	bool failed; /* memory ran out measuring: the widths are not the text's */
};

/* Under a socket the firewall gave a verdict on: the verdict and the rule deciding it. */
static void verdict_line(struct sbuf *b, const struct out_row *r)
{
	const struct reach_result *v = r->verdict;

	if (!v || v->verdict == REACH_NONE)
		return;
	sbuf_puts(b, "  firewall  ");
	out_reach_text(b, v);
	if (v->has_rule && v->verdict != REACH_UNKNOWN) {
		sbuf_puts(b, v->verdict == REACH_FILTERED ? ", dropped by " : ", accepted by ");
		out_reach_rule_text(b, v);
	}
	sbuf_putc(b, '\n');
}

static void socket_line(struct sbuf *b, const struct out_row *r, const struct widths *w)
{
	struct sbuf local = { 0 }, peer = { 0 }, scope = { 0 }, service = { 0 };
	struct svc_ref ref = out_service_ref(r);

	local_text(&local, r);
	peer_text(&peer, r);
	scope_text(&scope, r->scope, r->scope_ifname, out_row_other_netns(r));
	out_service_text(&service, &ref);
	sbuf_printf(b, "%s  %-*s  %-*s", lsock_proto_name(r->sk->protocol), (int)w->state,
		    lsock_state_name(r->sk), (int)w->local, local.s ? local.s : "");
	if (w->peer)
		sbuf_printf(b, "  %-*s", (int)w->peer, peer.s ? peer.s : "");
	sbuf_printf(b, "  %-*s", (int)w->scope, scope.s ? scope.s : "");
	if (w->service)
		sbuf_printf(b, "  %-*s", (int)w->service, service.s ? service.s : "");
	if (r->warn) {
		sbuf_puts(b, "  ");
		out_warning_text(b, r);
	}
	/* No trailing blanks. */
	while (b->len && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
	sbuf_putc(b, '\n');
	if (local.failed || peer.failed || scope.failed || service.failed)
		b->failed = 1; /* a line without its address is not the line */
	sbuf_free(&local);
	sbuf_free(&peer);
	sbuf_free(&scope);
	sbuf_free(&service);
	verdict_line(b, r);
}

static struct widths measure(const struct out_row *rows, size_t n)
{
	struct widths w = { 0 };

	for (size_t i = 0; i < n; i++) {
		struct sbuf local = { 0 }, peer = { 0 }, scope = { 0 }, service = { 0 };
		struct svc_ref ref = out_service_ref(&rows[i]);
		size_t s = strlen(lsock_state_name(rows[i].sk));

		out_service_text(&service, &ref);
		local_text(&local, &rows[i]);
		peer_text(&peer, &rows[i]);
		w.peer = peer.len > w.peer ? peer.len : w.peer;
		w.failed |= peer.failed;
		sbuf_free(&peer);
		scope_text(&scope, rows[i].scope, rows[i].scope_ifname,
			   out_row_other_netns(&rows[i]));
		w.state = s > w.state ? s : w.state;
		w.local = local.len > w.local ? local.len : w.local;
		w.scope = scope.len > w.scope ? scope.len : w.scope;
		w.service = service.len > w.service ? service.len : w.service;
		w.failed |= local.failed || scope.failed || service.failed;
		sbuf_free(&local);
		sbuf_free(&scope);
		sbuf_free(&service);
	}
	return w;
}

static int by_holders(const void *a, const void *b, void *rows)
{
	const struct holders *x = a, *y = b;
	int c = holders_cmp(x, y, rows);

	return c ? c : (x->row < y->row ? -1 : 1);
}

/* A group: the sockets h[start..end) share their holders. */
struct group {
	size_t start, end;
};

static int by_first_row(const void *a, const void *b, void *h)
{
	const struct holders *v = h;
	size_t x = v[((const struct group *)a)->start].row;
	size_t y = v[((const struct group *)b)->start].row;

	return x < y ? -1 : x > y;
}

int out_owners(FILE *f, const struct out_row *rows, size_t n, const struct out_owners_opts *o)
{
	struct holders *h = calloc(n ? n : 1, sizeof(*h));
	struct group *groups = calloc(n ? n : 1, sizeof(*groups));
	size_t ngroups = 0;
	struct widths w = measure(rows, n);
	struct sbuf b = { 0 };
	int r = -ENOMEM;

	if (!h || !groups || w.failed)
		goto out;
	for (size_t i = 0; i < n; i++) {
		h[i].row = i;
		h[i].procs = malloc((rows[i].nowners ? rows[i].nowners : 1) * sizeof(uint32_t));
		if (!h[i].procs)
			goto out;
		for (size_t j = 0; j < rows[i].nowners; j++)
			h[i].procs[h[i].n++] = rows[i].owners[j].proc;
		h[i].n = array_u32_set(h[i].procs, h[i].n);
	}
	/* Rows with the same holders side by side, each group in row order; then the groups in
	 * the order of their first socket. */
	qsort_r(h, n, sizeof(*h), by_holders, (void *)rows);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || holders_cmp(&h[i - 1], &h[i], rows) != 0)
			groups[ngroups++].start = i;
		groups[ngroups - 1].end = i + 1;
	}
	qsort_r(groups, ngroups, sizeof(*groups), by_first_row, h);
	for (size_t gi = 0; gi < ngroups; gi++) {
		const struct holders *g = &h[groups[gi].start];
		size_t members = groups[gi].end - groups[gi].start;

		if (gi)
			sbuf_putc(&b, '\n');
		for (size_t k = 0; k < members; k++)
			socket_line(&b, &rows[g[k].row], &w);
		if (g->n == 0)
			sbuf_puts(&b, rows[g->row].owners_unknown && o->privileged ?
				  "  holder hidden: not readable even with listen's rights: "
				  "see the notice\n" :
				  rows[g->row].owners_unknown ?
				  "  holder hidden: run as root to see it\n" :
				  rows[g->row].sk->inode == 0 ?
				  "  no process holds it: not accepted yet, or closing\n" :
				  "  no process holds it: a socket of the kernel\n");
		if (holders_text(&b, rows, g, members, o) < 0)
			goto out;
	}
	r = sbuf_write(&b, f);
out:
	for (size_t i = 0; h && i < n; i++)
		free(h[i].procs);
	free(h);
	free(groups);
	sbuf_free(&b);
	return r;
}
