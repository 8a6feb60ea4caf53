/* The socket list as JSON: one object per socket, each formatted whole before any of it is
 * written, and the text held until JSON_HOLD bytes of it are. */
#include <errno.h>
#include <netinet/in.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/enrich.h"
#include "listen/escape.h"
#include "listen/ipproto.h"
#include "listen/json.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/program.h"
#include "listen/sbuf.h"
#include "listen/selinux.h"
#include "listen/services.h"
#include "listen/sock.h"

/* Formatted text is held until there is this much: a document up to this size reaches the
 * output whole or, when memory runs out, not at all. A larger one is written in pieces of this
 * size; running out after the first leaves those behind, without the closing bracket. */
#define JSON_HOLD ((size_t)8 << 20)

struct json_out {
	FILE *f;
	struct out_opts o;
	struct sbuf b;  /* the text not written yet */
	size_t rows;
	int error;      /* the first failure: nothing is written after it */
};

static void *json_begin(FILE *f, const struct out_opts *o)
{
	struct json_out *j = calloc(1, sizeof(*j));

	if (j) {
		j->f = f;
		j->o = *o;
	}
	return j;
}

/* ,"timer":{...} with the pending timer, or null. */
static void timer_json(struct sbuf *b, const struct lsock *sk)
{
	if (!sk->timer) {
		sbuf_puts(b, ",\"timer\":null");
		return;
	}
	sbuf_printf(b, ",\"timer\":{\"name\":\"%s\",\"expires_ms\":%" PRIu32
		    ",\"retransmits\":%u}", lsock_timer_name(sk->timer), sk->expires, sk->retrans);
}

/* Write the text held; 0 or the failed write's -errno. */
static int write_held(struct json_out *j)
{
	errno = 0;
	if (j->b.len && fwrite(j->b.s, 1, j->b.len, j->f) != j->b.len)
		return errno ? -errno : -EIO;
	j->b.len = 0;
	return 0;
}

static bool zero(const unsigned char *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

/* ,"KEY":"CONTEXT", or ,"KEY":null,"KEY_error":"refused" (gone, none, unreadable) when it was
 * not read: a refusal is never passed off as no context. */
static void context_json(struct sbuf *b, const char *key, const struct selinux_ctx *c)
{
	sbuf_printf(b, ",\"%s\":", key);
	if (c->text) { /* its _error member is there too, null: every field always present */
		json_str(b, c->text);
		sbuf_printf(b, ",\"%s_error\":null", key);
		return;
	}
	sbuf_printf(b, "null,\"%s_error\":\"%s\"", key, selinux_err_word(c->err));
}

static void processes_json(struct sbuf *b, const struct json_out *j, const struct out_row *r)
{
	if (!j->o.processes || r->owners_unknown) {
		sbuf_puts(b, "null");
		return;
	}
	sbuf_putc(b, '[');
	for (size_t i = 0; i < r->nowners; i++) {
		const struct procfs_owner *ow = &r->owners[i];

		sbuf_puts(b, i ? ",{" : "{");
		json_process_members(b, &r->procs[ow->proc], r->info ? &r->info[ow->proc] : NULL,
				     r->holders ? &r->holders[ow->proc] : NULL);
		sbuf_printf(b, ",\"fd\":%" PRId32, ow->fd);
		if (r->proc_ctx)
			context_json(b, "proc_ctx", &r->proc_ctx[ow->proc]);
		if (r->sock_ctx)
			context_json(b, "sock_ctx", &r->sock_ctx[i]);
		sbuf_putc(b, '}');
	}
	sbuf_putc(b, ']');
}

/* A unix socket's "path", "abstract", "peer_inode" and "file"; null each for TCP and UDP. */
static void unix_json(struct sbuf *b, const struct lsock *sk)
{
	bool un = sk->family == AF_UNIX, named = un && (sk->un.flags & LSOCK_UNIX_NAME);
	bool abstract = un && lsock_unix_abstract(sk);

	sbuf_puts(b, ",\"path\":");
	if (named && !abstract && sk->un.name_len) {
		sbuf_putc(b, '"');
		esc_json(b, sk->un.name, sk->un.name_len);
		sbuf_putc(b, '"');
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, ",\"abstract\":");
	if (abstract) {
		sbuf_putc(b, '"');
		esc_json(b, sk->un.name + 1, sk->un.name_len - 1);
		sbuf_putc(b, '"');
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, ",\"peer_inode\":");
	if (un && (sk->un.flags & LSOCK_UNIX_PEER))
		sbuf_printf(b, "%" PRIu32, sk->un.peer);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"file\":");
	if (un && (sk->un.flags & LSOCK_UNIX_VFS))
		sbuf_printf(b, "{\"device\":\"%u:%u\",\"inode\":%" PRIu32 "}",
			    sk->un.vfs_dev >> 20, sk->un.vfs_dev & 0xfffff, sk->un.vfs_ino);
	else
		sbuf_puts(b, "null");
}

/* A raw socket's "ip_protocol" (the number its local port holds, and the name ss prints), a
 * packet socket's "packet": what each receives, and from where. Neither for other sockets. */
static void rawpkt_json(struct sbuf *b, const struct out_row *r)
{
	const struct lsock *sk = r->sk;
	uint16_t f = sk->pk.flags;

	if (sk->protocol == IPPROTO_RAW && sk->family != AF_PACKET) {
		sbuf_printf(b, ",\"ip_protocol\":{\"number\":%u,\"name\":", sk->lport);
		json_str(b, r->lservice);
		sbuf_putc(b, '}');
		return;
	}
	if (sk->family != AF_PACKET)
		return;
	sbuf_printf(b, ",\"packet\":{\"ethertype\":%u,\"ethertype_name\":", sk->lport);
	json_str(b, sk->lport == LSOCK_ETH_P_ALL ? "all" : ipproto_ether_name(sk->lport));
	sbuf_puts(b, ",\"sniffs\":");
	json_str(b, sk->ifindex ? (r->ifname ? r->ifname : "?") : "all");
	sbuf_printf(b, ",\"ifindex\":%" PRIu32 ",\"promisc\":", sk->ifindex);
	sbuf_puts(b, !(f & LSOCK_PACKET_MCLIST) ? "null" : (f & LSOCK_PACKET_PROMISC) ? "true"
										: "false");
	sbuf_printf(b, ",\"interface_promisc\":%s,\"memberships\":",
		    r->if_promisc ? "true" : "false");
	if (f & LSOCK_PACKET_MCLIST)
		sbuf_printf(b, "%u", sk->pk.mclist);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"bpf_filter\":");
	if (!(f & LSOCK_PACKET_FILTER_KNOWN))
		sbuf_puts(b, "null,\"filter_instructions\":null");
	else if (f & LSOCK_PACKET_FILTER)
		sbuf_printf(b, "true,\"filter_instructions\":%" PRIu32, sk->pk.filter_len);
	else
		sbuf_puts(b, "false,\"filter_instructions\":null");
	sbuf_puts(b, ",\"version\":");
	if (f & LSOCK_PACKET_INFO)
		sbuf_printf(b, "%" PRIu32, sk->pk.version);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"fanout\":");
	if (f & LSOCK_PACKET_FANOUT)
		sbuf_printf(b, "{\"id\":%" PRIu32 ",\"type\":%" PRIu32 "}", sk->pk.fanout & 0xffff,
			    (sk->pk.fanout >> 16) & 0xff);
	else
		sbuf_puts(b, "null");
	sbuf_putc(b, '}');
}

/* One end of a vsock socket: {"cid":2,"cid_name":"host","port":1024}, the port null for
 * VMADDR_PORT_ANY (not bound to one). */
static void vsock_end_json(struct sbuf *b, uint32_t cid, uint32_t port)
{
	sbuf_printf(b, "{\"cid\":%" PRIu32 ",\"cid_name\":", cid);
	json_str(b, lsock_vsock_cid_name(cid));
	sbuf_puts(b, ",\"port\":");
	if (port == LSOCK_VSOCK_ANY)
		sbuf_puts(b, "null}");
	else
		sbuf_printf(b, "%" PRIu32 "}", port);
}

/* A vsock socket's "vsock": its context id and port, and its peer's (null for none: a
 * listener, an unconnected socket). Not on other sockets. */
static void vsock_json(struct sbuf *b, const struct lsock *sk)
{
	if (sk->family != AF_VSOCK)
		return;
	sbuf_puts(b, ",\"vsock\":{\"local\":");
	vsock_end_json(b, sk->vs.cid, sk->vs.port);
	sbuf_puts(b, ",\"peer\":");
	if (sk->vs.peer_cid == LSOCK_VSOCK_ANY && sk->vs.peer_port == LSOCK_VSOCK_ANY)
		sbuf_puts(b, "null");
	else
		vsock_end_json(b, sk->vs.peer_cid, sk->vs.peer_port);
	sbuf_putc(b, '}');
}

/* "netns", "local" and "peer": where the socket is (a unix socket's local and peer are
 * null: unix_json says where it is; a vsock socket's too: vsock_json says). */
static void place_json(struct sbuf *b, const struct json_out *j, const struct out_row *r)
{
	const struct lsock *sk = r->sk;
	size_t alen = sk->family == AF_INET ? 4 : 16;

	sbuf_puts(b, "\"netns\":");
	if (j->o.netns)
		json_netns(b, r);
	else
		sbuf_puts(b, "null");
	if (sk->family == AF_UNIX || sk->family == AF_PACKET || sk->family == AF_VSOCK) {
		sbuf_puts(b, ",\"local\":null,\"peer\":null");
		unix_json(b, sk);
		return;
	}
	sbuf_puts(b, ",\"local\":{\"address\":");
	json_addr(b, sk->family, sk->laddr);
	sbuf_printf(b, ",\"port\":%u},\"peer\":", sk->lport);
	if (sk->rport == 0 && zero(sk->raddr, alen)) {
		sbuf_puts(b, "null");
	} else {
		sbuf_puts(b, "{\"address\":");
		json_addr(b, sk->family, sk->raddr);
		sbuf_printf(b, ",\"port\":%u}", sk->rport);
	}
	unix_json(b, sk);
}

/* The socket's own fields, from "recv_q" to "cgroup" (ss -e's details). */
static void details_json(struct sbuf *b, const struct json_out *j, const struct out_row *r)
{
	const struct lsock *sk = r->sk;

	bool un = sk->family == AF_UNIX, pk = sk->family == AF_PACKET;
	bool queues = un ? (sk->un.flags & LSOCK_UNIX_QUEUES) != 0 :
		      pk ? (sk->pk.flags & LSOCK_PACKET_QUEUES) != 0 : true;

	sbuf_puts(b, ",\"recv_q\":");
	if (queues)
		sbuf_printf(b, "%" PRIu32, sk->rqueue);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"send_q\":");
	if (!queues || (!un && !pk && (sk->flags & LSOCK_PROCNET) && sk->state == LSOCK_LISTEN))
		sbuf_puts(b, "null");
	else
		sbuf_printf(b, "%" PRIu32, sk->wqueue);
	sbuf_puts(b, ",\"v6only\":");
	if (sk->family == AF_INET6 && (sk->flags & LSOCK_HAS_V6ONLY))
		sbuf_puts(b, sk->v6only ? "true" : "false");
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"interface\":");
	json_str(b, r->ifname);
	sbuf_puts(b, ",\"uid\":");
	if (un ? (sk->un.flags & LSOCK_UNIX_UID) : pk ? (sk->pk.flags & LSOCK_PACKET_UID) : true)
		sbuf_printf(b, "%" PRIu32, sk->uid);
	else
		sbuf_puts(b, "null");
	sbuf_printf(b, ",\"inode\":%" PRIu32 ",\"cookie\":", sk->inode);
	if (sk->flags & LSOCK_PROCNET)
		sbuf_puts(b, "null");
	else
		sbuf_printf(b, "%" PRIu64, sk->cookie);
	timer_json(b, sk);
	sbuf_puts(b, ",\"cgroup\":");
	json_str(b, r->cgroup);
	out_info_json(b, sk, r->ext, &j->o.more);
}

/* "warning" and "activation": what needs attention, and who listens for a service. */
static void notes_json(struct sbuf *b, const struct out_row *r)
{
	sbuf_puts(b, ",\"warning\":");
	if (r->warn && r->claimed) {
		const char *exe = r->claimed_exe ? r->claimed_exe : "another program";

		sbuf_puts(b, "\"calls itself ");
		esc_json(b, r->claimed->name, strlen(r->claimed->name));
		sbuf_puts(b, " but runs ");
		esc_json(b, exe, strlen(exe));
		sbuf_putc(b, '"');
	} else {
		json_str(b, r->warn && r->svc ? r->svc->note : NULL);
	}
	sbuf_puts(b, ",\"activation\":");
	if (r->activated) {
		sbuf_puts(b, "{\"socket_unit\":");
		json_str(b, r->socket_unit);
		sbuf_puts(b, ",\"service\":");
		json_str(b, r->activates);
		sbuf_putc(b, '}');
	} else {
		sbuf_puts(b, "null");
	}
}

/* One socket as a JSON object (the schema's socket), held until enough is to write. */
static int json_row(void *state, const struct out_row *r)
{
	struct json_out *j = state;
	const struct lsock *sk = r->sk;
	struct sbuf *b = &j->b;
	struct svc_ref svc = out_service_ref(r);
	bool un = sk->family == AF_UNIX, vs = sk->family == AF_VSOCK;
	int e;

	if (j->error)
		return j->error;
	if (!j->o.lines)
		sbuf_puts(b, j->rows ? ",\n" : "[\n");
	sbuf_putc(b, '{');
	json_schema_version(b);
	sbuf_printf(b, ",\"protocol\":\"%s\",\"family\":\"%s\",\"type\":",
		    un ? "unix" : lsock_protocol(sk), lsock_family_name(sk->family));
	if (un || vs)
		sbuf_printf(b, "\"%s\"", lsock_unix_type_name(sk->type));
	else if (sk->family == AF_PACKET)
		sbuf_puts(b, sk->type == SOCK_DGRAM ? "\"dgram\"" : "\"raw\"");
	else
		sbuf_puts(b, "null");
	sbuf_printf(b, ",\"state\":\"%s\",", lsock_state_name(sk));
	place_json(b, j, r);
	details_json(b, j, r);
	sbuf_puts(b, ",\"service\":");
	json_service(b, &svc);
	if (un || vs)
		sbuf_puts(b, ",\"scope\":null,\"scope_interface\":null");
	else
		sbuf_printf(b, ",\"scope\":\"%s\",\"scope_interface\":", scope_key(r->scope));
	if (!un && !vs)
		json_str(b, r->scope_ifname);
	sbuf_puts(b, ",\"unix_access\":");
	json_unix_access(b, r, false);
	sbuf_printf(b, ",\"exposed\":%s,\"reach\":", r->exposed ? "true" : "false");
	json_reach(b, r->verdict);
	notes_json(b, r);
	sbuf_puts(b, ",\"processes\":");
	processes_json(b, j, r);
	rawpkt_json(b, r);
	vsock_json(b, sk);
	sbuf_putc(b, '}');
	if (j->o.lines)
		sbuf_putc(b, '\n');
	if (b->failed)
		return j->error = -ENOMEM;
	j->rows++;
	if (b->len >= JSON_HOLD && (e = write_held(j)) < 0)
		return j->error = e;
	return 0;
}

static int json_end(void *state)
{
	struct json_out *j = state;
	int r = j->error;

	/* After a failure nothing more: no closing bracket makes a cut document look whole. */
	if (r == 0) {
		if (!j->o.lines)
			sbuf_puts(&j->b, j->rows ? "\n]\n" : "[]\n");
		r = j->b.failed ? -ENOMEM : write_held(j);
	}
	sbuf_free(&j->b);
	free(j);
	return r;
}

const struct out_backend out_json = {
	.name = "json",
	.begin = json_begin,
	.row = json_row,
	.end = json_end,
};
