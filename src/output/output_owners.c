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

/* One holder of a group (the sockets g[0..n), sharing their holders): a line with pid, name,
 * user and fds, then its details. */
static void holder_text(struct sbuf *b, const struct out_row *rows, const struct holders *g,
			size_t n, uint32_t proc, const struct out_owners_opts *o)
{
	const struct out_row *r0 = &rows[g->row];
	const struct procfs_proc *p = &r0->procs[proc];
	const struct procfs_info *in = r0->info ? &r0->info[proc] : NULL;
	const struct enrich_holder *h = r0->holders ? &r0->holders[proc] : NULL;
	const char *sep = "";

	sbuf_printf(b, "  pid %u  ", p->pid);
	esc_term(b, p->name, strlen(p->name));
	sbuf_puts(b, "  user ");
	if (in && in->user)
		esc_term(b, in->user, strlen(in->user));
	else
		sbuf_printf(b, "%u", p->uid);
	sbuf_puts(b, "  fd ");
	/* Its fds holding any socket of the group, in order, once each. */
	for (int32_t last = -1;;) {
		int32_t next = INT32_MAX;

		for (size_t k = 0; k < n; k++) {
			const struct out_row *r = &rows[g[k].row];

			for (size_t j = 0; j < r->nowners; j++)
				if (r->owners[j].proc == proc && r->owners[j].fd > last &&
				    r->owners[j].fd < next)
					next = r->owners[j].fd;
		}
		if (next == INT32_MAX)
			break;
		sbuf_printf(b, "%s%d", sep, next);
		sep = ",";
		last = next;
	}
	sbuf_putc(b, '\n');
	if (!in)
		return;
	field(b, "command",
	      in->cmdline ? in->cmdline : "(none: a kernel thread or an exiting process)");
	field(b, "exe", in->exe ? in->exe : "(not readable)");
	if (p->ppid) {
		sbuf_printf(b, "    %-9s %u", "parent", p->ppid);
		if (in->parent) {
			sbuf_putc(b, ' ');
			esc_term(b, in->parent, strlen(in->parent));
		}
		sbuf_putc(b, '\n');
	}
	if (in->start) {
		time_t t = (time_t)in->start;
		struct tm tm;
		char when[64] = "";

		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm);
		sbuf_printf(b, "    %-9s %s", "started", when);
		if (o->now >= in->start) {
			sbuf_puts(b, " (");
			age_text(b, o->now - in->start);
			sbuf_puts(b, " ago)");
		}
		sbuf_putc(b, '\n');
	}
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
}

struct widths {
	size_t state, local, scope, service;
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
	struct sbuf local = { 0 }, scope = { 0 }, service = { 0 };
	struct svc_ref ref = out_service_ref(r);

	local_text(&local, r);
	scope_text(&scope, r->scope, r->scope_ifname, out_row_other_netns(r));
	out_service_text(&service, &ref);
	sbuf_printf(b, "%s  %-*s  %-*s  %-*s", lsock_proto_name(r->sk->protocol), (int)w->state,
		    lsock_state_name(r->sk), (int)w->local, local.s ? local.s : "", (int)w->scope,
		    scope.s ? scope.s : "");
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
	if (local.failed || scope.failed || service.failed)
		b->failed = 1; /* a line without its address is not the line */
	sbuf_free(&local);
	sbuf_free(&scope);
	sbuf_free(&service);
	verdict_line(b, r);
}

static struct widths measure(const struct out_row *rows, size_t n)
{
	struct widths w = { 0 };

	for (size_t i = 0; i < n; i++) {
		struct sbuf local = { 0 }, scope = { 0 }, service = { 0 };
		struct svc_ref ref = out_service_ref(&rows[i]);
		size_t s = strlen(lsock_state_name(rows[i].sk));

		out_service_text(&service, &ref);
		local_text(&local, &rows[i]);
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
			sbuf_puts(&b, rows[g->row].owners_unknown ?
				  "  holder hidden: run as root to see it\n" :
				  rows[g->row].sk->inode == 0 ?
				  "  no process holds it: not accepted yet, or closing\n" :
				  "  no process holds it: a socket of the kernel\n");
		for (size_t p = 0; p < g->n; p++)
			holder_text(&b, rows, g, members, g->procs[p], o);
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
