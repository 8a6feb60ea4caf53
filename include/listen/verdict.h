/*
 * The firewall's verdict on each row: for every exposed listener (a TCP listener or unconnected
 * UDP socket, any scope but loopback) in a namespace whose ruleset was read, what a new
 * connection from another host meets on the input hook, over each family and interface it can
 * arrive by; and for a listener another namespace publishes (a dnat in its prerouting nat
 * chains to this listener's address and port, or a redirect to its port), the host's port it
 * is reached through and the verdict of the publishing namespace's forward hook. Pure.
 */
#ifndef LISTEN_VERDICT_H
#define LISTEN_VERDICT_H

#include <stddef.h>

struct enrich_src;
struct lsock;
struct reach_result;

/*
 * The verdicts of the n sockets (indexed like socks) into *out, malloc'd; REACH_NONE for a row
 * not evaluated. Release with verdict_free. Returns 0 or -ENOMEM.
 */
int verdict_all(const struct enrich_src *src, const struct lsock *socks, size_t n,
		struct reach_result **out);

void verdict_free(struct reach_result *v, size_t n);

#endif
