/* The audit's review as text for people: a block per finding, then the totals. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/audit.h"
#include "listen/escape.h"
#include "listen/ipproto.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

static const char *const level_names[] = { "NONE", "LOW", "MEDIUM", "HIGH" };
static const char *const level_sgr[] = { "", "\033[36m", "\033[33m", "\033[1;31m" };

/* "0.0.0.0 (all), [::] (all (v6 only))": each distinct address of the finding once; for a
 * packet socket what it sniffs, "sniffs eth0, promisc". */
static void addresses_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f)
{
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];
		bool v6only = (s->sk->flags & LSOCK_HAS_V6ONLY) && s->sk->v6only;
		char addr[ADDR_STRLEN];

		if (!audit_first_address(a, f, i))
			continue;
		if (i > f->first)
			sbuf_puts(b, ", ");
		if (s->sk->family == AF_PACKET) {
			scope_packet_text(b, s->sk, s->ifname, s->if_promisc,
					  out_row_other_netns(s));
			continue;
		}
		if (s->sk->family == AF_VSOCK) { /* "cid * (any)", "cid 2 (host)", "cid 3" */
			const char *name = lsock_vsock_cid_name(s->sk->vs.cid);

			if (s->sk->vs.cid == LSOCK_VSOCK_ANY)
				sbuf_puts(b, "cid *");
			else
				sbuf_printf(b, "cid %" PRIu32, s->sk->vs.cid);
			if (name)
				sbuf_printf(b, " (%s)", name);
			continue;
		}
		sbuf_puts(b, addr_format(addr, s->sk->family, s->sk->laddr, v6only));
		sbuf_puts(b, " (");
		scope_text(b, s->scope, s->scope_ifname, out_row_other_netns(s));
		sbuf_putc(b, ')');
	}
}

/* The reasons joined by "; ", escaped: a namespace's label may be a container's name. */
static void reasons_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f)
{
	struct sbuf t = { 0 };

	for (unsigned bit = audit_next_reason(f, 0); bit; bit = audit_next_reason(f, bit)) {
		if (t.len)
			sbuf_puts(&t, "; ");
		audit_reason_text(&t, a, f, bit);
	}
	esc_term_sbuf(b, &t);
	sbuf_free(&t);
}

/* "nginx pid 812 user www-data: /usr/sbin/nginx -g daemon off;" per distinct process. */
static void holders_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
			 const struct procfs_proc *procs, const struct procfs_info *info,
			 unsigned flags)
{
	size_t shown = 0, i = f->first, j = 0;
	long p;

	while ((p = audit_next_holder(a, f, &i, &j)) >= 0) {
		const struct procfs_proc *pr = &procs[p];
		const struct procfs_info *in = info ? &info[p] : NULL;

		sbuf_puts(b, "        ");
		esc_term(b, pr->name, strlen(pr->name));
		sbuf_printf(b, " pid %" PRIu32 " user ", pr->pid);
		if (in && in->user)
			esc_term(b, in->user, strlen(in->user));
		else
			sbuf_printf(b, "%" PRIu32, pr->uid);
		if (in && in->cmdline) {
			sbuf_puts(b, ": ");
			esc_term(b, in->cmdline, strlen(in->cmdline));
		}
		sbuf_putc(b, '\n');
		shown++;
	}
	if (!shown && (f->reasons & AUDIT_NO_OWNER))
		sbuf_puts(b, flags & OUT_AUDIT_PRIVILEGED ?
			  "        holder not readable, even with listen's rights: "
			  "see the notice\n" :
			  "        holder not readable: run as root to see it\n");
	else if (!shown && audit_unix_socket(a, f))
		sbuf_puts(b, "        no holder found: closed since, or held by a process in "
			     "another pid namespace\n");
	else if (!shown)
		sbuf_puts(b, "        no process holds it: a socket of the kernel\n");
}

/* A raw or packet socket's finding as its allow-list rule names it, "raw/1 (icmp)",
 * "packet/all", "packet/arp", "packet/0x88b5". */
static void rawpkt_title(struct sbuf *b, const struct audit *a, const struct audit_finding *fd)
{
	const struct out_row *s = &a->socks[a->order[fd->first]];
	const char *name = ipproto_ether_name(fd->port);

	bool named = s->lservice && strncmp(s->lservice, "ipproto-", 8) != 0;

	if (s->sk->family != AF_PACKET)
		sbuf_printf(b, "  raw/%u%s%s%s", fd->port, named ? " (" : "",
			    named ? s->lservice : "", named ? ")" : "");
	else if (fd->port == LSOCK_ETH_P_ALL)
		sbuf_puts(b, "  packet/all");
	else if (name)
		sbuf_printf(b, "  packet/%s", name);
	else
		sbuf_printf(b, "  packet/0x%04x", fd->port);
}

/* One finding's block: the level line, the description and reasons, the holders. */
static void finding_text(struct sbuf *b, const struct audit *a, const struct audit_finding *fd,
			 const struct procfs_proc *procs, const struct procfs_info *info,
			 unsigned flags)
{
	bool color = flags & OUT_AUDIT_COLOR;

	if (color)
		sbuf_puts(b, level_sgr[fd->risk]);
	sbuf_printf(b, "%-6s", level_names[fd->risk]);
	if (color)
		sbuf_puts(b, "\033[0m");
	const struct lsock *un = audit_unix_socket(a, fd);

	if (un) {
		const struct out_row *s = &a->socks[a->order[fd->first]];

		sbuf_puts(b, "  unix ");
		out_unix_name_text(b, un);
		if (fd->svc.name) {
			sbuf_putc(b, ' ');
			out_service_text(b, &fd->svc);
		}
		sbuf_puts(b, " (");
		unix_scope_text(b, s->uscope, s->ufile, out_row_other_netns(s));
		sbuf_putc(b, ')');
	} else {
		const struct lsock *vs = audit_vsock_socket(a, fd);

		if (audit_rawpkt(&a->socks[a->order[fd->first]]))
			rawpkt_title(b, a, fd);
		else if (vs)
			sbuf_printf(b, "  vsock/%" PRIu32, vs->vs.port);
		else
			sbuf_printf(b, "  %s/%u", audit_protocol(a, fd), fd->port);
		if (fd->svc.name || fd->svc.program) {
			sbuf_putc(b, ' ');
			out_service_text(b, &fd->svc);
		}
		/* A packet socket's "sniffs eth0" says where. */
		if (a->socks[a->order[fd->first]].sk->family != AF_PACKET)
			sbuf_puts(b, " on");
		sbuf_putc(b, ' ');
		addresses_text(b, a, fd);
	}
	if (fd->allowed_by)
		sbuf_printf(b, "  [allowed by rule on line %u]", fd->allowed_by);
	sbuf_puts(b, "\n        ");
	if (fd->svc.info)
		sbuf_printf(b, "%s: ", fd->svc.info->desc);
	reasons_text(b, a, fd);
	sbuf_putc(b, '\n');
	holders_text(b, a, fd, procs, info, flags);
}

int out_audit_text(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		   const struct procfs_info *info, unsigned flags)
{
	size_t count[4], allowed;
	struct sbuf b = { 0 };
	int r = 0;

	/* A block at a time: a long review starts before it is all made. */
	for (size_t i = 0; i < a->nfindings && r == 0; i++) {
		b.len = 0;
		finding_text(&b, a, &a->findings[i], procs, info, flags);
		r = sbuf_write(&b, f);
	}
	if (r == 0) {
		audit_totals(a, count, &allowed);
		b.len = 0;
		sbuf_printf(&b, "%zu finding%s (high %zu, medium %zu, low %zu, none %zu), "
			    "%zu allowed\n", a->nfindings, a->nfindings == 1 ? "" : "s",
			    count[SVC_RISK_HIGH], count[SVC_RISK_MEDIUM], count[SVC_RISK_LOW],
			    count[SVC_RISK_NONE], allowed);
		if (a->filtered)
			sbuf_printf(&b, "%zu listener%s the firewall drops from every source left "
				    "out\n", a->filtered, a->filtered == 1 ? "" : "s");
		if (a->clients)
			sbuf_printf(&b, "%zu UDP socket%s on ephemeral ports left out: clients, "
				    "not services\n", a->clients, a->clients == 1 ? "" : "s");
		if (a->unidentified)
			sbuf_printf(&b, "incomplete: %zu finding%s with holders not read, judged "
				    "from the port alone (medium at most): run as root for a whole "
				    "review\n", a->unidentified, a->unidentified == 1 ? "" : "s");
		if (a->no_firewall)
			sbuf_puts(&b, "incomplete: the firewall ruleset was not read (the notice "
				  "says why), so nothing is known to be dropped\n");
		r = sbuf_write(&b, f);
	}
	sbuf_free(&b);
	return r;
}
