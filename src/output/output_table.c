/*
 * The ss-style table. Every row is formatted twice: once to measure its cells, once to print
 * them padded to the widest; nothing is kept per row, so memory stays flat at any size.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/escape.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/services.h"
#include "listen/sock.h"

enum col {
	C_NETNS, C_NETID, C_STATE, C_RECVQ, C_SENDQ, C_LADDR, C_LPORT, C_RADDR, C_RPORT,
	C_SERVICE, C_SCOPE, C_REACH, C_PROC, C_UNIT, C_WARN, NCOLS
};

static const char *const titles[NCOLS] = {
	"Netns", "Netid", "State", "Recv-Q", "Send-Q", "Local Address", "Port", "Peer Address",
	"Port", "Service", "Scope", "Reach", "Process", "Unit", "Warning",
};

/* A cell of the row being formatted: a slice of the row's text, with its display width and
 * colour (enum svc_risk of a warning, 0 for plain text). */
struct cell {
	uint32_t off;
	uint32_t len;
	uint32_t width;
	uint8_t color;
};

struct table {
	FILE *f;
	struct out_opts o;
	struct sbuf row;            /* the cells of the row being formatted, back to back */
	struct sbuf out;            /* lines waiting to be written */
	size_t width[NCOLS];        /* the widest cell of each column, then the widths to print */
	bool started;               /* the header (if any) is out: widths are final */
	bool show[NCOLS];           /* which columns print, fixed when started */
	size_t listeners, exposed, warnings; /* for the summary line */
	size_t units;               /* rows with a Unit: the column shows only if some have */
	size_t reached;             /* rows with a Reach verdict: likewise */
	int error;
};

static void *table_begin(FILE *f, const struct out_opts *o)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t) {
		t->f = f;
		t->o = *o;
		for (int i = 0; i < NCOLS; i++)
			t->width[i] = o->header ? strlen(titles[i]) : 0;
	}
	return t;
}

/* Display width of text: UTF-8 code points, since the text is escaped and valid. Eight bytes
 * at a time while they are ASCII, which table text nearly always is. */
static uint32_t text_width(const char *s, size_t len)
{
	uint32_t w = 0;
	size_t i = 0;

	for (uint64_t word; i + 8 <= len; i += 8) {
		memcpy(&word, s + i, 8);
		if (word & 0x8080808080808080u)
			break;
		w += 8;
	}
	for (; i < len; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

void out_local_addr_text(struct sbuf *b, const struct out_row *r)
{
	const struct lsock *sk = r->sk;
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;
	char addr[ADDR_STRLEN];

	sbuf_puts(b, addr_format(addr, sk->family, sk->laddr, v6only));
	if (r->ifname) {
		sbuf_putc(b, '%');
		esc_term(b, r->ifname, strlen(r->ifname));
	}
}

static void port_text(struct sbuf *b, uint16_t port, const char *service)
{
	if (port == 0)
		sbuf_putc(b, '*');
	else if (service)
		esc_term(b, service, strlen(service));
	else
		sbuf_putu(b, port);
}

static void users_text(struct sbuf *b, const struct out_row *r)
{
	sbuf_puts(b, "users:(");
	for (size_t i = 0; i < r->nowners; i++) {
		const struct procfs_owner *ow = &r->owners[i];
		const char *name = r->procs[ow->proc].name;

		sbuf_puts(b, i ? ",(\"" : "(\"");
		esc_term(b, name, strlen(name));
		sbuf_puts(b, "\",pid=");
		sbuf_putu(b, ow->pid);
		sbuf_puts(b, ",fd=");
		sbuf_putu(b, (uint32_t)ow->fd);
		sbuf_putc(b, ')');
	}
	sbuf_putc(b, ')');
}

/* A space before the next item of a cell, unless it is the first. */
static void sep(struct sbuf *b, size_t start)
{
	if (b->len > start)
		sbuf_putc(b, ' ');
}

/* A timer's time left as ss writes it: "59sec", "119min", "1.500sec", "200ms", "2min3sec";
 * below ten seconds with milliseconds, below ten minutes with seconds, nothing for 0. */
static void ms_text(struct sbuf *b, uint32_t ms)
{
	uint32_t secs = ms / 1000 % 60, minutes = ms / 60000, msecs = ms % 1000;

	if (minutes) {
		msecs = 0;
		sbuf_printf(b, "%" PRIu32 "min", minutes);
		if (minutes > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		sbuf_printf(b, "%" PRIu32 "%s", secs, msecs ? "." : "sec");
	}
	if (msecs)
		sbuf_printf(b, "%03" PRIu32 "%s", msecs, secs ? "sec" : "ms");
}

/* ss -e's details, in ss's order, appended to the cell that began at start: the pending
 * timer (ss's -o, which -e implies), then the socket's identity. */
static void details_text(struct sbuf *b, size_t start, const struct out_row *r)
{
	const struct lsock *sk = r->sk;

	if (sk->timer) {
		sep(b, start);
		sbuf_printf(b, "timer:(%s,", lsock_timer_name(sk->timer));
		ms_text(b, sk->expires);
		sbuf_printf(b, ",%u)", sk->retrans);
	}
	if (sk->uid) {
		sep(b, start);
		sbuf_printf(b, "uid:%" PRIu32, sk->uid);
	}
	sep(b, start);
	sbuf_printf(b, "ino:%" PRIu32, sk->inode);
	if (!(sk->flags & LSOCK_PROCNET))
		sbuf_printf(b, " sk:%" PRIx64, sk->cookie);
	if ((sk->flags & LSOCK_HAS_MARK) && sk->mark)
		sbuf_printf(b, " fwmark:0x%" PRIx32, sk->mark);
	if ((sk->flags & LSOCK_HAS_CGROUP) && sk->cgroup_id) {
		sbuf_puts(b, " cgroup:");
		if (r->cgroup)
			esc_term(b, r->cgroup, strlen(r->cgroup));
		else
			sbuf_printf(b, "unreachable:%" PRIx64, sk->cgroup_id);
	}
	if (sk->family == AF_INET6 && (sk->flags & LSOCK_HAS_V6ONLY))
		sbuf_printf(b, " v6only:%u", sk->v6only);
	if (sk->flags & LSOCK_HAS_SHUTDOWN)
		sbuf_printf(b, " %c-%c", sk->shutdown & 1 ? '-' : '<',
			    sk->shutdown & 2 ? '-' : '>');
}

/* Format r's cells into t->row (emptied first) and their slices into c. Returns 0 or -ENOMEM. */
static int format_row(struct table *t, const struct out_row *r, struct cell *c)
{
	const struct lsock *sk = r->sk;
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;
	char addr[ADDR_STRLEN];
	struct sbuf *b = &t->row;
	size_t start;

	b->len = 0;
	for (int i = 0; i < NCOLS; i++) {
		start = b->len;
		switch (i) {
		case C_NETNS:
			if (t->o.netns && r->netns)
				esc_term(b, r->netns, strlen(r->netns));
			break;
		case C_NETID:
			if (t->o.netid)
				sbuf_puts(b, lsock_proto_name(sk->protocol));
			break;
		case C_STATE:
			if (t->o.state)
				sbuf_puts(b, lsock_state_name(sk));
			break;
		case C_RECVQ:
			sbuf_putu(b, sk->rqueue);
			break;
		case C_SENDQ:
			sbuf_putu(b, sk->wqueue);
			break;
		case C_LADDR:
			out_local_addr_text(b, r);
			break;
		case C_LPORT:
			port_text(b, sk->lport, r->lservice);
			break;
		case C_RADDR:
			sbuf_puts(b, addr_format(addr, sk->family, sk->raddr, v6only));
			break;
		case C_RPORT:
			port_text(b, sk->rport, r->rservice);
			break;
		case C_SERVICE: {
			struct svc_ref ref = out_service_ref(r);

			out_service_text(b, &ref);
			break;
		}
		case C_SCOPE:
			if (t->o.scope)
				scope_text(b, r->scope, r->scope_ifname,
					   out_row_other_netns(r));
			break;
		case C_REACH:
			if (t->o.reach)
				out_reach_text(b, r->verdict);
			break;
		case C_PROC:
			if (t->o.processes && r->nowners)
				users_text(b, r);
			if (t->o.extended)
				details_text(b, start, r);
			break;
		case C_UNIT:
			if (t->o.unit)
				out_unit_text(b, r);
			break;
		case C_WARN:
			if (t->o.services)
				out_warning_text(b, r);
			break;
		}
		if (b->failed || b->len > UINT32_MAX)
			return -ENOMEM;
		c[i] = (struct cell){ .off = (uint32_t)start, .len = (uint32_t)(b->len - start),
				      .width = text_width(b->s + start, b->len - start) };
	}
	c[C_WARN].color = !c[C_WARN].len ? 0 : r->claimed ? SVC_RISK_HIGH : r->svc->risk;
	return 0;
}

/* First pass: widen the columns to r's cells, and count it for the summary. */
static int table_measure(void *state, const struct out_row *r)
{
	struct table *t = state;
	struct cell c[NCOLS];

	if (format_row(t, r, c) < 0)
		return t->error = -ENOMEM;
	for (int i = 0; i < NCOLS; i++)
		if (c[i].width > t->width[i])
			t->width[i] = c[i].width;
	t->warnings += c[C_WARN].len > 0;
	t->units += c[C_UNIT].len > 0;
	t->reached += c[C_REACH].len > 0;
	if (lsock_is_listener(r->sk)) {
		t->listeners++;
		t->exposed += r->exposed;
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
		return t->o.services;
	if (col == C_SCOPE)
		return t->o.scope;
	if (col == C_REACH)
		return t->o.reach && t->reached > 0;
	if (col == C_PROC)
		return t->o.processes || t->o.extended;
	if (col == C_WARN)
		return t->warnings > 0;
	return true;
}

/* Append text padded to width; right-aligned when right is set. */
static void pad(struct sbuf *line, const char *s, size_t len, size_t w, size_t width, bool right)
{
	static const char spaces[] = "                                ";
	size_t gap = width > w ? width - w : 0;

	if (!right)
		sbuf_add(line, s, len);
	while (gap) {
		size_t n = gap < sizeof(spaces) - 1 ? gap : sizeof(spaces) - 1;

		sbuf_add(line, spaces, n);
		gap -= n;
	}
	if (right)
		sbuf_add(line, s, len);
}

/* SGR sequences for the colours of warnings, by risk. */
static const char *const risk_sgr[] = { "", "\033[36m", "\033[33m", "\033[1;31m" };

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

/* Add one line to the output; texts/lens/ws/colors are per column. Trailing spaces are never
 * printed. */
static void emit(struct table *t, const char *const *texts, const size_t *lens, const size_t *ws,
		 const uint8_t *colors)
{
	struct sbuf *line = &t->out;
	bool first = true;

	for (int i = 0; i < NCOLS; i++) {
		if (!t->show[i])
			continue;
		if (i == C_LPORT || i == C_RPORT) {
			sbuf_putc(line, ':');
		} else if (!first) {
			sbuf_putc(line, ' ');
		}
		first = false;
		bool right = i == C_LADDR || i == C_RADDR;

		if (t->o.color && colors[i] && colors[i] < sizeof(risk_sgr) / sizeof(risk_sgr[0])) {
			/* Colour is only for the last column: padding never comes after a reset. */
			sbuf_puts(line, risk_sgr[colors[i]]);
			sbuf_add(line, texts[i], lens[i]);
			sbuf_puts(line, "\033[0m");
			continue;
		}
		pad(line, texts[i], lens[i], ws[i], t->width[i], right);
	}
	while (line->len && line->s[line->len - 1] == ' ')
		line->len--;
	sbuf_putc(line, '\n');
	if (line->len >= OUT_BLOCK)
		flush_out(t);
}

/* Shrink the address columns toward their titles until the fixed columns fit the terminal. */
static void fit(const struct table *t, size_t *width)
{
	size_t total = 0;

	for (int i = 0; i < C_PROC; i++)
		if (shown(t, i))
			total += width[i] + 1;
	for (int i = C_LADDR; total > t->o.width && i <= C_RADDR; i += 2) {
		size_t min = strlen(titles[i]), cut = total - t->o.width;

		if (width[i] > min) {
			size_t d = width[i] - min < cut ? width[i] - min : cut;

			width[i] -= d;
			total -= d;
		}
	}
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
	if (t->o.width)
		fit(t, t->width);
	if (t->o.header) {
		for (int i = 0; i < NCOLS; i++) {
			texts[i] = titles[i];
			lens[i] = strlen(titles[i]);
		}
		emit(t, texts, lens, lens, colors);
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
	if (format_row(t, r, c) < 0)
		return t->error = -ENOMEM; /* the lines held are not written either */
	for (int i = 0; i < NCOLS; i++) {
		texts[i] = t->row.s + c[i].off;
		lens[i] = c[i].len;
		ws[i] = c[i].width;
		colors[i] = c[i].color;
	}
	emit(t, texts, lens, ws, colors);
	return t->error;
}

static int table_end(void *state)
{
	struct table *t = state;
	int r;

	if (!t->started)
		start(t);
	if (t->o.summary && t->listeners) {
		sbuf_printf(&t->out, "%zu listener%s: %zu reachable beyond loopback", t->listeners,
			    t->listeners == 1 ? "" : "s", t->exposed);
		if (t->o.services)
			sbuf_printf(&t->out, ", %zu with warnings", t->warnings);
		sbuf_putc(&t->out, '\n');
	}
	flush_out(t);
	r = t->error;
	sbuf_free(&t->row);
	sbuf_free(&t->out);
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
