/* listen: options, then collect, enrich and print. Only this file prints errors or exits. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "listen/activation.h"
#include "listen/audit.h"
#include "listen/bytecode.h"
#include "listen/capture.h"
#include "listen/cgroup.h"
#include "listen/cli.h"
#include "listen/container.h"
#include "listen/diag.h"
#include "listen/fileio.h"
#include "listen/filter.h"
#include "listen/ifaddr.h"
#include "listen/netns.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/scope.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/unit.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_FINDINGS = 3 };

/* One network namespace of the run: its sockets carry its index (lsock.netns). */
struct ns_view {
	struct netns ns;         /* fd -1 for the one listen runs in; label NULL outside -N,
				  * --netns and --all-netns */
	struct ifaddr_table ifs;
	bool have_ifs;           /* ifs was dumped or replayed */
	struct audit_host public; /* its public addresses, for the audit */
};

/* Everything collected and looked up for one run; released by run_free(). */
struct run {
	struct lsock_vec socks;
	struct procfs_map owners;
	struct procfs_info *info; /* of owners.procs, for the audit, JSON and Unit; NULL if not read */
	struct svc_db services;
	struct ns_view *views;   /* at least one */
	size_t nviews;
	bool ns_mode;            /* -N, --netns or --all-netns: say which namespace */
	struct act_db activation; /* the socket units, read when a service manager holds sockets */
	struct container_cache containers;
	int state_dirfd;         /* --state-root or /, for runtime state and unit files; -1 */
	struct cgroup_paths cgroups;
	char *replay;           /* the --replay-netlink capture, for the interfaces in it */
	size_t replay_len;
	bool etc_loaded;        /* services.etc holds /etc/services (or --services-file) */
	void *bytecode;         /* the filter compiled for the kernel, or NULL */
	size_t bytecode_len;
};

static void run_free(struct run *run)
{
	lsock_vec_free(&run->socks);
	procfs_info_free(run->info, run->owners.nprocs);
	procfs_map_free(&run->owners);
	svc_db_free(&run->services);
	for (size_t i = 0; i < run->nviews; i++) {
		netns_free(&run->views[i].ns);
		ifaddr_table_free(&run->views[i].ifs);
	}
	free(run->views);
	act_db_free(&run->activation);
	container_cache_free(&run->containers);
	if (run->state_dirfd >= 0)
		close(run->state_dirfd);
	cgroup_paths_free(&run->cgroups);
	free(run->replay);
	free(run->bytecode);
}

/* Read the --replay-netlink capture once. Prints its error. */
static int load_replay(const struct listen_opts *o, struct run *run)
{
	int r;

	if (run->replay)
		return 0;
	r = fileio_read_all(AT_FDCWD, o->replay_netlink, SIZE_MAX, &run->replay, &run->replay_len);
	if (r < 0)
		fprintf(stderr, "listen: %s: %s\n", o->replay_netlink, strerror(-r));
	return r;
}

static int dump_interfaces(void *view)
{
	struct ns_view *v = view;

	return ifaddr_collect(&v->ifs, NULL);
}

/* The interfaces of a namespace: dumped (inside it), or from the capture being replayed.
 * Failing to dump them is not an error: names fall back to numbers, as ss shows a device that
 * is gone. Prints its errors. */
static int load_interfaces(const struct listen_opts *o, struct run *run, struct ns_view *v)
{
	int r;

	if (v->have_ifs)
		return 0;
	if (o->replay_netlink) {
		r = load_replay(o, run);
		if (r == 0)
			r = ifaddr_replay(&v->ifs, run->replay, run->replay_len);
		if (r == -EBADMSG)
			fprintf(stderr, "listen: %s: not a valid netlink capture\n", o->replay_netlink);
		v->have_ifs = r == 0;
		return r;
	}
	r = netns_call(&v->ns, dump_interfaces, v);
	v->have_ifs = r == 0;
	return r == -ENOMEM ? r : 0;
}

/* The /etc/services names (--services-file), read once. */
static int load_etc_services(const struct listen_opts *o, struct run *run)
{
	int r = 0;

	if (!run->etc_loaded)
		r = svc_table_load(&run->services.etc,
				   o->services_file ? o->services_file : "/etc/services");
	run->etc_loaded = r == 0;
	return r;
}

struct dump {
	const struct diag_query *q;
	struct lsock_vec *socks;
	FILE *capture;
};

static int dump_sockets(void *arg)
{
	struct dump *d = arg;

	return diag_collect(d->q, d->socks, d->capture);
}

/* Dump the sockets of every namespace of the run, each marked with its namespace. With
 * --all-netns a namespace that cannot be entered is skipped, and said so once. */
static int collect_views(const struct listen_opts *o, struct run *run, FILE *capture,
			 const struct diag_query *q)
{
	struct lsock_vec *socks = &run->socks;
	unsigned skipped = 0;
	int r = 0, skip_err = 0;

	for (size_t i = 0; i < run->nviews; i++) {
		struct ns_view *v = &run->views[i];
		struct dump d = { q, socks, capture };
		size_t mark = socks->len;

		r = netns_call(&v->ns, dump_sockets, &d);
		for (size_t k = mark; k < socks->len; k++)
			socks->v[k].netns = (uint16_t)i;
		if (r < 0 && r != -ENOMEM && o->all_netns && v->ns.fd >= 0) {
			socks->len = mark; /* entered but refused, or gone since it was found */
			skipped++;
			skip_err = r;
			r = 0;
			continue;
		}
		if (r == -EPERM) /* setns: entering needs CAP_SYS_ADMIN */
			fprintf(stderr, "listen: cannot enter network namespace %s: %s: run as root\n",
				v->ns.label, strerror(-r));
		if (r < 0)
			return r;
	}
	if (skipped)
		fprintf(stderr, "listen: %u network namespace%s skipped (%s)%s\n", skipped,
			skipped == 1 ? "" : "s", strerror(-skip_err),
			skip_err == -EPERM ? ": run as root to see their sockets" : "");
	return 0;
}

static int collect(const struct listen_opts *o, struct run *run)
{
	struct lsock_vec *socks = &run->socks;
	struct diag_query q = o->query;
	int r;

	q.bytecode = run->bytecode;
	q.bytecode_len = run->bytecode_len;
	if (o->replay_netlink) {
		r = load_replay(o, run);
		if (r < 0)
			return r;
		r = diag_replay(&q, run->replay, run->replay_len, socks);
		if (r < 0) {
			fprintf(stderr, "listen: %s: %s\n", o->replay_netlink,
				r == -EBADMSG ? "not a valid netlink capture" : strerror(-r));
			return r;
		}
		return load_interfaces(o, run, &run->views[0]);
	}

	FILE *capture = NULL;

	if (o->dump_netlink) {
		capture = fopen(o->dump_netlink, "wbe");
		if (!capture || fputs(CAPTURE_MAGIC, capture) == EOF) {
			r = -errno;
			fprintf(stderr, "listen: %s: %s\n", o->dump_netlink, strerror(errno));
			if (capture)
				fclose(capture);
			return r;
		}
	}
	r = collect_views(o, run, capture, &q);
	if (r == 0 && capture) {
		/* A capture always holds the interfaces too, so its replay can name them. */
		r = ifaddr_collect(&run->views[0].ifs, capture);
		run->views[0].have_ifs = r == 0;
		if (r < 0 && r != -ENOMEM && r != -EIO) {
			fprintf(stderr, "listen: cannot dump interfaces: %s\n", strerror(-r));
			fclose(capture);
			return r;
		}
	}
	if (capture && fclose(capture) != 0 && r == 0)
		r = -EIO;
	if (r == -EPROTONOSUPPORT || r == -ENOENT)
		fprintf(stderr, "listen: the kernel has no sock_diag support for TCP/UDP (%s)\n",
			strerror(-r));
	else if (r == -EAGAIN || r == -EINTR)
		fprintf(stderr, "listen: the socket table kept changing during the dump; try again\n");
	else if (r < 0 && r != -EPERM)
		fprintf(stderr, "listen: cannot dump sockets: %s\n", strerror(-r));
	return r;
}

/* The name of the container a namespace's first process is in, into buf; "" if none. */
static int container_of(struct run *run, int proc_dirfd, uint32_t pid, char *buf, size_t size)
{
	struct unit_owner u = { .kind = UNIT_NONE };
	bool nomem = false;
	char *cg = pid ? procfs_read_cgroup(proc_dirfd, pid, &nomem) : NULL;
	int r;

	buf[0] = '\0';
	if (cg)
		unit_parse(cg, strlen(cg), &u);
	free(cg);
	if (nomem)
		return -ENOMEM;
	if (u.kind == UNIT_NONE || u.kind == UNIT_SYSTEM || u.kind == UNIT_USER)
		return 0;
	r = container_name(&run->containers, &u);
	if (r < 0)
		return r;
	if (u.name[0])
		snprintf(buf, size, "%s", u.name);
	else
		unit_text(&u, buf, size);
	return 0;
}

/* The namespaces to look in: the one listen runs in; the one -N or --netns names; or every
 * one with --all-netns. Prints its errors; -EINVAL for a bad name (a usage error). */
static int setup_views(const struct listen_opts *o, struct run *run, int proc_dirfd)
{
	const char *spec = o->netns_name ? o->netns_name : o->netns_spec;
	struct netns_set set = { 0 };
	char err[512];
	int r = 0;

	run->state_dirfd = open(o->state_root ? o->state_root : "/",
				O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	container_cache_init(&run->containers, run->state_dirfd);
	run->ns_mode = o->all_netns || spec;
	if (o->all_netns) {
		r = netns_discover(&set, proc_dirfd, NETNS_RUN_DIR);
		if (r == 0 && set.len > UINT16_MAX + 1u)
			r = -E2BIG;
		if (r < 0) {
			fprintf(stderr, "listen: cannot list network namespaces: %s\n", strerror(-r));
			netns_set_free(&set);
			return r;
		}
		if (set.denied)
			fprintf(stderr, "listen: the network namespaces of %u process%s are not readable: "
				"run as root to see them\n", set.denied, set.denied == 1 ? "" : "es");
		run->views = calloc(set.len, sizeof(*run->views));
		if (!run->views) {
			netns_set_free(&set);
			return -ENOMEM;
		}
		for (size_t i = 0; i < set.len; i++)
			run->views[i].ns = set.v[i]; /* taken over */
		run->nviews = set.len;
		free(set.v);
	} else {
		run->views = calloc(1, sizeof(*run->views));
		if (!run->views)
			return -ENOMEM;
		run->nviews = 1;
		run->views[0].ns = (struct netns){ .fd = -1 };
		if (spec) {
			r = netns_open(&run->views[0].ns, o->netns_name ? NETNS_BY_NAME : NETNS_BY_PID_OR_PATH,
				       spec, proc_dirfd, NETNS_RUN_DIR, err, sizeof(err));
			if (r < 0) {
				fprintf(stderr, "listen: %s\n", err);
				return r == -ENOENT || r == -EINVAL ? -EINVAL : r;
			}
		}
	}
	for (size_t i = 0; run->ns_mode && i < run->nviews && r == 0; i++) {
		struct netns *ns = &run->views[i].ns;
		char container[300] = "";

		if (!ns->host && !ns->name)
			r = container_of(run, proc_dirfd, ns->pid, container, sizeof(container));
		if (r == 0)
			r = netns_label(ns, container);
	}
	return r;
}

/* What the holders belong to beyond their cgroup: container names from the runtimes' state,
 * service managers (socket activation, by the unit files), docker-proxy targets (and, with
 * several namespaces, the one holding the target address). */
static int attribute(const struct listen_opts *o, struct run *run)
{
	bool managers = false, proxies = false;
	int r = 0;

	for (size_t i = 0; i < run->owners.nprocs && r == 0; i++) {
		const struct procfs_proc *p = &run->owners.procs[i];
		struct procfs_info *in = &run->info[i];

		r = container_name(&run->containers, &in->unit);
		in->manager = act_is_manager(p, &in->unit);
		managers |= in->manager;
		in->proxy = in->cmdline && p->name && strcmp(p->name, "docker-proxy") == 0 &&
			    container_proxy_parse(in->cmdline, strlen(in->cmdline), &in->forward) == 0;
		proxies |= in->proxy;
	}
	if (r == 0 && managers && run->state_dirfd >= 0)
		r = act_load(&run->activation, run->state_dirfd);
	for (size_t i = 0; r == 0 && proxies && run->nviews > 1 && i < run->nviews; i++)
		r = load_interfaces(o, run, &run->views[i]);
	for (size_t i = 0; r == 0 && proxies && run->nviews > 1 && i < run->owners.nprocs; i++) {
		struct procfs_info *in = &run->info[i];

		for (size_t k = 0; in->proxy && k < run->nviews && !in->forward_netns; k++) {
			const struct ifaddr_table *t = &run->views[k].ifs;

			for (size_t j = 0; j < t->naddrs; j++)
				if (t->addrs[j].family == in->forward.family &&
				    memcmp(t->addrs[j].addr, in->forward.addr,
					   in->forward.family == AF_INET ? 4 : 16) == 0)
					in->forward_netns = run->views[k].ns.label;
		}
	}
	return r;
}

/* Join the walk started before the dump (it is freed) with the sockets that were kept. */
static int find_owners(const struct listen_opts *o, struct run *run, struct procfs_walk *walk)
{
	struct lsock_vec *s = &run->socks;
	int r = procfs_walk_finish(walk, &run->owners, s->v, s->len);

	if (r < 0) {
		fprintf(stderr, "listen: %s: %s\n", o->proc_root ? o->proc_root : "/proc",
			strerror(-r));
		return r;
	}
	return 0;
}

/* The cgroup v2 paths of the sockets' cgroup ids. Unresolvable ids are not an error: they
 * print as "unreachable:ID", as ss prints them. */
static int find_cgroups(const struct listen_opts *o, struct run *run, int proc_dirfd)
{
	struct lsock_vec *s = &run->socks;
	uint64_t *ids = malloc((s->len ? s->len : 1) * sizeof(*ids));
	char *root = NULL, *mountinfo;
	size_t n = 0, len;
	int r = 0, fd;

	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; i < s->len; i++)
		if ((s->v[i].flags & LSOCK_HAS_CGROUP) && s->v[i].cgroup_id)
			ids[n++] = s->v[i].cgroup_id;
	if (n && !o->cgroup_root && fileio_read_all(proc_dirfd, "self/mountinfo", SIZE_MAX, &mountinfo, &len) == 0) {
		root = cgroup_find_v2(mountinfo, len);
		free(mountinfo);
	}
	const char *dir = o->cgroup_root ? o->cgroup_root : root;

	if (n && dir && (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		r = cgroup_paths_resolve(&run->cgroups, fd, ids, n);
		close(fd);
	}
	free(root);
	free(ids);
	return r == -ENOMEM ? r : 0;
}

/* Whether the Unit column must go by a socket's own cgroup: a row with no holder found. */
static bool wants_socket_units(const struct listen_opts *o, const struct run *run)
{
	if (!o->processes || !o->unit || o->format != CLI_FORMAT_TABLE || o->filter.ports)
		return false;
	for (size_t i = 0; i < run->socks.len; i++) {
		const struct lsock *sk = &run->socks.v[i];

		if (!sk->owner_count && (sk->flags & LSOCK_HAS_CGROUP) && sk->cgroup_id)
			return true;
	}
	return false;
}

/* Whether a socket's interfaces matter: a bound device to name, or an address whose
 * interface the Scope column names. */
static bool wants_interfaces(const struct listen_opts *o, const struct lsock *sk)
{
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;

	if (sk->ifindex)
		return true;
	switch (scope_classify(sk->family, sk->laddr, v6only)) {
	case SCOPE_ALL:
	case SCOPE_ALL_V6:
		/* The audit asks whether the host has a public address to reach it through. */
		return o->action == CLI_AUDIT && lsock_is_listener(sk);
	case SCOPE_LAN:
	case SCOPE_LINK_LOCAL:
	case SCOPE_PUBLIC:
		return o->scope;
	default:
		return false;
	}
}

/* Dump the interfaces if some row needs them. Failing to is not an error: names fall back to
 * numbers, as ss shows a device that is gone. */
static int find_interfaces(const struct listen_opts *o, struct run *run)
{
	int r = 0;

	for (size_t i = 0; i < run->socks.len && r == 0; i++) {
		const struct lsock *sk = &run->socks.v[i];

		if (!run->views[sk->netns].have_ifs && wants_interfaces(o, sk))
			r = load_interfaces(o, run, &run->views[sk->netns]);
	}
	return r;
}

/* The service tables: /etc/services for ss's port names (unless -n) and for ports the
 * embedded table lacks; nmap-services only if a port is still unnamed. */
static int load_services(const struct listen_opts *o, struct run *run, int proc_dirfd)
{
	struct svc_db *db = &run->services;
	bool want_files = false, want_extra = false;
	char *buf;
	size_t len;
	int r;

	db->eph_lo = 1;
	db->eph_hi = 0;
	if (fileio_read_all(proc_dirfd, "sys/net/ipv4/ip_local_port_range", 4096, &buf, &len) == 0) {
		if (svc_parse_port_range(buf, len, &db->eph_lo, &db->eph_hi) < 0) {
			db->eph_lo = 1;
			db->eph_hi = 0;
		}
		free(buf);
	}
	for (size_t i = 0; o->services && i < run->socks.len && !want_files; i++) {
		const struct lsock *sk = &run->socks.v[i];

		want_files = svc_wants_files(db, sk->lport, sk->protocol) ||
			     svc_wants_files(db, sk->rport, sk->protocol);
	}
	if (o->numeric && !want_files)
		return 0;
	r = load_etc_services(o, run);
	if (r < 0 || !want_files)
		return r;
	for (size_t i = 0; i < run->socks.len && !want_extra; i++) {
		const struct lsock *sk = &run->socks.v[i];

		want_extra = (svc_wants_files(db, sk->lport, sk->protocol) &&
			      !svc_name(&db->etc, sk->lport, sk->protocol)) ||
			     (svc_wants_files(db, sk->rport, sk->protocol) &&
			      !svc_name(&db->etc, sk->rport, sk->protocol));
	}
	if (!want_extra)
		return 0;
	return svc_table_load(&db->extra, o->nmap_services_file ? o->nmap_services_file
								: "/usr/share/nmap/nmap-services");
}

/* Colour for --color=auto: a terminal, and the user has not asked for none (no-color.org). */
static bool use_color(const struct listen_opts *o)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->color != CLI_COLOR_AUTO)
		return o->color == CLI_COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
	       !(term && strcmp(term, "dumb") == 0);
}

/* The name of a device: from the interface dump, else its number as ss prints it. */
static const char *ifname(const struct ns_view *v, uint32_t index, char *buf, size_t size)
{
	const struct ifaddr_link *l;

	if (index == 0)
		return NULL;
	l = ifaddr_link(&v->ifs, index);
	if (l)
		return l->name;
	snprintf(buf, size, "if%u", index);
	return buf;
}

/* Room for the device names of one row. */
struct row_names {
	char dev[IF_NAMESIZE + 16], scope_dev[IF_NAMESIZE + 16];
};

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Look-ups for the filter's names: services from /etc/services and the embedded table,
 * devices from the interfaces (the capture's when replaying), hosts from the resolver. */
struct resolver {
	const struct listen_opts *o;
	struct run *run;
};

static int resolve_service(void *ctx, const char *name, unsigned protocols, uint16_t *port)
{
	struct resolver *rs = ctx;
	int r = load_etc_services(rs->o, rs->run);

	return r < 0 ? r : svc_port_by_name(&rs->run->services, name, protocols, port);
}

static int resolve_device(void *ctx, const char *name, uint32_t *index)
{
	struct resolver *rs = ctx;
	/* In the namespace shown (the host's with --all-netns). */
	const struct ifaddr_table *t = &rs->run->views[0].ifs;
	int r = load_interfaces(rs->o, rs->run, &rs->run->views[0]);

	if (r < 0)
		return r;
	for (size_t i = 0; i < t->nlinks; i++) {
		if (strcmp(t->links[i].name, name) == 0) {
			*index = t->links[i].index;
			return 0;
		}
	}
	return -ENOENT;
}

static int resolve_host(void *ctx, const char *name, struct filter_prefix *out, size_t max,
			size_t *n)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int e = getaddrinfo(name, NULL, &hints, &res);

	(void)ctx;
	if (e == EAI_MEMORY)
		return -ENOMEM;
	if (e)
		return -ENOENT;
	*n = 0;
	for (ai = res; ai && *n < max; ai = ai->ai_next) {
		struct filter_prefix p = { 0 };

		if (ai->ai_family == AF_INET) {
			p.family = AF_INET;
			p.bits = 32;
			memcpy(p.addr, &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6) {
			p.family = AF_INET6;
			p.bits = 128;
			memcpy(p.addr, &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		bool seen = false;

		for (size_t k = 0; k < *n && !seen; k++)
			seen = memcmp(&out[k], &p, sizeof(p)) == 0;
		if (!seen)
			out[(*n)++] = p;
	}
	freeaddrinfo(res);
	return 0;
}

/* Resolve the filter's names and compile it for the kernel. Prints its errors; returns 0,
 * -EINVAL for a bad filter (a usage error), or another negative errno. */
static int prepare_filter(struct listen_opts *o, struct run *run)
{
	struct resolver rs = { o, run };
	struct filter_env env = { &rs, resolve_service, resolve_device, resolve_host };
	struct filter_error err;
	int r = filter_resolve(&o->filter, &env, o->query.protocols, &err);

	if (r == -EINVAL) {
		fprintf(stderr, "listen: filter: %s at word %u\n", err.msg, err.word);
		return r;
	}
	if (r == 0 && !o->no_bytecode)
		r = bytecode_compile(&o->filter, &run->bytecode, &run->bytecode_len);
	if (r == -ENOMEM)
		fprintf(stderr, "listen: out of memory\n");
	return r;
}

/* Keep the records the filter selects. The kernel ran its bytecode already; this pass is
 * what makes the result right on its own. */
static void apply_filter(const struct filter *f, struct lsock_vec *v)
{
	size_t k = 0;

	if (f->root == FILTER_NONE)
		return;
	for (size_t i = 0; i < v->len; i++)
		if (filter_match(f, &v->v[i]))
			v->v[k++] = v->v[i];
	v->len = k;
}

/* "listen: no listening TCP or UDP socket on :8080" for the owner view. */
static void report_nothing(const struct listen_opts *o)
{
	unsigned p = o->query.protocols;

	fprintf(stderr, "listen: no %s%s socket on %s\n",
		o->query.states == LSOCK_STATES_LISTENING ? "listening " : "",
		p == DIAG_TCP ? "TCP" : p == DIAG_UDP ? "UDP" : "TCP or UDP", o->filter.port_text);
}

/* Everything known about one socket, for the table and the audit. */
static struct out_row enrich(const struct listen_opts *o, const struct run *run,
			     const struct lsock *sk, struct row_names *n)
{
	const struct svc_db *names = o->numeric ? NULL : &run->services;
	const struct ns_view *v = &run->views[sk->netns];
	const struct act_unit *act = NULL;
	struct svc_ref sv = { 0 };
	uint32_t scope_if;
	enum scope_class scope = scope_of(sk, &v->ifs, &scope_if);
	bool exposed = lsock_is_listener(sk) && scope_exposed(scope), activated = false;

	if (o->services)
		sv = svc_lookup(&run->services, sk->lport, sk->rport, sk->protocol);
	/* Held by a service manager: socket activation, by the unit listening here. */
	for (size_t i = 0; run->info && i < sk->owner_count && !activated; i++) {
		const struct procfs_owner *ow = &run->owners.owners[sk->owner_first + i];

		if (run->info[ow->proc].manager) {
			activated = true;
			act = act_find(&run->activation, sk, ow->pid != 1);
		}
	}
	return (struct out_row){
		.sk = sk,
		.netns = v->ns.label,
		.netns_inode = v->ns.ino,
		.netns_other = v->ns.label && !v->ns.host,
		.activated = activated,
		.socket_unit = act ? act->name : NULL,
		.activates = act ? act->service : NULL,
		.ifname = ifname(v, sk->ifindex, n->dev, sizeof(n->dev)),
		.lservice = names ? svc_port_name(names, sk->lport, sk->protocol) : NULL,
		.rservice = names ? svc_port_name(names, sk->rport, sk->protocol) : NULL,
		.cgroup = o->extended ? cgroup_path(&run->cgroups, sk->cgroup_id) : NULL,
		.sock_cgroup = sk->owner_count ? NULL : cgroup_path(&run->cgroups, sk->cgroup_id),
		.service = sv.name,
		.service_peer = sv.peer,
		.svc = sv.info,
		.scope = scope,
		.scope_ifname = ifname(v, scope_if, n->scope_dev, sizeof(n->scope_dev)),
		.exposed = exposed,
		.warn = exposed && sv.info && !sv.peer && sv.info->note,
		.owners = sk->owner_count ? run->owners.owners + sk->owner_first : NULL,
		.nowners = sk->owner_count,
		.procs = run->owners.procs,
		.info = run->info,
		.owners_unknown = o->processes && run->owners.denied && sk->inode &&
				  !sk->owner_count,
	};
}

static int print(const struct listen_opts *o, struct run *run)
{
	static const struct out_backend *const backends[] = {
		[CLI_FORMAT_TABLE] = &out_table, [CLI_FORMAT_JSON] = &out_json,
		[CLI_FORMAT_JSON_LINES] = &out_json, [CLI_FORMAT_PROM] = &out_prom,
	};
	const struct out_backend *be = backends[o->format];
	uint32_t states = o->query.states;
	bool tty = isatty(STDOUT_FILENO);
	struct out_opts oo = {
		.header = o->header,
		.netid = o->query.protocols == (DIAG_TCP | DIAG_UDP),
		.state = (states & (states - 1)) != 0,
		.processes = o->processes,
		.extended = o->extended,
		.services = o->services,
		.scope = o->scope,
		.color = use_color(o),
		.summary = tty && o->header,
		.lines = o->format == CLI_FORMAT_JSON_LINES,
		/* The Netns column with --all-netns; netns in JSON and metrics with any of them. */
		.netns = o->format == CLI_FORMAT_TABLE ? o->all_netns : run->ns_mode,
		.unit = o->processes && o->unit,
	};
	struct winsize ws;
	void *state;
	int r = 0;

	if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		oo.width = ws.ws_col;
	state = be->begin(stdout, &oo);
	if (!state)
		return -ENOMEM;
	for (int pass = be->measure ? 0 : 1; pass < 2; pass++) {
		for (size_t i = 0; i < run->socks.len && r == 0; i++) {
			struct row_names names;
			struct out_row row = enrich(o, run, &run->socks.v[i], &names);

			r = pass == 0 ? be->measure(state, &row) : be->row(state, &row);
		}
	}
	int e = be->end(state);

	return r ? r : e;
}

/* Every socket enriched, in *rows, with the device names they point to in *names; free
 * both. Returns 0 or -ENOMEM. */
static int enrich_all(const struct listen_opts *o, const struct run *run, struct out_row **rows,
		      struct row_names **names)
{
	size_t n = run->socks.len ? run->socks.len : 1;

	*rows = malloc(n * sizeof(**rows));
	*names = malloc(n * sizeof(**names));
	if (!*rows || !*names)
		return -ENOMEM;
	for (size_t i = 0; i < run->socks.len; i++)
		(*rows)[i] = enrich(o, run, &run->socks.v[i], &(*names)[i]);
	return 0;
}

/* The owner view of `listen :PORT`. */
static int print_owners(const struct listen_opts *o, struct run *run)
{
	struct out_owners_opts oo = { .now = o->now ? o->now : (uint64_t)time(NULL) };
	struct row_names *names = NULL;
	struct out_row *rows = NULL;
	int r = enrich_all(o, run, &rows, &names);

	if (r == 0)
		r = out_owners(stdout, rows, run->socks.len, &oo);
	free(rows);
	free(names);
	return r;
}

/* --pids: the holders' pids, ascending, one per line. */
static int print_pids(const struct run *run)
{
	size_t n = run->owners.nprocs;
	uint32_t *pids = malloc((n ? n : 1) * sizeof(*pids));

	if (!pids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		pids[i] = run->owners.procs[i].pid;
	qsort(pids, n, sizeof(*pids), u32_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || pids[i] != pids[i - 1])
			printf("%u\n", pids[i]);
	free(pids);
	return ferror(stdout) ? -errno : 0;
}

/* The audit instead of the table: findings from the listeners, checked against the allow-list.
 * Sets *failed when an unapproved finding reaches --fail-on. */
static int audit(const struct listen_opts *o, struct run *run,
		 const struct audit_allow *allow, bool *failed)
{
	size_t n = run->socks.len;
	struct audit_sock *socks = malloc((n ? n : 1) * sizeof(*socks));
	struct row_names *names = NULL;
	struct out_row *rows = NULL;
	struct audit a = { 0 };
	int r = -ENOMEM;

	if (!socks || enrich_all(o, run, &rows, &names) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct out_row *row = &rows[i];

		socks[i] = (struct audit_sock){
			.sk = row->sk, .scope = row->scope, .scope_ifname = row->scope_ifname,
			.svc = { .name = row->service, .info = row->svc, .peer = row->service_peer },
			.owners = row->owners, .nowners = row->nowners,
			.owners_unknown = row->owners_unknown,
			.netns = row->netns_other ? row->netns : NULL,
			.reach = &run->views[row->sk->netns].public,
		};
	}
	/* Each namespace is reached through its own interfaces' addresses. */
	for (size_t i = 0; i < run->nviews; i++) {
		struct ns_view *v = &run->views[i];

		v->public.public4 = scope_public_address(&v->ifs, AF_INET, v->public.addr4);
		v->public.public6 = scope_public_address(&v->ifs, AF_INET6, v->public.addr6);
	}
	r = audit_build(&a, socks, n, run->owners.procs, &run->services, &run->views[0].public);
	if (r < 0)
		goto out;
	audit_apply_allow(&a, allow, run->owners.procs);
	*failed = audit_fails(&a, (enum svc_risk)o->fail_on);
	if (o->format == CLI_FORMAT_JSON)
		r = audit_print_json(stdout, &a, run->owners.procs, run->info,
				     (enum svc_risk)o->fail_on);
	else
		r = audit_print(stdout, &a, run->owners.procs, run->info, use_color(o));
out:
	audit_free(&a);
	free(rows);
	free(names);
	free(socks);
	return r;
}

/* Read the allow-list for --audit: --allow's file must exist, the default need not. Prints
 * its own errors; returns 0 or a negative errno (-EINVAL for a bad file: a usage error). */
static int load_allow(const struct listen_opts *o, struct audit_allow *allow)
{
	const char *path = o->allow_file ? o->allow_file : CLI_DEFAULT_ALLOW;
	char *buf, err[160];
	size_t len;
	unsigned line;
	int r = fileio_read_all(AT_FDCWD, path, 16 << 20, &buf, &len);

	if (r == -ENOENT && !o->allow_file)
		return 0;
	if (r < 0) {
		fprintf(stderr, "listen: %s: %s\n", path, strerror(-r));
		return r == -ENOMEM ? r : -EINVAL;
	}
	r = audit_allow_parse(allow, buf, len, &line, err, sizeof(err));
	free(buf);
	if (r == -EINVAL)
		fprintf(stderr, "listen: %s:%u: %s\n", path, line, err);
	else if (r < 0)
		fprintf(stderr, "listen: out of memory\n");
	return r;
}

static int run_listen(struct listen_opts *o, const struct audit_allow *allow)
{
	bool failed = false, empty = false;
	struct procfs_walk *walk = NULL;
	struct run run = { .state_dirfd = -1 };
	int proc_dirfd = -1, r;

	/* /proc gives the ephemeral port range too; only -p and -e cannot do without it. */
	const char *proc = o->proc_root ? o->proc_root : "/proc";

	proc_dirfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = setup_views(o, &run, proc_dirfd);
	if (r == 0)
		r = prepare_filter(o, &run);
	if (r == -EINVAL) {
		if (proc_dirfd >= 0)
			close(proc_dirfd);
		run_free(&run);
		return EXIT_USAGE;
	}
	if (r == -ENOMEM)
		goto nomem;
	if (r == 0 && proc_dirfd < 0 && (o->processes || o->extended)) {
		r = -errno;
		fprintf(stderr, "listen: %s: %s\n", proc, strerror(errno));
	}
	/* The fd tables are read on other threads while this one dumps the sockets. */
	if (r == 0 && o->processes && (r = procfs_walk_start(&walk, proc_dirfd, 0)) < 0)
		fprintf(stderr, "listen: %s: %s\n", proc, strerror(-r));
	if (r == 0)
		r = collect(o, &run);
	if (r < 0)
		goto out;
	apply_filter(&o->filter, &run.socks);
	if (walk) {
		r = find_owners(o, &run, walk);
		walk = NULL;
		if (r < 0)
			goto out;
	}
	/* Command lines, executables and users of the holders: read once each, after the walk;
	 * for the table's Unit column only what it needs. */
	if (o->processes && !o->pids) {
		bool all = o->action == CLI_AUDIT || o->format == CLI_FORMAT_JSON ||
			   o->format == CLI_FORMAT_JSON_LINES || o->filter.ports;

		if ((all || (o->unit && o->format == CLI_FORMAT_TABLE)) &&
		    ((r = procfs_read_info(proc_dirfd, &run.owners,
					   all ? PROCFS_INFO_ALL : PROCFS_INFO_UNIT, &run.info)) < 0 ||
		     (r = attribute(o, &run)) < 0))
			goto nomem;
	}
	r = load_services(o, &run, proc_dirfd);
	if (r == 0)
		r = find_interfaces(o, &run);
	if (r == 0 && (o->extended || wants_socket_units(o, &run)))
		r = find_cgroups(o, &run, proc_dirfd);
	if (r < 0)
		goto nomem;

	if (o->action == CLI_AUDIT)
		r = audit(o, &run, allow, &failed);
	else if (o->pids)
		r = print_pids(&run);
	else if (o->filter.ports && o->format == CLI_FORMAT_TABLE)
		r = print_owners(o, &run);
	else
		r = print(o, &run);
	if (r == 0 && fflush(stdout) != 0)
		r = -errno;
	if (r == -EPIPE) {
		goto out; /* the reader went away: `listen | head` ends quietly */
	} else if (r == -ENOMEM) {
		goto nomem;
	} else if (r < 0) {
		fprintf(stderr, "listen: write error: %s\n", strerror(-r));
		goto out;
	}
	/* Like grep: the owner view and --pids exit 1 when they found nothing. */
	empty = o->pids ? run.owners.nprocs == 0 : o->filter.ports && run.socks.len == 0;
	if (o->filter.ports && run.socks.len == 0)
		report_nothing(o);
	if (o->processes && run.owners.denied) {
		size_t hidden = procfs_unowned(run.socks.v, run.socks.len);

		if (hidden)
			fprintf(stderr,
				"listen: owners of %zu socket%s hidden (%u process%s not readable): "
				"run as root to see them\n",
				hidden, hidden == 1 ? "" : "s", run.owners.denied,
				run.owners.denied == 1 ? "" : "es");
	}
	goto out;
nomem:
	fprintf(stderr, "listen: out of memory\n");
out:
	procfs_walk_cancel(walk);
	if (proc_dirfd >= 0)
		close(proc_dirfd);
	run_free(&run);
	if (r < 0 || empty)
		return EXIT_RUNTIME;
	return failed ? EXIT_FINDINGS : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct listen_opts o;
	char err[256];

	int r = cli_parse(&o, argc, argv, err, sizeof(err));

	if (r < 0) {
		fprintf(stderr, "listen: %s\n", r == -ENOMEM ? "out of memory" : err);
		cli_free(&o);
		return r == -ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
	}
	if (o.action == CLI_HELP) {
		cli_usage(stdout);
		cli_free(&o);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_RUNTIME;
	}
	if (o.action == CLI_VERSION) {
		puts("listen " LISTEN_VERSION);
		cli_free(&o);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_RUNTIME;
	}
	struct audit_allow allow = { 0 };
	int status;

	if (o.action == CLI_AUDIT) {
		r = load_allow(&o, &allow);
		if (r < 0) {
			audit_allow_free(&allow);
			cli_free(&o);
			return r == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
		}
	}
	status = run_listen(&o, &allow);
	audit_allow_free(&allow);
	cli_free(&o);
	return status;
}
