/*
 * What a port is: an embedded table of well-known and commonly exposed services with their
 * risks, extended at run time by services(5) and nmap-services names.
 */
#ifndef LISTEN_SERVICES_H
#define LISTEN_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How much attention an exposed instance of a service deserves. */
enum svc_risk { SVC_RISK_NONE, SVC_RISK_LOW, SVC_RISK_MEDIUM, SVC_RISK_HIGH };

enum { SVC_TCP = 1 << 0, SVC_UDP = 1 << 1, SVC_SCTP = 1 << 2 /* services(5)'s only */ };

/* One entry of the embedded table: a port or a range of ports, for TCP, UDP or both. Risk and
 * note hold for each of its protocols: a service whose exposure differs by transport (UDP
 * amplification) has an entry per transport, and a lookup finds the socket's. */
struct svc_info {
	uint16_t lo, hi;    /* ports lo..hi */
	uint8_t protocols;  /* SVC_TCP | SVC_UDP */
	uint8_t risk;       /* enum svc_risk when exposed beyond this host */
	const char *name;   /* short name for the Service column: "redis" */
	const char *desc;   /* one line: "Redis key-value store" */
	const char *note;   /* what a reviewer must know, or NULL: "often no auth by default" */
};

/* No range in the embedded table spans more ports than this (X11's 6000-6063). */
#define SVC_MAX_SPAN 64

/* The embedded table, ordered by lo; *n gets its length. For the tests and --list. */
const struct svc_info *svc_builtin(size_t *n);

/* The embedded entry for port and protocol (IPPROTO_TCP/IPPROTO_UDP), with that transport's
 * risk and note, or NULL. */
const struct svc_info *svc_builtin_find(uint16_t port, uint8_t protocol);

/* The embedded entry named name for protocol (IPPROTO_TCP/IPPROTO_UDP), the first of its
 * ports, or NULL: what a service is when a program, not a port, names it. */
const struct svc_info *svc_builtin_named(const char *name, uint8_t protocol);

/* "none", "low", "medium", "high". */
const char *svc_risk_name(enum svc_risk risk);

/* Names from services(5)-format text. Zero-initialise; release with svc_table_free. */
struct svc_table {
	struct svc_entry *v;
	size_t len, cap;
	char *names; /* every name, NUL-separated; entries hold offsets into it */
	size_t names_len, names_cap;
};

/*
 * Add the entries of a services(5) text, "name port/proto [aliases] [# comment]"; nmap's
 * "name port/proto frequency" lines parse the same way. Only tcp and udp entries are kept;
 * lines that do not parse, and nmap's "unknown" names, are skipped. Where a port and protocol
 * appear twice the first wins, as with getservbyport(3). Aliases are names for
 * svc_port_by_name ("www" for 80/tcp) but never what svc_name gives. Returns 0 or -ENOMEM.
 */
int svc_table_parse(struct svc_table *t, const char *buf, size_t len);

/* svc_table_parse on the file at path; a missing or unreadable file adds nothing and is not
 * an error. Returns 0, or -EMFILE, -ENFILE or -ENOMEM when listen ran short (fileio_exhausted). */
int svc_table_load(struct svc_table *t, const char *path);

/* The name of port for protocol (IPPROTO_TCP/IPPROTO_UDP), or NULL. */
const char *svc_name(const struct svc_table *t, uint16_t port, uint8_t protocol);

void svc_table_free(struct svc_table *t);

/*
 * Parse ip_local_port_range ("32768\t60999\n") into *lo and *hi. Returns 0, or -EINVAL
 * for anything else (lo above hi, a port out of range, extra text).
 */
int svc_parse_port_range(const char *buf, size_t len, uint16_t *lo, uint16_t *hi);

/* Everything known about ports for one run. Zero-initialise; release with svc_db_free. */
struct svc_db {
	struct svc_table etc;   /* /etc/services: ss's port names, and names the table lacks */
	struct svc_table extra; /* nmap-services: only where neither of the above names a port */
	uint16_t eph_lo, eph_hi; /* the ephemeral range; eph_lo > eph_hi when unknown */
};

/* Where a socket's service name comes from. */
enum svc_source {
	SVC_SOURCE_NONE,    /* nothing names it */
	SVC_SOURCE_PROGRAM, /* the program holding the socket (program.h): a fact */
	SVC_SOURCE_PORT,    /* the embedded table, by port: a guess */
	SVC_SOURCE_FILE,    /* /etc/services or nmap-services, by port: a guess */
	SVC_SOURCE_PATH,    /* a unix socket's path or abstract name, by the built-in notes
			     * (unix_scope.h) */
};

/* What the Service column says about one socket. */
struct svc_ref {
	const char *name;            /* NULL when nothing names the port (or, with a program,
				      * when the program says nothing of its service) */
	const struct svc_info *info; /* the embedded entry (or the program's own), NULL when
				      * only a file names it */
	bool peer;                   /* the name is the peer's port: this end is a client */
	enum svc_source source;      /* SVC_SOURCE_NONE when svc_lookup finds nothing */
	const char *program;         /* with SVC_SOURCE_PROGRAM: the program ("nginx") */
	bool weak;                   /* the program was told by its process name only: its
				      * executable was not readable */
	const char *port_guess;      /* the port's service when the program's is another
				      * ("postgresql" for python's http.server on 5432), or NULL */
};

/* The files name ports below this only: system ports, which IANA assigns after review and
 * only root may bind. Above, the files are full of obscure registrations (8081 "tproxy",
 * nmap's 12345 "netbus") that would mislabel whatever really listens there. */
#define SVC_FILES_BELOW 1024

/*
 * The service of a socket: its local port's, from the embedded table first, then the files
 * (below SVC_FILES_BELOW only; so never for an ephemeral port, a client's source port). A
 * connected socket whose local port has no name gets its peer port's instead.
 */
struct svc_ref svc_lookup(const struct svc_db *db, uint16_t lport, uint16_t rport,
			  uint8_t protocol);

/* Whether port is in the ephemeral range (false when the range is unknown). */
bool svc_ephemeral(const struct svc_db *db, uint16_t port);

/* ss's name for a port in its port column: the /etc/services name, except in the ephemeral
 * range, where ss prints numbers. NULL when the port prints as a number. */
const char *svc_port_name(const struct svc_db *db, uint16_t port, uint8_t protocol);

/* Whether svc_lookup would consult the files for this port: not in the embedded table,
 * below SVC_FILES_BELOW, not ephemeral. Lets callers skip reading files nobody needs. */
bool svc_wants_files(const struct svc_db *db, uint16_t port, uint8_t protocol);

/*
 * The port of a service name for protocols (SVC_TCP, SVC_UDP, SVC_SCTP): /etc/services first, as ss
 * looks names up, then the embedded table. Returns 0, -ENOENT when nothing names it, or
 * -EEXIST when it names different ports for TCP and UDP.
 */
int svc_port_by_name(const struct svc_db *db, const char *name, unsigned protocols,
		     uint16_t *port);

void svc_db_free(struct svc_db *db);

#endif
