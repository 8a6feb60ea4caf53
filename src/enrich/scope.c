/* Bind-scope classification of local addresses. */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/escape.h"
#include "listen/ifaddr.h"
#include "listen/sbuf.h"
#include "listen/scope.h"
#include "listen/sock.h"

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static enum scope_class classify4(const unsigned char *a)
{
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];

	if (v == 0)
		return SCOPE_ALL;
	if (a[0] == 127)
		return SCOPE_LOOPBACK;
	if (a[0] == 10 || (v & 0xfff00000) == 0xac100000 || (v & 0xffff0000) == 0xc0a80000 ||
	    (v & 0xffc00000) == 0x64400000)
		return SCOPE_LAN; /* 10/8, 172.16/12, 192.168/16, 100.64/10 */
	if ((v & 0xffff0000) == 0xa9fe0000)
		return SCOPE_LINK_LOCAL; /* 169.254/16 */
	if ((a[0] & 0xf0) == 0xe0)
		return SCOPE_MULTICAST; /* 224/4 */
	return SCOPE_PUBLIC;
}

enum scope_class scope_classify(int family, const unsigned char *addr, bool v6only)
{
	static const unsigned char any[16], loop[16] = { [15] = 1 };

	if (family == AF_UNIX)
		return SCOPE_LOOPBACK; /* reached from this host only */
	if (family == AF_PACKET)
		return SCOPE_ALL; /* every device, unless bound to one (scope_of) */
	if (family == AF_INET)
		return classify4(addr);
	if (memcmp(addr, v4mapped, sizeof(v4mapped)) == 0)
		return classify4(addr + 12);
	if (memcmp(addr, any, 16) == 0)
		return v6only ? SCOPE_ALL_V6 : SCOPE_ALL;
	if (memcmp(addr, loop, 16) == 0)
		return SCOPE_LOOPBACK;
	if (addr[0] == 0xff)
		return SCOPE_MULTICAST;
	if (addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80)
		return SCOPE_LINK_LOCAL;
	if ((addr[0] & 0xfe) == 0xfc || (addr[0] == 0xfe && (addr[1] & 0xc0) == 0xc0))
		return SCOPE_LAN;
	return SCOPE_PUBLIC;
}

enum scope_class scope_of(const struct lsock *sk, const struct ifaddr_table *ifs,
			  uint32_t *ifindex)
{
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;
	enum scope_class c = scope_classify(sk->family, sk->laddr, v6only);

	*ifindex = sk->ifindex;
	if (sk->family == AF_UNIX || (sk->family == AF_PACKET && !sk->ifindex))
		return c;
	if (sk->ifindex) {
		const struct ifaddr_link *l = ifaddr_link(ifs, sk->ifindex);

		if (l && l->loopback)
			return SCOPE_LOOPBACK;
		return c == SCOPE_ALL || c == SCOPE_ALL_V6 ? SCOPE_DEVICE : c;
	}
	if (c == SCOPE_ALL || c == SCOPE_ALL_V6 || c == SCOPE_LOOPBACK)
		return c;
	if (sk->family == AF_INET6 && memcmp(sk->laddr, v4mapped, sizeof(v4mapped)) == 0)
		*ifindex = ifaddr_owner(ifs, AF_INET, sk->laddr + 12);
	else
		*ifindex = ifaddr_owner(ifs, sk->family, sk->laddr);
	return c;
}

const char *scope_name(enum scope_class c)
{
	static const char *const names[] = {
		[SCOPE_LOOPBACK] = "loopback",     [SCOPE_ALL] = "all",
		[SCOPE_ALL_V6] = "all (v6 only)",  [SCOPE_DEVICE] = "device",
		[SCOPE_LINK_LOCAL] = "link-local", [SCOPE_LAN] = "lan",
		[SCOPE_MULTICAST] = "multicast",   [SCOPE_PUBLIC] = "public",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

const char *scope_key(enum scope_class c)
{
	static const char *const keys[] = {
		[SCOPE_LOOPBACK] = "loopback",     [SCOPE_ALL] = "all",
		[SCOPE_ALL_V6] = "all-v6only",     [SCOPE_DEVICE] = "device",
		[SCOPE_LINK_LOCAL] = "link-local", [SCOPE_LAN] = "lan",
		[SCOPE_MULTICAST] = "multicast",   [SCOPE_PUBLIC] = "public",
	};

	return (unsigned)c < sizeof(keys) / sizeof(keys[0]) ? keys[c] : "?";
}

void scope_text(struct sbuf *b, enum scope_class c, const char *ifname, const char *netns)
{
	const char *name = scope_name(c);
	size_t len = strlen(name);
	bool open = false;

	if (c == SCOPE_LOOPBACK)
		netns = NULL; /* loopback is loopback in any namespace */
	if (c == SCOPE_DEVICE) {
		sbuf_puts(b, "device:");
		esc_term(b, ifname ? ifname : "?", ifname ? strlen(ifname) : 1);
		ifname = NULL;
	} else if (name[len - 1] == ')') { /* "all (v6 only)": more goes inside */
		sbuf_add(b, name, len - 1);
		open = true;
	} else {
		sbuf_puts(b, name);
	}
	if (c == SCOPE_LOOPBACK || c == SCOPE_ALL || c == SCOPE_ALL_V6)
		ifname = NULL;
	if (ifname) {
		sbuf_puts(b, open ? ", " : " (");
		esc_term(b, ifname, strlen(ifname));
		open = true;
	}
	if (netns) {
		sbuf_puts(b, open ? ", in netns " : " (in netns ");
		esc_term(b, netns, strlen(netns));
		open = true;
	}
	if (open)
		sbuf_putc(b, ')');
}

void scope_packet_text(struct sbuf *b, const struct lsock *sk, const char *ifname,
		       bool if_promisc, const char *netns)
{
	sbuf_puts(b, "sniffs ");
	if (!sk->ifindex)
		sbuf_puts(b, "all");
	else
		esc_term(b, ifname ? ifname : "?", ifname ? strlen(ifname) : 1);
	if ((sk->pk.flags & LSOCK_PACKET_PROMISC) || if_promisc)
		sbuf_puts(b, ", promisc");
	if (sk->pk.flags & LSOCK_PACKET_FILTER)
		sbuf_puts(b, ", bpf filter");
	else if (!(sk->pk.flags & LSOCK_PACKET_FILTER_KNOWN))
		sbuf_puts(b, ", filter unknown");
	if (netns) {
		sbuf_puts(b, " (in netns ");
		esc_term(b, netns, strlen(netns));
		sbuf_putc(b, ')');
	}
}

bool scope_exposed(enum scope_class c)
{
	return c != SCOPE_LOOPBACK;
}

void scope_public_of(const struct ifaddr_table *ifs, struct scope_public *p)
{
	p->public4 = scope_public_address(ifs, AF_INET, p->addr4);
	p->public6 = scope_public_address(ifs, AF_INET6, p->addr6);
}

bool scope_public_address(const struct ifaddr_table *ifs, int family, unsigned char *out)
{
	for (size_t i = 0; i < ifs->naddrs; i++) {
		const struct ifaddr_addr *a = &ifs->addrs[i];

		if (a->family == family && scope_classify(family, a->addr, true) == SCOPE_PUBLIC) {
			memcpy(out, a->addr, family == AF_INET ? 4 : 16);
			return true;
		}
	}
	return false;
}
