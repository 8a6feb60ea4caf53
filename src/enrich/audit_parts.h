/* What audit.c (the findings) and audit_reasons.c (their words) share; not a module's
 * interface. */
#ifndef LISTEN_AUDIT_PARTS_H
#define LISTEN_AUDIT_PARTS_H

#include <stdint.h>

struct out_row;

/* What a well-known port must be held by (PROG_SSH...), and how that reads ("an SSH
 * server"); 0 for other ports. */
unsigned audit_port_role(uint16_t port, uint8_t protocol, const char **what);

/* The holder of s (an index into the procs) that runs with capabilities beyond binding low
 * ports (procfs_info.caps), or -1. */
long audit_caps_holder(const struct out_row *s);

#endif
