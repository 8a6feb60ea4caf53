/* Reading small files whole (captures, /etc/services, mountinfo, files users name), and
 * telling a failure to look from an absence. */
#ifndef LISTEN_FILEIO_H
#define LISTEN_FILEIO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The error for a path that names a FIFO, a device or a socket where a file is meant (Linux
 * has no errno of its own for it); fileio_strerror says "not a regular file". */
#define FILEIO_ENOTREG EMEDIUMTYPE

/*
 * Open the file at path (relative to dirfd, or AT_FDCWD) for reading if it is a regular file
 * (/proc, sysfs and cgroup files are), without waiting on a FIFO or taking a terminal. Returns
 * the descriptor (close-on-exec; the caller owns it), -EISDIR, -FILEIO_ENOTREG for anything
 * else that is not a regular file, or another negative errno.
 */
int fileio_open_regular(int dirfd, const char *path);

/*
 * Create the file at path for writing, or empty it if it is a regular file; anything else
 * (a FIFO, a device) is left untouched. Returns the descriptor (close-on-exec; the caller owns
 * it), -FILEIO_ENOTREG, or another negative errno.
 */
int fileio_create(const char *path);

/* The text for an error of these functions: strerror, or "not a regular file". */
const char *fileio_strerror(int r);

/*
 * Read the regular file at path (relative to dirfd, or AT_FDCWD; see fileio_open_regular)
 * whole into a malloc'd buffer with a NUL after the last byte. Returns 0, -EFBIG past max
 * bytes, or a negative errno.
 */
int fileio_read_all(int dirfd, const char *path, size_t max, char **buf, size_t *len);

/*
 * Read what one read() of the file at path (relative to dirfd) gives, at most size - 1 bytes,
 * into buf with a NUL after them: enough for /proc files the kernel writes in one go (stat,
 * comm). A FIFO gives what is in it, never a wait. Returns the length or a negative errno.
 */
ssize_t fileio_read_small(int dirfd, const char *path, char *buf, size_t size);

/*
 * Whether r, the negative errno of opening, listing or reading something, says listen ran short
 * of file descriptors or memory (-EMFILE, -ENFILE, -ENOMEM): a failure to report, never a sign
 * that what was looked for is not there.
 */
bool fileio_exhausted(int r);

#endif
