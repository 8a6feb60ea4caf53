/*
 * Socket activation: a listener held by a service manager (systemd as PID 1, or a user's
 * systemd --user) belongs to a .socket unit and the service it starts. Which unit is read from
 * the unit files on disk (ListenStream=, ListenDatagram=, Service=, Accept=, drop-ins), without
 * asking the manager; units the manager started are preferred (/run/systemd/units).
 */
#ifndef LISTEN_ACTIVATION_H
#define LISTEN_ACTIVATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "listen/unit.h"

struct lsock;
struct procfs_proc;

/* One ListenStream=, ListenDatagram= or ListenSequentialPacket= with a port or a unix socket's
 * path or abstract name (netlink, vsock, FIFOs and the rest are not kept). */
struct act_listen {
	uint8_t protocol; /* IPPROTO_TCP or IPPROTO_UDP for a port; 0 for a unix socket */
	uint8_t type;     /* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET: the setting's kind */
	uint8_t family;   /* AF_INET, AF_INET6, or 0 for a bare port (every address) */
	bool runtime;     /* path is below the manager's runtime directory (%t) */
	uint16_t port;
	unsigned char addr[16];
	char *path;       /* a unix socket's: "/run/x.sock", the rest after %t, or "@name" */
};

struct act_unit {
	char *name;    /* "ssh.socket" */
	char *service; /* what it starts: Service=, else NAME.service or NAME@.service */
	bool user;     /* a unit of a user manager */
	bool active;   /* the manager started it (its invocation id is published) */
	struct act_listen *listens;
	size_t nlistens, cap;
	bool accept;   /* Accept=yes: one service instance per connection */
};

struct act_db {
	struct act_unit *v;
	size_t len, cap;
};

/*
 * Apply the [Socket] settings of one unit file (or drop-in) text to u: listens are added, an
 * empty ListenStream= or ListenDatagram= clears those before it, Service= and Accept= are
 * kept. Anything else is skipped. u->service is not derived here (act_finish does).
 * Returns 0 or -ENOMEM.
 */
int act_parse(struct act_unit *u, const char *buf, size_t len);

/* Derive u->service when no Service= gave it. Returns 0 or -ENOMEM. */
int act_finish(struct act_unit *u);

/* Free what u holds (its name, service and listens), not u itself. */
void act_unit_free(struct act_unit *u);

/*
 * Read every *.socket unit of the system manager and of user managers from the unit
 * directories below root_dirfd (etc, run, usr/local/lib, usr/lib, lib; a name in an earlier
 * one hides the same name in later ones), with their drop-ins. Returns 0, or -EMFILE, -ENFILE
 * or -ENOMEM when listen ran short (fileio_exhausted); missing directories are not errors.
 * Release with act_db_free.
 */
int act_load(struct act_db *db, int root_dirfd);
void act_db_free(struct act_db *db);

/* The socket unit that listens where sk does (protocol, port, and its address unless the
 * unit gives only a port; for a unix socket its type and its path or abstract name), of the
 * user managers (user) or the system's; units the manager started first. uid is the
 * manager's: a user manager's runtime directory (%t) is /run/user/UID, the system's /run.
 * NULL when none does. */
const struct act_unit *act_find(const struct act_db *db, const struct lsock *sk, bool user,
				uint32_t uid);

/* Whether p (with its cgroup's unit u) is a service manager: PID 1 named systemd, or a
 * systemd in a user manager's init.scope. */
bool act_is_manager(const struct procfs_proc *p, const struct unit_owner *u);

#endif
