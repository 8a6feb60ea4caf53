/* What listen says to a user who asks (--help) or who types another tool's habit: the help
 * text, and lsof's -i PORT answered with the listen command that does it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "listen/cli.h"

void cli_usage(FILE *f)
{
	fputs("Usage: listen [OPTIONS] [FILTER]   or   listen [OPTIONS] :PORT[,PORT|-PORT...]\n"
	      "Show sockets (tcp udp unix raw packet mptcp sctp vsock), holders and exposure.\n"
	      "Alone (or with only its own options: --json...) it is 'listen -tulnp';\n"
	      "any of ss's options keeps ss's meaning: 'listen -t' is connected TCP sockets.\n"
	      "FILTER is ss's: state NAME, sport/dport/src/dst/dev, src PATH, and/or/not, e.g.\n"
	      "'sport = :22 or dst 10.0.0.0/8'. :PORT (or fuser's 8080/tcp) shows its owners.\n"
	      "Sockets:\n"
	      "  -t, --tcp / -u, --udp  TCP / UDP sockets (with no other kind: both)\n"
	      "  -x, --unix / -w, --raw / -0, --packet  unix / raw IP / packet sockets\n"
	      "  -M, --mptcp / -S, --sctp / --vsock  MPTCP / SCTP / vsock sockets\n"
	      "  -A, --query=LIST, --socket=LIST  ss's socket tables: tcp,udp,unix_dgram,all...\n"
	      "  -4, --ipv4 / -6, --ipv6  IPv4 / IPv6 only;  -f, --family=inet|inet6|unix\n"
	      "  -l, --listening / -a, --all  listeners / every state (default: connected)\n"
	      "  -F, --filter=FILE  read the filter from FILE ('#' comments)\n"
	      "  -N, --net=NAME     in the network namespace NAME (ip netns), not this one\n"
	      "      --netns=PID|PATH  that of PID or an nsfs file;  --all-netns  every one\n"
	      "      --process=NAME|PID  --user=NAME|UID  only sockets such a process holds\n"
	      "  -K, --kill         close the sockets selected (root);  --dry-run  list them\n"
	      "Output:\n"
	      "  -n, --numeric / -H, --no-header  ports as numbers / no titles, no summary line\n"
	      "  -r, --resolve      host names for addresses;  -O, --oneline  (always so)\n"
	      "  -Z, --context / -z, --contexts  holders' SELinux contexts / and sockets'\n"
	      "  -p, --processes / -e, --extended  holders (others' need root) / socket details\n"
	      "  -o -m -i -s        --options, --memory, --info (tcp_info), --summary (ss -s)\n"
	      "      --no-services, --no-scope, --no-reach, --no-unit  without those columns\n"
	      "      --ss-columns   exactly ss's columns: the four above, for scripts\n"
	      "  -W, --wide         every column in full;  --width=N  fit N columns\n"
	      "      --color[=WHEN] colour warnings (or --colour): auto, always, never\n"
	      "  -j, --json[=lines] a JSON array of sockets, or one object per line\n"
	      "      --format=FMT   table (default), json, json-lines, prom (metrics)\n"
	      "      --pids         only the pids of the holders: kill $(listen --pids :8080)\n"
	      "      --watch[=INTERVAL]  events as sockets come and go (looks every 250ms)\n"
	      "      --owners=SRC   holders from auto, proc or bpf;  --verbose  say which ran\n"
	      "Audit:\n"
	      "      --audit        review exposed services and open unix sockets, by risk\n"
	      "      --allow FILE   approved services (default: " CLI_DEFAULT_ALLOW ")\n"
	      "      --fail-on LEVEL  exit 3 at LEVEL or above: low, medium, high (default)\n"
	      "  -h, --help         this help;  -V, --version  the version\n"
	      "Exit: 0 ok, 1 error or nothing found, 2 bad usage, 3 findings or unclosed (-K).\n"
	      "listen(1) describes the columns, the allow-list, JSON and the metrics.\n",
	      f);
}

/* The port of an lsof address ("[46][proto][@host][:port]"), or NULL: what follows the last
 * ':', if it is port-like (names, numbers, lists and ranges). *proto gets "tcp" or "udp" when
 * the address names one ("TCP:8080", "4udp@host:53"), else NULL. */
static const char *cli_lsof_port(const char *spec, const char **proto)
{
	const char *p = spec ? strrchr(spec, ':') : NULL, *s = spec;

	*proto = NULL;
	if (!p || !p[1] || p[1 + strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,-")])
		return NULL;
	s += *s == '4' || *s == '6';
	if (strlen(s) >= 3 && (s[3] == '@' || s[3] == ':'))
		*proto = strncasecmp(s, "tcp", 3) == 0 ? "tcp" :
			 strncasecmp(s, "udp", 3) == 0 ? "udp" : NULL;
	return p + 1;
}

/* The owner view's words for lsof's port: ":8080", or fuser's "8080/tcp" ("80/tcp,443/tcp")
 * when lsof's address named the protocol. */
static void cli_lsof_owner(char *buf, size_t size, const char *port, const char *proto)
{
	size_t used = 0;

	if (!proto) {
		snprintf(buf, size, ":%s", port);
		return;
	}
	buf[0] = '\0';
	for (const char *s = port; used + 1 < size;) {
		size_t n = strcspn(s, ",");

		used += (size_t)snprintf(buf + used, size - used, "%s%.*s/%s", s == port ? "" : ",",
					 (int)n, s, proto);
		if (!s[n])
			break;
		s += n + 1;
	}
}

/* lsof's -i given a port ("-i:8080", "-iTCP:8080", "-i :8080"), word being what follows -i:
 * -EINVAL with the command that answers it in err; 0 when word names no port. */
int cli_lsof_info(const char *word, char *err, size_t errlen)
{
	char owner[96];
	const char *proto, *port = cli_lsof_port(word, &proto);

	if (!port)
		return 0;
	cli_lsof_owner(owner, sizeof(owner), port, proto);
	snprintf(err, errlen, "-i is ss's --info (TCP internals), not lsof's; for who owns port "
		 "%s: listen %s", port, owner);
	return -EINVAL;
}
