/* Unit tests of the services(5) parser and lookup. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/services.h"
#include "testutil.h"

static void parse_text(void **state)
{
	static const char text[] =
		"# comment line\n"
		"\n"
		"ssh\t\t22/tcp\t\t\t# SSH Remote Login Protocol\n"
		"domain\t\t53/tcp\n"
		"domain\t\t53/udp\n"
		"http-alt\t8080/tcp\twebcache\n"
		"later\t\t8080/tcp\n"       /* the first entry for a port wins */
		"   spaced   \t 9/udp  \r\n" /* surrounding blanks and CRLF */
		"sctp-only\t22/sctp\n"       /* not tcp or udp */
		"toolarge\t65536/tcp\n"
		"noslash\t\t25tcp\n"
		"noport\t\t/tcp\n"
		"#commented\t7/tcp\n"
		"alone\n"
		"max\t\t65535/udp\n"
		"zero\t\t0/tcp\n"
		"trailing\t11/tcpx\n"
		"nul\0name\t13/tcp\n"       /* a NUL or control byte in the name: not a name */
		"bell\aname\t14/tcp\n"
		"nonewline\t12/tcp";
	struct svc_table t = { 0 };

	(void)state;
	assert_int_equal(svc_table_parse(&t, text, sizeof(text) - 1), 0);
	assert_string_equal(svc_name(&t, 22, IPPROTO_TCP), "ssh");
	assert_null(svc_name(&t, 22, IPPROTO_UDP));
	assert_string_equal(svc_name(&t, 53, IPPROTO_UDP), "domain");
	assert_string_equal(svc_name(&t, 8080, IPPROTO_TCP), "http-alt");
	assert_string_equal(svc_name(&t, 9, IPPROTO_UDP), "spaced");
	assert_string_equal(svc_name(&t, 65535, IPPROTO_UDP), "max");
	assert_string_equal(svc_name(&t, 0, IPPROTO_TCP), "zero");
	assert_string_equal(svc_name(&t, 12, IPPROTO_TCP), "nonewline");
	assert_null(svc_name(&t, 7, IPPROTO_TCP));
	assert_null(svc_name(&t, 11, IPPROTO_TCP));
	assert_null(svc_name(&t, 13, IPPROTO_TCP));
	assert_null(svc_name(&t, 14, IPPROTO_TCP));
	assert_null(svc_name(&t, 25, IPPROTO_TCP));
	assert_null(svc_name(&t, 0, IPPROTO_UDP));

	/* A second text extends the first; the first still wins for ports both name. */
	assert_int_equal(svc_table_parse(&t, "x 22/tcp\ny 23/tcp\n", 18), 0);
	assert_string_equal(svc_name(&t, 22, IPPROTO_TCP), "ssh");
	assert_string_equal(svc_name(&t, 23, IPPROTO_TCP), "y");
	svc_table_free(&t);
}

static void empty_and_missing(void **state)
{
	struct svc_table t = { 0 };

	(void)state;
	assert_null(svc_name(&t, 22, IPPROTO_TCP));
	assert_int_equal(svc_table_parse(&t, "", 0), 0);
	assert_int_equal(svc_table_parse(&t, "\n\n#\n", 4), 0);
	assert_int_equal(svc_table_load(&t, "/nonexistent/services"), 0);
	assert_int_equal(svc_table_load(&t, "/"), 0); /* a directory */
	assert_null(svc_name(&t, 22, IPPROTO_TCP));
	assert_int_equal(svc_table_load(&t, LISTEN_DATA_DIR "/services"), 0);
	assert_string_equal(svc_name(&t, 5432, IPPROTO_TCP), "postgresql");
	assert_string_equal(svc_name(&t, 8080, IPPROTO_TCP), "http-alt");
	svc_table_free(&t);
}

/* A file listen has no descriptor left to open is not a missing one: the names may be there. */
static void short_of_descriptors(void **state)
{
	struct svc_table t = { 0 };
	struct test_fds fds;
	int r;

	(void)state;
	test_fds_use(&fds, 0);
	r = svc_table_load(&t, LISTEN_DATA_DIR "/services");
	test_fds_free(&fds);
	assert_int_equal(r, -EMFILE);
	assert_int_equal(svc_table_load(&t, LISTEN_DATA_DIR "/services"), 0);
	assert_string_equal(svc_name(&t, 5432, IPPROTO_TCP), "postgresql");
	svc_table_free(&t);
}

/* Many entries keep their first-wins order through the sort. */
static void many_entries(void **state)
{
	struct svc_table t = { 0 };
	char line[64];

	(void)state;
	for (int round = 0; round < 2; round++) {
		for (int port = 1; port <= 3000; port++) {
			int n = snprintf(line, sizeof(line), "r%dp%d %d/udp\n", round, port, port);

			assert_int_equal(svc_table_parse(&t, line, (size_t)n), 0);
		}
	}
	for (int port = 1; port <= 3000; port += 97) {
		snprintf(line, sizeof(line), "r0p%d", port);
		assert_string_equal(svc_name(&t, (uint16_t)port, IPPROTO_UDP), line);
	}
	svc_table_free(&t);
}

/* A file far larger than any real one parses in one go, and lookups find the first entry. */
static void huge_text(void **state)
{
	enum { LINES = 200000 };
	size_t cap = (size_t)LINES * 48, len = 0;
	char *text = malloc(cap);
	struct svc_table t = { 0 };

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < LINES; i++)
		len += (size_t)snprintf(text + len, cap - len, "svc%d\t%d/%s\talias%d # c\n", i,
					i % 65536, i & 1 ? "udp" : "tcp", i);
	assert_int_equal(svc_table_parse(&t, text, len), 0);
	assert_string_equal(svc_name(&t, 2, IPPROTO_TCP), "svc2");
	assert_string_equal(svc_name(&t, 65535, IPPROTO_UDP), "svc65535");
	assert_string_equal(svc_name(&t, 1, IPPROTO_UDP), "svc1"); /* not svc65537 */
	svc_table_free(&t);
	free(text);
}

/* Every entry is well-formed, in order, and no two entries of one protocol overlap, so the
 * lookup's binary search finds the one entry a port has. */
static void builtin_table_is_sound(void **state)
{
	size_t n;
	const struct svc_info *v = svc_builtin(&n);

	(void)state;
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		const struct svc_info *e = &v[i];

		assert_true(e->lo <= e->hi);
		assert_true(e->hi - e->lo < SVC_MAX_SPAN);
		assert_true(e->protocols && !(e->protocols & ~(SVC_TCP | SVC_UDP)));
		assert_true(e->risk <= SVC_RISK_HIGH);
		assert_non_null(e->name);
		assert_true(strlen(e->name) > 0 && strlen(e->name) <= 16);
		assert_null(strpbrk(e->name, " \t/:,"));
		assert_non_null(e->desc);
		/* A high risk with nothing to say would never warn. */
		if (e->risk >= SVC_RISK_MEDIUM)
			assert_non_null(e->note);
		/* A note that is one transport's is on that transport's entry alone:
		 * amplification needs a protocol without a handshake. */
		if (e->note && (strstr(e->note, "UDP") || strstr(e->note, "amplification")) &&
		    e->protocols != SVC_UDP)
			fail_msg("%s: a UDP note on a TCP entry: %s", e->name, e->note);
		if (e->note && strstr(e->note, "TCP") && e->protocols != SVC_TCP)
			fail_msg("%s: a TCP note on a UDP entry: %s", e->name, e->note);
		/* So is a description naming a transport (53's "over TCP", 443's QUIC), and
		 * none hedges with a second service ("also ..."). */
		if ((strstr(e->desc, "UDP") || strstr(e->desc, "QUIC")) && e->protocols != SVC_UDP)
			fail_msg("%s: a UDP description on a TCP entry: %s", e->name, e->desc);
		if (strstr(e->desc, "TCP") && !strstr(e->desc, "/TCP") && e->protocols != SVC_TCP)
			fail_msg("%s: a TCP description on a UDP entry: %s", e->name, e->desc);
		if (strstr(e->desc, "also") || strstr(e->note ? e->note : "", "also"))
			fail_msg("%s: a hedged description: %s", e->name, e->desc);
		if (i > 0)
			assert_true(v[i - 1].lo <= e->lo);
		for (size_t j = i + 1; j < n && v[j].lo <= e->hi; j++)
			assert_int_equal(v[j].protocols & e->protocols, 0);
	}
}

/* The ports of the seed documents' tables (../shared/seeds), as corrected against IANA:
 * NetBIOS 137-139, iSCSI 860 and 3260, FTPS 989/990. */
static void covers_the_seed_tables(void **state)
{
	static const struct {
		uint16_t port;
		uint8_t protocol;
	} seeds[] = {
		{ 20, IPPROTO_TCP }, { 21, IPPROTO_TCP }, { 22, IPPROTO_TCP }, { 22, IPPROTO_UDP },
		{ 23, IPPROTO_TCP }, { 23, IPPROTO_UDP }, { 25, IPPROTO_TCP }, { 53, IPPROTO_TCP },
		{ 53, IPPROTO_UDP }, { 67, IPPROTO_UDP }, { 68, IPPROTO_UDP }, { 69, IPPROTO_UDP },
		{ 80, IPPROTO_TCP }, { 88, IPPROTO_TCP }, { 88, IPPROTO_UDP },
		{ 110, IPPROTO_TCP }, { 111, IPPROTO_TCP }, { 111, IPPROTO_UDP },
		{ 119, IPPROTO_TCP }, { 123, IPPROTO_UDP }, { 135, IPPROTO_TCP },
		{ 135, IPPROTO_UDP }, { 137, IPPROTO_UDP }, { 138, IPPROTO_UDP },
		{ 139, IPPROTO_TCP }, { 143, IPPROTO_TCP }, { 161, IPPROTO_UDP },
		{ 162, IPPROTO_TCP }, { 162, IPPROTO_UDP }, { 389, IPPROTO_TCP },
		{ 389, IPPROTO_UDP }, { 443, IPPROTO_TCP }, { 445, IPPROTO_TCP },
		{ 464, IPPROTO_TCP }, { 464, IPPROTO_UDP }, { 465, IPPROTO_TCP },
		{ 500, IPPROTO_UDP }, { 514, IPPROTO_UDP }, { 587, IPPROTO_TCP },
		{ 593, IPPROTO_TCP }, { 623, IPPROTO_UDP }, { 636, IPPROTO_TCP },
		{ 636, IPPROTO_UDP }, { 860, IPPROTO_TCP }, { 873, IPPROTO_TCP },
		{ 989, IPPROTO_TCP }, { 990, IPPROTO_TCP }, { 993, IPPROTO_TCP },
		{ 995, IPPROTO_TCP }, { 1194, IPPROTO_TCP }, { 1194, IPPROTO_UDP },
		{ 1433, IPPROTO_TCP }, { 1434, IPPROTO_UDP }, { 1521, IPPROTO_TCP },
		{ 1645, IPPROTO_UDP }, { 1646, IPPROTO_UDP }, { 1701, IPPROTO_UDP },
		{ 1723, IPPROTO_TCP }, { 1723, IPPROTO_UDP }, { 1812, IPPROTO_UDP },
		{ 1813, IPPROTO_UDP }, { 2049, IPPROTO_TCP }, { 2049, IPPROTO_UDP },
		{ 2082, IPPROTO_TCP }, { 2083, IPPROTO_TCP }, { 2200, IPPROTO_TCP },
		{ 2222, IPPROTO_TCP }, { 3000, IPPROTO_TCP }, { 3225, IPPROTO_TCP },
		{ 3225, IPPROTO_UDP }, { 3260, IPPROTO_TCP }, { 3268, IPPROTO_TCP },
		{ 3269, IPPROTO_TCP }, { 3306, IPPROTO_TCP }, { 3389, IPPROTO_TCP },
		{ 3389, IPPROTO_UDP }, { 3868, IPPROTO_TCP }, { 4443, IPPROTO_TCP },
		{ 4500, IPPROTO_UDP }, { 5432, IPPROTO_TCP }, { 5800, IPPROTO_TCP },
		{ 5900, IPPROTO_TCP }, { 5985, IPPROTO_TCP }, { 5986, IPPROTO_TCP },
		{ 6379, IPPROTO_TCP }, { 6514, IPPROTO_TCP }, { 8000, IPPROTO_TCP },
		{ 8080, IPPROTO_TCP }, { 8443, IPPROTO_TCP }, { 8888, IPPROTO_TCP },
		{ 9090, IPPROTO_TCP }, { 9200, IPPROTO_TCP }, { 9389, IPPROTO_TCP },
		{ 9443, IPPROTO_TCP }, { 10000, IPPROTO_TCP }, { 10443, IPPROTO_TCP },
		{ 27017, IPPROTO_TCP }, { 51820, IPPROTO_UDP },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		if (!svc_builtin_find(seeds[i].port, seeds[i].protocol))
			fail_msg("port %u/%s is not in the table", seeds[i].port,
				 seeds[i].protocol == IPPROTO_TCP ? "tcp" : "udp");
	}
}

static void check_note(uint16_t port, uint8_t protocol, const char *name, const char *note)
{
	const struct svc_info *e = svc_builtin_find(port, protocol);

	assert_non_null(e);
	assert_string_equal(e->name, name);
	if (!strstr(e->note ? e->note : "", note))
		fail_msg("%s: note '%s' lacks '%s'", name, e->note ? e->note : "(none)", note);
}

/* The facts a reviewer needs, and the ports admins find exposed. */
static void risk_notes(void **state)
{
	(void)state;
	check_note(23, IPPROTO_TCP, "telnet", "cleartext credentials");
	check_note(21, IPPROTO_TCP, "ftp", "cleartext credentials");
	check_note(110, IPPROTO_TCP, "pop3", "cleartext credentials");
	check_note(143, IPPROTO_TCP, "imap", "cleartext credentials");
	check_note(69, IPPROTO_UDP, "tftp", "no authentication");
	check_note(6379, IPPROTO_TCP, "redis", "often no auth by default");
	check_note(11211, IPPROTO_TCP, "memcached", "often no auth by default");
	check_note(27017, IPPROTO_TCP, "mongodb", "often no auth by default");
	check_note(9200, IPPROTO_TCP, "elasticsearch", "often no auth by default");
	check_note(2375, IPPROTO_TCP, "docker", "unauthenticated root access to the host");
	check_note(11211, IPPROTO_UDP, "memcached", "UDP amplification");
	check_note(161, IPPROTO_UDP, "snmp", "UDP amplification");
	check_note(123, IPPROTO_UDP, "ntp", "UDP amplification");
	check_note(1900, IPPROTO_UDP, "ssdp", "UDP amplification");
	check_note(3000, IPPROTO_TCP, "grafana", "admin/admin until the first login changes it");
	check_note(8000, IPPROTO_TCP, "http-dev", "dev server, not for exposure");
	check_note(8888, IPPROTO_TCP, "jupyter", "dev server, not for exposure");
	assert_int_equal(svc_builtin_find(2375, IPPROTO_TCP)->risk, SVC_RISK_HIGH);
	assert_int_equal(svc_builtin_find(443, IPPROTO_TCP)->risk, SVC_RISK_LOW);
	assert_int_equal(svc_builtin_find(993, IPPROTO_TCP)->risk, SVC_RISK_NONE);

	static const uint16_t exposed[] = { 2376, 2379, 2380, 10250, 6443, 9300, 5984, 5672,
					    15672, 9092, 2181, 9100, 111, 2049, 5355, 3389,
					    445, 137, 138, 139, 88, 389, 636, 1433, 1521, 3306,
					    5432, 10000, 5985, 5986, 2082, 2083 };

	for (size_t i = 0; i < sizeof(exposed) / sizeof(exposed[0]); i++)
		if (!svc_builtin_find(exposed[i], IPPROTO_TCP) &&
		    !svc_builtin_find(exposed[i], IPPROTO_UDP))
			fail_msg("port %u is not in the table", exposed[i]);
	assert_string_equal(svc_risk_name(SVC_RISK_NONE), "none");
	assert_string_equal(svc_risk_name(SVC_RISK_HIGH), "high");
	assert_string_equal(svc_risk_name((enum svc_risk)9), "?");
}

/* The look-up by halving finds, for every port and protocol, what a scan of the table finds:
 * the entry whose range holds the port for that protocol, or none. */
static void builtin_lookup_matches_a_scan(void **state)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	size_t n;
	const struct svc_info *v = svc_builtin(&n);

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		uint8_t bit = protos[k] == IPPROTO_TCP ? SVC_TCP : SVC_UDP;

		for (unsigned port = 0; port <= 65535; port++) {
			const struct svc_info *want = NULL;

			for (size_t i = 0; i < n && !want; i++)
				if ((v[i].protocols & bit) && v[i].lo <= port && port <= v[i].hi)
					want = &v[i];
			assert_ptr_equal(svc_builtin_find((uint16_t)port, protos[k]), want);
		}
	}
}

/* Ranges are one entry; protocols are told apart; unknown ports have no entry. */
static void builtin_lookups(void **state)
{
	(void)state;
	for (uint16_t p = 6000; p <= 6063; p++)
		assert_string_equal(svc_builtin_find(p, IPPROTO_TCP)->name, "x11");
	assert_null(svc_builtin_find(6064, IPPROTO_TCP));
	assert_null(svc_builtin_find(6000, IPPROTO_UDP));
	assert_null(svc_builtin_find(5999, IPPROTO_TCP));
	assert_string_equal(svc_builtin_find(5900, IPPROTO_TCP)->name, "vnc");
	assert_string_equal(svc_builtin_find(5903, IPPROTO_TCP)->name, "vnc");
	assert_null(svc_builtin_find(5904, IPPROTO_TCP));
	assert_string_equal(svc_builtin_find(27019, IPPROTO_TCP)->name, "mongodb");
	assert_string_equal(svc_builtin_find(53, IPPROTO_TCP)->name, "dns");
	assert_string_equal(svc_builtin_find(53, IPPROTO_UDP)->name, "dns");
	assert_string_equal(svc_builtin_find(514, IPPROTO_TCP)->name, "rsh");
	assert_string_equal(svc_builtin_find(514, IPPROTO_UDP)->name, "syslog");
	assert_string_equal(svc_builtin_find(631, IPPROTO_UDP)->name, "cups-browsed");
	assert_null(svc_builtin_find(5353, IPPROTO_TCP));
	assert_null(svc_builtin_find(6379, IPPROTO_UDP));
	assert_null(svc_builtin_find(0, IPPROTO_TCP));
	assert_null(svc_builtin_find(1, IPPROTO_TCP));
	assert_null(svc_builtin_find(65535, IPPROTO_UDP));
	assert_null(svc_builtin_find(22, 132)); /* SCTP: not a protocol the table knows */
	assert_string_equal(svc_builtin_find(51820, IPPROTO_UDP)->name, "wireguard");
}

/* A service on both transports gets the note and risk of the socket's: the TCP listener of a
 * service that amplifies over UDP is not told so. */
static void notes_per_transport(void **state)
{
	static const struct {
		uint16_t port;
		const char *name;
		const char *tcp_note; /* NULL: none */
		enum svc_risk tcp_risk;
		const char *udp_note;
	} ports[] = {
		{ 7, "echo", NULL, SVC_RISK_LOW, "UDP amplification" },
		{ 19, "chargen", NULL, SVC_RISK_LOW, "UDP amplification" },
		{ 53, "dns", NULL, SVC_RISK_LOW, "open recursion enables UDP amplification" },
		{ 111, "rpcbind", "lists RPC services", SVC_RISK_MEDIUM,
		  "lists RPC services; UDP amplification" },
		{ 161, "snmp", "cleartext community strings", SVC_RISK_HIGH,
		  "cleartext community strings; UDP amplification" },
		{ 389, "ldap", "cleartext binds unless StartTLS is required", SVC_RISK_MEDIUM,
		  "UDP amplification (connectionless LDAP)" },
		{ 427, "slp", "lists services on the network", SVC_RISK_MEDIUM,
		  "UDP amplification (CVE-2023-29552)" },
		{ 3389, "rdp", "brute force and wormable bugs (BlueKeep)", SVC_RISK_MEDIUM,
		  "UDP amplification" },
		{ 11211, "memcached", "often no auth by default", SVC_RISK_HIGH,
		  "often no auth by default; UDP amplification" },
	};
	struct svc_db db = { .eph_lo = 32768, .eph_hi = 60999 };

	(void)state;
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		struct svc_ref t = svc_lookup(&db, ports[i].port, 0, IPPROTO_TCP);
		struct svc_ref u = svc_lookup(&db, ports[i].port, 0, IPPROTO_UDP);
		uint16_t port = 0;

		assert_non_null(t.info);
		assert_non_null(u.info);
		assert_string_equal(t.name, ports[i].name);
		assert_string_equal(u.name, ports[i].name);
		/* Descriptions may differ by transport (53's TCP is for large answers). */
		if (ports[i].port != 53)
			assert_string_equal(t.info->desc, u.info->desc);
		if (ports[i].tcp_note)
			assert_string_equal(t.info->note, ports[i].tcp_note);
		else if (t.info->note)
			fail_msg("%u/tcp: note '%s', want none", ports[i].port, t.info->note);
		assert_int_equal(t.info->risk, ports[i].tcp_risk);
		assert_string_equal(u.info->note, ports[i].udp_note);
		/* One service still: its name gives one port for both transports. */
		assert_int_equal(svc_port_by_name(&db, ports[i].name, SVC_TCP | SVC_UDP, &port), 0);
		assert_int_equal(port, ports[i].port);
	}
	/* Risks follow the transport: chargen is a reflector over UDP only. */
	assert_int_equal(svc_builtin_find(19, IPPROTO_UDP)->risk, SVC_RISK_MEDIUM);
	assert_int_equal(svc_builtin_find(427, IPPROTO_UDP)->risk, SVC_RISK_HIGH);
	svc_db_free(&db);
}

/* Aliases, as services(5) lists them after the port: names for a filter, never shown. */
static void aliases(void **state)
{
	static const char etc[] = "http\t80/tcp\twww # WorldWideWeb HTTP\n"
				  "shell\t514/tcp\tcmd syslog\n"
				  "syslog\t514/udp\n"
				  "odd\t600/tcp\tboth\n"
				  "odd-udp\t601/udp\tboth\n"
				  /* a bad name; its alias stays */
				  "ctl\x01x\t700/tcp\tctl-alias\n";
	static const char nmap[] = "nm 900/tcp 0.484143\n"; /* a frequency, not an alias */
	struct svc_db db = { 0 };
	uint16_t port = 0;

	(void)state;
	assert_int_equal(svc_table_parse(&db.etc, etc, strlen(etc)), 0);
	assert_int_equal(svc_table_parse(&db.extra, nmap, strlen(nmap)), 0);
	assert_int_equal(svc_port_by_name(&db, "www", SVC_TCP, &port), 0);
	assert_int_equal(port, 80);
	assert_int_equal(svc_port_by_name(&db, "www", SVC_UDP, &port), -ENOENT);
	assert_int_equal(svc_port_by_name(&db, "www", SVC_TCP | SVC_UDP, &port), 0);
	assert_int_equal(svc_port_by_name(&db, "cmd", SVC_TCP, &port), 0);
	assert_int_equal(port, 514);
	/* An alias for TCP, a name for UDP: the same port, so one answer. */
	port = 0;
	assert_int_equal(svc_port_by_name(&db, "syslog", SVC_TCP | SVC_UDP, &port), 0);
	assert_int_equal(port, 514);
	assert_int_equal(svc_port_by_name(&db, "both", SVC_TCP | SVC_UDP, &port), -EEXIST);
	assert_int_equal(svc_port_by_name(&db, "both", SVC_UDP, &port), 0);
	assert_int_equal(port, 601);
	assert_int_equal(svc_port_by_name(&db, "ctl-alias", SVC_TCP, &port), 0);
	assert_int_equal(port, 700);
	/* The column keeps the names. */
	assert_string_equal(svc_name(&db.etc, 80, IPPROTO_TCP), "http");
	assert_string_equal(svc_name(&db.etc, 514, IPPROTO_TCP), "shell");
	assert_null(svc_name(&db.etc, 700, IPPROTO_TCP));
	assert_null(svc_name(&db.extra, 900, IPPROTO_UDP));
	assert_string_equal(svc_name(&db.extra, 900, IPPROTO_TCP), "nm");
	assert_int_equal(db.extra.len, 1);
	svc_db_free(&db);
}

static void port_range(void **state)
{
	uint16_t lo = 0, hi = 0;

	(void)state;
	assert_int_equal(svc_parse_port_range("32768\t60999\n", 12, &lo, &hi), 0);
	assert_int_equal(lo, 32768);
	assert_int_equal(hi, 60999);
	assert_int_equal(svc_parse_port_range("1 1", 3, &lo, &hi), 0);
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 1);
	static const char *const bad[] = { "", "5", "5\n", "6 5", "1 70000", "a b", "1 2 3",
					   "-1 5", " 1 5", "1\n5", "99999999999999999999 1" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(svc_parse_port_range(bad[i], strlen(bad[i]), &lo, &hi), -EINVAL);
	assert_int_equal(lo, 1); /* untouched by failures */
}

/* The Service column: embedded first, then /etc/services, then nmap-services, the files only
 * below 1024 (never for an obscure registration such as 8081's tproxy or nmap's netbus), and
 * the peer's port for a client. */
static void lookups_through_the_files(void **state)
{
	static const char etc[] = "redis-etc 6379/tcp\nfoo 777/tcp\ndircproxy 57000/tcp\n"
				  "tproxy 8081/tcp\n";
	static const char nmap[] = "unknown 888/udp 0.1\nfoo-nmap 777/tcp 0.2\n"
				   "bar-nmap 778/tcp 0.02\n"
				   "netbus 12345/tcp 0.003\ndircproxy 57000/tcp 0.001\n";
	struct svc_db db = { .eph_lo = 32768, .eph_hi = 60999 };
	struct svc_ref r;

	(void)state;
	assert_int_equal(svc_table_parse(&db.etc, etc, strlen(etc)), 0);
	assert_int_equal(svc_table_parse(&db.extra, nmap, strlen(nmap)), 0);
	r = svc_lookup(&db, 6379, 0, IPPROTO_TCP);
	assert_string_equal(r.name, "redis");
	assert_non_null(r.info);
	assert_false(r.peer);
	r = svc_lookup(&db, 777, 0, IPPROTO_TCP);
	assert_string_equal(r.name, "foo");
	assert_null(r.info);
	assert_string_equal(svc_lookup(&db, 778, 0, IPPROTO_TCP).name, "bar-nmap");
	assert_null(svc_lookup(&db, 12345, 0, IPPROTO_TCP).name); /* 1024 and up: not named */
	assert_null(svc_lookup(&db, 8081, 0, IPPROTO_TCP).name);
	assert_string_equal(svc_port_name(&db, 8081, IPPROTO_TCP), "tproxy"); /* as ss does */
	assert_null(svc_lookup(&db, 888, 0, IPPROTO_UDP).name); /* nmap's "unknown" */
	assert_null(svc_lookup(&db, 57000, 0, IPPROTO_TCP).name);  /* ephemeral */
	assert_null(svc_port_name(&db, 57000, IPPROTO_TCP));
	assert_string_equal(svc_port_name(&db, 6379, IPPROTO_TCP), "redis-etc");
	assert_false(svc_wants_files(&db, 57000, IPPROTO_TCP));
	assert_false(svc_wants_files(&db, 6379, IPPROTO_TCP));
	assert_false(svc_wants_files(&db, 0, IPPROTO_TCP));
	assert_false(svc_wants_files(&db, 7777, IPPROTO_TCP));
	assert_true(svc_wants_files(&db, 777, IPPROTO_TCP));
	/* A client: its ephemeral port names nothing, the server's port does. */
	r = svc_lookup(&db, 45000, 443, IPPROTO_TCP);
	assert_string_equal(r.name, "https");
	assert_true(r.peer);
	r = svc_lookup(&db, 22, 45000, IPPROTO_TCP); /* the server end of that */
	assert_string_equal(r.name, "ssh");
	assert_false(r.peer);
	assert_null(svc_lookup(&db, 45000, 45001, IPPROTO_TCP).name);
	assert_null(svc_lookup(&db, 0, 0, IPPROTO_TCP).name);
	svc_db_free(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_text),
		cmocka_unit_test(empty_and_missing),
		cmocka_unit_test(short_of_descriptors),
		cmocka_unit_test(many_entries),
		cmocka_unit_test(huge_text),
		cmocka_unit_test(builtin_table_is_sound),
		cmocka_unit_test(covers_the_seed_tables),
		cmocka_unit_test(risk_notes),
		cmocka_unit_test(builtin_lookups),
		cmocka_unit_test(builtin_lookup_matches_a_scan),
		cmocka_unit_test(notes_per_transport),
		cmocka_unit_test(aliases),
		cmocka_unit_test(port_range),
		cmocka_unit_test(lookups_through_the_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
