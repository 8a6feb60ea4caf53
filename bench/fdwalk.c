/*
 * fdwalk: the floor for finding socket owners, to measure listen against.
 *
 *   fdwalk [-j THREADS]
 *
 * Reads /proc, then for every process opens /proc/PID/fd, reads it and reads every link:
 * the least work any tool must do to map sockets to processes. Nothing is looked up or
 * kept; it prints how many processes, fds and socket fds it saw. With -j, THREADS workers
 * take processes from a shared counter.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct walk {
	int proc_fd;
	int *pids;
	size_t npids;
	atomic_size_t next;
	atomic_ulong fds, sockets;
};

static void *worker(void *arg)
{
	struct walk *w = arg;
	unsigned long fds = 0, sockets = 0;
	size_t i;

	while ((i = atomic_fetch_add(&w->next, 1)) < w->npids) {
		char path[32], link[64];
		struct dirent *de;
		DIR *dir;
		int dfd;

		snprintf(path, sizeof(path), "%d/fd", w->pids[i]);
		dfd = openat(w->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		dir = fdopendir(dfd);
		if (!dir) {
			close(dfd);
			continue;
		}
		while ((de = readdir(dir))) {
			ssize_t n;

			if (de->d_name[0] == '.')
				continue;
			n = readlinkat(dfd, de->d_name, link, sizeof(link));
			fds++;
			sockets += n > 8 && memcmp(link, "socket:[", 8) == 0;
		}
		closedir(dir);
	}
	atomic_fetch_add(&w->fds, fds);
	atomic_fetch_add(&w->sockets, sockets);
	return NULL;
}

int main(int argc, char **argv)
{
	struct walk w = { 0 };
	size_t cap = 1024;
	long threads = 1;
	struct dirent *de;
	pthread_t *tids;
	DIR *proc;
	int c;

	while ((c = getopt(argc, argv, "j:")) != -1) {
		if (c != 'j' || (threads = strtol(optarg, NULL, 10)) < 1 || threads > 64) {
			fprintf(stderr, "usage: fdwalk [-j THREADS]\n");
			return 2;
		}
	}
	proc = opendir("/proc");
	w.pids = malloc(cap * sizeof(*w.pids));
	if (!proc || !w.pids)
		return 1;
	w.proc_fd = dirfd(proc);
	while ((de = readdir(proc))) {
		int pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		if (w.npids == cap && !(w.pids = realloc(w.pids, (cap *= 2) * sizeof(*w.pids))))
			return 1;
		w.pids[w.npids++] = pid;
	}
	tids = calloc((size_t)threads, sizeof(*tids));
	if (!tids)
		return 1;
	for (long t = 1; t < threads; t++)
		if (pthread_create(&tids[t], NULL, worker, &w) != 0)
			return 1;
	worker(&w);
	for (long t = 1; t < threads; t++)
		pthread_join(tids[t], NULL);
	printf("%zu processes, %lu fds, %lu sockets\n", w.npids, (unsigned long)w.fds,
	       (unsigned long)w.sockets);
	closedir(proc);
	free(w.pids);
	free(tids);
	return 0;
}
