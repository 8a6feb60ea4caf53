/*
 * Socket events: the kernel's destroy notifications (the sock_diag multicast groups that
 * `ss -E` reads), one record per TCP or UDP socket freed, with what the kernel still knew of
 * it: addresses, ports, state (mostly CLOSE by then), uid and cookie. Joining the groups
 * needs no privilege on kernels whose sock_diag lets any user receive them (4.9 and later);
 * where it is refused (EPERM), CAP_NET_ADMIN is tried, raised only around the bind.
 */
#ifndef LISTEN_SOCKEV_H
#define LISTEN_SOCKEV_H

#include <stddef.h>
#include <stdint.h>

struct diag_query;
struct lsock_vec;

/* The notification sockets of one network namespace: one for TCP's groups, one for UDP's
 * (a notification does not say its protocol; the group it came on does). */
struct sockev {
	int fd[2]; /* [0] UDP, [1] TCP, as diag_protocols; -1 when not joined */
};

/*
 * Join the destroy groups of q's protocols and families, in the calling thread's network
 * namespace (run it under netns_call for another). The sockets are non-blocking. Returns 0,
 * or a negative errno (-EPERM when this kernel refuses them to us): ev is closed then.
 */
int sockev_open(struct sockev *ev, const struct diag_query *q);

/*
 * Read every notification waiting on ev->fd[i] into out (records appended, cookie set,
 * inode 0 when the socket had none left). Returns 0; -ENOBUFS when the kernel dropped some
 * because they came faster than they were read (the records that did come are appended);
 * -EBADMSG for a malformed datagram (skipped); or another negative errno.
 */
int sockev_read(struct sockev *ev, int i, struct lsock_vec *out);

/* Parse one datagram of notifications of protocol (IPPROTO_TCP or IPPROTO_UDP): 0,
 * -EBADMSG or -ENOMEM. Apart from the I/O, so captured bytes replay (and fuzz). */
int sockev_parse(uint8_t protocol, const void *buf, size_t len, struct lsock_vec *out);

void sockev_close(struct sockev *ev);

#endif
