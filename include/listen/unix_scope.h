/*
 * Who may connect to a unix socket (its scope, as an inet socket's is where its address can be
 * reached from), and what well-known unix sockets are: the built-in notes (docker.sock is root
 * for whoever connects; the D-Bus system bus is world-writable by design). Pure.
 */
#ifndef LISTEN_UNIX_SCOPE_H
#define LISTEN_UNIX_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "listen/services.h"

struct lsock;
struct sbuf;
struct unixfile;

enum unix_scope {
	UNIX_SCOPE_NONE,      /* unbound, or its file not looked at: nothing to say */
	UNIX_SCOPE_ABSTRACT,  /* an abstract name: no permissions, any process in its netns */
	UNIX_SCOPE_WORLD,     /* the file writable, and its path searchable, by any user */
	UNIX_SCOPE_GROUP,     /* by the members of the file's group */
	UNIX_SCOPE_OWNER,     /* by the file's owner only */
	UNIX_SCOPE_ROOT,      /* by no one but root: the file's mode or a directory denies it */
	UNIX_SCOPE_UNCHECKED, /* the file could not be checked: unixfile.status says why */
};

/* The scope of unix socket sk whose file is f (unixfile.h; NULL: not looked at). */
enum unix_scope unix_scope_of(const struct lsock *sk, const struct unixfile *f);

/* Whether any user (abstract: any process of its netns) may connect. */
bool unix_scope_open(enum unix_scope s);

/* One word for JSON: "abstract", "world", "group", "owner", "root", "unchecked"; NULL for
 * UNIX_SCOPE_NONE. */
const char *unix_scope_key(enum unix_scope s);

/* Append the Scope column's text: "abstract: any process in netns" ("... in netns web" with a
 * label), "world-writable", "group docker", "owner only", "not reachable", "not checked: file
 * replaced, or in another mount namespace"...; " (mount ns of pid 812)" when the file was
 * found through a holder's root. Escaped. */
void unix_scope_text(struct sbuf *b, enum unix_scope s, const struct unixfile *f,
		     const char *netns);

/* Why a file could not be checked, for the Scope column and JSON ("permission denied",
 * "file replaced, or in another mount namespace"); NULL when it was. */
void unix_scope_why(struct sbuf *b, const struct unixfile *f);

/* A well-known unix socket: a path pattern ("/run/docker.sock", "/tmp/.X11-unix/X*") or an
 * abstract one ("@/tmp/.X11-unix/X*"), what it is, and its risk when any user may connect to
 * it held by a privileged process. */
struct unix_note {
	const char *pattern;
	struct svc_info info; /* name, desc, risk, note; lo, hi, protocols 0 */
	bool expected;        /* open to every user by design (the D-Bus system bus, journald):
			       * not a finding for that */
};

/* The built-in notes, in the order they are tried (the first match wins); *n their count. */
const struct unix_note *unix_note_builtin(size_t *n);

/* The note of unix socket sk, by its name, or NULL. */
const struct unix_note *unix_note_find(const struct lsock *sk);

/* Whether gid's group name is one whose members are root in effect (docker, lxd, incus-admin,
 * libvirt, disk, root...). */
bool unix_group_root_equivalent(const char *group);

#endif
