/*
 * The programs that commonly listen on Linux servers, and how to tell them apart.
 *
 * A program is found by the name of its executable (the keys: Debian's aliases included, such
 * as redis-check-rdb, the file /usr/bin/redis-server links to), else, for an interpreter or
 * busybox, by what its command line runs (the signatures). Services are the port table's names
 * (services_table.c); the unit tests check that each is one. A program's own risk note says
 * only what the program tells for certain (python's http.server serves files to anyone); a
 * flag's note only what the flag does (redis --protected-mode no).
 */
#include <stddef.h>
#include <string.h>

#include "listen/program.h"
#include "listen/services.h"

#define WEB_ALSO "https http-alt https-alt http-dev"
#define MAIL_ALSO "submission smtps"

/* Program: name, service, other services, description, kind; risk and note of its own. */
#define G(name_, svc_, also_, desc_, kind_)                                                   \
	{ .name = (name_), .service = (svc_), .serves = (also_), .desc = (desc_),               \
	  .kind = (kind_), .risk = -1 }
#define R(name_, svc_, also_, desc_, kind_, risk_, note_)                                     \
	{ .name = (name_), .service = (svc_), .serves = (also_), .desc = (desc_),               \
	  .kind = (kind_), .risk = (risk_), .note = (note_) }

static const struct prog_info programs[] = {
	G("sshd", "ssh", "ssh-alt", "OpenSSH server", PROG_SSH),
	G("dropbear", "ssh", "ssh-alt", "Dropbear SSH server", PROG_SSH),
	G("nginx", "http", WEB_ALSO, "nginx web server", PROG_WEB),
	G("apache2", "http", WEB_ALSO, "Apache HTTP Server", PROG_WEB),
	G("lighttpd", "http", WEB_ALSO, "lighttpd web server", PROG_WEB),
	G("caddy", "http", WEB_ALSO, "Caddy web server", PROG_WEB),
	G("traefik", "http", WEB_ALSO, "Traefik proxy", PROG_WEB),
	G("haproxy", "http", WEB_ALSO, "HAProxy load balancer", PROG_WEB),
	G("envoy", "http", WEB_ALSO, "Envoy proxy", PROG_WEB),
	G("varnishd", "http", WEB_ALSO, "Varnish HTTP cache", PROG_WEB),
	G("squid", "squid", "http-alt", "Squid HTTP proxy", 0),
	G("redis-server", "redis", NULL, "Redis key-value store", 0),
	G("valkey-server", "redis", NULL, "Valkey key-value store (Redis protocol)", 0),
	G("redis-sentinel", "redis", NULL, "Redis Sentinel", 0),
	G("memcached", "memcached", NULL, "memcached", 0),
	G("postgres", "postgresql", NULL, "PostgreSQL", 0),
	G("pgbouncer", "postgresql", NULL, "PgBouncer (PostgreSQL connection pooler)", 0),
	G("mysqld", "mysql", NULL, "MySQL / MariaDB", 0),
	G("mongod", "mongodb", NULL, "MongoDB", 0),
	G("elasticsearch", "elasticsearch", "es-transport", "Elasticsearch", 0),
	G("opensearch", "elasticsearch", "es-transport", "OpenSearch", 0),
	G("kafka", "kafka", NULL, "Apache Kafka broker", 0),
	G("zookeeper", "zookeeper", NULL, "Apache ZooKeeper", 0),
	G("cassandra", "cassandra", NULL, "Apache Cassandra", 0),
	G("neo4j", "neo4j", "neo4j-bolt", "Neo4j", 0),
	G("tomcat", "http-alt", "http " WEB_ALSO, "Apache Tomcat", PROG_WEB),
	G("jenkins", "http-alt", "http " WEB_ALSO, "Jenkins", PROG_WEB),
	G("rabbitmq", "amqp", "amqps rabbitmq-mgmt", "RabbitMQ", 0),
	G("couchdb", "couchdb", NULL, "Apache CouchDB", 0),
	G("epmd", "epmd", NULL, "Erlang port mapper", 0),
	G("etcd", "etcd", "etcd-peer", "etcd", 0),
	G("kubelet", "kubelet", "kubelet-ro", "Kubernetes kubelet", 0),
	G("kube-apiserver", "kube-apiserver", NULL, "Kubernetes API server", 0),
	G("kube-proxy", "kube-proxy", NULL, "Kubernetes network proxy (metrics, health)", 0),
	G("dockerd", "docker", "docker-tls docker-swarm", "Docker Engine", 0),
	G("containerd", "containerd", NULL, "containerd (stream server)", 0),
	G("dnsmasq", "dns", "dhcp-server tftp", "dnsmasq (DNS, DHCP, TFTP)", PROG_DNS),
	G("named", "dns", NULL, "BIND name server", PROG_DNS),
	G("unbound", "dns", NULL, "Unbound resolver", PROG_DNS),
	G("systemd-resolved", "dns", "llmnr mdns", "systemd-resolved stub resolver", PROG_DNS),
	G("pdns_server", "dns", NULL, "PowerDNS authoritative server", PROG_DNS),
	G("pdns_recursor", "dns", NULL, "PowerDNS recursor", PROG_DNS),
	G("knotd", "dns", NULL, "Knot DNS", PROG_DNS),
	G("nsd", "dns", NULL, "NSD name server", PROG_DNS),
	G("coredns", "dns", NULL, "CoreDNS", PROG_DNS),
	G("cupsd", "ipp", NULL, "CUPS printing", 0),
	G("cups-browsed", "cups-browsed", NULL, "CUPS printer discovery", 0),
	G("avahi-daemon", "mdns", NULL, "Avahi mDNS/DNS-SD", 0),
	G("rpcbind", "rpcbind", NULL, "ONC RPC port mapper", 0),
	G("rpc.mountd", "mountd", NULL, "NFS mount daemon", 0),
	G("rpc.statd", "nfs-status", NULL, "NFS status monitor (rpc.statd)", 0),
	G("smbd", "smb", "netbios-ssn", "Samba file sharing", 0),
	G("nmbd", "netbios-ns", "netbios-dgm", "Samba NetBIOS name server", 0),
	G("vsftpd", "ftp", "ftp-data ftps", "vsftpd FTP server", 0),
	G("proftpd", "ftp", "ftp-data ftps", "ProFTPD FTP server", 0),
	G("pure-ftpd", "ftp", "ftp-data ftps", "Pure-FTPd FTP server", 0),
	G("tftpd", "tftp", NULL, "TFTP server", 0),
	G("exim4", "smtp", MAIL_ALSO, "Exim mail server", PROG_MAIL),
	G("postfix", "smtp", MAIL_ALSO, "Postfix mail server", PROG_MAIL),
	G("sendmail", "smtp", MAIL_ALSO, "Sendmail mail server", PROG_MAIL),
	G("opensmtpd", "smtp", MAIL_ALSO, "OpenSMTPD mail server", PROG_MAIL),
	G("dovecot", "imap", "imaps pop3 pop3s", "Dovecot IMAP/POP3 server", 0),
	G("slapd", "ldap", "ldaps", "OpenLDAP server", 0),
	G("krb5kdc", "kerberos", NULL, "MIT Kerberos KDC", 0),
	G("kadmind", "kpasswd", NULL, "MIT Kerberos administration", 0),
	G("ntpd", "ntp", NULL, "NTP daemon", 0),
	G("chronyd", "ntp", NULL, "chrony NTP daemon", 0),
	G("snmpd", "snmp", NULL, "Net-SNMP agent", 0),
	G("snmptrapd", "snmptrap", NULL, "Net-SNMP trap receiver", 0),
	G("rsyslogd", "syslog", "syslog-tls", "rsyslog", 0),
	G("syslog-ng", "syslog", "syslog-tls", "syslog-ng", 0),
	G("prometheus", "prometheus", NULL, "Prometheus server", 0),
	G("node_exporter", "node-exporter", NULL, "Prometheus node_exporter", 0),
	R("exporter", "prometheus-exporter", NULL, "Prometheus exporter", 0, SVC_RISK_LOW,
	  "no auth: exposes metrics"),
	G("alertmanager", "alertmanager", NULL, "Prometheus Alertmanager", 0),
	G("grafana", "grafana", NULL, "Grafana", 0),
	G("kibana", "kibana", NULL, "Kibana", 0),
	G("influxd", "influxdb", NULL, "InfluxDB", 0),
	G("clickhouse-server", "clickhouse", NULL, "ClickHouse", 0),
	G("consul", "consul", NULL, "Consul", 0),
	G("vault", "vault", NULL, "HashiCorp Vault", 0),
	G("mosquitto", "mqtt", NULL, "Mosquitto MQTT broker", 0),
	G("openvpn", "openvpn", NULL, "OpenVPN", 0),
	G("charon", "isakmp", "ipsec-nat-t", "strongSwan IKE daemon", 0),
	G("xrdp", "rdp", NULL, "xrdp remote desktop", 0),
	G("Xorg", "x11", NULL, "X.Org display server", 0),
	G("Xvnc", "vnc", "x11 vnc-http", "VNC server (Xvnc)", 0),
	G("x11vnc", "vnc", "vnc-http", "x11vnc VNC server", 0),
	G("cockpit-ws", "cockpit", NULL, "Cockpit web console", PROG_WEB),
	G("webmin", "webmin", NULL, "Webmin (miniserv.pl)", PROG_WEB),
	G("rsync", "rsync", NULL, "rsync daemon", 0),
	G("git-daemon", "git", NULL, "Git daemon", 0),
	G("distccd", "distcc", NULL, "distcc compile server", 0),
	G("tgtd", "iscsi-target", NULL, "Linux SCSI target (tgt)", 0),
	G("php-fpm", "php-fpm", NULL, "PHP FastCGI process manager", 0),
	G("salt-master", "salt", NULL, "SaltStack master", 0),
	G("jupyter", "jupyter", NULL, "Jupyter notebook server", 0),
	G("gunicorn", "http", WEB_ALSO, "Python web application (WSGI/ASGI server)", PROG_WEB),
	R("python3 http.server", "http", WEB_ALSO, "Python http.server", PROG_WEB,
	  SVC_RISK_MEDIUM, "serves the files of its directory to anyone, no auth"),
	R("php -S", "http", WEB_ALSO, "PHP built-in web server", PROG_WEB, SVC_RISK_MEDIUM,
	  "development server, not for exposure"),
	R("ruby httpd", "http", WEB_ALSO, "Ruby WEBrick (ruby -run -e httpd)", PROG_WEB,
	  SVC_RISK_MEDIUM, "serves the files of its directory to anyone, no auth"),
	G("rails", "http", WEB_ALSO, "Ruby web application (puma, unicorn, rails)", PROG_WEB),
	G("busybox httpd", "http", WEB_ALSO, "BusyBox httpd", PROG_WEB),
	G("busybox telnetd", "telnet", NULL, "BusyBox telnetd", 0),
	G("busybox ftpd", "ftp", NULL, "BusyBox ftpd", 0),
	G("busybox tftpd", "tftp", NULL, "BusyBox tftpd", 0),
	G("busybox udhcpd", "dhcp-server", NULL, "BusyBox udhcpd", 0),
	G("busybox ntpd", "ntp", NULL, "BusyBox ntpd", 0),
	G("busybox syslogd", "syslog", NULL, "BusyBox syslogd", 0),
	G("busybox dnsd", "dns", NULL, "BusyBox dnsd", PROG_DNS),
	G("busybox", NULL, NULL, "BusyBox", 0),
	G("python3", NULL, NULL, "Python", PROG_INTERP),
	G("java", NULL, NULL, "Java", PROG_INTERP),
	G("node", NULL, NULL, "Node.js", PROG_INTERP),
	G("beam.smp", NULL, NULL, "Erlang VM", PROG_INTERP),
	G("ruby", NULL, NULL, "Ruby", PROG_INTERP),
	G("perl", NULL, NULL, "Perl", PROG_INTERP),
	G("php", NULL, NULL, "PHP", PROG_INTERP),
	G("nc", NULL, NULL, "netcat", 0),
	G("socat", NULL, NULL, "socat", 0),
	G("systemd", NULL, NULL, "systemd (socket activation)", PROG_PASS),
	G("inetd", NULL, NULL, "inetd (starts a program per connection)", PROG_PASS),
	G("docker-proxy", NULL, NULL, "Docker port forwarder", PROG_PASS),
};

/* An executable name (or a process name) and the program it is. */
struct key {
	const char *exe;  /* the executable's file name, its version suffix dropped */
	const char *path; /* a text its path must hold as well, or NULL */
	const char *prog;
};

static const struct key keys[] = {
	{ "sshd", NULL, "sshd" }, { "dropbear", NULL, "dropbear" },
	{ "nginx", NULL, "nginx" }, { "apache2", NULL, "apache2" }, { "httpd", NULL, "apache2" },
	{ "lighttpd", NULL, "lighttpd" }, { "caddy", NULL, "caddy" },
	{ "traefik", NULL, "traefik" }, { "haproxy", NULL, "haproxy" },
	{ "envoy", NULL, "envoy" }, { "varnishd", NULL, "varnishd" }, { "squid", NULL, "squid" },
	{ "redis-server", NULL, "redis-server" }, { "redis-check-rdb", NULL, "redis-server" },
	{ "redis-check-aof", NULL, "redis-server" }, { "redis-sentinel", NULL, "redis-sentinel" },
	{ "valkey-server", NULL, "valkey-server" }, { "valkey-check-rdb", NULL, "valkey-server" },
	{ "valkey-check-aof", NULL, "valkey-server" }, { "keydb-server", NULL, "redis-server" },
	{ "memcached", NULL, "memcached" },
	{ "postgres", NULL, "postgres" }, { "postmaster", NULL, "postgres" },
	{ "pgbouncer", NULL, "pgbouncer" },
	{ "mysqld", NULL, "mysqld" }, { "mariadbd", NULL, "mysqld" },
	{ "mongod", NULL, "mongod" }, { "mongos", NULL, "mongod" },
	{ "epmd", NULL, "epmd" }, { "etcd", NULL, "etcd" }, { "kubelet", NULL, "kubelet" },
	{ "kube-apiserver", NULL, "kube-apiserver" }, { "kube-proxy", NULL, "kube-proxy" },
	{ "dockerd", NULL, "dockerd" }, { "containerd", NULL, "containerd" },
	{ "docker-proxy", NULL, "docker-proxy" },
	{ "dnsmasq", NULL, "dnsmasq" }, { "named", NULL, "named" }, { "unbound", NULL, "unbound" },
	{ "systemd-resolved", NULL, "systemd-resolved" }, { "pdns_server", NULL, "pdns_server" },
	{ "pdns_recursor", NULL, "pdns_recursor" }, { "knotd", NULL, "knotd" },
	{ "nsd", NULL, "nsd" }, { "coredns", NULL, "coredns" },
	{ "cupsd", NULL, "cupsd" }, { "cups-browsed", NULL, "cups-browsed" },
	{ "avahi-daemon", NULL, "avahi-daemon" }, { "rpcbind", NULL, "rpcbind" },
	{ "rpc.mountd", NULL, "rpc.mountd" }, { "rpc.statd", NULL, "rpc.statd" },
	{ "smbd", NULL, "smbd" }, { "samba", NULL, "smbd" }, { "nmbd", NULL, "nmbd" },
	{ "vsftpd", NULL, "vsftpd" }, { "proftpd", NULL, "proftpd" },
	{ "pure-ftpd", NULL, "pure-ftpd" }, { "in.tftpd", NULL, "tftpd" },
	{ "atftpd", NULL, "tftpd" },
	{ "exim4", NULL, "exim4" }, { "exim", NULL, "exim4" },
	{ "master", "/postfix/", "postfix" }, { "sendmail", NULL, "sendmail" },
	{ "sendmail-mta", NULL, "sendmail" }, { "smtpd", NULL, "opensmtpd" },
	{ "dovecot", NULL, "dovecot" }, { "slapd", NULL, "slapd" },
	{ "krb5kdc", NULL, "krb5kdc" }, { "kadmind", NULL, "kadmind" },
	{ "ntpd", NULL, "ntpd" }, { "chronyd", NULL, "chronyd" },
	{ "snmpd", NULL, "snmpd" }, { "snmptrapd", NULL, "snmptrapd" },
	{ "rsyslogd", NULL, "rsyslogd" }, { "syslog-ng", NULL, "syslog-ng" },
	{ "prometheus", NULL, "prometheus" }, { "node_exporter", NULL, "node_exporter" },
	{ "prometheus-node-exporter", NULL, "node_exporter" },
	{ "alertmanager", NULL, "alertmanager" },
	{ "prometheus-alertmanager", NULL, "alertmanager" },
	{ "grafana", NULL, "grafana" }, { "grafana-server", NULL, "grafana" },
	{ "influxd", NULL, "influxd" }, { "clickhouse-server", NULL, "clickhouse-server" },
	{ "clickhouse", NULL, "clickhouse-server" }, { "consul", NULL, "consul" },
	{ "vault", NULL, "vault" }, { "mosquitto", NULL, "mosquitto" },
	{ "openvpn", NULL, "openvpn" }, { "charon", NULL, "charon" }, { "xrdp", NULL, "xrdp" },
	{ "Xorg", NULL, "Xorg" }, { "Xvnc", NULL, "Xvnc" }, { "Xtigervnc", NULL, "Xvnc" },
	{ "x11vnc", NULL, "x11vnc" }, { "cockpit-ws", NULL, "cockpit-ws" },
	{ "rsync", NULL, "rsync" }, { "git-daemon", NULL, "git-daemon" },
	{ "distccd", NULL, "distccd" }, { "tgtd", NULL, "tgtd" },
	{ "php-fpm", NULL, "php-fpm" }, { "busybox", NULL, "busybox" },
	{ "python", NULL, "python3" }, { "java", NULL, "java" }, { "node", NULL, "node" },
	{ "nodejs", NULL, "node" }, { "beam.smp", NULL, "beam.smp" }, { "ruby", NULL, "ruby" },
	{ "perl", NULL, "perl" }, { "php", NULL, "php" },
	{ "nc", NULL, "nc" }, { "ncat", NULL, "nc" }, { "netcat", NULL, "nc" },
	{ "nc.openbsd", NULL, "nc" }, { "nc.traditional", NULL, "nc" },
	{ "socat", NULL, "socat" }, { "systemd", NULL, "systemd" }, { "inetd", NULL, "inetd" },
	{ "xinetd", NULL, "inetd" },
};

/* How a signature or a flag is looked for in a command line. */
enum match { WORDS, /* whole blank-separated words, in order */ TEXT /* anywhere */ };

/* What an interpreter (or busybox) runs, told by its command line. */
struct sig {
	const char *interp; /* the program the executable is */
	enum match how;
	const char *text;
	const char *prog;
};

static const struct sig sigs[] = {
	{ "python3", WORDS, "-m http.server", "python3 http.server" },
	{ "python3", TEXT, "SimpleHTTPServer", "python3 http.server" },
	{ "python3", TEXT, "jupyter", "jupyter" },
	{ "python3", TEXT, "gunicorn", "gunicorn" },
	{ "python3", TEXT, "uvicorn", "gunicorn" },
	{ "python3", TEXT, "salt-master", "salt-master" },
	{ "java", TEXT, "org.elasticsearch.bootstrap.Elasticsearch", "elasticsearch" },
	{ "java", TEXT, "org.opensearch.bootstrap.OpenSearch", "opensearch" },
	{ "java", WORDS, "kafka.Kafka", "kafka" },
	{ "java", TEXT, "org.apache.zookeeper.server.quorum.QuorumPeerMain", "zookeeper" },
	{ "java", TEXT, "org.apache.cassandra.service.CassandraDaemon", "cassandra" },
	{ "java", TEXT, "org.neo4j.", "neo4j" },
	{ "java", TEXT, "org.apache.catalina.startup.Bootstrap", "tomcat" },
	{ "java", TEXT, "jenkins.war", "jenkins" },
	{ "node", TEXT, "/kibana/", "kibana" },
	{ "beam.smp", WORDS, "-s rabbit", "rabbitmq" },
	{ "beam.smp", TEXT, "rabbitmq", "rabbitmq" },
	{ "beam.smp", TEXT, "couchdb", "couchdb" },
	{ "ruby", WORDS, "-run -e httpd", "ruby httpd" },
	{ "ruby", TEXT, "puma", "rails" },
	{ "ruby", TEXT, "unicorn", "rails" },
	{ "ruby", WORDS, "rails server", "rails" },
	{ "perl", TEXT, "miniserv.pl", "webmin" },
	{ "php", WORDS, "-S", "php -S" },
};

/* A busybox applet: the name it was run as, and the program it is. */
static const struct key applets[] = {
	{ "httpd", NULL, "busybox httpd" }, { "telnetd", NULL, "busybox telnetd" },
	{ "ftpd", NULL, "busybox ftpd" }, { "tftpd", NULL, "busybox tftpd" },
	{ "udhcpd", NULL, "busybox udhcpd" }, { "ntpd", NULL, "busybox ntpd" },
	{ "syslogd", NULL, "busybox syslogd" }, { "dnsd", NULL, "busybox dnsd" },
	{ "inetd", NULL, "inetd" }, { "nc", NULL, "nc" },
};

/* A risk a command-line flag states for certain. (Not redis-server's --protected-mode no:
 * Redis replaces its command line with a title, "redis-server 0.0.0.0:6379", so the flag
 * cannot be seen.) */
struct flag {
	const char *prog;
	enum match how;
	const char *text;
	const char *note;
};

#define OFF_CMDLINE "turned off on the command line"

static const struct flag flags[] = {
	{ "elasticsearch", TEXT, "xpack.security.enabled=false", "security " OFF_CMDLINE },
	{ "opensearch", TEXT, "plugins.security.disabled=true", "security " OFF_CMDLINE },
	{ "kubelet", WORDS, "--anonymous-auth=true",
	  "anonymous requests allowed on the command line" },
	{ "kube-apiserver", WORDS, "--anonymous-auth=true",
	  "anonymous requests allowed on the command line" },
	{ "mysqld", WORDS, "--skip-grant-tables", "--skip-grant-tables: no authentication at all" },
	{ "jupyter", WORDS, "--NotebookApp.token=", "empty token on the command line: no auth" },
	{ "jupyter", WORDS, "--ServerApp.token=", "empty token on the command line: no auth" },
	{ "x11vnc", WORDS, "-nopw", "no password, by the command line" },
	{ "etcd", TEXT, "--listen-client-urls=http://",
	  "client API without TLS, by the command line" },
	{ "dockerd", TEXT, "tcp://0.0.0.0:2375", "Engine API on plain TCP, by the command line" },
};

/* The table, for the tests. */
const struct prog_info *prog_table(unsigned *n)
{
	*n = sizeof(programs) / sizeof(programs[0]);
	return programs;
}

/* The program of the table named name. */
static const struct prog_info *named(const char *name)
{
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		if (strcmp(programs[i].name, name) == 0)
			return &programs[i];
	return NULL;
}

/* Whether the name s (n bytes) is key, or key cut to the 15 bytes a process name holds. */
static bool name_is(const char *s, size_t n, const char *key, bool comm)
{
	size_t k = strlen(key);

	if (comm && k > 15)
		k = 15;
	return n == k && memcmp(s, key, k) == 0;
}

/* The length of name without a version suffix: "python3.11" and "php8.2" lose their digits
 * and dots, "beam.smp" and "nc.openbsd" keep theirs. */
static size_t unversioned(const char *s, size_t n)
{
	while (n > 0 && ((s[n - 1] >= '0' && s[n - 1] <= '9') || s[n - 1] == '.'))
		n--;
	return n;
}

/* The program a name is (an executable's file name or a process name), from keys[]; path is
 * the whole executable path, NULL for a process name. */
static const struct prog_info *by_key(const struct key *v, size_t nv, const char *s, size_t n,
				      const char *path)
{
	size_t u = unversioned(s, n);

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nv; i++) {
			if (!name_is(s, pass ? u : n, v[i].exe, !path))
				continue;
			if (v[i].path && (!path || !strstr(path, v[i].path)))
				continue;
			return named(v[i].prog);
		}
		if (u == n || u == 0)
			break;
	}
	return NULL;
}

/* The program of an executable's file name or a process name (path NULL): the keys, else
 * the naming convention of Prometheus exporters ("node_exporter", "prometheus-x-exporter"). */
static const struct prog_info *lookup(const char *s, size_t n, const char *path)
{
	const struct prog_info *p = by_key(keys, sizeof(keys) / sizeof(keys[0]), s, n, path);

	if (!p && n > 9 && (memcmp(s + n - 9, "_exporter", 9) == 0 ||
			    memcmp(s + n - 9, "-exporter", 9) == 0))
		p = named("exporter");
	return p;
}

/* Whether words (blank-separated, in order) appear in text as whole words. */
static bool has_words(const char *text, const char *words)
{
	size_t n = strlen(words);

	for (const char *p = text; (p = strstr(p, words)); p++) {
		bool start = p == text || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ';

		if (start && end)
			return true;
	}
	return false;
}

/* Whether a signature or flag is in a command line. */
static bool matches(const char *cmdline, enum match how, const char *text)
{
	return how == WORDS ? has_words(cmdline, text) : strstr(cmdline, text) != NULL;
}

/* The file name of a path (after its last '/'), and its length. */
static const char *base_name(const char *path, size_t len, size_t *n)
{
	const char *b = path;

	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			b = path + i + 1;
	*n = len - (size_t)(b - path);
	return b;
}

/* What an interpreter or busybox runs, by its command line; p itself otherwise. */
static const struct prog_info *refine(const struct prog_info *p, const char *comm,
				      const char *cmdline)
{
	if (!p)
		return NULL;
	if (strcmp(p->name, "busybox") == 0) {
		/* The applet: the name it was run as (argv[0]), or the word after "busybox",
		 * else its process name. */
		const char *a = cmdline ? cmdline : comm;
		size_t n = 0, bn;

		while (a && a[n] && a[n] != ' ')
			n++;
		const char *b = a ? base_name(a, n, &bn) : NULL;

		if (b && bn == 7 && memcmp(b, "busybox", 7) == 0 && a[n] == ' ') {
			b = a + n + 1;
			bn = strcspn(b, " ");
		}
		const struct prog_info *applet =
			b ? by_key(applets, sizeof(applets) / sizeof(applets[0]), b, bn, "") : NULL;

		return applet ? applet : p;
	}
	for (size_t i = 0; cmdline && i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(sigs[i].interp, p->name) == 0 &&
		    matches(cmdline, sigs[i].how, sigs[i].text))
			return named(sigs[i].prog);
	return p;
}

/* The program the executable's path names, with " (deleted)" dropped when it is gone. */
static const struct prog_info *by_exe(const char *exe, bool deleted)
{
	static const char gone[] = " (deleted)";
	size_t len = strlen(exe), g = sizeof(gone) - 1, n;
	const char *b;

	if (deleted && len >= g && strcmp(exe + len - g, gone) == 0)
		len -= g;
	b = base_name(exe, len, &n);
	return lookup(b, n, exe);
}

/* Whether a and b are the same program as far as what they serve goes. */
static bool same_program(const struct prog_info *a, const struct prog_info *b)
{
	if (a == b)
		return true;
	return a && b && a->service && b->service && strcmp(a->service, b->service) == 0;
}

/* The executable decides, the name stands in without it; both refined by the arguments. */
void prog_identify(const char *exe, bool exe_deleted, const char *comm, const char *cmdline,
		   struct prog_id *id)
{
	const struct prog_info *by_comm = NULL;

	*id = (struct prog_id){ .exe_deleted = exe_deleted };
	if (comm)
		by_comm = refine(lookup(comm, strlen(comm), NULL), comm, cmdline);
	if (exe) {
		const struct prog_info *e = by_exe(exe, exe_deleted);

		id->interpreted = e && (e->kind & PROG_INTERP);
		id->prog = refine(e, comm, cmdline);
		id->basis = id->prog ? PROG_BY_EXE : PROG_BY_NONE;
		/* A name that claims a program the executable is not; a generic interpreter or
		 * busybox running a script under a name of its own is no claim worth making. */
		if (by_comm && !same_program(by_comm, id->prog) && !(by_comm->kind & PROG_INTERP))
			id->claimed = by_comm;
	} else if (by_comm) {
		const struct prog_info *c = lookup(comm, strlen(comm), NULL);

		id->interpreted = c && (c->kind & PROG_INTERP);
		id->prog = by_comm;
		id->basis = PROG_BY_COMM;
	}
	for (size_t i = 0; id->prog && cmdline && i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(flags[i].prog, id->prog->name) == 0 &&
		    matches(cmdline, flags[i].how, flags[i].text))
			id->flag_note = flags[i].note;
}

/* Whether service is p's own or one of its serves list (whole words). */
bool prog_serves(const struct prog_info *p, const char *service)
{
	size_t n = strlen(service);

	if (!p || !p->service)
		return false;
	if (strcmp(p->service, service) == 0)
		return true;
	for (const char *s = p->serves; s && (s = strstr(s, service)); s++)
		if ((s == p->serves || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' '))
			return true;
	return false;
}
