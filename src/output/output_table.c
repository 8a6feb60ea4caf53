/*
 * The ss-style table. Every row is formatted twice: once to measure its cells, once to print
 * them padded to the widest; nothing is kept per row, so memory stays flat at any size.
 *
 * Given a width (a terminal's, --width), the table fits it: the Process column goes last with
 * its holders written short, the Peer columns are left out when no row has a peer, and when
 * the line is still too wide the columns in shrink[] give up width in their order; a cell
 * wider than its column is cut with a mark. Without one (-W, a pipe), every cell is whole.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/escape.h"
#include "listen/output_info.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/width.h"
#include "output_table.h"

static const char *const titles[NCOLS] = {
	"Netns", "Netid", "State", "Recv-Q", "Send-Q", "Local Address", "Port", "Peer Address",
	"Port", "Service", "Scope", "Reach", "Process", "Unit", "Warning",
};

/* The order columns print in: ss's, then Process last when fitting a width. */
static const uint8_t full_order[NCOLS] = {
	C_NETNS, C_NETID, C_STATE, C_RECVQ, C_SENDQ, C_LADDR, C_LPORT, C_RADDR, C_RPORT,
	C_SERVICE, C_SCOPE, C_REACH, C_PROC, C_UNIT, C_WARN,
};
static const uint8_t fit_order[NCOLS] = {
	C_NETNS, C_NETID, C_STATE, C_RECVQ, C_SENDQ, C_LADDR, C_LPORT, C_RADDR, C_RPORT,
	C_SERVICE, C_SCOPE, C_REACH, C_WARN, C_UNIT, C_PROC,
};

/*
 * The columns that may be narrowed when a line is too wide (the rest are never cut): first
 * Process, down to its soft width or what keeps every row's first pid whole, whichever is
 * more, then Unit down to soft columns (text that fits there still says something); then
 * those of tier 1 together, the widest first, each down to what still says something. Then
 * whole columns are left out (hide[]); then tier 1 goes down to its titles' widths, the
 * addresses give up width (tier 2), and last the Process column (tier 3). The man page says
 * the same (doc/listen.1.scd, FITTING THE TERMINAL).
 */
static const struct {
	uint8_t col;
	uint8_t soft;
	uint8_t tier;
	uint8_t useful; /* tier 1: narrower, the column is left out first ("from 10.0.0…") */
} shrink[] = {
	{ C_PROC, 20, 3, 0 }, { C_UNIT, 16, 1, 16 }, { C_REACH, 0, 1, 10 },
	{ C_SERVICE, 0, 1, 10 }, { C_WARN, 0, 1, 12 }, { C_SCOPE, 0, 1, 8 },
	{ C_NETNS, 0, 1, 8 }, { C_LADDR, 0, 2, 0 }, { C_RADDR, 0, 2, 0 },
};

/* The columns left out, in this order, when narrowing them is not enough: the Unit first,
 * then the Service (the Warning names the service then, the Process column the program); the
 * warnings and the scope last, what the table is for. */
static const uint8_t hide[] = { C_UNIT, C_SERVICE, C_REACH, C_WARN, C_SCOPE };
#define NHIDE sizeof(hide)

#define NSHRINK (sizeof(shrink) / sizeof(shrink[0]))

static void *table_begin(FILE *f, const struct out_opts *o)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t) {
		t->f = f;
		t->o = *o;
		t->fit = o->width > 0;
		t->order = t->fit ? fit_order : full_order;
		for (int i = 0; i < NCOLS; i++)
			t->width[i] = o->header ? strlen(titles[i]) : 0;
		/* ss writes the queues six wide (as "%-6d") with or without its header, so that
		 * -H's lines keep the columns `cut -c` finds. */
		t->width[C_RECVQ] = t->width[C_SENDQ] = 6;
	}
	return t;
}

/* The columns r's Process cell needs, fitted, to keep its first holder's pid and fd whole:
 * "ngin…(812,fd 6) +3" as cut_first_holder writes it, or the holder written short when
 * that is narrower (or must stay whole, with -Z's contexts); 0 without holders. */
static size_t holder_min(struct table *t, const struct out_row *r)
{
	struct sbuf *d = &t->tmp;
	const struct procfs_owner *ow = &r->owners[0];
	size_t full, numbers;

	if (!t->o.processes || !r->nowners)
		return 0;
	d->len = 0;
	table_holders_short(d, r, 1);
	full = width_text(d->s, d->len);
	d->len = 0;
	sbuf_printf(d, "(%" PRIu32 ",fd %d)", ow->pid, ow->fd);
	if (r->nowners > 1)
		sbuf_printf(d, " +%zu", r->nowners - 1);
	/* four columns of the name and the mark, and its quotes */
	numbers = d->len + 5 + (table_name_quoted(r->procs[ow->proc].name) ? 2 : 0);
	return r->proc_ctx || full < numbers ? full : numbers;
}

/* First pass: widen the columns to r's cells, and count it for the summary. */
static int table_measure(void *state, const struct out_row *r)
{
	struct table *t = state;
	struct cell c[NCOLS];

	if (table_cells(t, r, c) < 0)
		return t->error = -ENOMEM;
	for (int i = 0; i < NCOLS; i++)
		if (c[i].width > t->width[i])
			t->width[i] = c[i].width;
	if (t->fit) {
		size_t min = holder_min(t, r);

		t->proc_min = min > t->proc_min ? min : t->proc_min;
	}
	t->warnings += c[C_WARN].len > 0;
	t->units += c[C_UNIT].len > 0;
	t->details += c[C_PROC].len > 0;
	t->reached += c[C_REACH].len > 0;
	bool tcp_udp = (r->sk->family == AF_INET || r->sk->family == AF_INET6) &&
		       (r->sk->protocol == IPPROTO_TCP || r->sk->protocol == IPPROTO_UDP);

	t->inet += tcp_udp;
	t->others += !tcp_udp;
	t->named += c[C_SERVICE].len > 0;
	t->scoped += c[C_SCOPE].len > 0;
	if (r->sk->family == AF_UNIX)
		t->peers += r->sk->un.peer != 0;
	else if (r->sk->family == AF_PACKET)
		; /* none */
	else if (r->sk->family == AF_VSOCK)
		t->peers += r->sk->vs.peer_port != LSOCK_VSOCK_ANY;
	else
		t->peers += r->sk->rport != 0 ||
			    memcmp(r->sk->raddr, (const unsigned char[16]){ 0 }, 16) != 0;
	/* The summary counts services on the network: unix, raw, packet and vsock sockets are
	 * not. */
	if (lsock_is_inet_transport(r->sk) && lsock_is_listener(r->sk)) {
		t->listeners++;
		t->exposed += r->exposed;
		t->dropped += r->exposed && r->verdict && r->verdict->verdict == REACH_FILTERED;
	}
	return 0;
}

static bool shown(const struct table *t, int col)
{
	if (col == C_NETNS)
		return t->o.netns;
	if (col == C_UNIT)
		return t->o.unit && t->units > 0;
	if (col == C_NETID)
		return t->o.netid;
	if (col == C_STATE)
		return t->o.state;
	if (col == C_SERVICE)
		return t->o.services && (t->inet || t->named || !t->others);
	if (col == C_SCOPE)
		return t->o.scope && (t->inet || t->scoped || !t->others);
	if (col == C_REACH)
		return t->o.reach && t->reached > 0;
	if (col == C_PROC) /* -m's details are a unix or packet socket's only */
		return t->o.processes || t->o.extended || t->o.more.timers || t->details > 0;
	if (col == C_WARN)
		return t->warnings > 0;
	if (col == C_RADDR || col == C_RPORT)
		return !t->fit || t->peers > 0; /* fitting, "*:*" on every row says nothing */
	return true;
}

/* SGR sequences for the colours of warnings, by risk. */
static const char *const risk_sgr[] = { "", "\033[36m", "\033[33m", "\033[1;31m" };
static const char sgr_reset[] = "\033[0m";
#define NSGR (sizeof(risk_sgr) / sizeof(risk_sgr[0]))

/* Lines are gathered and written in blocks of about this many bytes. */
#define OUT_BLOCK (64 * 1024)

/* Write the gathered lines; a failure is kept in t->error (EPIPE stays EPIPE: the caller
 * ends quietly). */
static void flush_out(struct table *t)
{
	if (!t->error && t->out.failed)
		t->error = -ENOMEM;
	if (!t->error && t->out.len && fwrite(t->out.s, 1, t->out.len, t->f) != t->out.len)
		t->error = errno ? -errno : -EIO;
	t->out.len = 0;
}

/* Add one line to the output; texts/lens/ws/colors are per column, seps[0] goes before the
 * local Port column, seps[1] before the peer's. Each text is padded to its column's width
 * (addresses on the left; a colour's escapes take no column), trailing spaces cut, all
 * written in place in room made once. */
static void emit(struct table *t, const char *const *texts, const size_t *lens, const size_t *ws,
		 const uint8_t *colors, const char *seps)
{
	struct sbuf *line = &t->out;
	size_t need = 1, gap[NCOLS], left;
	const char *sgr[NCOLS];
	char *p;

	for (size_t k = 0; k < t->ncols; k++) {
		int i = t->cols[k];

		sgr[i] = t->o.color && colors[i] && colors[i] < NSGR ? risk_sgr[colors[i]] : NULL;
		gap[i] = t->width[i] > ws[i] ? t->width[i] - ws[i] : 0;
		need += 1 + lens[i] + gap[i] + (sgr[i] ? strlen(sgr[i]) + sizeof(sgr_reset) : 0);
	}
	if (sbuf_grow(line, need) < 0)
		return;
	p = line->s + line->len;
	for (size_t k = 0; k < t->ncols; k++) {
		int i = t->cols[k];
		bool port = i == C_LPORT || i == C_RPORT;

		if (port || k > 0)
			*p++ = port ? seps[i == C_RPORT] : ' ';
		left = !sgr[i] && (i == C_LADDR || i == C_RADDR) ? gap[i] : 0;
		memset(p, ' ', left);
		p += left;
		if (sgr[i])
			p = mempcpy(p, sgr[i], strlen(sgr[i]));
		p = mempcpy(p, texts[i], lens[i]);
		if (sgr[i])
			p = mempcpy(p, sgr_reset, sizeof(sgr_reset) - 1);
		memset(p, ' ', gap[i] - left);
		p += gap[i] - left;
	}
	while (p > line->s && p[-1] == ' ')
		p--;
	*p++ = '\n';
	*p = '\0';
	line->len = (size_t)(p - line->s);
	if (line->len >= OUT_BLOCK)
		flush_out(t);
}

/* The width of a line with the columns shown at the widths given. */
static size_t line_width(const struct table *t, const size_t *width)
{
	size_t total = 0, n = 0;

	for (int i = 0; i < NCOLS; i++) {
		if (t->show[i]) {
			total += width[i];
			n++;
		}
	}
	return n ? total + n - 1 : 0; /* one space or ':' between two columns */
}

/* How narrow shrink[k]'s column may go: its title's width, or with useful what still says
 * something. */
static size_t floor_of(size_t k, bool useful)
{
	size_t title = strlen(titles[shrink[k].col]);

	return useful && shrink[k].useful > title ? shrink[k].useful : title;
}

/* The width of a line if the columns of a tier in shrink[] were at most cap wide (not below
 * their floors), with the others at width. */
static size_t capped_width(const struct table *t, int tier, bool useful, size_t cap)
{
	size_t w[NCOLS];

	memcpy(w, t->width, sizeof(w));
	for (size_t k = 0; k < NSHRINK; k++) {
		size_t i = shrink[k].col, min = floor_of(k, useful);

		if (shrink[k].tier == tier && w[i] > cap)
			w[i] = cap > min ? cap : min < w[i] ? min : w[i];
	}
	return line_width(t, w);
}

/* Narrow the columns of a tier, the widest first, until a line fits o.width or each is at its
 * floor: the largest cap that fits (by bisection), then the columns above it take what is
 * left, a column each, in shrink[]'s order. */
static void fit_tier(struct table *t, int tier, bool useful)
{
	size_t lo = 0, hi = 0, left;

	for (size_t k = 0; k < NSHRINK; k++) {
		size_t i = shrink[k].col;

		if (shrink[k].tier == tier && t->show[i] && t->width[i] > hi)
			hi = t->width[i];
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (capped_width(t, tier, useful, mid) <= t->o.width)
			lo = mid;
		else
			hi = mid - 1;
	}
	left = capped_width(t, tier, useful, lo);
	left = t->o.width > left ? t->o.width - left : 0;
	for (size_t k = 0; k < NSHRINK; k++) {
		size_t i = shrink[k].col, min = floor_of(k, useful);

		if (shrink[k].tier != tier || !t->show[i] || t->width[i] <= lo)
			continue;
		if (left && lo + 1 < t->width[i] && lo + 1 > min) {
			t->width[i] = lo + 1;
			left--;
		} else {
			t->width[i] = lo > min ? lo : min < t->width[i] ? min : t->width[i];
		}
	}
}

/* Narrow the columns of the soft steps and of tier 1 until a line fits o.width, or each is at
 * its floor. */
static void narrow(struct table *t)
{
	size_t total = line_width(t, t->width);

	for (size_t k = 0; k < NSHRINK && total > t->o.width; k++) {
		size_t i = shrink[k].col, min = shrink[k].soft;

		if (i == C_PROC && t->proc_min > min)
			min = t->proc_min; /* no row's first pid is cut */
		if (!min || !t->show[i] || t->width[i] <= min)
			continue;
		size_t d = t->width[i] - min < total - t->o.width ? t->width[i] - min :
								  total - t->o.width;

		t->width[i] -= d;
		total -= d;
	}
	if (total > t->o.width)
		fit_tier(t, 1, true);
}

/*
 * Fit the line to o.width: narrow the columns; if that is not enough, leave out whole columns
 * in hide[]'s order, each time narrowing again from the cells' own widths; then narrow tier 1
 * to its titles, cut the addresses, and last the Process column below what keeps the pids
 * whole.
 */
static void fit(struct table *t)
{
	size_t natural[NCOLS], h = 0;

	memcpy(natural, t->width, sizeof(natural));
	for (;;) {
		narrow(t);
		if (line_width(t, t->width) <= t->o.width)
			return;
		if (!t->o.header) /* nothing could say which columns a line lacks */
			break;
		while (h < NHIDE && !t->show[hide[h]])
			h++;
		if (h == NHIDE)
			break;
		t->show[hide[h]] = false;
		t->left_out |= 1u << hide[h];
		memcpy(t->width, natural, sizeof(natural));
	}
	for (int tier = 1; tier <= 3 && line_width(t, t->width) > t->o.width; tier++)
		fit_tier(t, tier, false);
}

/* After the last measure and before the first line: final widths, then the header. */
static void start(struct table *t)
{
	const char *texts[NCOLS];
	size_t lens[NCOLS];
	uint8_t colors[NCOLS] = { 0 };

	t->started = true;
	for (int i = 0; i < NCOLS; i++)
		t->show[i] = shown(t, i);
	if (t->fit)
		fit(t);
	for (int k = 0; k < NCOLS; k++)
		if (t->show[t->order[k]])
			t->cols[t->ncols++] = t->order[k];
	if (t->o.header) {
		for (int i = 0; i < NCOLS; i++) {
			texts[i] = titles[i];
			lens[i] = strlen(titles[i]);
		}
		emit(t, texts, lens, lens, colors, "::");
	}
}

/* The mark of text cut to fit. */
static const char *mark(const struct table *t)
{
	return t->o.utf8 ? "\u2026" : "~";
}

/* s cut to cols columns (more than 1) into b, the mark at its end. */
static void cut_end(const struct table *t, struct sbuf *b, const char *s, size_t len,
		    size_t cols)
{
	width_cut_end(b, s, len, cols, mark(t));
}

/* The first holder of r with its name cut so that it and " +N" take cols columns, into b:
 * "ngin…(812,fd 6) +3", a quoted name still between its quotes. False when less than four
 * columns of the name would be left (the name says more than the numbers then), and with
 * -Z's contexts, which this would leave out unmarked. */
static bool cut_first_holder(struct table *t, struct sbuf *b, const struct out_row *r,
			     size_t cols)
{
	struct sbuf *d = &t->tmp;
	const struct procfs_owner *ow = &r->owners[0];
	const char *name = r->procs[ow->proc].name;
	size_t quotes = table_name_quoted(name) ? 2 : 0, len, rest;

	if (r->proc_ctx)
		return false;
	d->len = 0;
	esc_term(d, name, strlen(name));
	len = d->len;
	sbuf_printf(d, "(%" PRIu32 ",fd %d)", ow->pid, ow->fd);
	if (r->nowners > 1)
		sbuf_printf(d, " +%zu", r->nowners - 1);
	rest = width_text(d->s + len, d->len - len) + quotes;
	if (d->failed || rest + 5 > cols)
		return false;
	if (quotes)
		sbuf_putc(b, '"');
	cut_end(t, b, d->s, len, cols - rest);
	if (quotes)
		sbuf_putc(b, '"');
	sbuf_add(b, d->s + len, d->len - len);
	return true;
}

/*
 * The Process cell of r cut to cols columns into b: as many holders written short as fit
 * with " +N" for the rest, and -e's details whole after them; else the first holder with its
 * name cut and " +N" (no details), else the first holder, " +N" and the details cut at the
 * end. Each cut is marked.
 */
static void cut_process(struct table *t, struct sbuf *b, const struct out_row *r, size_t cols)
{
	struct sbuf *d = &t->tmp;
	size_t n = t->o.processes ? r->nowners : 0, best = 0, dw, used = 0;

	d->len = 0;
	if (table_has_details(t))
		table_details(t, d, 0, r);
	dw = d->len ? width_text(d->s, d->len) + (n > 0) : 0;
	/* Holders are short text: measure each once, stop as soon as they pass cols. */
	for (size_t k = 1; k < n; k++) {
		size_t at = d->len, more = n - k, digits = 1;

		table_holder_short(d, r, k - 1);
		used += width_text(d->s + at, d->len - at) + (k > 1);
		d->len = at;
		while (more >= 10) {
			more /= 10;
			digits++;
		}
		if (used > cols)
			break;
		if (used + 2 + digits + dw <= cols)
			best = k;
	}
	if (best) {
		table_holders_short(b, r, best);
		if (d->len) {
			sbuf_putc(b, ' ');
			sbuf_add(b, d->s, d->len);
		}
		return;
	}
	if (n && !d->len && cut_first_holder(t, b, r, cols))
		return;
	d->len = 0;
	table_holders_short(d, r, n ? 1 : 0);
	if (table_has_details(t)) /* after a space, if there are holders and details */
		table_details(t, d, 0, r);
	if (width_text(d->s, d->len) <= cols)
		sbuf_add(b, d->s, d->len);
	else
		cut_end(t, b, d->s, d->len, cols);
}

/* Cut the cells of r wider than their columns (into t->cut; texts, lens, ws then point
 * there). */
static void cut_cells(struct table *t, const struct out_row *r, const char **texts,
		      size_t *lens, size_t *ws)
{
	size_t off[NCOLS];
	bool cut[NCOLS] = { false };

	t->cut.len = 0;
	for (int i = 0; i < NCOLS; i++) {
		size_t cols = t->width[i];

		if (!t->show[i] || ws[i] <= cols)
			continue;
		cut[i] = true;
		off[i] = t->cut.len;
		if (i == C_PROC)
			cut_process(t, &t->cut, r, cols);
		else if (i == C_LADDR || i == C_RADDR)
			width_cut_middle(&t->cut, texts[i], lens[i], cols, mark(t));
		else
			cut_end(t, &t->cut, texts[i], lens[i], cols);
		lens[i] = t->cut.len - off[i];
	}
	for (int i = 0; i < NCOLS; i++) {
		if (cut[i]) {
			texts[i] = t->cut.s + off[i];
			ws[i] = width_text(texts[i], lens[i]);
		}
	}
}

/* Second pass: print r, padded to the widths the first pass found. */
static int table_row(void *state, const struct out_row *r)
{
	struct table *t = state;
	const char *texts[NCOLS];
	size_t lens[NCOLS], ws[NCOLS];
	uint8_t colors[NCOLS];
	struct cell c[NCOLS];

	if (!t->started)
		start(t);
	if (t->error)
		return t->error;
	if (table_cells(t, r, c) < 0)
		return t->error = -ENOMEM; /* the lines held are not written either */
	for (int i = 0; i < NCOLS; i++) {
		texts[i] = t->row.s + c[i].off;
		lens[i] = c[i].len;
		ws[i] = c[i].width;
		colors[i] = c[i].color;
	}
	if (t->fit)
		cut_cells(t, r, texts, lens, ws);
	if (t->cut.failed || t->tmp.failed)
		return t->error = -ENOMEM;
	/* ss writes a unix socket's name and inode apart: "/run/x.sock 1234", "* 0". */
	/* ss writes a packet socket's protocol and device as "ip:eth0", its peer "*". */
	emit(t, texts, lens, ws, colors,
	     r->sk->family == AF_UNIX ? "  " : r->sk->family == AF_PACKET ? ": " : "::");
	/* -m and -i: ss's second line, under the row after a tab, never cut. */
	if (out_info_line(r->sk, &t->o.more)) {
		sbuf_putc(&t->out, '\t');
		out_info_text(&t->out, r->sk, r->ext, &t->o.more);
		sbuf_putc(&t->out, '\n');
	}
	return t->error;
}

static int table_end(void *state)
{
	struct table *t = state;
	int r;

	if (!t->started)
		start(t);
	if (t->o.summary && t->listeners) {
		sbuf_printf(&t->out, "%zu listener%s: %zu bound beyond loopback", t->listeners,
			    t->listeners == 1 ? "" : "s", t->exposed);
		if (t->dropped)
			sbuf_printf(&t->out, " (%zu of them dropped by the firewall)", t->dropped);
		if (t->o.services)
			sbuf_printf(&t->out, ", %zu with warnings", t->warnings);
		sbuf_putc(&t->out, '\n');
	}
	if (t->left_out) { /* said, so that no column passes for empty */
		const char *sep = "";

		sbuf_puts(&t->out, "left out to fit ");
		sbuf_putu(&t->out, t->o.width);
		sbuf_puts(&t->out, " columns: ");
		for (int i = 0; i < NCOLS; i++) {
			if (t->left_out & 1u << i) {
				sbuf_printf(&t->out, "%s%s", sep, titles[i]);
				sep = ", ";
			}
		}
		sbuf_puts(&t->out, " (-W prints every column)\n");
	}
	flush_out(t);
	r = t->error;
	sbuf_free(&t->row);
	sbuf_free(&t->out);
	sbuf_free(&t->cut);
	sbuf_free(&t->tmp);
	free(t);
	return r;
}

const struct out_backend out_table = {
	.name = "table",
	.begin = table_begin,
	.measure = table_measure,
	.row = table_row,
	.end = table_end,
};
