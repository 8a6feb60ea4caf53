/* Service names from services(5) text, looked up by binary search. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/services.h"

struct svc_entry {
	uint16_t port;
	uint8_t protocol;
	uint32_t order; /* position in the input: the first of equal keys wins */
	uint32_t name;  /* offset into svc_table.names */
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int add_name(struct svc_table *t, const char *s, size_t n, uint32_t *off)
{
	if (t->names_len + n + 1 > t->names_cap) {
		size_t cap = t->names_cap ? t->names_cap : 4096;

		while (cap < t->names_len + n + 1)
			cap *= 2;
		char *p = realloc(t->names, cap);

		if (!p)
			return -ENOMEM;
		t->names = p;
		t->names_cap = cap;
	}
	if (t->names_len > UINT32_MAX - n - 1)
		return -ENOMEM;
	*off = (uint32_t)t->names_len;
	memcpy(t->names + t->names_len, s, n);
	t->names[t->names_len + n] = '\0';
	t->names_len += n + 1;
	return 0;
}

/* Parse "port/proto" exactly; returns 0 and fills port/protocol, or -1. */
static int parse_port_proto(const char *s, size_t n, uint16_t *port, uint8_t *protocol)
{
	unsigned long v = 0;
	size_t i = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > 65535)
			return -1;
	}
	if (i == 0 || i >= n || s[i] != '/')
		return -1;
	s += i + 1;
	n -= i + 1;
	if (n == 3 && memcmp(s, "tcp", 3) == 0)
		*protocol = IPPROTO_TCP;
	else if (n == 3 && memcmp(s, "udp", 3) == 0)
		*protocol = IPPROTO_UDP;
	else
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Parse one line (without its newline) and add its entry if it has one. */
static int parse_line(struct svc_table *t, const char *s, size_t n)
{
	const char *hash = memchr(s, '#', n), *end, *name;
	size_t name_len;
	uint16_t port;
	uint8_t protocol;

	end = hash ? hash : s + n;
	while (s < end && is_space(*s))
		s++;
	name = s;
	while (s < end && !is_space(*s))
		s++;
	name_len = (size_t)(s - name);
	while (s < end && is_space(*s))
		s++;
	const char *pp = s;

	while (s < end && !is_space(*s))
		s++;
	if (name_len == 0 || parse_port_proto(pp, (size_t)(s - pp), &port, &protocol) < 0)
		return 0;

	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct svc_entry *v = reallocarray(t->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	struct svc_entry *e = &t->v[t->len];

	if (add_name(t, name, name_len, &e->name) < 0)
		return -ENOMEM;
	e->port = port;
	e->protocol = protocol;
	e->order = (uint32_t)t->len;
	t->len++;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct svc_entry *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->protocol != y->protocol)
		return x->protocol < y->protocol ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int svc_table_parse(struct svc_table *t, const char *buf, size_t len)
{
	const char *end = buf + len;

	while (buf < end) {
		const char *nl = memchr(buf, '\n', (size_t)(end - buf));
		const char *line_end = nl ? nl : end;
		int r = parse_line(t, buf, (size_t)(line_end - buf));

		if (r < 0)
			return r;
		buf = nl ? nl + 1 : end;
	}
	if (t->len)
		qsort(t->v, t->len, sizeof(*t->v), entry_cmp);
	return 0;
}

int svc_table_load(struct svc_table *t, const char *path)
{
	char *buf;
	size_t len;
	int r = fileio_read_all(AT_FDCWD, path, 64 << 20, &buf, &len);

	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0; /* missing, unreadable, a directory, absurdly large: no names */
	r = svc_table_parse(t, buf, len);
	free(buf);
	return r;
}

const char *svc_name(const struct svc_table *t, uint16_t port, uint8_t protocol)
{
	size_t lo = 0, hi;

	/* The first entry not below (port, protocol): the earliest of equal keys. */
	hi = t->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct svc_entry *e = &t->v[mid];

		if (e->port < port || (e->port == port && e->protocol < protocol))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->len && t->v[lo].port == port && t->v[lo].protocol == protocol)
		return t->names + t->v[lo].name;
	return NULL;
}

void svc_table_free(struct svc_table *t)
{
	free(t->v);
	free(t->names);
	*t = (struct svc_table){ 0 };
}
