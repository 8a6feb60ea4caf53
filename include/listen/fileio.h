/* Reading small files whole: captures, /etc/services, mountinfo. */
#ifndef LISTEN_FILEIO_H
#define LISTEN_FILEIO_H

#include <stddef.h>

/*
 * Read the file at path (relative to dirfd, or AT_FDCWD) whole into a malloc'd buffer with a
 * NUL after the last byte. Returns 0, -EFBIG past max bytes, or a negative errno.
 */
int fileio_read_all(int dirfd, const char *path, size_t max, char **buf, size_t *len);

#endif
