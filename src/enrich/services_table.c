/*
 * The embedded service table: what a port usually carries and what exposing it means.
 *
 * Port numbers and protocols follow the IANA registry; where admins meet something else on a
 * port (SSH on 2222, RADIUS on its pre-RFC ports) the description says what IANA assigns.
 * Risk is for an instance reachable beyond this host: high where exposure alone is commonly a
 * compromise (no authentication, cleartext credentials, remote code execution by design),
 * medium where it needs hardening a reviewer should check, low where it is normal but worth
 * knowing, none for protocols built to face the network. Notes state the fact, briefly.
 *
 * Risk and note are for every protocol of an entry. Where exposure differs by transport (UDP
 * amplification is UDP's; cleartext binds are LDAP over TCP's), EACH gives the service one
 * entry per transport, each with its own risk and note, and the lookup by port and protocol
 * finds the one for the socket's transport. The unit tests check that no note naming a
 * transport is given to an entry of the other.
 *
 * Keep the entries ordered by port; the unit tests check the order, that no two entries of
 * one protocol overlap, and that no range is wider than SVC_MAX_SPAN.
 */
#include <stddef.h>

#include "listen/services.h"

#define T SVC_TCP
#define U SVC_UDP
#define TU (SVC_TCP | SVC_UDP)
#define NONE SVC_RISK_NONE
#define LOW SVC_RISK_LOW
#define MED SVC_RISK_MEDIUM
#define HIGH SVC_RISK_HIGH

#define S(lo_, hi_, proto_, risk_, name_, desc_, note_)                                      \
	{ .lo = (lo_), .hi = (hi_), .protocols = (proto_), .risk = (risk_), .name = (name_),    \
	  .desc = (desc_), .note = (note_) }
#define P(port_, proto_, risk_, name_, desc_, note_)                                         \
	S(port_, port_, proto_, risk_, name_, desc_, note_)
/* One service on both transports with a risk and note for each: EACH(53, "dns", "Domain Name
 * System", TCP(LOW, NULL), UDP(LOW, "UDP amplification")) is an entry for each. */
#define TCP(risk_, note_) T, risk_, note_
#define UDP(risk_, note_) U, risk_, note_
#define EACH(port_, name_, desc_, tcp_, udp_)                                                \
	ONE(port_, name_, desc_, tcp_), ONE(port_, name_, desc_, udp_)
#define ONE(port_, name_, desc_, proto_, risk_, note_) P(port_, proto_, risk_, name_, desc_, note_)

static const struct svc_info builtin[] = {
	EACH(7, "echo", "Echo", TCP(LOW, NULL), UDP(LOW, "UDP amplification")),
	EACH(19, "chargen", "Character generator", TCP(LOW, NULL), UDP(MED, "UDP amplification")),
	P(20, T, MED, "ftp-data", "FTP data channel (active mode)", "cleartext transfers"),
	P(21, T, HIGH, "ftp", "FTP control channel", "cleartext credentials"),
	P(22, TU, LOW, "ssh", "Secure Shell (SCP, SFTP)", NULL),
	P(23, TU, HIGH, "telnet", "Telnet remote terminal", "cleartext credentials"),
	P(25, T, LOW, "smtp", "Mail transfer between servers (SMTP)", NULL),
	P(53, T, LOW, "dns", "Domain Name System over TCP (large answers, zone transfers)", NULL),
	P(53, U, LOW, "dns", "Domain Name System", "open recursion enables UDP amplification"),
	P(67, U, LOW, "dhcp-server", "DHCP/BOOTP server", NULL),
	P(68, U, NONE, "dhcp-client", "DHCP/BOOTP client", NULL),
	P(69, U, HIGH, "tftp", "Trivial File Transfer Protocol", "no authentication"),
	P(79, T, LOW, "finger", "User information (finger)", "discloses user accounts"),
	P(80, T, LOW, "http", "Web (HTTP)", NULL),
	P(88, TU, LOW, "kerberos", "Kerberos key distribution center", NULL),
	P(102, T, HIGH, "s7comm", "ISO-TSAP (Siemens S7 PLCs)",
	  "industrial control, no authentication"),
	P(110, T, MED, "pop3", "Mail retrieval (POP3)", "cleartext credentials"),
	EACH(111, "rpcbind", "ONC RPC port mapper (NFS, NIS)", TCP(MED, "lists RPC services"),
	     UDP(MED, "lists RPC services; UDP amplification")),
	P(119, T, LOW, "nntp", "Usenet news (NNTP)", "cleartext credentials"),
	P(123, U, LOW, "ntp", "Network Time Protocol",
	  "UDP amplification (monlist) on old servers"),
	P(135, TU, MED, "msrpc", "Microsoft RPC endpoint mapper (DCOM)",
	  "Windows RPC: never expose beyond the LAN"),
	P(137, TU, MED, "netbios-ns", "NetBIOS name service", "name poisoning; leaks host names"),
	P(138, TU, MED, "netbios-dgm", "NetBIOS datagram service", "leaks host and domain names"),
	P(139, TU, HIGH, "netbios-ssn", "NetBIOS session service (SMB over NetBIOS)",
	  "file sharing: never expose beyond the LAN"),
	P(143, T, MED, "imap", "Mail retrieval (IMAP)", "cleartext credentials"),
	EACH(161, "snmp", "SNMP agent", TCP(HIGH, "cleartext community strings"),
	     UDP(HIGH, "cleartext community strings; UDP amplification")),
	P(162, TU, LOW, "snmptrap", "SNMP traps", "cleartext community strings"),
	P(177, U, HIGH, "xdmcp", "X display manager control", "cleartext X11 logins"),
	P(179, T, LOW, "bgp", "Border Gateway Protocol", "routing sessions: restrict to peers"),
	EACH(389, "ldap", "Directory access (LDAP)",
	     TCP(MED, "cleartext binds unless StartTLS is required"),
	     UDP(MED, "UDP amplification (connectionless LDAP)")),
	EACH(427, "slp", "Service Location Protocol", TCP(MED, "lists services on the network"),
	     UDP(HIGH, "UDP amplification (CVE-2023-29552)")),
	P(443, T, LOW, "https", "Web over TLS (HTTPS)", NULL),
	P(443, U, LOW, "https", "HTTP/3 over QUIC", NULL),
	P(445, T, HIGH, "smb", "SMB file sharing (Microsoft-DS)",
	  "wormable exploits (EternalBlue): never expose beyond the LAN"),
	P(464, TU, LOW, "kpasswd", "Kerberos password change", NULL),
	P(465, T, NONE, "smtps", "Mail submission over TLS (implicit)", NULL),
	P(500, U, LOW, "isakmp", "IPsec key exchange (IKE)", NULL),
	P(502, T, HIGH, "modbus", "Modbus/TCP industrial control",
	  "no authentication: controls equipment"),
	P(512, T, HIGH, "rexec", "Remote execution (rexec)", "cleartext credentials"),
	P(513, T, HIGH, "rlogin", "Remote login (rlogin)", "host-based trust, cleartext"),
	P(514, T, HIGH, "rsh", "Remote shell (rsh)", "host-based trust, cleartext"),
	P(514, U, LOW, "syslog", "Syslog over UDP", "unauthenticated, spoofable log input"),
	P(515, T, LOW, "printer", "Line printer daemon (LPD)", NULL),
	P(520, U, LOW, "rip", "Routing Information Protocol", "unauthenticated routing updates"),
	P(548, T, MED, "afp", "Apple Filing Protocol", "file sharing"),
	P(554, TU, MED, "rtsp", "Real Time Streaming (IP cameras)",
	  "camera streams, often default credentials"),
	P(587, T, NONE, "submission", "Mail submission (STARTTLS)", NULL),
	P(593, T, MED, "http-rpc-epmap", "Microsoft RPC over HTTP endpoint mapper",
	  "Windows RPC: never expose beyond the LAN"),
	P(623, U, HIGH, "ipmi", "IPMI/BMC out-of-band management (RMCP)",
	  "BMC: password hash disclosure, cipher-zero logins"),
	P(631, T, LOW, "ipp", "Internet Printing Protocol (CUPS)", "printer administration"),
	P(631, U, HIGH, "cups-browsed", "CUPS printer discovery",
	  "remote code execution chain (CVE-2024-47176)"),
	P(636, TU, LOW, "ldaps", "LDAP over TLS", NULL),
	P(860, T, MED, "iscsi", "iSCSI (system port)", "block storage; CHAP often off"),
	P(873, T, MED, "rsync", "rsync daemon", "modules often readable without authentication"),
	P(989, T, NONE, "ftps-data", "FTP data over TLS", NULL),
	P(990, T, LOW, "ftps", "FTP control over TLS", NULL),
	P(992, T, LOW, "telnets", "Telnet over TLS", NULL),
	P(993, T, NONE, "imaps", "IMAP over TLS", NULL),
	P(995, T, NONE, "pop3s", "POP3 over TLS", NULL),
	P(1080, T, MED, "socks", "SOCKS proxy", "open proxy if unauthenticated"),
	P(1099, T, HIGH, "rmiregistry", "Java RMI registry",
	  "remote code execution via deserialization"),
	P(1194, TU, NONE, "openvpn", "OpenVPN", NULL),
	P(1433, T, MED, "mssql", "Microsoft SQL Server", "database exposed to the network"),
	P(1434, U, MED, "mssql-browser", "SQL Server Browser (instance discovery)",
	  "reveals instances; UDP amplification"),
	P(1521, T, MED, "oracle", "Oracle Database listener", "database exposed to the network"),
	P(1645, U, LOW, "radius-old",
	  "RADIUS authentication, pre-RFC 2865 port (IANA: datametrics)",
	  "MD5-based shared secret (Blast-RADIUS)"),
	P(1646, U, LOW, "radacct-old", "RADIUS accounting, pre-RFC 2866 port (IANA: sa-msg-port)",
	  NULL),
	P(1701, U, LOW, "l2tp", "Layer 2 Tunneling Protocol", "unencrypted without IPsec"),
	P(1723, TU, MED, "pptp", "Point-to-Point Tunneling Protocol VPN",
	  "broken encryption (MS-CHAPv2)"),
	P(1812, U, LOW, "radius", "RADIUS authentication",
	  "MD5-based shared secret (Blast-RADIUS)"),
	P(1813, U, LOW, "radius-acct", "RADIUS accounting", NULL),
	P(1883, T, MED, "mqtt", "MQTT message broker", "often no auth by default"),
	P(1900, U, MED, "ssdp", "SSDP/UPnP discovery", "UDP amplification; not for the internet"),
	P(2049, TU, MED, "nfs", "Network File System", "host-based trust: check exports"),
	P(2082, T, MED, "cpanel", "cPanel over HTTP (IANA: infowave)", "cleartext logins"),
	P(2083, T, LOW, "cpanel-tls", "cPanel over TLS (IANA: radsec)", "hosting control panel"),
	P(2181, T, HIGH, "zookeeper", "Apache ZooKeeper client port", "no auth by default"),
	P(2200, T, LOW, "ssh-alt", "SSH on an alternate port (IANA: ici)", NULL),
	P(2222, T, LOW, "ssh-alt", "SSH on an alternate port (IANA: EtherNet-IP-1)", NULL),
	P(2375, T, HIGH, "docker", "Docker Engine API (plain HTTP)",
	  "unauthenticated root access to the host"),
	P(2376, T, MED, "docker-tls", "Docker Engine API over TLS",
	  "root on the host for any trusted client"),
	P(2377, T, MED, "docker-swarm", "Docker Swarm cluster management", "cluster control plane"),
	P(2379, T, HIGH, "etcd", "etcd client API (Kubernetes state)",
	  "cluster secrets; client auth often off"),
	P(2380, T, MED, "etcd-peer", "etcd peer traffic", "cluster secrets; peer TLS often off"),
	P(3000, T, MED, "grafana", "Grafana", "admin/admin until the first login changes it"),
	P(3128, T, MED, "squid", "Squid HTTP proxy", "open proxy if ACLs allow"),
	P(3225, TU, LOW, "fcip", "Fibre Channel over IP", NULL),
	P(3260, T, MED, "iscsi-target", "iSCSI target", "block storage; CHAP often off"),
	P(3268, T, MED, "ldap-gc", "Active Directory Global Catalog",
	  "cleartext binds unless signing is required"),
	P(3269, T, LOW, "ldaps-gc", "Active Directory Global Catalog over TLS", NULL),
	P(3306, T, MED, "mysql", "MySQL / MariaDB", "database exposed to the network"),
	EACH(3389, "rdp", "Remote Desktop (RDP)",
	     TCP(MED, "brute force and wormable bugs (BlueKeep)"),
	     UDP(MED, "UDP amplification")),
	P(3632, T, HIGH, "distcc", "distcc compile server", "runs commands for any allowed host"),
	P(3702, U, MED, "ws-discovery", "WS-Discovery", "UDP amplification"),
	P(3868, T, LOW, "diameter", "Diameter (AAA)", NULL),
	P(4369, T, MED, "epmd", "Erlang port mapper (RabbitMQ, CouchDB clusters)",
	  "the cluster cookie grants code execution"),
	P(4443, T, LOW, "https-alt", "HTTPS on an alternate port", NULL),
	P(4500, U, NONE, "ipsec-nat-t", "IPsec NAT traversal", NULL),
	S(4505, 4506, T, HIGH, "salt", "SaltStack master",
	  "commands every minion: patch and restrict"),
	P(4789, U, MED, "vxlan", "VXLAN overlay",
	  "unauthenticated: packet injection into the overlay"),
	P(5060, TU, MED, "sip", "SIP (VoIP signalling)", "toll-fraud scanning"),
	P(5061, T, LOW, "sips", "SIP over TLS", NULL),
	P(5353, U, LOW, "mdns", "Multicast DNS (Avahi, Bonjour)", "leaks host and service names"),
	P(5355, TU, MED, "llmnr", "Link-Local Multicast Name Resolution",
	  "name poisoning (Responder)"),
	P(5432, T, MED, "postgresql", "PostgreSQL", "database exposed to the network"),
	P(5601, T, MED, "kibana", "Kibana", "often no auth by default"),
	P(5671, T, LOW, "amqps", "AMQP over TLS (RabbitMQ)", NULL),
	P(5672, T, MED, "amqp", "AMQP message broker (RabbitMQ)", "check for default accounts"),
	P(5800, T, HIGH, "vnc-http", "VNC over HTTP (Java viewer)",
	  "weak password auth, unencrypted"),
	S(5900, 5903, T, HIGH, "vnc", "VNC remote desktop (displays :0-:3)",
	  "weak password auth, unencrypted"),
	P(5984, T, HIGH, "couchdb", "Apache CouchDB", "often no auth by default (before 3.0)"),
	P(5985, T, MED, "winrm", "Windows Remote Management (HTTP)", "remote shell"),
	P(5986, T, LOW, "winrm-tls", "Windows Remote Management (HTTPS)", "remote shell"),
	S(6000, 6063, T, HIGH, "x11", "X11 display server (displays :0-:63)",
	  "screen access and keystroke capture"),
	P(6379, T, HIGH, "redis", "Redis key-value store", "often no auth by default"),
	P(6443, T, MED, "kube-apiserver", "Kubernetes API server",
	  "cluster control plane: check anonymous auth"),
	P(6514, T, NONE, "syslog-tls", "Syslog over TLS", NULL),
	P(7474, T, MED, "neo4j", "Neo4j HTTP API", "often default credentials"),
	P(7687, T, MED, "neo4j-bolt", "Neo4j Bolt protocol", "often default credentials"),
	P(8000, T, MED, "http-dev", "HTTP development server", "dev server, not for exposure"),
	P(8080, T, LOW, "http-alt", "HTTP on an alternate port", NULL),
	P(8086, T, MED, "influxdb", "InfluxDB HTTP API", "often no auth by default"),
	P(8123, T, MED, "clickhouse", "ClickHouse HTTP interface", "default user has no password"),
	P(8200, T, LOW, "vault", "HashiCorp Vault API", NULL),
	P(8443, T, LOW, "https-alt", "HTTPS on an alternate port", NULL),
	P(8500, T, HIGH, "consul", "Consul HTTP API",
	  "ACLs off by default: code execution via checks"),
	P(8888, T, HIGH, "jupyter", "Jupyter notebook",
	  "runs arbitrary code; dev server, not for exposure"),
	P(9042, T, MED, "cassandra", "Apache Cassandra CQL", "often no auth by default"),
	P(9090, T, MED, "prometheus", "Prometheus server", "no auth by default"),
	P(9092, T, MED, "kafka", "Apache Kafka broker", "often no auth or TLS by default"),
	P(9100, T, LOW, "node-exporter", "Prometheus node_exporter",
	  "no auth: exposes host metrics"),
	P(9200, T, HIGH, "elasticsearch", "Elasticsearch HTTP API", "often no auth by default"),
	P(9300, T, MED, "es-transport", "Elasticsearch node transport", "cluster traffic"),
	P(9389, T, MED, "adws", "Active Directory Web Services", "directory management"),
	P(9418, T, LOW, "git", "Git daemon", "read-only, unauthenticated"),
	P(9443, T, LOW, "https-alt", "HTTPS on an alternate port", NULL),
	P(10000, T, MED, "webmin", "Webmin server administration (IANA: ndmp)", "root web console"),
	P(10250, T, HIGH, "kubelet", "Kubernetes kubelet API",
	  "exec in pods if anonymous auth is on"),
	P(10255, T, MED, "kubelet-ro", "Kubernetes kubelet read-only API",
	  "no authentication: leaks pod details"),
	P(10443, T, LOW, "https-alt", "HTTPS on an alternate port", NULL),
	EACH(11211, "memcached", "memcached", TCP(HIGH, "often no auth by default"),
	     UDP(HIGH, "often no auth by default; UDP amplification")),
	P(15672, T, MED, "rabbitmq-mgmt", "RabbitMQ management UI", "check for default accounts"),
	P(20000, T, HIGH, "dnp3", "DNP3 industrial control",
	  "no authentication: controls equipment"),
	P(20048, TU, MED, "mountd", "NFS mount daemon", "host-based trust: check exports"),
	S(27017, 27019, T, HIGH, "mongodb", "MongoDB (27018/27019: shard and config servers)",
	  "often no auth by default"),
	P(44818, TU, HIGH, "enip", "EtherNet/IP industrial control",
	  "no authentication: controls equipment"),
	P(47808, U, HIGH, "bacnet", "BACnet building automation",
	  "no authentication: controls equipment"),
	P(51820, U, NONE, "wireguard", "WireGuard VPN", NULL),
};

const struct svc_info *svc_builtin(size_t *n)
{
	*n = sizeof(builtin) / sizeof(builtin[0]);
	return builtin;
}
