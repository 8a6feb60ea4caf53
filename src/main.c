/* listen: options, then collect (run.c), enrich and print. Only this file and run.c print
 * errors; only this one decides the exit status. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
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
#include "listen/cgroup.h"
#include "listen/cli.h"
#include "listen/diag.h"
#include "listen/fileio.h"
#include "listen/filter.h"
#include "listen/ifaddr.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/scope.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "run.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_FINDINGS = 3 };

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
	if (r == -ENOMEM) {
		fprintf(stderr, "listen: out of memory\n");
		return r;
	}
	if (r < 0) {
		fprintf(stderr, "listen: %s: %s\n", path, strerror(-r));
		return -EINVAL;
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
	r = run_setup_namespaces(o, &run, proc_dirfd);
	if (r == 0)
		r = run_prepare_filter(o, &run);
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
	if (r == 0 && o->processes && (r = procfs_walk_start(&walk, proc_dirfd, 0)) < 0) {
		if (r == -ENOMEM)
			goto nomem;
		fprintf(stderr, "listen: %s: %s\n", proc, strerror(-r));
	}
	if (r == 0)
		r = run_collect(o, &run);
	if (r < 0)
		goto out;
	apply_filter(&o->filter, &run.socks);
	if (walk) {
		r = run_find_owners(o, &run, walk);
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
		     (r = run_attribute(o, &run)) < 0))
			goto nomem;
	}
	r = run_load_services(o, &run, proc_dirfd);
	if (r == 0)
		r = run_find_interfaces(o, &run);
	if (r == 0)
		r = run_find_cgroups(o, &run, proc_dirfd);
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
		r = 0; /* the reader went away (`listen | head`): quietly, and not a failure */
		goto out;
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

/*
 * Before anything is opened: a standard descriptor the caller closed gets /dev/null, open for
 * the other direction, so our writes to it fail (EBADF) instead of landing in a file opened
 * later under its number. SIGPIPE is ignored: a reader that goes away is an EPIPE we handle.
 */
static void guard_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int n = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_CLOEXEC);

		if (n >= 0 && n != fd) { /* only when a lower one could not be filled */
			dup2(n, fd);
			close(n);
		}
	}
	signal(SIGPIPE, SIG_IGN);
}

/* --help and --version: the text, or a write error like every other output. */
static int print_text(const struct listen_opts *o)
{
	if (o->action == CLI_HELP)
		cli_usage(stdout);
	else
		puts("listen " LISTEN_VERSION);
	if (fflush(stdout) == 0 || errno == EPIPE)
		return EXIT_SUCCESS;
	fprintf(stderr, "listen: write error: %s\n", strerror(errno));
	return EXIT_RUNTIME;
}

int main(int argc, char **argv)
{
	struct listen_opts o;
	char err[256];

	guard_std_fds();
	int r = cli_parse(&o, argc, argv, err, sizeof(err));

	if (r < 0) {
		fprintf(stderr, "listen: %s\n", r == -ENOMEM ? "out of memory" : err);
		cli_free(&o);
		return r == -ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
	}
	if (o.action == CLI_HELP || o.action == CLI_VERSION) {
		int status = print_text(&o);

		cli_free(&o);
		return status;
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
