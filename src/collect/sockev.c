/* The sock_diag destroy groups: joined once, drained without blocking, parsed as a dump is. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdalign.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen/diag.h"
#include "listen/priv.h"
#include "listen/sock.h"
#include "listen/sockev.h"

/* Room for notifications that arrive between two reads; the kernel may cap it (rmem_max). */
#define SOCKEV_RCVBUF (4 << 20)

static int join(const struct diag_query *q, uint8_t protocol, int *out)
{
	unsigned groups = 0;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, r, size = SOCKEV_RCVBUF;

	*out = -1;
	if (diag_query_dumps(q, AF_INET, protocol))
		groups |= 1u << ((protocol == IPPROTO_TCP ? SKNLGRP_INET_TCP_DESTROY
							  : SKNLGRP_INET_UDP_DESTROY) - 1);
	if (diag_query_dumps(q, AF_INET6, protocol))
		groups |= 1u << ((protocol == IPPROTO_TCP ? SKNLGRP_INET6_TCP_DESTROY
							  : SKNLGRP_INET6_UDP_DESTROY) - 1);
	if (!groups)
		return 0;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	sa.nl_groups = groups;
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	if (r == -EPERM && priv_can(PRIV_NETADMIN)) {
		priv_raise(PRIV_NETADMIN);
		r = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
		priv_lower();
	}
	if (r < 0) {
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

int sockev_open(struct sockev *ev, const struct diag_query *q)
{
	int r = 0;

	ev->fd[0] = ev->fd[1] = -1;
	for (int i = 0; i < 2 && r == 0; i++)
		r = join(q, diag_protocols[i], &ev->fd[i]);
	if (r < 0)
		sockev_close(ev);
	return r;
}

int sockev_parse(uint8_t protocol, const void *buf, size_t len, struct lsock_vec *out)
{
	struct diag_parser p = { .out = out, .protocol = protocol };
	int r = diag_parse(&p, buf, len);

	return r < 0 ? r : 0;
}

int sockev_read(struct sockev *ev, int i, struct lsock_vec *out)
{
	alignas(struct nlmsghdr) char buf[16384];
	int lost = 0, bad = 0;

	if (ev->fd[i] < 0)
		return 0;
	for (;;) {
		ssize_t n = recv(ev->fd[i], buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			lost = -ENOBUFS;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0)
			return -errno;
		int r = sockev_parse(diag_protocols[i], buf, (size_t)n, out);

		if (r == -ENOMEM)
			return r;
		if (r < 0)
			bad = r;
	}
	return lost ? lost : bad;
}

void sockev_close(struct sockev *ev)
{
	for (int i = 0; i < 2; i++) {
		if (ev->fd[i] >= 0)
			close(ev->fd[i]);
		ev->fd[i] = -1;
	}
}
