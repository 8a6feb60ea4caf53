/* Unit tests of the ss-style table (and the namespace fields of JSON and metrics), captured
 * with open_memstream and compared exactly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/audit.h"
#include "listen/audit_allow.h"
#include "listen/diag.h"
#include "listen/enrich.h"
#include "listen/json.h"
#include "listen/output.h"
#include "listen/reach.h"
#include "listen/sbuf.h"
#include "listen/procfs.h"
#include "listen/program.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/unix_scope.h"
#include "listen/unixfile.h"

static struct lsock sock(int family, uint8_t proto, uint8_t state, const char *laddr,
			 uint16_t lport, const char *raddr, uint16_t rport)
{
	struct lsock sk = { .family = (uint8_t)family, .protocol = proto, .state = state,
			    .lport = lport, .rport = rport, .inode = 1000 + lport, .cookie = 0x1f };

	inet_pton(family, laddr, sk.laddr);
	inet_pton(family, raddr, sk.raddr);
	return sk;
}

/* Run a backend over rows (measured first if it measures) and return what it printed
 * (caller frees). */
static char *render_with(const struct out_backend *be, const struct out_opts *o,
			 const struct out_row *rows, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	void *st = be->begin(f, o);

	assert_non_null(st);
	for (size_t i = 0; be->measure && i < n; i++)
		assert_int_equal(be->measure(st, &rows[i]), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(be->row(st, &rows[i]), 0);
	assert_int_equal(be->end(st), 0);
	fclose(f);
	return text;
}

/* The table backend. */
static char *render(const struct out_opts *o, const struct out_row *rows, size_t n)
{
	return render_with(&out_table, o, rows, n);
}

static void listeners(void **state)
{
	struct lsock s[3] = {
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0),
		sock(AF_INET6, IPPROTO_TCP, LSOCK_LISTEN, "::", 80, "::", 0),
		sock(AF_INET, IPPROTO_UDP, LSOCK_CLOSE, "127.0.0.1", 53, "0.0.0.0", 0),
	};
	struct out_row rows[3] = { { .sk = &s[0], .lservice = "ssh" }, { .sk = &s[1] },
				   { .sk = &s[2], .ifname = "lo" } };
	struct out_opts o = { .header = true, .netid = true, .state = true };
	char *text;

	(void)state;
	s[0].rqueue = 1;
	s[0].wqueue = 128;
	text = render(&o, rows, 3);
	assert_string_equal(text,
		"Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
		"tcp   LISTEN 1      128          0.0.0.0:ssh       0.0.0.0:*\n"
		"tcp   LISTEN 0      0                  *:80              *:*\n"
		"udp   UNCONN 0      0       127.0.0.1%lo:53        0.0.0.0:*\n");
	free(text);

	/* -H, no Netid (one protocol), no State (one state): just the addresses. */
	o = (struct out_opts){ 0 };
	text = render(&o, rows, 2);
	assert_string_equal(text, "1      128    0.0.0.0:ssh 0.0.0.0:*\n"
				  "0      0            *:80        *:*\n");
	free(text);
}

static void processes_and_details(void **state)
{
	struct lsock s[2] = {
		sock(AF_INET6, IPPROTO_TCP, LSOCK_LISTEN, "::", 443, "::", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_ESTABLISHED, "10.0.0.1", 5000, "10.0.0.2", 22),
	};
	struct procfs_proc procs[2] = { { .pid = 10, .name = "nginx" },
					{ .pid = 11, .name = "evil\033[2J\"x\"" } };
	struct procfs_owner owners[2] = { { .pid = 11, .fd = 6, .proc = 1 },
					  { .pid = 10, .fd = 6, .proc = 0 } };
	struct out_row rows[2] = {
		{ .sk = &s[0], .owners = owners, .nowners = 2, .procs = procs, .cgroup = "/sys" },
		{ .sk = &s[1], .procs = procs },
	};
	struct out_opts o = { .header = false, .state = true, .processes = true, .extended = true };
	char *text;

	(void)state;
	s[0].flags = LSOCK_HAS_V6ONLY | LSOCK_HAS_SHUTDOWN | LSOCK_HAS_CGROUP;
	s[0].v6only = 1;
	s[0].cgroup_id = 5;
	s[1].flags = LSOCK_HAS_SHUTDOWN | LSOCK_HAS_CGROUP | LSOCK_HAS_MARK;
	s[1].shutdown = 1;
	s[1].uid = 1000;
	s[1].mark = 0x10;
	s[1].cgroup_id = 0xabc;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"LISTEN 0      0          [::]:443      [::]:*  "
		"users:((\"evil\\x1b[2J\\\"x\\\"\",pid=11,fd=6),"
		"(\"nginx\",pid=10,fd=6)) ino:1443 sk:1f cgroup:/sys v6only:1 <->\n"
		"ESTAB  0      0      10.0.0.1:5000 10.0.0.2:22 uid:1000 ino:6000 sk:1f "
		"fwmark:0x10 cgroup:unreachable:abc -->\n");
	free(text);
}

static char *render_json(const struct out_opts *o, const struct out_row *rows, size_t n);

/* -m on unix and packet rows as ss writes it: on the row, after the holders; a unix socket's
 * skmem before -e's details, a packet socket's after them; no second line; nothing for a row
 * whose kernel sent none. The Process column shows for the memory alone. */
static void unix_packet_memory(void **state)
{
	struct lsock s[3] = {
		{ .family = AF_UNIX, .type = SOCK_STREAM, .state = LSOCK_ESTABLISHED, .inode = 7,
		  .flags = LSOCK_HAS_SHUTDOWN, .ext = 1 },
		{ .family = AF_PACKET, .protocol = LSOCK_PROTO_PACKET, .type = SOCK_RAW,
		  .state = LSOCK_CLOSE, .lport = LSOCK_ETH_P_ALL, .inode = 8, .cookie = 0x2a,
		  .ext = 2 },
		{ .family = AF_UNIX, .type = SOCK_DGRAM, .state = LSOCK_CLOSE, .inode = 9,
		  .flags = LSOCK_PROCNET }, /* from /proc/net/unix: no memory */
	};
	struct lsock_ext ext[2] = { { .nskmem = 7 }, { .nskmem = LSOCK_SKMEM_MAX } };
	struct procfs_proc procs[1] = { { .pid = 10, .name = "app" } };
	struct procfs_owner owners[1] = { { .pid = 10, .fd = 3, .proc = 0 } };
	struct out_row rows[3] = {
		{ .sk = &s[0], .ext = &ext[0], .owners = owners, .nowners = 1, .procs = procs },
		{ .sk = &s[1], .ext = &ext[1] },
		{ .sk = &s[2] },
	};
	struct out_opts o = { .netid = true, .more.memory = true };
	char *text;

	(void)state;
	ext[0].skmem[LSOCK_SKMEM_WMEM_ALLOC] = 2304;
	ext[1].skmem[LSOCK_SKMEM_RMEM_ALLOC] = 3328;
	ext[1].skmem[LSOCK_SKMEM_DROPS] = 4;
	s[1].pk.flags = LSOCK_PACKET_INFO;
	s[1].pk.info_flags = 1;
	text = render(&o, rows, 3);
	assert_string_equal(text,
		"u_str 0      0      * 7 * 0 skmem:(r0,rb0,t2304,tb0,f0,w0,o0)\n"
		"p_raw 0      0      *:* *   skmem:(r3328,rb0,t0,tb0,f0,w0,o0,bl0,d4)\n"
		"u_dgr 0      0      * 9 * 0\n");
	free(text);

	o.processes = o.extended = o.header = true;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"Netid Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
		"u_str 0      0                  * 7               * 0    "
		"users:((\"app\",pid=10,fd=3)) skmem:(r0,rb0,t2304,tb0,f0,w0,o0) <->\n"
		"p_raw 0      0                  *:*               *      ino:8 sk:2a ver:0 "
		"cpy_thresh:0 flags( running ) skmem:(r3328,rb0,t0,tb0,f0,w0,o0,bl0,d4)\n");
	free(text);

	/* A fanout group as ss names its type; a type with its flags in hexadecimal. */
	o.more.memory = false;
	s[1].pk.flags |= LSOCK_PACKET_FANOUT;
	s[1].pk.fanout = 42 | 1u << 16;
	text = render(&o, &rows[1], 1);
	assert_non_null(strstr(text, "flags( running ) fanout(id:42,type:lb)\n"));
	free(text);
	s[1].pk.fanout = 7 | 0x8003u << 16;
	text = render(&o, &rows[1], 1);
	assert_non_null(strstr(text, "flags( running ) fanout(id:7,type:0x8003)\n"));
	free(text);
	s[1].pk.flags &= ~LSOCK_PACKET_FANOUT;

	/* Without -m, no memory and no Process column for it. */
	o = (struct out_opts){ .netid = true };
	text = render(&o, rows, 2);
	assert_string_equal(text, "u_str 0      0      * 7 * 0\np_raw 0      0      *:* *\n");
	free(text);
}

/* -e's timer:(name,time left,count) as ss writes the time: minutes alone from ten minutes,
 * seconds alone from ten seconds, milliseconds below that; and as JSON. */
static void timers(void **state)
{
	static const struct {
		uint8_t timer;
		uint32_t ms;
		uint8_t retrans;
		const char *text;
	} cases[] = {
		{ LSOCK_TIMER_TIMEWAIT, 59000, 0, "timer:(timewait,59sec,0)" },
		{ LSOCK_TIMER_KEEPALIVE, 7140000, 0, "timer:(keepalive,119min,0)" },
		{ LSOCK_TIMER_KEEPALIVE, 123456, 2, "timer:(keepalive,2min3sec,2)" },
		{ LSOCK_TIMER_ON, 1500, 1, "timer:(on,1.500sec,1)" },
		{ LSOCK_TIMER_ON, 200, 3, "timer:(on,200ms,3)" },
		{ LSOCK_TIMER_PERSIST, 12345, 0, "timer:(persist,12sec,0)" },
		/* ss names none past persist: a delayed ACK's is "unknown" to it too. */
		{ LSOCK_TIMER_DELACK, 0, 0, "timer:(unknown,,0)" },
		{ 9, 40, 0, "timer:(unknown,040ms,0)" },
	};
	struct out_opts o = { .extended = true };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lsock sk = sock(AF_INET, IPPROTO_TCP, LSOCK_ESTABLISHED, "10.0.0.1", 5000,
				       "10.0.0.2", 22);
		struct out_row row = { .sk = &sk };
		char want[160], *text;

		sk.timer = cases[i].timer;
		sk.expires = cases[i].ms;
		sk.retrans = cases[i].retrans;
		snprintf(want, sizeof(want),
			 "0      0      10.0.0.1:5000 10.0.0.2:22 %s ino:6000 sk:1f\n",
			 cases[i].text);
		text = render(&o, &row, 1);
		assert_string_equal(text, want);
		free(text);
	}

	struct lsock tw = sock(AF_INET, IPPROTO_TCP, LSOCK_TIME_WAIT, "10.0.0.1", 5000,
			       "10.0.0.2", 22);
	struct out_row row = { .sk = &tw };
	struct out_opts jo = { .lines = true };
	char *text = render_json(&jo, &row, 1);

	assert_non_null(strstr(text, ",\"timer\":null,"));
	free(text);
	tw.timer = LSOCK_TIMER_TIMEWAIT;
	tw.expires = 59000;
	text = render_json(&jo, &row, 1);
	assert_non_null(strstr(text, ",\"timer\":{\"name\":\"timewait\",\"expires_ms\":59000,"
				     "\"retransmits\":0},"));
	free(text);
}

static void fits_terminal(void **state)
{
	struct lsock s = sock(AF_INET6, IPPROTO_TCP, LSOCK_LISTEN,
			      "2001:db8:85a3:1234:5678:8a2e:370:7334", 8443, "::", 0);
	struct out_row row = { .sk = &s };
	struct out_opts o = { .header = true, .width = 40 };
	char *text;

	(void)state;
	s.flags = LSOCK_HAS_V6ONLY;
	s.v6only = 1;
	text = render(&o, &row, 1);
	/* No row has a peer: the Peer columns are left out. The address is cut in its middle
	 * to fit 40 columns, with "~" outside a UTF-8 locale. */
	assert_string_equal(text,
		"Recv-Q Send-Q         Local Address:Port\n"
		"0      0      [2001:db8:~:370:7334]:8443\n");
	free(text);
	o.utf8 = true;
	o.width = 36;
	text = render(&o, &row, 1);
	assert_string_equal(text,
		"Recv-Q Send-Q     Local Address:Port\n"
		"0      0      [2001:db\u202670:7334]:8443\n");
	free(text);
	/* Wide enough: nothing is cut. */
	o.width = 200;
	text = render(&o, &row, 1);
	assert_string_equal(text,
		"Recv-Q Send-Q                           Local Address:Port\n"
		"0      0      [2001:db8:85a3:1234:5678:8a2e:370:7334]:8443\n");
	free(text);
}

/* The longest line of text, in columns (ASCII and "…", no escapes). */
static size_t longest(const char *text)
{
	size_t most = 0;

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n"), w = 0;

		for (size_t i = 0; i < n; i++)
			w += ((unsigned char)p[i] & 0xc0) != 0x80;
		most = w > most ? w : most;
		p += n + (p[n] == '\n');
	}
	return most;
}

/* Fitting a width: Process last with its holders short ("+N" for those that do not fit), a
 * name that could be read as more than one quoted, a multi-byte name cut on a character
 * boundary and counted by its columns, the Warning before the Process and without the name
 * Service gives, its colour not counted. */
static void fits_processes(void **state)
{
	static const struct svc_info redis = { 6379, 6379, SVC_TCP, SVC_RISK_HIGH, "redis",
					       "Redis", "often no auth by default" };
	struct lsock s[2] = {
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 6379, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0),
	};
	/* 日本語サーバ as the kernel keeps it: cut to 15 bytes, 日本語サー. */
	struct procfs_proc procs[4] = {
		{ .pid = 812, .name = "nginx" }, { .pid = 813, .name = "a) b (c" },
		{ .pid = 7,
		  .name = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc" },
		{ .pid = 9, .name = "evil\033[2J" },
	};
	struct procfs_owner own0[3] = { { .pid = 812, .fd = 6, .proc = 0 },
					{ .pid = 813, .fd = 6, .proc = 1 },
					{ .pid = 9, .fd = 4, .proc = 3 } };
	struct procfs_owner own1[1] = { { .pid = 7, .fd = 3, .proc = 2 } };
	struct out_row rows[2] = {
		{ .sk = &s[0], .owners = own0, .nowners = 3, .procs = procs, .service = "redis",
		  .svc = &redis, .scope = SCOPE_ALL, .exposed = true, .warn = true,
		  .service_source = SVC_SOURCE_PORT },
		{ .sk = &s[1], .owners = own1, .nowners = 1, .procs = procs,
		  .scope = SCOPE_LOOPBACK },
	};
	struct out_opts o = { .header = true, .processes = true, .services = true,
			      .scope = true, .utf8 = true, .width = 200 };
	char *text;

	(void)state;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"Recv-Q Send-Q Local Address:Port Service Scope    Warning                    "
		"Process\n"
		"0      0            0.0.0.0:6379 redis?  all      ! often no auth by default "
		"nginx(812,fd 6) \"a) b (c\"(813,fd 6) evil\\x1b[2J(9,fd 4)\n"
		"0      0          127.0.0.1:80           loopback                            "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc(7,fd 3)\n");
	free(text);
	/* 100 columns: the Process column gives up width first, the holders that do not fit
	 * are counted. */
	o.width = 100;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"Recv-Q Send-Q Local Address:Port Service Scope    Warning                    "
		"Process\n"
		"0      0            0.0.0.0:6379 redis?  all      ! often no auth by default "
		"nginx(812,fd 6) +2\n"
		"0      0          127.0.0.1:80           loopback                            "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc(7,fd 3)\n");
	free(text);
	/* 80: narrowing the Warning is not enough without cutting the pids, so the Service
	 * column is left out (the Process column names the program), the Warning names the
	 * service again, narrowed to what is left; every pid stays whole. */
	o.width = 80;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"Recv-Q Send-Q Local Address:Port Scope    Warning           Process\n"
		"0      0            0.0.0.0:6379 all      ! redis?: often \u2026 "
		"nginx(812,fd 6) +2\n"
		"0      0          127.0.0.1:80   loopback                   "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc(7,fd 3)\n"
		"left out to fit 80 columns: Service (-W prints every column)\n");
	assert_true(longest(text) <= 80);
	free(text);
	/* Without the header nothing could say which columns are left out: none is, the
	 * columns are cut instead. */
	o.header = false;
	text = render(&o, rows, 2);
	assert_null(strstr(text, "left out"));
	assert_non_null(strstr(text, "redis?"));
	free(text);
	o.header = true;
	/* 70: the Warning left out too; the wide name keeps its pid, cut between two
	 * characters. */
	o.width = 70;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"Recv-Q Send-Q Local Address:Port Scope    Process\n"
		"0      0            0.0.0.0:6379 all      nginx(812,fd 6) +2\n"
		"0      0          127.0.0.1:80   loopback "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc(7,fd 3)\n"
		"left out to fit 70 columns: Service, Warning (-W prints every column)\n");
	free(text);
	/* 40: every column that may go has gone, the addresses are at their titles' widths;
	 * only then is the Process column cut below what keeps the pids. */
	o.width = 40;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"Recv-Q Send-Q Local Address:Port Process\n"
		"0      0            0.0.0.0:6379 nginx(\u2026\n"
		"0      0          127.0.0.1:80   \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\u2026\n"
		"left out to fit 40 columns: Service, Scope, Warning (-W prints every column)\n");
	*strstr(text, "left out") = '\0'; /* the rows: the note is a sentence, not fitted */
	assert_int_equal(longest(text), 40);
	free(text);
	/* A quoted name cut stays between its quotes, and keeps its pid, fd and count. */
	struct procfs_owner own2[2] = { { .pid = 813, .fd = 6, .proc = 1 },
					{ .pid = 812, .fd = 6, .proc = 0 } };
	struct out_row quoted = { .sk = &s[1], .owners = own2, .nowners = 2, .procs = procs };
	struct out_opts qo = { .header = true, .processes = true, .utf8 = true, .width = 53 };

	text = render(&qo, &quoted, 1);
	assert_string_equal(text,
		"Recv-Q Send-Q Local Address:Port Process\n"
		"0      0          127.0.0.1:80   \"a) b\u2026\"(813,fd 6) +1\n");
	free(text);
	/* Colour takes no column: the same widths, the escapes around the Warning alone. */
	o.color = true;
	o.width = 80;
	text = render(&o, rows, 2);
	assert_non_null(strstr(text, "all      \033[1;31m! redis?: often \u2026\033[0m "
				     "nginx(812,fd 6) +2\n"));
	assert_non_null(strstr(text, "Scope    Warning           Process\n"));
	free(text);
}

static void no_rows(void **state)
{
	struct out_opts o = { .header = true, .netid = true, .state = true, .processes = true };
	char *text;

	(void)state;
	text = render(&o, NULL, 0);
	assert_string_equal(text, "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port "
				  "Process\n");
	free(text);
	o.header = false;
	text = render(&o, NULL, 0);
	assert_string_equal(text, "");
	free(text);
}

/* Service, Scope and Warning columns; the warning coloured by risk; the summary line. */
static void services_scope_and_warnings(void **state)
{
	static const struct svc_info redis = { 6379, 6379, SVC_TCP, SVC_RISK_HIGH, "redis",
					       "Redis", "often no auth by default" };
	static const struct svc_info pg = { 5432, 5432, SVC_TCP, SVC_RISK_MEDIUM, "postgresql",
					    "PostgreSQL", "database exposed to the network" };
	struct lsock s[7] = {
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 6379, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "127.0.0.1", 5432, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "10.0.0.5", 8080, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_ESTABLISHED, "10.0.0.5", 40000, "10.0.0.9", 443),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "10.0.0.5", 5432, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 5432, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "127.0.0.1", 6379, "0.0.0.0", 0),
	};
	static const struct prog_info redis_server = { .name = "redis-server",
						       .service = "redis" };
	static const struct prog_info python = { .name = "python3" };
	static const struct prog_info http_server = { .name = "python3 http.server",
						      .service = "http" };
	struct out_row rows[7] = {
		{ .sk = &s[0], .service = "redis", .svc = &redis, .scope = SCOPE_ALL,
		  .exposed = true, .warn = true, .service_source = SVC_SOURCE_PROGRAM,
		  .program = &redis_server },
		{ .sk = &s[1], .service = "postgresql", .svc = &pg, .scope = SCOPE_LOOPBACK,
		  .service_source = SVC_SOURCE_PORT },
		{ .sk = &s[2], .scope = SCOPE_LAN, .scope_ifname = "eth\n0", .exposed = true },
		{ .sk = &s[3], .service = "https", .service_peer = true, .scope = SCOPE_LAN,
		  .scope_ifname = "eth0", .service_source = SVC_SOURCE_PORT },
		{ .sk = &s[4], .service = "http", .scope = SCOPE_LAN, .scope_ifname = "eth0",
		  .service_source = SVC_SOURCE_PROGRAM, .program = &http_server,
		  .port_guess = "postgresql" },
		{ .sk = &s[5], .scope = SCOPE_ALL, .exposed = true, .warn = true, .svc = &pg,
		  .service = "postgresql", .service_source = SVC_SOURCE_PORT },
		{ .sk = &s[6], .scope = SCOPE_LOOPBACK, .service_source = SVC_SOURCE_PROGRAM,
		  .program = &python, .port_guess = "redis", .program_weak = true },
	};
	struct out_opts o = { .header = true, .state = true, .services = true, .scope = true };
	char *text;

	(void)state;
	text = render(&o, rows, 7);
	assert_string_equal(text,
		"State  Recv-Q Send-Q Local Address:Port  Peer Address:Port "
		"Service                             Scope        Warning\n"
		"LISTEN 0      0            0.0.0.0:6379       0.0.0.0:*    "
		"redis                               all          "
		"! redis: often no auth by default\n"
		"LISTEN 0      0          127.0.0.1:5432       0.0.0.0:*    "
		"postgresql?                         loopback\n"
		"LISTEN 0      0           10.0.0.5:8080       0.0.0.0:*    "
		"                                    lan (eth\\n0)\n"
		"ESTAB  0      0           10.0.0.5:40000     10.0.0.9:443  "
		"https (peer)                        lan (eth0)\n"
		"LISTEN 0      0           10.0.0.5:5432       0.0.0.0:*    "
		"http (python3) on postgresql's port lan (eth0)\n"
		"LISTEN 0      0            0.0.0.0:5432       0.0.0.0:*    "
		"postgresql?                         all          "
		"! postgresql?: database exposed to the network\n"
		"LISTEN 0      0          127.0.0.1:6379       0.0.0.0:*    "
		"python3 on redis's port (comm)      loopback\n");
	free(text);

	/* Colour around the warning alone; a summary of the listeners. */
	o.color = o.summary = true;
	o.header = false;
	o.state = false;
	text = render(&o, rows, 2);
	assert_string_equal(text,
		"0      0        0.0.0.0:6379 0.0.0.0:* redis       all      "
		"\033[1;31m! redis: often no auth by default\033[0m\n"
		"0      0      127.0.0.1:5432 0.0.0.0:* postgresql? loopback\n"
		"2 listeners: 1 bound beyond loopback, 1 with warnings\n");
	free(text);

	/* Without the service knowledge: no Service column, no warning, no warning count. */
	o.services = false;
	text = render(&o, rows, 2);
	assert_string_equal(text, "0      0        0.0.0.0:6379 0.0.0.0:* all\n"
				  "0      0      127.0.0.1:5432 0.0.0.0:* loopback\n"
				  "2 listeners: 1 bound beyond loopback\n");
	free(text);

	/* The firewall drops the exposed one from every source: counted as such. */
	struct reach_result dropped = { .verdict = REACH_FILTERED };

	rows[0].verdict = &dropped;
	text = render(&o, rows, 2);
	assert_non_null(strstr(text, "2 listeners: 1 bound beyond loopback (1 of them dropped by "
				     "the firewall)\n"));
	free(text);

	/* Let in for one family only: the Reach column and JSON say which. */
	struct reach_result v6 = { .verdict = REACH_OPEN, .only_family = AF_INET6 };
	struct out_opts ro = { .reach = true };

	rows[0].verdict = &v6;
	text = render(&ro, rows, 1);
	assert_non_null(strstr(text, " open (IPv6 only)\n"));
	free(text);
	dropped.only_family = AF_INET; /* none for a partial one: its prefixes say it */
	struct reach_result v4 = { .verdict = REACH_UNKNOWN, .only_family = AF_INET };

	rows[0].verdict = &v4; /* only an open verdict is said to be one family's */
	text = render(&ro, rows, 1);
	assert_non_null(strstr(text, " unknown\n"));
	free(text);

	struct sbuf j = { 0 };

	json_reach(&j, &v6);
	assert_non_null(strstr(j.s,
			       "\"verdict\":\"open\",\"from\":null,\"only_family\":\"ipv6\","));
	j.len = 0;
	json_reach(&j, &dropped);
	assert_null(strstr(j.s, "only_family\":\"ipv6"));
	sbuf_free(&j);
	rows[0].verdict = NULL;
}

/* Every scope's text; interface names only where they say something. */
static void scopes_and_devices(void **state)
{
	struct lsock sk = sock(AF_INET, IPPROTO_UDP, LSOCK_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);
	static const struct {
		enum scope_class scope;
		const char *ifname, *want;
	} cases[] = {
		{ SCOPE_ALL, "eth0", "all" },
		{ SCOPE_ALL_V6, NULL, "all (v6 only)" },
		{ SCOPE_LOOPBACK, "lo", "loopback" },
		{ SCOPE_DEVICE, "eth0", "device:eth0" },
		{ SCOPE_DEVICE, NULL, "device:?" },
		{ SCOPE_LINK_LOCAL, "d0", "link-local (d0)" },
		{ SCOPE_LAN, NULL, "lan" },
		{ SCOPE_MULTICAST, NULL, "multicast" },
		{ SCOPE_PUBLIC, "wan\033]0;x\a", "public (wan\\x1b]0;x\\x07)" },
	};
	struct out_opts o = { .scope = true };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct out_row r = { .sk = &sk, .scope = cases[i].scope,
				     .scope_ifname = cases[i].ifname };
		char *text = render(&o, &r, 1), want[128];

		snprintf(want, sizeof(want), "0      0      0.0.0.0:53 0.0.0.0:* %s\n",
			 cases[i].want);
		assert_string_equal(text, want);
		free(text);
	}
}

/* The Netns and Unit columns: each holder's unit or container once, a service manager's socket
 * unit, a docker-proxy's target, the socket's own cgroup when no holder is known; the scope
 * inside another namespace. */
static void namespaces_and_units(void **state)
{
	struct lsock s[3] = {
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0),
		sock(AF_INET6, IPPROTO_TCP, LSOCK_LISTEN, "::1", 631, "::", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0),
	};
	struct procfs_proc procs[4] = { { .pid = 12, .name = "nginx" },
					{ .pid = 11, .name = "nginx" },
					{ .pid = 1, .name = "systemd" },
					{ .pid = 30, .name = "docker-proxy" } };
	struct procfs_info info[4] = { 0 };
	struct enrich_holder h[4] = { 0 };
	struct procfs_owner o80[2] = { { 12, 6, 0 }, { 11, 6, 1 } }, o631[1] = { { 1, 40, 2 } },
			    o8080[1] = { { 30, 4, 3 } };
	struct out_row rows[4] = {
		{ .sk = &s[0], .owners = o80, .nowners = 2, .procs = procs, .info = info,
		  .holders = h, .netns = "web", .netns_other = true, .scope = SCOPE_ALL },
		{ .sk = &s[1], .owners = o631, .nowners = 1, .procs = procs, .info = info,
		  .holders = h, .netns = "host", .activated = true, .socket_unit = "cups.socket",
		  .activates = "cups.service" },
		{ .sk = &s[2], .owners = o8080, .nowners = 1, .procs = procs, .info = info,
		  .holders = h, .netns = "host" },
		{ .sk = &s[2], .procs = procs, .info = info, .holders = h, .netns = "host",
		  .sock_cgroup = "/system.slice/hidden\033.service" },
	};
	struct out_opts o = { .header = true, .scope = true, .processes = true, .netns = true,
			      .unit = true };
	const char *docker = "/system.slice/docker-3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80"
			     "91a2b3c4d5e6f708.scope";
	char *text;

	(void)state;
	unit_parse(docker, strlen(docker), &info[0].unit);
	info[0].unit.name = strdup("web");
	info[1].unit = info[0].unit; /* the name is info[0]'s */
	h[2].manager = true;
	h[3].proxy = true;
	h[3].forward = (struct container_proxy){ IPPROTO_TCP, AF_INET, 80, { 172, 17, 0, 2 } };
	h[3].forward_netns = "web";
	text = render(&o, rows, 4);
	assert_string_equal(text,
		"Netns Recv-Q Send-Q Local Address:Port Peer Address:Port Scope              "
		"Process                                             "
		"Unit\n"
		"web   0      0            0.0.0.0:80        0.0.0.0:*    all (in netns web) "
		"users:((\"nginx\",pid=12,fd=6),(\"nginx\",pid=11,fd=6)) "
		"docker web (3f2a1b4c5d6e)\n"
		"host  0      0              [::1]:631             *:*    loopback           "
		"users:((\"systemd\",pid=1,fd=40))                     "
		"cups.socket (activates cups.service)\n"
		"host  0      0          127.0.0.1:8080      0.0.0.0:*    loopback           "
		"users:((\"docker-proxy\",pid=30,fd=4))                "
		"docker-proxy to 172.17.0.2:80 (web)\n"
		"host  0      0          127.0.0.1:8080      0.0.0.0:*    loopback           "
		"                                                    "
		"hidden\\x1b.service (the socket's cgroup)\n");
	free(text);
	/* No socket unit file matched; no Unit column when nothing belongs to anything. */
	rows[1].socket_unit = NULL;
	text = render(&o, &rows[1], 1);
	assert_non_null(strstr(text, "users:((\"systemd\",pid=1,fd=40)) "
				     "systemd (socket activation)\n"));
	free(text);
	unit_owner_free(&info[0].unit);
	info[0] = (struct procfs_info){ 0 };
	info[1] = (struct procfs_info){ 0 };
	text = render(&o, rows, 1);
	assert_null(strstr(text, "Unit"));
	free(text);
}

/* The metrics of rows, with the audit built from them and the allow-list allow (may be NULL)
 * applied, as the view does (caller frees). */
static char *render_prom(const struct out_opts *o, const struct out_row *rows, size_t n,
			 const struct procfs_proc *procs, const char *allow)
{
	static const struct svc_db db = { .eph_lo = 32768, .eph_hi = 60999 };
	struct audit_allow al = { 0 };
	char *text = NULL, err[128];
	size_t len = 0;
	unsigned line;
	FILE *f = open_memstream(&text, &len);
	struct audit a;

	if (allow)
		assert_int_equal(audit_allow_parse(&al, allow, strlen(allow), NULL, &line,
						   err, sizeof(err)), 0);
	assert_int_equal(audit_build(&a, rows, n, procs, &db, NULL), 0);
	audit_allow_apply(&al, &a, procs);
	assert_int_equal(out_prom(f, rows, n, &a, &db, o), 0);
	audit_free(&a);
	audit_allow_free(&al);
	fclose(f);
	return text;
}

/* A namespace known not to be the host's is "host": false in JSON, and null when none could be
 * told to be the host's. The metrics' totals are per namespace, under its label. */
static void host_unknown(void **state)
{
	struct lsock s = sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 6379, "0.0.0.0", 0);
	struct lsock h = sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0);
	struct out_row rows[2] = {
		{ .sk = &h, .netns = "host", .scope = SCOPE_ALL, .exposed = true },
		{ .sk = &s, .netns = "web", .netns_inode = 4026532385u, .netns_other = true,
		  .scope = SCOPE_ALL, .exposed = true },
	};
	struct out_opts o = { .netns = true, .series = DIAG_TCP | DIAG_UDP };
	char *text;

	(void)state;
	text = render_with(&out_json, &o, &rows[1], 1);
	assert_non_null(strstr(text, "\"netns\":{\"name\":\"web\",\"inode\":4026532385,"
				     "\"host\":false}"));
	free(text);
	text = render_prom(&o, rows, 2, NULL, NULL);
	assert_non_null(strstr(text, "listen_listeners{netns=\"host\",protocol=\"tcp\","
				     "scope=\"all\"} 1\n"));
	assert_non_null(strstr(text, "listen_listeners{netns=\"web\",protocol=\"tcp\","
				     "scope=\"all\"} 1\n"));
	assert_non_null(strstr(text, "listen_socket_info{netns=\"web\",protocol=\"tcp\","));
	free(text);
	rows[1].netns_host_unknown = true;
	text = render_with(&out_json, &o, &rows[1], 1);
	assert_non_null(strstr(text, "\"netns\":{\"name\":\"web\",\"inode\":4026532385,"
				     "\"host\":null}"));
	free(text);
	/* Without a namespace option the label is empty: the namespace listen runs in. */
	o.netns = false;
	text = render_prom(&o, rows, 2, NULL, NULL);
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"tcp\","
				     "scope=\"all\"} 2\n"));
	assert_null(strstr(text, "netns=\"web\""));
	free(text);
}

/* The metrics carry the audit's risk: postgres on every interface, named by its port only, is
 * medium at most even held by root, redis-server identified by its executable is high, an
 * unknown exposed port is low, a loopback listener has none; a UDP client's ephemeral port is
 * left out, as the audit leaves it out; the findings are counted as --audit counts them. */
static void prom_risk(void **state)
{
	static const struct procfs_proc procs[] = { { .pid = 7, .uid = 0, .name = "postgres" } };
	static const struct procfs_owner pg[] = { { 7, 5, 0 } };
	static const struct svc_db db = { .eph_lo = 32768, .eph_hi = 60999 };
	struct lsock s[6] = {
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 5432, "0.0.0.0", 0),
		sock(AF_INET6, IPPROTO_TCP, LSOCK_LISTEN, "::", 5432, "::", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "127.0.0.1", 6379, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "10.0.0.1", 7777, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_UDP, LSOCK_CLOSE, "0.0.0.0", 45000, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "10.0.0.1", 6379, "0.0.0.0", 0),
	};
	static const enum scope_class scopes[6] = { SCOPE_ALL, SCOPE_ALL_V6, SCOPE_LOOPBACK,
						    SCOPE_LAN, SCOPE_ALL, SCOPE_LAN };
	struct out_row rows[6];
	struct out_opts o = { .services = true, .series = DIAG_TCP | DIAG_UDP };
	struct prog_id id;
	char *text;

	(void)state;
	for (int i = 0; i < 6; i++) {
		struct svc_ref sv = svc_lookup(&db, s[i].lport, 0, s[i].protocol);

		rows[i] = (struct out_row){ .sk = &s[i], .scope = scopes[i], .service = sv.name,
					    .svc = sv.info, .service_source = sv.source,
					    .exposed = scopes[i] != SCOPE_LOOPBACK };
	}
	prog_identify("/usr/bin/redis-check-rdb", false, NULL, NULL, &id);
	rows[5].program = id.prog;
	rows[5].service_source = SVC_SOURCE_PROGRAM;
	rows[5].holders_known = true;
	rows[0].owners = rows[1].owners = pg;
	rows[0].nowners = rows[1].nowners = 1;
	rows[0].procs = rows[1].procs = procs;
	text = render_prom(&o, rows, 6, procs, NULL);
	assert_non_null(strstr(text, "address=\"0.0.0.0\",port=\"5432\",interface=\"\","
				     "scope=\"all\",service=\"postgresql\","
				     "service_source=\"port\",service_risk=\"medium\","
				     "program=\"\",port_guess=\"\",risk=\"medium\","
				     "allowed=\"false\"} 1\n"));
	assert_non_null(strstr(text, "address=\"10.0.0.1\",port=\"6379\",interface=\"\","
				     "scope=\"lan\",service=\"redis\","
				     "service_source=\"program\",service_risk=\"high\","
				     "program=\"redis-server\",port_guess=\"\","
				     "risk=\"high\",allowed=\"false\"} 1\n"));
	assert_non_null(strstr(text, "port=\"6379\",interface=\"\",scope=\"loopback\","
				     "service=\"redis\",service_source=\"port\","
				     "service_risk=\"high\",program=\"\",port_guess=\"\","
				     "risk=\"\",allowed=\"\"} 1\n"));
	assert_non_null(strstr(text, "port=\"7777\",interface=\"\",scope=\"lan\",service=\"\","
				     "service_source=\"\",service_risk=\"\",program=\"\","
				     "port_guess=\"\",risk=\"low\",allowed=\"false\"} 1\n"));
	assert_null(strstr(text, "45000"));
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"udp\","
				     "scope=\"all\"} 0\n"));
	assert_non_null(strstr(text, "listen_exposed_listeners{netns=\"\",risk=\"medium\"} 2\n"));
	assert_non_null(strstr(text, "listen_exposed_listeners{netns=\"\",risk=\"high\"} 1\n"));
	assert_non_null(strstr(text, "listen_exposed_listeners{netns=\"\",risk=\"low\"} 1\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"high\","
				     "allowed=\"false\"} 1\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"low\","
				     "allowed=\"false\"} 1\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"medium\","
				     "allowed=\"false\"} 1\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"none\","
				     "allowed=\"false\"} 0\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"high\","
				     "allowed=\"true\"} 0\n"));
	free(text);
	/* The allow-list approves redis: its finding moves to allowed, as --audit counts it. */
	text = render_prom(&o, rows, 6, procs, "tcp/6379 10.0.0.1\n");
	assert_non_null(strstr(text, "port_guess=\"\",risk=\"high\",allowed=\"true\"} 1\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"high\","
				     "allowed=\"false\"} 0\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"high\","
				     "allowed=\"true\"} 1\n"));
	/* ... but it is still reported, and exposed. */
	assert_non_null(strstr(text, "listen_exposed_listeners{netns=\"\",risk=\"high\"} 1\n"));
	free(text);
	/* Without services, no risk at all. */
	o.services = false;
	text = render_prom(&o, rows, 6, procs, NULL);
	assert_null(strstr(text, "risk"));
	assert_null(strstr(text, "allowed"));
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"tcp\","
				     "scope=\"lan\"} 2\n"));
	free(text);
}

/* How often needle occurs in text. */
static int count_lines(const char *text, const char *needle)
{
	int n = 0;

	for (const char *t = strstr(text, needle); t; t = strstr(t + 1, needle))
		n++;
	return n;
}

/* Unix, raw and packet sockets in the metrics: a series each for the families dumped (unix
 * sockets' only when o.series says so), labels escaped, hostile bytes included; the audit's
 * findings of every family counted; no TCP or UDP totals when those were not dumped (not
 * zero: not looked at). */
static void prom_families(void **state)
{
	static const struct procfs_proc procs[] = { { .pid = 9, .uid = 0, .name = "tcp\"dump\n" } };
	static const struct procfs_owner root_owner[] = { { 0, 3, 0 } };
	static const struct unixfile world = { .status = UNIXFILE_OK, .mode = 0666,
					       .reach = UNIXFILE_OTHERS | UNIXFILE_OWNER };
	static const char evil[] = "\0ev\x1b[2J\"il\\\n\xff";
	struct lsock sk[7] = {
		{ .family = AF_UNIX, .state = LSOCK_LISTEN, .type = SOCK_STREAM,
		  .un = { .name = "/run/app.sock", .name_len = 13,
			  .flags = LSOCK_UNIX_NAME | LSOCK_UNIX_VFS } },
		{ .family = AF_UNIX, .state = LSOCK_LISTEN, .type = SOCK_SEQPACKET,
		  .un = { .name = evil, .name_len = sizeof(evil) - 1, .flags = LSOCK_UNIX_NAME } },
		/* unbound, and connected: no series */
		{ .family = AF_UNIX, .state = LSOCK_CLOSE, .type = SOCK_DGRAM },
		{ .family = AF_UNIX, .state = LSOCK_ESTABLISHED, .type = SOCK_STREAM,
		  .un = { .name = "/run/c.sock", .name_len = 11, .flags = LSOCK_UNIX_NAME } },
		sock(AF_INET, IPPROTO_RAW, LSOCK_CLOSE, "0.0.0.0", IPPROTO_ICMP, "0.0.0.0", 0),
		{ .family = AF_PACKET, .protocol = LSOCK_PROTO_PACKET, .type = SOCK_DGRAM,
		  .state = LSOCK_CLOSE, .lport = 0x0806, .ifindex = 2,
		  .pk = { .flags = LSOCK_PACKET_MCLIST | LSOCK_PACKET_PROMISC } },
		{ .family = AF_PACKET, .protocol = LSOCK_PROTO_PACKET, .type = SOCK_RAW,
		  .state = LSOCK_CLOSE, .lport = LSOCK_ETH_P_ALL,
		  .pk = { .flags = LSOCK_PACKET_FILTER_KNOWN | LSOCK_PACKET_FILTER } },
	};
	struct out_row rows[7];
	struct out_opts o = { .services = true, .processes = true,
			      .series = DIAG_UNIX | DIAG_RAW | DIAG_PACKET };
	char *text;

	(void)state;
	for (int i = 0; i < 7; i++)
		rows[i] = (struct out_row){ .sk = &sk[i], .scope = SCOPE_LOOPBACK, .procs = procs,
					    .owners = root_owner, .nowners = 1 };
	rows[0].ufile = &world;
	rows[0].uscope = unix_scope_of(&sk[0], &world);
	rows[1].uscope = unix_scope_of(&sk[1], NULL);
	rows[4].scope = SCOPE_ALL;
	rows[4].lservice = "icmp";
	rows[5].scope = SCOPE_DEVICE;
	rows[5].ifname = "eth\x1b" "0";
	rows[6].scope = SCOPE_ALL;
	text = render_prom(&o, rows, 7, procs, NULL);
	assert_non_null(strstr(text, "# TYPE listen_unix_socket_info gauge\n"));
	assert_non_null(strstr(text, "listen_unix_socket_info{netns=\"\",type=\"stream\","
				     "path=\"/run/app.sock\",abstract=\"\","
				     "unix_access_scope=\"world\",service=\"\",service_risk=\"\","
				     "risk=\"medium\",allowed=\"false\","
				     "processes=\"tcp\\\"dump\\n\"} 1\n"));
	/* The abstract name's bytes: escape and invalid byte replaced, quote and backslash
	 * and newline escaped, as every label value. */
	assert_non_null(strstr(text, "type=\"seqpacket\",path=\"\","
				     "abstract=\"ev\xef\xbf\xbd[2J\\\"il\\\\\\n\xef\xbf\xbd\","
				     "unix_access_scope=\"abstract\""));
	assert_null(strstr(text, "/run/c.sock"));
	assert_int_equal(count_lines(text, "listen_unix_socket_info{"), 2);
	assert_non_null(strstr(text, "listen_raw_socket_info{netns=\"\",family=\"ipv4\","
				     "ip_protocol=\"1\",address=\"0.0.0.0\",interface=\"\","
				     "scope=\"all\",risk=\"low\",allowed=\"false\","));
	assert_non_null(strstr(text, "listen_packet_socket_info{netns=\"\",type=\"dgram\","
				     "ethertype=\"2054\",ethertype_name=\"arp\","
				     "sniffs=\"eth\xef\xbf\xbd" "0\",promisc=\"true\","
				     "interface_promisc=\"false\",bpf_filter=\"\","
				     "scope=\"device\",risk=\"high\",allowed=\"false\","));
	assert_non_null(strstr(text, "listen_packet_socket_info{netns=\"\",type=\"raw\","
				     "ethertype=\"3\",ethertype_name=\"all\",sniffs=\"all\","
				     "promisc=\"\",interface_promisc=\"false\","
				     "bpf_filter=\"true\",scope=\"all\","));
	/* Every family's findings: two unix ones, the raw socket, two packet sockets. */
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"high\","
				     "allowed=\"false\"} 1\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"medium\","
				     "allowed=\"false\"} 2\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"low\","
				     "allowed=\"false\"} 2\n"));
	/* No TCP or UDP dumped: neither their series nor their totals. */
	assert_null(strstr(text, "listen_socket_info"));
	assert_null(strstr(text, "listen_listeners"));
	assert_null(strstr(text, "listen_exposed_listeners"));
	free(text);
	/* Without -x, unix sockets' findings are counted, with no series; the allow-list
	 * approves the raw socket. */
	o.series = DIAG_TCP | DIAG_RAW | DIAG_PACKET;
	text = render_prom(&o, rows, 7, procs, "raw/1\n");
	assert_null(strstr(text, "listen_unix_socket_info"));
	assert_non_null(strstr(text, "risk=\"low\",allowed=\"true\""));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"medium\","
				     "allowed=\"false\"} 2\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"low\","
				     "allowed=\"true\"} 1\n"));
	/* TCP dumped: its totals, zero; UDP not dumped: none. */
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"tcp\","
				     "scope=\"all\"} 0\n"));
	assert_null(strstr(text, "protocol=\"udp\""));
	free(text);
	/* Without services: series without risk, no findings. */
	o.services = false;
	o.processes = false;
	text = render_prom(&o, rows, 7, procs, NULL);
	assert_non_null(strstr(text, "listen_raw_socket_info{netns=\"\",family=\"ipv4\","
				     "ip_protocol=\"1\",address=\"0.0.0.0\",interface=\"\","
				     "scope=\"all\"} 1\n"));
	assert_null(strstr(text, "listen_audit_findings"));
	free(text);
}

/* Run the JSON backend over rows and return what it printed (caller frees). */
static char *render_json(const struct out_opts *o, const struct out_row *rows, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	void *st = out_json.begin(f, o);

	assert_non_null(st);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(out_json.row(st, &rows[i]), 0);
	assert_int_equal(out_json.end(st), 0);
	fclose(f);
	return text;
}

/* Each socket object opens with the schema's version, names its transport protocol and its
 * holders processes, and gives a start time twice: epoch seconds and RFC 3339 (null when the
 * time is unknown or beyond what RFC 3339 can write). JSON Lines too. */
static void json_names_and_times(void **state)
{
	struct lsock s = sock(AF_INET, IPPROTO_UDP, LSOCK_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);
	struct procfs_proc procs[3] = { { .pid = 7, .name = "dns" }, { .pid = 8, .name = "a" },
					{ .pid = 9, .name = "b" } };
	struct procfs_info info[3] = { { .start = 1795338843 }, { .start = 0 },
				       { .start = UINT64_MAX } };
	struct procfs_owner ow[3] = { { 7, 3, 0 }, { 8, 3, 1 }, { 9, 3, 2 } };
	struct out_row row = { .sk = &s, .owners = ow, .nowners = 3, .procs = procs, .info = info };
	struct out_opts o = { .processes = true };
	static const char head[] = "[\n{\"schema_version\":\"" JSON_SCHEMA_VERSION "\","
				   "\"protocol\":\"udp\",\"family\":\"ipv4\",";
	char *text;

	(void)state;
	text = render_json(&o, &row, 1);
	assert_int_equal(strncmp(text, head, strlen(head)), 0);
	assert_non_null(strstr(text, "\"pid\":7,"));
	assert_non_null(strstr(text, "\"started\":1795338843,"
				     "\"started_at\":\"2026-11-22T09:14:03Z\","));
	assert_non_null(strstr(text, "\"pid\":8,"));
	assert_non_null(strstr(text, "\"started\":null,\"started_at\":null,"));
	assert_non_null(strstr(text, "\"started\":18446744073709551615,\"started_at\":null,"));
	assert_non_null(strstr(text, "\"processes\":[{"));
	assert_null(strstr(text, "\"owners\""));
	assert_null(strstr(text, "\"netid\""));
	free(text);
	o.lines = true;
	text = render_json(&o, &row, 1);
	assert_int_equal(strncmp(text, head + 2, strlen(head) - 2), 0);
	free(text);
}

#define ID "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"

/* Containers claimed from a user's cgroup subtree: a Docker look-alike is the user's unit, a
 * rootless Podman container the user's; neither reads as the system's, in the table or JSON. */
static void user_units_and_containers(void **state)
{
	struct lsock s[2] = {
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 5432, "0.0.0.0", 0),
	};
	struct procfs_proc procs[2] = { { .pid = 40, .uid = 65534, .name = "web" },
					{ .pid = 41, .uid = 1000, .name = "postgres" } };
	struct procfs_info info[2] = { 0 };
	struct procfs_owner o80[1] = { { 40, 3, 0 } }, o5432[1] = { { 41, 3, 1 } };
	struct out_row rows[2] = {
		{ .sk = &s[0], .owners = o80, .nowners = 1, .procs = procs, .info = info },
		{ .sk = &s[1], .owners = o5432, .nowners = 1, .procs = procs, .info = info },
	};
	struct out_opts o = { .header = true, .processes = true, .unit = true };
	const char *docker = "/user.slice/user-65534.slice/user@65534.service/app.slice/docker-" ID
			     ".scope";
	const char *podman = "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID
			     ".scope/container";
	char *text;

	(void)state;
	unit_parse(docker, strlen(docker), &info[0].unit);
	unit_parse(podman, strlen(podman), &info[1].unit);
	text = render(&o, rows, 2);
	assert_non_null(strstr(text, "users:((\"web\",pid=40,fd=3))      docker-" ID
				     ".scope (user unit, uid 65534)\n"));
	assert_non_null(strstr(text, "users:((\"postgres\",pid=41,fd=3)) podman 3f2a1b4c5d6e "
				     "(user container, uid 1000)\n"));
	free(text);
	text = render_json(&o, rows, 2);
	assert_non_null(strstr(text, "\"unit\":\"docker-" ID ".scope\",\"unit_uid\":65534,"
				     "\"docker_proxy\":null,\"container\":null,\"fd\":3}"));
	assert_non_null(strstr(text, "\"unit\":null,\"unit_uid\":null,\"docker_proxy\":null,"
				     "\"container\":{\"runtime\":\"podman\",\"id\":\"" ID "\","
				     "\"name\":null,\"pod\":null,\"user_uid\":1000},\"fd\":3}"));
	free(text);
	/* The system's: no uid. */
	const char *system = "/system.slice/docker-" ID ".scope";

	unit_owner_free(&info[0].unit);
	unit_parse(system, strlen(system), &info[0].unit);
	text = render_json(&o, rows, 1);
	assert_non_null(strstr(text, "\"unit\":null,\"unit_uid\":null,\"docker_proxy\":null,"
				     "\"container\":{\"runtime\":\"docker\",\"id\":\"" ID "\","
				     "\"name\":null,\"pod\":null,\"user_uid\":null},\"fd\":3}"));
	free(text);
}

/* Names of any length come out whole in the table's Unit column, in JSON and in the owner
 * view: a Kubernetes "namespace/pod" of 63 + 1 + 253 characters, a unit of 300. */
static void long_names(void **state)
{
	struct lsock s = sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	struct procfs_proc procs[2] = { { .pid = 12, .name = "web" },
					{ .pid = 13, .name = "app" } };
	struct procfs_info info[2] = { 0 };
	struct procfs_owner ow[2] = { { 13, 4, 1 }, { 12, 3, 0 } };
	struct out_row row = { .sk = &s, .owners = ow, .nowners = 2, .procs = procs, .info = info,
			       .scope = SCOPE_ALL };
	struct out_opts o = { .header = true, .processes = true, .unit = true };
	const char *kube = "/kubepods/besteffort/pod1234/" ID;
	char pod[318], unit[301], path[400], want[800], *text = NULL;
	size_t len = 0;

	(void)state;
	memset(pod, 'p', 317);
	pod[63] = '/';
	pod[317] = '\0';
	memset(unit, 'u', 292);
	strcpy(unit + 292, ".service");
	snprintf(path, sizeof(path), "/system.slice/%s", unit);
	assert_int_equal(unit_parse(kube, strlen(kube), &info[0].unit), 0);
	info[0].unit.name = strdup(pod);
	assert_int_equal(unit_parse(path, strlen(path), &info[1].unit), 0);

	text = render(&o, &row, 1);
	snprintf(want, sizeof(want), " %s, kubernetes pod %s container 3f2a1b4c5d6e\n", unit, pod);
	assert_non_null(strstr(text, want));
	free(text);

	text = render_json(&o, &row, 1);
	snprintf(want, sizeof(want), "\"unit\":\"%s\",", unit);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof(want), "\"name\":\"%s\",\"pod\":\"1234\"", pod);
	assert_non_null(strstr(text, want));
	free(text);

	FILE *f = open_memstream(&text, &len);

	assert_int_equal(out_owners(f, &row, 1, &(struct out_owners_opts){ 0 }), 0);
	fclose(f);
	snprintf(want, sizeof(want), "\n    unit      %s\n", unit);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof(want), "\n    container kubernetes pod %s container 3f2a1b4c5d6e\n",
		 pod);
	assert_non_null(strstr(text, want));
	free(text);
	unit_owner_free(&info[0].unit);
	unit_owner_free(&info[1].unit);
}

/* vsock rows: JSON's protocol, family and type, local and peer null, the vsock member (any
 * and the host named, VMADDR_PORT_ANY null); the metrics' vsock series with the audit's risk,
 * and MPTCP's and SCTP's listeners in listen_socket_info and listen_listeners, the TCP
 * listener of an MPTCP listener's subflows (its inode) in neither. */
static void vsock_and_families(void **state)
{
	static const struct procfs_proc procs[] = { { .pid = 9, .uid = 0, .name = "agent" } };
	static const struct procfs_owner root_owner[] = { { 0, 3, 0 } };
	struct lsock sk[6] = {
		{ .family = AF_VSOCK, .type = SOCK_STREAM, .state = LSOCK_LISTEN, .inode = 7,
		  .vs = { LSOCK_VSOCK_ANY, 1024, LSOCK_VSOCK_ANY, LSOCK_VSOCK_ANY } },
		{ .family = AF_VSOCK, .type = SOCK_SEQPACKET, .state = LSOCK_ESTABLISHED,
		  .inode = 8, .vs = { 3, LSOCK_VSOCK_ANY, LSOCK_VSOCK_CID_HOST, 50123 } },
		sock(AF_INET6, IPPROTO_TCP, LSOCK_LISTEN, "::", 7313, "::", 0),
		sock(AF_INET6, IPPROTO_TCP, LSOCK_LISTEN, "::", 7313, "::", 0),
		sock(AF_INET, IPPROTO_SCTP, LSOCK_LISTEN, "0.0.0.0", 3868, "0.0.0.0", 0),
		sock(AF_INET, IPPROTO_TCP, LSOCK_LISTEN, "127.0.0.1", 22, "0.0.0.0", 0),
	};
	struct out_row rows[6];
	struct out_opts o = { .services = true, .processes = true,
			      .series = DIAG_TCP | DIAG_MPTCP | DIAG_SCTP | DIAG_VSOCK };
	char *text;

	(void)state;
	sk[2].inode = sk[3].inode = 40;
	sk[3].flags |= LSOCK_MPTCP;
	for (int i = 0; i < 6; i++)
		rows[i] = (struct out_row){ .sk = &sk[i], .scope = i < 2 ? SCOPE_LOOPBACK :
								  SCOPE_ALL,
					    .exposed = i == 0, .procs = procs };
	rows[5].scope = SCOPE_LOOPBACK;
	rows[0].owners = root_owner;
	rows[0].nowners = 1;
	text = render_json(&(struct out_opts){ .processes = true }, rows, 2);
	assert_non_null(strstr(text, ",\"protocol\":\"vsock\",\"family\":\"vsock\","
				     "\"type\":\"stream\",\"state\":\"LISTEN\",\"netns\":null,"
				     "\"local\":null,\"peer\":null,\"path\":null,"));
	assert_non_null(strstr(text, "\"scope\":null,\"scope_interface\":null,"
				     "\"unix_access\":null,\"exposed\":true,"));
	assert_non_null(strstr(text, ",\"vsock\":{\"local\":{\"cid\":4294967295,"
				     "\"cid_name\":\"any\",\"port\":1024},\"peer\":null}}"));
	assert_non_null(strstr(text, "\"type\":\"seqpacket\",\"state\":\"ESTAB\""));
	assert_non_null(strstr(text, ",\"vsock\":{\"local\":{\"cid\":3,\"cid_name\":null,"
				     "\"port\":null},\"peer\":{\"cid\":2,\"cid_name\":\"host\","
				     "\"port\":50123}}}"));
	free(text);
	text = render_prom(&o, rows, 6, procs, "vsock/1024 any agent\n");
	assert_non_null(strstr(text, "# TYPE listen_vsock_socket_info gauge\n"
				     "listen_vsock_socket_info{netns=\"\",type=\"stream\","
				     "cid=\"4294967295\",cid_name=\"any\",port=\"1024\","
				     "risk=\"medium\",allowed=\"true\",processes=\"agent\"} 1\n"));
	assert_int_equal(count_lines(text, "listen_vsock_socket_info{"), 1);
	assert_non_null(strstr(text, "listen_socket_info{netns=\"\",protocol=\"mptcp\","
				     "family=\"ipv6\",address=\"::\",port=\"7313\","));
	assert_null(strstr(text, "protocol=\"tcp\",family=\"ipv6\",address=\"::\","
				 "port=\"7313\""));
	assert_non_null(strstr(text, "listen_socket_info{netns=\"\",protocol=\"sctp\","
				     "family=\"ipv4\",address=\"0.0.0.0\",port=\"3868\","));
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"mptcp\","
				     "scope=\"all\"} 1\n"));
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"sctp\","
				     "scope=\"all\"} 1\n"));
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"tcp\","
				     "scope=\"all\"} 0\n"));
	assert_non_null(strstr(text, "listen_listeners{netns=\"\",protocol=\"tcp\","
				     "scope=\"loopback\"} 1\n"));
	assert_null(strstr(text, "protocol=\"udp\""));
	/* Findings: the vsock one (approved), MPTCP's and SCTP's. */
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"medium\","
				     "allowed=\"true\"} 1\n"));
	assert_non_null(strstr(text, "listen_audit_findings{netns=\"\",risk=\"low\","
				     "allowed=\"false\"} 2\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(listeners),
		cmocka_unit_test(processes_and_details),
		cmocka_unit_test(unix_packet_memory),
		cmocka_unit_test(timers),
		cmocka_unit_test(fits_terminal),
		cmocka_unit_test(fits_processes),
		cmocka_unit_test(no_rows),
		cmocka_unit_test(services_scope_and_warnings),
		cmocka_unit_test(scopes_and_devices),
		cmocka_unit_test(namespaces_and_units),
		cmocka_unit_test(host_unknown),
		cmocka_unit_test(prom_risk),
		cmocka_unit_test(prom_families),
		cmocka_unit_test(vsock_and_families),
		cmocka_unit_test(json_names_and_times),
		cmocka_unit_test(user_units_and_containers),
		cmocka_unit_test(long_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
