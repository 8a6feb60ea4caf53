/* Socket addresses as ss prints them. */
#ifndef LISTEN_ADDR_H
#define LISTEN_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for "[" + the longest IPv6 text + "]" and the NUL. */
#define ADDR_STRLEN 48

/*
 * Write addr (network byte order, 4 or 16 bytes by family) as ss does: "127.0.0.1", "[::1]",
 * "[::ffff:127.0.0.1]"; the IPv6 wildcard is "*" on a dual-stack socket and "[::]" on a v6only
 * one. buf must hold ADDR_STRLEN bytes. Returns buf.
 */
char *addr_format(char *buf, int family, const unsigned char *addr, bool v6only);

/* Parse the IPv4 or IPv6 address text s (n bytes, not NUL-terminated, no brackets) into
 * *family and addr (network byte order). Returns false for anything else. */
bool addr_parse(const char *s, size_t n, uint8_t *family, unsigned char addr[16]);

#endif
