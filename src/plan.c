/* The plan of a run: the options' consequences, decided once. */
#include "listen/bpf_owners.h"
#include "listen/cli.h"
#include "listen/plan.h"
#include "listen/sock.h"

/* The view the options ask for. */
static enum plan_view choose_view(const struct listen_opts *o)
{
	static const enum plan_view by_format[] = {
		[CLI_FORMAT_TABLE] = PLAN_VIEW_TABLE, [CLI_FORMAT_JSON] = PLAN_VIEW_JSON,
		[CLI_FORMAT_JSON_LINES] = PLAN_VIEW_JSON_LINES, [CLI_FORMAT_PROM] = PLAN_VIEW_PROM,
	};

	if (o->watch && o->action == CLI_AUDIT)
		return o->format == CLI_FORMAT_TABLE ? PLAN_VIEW_WATCH_AUDIT
						     : PLAN_VIEW_WATCH_AUDIT_JSON;
	if (o->watch)
		return o->format == CLI_FORMAT_TABLE ? PLAN_VIEW_WATCH : PLAN_VIEW_WATCH_JSON;
	if (o->action == CLI_AUDIT)
		return o->format == CLI_FORMAT_JSON ? PLAN_VIEW_AUDIT_JSON : PLAN_VIEW_AUDIT;
	if (o->kill) /* the rows closed, as ss prints them; a port list is only a filter */
		return by_format[o->format];
	if (o->pids)
		return PLAN_VIEW_PIDS;
	if (o->summary && !cli_summary_rows(o))
		return o->format == CLI_FORMAT_TABLE ? PLAN_VIEW_SUMMARY : PLAN_VIEW_SUMMARY_JSON;
	if (o->filter.ports && o->format == CLI_FORMAT_TABLE)
		return PLAN_VIEW_OWNERS;
	return by_format[o->format];
}

/* Bare `listen`: no option of ss's that selects sockets and no expression, only options that
 * say how to show them (listen's own: the output format, colour, columns, namespaces,
 * --process, --user, --pids; and ss's -n, -p, -e, -H, -N). It shows what the name promises,
 * `listen -tulnp`: TCP and UDP listeners with their holders, ports as numbers, so `listen -H`
 * is that without its header. Any of ss's selection options (-t alone included) keeps ss's
 * meaning. */
static bool is_bare(const struct listen_opts *o)
{
	return o->action == CLI_RUN && !o->ss_option && o->filter.root == FILTER_NONE &&
	       !o->filter.states_given;
}

/* The states to dump. As in ss, state clauses replace -l and -a, and with neither the default
 * is per protocol: connected TCP states, but only ESTABLISHED for UDP (which matters when it
 * leaves a single state and so hides the State column), and -4 or -6 add the connected states
 * too (so `-u4` has the State column and `-u` not, as in ss; the rows are the same). The owner
 * view, the metrics, the audit, the watch and bare `listen` are about services: listeners. */
static uint32_t choose_states(const struct listen_opts *o, unsigned protocols)
{
	uint32_t states = o->filter.states_given ? o->filter.states : o->query.states;

	if (!states && (o->filter.ports || o->format == CLI_FORMAT_PROM || o->action == CLI_AUDIT ||
			is_bare(o) || o->watch))
		states = LSOCK_STATES_LISTENING;
	if (!states) {
		if (protocols & (DIAG_TCP | DIAG_MPTCP | DIAG_SCTP))
			states |= LSOCK_STATES_CONNECTED;
		/* UDP's and raw's only state besides UNCONN: alone, ss shows no State column */
		if (protocols & (DIAG_UDP | DIAG_RAW))
			states |= 1u << LSOCK_ESTABLISHED;
		/* ss's default for unix and vsock */
		if (protocols & (DIAG_UNIX | DIAG_VSOCK))
			states |= LSOCK_STATES_CONNECTED;
		if (protocols & DIAG_PACKET) /* ss's: a packet socket is always UNCONN */
			states |= 1u << LSOCK_CLOSE;
		if (o->query.families)
			states |= LSOCK_STATES_CONNECTED;
	}
	return states;
}

/* The protocols and families to dump: the options', -A's and -f's, fuser's port list's, and
 * what the audit and the metrics review unasked (p->implied: asked for by the plan alone). */
static void choose_protocols(struct plan *p, const struct listen_opts *o)
{
	/* -A unix_dgram (and the like) is unix sockets of that type; -x, all of them. */
	if (p->query.unix_types && (p->query.protocols & DIAG_UNIX))
		p->query.unix_types = 0;
	else if (p->query.unix_types)
		p->query.protocols |= DIAG_UNIX;
	if (p->query.vsock_types && (p->query.protocols & DIAG_VSOCK))
		p->query.vsock_types = 0;
	else if (p->query.vsock_types)
		p->query.protocols |= DIAG_VSOCK;
	if (p->query.packet_types && (p->query.protocols & DIAG_PACKET))
		p->query.packet_types = 0;
	else if (p->query.packet_types)
		p->query.protocols |= DIAG_PACKET;
	/* fuser's "8080/tcp" dumps only the protocols its ports name (1: TCP, 2: UDP, as
	 * DIAG_*); -t or -u narrows them further (cli_conflict refuses -u 8080/tcp). -f's
	 * families stand for their protocols when nothing else names any. */
	p->partial = o->query_partial;
	if (!p->query.protocols && !o->filter.port_protocols && o->family_protocols) {
		p->query.protocols = o->family_protocols;
		if (!p->partial)
			p->partial = o->family_partial;
	}
	/* As in ss, -4 and -6 alone are -f inet and -f inet6: every IP socket of the family. */
	if (!p->query.protocols)
		p->query.protocols = o->filter.port_protocols ? o->filter.port_protocols :
				     o->query.families ? DIAG_INET | DIAG_RAW : DIAG_TCP | DIAG_UDP;
	/* The audit, and the metrics (their series and the audit's findings), review what
	 * sniffs frames or takes raw IP too, unless -t, -u, -x, -w or -0 narrow them; the watch
	 * follows raw and packet sockets only with -w or -0 (it finds them by looking). */
	if (!o->query.protocols && !o->filter.port_protocols && !o->watch &&
	    (o->action == CLI_AUDIT || o->format == CLI_FORMAT_PROM))
		p->query.protocols |= DIAG_RAW | DIAG_PACKET;
	/* And MPTCP and SCTP listeners, unless a protocol option narrows them: an MPTCP
	 * listener is reviewed as itself, not as the TCP listener the kernel keeps for its
	 * subflows. Where the kernel has no sock_diag for them, nothing is said: that TCP
	 * listener stands in, and without the sctp module there is no SCTP socket. */
	if (!o->query.protocols && !o->filter.port_protocols && !o->watch &&
	    (o->action == CLI_AUDIT || o->format == CLI_FORMAT_PROM) &&
	    (p->query.protocols & DIAG_TCP)) {
		p->implied = (DIAG_MPTCP | DIAG_SCTP) & ~p->query.protocols;
		p->query.protocols |= DIAG_MPTCP | DIAG_SCTP;
	}
	/* The audit, and the metrics that carry its findings, review unix listeners too unless
	 * -t, -u, -x, -w, -0, -4 or -6 narrows them; the watch follows unix sockets only with -x
	 * (it finds them by looking, not by the kernel's notifications). */
	if (!o->query.protocols && !o->query.families && !o->filter.port_protocols && !o->watch &&
	    (o->action == CLI_AUDIT || (o->format == CLI_FORMAT_PROM && o->services)))
		p->query.protocols |= DIAG_UNIX;
	/* As in ss, -4 or -6 with only -x (or -0) asks for that family's sockets too: -x4 is
	 * unix and every IPv4 socket; -w4 is IPv4 raw sockets only. */
	if (o->query.families && !(p->query.protocols & (DIAG_INET | DIAG_RAW)))
		p->query.protocols |= DIAG_INET | DIAG_RAW;
	if (!p->query.families)
		p->query.families = DIAG_V4 | DIAG_V6;
}

void plan_make(struct plan *p, const struct listen_opts *o)
{
	*p = (struct plan){ .query = o->query, .view = choose_view(o), .bare = is_bare(o) };
	choose_protocols(p, o);
	p->query.states = choose_states(o, p->query.protocols);
	/* -i and -m ask the kernel for more, and only with rows to show it on. */
	if (p->view != PLAN_VIEW_TABLE && p->view != PLAN_VIEW_JSON &&
	    p->view != PLAN_VIEW_JSON_LINES)
		p->query.ext = 0;
	p->summary = o->summary;
	p->timers = o->timers || o->extended;
	/* autobound needs what only the kernel knows: which ports it chose. */
	p->query.autobound = filter_has(&o->filter, FILTER_AUTO);

	if (o->all_netns)
		p->netns = PLAN_NETNS_ALL;
	else if (o->netns_name)
		p->netns = PLAN_NETNS_NAME;
	else if (o->netns_spec)
		p->netns = PLAN_NETNS_PID_OR_PATH;
	p->netns_spec = o->netns_name ? o->netns_name : o->netns_spec;

	/* The owner view, --pids and the audit are about holders; --process and --user select
	 * sockets by them. */
	p->holders = cli_holders_given(&o->holders);
	p->user_names = o->holders.nusers > 0;
	/* As in ss, -Z and -z show users:(...) with or without -p: the contexts are the
	 * holders'. */
	p->contexts = (o->contexts & 2) ? 2 : o->contexts ? 1 : 0;
	p->processes = o->processes || o->filter.ports || o->pids || o->action == CLI_AUDIT ||
		       p->holders || p->bare || o->contexts ||
		       o->watch; /* an event says who opened the socket */
	/* The metrics carry the audit's risk, which needs what the audit needs: the holders
	 * (what they run, whether root does) and the public addresses. */
	p->audit = o->action == CLI_AUDIT || (p->view == PLAN_VIEW_PROM && o->services);
	p->owners = p->processes || p->audit;
	p->watch_ms = o->watch ? o->watch_ms : 0;
	/* A --proc-root tree is not the running kernel's: only a walk of it reads it. */
	p->owner_source = o->proc_root || o->owners == CLI_OWNERS_PROC ? PLAN_OWNERS_PROC :
			  o->owners == CLI_OWNERS_BPF ? PLAN_OWNERS_BPF : PLAN_OWNERS_AUTO;
	p->verbose = o->verbose;
	p->raw_source = (o->query.protocols & DIAG_RAW) || o->verbose;
	/* Every detail of each holder where it is shown whole; the table's Unit column needs
	 * only the cgroup; --pids nothing but the pid. */
	if (p->owners && p->view != PLAN_VIEW_PIDS) {
		bool table = p->view == PLAN_VIEW_TABLE || p->view == PLAN_VIEW_WATCH;

		if (!table && p->view != PLAN_VIEW_PROM)
			p->details = PLAN_DETAILS_ALL;
		else if (table && o->unit)
			p->details = PLAN_DETAILS_UNIT;
	}
	p->proc_required = p->owners || o->extended;
	p->port_names = !o->numeric && !p->bare;
	/* -r: host names too. As in ss, -n is about ports only: -rn names hosts, not ports. */
	p->host_names = o->resolve;
	p->kill = o->kill && !o->dry_run;
	p->dry_run = o->kill && o->dry_run;
	p->services = o->services;
	/* Where holders are found, they say what the service is. */
	p->identify = p->owners && p->services && p->view != PLAN_VIEW_PIDS;
	p->scope = o->scope;
	p->public_addresses = p->audit;
	p->cgroup_paths = o->extended;
	p->socket_units = p->details == PLAN_DETAILS_UNIT;
	/* Who may connect to a unix socket: its Scope, and what the audit judges by. */
	p->unix_files = (p->query.protocols & DIAG_UNIX) && !o->replay_netlink &&
			(p->scope || p->audit);
	/* Verdicts are about listeners, in every view that shows rows; not of a capture. */
	p->firewall = o->reach && !o->replay_netlink && p->view != PLAN_VIEW_PIDS &&
		      (p->query.states & LSOCK_STATES_LISTENING);
}

enum plan_owners plan_owner_source(const struct plan *p, const struct bpf_owners_facts *f,
				   const char **why)
{
	*why = NULL;
	if (p->owner_source == PLAN_OWNERS_PROC)
		*why = "asked for";
	else if (!f->built)
		*why = "built without BPF support";
	else if (!f->privileged)
		*why = "needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN";
	else if (!f->btf)
		*why = "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
	else if (f->lockdown)
		*why = "the kernel is locked down (confidentiality)";
	else if (!f->init_pidns)
		*why = "listen runs in a pid namespace of its own";
	else if (p->owner_source == PLAN_OWNERS_AUTO && f->tasks < PLAN_BPF_MIN_TASKS)
		*why = "few processes: the walk costs less";
	return *why ? PLAN_OWNERS_PROC : PLAN_OWNERS_BPF;
}
