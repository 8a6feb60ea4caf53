/* -Z and -z: whether SELinux is on, and the contexts of the holders and their socket fds.
 * Program layer: it says where SELinux is off, and which contexts it was refused. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "listen/fileio.h"
#include "listen/priv.h"
#include "listen/selinux.h"
#include "run.h"

static const char *option(const struct listen_opts *o)
{
	return (o->contexts & 2) ? "-z" : "-Z";
}

int run_check_selinux(const struct listen_opts *o, struct run *run)
{
	/* The configuration is looked for where runtime state is: the state root, "/". */
	int root = open(o->state_root ? o->state_root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = root < 0 && fileio_exhausted(-errno) ? -errno : 0;

	if (r == 0)
		r = selinux_enabled(run->proc_dirfd, root, o->proc_root != NULL);
	if (root >= 0)
		close(root);
	if (r < 0) {
		run_report("cannot tell whether SELinux is on", r);
		return r;
	}
	if (r == 0) {
		/* ss's answer, with its exit status (1). */
		fprintf(stderr, "listen: %s: SELinux is not enabled: there are no contexts to "
			"show\n", option(o));
		return -EOPNOTSUPP;
	}
	return 0;
}

int run_read_contexts(const struct listen_opts *o, struct run *run)
{
	struct selinux_contexts *c = &run->contexts;
	/* A --proc-root tree has no sockets to carry the xattr: its own files stand in. */
	struct selinux_source src = o->proc_root ? selinux_source_fixture(run->proc_dirfd) :
						   selinux_source_proc(run->proc_dirfd);
	int r;

	priv_raise(PRIV_PROCS); /* other users' attr/current, and their fds */
	r = selinux_read_contexts(&src, &run->owners, run->plan->contexts > 1, c);
	priv_lower();
	if (r < 0) {
		run_report(o->proc_root ? o->proc_root : "/proc", r);
		return r;
	}
	/* Refused is not "none": said once here, and "refused" of each in JSON. */
	if (c->procs_refused && c->fds_refused)
		fprintf(stderr, "listen: %s: the SELinux contexts of %u holder%s and %u socket "
			"fd%s could not be read: permission denied\n", option(o), c->procs_refused,
			c->procs_refused == 1 ? "" : "s", c->fds_refused,
			c->fds_refused == 1 ? "" : "s");
	else if (c->procs_refused || c->fds_refused)
		fprintf(stderr, "listen: %s: the SELinux contexts of %u %s%s could not be read: "
			"permission denied\n", option(o), c->procs_refused + c->fds_refused,
			c->procs_refused ? "holder" : "socket fd",
			c->procs_refused + c->fds_refused == 1 ? "" : "s");
	return 0;
}
