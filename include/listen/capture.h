/*
 * The netlink capture format behind --dump-netlink and --replay-netlink: the magic, then per
 * reply datagram a capture_hdr and len bytes. One file holds the sock_diag dumps and the
 * rtnetlink interface dumps of one moment, so a replay sees both.
 */
#ifndef LISTEN_CAPTURE_H
#define LISTEN_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CAPTURE_MAGIC "LSNLCAP1"

/* Which dump a datagram answers. */
enum capture_source {
	CAPTURE_SOCK_DIAG = 0, /* family and protocol are the sock_diag request's; family
				* AF_UNSPEC: TCP of both families in one dump (diag.c) */
	CAPTURE_RTNL = 1,      /* RTM_GETLINK / RTM_GETADDR replies; family and protocol 0 */
	CAPTURE_SOCK_DIAG_MPTCP = 2, /* sock_diag for IPPROTO_MPTCP, which protocol cannot hold
				      * (it says IPPROTO_TCP); family is the request's */
};

struct capture_hdr {
	uint8_t family;
	uint8_t protocol;
	uint16_t source; /* enum capture_source */
	uint32_t len;    /* bytes of reply that follow, host byte order like netlink itself */
};

/* Append one datagram. Returns 0 or -EIO. */
int capture_write(FILE *f, enum capture_source source, uint8_t family, uint8_t protocol,
		  const void *buf, size_t len);

/*
 * Call fn for every datagram of a capture (buf holds the whole file) whose source is source,
 * with the payload copied to memory aligned for netlink headers. Stops at the first negative
 * return of fn and returns it. Returns 0, -EBADMSG for a malformed file, or -ENOMEM.
 */
int capture_each(const void *buf, size_t len, enum capture_source source,
		 int (*fn)(void *ctx, const struct capture_hdr *h, const void *payload), void *ctx);

/* A replay's parser of one family's datagrams: parse(parser, payload, length). */
typedef int capture_parse_fn(void *parser, const void *payload, size_t len);

/* capture_each for the sock_diag datagrams of family alone, each given to parse with parser
 * (the same one for every datagram). */
int capture_replay(const void *buf, size_t len, uint8_t family, capture_parse_fn *parse,
		   void *parser);

#endif
