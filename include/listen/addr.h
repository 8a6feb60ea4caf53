/* Socket addresses as ss prints them, and the names of the devices sockets are bound to. */
#ifndef LISTEN_ADDR_H
#define LISTEN_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsock;

/* Room for "[" + the longest IPv6 text + "]" and the NUL. */
#define ADDR_STRLEN 48

/*
 * Write addr (network byte order, 4 or 16 bytes by family) as ss does: "127.0.0.1", "[::1]",
 * "[::ffff:127.0.0.1]"; the IPv6 wildcard is "*" on a dual-stack socket and "[::]" on a v6only
 * one. buf must hold ADDR_STRLEN bytes. Returns buf.
 */
char *addr_format(char *buf, int family, const unsigned char *addr, bool v6only);

/* Device names for the ifindexes sockets are bound to, resolved once. */
struct addr_ifnames {
	struct addr_ifname *v;
	size_t len;
};

/* Resolve the name of every distinct nonzero ifindex in socks. Returns 0 or -ENOMEM. */
int addr_ifnames_resolve(struct addr_ifnames *t, const struct lsock *socks, size_t n);

/* The name of ifindex, or NULL if it was not resolved. */
const char *addr_ifname(const struct addr_ifnames *t, uint32_t ifindex);

void addr_ifnames_free(struct addr_ifnames *t);

#endif
