/*
 * The audit's allow-list: services an administrator has approved, one rule per line
 * ("tcp/22", "tcp/5432 10.0.0.5 postgres"), read from --allow's file or /etc/listen/allow.
 */
#ifndef LISTEN_AUDIT_ALLOW_H
#define LISTEN_AUDIT_ALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audit;
struct procfs_proc;

/* One approved service: proto/port, optionally an exact local address and a process name.
 * A raw socket's rule is "raw/PROTOCOL" (the IP protocol's number), a packet socket's
 * "packet/ETHERTYPE" ("all", a name as the table prints it, or a number) with, in the
 * address's place, the interface it sniffs ("all" for every one). A unix socket's is
 * "unix:PATTERN" (its path, or "@" and its abstract name, as fnmatch(3) takes patterns) with
 * only a process name after it. */
struct audit_rule {
	uint8_t protocol;       /* IPPROTO_TCP (mptcp/ too), IPPROTO_UDP, IPPROTO_SCTP,
				 * IPPROTO_RAW or LSOCK_PROTO_PACKET; 0 for a unix or vsock rule */
	bool mptcp;             /* mptcp/PORT: MPTCP findings only (tcp/PORT takes both) */
	bool vsock;             /* vsock/PORT [CID]: port is vsock_port, the address the cid */
	uint32_t vsock_port;
	uint32_t vsock_cid;     /* with any_addr false */
	uint16_t port;          /* the IP protocol of a raw rule, the ethertype of a packet one */
	char *ifname;           /* a packet rule's interface ("all": every one), or NULL */
	char *unix_name;        /* a unix rule's pattern, as ss writes names ("@" for abstract);
				 * NULL for the others */
	bool any_addr;          /* no address, or "*" */
	uint8_t family;
	unsigned char addr[16];
	char *process;          /* NULL: any */
	unsigned line;
};

struct audit_allow {
	struct audit_rule *v;
	size_t len;
};

/* The names a rule may give for its port: a service (resolve "ssh" for protocol
 * IPPROTO_TCP or IPPROTO_UDP into *port) and an IP protocol (resolve "icmp" into *proto).
 * Each returns 0, -ENOENT when nothing names it, or another negative errno (a look-up that
 * failed, said by the callback). */
struct audit_allow_names {
	void *ctx;
	int (*service)(void *ctx, const char *name, uint8_t protocol, uint16_t *port);
	int (*protocol)(void *ctx, const char *name, uint8_t *proto);
};

/*
 * Parse an allow-list: one rule per line, "proto/port [address] [process]" (proto tcp, udp,
 * mptcp or sctp; for a packet socket "packet/ETHERTYPE [interface] [process]", for a vsock
 * listener "vsock/PORT [CID] [process]" (CID a number, any, host, local or *), for a unix
 * socket "unix:PATTERN [process]", "unix:@NAME" for abstract names), '#' comments, blank
 * lines. A port may be a service's name ("tcp/ssh", "sctp/diameter") and a raw rule's
 * protocol a protocol's ("raw/icmp") where names resolves them (NULL: numbers only). On a bad
 * line returns -EINVAL with *line set and a message in err ("expected tcp/PORT, udp/PORT...,
 * got 'x'"); a look-up that failed returns its error with *line set; else 0 or -ENOMEM.
 * Release with audit_allow_free.
 */
int audit_allow_parse(struct audit_allow *al, const char *buf, size_t len,
		      const struct audit_allow_names *names, unsigned *line, char *err,
		      size_t errlen);

void audit_allow_free(struct audit_allow *al);

/* Mark every finding of a some rule approves (its allowed_by); procs is what the rows' owners
 * index. */
void audit_allow_apply(const struct audit_allow *al, struct audit *a,
		       const struct procfs_proc *procs);

#endif
