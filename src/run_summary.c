/* -s: the counts of each namespace of the run, read from its /proc/net (run.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/priv.h"
#include "listen/sockstat.h"
#include "run.h"

struct summary_read {
	int proc_dirfd;
	struct sockstat *stat;
};

/* On netns_call's thread, in the namespace: its own /proc/thread-self/net. */
static int read_here(void *arg)
{
	struct summary_read *sr = arg;

	return sockstat_read(sr->proc_dirfd, sr->stat);
}

int run_read_summary(const struct listen_opts *o, struct run *run)
{
	const char *proc = o->proc_root ? o->proc_root : "/proc";
	unsigned skipped = 0;
	int r = 0, skip_err = 0;

	if (run->proc_dirfd < 0) {
		fprintf(stderr, "listen: -s reads %s/net/sockstat: %s cannot be opened\n", proc,
			proc);
		return -ENOENT;
	}
	for (size_t i = 0; i < run->nviews; i++) {
		struct ns_view *v = &run->views[i];
		struct summary_read sr = { run->proc_dirfd, &v->stat };

		r = netns_call(&v->ns, read_here, &sr);
		v->have_stat = r == 0;
		if (r < 0 && !fileio_exhausted(r) && run->plan->netns == PLAN_NETNS_ALL &&
		    v->ns.reopen && r != -EBADMSG) {
			skipped++;
			skip_err = r;
			continue;
		}
		if (r == -EPERM)
			fprintf(stderr, "listen: cannot enter network namespace %s: %s: %s\n",
				v->ns.label, strerror(-r), priv_advice(PRIV_NETNS));
		else if (r == -EBADMSG)
			fprintf(stderr, "listen: %s/thread-self/net/sockstat: not in the kernel's "
				"format\n", proc);
		else if (r < 0)
			fprintf(stderr, "listen: cannot read %s/thread-self/net/sockstat: %s\n",
				proc, fileio_strerror(r));
		if (r < 0)
			return r;
	}
	if (skipped)
		fprintf(stderr, "listen: %u network namespace%s skipped (%s)\n", skipped,
			skipped == 1 ? "" : "s", strerror(-skip_err));
	return 0;
}
