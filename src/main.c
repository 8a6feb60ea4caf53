/* listen: options, then collect, enrich and print. Only this file prints errors or exits. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "listen/addr.h"
#include "listen/cgroup.h"
#include "listen/cli.h"
#include "listen/diag.h"
#include "listen/fileio.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/services.h"
#include "listen/sock.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Everything collected and looked up for one run; released by run_free(). */
struct run {
	struct lsock_vec socks;
	struct procfs_map owners;
	struct svc_table services;
	struct addr_ifnames ifnames;
	struct cgroup_paths cgroups;
};

static void run_free(struct run *run)
{
	lsock_vec_free(&run->socks);
	procfs_map_free(&run->owners);
	svc_table_free(&run->services);
	addr_ifnames_free(&run->ifnames);
	cgroup_paths_free(&run->cgroups);
}

static int collect(const struct listen_opts *o, struct lsock_vec *socks)
{
	char *buf;
	size_t len;
	int r;

	if (o->replay_netlink) {
		r = fileio_read_all(AT_FDCWD, o->replay_netlink, SIZE_MAX, &buf, &len);
		if (r < 0) {
			fprintf(stderr, "listen: %s: %s\n", o->replay_netlink, strerror(-r));
			return r;
		}
		r = diag_replay(&o->query, buf, len, socks);
		free(buf);
		if (r < 0)
			fprintf(stderr, "listen: %s: %s\n", o->replay_netlink,
				r == -EBADMSG ? "not a valid netlink capture" : strerror(-r));
		return r;
	}

	FILE *capture = NULL;

	if (o->dump_netlink) {
		capture = fopen(o->dump_netlink, "wbe");
		if (!capture || fputs(DIAG_CAPTURE_MAGIC, capture) == EOF) {
			r = -errno;
			fprintf(stderr, "listen: %s: %s\n", o->dump_netlink, strerror(errno));
			if (capture)
				fclose(capture);
			return r;
		}
	}
	r = diag_collect(&o->query, socks, capture);
	if (capture && fclose(capture) != 0 && r == 0)
		r = -EIO;
	if (r == -EPROTONOSUPPORT || r == -ENOENT)
		fprintf(stderr, "listen: the kernel has no sock_diag support for TCP/UDP (%s)\n",
			strerror(-r));
	else if (r == -EAGAIN || r == -EINTR)
		fprintf(stderr, "listen: the socket table kept changing during the dump; try again\n");
	else if (r < 0)
		fprintf(stderr, "listen: cannot dump sockets: %s\n", strerror(-r));
	return r;
}

static int find_owners(const struct listen_opts *o, struct run *run, int proc_dirfd)
{
	struct lsock_vec *s = &run->socks;
	int r = procfs_map_owners(&run->owners, proc_dirfd, s->v, s->len);

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

static int print(const struct listen_opts *o, struct run *run)
{
	const struct out_backend *be = &out_table;
	uint32_t states = o->query.states;
	struct out_opts oo = {
		.header = o->header,
		.netid = o->query.protocols == (DIAG_TCP | DIAG_UDP),
		.state = (states & (states - 1)) != 0,
		.processes = o->processes,
		.extended = o->extended,
	};
	struct winsize ws;
	void *state;
	int r = 0;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		oo.width = ws.ws_col;
	state = be->begin(stdout, &oo);
	if (!state)
		return -ENOMEM;
	for (size_t i = 0; i < run->socks.len && r == 0; i++) {
		const struct lsock *sk = &run->socks.v[i];
		const struct svc_table *svc = o->numeric ? NULL : &run->services;
		struct out_row row = {
			.sk = sk,
			.ifname = sk->ifindex ? addr_ifname(&run->ifnames, sk->ifindex) : NULL,
			.lservice = svc ? svc_name(svc, sk->lport, sk->protocol) : NULL,
			.rservice = svc ? svc_name(svc, sk->rport, sk->protocol) : NULL,
			.cgroup = o->extended ? cgroup_path(&run->cgroups, sk->cgroup_id) : NULL,
			.owners = sk->owner_count ? run->owners.owners + sk->owner_first : NULL,
			.nowners = sk->owner_count,
			.procs = run->owners.procs,
		};

		r = be->row(state, &row);
	}
	int e = be->end(state);

	return r ? r : e;
}

static int run_listen(const struct listen_opts *o)
{
	struct run run = { 0 };
	int proc_dirfd = -1, r;

	r = collect(o, &run.socks);
	if (r < 0)
		goto out;
	if (o->processes || o->extended) {
		const char *proc = o->proc_root ? o->proc_root : "/proc";

		proc_dirfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (proc_dirfd < 0) {
			r = -errno;
			fprintf(stderr, "listen: %s: %s\n", proc, strerror(errno));
			goto out;
		}
	}
	if (o->processes && (r = find_owners(o, &run, proc_dirfd)) < 0)
		goto out;
	if (!o->numeric) {
		r = svc_table_load(&run.services, o->services_file ? o->services_file
								   : "/etc/services");
		if (r < 0)
			goto nomem;
	}
	r = addr_ifnames_resolve(&run.ifnames, run.socks.v, run.socks.len);
	if (r == 0 && o->extended)
		r = find_cgroups(o, &run, proc_dirfd);
	if (r < 0)
		goto nomem;

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
	if (proc_dirfd >= 0)
		close(proc_dirfd);
	run_free(&run);
	return r < 0 ? EXIT_RUNTIME : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct listen_opts o;
	char err[256];

	if (cli_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "listen: %s\n", err);
		return EXIT_USAGE;
	}
	if (o.action == CLI_HELP) {
		cli_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_RUNTIME;
	}
	if (o.action == CLI_VERSION) {
		puts("listen " LISTEN_VERSION);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_RUNTIME;
	}
	return run_listen(&o);
}
