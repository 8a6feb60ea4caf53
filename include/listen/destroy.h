/*
 * Closing sockets with sock_diag's SOCK_DESTROY (-K): the kernel aborts a TCP socket (its peer
 * gets a reset; a listener stops listening) or a UDP one (a blocked reader gets ECONNABORTED).
 * It needs CAP_NET_ADMIN in the socket's network namespace and a kernel built with
 * CONFIG_INET_DIAG_DESTROY.
 */
#ifndef LISTEN_DESTROY_H
#define LISTEN_DESTROY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsock;
struct mnl_socket;

/* The room destroy_request needs. */
#define DESTROY_REQUEST_SIZE 128

/*
 * Build the SOCK_DESTROY request for the socket sk describes into buf (size bytes, at least
 * DESTROY_REQUEST_SIZE): its family, protocol (MPTCP's in an attribute), addresses, ports,
 * bound device and cookie (none for a record read from /proc/net: the kernel then goes by the
 * addresses alone). Returns the request's length, or 0 when sk is not a TCP, UDP or MPTCP
 * socket or buf is too small.
 */
size_t destroy_request(void *buf, size_t size, const struct lsock *sk, uint32_t seq);

/* Whether the kernel's SOCK_DESTROY can close the socket sk describes: a TCP or UDP one
 * (tcp_diag's and udp_diag's); not MPTCP, SCTP or vsock ones, whose handlers have none. */
bool destroy_request_possible(const struct lsock *sk);

/*
 * The kernel's answer to a SOCK_DESTROY request, from the reply datagram in buf: 0 when the
 * socket was closed, or the negative errno it refused with (-ENOENT: no such socket any more;
 * -EOPNOTSUPP: its protocol cannot be closed so; -EPERM: no CAP_NET_ADMIN). -EBADMSG for a
 * reply that is not an acknowledgement.
 */
int destroy_parse_ack(const void *buf, size_t len);

/* Send the request for sk on nl (a NETLINK_SOCK_DIAG socket) and read the answer, as
 * destroy_parse_ack gives it; or the negative errno of sending or receiving. */
int destroy_socket(struct mnl_socket *nl, const struct lsock *sk, uint32_t seq);

/* Whether the socket sk describes (TCP or UDP; by its addresses, ports and cookie) is still
 * there, asked on nl (a NETLINK_SOCK_DIAG socket in its namespace): 1, 0 when the kernel has
 * no such socket any more, -EOPNOTSUPP for another kind (MPTCP's exact look-up takes a token,
 * not the cookie; SCTP, vsock...), or the negative errno of asking. */
int socket_still_there(struct mnl_socket *nl, const struct lsock *sk, uint32_t seq);

/* "reset its connection"-style words for why a socket was not closed (err, negative errno). */
const char *destroy_strerror(const struct lsock *sk, int err);

#endif
