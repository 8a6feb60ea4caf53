/* Unit tests of the plan: each combination of options gives the sockets, look-ups and view
 * expected of it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "listen/bpf_owners.h"
#include "listen/cli.h"
#include "listen/plan.h"
#include "listen/sock.h"

#define TCP_UDP (DIAG_TCP | DIAG_UDP)
#define BOTH (DIAG_V4 | DIAG_V6)

/* The plan of "listen ARGS...", NULL-terminated. */
static struct plan plan_of(const char *first, ...)
{
	char *argv[16] = { "listen" }, err[256];
	struct listen_opts o;
	struct plan p;
	va_list ap;
	int argc = 1;

	va_start(ap, first);
	for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	assert_int_equal(cli_parse(&o, argc, argv, err, sizeof(err)), 0);
	plan_make(&p, &o);
	cli_free(&o);
	return p;
}

/* Bare listen is `listen -tulnp`: TCP and UDP listeners, both families, their holders, ports
 * as numbers, a table. */
static void defaults(void **state)
{
	struct plan p = plan_of(NULL), tulnp = plan_of("-tulnp", NULL);

	(void)state;
	assert_true(p.bare);
	assert_false(tulnp.bare);
	assert_int_equal(p.query.protocols, TCP_UDP);
	assert_int_equal(p.query.families, BOTH);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_int_equal(p.view, PLAN_VIEW_TABLE);
	assert_int_equal(p.netns, PLAN_NETNS_OWN);
	assert_null(p.netns_spec);
	assert_true(p.owners && p.proc_required && p.identify && p.socket_units);
	assert_int_equal(p.details, PLAN_DETAILS_UNIT);
	assert_false(p.port_names || p.cgroup_paths || p.public_addresses);
	assert_true(p.services && p.scope);
	/* Everything but the flag itself is -tulnp's plan. */
	tulnp.bare = true;
	assert_memory_equal(&p, &tulnp, sizeof(p));
}

/* Each of ss's selection options keeps ss's meaning: connected sockets, no holders unless
 * -p. Its output options (-n, -p, -e, -H) and -N keep bare listen's: `listen -H` is bare
 * listen without the header. */
static void ss_defaults(void **state)
{
	static const char *const ss_flags[] = { "-t", "-u", "-x", "-w", "-0", "-a", "-l", "-4",
						"-6" };
	static const char *const output_flags[] = { "-n", "-p", "-e", "-H", "-Nblue" };
	struct plan p = plan_of("-t", "-u", NULL);

	(void)state;
	for (size_t i = 0; i < sizeof(ss_flags) / sizeof(ss_flags[0]); i++)
		assert_false(plan_of(ss_flags[i], NULL).bare);
	for (size_t i = 0; i < sizeof(output_flags) / sizeof(output_flags[0]); i++) {
		struct plan b = plan_of(output_flags[i], NULL);

		assert_true(b.bare);
		assert_int_equal(b.query.states, LSOCK_STATES_LISTENING);
		assert_int_equal(b.query.protocols, TCP_UDP);
		assert_true(b.owners);
	}
	assert_int_equal(p.query.protocols, TCP_UDP);
	assert_int_equal(p.query.states, LSOCK_STATES_CONNECTED);
	assert_false(p.owners || p.proc_required || p.cgroup_paths || p.socket_units ||
		     p.public_addresses);
	assert_int_equal(p.details, PLAN_DETAILS_NONE);
	assert_int_equal(plan_of("-tp", NULL).query.states, LSOCK_STATES_CONNECTED);
	assert_true(plan_of("-tH", NULL).port_names);
	/* An expression is ss's too, and so is a state clause. */
	assert_false(plan_of("sport = :22", NULL).bare);
	assert_int_equal(plan_of("sport = :22", NULL).query.states, LSOCK_STATES_CONNECTED);
	assert_false(plan_of("state", "established", NULL).bare);
	/* ss's UDP default is established only: one state. */
	assert_int_equal(plan_of("-u", NULL).query.states, 1u << LSOCK_ESTABLISHED);
	assert_int_equal(plan_of("-t", NULL).query.states, LSOCK_STATES_CONNECTED);
	/* A family flag adds ss's connected states: -u4 shows the State column, -u does not. */
	assert_int_equal(plan_of("-u4", NULL).query.states, LSOCK_STATES_CONNECTED);
	assert_int_equal(plan_of("-u", "-6", NULL).query.states, LSOCK_STATES_CONNECTED);
	assert_int_equal(plan_of("-ul4", NULL).query.states, LSOCK_STATES_LISTENING);
}

/* Options of listen's own (what is printed, and how; whose sockets; which namespaces) keep the
 * bare default: `listen --json` is the listeners as JSON. */
static void bare_with_output_options(void **state)
{
	static const char *const own[] = { "--json", "-j", "--json=lines", "--format=json",
					   "--format=json-lines", "--format=table", "--format=prom",
					   "--color=always", "--colour=never", "--no-services",
					   "--no-scope", "--no-reach", "--no-unit", "--ss-columns",
					   "--all-netns", "--netns=1", "--process=nginx",
					   "--user=0", "--pids" };

	(void)state;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		struct plan p = plan_of(own[i], NULL);

		assert_true(p.bare);
		/* The metrics carry the audit's findings of every family. */
		assert_int_equal(p.query.protocols,
				 strcmp(own[i], "--format=prom") == 0
				 ? TCP_UDP | DIAG_UNIX | DIAG_RAW | DIAG_PACKET | DIAG_MPTCP |
				   DIAG_SCTP : TCP_UDP);
		assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
		assert_true(p.owners);
		assert_false(p.port_names);
	}
	assert_int_equal(plan_of("--json", NULL).view, PLAN_VIEW_JSON);
	assert_int_equal(plan_of("--json", NULL).details, PLAN_DETAILS_ALL);
	assert_int_equal(plan_of("--format=prom", NULL).view, PLAN_VIEW_PROM);
	assert_int_equal(plan_of("--pids", NULL).view, PLAN_VIEW_PIDS);
	/* With one of ss's options beside them, ss's meaning. */
	assert_false(plan_of("--json", "-t", NULL).bare);
	assert_int_equal(plan_of("--json", "-t", NULL).query.states, LSOCK_STATES_CONNECTED);
	assert_false(plan_of("--json", "-t", NULL).owners);
	/* The audit is not a bare run: it has its own selection. */
	assert_false(plan_of("--audit", NULL).bare);
}

static void table_flags(void **state)
{
	struct plan p = plan_of("-tlnpeH4", NULL);

	(void)state;
	assert_int_equal(p.query.protocols, DIAG_TCP);
	assert_int_equal(p.query.families, DIAG_V4);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_true(p.owners && p.proc_required && p.cgroup_paths);
	/* The Unit column: each holder's cgroup, and a socket's own when it has no holder. */
	assert_int_equal(p.details, PLAN_DETAILS_UNIT);
	assert_true(p.socket_units);
	assert_false(p.port_names);
	/* Holders name the services: their executables and command lines are read. */
	assert_true(p.identify);
	assert_false(plan_of("-tln", NULL).identify);
	assert_false(plan_of("--pids", ":22", NULL).identify);
	assert_true(plan_of(":22", NULL).identify);
	assert_true(plan_of("--audit", NULL).identify);
	p = plan_of("-tlp", "--no-unit", "--no-services", "--no-scope", NULL);
	assert_int_equal(p.details, PLAN_DETAILS_NONE);
	assert_false(p.socket_units || p.services || p.scope || p.identify);
	p = plan_of("-te", NULL);
	assert_true(p.proc_required && p.cgroup_paths);
	assert_false(p.owners);
	p = plan_of("--udp", "--all", "--ipv6", NULL);
	assert_int_equal(p.query.protocols, DIAG_UDP);
	assert_int_equal(p.query.families, DIAG_V6);
	assert_int_equal(p.query.states, LSOCK_STATES_ALL);
	p = plan_of("-4", "-6", "-tu", NULL); /* the last family flag wins, as in ss */
	assert_int_equal(p.query.families, DIAG_V6);
	assert_int_equal(p.query.protocols, TCP_UDP);
	/* The last of -l and -a wins, as in ss. */
	assert_int_equal(plan_of("-a", "-l", NULL).query.states, LSOCK_STATES_LISTENING);
	assert_int_equal(plan_of("-l", "-a", NULL).query.states, LSOCK_STATES_ALL);
}

/* State clauses replace -l and -a, as in ss. */
static void state_clauses(void **state)
{
	(void)state;
	assert_int_equal(plan_of("-l", "state", "established", NULL).query.states,
			 1u << LSOCK_ESTABLISHED);
	assert_int_equal(plan_of("--format=prom", "state", "time-wait", NULL).query.states,
			 1u << LSOCK_TIME_WAIT);
	assert_int_equal(plan_of("-t", "exclude", "listening", NULL).query.states,
			 LSOCK_STATES_ALL & ~(1u << LSOCK_LISTEN));
}

/* listen :PORT shows the listeners on the port with every detail of their holders. */
static void owner_view(void **state)
{
	struct plan p = plan_of(":8080", NULL);

	(void)state;
	assert_int_equal(p.view, PLAN_VIEW_OWNERS);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_int_equal(p.query.protocols, TCP_UDP);
	assert_true(p.owners && p.proc_required);
	assert_int_equal(p.details, PLAN_DETAILS_ALL);
	assert_false(p.socket_units);
	assert_int_equal(plan_of(":8080", "-a", NULL).query.states, LSOCK_STATES_ALL);
	p = plan_of("--json", ":8080", NULL);
	assert_int_equal(p.view, PLAN_VIEW_JSON);
	assert_int_equal(p.details, PLAN_DETAILS_ALL);
	/* fuser's PORT/PROTO: the owner view, dumping only the protocols named. */
	p = plan_of("8080/tcp", NULL);
	assert_int_equal(p.view, PLAN_VIEW_OWNERS);
	assert_int_equal(p.query.protocols, DIAG_TCP);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_false(p.bare);
	assert_int_equal(plan_of("53/udp", NULL).query.protocols, DIAG_UDP);
	assert_int_equal(plan_of("ssh/tcp", "53/udp", NULL).query.protocols, TCP_UDP);
	assert_int_equal(plan_of("8080/tcp", "53", NULL).query.protocols, TCP_UDP);
	assert_int_equal(plan_of("-t", "8080/tcp,53/udp", NULL).query.protocols, DIAG_TCP);
	assert_int_equal(plan_of("-a", "8080/tcp", NULL).query.states, LSOCK_STATES_ALL);
	/* --pids: holders, and nothing else of them. */
	p = plan_of("--pids", ":22", NULL);
	assert_int_equal(p.view, PLAN_VIEW_PIDS);
	assert_true(p.owners);
	assert_int_equal(p.details, PLAN_DETAILS_NONE);
}

static void machine_formats(void **state)
{
	struct plan p = plan_of("--json", "-t", NULL);

	(void)state;
	assert_int_equal(p.view, PLAN_VIEW_JSON);
	assert_false(p.owners);
	assert_int_equal(p.details, PLAN_DETAILS_NONE);
	p = plan_of("--json=lines", "-p", NULL);
	assert_int_equal(p.view, PLAN_VIEW_JSON_LINES);
	assert_int_equal(p.details, PLAN_DETAILS_ALL);
	/* Metrics: listeners, with the audit's risk, which needs what the audit reads (the
	 * holders identified, the public addresses) but not the holders' details; the processes
	 * label only with -p (or bare: --format=prom alone is -tulnp's metrics). */
	assert_true(plan_of("--format=prom", NULL).processes);
	p = plan_of("--format=prom", "-tu", NULL);
	assert_int_equal(p.view, PLAN_VIEW_PROM);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_true(p.audit && p.owners && p.identify && p.public_addresses);
	assert_false(p.processes);
	assert_int_equal(p.details, PLAN_DETAILS_NONE);
	p = plan_of("--format=prom", "-p", NULL);
	assert_true(p.owners && p.processes);
	assert_int_equal(p.details, PLAN_DETAILS_NONE);
	/* Without services there is no risk to give: no walk. */
	p = plan_of("--format=prom", "--no-services", "-tu", NULL);
	assert_false(p.audit || p.owners || p.public_addresses);
	/* (Bare, the processes label still needs the walk.) */
	p = plan_of("--format=prom", "--no-services", NULL);
	assert_false(p.audit || p.public_addresses);
	assert_true(p.owners && p.processes);
	assert_int_equal(plan_of("--format=prom", "-a", NULL).query.states, LSOCK_STATES_ALL);
}

/* The audit: listeners, holders in full, and whether a wildcard reaches a public address. */
static void audit(void **state)
{
	struct plan p = plan_of("--audit", NULL);

	(void)state;
	assert_int_equal(p.view, PLAN_VIEW_AUDIT);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_true(p.owners && p.public_addresses);
	assert_int_equal(p.details, PLAN_DETAILS_ALL);
	assert_int_equal(plan_of("--audit", "--json", NULL).view, PLAN_VIEW_AUDIT_JSON);
	assert_int_equal(plan_of("--audit", "-t", "-6", NULL).query.protocols, DIAG_TCP);
	/* The audit reviews what sniffs frames or takes raw IP, and MPTCP and SCTP listeners
	 * (unasked: a kernel without them is not said), unless narrowed; the watch follows TCP
	 * and UDP only. */
	assert_int_equal(p.query.protocols, TCP_UDP | DIAG_RAW | DIAG_PACKET | DIAG_UNIX |
			 DIAG_MPTCP | DIAG_SCTP);
	assert_int_equal(p.implied, DIAG_MPTCP | DIAG_SCTP);
	assert_int_equal(plan_of("--audit", "-M", NULL).implied, 0);
	assert_int_equal(plan_of("--audit", "-A", "tcp,mptcp", NULL).query.protocols,
			 DIAG_TCP | DIAG_MPTCP);
	assert_int_equal(plan_of("--audit", "-0", NULL).query.protocols, DIAG_PACKET);
	assert_int_equal(plan_of("--audit", "--watch", NULL).query.protocols, TCP_UDP);
	/* It reviews unix listeners too, and who may connect to them; -t, -u, -x, -w, -0, -4
	 * or -6 narrow it; the watch takes unix sockets only with -x. */
	assert_true(p.unix_files);
	assert_int_equal(plan_of("--audit", "-x", NULL).query.protocols, DIAG_UNIX);
	assert_int_equal(plan_of("--audit", "-tu", NULL).query.protocols, TCP_UDP);
	assert_int_equal(plan_of("--audit", "-4", NULL).query.protocols,
			 TCP_UDP | DIAG_RAW | DIAG_PACKET | DIAG_MPTCP | DIAG_SCTP);
	assert_int_equal(plan_of("--audit", "-x", "--watch", NULL).query.protocols, DIAG_UNIX);
	assert_false(plan_of("--audit", "-t", NULL).unix_files);
	assert_false(plan_of("--audit", "-x", "--replay-netlink=x", NULL).unix_files);
	/* The Scope column of -x looks at the files; --no-scope does not. */
	assert_true(plan_of("-xl", NULL).unix_files);
	assert_false(plan_of("-xl", "--no-scope", NULL).unix_files);
	assert_false(plan_of("-tl", NULL).unix_files);
}

/* -w and -0 with ss's defaults: raw sockets ESTAB ones, packet sockets UNCONN (their only
 * state), so -w and -0 have no State column and -wa and -0a have; -w4 is IPv4 raw sockets
 * only. */
static void raw_packet(void **state)
{
	(void)state;
	assert_int_equal(plan_of("-w", NULL).query.protocols, DIAG_RAW);
	assert_int_equal(plan_of("-w", NULL).query.states, 1u << LSOCK_ESTABLISHED);
	assert_int_equal(plan_of("-0", NULL).query.protocols, DIAG_PACKET);
	assert_int_equal(plan_of("-0", NULL).query.states, 1u << LSOCK_CLOSE);
	assert_int_equal(plan_of("-0a", NULL).query.states, LSOCK_STATES_ALL);
	assert_int_equal(plan_of("-0l", NULL).query.states, LSOCK_STATES_LISTENING);
	assert_int_equal(plan_of("-w0", NULL).query.states,
			 1u << LSOCK_ESTABLISHED | 1u << LSOCK_CLOSE);
	assert_int_equal(plan_of("-w4", NULL).query.protocols, DIAG_RAW);
	assert_int_equal(plan_of("-w4", NULL).query.families, DIAG_V4);
	assert_int_equal(plan_of("-x0", NULL).query.protocols, DIAG_UNIX | DIAG_PACKET);
	assert_false(plan_of("-0", NULL).bare);
	/* The metrics: raw and packet sockets (series and findings) unless narrowed; without
	 * services too (their series need no audit), but no unix sockets then (only their
	 * findings would be counted). */
	assert_int_equal(plan_of("--format=prom", "--no-services", NULL).query.protocols,
			 TCP_UDP | DIAG_RAW | DIAG_PACKET | DIAG_MPTCP | DIAG_SCTP);
	assert_int_equal(plan_of("--format=prom", "-t", NULL).query.protocols, DIAG_TCP);
	assert_int_equal(plan_of("--format=prom", "-w0", NULL).query.protocols,
			 DIAG_RAW | DIAG_PACKET);
	assert_int_equal(plan_of("--format=prom", "-w0", NULL).query.states,
			 LSOCK_STATES_LISTENING);
	assert_int_equal(plan_of("--format=prom", "-x", NULL).query.protocols, DIAG_UNIX);
	/* The watch follows raw and packet sockets when asked (by looking); not unasked. */
	assert_int_equal(plan_of("--watch", "-w0", NULL).query.protocols,
			 DIAG_RAW | DIAG_PACKET);
	assert_int_equal(plan_of("--watch", "-w0", NULL).view, PLAN_VIEW_WATCH);
	assert_int_equal(plan_of("--watch", NULL).query.protocols, TCP_UDP);
	assert_int_equal(plan_of("--audit", "--watch", NULL).query.protocols, TCP_UDP);
	assert_int_equal(plan_of("--audit", "--watch", "-0", NULL).query.protocols, DIAG_PACKET);
}

static void namespaces(void **state)
{
	struct plan p = plan_of("-N", "blue", NULL);

	(void)state;
	assert_int_equal(p.netns, PLAN_NETNS_NAME);
	assert_string_equal(p.netns_spec, "blue");
	p = plan_of("--netns=1234", NULL);
	assert_int_equal(p.netns, PLAN_NETNS_PID_OR_PATH);
	assert_string_equal(p.netns_spec, "1234");
	p = plan_of("--all-netns", "-tlnp", NULL);
	assert_int_equal(p.netns, PLAN_NETNS_ALL);
	assert_null(p.netns_spec);
}

/* --process and --user select sockets by their holders: the walk is needed in every view,
 * and the passwd database only for --user's names. */
static void holder_selection(void **state)
{
	struct plan p = plan_of("-tln", "--process=nginx", NULL);

	(void)state;
	assert_true(p.holders && p.owners && p.proc_required);
	assert_false(p.user_names);
	assert_int_equal(p.view, PLAN_VIEW_TABLE);
	assert_int_equal(p.details, PLAN_DETAILS_UNIT);
	p = plan_of("--json", "--user=www-data", NULL);
	assert_true(p.holders && p.owners && p.user_names);
	assert_int_equal(p.details, PLAN_DETAILS_ALL);
	p = plan_of("--user=0", "--format=prom", NULL);
	assert_true(p.holders && p.owners);
	assert_false(p.user_names);
	p = plan_of("--pids", "--process=1", NULL);
	assert_int_equal(p.view, PLAN_VIEW_PIDS);
	assert_true(p.holders && p.owners);
	assert_int_equal(p.details, PLAN_DETAILS_NONE);
	p = plan_of(":22", "--user=root", NULL);
	assert_int_equal(p.view, PLAN_VIEW_OWNERS);
	assert_true(p.holders && p.user_names);
	p = plan_of("--audit", "--process=sshd", NULL);
	assert_true(p.holders && p.owners);
	assert_false(plan_of("-tlnp", NULL).holders);
}

/* The firewall's ruleset is read where listeners are shown, unless --no-reach says not to;
 * never for a capture being replayed, nor for --pids. */
static void firewall(void **state)
{
	(void)state;
	assert_false(plan_of("-t", NULL).firewall); /* connected sockets only */
	assert_true(plan_of(NULL).firewall);        /* bare: listeners */
	assert_true(plan_of("-tln", NULL).firewall);
	assert_true(plan_of("-ta", NULL).firewall);
	assert_true(plan_of("--audit", NULL).firewall);
	assert_true(plan_of(":22", NULL).firewall);
	assert_true(plan_of("--format=prom", NULL).firewall);
	assert_true(plan_of("--json", "-ul", NULL).firewall);
	assert_false(plan_of("-tln", "--no-reach", NULL).firewall);
	assert_false(plan_of("--pids", ":22", NULL).firewall);
	assert_false(plan_of("-tln", "--replay-netlink=x", NULL).firewall);
	assert_false(plan_of("-t", "state", "established", NULL).firewall);
}

/* The watch: listeners of both protocols by default, with their holders (an event says who
 * opened the socket), the table's details for text, all of them for JSON and the audit. */
static void watch(void **state)
{
	struct plan p = plan_of("--watch", NULL);

	(void)state;
	assert_int_equal(p.view, PLAN_VIEW_WATCH);
	assert_int_equal(p.watch_ms, 250);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_int_equal(p.query.protocols, TCP_UDP);
	assert_true(p.owners);
	assert_int_equal(p.details, PLAN_DETAILS_UNIT);
	assert_int_equal(plan_of("--watch", "--no-unit", NULL).details, PLAN_DETAILS_NONE);
	p = plan_of("--watch=1s", "--json=lines", "-a", NULL);
	assert_int_equal(p.view, PLAN_VIEW_WATCH_JSON);
	assert_int_equal(p.watch_ms, 1000);
	assert_int_equal(p.query.states, LSOCK_STATES_ALL);
	assert_int_equal(p.details, PLAN_DETAILS_ALL);
	p = plan_of("--audit", "--watch", NULL);
	assert_int_equal(p.view, PLAN_VIEW_WATCH_AUDIT);
	assert_int_equal(p.details, PLAN_DETAILS_ALL);
	assert_true(p.public_addresses);
	assert_int_equal(plan_of("--audit", "--watch", "--json=lines", NULL).view,
			 PLAN_VIEW_WATCH_AUDIT_JSON);
	assert_int_equal(plan_of("--watch", ":8080", NULL).view, PLAN_VIEW_WATCH);
	assert_int_equal(plan_of("-tl", NULL).watch_ms, 0);
}

/* The owner source, from the options and the facts injected: the iterator only where it is
 * built, allowed, supported and (chosen by itself) worth it; a reason whenever it is not. */
/* -o, -i, -m and -s: what the kernel is asked for, and which view prints. */
static void views(void **state)
{
	struct plan tn = plan_of("-tn", NULL), tnim = plan_of("-tnim", NULL);
	struct plan jim = plan_of("--json", "-im", NULL), e = plan_of("-e", NULL);
	struct plan o = plan_of("-o", NULL), s = plan_of("-s", NULL);
	struct plan sj = plan_of("-s", "--json=lines", NULL), st = plan_of("-s", "-t", NULL);
	struct plan sl = plan_of("-s", "-l", NULL), sf = plan_of("-s", "sport = :22", NULL);

	(void)state;
	/* The default dump asks for nothing more: -tln and -tan cost what they did. */
	assert_int_equal(tn.query.ext, 0);
	assert_false(tn.timers || tn.summary);
	assert_int_equal(tnim.query.ext, DIAG_EXT_INFO | DIAG_EXT_MEMORY);
	assert_int_equal(jim.query.ext, DIAG_EXT_INFO | DIAG_EXT_MEMORY);
	assert_int_equal(jim.view, PLAN_VIEW_JSON);
	assert_true(e.timers && o.timers);
	assert_int_equal(o.query.ext, 0);
	/* -s alone (or with -l, as ss) is the summary; with a selection, the table after it. */
	assert_int_equal(s.view, PLAN_VIEW_SUMMARY);
	assert_int_equal(sl.view, PLAN_VIEW_SUMMARY);
	assert_int_equal(sj.view, PLAN_VIEW_SUMMARY_JSON);
	assert_true(s.summary && st.summary && sf.summary);
	assert_int_equal(st.view, PLAN_VIEW_TABLE);
	assert_int_equal(sf.view, PLAN_VIEW_TABLE);
	assert_int_equal(st.query.protocols, DIAG_TCP);
}

/* -M, -A and -f: the protocols, families and unix types dumped, and ss's default states. */
static void families(void **state)
{
	struct plan p;

	(void)state;
	p = plan_of("-M", NULL);
	assert_int_equal(p.query.protocols, DIAG_MPTCP);
	assert_int_equal(p.query.families, BOTH);
	assert_int_equal(p.query.states, LSOCK_STATES_CONNECTED);
	/* -4 narrows MPTCP too, without adding TCP and UDP as it does to -x. */
	p = plan_of("-M4", NULL);
	assert_int_equal(p.query.protocols, DIAG_MPTCP);
	assert_int_equal(p.query.families, DIAG_V4);
	/* -x4 is unix and every IPv4 socket (ss's -f inet); -4 alone the same without unix. */
	p = plan_of("-x4", NULL);
	assert_int_equal(p.query.protocols, DIAG_UNIX | DIAG_INET | DIAG_RAW);
	p = plan_of("-4", NULL);
	assert_int_equal(p.query.protocols, DIAG_INET | DIAG_RAW);
	assert_int_equal(p.query.families, DIAG_V4);
	p = plan_of("-6", "-l", NULL);
	assert_int_equal(p.query.protocols, DIAG_INET | DIAG_RAW);
	p = plan_of("-A", "tcp,mptcp", "-l", NULL);
	assert_int_equal(p.query.protocols, DIAG_TCP | DIAG_MPTCP);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	assert_null(p.partial);
	/* -A unix_dgram is unix sockets of one type; with -x, all of them. */
	p = plan_of("-A", "unix_dgram", NULL);
	assert_int_equal(p.query.protocols, DIAG_UNIX);
	assert_int_equal(p.query.unix_types, 1u << SOCK_DGRAM);
	p = plan_of("-A", "unix_dgram", "-x", NULL);
	assert_int_equal(p.query.unix_types, 0);
	p = plan_of("-A", "all", NULL);
	assert_int_equal(p.query.protocols,
			 DIAG_INET | DIAG_RAW | DIAG_UNIX | DIAG_PACKET | DIAG_VSOCK);
	assert_non_null(p.partial);
	/* -f inet: IPv4's protocols, unless an option names protocols (then nothing is left
	 * out that was asked for). */
	p = plan_of("-f", "inet", NULL);
	assert_int_equal(p.query.protocols, DIAG_INET | DIAG_RAW);
	assert_int_equal(p.query.families, DIAG_V4);
	assert_non_null(p.partial);
	p = plan_of("-f", "inet", "-t", NULL);
	assert_int_equal(p.query.protocols, DIAG_TCP);
	assert_null(p.partial);
	p = plan_of("-f", "unix", NULL);
	assert_int_equal(p.query.protocols, DIAG_UNIX);
	assert_int_equal(p.query.families, BOTH);
	p = plan_of("-f", "inet", "-6", NULL);
	assert_int_equal(p.query.families, DIAG_V6);
	/* A port list's protocols come before -f's. */
	p = plan_of("-f", "inet", "8080/udp", NULL);
	assert_int_equal(p.query.protocols, DIAG_UDP);
}

/* -K: the rows it closes, in the table or JSON, never the owner view; --dry-run closes none.
 * -r names hosts, with -n too (as in ss, -n is about ports). */
static void kill(void **state)
{
	struct plan p;

	(void)state;
	p = plan_of("-K", ":8080", NULL);
	assert_true(p.kill && !p.dry_run);
	assert_int_equal(p.view, PLAN_VIEW_TABLE);
	p = plan_of("-K", "--json", "dport", "=", ":443", NULL);
	assert_int_equal(p.view, PLAN_VIEW_JSON);
	assert_int_equal(p.query.states, LSOCK_STATES_CONNECTED);
	p = plan_of("-K", "--dry-run", "-l", "sport", "=", ":22", NULL);
	assert_true(p.dry_run && !p.kill);
	assert_int_equal(p.query.states, LSOCK_STATES_LISTENING);
	p = plan_of("-t", NULL);
	assert_false(p.kill || p.dry_run || p.host_names);
	p = plan_of("-rn", NULL);
	assert_true(p.host_names && !p.port_names);
}

/* -Z and -z: the holders are shown, with or without -p, as in ss. */
static void contexts(void **state)
{
	struct plan p;

	(void)state;
	p = plan_of("-tlZ", NULL);
	assert_int_equal(p.contexts, 1);
	assert_true(p.processes && p.owners);
	p = plan_of("-z", "--json", NULL);
	assert_int_equal(p.contexts, 2);
	assert_true(p.processes && p.owners);
	assert_int_equal(p.view, PLAN_VIEW_JSON);
	assert_int_equal(plan_of("-zZ", NULL).contexts, 2);
	assert_int_equal(plan_of("-Z", "-z", NULL).contexts, 2);
	p = plan_of("-tl", NULL);
	assert_int_equal(p.contexts, 0);
	assert_false(p.processes);
}

static void owner_source(void **state)
{
	const struct bpf_owners_facts yes = { .built = true, .privileged = true, .btf = true,
					      .init_pidns = true, .tasks = 5000 };
	struct plan aut = plan_of("-tlnp", NULL), bpf = plan_of("-tlnp", "--owners=bpf", NULL);
	struct plan proc = plan_of("-tlnp", "--owners=proc", NULL);
	struct plan tree = plan_of("-tlnp", "--proc-root=/x", NULL);
	struct bpf_owners_facts f;
	const char *why;

	(void)state;
	assert_int_equal(aut.owner_source, PLAN_OWNERS_AUTO);
	assert_int_equal(bpf.owner_source, PLAN_OWNERS_BPF);
	assert_int_equal(proc.owner_source, PLAN_OWNERS_PROC);
	/* A fixture tree is not the running kernel's. */
	assert_int_equal(tree.owner_source, PLAN_OWNERS_PROC);
	assert_false(aut.verbose);
	assert_true(plan_of("-tlnp", "--verbose", NULL).verbose);

	assert_int_equal(plan_owner_source(&aut, &yes, &why), PLAN_OWNERS_BPF);
	assert_null(why);
	assert_int_equal(plan_owner_source(&bpf, &yes, &why), PLAN_OWNERS_BPF);
	assert_int_equal(plan_owner_source(&proc, &yes, &why), PLAN_OWNERS_PROC);
	assert_string_equal(why, "asked for");
	assert_int_equal(plan_owner_source(&tree, &yes, &why), PLAN_OWNERS_PROC);

	/* Each missing fact keeps the walk, forced or not, and says which. */
	static const struct {
		size_t off;
		bool value;
		const char *why;
	} facts[] = {
		{ offsetof(struct bpf_owners_facts, built), false, "built without BPF support" },
		{ offsetof(struct bpf_owners_facts, privileged), false,
		  "needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN" },
		{ offsetof(struct bpf_owners_facts, btf), false,
		  "the kernel has no BTF (/sys/kernel/btf/vmlinux)" },
		{ offsetof(struct bpf_owners_facts, lockdown), true,
		  "the kernel is locked down (confidentiality)" },
		{ offsetof(struct bpf_owners_facts, init_pidns), false,
		  "listen runs in a pid namespace of its own" },
	};
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		f = yes;
		memcpy((char *)&f + facts[i].off, &facts[i].value, sizeof(bool));
		assert_int_equal(plan_owner_source(&aut, &f, &why), PLAN_OWNERS_PROC);
		assert_string_equal(why, facts[i].why);
		assert_int_equal(plan_owner_source(&bpf, &f, &why), PLAN_OWNERS_PROC);
		assert_string_equal(why, facts[i].why);
	}
	/* An idle machine: the walk costs less, unless the iterator is asked for. */
	f = yes;
	f.tasks = PLAN_BPF_MIN_TASKS - 1;
	assert_int_equal(plan_owner_source(&aut, &f, &why), PLAN_OWNERS_PROC);
	assert_string_equal(why, "few processes: the walk costs less");
	assert_int_equal(plan_owner_source(&bpf, &f, &why), PLAN_OWNERS_BPF);
	f.tasks = PLAN_BPF_MIN_TASKS;
	assert_int_equal(plan_owner_source(&aut, &f, &why), PLAN_OWNERS_BPF);
	/* Unknown (no /proc/loadavg): the walk. */
	f.tasks = 0;
	assert_int_equal(plan_owner_source(&aut, &f, &why), PLAN_OWNERS_PROC);
	/* Nobody: no fact but the build is even read. */
	f = (struct bpf_owners_facts){ .built = true };
	assert_int_equal(plan_owner_source(&aut, &f, &why), PLAN_OWNERS_PROC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(ss_defaults),
		cmocka_unit_test(bare_with_output_options),
		cmocka_unit_test(table_flags),
		cmocka_unit_test(state_clauses),
		cmocka_unit_test(owner_view),
		cmocka_unit_test(machine_formats),
		cmocka_unit_test(audit),
		cmocka_unit_test(raw_packet),
		cmocka_unit_test(namespaces),
		cmocka_unit_test(holder_selection),
		cmocka_unit_test(firewall),
		cmocka_unit_test(watch),
		cmocka_unit_test(views),
		cmocka_unit_test(owner_source),
		cmocka_unit_test(families),
		cmocka_unit_test(kill),
		cmocka_unit_test(contexts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
