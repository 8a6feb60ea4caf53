/*
 * Opens a varied set of TCP and UDP sockets on loopback and wildcard addresses, prints
 * "ready" and waits until its standard input closes. Run it in a private network namespace:
 * the live tests and tests/data/capture.sh compare listen with ss on these sockets.
 *
 * Holders: the parent holds everything; a forked worker shares the first listener (so it has
 * several owners) and a worker running as nobody owns one listener of its own.
 *
 * Given arguments, it opens exactly those sockets instead, one per argument:
 *   tcp|udp,ADDRESS,PORT[,v6only][,dev=NAME][,netns=PATH]
 * (TCP ones listen; an IPv6 wildcard is dual-stack unless v6only; a link-local IPv6 address
 * takes its scope from dev; netns makes it in the network namespace of that nsfs file, such as
 * /run/netns/NAME), prints "ready PID" and waits the same way. An argument that
 * begins with '-' is ignored with the one after it, so a copy named docker-proxy can carry a
 * docker-proxy's command line (and any test, a hostile one); but "-comm NAME" sets the
 * process name.
 */
#include <arpa/inet.h>
#include <err.h>
#include <net/if.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Fill ss with addr:port of family (scoped to dev if it is set); returns the address length
 * to pass to bind/connect. */
static socklen_t fill_addr(struct sockaddr_storage *ss, int family, const char *addr, int port,
			   const char *dev)
{
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			errx(1, "bad address %s", addr);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)port);
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
		errx(1, "bad address %s", addr);
	if (dev && IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
		sin6->sin6_scope_id = if_nametoindex(dev);
	return sizeof(*sin6);
}

static int open_sock(int family, int type, const char *addr, int port, int v6only,
		     const char *dev, int listener)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int one = 1;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		err(1, "socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6 && v6only >= 0 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0)
		err(1, "IPV6_V6ONLY");
	if (dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev)) < 0)
		err(1, "SO_BINDTODEVICE %s", dev);
	len = fill_addr(&ss, family, addr, port, dev);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		err(1, "bind %s port %d", addr, port);
	if (listener && listen(fd, 16) < 0)
		err(1, "listen");
	return fd;
}

static int connect_to(int family, const char *addr, int port, int type)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		err(1, "socket");
	len = fill_addr(&ss, family, addr, port, NULL);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		err(1, "connect %s port %d", addr, port);
	return fd;
}

/* Block until standard input reaches end of file (the test closed it) or a signal ends us. */
static void wait_for_eof(void)
{
	char buf[64];

	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
}

/* Open the socket one argument describes (see the top of the file). */
static void open_spec(char *spec)
{
	char *proto = strtok(spec, ","), *addr = strtok(NULL, ","), *port = strtok(NULL, ",");
	char *opt, *dev = NULL, *netns = NULL;
	int v6only = 0, home = -1, there;

	if (!proto || !addr || !port)
		errx(1, "bad socket spec");
	while ((opt = strtok(NULL, ","))) {
		if (strcmp(opt, "v6only") == 0)
			v6only = 1;
		else if (strncmp(opt, "dev=", 4) == 0)
			dev = opt + 4;
		else if (strncmp(opt, "netns=", 6) == 0)
			netns = opt + 6;
		else
			errx(1, "bad socket option %s", opt);
	}
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	int tcp = strcmp(proto, "tcp") == 0;

	if (!tcp && strcmp(proto, "udp") != 0)
		errx(1, "bad protocol %s", proto);
	/* A socket stays in the namespace it was made in: go there for it, then come back. */
	if (netns) {
		home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		there = open(netns, O_RDONLY | O_CLOEXEC);
		if (home < 0 || there < 0 || setns(there, CLONE_NEWNET) < 0)
			err(1, "netns %s", netns);
		close(there);
	}
	open_sock(family, tcp ? SOCK_STREAM : SOCK_DGRAM, addr, atoi(port),
		  family == AF_INET6 ? v6only : -1, dev, tcp);
	if (home >= 0 && (setns(home, CLONE_NEWNET) < 0 || close(home) < 0))
		err(1, "back from netns %s", netns);
}

/* A connection closed by its client first: the client's end stays in TIME-WAIT for a
 * minute, with no inode, no holder and a timer:(timewait,...). Its listener is closed again. */
static void time_wait(void)
{
	int l = open_sock(AF_INET, SOCK_STREAM, "127.0.0.1", 7001, -1, NULL, 1);
	int c = connect_to(AF_INET, "127.0.0.1", 7001, SOCK_STREAM);
	int a = accept(l, NULL, NULL);
	char byte;

	if (a < 0)
		err(1, "accept");
	close(c);
	if (read(a, &byte, 1) != 0) /* the client's FIN */
		err(1, "read FIN");
	close(a);
	close(l);
}

int main(int argc, char **argv)
{
	pid_t kids[2];
	int shared, fd;

	if (argc > 1) {
		const char *base = strrchr(argv[0], '/');

		/* A copy named docker-proxy keeps that name: listen reads its command line. */
		if (strcmp(base ? base + 1 : argv[0], "docker-proxy") != 0)
			prctl(PR_SET_NAME, "lsn-spec");
		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "-comm") == 0 && i + 1 < argc)
				prctl(PR_SET_NAME, argv[i + 1]); /* any bytes, cut to 15 */
			if (argv[i][0] == '-')
				i++; /* a flag and its value */
			else
				open_spec(argv[i]);
		}
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		wait_for_eof();
		return 0;
	}

	prctl(PR_SET_NAME, "lsn-parent");
	/* TCP listeners: every bind scope ss distinguishes. */
	shared = open_sock(AF_INET, SOCK_STREAM, "0.0.0.0", 22, -1, NULL, 1);
	if (dup(shared) < 0) /* the same socket under two fds */
		err(1, "dup");
	open_sock(AF_INET, SOCK_STREAM, "127.0.0.1", 8080, -1, NULL, 1);
	open_sock(AF_INET6, SOCK_STREAM, "::", 80, 0, NULL, 1);    /* dual-stack: "*" */
	open_sock(AF_INET6, SOCK_STREAM, "::", 443, 1, NULL, 1);   /* v6only: "[::]" */
	open_sock(AF_INET6, SOCK_STREAM, "::1", 631, 1, NULL, 1);
	open_sock(AF_INET, SOCK_STREAM, "0.0.0.0", 5432, -1, "lo", 1); /* "0.0.0.0%lo" */
	open_sock(AF_INET6, SOCK_STREAM, "::", 6379, 1, "lo", 1);
	/* UDP: unconnected on each scope, and one connected client. */
	open_sock(AF_INET, SOCK_DGRAM, "0.0.0.0", 53, -1, NULL, 0);
	open_sock(AF_INET6, SOCK_DGRAM, "::", 5353, 0, NULL, 0);
	open_sock(AF_INET6, SOCK_DGRAM, "::1", 123, 1, NULL, 0);
	open_sock(AF_INET, SOCK_DGRAM, "127.0.0.1", 161, -1, NULL, 0);
	open_sock(AF_INET, SOCK_DGRAM, "0.0.0.0", 67, -1, "lo", 0);
	fd = connect_to(AF_INET, "127.0.0.1", 53, SOCK_DGRAM);
	if (send(fd, "ping", 4, 0) < 0) /* queued bytes show in Recv-Q of port 53 */
		err(1, "send");
	/* Established TCP: IPv4 (with keepalive: a timer, timer:(keepalive,...) in -e), IPv6
	 * and an IPv4-mapped IPv6 client. */
	fd = connect_to(AF_INET, "127.0.0.1", 8080, SOCK_STREAM);
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &(int){ 1 }, sizeof(int)) < 0)
		err(1, "SO_KEEPALIVE");
	connect_to(AF_INET6, "::1", 631, SOCK_STREAM);
	connect_to(AF_INET6, "::ffff:127.0.0.1", 22, SOCK_STREAM);
	time_wait();

	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			err(1, "fork");
		if (kids[i] == 0) {
			if (i == 0) {
				prctl(PR_SET_NAME, "lsn-worker");
			} else {
				/* A listener of nobody's own: visible to nobody with its owner. */
				prctl(PR_SET_NAME, "lsn-nobody");
				if (setgid(65534) < 0 || setuid(65534) < 0)
					err(1, "setuid nobody");
				/* setuid made us non-dumpable: /proc/PID/fd would be root's. */
				prctl(PR_SET_DUMPABLE, 1);
				/* Leave the root-owned sockets inherited from the parent. */
				for (int f = 3; f < 64; f++)
					if (f != STDIN_FILENO)
						close(f);
				open_sock(AF_INET, SOCK_STREAM, "127.0.0.1", 9100, -1, NULL, 1);
			}
			wait_for_eof();
			_exit(0);
		}
	}
	printf("ready %d %d %d\n", (int)getpid(), (int)kids[0], (int)kids[1]);
	fflush(stdout);
	wait_for_eof();
	for (int i = 0; i < 2; i++) {
		kill(kids[i], SIGTERM);
		waitpid(kids[i], NULL, 0);
	}
	return 0;
}
