/* The SCTP fallback: /proc/net/sctp/eps and assocs, for a kernel with the sctp module but
 * without sctp_diag, read into the records sctp_diag would give. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/fileio.h"
#include "listen/procnet.h"
#include "listen/sock.h"

#define SCTP_TABLE_MAX (1u << 30)

/* The words of one line, split at blanks, in place (the line is a copy). */
struct words {
	char *w[64];
	size_t n;
};

static void split(char *line, struct words *ws)
{
	char *save = NULL;

	ws->n = 0;
	for (char *t = strtok_r(line, " \t", &save); t && ws->n < 64;
	     t = strtok_r(NULL, " \t", &save))
		ws->w[ws->n++] = t;
}

/* A decimal number that fits 32 bits. */
static bool number(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* An address word ("10.0.0.1", "*10.0.0.1" for the primary, "fe80::1"): its family. */
static int address(const char *s, unsigned char addr[16], bool *primary)
{
	*primary = *s == '*';
	s += *primary;
	if (inet_pton(AF_INET, s, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, addr) == 1)
		return AF_INET6;
	return 0;
}

/* From the words w[from..to): the primary address (marked '*', else the first); 0 for none,
 * -1 for a word that is not an address (with more, the list ends at one: the counters after
 * the peer addresses). */
static int primary_of(struct words *ws, size_t from, size_t to, unsigned char addr[16],
		      bool more)
{
	int family = 0;

	for (size_t i = from; i < to; i++) {
		unsigned char a[16] = { 0 };
		bool star;
		int f = address(ws->w[i], a, &star);

		if (!f && more)
			break;
		if (!f)
			return -1;
		if (!family || star) {
			family = f;
			memcpy(addr, a, 16);
		}
		if (star)
			break;
	}
	return family;
}

/* A line of assocs, parsed: the record it makes and its socket's state. */
struct assoc_line {
	struct lsock sk;
	uint8_t sock_state;
};

/* One line of /proc/net/sctp/assocs: ASSOC SOCK STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE
 * UID INODE LPORT RPORT LADDRS <-> RADDRS and counters. */
static bool assoc_line(char *line, struct assoc_line *a)
{
	struct words ws;
	uint32_t v[11];
	size_t arrow = 0;
	int lf, rf;

	split(line, &ws);
	if (ws.n < 16)
		return false;
	for (size_t i = 2; i < 13; i++)
		if (i != 6 && !number(ws.w[i], &v[i - 2]))
			return false;
	for (size_t i = 13; i < ws.n && !arrow; i++)
		if (strcmp(ws.w[i], "<->") == 0)
			arrow = i;
	if (!arrow || v[1] > 255 || v[2] > 255 || v[9] > 65535 || v[10] > 65535)
		return false;
	*a = (struct assoc_line){ .sock_state = (uint8_t)v[1] };
	lf = primary_of(&ws, 13, arrow, a->sk.laddr, false);
	rf = primary_of(&ws, arrow + 1, ws.n, a->sk.raddr, true);
	if (lf <= 0 || rf < 0 || (rf && rf != lf)) {
		/* A v4 peer of a v6 socket is shown as the v4 address: keep it mapped. */
		if (lf == AF_INET6 && rf == AF_INET) {
			memmove(a->sk.raddr + 12, a->sk.raddr, 4);
			memset(a->sk.raddr, 0, 10);
			a->sk.raddr[10] = a->sk.raddr[11] = 0xff;
		} else {
			return false;
		}
	}
	a->sk.family = (uint8_t)lf;
	a->sk.protocol = IPPROTO_SCTP;
	a->sk.flags = LSOCK_PROCNET | LSOCK_SCTP_ASSOC;
	a->sk.state = (uint8_t)v[2];
	a->sk.wqueue = v[5];
	a->sk.rqueue = v[6];
	a->sk.uid = v[7];
	a->sk.inode = v[8];
	a->sk.lport = (uint16_t)v[9];
	a->sk.rport = (uint16_t)v[10];
	return true;
}

/* One line of /proc/net/sctp/eps: ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS. */
static bool ep_line(char *line, struct lsock *sk)
{
	struct words ws;
	uint32_t v[6];
	int f;

	split(line, &ws);
	if (ws.n < 9)
		return false;
	for (size_t i = 2; i < 8; i++)
		if (!number(ws.w[i], &v[i - 2]))
			return false;
	if (v[1] > 255 || v[3] > 65535)
		return false;
	*sk = (struct lsock){ .protocol = IPPROTO_SCTP, .flags = LSOCK_PROCNET,
			      .state = (uint8_t)v[1], .lport = (uint16_t)v[3], .uid = v[4],
			      .inode = v[5] };
	f = primary_of(&ws, 8, ws.n, sk->laddr, false);
	if (f <= 0)
		return false;
	sk->family = (uint8_t)f;
	return true;
}

/* Whether q keeps an SCTP record, as sctp_diag would have sent it. */
static bool keeps(const struct diag_query *q, const struct lsock *sk, bool parent)
{
	bool parents = q->states & ~(uint32_t)LSOCK_STATES_LISTENING;

	if (!diag_query_dumps(q, sk->family, IPPROTO_SCTP))
		return false;
	if (sk->flags & LSOCK_SCTP_ASSOC)
		return parents;
	return (sk->state < 32 && (q->states & (1u << sk->state))) || (parent && parents);
}

/* Every line after the header of text (len bytes) into a malloc'd array of copies. */
static int lines_of(const char *text, size_t len, char ***lines, size_t *n)
{
	const char *p = memchr(text, '\n', len), *end = text + len;
	size_t cap = 0;

	*lines = NULL;
	*n = 0;
	if (!p)
		return len ? -EBADMSG : 0;
	for (p++; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (nl ? nl : end) - p;

		if (*n == cap) {
			char **g = realloc(*lines, (cap = cap ? 2 * cap : 16) * sizeof(*g));

			if (!g)
				return -ENOMEM;
			*lines = g;
		}
		if (!((*lines)[*n] = strndup(p, l)))
			return -ENOMEM;
		(*n)++;
		p += l + 1;
	}
	return 0;
}

static void lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Append sk to out if q keeps it. */
static int add(struct lsock_vec *out, const struct diag_query *q, const struct lsock *sk,
	       bool parent)
{
	struct lsock *slot;

	if (!keeps(q, sk, parent))
		return 0;
	slot = lsock_vec_push(out);
	if (!slot)
		return -ENOMEM;
	*slot = *sk;
	return 0;
}

int procnet_sctp_parse(const struct diag_query *q, const char *eps, size_t eps_len,
		       const char *assocs, size_t assocs_len, struct lsock_vec *out)
{
	char **el = NULL, **al = NULL;
	size_t ne = 0, na = 0, mark = out->len;
	struct assoc_line *as = NULL;
	bool *used = NULL;
	int r = lines_of(eps, eps_len, &el, &ne);

	if (r == 0)
		r = lines_of(assocs, assocs_len, &al, &na);
	if (r == 0 && (!(as = calloc(na ? na : 1, sizeof(*as))) ||
		       !(used = calloc(na ? na : 1, sizeof(*used)))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < na; i++)
		if (*al[i] && !assoc_line(al[i], &as[i]))
			r = -EBADMSG;
	/* Each endpoint, then its associations. */
	for (size_t i = 0; r == 0 && i < ne; i++) {
		struct lsock ep;
		bool parent = false;

		if (!*el[i])
			continue;
		if (!ep_line(el[i], &ep)) {
			r = -EBADMSG;
			break;
		}
		for (size_t k = 0; k < na && !parent; k++)
			parent = *al[k] && as[k].sk.inode == ep.inode;
		r = add(out, q, &ep, parent);
		for (size_t k = 0; r == 0 && k < na; k++) {
			if (!*al[k] || used[k] || as[k].sk.inode != ep.inode)
				continue;
			used[k] = true;
			r = add(out, q, &as[k].sk, false);
		}
	}
	/* Sockets known only from their associations: the first makes the socket's record. */
	for (size_t i = 0; r == 0 && i < na; i++) {
		if (!*al[i] || used[i])
			continue;
		struct lsock sock = as[i].sk;

		sock.flags &= (uint8_t)~LSOCK_SCTP_ASSOC;
		sock.state = as[i].sock_state;
		sock.rqueue = sock.wqueue = 0;
		r = add(out, q, &sock, true);
		for (size_t k = i; r == 0 && k < na; k++) {
			if (!*al[k] || used[k] || as[k].sk.inode != sock.inode)
				continue;
			used[k] = true;
			r = add(out, q, &as[k].sk, false);
		}
	}
	if (r < 0)
		out->len = mark;
	free(as);
	free(used);
	lines_free(el, ne);
	lines_free(al, na);
	return r;
}

int procnet_sctp_collect(const struct diag_query *q, struct lsock_vec *out)
{
	char *eps = NULL, *assocs = NULL;
	size_t eps_len = 0, assocs_len = 0;
	int r = fileio_read_all(AT_FDCWD, "/proc/thread-self/net/sctp/eps", SCTP_TABLE_MAX, &eps,
				&eps_len);

	if (r == 0)
		r = fileio_read_all(AT_FDCWD, "/proc/thread-self/net/sctp/assocs", SCTP_TABLE_MAX,
				    &assocs, &assocs_len);
	if (r == 0)
		r = procnet_sctp_parse(q, eps, eps_len, assocs, assocs_len, out);
	free(eps);
	free(assocs);
	return r;
}
