/*
 * Filter expressions: ss's language (state and exclude clauses, then sport, dport, src, dst
 * and dev conditions joined by and, or, not and parentheses), and `:PORTS`, the port list of
 * the owner view. Parsed into a tree, resolved (service, device and host names), evaluated on
 * records, and compiled to sock_diag bytecode by bytecode.h.
 */
#ifndef LISTEN_FILTER_H
#define LISTEN_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsock;

enum filter_kind {
	FILTER_AND,   /* every child */
	FILTER_OR,    /* any child */
	FILTER_NOT,   /* not its one child */
	FILTER_SRC,   /* local address in one of the prefixes (none: any) and port */
	FILTER_DST,   /* the same for the peer */
	FILTER_SPORT, /* local port compared with cmp */
	FILTER_DPORT, /* peer port compared with cmp */
	FILTER_DEV,   /* bound to device ifindex (0: to none), compared with cmp (= or !=) */
	FILTER_AUTO,  /* autobound: the kernel chose the local port (bind without a port, or
		       * connect), and it is in the ephemeral range, as ss selects */
	FILTER_PROTO, /* the socket's protocol is port (IPPROTO_TCP or IPPROTO_UDP): only in the
		       * owner view's port list ("8080/tcp"), never under a not */
	FILTER_PATH,  /* a unix socket's name matches the shell pattern at names + first
		       * (fnmatch, no flags; "@name" for an abstract one, "" unbound): ss's
		       * `src unix:PATTERN`, or `src /PATH...` and `src @NAME...` */
};

enum filter_cmp { FILTER_EQ, FILTER_NE, FILTER_LT, FILTER_LE, FILTER_GT, FILTER_GE };

/* An address prefix of a src or dst condition. */
struct filter_prefix {
	uint8_t family;          /* AF_INET or AF_INET6 */
	uint8_t bits;            /* prefix length */
	unsigned char addr[16];  /* network byte order; 4 bytes used for AF_INET */
};

/* No name to resolve; no node. */
#define FILTER_NONE UINT32_MAX

struct filter_node {
	uint8_t kind;      /* enum filter_kind */
	uint8_t cmp;       /* enum filter_cmp, for ports and dev */
	uint16_t depth;    /* levels of and/or/not at and under it: 0 for a condition */
	int32_t port;      /* SRC/DST/SPORT/DPORT: the port, -1 for any */
	uint32_t first;    /* AND/OR/NOT: children in kids[first..first+count); PATH: the
			    * pattern's offset in names */
	uint32_t count;    /* SRC/DST: prefixes[first..first+count), none meaning any address */
	uint32_t ifindex;  /* DEV */
	uint32_t word;     /* the word it was written at (1-based), for errors */
	uint32_t name;      /* offset in names of a host or device name to resolve, or
			     * FILTER_NONE */
	uint32_t port_name; /* offset in names of a service name to resolve, or FILTER_NONE */
	uint32_t protocols; /* a port list item's: its name resolves for these (1: TCP, 2: UDP);
			     * 0: for the selection's */
};

/*
 * A parsed filter. Zero-initialise (or filter_parse), release with filter_free. root is
 * FILTER_NONE when the words held no expression (only state clauses, or nothing).
 */
struct filter {
	struct filter_node *nodes;
	size_t nnodes, nodes_cap;
	uint32_t *kids;
	size_t nkids, kids_cap;
	struct filter_prefix *prefixes;
	size_t nprefixes, prefixes_cap;
	char *names;
	size_t names_len, names_cap;
	uint32_t root;
	uint32_t states;     /* with states_given: the states the clauses select (1 << state) */
	bool states_given;   /* a state or exclude clause was given */
	bool ports;          /* the expression began with a port list: `listen :8080` */
	char *port_text;     /* that list as written (":80,443", "8080/tcp 53/udp"), for messages;
			      * NULL otherwise */
	unsigned port_protocols; /* the protocols the list names when every item names its own
				  * ("8080/tcp,53/udp": 1 | 2; 1: TCP, 2: UDP), else 0 */
	uint16_t eph_lo, eph_hi; /* autobound: the ephemeral port range, set by filter_resolve */
};

/* A parse or resolution error: a message without "filter: " and the word it is at. */
struct filter_error {
	unsigned word;  /* 1-based, counting every word of every argument */
	char msg[200];
};

/*
 * Parse the words of args (each split at blanks, so "sport = :22" may be one argument; '(' and
 * ')' split off the words they touch) as ss does: leading `state NAME` / `exclude NAME`
 * clauses, then an expression. `:PORTS` or a plain number first (`:8080`, `8080`, `:80,443`,
 * `:8000-8100`, `:http`), or fuser's PORT/PROTO (`8080/tcp`, `ssh/tcp`, `53/udp`), selects
 * local ports for the owner view; several such words are alternatives (`8080/tcp 53/udp`), and
 * what follows them is and-ed.
 * A '#' starts a comment to the end of its line. Names stay unresolved (filter_resolve).
 * Returns 0, -EINVAL with err filled, or -ENOMEM.
 */
int filter_parse(struct filter *f, char *const *args, size_t nargs, struct filter_error *err);

/* Look-ups filter_resolve uses; each returns 0, -ENOENT, or another negative errno. */
struct filter_env {
	void *ctx;
	/* The port of a service name for the protocols (1: TCP, 2: UDP); -EEXIST if they
	 * disagree. */
	int (*service)(void *ctx, const char *name, unsigned protocols, uint16_t *port);
	/* The index of a network device. */
	int (*device)(void *ctx, const char *name, uint32_t *index);
	/* Up to max addresses of a host name, as prefixes of full length; *n gets the count. */
	int (*host)(void *ctx, const char *name, struct filter_prefix *out, size_t max, size_t *n);
	/* The ephemeral port range, for autobound (NULL or -ENOENT: Linux's 32768-60999). */
	int (*ephemeral)(void *ctx, uint16_t *lo, uint16_t *hi);
};

/* The most addresses one host name stands for. */
#define FILTER_MAX_HOST_ADDRS 16

/*
 * Resolve the names in f through env (a NULL look-up makes its names errors). protocols is
 * the selection's (1: TCP, 2: UDP, 4: unix): with unix sockets, conditions that only TCP and
 * UDP have (ports, addresses, dev, autobound) are refused, as is a path pattern without them.
 * Returns 0, -EINVAL with err filled, or -ENOMEM.
 */
int filter_resolve(struct filter *f, const struct filter_env *env, unsigned protocols,
		   struct filter_error *err);

/* Whether the expression has a condition of this kind (FILTER_AUTO: collect must mark the
 * records whose port the kernel chose, LSOCK_AUTOBOUND). */
bool filter_has(const struct filter *f, enum filter_kind kind);

/* Whether a resolved filter selects the record (true when it has no expression). */
bool filter_match(const struct filter *f, const struct lsock *sk);

/* The state name or group for `state NAME`: established ... closing, all, connected,
 * synchronized, bucket, big. Returns the states (1 << state), or 0 for an unknown name. */
uint32_t filter_state_mask(const char *name);

/* Write the expression back as text ("(sport = :22 or dport >= :1024) and not dev = 2"),
 * for the tests; returns what snprintf would. */
int filter_format(const struct filter *f, char *buf, size_t size);

/* Building a tree, for the parser: append a node (*index gets its index), children (*first
 * gets where they start in kids), a NUL-terminated copy of len bytes of a name (*off gets its
 * offset in names), or a prefix. Each returns 0 or -ENOMEM. */
int filter_add_node(struct filter *f, const struct filter_node *node, uint32_t *index);
int filter_add_kids(struct filter *f, const uint32_t *kids, size_t n, uint32_t *first);
int filter_add_name(struct filter *f, const char *s, size_t len, uint32_t *off);
int filter_add_prefix(struct filter *f, const struct filter_prefix *pfx);

void filter_free(struct filter *f);

#endif
