/* Enrichment: each collected socket with what the rest of the run knows about it. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "listen/activation.h"
#include "listen/cgroup.h"
#include "listen/enrich.h"
#include "listen/hostnames.h"
#include "listen/identify.h"
#include "listen/ifaddr.h"
#include "listen/ipproto.h"
#include "listen/plan.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/scope.h"
#include "listen/selinux.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/unix_scope.h"
#include "listen/unixfile.h"

/* The name of a device: from the interface dump, else its number as ss prints it. */
static const char *ifname(const struct ifaddr_table *ifs, uint32_t index, char *buf,
			  size_t size)
{
	const struct ifaddr_link *l;

	if (index == 0)
		return NULL;
	l = ifs ? ifaddr_link(ifs, index) : NULL;
	if (l)
		return l->name;
	snprintf(buf, size, "if%u", index);
	return buf;
}

/* Whether the device of a packet socket is promiscuous; for every device (index 0), any. */
static bool if_promisc(const struct ifaddr_table *ifs, uint32_t index)
{
	const struct ifaddr_link *l = ifs && index ? ifaddr_link(ifs, index) : NULL;

	for (size_t i = 0; ifs && !index && i < ifs->nlinks; i++)
		if (ifs->links[i].promisc)
			return true;
	return l && l->promisc;
}

/* What every family's row has: the socket, its namespace, and who holds it (or that some
 * holders could not be looked at). */
static struct out_row row_base(const struct enrich_src *src, const struct lsock *sk)
{
	const struct enrich_ns *ns = &src->ns[sk->netns];
	const struct procfs_map *m = src->owners;

	return (struct out_row){
		.sk = sk,
		.netns = ns->label,
		.netns_inode = ns->inode,
		.netns_other = ns->label && !ns->host,
		.netns_host_unknown = ns->label && ns->host_unknown,
		.owners = sk->owner_count ? m->owners + sk->owner_first : NULL,
		.nowners = sk->owner_count,
		.procs = m->procs,
		.info = src->info,
		.holders = src->holders,
		.owners_unknown = src->plan->owners && procfs_map_partial(m) && sk->inode &&
				  !sk->owner_count,
	};
}

/* A raw or packet socket's row: what it receives (the IP protocol, as ss names it, or the
 * ethertype), where from (the address's scope; the device a packet socket sniffs) and who
 * holds it. No service is guessed from a protocol number, no verdict from TCP and UDP rules. */
static struct out_row rawpkt_row(const struct enrich_src *src, const struct lsock *sk,
				 struct enrich_names *n)
{
	const struct enrich_ns *ns = &src->ns[sk->netns];
	uint32_t scope_if;
	enum scope_class scope = scope_of(sk, ns->ifs, &scope_if);
	bool packet = sk->family == AF_PACKET;
	const char *proto;

	if (packet) {
		proto = sk->lport == LSOCK_ETH_P_ALL ? "*" :
			src->plan->port_names ? ipproto_ether_name(sk->lport) : NULL;
		if (!proto) {
			snprintf(n->proto, sizeof(n->proto), "[%u]", sk->lport);
			proto = n->proto;
		}
	} else if (!src->plan->port_names) {
		proto = NULL; /* the number */
	} else if (!(proto = ipproto_name(src->ipprotos, (uint8_t)sk->lport))) {
		snprintf(n->proto, sizeof(n->proto), "ipproto-%u", sk->lport);
		proto = n->proto;
	}
	struct out_row r = row_base(src, sk);

	r.reach = ns->public;
	r.ifname = ifname(ns->ifs, sk->ifindex, n->dev, sizeof(n->dev));
	r.lservice = proto;
	r.cgroup = src->plan->cgroup_paths ? cgroup_path(src->cgroups, sk->cgroup_id) : NULL;
	r.scope = scope;
	r.scope_ifname = ifname(ns->ifs, scope_if, n->scope_dev, sizeof(n->scope_dev));
	/* A raw socket answers (or is answered by) the network like a UDP one; a packet socket
	 * is no service: the audit reviews it for what it sees. */
	r.exposed = !packet && lsock_is_listener(sk) && scope_exposed(scope);
	r.if_promisc = packet && if_promisc(ns->ifs, sk->ifindex);
	return r;
}

/* The socket unit behind a socket a service manager holds (socket activation): *activated,
 * and the unit listening there when one does. */
static const struct act_unit *activation(const struct enrich_src *src, const struct lsock *sk,
					 bool *activated)
{
	const struct procfs_map *m = src->owners;

	*activated = false;
	for (size_t i = 0; src->holders && i < sk->owner_count; i++) {
		const struct procfs_owner *ow = &m->owners[sk->owner_first + i];

		if (src->holders[ow->proc].manager) {
			*activated = true;
			return act_find(src->activation, sk, ow->pid != 1, m->procs[ow->proc].uid);
		}
	}
	return NULL;
}

/* A unix socket's row: where it is, who holds it, the socket unit behind it when a service
 * manager does (its path in ListenStream= and the like), who may connect (its file's
 * permissions, else its abstract name) and, by its name, what it is. */
static struct out_row unix_row(const struct enrich_src *src, const struct lsock *sk)
{
	const struct unixfile *f = src->unixfiles ? &src->unixfiles[sk - src->socks] : NULL;
	const struct unix_note *note = src->plan->services ? unix_note_find(sk) : NULL;
	struct out_row r = row_base(src, sk);
	const struct act_unit *act = activation(src, sk, &r.activated);

	r.scope = SCOPE_LOOPBACK; /* no network address: reached from this host only */
	r.uscope = unix_scope_of(sk, f);
	r.ufile = f && f->status != UNIXFILE_UNCHECKED ? f : NULL;
	r.unote = note;

	r.socket_unit = act ? act->name : NULL;
	r.activates = act ? act->service : NULL;
	if (note) {
		r.service = note->info.name;
		r.svc = &note->info;
		r.service_source = SVC_SOURCE_PATH;
	}
	/* A note is a warning where every user may connect to what should not be open. */
	r.warn = note && note->info.note && !note->expected && lsock_is_listener(sk) &&
		 unix_scope_open(r.uscope);
	return r;
}

/* A vsock socket's row: where it is and who holds it (no address of IP's, no port's name,
 * no scope). A listener is exposed unless bound to VMADDR_CID_LOCAL: the host or its guests,
 * other machines, may connect (the audit says which). */
static struct out_row vsock_row(const struct enrich_src *src, const struct lsock *sk)
{
	struct out_row r = row_base(src, sk);

	r.scope = SCOPE_LOOPBACK; /* views print none */
	r.exposed = lsock_is_listener(sk) && sk->vs.cid != LSOCK_VSOCK_CID_LOCAL;
	return r;
}

/* The row of sk as its family has it, before -Z's and -z's contexts. */
static struct out_row family_row(const struct enrich_src *src, const struct lsock *sk,
				 struct enrich_names *n)
{
	if (sk->family == AF_UNIX)
		return unix_row(src, sk);
	if (sk->family == AF_VSOCK)
		return vsock_row(src, sk);
	if (sk->family == AF_PACKET || sk->protocol == IPPROTO_RAW)
		return rawpkt_row(src, sk, n);

	const struct plan *p = src->plan;
	const struct svc_db *names = p->port_names ? src->services : NULL;
	const struct enrich_ns *ns = &src->ns[sk->netns];
	uint32_t scope_if;
	enum scope_class scope = scope_of(sk, ns->ifs, &scope_if);
	bool exposed = lsock_is_listener(sk) && scope_exposed(scope), activated;
	const struct act_unit *act = activation(src, sk, &activated);
	struct out_row r = row_base(src, sk);

	r.reach = ns->public;
	r.activated = activated;
	r.socket_unit = act ? act->name : NULL;
	r.activates = act ? act->service : NULL;
	r.ifname = ifname(ns->ifs, sk->ifindex, n->dev, sizeof(n->dev));
	r.lhost = hostnames_get(src->hosts, sk->family, sk->laddr);
	r.rhost = hostnames_get(src->hosts, sk->family, sk->raddr);
	r.lservice = names ? svc_port_name(names, sk->lport, sk->protocol) : NULL;
	r.rservice = names ? svc_port_name(names, sk->rport, sk->protocol) : NULL;
	r.cgroup = p->cgroup_paths ? cgroup_path(src->cgroups, sk->cgroup_id) : NULL;
	r.sock_cgroup = sk->owner_count ? NULL : cgroup_path(src->cgroups, sk->cgroup_id);
	r.scope = scope;
	r.scope_ifname = ifname(ns->ifs, scope_if, n->scope_dev, sizeof(n->scope_dev));
	r.exposed = exposed;
	r.verdict = src->verdicts ? &src->verdicts[sk - src->socks] : NULL;

	if (p->services)
		ident_service(&r, src->services, &n->svc);
	/* A service's note is worth a warning where other hosts can reach it: bound beyond
	 * loopback, unless the firewall drops it from every source. A holder that is not what
	 * it calls itself is worth one wherever it listens. */
	bool dropped = r.verdict && r.verdict->verdict == REACH_FILTERED;

	r.warn = (exposed && !dropped && r.svc && !r.service_peer && r.svc->note) ||
		 (lsock_is_listener(sk) && r.claimed);
	return r;
}

struct out_row enrich_row(const struct enrich_src *src, const struct lsock *sk,
			  struct enrich_names *n)
{
	struct out_row row = family_row(src, sk, n);
	const struct selinux_contexts *c = src->contexts;

	if (c) {
		row.proc_ctx = c->procs;
		row.sock_ctx = c->fds && sk->owner_count ? c->fds + sk->owner_first : NULL;
	}
	return row;
}

int enrich_all(const struct enrich_src *src, const struct lsock *socks, size_t n,
	       struct out_row **rows, struct enrich_names **names)
{
	*rows = malloc((n ? n : 1) * sizeof(**rows));
	*names = malloc((n ? n : 1) * sizeof(**names));
	if (!*rows || !*names)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		(*rows)[i] = enrich_row(src, &socks[i], &(*names)[i]);
	return 0;
}
