/* ss -s's summary: the kernel's socket counts of each namespace, as text and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "listen/escape.h"
#include "listen/json.h"
#include "listen/output_summary.h"
#include "listen/sbuf.h"
#include "listen/sockstat.h"

/* A row of the Transport table: IPv4's count, IPv6's (or none), and their total. */
struct transport {
	const char *name, *key; /* ss's, JSON's */
	int64_t v4, v6;
};

/* ss's rows, in its order; INET adds up the three above it. */
static void transports(const struct sockstat *s, struct transport *t)
{
	t[0] = (struct transport){ "RAW", "raw", s->raw, s->raw6 };
	t[1] = (struct transport){ "UDP", "udp", s->udp, s->udp6 };
	t[2] = (struct transport){ "TCP", "tcp", s->tcp_inuse, s->tcp6_inuse };
	t[3] = (struct transport){ "INET", "inet", s->raw + s->udp + s->tcp_inuse,
				   s->raw6 + s->udp6 + s->tcp6_inuse };
	t[4] = (struct transport){ "FRAG", "frag", s->frag, s->frag6 };
}

#define NTRANSPORTS 5

/* TCP sockets allocated but in no table: closed, or not yet bound (ss's "closed"). */
static int64_t tcp_closed(const struct sockstat *s)
{
	return s->tcp_alloc - (s->tcp_inuse + s->tcp6_inuse - s->tcp_tw);
}

/* A number ss pads to 9 columns with %-9d; "?" when not known. */
static void cell(struct sbuf *b, int64_t v, bool known)
{
	if (known)
		sbuf_printf(b, "%-9" PRId64, v);
	else
		sbuf_printf(b, "%-9s", "?");
}

static void summary_text(struct sbuf *b, const struct out_summary *o)
{
	const struct sockstat *s = o->stat;
	struct transport t[NTRANSPORTS];

	if (o->netns) {
		sbuf_puts(b, "Netns: ");
		esc_term(b, o->netns, strlen(o->netns));
		sbuf_putc(b, '\n');
	}
	sbuf_printf(b, "Total: %" PRId64 "\n", s->sockets);
	sbuf_printf(b, "TCP:   %" PRId64 " (estab ", s->tcp_alloc + s->tcp_tw);
	if (s->estab)
		sbuf_printf(b, "%" PRId64, s->tcp_estab);
	else
		sbuf_putc(b, '?');
	sbuf_printf(b, ", closed %" PRId64 ", orphaned %" PRId64 ", timewait %" PRId64 ")\n\n",
		    tcp_closed(s), s->tcp_orphan, s->tcp_tw);
	sbuf_puts(b, "Transport Total     IP        IPv6\n");
	transports(s, t);
	for (int i = 0; i < NTRANSPORTS; i++) {
		sbuf_printf(b, "%s\t  ", t[i].name);
		cell(b, t[i].v4 + (s->v6 ? t[i].v6 : 0), s->v6);
		sbuf_putc(b, ' ');
		cell(b, t[i].v4, true);
		sbuf_putc(b, ' ');
		cell(b, t[i].v6, s->v6);
		sbuf_putc(b, '\n');
	}
	sbuf_putc(b, '\n');
}

/* Write b whole; 0 or the failed write's -errno. */
static int write_all(FILE *f, const struct sbuf *b)
{
	if (b->failed)
		return -ENOMEM;
	errno = 0;
	if (b->len && fwrite(b->s, 1, b->len, f) != b->len)
		return errno ? -errno : -EIO;
	return 0;
}

int out_summary_text(FILE *f, const struct out_summary *s, size_t n)
{
	struct sbuf b = { 0 };
	int r;

	for (size_t i = 0; i < n; i++)
		summary_text(&b, &s[i]);
	r = write_all(f, &b);
	sbuf_free(&b);
	return r;
}

/* ,"name":v, or null when not known. */
static void json_count(struct sbuf *b, const char *name, int64_t v, bool known)
{
	if (known)
		sbuf_printf(b, ",\"%s\":%" PRId64, name, v);
	else
		sbuf_printf(b, ",\"%s\":null", name);
}

static void summary_json(struct sbuf *b, const struct out_summary *o)
{
	const struct sockstat *s = o->stat;
	struct transport t[NTRANSPORTS];

	sbuf_putc(b, '{');
	json_schema_version(b);
	sbuf_puts(b, ",\"netns\":");
	json_str(b, o->netns);
	sbuf_printf(b, ",\"sockets\":%" PRId64 ",\"tcp\":{\"total\":%" PRId64, s->sockets,
		    s->tcp_alloc + s->tcp_tw);
	json_count(b, "established", s->tcp_estab, s->estab);
	sbuf_printf(b, ",\"closed\":%" PRId64 ",\"orphaned\":%" PRId64 ",\"timewait\":%" PRId64
		    "},\"transport\":{", tcp_closed(s), s->tcp_orphan, s->tcp_tw);
	transports(s, t);
	for (int i = 0; i < NTRANSPORTS; i++) {
		sbuf_printf(b, "%s\"%s\":{", i ? "," : "", t[i].key);
		sbuf_printf(b, "\"ipv4\":%" PRId64, t[i].v4);
		json_count(b, "ipv6", t[i].v6, s->v6);
		json_count(b, "total", t[i].v4 + t[i].v6, s->v6);
		sbuf_putc(b, '}');
	}
	sbuf_puts(b, "}}");
}

int out_summary_json(FILE *f, const struct out_summary *s, size_t n, bool lines)
{
	struct sbuf b = { 0 };
	int r;

	if (!lines)
		sbuf_puts(&b, n ? "[\n" : "[]\n");
	for (size_t i = 0; i < n; i++) {
		summary_json(&b, &s[i]);
		sbuf_puts(&b, lines ? "\n" : i + 1 < n ? ",\n" : "\n]\n");
	}
	r = write_all(f, &b);
	sbuf_free(&b);
	return r;
}
