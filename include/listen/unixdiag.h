/* The unix socket collector: dumps AF_UNIX sockets over NETLINK_SOCK_DIAG (UNIX_DIAG). */
#ifndef LISTEN_UNIXDIAG_H
#define LISTEN_UNIXDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct diag_query;
struct lsock_vec;

/* State of one dump being parsed: fed the reply datagrams in order. */
struct unixdiag_parser {
	struct lsock_vec *out;
	bool interrupted;  /* a message carried NLM_F_DUMP_INTR: the dump must restart */
	uint32_t states;   /* if not 0, records in other states are dropped (a replay does what
			    * the kernel's state mask did) */
	unsigned ext;      /* DIAG_EXT_MEMORY: keep UNIX_DIAG_MEMINFO in the records' lsock_ext
			    * (a replay's capture may hold it when -m was not given) */
};

/*
 * Parse one datagram of a UNIX_DIAG dump reply and append a record per socket to p->out
 * (family AF_UNIX; its name copied into p->out's store; with p->ext's DIAG_EXT_MEMORY its
 * socket memory in an lsock_ext). Returns 1 when more datagrams are
 * expected, 0 when NLMSG_DONE ended the dump, -EBADMSG for bytes that are not a well-formed
 * reply, -ENOMEM, or the negative errno an NLMSG_ERROR message carried. Unknown and
 * malformed attributes are skipped.
 */
int unixdiag_parse(struct unixdiag_parser *p, const void *buf, size_t len);

/*
 * Dump the unix sockets in q's states into out, in the kernel's order (as ss lists them),
 * with their names, peers, queues, files and owners' uids, and their memory when q->ext has
 * DIAG_EXT_MEMORY (the kernel is asked for it only then). If capture is not NULL, every
 * reply datagram is also written to it (family AF_UNIX, see capture.h). Returns 0 or a
 * negative errno (-ENOENT and the like: no unix_diag); out keeps what was appended on error.
 */
int unixdiag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture);

/*
 * Replay the AF_UNIX datagrams of a capture (capture.h): buf holds the whole file. Records
 * not in q's states are dropped. Returns 0, -EBADMSG for a malformed capture, or what
 * unixdiag_parse returned.
 */
int unixdiag_replay(const struct diag_query *q, const void *buf, size_t len,
		    struct lsock_vec *out);

#endif
