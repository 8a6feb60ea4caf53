/*
 * sock_diag bytecode (INET_DIAG_REQ_BYTECODE): a filter compiled into the program the kernel
 * runs on each socket of a dump, so it sends only what the filter may select. The program is
 * never the only check: filter_match runs on every record it lets through.
 */
#ifndef LISTEN_BYTECODE_H
#define LISTEN_BYTECODE_H

#include <stdbool.h>
#include <stddef.h>

struct filter;
struct lsock;

/* The largest program sent: what fits a netlink attribute. */
#define BYTECODE_MAX 65000

/*
 * Compile f's resolved expression: *bc gets a malloc'd program selecting exactly what
 * filter_match selects (but for the protocol of fuser's "8080/tcp", which the kernel's
 * program cannot test: those sockets of the other protocol pass it), and *len its length;
 * or NULL and 0 when there is no expression, or when the program would exceed BYTECODE_MAX
 * (then userspace alone filters). A program that
 * selects every socket is empty (NULL). Returns 0 or -ENOMEM.
 */
int bytecode_compile(const struct filter *f, void **bc, size_t *len);

/*
 * Check a program as the kernel does before running it (inet_diag_bc_audit): every operation
 * known and long enough, every jump forward onto an operation, the end, or just past it.
 * Returns 0 or -EINVAL.
 */
int bytecode_check(const void *bc, size_t len);

/* Run a checked program on a record as the kernel would: whether the socket is sent. */
bool bytecode_run(const void *bc, size_t len, const struct lsock *sk);

/* Write one line per operation ("0: S_COND yes 16 no 20 family 2 /32 port 22 addr
 * 127.0.0.1") to buf, for the tests; returns what snprintf would. */
int bytecode_format(const void *bc, size_t len, char *buf, size_t size);

#endif
