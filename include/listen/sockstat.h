/* ss -s's counts: a network namespace's /proc/net/sockstat, sockstat6 and snmp. */
#ifndef LISTEN_SOCKSTAT_H
#define LISTEN_SOCKSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The counts, as the kernel prints them (a count it did not print stays 0). */
struct sockstat {
	int64_t sockets;      /* "sockets: used": every socket of the namespace, any family */
	int64_t tcp_inuse;    /* TCP (IPv4) sockets in its hash tables: listening or connected */
	int64_t tcp_orphan;   /* TCP sockets no process holds any more */
	int64_t tcp_tw;       /* in TIME-WAIT */
	int64_t tcp_alloc;    /* TCP sockets allocated, of both families */
	int64_t tcp6_inuse;
	int64_t udp, udp6, raw, raw6, frag, frag6;
	int64_t tcp_estab;    /* snmp's Tcp CurrEstab: ESTABLISHED and CLOSE-WAIT */
	bool v6;              /* sockstat6 was read (IPv6 is there) */
	bool estab;           /* tcp_estab was read */
};

/*
 * Add what one of /proc/net/sockstat or sockstat6 (text, len bytes) says to s: lines of a
 * name, a colon and pairs of a word and a number. Unknown lines and words are skipped.
 * Returns 0, or -EBADMSG for a line that is not of that shape.
 */
int sockstat_parse(struct sockstat *s, const char *text, size_t len);

/* Take Tcp's CurrEstab from /proc/net/snmp (a line of names, then one of numbers, each after
 * "Tcp:") into s. Returns 0, -ENOENT when there is none, -EBADMSG for malformed lines. */
int sockstat_parse_snmp(struct sockstat *s, const char *text, size_t len);

/* Read the namespace's counts from the proc tree at proc_dirfd: thread-self/net/sockstat, and
 * sockstat6 and snmp when they exist (the calling thread's namespace: run it from
 * netns_call's thread). Returns 0 or a negative errno (-EBADMSG for a file of the wrong
 * shape). */
int sockstat_read(int proc_dirfd, struct sockstat *s);

#endif
