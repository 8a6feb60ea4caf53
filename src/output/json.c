/* JSON values shared by the socket list and the audit. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/enrich.h"
#include "listen/escape.h"
#include "listen/json.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/sock.h"
#include "listen/sbuf.h"
#include "listen/services.h"
#include "listen/timefmt.h"
#include "listen/unit.h"
#include "listen/unix_scope.h"
#include "listen/unixfile.h"

void json_str(struct sbuf *b, const char *s)
{
	if (!s) {
		sbuf_puts(b, "null");
		return;
	}
	sbuf_putc(b, '"');
	esc_json(b, s, strlen(s));
	sbuf_putc(b, '"');
}

void json_addr(struct sbuf *b, int family, const unsigned char *addr)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, text, sizeof(text)))
		text[0] = '\0';
	sbuf_printf(b, "\"%s\"", text);
}

void json_schema_version(struct sbuf *b)
{
	sbuf_puts(b, "\"schema_version\":\"" JSON_SCHEMA_VERSION "\"");
}

void json_netns(struct sbuf *b, const struct out_row *r)
{
	if (!r->netns) {
		sbuf_puts(b, "null");
		return;
	}
	sbuf_puts(b, "{\"name\":");
	json_str(b, r->netns);
	sbuf_printf(b, ",\"inode\":%" PRIu64 ",\"host\":%s}", r->netns_inode,
		    r->netns_host_unknown ? "null" : r->netns_other ? "false" : "true");
}

void json_service(struct sbuf *b, const struct svc_ref *svc)
{
	const struct svc_info *in = svc->info;

	static const char *const sources[] = {
		[SVC_SOURCE_NONE] = NULL, [SVC_SOURCE_PROGRAM] = "program",
		[SVC_SOURCE_PORT] = "port", [SVC_SOURCE_FILE] = "services-file",
		[SVC_SOURCE_PATH] = "path",
	};
	bool prog = svc->source == SVC_SOURCE_PROGRAM;

	if (!svc->name && !prog) {
		sbuf_puts(b, "null");
		return;
	}
	sbuf_puts(b, "{\"name\":");
	json_str(b, svc->name);
	sbuf_puts(b, ",\"description\":");
	json_str(b, in ? in->desc : NULL);
	sbuf_puts(b, ",\"risk\":");
	json_str(b, in ? svc_risk_name((enum svc_risk)in->risk) : NULL);
	sbuf_puts(b, ",\"note\":");
	json_str(b, in ? in->note : NULL);
	sbuf_printf(b, ",\"peer\":%s,\"source\":", svc->peer ? "true" : "false");
	json_str(b, sources[svc->source]);
	sbuf_puts(b, ",\"program\":");
	json_str(b, prog ? svc->program : NULL);
	sbuf_puts(b, ",\"identified_by\":");
	json_str(b, !prog ? NULL : svc->weak ? "comm" : "exe");
	sbuf_puts(b, ",\"port_guess\":");
	json_str(b, svc->port_guess);
	sbuf_putc(b, '}');
}

void json_process_members(struct sbuf *b, const struct procfs_proc *p,
			  const struct procfs_info *info, const struct enrich_holder *h)
{
	sbuf_printf(b, "\"pid\":%" PRIu32 ",\"ppid\":%" PRIu32 ",\"name\":", p->pid, p->ppid);
	json_str(b, p->name);
	sbuf_printf(b, ",\"uid\":%" PRIu32 ",\"user\":", p->uid);
	json_str(b, info ? info->user : NULL);
	sbuf_puts(b, ",\"cmdline\":");
	json_str(b, info ? info->cmdline : NULL);
	sbuf_puts(b, ",\"exe\":");
	json_str(b, info ? info->exe : NULL);
	sbuf_puts(b, ",\"exe_deleted\":");
	sbuf_puts(b, !info || !info->exe ? "null" : info->exe_deleted ? "true" : "false");
	sbuf_puts(b, ",\"parent\":");
	json_str(b, info ? info->parent : NULL);
	/* The start twice: seconds since the epoch for arithmetic, RFC 3339 for people and
	 * parsers; both null when unknown. */
	if (info && info->start) {
		size_t at;

		sbuf_printf(b, ",\"started\":%" PRIu64 ",\"started_at\":", info->start);
		at = b->len;
		sbuf_putc(b, '"');
		if (info->start <= INT64_MAX && sbuf_rfc3339(b, (int64_t)info->start, -1) == 0) {
			sbuf_putc(b, '"');
		} else if (!b->failed) { /* a time RFC 3339 cannot write: nothing was appended */
			b->len = at;
			sbuf_puts(b, "null");
		}
	} else {
		sbuf_puts(b, ",\"started\":null,\"started_at\":null");
	}

	static const struct unit_owner none = { .kind = UNIT_NONE };
	const struct unit_owner *u = info ? &info->unit : &none;

	sbuf_puts(b, ",\"unit\":");
	json_str(b, u->kind == UNIT_SYSTEM || u->kind == UNIT_USER ? u->name : NULL);
	if (u->kind == UNIT_USER)
		sbuf_printf(b, ",\"unit_uid\":%" PRIu32, u->uid);
	else
		sbuf_puts(b, ",\"unit_uid\":null");
	sbuf_puts(b, ",\"docker_proxy\":");
	if (h && h->proxy) {
		const struct container_proxy *f = &h->forward;

		sbuf_puts(b, "{\"address\":");
		json_addr(b, f->family, f->addr);
		sbuf_printf(b, ",\"port\":%u,\"protocol\":\"%s\",\"netns\":", f->port,
			    lsock_proto_name(f->protocol));
		json_str(b, h->forward_netns);
		sbuf_putc(b, '}');
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, ",\"container\":");
	if (u->kind == UNIT_NONE || u->kind == UNIT_SYSTEM || u->kind == UNIT_USER) {
		sbuf_puts(b, "null");
		return;
	}
	static const char *const runtimes[] = {
		[UNIT_DOCKER] = "docker", [UNIT_PODMAN] = "podman",
		[UNIT_KUBERNETES] = "kubernetes", [UNIT_LXC] = "lxc", [UNIT_NSPAWN] = "nspawn",
	};

	sbuf_printf(b, "{\"runtime\":\"%s\",\"id\":", runtimes[u->kind]);
	json_str(b, u->id[0] ? u->id : NULL);
	sbuf_puts(b, ",\"name\":");
	json_str(b, u->name);
	sbuf_puts(b, ",\"pod\":");
	json_str(b, u->pod[0] ? u->pod : NULL);
	if (u->user)
		sbuf_printf(b, ",\"user_uid\":%" PRIu32 "}", u->uid);
	else
		sbuf_puts(b, ",\"user_uid\":null}");
}

void json_reach(struct sbuf *b, const struct reach_result *v)
{
	char text[INET6_ADDRSTRLEN];

	if (!v || v->verdict == REACH_NONE) {
		sbuf_puts(b, "null");
		return;
	}
	sbuf_printf(b, "{\"verdict\":\"%s\",\"from\":", reach_name(v->verdict));
	if (v->verdict == REACH_PARTIAL) {
		sbuf_putc(b, '[');
		for (size_t i = 0; i < v->nfrom; i++) {
			if (!inet_ntop(v->from[i].family, v->from[i].addr, text, sizeof(text)))
				text[0] = '\0';
			sbuf_printf(b, "%s\"%s/%u\"", i ? "," : "", text, v->from[i].len);
		}
		sbuf_putc(b, ']');
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_printf(b, ",\"only_family\":%s", !v->only_family ? "null" :
		    v->only_family == AF_INET ? "\"ipv4\"" : "\"ipv6\"");
	sbuf_puts(b, ",\"via\":");
	if (v->via.set) {
		sbuf_puts(b, "{\"address\":");
		json_addr(b, v->via.family, v->via.addr);
		sbuf_printf(b, ",\"port\":%u}", v->via.port);
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, ",\"rule\":");
	if (!v->has_rule) {
		sbuf_puts(b, "null}");
		return;
	}
	sbuf_puts(b, "{\"family\":");
	json_str(b, v->rule.family);
	sbuf_puts(b, ",\"table\":");
	json_str(b, v->rule.table);
	sbuf_puts(b, ",\"chain\":");
	json_str(b, v->rule.chain);
	if (v->rule.handle)
		sbuf_printf(b, ",\"handle\":%" PRIu64, v->rule.handle);
	else
		sbuf_puts(b, ",\"handle\":null");
	sbuf_puts(b, ",\"comment\":");
	json_str(b, v->rule.comment);
	sbuf_puts(b, "}}");
}

void json_unix_access(struct sbuf *b, const struct out_row *r, bool name)
{
	const struct lsock *sk = r->sk;
	const struct unixfile *f = r->ufile;
	bool ok = f && f->status == UNIXFILE_OK, abstract = lsock_unix_abstract(sk);
	struct sbuf why = { 0 };

	if (sk->family != AF_UNIX || r->uscope == UNIX_SCOPE_NONE) {
		sbuf_puts(b, "null");
		return;
	}
	sbuf_putc(b, '{');
	if (name) {
		sbuf_puts(b, "\"path\":");
		if (abstract) {
			sbuf_puts(b, "null,\"abstract\":\"");
			esc_json(b, sk->un.name + 1, sk->un.name_len - 1);
			sbuf_puts(b, "\",");
		} else {
			sbuf_putc(b, '"');
			esc_json(b, sk->un.name, sk->un.name_len);
			sbuf_puts(b, "\",\"abstract\":null,");
		}
	}
	sbuf_printf(b, "\"scope\":\"%s\",\"mode\":", unix_scope_key(r->uscope));
	if (ok)
		sbuf_printf(b, "\"%04o\",\"owner_uid\":%" PRIu32 ",\"group_gid\":%" PRIu32,
			    f->mode, f->uid, f->gid);
	else
		sbuf_puts(b, "null,\"owner_uid\":null,\"group_gid\":null");
	sbuf_puts(b, ",\"group\":");
	json_str(b, ok ? f->group : NULL);
	sbuf_printf(b, ",\"checked\":%s,\"unchecked_reason\":",
		    r->uscope == UNIX_SCOPE_UNCHECKED ? "false" : "true");
	if (r->uscope == UNIX_SCOPE_UNCHECKED) {
		unix_scope_why(&why, f);
		json_str(b, why.failed || !why.s ? "" : why.s);
		if (why.failed)
			b->failed = 1;
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, ",\"mount_ns_pid\":");
	if (ok && f->via_root)
		sbuf_printf(b, "%" PRIu32 "}", f->root_pid);
	else
		sbuf_puts(b, "null}");
	sbuf_free(&why);
}
