/* Service lookups: the embedded table first, then names from services(5) and nmap-services. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/services.h"

struct svc_entry {
	uint16_t port;
	uint8_t protocol;
	uint8_t alias;  /* an alias of the line's name: found by name, never shown */
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
	else if (n == 4 && memcmp(s, "sctp", 4) == 0)
		*protocol = IPPROTO_SCTP;
	else
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Append an entry for a name (or an alias) of port/protocol. */
static int add_entry(struct svc_table *t, const char *name, size_t name_len, uint16_t port,
		     uint8_t protocol, bool alias)
{
	for (size_t i = 0; i < name_len; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == 0x7f)
			return 0; /* NUL or a control byte: not a name */
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
	e->alias = alias;
	e->order = (uint32_t)t->len;
	t->len++;
	return 0;
}

/* Parse one line (without its newline) and add its entries, aliases after the name. */
static int parse_line(struct svc_table *t, const char *s, size_t n)
{
	const char *hash = memchr(s, '#', n), *end, *name;
	size_t name_len;
	uint16_t port;
	uint8_t protocol;
	int r;

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
	if (name_len == 7 && memcmp(name, "unknown", 7) == 0)
		return 0; /* nmap-services' placeholder for ports it has seen but cannot name */
	r = add_entry(t, name, name_len, port, protocol, false);
	while (r == 0 && s < end) {
		while (s < end && is_space(*s))
			s++;
		const char *a = s;

		while (s < end && !is_space(*s))
			s++;
		const char *c = a;

		/* Not nmap-services' frequency ("0.484143"), which stands where aliases do. */
		while (c < s && ((*c >= '0' && *c <= '9') || *c == '.'))
			c++;
		if (c < s)
			r = add_entry(t, a, (size_t)(s - a), port, protocol, true);
	}
	return r;
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

	if (fileio_exhausted(r))
		return r; /* the names may well be there */
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
	if (lo < t->len && t->v[lo].port == port && t->v[lo].protocol == protocol &&
	    !t->v[lo].alias) /* a line's name comes before its aliases: never taken */
		return t->names + t->v[lo].name;
	return NULL;
}

void svc_table_free(struct svc_table *t)
{
	free(t->v);
	free(t->names);
	*t = (struct svc_table){ 0 };
}

static uint8_t proto_bit(uint8_t protocol)
{
	return protocol == IPPROTO_TCP ? SVC_TCP : protocol == IPPROTO_UDP ? SVC_UDP : 0;
}

const struct svc_info *svc_builtin_find(uint16_t port, uint8_t protocol)
{
	size_t n, lo = 0;
	const struct svc_info *v = svc_builtin(&n);
	uint8_t bit = proto_bit(protocol);

	/* The first entry starting above port (a match starts at most SVC_MAX_SPAN below it),
	 * by halving with no branch to mispredict: every row of a table asks for two ports. It
	 * lies in lo..lo+len. */
	for (size_t len = n; len > 1;) {
		size_t half = len / 2;

		lo = v[lo + half].lo <= port ? lo + half : lo;
		len -= half;
	}
	lo += n && v[lo].lo <= port;
	while (lo-- > 0 && port - v[lo].lo < SVC_MAX_SPAN)
		if ((v[lo].protocols & bit) && port <= v[lo].hi)
			return &v[lo];
	return NULL;
}

const struct svc_info *svc_builtin_named(const char *name, uint8_t protocol)
{
	size_t n;
	const struct svc_info *v = svc_builtin(&n);

	for (size_t i = 0; i < n; i++)
		if ((v[i].protocols & proto_bit(protocol)) && strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

const char *svc_risk_name(enum svc_risk risk)
{
	static const char *const names[] = { "none", "low", "medium", "high" };

	return (unsigned)risk < sizeof(names) / sizeof(names[0]) ? names[risk] : "?";
}

/* Parse a decimal port at *s, advancing it; -1 if there is none or it is above 65535. */
static long parse_port(const char **s, const char *end)
{
	long v = 0;
	const char *p = *s;

	while (p < end && *p >= '0' && *p <= '9' && v <= 65535)
		v = v * 10 + (*p++ - '0');
	if (p == *s || v > 65535)
		return -1;
	*s = p;
	return v;
}

int svc_parse_port_range(const char *buf, size_t len, uint16_t *lo, uint16_t *hi)
{
	const char *s = buf, *end = buf + len;
	long a, b;

	a = parse_port(&s, end);
	if (a < 0 || s == end || !is_space(*s))
		return -EINVAL;
	while (s < end && is_space(*s))
		s++;
	b = parse_port(&s, end);
	while (s < end && (is_space(*s) || *s == '\n'))
		s++;
	if (b < 0 || s != end || a > b)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

bool svc_ephemeral(const struct svc_db *db, uint16_t port)
{
	return db->eph_lo <= db->eph_hi && port >= db->eph_lo && port <= db->eph_hi;
}

bool svc_wants_files(const struct svc_db *db, uint16_t port, uint8_t protocol)
{
	return port != 0 && port < SVC_FILES_BELOW && !svc_builtin_find(port, protocol) &&
	       !svc_ephemeral(db, port);
}

const char *svc_port_name(const struct svc_db *db, uint16_t port, uint8_t protocol)
{
	return svc_ephemeral(db, port) ? NULL : svc_name(&db->etc, port, protocol);
}

/* The service of one port, or a ref with no name. */
static struct svc_ref port_ref(const struct svc_db *db, uint16_t port, uint8_t protocol)
{
	struct svc_ref r = { 0 };

	if (port == 0)
		return r;
	r.info = svc_builtin_find(port, protocol);
	if (r.info)
		r.name = r.info->name;
	else if (svc_wants_files(db, port, protocol) &&
		 !(r.name = svc_name(&db->etc, port, protocol)))
		r.name = svc_name(&db->extra, port, protocol);
	return r;
}

struct svc_ref svc_lookup(const struct svc_db *db, uint16_t lport, uint16_t rport,
			  uint8_t protocol)
{
	struct svc_ref r = port_ref(db, lport, protocol);

	if (!r.name && rport) {
		r = port_ref(db, rport, protocol);
		r.peer = r.name != NULL;
	}
	r.source = !r.name ? SVC_SOURCE_NONE : r.info ? SVC_SOURCE_PORT : SVC_SOURCE_FILE;
	return r;
}

/* The port a table gives name for protocol: its first line naming it, as getservbyname(3). */
static bool table_port(const struct svc_table *t, const char *name, uint8_t protocol,
		       uint16_t *port)
{
	const struct svc_entry *best = NULL;

	for (size_t i = 0; i < t->len; i++) {
		const struct svc_entry *e = &t->v[i];

		if (e->protocol == protocol && (!best || e->order < best->order) &&
		    strcmp(t->names + e->name, name) == 0)
			best = e;
	}
	if (best)
		*port = best->port;
	return best != NULL;
}

/* The port of a single-port entry of the embedded table named name for protocol. */
static bool builtin_port(const char *name, uint8_t protocol, uint16_t *port)
{
	size_t n;
	const struct svc_info *v = svc_builtin(&n);

	for (size_t i = 0; i < n; i++) {
		if (v[i].lo == v[i].hi && (v[i].protocols & proto_bit(protocol)) &&
		    strcmp(v[i].name, name) == 0) {
			*port = v[i].lo;
			return true;
		}
	}
	return false;
}

int svc_port_by_name(const struct svc_db *db, const char *name, unsigned protocols,
		     uint16_t *port)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };
	bool found = false;

	for (size_t i = 0; i < 3; i++) {
		uint16_t p;

		if (!(protocols & (1u << i)))
			continue;
		if (!table_port(&db->etc, name, protos[i], &p) &&
		    !builtin_port(name, protos[i], &p))
			continue;
		if (found && p != *port)
			return -EEXIST;
		*port = p;
		found = true;
	}
	return found ? 0 : -ENOENT;
}

void svc_db_free(struct svc_db *db)
{
	svc_table_free(&db->etc);
	svc_table_free(&db->extra);
	*db = (struct svc_db){ 0 };
}
