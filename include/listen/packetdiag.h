/* The packet socket collector: dumps AF_PACKET sockets over NETLINK_SOCK_DIAG (PACKET_DIAG),
 * and reads /proc/net/packet when the kernel has no packet_diag. */
#ifndef LISTEN_PACKETDIAG_H
#define LISTEN_PACKETDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct diag_query;
struct lsock_vec;

/* State of one dump being parsed: fed the reply datagrams in order. */
struct packetdiag_parser {
	struct lsock_vec *out;
	bool interrupted;  /* a message carried NLM_F_DUMP_INTR: the dump must restart */
	bool drop;         /* drop every record: the query's states leave out UNCONN, the only
			    * state a packet socket has */
	unsigned ext;      /* DIAG_EXT_MEMORY: keep PACKET_DIAG_MEMINFO whole in the records'
			    * lsock_ext (-m's skmem), not only the queues */
};

/*
 * Parse one datagram of a PACKET_DIAG dump reply and append a record per socket to p->out:
 * family AF_PACKET, protocol LSOCK_PROTO_PACKET, state LSOCK_CLOSE (ss's UNCONN), the
 * ethertype in lport, the device (PACKET_DIAG_INFO's index) in ifindex, and what the
 * attributes say in pk (memberships, a PACKET_MR_PROMISC one, the classic BPF filter's
 * length, fanout) with the owner's uid and the receive queue (and with p->ext's
 * DIAG_EXT_MEMORY the socket memory in an lsock_ext). Returns 1 when more datagrams
 * are expected, 0 when NLMSG_DONE ended the dump, -EBADMSG for bytes that are not a
 * well-formed reply, -ENOMEM, or the negative errno an NLMSG_ERROR (or NLMSG_DONE) carried.
 * Unknown and malformed attributes are skipped.
 */
int packetdiag_parse(struct packetdiag_parser *p, const void *buf, size_t len);

/*
 * Dump the packet sockets (when q's states hold LSOCK_CLOSE) into out in the kernel's order,
 * as ss lists them. If capture is not NULL, every reply datagram is also written to it
 * (family AF_PACKET, see capture.h). Returns 0 or a negative errno (-ENOENT and the like: no
 * packet_diag); out keeps what was appended on error.
 */
int packetdiag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture);

/* Replay the AF_PACKET datagrams of a capture (capture.h): buf holds the whole file. Returns
 * 0, -EBADMSG for a malformed capture, or what packetdiag_parse returned. */
int packetdiag_replay(const struct diag_query *q, const void *buf, size_t len,
		      struct lsock_vec *out);

/*
 * Parse the text of /proc/net/packet ("sk RefCnt Type Proto Iface R Rmem User Inode"): a
 * record per socket as packetdiag_parse makes them, with LSOCK_PROCNET, the uid and the
 * receive queue (Rmem); the table has no memberships, filters or fanout, so pk says none of
 * them is known. Returns 0, -EBADMSG for text that is not the table (out keeps nothing of
 * it), or -ENOMEM.
 */
int packetdiag_procnet_parse(const struct diag_query *q, const char *buf, size_t len,
			     struct lsock_vec *out);

/* Read /proc/thread-self/net/packet (the calling thread's namespace) into out. Returns 0 or
 * a negative errno. */
int packetdiag_procnet_collect(const struct diag_query *q, struct lsock_vec *out);

#endif
