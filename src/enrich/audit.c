/* The audit of exposed services: findings grouped from the enriched rows, their risk and why. */
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

/* What names a row's service. */
static struct svc_ref svc_of(const struct out_row *s)
{
	return out_service_ref(s);
}

/* The name of the first holder, the grouping key beside protocol and port; "" if unknown. */
static const char *holder_name(const struct out_row *s, const struct procfs_proc *procs)
{
	return s->nowners ? procs[s->owners[0].proc].name : "";
}

/* What the holders were identified as, beside their name: a process calling itself sshd is
 * not grouped with sshd. */
static int ident_cmp(const struct out_row *a, const struct out_row *b)
{
	const char *pa = a->program ? a->program->name : "";
	const char *pb = b->program ? b->program->name : "";
	int c = strcmp(pa, pb);

	if (c)
		return c;
	if (!a->claimed != !b->claimed)
		return !a->claimed ? -1 : 1;
	return (a->deleted_exe != NULL) - (b->deleted_exe != NULL);
}

/* For sorting socket indexes into groups. */
struct sort_ctx {
	const struct out_row *socks;
	const struct procfs_proc *procs;
};

/* Namespaces by label, the host's (NULL) first. */
static int netns_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b ? 0 : !a ? -1 : 1;
	return strcmp(a, b);
}

/* Unix sockets by name (a finding is one file or abstract name), after TCP and UDP; 0 for
 * two of those. */
static int unix_cmp(const struct lsock *a, const struct lsock *b)
{
	bool ua = a->family == AF_UNIX, ub = b->family == AF_UNIX;
	size_t n;
	int c;

	if (ua != ub)
		return ua ? 1 : -1;
	if (!ua)
		return 0;
	n = a->un.name_len < b->un.name_len ? a->un.name_len : b->un.name_len;
	c = n ? memcmp(a->un.name, b->un.name, n) : 0;
	if (c)
		return c;
	return a->un.name_len < b->un.name_len ? -1 : a->un.name_len > b->un.name_len;
}

/* What else tells findings apart beside protocol and port: an MPTCP listener is not a TCP
 * one on the same port; vsock sockets by context id and (32-bit) port, after the others. */
static int kind_cmp(const struct lsock *a, const struct lsock *b)
{
	bool va = a->family == AF_VSOCK, vb = b->family == AF_VSOCK;
	bool ma = a->flags & LSOCK_MPTCP, mb = b->flags & LSOCK_MPTCP;

	if (va != vb)
		return va ? 1 : -1;
	if (va && a->vs.cid != b->vs.cid)
		return a->vs.cid < b->vs.cid ? -1 : 1;
	if (va && a->vs.port != b->vs.port)
		return a->vs.port < b->vs.port ? -1 : 1;
	return ma == mb ? 0 : ma ? 1 : -1;
}

static int group_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *ctx = arg;
	const struct out_row *a = &ctx->socks[*(const size_t *)pa];
	const struct out_row *b = &ctx->socks[*(const size_t *)pb];
	int c = netns_cmp(out_row_other_netns(a), out_row_other_netns(b));

	if (c)
		return c;
	c = unix_cmp(a->sk, b->sk);
	if (c)
		return c;
	c = kind_cmp(a->sk, b->sk);
	if (c)
		return c;
	if (a->sk->protocol != b->sk->protocol)
		return a->sk->protocol < b->sk->protocol ? -1 : 1;
	if (a->sk->lport != b->sk->lport)
		return a->sk->lport < b->sk->lport ? -1 : 1;
	c = strcmp(holder_name(a, ctx->procs), holder_name(b, ctx->procs));
	if (c)
		return c;
	c = ident_cmp(a, b);
	if (c)
		return c;
	if (!a->nowners && a->sk->uid != b->sk->uid)
		return a->sk->uid < b->sk->uid ? -1 : 1;
	/* Within a finding: IPv4 before IPv6, then the original order. */
	if (a->sk->family != b->sk->family)
		return a->sk->family < b->sk->family ? -1 : 1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static bool same_group(const struct out_row *a, const struct out_row *b,
		       const struct procfs_proc *procs)
{
	return netns_cmp(out_row_other_netns(a), out_row_other_netns(b)) == 0 &&
	       unix_cmp(a->sk, b->sk) == 0 && kind_cmp(a->sk, b->sk) == 0 &&
	       a->sk->protocol == b->sk->protocol &&
	       a->sk->lport == b->sk->lport &&
	       strcmp(holder_name(a, procs), holder_name(b, procs)) == 0 && ident_cmp(a, b) == 0 &&
	       (a->nowners || a->sk->uid == b->sk->uid);
}

/* Whether a socket bound to every interface is reachable through one of the host's public
 * addresses: IPv4 ones for 0.0.0.0, IPv6 ones for a v6only ::, either for a dual-stack ::. */
static bool public_all(const struct scope_public *h, const struct out_row *s)
{
	if (s->sk->family == AF_INET)
		return h->public4;
	return h->public6 || (s->scope == SCOPE_ALL && h->public4);
}

/* What a well-known port must be held by (PROG_SSH...), and how that reads; 0 for others. */
unsigned audit_port_role(uint16_t port, uint8_t protocol, const char **what)
{
	if (port == 22 && protocol == IPPROTO_TCP)
		return *what = "an SSH server", PROG_SSH;
	if (port == 53)
		return *what = "a DNS server", PROG_DNS;
	if (port == 25 && protocol == IPPROTO_TCP)
		return *what = "a mail server", PROG_MAIL;
	return 0;
}

/* Whether any holder of s runs as root. */
static bool root_holder(const struct out_row *s, const struct procfs_proc *procs)
{
	for (size_t j = 0; j < s->nowners; j++)
		if (procs[s->owners[j].proc].uid == 0)
			return true;
	return false;
}

/* Whether s is held by what its well-known port is not for (AUDIT_UNEXPECTED). Holders that
 * cannot be told, and those holding sockets for others (socket activation), are not. */
static bool unexpected(const struct out_row *s, const struct procfs_proc *procs)
{
	const struct prog_info *p = s->program;
	const char *what;
	unsigned role = audit_port_role(s->sk->lport, s->sk->protocol, &what);

	if (!s->nowners || (!p && !s->holders_known) || (p && (p->kind & PROG_PASS)))
		return false;
	if (role)
		return !p || !(p->kind & role);
	return (s->sk->lport == 80 || s->sk->lport == 443) && s->sk->protocol == IPPROTO_TCP &&
	       s->interpreted && root_holder(s, procs);
}

/* The reasons a finding's holders give (AUDIT_UNEXPECTED, _NAME_CLAIM, _EXE_DELETED). */
static unsigned holder_reasons(const struct out_row *s, const struct procfs_proc *procs)
{
	return (unexpected(s, procs) ? AUDIT_UNEXPECTED : 0) |
	       (s->claimed ? AUDIT_NAME_CLAIM : 0) | (s->deleted_exe ? AUDIT_EXE_DELETED : 0);
}

/* The risk a finding's facts set whatever the service: a port's guess alone goes no higher
 * than medium, holders that are not what they say are high, an unexpected program or a
 * deleted executable medium at least. */
static void bound_risk(struct audit_finding *f)
{
	if ((f->reasons & AUDIT_GUESS) && f->risk > SVC_RISK_MEDIUM)
		f->risk = SVC_RISK_MEDIUM;
	if (f->reasons & AUDIT_NAME_CLAIM)
		f->risk = SVC_RISK_HIGH;
	if ((f->reasons & (AUDIT_UNEXPECTED | AUDIT_EXE_DELETED)) && f->risk < SVC_RISK_MEDIUM)
		f->risk = SVC_RISK_MEDIUM;
}

/* The firewall's part: the most reachable verdict of the finding's sockets decides (reach_rank:
 * an unknown or open one wins over a partial one, which alone lowers the risk). */
static void assess_firewall(struct audit_finding *f, const struct audit *a)
{
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct reach_result *v = a->socks[a->order[i]].verdict;

		if (v && v->verdict != REACH_NONE &&
		    (!f->verdict || reach_rank(v->verdict) > reach_rank(f->verdict->verdict)))
			f->verdict = v;
	}
	if (!f->verdict)
		return;
	if (f->verdict->via.set)
		f->reasons = (f->reasons & ~(unsigned)AUDIT_ALL_NETNS) | AUDIT_PUBLISHED;
	if (f->verdict->verdict == REACH_UNKNOWN)
		f->reasons |= AUDIT_FW_UNKNOWN;
	if (f->verdict->only_family && f->verdict->verdict == REACH_OPEN)
		f->reasons |= AUDIT_FW_ONE_FAMILY;
	if (f->verdict->verdict == REACH_PARTIAL) {
		f->reasons |= AUDIT_FW_PARTIAL;
		if (f->risk > SVC_RISK_NONE)
			f->risk--;
	}
}

bool audit_rawpkt(const struct out_row *r)
{
	return r->sk->family == AF_PACKET || r->sk->protocol == IPPROTO_RAW;
}

/* The risk of a raw or packet socket's finding and why: a packet socket sees what crosses its
 * interface (medium), promiscuous also what is meant for other hosts (high); a raw socket
 * receives its IP protocol's packets (low), and IPPROTO_RAW writes whole IP headers (medium).
 * A filter on every socket, or loopback alone, is one level lower. */
static void assess_rawpkt(struct audit_finding *f, const struct audit *a,
			  const struct procfs_proc *procs)
{
	bool packet = a->socks[a->order[f->first]].sk->family == AF_PACKET;
	bool filtered = packet, loopback = true;

	f->reasons |= packet ? AUDIT_SNIFF : AUDIT_RAW;
	f->risk = packet ? SVC_RISK_MEDIUM : SVC_RISK_LOW;
	if (!packet && f->port == IPPROTO_RAW) {
		f->reasons |= AUDIT_RAW_FORGE;
		f->risk = SVC_RISK_MEDIUM;
	}
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];
		uint16_t pk = packet ? s->sk->pk.flags : 0;

		loopback = loopback && s->scope == SCOPE_LOOPBACK;
		if ((pk & LSOCK_PACKET_PROMISC) || s->if_promisc)
			f->reasons |= AUDIT_PROMISC;
		if (packet && !(pk & LSOCK_PACKET_FILTER_KNOWN))
			f->reasons |= AUDIT_FILTER_UNKNOWN;
		filtered = filtered && (pk & LSOCK_PACKET_FILTER);
		if (!s->nowners && s->owners_unknown)
			f->reasons |= AUDIT_NO_OWNER;
		if (root_holder(s, procs))
			f->reasons |= AUDIT_ROOT;
		f->reasons |= holder_reasons(s, procs) & (AUDIT_NAME_CLAIM | AUDIT_EXE_DELETED);
	}
	if (f->reasons & AUDIT_PROMISC)
		f->risk = SVC_RISK_HIGH;
	if (filtered) {
		f->reasons |= AUDIT_BPF_FILTER;
		f->risk--;
	}
	if (loopback) {
		f->reasons |= AUDIT_LOOPBACK_ONLY;
		if (f->risk > SVC_RISK_LOW)
			f->risk--;
	}
	bound_risk(f);
}

/* The risk of a vsock listener's finding and why, from the context id it is bound to: any
 * (VMADDR_CID_ANY) lets the other side of every vsock transport connect: in a guest its host,
 * on a host every guest (medium, as either may be this machine); the host's (2) every guest
 * (medium, high when root holds it: a guest's way onto the host); a guest's own only its host,
 * which controls the guest anyway (low). No firewall sees vsock. */
static void assess_vsock(struct audit_finding *f, const struct audit *a,
			 const struct procfs_proc *procs)
{
	uint32_t cid = a->socks[a->order[f->first]].sk->vs.cid;

	f->reasons |= cid == LSOCK_VSOCK_ANY ? AUDIT_VSOCK_ANY :
		      cid == LSOCK_VSOCK_CID_HOST ? AUDIT_VSOCK_HOST : AUDIT_VSOCK_GUEST;
	/* A guest's own cid is low; the hypervisor's (0) cannot be judged from here: medium. */
	f->risk = (f->reasons & AUDIT_VSOCK_GUEST) && cid != 0 ? SVC_RISK_LOW : SVC_RISK_MEDIUM;
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];

		if (!s->nowners && s->owners_unknown)
			f->reasons |= AUDIT_NO_OWNER;
		if (root_holder(s, procs))
			f->reasons |= AUDIT_ROOT;
		f->reasons |= holder_reasons(s, procs) & (AUDIT_NAME_CLAIM | AUDIT_EXE_DELETED);
	}
	if ((f->reasons & AUDIT_VSOCK_HOST) && (f->reasons & AUDIT_ROOT))
		f->risk = SVC_RISK_HIGH;
	bound_risk(f);
}

/* The risk of a finding and why. */
static void assess(struct audit_finding *f, const struct audit *a,
		   const struct procfs_proc *procs)
{
	const struct svc_info *info = f->svc.info;

	if (audit_rawpkt(&a->socks[a->order[f->first]])) {
		assess_rawpkt(f, a, procs);
		return;
	}

	f->risk = info ? (enum svc_risk)info->risk : SVC_RISK_LOW;
	if (!info)
		f->reasons |= AUDIT_UNKNOWN;
	else if (info->note)
		f->reasons |= AUDIT_NOTE;
	if (info && f->svc.source != SVC_SOURCE_PROGRAM)
		f->reasons |= AUDIT_GUESS;
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];

		if (s->scope == SCOPE_ALL || s->scope == SCOPE_ALL_V6)
			f->reasons |= public_all(f->reach, s) ? AUDIT_ALL_PUBLIC
				      : out_row_other_netns(s)	  ? AUDIT_ALL_NETNS
								  : AUDIT_ALL;
		if (s->scope == SCOPE_PUBLIC)
			f->reasons |= AUDIT_PUBLIC;
		if (!s->nowners && s->owners_unknown)
			f->reasons |= AUDIT_NO_OWNER;
		if (root_holder(s, procs))
			f->reasons |= AUDIT_ROOT;
		f->reasons |= holder_reasons(s, procs);
	}
	if (f->reasons & AUDIT_ALL_PUBLIC)
		f->reasons &= ~(unsigned)(AUDIT_ALL | AUDIT_ALL_NETNS);
	if ((f->reasons & (AUDIT_ROOT | AUDIT_ALL_PUBLIC)) && f->risk == SVC_RISK_MEDIUM)
		f->risk = SVC_RISK_HIGH;
	bound_risk(f);
	assess_firewall(f, a);
}

/* Whether a unix socket's holders are root: one runs as root, or with none found, the socket
 * was made by root (UNIX_DIAG_UID). */
static bool unix_root(const struct out_row *s, const struct procfs_proc *procs)
{
	if (s->nowners)
		return root_holder(s, procs);
	return (s->sk->un.flags & LSOCK_UNIX_UID) && s->sk->uid == 0;
}

/* Capabilities that make a process more privileged than its callers: any but binding ports
 * below 1024 (CAP_NET_BIND_SERVICE, 10). */
#define AUDIT_PRIVILEGED_CAPS (~(UINT64_C(1) << 10))

/* The holder of s that runs with capabilities (procfs_info.caps), or -1. */
long audit_caps_holder(const struct out_row *s)
{
	for (size_t j = 0; s->info && j < s->nowners; j++) {
		const struct procfs_info *in = &s->info[s->owners[j].proc];

		if (in->caps_known && (in->caps & AUDIT_PRIVILEGED_CAPS))
			return (long)s->owners[j].proc;
	}
	return -1;
}

/* What makes a unix listener a finding (AUDIT_UNIX_*), 0 for none: open to every user, or
 * to a root-equivalent group, or not checkable, while root holds it (or its holder could not
 * be seen, and so cannot be told not to be root). */
static unsigned unix_reasons(const struct out_row *s, const struct procfs_proc *procs)
{
	bool unseen = !s->nowners && s->owners_unknown && !(s->sk->un.flags & LSOCK_UNIX_UID);

	if (!lsock_is_listener(s->sk) ||
	    (!unix_root(s, procs) && audit_caps_holder(s) < 0 && !unseen))
		return 0;
	if (unix_scope_open(s->uscope))
		return AUDIT_UNIX_OPEN;
	if (s->uscope == UNIX_SCOPE_GROUP && s->ufile &&
	    unix_group_root_equivalent(s->ufile->group))
		return AUDIT_UNIX_GROUP;
	if (s->uscope == UNIX_SCOPE_UNCHECKED)
		return AUDIT_UNIX_UNCHECKED;
	return 0;
}

/* The risk of a unix finding and why: its note's risk when open to every user (none when it
 * is open by design), medium without a note or for a root-equivalent group, low when it
 * could not be checked. */
static void assess_unix(struct audit_finding *f, const struct audit *a,
			const struct procfs_proc *procs)
{
	const struct out_row *s = &a->socks[a->order[f->first]];
	const struct unix_note *note = s->unote;

	f->reasons = unix_reasons(s, procs);
	if (unix_root(s, procs))
		f->reasons |= AUDIT_ROOT;
	else if (audit_caps_holder(s) >= 0)
		f->reasons |= AUDIT_CAPS;
	else
		f->reasons |= AUDIT_NO_OWNER;
	if (f->reasons & AUDIT_UNIX_UNCHECKED) {
		f->risk = SVC_RISK_LOW;
		return;
	}
	f->risk = SVC_RISK_MEDIUM;
	if (note && note->info.note)
		f->reasons |= AUDIT_NOTE;
	if ((f->reasons & AUDIT_UNIX_OPEN) && note && note->expected) {
		f->reasons |= AUDIT_EXPECTED;
		f->risk = SVC_RISK_NONE;
	} else if ((f->reasons & AUDIT_UNIX_OPEN) && note) {
		f->risk = note->info.risk > SVC_RISK_LOW ? (enum svc_risk)note->info.risk
							 : SVC_RISK_LOW;
	}
}

const struct lsock *audit_unix_socket(const struct audit *a, const struct audit_finding *f)
{
	const struct lsock *sk = a->socks[a->order[f->first]].sk;

	return sk->family == AF_UNIX ? sk : NULL;
}

const struct lsock *audit_vsock_socket(const struct audit *a, const struct audit_finding *f)
{
	const struct lsock *sk = a->socks[a->order[f->first]].sk;

	return sk->family == AF_VSOCK ? sk : NULL;
}

const char *audit_protocol(const struct audit *a, const struct audit_finding *f)
{
	const struct lsock *sk = a->socks[a->order[f->first]].sk;

	return sk->family == AF_UNIX ? "unix" : lsock_protocol(sk);
}

bool audit_subflow(const struct audit *a, size_t i)
{
	return a->subflow && a->subflow[i];
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Mark the TCP listeners that stand for an MPTCP listener's subflows: the kernel keeps one
 * beside each MPTCP listener, grafted on the same socket (its inode) in the same namespace,
 * held by the same processes. 0 or -ENOMEM. */
static int mark_subflows(struct audit *a)
{
	size_t n = 0, k = 0;
	uint64_t *keys;

	for (size_t i = 0; i < a->nsocks; i++)
		n += (a->socks[i].sk->flags & LSOCK_MPTCP) && lsock_is_listener(a->socks[i].sk);
	if (!n)
		return 0;
	keys = malloc(n * sizeof(*keys));
	a->subflow = calloc(a->nsocks, sizeof(*a->subflow));
	if (!keys || !a->subflow) {
		free(keys);
		return -ENOMEM;
	}
	for (size_t i = 0; i < a->nsocks; i++) {
		const struct lsock *sk = a->socks[i].sk;

		if ((sk->flags & LSOCK_MPTCP) && lsock_is_listener(sk))
			keys[k++] = (uint64_t)sk->netns << 32 | sk->inode;
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < a->nsocks; i++) {
		const struct lsock *sk = a->socks[i].sk;
		uint64_t key = (uint64_t)sk->netns << 32 | sk->inode;

		a->subflow[i] = sk->protocol == IPPROTO_TCP && !(sk->flags & LSOCK_MPTCP) &&
				sk->family != AF_VSOCK && sk->inode && lsock_is_listener(sk) &&
				bsearch(&key, keys, n, sizeof(*keys), key_cmp);
	}
	free(keys);
	return 0;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct audit_finding *a = pa, *b = pb;

	if (a->risk != b->risk)
		return a->risk > b->risk ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->protocol != b->protocol)
		return a->protocol < b->protocol ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* An unconnected UDP socket on an ephemeral port nothing names is a client waiting for
 * answers (a resolver, a DHCP or NTP client), not a service. */
bool audit_client(const struct out_row *r, const struct svc_db *db)
{
	const struct lsock *sk = r->sk;

	return lsock_is_listener(sk) && lsock_is_inet_transport(sk) &&
	       sk->protocol == IPPROTO_UDP && !r->service &&
	       svc_ephemeral(db, sk->lport);
}

int audit_build(struct audit *a, const struct out_row *socks, size_t n,
		const struct procfs_proc *procs, const struct svc_db *db,
		const struct scope_public *host)
{
	size_t kept = 0;

	*a = (struct audit){ 0 };
	if (host)
		a->host = *host;
	a->socks = socks;
	a->nsocks = n;
	a->order = malloc((n ? n : 1) * sizeof(*a->order));
	a->findings = malloc((n ? n : 1) * sizeof(*a->findings));
	if (!a->order || !a->findings || mark_subflows(a) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct lsock *sk = socks[i].sk;

		if (audit_subflow(a, i)) /* its MPTCP listener is reviewed */
			continue;
		/* A vsock listener other machines (the host, guests) may connect to. */
		if (sk->family == AF_VSOCK) {
			if (socks[i].exposed)
				a->order[kept++] = i;
			continue;
		}
		if (sk->family == AF_UNIX) {
			if (unix_reasons(&socks[i], procs))
				a->order[kept++] = i;
			continue;
		}
		/* Every packet socket, every raw socket not connected to one peer. */
		if (audit_rawpkt(&socks[i])) {
			if (lsock_is_listener(sk))
				a->order[kept++] = i;
			continue;
		}
		if (!lsock_is_listener(sk) || !scope_exposed(socks[i].scope))
			continue;
		if (audit_client(&socks[i], db)) {
			a->clients++;
			continue;
		}
		/* What the firewall drops from every source is not reachable: counted only. */
		if (socks[i].verdict && socks[i].verdict->verdict == REACH_FILTERED) {
			a->filtered++;
			continue;
		}
		a->order[kept++] = i;
	}
	a->norder = kept;
	struct sort_ctx ctx = { a->socks, procs };

	if (kept)
		qsort_r(a->order, kept, sizeof(*a->order), group_cmp, &ctx);
	for (size_t i = 0; i < kept;) {
		const struct out_row *s = &a->socks[a->order[i]];
		struct audit_finding *f = &a->findings[a->nfindings++];
		size_t j = i + 1;

		while (j < kept && same_group(s, &a->socks[a->order[j]], procs))
			j++;
		*f = (struct audit_finding){
			.protocol = s->sk->protocol,
			.port = s->verdict && s->verdict->via.set ? s->verdict->via.port
								  : s->sk->lport,
			.netns = s->verdict && s->verdict->via.set ? NULL : out_row_other_netns(s),
			.reach = s->reach ? s->reach : &a->host,
			.svc = svc_of(s),
			.first = i,
			.count = j - i,
		};
		if (s->sk->family == AF_UNIX)
			assess_unix(f, a, procs);
		else if (s->sk->family == AF_VSOCK)
			assess_vsock(f, a, procs);
		else
			assess(f, a, procs);
		for (size_t k = i; k < j; k++)
			if (a->socks[a->order[k]].owners_unknown) {
				a->unidentified++;
				break;
			}
		i = j;
	}
	if (a->nfindings)
		qsort(a->findings, a->nfindings, sizeof(*a->findings), finding_cmp);
	return 0;
}

void audit_free(struct audit *a)
{
	free(a->order);
	free(a->findings);
	free(a->subflow);
	*a = (struct audit){ 0 };
}

bool audit_fails(const struct audit *a, enum svc_risk threshold)
{
	for (size_t i = 0; i < a->nfindings; i++)
		if (!a->findings[i].allowed_by && a->findings[i].risk >= threshold)
			return true;
	return false;
}

void audit_totals(const struct audit *a, size_t count[4], size_t *allowed)
{
	*allowed = 0;
	for (int i = 0; i < 4; i++)
		count[i] = 0;
	for (size_t i = 0; i < a->nfindings; i++) {
		count[a->findings[i].risk]++;
		*allowed += a->findings[i].allowed_by != 0;
	}
}

bool audit_first_address(const struct audit *a, const struct audit_finding *f, size_t i)
{
	const struct lsock *s = a->socks[a->order[i]].sk;

	if (s->family == AF_UNIX || s->family == AF_VSOCK) /* a finding is one name, one cid */
		return i == f->first;
	for (size_t j = f->first; j < i; j++) {
		const struct lsock *o = a->socks[a->order[j]].sk;

		if (o->family == s->family && o->ifindex == s->ifindex &&
		    (s->family == AF_PACKET || memcmp(o->laddr, s->laddr, 16) == 0))
			return false;
	}
	return true;
}

/* Whether owner j of the i-th socket of finding f is the first mention of its process. */
static bool first_holder(const struct audit *a, const struct audit_finding *f, size_t i,
			 size_t j)
{
	uint32_t p = a->socks[a->order[i]].owners[j].proc;

	for (size_t k = f->first; k <= i; k++) {
		const struct out_row *o = &a->socks[a->order[k]];
		size_t lim = k == i ? j : o->nowners;

		for (size_t m = 0; m < lim; m++)
			if (o->owners[m].proc == p)
				return false;
	}
	return true;
}

long audit_next_holder(const struct audit *a, const struct audit_finding *f, size_t *i,
		       size_t *j)
{
	for (; *i < f->first + f->count; (*i)++, *j = 0) {
		const struct out_row *s = &a->socks[a->order[*i]];

		while (*j < s->nowners) {
			size_t k = (*j)++;

			if (first_holder(a, f, *i, k))
				return (long)s->owners[k].proc;
		}
	}
	return -1;
}
