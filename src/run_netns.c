/* The run's network namespaces: which ones to look in, opened, and labelled for the Netns
 * column. Part of the program layer's collect phase (run.h): prints its own errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "listen/container.h"
#include "listen/fileio.h"
#include "listen/netns.h"
#include "listen/output.h"
#include "listen/priv.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/unit.h"
#include "run.h"

/* The name of the container a namespace's first process is in, appended to b; nothing if
 * none. */
static int ns_container_name(struct run *run, int proc_dirfd, uint32_t pid, struct sbuf *b)
{
	struct unit_owner u = { .kind = UNIT_NONE };
	int r = 0;
	char *cg = pid ? procfs_read_cgroup(proc_dirfd, pid, &r) : NULL;

	if (cg)
		r = unit_parse(cg, strlen(cg), &u);
	free(cg);
	if (r == 0 && u.kind != UNIT_NONE && u.kind != UNIT_SYSTEM && u.kind != UNIT_USER) {
		r = container_name(&run->containers, &u);
		if (r == 0 && u.name)
			sbuf_puts(b, u.name);
		else if (r == 0)
			unit_text(b, &u);
	}
	unit_owner_free(&u);
	return r == 0 && b->failed ? -ENOMEM : r;
}

/* The processes whose namespace could not be read, and why: the notice of view_report_gaps'
 * kind (output.h), as for the walk's. Prints its errors; returns 0, or -EMFILE, -ENFILE or
 * -ENOMEM (a second look that could not be made is not a cause). */
static int report_denials(struct netns_set *set, int proc_dirfd)
{
	struct procfs_map m = { .denials = set->denials, .ndenials = set->ndenials };
	struct procfs_self self;
	struct sbuf b = { 0 };
	int r = procfs_read_self(proc_dirfd, &self);

	if (r == 0) {
		priv_raise(PRIV_PROCS);
		r = procfs_examine_denials(proc_dirfd, set->denials, &set->ndenials,
					   self.privileged);
		priv_lower();
		m.ndenials = set->ndenials; /* zombies are in no namespace */
	}
	if (r == 0 && m.ndenials)
		r = out_denial_notice(&b, &self, &m, "network namespaces not all seen", 0);
	if (r == 0 && m.ndenials)
		fputs(b.s, stderr);
	else if (r < 0)
		run_report("/proc", r);
	sbuf_free(&b);
	procfs_self_free(&self);
	return r;
}

/* --all-netns: every namespace a process is in or /run/netns names, one view each. */
static int open_every_namespace(struct run *run, int proc_dirfd)
{
	struct netns_set set = { 0 };
	int r = netns_discover(&set, proc_dirfd, NETNS_RUN_DIR);

	if (r == 0 && set.len > UINT16_MAX + 1u)
		r = -E2BIG;
	if (r < 0) {
		run_report("cannot list network namespaces", r);
		netns_set_free(&set);
		return r;
	}
	if (set.denied && (r = report_denials(&set, proc_dirfd)) < 0) {
		netns_set_free(&set);
		return r;
	}
	run->views = calloc(set.len, sizeof(*run->views));
	if (!run->views) {
		netns_set_free(&set);
		run_report(NULL, -ENOMEM);
		return -ENOMEM;
	}
	for (size_t i = 0; i < set.len; i++)
		run->views[i].ns = set.v[i]; /* taken over */
	run->nviews = set.len;
	set.len = 0;
	netns_set_free(&set); /* the list, and the processes it could not read */
	return 0;
}

/* One view: the namespace listen runs in, or the one -N or --netns names (spec). -EINVAL for
 * a name or path that is not one (a usage error). */
static int open_one_namespace(const struct listen_opts *o, struct run *run, const char *spec,
			      int proc_dirfd)
{
	enum netns_spec how = o->netns_name ? NETNS_BY_NAME : NETNS_BY_PID_OR_PATH;
	char err[512];
	int r;

	run->views = calloc(1, sizeof(*run->views));
	if (!run->views) {
		run_report(NULL, -ENOMEM);
		return -ENOMEM;
	}
	run->nviews = 1;
	run->views[0].ns = (struct netns){ .fd = -1 };
	if (!spec)
		return 0;
	r = netns_open(&run->views[0].ns, how, spec, proc_dirfd, NETNS_RUN_DIR, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "listen: %s\n", err);
		return r == -ENOENT || r == -EINVAL ? -EINVAL : r;
	}
	return 0;
}

/* Label each view not labelled yet for the Netns column: its name, or the container its first
 * process is in. */
static int label_new_namespaces(struct run *run, int proc_dirfd)
{
	int r = 0;

	priv_raise(PRIV_PROCS); /* other users' cgroups, and their runtimes' state */
	for (size_t i = 0; i < run->nviews && r == 0; i++) {
		struct netns *ns = &run->views[i].ns;
		struct sbuf container = { 0 };

		if (ns->label)
			continue;
		if (!ns->host && !ns->name)
			r = ns_container_name(run, proc_dirfd, ns->pid, &container);
		if (r == 0)
			r = netns_label(ns, container.s ? container.s : "");
		sbuf_free(&container);
	}
	priv_lower();
	if (r < 0)
		run_report("cannot name network namespaces", r);
	return r;
}

/* Label every view, and say when none could be told to be the host's. */
static int label_namespaces(struct run *run, int proc_dirfd)
{
	int r = label_new_namespaces(run, proc_dirfd);

	if (r == 0 && run->views[0].ns.host_unknown)
		fprintf(stderr, "listen: cannot tell which network namespace is the host's (the "
			"kernel threads', not visible or not readable here): none is labelled "
			"host\n");
	return r;
}

int run_setup_namespaces(const struct listen_opts *o, struct run *run, int proc_dirfd)
{
	const char *spec = o->netns_name ? o->netns_name : o->netns_spec;
	const char *root = o->state_root ? o->state_root : "/";
	int r;

	run->state_dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (run->state_dirfd < 0 && fileio_exhausted(-errno)) {
		r = -errno;
		run_report(root, r);
		return r;
	}
	container_cache_init(&run->containers, run->state_dirfd);
	run->ns_mode = o->all_netns || spec;
	r = o->all_netns ? open_every_namespace(run, proc_dirfd)
			 : open_one_namespace(o, run, spec, proc_dirfd);
	if (r == 0 && run->ns_mode)
		r = label_namespaces(run, proc_dirfd);
	return r;
}

/* The view in run of namespace ns (same device and inode) not taken yet, or NULL. */
static struct ns_view *find_view(struct run *run, const struct netns *ns, const bool *taken)
{
	for (size_t j = 0; j < run->nviews; j++)
		if (!taken[j] && run->views[j].ns.ino == ns->ino && run->views[j].ns.dev == ns->dev)
			return &run->views[j];
	return NULL;
}

int run_follow_namespaces(struct run *run, uint64_t *vanished, size_t *nvanished)
{
	struct netns_set set = { 0 };
	struct ns_view *views = NULL;
	bool *taken = NULL;
	int r = netns_discover(&set, run->proc_dirfd, NETNS_RUN_DIR);

	*nvanished = 0;
	if (r == 0 && set.len > UINT16_MAX + 1u)
		r = -E2BIG;
	if (r == 0 && (!(views = calloc(set.len, sizeof(*views))) ||
		       !(taken = calloc(run->nviews ? run->nviews : 1, sizeof(*taken)))))
		r = -ENOMEM;
	if (r < 0) {
		run_report("cannot list network namespaces", r);
		netns_set_free(&set);
		free(views);
		return r;
	}
	for (size_t i = 0; i < set.len; i++) {
		struct ns_view *old = find_view(run, &set.v[i], taken);

		if (old) {
			views[i] = *old;
			taken[old - run->views] = true;
			netns_free(&set.v[i]);
		} else {
			views[i].ns = set.v[i]; /* taken over */
		}
	}
	for (size_t j = 0; j < run->nviews; j++) {
		struct ns_view *v = &run->views[j];

		if (taken[j])
			continue;
		vanished[(*nvanished)++] = v->ns.ino;
		netns_free(&v->ns);
		ifaddr_table_free(&v->ifs);
		fw_ruleset_free(&v->fw);
	}
	free(taken);
	free(run->views);
	run->views = views;
	run->nviews = set.len;
	set.len = 0; /* each one taken over or freed above */
	netns_set_free(&set);
	return label_new_namespaces(run, run->proc_dirfd);
}

bool run_namespace_unnamed(const struct run *run)
{
	const struct netns *ns = &run->views[0].ns;
	char path[4096];
	struct stat st;

	if (run->plan->netns != PLAN_NETNS_NAME || !ns->name)
		return false;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, ns->name);
	if (stat(path, &st) < 0)
		return errno == ENOENT;
	return st.st_dev != ns->dev || st.st_ino != ns->ino;
}
