/* Unit tests of the audit: grouping, risk, allow-list parsing and matching, the exit status. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/audit.h"
#include "listen/audit_allow.h"
#include "listen/json.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/program.h"
#include "listen/sock.h"
#include "listen/unix_scope.h"
#include "listen/unixfile.h"

static struct procfs_proc procs[] = {
	{ .pid = 100, .uid = 0, .name = "nginx" },
	{ .pid = 101, .uid = 4242, .name = "nginx" },
	{ .pid = 200, .uid = 4243, .name = "redis-server" },
	{ .pid = 300, .uid = 0, .name = "mysqld" },
	{ .pid = 400, .uid = 1000, .name = "resolver" },
};
static struct procfs_owner nginx_owners[] = { { 101, 6, 1 }, { 100, 6, 0 } };
static struct procfs_owner redis_owner[] = { { 200, 5, 2 } };
static struct procfs_owner mysql_owner[] = { { 300, 9, 3 } };
static struct procfs_owner resolver_owner[] = { { 400, 3, 4 } };

static struct lsock sock(int family, uint8_t proto, const char *addr, uint16_t port, int v6only)
{
	struct lsock sk = { .family = (uint8_t)family, .protocol = proto, .lport = port,
			    .state = proto == IPPROTO_TCP ? LSOCK_LISTEN : LSOCK_CLOSE };

	assert_int_equal(inet_pton(family, addr, sk.laddr), 1);
	if (family == AF_INET6) {
		sk.flags |= LSOCK_HAS_V6ONLY;
		sk.v6only = (uint8_t)v6only;
	}
	return sk;
}

/* The fixture: nginx dual-stack on 80 (v4 and v6only v6 sockets, two workers), redis on all,
 * mysql as root on a LAN address, postgres on loopback, an unknown port without an owner, a
 * UDP client on an ephemeral port, and an established connection. */
static struct lsock sks[8];
static struct out_row in[8];
static const struct svc_db db = { .eph_lo = 32768, .eph_hi = 60999 };

static void fixture(void)
{
	sks[0] = sock(AF_INET, IPPROTO_TCP, "0.0.0.0", 80, -1);
	sks[1] = sock(AF_INET6, IPPROTO_TCP, "::", 80, 1);
	sks[2] = sock(AF_INET, IPPROTO_TCP, "0.0.0.0", 6379, -1);
	sks[3] = sock(AF_INET, IPPROTO_TCP, "10.0.0.5", 3306, -1);
	sks[4] = sock(AF_INET, IPPROTO_TCP, "127.0.0.1", 5432, -1);
	sks[5] = sock(AF_INET, IPPROTO_TCP, "203.0.113.9", 7777, -1);
	sks[6] = sock(AF_INET, IPPROTO_UDP, "0.0.0.0", 45000, -1);
	sks[7] = sock(AF_INET, IPPROTO_TCP, "10.0.0.5", 22, -1);
	sks[7].state = LSOCK_ESTABLISHED;
	static const enum scope_class scopes[8] = { SCOPE_ALL, SCOPE_ALL_V6, SCOPE_ALL, SCOPE_LAN,
						    SCOPE_LOOPBACK, SCOPE_PUBLIC, SCOPE_ALL,
						    SCOPE_LAN };
	for (int i = 0; i < 8; i++) {
		struct svc_ref sv = svc_lookup(&db, sks[i].lport, sks[i].rport, sks[i].protocol);

		in[i] = (struct out_row){ .sk = &sks[i], .scope = scopes[i], .service = sv.name,
					  .svc = sv.info, .service_peer = sv.peer };
	}
	/* The holders of 80, 6379 and 3306 are identified by their executables. */
	static const char *const exes[4] = { "/usr/sbin/nginx", "/usr/sbin/nginx",
					     "/usr/bin/redis-check-rdb", "/usr/sbin/mariadbd" };
	for (int i = 0; i < 4; i++) {
		struct prog_id id;

		prog_identify(exes[i], false, NULL, NULL, &id);
		in[i].program = id.prog;
		in[i].service_source = SVC_SOURCE_PROGRAM;
		in[i].holders_known = true;
	}
	in[0].owners = in[1].owners = nginx_owners;
	in[0].nowners = in[1].nowners = 2;
	in[2].owners = redis_owner;
	in[2].nowners = 1;
	in[3].owners = mysql_owner;
	in[3].nowners = 1;
	in[6].owners = resolver_owner;
	in[6].nowners = 1;
	in[5].owners_unknown = true; /* 7777: its holder is another user's */
}

/* A client's port: unconnected UDP, in the ephemeral range, that nothing names; wherever it
 * is bound (the metrics ask of loopback ones too). */
static void client_port(void **state)
{
	struct out_row r;

	(void)state;
	fixture();
	assert_true(audit_client(&in[6], &db));
	r = in[6];
	r.scope = SCOPE_LOOPBACK;
	assert_true(audit_client(&r, &db));
	r.service = "openvpn"; /* named: a service, whatever its port */
	assert_false(audit_client(&r, &db));
	assert_false(audit_client(&in[0], &db)); /* TCP */
	assert_false(audit_client(&in[2], &db));
	struct lsock below = *in[6].sk;

	below.lport = 5000; /* below the range */
	r = in[6];
	r.sk = &below;
	assert_false(audit_client(&r, &db));
	below.lport = 45000;
	below.state = LSOCK_ESTABLISHED; /* connected: not a listener */
	assert_false(audit_client(&r, &db));
}

static void findings(void **state)
{
	struct audit a;

	(void)state;
	fixture();
	assert_int_equal(audit_build(&a, in, 8, procs, &db, NULL), 0);
	assert_int_equal(a.clients, 1);       /* the UDP client */
	assert_int_equal(a.nfindings, 4);     /* 80 (one finding), 6379, 3306, 7777 */
	/* Ranked: high first (redis; mysql, medium but root), then low, by port. */
	assert_int_equal(a.findings[0].port, 3306);
	assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
	assert_true(a.findings[0].reasons & AUDIT_ROOT);
	assert_true(a.findings[0].reasons & AUDIT_NOTE);
	assert_false(a.findings[0].reasons & AUDIT_ALL);
	assert_int_equal(a.findings[1].port, 6379);
	assert_int_equal(a.findings[1].risk, SVC_RISK_HIGH);
	assert_int_equal(a.findings[1].reasons, AUDIT_NOTE | AUDIT_ALL);
	assert_int_equal(a.findings[2].port, 80);
	assert_int_equal(a.findings[2].count, 2); /* the dual-stack pair */
	assert_int_equal(a.findings[2].risk, SVC_RISK_LOW); /* low stays low under root */
	assert_int_equal(a.findings[2].reasons, AUDIT_ALL | AUDIT_ROOT);
	assert_int_equal(a.socks[a.order[a.findings[2].first]].sk->family, AF_INET);
	assert_int_equal(a.findings[3].port, 7777);
	assert_int_equal(a.findings[3].risk, SVC_RISK_LOW);
	assert_int_equal(a.findings[3].reasons, AUDIT_UNKNOWN | AUDIT_PUBLIC | AUDIT_NO_OWNER);
	assert_true(audit_fails(&a, SVC_RISK_HIGH));
	audit_free(&a);

	/* Nothing exposed: no findings, nothing fails. */
	assert_int_equal(audit_build(&a, &in[4], 1, procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 0);
	assert_false(audit_fails(&a, SVC_RISK_LOW));
	audit_free(&a);
}

/* The review as audit_print writes it; free the result. */
static char *printed(const struct audit *a, const struct procfs_info *info)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(out_audit_text(f, a, procs, info, false), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* Bound to all interfaces on a host with a public address: reachable from anywhere, so a
 * medium service becomes high, and the reason names the address. */
static void public_host(void **state)
{
	struct scope_public host = { .public4 = true, .addr4 = { 203, 0, 113, 9 } };
	struct audit a;
	char *text = NULL;

	(void)state;
	fixture();
	sks[4] = sock(AF_INET, IPPROTO_TCP, "0.0.0.0", 5432, -1); /* postgres, medium, not root */
	in[4].scope = SCOPE_ALL;
	/* The port's guess alone goes no higher than medium, public address or not. */
	assert_int_equal(audit_build(&a, &in[4], 1, procs, &db, &host), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	assert_int_equal(a.findings[0].reasons, AUDIT_NOTE | AUDIT_ALL_PUBLIC | AUDIT_GUESS);
	text = printed(&a, NULL);
	assert_non_null(strstr(text, "MEDIUM  tcp/5432 postgresql? on 0.0.0.0 (all)\n"));
	free(text);
	audit_free(&a);
	/* Postgres itself holds it. */
	in[4].service_source = SVC_SOURCE_PROGRAM;
	assert_int_equal(audit_build(&a, &in[4], 1, procs, &db, NULL), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	assert_int_equal(a.findings[0].reasons, AUDIT_NOTE | AUDIT_ALL);
	audit_free(&a);

	assert_int_equal(audit_build(&a, &in[4], 1, procs, &db, &host), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
	assert_int_equal(a.findings[0].reasons, AUDIT_NOTE | AUDIT_ALL_PUBLIC);
	text = printed(&a, NULL);
	assert_non_null(strstr(text, "PostgreSQL: database exposed to the network; bound to all "
				     "interfaces, public 203.0.113.9 among them\n"));
	free(text);
	audit_free(&a);

	/* Only IPv6 is public: 0.0.0.0 is not reachable through it; a v6only [::] is. */
	host = (struct scope_public){ .public6 = true,
				      .addr6 = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 } };
	assert_int_equal(audit_build(&a, &in[4], 1, procs, &db, &host), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	audit_free(&a);
	assert_int_equal(audit_build(&a, &in[1], 1, procs, &db, &host), 0);
	assert_int_equal(a.findings[0].reasons, AUDIT_ALL_PUBLIC | AUDIT_ROOT);
	text = printed(&a, NULL);
	assert_non_null(strstr(text, "bound to all interfaces, public 2001:db8::9 among them"));
	free(text);
	audit_free(&a);
}

/* Different programs on one port are different findings. */
static void grouping_by_holder(void **state)
{
	struct audit a;

	(void)state;
	fixture();
	in[1].owners = redis_owner; /* [::]:80 now held by another program */
	in[1].nowners = 1;
	assert_int_equal(audit_build(&a, in, 2, procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 2);
	audit_free(&a);
}

static int parse(struct audit_allow *al, const char *text, unsigned *line, char *err)
{
	*al = (struct audit_allow){ 0 };
	err[0] = '\0';
	return audit_allow_parse(al, text, strlen(text), NULL, line, err, 256);
}

static void allow_parsing(void **state)
{
	struct audit_allow al;
	unsigned line;
	char err[256];

	(void)state;
	assert_int_equal(parse(&al, "# approved\n\ntcp/22\n  udp/53 10.0.0.1 # dns\n"
				    "tcp/443 0.0.0.0 nginx\ntcp/80 [::] nginx\ntcp/8080 *\r\n"
				    "udp/123", &line, err), 0);
	assert_int_equal(al.len, 6);
	assert_int_equal(al.v[0].protocol, IPPROTO_TCP);
	assert_int_equal(al.v[0].port, 22);
	assert_true(al.v[0].any_addr);
	assert_null(al.v[0].process);
	assert_int_equal(al.v[0].line, 3);
	assert_int_equal(al.v[1].protocol, IPPROTO_UDP);
	assert_false(al.v[1].any_addr);
	assert_int_equal(al.v[1].family, AF_INET);
	assert_string_equal(al.v[2].process, "nginx");
	assert_int_equal(al.v[3].family, AF_INET6);
	assert_true(al.v[4].any_addr);
	assert_int_equal(al.v[5].line, 8);
	audit_allow_free(&al);

	static const struct {
		const char *text, *err;
		unsigned line;
	} bad[] = {
		{ "tcp/22\nbogus\n",
		  "expected tcp/PORT, udp/PORT, mptcp/PORT or sctp/PORT (PORT 1-65535 or a "
		  "service's name), raw/PROTOCOL (1-255 or a name), packet/ETHERTYPE (all, ip, "
		  "arp, 0x88cc...) or vsock/PORT, got 'bogus'", 2 },
		{ "tcp/ssh", "got 'tcp/ssh'", 1 }, /* no names to look it up in */
		{ "vsock/4294967295", "got 'vsock/4294967295'", 1 },
		{ "vsock/ssh", "got 'vsock/ssh'", 1 }, /* no names of vsock ports */
		{ "vsock/1024 guest", "expected a vsock context id (a number, any, host, local, "
				      "*), got 'guest'", 1 },
		{ "sctp/0", "got 'sctp/0'", 1 },
		{ "mptcp/65536", "got 'mptcp/65536'", 1 },
		{ "raw/256", "got 'raw/256'", 1 },
		{ "raw/0", "got 'raw/0'", 1 },
		{ "packet/nosuch", "got 'packet/nosuch'", 1 },
		{ "packet/0x10000", "got 'packet/0x10000'", 1 },
		{ "packet/all eth0 dhclient extra", "unexpected 'extra'", 1 },
		{ "tcp/0", "got 'tcp/0'", 1 },
		{ "tcp/65536", "got 'tcp/65536'", 1 },
		{ "tcp/", "got 'tcp/'", 1 },
		{ "tcp/22x", "got 'tcp/22x'", 1 },
		{ "tcp/22 10.0.0.999",
		  "expected an address (0.0.0.0, ::, 10.0.0.1, *), got '10.0.0.999'", 1 },
		{ "tcp/22 * sshd extra", "unexpected 'extra' after the process name", 1 },
		{ "\n\ntcp/22 \033[2J", "got '\\x1b[2J'", 3 },
		{ "tcp/22\0", "a NUL byte: not a text file", 1 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].text) + (strcmp(bad[i].text, "tcp/22") == 0);

		al = (struct audit_allow){ 0 };
		assert_int_equal(audit_allow_parse(&al, bad[i].text, len, NULL, &line, err,
						   sizeof(err)), -EINVAL);
		if (!strstr(err, bad[i].err))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i].text, err, bad[i].err);
		assert_int_equal(line, bad[i].line);
		assert_null(strchr(err, '\n'));
		audit_allow_free(&al);
	}
}

/* The names allow_names knows: services ssh (tcp 22) and domain (tcp and udp 53), the IP
 * protocol icmp (1); "fail" is a look-up that failed. */
static int service_of(void *ctx, const char *name, uint8_t protocol, uint16_t *port)
{
	(void)ctx;
	if (strcmp(name, "fail") == 0)
		return -EMFILE;
	if (strcmp(name, "ssh") == 0 && protocol == IPPROTO_TCP)
		*port = 22;
	else if (strcmp(name, "domain") == 0)
		*port = 53;
	else
		return -ENOENT;
	return 0;
}

static int protocol_of(void *ctx, const char *name, uint8_t *proto)
{
	(void)ctx;
	if (strcmp(name, "icmp") != 0)
		return -ENOENT;
	*proto = 1;
	return 0;
}

static void allow_names(void **state)
{
	const struct audit_allow_names names = { NULL, service_of, protocol_of };
	static const struct {
		const char *text, *err;
		int r;
	} bad[] = {
		{ "tcp/sshd", "tcp: no service named 'sshd' in the services file or listen's table",
		  -EINVAL },
		{ "udp/ssh", "udp: no service named 'ssh'", -EINVAL },
		{ "raw/ping", "raw: no IP protocol named 'ping' in /etc/protocols", -EINVAL },
		{ "tcp/fail", "", -EMFILE },
		{ "tcp/22\ntcp/ssh\x01", "no service named 'ssh\\x01'", -EINVAL },
	};
	struct audit_allow al = { 0 };
	unsigned line;
	char err[256];
	const char *text = "tcp/ssh\nudp/domain 10.0.0.1\nraw/icmp * ping\ntcp/3com-tsmux\n";

	assert_int_equal(audit_allow_parse(&al, text, strlen(text), &names, &line, err,
					   sizeof(err)), -EINVAL);
	(void)state;
	assert_int_equal(line, 4); /* a name that begins with a digit is looked up too */
	assert_non_null(strstr(err, "no service named '3com-tsmux'"));
	audit_allow_free(&al);
	/* The same without its last line. */
	assert_int_equal(audit_allow_parse(&al, text, (size_t)(strstr(text, "tcp/3") - text),
					   &names, &line, err, sizeof(err)), 0);
	assert_int_equal(al.len, 3);
	assert_int_equal(al.v[0].protocol, IPPROTO_TCP);
	assert_int_equal(al.v[0].port, 22);
	assert_int_equal(al.v[1].protocol, IPPROTO_UDP);
	assert_int_equal(al.v[1].port, 53);
	assert_false(al.v[1].any_addr);
	assert_int_equal(al.v[2].protocol, IPPROTO_RAW);
	assert_int_equal(al.v[2].port, 1);
	assert_string_equal(al.v[2].process, "ping");
	audit_allow_free(&al);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(audit_allow_parse(&al, bad[i].text, strlen(bad[i].text), &names,
						   &line, err, sizeof(err)), bad[i].r);
		if (!strstr(err, bad[i].err))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i].text, err, bad[i].err);
		assert_int_equal(line, strchr(bad[i].text, '\n') ? 2 : 1);
		audit_allow_free(&al);
	}
}

static void allow_matching(void **state)
{
	struct audit a;
	struct audit_allow al;
	unsigned line;
	char err[160];

	(void)state;
	fixture();
	assert_int_equal(audit_build(&a, in, 8, procs, &db, NULL), 0);
	/* 6379 by address and process; 80 only partly (the [::] twin is not approved). */
	assert_int_equal(parse(&al, "tcp/6379 0.0.0.0 redis-server\ntcp/80 0.0.0.0\n"
				    "tcp/3306 * postgres\n", &line, err), 0);
	audit_allow_apply(&al, &a, procs);
	assert_int_equal(a.findings[1].allowed_by, 1); /* 6379 */
	assert_int_equal(a.findings[2].allowed_by, 0); /* 80: [::] unapproved */
	assert_int_equal(a.findings[0].allowed_by, 0); /* 3306: wrong process */
	assert_true(audit_fails(&a, SVC_RISK_HIGH));   /* mysql is still high */
	audit_allow_free(&al);

	assert_int_equal(parse(&al, "tcp/3306 10.0.0.5 mysqld\ntcp/80\n", &line, err), 0);
	audit_allow_apply(&al, &a, procs);
	assert_int_equal(a.findings[0].allowed_by, 1);
	assert_int_equal(a.findings[2].allowed_by, 2);
	assert_false(audit_fails(&a, SVC_RISK_HIGH));
	assert_true(audit_fails(&a, SVC_RISK_LOW)); /* 7777 is low and unapproved */
	assert_false(audit_fails(&a, SVC_RISK_MEDIUM));
	audit_allow_free(&al);
	audit_free(&a);
}

/* Raw and packet sockets: every packet socket a finding (medium; high when promiscuous, by
 * its membership or the interface's flag; one lower with a filter on each socket or on
 * loopback alone; the filter unknown said), unconnected raw sockets low, IPPROTO_RAW medium;
 * the allow-list's raw/ and packet/ rules with an interface. */
static void rawpkt_findings(void **state)
{
	static struct procfs_owner dhclient_owner[] = { { 500, 4, 0 } };
	static struct procfs_proc rp_procs[] = { { .pid = 500, .uid = 0, .name = "dhclient" } };
	struct lsock pk[6] = { 0 }, raw[3];
	struct out_row rows[9];
	struct audit a;
	struct audit_allow al;
	unsigned line;
	char err[160], *text;

	(void)state;
	for (int i = 0; i < 6; i++) {
		pk[i] = (struct lsock){ .family = AF_PACKET, .protocol = LSOCK_PROTO_PACKET,
					.type = SOCK_RAW, .state = LSOCK_CLOSE,
					.lport = LSOCK_ETH_P_ALL, .inode = 10 + (uint32_t)i };
		pk[i].pk.flags = LSOCK_PACKET_FILTER_KNOWN | LSOCK_PACKET_MCLIST;
		rows[i] = (struct out_row){ .sk = &pk[i], .scope = SCOPE_ALL };
	}
	/* 0: dhclient's, on eth0 with a filter; 1: ip on all; 2: arp on eth1, promiscuous by
	 * membership; 3: 0x88b5 on lo; 4: filter not known, on eth2 made promiscuous by hand;
	 * 5: another ETH_P_ALL on eth0 without a filter, held by no one known. */
	pk[0].ifindex = 2;
	pk[0].pk.flags |= LSOCK_PACKET_FILTER;
	pk[0].pk.filter_len = 12;
	rows[0] = (struct out_row){ .sk = &pk[0], .scope = SCOPE_DEVICE, .ifname = "eth0",
				    .owners = dhclient_owner, .nowners = 1 };
	pk[1].lport = 0x0800;
	pk[2].lport = 0x0806;
	pk[2].ifindex = 3;
	pk[2].pk.flags |= LSOCK_PACKET_PROMISC;
	rows[2] = (struct out_row){ .sk = &pk[2], .scope = SCOPE_DEVICE, .ifname = "eth1" };
	pk[3].lport = 0x88b5;
	pk[3].ifindex = 1;
	rows[3] = (struct out_row){ .sk = &pk[3], .scope = SCOPE_LOOPBACK, .ifname = "lo" };
	pk[4].lport = 0x86dd;
	pk[4].ifindex = 4;
	pk[4].pk.flags = LSOCK_PACKET_MCLIST;
	rows[4] = (struct out_row){ .sk = &pk[4], .scope = SCOPE_DEVICE, .ifname = "eth2",
				    .if_promisc = true };
	pk[5].ifindex = 2;
	rows[5] = (struct out_row){ .sk = &pk[5], .scope = SCOPE_DEVICE, .ifname = "eth0",
				    .owners_unknown = true };
	raw[0] = sock(AF_INET, IPPROTO_RAW, "0.0.0.0", IPPROTO_ICMP, -1);
	raw[1] = sock(AF_INET, IPPROTO_RAW, "0.0.0.0", IPPROTO_RAW, -1);
	raw[2] = sock(AF_INET, IPPROTO_RAW, "127.0.0.1", 89, -1);
	raw[2].state = LSOCK_ESTABLISHED; /* connected: one peer's packets only */
	rows[6] = (struct out_row){ .sk = &raw[0], .scope = SCOPE_ALL, .lservice = "icmp" };
	rows[7] = (struct out_row){ .sk = &raw[1], .scope = SCOPE_ALL };
	rows[8] = (struct out_row){ .sk = &raw[2], .scope = SCOPE_LOOPBACK };
	for (int i = 0; i < 9; i++)
		assert_true(audit_rawpkt(&rows[i]));
	assert_false(audit_rawpkt(&in[0]));

	assert_int_equal(audit_build(&a, rows, 9, rp_procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 8); /* the connected raw socket is none */
	/* Ranked: the promiscuous ones high, then medium (0x86dd's promisc made it high too). */
	assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
	assert_int_equal(a.findings[0].port, 0x0806);
	assert_true(a.findings[0].reasons & AUDIT_PROMISC);
	assert_int_equal(a.findings[1].risk, SVC_RISK_HIGH);
	assert_int_equal(a.findings[1].port, 0x86dd);
	assert_true(a.findings[1].reasons & AUDIT_FILTER_UNKNOWN);
	/* Medium by port: ETH_P_ALL (3) unfiltered, IPPROTO_RAW (255), ip (0x800). */
	assert_int_equal(a.findings[2].port, LSOCK_ETH_P_ALL);
	assert_int_equal(a.findings[3].port, IPPROTO_RAW);
	assert_int_equal(a.findings[3].protocol, IPPROTO_RAW);
	assert_int_equal(a.findings[3].risk, SVC_RISK_MEDIUM);
	assert_true(a.findings[3].reasons & AUDIT_RAW_FORGE);
	assert_int_equal(a.findings[4].port, 0x0800);
	assert_int_equal(a.findings[4].risk, SVC_RISK_MEDIUM);
	/* ETH_P_ALL: dhclient's and the unknown holder's are two findings (holders differ). */
	size_t all = 0, lo = 0, icmp = 0;

	for (size_t i = 0; i < a.nfindings; i++) {
		const struct audit_finding *f = &a.findings[i];

		if (f->port == LSOCK_ETH_P_ALL && f->protocol == LSOCK_PROTO_PACKET) {
			all++;
			if (f->reasons & AUDIT_BPF_FILTER)
				assert_int_equal(f->risk, SVC_RISK_LOW); /* filtered */
			else
				assert_int_equal(f->risk, SVC_RISK_MEDIUM);
		}
		if (f->port == 0x88b5) {
			lo++;
			assert_int_equal(f->risk, SVC_RISK_LOW);
			assert_true(f->reasons & AUDIT_LOOPBACK_ONLY);
		}
		if (f->port == IPPROTO_ICMP && f->protocol == IPPROTO_RAW) {
			icmp++;
			assert_int_equal(f->risk, SVC_RISK_LOW);
			assert_int_equal(f->reasons, AUDIT_RAW);
		}
	}
	assert_int_equal(all, 2);
	assert_int_equal(lo, 1);
	assert_int_equal(icmp, 1);
	assert_true(audit_fails(&a, SVC_RISK_HIGH));

	size_t tlen = 0;
	FILE *mem = open_memstream(&text, &tlen);

	assert_non_null(mem);
	assert_int_equal(out_audit_text(mem, &a, rp_procs, NULL, false), 0);
	assert_int_equal(fclose(mem), 0);
	assert_non_null(strstr(text, "HIGH    packet/arp sniffs eth1, promisc\n"
				     "        packet socket: sees every frame of arp on eth1; "
				     "promiscuous: it also sees frames addressed to other "
				     "hosts\n"));
	assert_non_null(strstr(text, "HIGH    packet/ipv6 sniffs eth2, promisc, filter unknown\n"));
	assert_non_null(strstr(text, "MEDIUM  raw/255 on 0.0.0.0 (all)\n        raw socket: "
				     "receives every IP protocol 255 packet sent to its address; "
				     "IPPROTO_RAW: sends IP packets whose headers it writes, any "
				     "source address\n"));
	assert_non_null(strstr(text, "LOW     packet/all sniffs eth0, bpf filter\n"
				     "        packet socket: sees every frame of every protocol on "
				     "eth0; a classic BPF filter chooses what it keeps: one level "
				     "lower; runs as root\n        dhclient pid 500 user 0\n"));
	assert_non_null(strstr(text, "MEDIUM  packet/all sniffs eth0\n"
				     "        packet socket: sees every frame of every protocol on "
				     "eth0\n        holder not readable: run as root to see it\n"));
	assert_non_null(strstr(text, "LOW     raw/1 (icmp) on 0.0.0.0 (all)\n"));
	assert_non_null(strstr(text, "LOW     packet/0x88b5 sniffs lo\n"));
	free(text);

	/* dhclient's packet socket on eth0, the ICMP one, and every arp sniffer. */
	assert_int_equal(parse(&al, "packet/all eth0 dhclient\nraw/1 0.0.0.0\n"
				    "packet/0x0806 * \npacket/ip eth0\n", &line, err), 0);
	audit_allow_apply(&al, &a, rp_procs);
	for (size_t i = 0; i < a.nfindings; i++) {
		const struct audit_finding *f = &a.findings[i];
		bool dhclient = f->port == LSOCK_ETH_P_ALL && (f->reasons & AUDIT_BPF_FILTER);
		unsigned want = dhclient ? 1 : f->port == IPPROTO_ICMP ? 2 :
				f->port == 0x0806 ? 3 : 0;

		assert_int_equal(f->allowed_by, want);
	}
	audit_allow_free(&al);
	audit_free(&a);
}

/* The review holds levels, addresses with scopes, reasons, holders; hostile names escaped. */
static void printed_review(void **state)
{
	struct audit a;
	char *text = NULL;
	struct procfs_info info[5] = {
		{ .cmdline = "nginx: master process", .user = "root" },
		{ 0 },
		{ .cmdline = "redis-server *:6379\033[2J" },
	};

	(void)state;
	fixture();
	assert_int_equal(audit_build(&a, in, 8, procs, &db, NULL), 0);
	text = printed(&a, info);
	assert_non_null(strstr(text, "HIGH    tcp/6379 redis on 0.0.0.0 (all)\n"
				     "        Redis key-value store: often no auth by default; "
				     "bound to all interfaces\n"
				     "        redis-server pid 200 user 4243: "
				     "redis-server *:6379\\x1b[2J\n"));
	assert_non_null(strstr(text, "LOW     tcp/80 http on 0.0.0.0 (all), "
				     "[::] (all (v6 only))\n"));
	assert_non_null(strstr(text, "        nginx pid 101 user 4242\n"
				     "        nginx pid 100 user root: nginx: master process\n"));
	assert_non_null(strstr(text, "LOW     tcp/7777 on 203.0.113.9 (public)\n"
				     "        a service listen does not identify; "
				     "on a public address\n"
				     "        holder not readable: run as root to see it\n"));
	assert_non_null(strstr(text, "4 findings (high 2, medium 0, low 2, none 0), 0 allowed\n"
				     "1 UDP socket on ephemeral ports left out: "
				     "clients, not services\n"
				     "incomplete: 1 finding with holders not read, judged from "
				     "the port alone (medium at most): run as root for a whole "
				     "review\n"));
	free(text);
	audit_free(&a);
}

/* The JSON review: the same findings with codes, holders, and a summary that fails at high. */
static void printed_json(void **state)
{
	struct audit a;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	struct procfs_info info[5] = {
		[2] = { .cmdline = "redis\033[2J\xff", .user = "redis", .parent = "containerd-shim",
			.start = 1763769600,
			.cgroup = "/system.slice/docker-"
				  "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80"
				  "91a2b3c4d5e6f708.scope" },
	};

	(void)state;
	unit_parse(info[2].cgroup, strlen(info[2].cgroup), &info[2].unit);
	fixture();
	in[5].owners_unknown = false; /* 7777: held by no process, as the kernel's sockets are */
	assert_int_equal(audit_build(&a, in, 8, procs, &db, NULL), 0);
	f = open_memstream(&text, &len);
	assert_int_equal(out_audit_json(f, &a, procs, info, NULL, SVC_RISK_HIGH), 0);
	fclose(f);
	assert_non_null(strstr(text, "{\"risk\":\"high\",\"protocol\":\"tcp\",\"port\":6379,"
				     "\"unix\":null,"
				     "\"service\":{\"name\":\"redis\","
				     "\"description\":\"Redis key-value "
				     "store\",\"risk\":\"high\","
				     "\"note\":\"often no auth by default\","
				     "\"peer\":false,\"source\":\"program\","
				     "\"program\":\"redis-server\","
				     "\"identified_by\":\"exe\",\"port_guess\":null},"
				     "\"netns\":null,\"reach\":null,"
				     "\"reasons\":[{\"code\":\"risk-note\",\"text\":"
				     "\"often no auth by default\"},"
				     "{\"code\":\"all-interfaces\",\"text\":"
				     "\"bound to all interfaces\"}],"
				     "\"endpoints\":[{\"family\":\"ipv4\","
				     "\"address\":\"0.0.0.0\",\"scope\":\"all\","
				     "\"scope_interface\":null,"
				     "\"netns\":null}],"
				     "\"processes\":[{\"pid\":200,\"ppid\":0,"
				     "\"name\":\"redis-server\","
				     "\"uid\":4243,\"user\":\"redis\",\"cmdline\":"
				     "\"redis\\u001b[2J\\ufffd\",\"exe\":null,\"exe_deleted\":null,"
				     "\"parent\":\"containerd-shim\","
				     "\"started\":1763769600,"
				     "\"started_at\":\"2025-11-22T00:00:00Z\","
				     "\"unit\":null,\"unit_uid\":null,"
				     "\"docker_proxy\":null,\"container\":{\"runtime\":"
				     "\"docker\","
				     "\"id\":\"3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2"
				     "b3c4d5e6f708\",\"name\":null,\"pod\":null,"
				     "\"user_uid\":null}}],"
				     "\"processes_hidden\":false,"
				     "\"sockets\":1,\"allowed\":false,\"allowed_by_line\":null}"));
	/* nginx's two sockets and two processes: each address and each process once. */
	assert_non_null(strstr(text, "\"endpoints\":[{\"family\":\"ipv4\",\"address\":\"0.0.0.0\","
				     "\"scope\":\"all\",\"scope_interface\":null,\"netns\":null},"
				     "{\"family\":\"ipv6\",\"address\":\"::\","
				     "\"scope\":\"all-v6only\","
				     "\"scope_interface\":null,\"netns\":null}],"
				     "\"processes\":[{\"pid\":101,"));
	assert_non_null(strstr(text, "\"port\":7777,\"unix\":null,\"service\":null,\"netns\":null,"
				     "\"reach\":null,\"reasons\":[{\"code\":"
				     "\"unknown-service\","
				     "\"text\":\"a service listen does not identify\"},"
				     "{\"code\":\"public-address\","
				     "\"text\":\"on a public address\"}],"));
	assert_non_null(strstr(text, "\"processes\":[],\"processes_hidden\":false,"));
	/* The document says which schema it follows, first. */
	static const char head[] = "{\"schema_version\":\"" JSON_SCHEMA_VERSION "\",";

	assert_int_equal(strncmp(text, head, strlen(head)), 0);
	assert_non_null(strstr(text, "\"summary\":{\"findings\":4,\"high\":2,\"medium\":0,"
				     "\"low\":2,\"none\":0,\"allowed\":0,\"clients_left_out\":1,"
				     "\"filtered_left_out\":0,\"fail_on\":\"high\","
				     "\"failed\":true,\"complete\":true,\"unidentified\":0,"
				     "\"firewall_read\":true}}\n"));
	free(text);

	/* Without the root reason and the holder shown, the text says the kernel holds 7777. */
	text = printed(&a, NULL);
	assert_non_null(strstr(text, "        no process holds it: a socket of the kernel\n"));
	free(text);
	audit_free(&a);
}

/* What the holders say: a port's guess alone is at most medium; a holder whose name claims a
 * program its executable is not is high; a program a well-known port is not for, and a
 * deleted executable, are findings of their own with the reason. */
static void identity_findings(void **state)
{
	static struct procfs_proc holders[] = {
		{ .pid = 10, .uid = 0, .name = "sshd" },
		{ .pid = 11, .uid = 0, .name = "python3" },
		{ .pid = 12, .uid = 0, .name = "nginx" },
	};
	static struct procfs_owner own10[] = { { 10, 3, 0 } }, own11[] = { { 11, 3, 1 } },
				   own12[] = { { 12, 3, 2 } };
	struct prog_id py, ngx;
	struct audit a;
	char *text;

	(void)state;
	fixture();
	prog_identify("/usr/bin/python3.11", false, "python3", "python3 app.py", &py);
	prog_identify("/usr/sbin/nginx (deleted)", true, "nginx", NULL, &ngx);
	/* 6379 held by a process the table does not know: redis is the port's guess. */
	in[2].program = NULL;
	in[2].service_source = SVC_SOURCE_PORT;
	assert_int_equal(audit_build(&a, &in[2], 1, procs, &db, NULL), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	assert_int_equal(a.findings[0].reasons, AUDIT_NOTE | AUDIT_ALL | AUDIT_GUESS);
	audit_free(&a);

	/* Port 22: "sshd" running /tmp/x. */
	sks[7] = sock(AF_INET, IPPROTO_TCP, "10.0.0.5", 22, -1);
	in[7] = (struct out_row){ .sk = &sks[7], .scope = SCOPE_LAN, .service = "ssh",
				  .svc = svc_builtin_find(22, IPPROTO_TCP),
				  .service_source = SVC_SOURCE_PORT, .owners = own10, .nowners = 1,
				  .holders_known = true, .claimed_exe = "/tmp/x" };
	prog_identify("/tmp/x", false, "sshd", NULL, &py);
	in[7].claimed = py.claimed;
	assert_int_equal(audit_build(&a, &in[7], 1, holders, &db, NULL), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
	assert_true(a.findings[0].reasons & AUDIT_UNEXPECTED);
	assert_true(a.findings[0].reasons & AUDIT_NAME_CLAIM);
	text = NULL;
	{
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		assert_int_equal(out_audit_text(f, &a, holders, NULL, false), 0);
		fclose(f);
	}
	assert_non_null(strstr(text, "calls itself sshd but runs /tmp/x; port 22 held by a "
				     "program listen does not know, not an SSH server"));
	free(text);
	audit_free(&a);

	/* Port 22 held by python: unexpected, medium at least, though ssh's risk is low. */
	prog_identify("/usr/bin/python3.11", false, "python3", "python3 app.py", &py);
	in[7].claimed = NULL;
	in[7].owners = own11;
	in[7].program = py.prog;
	assert_int_equal(audit_build(&a, &in[7], 1, holders, &db, NULL), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	assert_true(a.findings[0].reasons & AUDIT_UNEXPECTED);
	audit_free(&a);
	/* Socket activation (systemd holds it for sshd) is not unexpected. */
	prog_identify("/usr/lib/systemd/systemd", false, "systemd", NULL, &py);
	in[7].program = py.prog;
	assert_int_equal(audit_build(&a, &in[7], 1, holders, &db, NULL), 0);
	assert_false(a.findings[0].reasons & AUDIT_UNEXPECTED);
	audit_free(&a);

	/* 443: python as root is unexpected, nginx as root is not; nginx's executable is gone. */
	sks[7] = sock(AF_INET, IPPROTO_TCP, "10.0.0.5", 443, -1);
	in[7].svc = svc_builtin_find(443, IPPROTO_TCP);
	in[7].service = "https";
	in[7].program = NULL;
	in[7].interpreted = true;
	assert_int_equal(audit_build(&a, &in[7], 1, holders, &db, NULL), 0);
	assert_true(a.findings[0].reasons & AUDIT_UNEXPECTED);
	audit_free(&a);
	in[7].interpreted = false;
	in[7].owners = own12;
	in[7].program = ngx.prog;
	in[7].service_source = SVC_SOURCE_PROGRAM;
	in[7].deleted_exe = "/usr/sbin/nginx (deleted)";
	assert_int_equal(audit_build(&a, &in[7], 1, holders, &db, NULL), 0);
	assert_int_equal(a.findings[0].reasons, AUDIT_EXE_DELETED | AUDIT_ROOT);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	audit_free(&a);
}


/* Unix listeners: a finding where a privileged process holds one others may connect to. */
static void unix_findings(void **state)
{
	static const struct procfs_owner root_owner[] = { { 300, 4, 3 } };
	static const struct procfs_owner user_owner[] = { { 400, 4, 4 } };
	static const struct unixfile world = { .status = UNIXFILE_OK, .mode = 0666,
					       .reach = UNIXFILE_OTHERS | UNIXFILE_OWNER };
	static const struct unixfile docker = { .status = UNIXFILE_OK, .mode = 0660, .gid = 998,
						.group = "docker",
						.reach = UNIXFILE_GROUP | UNIXFILE_OWNER };
	static const struct unixfile users = { .status = UNIXFILE_OK, .mode = 0660, .gid = 100,
					       .group = "users",
					       .reach = UNIXFILE_GROUP | UNIXFILE_OWNER };
	static const struct unixfile replaced = { .status = UNIXFILE_REPLACED };
	static const char *const names[] = { "/run/docker.sock", "/run/dbus/system_bus_socket",
					     "\0/tmp/.X11-unix/X0", "/run/app.sock",
					     "/run/grp.sock", "/run/users.sock", "/run/gone.sock",
					     "/run/mine.sock", "\0hidden" };
	static const size_t lens[] = { 16, 27, 18, 13, 13, 15, 14, 14, 7 };
	struct lsock u[9];
	struct out_row r[9];
	struct audit a;
	struct audit_allow al;
	unsigned line;
	char err[160];

	(void)state;
	for (int i = 0; i < 9; i++) {
		u[i] = (struct lsock){ .family = AF_UNIX, .state = LSOCK_LISTEN,
				       .type = SOCK_STREAM,
				       .un = { .name = names[i], .name_len = (uint32_t)lens[i],
					       .flags = LSOCK_UNIX_NAME | LSOCK_UNIX_VFS } };
		r[i] = (struct out_row){ .sk = &u[i], .scope = SCOPE_LOOPBACK, .procs = procs,
					 .owners = root_owner, .nowners = 1 };
		r[i].unote = unix_note_find(&u[i]);
		r[i].uscope = unix_scope_of(&u[i], &world);
		r[i].ufile = &world;
	}
	r[4].ufile = &docker;
	r[4].uscope = UNIX_SCOPE_GROUP;
	r[5].ufile = &users; /* a group that is not root's: no finding */
	r[5].uscope = UNIX_SCOPE_GROUP;
	r[6].ufile = &replaced;
	r[6].uscope = UNIX_SCOPE_UNCHECKED;
	r[7].owners = user_owner; /* a user's own world-writable socket: no finding */
	/* A holder not seen (not root), the socket made by root: a finding. */
	r[8].owners = NULL;
	r[8].nowners = 0;
	r[8].owners_unknown = true;
	u[8].un.flags |= LSOCK_UNIX_UID;
	u[8].uid = 0;
	for (int i = 0; i < 9; i++) {
		struct svc_ref sv = { .name = r[i].unote ? r[i].unote->info.name : NULL,
				      .info = r[i].unote ? &r[i].unote->info : NULL,
				      .source = r[i].unote ? SVC_SOURCE_PATH : SVC_SOURCE_NONE };

		r[i].service = sv.name;
		r[i].svc = sv.info;
		r[i].service_source = sv.source;
	}
	assert_int_equal(audit_build(&a, r, 9, procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 7);
	/* docker.sock world-writable: high, its note says why */
	assert_ptr_equal(audit_unix_socket(&a, &a.findings[0]), &u[0]);
	assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
	assert_int_equal(a.findings[0].reasons, AUDIT_UNIX_OPEN | AUDIT_NOTE | AUDIT_ROOT);
	assert_true(audit_fails(&a, SVC_RISK_HIGH));
	/* then the medium ones: X11's abstract socket, an unknown world-writable one, a group
	 * whose members are root, a hidden holder of root's socket; by name */
	for (size_t k = 1; k < 5; k++)
		assert_int_equal(a.findings[k].risk, SVC_RISK_MEDIUM);
	assert_ptr_equal(audit_unix_socket(&a, &a.findings[1]), &u[2]);
	assert_int_equal(a.findings[1].reasons, AUDIT_UNIX_OPEN | AUDIT_NOTE | AUDIT_ROOT);
	assert_ptr_equal(audit_unix_socket(&a, &a.findings[2]), &u[8]);
	assert_int_equal(a.findings[2].reasons, AUDIT_UNIX_OPEN | AUDIT_ROOT);
	assert_ptr_equal(audit_unix_socket(&a, &a.findings[3]), &u[3]);
	assert_ptr_equal(audit_unix_socket(&a, &a.findings[4]), &u[4]);
	assert_int_equal(a.findings[4].reasons, AUDIT_UNIX_GROUP | AUDIT_ROOT);
	/* could not be checked: low, and why */
	assert_ptr_equal(audit_unix_socket(&a, &a.findings[5]), &u[6]);
	assert_int_equal(a.findings[5].risk, SVC_RISK_LOW);
	assert_int_equal(a.findings[5].reasons, AUDIT_UNIX_UNCHECKED | AUDIT_ROOT);
	/* the D-Bus system bus, open by design: none */
	assert_ptr_equal(audit_unix_socket(&a, &a.findings[6]), &u[1]);
	assert_int_equal(a.findings[6].risk, SVC_RISK_NONE);
	assert_true(a.findings[6].reasons & AUDIT_EXPECTED);

	struct sbuf t = { 0 };

	audit_reason_text(&t, &a, &a.findings[4], AUDIT_UNIX_GROUP);
	sbuf_putc(&t, '\0');
	assert_string_equal(t.s, "writable by group docker, whose members are root in effect");
	t.len = 0;
	audit_reason_text(&t, &a, &a.findings[2], AUDIT_ROOT);
	sbuf_putc(&t, '\0');
	assert_string_equal(t.s, "made by root (uid 0), no holder found");
	t.len = 0;
	audit_reason_text(&t, &a, &a.findings[5], AUDIT_UNIX_UNCHECKED);
	sbuf_putc(&t, '\0');
	assert_string_equal(t.s, "who may connect could not be checked: another file at the "
				 "path: replaced, or in another mount namespace");
	assert_string_equal(audit_reason_code(AUDIT_UNIX_OPEN), "unix-open");
	audit_free(&a);

	/* A holder that is not root but runs with capabilities is privileged too; one that may
	 * only bind low ports is not. */
	struct procfs_info info[5] = { 0 };

	info[4] = (struct procfs_info){ .caps_known = true, .caps = UINT64_C(1) << 12 };
	r[7].info = info;
	assert_int_equal(audit_build(&a, r, 9, procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 8);
	bool found = false;

	for (size_t k = 0; k < a.nfindings; k++) {
		if (audit_unix_socket(&a, &a.findings[k]) != &u[7])
			continue;
		found = true;
		assert_int_equal(a.findings[k].reasons, AUDIT_UNIX_OPEN | AUDIT_CAPS);
		assert_int_equal(a.findings[k].risk, SVC_RISK_MEDIUM);
		t.len = 0;
		audit_reason_text(&t, &a, &a.findings[k], AUDIT_CAPS);
		sbuf_putc(&t, '\0');
		assert_string_equal(t.s, "runs as uid 1000 with capabilities (CapEff "
					 "0000000000001000)");
	}
	assert_true(found);
	sbuf_free(&t);
	audit_free(&a);
	info[4].caps = UINT64_C(1) << 10; /* CAP_NET_BIND_SERVICE alone */
	assert_int_equal(audit_build(&a, r, 9, procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 7);
	audit_free(&a);
	assert_int_equal(audit_build(&a, r, 9, procs, &db, NULL), 0);

	/* The allow-list approves them by name pattern and process; a TCP rule never does. */
	assert_int_equal(parse(&al, "unix:/run/docker.sock mysqld\nunix:@/tmp/.X11-unix/X*\n"
				    "unix:/run/*.sock nginx\ntcp/22\n", &line, err), 0);
	assert_string_equal(al.v[0].unix_name, "/run/docker.sock");
	assert_string_equal(al.v[0].process, "mysqld");
	audit_allow_apply(&al, &a, procs);
	assert_int_equal(a.findings[0].allowed_by, 1);
	assert_int_equal(a.findings[1].allowed_by, 2);
	assert_int_equal(a.findings[3].allowed_by, 0); /* app.sock: not nginx's */
	assert_false(audit_fails(&a, SVC_RISK_HIGH));
	audit_allow_free(&al);
	assert_int_equal(parse(&al, "unix:run/x.sock\n", &line, err), -EINVAL);
	assert_string_equal(err, "expected unix:/PATH or unix:@NAME, got 'run/x.sock'");
	audit_allow_free(&al);
	assert_int_equal(parse(&al, "unix:@ \n", &line, err), -EINVAL);
	audit_allow_free(&al);
	assert_int_equal(parse(&al, "tcp/22\nunix:/x.sock p extra\n", &line, err), -EINVAL);
	assert_string_equal(err, "unexpected 'extra' after the process name");
	assert_int_equal(line, 2);
	audit_allow_free(&al);
	audit_free(&a);
}

/* The firewall's part of a finding: partial lowers the risk one level, but only when no other
 * socket of the finding is reached by a path that is unknown (it may be open) or open. */
static void firewall_paths(void **state)
{
	struct reach_result partial = { .verdict = REACH_PARTIAL };
	struct reach_result unknown = { .verdict = REACH_UNKNOWN, .has_rule = true };
	struct reach_result open = { .verdict = REACH_OPEN };
	const struct reach_result *second[] = { &unknown, &open };
	struct lsock v6;
	struct out_row rows[2];
	struct audit a;

	(void)state;
	fixture();
	v6 = sock(AF_INET6, IPPROTO_TCP, "::", 6379, 1);
	rows[0] = in[2]; /* redis on 0.0.0.0:6379: high */
	rows[0].verdict = &partial;
	rows[1] = in[2];
	rows[1].sk = &v6;
	rows[1].scope = SCOPE_ALL_V6;
	/* IPv4 partial alone: one level lower, for that reason */
	assert_int_equal(audit_build(&a, rows, 1, procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 1);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	assert_true(a.findings[0].reasons & AUDIT_FW_PARTIAL);
	audit_free(&a);
	for (int k = 0; k < 2; k++)
		for (int order = 0; order < 2; order++) {
			rows[order].verdict = &partial;
			rows[1 - order].verdict = second[k];
			assert_int_equal(audit_build(&a, rows, 2, procs, &db, NULL), 0);
			assert_int_equal(a.nfindings, 1);
			assert_int_equal(a.findings[0].count, 2);
			assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
			assert_false(a.findings[0].reasons & AUDIT_FW_PARTIAL);
			assert_int_equal(a.findings[0].verdict->verdict, second[k]->verdict);
			assert_int_equal(!!(a.findings[0].reasons & AUDIT_FW_UNKNOWN), k == 0);
			audit_free(&a);
		}
	/* Open for IPv6 only: the risk the open path gives, and the reason that says so. */
	struct reach_result v6_only = { .verdict = REACH_OPEN, .only_family = AF_INET6 };
	struct sbuf b = { 0 };

	rows[0].verdict = &v6_only;
	assert_int_equal(audit_build(&a, rows, 1, procs, &db, NULL), 0);
	assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
	assert_true(a.findings[0].reasons & AUDIT_FW_ONE_FAMILY);
	assert_string_equal(audit_reason_code(AUDIT_FW_ONE_FAMILY), "firewall-one-family");
	audit_reason_text(&b, &a, &a.findings[0], AUDIT_FW_ONE_FAMILY);
	assert_string_equal(b.s, "the firewall filters IPv4 but lets IPv6 in: a ruleset written "
				 "for one family?");
	sbuf_free(&b);
	audit_free(&a);
	/* A partial one's prefixes say their family: no such reason. */
	partial.only_family = AF_INET;
	rows[0].verdict = &partial;
	assert_int_equal(audit_build(&a, rows, 1, procs, &db, NULL), 0);
	assert_false(a.findings[0].reasons & AUDIT_FW_ONE_FAMILY);
	audit_free(&a);
}

/* A vsock listener: its record's context id and port. */
static struct lsock vsock_sock(uint8_t type, uint32_t cid, uint32_t port, uint32_t inode)
{
	return (struct lsock){ .family = AF_VSOCK, .type = type, .state = LSOCK_LISTEN,
			       .inode = inode, .vs = { cid, port, LSOCK_VSOCK_ANY,
						       LSOCK_VSOCK_ANY } };
}

/* A vsock listener on the hypervisor's context id (0) is no guest's own: medium, said so. */
static void vsock_hypervisor(void **state)
{
	struct lsock v = vsock_sock(SOCK_STREAM, 0, 4000, 950);
	struct out_row r = { .sk = &v, .scope = SCOPE_LOOPBACK, .exposed = true };
	struct sbuf b = { 0 };
	struct audit a;

	(void)state;
	fixture();
	assert_int_equal(audit_build(&a, &r, 1, procs, &db, NULL), 0);
	assert_int_equal(a.nfindings, 1);
	assert_int_equal(a.findings[0].risk, SVC_RISK_MEDIUM);
	audit_reason_text(&b, &a, &a.findings[0], AUDIT_VSOCK_GUEST);
	assert_string_equal(b.s, "bound to context id 0, the hypervisor's: who may connect is the "
				 "hypervisor's to say");
	sbuf_free(&b);
	audit_free(&a);
}

/* MPTCP, SCTP and vsock listeners: an MPTCP listener is one finding, mptcp, and the TCP
 * listener the kernel keeps for its subflows (its inode, its namespace) none; SCTP ones as
 * TCP's; vsock ones by the context id bound to (any and the host's medium, the host's high
 * under root, a guest's own low, loopback's none), grouped by cid and port, with their JSON
 * and the allow-list's mptcp/, sctp/ and vsock/ rules. */
static void family_findings(void **state)
{
	struct lsock v[9];
	struct out_row r[9];
	struct audit a;
	struct audit_allow al;
	unsigned line;
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	v[0] = sock(AF_INET6, IPPROTO_TCP, "::", 7313, 0); /* MPTCP's subflows' listener */
	v[0].inode = 900;
	v[1] = v[0]; /* the MPTCP listener itself: the same inode */
	v[1].flags |= LSOCK_MPTCP;
	v[2] = sock(AF_INET, IPPROTO_TCP, "0.0.0.0", 7313, -1); /* plain TCP, same port */
	v[2].inode = 901;
	v[3] = sock(AF_INET, IPPROTO_SCTP, "0.0.0.0", 3868, -1);
	v[3].state = LSOCK_LISTEN;
	v[3].inode = 902;
	v[4] = vsock_sock(SOCK_STREAM, LSOCK_VSOCK_ANY, 1024, 903);
	v[5] = vsock_sock(SOCK_STREAM, LSOCK_VSOCK_CID_HOST, 5000, 904);
	v[6] = vsock_sock(SOCK_SEQPACKET, 3, 2048, 905);
	v[7] = vsock_sock(SOCK_STREAM, LSOCK_VSOCK_CID_LOCAL, 6000, 906);
	v[8] = vsock_sock(SOCK_STREAM, LSOCK_VSOCK_ANY, 1024, 907); /* a twin of 4 */
	for (int i = 0; i < 9; i++)
		r[i] = (struct out_row){ .sk = &v[i], .scope = i < 4 ? SCOPE_ALL : SCOPE_LOOPBACK,
					 .exposed = i >= 4 && i != 7 };
	r[0].owners = r[1].owners = mysql_owner; /* held by root, through the same fd */
	r[0].nowners = r[1].nowners = 1;
	r[5].owners = mysql_owner;
	r[5].nowners = 1;
	assert_true(lsock_is_listener(&v[3]));
	assert_int_equal(audit_build(&a, r, 9, procs, &db, NULL), 0);
	assert_true(audit_subflow(&a, 0));
	assert_false(audit_subflow(&a, 1) || audit_subflow(&a, 2) || audit_subflow(&a, 4));
	/* vsock: host+root high; any (two sockets) medium; the guest's low; the MPTCP, TCP and
	 * SCTP ones low (unknown services); loopback's vsock none. */
	assert_int_equal(a.nfindings, 6);
	assert_int_equal(a.findings[0].risk, SVC_RISK_HIGH);
	assert_ptr_equal(audit_vsock_socket(&a, &a.findings[0]), &v[5]);
	assert_int_equal(a.findings[0].reasons, AUDIT_VSOCK_HOST | AUDIT_ROOT);
	assert_int_equal(a.findings[1].risk, SVC_RISK_MEDIUM);
	assert_int_equal(a.findings[1].reasons, AUDIT_VSOCK_ANY);
	assert_int_equal(a.findings[1].count, 2);
	assert_string_equal(audit_protocol(&a, &a.findings[1]), "vsock");
	size_t mptcp = a.nfindings, tcp = a.nfindings, sctp = a.nfindings, guest = a.nfindings;

	for (size_t i = 0; i < a.nfindings; i++) {
		const char *p = audit_protocol(&a, &a.findings[i]);

		if (strcmp(p, "mptcp") == 0)
			mptcp = i;
		else if (strcmp(p, "tcp") == 0)
			tcp = i;
		else if (strcmp(p, "sctp") == 0)
			sctp = i;
		else if (audit_vsock_socket(&a, &a.findings[i]) &&
			 a.findings[i].reasons & AUDIT_VSOCK_GUEST)
			guest = i;
	}
	assert_true(mptcp < a.nfindings && tcp < a.nfindings && sctp < a.nfindings &&
		    guest < a.nfindings);
	assert_int_equal(a.findings[mptcp].count, 1);
	assert_ptr_equal(a.socks[a.order[a.findings[mptcp].first]].sk, &v[1]);
	assert_int_equal(a.findings[mptcp].port, 7313);
	assert_int_equal(a.findings[mptcp].reasons, AUDIT_UNKNOWN | AUDIT_ALL | AUDIT_ROOT);
	assert_ptr_equal(a.socks[a.order[a.findings[tcp].first]].sk, &v[2]);
	assert_int_equal(a.findings[sctp].port, 3868);
	assert_int_equal(a.findings[sctp].protocol, IPPROTO_SCTP);
	assert_int_equal(a.findings[guest].risk, SVC_RISK_LOW);

	/* The text and JSON of the vsock, MPTCP and SCTP findings. */
	text = printed(&a, NULL);
	assert_non_null(strstr(text, "HIGH    vsock/5000 on cid 2 (host)\n        bound to the "
				     "host's context id (2): every guest may connect; runs as "
				     "root\n"));
	assert_non_null(strstr(text, "MEDIUM  vsock/1024 on cid * (any)\n"));
	assert_non_null(strstr(text, "LOW     vsock/2048 on cid 3\n        bound to context id "
				     "3, a guest's own: only its host may connect, which "
				     "controls the guest anyway\n"));
	assert_non_null(strstr(text, "LOW     mptcp/7313 on * (all)\n"));
	assert_non_null(strstr(text, "LOW     tcp/7313 on 0.0.0.0 (all)\n"));
	assert_non_null(strstr(text, "LOW     sctp/3868 on 0.0.0.0 (all)\n"));
	assert_null(strstr(text, "6000"));
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(out_audit_json(f, &a, procs, NULL, NULL, SVC_RISK_HIGH), 0);
	fclose(f);
	assert_non_null(strstr(text, "{\"risk\":\"high\",\"protocol\":\"vsock\",\"port\":null,"
				     "\"unix\":null,"));
	assert_non_null(strstr(text, "\"reasons\":[{\"code\":\"vsock-host\",\"text\":\"bound to "
				     "the host's context id (2): every guest may connect\"},"
				     "{\"code\":\"root\",\"text\":\"runs as root\"}],"
				     "\"endpoints\":[],"));
	assert_non_null(strstr(text, "\"allowed_by_line\":null,\"vsock\":{\"cid\":2,"
				     "\"cid_name\":\"host\",\"port\":5000}}"));
	assert_non_null(strstr(text, "\"vsock\":{\"cid\":4294967295,\"cid_name\":\"any\","
				     "\"port\":1024}}"));
	assert_non_null(strstr(text, "\"vsock\":{\"cid\":3,\"cid_name\":null,\"port\":2048}}"));
	assert_non_null(strstr(text, "{\"risk\":\"low\",\"protocol\":\"mptcp\",\"port\":7313,"));
	assert_non_null(strstr(text, "{\"risk\":\"low\",\"protocol\":\"sctp\",\"port\":3868,"));
	free(text);

	/* mptcp/ approves the MPTCP finding only, tcp/ both; sctp/; vsock/ by port and cid. */
	assert_int_equal(parse(&al, "mptcp/7313\nsctp/3868 0.0.0.0\nvsock/1024 any\n"
				    "vsock/5000 3\nvsock/2048 *\n", &line, err), 0);
	audit_allow_apply(&al, &a, procs);
	assert_int_equal(a.findings[mptcp].allowed_by, 1);
	assert_int_equal(a.findings[tcp].allowed_by, 0);
	assert_int_equal(a.findings[sctp].allowed_by, 2);
	assert_int_equal(a.findings[1].allowed_by, 3);
	assert_int_equal(a.findings[0].allowed_by, 0); /* cid 3, not the host's */
	assert_int_equal(a.findings[guest].allowed_by, 5);
	audit_allow_free(&al);
	for (size_t i = 0; i < a.nfindings; i++)
		a.findings[i].allowed_by = 0;
	assert_int_equal(parse(&al, "tcp/7313 * mysqld\nvsock/5000 host mysqld\n", &line, err),
			 0);
	audit_allow_apply(&al, &a, procs);
	assert_int_equal(a.findings[mptcp].allowed_by, 1); /* MPTCP is TCP on the wire */
	assert_int_equal(a.findings[tcp].allowed_by, 0);    /* no holder named mysqld */
	assert_int_equal(a.findings[0].allowed_by, 2);
	audit_allow_free(&al);
	audit_free(&a);

	/* Without the MPTCP listener's record (no mptcp_diag), the subflows' listener stands
	 * in: a TCP finding. */
	assert_int_equal(audit_build(&a, r, 1, procs, &db, NULL), 0);
	assert_false(audit_subflow(&a, 0));
	assert_int_equal(a.nfindings, 1);
	assert_string_equal(audit_protocol(&a, &a.findings[0]), "tcp");
	audit_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(client_port),
		cmocka_unit_test(findings),
		cmocka_unit_test(grouping_by_holder),
		cmocka_unit_test(public_host),
		cmocka_unit_test(allow_parsing),
		cmocka_unit_test(allow_names),
		cmocka_unit_test(allow_matching),
		cmocka_unit_test(printed_review),
		cmocka_unit_test(printed_json),
		cmocka_unit_test(identity_findings),
		cmocka_unit_test(rawpkt_findings),
		cmocka_unit_test(unix_findings),
		cmocka_unit_test(firewall_paths),
		cmocka_unit_test(family_findings),
		cmocka_unit_test(vsock_hypervisor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
