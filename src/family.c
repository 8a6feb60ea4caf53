/* ss's names for kinds of sockets (-A, -f), from two tables. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/family.h"

/* What listen leaves out of ss's "all" and "inet": said on stderr when they are asked for. */
#define FAMILY_NOT_INET "DCCP sockets (listen does not read them yet)"
#define FAMILY_NOT_ALL "netlink, DCCP, TIPC and XDP sockets (listen does not read them yet)"

/* One of -A's socket tables: what it selects, or why listen does not show it (missing). */
struct family_table {
	const char *name;
	unsigned protocols;  /* DIAG_* */
	unsigned unix_types; /* 1 << SOCK_* */
	const char *missing; /* "raw sockets (-w)": listen does not show them yet */
	const char *partial; /* of ss's sockets under this name, those listen does not show */
	bool alias;          /* ss's short name of the row before it (not listed in errors) */
	unsigned vsock_types; /* 1 << SOCK_*, of vsock sockets */
	unsigned packet_types; /* 1 << SOCK_RAW, SOCK_DGRAM, of packet sockets */
};

#define UNIX_TYPES (1u << SOCK_STREAM | 1u << SOCK_DGRAM | 1u << SOCK_SEQPACKET)

/* ss's socket tables, as -A spells them. A kind that listen learns to show gets its DIAG_
 * bit here (and leaves the partial lists). */
static const struct family_table family_tables[] = {
	{ "all", DIAG_INET | DIAG_RAW | DIAG_UNIX | DIAG_PACKET | DIAG_VSOCK, 0, NULL,
	  FAMILY_NOT_ALL },
	{ "inet", DIAG_INET | DIAG_RAW, 0, NULL, FAMILY_NOT_INET },
	{ "tcp", DIAG_TCP, 0, NULL, NULL },
	{ "udp", DIAG_UDP, 0, NULL, NULL },
	{ "mptcp", DIAG_MPTCP, 0, NULL, NULL },
	{ "unix", DIAG_UNIX, 0, NULL, NULL },
	{ "unix_stream", 0, 1u << SOCK_STREAM, NULL, NULL },
	{ "u_str", 0, 1u << SOCK_STREAM, NULL, NULL, true },
	{ "unix_dgram", 0, 1u << SOCK_DGRAM, NULL, NULL },
	{ "u_dgr", 0, 1u << SOCK_DGRAM, NULL, NULL, true },
	{ "unix_seqpacket", 0, 1u << SOCK_SEQPACKET, NULL, NULL },
	{ "u_seq", 0, 1u << SOCK_SEQPACKET, NULL, NULL, true },
	{ "raw", DIAG_RAW, 0, NULL, NULL },
	{ "packet", DIAG_PACKET, 0, NULL, NULL },
	{ "packet_raw", 0, 0, NULL, NULL, false, 0, 1u << SOCK_RAW },
	{ "p_raw", 0, 0, NULL, NULL, true, 0, 1u << SOCK_RAW },
	{ "packet_dgram", 0, 0, NULL, NULL, false, 0, 1u << SOCK_DGRAM },
	{ "p_dgr", 0, 0, NULL, NULL, true, 0, 1u << SOCK_DGRAM },
	{ "netlink", 0, 0, "netlink sockets", NULL },
	{ "dccp", 0, 0, "DCCP sockets (-d)", NULL },
	{ "sctp", DIAG_SCTP, 0, NULL, NULL },
	{ "vsock", DIAG_VSOCK, 0, NULL, NULL },
	{ "vsock_stream", 0, 0, NULL, NULL, false, 1u << SOCK_STREAM },
	{ "v_str", 0, 0, NULL, NULL, true, 1u << SOCK_STREAM },
	{ "vsock_dgram", 0, 0, NULL, NULL, false, 1u << SOCK_DGRAM },
	{ "v_dgr", 0, 0, NULL, NULL, true, 1u << SOCK_DGRAM },
	{ "tipc", 0, 0, "TIPC sockets (--tipc)", NULL },
	{ "xdp", 0, 0, "XDP sockets (--xdp)", NULL },
};

/* One of -f's address families. */
struct family_af {
	const char *name;
	unsigned families;   /* DIAG_V4, DIAG_V6 */
	unsigned protocols;  /* what it shows when no option names a protocol */
	const char *missing;
	const char *partial;
};

static const struct family_af family_afs[] = {
	{ "inet", DIAG_V4, DIAG_INET | DIAG_RAW, NULL, FAMILY_NOT_INET },
	{ "inet6", DIAG_V6, DIAG_INET | DIAG_RAW, NULL, FAMILY_NOT_INET },
	{ "unix", 0, DIAG_UNIX, NULL, NULL },
	{ "link", 0, DIAG_PACKET, NULL, NULL },
	{ "netlink", 0, 0, "netlink sockets", NULL },
	{ "vsock", 0, DIAG_VSOCK, NULL, NULL },
	{ "tipc", 0, 0, "TIPC sockets (--tipc)", NULL },
	{ "xdp", 0, 0, "XDP sockets (--xdp)", NULL },
};

#define FAMILY_N(a) (sizeof(a) / sizeof((a)[0]))

/* Append s to err, cut short if it does not fit. */
static void family_append(char *err, size_t errlen, const char *s)
{
	size_t used = errlen ? strlen(err) : 0;

	if (used + 1 < errlen)
		snprintf(err + used, errlen - used, "%s", s);
}

/* The message for a list with a name -A does not take: the names it does. */
static int family_unknown(const char *list, char *err, size_t errlen)
{
	size_t last = FAMILY_N(family_tables) - 1, first = 1;

	while (family_tables[last].alias)
		last--;
	snprintf(err, errlen, "-A takes a list of all");
	for (size_t i = first; i <= last; i++) {
		if (family_tables[i].alias)
			continue;
		family_append(err, errlen, i == last ? " and " : ", ");
		family_append(err, errlen, family_tables[i].name);
	}
	family_append(err, errlen, " (\"!name\" leaves one out), not '");
	family_append(err, errlen, list);
	family_append(err, errlen, "'");
	return -EINVAL;
}

/* "!name": the tables of t taken away from q (a kind listen does not show is not there to
 * take away). One unix type away from all of them leaves the other two. */
static void family_remove(struct diag_query *q, const struct family_table *t)
{
	if (t->protocols & DIAG_PACKET)
		q->packet_types = 0;
	if (t->packet_types) {
		if (q->protocols & DIAG_PACKET)
			q->packet_types = 1u << SOCK_RAW | 1u << SOCK_DGRAM;
		q->protocols &= ~(unsigned)DIAG_PACKET;
		q->packet_types &= ~t->packet_types;
	}
	if (t->protocols & DIAG_VSOCK)
		q->vsock_types = 0;
	if (t->vsock_types) {
		if (q->protocols & DIAG_VSOCK)
			q->vsock_types = 1u << SOCK_STREAM | 1u << SOCK_DGRAM |
					 1u << SOCK_SEQPACKET;
		q->protocols &= ~(unsigned)DIAG_VSOCK;
		q->vsock_types &= ~t->vsock_types;
	}
	q->protocols &= ~(t->protocols & ~(unsigned)DIAG_UNIX);
	if (t->protocols & DIAG_UNIX) {
		q->protocols &= ~(unsigned)DIAG_UNIX;
		q->unix_types = 0;
	} else if (t->unix_types) {
		if (q->protocols & DIAG_UNIX)
			q->unix_types = UNIX_TYPES;
		q->protocols &= ~(unsigned)DIAG_UNIX;
		q->unix_types &= ~t->unix_types;
	}
}

int family_query(const char *list, struct diag_query *q, const char **partial, char *err,
		 size_t errlen)
{
	const char *s = list;

	do {
		bool off = *s == '!'; /* as in ss, "!name" takes that table away */
		size_t n = strcspn(s += off, ",");
		const struct family_table *t = NULL;

		for (size_t i = 0; i < FAMILY_N(family_tables) && !t; i++)
			if (strlen(family_tables[i].name) == n &&
			    memcmp(family_tables[i].name, s, n) == 0)
				t = &family_tables[i];
		if (!t)
			return family_unknown(list, err, errlen);
		if (off) {
			family_remove(q, t);
		} else if (t->missing) {
			snprintf(err, errlen, "-A %s: %s are not supported yet", t->name,
				 t->missing);
			return -EINVAL;
		} else {
			q->protocols |= t->protocols;
			q->unix_types |= t->unix_types;
			q->vsock_types |= t->vsock_types;
			q->packet_types |= t->packet_types;
		}
		/* "all" leaves out the most: it wins over "inet". */
		if (!off && t->partial && (!*partial || t->protocols & DIAG_UNIX))
			*partial = t->partial;
		s += n + (s[n] == ',');
	} while (*s);
	return 0;
}

int family_family(const char *name, struct diag_query *q, unsigned *implied,
		  const char **partial, char *err, size_t errlen)
{
	for (size_t i = 0; i < FAMILY_N(family_afs); i++) {
		const struct family_af *a = &family_afs[i];

		if (strcmp(a->name, name) != 0)
			continue;
		if (a->missing) {
			snprintf(err, errlen, "-f %s: %s are not supported yet", a->name,
				 a->missing);
			return -EINVAL;
		}
		q->families |= a->families;
		*implied |= a->protocols;
		if (a->partial && !*partial)
			*partial = a->partial;
		return 0;
	}
	snprintf(err, errlen, "-f takes inet, inet6, unix, link, vsock, netlink, tipc or xdp, "
		 "not '%s'", name);
	return -EINVAL;
}
