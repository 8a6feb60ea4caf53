/* Netlink plumbing shared by the collectors; message contents are parsed by the callers. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listen/netlink.h"

static int parse_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return -EBADMSG;
	err = mnl_nlmsg_get_payload(nlh);
	if (err->error == 0)
		return 0; /* an acknowledgement ends the exchange like NLMSG_DONE */
	if (err->error < 0 && err->error > -4096)
		return err->error;
	return -EBADMSG;
}

/* The end of a dump: the error the dump ended with, which NLMSG_DONE carries (a dump the
 * kernel has no handler for, as inet_diag's IPPROTO_RAW without raw_diag, ends at once with
 * -ENOENT), else 0. */
static int parse_done(const struct nlmsghdr *nlh)
{
	int err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(err)))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	return err < 0 && err > -4096 ? err : 0;
}

/* One message to its parser; errors and the end of a dump are read here. 1: go on. */
static int dispatch(const struct nlmsghdr *nlh, bool *interrupted, netlink_msg_fn *fn,
		    void *ctx)
{
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		*interrupted = true;
	switch (nlh->nlmsg_type) {
	case NLMSG_DONE:
		return parse_done(nlh);
	case NLMSG_ERROR:
		return parse_error(nlh);
	case NLMSG_NOOP:
		return 1;
	default: {
		int r = fn(ctx, nlh);

		return r < 0 ? r : 1;
	}
	}
}

int netlink_walk(const void *buf, size_t len, bool *interrupted, netlink_msg_fn *fn, void *ctx)
{
	const char *at = buf;

	/* Bounds are checked here in size_t: libmnl's mnl_nlmsg_ok() compares the length as an
	 * int, so a hostile nlmsg_len of 2^31 or more would pass it. */
	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)at;
		size_t msg_len = nlh->nlmsg_len, step = MNL_ALIGN(msg_len);
		int r;

		if (msg_len < sizeof(*nlh) || msg_len > len)
			return -EBADMSG;
		if (step <= len) {
			r = dispatch(nlh, interrupted, fn, ctx);
		} else {
			/* The last message lacks its alignment padding (a file cut short): libmnl
			 * walks attributes up to the aligned end, past the buffer, so that
			 * message is parsed from a copy with the padding. */
			struct nlmsghdr *copy = calloc(1, step);

			if (!copy)
				return -ENOMEM;
			memcpy(copy, nlh, msg_len);
			r = dispatch(copy, interrupted, fn, ctx);
			free(copy);
			step = len;
		}
		if (r <= 0)
			return r;
		at += step;
		len -= step;
	}
	return len == 0 ? 1 : -EBADMSG; /* a few bytes left over: a truncated header */
}

struct mnl_socket *netlink_open(int bus)
{
	struct mnl_socket *nl = mnl_socket_open(bus);

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	return nl;
}

int netlink_dump(struct mnl_socket *nl, void *buf, const struct nlmsghdr *req, netlink_msg_fn *fn,
		 void *ctx, const struct netlink_capture *capture)
{
	bool interrupted = false;
	int r = 0;

	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -errno;
	while (r == 0 || r == 1) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, NETLINK_RECV_SIZE);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == ENOBUFS ? -EAGAIN : -errno;
		}
		r = netlink_walk(buf, (size_t)n, &interrupted, fn, ctx);
		if (capture && capture->f && capture->scrub)
			capture->scrub(buf, (size_t)n);
		if (capture && capture->f &&
		    capture_write(capture->f, capture->source, capture->family, capture->protocol,
				  buf, (size_t)n) < 0)
			return -EIO;
		if (r == 0)
			break;
	}
	if (r < 0)
		return r;
	return interrupted ? -EAGAIN : 0;
}

int netlink_dump_whole(netlink_dump_fn *dump, void *arg, size_t *len, bool capturing)
{
	uint32_t seq = (uint32_t)time(NULL);
	size_t mark = *len;
	void *buf = malloc(NETLINK_RECV_SIZE);
	int r;

	if (!buf)
		return -ENOMEM;
	for (int tries = 0;; tries++) {
		struct mnl_socket *nl = netlink_open(NETLINK_SOCK_DIAG);

		if (!nl) {
			r = -errno;
			break;
		}
		r = dump(nl, buf, ++seq, arg);
		mnl_socket_close(nl);
		if (r != -EAGAIN || capturing || tries + 1 >= NETLINK_DUMP_TRIES)
			break;
		*len = mark;
	}
	free(buf);
	return r;
}
