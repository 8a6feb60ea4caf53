/* Reading small files whole (captures, /etc/services, mountinfo), and telling a failure to
 * look from an absence. */
#ifndef LISTEN_FILEIO_H
#define LISTEN_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Read the file at path (relative to dirfd, or AT_FDCWD) whole into a malloc'd buffer with a
 * NUL after the last byte. Returns 0, -EFBIG past max bytes, or a negative errno.
 */
int fileio_read_all(int dirfd, const char *path, size_t max, char **buf, size_t *len);

/*
 * Read what one read() of the file at path (relative to dirfd) gives, at most size - 1 bytes,
 * into buf with a NUL after them: enough for /proc files the kernel writes in one go (stat,
 * comm). Returns the length or a negative errno.
 */
ssize_t fileio_read_small(int dirfd, const char *path, char *buf, size_t size);

/*
 * Whether r, the negative errno of opening, listing or reading something, says listen ran short
 * of file descriptors or memory (-EMFILE, -ENFILE, -ENOMEM): a failure to report, never a sign
 * that what was looked for is not there.
 */
bool fileio_exhausted(int r);

#endif
