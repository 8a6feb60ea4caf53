/* Service names for ports: the port column without -n, like ss's use of /etc/services. */
#ifndef LISTEN_SERVICES_H
#define LISTEN_SERVICES_H

#include <stddef.h>
#include <stdint.h>

/* Zero-initialise; fill with svc_table_parse/svc_table_load; release with svc_table_free. */
struct svc_table {
	struct svc_entry *v;
	size_t len, cap;
	char *names; /* every name, NUL-separated; entries hold offsets into it */
	size_t names_len, names_cap;
};

/*
 * Add the entries of a services(5) text: "name port/proto [aliases] [# comment]". Only tcp and
 * udp entries are kept; lines that do not parse are skipped. Where a port and protocol appear
 * twice the first wins, as with getservbyport(3). Returns 0 or -ENOMEM.
 */
int svc_table_parse(struct svc_table *t, const char *buf, size_t len);

/* svc_table_parse on the file at path; a missing or unreadable file adds nothing and is not
 * an error. Returns 0 or -ENOMEM. */
int svc_table_load(struct svc_table *t, const char *path);

/* The name of port for protocol (IPPROTO_TCP/IPPROTO_UDP), or NULL. */
const char *svc_name(const struct svc_table *t, uint16_t port, uint8_t protocol);

void svc_table_free(struct svc_table *t);

#endif
