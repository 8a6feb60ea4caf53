/* Reading /proc/PID/mountinfo: where the cgroup v2 hierarchy is, how /proc is mounted. */
#ifndef LISTEN_MOUNTINFO_H
#define LISTEN_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

/* One mount, its fields pointing into the text (still \NNN-escaped). */
struct mountinfo_entry {
	unsigned major, minor;       /* the device of its superblock, as st_dev holds it */
	const char *root, *mountpoint, *fstype, *options; /* options: the superblock's */
	size_t root_len, mountpoint_len, fstype_len, options_len;
};

/*
 * The entry on the line at *pos of the mountinfo text (start with *pos = 0), moving *pos past
 * it; lines that are not entries are passed over. Returns false when no entry is left.
 */
bool mountinfo_next(const char *text, size_t len, size_t *pos, struct mountinfo_entry *e);

/* Whether field (fstype_len bytes) is the text word; for comparing entries' fields. */
bool mountinfo_is(const char *field, size_t len, const char *word);

/*
 * Find name=value in the comma-separated options: *value points at the value (not
 * NUL-terminated), *value_len its length. Returns false when name is not there with a value.
 */
bool mountinfo_option(const char *options, size_t len, const char *name, const char **value,
		      size_t *value_len);

/* A malloc'd copy of a field with mountinfo's \NNN escapes (\040 for space) decoded, or NULL. */
char *mountinfo_unescape(const char *s, size_t n);

#endif
