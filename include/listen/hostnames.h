/*
 * -r: host names for the sockets' addresses, from the system's resolver (getnameinfo: files,
 * DNS...). Each address is asked once; the answers are untrusted text (a PTR record says what
 * its owner likes), kept as given for the views to escape. The resolver can be slow: the look-
 * ups stop at a time budget, and the addresses left are counted, shown as numbers.
 */
#ifndef LISTEN_HOSTNAMES_H
#define LISTEN_HOSTNAMES_H

#include <stddef.h>
#include <stdint.h>

struct lsock;

/* One address and its name (NULL: the resolver has none, or was not asked in time). */
struct hostname {
	uint8_t family;
	unsigned char addr[16];
	char *name;
};

/* The names of a run's addresses, sorted by address. Zero-initialise; hostnames_free. */
struct hostnames {
	struct hostname *v;
	size_t len;
	size_t unasked; /* addresses not looked up: the budget ran out */
};

/* The function that names an address (getnameinfo's use, replaced in tests): 0 and a
 * malloc'd name in *name, -ENOENT when there is none, or another negative errno. */
typedef int hostnames_fn(uint8_t family, const unsigned char *addr, char **name);

/*
 * Name the local and peer addresses of the n TCP, UDP and MPTCP sockets (not wildcards) with
 * fn (NULL: the system's resolver), asking each address once, until budget_ms milliseconds
 * have passed. Returns 0 or -ENOMEM.
 */
int hostnames_resolve(struct hostnames *h, const struct lsock *socks, size_t n,
		      hostnames_fn *fn, unsigned budget_ms);

/* The name of addr (4 bytes for AF_INET, 16 for AF_INET6), or NULL. */
const char *hostnames_get(const struct hostnames *h, uint8_t family, const unsigned char *addr);

void hostnames_free(struct hostnames *h);

#endif
