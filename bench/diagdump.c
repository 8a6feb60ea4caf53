/*
 * diagdump: the kernel's floor for listing TCP sockets, to measure listen against.
 *
 *   diagdump [-s STATES] [-4 | -6 | -b]
 *
 * Asks sock_diag for every TCP socket in STATES (a bit mask of TCP states in hex; default:
 * all but listeners, what -tan shows besides them; "fff" for every state) and reads the
 * replies into one 64 KiB buffer, counting messages and keeping nothing: no parsing, no
 * records, no output. With -4 or -6 one dump of that family; by default (-2) the two, IPv4
 * then IPv6, one request each as a sock_diag request names one family; with -b both
 * families in one request (TCPDIAG_GETSOCK), as listen asks. It prints how many sockets and
 * bytes it read.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* TCP_LISTEN is state 10; TCP_NEW_SYN_RECV (12) is never dumped. */
#define ALL_BUT_LISTEN (0xfffu & ~(1u << 10))

static void die(const char *what)
{
	fprintf(stderr, "diagdump: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* One dump to its end: family AF_UNSPEC asks for both at once. */
static void dump(int family, unsigned states, unsigned long *socks, unsigned long *bytes)
{
	static char buf[65536];
	char req[256];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	struct nlmsghdr *nlh;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink");
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (family == AF_UNSPEC) {
		struct inet_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		r->idiag_states = states;
	} else {
		struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		r->sdiag_family = (unsigned char)family;
		r->sdiag_protocol = IPPROTO_TCP;
		r->idiag_states = states;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send");
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		int len = (int)n;

		if (n < 0)
			die("receive");
		*bytes += (unsigned long)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				errno = -e->error;
				die("dump");
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				mnl_socket_close(nl);
				return;
			}
			(*socks)++;
		}
	}
}

int main(int argc, char **argv)
{
	unsigned long socks = 0, bytes = 0;
	unsigned states = ALL_BUT_LISTEN;
	char mode = '2';
	int c;

	while ((c = getopt(argc, argv, "s:46b2")) != -1) {
		if (c == 's')
			states = (unsigned)strtoul(optarg, NULL, 16);
		else if (c == '?')
			return 2;
		else
			mode = (char)c;
	}
	if (mode == 'b')
		dump(AF_UNSPEC, states, &socks, &bytes);
	if (mode == '4' || mode == '2')
		dump(AF_INET, states, &socks, &bytes);
	if (mode == '6' || mode == '2')
		dump(AF_INET6, states, &socks, &bytes);
	fprintf(stderr, "diagdump: %lu sockets, %lu bytes\n", socks, bytes);
	return 0;
}
