/* Interface names, flags and addresses over NETLINK_ROUTE. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "listen/capture.h"
#include "listen/ifaddr.h"
#include "listen/netlink.h"

/* Make room for one more element of size sz in *v (length n, capacity *cap). */
static int grow(void **v, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = reallocarray(*v, c, sz);

	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

/* The attributes kept: IFA_ADDRESS (1), IFA_LOCAL (2), IFLA_IFNAME (3). */
#define ATTR_MAX 3

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= ATTR_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_link(struct ifaddr_table *t, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[ATTR_MAX + 1] = { 0 };
	const struct ifinfomsg *ifi;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return -EBADMSG;
	ifi = mnl_nlmsg_get_payload(nlh);
	mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, tb);
	if (ifi->ifi_index <= 0 || !tb[IFLA_IFNAME] || ifaddr_link(t, (uint32_t)ifi->ifi_index))
		return 0;
	if (grow((void **)&t->links, t->nlinks, &t->links_cap, sizeof(*t->links)) < 0)
		return -ENOMEM;

	struct ifaddr_link *l = &t->links[t->nlinks++];
	size_t n = mnl_attr_get_payload_len(tb[IFLA_IFNAME]);

	*l = (struct ifaddr_link){ .index = (uint32_t)ifi->ifi_index,
				   .loopback = (ifi->ifi_flags & IFF_LOOPBACK) != 0,
				   .promisc = (ifi->ifi_flags & IFF_PROMISC) != 0 };
	n = n < sizeof(l->name) ? n : sizeof(l->name) - 1;
	memcpy(l->name, mnl_attr_get_payload(tb[IFLA_IFNAME]), n);
	l->name[strnlen(l->name, n)] = '\0';
	return 0;
}

static int parse_addr(struct ifaddr_table *t, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[ATTR_MAX + 1] = { 0 };
	const struct ifaddrmsg *ifa;
	const struct nlattr *a;
	size_t alen;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return -EBADMSG;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	alen = ifa->ifa_family == AF_INET ? 4 : 16;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, tb);
	/* On a point-to-point link IFA_ADDRESS is the peer's; IFA_LOCAL is ours when present. */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != alen || ifa->ifa_index == 0)
		return 0;
	if (grow((void **)&t->addrs, t->naddrs, &t->addrs_cap, sizeof(*t->addrs)) < 0)
		return -ENOMEM;

	struct ifaddr_addr *e = &t->addrs[t->naddrs++];

	*e = (struct ifaddr_addr){ .index = ifa->ifa_index, .family = ifa->ifa_family,
				      .prefixlen = ifa->ifa_prefixlen };
	memcpy(e->addr, mnl_attr_get_payload(a), alen);
	return 0;
}

static int parse_msg(void *ctx, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		return parse_link(ctx, nlh);
	if (nlh->nlmsg_type == RTM_NEWADDR)
		return parse_addr(ctx, nlh);
	return 0;
}

int ifaddr_parse(struct ifaddr_table *t, const void *buf, size_t len)
{
	return netlink_walk(buf, len, &t->interrupted, parse_msg, t);
}

/* Dump links, then addresses, on one socket. */
static int dump_all(struct mnl_socket *nl, void *buf, struct ifaddr_table *t, FILE *capture)
{
	static const uint16_t types[] = { RTM_GETLINK, RTM_GETADDR };
	struct netlink_capture cap = { capture, CAPTURE_RTNL, 0, 0 };
	uint32_t seq = (uint32_t)time(NULL);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifaddrmsg))] = { 0 };
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
		int r;

		nlh->nlmsg_type = types[i];
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = seq + (uint32_t)i;
		/* An ifaddrmsg of family AF_UNSPEC asks for every family; for RTM_GETLINK the
		 * kernel reads the same leading byte as ifinfomsg's family. */
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg));
		r = netlink_dump(nl, buf, nlh, parse_msg, t, &cap);
		if (r < 0)
			return r;
	}
	return 0;
}

int ifaddr_collect(struct ifaddr_table *t, FILE *capture)
{
	void *buf = malloc(NETLINK_RECV_SIZE);
	int r = -EAGAIN;

	if (!buf)
		return -ENOMEM;
	/* Interfaces changing during the dump: start again, a few times, on a fresh socket. */
	for (int tries = 0; r == -EAGAIN && tries < 4; tries++) {
		struct mnl_socket *nl = netlink_open(NETLINK_ROUTE);

		if (!nl) {
			r = -errno;
			break;
		}
		t->nlinks = t->naddrs = 0;
		t->interrupted = false;
		r = dump_all(nl, buf, t, capture);
		mnl_socket_close(nl);
		if (capture)
			break;
	}
	free(buf);
	return r;
}

static int replay_one(void *ctx, const struct capture_hdr *h, const void *payload)
{
	int r = ifaddr_parse(ctx, payload, h->len);

	return r < 0 ? r : 0;
}

int ifaddr_replay(struct ifaddr_table *t, const void *buf, size_t len)
{
	return capture_each(buf, len, CAPTURE_RTNL, replay_one, t);
}

const struct ifaddr_link *ifaddr_link(const struct ifaddr_table *t, uint32_t index)
{
	for (size_t i = 0; i < t->nlinks; i++)
		if (t->links[i].index == index)
			return &t->links[i];
	return NULL;
}

uint32_t ifaddr_owner(const struct ifaddr_table *t, int family, const unsigned char *addr)
{
	size_t alen = family == AF_INET ? 4 : 16;

	for (size_t i = 0; i < t->naddrs; i++)
		if (t->addrs[i].family == family && memcmp(t->addrs[i].addr, addr, alen) == 0)
			return t->addrs[i].index;
	return 0;
}

void ifaddr_table_free(struct ifaddr_table *t)
{
	free(t->links);
	free(t->addrs);
	*t = (struct ifaddr_table){ 0 };
}
