/* The fallback collector: /proc/net/{tcp,udp}{,6}, for kernels (or sandboxes) without
 * sock_diag. Fills the same records as diag.h, less what those tables do not show. */
#ifndef LISTEN_PROCNET_H
#define LISTEN_PROCNET_H

#include <stddef.h>
#include <stdint.h>

struct diag_query;
struct lsock_vec;

/*
 * Parse one table (the text of /proc/net/tcp, tcp6, udp, udp6, raw or raw6: family and
 * protocol, IPPROTO_RAW for raw, say which; a raw socket's "port" is its IP protocol) and
 * append a record per socket q selects by protocol, family and state; its bytecode
 * is not run (the caller filters). Records carry LSOCK_PROCNET. What the tables lack stays unset:
 * a TCP listener's backlog (wqueue 0), the bound device, the cookie, mark, cgroup, and
 * IPV6_V6ONLY of a wildcard (a specific IPv6 address has it: binding one sets it).
 * Returns 0, -EBADMSG for text that is not such a table (out keeps nothing of it), or -ENOMEM.
 */
int procnet_parse(const struct diag_query *q, uint8_t family, uint8_t protocol, const char *buf,
		  size_t len, struct lsock_vec *out);

/*
 * Read the tables of the calling thread's network namespace (/proc/thread-self/net, so a
 * thread that entered another namespace reads that one's) in ss's order: UDP before TCP, IPv4
 * before IPv6. A table that does not exist (no IPv6) is skipped. Returns 0 or a negative errno;
 * out keeps what was appended on error.
 */
int procnet_collect(const struct diag_query *q, struct lsock_vec *out);

/* Read /proc/thread-self/net/raw and raw6 (IPv4 before IPv6) into out, the raw sockets q
 * selects by family and state. Returns 0 or a negative errno. */
int procnet_raw_collect(const struct diag_query *q, struct lsock_vec *out);

/*
 * Parse the text of /proc/net/unix: a record per socket in q's states (family AF_UNIX, with
 * LSOCK_PROCNET), its name copied into out's store ("@..." becomes an abstract name, a NUL
 * then the rest; the NULs inside it the kernel showed as '@' stay '@'). The table has no
 * peers, queue lengths, socket files or uids, and shows a connected datagram socket as
 * unconnected. Returns 0, -EBADMSG for text that is not the table (out keeps nothing of it),
 * or -ENOMEM.
 */
int procnet_unix_parse(const struct diag_query *q, const char *buf, size_t len,
		       struct lsock_vec *out);

/* Read /proc/thread-self/net/unix (the calling thread's namespace) into out. Returns 0 or a
 * negative errno. */
int procnet_unix_collect(const struct diag_query *q, struct lsock_vec *out);

/*
 * /proc/net/sctp/eps and assocs (eps_len and assocs_len bytes of their text) as sctp_diag
 * would give them: each socket, then its associations (LSOCK_SCTP_ASSOC, the socket's inode,
 * SCTP's state, the primary addresses: those marked '*', else the first); a socket known
 * only from its associations (a connected one-to-one socket) gets a record made from the
 * first of them. Kept as q selects them: sockets in q's states, and with states other than
 * listening and closed, every association and the sockets they belong to. Records carry
 * LSOCK_PROCNET (no cookie). Returns 0, -EBADMSG for text that is not such a table, or
 * -ENOMEM.
 */
int procnet_sctp_parse(const struct diag_query *q, const char *eps, size_t eps_len,
		       const char *assocs, size_t assocs_len, struct lsock_vec *out);

/* Read /proc/thread-self/net/sctp/{eps,assocs} (the calling thread's namespace) into out.
 * Returns 0, -ENOENT when the sctp module is not loaded, or a negative errno. */
int procnet_sctp_collect(const struct diag_query *q, struct lsock_vec *out);

#endif
