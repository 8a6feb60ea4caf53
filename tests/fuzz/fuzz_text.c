/* libFuzzer harness: the text parsers (/etc/services and nmap-services, ip_local_port_range,
 * the audit's allow-list, /proc/PID/stat (pid, comm, ppid, start time), cgroup and cmdline,
 * the /proc/net socket tables and counts (sockstat, snmp) with the summary printed from them,
 * cgroup paths to units, mountinfo, the runtimes' JSON state,
 * docker-proxy command lines, systemd socket units, a process's executable, name and command
 * line as program.c identifies them, SELinux's /proc/filesystems, /proc/mounts and a context
 * from attr/current or an xattr), the escapers and the table's widths and cuts, all fed the
 * same bytes.
 * /proc/PID/status is read only of a process whose fds were not readable (its capability
 * set, to say why); a holder's uid is the owner of /proc/PID. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "listen/activation.h"
#include "listen/audit.h"
#include "listen/audit_allow.h"
#include "listen/cgroup.h"
#include "listen/container.h"
#include "listen/diag.h"
#include "listen/escape.h"
#include "listen/procfs.h"
#include "listen/procnet.h"
#include "listen/program.h"
#include "listen/sbuf.h"
#include "listen/selinux.h"
#include "listen/services.h"
#include "listen/output_summary.h"
#include "listen/sock.h"
#include "listen/sockstat.h"
#include "listen/unit.h"
#include "listen/width.h"

/* The allow-list's names: "ssh" a service (22), "icmp" a protocol (1), nothing else. */
static int fuzz_service(void *ctx, const char *name, uint8_t protocol, uint16_t *port)
{
	(void)ctx;
	(void)protocol;
	*port = 22;
	return strcmp(name, "ssh") == 0 ? 0 : -ENOENT;
}

static int fuzz_protocol(void *ctx, const char *name, uint8_t *proto)
{
	(void)ctx;
	*proto = 1;
	return strcmp(name, "icmp") == 0 ? 0 : -ENOENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The table's cuts of s at every width up to its own and one more: a start and an end that
 * take what they say, no more than asked, and, with the rest, the whole width. */
static void check_widths(const char *s, size_t len)
{
	size_t total;

	if (len == 0)
		return; /* s may be NULL */
	total = width_text(s, len);
	if (total > len)
		abort(); /* no byte takes more than a column but a wide character's three or four */
	for (size_t cols = 0; cols <= total + 1 && cols < 64; cols++) {
		size_t used, head = width_head(s, len, cols, &used);

		if (head > len || used > cols || used != width_text(s, head) ||
		    used + width_text(s + head, len - head) != total ||
		    (cols >= total && head != len))
			abort();
		size_t tail = width_tail(s, len, cols, &used);

		if (tail > len || used > cols || used != width_text(s + tail, len - tail) ||
		    (cols >= total && used != total))
			abort();
		/* Cut with a mark (the table cuts only what is too wide): no wider than asked,
		 * the start and the end never overlapping. */
		for (int middle = 0; middle < 2 && cols >= 2 && cols < total; middle++) {
			struct sbuf c = { 0 };

			if (middle)
				width_cut_middle(&c, s, len, cols, "~");
			else
				width_cut_end(&c, s, len, cols, "~");
			if (!c.failed && (width_text(c.s, c.len) > cols || c.len > len + 1))
				abort();
			sbuf_free(&c);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct sbuf b = { 0 };
	const char *name;
	size_t name_len;
	uint32_t ppid;

	struct svc_db db = { .eph_lo = 1, .eph_hi = 0 };

	if (svc_table_parse(&db.etc, text, size) == 0 &&
	    svc_table_parse(&db.extra, text, size) == 0) {
		for (unsigned port = 0; port < 70; port++) {
			const char *n = svc_name(&db.etc, (uint16_t)port, 6);
			struct svc_ref r = svc_lookup(&db, (uint16_t)port, 443, 17);

			/* A name is never empty and never holds a blank. */
			if (n && (!*n || strpbrk(n, " \t\n")))
				abort();
			if (r.name && !*r.name)
				abort();
		}
	}
	svc_db_free(&db);

	/* The bytes as an executable's path, a process name and a command line (NUL-separated),
	 * whatever they hold. */
	char *copy = malloc(size + 3);

	if (copy) {
		memcpy(copy, data, size);
		memset(copy + size, 0, 3);
		const char *exe = copy, *comm = exe + strlen(exe) + 1;
		const char *cmd = comm + strlen(comm) + 1;

		for (int deleted = 0; deleted < 2; deleted++) {
			struct prog_id id;

			prog_identify(exe, deleted, comm, cmd, &id);
			if (!id.prog != (id.basis == PROG_BY_NONE))
				abort();
			prog_identify(NULL, deleted, comm, cmd, &id);
			if (id.claimed || (id.prog && id.basis != PROG_BY_COMM))
				abort(); /* no executable: nothing to disagree with */
		}
		free(copy);
	}

	static const struct audit_allow_names allow_names = { NULL, fuzz_service, fuzz_protocol };

	for (int named = 0; named < 2; named++) {
		struct audit_allow al = { 0 };
		unsigned line;
		char err[256];

		if (audit_allow_parse(&al, text, size, named ? &allow_names : NULL, &line, err,
				      sizeof(err)) == -EINVAL &&
		    (strchr(err, '\n') || !line))
			abort(); /* errors are one line and name the line */
		audit_allow_free(&al);
	}

	uint16_t lo, hi;

	if (svc_parse_port_range(text, size, &lo, &hi) == 0 && lo > hi)
		abort();

	if (procfs_parse_stat(text, size, &name, &name_len, &ppid) == 0) {
		/* The name lies inside the input. */
		if (name < text || name + name_len > text + size)
			abort();
	}

	free(cgroup_find_v2(text, size));

	struct procfs_hidepid hp;

	procfs_hidepid(text, size, 0, 21, &hp);
	if (hp.level > 4)
		abort();

	/* /proc/PID/status: the fields read of a process that could not be read otherwise. */
	uint64_t field;
	int fr = procfs_status_field(text, size, "CapPrm", &field, 16);

	if (fr != 0 && fr != -ENOENT && fr != -EINVAL)
		abort();
	procfs_status_field(text, size, "CapBnd", &field, 16);

	uint64_t start;
	const char *cg;
	size_t cg_len;

	(void)procfs_stat_field(text, size, 22, &start);
	if (procfs_cgroup_path(text, size, &cg, &cg_len) == 0) {
		struct unit_owner u;

		/* The path lies inside the input and is never the root. */
		if (cg < text || cg + cg_len > text + size || (cg_len == 1 && cg[0] == '/'))
			abort();
		if (unit_parse(cg, cg_len, &u) < 0)
			abort();
		/* A name is part of the path, whole: never longer. */
		b.len = 0;
		unit_text(&b, &u);
		if (b.failed || (u.name && strlen(u.name) > cg_len))
			abort();
		/* Below a user's manager only its units and rootless Podman: nothing a user
		 * makes reads as the system's. */
		if ((u.kind == UNIT_USER && !u.user) ||
		    (u.user && u.kind != UNIT_USER && u.kind != UNIT_PODMAN))
			abort();
		unit_owner_free(&u);
	}

	/* SELinux: a mount point inside the input, one field (no space, no newline); a context
	 * inside the input, stopping at the first NUL or newline. */
	const char *mnt;
	size_t mnt_len;
	bool ro;

	(void)selinux_fs_listed(text, size);
	if (selinux_mounts_find(text, size, &mnt, &mnt_len, &ro) == 0 &&
	    (mnt < text || mnt + mnt_len > text + size || !mnt_len ||
	     memchr(mnt, ' ', mnt_len) || memchr(mnt, '\n', mnt_len)))
		abort();
	ssize_t ctx = selinux_context_len(text, size);

	if (ctx == 0 || ctx > (ssize_t)size || (ctx < 0 && ctx != -ENODATA) ||
	    (ctx > 0 && (memchr(text, '\0', (size_t)ctx) || memchr(text, '\n', (size_t)ctx))))
		abort();

	/* Runtime state: a value only with success, whatever the bytes, and valid UTF-8 no longer
	 * than the text (escapes only shrink: \u0000 is refused). */
	for (size_t k = 0; k < 2; k++) {
		char *value = (char *)1;
		int r = k ? container_json_podman(text, size, "abc", &value)
			  : container_json_string(text, size, "Name", &value);

		if ((r == 0) != (value != NULL) || (r != 0 && r != -ENOENT && r != -EINVAL))
			abort();
		size_t n = value ? strlen(value) : 0, step;
		unsigned cp;

		if (n > size)
			abort();
		for (size_t i = 0; i < n; i += step)
			if (!(step = esc_utf8_len((const unsigned char *)value + i, n - i, &cp)))
				abort();
		free(value);
	}
	struct container_proxy proxy;

	if (container_proxy_parse(text, size, &proxy) == 0 &&
	    (proxy.port == 0 || (proxy.family != AF_INET && proxy.family != AF_INET6)))
		abort();

	struct act_unit unit = { .name = strdup("fuzz.socket") };

	if (unit.name && act_parse(&unit, text, size) == 0) {
		for (size_t i = 0; i < unit.nlistens; i++) {
			const struct act_listen *l = &unit.listens[i];

			/* A port is never 0; a unix socket's name is a path or "@name". */
			if (l->path ? l->protocol || (l->path[0] != '/' && l->path[0] != '@') ||
				      !l->path[1] || (l->runtime && l->path[0] != '/')
				    : l->port == 0 || l->type == SOCK_SEQPACKET)
				abort();
		}
		if (act_finish(&unit) == 0 && (!unit.service || !*unit.service))
			abort();
	}
	act_unit_free(&unit);

	/* The /proc/net tables: records only of a whole table, in states ss knows. */
	static const struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6,
					       LSOCK_STATES_ALL };
	struct lsock_vec socks = { 0 };

	for (int f = 0; f < 2; f++) {
		socks.len = 0;
		int r = procnet_parse(&all, f ? AF_INET6 : AF_INET, f ? IPPROTO_UDP : IPPROTO_TCP,
				      text, size, &socks);

		if ((r < 0 && socks.len) || (r < 0 && r != -EBADMSG && r != -ENOMEM))
			abort();
		for (size_t i = 0; i < socks.len; i++)
			if (!socks.v[i].state || socks.v[i].state >= LSOCK_STATE_MAX)
				abort();
	}
	/* /proc/net/sctp: the bytes as eps, as assocs, and split between the two. */
	static const struct diag_query sctp = { DIAG_SCTP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };

	for (int k = 0; k < 3; k++) {
		size_t half = k == 2 ? size / 2 : k ? 0 : size;

		socks.len = 0;
		int r = procnet_sctp_parse(&sctp, text, half, text + half, size - half, &socks);

		if ((r < 0 && socks.len) || (r < 0 && r != -EBADMSG && r != -ENOMEM))
			abort();
		for (size_t i = 0; i < socks.len; i++)
			if (socks.v[i].protocol != IPPROTO_SCTP ||
			    (socks.v[i].family != AF_INET && socks.v[i].family != AF_INET6))
				abort();
	}
	lsock_vec_free(&socks);

	/* sockstat and snmp: a count or -EBADMSG; the summary of whatever was read. */
	struct sockstat st = { .v6 = size & 1 };
	int sr = sockstat_parse(&st, text, size), nr = sockstat_parse_snmp(&st, text, size);
	FILE *null = fopen("/dev/null", "w");
	struct out_summary sum = { size & 2 ? "x" : NULL, &st };

	if ((sr < 0 && sr != -EBADMSG) || (nr < 0 && nr != -EBADMSG && nr != -ENOENT) ||
	    (nr == 0) != st.estab)
		abort();
	if (null) {
		out_summary_text(null, &sum, 1);
		out_summary_json(null, &sum, 1, size & 4);
		fclose(null);
	}

	char *cmd = malloc(size + 1);

	memcpy(cmd, text, size);
	size_t cmd_len = procfs_join_cmdline(cmd, size);

	if (cmd_len > size || memchr(cmd, '\0', cmd_len) || cmd[cmd_len] != '\0')
		abort(); /* one line, terminated, no longer than its arguments */
	free(cmd);

	/* Each escaper's text holds no control byte, no character that reorders, breaks or hides
	 * text, is valid UTF-8, and every '"' in it is escaped: it cannot end the string it is put
	 * in. */
	void (*const escapers[])(struct sbuf *, const char *, size_t) = { esc_term, esc_json,
									   esc_prom };

	check_widths(text, size);
	for (size_t e = 0; e < sizeof(escapers) / sizeof(escapers[0]); e++) {
		b.len = 0;
		escapers[e](&b, text, size);
		if (e == 0 && !b.failed)
			check_widths(b.s, b.len);
		for (size_t i = 0; i < b.len;) {
			unsigned cp;
			size_t n = esc_utf8_len((const unsigned char *)b.s + i, b.len - i, &cp);

			if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
			    cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
			    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
			    cp == 0xfeff)
				abort();
			if (cp == '\\') {
				if (i + 1 >= b.len)
					abort(); /* a lone backslash at the end */
				n = 2;
			} else if (cp == '"') {
				abort();
			}
			i += n;
		}
	}
	sbuf_free(&b);
	return 0;
}
