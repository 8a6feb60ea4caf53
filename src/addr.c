/* Socket addresses formatted exactly as ss formats them. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/sock.h"

struct addr_ifname {
	uint32_t index;
	char name[IF_NAMESIZE + 16]; /* IF_NAMESIZE, or "if" and a number when unknown */
};

char *addr_format(char *buf, int family, const unsigned char *addr, bool v6only)
{
	static const unsigned char any6[16];

	if (family == AF_INET) {
		inet_ntop(AF_INET, addr, buf, ADDR_STRLEN);
	} else if (!v6only && memcmp(addr, any6, sizeof(any6)) == 0) {
		strcpy(buf, "*");
	} else {
		buf[0] = '[';
		inet_ntop(AF_INET6, addr, buf + 1, ADDR_STRLEN - 2);
		strcat(buf, "]");
	}
	return buf;
}

int addr_ifnames_resolve(struct addr_ifnames *t, const struct lsock *socks, size_t n)
{
	*t = (struct addr_ifnames){ 0 };
	for (size_t i = 0; i < n; i++) {
		uint32_t idx = socks[i].ifindex;

		if (idx == 0 || addr_ifname(t, idx))
			continue;
		struct addr_ifname *v = reallocarray(t->v, t->len + 1, sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		v[t->len].index = idx;
		/* Like ss: a device that no longer exists is shown by its number. */
		if (!if_indextoname(idx, v[t->len].name))
			snprintf(v[t->len].name, sizeof(v[t->len].name), "if%u", idx);
		t->len++;
	}
	return 0;
}

const char *addr_ifname(const struct addr_ifnames *t, uint32_t ifindex)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->v[i].index == ifindex)
			return t->v[i].name;
	return NULL;
}

void addr_ifnames_free(struct addr_ifnames *t)
{
	free(t->v);
	*t = (struct addr_ifnames){ 0 };
}
