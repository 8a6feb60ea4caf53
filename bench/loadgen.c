/*
 * loadgen: build one benchmark scenario in a private network namespace and hold it.
 *
 *   loadgen [--tcp N] [--udp N] [--est N] [--procs P] [--fds N]
 *
 * Moves into a new network namespace (loopback up), forks P holder processes and spreads
 * over them N TCP listeners, N bound UDP sockets, N established loopback connections (both
 * ends held, so 2N sockets) and N extra non-socket fds (/dev/null). Listeners and UDP
 * sockets use ports 10000-29999 on 127.0.0.1, 127.0.0.2, ... so ports never run out and
 * stay clear of the ephemeral range the connections use.
 *
 * When every holder is ready it prints "ready PID" (its own pid: the namespace is
 * /proc/PID/ns/net) and waits until its standard input closes or it is told to stop
 * (SIGTERM, SIGINT); then it kills its holders by pid and reaps them. Holders die with it.
 * Needs root (unshare, file limits).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORT_BASE 10000
#define PORTS_PER_ADDR 20000

struct share {
	long tcp, udp, est, fds;
	long tcp_first, udp_first; /* global index of the first listener / UDP socket */
};

static void die(const char *what)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	_exit(1);
}

/* The k-th address:port of the listener (or UDP socket) space. */
static struct sockaddr_in slot_addr(long k)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(k / PORTS_PER_ADDR));
	a.sin_port = htons((uint16_t)(PORT_BASE + k % PORTS_PER_ADDR));
	return a;
}

static int bound_socket(int type, long k)
{
	struct sockaddr_in a = slot_addr(k);
	int one = 1, fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	return fd;
}

/* One holder: open its share, report ready on the pipe, then sleep until killed. */
static void hold(const struct share *s, int ready_fd)
{
	int lfd = -1;

	for (long i = 0; i < s->tcp; i++) {
		int fd = bound_socket(SOCK_STREAM, s->tcp_first + i);

		if (listen(fd, 4096) < 0)
			die("listen");
		if (lfd < 0)
			lfd = fd;
	}
	for (long i = 0; i < s->udp; i++)
		bound_socket(SOCK_DGRAM, s->udp_first + i);
	if (s->est > 0 && lfd < 0) {
		/* No listener of its own to connect to: a private one, on a port of its own. */
		struct sockaddr_in a = { .sin_family = AF_INET };

		a.sin_addr.s_addr = htonl(0x7f7f0001u);
		lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    listen(lfd, 4096) < 0)
			die("private listener");
	}
	for (long i = 0; i < s->est; i++) {
		struct sockaddr_in a;
		socklen_t alen = sizeof(a);
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (c < 0 || getsockname(lfd, (struct sockaddr *)&a, &alen) < 0)
			die("socket");
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
			die("connect");
		if (accept4(lfd, NULL, NULL, SOCK_CLOEXEC) < 0)
			die("accept");
	}
	for (long i = 0; i < s->fds; i++)
		if (open("/dev/null", O_RDONLY | O_CLOEXEC) < 0)
			die("open /dev/null");
	if (write(ready_fd, "", 1) != 1)
		die("ready");
	close(ready_fd);
	for (;;)
		pause();
}

static void loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	strcpy(ifr.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("lo up");
	close(fd);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long parse_count(const char *s, const char *name)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 10000000) {
		fprintf(stderr, "loadgen: --%s wants a count, not '%s'\n", name, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcp", required_argument, NULL, 't' }, { "udp", required_argument, NULL, 'u' },
		{ "est", required_argument, NULL, 'e' }, { "procs", required_argument, NULL, 'p' },
		{ "fds", required_argument, NULL, 'f' }, { 0 },
	};
	long tcp = 0, udp = 0, est = 0, procs = 1, fds = 0, most;
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t *kids;
	int c, pipefd[2];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *name = opts[0].name;

		for (const struct option *o = opts; o->name; o++)
			if (o->val == c)
				name = o->name;
		switch (c) {
		case 't': tcp = parse_count(optarg, name); break;
		case 'u': udp = parse_count(optarg, name); break;
		case 'e': est = parse_count(optarg, name); break;
		case 'p': procs = parse_count(optarg, name); break;
		case 'f': fds = parse_count(optarg, name); break;
		default: return 2;
		}
	}
	if (optind != argc || procs < 1) {
		fprintf(stderr,
			"usage: loadgen [--tcp N] [--udp N] [--est N] [--procs P] [--fds N]\n");
		return 2;
	}
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare -n (run as root)");
	loopback_up();

	/* Each holder needs room for its share: the largest share of each kind, plus slack. */
	most = (tcp + procs - 1) / procs + (udp + procs - 1) / procs +
	       2 * ((est + procs - 1) / procs) + (fds + procs - 1) / procs + 64;
	struct rlimit rl = { .rlim_cur = (rlim_t)most, .rlim_max = (rlim_t)most };
	if (most > 1024 && setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit RLIMIT_NOFILE");

	/* No SA_RESTART: a signal, or a holder that dies, interrupts the waits below. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	kids = calloc((size_t)procs, sizeof(*kids));
	if (!kids || pipe2(pipefd, O_CLOEXEC) < 0)
		die("setup");
	long tcp_at = 0, udp_at = 0;
	pid_t parent = getpid();
	for (long i = 0; i < procs; i++) {
		struct share s = {
			.tcp = tcp / procs + (i < tcp % procs),
			.udp = udp / procs + (i < udp % procs),
			.est = est / procs + (i < est % procs),
			.fds = fds / procs + (i < fds % procs),
			.tcp_first = tcp_at, .udp_first = udp_at,
		};

		tcp_at += s.tcp;
		udp_at += s.udp;
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (kids[i] == 0) {
			signal(SIGCHLD, SIG_DFL);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1);
			close(pipefd[0]);
			hold(&s, pipefd[1]);
		}
	}
	close(pipefd[1]);
	for (long ready = 0; ready < procs;) {
		char buf[256];
		ssize_t n = read(pipefd[0], buf, sizeof(buf));

		if (n <= 0 || stop) {
			fprintf(stderr, "loadgen: a holder failed before it was ready\n");
			break;
		}
		ready += n;
		if (ready == procs) {
			printf("ready %d\n", (int)getpid());
			fflush(stdout);
			/* Hold until stdin closes or a signal says stop. */
			while (!stop && read(STDIN_FILENO, buf, sizeof(buf)) > 0)
				;
		}
	}
	for (long i = 0; i < procs; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < procs; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	return 0;
}
