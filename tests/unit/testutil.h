/* Helpers shared by the unit tests. */
#ifndef LISTEN_TESTUTIL_H
#define LISTEN_TESTUTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read a fixture file whole; aborts the test program if it cannot. */
static inline char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		abort();
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Write text to path below the directory dir, making the directories on the way; aborts the
 * test program if it cannot. */
static inline void test_put_file(int dir, const char *path, const char *text)
{
	char d[512], *slash;
	int fd;

	snprintf(d, sizeof(d), "%s", path);
	for (slash = strchr(d, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdirat(dir, d, 0755);
		*slash = '/';
	}
	fd = openat(dir, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(path);
		abort();
	}
	close(fd);
}

/* Remove a scratch directory made with mkdtemp, and everything in it. */
static inline void test_remove_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
}

/* Descriptors test_fds_use takes so that only a few more can be opened, under a soft limit of
 * TEST_FDS_LIMIT; test_fds_free gives them back and restores the limit. */
#define TEST_FDS_LIMIT 64
struct test_fds {
	struct rlimit saved;
	int fd[TEST_FDS_LIMIT];
	int n;
};

/* Leave exactly spare descriptors free: the open after them fails with EMFILE. */
static inline void test_fds_use(struct test_fds *t, int spare)
{
	struct rlimit rl;
	int fd;

	t->n = 0;
	if (getrlimit(RLIMIT_NOFILE, &t->saved) != 0)
		abort();
	rl = t->saved;
	rl.rlim_cur = rl.rlim_max < TEST_FDS_LIMIT ? rl.rlim_max : TEST_FDS_LIMIT;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		abort();
	while (t->n < TEST_FDS_LIMIT && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		t->fd[t->n++] = fd;
	while (spare-- > 0 && t->n > 0)
		close(t->fd[--t->n]);
}

static inline void test_fds_free(struct test_fds *t)
{
	while (t->n > 0)
		close(t->fd[--t->n]);
	if (setrlimit(RLIMIT_NOFILE, &t->saved) != 0)
		abort();
}

#endif
