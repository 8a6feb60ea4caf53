/* listen: argv -> options -> plan -> collect -> enrich -> view -> exit status. Each step
 * prints its own error, once (cli's through this file); only this file decides the exit
 * status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "listen/audit_allow.h"
#include "listen/cli.h"
#include "listen/plan.h"
#include "listen/priv.h"
#include "run.h"
#include "view.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_FINDINGS = 3 };

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

/*
 * Before anything is opened: the soft limit on open files up to the hard one. A low soft limit
 * (ulimit -Sn) would otherwise decide what listen can look at; when the hard limit is low too,
 * whatever cannot be opened is reported, never taken for absent. Failing to raise it leaves it
 * as it was: nothing to report yet.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The options, or one line saying what is wrong with them. Returns 0 or a negative errno. */
static int parse_options(struct listen_opts *o, int argc, char **argv)
{
	char err[256];
	int r = cli_parse(o, argc, argv, err, sizeof(err));

	if (r == 0 && o->test_option && priv_raised()) {
		snprintf(err, sizeof(err), "--%s is for tests and captures: refused while listen "
			 "runs with lent privileges (capabilities or set-id)", o->test_option);
		r = -EINVAL;
	}
	if (r < 0)
		fprintf(stderr, "listen: %s\n", r == -ENOMEM ? "out of memory" : err);
	return r;
}

/* 2 for bad usage (-EINVAL from any step), 1 for other errors and, like grep, for an owner
 * view or --pids that found nothing, 3 when the audit has a finding at --fail-on. -K: 0 when
 * it closed every socket selected (or, --dry-run, would close some), 1 when none was selected,
 * 3 when some could not be closed. */
static int exit_status(int r, const struct listen_opts *o, const struct run *run, bool failed)
{
	if (r == -EINVAL)
		return EXIT_USAGE;
	if (r < 0)
		return EXIT_RUNTIME;
	if (o->kill)
		return failed ? EXIT_FINDINGS : run->socks.len == 0 ? EXIT_RUNTIME : EXIT_SUCCESS;
	if (o->action == CLI_RUN && !o->watch &&
	    (o->pids ? (run->held ? run->nheld : run->owners.nprocs) == 0 :
		       o->filter.ports && run->socks.len == 0))
		return EXIT_RUNTIME;
	return failed ? EXIT_FINDINGS : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct listen_opts o;
	struct audit_allow allow = { 0 };
	struct plan plan;
	struct run run = { .plan = &plan, .state_dirfd = -1, .proc_dirfd = -1 };
	bool failed = false;
	size_t not_closed = 0;
	int r, status;

	raise_fd_limit();
	guard_std_fds();
	/* First: lent rights are given up before any argument is looked at. */
	if ((r = priv_init()) < 0) {
		fprintf(stderr, "listen: cannot drop privileges: %s\n", strerror(-r));
		return EXIT_RUNTIME;
	}
	r = parse_options(&o, argc, argv);
	if (r == 0 && (o.action == CLI_HELP || o.action == CLI_VERSION)) {
		r = view_text(&o);
	} else if (r == 0) {
		plan_make(&plan, &o);
		if (plan.kill)
			r = run_kill_check();
		if (r == 0 && plan.audit)
			r = view_load_allow(&o, &run, &allow);
		if (r == 0)
			r = run_gather(&o, &run);
		if (r == 0 && plan.kill)
			r = run_kill(&run, &not_closed);
		else if (r == 0 && plan.dry_run)
			r = run_kill_dry(&run, &not_closed);
		if (r == 0 && (r = view_show(&o, &run, &allow, &failed)) == 0)
			view_report_gaps(&o, &run);
		if (r == 0 && o.kill && !run.socks.len && !not_closed)
			fprintf(stderr, "listen: -K: no socket matched: none %s\n",
				plan.dry_run ? "would be closed" : "closed");
		failed |= not_closed > 0;
	}
	status = exit_status(r, &o, &run, failed);
	run_free(&run);
	audit_allow_free(&allow);
	cli_free(&o);
	return status;
}
