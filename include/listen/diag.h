/* The sock_diag collector: dumps TCP, UDP, raw IP, MPTCP and SCTP sockets over
 * NETLINK_SOCK_DIAG into records. */
#ifndef LISTEN_DIAG_H
#define LISTEN_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lsock_vec;

enum {
	DIAG_TCP = 1 << 0,
	DIAG_UDP = 1 << 1,
	DIAG_UNIX = 1 << 2, /* unix sockets (unixdiag.h) */
	DIAG_RAW = 1 << 3,  /* raw IP sockets: inet_diag's IPPROTO_RAW dump (raw_diag) */
	DIAG_PACKET = 1 << 4, /* packet sockets (packetdiag.h) */
	DIAG_MPTCP = 1 << 8, /* MPTCP's connection-level sockets (IPPROTO_MPTCP) */
	DIAG_VSOCK = 1 << 9, /* vsock sockets (vsockdiag.h) */
	DIAG_SCTP = 1 << 10, /* SCTP endpoints and associations (IPPROTO_SCTP) */
	DIAG_V4 = 1 << 0,
	DIAG_V6 = 1 << 1,
	DIAG_EXT_INFO = 1 << 0,   /* -i: tcp_info and the congestion control */
	DIAG_EXT_MEMORY = 1 << 1, /* -m: socket memory (skmeminfo) */
};

/* The protocols with addresses and ports: what -4 and -6 narrow. */
#define DIAG_INET (DIAG_TCP | DIAG_UDP | DIAG_MPTCP | DIAG_SCTP)

/* What to ask the kernel for. */
struct diag_query {
	unsigned protocols; /* DIAG_TCP | DIAG_UDP | DIAG_UNIX | DIAG_RAW | DIAG_PACKET |
			    * DIAG_MPTCP | DIAG_VSOCK | DIAG_SCTP */
	unsigned families;  /* DIAG_V4 | DIAG_V6 */
	uint32_t states;    /* bit (1 << state) per enum lsock_state wanted */
	const void *bytecode; /* INET_DIAG_REQ_BYTECODE for every dump (bytecode.h), or NULL */
	size_t bytecode_len;
	bool autobound; /* mark records whose port the kernel chose (LSOCK_AUTOBOUND): one more
			 * dump each, with only the kernel's test for it */
	unsigned ext;   /* DIAG_EXT_*: what else to ask for, into the records' lsock_ext; 0 keeps
			 * the dump as small as it can be */
	unsigned unix_types; /* bits 1 << SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET: the unix
			      * types kept (-A unix_dgram...); 0 for every one */
	unsigned vsock_types; /* the same for vsock sockets (-A vsock_stream...) */
	unsigned packet_types; /* and for packet sockets: 1 << SOCK_RAW, SOCK_DGRAM
				* (-A packet_raw, packet_dgram) */
};

/* The dumps in ss's order: UDP before TCP, IPv4 before IPv6 within each (MPTCP's come after
 * TCP's: diag_collect). */
extern const uint8_t diag_protocols[2]; /* IPPROTO_UDP, IPPROTO_TCP */
extern const uint8_t diag_families[2];  /* AF_INET, AF_INET6 */

/* Does q ask for the (family, protocol) dump at all (protocol IPPROTO_TCP, IPPROTO_UDP,
 * IPPROTO_RAW, IPPROTO_SCTP or IPPROTO_MPTCP, which does not fit a byte); does it select a
 * socket in state? */
bool diag_query_dumps(const struct diag_query *q, uint8_t family, unsigned protocol);
bool diag_query_selects(const struct diag_query *q, uint8_t family, unsigned protocol,
			uint8_t state);

/* State of one dump being parsed: fed the reply datagrams in order. */
struct diag_parser {
	struct lsock_vec *out;
	unsigned protocol; /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW, IPPROTO_MPTCP or
			    * IPPROTO_SCTP: replies do not say which. MPTCP's records get
			    * IPPROTO_TCP and LSOCK_MPTCP. */
	uint32_t sctp_inode; /* SCTP: the last endpoint's inode; the associations that follow
			      * it share it (LSOCK_SCTP_ASSOC) */
	bool sctp_parent; /* with filter: the last record is an SCTP endpoint in a state not
			   * asked for, kept for the associations that may follow it (the kernel
			   * sends it only with them) */
	bool interrupted;  /* a message carried NLM_F_DUMP_INTR: the dump must restart */
	const struct diag_query *filter; /* if set, records it does not select are dropped */
	unsigned ext;      /* DIAG_EXT_*: the attributes kept in an lsock_ext (a replay's capture
			    * may hold more than the flags ask for) */
};

/*
 * Parse one datagram of a sock_diag dump reply and append a record per socket to p->out.
 * Returns 1 when more datagrams are expected, 0 when NLMSG_DONE ended the dump,
 * -EBADMSG for bytes that are not a well-formed reply, -ENOMEM, or the negative errno an
 * NLMSG_ERROR message carried. Unknown and malformed attributes are skipped.
 */
int diag_parse(struct diag_parser *p, const void *buf, size_t len);

/* Clear the TCP MD5 keys (INET_DIAG_MD5SIG's tcpm_key) in a sock_diag reply datagram, in
 * place, before a capture holds it; everything else, whom the keys are for too, is left. */
void diag_scrub(void *buf, size_t len);

/*
 * Dump the sockets q selects into out, in ss's order (UDP, TCP, MPTCP, SCTP; IPv4 before
 * IPv6). SCTP's dumps get no bytecode (the caller filters their records).
 * A kernel that refuses the bytecode (EINVAL) is asked again without it: the caller filters
 * the records anyway.
 * If capture is not NULL, every reply datagram is also written to it (see capture.h).
 * Returns 0 or a negative errno; out keeps what was appended on error.
 */
int diag_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture);

/*
 * Dump the raw IP sockets q selects (DIAG_RAW) into out, IPv4 before IPv6, over inet_diag's
 * IPPROTO_RAW dump (the raw_diag module): records with protocol IPPROTO_RAW and the IP
 * protocol each receives in lport, as the kernel gives it. Returns 0, -ENOENT (or another
 * negative errno) when the kernel has no raw_diag; out keeps what was appended on error.
 */
int diag_raw_collect(const struct diag_query *q, struct lsock_vec *out, FILE *capture);

/*
 * Replay the sock_diag datagrams of a capture (capture.h): buf holds the whole file.
 * Records that q does not select (protocol, family, state, and its bytecode run as the
 * kernel would) are dropped, so one capture of every socket serves any flags. Returns 0,
 * -EBADMSG for a malformed capture, or what diag_parse returned.
 */
int diag_replay(const struct diag_query *q, const void *buf, size_t len, struct lsock_vec *out);

#endif
