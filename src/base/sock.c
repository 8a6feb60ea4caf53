/* The socket record array and the names of its enumerations. */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/sock.h"

struct lsock *lsock_vec_push(struct lsock_vec *vec)
{
	if (vec->len == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 64;
		struct lsock *v = reallocarray(vec->v, cap, sizeof(*v));

		if (!v)
			return NULL;
		vec->v = v;
		vec->cap = cap;
	}
	struct lsock *sk = &vec->v[vec->len++];

	memset(sk, 0, sizeof(*sk));
	return sk;
}

/* A block of the name store: names back to back, the newest block first. */
struct lsock_names {
	struct lsock_names *next;
	size_t len, cap;
	char s[];
};

#define LSOCK_NAMES_BLOCK (64 * 1024)
_Static_assert(offsetof(struct lsock_names, s) % 8 == 0, "a block's store is 8-aligned");

const void *lsock_vec_store(struct lsock_vec *vec, const void *data, size_t len)
{
	struct lsock_names *b = vec->names;
	/* Each copy starts aligned for the structs stored there (none needs more than 8). */
	size_t at = b ? (b->len + 7) & ~(size_t)7 : 0;

	if (!b || at > b->cap || b->cap - at < len) {
		size_t cap = len > LSOCK_NAMES_BLOCK ? len : LSOCK_NAMES_BLOCK;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		*b = (struct lsock_names){ .next = vec->names, .cap = cap };
		vec->names = b;
		at = 0;
	}
	if (len)
		memcpy(b->s + at, data, len);
	b->len = at + len;
	return b->s + at;
}

int lsock_vec_name(struct lsock_vec *vec, struct lsock *sk, const void *name, size_t len)
{
	const char *s;

	if (len > UINT32_MAX || !(s = lsock_vec_store(vec, name, len)))
		return -ENOMEM;
	sk->un.name = s;
	sk->un.name_len = (uint32_t)len;
	sk->un.flags |= LSOCK_UNIX_NAME;
	return 0;
}

struct lsock_ext *lsock_vec_ext_new(struct lsock_vec *vec, struct lsock *sk)
{
	if (vec->ext_len == vec->ext_cap) {
		size_t cap = vec->ext_cap ? vec->ext_cap * 2 : 16;
		struct lsock_ext *v = reallocarray(vec->ext, cap, sizeof(*v));

		if (!v || cap > UINT32_MAX)
			return NULL;
		vec->ext = v;
		vec->ext_cap = cap;
	}
	struct lsock_ext *e = &vec->ext[vec->ext_len++];

	memset(e, 0, sizeof(*e));
	sk->ext = (uint32_t)vec->ext_len;
	return e;
}

void lsock_vec_pop(struct lsock_vec *vec)
{
	if (!vec->len)
		return;
	if (vec->v[vec->len - 1].ext && vec->v[vec->len - 1].ext == vec->ext_len)
		vec->ext_len--;
	vec->len--;
}

const struct lsock_ext *lsock_vec_ext(const struct lsock_vec *vec, const struct lsock *sk)
{
	return sk->ext && sk->ext <= vec->ext_len ? &vec->ext[sk->ext - 1] : NULL;
}

void lsock_vec_free(struct lsock_vec *vec)
{
	for (struct lsock_names *b = vec->names, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(vec->v);
	free(vec->ext);
	*vec = (struct lsock_vec){ 0 };
}

const char *lsock_state_name(const struct lsock *sk)
{
	static const char *const names[LSOCK_STATE_MAX] = {
		[0] = "UNKNOWN",
		[LSOCK_ESTABLISHED] = "ESTAB",
		[LSOCK_SYN_SENT] = "SYN-SENT",
		[LSOCK_SYN_RECV] = "SYN-RECV",
		[LSOCK_FIN_WAIT1] = "FIN-WAIT-1",
		[LSOCK_FIN_WAIT2] = "FIN-WAIT-2",
		[LSOCK_TIME_WAIT] = "TIME-WAIT",
		[LSOCK_CLOSE] = "UNCONN",
		[LSOCK_CLOSE_WAIT] = "CLOSE-WAIT",
		[LSOCK_LAST_ACK] = "LAST-ACK",
		[LSOCK_LISTEN] = "LISTEN",
		[LSOCK_CLOSING] = "CLOSING",
	};

	static const char *const sctp[LSOCK_SCTP_STATE_MAX] = {
		[LSOCK_SCTP_CLOSED] = "CLOSED",
		[LSOCK_SCTP_COOKIE_WAIT] = "COOKIE_WAIT",
		[LSOCK_SCTP_COOKIE_ECHOED] = "COOKIE_ECHOED",
		[LSOCK_SCTP_ESTABLISHED] = "ESTAB",
		[LSOCK_SCTP_SHUTDOWN_PENDING] = "SHUTDOWN_PENDING",
		[LSOCK_SCTP_SHUTDOWN_SENT] = "SHUTDOWN_SENT",
		[LSOCK_SCTP_SHUTDOWN_RECEIVED] = "SHUTDOWN_RECEIVED",
		[LSOCK_SCTP_SHUTDOWN_ACK_SENT] = "ACK_SENT",
	};

	if (sk->flags & LSOCK_SCTP_ASSOC)
		return sk->state < LSOCK_SCTP_STATE_MAX ? sctp[sk->state] : "UNKNOWN";
	return sk->state < LSOCK_STATE_MAX ? names[sk->state] : "UNKNOWN";
}

bool lsock_is_listener(const struct lsock *sk)
{
	/* A unix datagram socket bound to a name receives from anyone who sends to it. */
	if (sk->family == AF_UNIX)
		return sk->state == LSOCK_LISTEN ||
		       (sk->type == SOCK_DGRAM && sk->state == LSOCK_CLOSE &&
			(sk->un.flags & LSOCK_UNIX_NAME));
	if (sk->flags & LSOCK_SCTP_ASSOC)
		return false;
	/* A vsock datagram socket bound to a port, as a UDP one, receives from any peer. */
	if (sk->family == AF_VSOCK)
		return sk->state == LSOCK_LISTEN ||
		       (sk->type == SOCK_DGRAM && sk->state == LSOCK_CLOSE &&
			sk->vs.port != LSOCK_VSOCK_ANY);
	if (sk->protocol == IPPROTO_TCP || sk->protocol == IPPROTO_SCTP)
		return sk->state == LSOCK_LISTEN;
	return sk->state == LSOCK_CLOSE;
}

const char *lsock_proto_name(uint8_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_RAW:
		return "raw";
	case LSOCK_PROTO_PACKET:
		return "packet";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return "?";
	}
}

const char *lsock_protocol(const struct lsock *sk)
{
	if (sk->family == AF_VSOCK)
		return "vsock";
	return (sk->flags & LSOCK_MPTCP) ? "mptcp" : lsock_proto_name(sk->protocol);
}

const char *lsock_netid(const struct lsock *sk)
{
	if (sk->family == AF_PACKET)
		return sk->type == SOCK_DGRAM ? "p_dgr" : "p_raw";
	if (sk->family == AF_VSOCK)
		return sk->type == SOCK_STREAM ? "v_str" : sk->type == SOCK_DGRAM ? "v_dgr" :
		       sk->type == SOCK_SEQPACKET ? "v_seq" : "v_???";
	if (sk->family != AF_UNIX)
		return lsock_protocol(sk);
	switch (sk->type) {
	case SOCK_STREAM:
		return "u_str";
	case SOCK_DGRAM:
		return "u_dgr";
	case SOCK_SEQPACKET:
		return "u_seq";
	default:
		return "u_???";
	}
}

const char *lsock_unix_type_name(uint8_t type)
{
	switch (type) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_DGRAM:
		return "dgram";
	case SOCK_SEQPACKET:
		return "seqpacket";
	default:
		return "unknown";
	}
}

bool lsock_unix_abstract(const struct lsock *sk)
{
	return (sk->un.flags & LSOCK_UNIX_NAME) && sk->un.name_len && sk->un.name[0] == '\0';
}

const char *lsock_timer_name(uint8_t timer)
{
	static const char *const names[] = {
		[LSOCK_TIMER_NONE] = "off",
		[LSOCK_TIMER_ON] = "on",
		[LSOCK_TIMER_KEEPALIVE] = "keepalive",
		[LSOCK_TIMER_TIMEWAIT] = "timewait",
		[LSOCK_TIMER_PERSIST] = "persist",
		[LSOCK_TIMER_DELACK] = "delack",
	};

	return timer < sizeof(names) / sizeof(names[0]) ? names[timer] : "unknown";
}

bool lsock_is_inet_transport(const struct lsock *sk)
{
	return (sk->family == AF_INET || sk->family == AF_INET6) &&
	       (sk->protocol == IPPROTO_TCP || sk->protocol == IPPROTO_UDP ||
		sk->protocol == IPPROTO_SCTP);
}

const char *lsock_vsock_cid_name(uint32_t cid)
{
	switch (cid) {
	case 0:
		return "hypervisor";
	case 1:
		return "local";
	case 2:
		return "host";
	case LSOCK_VSOCK_ANY:
		return "any";
	default:
		return NULL;
	}
}

const char *lsock_family_name(uint8_t family)
{
	switch (family) {
	case AF_INET:
		return "ipv4";
	case AF_UNIX:
		return "unix";
	case AF_PACKET:
		return "packet";
	case AF_VSOCK:
		return "vsock";
	default:
		return "ipv6";
	}
}
