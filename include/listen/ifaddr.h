/*
 * Network interfaces from rtnetlink: their names and flags (RTM_GETLINK) and their addresses
 * (RTM_GETADDR), to name the device a socket is bound to and the interface owning its address.
 */
#ifndef LISTEN_IFADDR_H
#define LISTEN_IFADDR_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ifaddr_link {
	uint32_t index;
	bool loopback;           /* IFF_LOOPBACK */
	bool promisc;            /* IFF_PROMISC: set promiscuous by hand (ip link ... promisc
				  * on), not by a packet socket's membership */
	char name[IF_NAMESIZE];  /* escaped by whoever prints it: the kernel allows any byte */
};

struct ifaddr_addr {
	uint32_t index;
	uint8_t family;          /* AF_INET or AF_INET6 */
	uint8_t prefixlen;       /* of the subnet it is on (the firewall's forward path) */
	unsigned char addr[16];  /* network byte order; 4 bytes used for AF_INET */
};

/* Zero-initialise; release with ifaddr_table_free. */
struct ifaddr_table {
	struct ifaddr_link *links;
	size_t nlinks, links_cap;
	struct ifaddr_addr *addrs;
	size_t naddrs, addrs_cap;
	bool interrupted;        /* a reply carried NLM_F_DUMP_INTR */
};

/*
 * Parse one datagram of an RTM_GETLINK or RTM_GETADDR dump reply into t. Returns 1 when more
 * datagrams are expected, 0 at the end of the dump, -EBADMSG for malformed bytes, -ENOMEM, or
 * the errno of an NLMSG_ERROR. Messages of other types and unknown attributes are skipped.
 */
int ifaddr_parse(struct ifaddr_table *t, const void *buf, size_t len);

/* Dump the links and addresses of the current network namespace into t, writing each reply
 * datagram to capture if it is not NULL. Returns 0 or a negative errno. */
int ifaddr_collect(struct ifaddr_table *t, FILE *capture);

/* Read the rtnetlink datagrams of a capture (capture.h; buf holds the whole file). A capture
 * without any leaves t empty. Returns 0, -EBADMSG or -ENOMEM. */
int ifaddr_replay(struct ifaddr_table *t, const void *buf, size_t len);

/* The link with this index, or NULL. */
const struct ifaddr_link *ifaddr_link(const struct ifaddr_table *t, uint32_t index);

/* The index of the interface that holds addr (family AF_INET or AF_INET6), or 0. */
uint32_t ifaddr_owner(const struct ifaddr_table *t, int family, const unsigned char *addr);

void ifaddr_table_free(struct ifaddr_table *t);

#endif
