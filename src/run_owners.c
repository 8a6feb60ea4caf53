/*
 * Where the run finds the sockets' holders (plan_owner_source): the kernel's task_file
 * iterator or the /proc walk, started before the dump and finished after it. The iterator's
 * findings go through the same mapping as the walk's (procfs_walk_adopt), so both give the
 * same holders in the same order. Chosen by itself, the iterator that fails to load or to read
 * gives way to the walk, silently; asked for (--owners=bpf), it is an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/bpf_owners.h"
#include "listen/destroy.h"
#include "listen/priv.h"
#include "listen/procfs.h"
#include "run.h"

static const char *proc_name(const struct listen_opts *o)
{
	return o->proc_root ? o->proc_root : "/proc";
}

/* Start the /proc walk, on threads allowed to read other users' /proc entries. */
static int start_walk(const struct listen_opts *o, struct run *run, struct run_owners *s)
{
	int r;

	priv_raise(PRIV_PROCS);
	r = procfs_walk_start(&s->walk, run->proc_dirfd, 0);
	priv_lower();
	if (r < 0)
		run_report(proc_name(o), r);
	return r;
}

/* Why the iterator could not run, said once: an error when it was asked for, a notice with
 * --verbose. Returns the error to stop the run with, or 0 to walk /proc instead. */
static int give_way(const struct run *run, const char *why, int r)
{
	const struct plan *plan = run->plan;

	if (plan->owner_source == PLAN_OWNERS_BPF) {
		fprintf(stderr, "listen: --owners=bpf: %s%s%s\n", why, r ? ": " : "",
			r ? strerror(-r) : "");
		/* Not a usage error: the kernel, the build or the privilege said no. */
		return r == 0 || r == -EINVAL ? -EPERM : r;
	}
	if (plan->verbose)
		fprintf(stderr, "listen: owners: walking /proc (the BPF iterator: %s%s%s)\n", why,
			r ? ": " : "", r ? strerror(-r) : "");
	return 0;
}

int run_owners_start(const struct listen_opts *o, struct run *run, struct run_owners *s)
{
	struct bpf_owners_facts f = { 0 };
	const char *why;
	int r;

	*s = (struct run_owners){ 0 };
	if (run->plan->owner_source != PLAN_OWNERS_PROC)
		bpf_owners_facts(&f, run->proc_dirfd);
	if (plan_owner_source(run->plan, &f, &why) == PLAN_OWNERS_BPF) {
		if ((r = bpf_owners_start(&s->bpf)) < 0)
			run_report(NULL, r);
		return r;
	}
	if ((r = give_way(run, why, 0)) < 0)
		return r;
	return start_walk(o, run, s);
}

int run_owners_finish(const struct listen_opts *o, struct run *run, struct run_owners *s)
{
	struct lsock_vec *socks = &run->socks;
	struct procfs_sock_fd *v;
	bool loaded;
	size_t n;
	int r;

	if (s->bpf) {
		r = bpf_owners_finish(s->bpf, &v, &n, &loaded);
		s->bpf = NULL;
		if (r == 0) {
			if (run->plan->verbose)
				fprintf(stderr, "listen: owners: the kernel's task_file iterator "
					"(%zu socket fds)\n", n);
			r = procfs_walk_adopt(&s->walk, run->proc_dirfd, v, n);
		} else if (r != -ENOMEM) {
			r = give_way(run, loaded ? "reading failed" : "the kernel refused it", r);
			if (r == 0)
				r = start_walk(o, run, s);
			if (r < 0)
				return r; /* said */
		}
		if (r < 0) {
			run_report(NULL, r);
			return r;
		}
	}
	priv_raise(PRIV_PROCS);
	r = procfs_walk_finish(s->walk, &run->owners, socks->v, socks->len);
	priv_lower();
	s->walk = NULL; /* freed */
	if (r < 0)
		run_report(proc_name(o), r);
	return r;
}

void run_owners_cancel(struct run_owners *s)
{
	bpf_owners_cancel(s->bpf);
	procfs_walk_cancel(s->walk);
	*s = (struct run_owners){ 0 };
}

int run_split_gone(struct run *run)
{
	struct lsock_vec *socks = &run->socks;
	size_t n = socks->len, ngone = 0, k = 0;
	struct lsock *gone;
	bool *want;
	int *there;
	int r;

	if (!run->unowned || !procfs_map_partial(&run->owners))
		return 0;
	want = calloc(n, sizeof(*want));
	there = calloc(n, sizeof(*there));
	gone = malloc(run->unowned * sizeof(*gone));
	r = want && there && gone ? 0 : -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++)
		want[i] = socks->v[i].inode && !socks->v[i].owner_count;
	if (r == 0)
		r = run_ask_each(run, want, socket_still_there, there);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (want[i] && there[i] == 0)
			gone[ngone++] = socks->v[i];
		else
			socks->v[k++] = socks->v[i];
	}
	if (r == 0) {
		memcpy(socks->v + k, gone, ngone * sizeof(*gone));
		run->unowned -= ngone;
	}
	free(want);
	free(there);
	free(gone);
	if (r < 0)
		run_report("cannot look sockets up again", r);
	return r < 0 ? r : (int)ngone;
}
