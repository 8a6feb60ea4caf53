/* The ss-style table: rows are formatted into cells, then printed once the widths are known. */
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
	C_NETID, C_STATE, C_RECVQ, C_SENDQ, C_LADDR, C_LPORT, C_RADDR, C_RPORT, C_SERVICE, C_SCOPE,
	C_PROC, C_WARN, NCOLS
};

static const char *const titles[NCOLS] = {
	"Netid", "State", "Recv-Q", "Send-Q", "Local Address", "Port", "Peer Address", "Port",
	"Service", "Scope", "Process", "Warning",
};

/* A cell is a slice of the text arena, with its display width and colour (enum svc_risk of
 * a warning, 0 for plain text). */
struct cell {
	uint32_t off;
	uint32_t len;
	uint32_t width;
	uint8_t color;
};

struct table {
	FILE *f;
	struct out_opts o;
	struct sbuf text;   /* every cell's text, back to back */
	struct cell *cells; /* NCOLS per row */
	size_t rows, cap;
	size_t listeners, exposed, warnings; /* for the summary line */
	int error;
};

static void *table_begin(FILE *f, const struct out_opts *o)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t) {
		t->f = f;
		t->o = *o;
	}
	return t;
}

/* Display width of text: UTF-8 code points, since the text is escaped and valid. */
static uint32_t text_width(const char *s, size_t len)
{
	uint32_t w = 0;

	for (size_t i = 0; i < len; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static void port_text(struct sbuf *b, uint16_t port, const char *service)
{
	if (port == 0)
		sbuf_putc(b, '*');
	else if (service)
		esc_term(b, service, strlen(service));
	else
		sbuf_printf(b, "%u", port);
}

static void users_text(struct sbuf *b, const struct out_row *r)
{
	sbuf_puts(b, "users:(");
	for (size_t i = 0; i < r->nowners; i++) {
		const struct procfs_owner *ow = &r->owners[i];
		const char *name = r->procs[ow->proc].name;

		sbuf_puts(b, i ? ",(\"" : "(\"");
		esc_term(b, name, strlen(name));
		sbuf_printf(b, "\",pid=%" PRIu32 ",fd=%" PRId32 ")", ow->pid, ow->fd);
	}
	sbuf_putc(b, ')');
}

/* A space before the next item of a cell, unless it is the first. */
static void sep(struct sbuf *b, size_t start)
{
	if (b->len > start)
		sbuf_putc(b, ' ');
}

/* ss -e's details, in ss's order, appended to the cell that began at start. */
static void details_text(struct sbuf *b, size_t start, const struct out_row *r)
{
	const struct lsock *sk = r->sk;

	if (sk->uid) {
		sep(b, start);
		sbuf_printf(b, "uid:%" PRIu32, sk->uid);
	}
	sep(b, start);
	sbuf_printf(b, "ino:%" PRIu32 " sk:%" PRIx64, sk->inode, sk->cookie);
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
		sbuf_printf(b, " %c-%c", sk->shutdown & 1 ? '-' : '<', sk->shutdown & 2 ? '-' : '>');
}

static int table_row(void *state, const struct out_row *r)
{
	struct table *t = state;
	const struct lsock *sk = r->sk;
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;
	char addr[ADDR_STRLEN];
	struct sbuf *b = &t->text;
	struct cell *c;
	size_t start;

	if (t->rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct cell *v = reallocarray(t->cells, cap, NCOLS * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->cells = v;
		t->cap = cap;
	}
	c = &t->cells[t->rows * NCOLS];
	for (int i = 0; i < NCOLS; i++) {
		start = b->len;
		switch (i) {
		case C_NETID:
			sbuf_puts(b, lsock_proto_name(sk->protocol));
			break;
		case C_STATE:
			sbuf_puts(b, lsock_state_name(sk));
			break;
		case C_RECVQ:
			sbuf_printf(b, "%" PRIu32, sk->rqueue);
			break;
		case C_SENDQ:
			sbuf_printf(b, "%" PRIu32, sk->wqueue);
			break;
		case C_LADDR:
			sbuf_puts(b, addr_format(addr, sk->family, sk->laddr, v6only));
			if (r->ifname) {
				sbuf_putc(b, '%');
				esc_term(b, r->ifname, strlen(r->ifname));
			}
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
		case C_SERVICE:
			if (r->service) {
				esc_term(b, r->service, strlen(r->service));
				if (r->service_peer)
					sbuf_puts(b, " (peer)");
			}
			break;
		case C_SCOPE:
			scope_text(b, r->scope, r->scope_ifname);
			break;
		case C_PROC:
			if (t->o.processes && r->nowners)
				users_text(b, r);
			if (t->o.extended)
				details_text(b, start, r);
			break;
		case C_WARN:
			if (t->o.services && r->warn && r->svc && r->svc->note)
				sbuf_printf(b, "! %s: %s", r->svc->name, r->svc->note);
			break;
		}
		if (b->failed || b->len > UINT32_MAX)
			return -ENOMEM;
		c[i] = (struct cell){ .off = (uint32_t)start, .len = (uint32_t)(b->len - start),
				      .width = text_width(b->s + start, b->len - start) };
	}
	if (c[C_WARN].len) {
		c[C_WARN].color = r->svc->risk;
		t->warnings++;
	}
	if (lsock_is_listener(sk)) {
		t->listeners++;
		t->exposed += r->exposed;
	}
	t->rows++;
	return 0;
}

static bool shown(const struct table *t, int col)
{
	if (col == C_NETID)
		return t->o.netid;
	if (col == C_STATE)
		return t->o.state;
	if (col == C_SERVICE)
		return t->o.services;
	if (col == C_SCOPE)
		return t->o.scope;
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

/* Emit one line; texts/lens/ws/colors are per column. Trailing spaces are never printed. */
static void emit(struct table *t, struct sbuf *line, const char *const *texts, const size_t *lens,
		 const size_t *ws, const uint8_t *colors, const size_t *width)
{
	bool first = true;

	line->len = 0;
	for (int i = 0; i < NCOLS; i++) {
		if (!shown(t, i))
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
		pad(line, texts[i], lens[i], ws[i], width[i], right);
	}
	while (line->len && line->s[line->len - 1] == ' ')
		line->len--;
	sbuf_putc(line, '\n');
	if (!line->failed && fwrite(line->s, 1, line->len, t->f) != line->len)
		t->error = errno ? -errno : -EIO; /* EPIPE stays EPIPE: the caller ends quietly */
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

static int table_end(void *state)
{
	struct table *t = state;
	size_t width[NCOLS], lens[NCOLS], ws[NCOLS];
	uint8_t colors[NCOLS] = { 0 };
	const char *texts[NCOLS];
	struct sbuf line = { 0 };
	int r;

	for (int i = 0; i < NCOLS; i++)
		width[i] = t->o.header ? strlen(titles[i]) : 0;
	for (size_t row = 0; row < t->rows; row++) {
		for (int i = 0; i < NCOLS; i++) {
			size_t w = t->cells[row * NCOLS + i].width;

			if (w > width[i])
				width[i] = w;
		}
	}
	if (t->o.width)
		fit(t, width);

	if (t->o.header) {
		for (int i = 0; i < NCOLS; i++) {
			texts[i] = titles[i];
			lens[i] = ws[i] = strlen(titles[i]);
		}
		emit(t, &line, texts, lens, ws, colors, width);
	}
	for (size_t row = 0; row < t->rows && !t->error && !line.failed; row++) {
		for (int i = 0; i < NCOLS; i++) {
			const struct cell *c = &t->cells[row * NCOLS + i];

			texts[i] = t->text.s + c->off;
			lens[i] = c->len;
			ws[i] = c->width;
			colors[i] = c->color;
		}
		emit(t, &line, texts, lens, ws, colors, width);
	}
	if (t->o.summary && t->listeners && !t->error && !line.failed) {
		line.len = 0;
		sbuf_printf(&line, "%zu listener%s: %zu reachable beyond loopback", t->listeners,
			    t->listeners == 1 ? "" : "s", t->exposed);
		if (t->o.services)
			sbuf_printf(&line, ", %zu with warnings", t->warnings);
		sbuf_putc(&line, '\n');
		if (!line.failed && fwrite(line.s, 1, line.len, t->f) != line.len)
			t->error = errno ? -errno : -EIO;
	}
	r = line.failed ? -ENOMEM : t->error;
	sbuf_free(&line);
	sbuf_free(&t->text);
	free(t->cells);
	free(t);
	return r;
}

const struct out_backend out_table = {
	.name = "table",
	.begin = table_begin,
	.row = table_row,
	.end = table_end,
};
