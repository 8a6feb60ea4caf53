/* The /proc/net socket tables, read when sock_diag cannot be used. Each line is
 * "sl: LOCAL:PORT REMOTE:PORT st tx:rx tr:when retrnsmt uid timeout inode ...", addresses in hex
 * as the kernel holds them in memory, one 32-bit word at a time. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen/diag.h"
#include "listen/fileio.h"
#include "listen/procnet.h"
#include "listen/sock.h"

/* A table of 100k sockets is about 15 MiB; past this something is wrong. */
#define PROCNET_MAX_BYTES (1u << 30)

struct cursor {
	const char *p, *end;
};

/* At least one blank, then the next field. */
static bool blanks(struct cursor *c)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p == ' ')
		c->p++;
	return c->p > start;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* min to max (at most 16) hex digits into *v. */
static bool hex_wide(struct cursor *c, unsigned min, unsigned max, uint64_t *v)
{
	unsigned n = 0;
	int d;

	*v = 0;
	while (n < max && c->p < c->end && (d = hex_digit(*c->p)) >= 0) {
		*v = *v << 4 | (uint64_t)d;
		c->p++;
		n++;
	}
	return n >= min && !(c->p < c->end && hex_digit(*c->p) >= 0);
}

/* min to max (at most 8) hex digits into *v. */
static bool hex(struct cursor *c, unsigned min, unsigned max, uint32_t *v)
{
	uint64_t w;
	bool ok = hex_wide(c, min, max, &w);

	*v = (uint32_t)w;
	return ok;
}

static bool decimal(struct cursor *c, uint32_t *v)
{
	uint64_t x = 0;
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		x = x * 10 + (uint64_t)(*c->p++ - '0');
		if (x > UINT32_MAX)
			return false;
	}
	*v = (uint32_t)x;
	return c->p > start;
}

static bool expect(struct cursor *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/* ADDR:PORT, the address as 1 (IPv4) or 4 (IPv6) words of 8 hex digits in memory order. */
static bool endpoint(struct cursor *c, uint8_t family, unsigned char addr[16], uint16_t *port)
{
	unsigned words = family == AF_INET ? 1 : 4;
	uint32_t v;

	for (unsigned i = 0; i < words; i++) {
		struct cursor w = { c->p, c->end - c->p > 8 ? c->p + 8 : c->end };

		if (!hex(&w, 8, 8, &v))
			return false;
		memcpy(addr + 4 * i, &v, 4);
		c->p = w.p;
	}
	if (!expect(c, ':') || !hex(c, 1, 4, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "tr:when retrnsmt uid timeout inode": the pending timer, when it fires (in clock ticks of
 * hz a second), retransmits, the owner, unanswered probes (the "timeout" column), the inode.
 * As ss reads it: the count shown is the retransmits for a retransmission timer, else the
 * probes. */
static bool timer_and_owner(struct cursor *c, struct lsock *sk, long hz)
{
	uint32_t tr, retrans, probes;
	uint64_t when, ms;

	if (!blanks(c) || !hex(c, 1, 2, &tr) || !expect(c, ':') || !hex_wide(c, 1, 16, &when) ||
	    !blanks(c) || !hex(c, 1, 8, &retrans) || !blanks(c) || !decimal(c, &sk->uid) ||
	    !blanks(c) || !decimal(c, &probes) || !blanks(c) || !decimal(c, &sk->inode) ||
	    !(c->p == c->end || *c->p == ' '))
		return false;
	if (tr > UINT8_MAX || when > UINT64_MAX / 1000)
		return false;
	sk->timer = (uint8_t)tr;
	retrans = tr == LSOCK_TIMER_ON ? retrans : probes;
	sk->retrans = retrans > UINT8_MAX ? UINT8_MAX : (uint8_t)retrans;
	ms = (when * 1000 + (uint64_t)hz - 1) / (uint64_t)hz;
	sk->expires = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	return true;
}

/* One socket line into sk; false if it is not one. */
static bool parse_line(struct cursor *c, uint8_t family, struct lsock *sk, long hz)
{
	uint32_t v;

	blanks(c);
	if (!decimal(c, &v) || !expect(c, ':') || !blanks(c) ||
	    !endpoint(c, family, sk->laddr, &sk->lport) || !blanks(c) ||
	    !endpoint(c, family, sk->raddr, &sk->rport) || !blanks(c) || !hex(c, 1, 2, &v))
		return false;
	sk->state = (uint8_t)v;
	if (!blanks(c) || !hex(c, 1, 8, &sk->wqueue) || !expect(c, ':') ||
	    !hex(c, 1, 8, &sk->rqueue))
		return false;
	return timer_and_owner(c, sk, hz);
}

int procnet_parse(const struct diag_query *q, uint8_t family, uint8_t protocol, const char *buf,
		  size_t len, struct lsock_vec *out)
{
	const char *end = buf + len, *nl = memchr(buf, '\n', len);
	size_t mark = out->len;
	long hz = sysconf(_SC_CLK_TCK); /* USER_HZ: the unit of tm->when */

	if (hz <= 0)
		hz = 100;

	/* The header names the columns; anything else is not a socket table. */
	if (!nl || !memmem(buf, (size_t)(nl - buf), "local_address", 13))
		return -EBADMSG;
	for (const char *line = nl + 1; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		if (nl == line)
			continue;

		struct lsock sk = { .family = family, .protocol = protocol,
				    .flags = LSOCK_PROCNET };
		struct cursor c = { line, nl };

		if (!parse_line(&c, family, &sk, hz)) {
			out->len = mark;
			return -EBADMSG;
		}
		/* Binding a specific IPv6 address (not a v4-mapped one) sets IPV6_V6ONLY; only a
		 * wildcard's is unknown. Not a raw socket's: its bind sets nothing. */
		if (family == AF_INET6 && protocol != IPPROTO_RAW &&
		    !IN6_IS_ADDR_UNSPECIFIED((struct in6_addr *)sk.laddr) &&
		    !IN6_IS_ADDR_V4MAPPED((struct in6_addr *)sk.laddr)) {
			sk.flags |= LSOCK_HAS_V6ONLY;
			sk.v6only = 1;
		}
		/* A state this build does not know, or one not asked for. */
		if (sk.state == 0 || sk.state >= LSOCK_STATE_MAX ||
		    !diag_query_selects(q, family, protocol, sk.state))
			continue;

		struct lsock *dst = lsock_vec_push(out);

		if (!dst)
			return -ENOMEM;
		*dst = sk;
	}
	return 0;
}

/* One table: /proc/thread-self/net/{tcp,udp,raw}{,6}. */
static int collect_table(const struct diag_query *q, uint8_t family, uint8_t protocol,
			 struct lsock_vec *out)
{
	char path[40], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s%s", lsock_proto_name(protocol),
		 family == AF_INET6 ? "6" : "");
	r = fileio_read_all(AT_FDCWD, path, PROCNET_MAX_BYTES, &buf, &len);
	if (r == -ENOENT)
		return 0; /* a kernel without IPv6 */
	if (r < 0)
		return r;
	r = procnet_parse(q, family, protocol, buf, len, out);
	free(buf);
	return r;
}

int procnet_collect(const struct diag_query *q, struct lsock_vec *out)
{
	int r = 0;

	for (size_t i = 0; i < sizeof(diag_protocols) && r == 0; i++)
		for (size_t j = 0; j < sizeof(diag_families) && r == 0; j++)
			if (diag_query_dumps(q, diag_families[j], diag_protocols[i]))
				r = collect_table(q, diag_families[j], diag_protocols[i], out);
	return r;
}

int procnet_raw_collect(const struct diag_query *q, struct lsock_vec *out)
{
	int r = 0;

	for (size_t j = 0; j < sizeof(diag_families) && r == 0; j++)
		if (diag_query_dumps(q, diag_families[j], IPPROTO_RAW))
			r = collect_table(q, diag_families[j], IPPROTO_RAW, out);
	return r;
}

/* The kernel's socket states of /proc/net/unix's St column (SS_UNCONNECTED...) as ss maps
 * them, and the flag of a listening socket (__SO_ACCEPTCON). */
static const uint8_t unix_states[] = { LSOCK_CLOSE, LSOCK_SYN_SENT, LSOCK_ESTABLISHED,
				       LSOCK_CLOSING };
#define UNIX_ACCEPTCON (1u << 16)

/* "Num: RefCount Protocol Flags Type St Inode [Path]" into sk, the path's slice into name. */
static bool unix_line(struct cursor *c, struct lsock *sk, const char **name, size_t *name_len)
{
	uint64_t num;
	uint32_t refs, proto, flags, type, st;

	if (!hex_wide(c, 1, 16, &num) || !expect(c, ':') || !blanks(c) || !hex(c, 1, 8, &refs) ||
	    !blanks(c) || !hex(c, 1, 8, &proto) || !blanks(c) || !hex(c, 1, 8, &flags) ||
	    !blanks(c) || !hex(c, 1, 8, &type) || !blanks(c) || !hex(c, 1, 8, &st) ||
	    !blanks(c) || !decimal(c, &sk->inode) || type > UINT8_MAX)
		return false;
	sk->type = (uint8_t)type;
	if (flags & UNIX_ACCEPTCON)
		sk->state = LSOCK_LISTEN;
	else if (st >= 1 && st <= sizeof(unix_states))
		sk->state = unix_states[st - 1];
	*name = NULL;
	*name_len = 0;
	if (c->p < c->end && *c->p == ' ') {
		c->p++;
		*name = c->p;
		*name_len = (size_t)(c->end - c->p);
	}
	return true;
}

int procnet_unix_parse(const struct diag_query *q, const char *buf, size_t len,
		       struct lsock_vec *out)
{
	const char *end = buf + len, *nl = memchr(buf, '\n', len);
	size_t mark = out->len;

	if (!nl || !memmem(buf, (size_t)(nl - buf), "RefCount", 8))
		return -EBADMSG;
	for (const char *line = nl + 1; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		if (nl == line)
			continue;

		struct lsock sk = { .family = AF_UNIX, .flags = LSOCK_PROCNET };
		struct cursor c = { line, nl };
		const char *name;
		size_t name_len;

		if (!unix_line(&c, &sk, &name, &name_len)) {
			out->len = mark;
			return -EBADMSG;
		}
		if (sk.state == 0 || !(q->states & (1u << sk.state)))
			continue;

		struct lsock *dst = lsock_vec_push(out);

		if (!dst)
			return -ENOMEM;
		*dst = sk;
		if (name_len && name[0] == '@') {
			char *abs = malloc(name_len);
			int e = abs ? 0 : -ENOMEM;

			if (abs) {
				abs[0] = '\0';
				memcpy(abs + 1, name + 1, name_len - 1);
				e = lsock_vec_name(out, dst, abs, name_len);
				free(abs);
			}
			if (e < 0)
				return e;
		} else if (name_len && lsock_vec_name(out, dst, name, name_len) < 0) {
			return -ENOMEM;
		}
	}
	return 0;
}

int procnet_unix_collect(const struct diag_query *q, struct lsock_vec *out)
{
	char *buf;
	size_t len;
	int r = fileio_read_all(AT_FDCWD, "/proc/thread-self/net/unix", PROCNET_MAX_BYTES, &buf,
				&len);

	if (r < 0)
		return r;
	r = procnet_unix_parse(q, buf, len, out);
	free(buf);
	return r;
}
