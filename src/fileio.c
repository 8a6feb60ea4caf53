/* Reading small files whole, with a loop so short reads cannot cut them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "listen/fileio.h"

int fileio_read_all(int dirfd, const char *path, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = NULL;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		if (!b || n + 1 >= cap) {
			char *nb = realloc(b, b ? (cap *= 2) : cap);

			if (!nb) {
				r = -ENOMEM;
				break;
			}
			b = nb;
		}
		ssize_t got = read(fd, b + n, cap - n - 1);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			r = got < 0 ? -errno : 0;
			break;
		}
		n += (size_t)got;
		if (n > max) {
			r = -EFBIG;
			break;
		}
	}
	close(fd);
	if (r < 0) {
		free(b);
		return r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

ssize_t fileio_read_small(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

bool fileio_exhausted(int r)
{
	return r == -EMFILE || r == -ENFILE || r == -ENOMEM;
}
