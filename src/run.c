/*
 * Everything one run of listen collects and looks up, before anything is printed: the
 * namespaces to look in, the sockets in each, their holders and what those belong to, the
 * service tables, interfaces and cgroup paths, and the filter's names. With main.c it is the
 * program layer: these print their own errors (one line each) and return negative errnos.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen/activation.h"
#include "listen/capture.h"
#include "listen/cgroup.h"
#include "listen/container.h"
#include "listen/diag.h"
#include "listen/enrich.h"
#include "listen/fileio.h"
#include "listen/filter.h"
#include "listen/firewall.h"
#include "listen/holders.h"
#include "listen/ifaddr.h"
#include "listen/priv.h"
#include "listen/procfs.h"
#include "listen/procnet.h"
#include "listen/sbuf.h"
#include "listen/scope.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/unit.h"
#include "listen/unixdiag.h"
#include "listen/packetdiag.h"
#include "listen/unixfile.h"
#include "listen/vsockdiag.h"
#include "run.h"

/* How long -r waits for the resolver in all: a slow or dead DNS server must not hang the
 * run. */
#define RUN_RESOLVE_MS 2000u

void run_report(const char *what, int r)
{
	struct rlimit rl;

	if (r == -ENOMEM)
		fprintf(stderr, "listen: out of memory\n");
	else if (r == -EMFILE && getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fprintf(stderr, "listen: %s: %s (at most %llu open at once: raise ulimit -n)\n",
			what, strerror(-r), (unsigned long long)rl.rlim_cur);
	else
		fprintf(stderr, "listen: %s: %s\n", what, fileio_strerror(r));
}

void run_free(struct run *run)
{
	lsock_vec_free(&run->socks);
	procfs_info_free(run->info, run->owners.nprocs);
	free(run->holders);
	selinux_contexts_free(&run->contexts);
	procfs_map_free(&run->owners);
	svc_db_free(&run->services);
	ipproto_free(&run->ipprotos);
	for (size_t i = 0; i < run->nviews; i++) {
		netns_free(&run->views[i].ns);
		ifaddr_table_free(&run->views[i].ifs);
		fw_ruleset_free(&run->views[i].fw);
	}
	free(run->views);
	act_db_free(&run->activation);
	container_cache_free(&run->containers);
	if (run->state_dirfd >= 0)
		close(run->state_dirfd);
	cgroup_paths_free(&run->cgroups);
	hostnames_free(&run->hosts);
	if (run->proc_dirfd >= 0)
		close(run->proc_dirfd);
	free(run->replay);
	free(run->bytecode);
	free(run->held);
	procfs_self_free(&run->self);
	unixfile_set_free(&run->unixfiles);
}

static int dump_interfaces(void *view)
{
	struct ns_view *v = view;

	return ifaddr_collect(&v->ifs, NULL);
}

/* The interfaces of a namespace: dumped (inside it), or from the capture being replayed.
 * Failing to dump them is not an error: names fall back to numbers, as ss shows a device that
 * is gone; running short of descriptors or memory is (scopes and the audit's public addresses
 * would be missing). Prints its errors. */
static int load_interfaces(const struct listen_opts *o, struct run *run, struct ns_view *v)
{
	int r;

	if (v->have_ifs)
		return 0;
	if (o->replay_netlink) {
		r = run_load_replay(o, run);
		if (r == 0)
			r = ifaddr_replay(&v->ifs, run->replay, run->replay_len);
		if (r == -EBADMSG)
			fprintf(stderr, "listen: %s: not a valid netlink capture\n",
				o->replay_netlink);
		v->have_ifs = r == 0;
		return r;
	}
	r = netns_call(&v->ns, dump_interfaces, v);
	v->have_ifs = r == 0;
	if (!fileio_exhausted(r))
		return 0;
	run_report("cannot dump interfaces", r);
	return r;
}

int run_interfaces(const struct listen_opts *o, struct run *run, struct ns_view *v)
{
	return load_interfaces(o, run, v);
}

/* What the holders belong to beyond their cgroup: container names from the runtimes' state,
 * service managers (socket activation, by the unit files), docker-proxy targets (and, with
 * several namespaces, the one holding the target address). Prints its errors. */
static int run_attribute(const struct listen_opts *o, struct run *run)
{
	bool managers = false, proxies = false;
	int r = 0;

	run->holders = calloc(run->owners.nprocs ? run->owners.nprocs : 1, sizeof(*run->holders));
	if (!run->holders) {
		run_report(NULL, -ENOMEM);
		return -ENOMEM;
	}
	/* The runtimes keep their state where only root looks (/var/lib/docker is 0710). */
	priv_raise(PRIV_PROCS);
	for (size_t i = 0; i < run->owners.nprocs && r == 0; i++)
		r = container_name(&run->containers, &run->info[i].unit);
	priv_lower();
	for (size_t i = 0; i < run->owners.nprocs && r == 0; i++) {
		const struct procfs_proc *p = &run->owners.procs[i];
		const struct procfs_info *in = &run->info[i];
		struct enrich_holder *h = &run->holders[i];

		prog_identify(in->exe, in->exe_deleted, p->name, in->cmdline, &h->id);
		h->manager = act_is_manager(p, &in->unit);
		managers |= h->manager;
		h->proxy = in->cmdline && p->name && strcmp(p->name, "docker-proxy") == 0 &&
			   container_proxy_parse(in->cmdline, strlen(in->cmdline),
						 &h->forward) == 0;
		proxies |= h->proxy;
	}
	if (r == 0 && managers && run->state_dirfd >= 0)
		r = act_load(&run->activation, run->state_dirfd);
	if (r < 0) {
		run_report("cannot read containers' and units' state", r);
		return r;
	}
	for (size_t i = 0; r == 0 && proxies && run->nviews > 1 && i < run->nviews; i++)
		r = load_interfaces(o, run, &run->views[i]);
	for (size_t i = 0; r == 0 && proxies && run->nviews > 1 && i < run->owners.nprocs; i++) {
		struct enrich_holder *h = &run->holders[i];

		for (size_t k = 0; h->proxy && k < run->nviews && !h->forward_netns; k++) {
			const struct ifaddr_table *t = &run->views[k].ifs;

			for (size_t j = 0; j < t->naddrs; j++)
				if (t->addrs[j].family == h->forward.family &&
				    memcmp(t->addrs[j].addr, h->forward.addr,
					   h->forward.family == AF_INET ? 4 : 16) == 0)
					h->forward_netns = run->views[k].ns.label;
		}
	}
	return r;
}

/* Whether the Unit column must go by a socket's own cgroup: a row with no holder found. */
static bool wants_socket_units(const struct run *run)
{
	if (!run->plan->socket_units)
		return false;
	for (size_t i = 0; i < run->socks.len; i++) {
		const struct lsock *sk = &run->socks.v[i];

		if (!sk->owner_count && (sk->flags & LSOCK_HAS_CGROUP) && sk->cgroup_id)
			return true;
	}
	return false;
}

/* The cgroup v2 paths of the sockets' cgroup ids. Unresolvable ids are not an error: they
 * print as "unreachable:ID", as ss prints them; running short of descriptors or memory is.
 * Resolved for -e, and for the Unit column when a row has no holder to go by. Prints its
 * errors. */
static int run_find_cgroups(const struct listen_opts *o, struct run *run, int proc_dirfd)
{
	if (!run->plan->cgroup_paths && !wants_socket_units(run))
		return 0;
	struct lsock_vec *s = &run->socks;
	uint64_t *ids = malloc((s->len ? s->len : 1) * sizeof(*ids));
	char *root = NULL, *mountinfo;
	size_t n = 0, len;
	int r = 0, fd = -1;

	if (!ids) {
		run_report(NULL, -ENOMEM);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->len; i++)
		if ((s->v[i].flags & LSOCK_HAS_CGROUP) && s->v[i].cgroup_id)
			ids[n++] = s->v[i].cgroup_id;
	if (n && !o->cgroup_root) {
		r = fileio_read_all(proc_dirfd, "self/mountinfo", SIZE_MAX, &mountinfo, &len);
		if (r == 0) {
			root = cgroup_find_v2(mountinfo, len);
			free(mountinfo);
			if (!root && errno == ENOMEM)
				r = -ENOMEM;
		}
	}
	const char *dir = o->cgroup_root ? o->cgroup_root : root;

	if (fileio_exhausted(r))
		run_report("cannot find the cgroup hierarchy", r);
	else if (n && dir && (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		r = -errno;
	else if (n && dir)
		r = cgroup_paths_resolve(&run->cgroups, fd, ids, n);
	if (fd >= 0)
		close(fd);
	if (fileio_exhausted(r) && dir)
		run_report(dir, r);
	free(root);
	free(ids);
	return fileio_exhausted(r) ? r : 0;
}

/* Who may connect to the unix sockets bound to a path: their files' owners, groups and modes
 * and the directories on the way, from the host's root, else through a holder's
 * /proc/PID/root. Root follows only root's links. Prints its errors. */
static int run_find_unix_files(const struct listen_opts *o, struct run *run)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), r;

	if (root < 0) {
		r = -errno;
		run_report("/", r);
		return r;
	}
	r = unixfile_collect(&run->unixfiles, run->socks.v, run->socks.len, root,
			     run->proc_dirfd, run->plan->owners ? &run->owners : NULL,
			     geteuid() == 0);
	close(root);
	if (r < 0)
		run_report(o->proc_root ? o->proc_root : "/proc", r);
	return r;
}

/* Whether a socket's interfaces matter: a bound device to name, or an address whose
 * interface the Scope column names. */
static bool wants_interfaces(const struct plan *p, const struct lsock *sk)
{
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;

	if (sk->family == AF_VSOCK) /* no address of IP's in lsock.vs */
		return false;
	if (sk->ifindex)
		return true;
	switch (scope_classify(sk->family, sk->laddr, v6only)) {
	case SCOPE_ALL:
	case SCOPE_ALL_V6:
		/* The audit asks whether the host has a public address to reach it through. */
		return p->public_addresses && lsock_is_listener(sk);
	case SCOPE_LAN:
	case SCOPE_LINK_LOCAL:
	case SCOPE_PUBLIC:
		return p->scope;
	default:
		return false;
	}
}

/* -r: the addresses' host names, within RUN_RESOLVE_MS; those not asked in time are said. */
static int run_find_hosts(struct run *run)
{
	int r;

	hostnames_free(&run->hosts);
	r = hostnames_resolve(&run->hosts, run->socks.v, run->socks.len, NULL, RUN_RESOLVE_MS);
	if (r < 0)
		run_report(NULL, r);
	else if (run->hosts.unasked)
		fprintf(stderr, "listen: -r: the resolver took over %u ms: %zu address%s shown as "
			"numbers\n", RUN_RESOLVE_MS, run->hosts.unasked,
			run->hosts.unasked == 1 ? "" : "es");
	return r;
}

/* Dump the interfaces if some row needs them. Failing to is not an error: names fall back to
 * numbers, as ss shows a device that is gone. */
static int run_find_interfaces(const struct listen_opts *o, struct run *run)
{
	int r = 0;

	for (size_t i = 0; i < run->socks.len && r == 0; i++) {
		const struct lsock *sk = &run->socks.v[i];

		if (!run->views[sk->netns].have_ifs && wants_interfaces(run->plan, sk))
			r = load_interfaces(o, run, &run->views[sk->netns]);
	}
	return r; /* printed */
}

/* /etc/protocols, for the names ss prints for raw sockets' protocols (unless -n): read when
 * there is a raw socket to name. */
static int run_load_ipprotos(struct run *run)
{
	int r = 0;

	for (size_t i = 0; run->plan->port_names && i < run->socks.len; i++) {
		const struct lsock *sk = &run->socks.v[i];

		if (sk->protocol == IPPROTO_RAW && sk->family != AF_PACKET) {
			r = ipproto_load(&run->ipprotos, "/etc/protocols");
			if (r < 0)
				run_report("/etc/protocols", r);
			break;
		}
	}
	return r;
}

/* The service tables: /etc/services for ss's port names (unless -n) and for ports the
 * embedded table lacks; nmap-services only if a port is still unnamed. */
static int run_load_services(const struct listen_opts *o, struct run *run, int proc_dirfd)
{
	struct svc_db *db = &run->services;
	bool want_files = false, want_extra = false;
	char *buf;
	size_t len;
	int r;

	db->eph_lo = 1;
	db->eph_hi = 0;
	r = fileio_read_all(proc_dirfd, "sys/net/ipv4/ip_local_port_range", 4096, &buf, &len);
	if (fileio_exhausted(r)) {
		run_report("cannot read the ephemeral port range", r);
		return r;
	}
	if (r == 0) {
		if (svc_parse_port_range(buf, len, &db->eph_lo, &db->eph_hi) < 0) {
			db->eph_lo = 1;
			db->eph_hi = 0;
		}
		free(buf);
	}
	r = run_load_ipprotos(run);
	if (r < 0)
		return r;
	for (size_t i = 0; run->plan->services && i < run->socks.len && !want_files; i++) {
		const struct lsock *sk = &run->socks.v[i];

		if (!lsock_is_inet_transport(sk))
			continue;
		want_files = svc_wants_files(db, sk->lport, sk->protocol) ||
			     svc_wants_files(db, sk->rport, sk->protocol);
	}
	if (!run->plan->port_names && !want_files)
		return 0;
	r = run_load_etc_services(o, run);
	if (r < 0)
		run_report(o->services_file ? o->services_file : "/etc/services", r);
	if (r < 0 || !want_files)
		return r;
	for (size_t i = 0; i < run->socks.len && !want_extra; i++) {
		const struct lsock *sk = &run->socks.v[i];

		if (!lsock_is_inet_transport(sk))
			continue;
		want_extra = (svc_wants_files(db, sk->lport, sk->protocol) &&
			      !svc_name(&db->etc, sk->lport, sk->protocol)) ||
			     (svc_wants_files(db, sk->rport, sk->protocol) &&
			      !svc_name(&db->etc, sk->rport, sk->protocol));
	}
	if (!want_extra)
		return 0;
	const char *nmap = o->nmap_services_file ? o->nmap_services_file
						 : "/usr/share/nmap/nmap-services";

	r = svc_table_load(&db->extra, nmap);
	if (r < 0)
		run_report(nmap, r);
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

/* --user's names as uids, from the passwd database. Prints its errors; -EINVAL for a name it
 * does not hold. */
static int resolve_users(struct listen_opts *o)
{
	const char *unknown = NULL;
	int r = holders_resolve_users(&o->holders, &unknown);

	if (r == -ENOENT) {
		fprintf(stderr, "listen: --user: no user '%s'\n", unknown);
		return -EINVAL;
	}
	if (r < 0)
		run_report("the passwd database", r);
	return r;
}

/* Keep the sockets a --process or --user holder holds, and mark those holders (for --pids).
 * The sockets whose holders are hidden are counted first: they may have matched. */
static int select_holders(const struct listen_opts *o, struct run *run)
{
	const struct procfs_map *m = &run->owners;

	run->unowned = procfs_unowned(run->socks.v, run->socks.len);
	if (!run->plan->holders)
		return 0;
	run->held = calloc(m->nprocs ? m->nprocs : 1, sizeof(*run->held));
	if (!run->held) {
		run_report(NULL, -ENOMEM);
		return -ENOMEM;
	}
	run->socks.len = holders_select(&o->holders, m, run->held, run->socks.v, run->socks.len);
	for (size_t i = 0; i < m->nprocs; i++)
		run->nheld += run->held[i];
	return 0;
}

/* What listen is, and a second look at each process it could not read (when a socket has no
 * holder found): why, for the notice and for what the views say of a hidden holder. Prints
 * its errors. */
static int explain_denials(const struct listen_opts *o, struct run *run)
{
	int r = procfs_read_self(run->proc_dirfd, &run->self);

	if (r == 0 && run->unowned && run->owners.ndenials) {
		priv_raise(PRIV_PROCS); /* under hidepid, the others' entries */
		r = procfs_examine_denials(run->proc_dirfd, run->owners.denials,
					   &run->owners.ndenials, run->self.privileged);
		priv_lower();
		run->owners.denied = (unsigned)run->owners.ndenials; /* zombies hide nothing */
	}
	if (r < 0)
		run_report(o->proc_root ? o->proc_root : "/proc", r);
	return r;
}

/* Read the holders' details the plan asks for: command lines, executables, users (those
 * from the name service, without privilege), units, containers. */
static int read_details(const struct listen_opts *o, struct run *run)
{
	const struct plan *plan = run->plan;
	enum procfs_info_what what = plan->details == PLAN_DETAILS_ALL ? PROCFS_INFO_ALL
				     : plan->identify ? PROCFS_INFO_IDENT : PROCFS_INFO_UNIT;
	int r;

	priv_raise(PRIV_PROCS); /* other users' /proc entries */
	r = procfs_read_info(run->proc_dirfd, &run->owners, what, &run->info);
	/* The audit takes a unix socket's holder with capabilities for a privileged one. */
	if (r == 0 && plan->audit && (plan->query.protocols & DIAG_UNIX))
		r = procfs_read_caps(run->proc_dirfd, &run->owners, run->info);
	priv_lower();
	if (r == 0 && plan->details == PLAN_DETAILS_ALL)
		r = procfs_read_users(&run->owners, run->info);
	if (r < 0) {
		run_report(o->proc_root ? o->proc_root : "/proc", r);
		return r;
	}
	return run_attribute(o, run);
}

int run_prepare(struct listen_opts *o, struct run *run)
{
	const struct plan *plan = run->plan;
	/* /proc gives the ephemeral port range too; only the holders and -e cannot do without
	 * it, unless it could not be opened for lack of descriptors. */
	const char *proc = o->proc_root ? o->proc_root : "/proc";
	int proc_err, r;

	run->proc_dirfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	proc_err = run->proc_dirfd < 0 ? -errno : 0;
	if (fileio_exhausted(proc_err)) {
		run_report(proc, proc_err);
		return proc_err;
	}
	/* First, as ss refuses -Z where SELinux is off before it looks at anything. */
	if (plan->contexts && (r = run_check_selinux(o, run)) < 0)
		return r; /* said */
	if (plan->partial && !(run->said & RUN_SAID_PARTIAL))
		fprintf(stderr, "listen: not shown: %s\n", plan->partial);
	run->said |= plan->partial ? RUN_SAID_PARTIAL : 0;
	if (plan->user_names && (r = resolve_users(o)) < 0)
		return r; /* said */
	r = run_setup_namespaces(o, run, run->proc_dirfd);
	if (r == 0)
		r = run_prepare_filter(o, run);
	if (r < 0)
		return r; /* said */
	if (proc_err && plan->proc_required) {
		run_report(proc, proc_err);
		return proc_err;
	}
	return 0;
}

/* Start looking for the holders (run_owners.c), when the plan wants them. Prints its error. */
static int start_walk(const struct listen_opts *o, struct run *run, struct run_owners *search)
{
	*search = (struct run_owners){ 0 };
	return run->plan->owners ? run_owners_start(o, run, search) : 0;
}

/* Keep the unix, vsock and packet sockets of the types -A named (unix_stream, vsock_dgram,
 * packet_raw...): the kernel dumps them all. */
static void apply_types(const struct diag_query *q, struct lsock_vec *v)
{
	size_t k = 0;

	if (!q->unix_types && !q->vsock_types && !q->packet_types)
		return;
	for (size_t i = 0; i < v->len; i++) {
		const struct lsock *sk = &v->v[i];
		unsigned types = sk->family == AF_UNIX ? q->unix_types :
				 sk->family == AF_VSOCK ? q->vsock_types :
				 sk->family == AF_PACKET ? q->packet_types : 0;

		if (!types || (sk->type < 32 && (types & (1u << sk->type))))
			v->v[k++] = *sk;
	}
	v->len = k;
}

int run_dump(const struct listen_opts *o, struct run *run)
{
	int r = run_collect(o, run);

	if (r == 0) {
		apply_types(&run->plan->query, &run->socks);
		apply_filter(&o->filter, &run->socks);
	}
	return r;
}

/* Everything after the dump, for the sockets in run->socks: the holders (finishing search,
 * which is released), their details, services, interfaces, cgroups, rulesets. Prints its
 * errors. */
static int look_up(const struct listen_opts *o, struct run *run, struct run_owners *search)
{
	const struct plan *plan = run->plan;
	int r = 0;

	if (plan->owners) {
		r = run_owners_finish(o, run, search);
		if (r == 0) {
			r = procfs_hides_others(run->proc_dirfd, &run->hidepid);
			run->owners.hidden = r > 0;
			run->owners.outside = procfs_pidns(run->proc_dirfd) == PROCFS_PIDNS_NESTED;
			if (r < 0)
				run_report("cannot read the mount table", r);
			else
				r = select_holders(o, run);
			if (r == 0)
				r = explain_denials(o, run);
		}
	}
	if (r == 0 && (plan->details != PLAN_DETAILS_NONE || plan->identify))
		r = read_details(o, run);
	if (r == 0 && plan->contexts)
		r = run_read_contexts(o, run);
	if (r == 0)
		r = run_load_services(o, run, run->proc_dirfd);
	if (r == 0)
		r = run_find_interfaces(o, run);
	if (r == 0)
		r = run_find_cgroups(o, run, run->proc_dirfd);
	if (r == 0 && plan->firewall)
		r = run_find_firewall(o, run);
	if (r == 0 && plan->unix_files)
		r = run_find_unix_files(o, run);
	if (r == 0 && plan->host_names)
		r = run_find_hosts(run);
	/* Each namespace is reached through its own interfaces' public addresses. */
	for (size_t i = 0; r == 0 && plan->public_addresses && i < run->nviews; i++)
		scope_public_of(&run->views[i].ifs, &run->views[i].public);
	return r;
}

/* What look_up found, forgotten: the next look-up reads holders, interfaces and rulesets as
 * they are then. The namespaces, the filter and the service tables stay. */
static void forget_look_ups(struct run *run)
{
	procfs_info_free(run->info, run->owners.nprocs);
	run->info = NULL;
	selinux_contexts_free(&run->contexts);
	free(run->holders);
	run->holders = NULL;
	procfs_map_free(&run->owners);
	run->owners = (struct procfs_map){ 0 };
	free(run->held);
	run->held = NULL;
	run->nheld = run->unowned = 0;
	cgroup_paths_free(&run->cgroups);
	run->cgroups = (struct cgroup_paths){ 0 };
	act_db_free(&run->activation);
	run->activation = (struct act_db){ 0 };
	svc_table_free(&run->services.extra);
	run->services.extra = (struct svc_table){ 0 };
	for (size_t i = 0; i < run->nviews; i++) {
		struct ns_view *v = &run->views[i];

		ifaddr_table_free(&v->ifs);
		v->ifs = (struct ifaddr_table){ 0 };
		v->have_ifs = false;
		fw_ruleset_free(&v->fw);
		v->fw = (struct fw_ruleset){ 0 };
		v->have_fw = false;
		v->public = (struct scope_public){ 0 };
	}
	run->fw_read = run->fw_filters = run->fw_unread = false;
	unixfile_set_free(&run->unixfiles);
}

int run_look_up_again(const struct listen_opts *o, struct run *run)
{
	struct run_owners search;
	int r;

	forget_look_ups(run);
	r = start_walk(o, run, &search);
	if (r == 0)
		r = look_up(o, run, &search);
	run_owners_cancel(&search);
	return r == -EINVAL ? -EIO : r;
}

int run_gather(struct listen_opts *o, struct run *run)
{
	struct run_owners search = { 0 };
	int r = run_prepare(o, run);

	if (r < 0)
		return r; /* said: a bad name or filter is a usage error */
	if (run->plan->summary && (r = run_read_summary(o, run)) < 0)
		return r == -EINVAL ? -EIO : r; /* said */
	if (run->plan->view == PLAN_VIEW_SUMMARY || run->plan->view == PLAN_VIEW_SUMMARY_JSON)
		return 0; /* -s alone shows no rows */
	/* The holders are looked for on other threads while this one dumps the sockets (the
	 * walk's threads keep the privilege to read other users' /proc entries, this one drops
	 * it). */
	if (r == 0)
		r = start_walk(o, run, &search);
	if (r < 0)
		return r; /* said */
	r = run_dump(o, run);
	if (r == 0)
		r = look_up(o, run, &search);
	run_owners_cancel(&search);
	/* Said already; only a bad name or filter (above) is a usage error. */
	return r == -EINVAL ? -EIO : r;
}

int run_enrich_source(const struct run *run, struct enrich_src *src)
{
	struct enrich_ns *ns = calloc(run->nviews ? run->nviews : 1, sizeof(*ns));

	*src = (struct enrich_src){ .plan = run->plan, .ns = ns, .nns = run->nviews,
				    .hosts = run->plan->host_names ? &run->hosts : NULL,
				    .services = &run->services, .owners = &run->owners,
				    .info = run->info, .holders = run->holders,
				    .contexts = run->plan->contexts ? &run->contexts : NULL,
				    .activation = &run->activation, .cgroups = &run->cgroups,
				    .socks = run->socks.v, .ipprotos = &run->ipprotos,
				    .unixfiles = run->unixfiles.n == run->socks.len
							 ? run->unixfiles.v : NULL };
	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < run->nviews; i++) {
		const struct netns *n = &run->views[i].ns;

		ns[i] = (struct enrich_ns){
			n->label, n->ino, n->host, n->host_unknown, &run->views[i].ifs,
			run->plan->public_addresses ? &run->views[i].public : NULL,
			run->views[i].have_fw ? &run->views[i].fw : NULL,
		};
	}
	return 0;
}
