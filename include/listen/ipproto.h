/* Names of what a raw or packet socket receives: IP protocols as protocols(5) names them, and
 * ethertypes as ss does. */
#ifndef LISTEN_IPPROTO_H
#define LISTEN_IPPROTO_H

#include <stddef.h>
#include <stdint.h>

/* IP protocol names by number (protocols(5): "name number [aliases] [# comment]"), the first
 * line of a number winning, as getprotobynumber(3) does. Zero-initialise; release with
 * ipproto_free. */
struct ipproto_names {
	char *name[256];
};

/* Add the names of a protocols(5) text; lines that do not parse are skipped. Returns 0 or
 * -ENOMEM. */
int ipproto_parse(struct ipproto_names *t, const char *buf, size_t len);

/* ipproto_parse on the file at path; a missing or unreadable file adds nothing and is not an
 * error. Returns 0, or -EMFILE, -ENFILE or -ENOMEM when listen ran short. */
int ipproto_load(struct ipproto_names *t, const char *path);

void ipproto_free(struct ipproto_names *t);

/* The name of IP protocol proto, or NULL when the file does not name it (ss prints
 * "ipproto-N" then). t may be NULL: no names. */
const char *ipproto_name(const struct ipproto_names *t, uint8_t proto);

/* ss's name for an ethertype in a packet socket's Local Address column ("ip", "arp", "ipv6",
 * "802.1Q", "lldp"...), or NULL when it has none (ss prints "[N]" then, as with -n). */
const char *ipproto_ether_name(uint16_t ethertype);

/* The ethertype named name by ipproto_ether_name; -ENOENT when none is. */
int ipproto_ether_by_name(const char *name, uint16_t *ethertype);

/* The IP protocol named name in t, whatever its case ("ICMP", protocols(5)'s alias, is icmp);
 * -ENOENT when none is. */
int ipproto_by_name(const struct ipproto_names *t, const char *name, uint8_t *proto);

#endif
