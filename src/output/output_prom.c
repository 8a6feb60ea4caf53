/* Prometheus text exposition of the listeners, for node_exporter's textfile collector. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "listen/escape.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/program.h"
#include "listen/services.h"
#include "listen/sock.h"

#define NSCOPES (SCOPE_PUBLIC + 1)
/* Risk of an exposed listener: the service's, or unknown when nothing names the port. */
#define RISK_UNKNOWN (SVC_RISK_HIGH + 1)

struct prom {
	FILE *f;
	struct out_opts o;
	struct sbuf labels; /* each listener's label set, NUL-terminated, back to back */
	size_t *off;        /* where each starts */
	size_t n, cap;
	size_t listeners[2][NSCOPES]; /* by protocol (tcp, udp) and scope */
	size_t exposed[RISK_UNKNOWN + 1];
	int error; /* a row failed: nothing is written */
};

static void *prom_begin(FILE *f, const struct out_opts *o)
{
	struct prom *p = calloc(1, sizeof(*p));

	if (p) {
		p->f = f;
		p->o = *o;
	}
	return p;
}

static void label(struct sbuf *b, const char *name, const char *value)
{
	if (b->len && b->s[b->len - 1] != '\0')
		sbuf_putc(b, ',');
	sbuf_printf(b, "%s=\"", name);
	if (value)
		esc_prom(b, value, strlen(value));
	sbuf_putc(b, '"');
}

/* The holders' names, each once, comma-separated, in ss's order. */
static void process_label(struct sbuf *b, const struct out_row *r)
{
	size_t start;

	sbuf_puts(b, ",process=\"");
	start = b->len;
	for (size_t i = 0; i < r->nowners; i++) {
		const char *name = r->procs[r->owners[i].proc].name;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(r->procs[r->owners[j].proc].name, name) == 0;
		if (seen)
			continue;
		if (b->len > start)
			sbuf_putc(b, ',');
		esc_prom(b, name, strlen(name));
	}
	sbuf_putc(b, '"');
}

static int prom_row(void *state, const struct out_row *r)
{
	struct prom *p = state;
	const struct lsock *sk = r->sk;
	char addr[INET6_ADDRSTRLEN], port[8];
	struct sbuf *b = &p->labels;
	int risk = r->svc && !r->service_peer ? r->svc->risk : RISK_UNKNOWN;

	if (p->error || !lsock_is_listener(sk))
		return p->error;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64, *v = reallocarray(p->off, cap, sizeof(*v));

		if (!v)
			return p->error = -ENOMEM;
		p->off = v;
		p->cap = cap;
	}
	p->off[p->n] = b->len;
	if (!inet_ntop(sk->family, sk->laddr, addr, sizeof(addr)))
		addr[0] = '\0';
	snprintf(port, sizeof(port), "%u", sk->lport);
	if (p->o.netns)
		label(b, "netns", r->netns);
	label(b, "proto", lsock_proto_name(sk->protocol));
	label(b, "family", lsock_family_name(sk->family));
	label(b, "address", addr);
	label(b, "port", port);
	label(b, "interface", r->ifname);
	label(b, "scope", scope_key(r->scope));
	if (r->verdict && r->verdict->verdict != REACH_NONE)
		label(b, "reach", reach_name(r->verdict->verdict));
	if (p->o.services) {
		static const char *const sources[] = {
			[SVC_SOURCE_NONE] = NULL, [SVC_SOURCE_PROGRAM] = "program",
			[SVC_SOURCE_PORT] = "port", [SVC_SOURCE_FILE] = "services-file",
		};
		bool named = !r->service_peer && (r->service || r->program);

		label(b, "service", r->service_peer ? NULL : r->service);
		label(b, "service_source", named ? sources[r->service_source] : NULL);
		label(b, "program", r->program ? r->program->name : NULL);
		label(b, "port_guess", r->port_guess);
		label(b, "risk", risk == RISK_UNKNOWN ? NULL : svc_risk_name((enum svc_risk)risk));
	}
	if (p->o.processes)
		process_label(b, r);
	sbuf_putc(b, '\0');
	if (b->failed)
		return p->error = -ENOMEM;
	p->n++;
	if (r->netns_other && !r->netns_host_unknown)
		return 0; /* the totals are the host's exposure (any namespace's, when any may be
			   * the host's) */
	p->listeners[sk->protocol == IPPROTO_UDP][r->scope < NSCOPES ? r->scope : SCOPE_PUBLIC]++;
	if (r->exposed)
		p->exposed[risk]++;
	return 0;
}

static int label_cmp(const void *a, const void *b, void *arg)
{
	const char *base = arg;

	return strcmp(base + *(const size_t *)a, base + *(const size_t *)b);
}

static int prom_end(void *state)
{
	struct prom *p = state;
	struct sbuf out = { 0 };
	int r = p->error;

	/* After a failed row nothing: metrics without some series would read as real. */
	if (r)
		goto out;
	if (p->n)
		qsort_r(p->off, p->n, sizeof(*p->off), label_cmp, p->labels.s);
	sbuf_puts(&out, "# HELP listen_socket_info A listening TCP or bound UDP socket; "
			"sockets with the same labels (SO_REUSEPORT workers) are one series.\n"
			"# TYPE listen_socket_info gauge\n");
	for (size_t i = 0; i < p->n; i++) {
		const char *l = p->labels.s + p->off[i];

		if (i && strcmp(l, p->labels.s + p->off[i - 1]) == 0)
			continue;
		sbuf_printf(&out, "listen_socket_info{%s} 1\n", l);
	}
	sbuf_puts(&out, "# HELP listen_listeners Listening sockets by protocol and bind scope.\n"
			"# TYPE listen_listeners gauge\n");
	for (int proto = 0; proto < 2; proto++)
		for (int s = 0; s < NSCOPES; s++)
			sbuf_printf(&out, "listen_listeners{proto=\"%s\",scope=\"%s\"} %zu\n",
				    proto ? "udp" : "tcp", scope_key((enum scope_class)s),
				    p->listeners[proto][s]);
	if (p->o.services) {
		sbuf_puts(&out, "# HELP listen_exposed_listeners Listening sockets reachable "
				"beyond loopback, by the risk of their service.\n"
				"# TYPE listen_exposed_listeners gauge\n");
		for (int risk = 0; risk <= RISK_UNKNOWN; risk++) {
			const char *name = risk == RISK_UNKNOWN ? "unknown"
				: svc_risk_name((enum svc_risk)risk);

			sbuf_printf(&out, "listen_exposed_listeners{risk=\"%s\"} %zu\n", name,
				    p->exposed[risk]);
		}
	}
	if (out.failed)
		r = -ENOMEM;
	else if (fwrite(out.s, 1, out.len, p->f) != out.len)
		r = errno ? -errno : -EIO;
out:
	sbuf_free(&out);
	sbuf_free(&p->labels);
	free(p->off);
	free(p);
	return r;
}

const struct out_backend out_prom = {
	.name = "prom",
	.begin = prom_begin,
	.row = prom_row,
	.end = prom_end,
};
