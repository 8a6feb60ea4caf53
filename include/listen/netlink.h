/* What the sock_diag and rtnetlink collectors share: walking reply datagrams, running dumps. */
#ifndef LISTEN_NETLINK_H
#define LISTEN_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "listen/capture.h"

struct mnl_socket;
struct nlmsghdr;

/* Called for each message of a reply that is not NLMSG_DONE, NLMSG_ERROR or NLMSG_NOOP;
 * returns 0 or a negative errno, which ends the walk. */
typedef int netlink_msg_fn(void *ctx, const struct nlmsghdr *nlh);

/*
 * Walk the messages of one reply datagram (buf aligned for netlink headers). Sets
 * *interrupted if a message carries NLM_F_DUMP_INTR. Returns 1 when more datagrams are
 * expected, 0 when NLMSG_DONE (or an acknowledgement) ended the dump, -EBADMSG for bytes
 * that are not well-formed messages, the negative errno an NLMSG_ERROR carried, or fn's error.
 */
int netlink_walk(const void *buf, size_t len, bool *interrupted, netlink_msg_fn *fn, void *ctx);

/* A netlink socket of the given bus, bound; NULL with errno set on failure. */
struct mnl_socket *netlink_open(int bus);

/* Where a dump's reply datagrams are also written, and under which header; f may be NULL. */
struct netlink_capture {
	FILE *f;
	enum capture_source source;
	uint8_t family, protocol;
	/* If set, called on each datagram (buf, len) before it is written, to clear what must
	 * not reach a file (TCP MD5 keys); the parser sees the datagram as it was. */
	void (*scrub)(void *buf, size_t len);
};

/* Receive buffer size for netlink_dump: the kernel fills dump datagrams up to 32 KiB. */
#define NETLINK_RECV_SIZE 65536

/*
 * Send the dump request req and feed every reply datagram to netlink_walk with fn until the
 * dump ends; buf holds NETLINK_RECV_SIZE bytes. Returns 0, -EAGAIN when the dump must be
 * restarted on a fresh socket (the kernel flagged it inconsistent, or dropped replies with
 * ENOBUFS), or another negative errno.
 */
int netlink_dump(struct mnl_socket *nl, void *buf, const struct nlmsghdr *req, netlink_msg_fn *fn,
		 void *ctx, const struct netlink_capture *capture);

/* One whole sock_diag dump on nl (a request with sequence number seq, then netlink_dump). */
typedef int netlink_dump_fn(struct mnl_socket *nl, void *buf, uint32_t seq, void *arg);

/* How many times a dump the kernel says was interrupted is tried before it is given up. */
#define NETLINK_DUMP_TRIES 8

/*
 * Run dump on a fresh NETLINK_SOCK_DIAG socket, with a NETLINK_RECV_SIZE buffer, and again,
 * on another fresh socket (so no reply of the interrupted dump is read), while it returns
 * -EAGAIN, at most NETLINK_DUMP_TRIES times; *len (the records kept) goes back to what it was
 * before each new try. Once only when capturing: a capture holds the one dump. Returns
 * dump's last result, or a negative errno.
 */
int netlink_dump_whole(netlink_dump_fn *dump, void *arg, size_t *len, bool capturing);

#endif
