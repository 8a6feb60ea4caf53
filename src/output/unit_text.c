/* What a socket's holders belong to, as text: the Unit column of the table and the unit line of
 * the owner view. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/escape.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/unit.h"

void out_forward_text(struct sbuf *b, const struct procfs_info *in)
{
	const struct container_proxy *f = &in->forward;
	char addr[ADDR_STRLEN];

	if (f->family == AF_INET6)
		sbuf_putc(b, '[');
	sbuf_puts(b, addr_format(addr, f->family, f->addr, true));
	sbuf_puts(b, f->family == AF_INET6 ? "]:" : ":");
	sbuf_putu(b, f->port);
	if (in->forward_netns) {
		sbuf_puts(b, " (");
		esc_term(b, in->forward_netns, strlen(in->forward_netns));
		sbuf_putc(b, ')');
	}
}

/* What one holder belongs to (see out_unit_text). */
static void holder_unit(struct sbuf *b, const struct out_row *r, const struct procfs_proc *p,
			const struct procfs_info *in)
{
	if (in->manager) {
		if (!r->socket_unit) {
			sbuf_puts(b, p->pid == 1 ? "systemd (socket activation)"
						 : "systemd --user (socket activation)");
			return;
		}
		esc_term(b, r->socket_unit, strlen(r->socket_unit));
		sbuf_puts(b, " (activates ");
		esc_term(b, r->activates, strlen(r->activates));
		sbuf_putc(b, ')');
	} else if (in->proxy) {
		sbuf_puts(b, "docker-proxy to ");
		out_forward_text(b, in);
	} else if (in->unit.kind != UNIT_NONE) {
		char text[600];
		int n = unit_text(&in->unit, text, sizeof(text));

		esc_term(b, text, n < 0 ? 0 : (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
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
		char text[600];
		int n;

		unit_parse(r->sock_cgroup, strlen(r->sock_cgroup), &u);
		if (u.kind == UNIT_NONE)
			return;
		n = unit_text(&u, text, sizeof(text));
		esc_term(b, text, n < 0 ? 0 : (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
		sbuf_puts(b, " (the socket's cgroup)");
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
		holder_unit(b, r, &r->procs[proc], &r->info[proc]);
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
