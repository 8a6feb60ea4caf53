/*
 * Process and socket churn for the race test: churn WORKERS PIDLOG
 *
 * Opens a TCP listener on 127.0.0.1:9000 and accepts on it; starts WORKERS processes that, until
 * churn's standard input closes (or 15 minutes pass), each fork child after child. A child
 * opens a TCP listener, a UDP socket and a connection to :9000 on loopback, waits 20 to 100 ms,
 * and exits; the worker itself keeps one listener that it replaces now and then. Every process
 * appends its pid to PIDLOG before it opens any socket, so whatever pid listen reports as a
 * holder must be in the log. Prints "ready" once the workers run. Names: lsn-churn (the parent),
 * lsn-churn-w (workers), lsn-churn-c (their children).
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PORT 9000
#define MAX_SECONDS 900

static int log_fd;

static void log_pid(void)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%d\n", (int)getpid());

	if (write(log_fd, line, (size_t)n) != n)
		_exit(1);
}

static int tcp_socket(int listener)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(listener ? 0 : PORT) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (listener) {
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 4) < 0) {
			close(fd);
			return -1;
		}
	} else {
		/* Reset on close: no TIME-WAIT piling up over the test. */
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int udp_socket(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void child(unsigned seed)
{
	struct timespec pause = { 0, (long)(20 + seed % 80) * 1000000 };
	int fds[3];

	prctl(PR_SET_NAME, "lsn-churn-c");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	log_pid();
	fds[0] = tcp_socket(1);
	fds[1] = udp_socket();
	fds[2] = tcp_socket(0);
	nanosleep(&pause, NULL);
	_exit(fds[0] < 0 && fds[1] < 0 && fds[2] < 0);
}

static void worker(time_t deadline)
{
	unsigned seed = (unsigned)getpid();
	int own = -1;

	prctl(PR_SET_NAME, "lsn-churn-w");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	log_pid();
	for (unsigned round = 0; time(NULL) < deadline; round++) {
		seed = seed * 1103515245 + 12345;
		if (round % 16 == 0) {
			if (own >= 0)
				close(own);
			own = tcp_socket(1);
		}
		pid_t pid = fork();

		if (pid == 0)
			child(seed >> 8);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		errx(2, "usage: churn WORKERS PIDLOG");
	int workers = atoi(argv[1]);
	time_t deadline = time(NULL) + MAX_SECONDS;
	pid_t *pids = calloc((size_t)workers, sizeof(*pids));
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int one = 1, lfd;

	if (workers < 1 || !pids)
		errx(2, "bad worker count");
	log_fd = open(argv[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (log_fd < 0)
		err(1, "%s", argv[2]);
	prctl(PR_SET_NAME, "lsn-churn");
	log_pid();
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(lfd, 512) < 0)
		err(1, "listener");
	for (int i = 0; i < workers; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(lfd);
			worker(deadline);
		}
		if (pids[i] < 0)
			err(1, "fork");
	}
	printf("ready %d\n", (int)getpid());
	fflush(stdout);

	/* Accept and drop connections until stdin closes. */
	struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
			       { .fd = lfd, .events = POLLIN } };

	while (time(NULL) < deadline && poll(p, 2, 1000) >= 0) {
		char buf[64];

		if (p[0].revents && read(STDIN_FILENO, buf, sizeof(buf)) <= 0)
			break;
		if (p[1].revents) {
			int c;

			while ((c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
				close(c);
		}
	}
	for (int i = 0; i < workers; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < workers; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
	return 0;
}
