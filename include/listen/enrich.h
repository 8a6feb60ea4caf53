/*
 * Enrichment: from the records a run collected to the rows every view reads (struct out_row).
 * Pure: records in, rows out, no kernel and no disk. The row's strings point into the records
 * (and, for device names, into the caller's enrich_names), so they live as long as both.
 */
#ifndef LISTEN_ENRICH_H
#define LISTEN_ENRICH_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "listen/container.h"
#include "listen/output.h"
#include "listen/program.h"
#include "listen/services.h"

struct act_db;
struct cgroup_paths;
struct fw_ruleset;
struct ifaddr_table;
struct lsock;
struct plan;
struct procfs_info;
struct procfs_map;
struct reach_result;
struct selinux_contexts;
struct svc_db;

/* What enrichment reads of one network namespace of the run. */
struct enrich_ns {
	const char *label;     /* "host", "web", "net:[4026532]"; NULL when one namespace is shown
				* without saying which */
	uint64_t inode;
	bool host;             /* the host's (the initial namespace) */
	bool host_unknown;     /* which namespace is the host's could not be told */
	const struct ifaddr_table *ifs; /* its interfaces (may be empty: not dumped) */
	const struct scope_public *public; /* their public addresses, or NULL: not looked for */
	const struct fw_ruleset *fw; /* its firewall ruleset, or NULL: not read */
};

/* What a holder does beyond what /proc says of it: filled by the run (run.c) from the holder's
 * unit, name and command line, and the namespaces' interfaces. */
struct enrich_holder {
	bool manager;   /* a service manager: what it holds is socket-activated (activation.h) */
	bool proxy;     /* a docker-proxy whose target is forward */
	struct container_proxy forward;
	const char *forward_netns; /* the namespace holding forward's address, or NULL */
	struct prog_id id;  /* what its program is (program.h), identified once per process */
};

struct hostnames;

/* The records of a run, as enrichment reads them. */
struct enrich_src {
	const struct plan *plan;
	const struct enrich_ns *ns;         /* indexed by lsock.netns */
	size_t nns;
	const struct svc_db *services;
	const struct procfs_map *owners;    /* the walk's holders (empty without one) */
	const struct procfs_info *info;     /* parallel to owners->procs, or NULL: not read */
	const struct enrich_holder *holders; /* parallel to owners->procs, or NULL with info */
	const struct act_db *activation;    /* socket units, for holders that are managers */
	const struct cgroup_paths *cgroups;
	const struct lsock *socks;          /* the run's sockets, which verdicts is parallel to */
	const struct reach_result *verdicts; /* the firewall's (verdict.h), or NULL: none read */
	const struct ipproto_names *ipprotos; /* IP protocol names for raw sockets, or NULL */
	const struct unixfile *unixfiles;    /* unix sockets' files (unixfile.h), parallel to
					      * socks, or NULL: not looked at */
	const struct hostnames *hosts;      /* -r's host names, or NULL */
	const struct selinux_contexts *contexts; /* -Z, -z: of owners' procs (and owners), or
						  * NULL */
};

/* Room for the device names of one row that are numbers ("if7": no interface of that index),
 * and for its service's entry when the program holding it changes its risk or note. */
struct enrich_names {
	char dev[IF_NAMESIZE + 16], scope_dev[IF_NAMESIZE + 16];
	char proto[16]; /* a raw or packet socket's protocol as ss prints it: "ipproto-253" */
	struct svc_info svc;
};

/* Everything known about socket sk: service, scope, exposure, warning, holders, unit. */
struct out_row enrich_row(const struct enrich_src *src, const struct lsock *sk,
			  struct enrich_names *names);

/*
 * Every one of the n sockets enriched, into *rows, with the names they point to in *names
 * (both malloc'd: free them). Returns 0 or -ENOMEM.
 */
int enrich_all(const struct enrich_src *src, const struct lsock *socks, size_t n,
	       struct out_row **rows, struct enrich_names **names);

#endif
