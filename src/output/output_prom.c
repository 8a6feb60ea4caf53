/* Prometheus text exposition of the listeners, for node_exporter's textfile collector. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/audit.h"
#include "listen/diag.h"
#include "listen/escape.h"
#include "listen/ipproto.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/program.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/unix_scope.h"

#define NSCOPES (SCOPE_PUBLIC + 1)
/* The protocols listen_listeners counts, in its order. */
#define NPROTOS 4
static const char *const prom_protocols[NPROTOS] = { "tcp", "udp", "mptcp", "sctp" };
static const unsigned prom_protocol_bits[NPROTOS] = { DIAG_TCP, DIAG_UDP, DIAG_MPTCP,
						      DIAG_SCTP };
#define NRISKS (SVC_RISK_HIGH + 1)
/* A row the audit makes no finding of (loopback, dropped by the firewall): no risk. */
#define NO_RISK (-1)

/* What the audit says of a row: its finding's risk (or NO_RISK), and whether the allow-list
 * approves that finding. */
struct prom_verdict {
	int risk;
	bool allowed;
};

/* The totals of one namespace. */
struct prom_ns {
	const char *label;                 /* the netns label's value */
	size_t listeners[NPROTOS][NSCOPES]; /* by protocol (prom_protocols) and scope */
	size_t exposed[NRISKS];            /* the audit's listeners, by their finding's risk */
	size_t findings[NRISKS][2];        /* the audit's findings, by risk and allowed */
};

/* The info series of each kind of socket: each its own metric, with its own labels. */
enum prom_kind { PROM_INET, PROM_UNIX, PROM_RAW, PROM_PACKET, PROM_VSOCK, PROM_KINDS };

/* The label sets of one kind. */
struct prom_series {
	struct sbuf labels;   /* each socket's label set, NUL-terminated, back to back */
	size_t *off;          /* where each starts */
	size_t n;
};

struct prom {
	const struct out_opts *o;
	struct prom_series s[PROM_KINDS];
	struct prom_ns *ns;   /* the namespaces seen, in the order first seen */
	size_t nns;
};

/* A label whose value is len bytes of value (any bytes: a unix socket's name). */
static void label_n(struct sbuf *b, const char *name, const char *value, size_t len)
{
	if (b->len && b->s[b->len - 1] != '\0')
		sbuf_putc(b, ',');
	sbuf_printf(b, "%s=\"", name);
	if (value)
		esc_prom(b, value, len);
	sbuf_putc(b, '"');
}

static void label(struct sbuf *b, const char *name, const char *value)
{
	label_n(b, name, value, value ? strlen(value) : 0);
}

/* The holders' names, each once, comma-separated, in ss's order. */
static void processes_label(struct sbuf *b, const struct out_row *r)
{
	size_t start;

	sbuf_puts(b, ",processes=\"");
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

/* The value of the netns label of a row: its namespace's label with -N, --netns or
 * --all-netns, else empty (the namespace listen runs in). */
static const char *netns_value(const struct prom *p, const struct out_row *r)
{
	return p->o->netns && r->netns ? r->netns : "";
}

/* The totals of a namespace, added when first seen; NULL when memory runs out. Rows come
 * grouped by namespace, so the last one is nearly always it. */
static struct prom_ns *ns_of(struct prom *p, const char *label_value)
{
	for (size_t i = p->nns; i-- > 0;)
		if (strcmp(p->ns[i].label, label_value) == 0)
			return &p->ns[i];
	struct prom_ns *v = reallocarray(p->ns, p->nns + 1, sizeof(*v));

	if (!v)
		return NULL;
	p->ns = v;
	v[p->nns] = (struct prom_ns){ .label = label_value };
	return &v[p->nns++];
}

/* Start the label set of row r in the series of kind k, with its netns (its namespace is
 * counted from then on). NULL when memory runs out. */
static struct sbuf *series_begin(struct prom *p, enum prom_kind k, const struct out_row *r)
{
	struct prom_series *s = &p->s[k];
	struct prom_ns *ns = ns_of(p, netns_value(p, r));

	if (!ns)
		return NULL;
	s->off[s->n] = s->labels.len;
	label(&s->labels, "netns", ns->label);
	return &s->labels;
}

/* End the label set begun by series_begin: the audit's risk and allow-list with services,
 * the holders with -p. */
static int series_end(struct prom *p, enum prom_kind k, const struct out_row *r,
		      struct prom_verdict v)
{
	struct prom_series *s = &p->s[k];
	struct sbuf *b = &s->labels;

	if (p->o->services) {
		label(b, "risk", v.risk == NO_RISK ? NULL : svc_risk_name((enum svc_risk)v.risk));
		label(b, "allowed", v.risk == NO_RISK ? NULL : v.allowed ? "true" : "false");
	}
	if (p->o->processes)
		processes_label(b, r);
	sbuf_putc(b, '\0');
	if (b->failed)
		return -ENOMEM;
	s->n++;
	return 0;
}

/* A unix listener's series: where (path or abstract name), its type, who may connect, and
 * what its note says it is. */
static int prom_unix(struct prom *p, const struct out_row *r, struct prom_verdict v)
{
	const struct lsock *sk = r->sk;
	bool abstract = lsock_unix_abstract(sk);
	struct sbuf *b = series_begin(p, PROM_UNIX, r);

	if (!b)
		return -ENOMEM;
	label(b, "type", lsock_unix_type_name(sk->type));
	label_n(b, "path", abstract ? NULL : sk->un.name, sk->un.name_len);
	label_n(b, "abstract", abstract ? sk->un.name + 1 : NULL, sk->un.name_len - 1);
	label(b, "unix_access_scope", unix_scope_key(r->uscope));
	if (p->o->services) {
		label(b, "service", r->service);
		label(b, "service_risk",
		      r->svc ? svc_risk_name((enum svc_risk)r->svc->risk) : NULL);
	}
	return series_end(p, PROM_UNIX, r, v);
}

/* A raw IP socket's series: the IP protocol it receives, on which address and device. */
static int prom_raw(struct prom *p, const struct out_row *r, struct prom_verdict v)
{
	const struct lsock *sk = r->sk;
	char addr[INET6_ADDRSTRLEN], num[8];
	struct sbuf *b = series_begin(p, PROM_RAW, r);

	if (!b)
		return -ENOMEM;
	if (!inet_ntop(sk->family, sk->laddr, addr, sizeof(addr)))
		addr[0] = '\0';
	snprintf(num, sizeof(num), "%u", sk->lport);
	label(b, "family", lsock_family_name(sk->family));
	label(b, "ip_protocol", num); /* the number: names differ between systems' protocols(5) */
	label(b, "address", addr);
	label(b, "interface", r->ifname);
	label(b, "scope", scope_key(r->scope));
	return series_end(p, PROM_RAW, r, v);
}

/* A packet socket's series: which frames it sees on which device, promiscuous or not, and
 * whether a filter chooses among them; empty where not known. */
static int prom_packet(struct prom *p, const struct out_row *r, struct prom_verdict v)
{
	const struct lsock *sk = r->sk;
	uint16_t f = sk->pk.flags;
	char ethertype[8];
	struct sbuf *b = series_begin(p, PROM_PACKET, r);

	if (!b)
		return -ENOMEM;
	snprintf(ethertype, sizeof(ethertype), "%u", sk->lport);
	label(b, "type", sk->type == SOCK_DGRAM ? "dgram" : "raw");
	label(b, "ethertype", ethertype);
	label(b, "ethertype_name",
	      sk->lport == LSOCK_ETH_P_ALL ? "all" : ipproto_ether_name(sk->lport));
	label(b, "sniffs", sk->ifindex ? (r->ifname ? r->ifname : "?") : "all");
	label(b, "promisc", !(f & LSOCK_PACKET_MCLIST) ? NULL :
			    (f & LSOCK_PACKET_PROMISC) ? "true" : "false");
	label(b, "interface_promisc", r->if_promisc ? "true" : "false");
	label(b, "bpf_filter", !(f & LSOCK_PACKET_FILTER_KNOWN) ? NULL :
			       (f & LSOCK_PACKET_FILTER) ? "true" : "false");
	label(b, "scope", scope_key(r->scope));
	return series_end(p, PROM_PACKET, r, v);
}

/* A vsock listener's series: its type, context id and port (32 bits), as JSON's vsock. */
static int prom_vsock(struct prom *p, const struct out_row *r, struct prom_verdict v)
{
	const struct lsock *sk = r->sk;
	char cid[12], port[12];
	struct sbuf *b = series_begin(p, PROM_VSOCK, r);

	if (!b)
		return -ENOMEM;
	snprintf(cid, sizeof(cid), "%" PRIu32, sk->vs.cid);
	snprintf(port, sizeof(port), "%" PRIu32, sk->vs.port);
	label(b, "type", lsock_unix_type_name(sk->type));
	label(b, "cid", cid);
	label(b, "cid_name", lsock_vsock_cid_name(sk->vs.cid));
	label(b, "port", port);
	return series_end(p, PROM_VSOCK, r, v);
}

/* The index of a listener's protocol in prom_protocols. */
static int proto_index(const struct lsock *sk)
{
	if (sk->flags & LSOCK_MPTCP)
		return 2;
	return sk->protocol == IPPROTO_SCTP ? 3 : sk->protocol == IPPROTO_UDP;
}

/* One TCP, UDP, MPTCP or SCTP listener's label set, and its part of its namespace's
 * totals. */
static int prom_row(struct prom *p, const struct out_row *r, struct prom_verdict v)
{
	const struct lsock *sk = r->sk;
	char addr[INET6_ADDRSTRLEN], port[8];
	struct prom_series *s = &p->s[PROM_INET];
	struct sbuf *b = &s->labels;
	struct prom_ns *ns = ns_of(p, netns_value(p, r));

	if (!ns)
		return -ENOMEM;
	s->off[s->n] = b->len;
	if (!inet_ntop(sk->family, sk->laddr, addr, sizeof(addr)))
		addr[0] = '\0';
	snprintf(port, sizeof(port), "%u", sk->lport);
	label(b, "netns", ns->label);
	label(b, "protocol", lsock_protocol(sk));
	label(b, "family", lsock_family_name(sk->family));
	label(b, "address", addr);
	label(b, "port", port);
	label(b, "interface", r->ifname);
	label(b, "scope", scope_key(r->scope));
	if (r->verdict && r->verdict->verdict != REACH_NONE)
		label(b, "reach", reach_name(r->verdict->verdict));
	if (p->o->services) {
		static const char *const sources[] = {
			[SVC_SOURCE_NONE] = NULL, [SVC_SOURCE_PROGRAM] = "program",
			[SVC_SOURCE_PORT] = "port", [SVC_SOURCE_FILE] = "services-file",
		};
		bool named = !r->service_peer && (r->service || r->program);
		bool svc_risk = r->svc && !r->service_peer;

		label(b, "service", r->service_peer ? NULL : r->service);
		label(b, "service_source", named ? sources[r->service_source] : NULL);
		label(b, "service_risk",
		      svc_risk ? svc_risk_name((enum svc_risk)r->svc->risk) : NULL);
		label(b, "program", r->program ? r->program->name : NULL);
		label(b, "port_guess", r->port_guess);
		label(b, "risk", v.risk == NO_RISK ? NULL : svc_risk_name((enum svc_risk)v.risk));
		label(b, "allowed", v.risk == NO_RISK ? NULL : v.allowed ? "true" : "false");
	}
	if (p->o->processes)
		processes_label(b, r);
	sbuf_putc(b, '\0');
	if (b->failed)
		return -ENOMEM;
	s->n++;
	ns->listeners[proto_index(sk)][r->scope < NSCOPES ? r->scope : SCOPE_PUBLIC]++;
	if (v.risk != NO_RISK)
		ns->exposed[v.risk]++;
	return 0;
}

static int label_cmp(const void *a, const void *b, void *arg)
{
	const char *base = arg;

	return strcmp(base + *(const size_t *)a, base + *(const size_t *)b);
}

/* The namespace a finding is counted in: its sockets', but the host's for a container's port
 * the host publishes (the finding is on the host's port), empty when no row is known to be the
 * host's (as its JSON netns is null). */
static const char *finding_netns(const struct prom *p, const struct audit *a,
				 const struct audit_finding *f)
{
	const struct out_row *s = &a->socks[a->order[f->first]];

	if (!f->netns && s->netns_other) {
		for (size_t i = 0; i < a->nsocks; i++)
			if (a->socks[i].netns && !a->socks[i].netns_other)
				return netns_value(p, &a->socks[i]);
		return "";
	}
	return netns_value(p, s);
}

/* The series of one kind, sorted and deduplicated (sockets with the same labels are one). */
static void series_text(struct sbuf *out, struct prom_series *s, const char *metric)
{
	if (s->n)
		qsort_r(s->off, s->n, sizeof(*s->off), label_cmp, s->labels.s);
	for (size_t i = 0; i < s->n; i++) {
		const char *l = s->labels.s + s->off[i];

		if (i && strcmp(l, s->labels.s + s->off[i - 1]) == 0)
			continue;
		sbuf_printf(out, "%s{%s} 1\n", metric, l);
	}
}

/* The HELP and TYPE lines of an info metric, the risk's sentence with services (its end,
 * which sockets have no finding, in none). */
static void info_help(struct sbuf *out, const struct prom *p, const char *metric,
		      const char *help, const char *none)
{
	sbuf_printf(out, "# HELP %s %s", metric, help);
	if (p->o->services)
		sbuf_printf(out, " risk is the one --audit gives the finding the socket is part "
				 "of, and allowed whether the allow-list approves it; both empty "
				 "when it makes none%s", none);
	sbuf_printf(out, "\n# TYPE %s gauge\n", metric);
}

/* The info series of the kinds dumped, then the totals of every namespace. */
static void prom_text(struct sbuf *out, struct prom *p)
{
	unsigned series = p->o->series;
	bool inet = series & DIAG_INET;

	if (inet) {
		info_help(out, p, "listen_socket_info",
			  "A listening TCP, MPTCP or SCTP socket or a bound UDP socket (not a "
			  "client's: unconnected UDP on an unnamed ephemeral port, as --audit "
			  "leaves out; not the TCP listener the kernel keeps for an MPTCP "
			  "listener's subflows); sockets with the same labels (SO_REUSEPORT "
			  "workers) are one series.",
			  " (loopback, dropped by the firewall). service_risk is the service's "
			  "own.");
		series_text(out, &p->s[PROM_INET], "listen_socket_info");
	}
	if (series & DIAG_UNIX) {
		info_help(out, p, "listen_unix_socket_info",
			  "A listening or bound datagram unix socket (-x): its path or abstract "
			  "name, type, who may connect (unix_access_scope) and, with services, "
			  "what its built-in note says it is.",
			  " (none but for a root-held socket others may connect to).");
		series_text(out, &p->s[PROM_UNIX], "listen_unix_socket_info");
	}
	if (series & DIAG_RAW) {
		info_help(out, p, "listen_raw_socket_info",
			  "A raw IP socket not connected to one peer: the IP protocol it "
			  "receives, its address and device.", ".");
		series_text(out, &p->s[PROM_RAW], "listen_raw_socket_info");
	}
	if (series & DIAG_PACKET) {
		info_help(out, p, "listen_packet_socket_info",
			  "A packet socket: the frames it sees (ethertype), on which interface "
			  "(sniffs), whether it or its interface is promiscuous, whether a BPF "
			  "filter chooses what it keeps (empty: not known).", ".");
		series_text(out, &p->s[PROM_PACKET], "listen_packet_socket_info");
	}
	if (series & DIAG_VSOCK) {
		info_help(out, p, "listen_vsock_socket_info",
			  "A listening vsock socket, or a bound vsock datagram socket: its type, "
			  "context id (cid; 4294967295 is any, cid_name names any, host, local "
			  "and hypervisor) and port.", ".");
		series_text(out, &p->s[PROM_VSOCK], "listen_vsock_socket_info");
	}
	if (inet) {
		sbuf_puts(out, "# HELP listen_listeners Listening sockets by network namespace, "
			       "protocol and bind scope. netns is the namespace's label (host, its "
			       "/run/netns name, its container's name, or net:[INODE]) with "
			       "--all-netns, -N or --netns; empty without them: the namespace "
			       "listen runs in.\n"
			       "# TYPE listen_listeners gauge\n");
		for (size_t k = 0; k < p->nns; k++)
			for (int proto = 0; proto < NPROTOS; proto++) {
				if (!(series & prom_protocol_bits[proto]))
					continue; /* not looked at: not zero */
				for (int s = 0; s < NSCOPES; s++) {
					sbuf_puts(out, "listen_listeners{netns=\"");
					esc_prom(out, p->ns[k].label, strlen(p->ns[k].label));
					sbuf_printf(out, "\",protocol=\"%s\",scope=\"%s\"} %zu\n",
						    prom_protocols[proto],
						    scope_key((enum scope_class)s),
						    p->ns[k].listeners[proto][s]);
				}
			}
	}
	if (!p->o->services)
		return;
	if (inet) {
		sbuf_puts(out, "# HELP listen_exposed_listeners Listening TCP, UDP, MPTCP and "
			       "SCTP sockets "
			       "--audit reports (reachable beyond loopback, not dropped by the "
			       "firewall), by network namespace and the risk --audit gives their "
			       "finding.\n"
			       "# TYPE listen_exposed_listeners gauge\n");
		for (size_t k = 0; k < p->nns; k++)
			for (int risk = 0; risk < NRISKS; risk++) {
				sbuf_puts(out, "listen_exposed_listeners{netns=\"");
				esc_prom(out, p->ns[k].label, strlen(p->ns[k].label));
				sbuf_printf(out, "\",risk=\"%s\"} %zu\n",
					    svc_risk_name((enum svc_risk)risk),
					    p->ns[k].exposed[risk]);
			}
	}
	sbuf_puts(out, "# HELP listen_audit_findings The findings of --audit (a service endpoint: "
		       "a dual-stack pair or workers sharing a port are one; a unix "
		       "socket open to others that a privileged process holds; a raw socket; "
		       "what a packet socket sniffs; a vsock listener), by network namespace, "
		       "risk and whether "
		       "the allow-list approves them; --audit fails on those not allowed at "
		       "--fail-on or above.\n"
		       "# TYPE listen_audit_findings gauge\n");
	for (size_t k = 0; k < p->nns; k++)
		for (int risk = 0; risk < NRISKS; risk++)
			for (int allowed = 0; allowed < 2; allowed++) {
				sbuf_puts(out, "listen_audit_findings{netns=\"");
				esc_prom(out, p->ns[k].label, strlen(p->ns[k].label));
				sbuf_printf(out, "\",risk=\"%s\",allowed=\"%s\"} %zu\n",
					    svc_risk_name((enum svc_risk)risk),
					    allowed ? "true" : "false",
					    p->ns[k].findings[risk][allowed]);
			}
}

int out_prom(FILE *f, const struct out_row *rows, size_t n, const struct audit *a,
	     const struct svc_db *db, const struct out_opts *o)
{
	struct prom p = { .o = o };
	struct sbuf out = { 0 };
	struct prom_verdict *verdict = malloc((n ? n : 1) * sizeof(*verdict));
	int r = verdict ? 0 : -ENOMEM;

	for (int k = 0; k < PROM_KINDS && r == 0; k++) {
		p.s[k].off = malloc((n ? n : 1) * sizeof(*p.s[k].off));
		if (!p.s[k].off)
			r = -ENOMEM;
	}
	if (r)
		goto out;
	/* Each row's risk is that of the audit's finding it is in. */
	for (size_t i = 0; i < n; i++)
		verdict[i] = (struct prom_verdict){ .risk = NO_RISK };
	for (size_t k = 0; k < a->nfindings; k++) {
		const struct audit_finding *fd = &a->findings[k];

		for (size_t i = fd->first; i < fd->first + fd->count; i++)
			verdict[a->order[i]] = (struct prom_verdict){ (int)fd->risk,
								      fd->allowed_by != 0 };
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct lsock *sk = rows[i].sk;

		if (!lsock_is_listener(sk) || audit_subflow(a, i))
			continue;
		if (sk->family == AF_VSOCK) {
			if (o->series & DIAG_VSOCK)
				r = prom_vsock(&p, &rows[i], verdict[i]);
		} else if (sk->family == AF_UNIX) {
			if ((o->series & DIAG_UNIX) && (sk->un.flags & LSOCK_UNIX_NAME) &&
			    sk->un.name_len)
				r = prom_unix(&p, &rows[i], verdict[i]);
		} else if (sk->family == AF_PACKET) {
			if (o->series & DIAG_PACKET)
				r = prom_packet(&p, &rows[i], verdict[i]);
		} else if (sk->protocol == IPPROTO_RAW) {
			if (o->series & DIAG_RAW)
				r = prom_raw(&p, &rows[i], verdict[i]);
		} else if (!audit_client(&rows[i], db)) {
			r = prom_row(&p, &rows[i], verdict[i]);
		}
	}
	for (size_t k = 0; k < a->nfindings && r == 0; k++) {
		struct prom_ns *ns = ns_of(&p, finding_netns(&p, a, &a->findings[k]));

		if (!ns)
			r = -ENOMEM;
		else
			ns->findings[a->findings[k].risk][a->findings[k].allowed_by != 0]++;
	}
	/* Without a listener, the totals still say there are none. */
	if (r == 0 && p.nns == 0 && !ns_of(&p, ""))
		r = -ENOMEM;
	/* Made whole, then written: metrics missing some series would read as real. */
	if (r == 0) {
		prom_text(&out, &p);
		r = sbuf_write(&out, f);
	}
out:
	sbuf_free(&out);
	for (int k = 0; k < PROM_KINDS; k++) {
		sbuf_free(&p.s[k].labels);
		free(p.s[k].off);
	}
	free(p.ns);
	free(verdict);
	return r;
}
