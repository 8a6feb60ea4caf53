/* The program layer's watch (--watch): the run's sockets, then the ones that come and go, as
 * events. Not a library module: it prints its own errors, one line each, as run.c does. */
#ifndef LISTEN_WATCH_H
#define LISTEN_WATCH_H

struct audit_allow;
struct listen_opts;
struct out_opts;
struct run;

/*
 * Print the sockets run_gather found as events ("=": there as the watch began), then watch:
 * gone sockets from the kernel's destroy notifications as they come (else found by the poll),
 * new ones by dumping every run->plan->watch_ms, their holders looked up for them alone. The
 * audit's watch prints only sockets of unapproved findings at --fail-on or above. Rows are
 * formatted as oo says. Ends on SIGINT or SIGTERM, or when the reader of a pipe went away:
 * 0. Returns a negative errno after saying what failed (writing, or looking).
 */
int watch_run(const struct listen_opts *o, struct run *run, const struct audit_allow *allow,
	      const struct out_opts *oo);

#endif
