/*
 * The combinations of options that cannot be honoured: one table of rules, in the order they
 * are checked, each with the message that says why. cli_parse asks once everything is parsed.
 */
#include <stdbool.h>
#include <stddef.h>

#include "listen/cli.h"
#include "listen/diag.h"
#include "listen/filter.h"
#include "listen/services.h"
#include "listen/sock.h"

const char *cli_conflict(const struct listen_opts *o)
{
	bool netns = o->netns_name || o->netns_spec || o->all_netns;
	bool vsock = (o->query.protocols & DIAG_VSOCK) || o->query.vsock_types ||
		     (o->family_protocols & DIAG_VSOCK);

	if (o->dump_netlink && o->replay_netlink)
		return "--dump-netlink and --replay-netlink exclude each other";
	if (!!o->netns_name + !!o->netns_spec + o->all_netns > 1)
		return "-N, --netns and --all-netns exclude each other: give one";
	if (netns && (o->dump_netlink || o->replay_netlink))
		return "a capture holds one namespace: not with -N, --netns or --all-netns";
	if (o->fail_on != SVC_RISK_HIGH && o->action == CLI_RUN)
		return "--fail-on goes with --audit";
	/* The metrics count the findings the allow-list approves apart, as the audit does. */
	if (o->allow_file && o->action == CLI_RUN && (o->format != CLI_FORMAT_PROM || !o->services))
		return "--allow goes with --audit or --format=prom";
	if (o->watch && (o->pids || o->format == CLI_FORMAT_PROM))
		return "--watch prints events: not with --pids or --format=prom";
	if (o->watch && o->format == CLI_FORMAT_JSON)
		return "--watch prints one JSON object per event: --json=lines";
	if (o->watch && (o->dump_netlink || o->replay_netlink))
		return "--watch follows the kernel: not with a capture";
	if (o->action == CLI_AUDIT && !o->watch &&
	    (o->format == CLI_FORMAT_PROM || o->format == CLI_FORMAT_JSON_LINES))
		return "--audit prints a review or, with --json, one JSON document";
	if (o->pids && (o->action == CLI_AUDIT || o->format != CLI_FORMAT_TABLE))
		return "--pids prints pids only: not with --audit, --json or --format";
	if (o->filter.ports && o->action == CLI_AUDIT)
		return "--audit reviews every listener: not with a port list";
	if (o->filter.port_protocols && o->query.protocols &&
	    !(o->filter.port_protocols & o->query.protocols))
		return o->query.protocols == DIAG_TCP ?
		       "-t selects TCP, and the ports given are UDP's: nothing could match" :
		       "-u selects UDP, and the ports given are TCP's: nothing could match";
	if (vsock && (o->filter.ports || o->filter.root != FILTER_NONE))
		return "--vsock: filters take state clauses only (vsock sockets have no addresses "
		       "or ports of IP's)";
	if ((o->query.protocols & DIAG_UNIX) && o->filter.ports)
		return "-x: unix sockets have no ports: not with a port list";
	if ((o->query.protocols & (DIAG_RAW | DIAG_PACKET)) && o->filter.ports)
		return "-w, -0: raw and packet sockets have no ports: not with a port list";
	if (o->filter.states_given && !o->filter.states)
		return "filter: the state clauses leave no state to show";
	if ((o->timers || o->query.ext) &&
	    (o->action == CLI_AUDIT || o->pids || o->watch || o->format == CLI_FORMAT_PROM ||
	     o->filter.ports))
		return "-o, -i and -m add to the table's and JSON's rows: not with --audit, "
		       "--pids, --watch, --format=prom or a port list";
	if (o->contexts && (o->action == CLI_AUDIT || o->pids || o->watch ||
			    o->format == CLI_FORMAT_PROM || o->filter.ports))
		return "-Z and -z add to the holders of the table's and JSON's rows: not with "
		       "--audit, --pids, --watch, --format=prom or a port list";
	if (o->summary && (o->action == CLI_AUDIT || o->pids || o->watch ||
			   o->format == CLI_FORMAT_PROM || o->filter.ports))
		return "-s prints the summary: not with --audit, --pids, --watch, --format=prom or "
		       "a port list";
	/* A capture holds the sockets, not the counts: a test's --proc-root tree gives them. */
	if (o->summary && (o->dump_netlink || (o->replay_netlink && !o->proc_root)))
		return "-s reads the kernel's counters (/proc/net/sockstat): not with a capture";
	if (o->summary && o->format != CLI_FORMAT_TABLE && cli_summary_rows(o))
		return "-s with --json prints the summary alone: not with -t, -u, -x, -4, -6 or a "
		       "filter";
	if (o->dry_run && !o->kill)
		return "--dry-run goes with -K";
	if (o->kill && (o->action == CLI_AUDIT || o->watch || o->pids ||
			o->format == CLI_FORMAT_PROM))
		return "-K prints the sockets it closes: not with --audit, --watch, --pids or "
		       "--format=prom";
	if (o->kill && (o->dump_netlink || o->replay_netlink))
		return "-K closes live sockets: not with a capture";
	if (o->kill && ((o->query.protocols & (DIAG_UNIX | DIAG_RAW | DIAG_PACKET)) ||
			o->query.unix_types || o->query.packet_types))
		return "-K closes TCP and UDP sockets: not unix, raw or packet ones";
	/* SOCK_DESTROY reaches the sock_diag handler's destroy: tcp_diag's and udp_diag's close
	 * sockets; mptcp_diag, sctp_diag and vsock_diag have none (the kernel answers
	 * EOPNOTSUPP). With TCP or UDP selected too, those are closed and the rest said. */
	if (o->kill && (vsock || (o->query.protocols & (DIAG_MPTCP | DIAG_SCTP))) &&
	    !(o->query.protocols & (DIAG_TCP | DIAG_UDP)))
		return "-K: the kernel cannot close MPTCP, SCTP or vsock sockets (their sock_diag "
		       "handlers have no SOCK_DESTROY); -t or -u";
	/* After what cannot be closed at all: a filter would not help those. */
	if (o->kill && o->filter.root == FILTER_NONE && !o->filter.ports &&
	    !cli_holders_given(&o->holders))
		return "refusing to close every socket: give a filter (such as 'dport = :443'), "
		       "ports or --process";
	if (o->owners == CLI_OWNERS_BPF && o->proc_root)
		return "--owners=bpf reads the running kernel: not with --proc-root";
	return NULL;
}
