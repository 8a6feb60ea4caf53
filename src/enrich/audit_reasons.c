/* The audit's reasons: why each finding is one, a code for tools and words for people. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/ipproto.h"
#include "listen/audit.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/program.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/unix_scope.h"
#include "listen/unixfile.h"
#include "audit_parts.h"

/* The reasons in the order they are given: a code for tools and a text for people (NULL: made
 * by audit_reason_text). */
static const struct {
	unsigned bit;
	const char *code, *text;
} reasons[] = {
	{ AUDIT_SNIFF, "sniffs", NULL },
	{ AUDIT_RAW, "raw-receive", NULL },
	{ AUDIT_RAW_FORGE, "raw-forge",
	  "IPPROTO_RAW: sends IP packets whose headers it writes, any source address" },
	{ AUDIT_PROMISC, "promiscuous",
	  "promiscuous: it also sees frames addressed to other hosts" },
	{ AUDIT_BPF_FILTER, "bpf-filter",
	  "a classic BPF filter chooses what it keeps: one level lower" },
	{ AUDIT_FILTER_UNKNOWN, "filter-unknown",
	  "whether a BPF filter narrows it is not known: the kernel tells CAP_NET_ADMIN only" },
	{ AUDIT_LOOPBACK_ONLY, "loopback-only", "sees this host's loopback traffic only" },
	{ AUDIT_NAME_CLAIM, "name-mismatch", NULL },
	{ AUDIT_UNEXPECTED, "unexpected-program", NULL },
	{ AUDIT_EXE_DELETED, "exe-deleted", NULL },
	{ AUDIT_VSOCK_ANY, "vsock-any",
	  "bound to every context id (VMADDR_CID_ANY): in a guest its host may connect, on a "
	  "host every guest may" },
	{ AUDIT_VSOCK_HOST, "vsock-host",
	  "bound to the host's context id (2): every guest may connect" },
	{ AUDIT_VSOCK_GUEST, "vsock-guest", NULL },
	{ AUDIT_UNIX_OPEN, "unix-open", NULL },
	{ AUDIT_UNIX_GROUP, "unix-group", NULL },
	{ AUDIT_UNIX_UNCHECKED, "unix-unchecked", NULL },
	{ AUDIT_EXPECTED, "expected", NULL },
	{ AUDIT_NOTE, "risk-note", NULL },
	{ AUDIT_UNKNOWN, "unknown-service", "a service listen does not identify" },
	{ AUDIT_GUESS, "port-guess", "service guessed from the port: no holder says what it is" },
	{ AUDIT_PUBLIC, "public-address", "on a public address" },
	{ AUDIT_ALL, "all-interfaces", "bound to all interfaces" },
	{ AUDIT_ALL_NETNS, "all-interfaces-netns", NULL },
	{ AUDIT_ALL_PUBLIC, "all-interfaces-public", NULL },
	{ AUDIT_ROOT, "root", "runs as root" },
	{ AUDIT_CAPS, "capabilities", NULL },
	{ AUDIT_PUBLISHED, "published", NULL },
	{ AUDIT_FW_PARTIAL, "firewall-partial", NULL },
	{ AUDIT_FW_UNKNOWN, "firewall-unknown", NULL },
	{ AUDIT_FW_ONE_FAMILY, "firewall-one-family", NULL },
};

enum { NREASONS = sizeof(reasons) / sizeof(reasons[0]) };

/* The index of reason bit in the table; NREASONS if it is not one. */
static size_t reason_index(unsigned bit)
{
	size_t i = 0;

	while (i < NREASONS && reasons[i].bit != bit)
		i++;
	return i;
}

unsigned audit_next_reason(const struct audit_finding *f, unsigned prev)
{
	for (size_t i = prev ? reason_index(prev) + 1 : 0; i < NREASONS; i++)
		if (f->reasons & reasons[i].bit)
			return reasons[i].bit;
	return 0;
}

const char *audit_reason_code(unsigned bit)
{
	size_t i = reason_index(bit);

	return i < NREASONS ? reasons[i].code : "";
}

/* The text of a reason its holders give: "calls itself sshd but runs /tmp/x", "port 22 held
 * by python3, not an SSH server", "executable /usr/sbin/nginx (deleted) is gone from disk". */
static void holder_reason_text(struct sbuf *b, const struct audit *a,
			       const struct audit_finding *f, unsigned bit)
{
	const char *what = "";

	for (size_t k = f->first; k < f->first + f->count; k++) {
		const struct out_row *s = &a->socks[a->order[k]];

		if (bit == AUDIT_NAME_CLAIM && s->claimed) {
			sbuf_printf(b, "calls itself %s but runs %s", s->claimed->name,
				    s->claimed_exe ? s->claimed_exe : "another program");
			return;
		}
		if (bit == AUDIT_EXE_DELETED && s->deleted_exe) {
			sbuf_printf(b, "executable %s is gone from disk: replaced or deleted "
				    "since it started", s->deleted_exe);
			return;
		}
		if (bit != AUDIT_UNEXPECTED || !s->nowners)
			continue;
		sbuf_printf(b, "port %u held by %s", f->port,
			    s->program ? s->program->name : "a program listen does not know");
		if (audit_port_role(f->port, f->protocol, &what))
			sbuf_printf(b, ", not %s", what);
		else
			sbuf_puts(b, ", an interpreter running as root");
		return;
	}
}

/* The firewall's reasons: where it is published, from where it is reachable, which rule
 * cannot be decided. */
static void firewall_reason(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
			    unsigned bit)
{
	const struct reach_result *v = f->verdict;
	const struct out_row *s = &a->socks[a->order[f->first]];

	if (bit == AUDIT_PUBLISHED) {
		sbuf_puts(b, "published on the host ");
		out_reach_text(b, &(struct reach_result){ .verdict = REACH_OPEN, .via = v->via });
		sbuf_printf(b, " (forwarded to port %u", s->sk->lport);
		if (s->netns) {
			sbuf_puts(b, " in network namespace ");
			sbuf_puts(b, s->netns);
		}
		sbuf_puts(b, "), whatever the host's input chain says");
	} else if (bit == AUDIT_FW_ONE_FAMILY) {
		bool v6 = v->only_family == AF_INET6;

		sbuf_printf(b, "the firewall filters %s but lets %s in: a ruleset written for one "
			    "family?", v6 ? "IPv4" : "IPv6", v6 ? "IPv6" : "IPv4");
	} else if (bit == AUDIT_FW_PARTIAL) {
		sbuf_puts(b, "the firewall lets it in ");
		out_reach_text(b, &(struct reach_result){ .verdict = REACH_PARTIAL,
							 .from = v->from, .nfrom = v->nfrom });
		sbuf_puts(b, " only: one level lower");
	} else {
		sbuf_puts(b, "the firewall's verdict is unknown");
		if (v->has_rule) {
			sbuf_puts(b, ": ");
			out_reach_rule_text(b, v);
		} else {
			sbuf_puts(b, ": iptables-legacy tables are loaded");
		}
	}
}

/* What a raw or packet socket receives: "sees every frame (every protocol) on all
 * interfaces", "sees every arp frame on eth0", "receives every icmp packet (IP protocol 1)
 * sent to its address". */
static void rawpkt_reason(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
			  unsigned bit)
{
	const struct out_row *s = &a->socks[a->order[f->first]];
	const char *name;

	if (bit == AUDIT_RAW) {
		sbuf_puts(b, "raw socket: receives every ");
		if (s->lservice && strncmp(s->lservice, "ipproto-", 8) != 0)
			sbuf_printf(b, "%s packet (IP protocol %u)", s->lservice, f->port);
		else
			sbuf_printf(b, "IP protocol %u packet", f->port);
		sbuf_puts(b, " sent to its address");
		return;
	}
	name = f->port == LSOCK_ETH_P_ALL ? NULL : ipproto_ether_name(f->port);
	sbuf_puts(b, "packet socket: sees every frame");
	if (f->port == LSOCK_ETH_P_ALL)
		sbuf_puts(b, " of every protocol");
	else if (name)
		sbuf_printf(b, " of %s", name);
	else
		sbuf_printf(b, " of ethertype 0x%04x", f->port);
	for (size_t k = f->first; k < f->first + f->count; k++) {
		const struct out_row *o = &a->socks[a->order[k]];

		if (!audit_first_address(a, f, k))
			continue;
		sbuf_puts(b, k == f->first ? " on " : ", ");
		if (!o->sk->ifindex)
			sbuf_puts(b, "all interfaces");
		else
			sbuf_puts(b, o->ifname ? o->ifname : "?");
	}
}

/* The reasons of a unix finding: who may connect, and whether that is by design. */
static void unix_reason_text(struct sbuf *b, const struct audit *a,
			     const struct audit_finding *f, unsigned bit)
{
	const struct out_row *s = &a->socks[a->order[f->first]];

	if (bit == AUDIT_UNIX_OPEN && s->uscope == UNIX_SCOPE_ABSTRACT)
		sbuf_puts(b, "abstract: no file permissions, any process in its network namespace "
			     "may connect (containers sharing it too)");
	else if (bit == AUDIT_UNIX_OPEN)
		sbuf_puts(b, "world-writable: any user may connect");
	else if (bit == AUDIT_UNIX_GROUP)
		sbuf_printf(b, "writable by group %s, whose members are root in effect",
			    s->ufile->group);
	else if (bit == AUDIT_UNIX_UNCHECKED) {
		sbuf_puts(b, "who may connect could not be checked: ");
		unix_scope_why(b, s->ufile);
	} else {
		sbuf_puts(b, "open to every user by design");
	}
}

void audit_reason_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
		       unsigned bit)
{
	size_t i = reason_index(bit);
	char addr[INET6_ADDRSTRLEN];
	const struct scope_public *h = f->reach;
	bool v4 = h->public4;

	if (i == NREASONS)
		return;
	if (bit == AUDIT_ROOT && audit_unix_socket(a, f) && !a->socks[a->order[f->first]].nowners) {
		sbuf_puts(b, "made by root (uid 0), no holder found");
		return;
	}
	if (reasons[i].text) {
		sbuf_puts(b, reasons[i].text);
		return;
	}
	if (bit & (AUDIT_UNIX_OPEN | AUDIT_UNIX_GROUP | AUDIT_UNIX_UNCHECKED | AUDIT_EXPECTED)) {
		unix_reason_text(b, a, f, bit);
		return;
	}
	if (bit == AUDIT_VSOCK_GUEST) {
		uint32_t cid = a->socks[a->order[f->first]].sk->vs.cid;

		if (cid == 0) /* VMADDR_CID_HYPERVISOR */
			sbuf_puts(b, "bound to context id 0, the hypervisor's: who may connect is "
				     "the hypervisor's to say");
		else
			sbuf_printf(b, "bound to context id %" PRIu32 ", a guest's own: only its "
				    "host may connect, which controls the guest anyway", cid);
		return;
	}
	if (bit == AUDIT_CAPS) {
		const struct out_row *s = &a->socks[a->order[f->first]];
		long p = audit_caps_holder(s);

		if (p >= 0)
			sbuf_printf(b, "runs as uid %" PRIu32 " with capabilities (CapEff "
				    "%016" PRIx64 ")", s->procs[p].uid, s->info[p].caps);
		return;
	}
	if (bit == AUDIT_NOTE) {
		sbuf_puts(b, f->svc.info->note);
		return;
	}
	if (bit & (AUDIT_NAME_CLAIM | AUDIT_UNEXPECTED | AUDIT_EXE_DELETED)) {
		holder_reason_text(b, a, f, bit);
		return;
	}
	if (bit & (AUDIT_PUBLISHED | AUDIT_FW_PARTIAL | AUDIT_FW_UNKNOWN | AUDIT_FW_ONE_FAMILY)) {
		firewall_reason(b, a, f, bit);
		return;
	}
	if (bit & (AUDIT_SNIFF | AUDIT_RAW)) {
		rawpkt_reason(b, a, f, bit);
		return;
	}
	if (bit == AUDIT_ALL_NETNS) {
		sbuf_puts(b, "bound to all interfaces of network namespace ");
		sbuf_puts(b, f->netns);
		sbuf_puts(b, ", reachable only through them");
		return;
	}
	/* AUDIT_ALL_PUBLIC: name the public address it can be reached on. */
	for (size_t k = f->first; k < f->first + f->count; k++) {
		const struct lsock *sk = a->socks[a->order[k]].sk;

		if (sk->family == AF_INET6 && h->public6)
			v4 = false;
	}
	inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? (const void *)h->addr4 : h->addr6, addr,
		  sizeof(addr));
	sbuf_printf(b, "bound to all interfaces, public %s among them", addr);
}
