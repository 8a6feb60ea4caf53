/* The audit of exposed services: grouping, risk, allow-list, the printed review. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/audit.h"
#include "listen/output.h"
#include "listen/escape.h"
#include "listen/json.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

/* The label of a row's network namespace when that is not the host's; NULL for the host's. */
static const char *other_netns(const struct out_row *s)
{
	return s->netns_other ? s->netns : NULL;
}

/* What names a row's service. */
static struct svc_ref svc_of(const struct out_row *s)
{
	return (struct svc_ref){ .name = s->service, .info = s->svc, .peer = s->service_peer };
}

/* The name of the first holder, the grouping key beside protocol and port; "" if unknown. */
static const char *holder_name(const struct out_row *s, const struct procfs_proc *procs)
{
	return s->nowners ? procs[s->owners[0].proc].name : "";
}

/* For sorting socket indexes into groups. */
struct sort_ctx {
	const struct out_row *socks;
	const struct procfs_proc *procs;
};

/* Namespaces by label, the host's (NULL) first. */
static int netns_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b ? 0 : !a ? -1 : 1;
	return strcmp(a, b);
}

static int group_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *ctx = arg;
	const struct out_row *a = &ctx->socks[*(const size_t *)pa];
	const struct out_row *b = &ctx->socks[*(const size_t *)pb];
	int c = netns_cmp(other_netns(a), other_netns(b));

	if (c)
		return c;
	if (a->sk->protocol != b->sk->protocol)
		return a->sk->protocol < b->sk->protocol ? -1 : 1;
	if (a->sk->lport != b->sk->lport)
		return a->sk->lport < b->sk->lport ? -1 : 1;
	c = strcmp(holder_name(a, ctx->procs), holder_name(b, ctx->procs));
	if (c)
		return c;
	if (!a->nowners && a->sk->uid != b->sk->uid)
		return a->sk->uid < b->sk->uid ? -1 : 1;
	/* Within a finding: IPv4 before IPv6, then the original order. */
	if (a->sk->family != b->sk->family)
		return a->sk->family < b->sk->family ? -1 : 1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static bool same_group(const struct out_row *a, const struct out_row *b,
		       const struct procfs_proc *procs)
{
	return netns_cmp(other_netns(a), other_netns(b)) == 0 && a->sk->protocol == b->sk->protocol &&
	       a->sk->lport == b->sk->lport && strcmp(holder_name(a, procs), holder_name(b, procs)) == 0 &&
	       (a->nowners || a->sk->uid == b->sk->uid);
}

/* Whether a socket bound to every interface is reachable through one of the host's public
 * addresses: IPv4 ones for 0.0.0.0, IPv6 ones for a v6only ::, either for a dual-stack ::. */
static bool public_all(const struct scope_public *h, const struct out_row *s)
{
	if (s->sk->family == AF_INET)
		return h->public4;
	return h->public6 || (s->scope == SCOPE_ALL && h->public4);
}

/* The risk of a finding and why. */
static void assess(struct audit_finding *f, const struct audit *a, const struct procfs_proc *procs)
{
	const struct svc_info *info = f->svc.info;

	f->risk = info ? (enum svc_risk)info->risk : SVC_RISK_LOW;
	if (!info)
		f->reasons |= AUDIT_UNKNOWN;
	else if (info->note)
		f->reasons |= AUDIT_NOTE;
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];

		if (s->scope == SCOPE_ALL || s->scope == SCOPE_ALL_V6)
			f->reasons |= public_all(f->reach, s) ? AUDIT_ALL_PUBLIC
				      : other_netns(s)	  ? AUDIT_ALL_NETNS
								  : AUDIT_ALL;
		if (s->scope == SCOPE_PUBLIC)
			f->reasons |= AUDIT_PUBLIC;
		if (!s->nowners && s->owners_unknown)
			f->reasons |= AUDIT_NO_OWNER;
		for (size_t j = 0; j < s->nowners; j++)
			if (procs[s->owners[j].proc].uid == 0)
				f->reasons |= AUDIT_ROOT;
	}
	if (f->reasons & AUDIT_ALL_PUBLIC)
		f->reasons &= ~(unsigned)(AUDIT_ALL | AUDIT_ALL_NETNS);
	if ((f->reasons & (AUDIT_ROOT | AUDIT_ALL_PUBLIC)) && f->risk == SVC_RISK_MEDIUM)
		f->risk = SVC_RISK_HIGH;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct audit_finding *a = pa, *b = pb;

	if (a->risk != b->risk)
		return a->risk > b->risk ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->protocol != b->protocol)
		return a->protocol < b->protocol ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

int audit_build(struct audit *a, const struct out_row *socks, size_t n,
		const struct procfs_proc *procs, const struct svc_db *db,
		const struct scope_public *host)
{
	size_t kept = 0;

	*a = (struct audit){ 0 };
	if (host)
		a->host = *host;
	a->socks = socks;
	a->order = malloc((n ? n : 1) * sizeof(*a->order));
	a->findings = malloc((n ? n : 1) * sizeof(*a->findings));
	if (!a->order || !a->findings)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct lsock *sk = socks[i].sk;

		if (!lsock_is_listener(sk) || !scope_exposed(socks[i].scope))
			continue;
		/* An unconnected UDP socket on an ephemeral port nothing names is a client
		 * waiting for answers (a resolver, a DHCP or NTP client), not a service. */
		if (sk->protocol == IPPROTO_UDP && !socks[i].service &&
		    svc_ephemeral(db, sk->lport)) {
			a->clients++;
			continue;
		}
		a->order[kept++] = i;
	}
	a->norder = kept;
	struct sort_ctx ctx = { a->socks, procs };

	if (kept)
		qsort_r(a->order, kept, sizeof(*a->order), group_cmp, &ctx);
	for (size_t i = 0; i < kept;) {
		const struct out_row *s = &a->socks[a->order[i]];
		struct audit_finding *f = &a->findings[a->nfindings++];
		size_t j = i + 1;

		while (j < kept && same_group(s, &a->socks[a->order[j]], procs))
			j++;
		*f = (struct audit_finding){ .protocol = s->sk->protocol, .port = s->sk->lport,
					     .netns = other_netns(s), .reach = s->reach ? s->reach : &a->host,
					     .svc = svc_of(s), .first = i, .count = j - i };
		assess(f, a, procs);
		i = j;
	}
	if (a->nfindings)
		qsort(a->findings, a->nfindings, sizeof(*a->findings), finding_cmp);
	return 0;
}

void audit_free(struct audit *a)
{
	free(a->order);
	free(a->findings);
	*a = (struct audit){ 0 };
}

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

/* Parse "tcp/22" into r; 0 or -EINVAL. */
static int parse_proto_port(struct audit_rule *r, const char *w, size_t len)
{
	unsigned long port = 0;
	size_t i;

	if (len > 4 && memcmp(w, "tcp/", 4) == 0)
		r->protocol = IPPROTO_TCP;
	else if (len > 4 && memcmp(w, "udp/", 4) == 0)
		r->protocol = IPPROTO_UDP;
	else
		return -EINVAL;
	for (i = 4; i < len && w[i] >= '0' && w[i] <= '9' && port <= 65535; i++)
		port = port * 10 + (unsigned long)(w[i] - '0');
	if (i != len || port == 0 || port > 65535)
		return -EINVAL;
	r->port = (uint16_t)port;
	return 0;
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

/* Parse one line (without its newline) into r; 1 for a rule, 0 for nothing, -EINVAL. */
static int parse_rule(struct audit_rule *r, const char *s, size_t n, char *err, size_t errlen)
{
	const char *end = memchr(s, '#', n), *w;
	char q[64];
	size_t len;

	end = end ? end : s + n;
	*r = (struct audit_rule){ .any_addr = true };
	if (!(w = next_word(&s, end, &len)))
		return 0;
	if (parse_proto_port(r, w, len) < 0) {
		quote(q, sizeof(q), w, len);
		snprintf(err, errlen, "expected tcp/PORT or udp/PORT (PORT 1-65535), got %s", q);
		return -EINVAL;
	}
	if ((w = next_word(&s, end, &len))) {
		r->any_addr = false;
		if (parse_addr(r, w, len) < 0) {
			quote(q, sizeof(q), w, len);
			snprintf(err, errlen, "expected an address (0.0.0.0, ::, 10.0.0.1, *), got %s",
				 q);
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
		r->process = NULL;
		quote(q, sizeof(q), w, len);
		snprintf(err, errlen, "unexpected %s after the process name", q);
		return -EINVAL;
	}
	return 1;
}

int audit_allow_parse(struct audit_allow *al, const char *buf, size_t len, unsigned *line,
		      char *err, size_t errlen)
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
		k = parse_rule(&r, buf, (size_t)(line_end - buf), err, errlen);
		if (k < 0)
			return k;
		if (k > 0) {
			struct audit_rule *v = reallocarray(al->v, al->len + 1, sizeof(*v));

			if (!v) {
				free(r.process);
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
	for (size_t i = 0; i < al->len; i++)
		free(al->v[i].process);
	free(al->v);
	*al = (struct audit_allow){ 0 };
}

/* Does the rule's address equal the socket's? An IPv4 rule also matches v4-mapped IPv6. */
static bool addr_matches(const struct audit_rule *r, const struct lsock *sk)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (r->any_addr)
		return true;
	if (r->family == sk->family)
		return memcmp(r->addr, sk->laddr, sk->family == AF_INET ? 4 : 16) == 0;
	return r->family == AF_INET && memcmp(sk->laddr, mapped, 12) == 0 &&
	       memcmp(sk->laddr + 12, r->addr, 4) == 0;
}

static bool rule_matches(const struct audit_rule *r, const struct audit *a,
			 const struct audit_finding *f, const struct procfs_proc *procs)
{
	if (r->protocol != f->protocol || r->port != f->port)
		return false;
	/* Every socket of the finding must be approved: an extra 0.0.0.0 twin is not. */
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];
		bool named = !r->process;

		if (!addr_matches(r, s->sk))
			return false;
		for (size_t j = 0; j < s->nowners && !named; j++)
			named = strcmp(procs[s->owners[j].proc].name, r->process) == 0;
		if (!named)
			return false;
	}
	return true;
}

void audit_apply_allow(struct audit *a, const struct audit_allow *al,
		       const struct procfs_proc *procs)
{
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t j = 0; j < al->len && !a->findings[i].allowed_by; j++)
			if (rule_matches(&al->v[j], a, &a->findings[i], procs))
				a->findings[i].allowed_by = al->v[j].line;
}

bool audit_fails(const struct audit *a, enum svc_risk threshold)
{
	for (size_t i = 0; i < a->nfindings; i++)
		if (!a->findings[i].allowed_by && a->findings[i].risk >= threshold)
			return true;
	return false;
}

/* Findings by risk, and how many the allow-list approves. */
static void totals(const struct audit *a, size_t count[4], size_t *allowed)
{
	*allowed = 0;
	for (int i = 0; i < 4; i++)
		count[i] = 0;
	for (size_t i = 0; i < a->nfindings; i++) {
		count[a->findings[i].risk]++;
		*allowed += a->findings[i].allowed_by != 0;
	}
}

static const char *const level_names[] = { "NONE", "LOW", "MEDIUM", "HIGH" };
static const char *const level_sgr[] = { "", "\033[36m", "\033[33m", "\033[1;31m" };

/* Whether the i-th socket of finding f is the first with its address and device. */
static bool first_address(const struct audit *a, const struct audit_finding *f, size_t i)
{
	const struct lsock *s = a->socks[a->order[i]].sk;

	for (size_t j = f->first; j < i; j++) {
		const struct lsock *o = a->socks[a->order[j]].sk;

		if (o->family == s->family && o->ifindex == s->ifindex &&
		    memcmp(o->laddr, s->laddr, 16) == 0)
			return false;
	}
	return true;
}

/* Whether owner j of the i-th socket of finding f is the first mention of its process. */
static bool first_holder(const struct audit *a, const struct audit_finding *f, size_t i,
			 size_t j)
{
	uint32_t p = a->socks[a->order[i]].owners[j].proc;

	for (size_t k = f->first; k <= i; k++) {
		const struct out_row *o = &a->socks[a->order[k]];
		size_t lim = k == i ? j : o->nowners;

		for (size_t m = 0; m < lim; m++)
			if (o->owners[m].proc == p)
				return false;
	}
	return true;
}

/* The distinct holders of finding f, one a call: start with *i = f->first and *j = 0. Returns
 * the next one's index into procs, or -1 when there are no more. */
static long next_holder(const struct audit *a, const struct audit_finding *f, size_t *i,
			size_t *j)
{
	for (; *i < f->first + f->count; (*i)++, *j = 0) {
		const struct out_row *s = &a->socks[a->order[*i]];

		while (*j < s->nowners) {
			size_t k = (*j)++;

			if (first_holder(a, f, *i, k))
				return (long)s->owners[k].proc;
		}
	}
	return -1;
}

/* "0.0.0.0 (all), [::] (all (v6 only))": each distinct address of the finding once. */
static void addresses_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f)
{
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];
		bool v6only = (s->sk->flags & LSOCK_HAS_V6ONLY) && s->sk->v6only;
		char addr[ADDR_STRLEN];

		if (!first_address(a, f, i))
			continue;
		if (i > f->first)
			sbuf_puts(b, ", ");
		sbuf_puts(b, addr_format(addr, s->sk->family, s->sk->laddr, v6only));
		sbuf_puts(b, " (");
		scope_text(b, s->scope, s->scope_ifname, other_netns(s));
		sbuf_putc(b, ')');
	}
}

/* The reasons in the order they are given: a code for tools and a text for people (NULL: made
 * by reason_text). */
static const struct {
	unsigned bit;
	const char *code, *text;
} reasons[] = {
	{ AUDIT_NOTE, "risk-note", NULL },
	{ AUDIT_UNKNOWN, "unknown-service", "no known service on this port" },
	{ AUDIT_PUBLIC, "public-address", "on a public address" },
	{ AUDIT_ALL, "all-interfaces", "bound to all interfaces" },
	{ AUDIT_ALL_NETNS, "all-interfaces-netns", NULL },
	{ AUDIT_ALL_PUBLIC, "all-interfaces-public", NULL },
	{ AUDIT_ROOT, "root", "runs as root" },
};

/* The text of reason i of finding f, in buf if it is made. */
static const char *reason_text(const struct audit *a, const struct audit_finding *f, size_t i,
			       char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	const struct scope_public *h = f->reach;
	bool v4 = h->public4;

	if (reasons[i].text)
		return reasons[i].text;
	if (reasons[i].bit == AUDIT_NOTE)
		return f->svc.info->note;
	if (reasons[i].bit == AUDIT_ALL_NETNS) {
		snprintf(buf, size, "bound to all interfaces of network namespace %s, reachable only through them", f->netns);
		return buf;
	}
	/* AUDIT_ALL_PUBLIC: name the public address it can be reached on. */
	for (size_t k = f->first; k < f->first + f->count; k++) {
		const struct lsock *sk = a->socks[a->order[k]].sk;

		if (sk->family == AF_INET6 && h->public6)
			v4 = false;
	}
	inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? (const void *)h->addr4 : h->addr6, addr,
		  sizeof(addr));
	snprintf(buf, size, "bound to all interfaces, public %s among them", addr);
	return buf;
}

static void reasons_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f)
{
	size_t start = b->len;
	char buf[384];

	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (!(f->reasons & reasons[i].bit))
			continue;
		if (b->len > start)
			sbuf_puts(b, "; ");
		sbuf_puts(b, reason_text(a, f, i, buf, sizeof(buf)));
	}
}

/* "nginx pid 812 user www-data: /usr/sbin/nginx -g daemon off;" per distinct process. */
static void holders_text(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
			 const struct procfs_proc *procs, const struct procfs_info *info)
{
	size_t shown = 0, i = f->first, j = 0;
	long p;

	while ((p = next_holder(a, f, &i, &j)) >= 0) {
		const struct procfs_proc *pr = &procs[p];
		const struct procfs_info *in = info ? &info[p] : NULL;

		sbuf_puts(b, "        ");
		esc_term(b, pr->name, strlen(pr->name));
		sbuf_printf(b, " pid %" PRIu32 " user ", pr->pid);
		if (in && in->user)
			esc_term(b, in->user, strlen(in->user));
		else
			sbuf_printf(b, "%" PRIu32, pr->uid);
		if (in && in->cmdline) {
			sbuf_puts(b, ": ");
			esc_term(b, in->cmdline, strlen(in->cmdline));
		}
		sbuf_putc(b, '\n');
		shown++;
	}
	if (!shown && (f->reasons & AUDIT_NO_OWNER))
		sbuf_puts(b, "        holder not readable: run as root to see it\n");
	else if (!shown)
		sbuf_puts(b, "        no process holds it: a socket of the kernel\n");
}

/* Write b's text to f: 0, or the failed write's -errno, which the caller acts on (EPIPE ends
 * the output quietly, ENOSPC is reported as such). */
static int put(FILE *f, const struct sbuf *b)
{
	errno = 0;
	if (fwrite(b->s, 1, b->len, f) != b->len)
		return errno ? -errno : -EIO;
	return 0;
}

int audit_print(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		const struct procfs_info *info, bool color)
{
	size_t count[4], allowed;
	struct sbuf b = { 0 };
	int r = 0;

	totals(a, count, &allowed);
	for (size_t i = 0; i < a->nfindings; i++) {
		const struct audit_finding *fd = &a->findings[i];

		b.len = 0;
		if (color)
			sbuf_puts(&b, level_sgr[fd->risk]);
		sbuf_printf(&b, "%-6s", level_names[fd->risk]);
		if (color)
			sbuf_puts(&b, "\033[0m");
		sbuf_printf(&b, "  %s/%u", lsock_proto_name(fd->protocol), fd->port);
		if (fd->svc.name) {
			sbuf_putc(&b, ' ');
			esc_term(&b, fd->svc.name, strlen(fd->svc.name));
		}
		sbuf_puts(&b, " on ");
		addresses_text(&b, a, fd);
		if (fd->allowed_by)
			sbuf_printf(&b, "  [allowed by rule on line %u]", fd->allowed_by);
		sbuf_puts(&b, "\n        ");
		if (fd->svc.info)
			sbuf_printf(&b, "%s: ", fd->svc.info->desc);
		reasons_text(&b, a, fd);
		sbuf_putc(&b, '\n');
		holders_text(&b, a, fd, procs, info);
		if (b.failed) {
			r = -ENOMEM;
			break;
		}
		if ((r = put(f, &b)) < 0)
			break;
	}
	if (r == 0) {
		b.len = 0;
		sbuf_printf(&b, "%zu finding%s (high %zu, medium %zu, low %zu, none %zu), %zu allowed\n",
			    a->nfindings, a->nfindings == 1 ? "" : "s", count[SVC_RISK_HIGH],
			    count[SVC_RISK_MEDIUM], count[SVC_RISK_LOW], count[SVC_RISK_NONE],
			    allowed);
		if (a->clients)
			sbuf_printf(&b, "%zu UDP socket%s on ephemeral ports left out: clients, not "
				    "services\n", a->clients, a->clients == 1 ? "" : "s");
		r = b.failed ? -ENOMEM : put(f, &b);
	}
	sbuf_free(&b);
	return r;
}

/* The finding's sockets' distinct addresses, as JSON objects. */
static void endpoints_json(struct sbuf *b, const struct audit *a, const struct audit_finding *f)
{
	bool first = true;

	sbuf_putc(b, '[');
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];

		if (!first_address(a, f, i))
			continue;
		sbuf_printf(b, "%s{\"family\":\"%s\",\"address\":", first ? "" : ",",
			    lsock_family_name(s->sk->family));
		json_addr(b, s->sk->family, s->sk->laddr);
		sbuf_printf(b, ",\"scope\":\"%s\",\"scope_interface\":", scope_key(s->scope));
		json_str(b, s->scope_ifname);
		sbuf_puts(b, ",\"netns\":");
		json_str(b, other_netns(s));
		sbuf_putc(b, '}');
		first = false;
	}
	sbuf_putc(b, ']');
}

static void holders_json(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
			 const struct procfs_proc *procs, const struct procfs_info *info)
{
	size_t i = f->first, j = 0;
	bool first = true;
	long p;

	sbuf_putc(b, '[');
	while ((p = next_holder(a, f, &i, &j)) >= 0) {
		sbuf_puts(b, first ? "{" : ",{");
		json_process_members(b, &procs[p], info ? &info[p] : NULL);
		sbuf_putc(b, '}');
		first = false;
	}
	sbuf_putc(b, ']');
}

int audit_print_json(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		     const struct procfs_info *info, enum svc_risk fail_on)
{
	size_t count[4], allowed;
	struct sbuf b = { 0 };
	int r = 0;

	totals(a, count, &allowed);
	sbuf_puts(&b, "{\"findings\":[");
	for (size_t i = 0; i < a->nfindings && !b.failed; i++) {
		const struct audit_finding *fd = &a->findings[i];
		bool first = true;

		sbuf_printf(&b, "%s\n{\"risk\":\"%s\",\"protocol\":\"%s\",\"port\":%u,\"service\":",
			    i ? "," : "", svc_risk_name(fd->risk), lsock_proto_name(fd->protocol),
			    fd->port);
		json_service(&b, &fd->svc);
		sbuf_puts(&b, ",\"netns\":");
		json_str(&b, fd->netns);
		sbuf_puts(&b, ",\"reasons\":[");
		for (size_t k = 0; k < sizeof(reasons) / sizeof(reasons[0]); k++) {
			if (!(fd->reasons & reasons[k].bit))
				continue;
			sbuf_printf(&b, "%s{\"code\":\"%s\",\"text\":", first ? "" : ",",
				    reasons[k].code);
			char buf[384];

			json_str(&b, reason_text(a, fd, k, buf, sizeof(buf)));
			sbuf_putc(&b, '}');
			first = false;
		}
		sbuf_puts(&b, "],\"endpoints\":");
		endpoints_json(&b, a, fd);
		sbuf_puts(&b, ",\"holders\":");
		holders_json(&b, a, fd, procs, info);
		sbuf_printf(&b, ",\"holders_hidden\":%s,\"sockets\":%zu,\"allowed\":%s,"
			    "\"allowed_by_line\":",
			    fd->reasons & AUDIT_NO_OWNER ? "true" : "false", fd->count,
			    fd->allowed_by ? "true" : "false");
		if (fd->allowed_by)
			sbuf_printf(&b, "%u}", fd->allowed_by);
		else
			sbuf_puts(&b, "null}");
	}
	sbuf_printf(&b, "%s],\n\"summary\":{\"findings\":%zu,\"high\":%zu,\"medium\":%zu,"
		    "\"low\":%zu,\"none\":%zu,\"allowed\":%zu,\"clients_left_out\":%zu,"
		    "\"fail_on\":\"%s\",\"failed\":%s}}\n",
		    a->nfindings ? "\n" : "", a->nfindings, count[SVC_RISK_HIGH],
		    count[SVC_RISK_MEDIUM], count[SVC_RISK_LOW], count[SVC_RISK_NONE], allowed,
		    a->clients, svc_risk_name(fail_on), audit_fails(a, fail_on) ? "true" : "false");
	r = b.failed ? -ENOMEM : put(f, &b);
	sbuf_free(&b);
	return r;
}
