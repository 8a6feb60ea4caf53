/*
 * ss's names for kinds of sockets: -A/--query's socket tables ("tcp,unix_dgram") and
 * -f/--family's address families ("inet6"), mapped onto what a diag_query selects. One table
 * holds every name ss takes, so a kind listen adds is one row changed.
 */
#ifndef LISTEN_FAMILY_H
#define LISTEN_FAMILY_H

#include <stddef.h>

struct diag_query;

/*
 * -A LIST: add the tables of a comma-separated list to q (protocols, and unix_types for
 * unix_stream, unix_dgram, unix_seqpacket). For "all" and "inet", which stand for more kinds
 * than listen shows, *partial gets the kinds left out ("raw, SCTP and DCCP sockets"), for the
 * caller to say. Returns 0, or -EINVAL with a one-line message in err: an unknown name (the
 * names are listed), or one listen does not show yet (naming it and its option).
 */
int family_query(const char *list, struct diag_query *q, const char **partial, char *err,
		 size_t errlen);

/*
 * -f NAME: add the address family to q->families (inet: IPv4, inet6: IPv6) and the protocols
 * it stands for when no other option names any to *implied (unix: DIAG_UNIX; link:
 * DIAG_PACKET; vsock: DIAG_VSOCK; inet and inet6: TCP, UDP, raw, MPTCP and SCTP, of ss's -f
 * inet's), *partial as for family_query. Returns 0 or -EINVAL with a message in err.
 */
int family_family(const char *name, struct diag_query *q, unsigned *implied,
		  const char **partial, char *err, size_t errlen);

#endif
