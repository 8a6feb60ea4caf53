/*
 * The vsock collector: dumps AF_VSOCK sockets (virtual machine sockets: a guest and its host
 * talk over them by context id and port) over NETLINK_SOCK_DIAG, from the kernel's
 * vsock_diag. No /proc/net table lists them: a kernel without vsock_diag cannot be asked.
 */
#ifndef LISTEN_VSOCKDIAG_H
#define LISTEN_VSOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct diag_query;
struct lsock_vec;

/* State of one dump being parsed: fed the reply datagrams in order. */
struct vsockdiag_parser {
	struct lsock_vec *out;
	bool interrupted;  /* a message carried NLM_F_DUMP_INTR: the dump must restart */
	uint32_t states;   /* if not 0, records in other states are dropped (a replay does what
			    * the kernel's state mask did) */
};

/*
 * Parse one datagram of a vsock_diag dump reply, appending a record per socket (family
 * AF_VSOCK, lsock.vs) to p->out. Returns 1 when more datagrams are expected, 0 when
 * NLMSG_DONE ended the dump, -EBADMSG for bytes that are not a well-formed reply, -ENOMEM,
 * or the negative errno an NLMSG_ERROR carried.
 */
int vsockdiag_parse(struct vsockdiag_parser *p, const void *buf, size_t len);

/*
 * Dump the vsock sockets in q->states into out (every type; the caller keeps those asked
 * for). If capture is not NULL, every reply datagram is also written to it, under family
 * AF_VSOCK. Returns 0 or a negative errno: -ENOENT (or -EPROTONOSUPPORT...) when the kernel
 * has no vsock_diag.
 */
int vsockdiag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture);

/* Replay the vsock datagrams of a capture (capture.h); the states of q are kept. Returns 0,
 * -EBADMSG for a malformed capture, or what vsockdiag_parse returned. */
int vsockdiag_replay(const struct diag_query *q, const void *buf, size_t len,
		     struct lsock_vec *out);

#endif
