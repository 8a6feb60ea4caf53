/* Host names of addresses (-r): each asked of the resolver once, within a time budget. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "listen/hostnames.h"
#include "listen/sock.h"

static int host_cmp(const void *a, const void *b)
{
	const struct hostname *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

/* The system's resolver: a name it knows, never the address as text. */
static int system_name(uint8_t family, const unsigned char *addr, char **name)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	char host[NI_MAXHOST];
	int e;

	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr, 4);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr, 16);
		len = sizeof(*sin6);
	}
	e = getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0, NI_NAMEREQD);
	if (e == EAI_MEMORY)
		return -ENOMEM;
	if (e)
		return -ENOENT;
	*name = strdup(host);
	return *name ? 0 : -ENOMEM;
}

/* Whether addr is all zeros: a wildcard, printed as ss prints it. */
static bool wildcard(const unsigned char *addr, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (addr[i])
			return false;
	return true;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int hostnames_resolve(struct hostnames *h, const struct lsock *socks, size_t n,
		      hostnames_fn *fn, unsigned budget_ms)
{
	struct hostname *v = calloc(2 * n + 1, sizeof(*v));
	size_t len = 0, k = 0;
	uint64_t deadline = now_ms() + budget_ms;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct lsock *sk = &socks[i];
		size_t alen = sk->family == AF_INET ? 4 : 16;

		if (sk->family != AF_INET && sk->family != AF_INET6)
			continue;
		for (int end = 0; end < 2; end++) {
			const unsigned char *a = end ? sk->raddr : sk->laddr;

			if (wildcard(a, alen))
				continue;
			v[len].family = sk->family;
			memcpy(v[len++].addr, a, alen);
		}
	}
	qsort(v, len, sizeof(*v), host_cmp);
	for (size_t i = 0; i < len; i++) /* each address once */
		if (k == 0 || host_cmp(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
	h->v = v;
	h->len = k;
	h->unasked = 0;
	for (size_t i = 0; i < k; i++) {
		int r;

		if (now_ms() >= deadline) {
			h->unasked = k - i;
			break;
		}
		r = (fn ? fn : system_name)(v[i].family, v[i].addr, &v[i].name);
		if (r == -ENOMEM)
			return r;
	}
	return 0;
}

const char *hostnames_get(const struct hostnames *h, uint8_t family, const unsigned char *addr)
{
	struct hostname key = { .family = family }, *found;

	if (!h || !h->len)
		return NULL;
	memcpy(key.addr, addr, family == AF_INET ? 4 : 16);
	found = bsearch(&key, h->v, h->len, sizeof(key), host_cmp);
	return found ? found->name : NULL;
}

void hostnames_free(struct hostnames *h)
{
	for (size_t i = 0; i < h->len; i++)
		free(h->v[i].name);
	free(h->v);
	*h = (struct hostnames){ 0 };
}
