/* The firewall's verdict on each exposed listener, and the ports other namespaces publish. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/enrich.h"
#include "listen/firewall.h"
#include "listen/ifaddr.h"
#include "listen/reach.h"
#include "listen/scope.h"
#include "listen/sock.h"
#include "listen/verdict.h"

/* Whether the socket is a listener a firewall could matter to. */
static bool evaluated(const struct enrich_ns *ns, const struct lsock *sk)
{
	uint32_t ifindex;

	return ns->fw && lsock_is_inet_transport(sk) && lsock_is_listener(sk) &&
	       scope_exposed(scope_of(sk, ns->ifs, &ifindex));
}

/* The address of family on interface index, or NULL. */
static const unsigned char *if_addr(const struct ifaddr_table *t, uint32_t index, int family)
{
	for (size_t i = 0; t && i < t->naddrs; i++)
		if (t->addrs[i].index == index && t->addrs[i].family == family)
			return t->addrs[i].addr;
	return NULL;
}

/* Whether the socket's address is IPv4-mapped IPv6 (::ffff:a.b.c.d). */
static bool v4_mapped(const struct lsock *sk)
{
	static const unsigned char prefix[12] = { [10] = 0xff, [11] = 0xff };

	return sk->family == AF_INET6 && memcmp(sk->laddr, prefix, 12) == 0;
}

/* The verdict of one family over one interface (NULL name: unknown interface). */
static int eval_one(const struct enrich_ns *ns, const struct lsock *sk, int family,
		    const struct ifaddr_link *l, struct reach_result *out)
{
	static const unsigned char zero[16];
	struct reach_query q = { sk->protocol, (uint8_t)family, false, { 0 }, sk->lport,
				 l ? l->name : NULL, NULL, true, false };
	size_t alen = family == AF_INET ? 4 : 16;
	const unsigned char *a = NULL;

	if (v4_mapped(sk))
		a = sk->laddr + 12;
	else if (sk->family == family && memcmp(sk->laddr, zero, alen) != 0)
		a = sk->laddr;
	else if (l)
		a = if_addr(ns->ifs, l->index, family);
	if (a) {
		q.daddr_known = true;
		memcpy(q.daddr, a, alen);
	}
	return reach_eval(ns->fw, REACH_INPUT, &q, out);
}

/* The families a socket receives: IPv4, IPv6, or both for a dual-stack wildcard. */
static unsigned families(const struct lsock *sk)
{
	static const unsigned char zero[16];
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;

	if (sk->family == AF_INET || v4_mapped(sk))
		return 1;
	if (!v6only && memcmp(sk->laddr, zero, 16) == 0)
		return 3;
	return 2;
}

/*
 * The input verdict of one socket: over every family and interface it can be reached by, the
 * most reachable. Linux takes a packet for any of its unicast addresses on any interface (the
 * weak host model), so a socket bound to one address is reached through every interface, as a
 * wildcard is: the interface holding the address decides its Scope, not its Reach (a service
 * address on lo is reached from outside too). Only a socket bound to a device (SO_BINDTODEVICE,
 * or an IPv6 link-local address's scope) is reached through that device alone. Loopback
 * addresses are not evaluated (evaluated(): the kernel drops them arriving on other
 * interfaces), and rp_filter is not modelled: a strict one may drop what this calls open.
 */
static int eval_input(const struct enrich_ns *ns, const struct lsock *sk, struct reach_result *v)
{
	uint32_t owner = sk->ifindex;
	unsigned fams = families(sk);
	int rank[2] = { 0, 0 }, r = 0;

	*v = (struct reach_result){ .verdict = REACH_NONE };
	for (int f = 0; f < 2 && r == 0; f++) {
		struct reach_result fam = { .verdict = REACH_NONE };
		bool any = false;

		if (!(fams & (1u << f)))
			continue;
		for (size_t i = 0; ns->ifs && i < ns->ifs->nlinks && r == 0; i++) {
			const struct ifaddr_link *l = &ns->ifs->links[i];
			struct reach_result one = { 0 }; /* freed even when eval_one fails first */

			if (l->loopback || (owner && l->index != owner))
				continue;
			any = true;
			if ((r = eval_one(ns, sk, f ? AF_INET6 : AF_INET, l, &one)) == 0)
				r = reach_merge(&fam, &one);
			reach_result_free(&one);
		}
		if (!any && r == 0) {
			struct reach_result one = { 0 };

			if ((r = eval_one(ns, sk, f ? AF_INET6 : AF_INET, NULL, &one)) == 0)
				r = reach_merge(&fam, &one);
			reach_result_free(&one);
		}
		rank[f] = reach_rank(fam.verdict);
		if (r == 0)
			r = reach_merge(v, &fam);
		reach_result_free(&fam);
	}
	/* Dual stack, one family filtered and the other let in from any source: the classic
	 * ruleset written for one family ("ip" tables, iptables without ip6tables). Not when the
	 * other's verdict is unknown: nothing says it is let in. */
	int open = reach_rank(REACH_OPEN), filtered = reach_rank(REACH_FILTERED);

	if (r == 0 && fams == 3 && ((rank[0] == filtered && rank[1] == open) ||
				    (rank[1] == filtered && rank[0] == open)))
		v->only_family = rank[1] == open ? AF_INET6 : AF_INET;
	return r;
}

/* A published port found in one namespace, with the interface it arrives on. */
struct pub {
	struct reach_dnat d;
	size_t ns;
	const struct ifaddr_link *iif;
};

/* Every port each namespace's prerouting nat publishes, per non-loopback interface. */
static int find_published(const struct enrich_src *src, size_t nns, struct pub **out, size_t *n)
{
	for (size_t k = 0; k < nns; k++) {
		const struct enrich_ns *ns = &src->ns[k];

		for (size_t i = 0; ns->fw && ns->ifs && i < ns->ifs->nlinks; i++) {
			const struct ifaddr_link *l = &ns->ifs->links[i];
			struct reach_dnat *d;
			size_t nd;

			if (l->loopback)
				continue;
			if (reach_published(ns->fw, l->name, &d, &nd) < 0)
				return -ENOMEM;
			for (size_t j = 0; j < nd; j++) {
				bool seen = false;

				for (size_t m = 0; m < *n && !seen; m++)
					seen = (*out)[m].ns == k && (*out)[m].d.port == d[j].port &&
					       (*out)[m].d.protocol == d[j].protocol &&
					       (*out)[m].d.family == d[j].family;
				struct pub *p = seen ? NULL : fw_grow(out, n, sizeof(**out));

				if (!seen && !p) {
					free(d);
					return -ENOMEM;
				}
				if (p)
					*p = (struct pub){ d[j], k, l };
			}
			free(d);
		}
	}
	return 0;
}

/* Whether a published port lands on this socket: its namespace holds the address (or it is
 * the same namespace, for a redirect), and the socket listens there. */
static bool lands_on(const struct enrich_src *src, const struct pub *p, const struct lsock *sk)
{
	static const unsigned char zero[16];
	const struct enrich_ns *ns = &src->ns[sk->netns];
	size_t alen = p->d.family == AF_INET ? 4 : 16;
	unsigned fams = families(sk);

	if (sk->protocol != p->d.protocol || sk->lport != p->d.to_port ||
	    !(fams & (p->d.family == AF_INET ? 1u : 2u)))
		return false;
	if (p->d.redirect)
		return sk->netns == p->ns;
	if (sk->netns == p->ns)
		return false;
	if (v4_mapped(sk))
		return memcmp(sk->laddr + 12, p->d.addr, 4) == 0;
	if (memcmp(sk->laddr, zero, sk->family == AF_INET ? 4 : 16) != 0)
		return sk->family == p->d.family && memcmp(sk->laddr, p->d.addr, alen) == 0;
	return ifaddr_owner(ns->ifs, p->d.family, p->d.addr) != 0;
}

/* The interface of ns on the subnet holding addr, or NULL. */
static const char *subnet_if(const struct ifaddr_table *t, int family, const unsigned char *a)
{
	for (size_t i = 0; t && i < t->naddrs; i++) {
		const struct ifaddr_addr *x = &t->addrs[i];
		size_t bits = x->prefixlen, full = bits / 8;
		const struct ifaddr_link *l;

		if (x->family != family || (l = ifaddr_link(t, x->index)) == NULL || l->loopback)
			continue;
		if (memcmp(x->addr, a, full) == 0 &&
		    (bits % 8 == 0 || ((x->addr[full] ^ a[full]) & (0xff00 >> (bits % 8))) == 0))
			return l->name;
	}
	return NULL;
}

/* A published socket's verdict: the publishing namespace's forward hook (for a dnat), with
 * the socket's own input verdict when it has one. */
static int eval_published(const struct enrich_src *src, const struct pub *p,
			  struct reach_result *v)
{
	const struct enrich_ns *ns = &src->ns[p->ns];
	struct reach_query q = { p->d.protocol, p->d.family, true, { 0 }, p->d.to_port,
				 p->iif->name, NULL, false, true };
	struct reach_result fwd;
	int r;

	memcpy(q.daddr, p->d.addr, 16);
	q.oifname = subnet_if(ns->ifs, p->d.family, p->d.addr);
	if (p->d.redirect) {
		v->via = (struct reach_via){ true, p->d.family, { 0 }, p->d.port };
		return 0;
	}
	r = reach_eval(ns->fw, REACH_FORWARD, &q, &fwd);
	if (r < 0)
		return r;
	if (v->verdict == REACH_NONE || v->verdict == REACH_OPEN ||
	    fwd.verdict == REACH_FILTERED || fwd.verdict == REACH_UNKNOWN) {
		reach_result_free(v);
		*v = fwd;
	} else {
		reach_result_free(&fwd);
	}
	v->via = (struct reach_via){ true, p->d.family, { 0 }, p->d.port };
	return 0;
}

int verdict_all(const struct enrich_src *src, const struct lsock *socks, size_t n,
		struct reach_result **out)
{
	size_t npub = 0;
	struct pub *pub = NULL;
	int r;

	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	r = find_published(src, src->nns, &pub, &npub);
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct enrich_ns *ns = &src->ns[socks[i].netns];

		if (evaluated(ns, &socks[i]))
			r = eval_input(ns, &socks[i], &(*out)[i]);
		for (size_t k = 0; k < npub && r == 0; k++)
			if (lsock_is_inet_transport(&socks[i]) && lsock_is_listener(&socks[i]) &&
			    lands_on(src, &pub[k], &socks[i]))
				r = eval_published(src, &pub[k], &(*out)[i]);
	}
	free(pub);
	return r;
}

void verdict_free(struct reach_result *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		reach_result_free(&v[i]);
	free(v);
}
