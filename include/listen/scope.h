/* Bind scope: from where a socket's local address can be reached. */
#ifndef LISTEN_SCOPE_H
#define LISTEN_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ifaddr_table;
struct lsock;
struct sbuf;

enum scope_class {
	SCOPE_LOOPBACK,   /* 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104, or a wildcard bound to lo */
	SCOPE_ALL,        /* 0.0.0.0, or :: that also accepts IPv4 (dual-stack) */
	SCOPE_ALL_V6,     /* :: with IPV6_V6ONLY: every interface, IPv6 only */
	SCOPE_DEVICE,     /* a wildcard address bound to one device (SO_BINDTODEVICE) */
	SCOPE_LINK_LOCAL, /* 169.254.0.0/16, fe80::/10 */
	SCOPE_LAN,        /* RFC 1918, CGNAT 100.64.0.0/10, ULA fc00::/7, site-local fec0::/10 */
	SCOPE_MULTICAST,  /* 224.0.0.0/4, ff00::/8: a UDP socket joined to a group */
	SCOPE_PUBLIC,     /* any other address */
};

/* The class of an address alone (family AF_INET or AF_INET6, network byte order). v6only
 * tells a v6only :: from a dual-stack one. IPv4-mapped IPv6 addresses classify as IPv4.
 * AF_UNIX is SCOPE_LOOPBACK (reached from this host only), whatever addr holds. */
enum scope_class scope_classify(int family, const unsigned char *addr, bool v6only);

/*
 * The scope of a socket: its local address's class, except that a wildcard bound to a device
 * is SCOPE_DEVICE (SCOPE_LOOPBACK when the device is a loopback). *ifindex gets the device the
 * socket is bound to, else the interface that holds its address in ifs, else 0.
 */
enum scope_class scope_of(const struct lsock *sk, const struct ifaddr_table *ifs,
			  uint32_t *ifindex);

/* "loopback", "all", "all (v6 only)", "device", "link-local", "lan", "multicast", "public". */
const char *scope_name(enum scope_class c);

/* The same as one word for JSON and metrics: "all-v6only" for SCOPE_ALL_V6. */
const char *scope_key(enum scope_class c);

/* Append the Scope column's text: "all", "lan (eth0)", "device:eth0"; ifname (the device or
 * the interface holding the address, NULL if unknown) is escaped. For a socket in another
 * network namespace than the host's, netns names it: "all (in netns web)", "all (v6 only, in
 * netns web)", "lan (eth0, in netns web)"; loopback stays "loopback". */
void scope_text(struct sbuf *b, enum scope_class c, const char *ifname, const char *netns);

/* Append a packet socket's Scope text: what it sees, "sniffs all" (every device) or "sniffs
 * eth0" (ifname, escaped; NULL: "?"), then ", promisc" when it made its device promiscuous
 * (a PACKET_MR_PROMISC membership) or the device is (if_promisc), ", bpf filter" when a
 * classic BPF filter is attached, ", filter unknown" when the kernel would not say; netns as
 * scope_text's. */
void scope_packet_text(struct sbuf *b, const struct lsock *sk, const char *ifname,
		       bool if_promisc, const char *netns);

/* Copy the first address of family in ifs that is public (4 or 16 bytes) to out; false when
 * the host has none. */
bool scope_public_address(const struct ifaddr_table *ifs, int family, unsigned char *out);

/* A namespace's own public addresses, if it has any: a service on all interfaces is reachable
 * through them. */
struct scope_public {
	bool public4, public6;
	unsigned char addr4[4], addr6[16];
};

/* The public addresses among ifs. */
void scope_public_of(const struct ifaddr_table *ifs, struct scope_public *p);

/* Whether a socket of this scope can be reached from beyond this host: all but loopback. */
bool scope_exposed(enum scope_class c);

#endif
