/*
 * Filter trees: built by the parser (filter_parse.c), resolved, evaluated on records, and
 * written back as text.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "listen/array.h"
#include "listen/filter.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

int filter_add_node(struct filter *f, const struct filter_node *node, uint32_t *index)
{
	int r = array_grow((void **)&f->nodes, &f->nodes_cap, f->nnodes + 1, sizeof(*f->nodes));

	if (r < 0)
		return r;
	f->nodes[f->nnodes] = *node;
	*index = (uint32_t)f->nnodes++;
	return 0;
}

int filter_add_kids(struct filter *f, const uint32_t *kids, size_t n, uint32_t *first)
{
	int r = array_grow((void **)&f->kids, &f->kids_cap, f->nkids + n, sizeof(*f->kids));

	if (r < 0)
		return r;
	memcpy(f->kids + f->nkids, kids, n * sizeof(*kids));
	*first = (uint32_t)f->nkids;
	f->nkids += n;
	return 0;
}

int filter_add_name(struct filter *f, const char *s, size_t len, uint32_t *off)
{
	int r = array_grow((void **)&f->names, &f->names_cap, f->names_len + len + 1, 1);

	if (r < 0)
		return r;
	memcpy(f->names + f->names_len, s, len);
	f->names[f->names_len + len] = '\0';
	*off = (uint32_t)f->names_len;
	f->names_len += len + 1;
	return 0;
}

int filter_add_prefix(struct filter *f, const struct filter_prefix *pfx)
{
	int r = array_grow((void **)&f->prefixes, &f->prefixes_cap, f->nprefixes + 1,
		     sizeof(*f->prefixes));

	if (r < 0)
		return r;
	f->prefixes[f->nprefixes++] = *pfx;
	return 0;
}

uint32_t filter_state_mask(const char *name)
{
	static const struct {
		const char *name;
		uint32_t states;
	} names[] = {
		{ "established", 1u << LSOCK_ESTABLISHED },
		{ "syn-sent", 1u << LSOCK_SYN_SENT },
		{ "syn-recv", 1u << LSOCK_SYN_RECV },
		{ "syn-rcv", 1u << LSOCK_SYN_RECV },
		{ "fin-wait-1", 1u << LSOCK_FIN_WAIT1 },
		{ "fin-wait-2", 1u << LSOCK_FIN_WAIT2 },
		{ "time-wait", 1u << LSOCK_TIME_WAIT },
		{ "closed", 1u << LSOCK_CLOSE },
		{ "close", 1u << LSOCK_CLOSE },
		{ "unconnected", 1u << LSOCK_CLOSE },
		{ "close-wait", 1u << LSOCK_CLOSE_WAIT },
		{ "last-ack", 1u << LSOCK_LAST_ACK },
		{ "listening", 1u << LSOCK_LISTEN },
		{ "closing", 1u << LSOCK_CLOSING },
		{ "unknown", 1u << 0 }, /* ss's state 0: no socket is in it */
		{ "all", LSOCK_STATES_ALL },
		{ "connected", LSOCK_STATES_ALL & ~((1u << LSOCK_CLOSE) | (1u << LSOCK_LISTEN)) },
		{ "synchronized", LSOCK_STATES_ALL & ~((1u << LSOCK_CLOSE) | (1u << LSOCK_LISTEN) |
						       (1u << LSOCK_SYN_SENT)) },
		{ "bucket", (1u << LSOCK_SYN_RECV) | (1u << LSOCK_TIME_WAIT) },
		{ "big", LSOCK_STATES_ALL & ~((1u << LSOCK_SYN_RECV) | (1u << LSOCK_TIME_WAIT)) },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].states;
	return 0;
}

bool filter_has(const struct filter *f, enum filter_kind kind)
{
	for (size_t i = 0; f->root != FILTER_NONE && i < f->nnodes; i++)
		if (f->nodes[i].kind == kind)
			return true;
	return false;
}

/* The ephemeral range for autobound, from env, else Linux's default. */
static int resolve_ephemeral(struct filter *f, const struct filter_env *env)
{
	int r = env->ephemeral ? env->ephemeral(env->ctx, &f->eph_lo, &f->eph_hi) : -ENOENT;

	if (r == -ENOENT) {
		f->eph_lo = 32768;
		f->eph_hi = 60999;
		r = 0;
	}
	return r;
}

/* Whether node n applies to the sockets selected (protocols as filter_resolve's): ports,
 * addresses, devices and autobound are not a unix socket's, a path pattern only is; a packet
 * socket has a device only. Fills err when not. */
static bool applies(const struct filter_node *n, unsigned protocols, struct filter_error *err)
{
	static const char *const words[] = {
		[FILTER_SRC] = "src", [FILTER_DST] = "dst", [FILTER_SPORT] = "sport",
		[FILTER_DPORT] = "dport", [FILTER_DEV] = "dev", [FILTER_AUTO] = "autobound",
		[FILTER_PROTO] = "a port list",
	};
	bool any_address = (n->kind == FILTER_SRC || n->kind == FILTER_DST) && n->count == 0 &&
			   n->port < 0 && n->name == FILTER_NONE && n->port_name == FILTER_NONE;

	if (n->kind <= FILTER_NOT || any_address)
		return true;
	if (n->kind == FILTER_PATH && !(protocols & 4)) {
		snprintf(err->msg, sizeof(err->msg),
			 "a unix path pattern needs unix sockets: add -x");
		return false;
	}
	if (n->kind != FILTER_PATH && n->kind != FILTER_DEV && (protocols & 16)) {
		snprintf(err->msg, sizeof(err->msg),
			 "'%s' does not apply to packet sockets (-0): they take state clauses and "
			 "'dev'", words[n->kind]);
		return false;
	}
	if (n->kind != FILTER_PATH && (protocols & 4)) {
		snprintf(err->msg, sizeof(err->msg),
			 "'%s' does not apply to unix sockets (-x): they take state clauses and "
			 "'src' with a path pattern", words[n->kind]);
		return false;
	}
	return true;
}

int filter_resolve(struct filter *f, const struct filter_env *env, unsigned protocols,
		   struct filter_error *err)
{
	for (size_t i = 0; f->root != FILTER_NONE && i < f->nnodes; i++) {
		err->word = f->nodes[i].word;
		if (!applies(&f->nodes[i], protocols, err))
			return -EINVAL;
	}
	if (filter_has(f, FILTER_AUTO)) {
		int r = resolve_ephemeral(f, env);

		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < f->nnodes; i++) {
		struct filter_node *n = &f->nodes[i];
		int r = 0;

		err->word = n->word;
		if (n->port_name != FILTER_NONE) {
			const char *name = f->names + n->port_name;
			uint16_t port;

			unsigned for_protocols = n->protocols ? n->protocols : protocols;

			r = env->service ? env->service(env->ctx, name, for_protocols, &port) :
					   -ENOENT;
			if (r == -EEXIST) {
				snprintf(err->msg, sizeof(err->msg),
					 "service '%s' has different TCP and UDP ports; "
					 "give the number or pick -t or -u", name);
				return -EINVAL;
			}
			if (r == -ENOENT) {
				snprintf(err->msg, sizeof(err->msg), "unknown service '%s'", name);
				return -EINVAL;
			}
			if (r < 0)
				return r;
			n->port = port;
			n->port_name = FILTER_NONE;
		}
		if (n->name == FILTER_NONE)
			continue;
		const char *name = f->names + n->name;

		if (n->kind == FILTER_DEV) {
			r = env->device ? env->device(env->ctx, name, &n->ifindex) : -ENOENT;
			if (r == -ENOENT) {
				snprintf(err->msg, sizeof(err->msg), "no device '%s'", name);
				return -EINVAL;
			}
		} else {
			struct filter_prefix addrs[FILTER_MAX_HOST_ADDRS];
			size_t na = 0;

			r = env->host ? env->host(env->ctx, name, addrs, FILTER_MAX_HOST_ADDRS, &na)
				      : -ENOENT;
			if (r == -ENOENT || (r == 0 && na == 0)) {
				snprintf(err->msg, sizeof(err->msg),
					 "cannot resolve host '%s'", name);
				return -EINVAL;
			}
			n->first = (uint32_t)f->nprefixes;
			n->count = 0;
			for (size_t k = 0; k < na && r == 0; k++, n->count++)
				r = filter_add_prefix(f, &addrs[k]);
		}
		if (r < 0)
			return r;
		n->name = FILTER_NONE;
	}
	err->word = 0;
	return 0;
}

static bool bits_match(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));

	return (a[bytes] & mask) == (b[bytes] & mask);
}

/* As the kernel matches a host condition: same family, or an IPv4 prefix and an IPv4-mapped
 * IPv6 address. */
static bool prefix_match(const struct filter_prefix *p, uint8_t family, const unsigned char *a)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (p->family == family)
		return bits_match(a, p->addr, p->bits);
	if (p->family == AF_INET && family == AF_INET6 && memcmp(a, mapped, 12) == 0)
		return bits_match(a + 12, p->addr, p->bits);
	return false;
}

static bool port_cmp(enum filter_cmp cmp, uint16_t value, int32_t port)
{
	if (port < 0 && cmp != FILTER_EQ && cmp != FILTER_NE)
		return false; /* `sport < *`: ss selects nothing */
	switch (cmp) {
	case FILTER_EQ:
		return port < 0 || value == port;
	case FILTER_NE:
		return port >= 0 && value != port;
	case FILTER_LT:
		return value < port;
	case FILTER_LE:
		return value <= port;
	case FILTER_GT:
		return value > port;
	default:
		return value >= port;
	}
}

/* A unix socket's name as ss matches patterns against it: the path, "@" and the rest for an
 * abstract name (NULs in it as '@', as /proc/net/unix shows them), "" when unbound. */
static bool path_match(const char *pattern, const struct lsock *sk)
{
	char small[128], *name = small;
	size_t len = (sk->un.flags & LSOCK_UNIX_NAME) ? sk->un.name_len : 0;
	bool match;

	if (len >= sizeof(small) && !(name = malloc(len + 1)))
		return false; /* out of memory: cannot be told, and nothing else can be either */
	for (size_t k = 0; k < len; k++)
		name[k] = sk->un.name[k] ? sk->un.name[k] : '@';
	name[len] = '\0';
	match = fnmatch(pattern, name, 0) == 0;
	if (name != small)
		free(name);
	return match;
}

static bool node_match(const struct filter *f, uint32_t i, const struct lsock *sk)
{
	const struct filter_node *n = &f->nodes[i];
	bool src = n->kind == FILTER_SRC;

	switch (n->kind) {
	case FILTER_AND:
		for (uint32_t k = 0; k < n->count; k++)
			if (!node_match(f, f->kids[n->first + k], sk))
				return false;
		return true;
	case FILTER_OR:
		for (uint32_t k = 0; k < n->count; k++)
			if (node_match(f, f->kids[n->first + k], sk))
				return true;
		return false;
	case FILTER_NOT:
		return !node_match(f, f->kids[n->first], sk);
	case FILTER_SPORT:
		return port_cmp(n->cmp, sk->lport, n->port);
	case FILTER_DPORT:
		return port_cmp(n->cmp, sk->rport, n->port);
	case FILTER_DEV:
		return (sk->ifindex == n->ifindex) == (n->cmp == FILTER_EQ);
	case FILTER_AUTO:
		return (sk->flags & LSOCK_AUTOBOUND) && sk->lport >= f->eph_lo &&
		       sk->lport <= f->eph_hi;
	case FILTER_PROTO:
		return sk->protocol == n->port;
	case FILTER_PATH:
		return sk->family == AF_UNIX && path_match(f->names + n->first, sk);
	default:
		if (n->port >= 0 && n->port != (src ? sk->lport : sk->rport))
			return false;
		if (n->count == 0)
			return true;
		for (uint32_t k = 0; k < n->count; k++)
			if (prefix_match(&f->prefixes[n->first + k], sk->family,
					 src ? sk->laddr : sk->raddr))
				return true;
		return false;
	}
}

bool filter_match(const struct filter *f, const struct lsock *sk)
{
	return f->root == FILTER_NONE || node_match(f, f->root, sk);
}

static void format_node(const struct filter *f, uint32_t i, struct sbuf *b)
{
	static const char *const cmps[] = { "=", "!=", "<", "<=", ">", ">=" };
	const struct filter_node *n = &f->nodes[i];

	switch (n->kind) {
	case FILTER_AND:
	case FILTER_OR:
	case FILTER_NOT:
		if (n->kind == FILTER_NOT)
			sbuf_printf(b, "not ");
		for (uint32_t k = 0; k < n->count; k++) {
			const struct filter_node *c = &f->nodes[f->kids[n->first + k]];
			bool paren = c->kind == FILTER_AND || c->kind == FILTER_OR;

			if (k)
				sbuf_printf(b, n->kind == FILTER_AND ? " and " : " or ");
			sbuf_printf(b, paren ? "(" : "");
			format_node(f, f->kids[n->first + k], b);
			sbuf_printf(b, paren ? ")" : "");
		}
		return;
	case FILTER_SPORT:
	case FILTER_DPORT:
		sbuf_printf(b, "%s %s :", n->kind == FILTER_SPORT ? "sport" : "dport",
		    cmps[n->cmp]);
		break;
	case FILTER_AUTO:
		sbuf_printf(b, "autobound");
		return;
	case FILTER_PROTO:
		sbuf_printf(b, "protocol %s", lsock_proto_name((uint8_t)n->port));
		return;
	case FILTER_PATH:
		sbuf_printf(b, "src unix:%s", f->names + n->first);
		return;
	case FILTER_DEV:
		if (n->name != FILTER_NONE)
			sbuf_printf(b, "dev %s %s", cmps[n->cmp], f->names + n->name);
		else
			sbuf_printf(b, "dev %s %u", cmps[n->cmp], n->ifindex);
		return;
	default:
		sbuf_printf(b, "%s ", n->kind == FILTER_SRC ? "src" : "dst");
		if (n->name != FILTER_NONE)
			sbuf_printf(b, "%s", f->names + n->name);
		else if (n->count == 0)
			sbuf_printf(b, "*");
		for (uint32_t k = 0; k < n->count; k++) {
			const struct filter_prefix *p = &f->prefixes[n->first + k];
			char a[INET6_ADDRSTRLEN];

			inet_ntop(p->family, p->addr, a, sizeof(a));
			sbuf_printf(b, p->family == AF_INET6 ? "%s[%s]/%u" : "%s%s/%u",
			    k ? "," : "", a, p->bits);
		}
		sbuf_printf(b, ":");
		break;
	}
	if (n->port_name != FILTER_NONE)
		sbuf_printf(b, "%s", f->names + n->port_name);
	else if (n->port < 0)
		sbuf_printf(b, "*");
	else
		sbuf_printf(b, "%d", n->port);
}

int filter_format(const struct filter *f, char *buf, size_t size)
{
	struct sbuf b = { 0 };
	int n;

	if (f->root != FILTER_NONE)
		format_node(f, f->root, &b);
	n = snprintf(buf, size, "%s", b.s ? b.s : "");
	sbuf_free(&b);
	return n;
}

void filter_free(struct filter *f)
{
	free(f->nodes);
	free(f->kids);
	free(f->prefixes);
	free(f->names);
	free(f->port_text);
	*f = (struct filter){ .root = FILTER_NONE };
}
