/*
 * The cells of the ss-style table: what each column of a row says (addresses, ports, the
 * holders, -e's, -o's and -m's details, the unix, packet and vsock forms of the columns),
 * measured and printed by output_table.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/escape.h"
#include "listen/output_info.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/selinux.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/width.h"
#include "output_table.h"

void out_local_addr_text(struct sbuf *b, const struct out_row *r)
{
	const struct lsock *sk = r->sk;
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;
	char addr[ADDR_STRLEN];

	if (r->lhost) /* -r: a name the resolver gave, as untrusted as any */
		esc_term(b, r->lhost, strlen(r->lhost));
	else
		sbuf_puts(b, addr_format(addr, sk->family, sk->laddr, v6only));
	if (r->ifname) {
		sbuf_putc(b, '%');
		esc_term(b, r->ifname, strlen(r->ifname));
	}
}

void out_unix_name_text(struct sbuf *b, const struct lsock *sk)
{
	if (!(sk->un.flags & LSOCK_UNIX_NAME) || !sk->un.name_len) {
		sbuf_putc(b, '*');
	} else if (lsock_unix_abstract(sk)) {
		sbuf_putc(b, '@');
		esc_term(b, sk->un.name + 1, sk->un.name_len - 1);
	} else {
		esc_term(b, sk->un.name, sk->un.name_len);
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

/* ",KEY=CONTEXT" as ss writes a context, escaped; "unavailable" when it was not read. */
static void context_text(struct sbuf *b, const char *key, const struct selinux_ctx *c)
{
	sbuf_putc(b, ',');
	sbuf_puts(b, key);
	sbuf_putc(b, '=');
	if (c->text)
		esc_term(b, c->text, strlen(c->text));
	else
		sbuf_puts(b, "unavailable");
}

/* users:(("name",pid=N,fd=N),...), with -Z ("name",pid=N,proc_ctx=C,fd=N) and with -z
 * ("name",pid=N,proc_ctx=C,fd=N,sock_ctx=C), as ss writes them. */
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
		if (r->proc_ctx)
			context_text(b, "proc_ctx", &r->proc_ctx[ow->proc]);
		sbuf_puts(b, ",fd=");
		sbuf_putu(b, (uint32_t)ow->fd);
		if (r->sock_ctx)
			context_text(b, "sock_ctx", &r->sock_ctx[i]);
		sbuf_putc(b, ')');
	}
	sbuf_putc(b, ')');
}

/* Whether a process name needs quotes to be told from the text around it when written
 * short: empty, or with a space, parenthesis, comma or plus. */
bool table_name_quoted(const char *name)
{
	return !*name || strpbrk(name, " (),+\"") != NULL;
}

/* One holder written short: nginx(812,fd 6), a name that needs it quoted; with -Z and -z
 * nginx(812,fd 6,proc_ctx=C,sock_ctx=C). */
void table_holder_short(struct sbuf *b, const struct out_row *r, size_t i)
{
	const struct procfs_owner *ow = &r->owners[i];
	const char *name = r->procs[ow->proc].name;
	bool quote = table_name_quoted(name);

	if (quote)
		sbuf_putc(b, '"');
	esc_term(b, name, strlen(name));
	if (quote)
		sbuf_putc(b, '"');
	sbuf_printf(b, "(%" PRIu32 ",fd %d", ow->pid, ow->fd);
	if (r->proc_ctx)
		context_text(b, "proc_ctx", &r->proc_ctx[ow->proc]);
	if (r->sock_ctx)
		context_text(b, "sock_ctx", &r->sock_ctx[i]);
	sbuf_putc(b, ')');
}

/* The first k holders written short, then " +N" for the N more. */
void table_holders_short(struct sbuf *b, const struct out_row *r, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		if (i)
			sbuf_putc(b, ' ');
		table_holder_short(b, r, i);
	}
	if (k < r->nowners)
		sbuf_printf(b, "%s+%zu", k ? " " : "", r->nowners - k);
}

/* The Warning when fitting a width: "! often no auth by default", without the name the
 * Service column gives on the same line. */
static void warning_short(struct sbuf *b, const struct out_row *r)
{
	if (!r->warn || (!r->claimed && (!r->svc || !r->svc->note)))
		return;
	sbuf_puts(b, "! ");
	out_warning_note(b, r);
}

/* A space before the next item of a cell, unless it is the first. */
static void sep(struct sbuf *b, size_t start)
{
	if (b->len > start)
		sbuf_putc(b, ' ');
}

/* -e's "uid:N ino:N sk:COOKIE" as ss writes them: the uid when it is not root's (and uid:
 * whether it is known), the cookie unless the record came from /proc/net (which has none). */
static void uid_ino_sk(struct sbuf *b, size_t start, const struct lsock *sk, bool uid)
{
	if (uid && sk->uid) {
		sep(b, start);
		sbuf_printf(b, "uid:%" PRIu32, sk->uid);
	}
	sep(b, start);
	sbuf_printf(b, "ino:%" PRIu32, sk->inode);
	if (!(sk->flags & LSOCK_PROCNET))
		sbuf_printf(b, " sk:%" PRIx64, sk->cookie);
}

/* A unix socket's -e details as ss -xe writes them: the shutdown state, then the socket
 * file's inode and device ("ino:N dev:MAJOR/MINOR": the kernel sends its own encoding of the
 * device, MAJOR << 20 | MINOR, which ss splits as a user-space dev_t, printing 254:0 as
 * 0/65024; listen prints 254/0, stat(1)'s numbers). ss's "peers:" list of a listener's pending
 * connections is not collected. */
static void unix_details_text(struct sbuf *b, size_t start, const struct lsock *sk)
{
	if (sk->flags & LSOCK_HAS_SHUTDOWN) {
		sep(b, start);
		sbuf_printf(b, "%c-%c", sk->shutdown & 1 ? '-' : '<', sk->shutdown & 2 ? '-' : '>');
	}
	if (sk->un.flags & LSOCK_UNIX_VFS) {
		sep(b, start);
		sbuf_printf(b, "ino:%" PRIu32 " dev:%u/%u", sk->un.vfs_ino, sk->un.vfs_dev >> 20,
			    sk->un.vfs_dev & 0xfffff);
	}
}

/* A packet socket's -e details as ss -0e gives them: "ino:N sk:COOKIE", its owner's uid
 * (not root's), then what PACKET_DIAG_INFO says, "ver:0 cpy_thresh:0 flags( running )", and
 * the fanout group, "fanout(id:42,type:lb)" (ss puts those on lines of their own unless -O). */
static void packet_details_text(struct sbuf *b, size_t start, const struct lsock *sk)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} flags[] = { { 0x1, "running" }, { 0x2, "auxdata" }, { 0x4, "origdev" },
		      { 0x8, "vnethdr" }, { 0x10, "loss" } };

	uid_ino_sk(b, start, sk, sk->pk.flags & LSOCK_PACKET_UID);
	if (sk->pk.flags & LSOCK_PACKET_INFO) {
		sbuf_printf(b, " ver:%" PRIu32 " cpy_thresh:%" PRIu32 " flags(", sk->pk.version,
			    sk->pk.copy_thresh);
		for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (sk->pk.info_flags & flags[i].bit)
				sbuf_printf(b, " %s", flags[i].name);
		if (!sk->pk.info_flags) /* ss: "flags( 0 )" */
			sbuf_puts(b, " 0");
		sbuf_puts(b, " )");
	}
	if (sk->pk.flags & LSOCK_PACKET_FANOUT) {
		/* ss's words; a type with the group's flags (rollover, defrag: the high byte) in
		 * hexadecimal, as ss writes it. */
		static const char *const types[] = { "hash", "lb", "cpu", "roll", "random", "qm" };
		uint32_t type = (sk->pk.fanout >> 16) & 0xffff;

		sbuf_printf(b, " fanout(id:%" PRIu32 ",type:", sk->pk.fanout & 0xffff);
		if (type < sizeof(types) / sizeof(types[0]))
			sbuf_printf(b, "%s)", types[type]);
		else
			sbuf_printf(b, "0x%" PRIx32 ")", type);
	}
}

/* -m's skmem on a unix or packet socket's row, where ss writes it (not on a second line as
 * an inet socket's); nothing where the kernel sent none (read from /proc/net, as in ss). */
static void skmem_text(const struct table *t, struct sbuf *b, size_t start,
		       const struct out_row *r)
{
	if (t->o.more.memory && r->ext && r->ext->nskmem) {
		sep(b, start);
		out_skmem_text(b, r->ext);
	}
}

/* Whether the Process cell holds more than the holders: -o's, -e's or -m's details. */
bool table_has_details(const struct table *t)
{
	return t->o.extended || t->o.more.timers || t->o.more.memory;
}

/* ss -o's, -e's and (unix and packet sockets) -m's details, in ss's order, appended to the
 * cell that began at start: the pending timer (-o, which -e implies), then the socket's
 * identity (-e); a unix socket's skmem before its identity, a packet socket's after it. */
void table_details(const struct table *t, struct sbuf *b, size_t start,
			 const struct out_row *r)
{
	const struct lsock *sk = r->sk;

	if (sk->family == AF_UNIX) {
		skmem_text(t, b, start, r);
		if (t->o.extended)
			unix_details_text(b, start, sk);
		return;
	}
	if (sk->family == AF_PACKET) {
		if (t->o.extended)
			packet_details_text(b, start, sk);
		skmem_text(t, b, start, r);
		return;
	}
	if (sk->family == AF_VSOCK) /* ss -e shows nothing more of them */
		return;

	if (sk->timer && (t->o.more.timers || t->o.extended)) {
		sep(b, start);
		out_timer_text(b, sk);
	}
	if (!t->o.extended)
		return;
	uid_ino_sk(b, start, sk, true);
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

/* The cells of a unix socket that differ from an inet one's, as ss writes them: the name
 * (or "*") and the inode in the local columns, "*" and the peer's inode (0: none) in the
 * peer's; the Scope is who may connect (unix_scope.h), and there is no Reach. True when column
 * i was written. */
static bool unix_cell(struct table *t, const struct out_row *r, int i)
{
	const struct lsock *sk = r->sk;
	struct sbuf *b = &t->row;

	switch (i) {
	case C_LADDR:
		out_unix_name_text(b, sk);
		return true;
	case C_LPORT:
		sbuf_putu(b, sk->inode);
		return true;
	case C_RADDR:
		sbuf_putc(b, '*');
		return true;
	case C_RPORT:
		sbuf_putu(b, sk->un.peer);
		return true;
	case C_SCOPE:
		if (t->o.scope)
			unix_scope_text(b, r->uscope, r->ufile, r->netns);
		return true;
	case C_REACH:
		return true;
	default:
		return false;
	}
}

/* The cells of a packet socket that differ from an inet one's, as ss writes them: the
 * protocol ("*" for every one, "ip", "[2048]") and the device ("*" for every one) in the
 * local columns, "*" for the peer; the Scope says what it sniffs. True when column i was
 * written. */
static bool packet_cell(struct table *t, const struct out_row *r, int i)
{
	const struct lsock *sk = r->sk;
	struct sbuf *b = &t->row;

	switch (i) {
	case C_LADDR:
		sbuf_puts(b, r->lservice ? r->lservice : "*");
		return true;
	case C_LPORT:
		if (r->ifname)
			esc_term(b, r->ifname, strlen(r->ifname));
		else
			sbuf_putc(b, '*');
		return true;
	case C_RADDR:
		sbuf_putc(b, '*');
		return true;
	case C_SCOPE:
		if (t->o.scope)
			scope_packet_text(b, sk, r->ifname, r->if_promisc,
					  out_row_other_netns(r));
		return true;
	case C_RPORT:
	case C_SERVICE:
	case C_REACH:
	case C_WARN:
		return true;
	default:
		return false;
	}
}

/* A vsock context id or port, "*" for any. */
static void vsock_text(struct sbuf *b, uint32_t v)
{
	if (v == LSOCK_VSOCK_ANY)
		sbuf_putc(b, '*');
	else
		sbuf_putu(b, v);
}

/* The cells of a vsock socket that differ from an inet one's, as ss writes them: context id
 * and port, each "*" for any; no Service, Scope, Reach or Warning. True when column i was
 * written. */
static bool vsock_cell(struct table *t, const struct out_row *r, int i)
{
	const struct lsock *sk = r->sk;
	struct sbuf *b = &t->row;

	switch (i) {
	case C_LADDR:
		vsock_text(b, sk->vs.cid);
		return true;
	case C_LPORT:
		vsock_text(b, sk->vs.port);
		return true;
	case C_RADDR:
		vsock_text(b, sk->vs.peer_cid);
		return true;
	case C_RPORT:
		vsock_text(b, sk->vs.peer_port);
		return true;
	case C_SERVICE:
	case C_SCOPE:
	case C_REACH:
	case C_WARN:
		return true;
	default:
		return false;
	}
}

/* Format r's cells into t->row (emptied first) and their slices into c. Returns 0 or -ENOMEM. */
int table_cells(struct table *t, const struct out_row *r, struct cell *c)
{
	const struct lsock *sk = r->sk;
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;
	char addr[ADDR_STRLEN];
	struct sbuf *b = &t->row;
	bool un = sk->family == AF_UNIX, ascii;
	size_t start;

	b->len = 0;
	for (int i = 0; i < NCOLS; i++) {
		start = b->len;
		/* Printing, a column left out is not written. */
		if ((t->started && !t->show[i]) || (un && unix_cell(t, r, i)) ||
		    (sk->family == AF_PACKET && packet_cell(t, r, i)))
			goto measured;
		if (sk->family == AF_VSOCK && vsock_cell(t, r, i))
			goto measured;
		switch (i) {
		case C_NETNS:
			if (t->o.netns && r->netns)
				esc_term(b, r->netns, strlen(r->netns));
			break;
		case C_NETID: /* an SCTP association's is its endpoint's, on the row above */
			if (t->o.netid && !(sk->flags & LSOCK_SCTP_ASSOC))
				sbuf_puts(b, lsock_netid(sk));
			break;
		case C_STATE:
			if (sk->flags & LSOCK_SCTP_ASSOC) /* ss's mark, with or without a State */
				sbuf_puts(b, "`- ");
			if (t->o.state || (sk->flags & LSOCK_SCTP_ASSOC))
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
			if (r->rhost)
				esc_term(b, r->rhost, strlen(r->rhost));
			else
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
			if (t->o.processes && r->nowners && t->fit)
				table_holders_short(b, r, r->nowners);
			else if (t->o.processes && r->nowners)
				users_text(b, r);
			if (table_has_details(t))
				table_details(t, b, start, r);
			break;
		case C_UNIT:
			if (t->o.unit)
				out_unit_text(b, r);
			break;
		case C_WARN: /* whole where fitting left the Service column out */
			if (t->o.services && t->fit && (!t->started || t->show[C_SERVICE]))
				warning_short(b, r);
			else if (t->o.services)
				out_warning_text(b, r);
			break;
		}
measured:
		c[i] = (struct cell){ .off = (uint32_t)start, .len = (uint32_t)(b->len - start) };
	}
	if (b->failed || b->len > UINT32_MAX) /* the cells' offsets would not hold */
		return -ENOMEM;
	/* Table text is nearly always ASCII, a column a byte: measured by character if not. */
	ascii = width_ascii(b->s, b->len);
	for (int i = 0; i < NCOLS; i++)
		c[i].width = ascii ? c[i].len : (uint32_t)width_text(b->s + c[i].off, c[i].len);
	c[C_WARN].color = !c[C_WARN].len ? 0 : r->claimed ? SVC_RISK_HIGH : r->svc->risk;
	return 0;
}
