/* Reading small files whole, with a loop so short reads cannot cut them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/fileio.h"

/* Open path with flags, keeping the descriptor only if it is a regular file. O_NONBLOCK:
 * opening a FIFO must not wait for the other end; O_NOCTTY: nor adopt a terminal. */
static int open_regular(int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666), e;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = S_ISDIR(st.st_mode) ? EISDIR : FILEIO_ENOTREG;
	else
		return fd;
	close(fd);
	return -e;
}

int fileio_open_regular(int dirfd, const char *path)
{
	return open_regular(dirfd, path, O_RDONLY);
}

int fileio_create(const char *path)
{
	/* Emptied only once known to be a file: never a device, a FIFO's reader or a tty. */
	int fd = open_regular(AT_FDCWD, path, O_WRONLY | O_CREAT), e;

	if (fd < 0 || ftruncate(fd, 0) == 0)
		return fd;
	e = errno;
	close(fd);
	return -e;
}

const char *fileio_strerror(int r)
{
	return r == -FILEIO_ENOTREG ? "not a regular file" : strerror(-r);
}

int fileio_read_all(int dirfd, const char *path, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = NULL;
	int fd = fileio_open_regular(dirfd, path), r = 0;

	if (fd < 0)
		return fd;
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
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
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
