/* /proc/net/sockstat{,6} and snmp, read for ss -s's summary. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/sockstat.h"

/* A count of sockstat: the line's name, the word before it, where it goes. */
static const struct {
	const char *line;
	const char *word;
	size_t off;
} counts[] = {
	{ "sockets", "used", offsetof(struct sockstat, sockets) },
	{ "TCP", "inuse", offsetof(struct sockstat, tcp_inuse) },
	{ "TCP", "orphan", offsetof(struct sockstat, tcp_orphan) },
	{ "TCP", "tw", offsetof(struct sockstat, tcp_tw) },
	{ "TCP", "alloc", offsetof(struct sockstat, tcp_alloc) },
	{ "TCP6", "inuse", offsetof(struct sockstat, tcp6_inuse) },
	{ "UDP", "inuse", offsetof(struct sockstat, udp) },
	{ "UDP6", "inuse", offsetof(struct sockstat, udp6) },
	{ "RAW", "inuse", offsetof(struct sockstat, raw) },
	{ "RAW6", "inuse", offsetof(struct sockstat, raw6) },
	{ "FRAG", "inuse", offsetof(struct sockstat, frag) },
	{ "FRAG6", "inuse", offsetof(struct sockstat, frag6) },
};

/* The next space-separated word of [*p, end), or NULL at the end; *n its length. */
static const char *next_word(const char **p, const char *end, size_t *n)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == end) {
		*p = s;
		return NULL;
	}
	*p = s;
	while (*p < end && **p != ' ')
		(*p)++;
	*n = (size_t)(*p - s);
	return s;
}

/* A decimal number of n bytes (a '-' before it allowed, as the kernel prints %d). */
static int parse_number(const char *s, size_t n, int64_t *v)
{
	bool neg = n && *s == '-';
	int64_t x = 0;

	if (neg) {
		s++;
		n--;
	}
	if (!n || n > 18)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EBADMSG;
		x = x * 10 + (s[i] - '0');
	}
	*v = neg ? -x : x;
	return 0;
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

/* One line of sockstat, "TCP: inuse 3 orphan 0 ...", [p, end) without its newline. */
static int parse_line(struct sockstat *s, const char *p, const char *end)
{
	const char *colon = memchr(p, ':', (size_t)(end - p)), *w, *num;
	size_t nname, n, nn;

	if (p == end)
		return 0;
	if (!colon || colon == p)
		return -EBADMSG;
	nname = (size_t)(colon - p);
	for (const char *q = colon + 1; (w = next_word(&q, end, &n));) {
		int64_t v;

		num = next_word(&q, end, &nn);
		if (!num || parse_number(num, nn, &v) < 0)
			return -EBADMSG;
		for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
			if (word_is(p, nname, counts[i].line) && word_is(w, n, counts[i].word))
				memcpy((char *)s + counts[i].off, &v, sizeof(v));
	}
	return 0;
}

int sockstat_parse(struct sockstat *s, const char *text, size_t len)
{
	const char *end = text + len;

	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		int r = parse_line(s, p, eol);

		if (r < 0)
			return r;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int sockstat_parse_snmp(struct sockstat *s, const char *text, size_t len)
{
	const char *end = text + len, *names = NULL, *names_end = NULL;

	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;

		if ((size_t)(eol - p) >= 4 && memcmp(p, "Tcp:", 4) == 0) {
			if (!names) {
				names = p + 4;
				names_end = eol;
			} else {
				/* The values, in the order of the names. */
				const char *qn = names, *qv = p + 4, *w, *v;
				size_t n, nv;

				while ((w = next_word(&qn, names_end, &n))) {
					v = next_word(&qv, eol, &nv);
					if (!v)
						return -EBADMSG;
					if (word_is(w, n, "CurrEstab")) {
						if (parse_number(v, nv, &s->tcp_estab) < 0)
							return -EBADMSG;
						s->estab = true;
						return 0;
					}
				}
				return -ENOENT;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return names ? -EBADMSG : -ENOENT;
}

/* Read thread-self/net/<name> under proc_dirfd and parse it with fn. */
static int read_one(int proc_dirfd, const char *name, struct sockstat *s,
		    int (*fn)(struct sockstat *, const char *, size_t))
{
	char path[64], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "thread-self/net/%s", name);
	r = fileio_read_all(proc_dirfd, path, 1 << 20, &buf, &len);
	if (r < 0)
		return r;
	r = fn(s, buf, len);
	free(buf);
	return r;
}

int sockstat_read(int proc_dirfd, struct sockstat *s)
{
	int r;

	*s = (struct sockstat){ 0 };
	r = read_one(proc_dirfd, "sockstat", s, sockstat_parse);
	if (r < 0)
		return r;
	r = read_one(proc_dirfd, "sockstat6", s, sockstat_parse);
	s->v6 = r == 0;
	if (r < 0 && r != -ENOENT)
		return r;
	r = read_one(proc_dirfd, "snmp", s, sockstat_parse_snmp);
	return r == -ENOENT ? 0 : r;
}
