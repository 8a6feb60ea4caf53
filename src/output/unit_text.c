/* What a socket's holders belong to, as text: the Unit column of the table and the unit line of
 * the owner view. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/enrich.h"
#include "listen/escape.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/unit.h"

void out_forward_text(struct sbuf *b, const struct enrich_holder *h)
{
	const struct container_proxy *f = &h->forward;
	char addr[ADDR_STRLEN];

	if (f->family == AF_INET6)
		sbuf_putc(b, '[');
	sbuf_puts(b, addr_format(addr, f->family, f->addr, true));
	sbuf_puts(b, f->family == AF_INET6 ? "]:" : ":");
	sbuf_putu(b, f->port);
	if (h->forward_netns) {
		sbuf_puts(b, " (");
		esc_term(b, h->forward_netns, strlen(h->forward_netns));
		sbuf_putc(b, ')');
	}
}

void out_unit_owner_text(struct sbuf *b, const struct unit_owner *u)
{
	struct sbuf text = { 0 };

	unit_text(&text, u);
	esc_term_sbuf(b, &text);
	sbuf_free(&text);
}

/* What one holder belongs to (see out_unit_text). */
static void holder_unit(struct sbuf *b, const struct out_row *r, const struct procfs_proc *p,
			const struct procfs_info *in, const struct enrich_holder *h)
{
	if (h && h->manager) {
		if (!r->socket_unit) {
			sbuf_puts(b, p->pid == 1 ? "systemd (socket activation)"
						 : "systemd --user (socket activation)");
			return;
		}
		esc_term(b, r->socket_unit, strlen(r->socket_unit));
		sbuf_puts(b, " (activates ");
		esc_term(b, r->activates, strlen(r->activates));
		sbuf_putc(b, ')');
	} else if (h && h->proxy) {
		sbuf_puts(b, "docker-proxy to ");
		out_forward_text(b, h);
	} else {
		out_unit_owner_text(b, &in->unit);
	}
}

void out_unit_text(struct sbuf *b, const struct out_row *r)
{
	/* The distinct texts so far (offset, length): holders of one unit are named once. */
	struct { size_t at, len; } seen[32];
	size_t start = b->len, nseen = 0;

	if (!r->nowners && r->sock_cgroup) {
		/* No holder to go by (hidden, or gone): the cgroup the socket was made in. */
		struct unit_owner u;

		if (unit_parse(r->sock_cgroup, strlen(r->sock_cgroup), &u) < 0) {
			b->failed = 1;
		} else if (u.kind != UNIT_NONE) {
			out_unit_owner_text(b, &u);
			sbuf_puts(b, " (the socket's cgroup)");
		}
		unit_owner_free(&u);
		return;
	}
	if (!r->info)
		return;
	for (size_t i = 0; i < r->nowners; i++) {
		uint32_t proc = r->owners[i].proc;
		size_t mark = b->len, at, len;
		bool dup = false;

		if (i && proc == r->owners[i - 1].proc)
			continue;
		if (mark > start)
			sbuf_puts(b, ", ");
		at = b->len;
		holder_unit(b, r, &r->procs[proc], &r->info[proc],
			    r->holders ? &r->holders[proc] : NULL);
		if (b->failed)
			return;
		len = b->len - at;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = seen[k].len == len && memcmp(b->s + seen[k].at, b->s + at, len) == 0;
		if (dup || len == 0) {
			b->len = mark;
			b->s[mark] = '\0';
		} else if (nseen < sizeof(seen) / sizeof(seen[0])) {
			seen[nseen].at = at;
			seen[nseen++].len = len;
		}
	}
}
