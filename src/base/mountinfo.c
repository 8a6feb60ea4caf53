/* Reading /proc/PID/mountinfo lines: "ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS
 * [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS". */
#include <stdlib.h>
#include <string.h>

#include "listen/mountinfo.h"

#define MOUNTINFO_MAX_FIELDS 32

/* Split a line into space-separated fields; returns how many were found (at most max). */
static size_t split_fields(const char *s, size_t n, const char **f, size_t *flen, size_t max)
{
	size_t count = 0, i = 0;

	while (i < n && count < max) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		f[count] = s + i;
		while (i < n && s[i] != ' ')
			i++;
		flen[count] = (size_t)(s + i - f[count]);
		count++;
	}
	return count;
}

/* A decimal number of at most 9 digits filling s[0, n); -1 for anything else. */
static long small_number(const char *s, size_t n)
{
	long v = 0;

	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Fill e from one line's fields; false when they are not an entry. */
static bool parse_entry(const char **f, const size_t *flen, size_t count,
			struct mountinfo_entry *e)
{
	const char *colon = count > 2 ? memchr(f[2], ':', flen[2]) : NULL;
	long major, minor;

	if (!colon)
		return false;
	major = small_number(f[2], (size_t)(colon - f[2]));
	minor = small_number(colon + 1, flen[2] - (size_t)(colon - f[2]) - 1);
	if (major < 0 || minor < 0)
		return false;
	/* The optional fields end at the first lone "-". */
	for (size_t i = 6; i + 3 < count; i++) {
		if (flen[i] != 1 || f[i][0] != '-')
			continue;
		*e = (struct mountinfo_entry){
			.major = (unsigned)major, .minor = (unsigned)minor,
			.root = f[3], .root_len = flen[3],
			.mountpoint = f[4], .mountpoint_len = flen[4],
			.fstype = f[i + 1], .fstype_len = flen[i + 1],
			.options = f[i + 3], .options_len = flen[i + 3],
		};
		return true;
	}
	return false;
}

bool mountinfo_next(const char *text, size_t len, size_t *pos, struct mountinfo_entry *e)
{
	while (*pos < len) {
		const char *line = text + *pos, *nl = memchr(line, '\n', len - *pos);
		size_t n = (size_t)((nl ? nl : text + len) - line);
		const char *f[MOUNTINFO_MAX_FIELDS];
		size_t flen[MOUNTINFO_MAX_FIELDS];
		size_t count = split_fields(line, n, f, flen, MOUNTINFO_MAX_FIELDS);

		*pos += n + (nl != NULL);
		if (parse_entry(f, flen, count, e))
			return true;
	}
	return false;
}

bool mountinfo_is(const char *field, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(field, word, len) == 0;
}

bool mountinfo_option(const char *options, size_t len, const char *name, const char **value,
		      size_t *value_len)
{
	size_t nlen = strlen(name);

	for (size_t i = 0; i < len;) {
		const char *opt = options + i, *comma = memchr(opt, ',', len - i);
		size_t olen = (size_t)((comma ? comma : options + len) - opt);

		if (olen > nlen && memcmp(opt, name, nlen) == 0 && opt[nlen] == '=') {
			*value = opt + nlen + 1;
			*value_len = olen - nlen - 1;
			return true;
		}
		i += olen + 1;
	}
	return false;
}

char *mountinfo_unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 |
				      (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}
