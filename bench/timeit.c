/*
 * timeit: run commands in turn, many rounds, and report each run's wall time and peak RSS.
 *
 *   timeit [-n ROUNDS] [-N NETNS] -- CMD ARGS... [::: CMD ARGS...]...
 *
 * One unreported warm-up round, then ROUNDS rounds; round r starts with command r mod k,
 * so no command always runs first or after the same neighbour. Commands run with stdin,
 * stdout and stderr on /dev/null, inside the network namespace file NETNS when given.
 * Prints one line per run: "round<TAB>command<TAB>nanoseconds<TAB>max-rss-KiB<TAB>status",
 * status being the exit status, or 128 + the signal that killed it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Run argv once; returns its exit status (128 + signal) and fills ns and rss (KiB). */
static int run(char **argv, const posix_spawn_file_actions_t *fa, long long *ns, long *rss)
{
	struct rusage ru;
	long long t0 = now_ns();
	pid_t pid;
	int st, r = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ);

	if (r != 0) {
		fprintf(stderr, "timeit: %s: %s\n", argv[0], strerror(r));
		exit(1);
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("timeit: wait4");
			exit(1);
		}
	*ns = now_ns() - t0;
	*rss = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	char **cmds[64];
	long rounds = 11;
	int c, k = 0;

	while ((c = getopt(argc, argv, "+n:N:")) != -1) {
		if (c == 'n' && (rounds = strtol(optarg, NULL, 10)) >= 1)
			continue;
		if (c == 'N') {
			int fd = open(optarg, O_RDONLY | O_CLOEXEC);

			if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
				fprintf(stderr, "timeit: %s: %s\n", optarg, strerror(errno));
				return 1;
			}
			close(fd);
			continue;
		}
		fprintf(stderr, "usage: timeit [-n ROUNDS] [-N NETNS] -- CMD... [::: CMD...]...\n");
		return 2;
	}
	for (int i = optind, start = 1; i < argc; i++) {
		if (strcmp(argv[i], ":::") == 0) {
			argv[i] = NULL; /* ends the command before it */
			start = 1;
		} else if (start && k < 64) {
			cmds[k++] = &argv[i];
			start = 0;
		}
	}
	if (k == 0) {
		fprintf(stderr, "timeit: no command\n");
		return 2;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (long r = -1; r < rounds; r++) {
		for (int j = 0; j < k; j++) {
			int i = (int)((r < 0 ? 0 : r) + j) % k, st;
			long long ns;
			long rss;

			st = run(cmds[i], &fa, &ns, &rss);
			if (r >= 0)
				printf("%ld\t%d\t%lld\t%ld\t%d\n", r, i, ns, rss, st);
		}
		fflush(stdout);
	}
	posix_spawn_file_actions_destroy(&fa);
	return 0;
}
