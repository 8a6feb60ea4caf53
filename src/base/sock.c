/* The socket record array and the names of its enumerations. */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

void lsock_vec_free(struct lsock_vec *vec)
{
	free(vec->v);
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

	return sk->state < LSOCK_STATE_MAX ? names[sk->state] : "UNKNOWN";
}

bool lsock_is_listener(const struct lsock *sk)
{
	if (sk->protocol == IPPROTO_TCP)
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
	default:
		return "?";
	}
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

const char *lsock_family_name(uint8_t family)
{
	return family == AF_INET ? "ipv4" : "ipv6";
}
