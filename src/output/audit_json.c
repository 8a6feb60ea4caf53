/* The audit's review as one JSON document (#/$defs/audit in doc/listen.schema.json). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>

#include "listen/audit.h"
#include "listen/enrich.h"
#include "listen/json.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

/* The finding's sockets' distinct addresses, as JSON objects (a packet socket's address is
 * null, its scope_interface the interface it sniffs, null for every one). */
static void endpoints_json(struct sbuf *b, const struct audit *a, const struct audit_finding *f)
{
	bool first = true;

	sbuf_putc(b, '[');
	for (size_t i = f->first; i < f->first + f->count; i++) {
		const struct out_row *s = &a->socks[a->order[i]];

		/* No address: a unix finding's "unix", a vsock one's "vsock" says where it is. */
		if (s->sk->family == AF_UNIX || s->sk->family == AF_VSOCK)
			continue;
		if (!audit_first_address(a, f, i))
			continue;
		sbuf_printf(b, "%s{\"family\":\"%s\",\"address\":", first ? "" : ",",
			    lsock_family_name(s->sk->family));
		if (s->sk->family == AF_PACKET) /* what it sniffs: scope_interface says */
			sbuf_puts(b, "null");
		else
			json_addr(b, s->sk->family, s->sk->laddr);
		sbuf_printf(b, ",\"scope\":\"%s\",\"scope_interface\":", scope_key(s->scope));
		json_str(b, s->scope_ifname);
		sbuf_puts(b, ",\"netns\":");
		json_netns(b, s);
		sbuf_putc(b, '}');
		first = false;
	}
	sbuf_putc(b, ']');
}

/* The reasons as {"code", "text"} objects, in the order they are given. */
static void reasons_json(struct sbuf *b, const struct audit *a, const struct audit_finding *f)
{
	struct sbuf t = { 0 };
	bool first = true;

	sbuf_putc(b, '[');
	for (unsigned bit = audit_next_reason(f, 0); bit; bit = audit_next_reason(f, bit)) {
		t.len = 0;
		audit_reason_text(&t, a, f, bit);
		sbuf_printf(b, "%s{\"code\":\"%s\",\"text\":", first ? "" : ",",
			    audit_reason_code(bit));
		first = false;
		json_str(b, t.failed ? "" : t.s ? t.s : "");
		sbuf_putc(b, '}');
	}
	sbuf_putc(b, ']');
	if (t.failed)
		b->failed = 1;
	sbuf_free(&t);
}

static void processes_json(struct sbuf *b, const struct audit *a, const struct audit_finding *f,
			 const struct procfs_proc *procs, const struct procfs_info *info,
			 const struct enrich_holder *holders)
{
	size_t i = f->first, j = 0;
	bool first = true;
	long p;

	sbuf_putc(b, '[');
	while ((p = audit_next_holder(a, f, &i, &j)) >= 0) {
		sbuf_puts(b, first ? "{" : ",{");
		json_process_members(b, &procs[p], info ? &info[p] : NULL,
				     holders ? &holders[p] : NULL);
		sbuf_putc(b, '}');
		first = false;
	}
	sbuf_putc(b, ']');
}

/* The namespace of a finding, as a socket's "netns": its sockets', or for a container's port
 * the host publishes, the host's (that of any row known to be the host's); null when no row
 * says which. */
static void finding_netns(struct sbuf *b, const struct audit *a, const struct audit_finding *fd)
{
	const struct out_row *s = &a->socks[a->order[fd->first]];

	if (!fd->netns && s->netns_other)
		for (size_t i = 0; i < a->nsocks; i++)
			if (a->socks[i].netns && !a->socks[i].netns_other) {
				json_netns(b, &a->socks[i]);
				return;
			}
	if (!fd->netns && s->netns_other)
		sbuf_puts(b, "null");
	else
		json_netns(b, s);
}

/* One finding as a JSON object. */
static void finding_json(struct sbuf *b, const struct audit *a, const struct audit_finding *fd,
			 const struct procfs_proc *procs, const struct procfs_info *info,
			 const struct enrich_holder *holders)
{
	const struct lsock *un = audit_unix_socket(a, fd), *vs = audit_vsock_socket(a, fd);

	sbuf_printf(b, "{\"risk\":\"%s\",\"protocol\":\"%s\",\"port\":",
		    svc_risk_name(fd->risk), audit_protocol(a, fd));
	if (un || vs)
		sbuf_puts(b, "null");
	else
		sbuf_printf(b, "%u", fd->port);
	sbuf_puts(b, ",\"unix\":");
	if (un)
		json_unix_access(b, &a->socks[a->order[fd->first]], true);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"service\":");
	json_service(b, &fd->svc);
	sbuf_puts(b, ",\"netns\":");
	finding_netns(b, a, fd);
	sbuf_puts(b, ",\"reach\":");
	json_reach(b, fd->verdict);
	sbuf_puts(b, ",\"reasons\":");
	reasons_json(b, a, fd);
	sbuf_puts(b, ",\"endpoints\":");
	endpoints_json(b, a, fd);
	sbuf_puts(b, ",\"processes\":");
	processes_json(b, a, fd, procs, info, holders);
	sbuf_printf(b, ",\"processes_hidden\":%s,\"sockets\":%zu,\"allowed\":%s,"
		    "\"allowed_by_line\":", fd->reasons & AUDIT_NO_OWNER ? "true" : "false",
		    fd->count, fd->allowed_by ? "true" : "false");
	if (fd->allowed_by)
		sbuf_printf(b, "%u", fd->allowed_by);
	else
		sbuf_puts(b, "null");
	if (vs) { /* the 32-bit port and the context id: the schema's vsock_end */
		sbuf_printf(b, ",\"vsock\":{\"cid\":%" PRIu32 ",\"cid_name\":", vs->vs.cid);
		json_str(b, lsock_vsock_cid_name(vs->vs.cid));
		sbuf_printf(b, ",\"port\":%" PRIu32 "}", vs->vs.port);
	}
	sbuf_putc(b, '}');
}

int out_audit_json(FILE *f, const struct audit *a, const struct procfs_proc *procs,
		   const struct procfs_info *info, const struct enrich_holder *holders,
		   enum svc_risk fail_on)
{
	size_t count[4], allowed;
	struct sbuf b = { 0 };
	int r;

	/* Made whole, then written: a document is printed entirely or not at all. */
	sbuf_putc(&b, '{');
	json_schema_version(&b);
	sbuf_puts(&b, ",\"findings\":[");
	for (size_t i = 0; i < a->nfindings && !b.failed; i++) {
		sbuf_puts(&b, i ? ",\n" : "\n");
		finding_json(&b, a, &a->findings[i], procs, info, holders);
	}
	audit_totals(a, count, &allowed);
	sbuf_printf(&b, "%s],\n\"summary\":{\"findings\":%zu,\"high\":%zu,\"medium\":%zu,"
		    "\"low\":%zu,\"none\":%zu,\"allowed\":%zu,\"clients_left_out\":%zu,"
		    "\"filtered_left_out\":%zu,\"fail_on\":\"%s\",\"failed\":%s,"
		    "\"complete\":%s,\"unidentified\":%zu,\"firewall_read\":%s}}\n",
		    a->nfindings ? "\n" : "", a->nfindings, count[SVC_RISK_HIGH],
		    count[SVC_RISK_MEDIUM], count[SVC_RISK_LOW], count[SVC_RISK_NONE], allowed,
		    a->clients, a->filtered, svc_risk_name(fail_on),
		    audit_fails(a, fail_on) ? "true" : "false",
		    audit_incomplete(a) ? "false" : "true", a->unidentified,
		    a->no_firewall ? "false" : "true");
	r = sbuf_write(&b, f);
	sbuf_free(&b);
	return r;
}
