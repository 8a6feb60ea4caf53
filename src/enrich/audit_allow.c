/* The audit's allow-list: parsing its rules, and matching them against findings. */
#include <errno.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/audit.h"
#include "listen/audit_allow.h"
#include "listen/escape.h"
#include "listen/ipproto.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

/* The next blank-separated word of [*s, end), or NULL. */
static const char *next_word(const char **s, const char *end, size_t *len)
{
	const char *w;

	while (*s < end && (**s == ' ' || **s == '\t' || **s == '\r'))
		(*s)++;
	w = *s;
	while (*s < end && **s != ' ' && **s != '\t' && **s != '\r')
		(*s)++;
	*len = (size_t)(*s - w);
	return *len ? w : NULL;
}

/* A word for an error message: at most 40 bytes, control bytes escaped. */
static void quote(char *out, size_t size, const char *w, size_t len)
{
	struct sbuf b = { 0 };

	esc_term(&b, w, len < 40 ? len : 40);
	snprintf(out, size, "'%s%s'", b.failed ? "" : b.s ? b.s : "", len > 40 ? "..." : "");
	sbuf_free(&b);
}

/* A packet rule's ethertype: "all", a name of the table's ("ip", "arp"), a decimal or 0x
 * hexadecimal number; 0 or -EINVAL. */
static int parse_ethertype(struct audit_rule *r, const char *w, size_t len)
{
	char name[16];
	char *end;
	unsigned long v;

	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	memcpy(name, w, len);
	name[len] = '\0';
	if (strcmp(name, "all") == 0 || strcmp(name, "*") == 0) {
		r->port = LSOCK_ETH_P_ALL;
		return 0;
	}
	if (ipproto_ether_by_name(name, &r->port) == 0)
		return 0;
	if (name[0] < '0' || name[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(name, &end, 0);
	if (errno || *end || v == 0 || v > 0xffff)
		return -EINVAL;
	r->port = (uint16_t)v;
	return 0;
}

/* A port or protocol name of names': "ssh" for tcp, "icmp" for raw; 0, -EINVAL (a word that
 * is no name, or one nothing names: said in err) or a failed look-up's error. */
static int parse_name(struct audit_rule *r, const char *w, size_t len,
		      const struct audit_allow_names *names, char *err, size_t errlen)
{
	char name[64], q[64];
	uint8_t proto;
	int k;

	if (!names || len == 0 || len >= sizeof(name) || memchr(w, '\0', len))
		return -EINVAL;
	memcpy(name, w, len);
	name[len] = '\0';
	if (r->protocol == IPPROTO_RAW) {
		k = names->protocol(names->ctx, name, &proto);
		r->port = proto;
	} else {
		k = names->service(names->ctx, name, r->protocol, &r->port);
	}
	if (k == -ENOENT) {
		quote(q, sizeof(q), w, len);
		snprintf(err, errlen, "%s: no %s named %s in %s",
			 r->mptcp ? "mptcp" : lsock_proto_name(r->protocol),
			 r->protocol == IPPROTO_RAW ? "IP protocol" : "service", q,
			 r->protocol == IPPROTO_RAW ? "/etc/protocols" :
			 "the services file or listen's table");
		return -EINVAL;
	}
	return k < 0 ? k : r->port ? 0 : -EINVAL;
}

/* A decimal number of w[i..len) from 0 to max, the whole of it; -1 if it is not one. */
static long long parse_number(const char *w, size_t i, size_t len, unsigned long long max)
{
	unsigned long long v = 0;
	size_t start = i;

	for (; i < len && w[i] >= '0' && w[i] <= '9' && v <= max; i++)
		v = v * 10 + (unsigned long long)(w[i] - '0');
	return i == start || i != len || v > max ? -1 : (long long)v;
}

/* Parse "tcp/22", "tcp/ssh", "mptcp/80", "sctp/3868", "raw/1", "raw/icmp", "packet/all",
 * "vsock/1024" into r; 0, -EINVAL (err said when a name was looked up) or a failed look-up's
 * error. */
static int parse_proto_port(struct audit_rule *r, const char *w, size_t len,
			    const struct audit_allow_names *names, char *err, size_t errlen)
{
	unsigned long long max = 65535, v = 0;
	long long port;
	size_t i = 4, j;

	if (len > 7 && memcmp(w, "packet/", 7) == 0) {
		r->protocol = LSOCK_PROTO_PACKET;
		return parse_ethertype(r, w + 7, len - 7);
	}
	if (len > 6 && memcmp(w, "vsock/", 6) == 0) {
		port = parse_number(w, 6, len, LSOCK_VSOCK_ANY - 1);
		r->vsock = true;
		r->vsock_port = (uint32_t)port;
		return port < 0 ? -EINVAL : 0;
	}
	if (len > 4 && memcmp(w, "tcp/", 4) == 0) {
		r->protocol = IPPROTO_TCP;
	} else if (len > 6 && memcmp(w, "mptcp/", 6) == 0) {
		r->protocol = IPPROTO_TCP;
		r->mptcp = true;
		i = 6;
	} else if (len > 5 && memcmp(w, "sctp/", 5) == 0) {
		r->protocol = IPPROTO_SCTP;
		i = 5;
	} else if (len > 4 && memcmp(w, "udp/", 4) == 0) {
		r->protocol = IPPROTO_UDP;
	} else if (len > 4 && memcmp(w, "raw/", 4) == 0) {
		r->protocol = IPPROTO_RAW;
		max = 255;
	} else {
		return -EINVAL;
	}
	/* Digits, then anything else: a name ("ssh", "3com-tsmux"); digits alone: a number. */
	for (j = i; j < len && w[j] >= '0' && w[j] <= '9' && v <= max; j++)
		v = v * 10 + (unsigned long long)(w[j] - '0');
	if (j < len && v <= max)
		return parse_name(r, w + i, len - i, names, err, errlen);
	if (v == 0 || v > max)
		return -EINVAL;
	r->port = (uint16_t)v;
	return 0;
}

/* A vsock rule's context id: a number, "any", "host", "local" or "*" (any_addr); 0 or
 * -EINVAL. */
static int parse_cid(struct audit_rule *r, const char *w, size_t len)
{
	long long cid = parse_number(w, 0, len, LSOCK_VSOCK_ANY);

	if (len == 1 && w[0] == '*')
		return 0;
	r->any_addr = false;
	if (len == 3 && memcmp(w, "any", 3) == 0)
		cid = LSOCK_VSOCK_ANY;
	else if (len == 4 && memcmp(w, "host", 4) == 0)
		cid = LSOCK_VSOCK_CID_HOST;
	else if (len == 5 && memcmp(w, "local", 5) == 0)
		cid = LSOCK_VSOCK_CID_LOCAL;
	r->vsock_cid = (uint32_t)cid;
	return cid < 0 ? -EINVAL : 0;
}

/* Parse an address word, "*", "0.0.0.0", "::", "[::1]"; 0 or -EINVAL. */
static int parse_addr(struct audit_rule *r, const char *w, size_t len)
{
	if (len == 1 && w[0] == '*') {
		r->any_addr = true;
		return 0;
	}
	if (len >= 2 && w[0] == '[' && w[len - 1] == ']') {
		w++;
		len -= 2;
	}
	return addr_parse(w, len, &r->family, r->addr) ? 0 : -EINVAL;
}

/* The rest of a unix rule, after "unix:": its pattern (w), then an optional process name.
 * 1 for a rule, or -EINVAL, -ENOMEM. */
static int parse_unix_rule(struct audit_rule *r, const char *w, size_t len, const char *s,
			   const char *end, char *err, size_t errlen)
{
	char q[64];

	if (memchr(w, '\0', len) || (w[0] != '/' && w[0] != '@') || (w[0] == '@' && len == 1)) {
		quote(q, sizeof(q), w, len);
		snprintf(err, errlen, "expected unix:/PATH or unix:@NAME, got %s", q);
		return -EINVAL;
	}
	r->unix_name = strndup(w, len);
	if (!r->unix_name)
		return -ENOMEM;
	if ((w = next_word(&s, end, &len)) && !(r->process = strndup(w, len)))
		return -ENOMEM;
	if (w && (w = next_word(&s, end, &len))) {
		quote(q, sizeof(q), w, len);
		snprintf(err, errlen, "unexpected %s after the process name", q);
		return -EINVAL;
	}
	return 1;
}

/* Parse one line (without its newline) into r; 1 for a rule, 0 for nothing, -EINVAL, or a
 * name look-up's error. */
static int parse_rule(struct audit_rule *r, const char *s, size_t n,
		      const struct audit_allow_names *names, char *err, size_t errlen)
{
	const char *end = memchr(s, '#', n), *w;
	char q[64];
	size_t len;
	int k;

	end = end ? end : s + n;
	*r = (struct audit_rule){ .any_addr = true };
	if (!(w = next_word(&s, end, &len)))
		return 0;
	if (len > 5 && memcmp(w, "unix:", 5) == 0)
		return parse_unix_rule(r, w + 5, len - 5, s, end, err, errlen);
	*err = '\0';
	if ((k = parse_proto_port(r, w, len, names, err, errlen)) < 0) {
		if (k != -EINVAL || *err)
			return k;
		quote(q, sizeof(q), w, len);
		snprintf(err, errlen, "expected tcp/PORT, udp/PORT, mptcp/PORT or sctp/PORT (PORT "
			 "1-65535 or a service's name), raw/PROTOCOL (1-255 or a name), "
			 "packet/ETHERTYPE (all, ip, arp, 0x88cc...) or vsock/PORT, got %s", q);
		return -EINVAL;
	}
	if (r->vsock && (w = next_word(&s, end, &len))) {
		if (parse_cid(r, w, len) < 0) {
			quote(q, sizeof(q), w, len);
			snprintf(err, errlen, "expected a vsock context id (a number, any, host, "
				 "local, *), got %s", q);
			return -EINVAL;
		}
	} else if (r->protocol == LSOCK_PROTO_PACKET && (w = next_word(&s, end, &len)) &&
	    !(len == 1 && w[0] == '*')) {
		r->ifname = strndup(w, len);
		if (!r->ifname)
			return -ENOMEM;
	} else if (r->protocol != LSOCK_PROTO_PACKET && (w = next_word(&s, end, &len))) {
		r->any_addr = false;
		if (parse_addr(r, w, len) < 0) {
			quote(q, sizeof(q), w, len);
			snprintf(err, errlen,
				 "expected an address (0.0.0.0, ::, 10.0.0.1, *), got %s", q);
			return -EINVAL;
		}
	}
	if ((w = next_word(&s, end, &len))) {
		r->process = strndup(w, len);
		if (!r->process)
			return -ENOMEM;
	}
	if ((w = next_word(&s, end, &len))) {
		free(r->process);
		free(r->ifname);
		r->process = NULL;
		r->ifname = NULL;
		quote(q, sizeof(q), w, len);
		snprintf(err, errlen, "unexpected %s after the process name", q);
		return -EINVAL;
	}
	return 1;
}

int audit_allow_parse(struct audit_allow *al, const char *buf, size_t len,
		      const struct audit_allow_names *names, unsigned *line, char *err,
		      size_t errlen)
{
	const char *end = buf + len;

	*line = 0;
	while (buf < end) {
		const char *nl = memchr(buf, '\n', (size_t)(end - buf));
		const char *line_end = nl ? nl : end;
		struct audit_rule r;
		int k;

		++*line;
		if (memchr(buf, '\0', (size_t)(line_end - buf))) {
			snprintf(err, errlen, "a NUL byte: not a text file");
			return -EINVAL;
		}
		k = parse_rule(&r, buf, (size_t)(line_end - buf), names, err, errlen);
		if (k < 0) {
			free(r.unix_name);
			free(r.ifname);
			free(r.process);
			return k;
		}
		if (k > 0) {
			struct audit_rule *v = reallocarray(al->v, al->len + 1, sizeof(*v));

			if (!v) {
				free(r.process);
				free(r.ifname);
				free(r.unix_name);
				return -ENOMEM;
			}
			al->v = v;
			r.line = *line;
			al->v[al->len++] = r;
		}
		buf = nl ? nl + 1 : end;
	}
	return 0;
}

void audit_allow_free(struct audit_allow *al)
{
	for (size_t i = 0; i < al->len; i++) {
		free(al->v[i].process);
		free(al->v[i].ifname);
		free(al->v[i].unix_name);
	}
	free(al->v);
	*al = (struct audit_allow){ 0 };
}

/* Does the rule's address equal the socket's? An IPv4 rule also matches v4-mapped IPv6. A
 * packet rule's interface is the one sniffed, "all" every one. */
static bool addr_matches(const struct audit_rule *r, const struct out_row *s)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct lsock *sk = s->sk;

	if (sk->family == AF_PACKET)
		return !r->ifname || (sk->ifindex ? s->ifname && strcmp(s->ifname, r->ifname) == 0
						  : strcmp(r->ifname, "all") == 0);
	if (r->any_addr)
		return true;
	if (r->family == sk->family)
		return memcmp(r->addr, sk->laddr, sk->family == AF_INET ? 4 : 16) == 0;
	return r->family == AF_INET && memcmp(sk->laddr, mapped, 12) == 0 &&
	       memcmp(sk->laddr + 12, r->addr, 4) == 0;
}

/* Whether a unix rule's pattern matches a socket's name as ss writes it: "@" for the NUL of
 * an abstract name (one holding another NUL matches no pattern). */
static bool unix_name_matches(const struct audit_rule *r, const struct lsock *sk)
{
	char name[256];
	size_t len = sk->un.name_len;

	if (!len || len >= sizeof(name))
		return false;
	memcpy(name, sk->un.name, len);
	name[len] = '\0';
	if (name[0] == '\0')
		name[0] = '@';
	return strlen(name) == len && fnmatch(r->unix_name, name, FNM_PATHNAME) == 0;
}

static bool rule_matches(const struct audit_rule *r, const struct audit *a,
			 const struct audit_finding *f, const struct procfs_proc *procs)
{
	const struct lsock *un = audit_unix_socket(a, f), *vs = audit_vsock_socket(a, f);
	const struct lsock *first = a->socks[a->order[f->first]].sk;

	if (!r->unix_name != !un || r->vsock != !!vs)
		return false;
	if (un && !unix_name_matches(r, un))
		return false;
	if (vs && (r->vsock_port != vs->vs.port || (!r->any_addr && r->vsock_cid != vs->vs.cid)))
		return false;
	if (!un && !vs && (r->protocol != f->protocol || r->port != f->port))
		return false;
	if (r->mptcp && !(first->flags & LSOCK_MPTCP))
		return false;
	/* Every socket of the finding must be approved: an extra 0.0.0.0 twin is not. */
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];
		bool named = !r->process;

		if (!un && !vs && !addr_matches(r, s))
			return false;
		for (size_t j = 0; j < s->nowners && !named; j++)
			named = strcmp(procs[s->owners[j].proc].name, r->process) == 0;
		if (!named)
			return false;
	}
	return true;
}

void audit_allow_apply(const struct audit_allow *al, struct audit *a,
		       const struct procfs_proc *procs)
{
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t j = 0; j < al->len && !a->findings[i].allowed_by; j++)
			if (rule_matches(&al->v[j], a, &a->findings[i], procs))
				a->findings[i].allowed_by = al->v[j].line;
}
