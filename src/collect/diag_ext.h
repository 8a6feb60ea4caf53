/* The attributes -i and -m ask sock_diag for, parsed into a record's lsock_ext (diag.c's; the
 * socket memory of unixdiag.c's and packetdiag.c's too). */
#ifndef LISTEN_DIAG_EXT_H
#define LISTEN_DIAG_EXT_H

#include <stdbool.h>
#include <stdint.h>

struct lsock;
struct lsock_ext;
struct lsock_vec;
struct nlattr;

/* The idiag_ext bits that ask for what ext names (DIAG_EXT_INFO, DIAG_EXT_MEMORY). */
uint8_t diag_ext_request(unsigned ext);

/* Whether the attribute of type (an INET_DIAG_* number) is one diag_ext_fill reads. */
bool diag_ext_attr(uint16_t type);

/*
 * Fill e's skmem from attr, a u32 array in the order of the kernel's SK_MEMINFO_* (the
 * payload of INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO and PACKET_DIAG_MEMINFO alike), read by
 * its length: the fields listen knows of a longer array, none of one shorter than the oldest
 * kernel's seven. Returns whether e got any.
 */
bool diag_ext_skmem(struct lsock_ext *e, const struct nlattr *attr);

/*
 * The skmem of attr for sk, the last record of out (a unix or packet socket's, whose only
 * extension it is), kept in out's store when the array holds any field. Returns 0, or
 * -ENOMEM with the record taken back out.
 */
int diag_ext_keep_skmem(struct lsock_vec *out, struct lsock *sk, const struct nlattr *attr);

/*
 * Fill e from the attributes in tb (indexed by type, NULL for absent; INET_DIAG_MAX + 1 of
 * them): skmeminfo, tcp_info of any length the kernel sends (a field past it reads 0, a longer
 * struct is cut to what listen knows), or an MPTCP socket's mptcp_info (mptcp) the same way,
 * the congestion control's name and its own info, the TCP MD5 keys' addresses (copied into
 * vec's store; the keys themselves are not kept) and the upper-layer protocol (kTLS, an MPTCP
 * subflow). Returns 1 when any of them was there, 0 when none was, -ENOMEM.
 */
int diag_ext_fill(struct lsock_ext *e, const struct nlattr *const *tb, bool mptcp,
		  struct lsock_vec *vec);

#endif
