/* What a cgroup path says a process belongs to: a systemd unit, or a container. */
#ifndef LISTEN_UNIT_H
#define LISTEN_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;

/*
 * A user's manager (user@UID.service) delegates its subtree to the user, who can make any
 * cgroup in it: below one, a path that looks like a container is the user's claim. So there
 * only rootless Podman is recognised, as the user's container (user set); everything else is
 * the user's unit (UNIT_USER): "docker-ID.scope (user unit, uid 65534)", never a container.
 */
enum unit_kind {
	UNIT_NONE,       /* nothing recognised (the root, a bare cgroupfs path) */
	UNIT_SYSTEM,     /* a unit of the system manager: "nginx.service", "session-3.scope" */
	UNIT_USER,       /* a unit of a user's manager (user@UID.service): user and uid set */
	UNIT_DOCKER,     /* docker-ID.scope, /docker/ID */
	UNIT_PODMAN,     /* libpod-ID.scope, /libpod_parent/libpod-ID; below a user's manager
			  * too (rootless), with user and uid set */
	UNIT_KUBERNETES, /* kubepods.../pod<UID>/<runtime>-ID: pod and id set */
	UNIT_LXC,        /* lxc.payload.NAME, /lxc/NAME */
	UNIT_NSPAWN,     /* machine-NAME.scope under machine.slice (systemd-nspawn, machinectl) */
};

/* Container ids are 64 hex digits, pod uids at most 64 characters; names are any length.
 * Release with unit_owner_free. */
struct unit_owner {
	enum unit_kind kind;
	bool user;       /* below a user's manager: a user unit, or a container the user runs */
	uint32_t uid;    /* with user: the UID of user@UID.service */
	char *name;      /* malloc'd: the unit, or the container's name (LXC, nspawn; Docker
			  * and Podman when their state gives it, see container.h), or for
			  * Kubernetes the pod's "NAMESPACE/NAME"; NULL when none is known;
			  * untrusted bytes */
	char id[65];     /* the container id (Docker, Podman, Kubernetes) */
	char pod[65];    /* the pod uid (Kubernetes), dashes restored */
};

/* Recognise the unit or container of a cgroup path ("/system.slice/nginx.service") into *u
 * (overwritten: free it first). A container wins over the scope unit that holds it; below a
 * user's manager (the first user@UID.service of the path), only a Podman container is one,
 * the user's. Returns 0, or -ENOMEM (then u->kind is set and u->name NULL). */
int unit_parse(const char *path, size_t len, struct unit_owner *u);

/* Free u->name; u stays valid, with no name. */
void unit_owner_free(struct unit_owner *u);

/* One line for people: "nginx.service", "app.service (user unit, uid 1000)", "docker
 * 3f2a1b4c5d6e" (ids shortened to 12), "docker web (3f2a1b4c5d6e)" with a name,
 * "podman 3f2a1b4c5d6e (user container, uid 1000)" for a user's (rootless) container,
 * "kubernetes pod default/web-0 container 3f2a1b4c5d6e" (the pod uid without a name),
 * "lxc web", "nspawn build1", appended to b; nothing for UNIT_NONE. Untrusted bytes: escape
 * before printing. */
void unit_text(struct sbuf *b, const struct unit_owner *u);

/* "unit" for systemd units, "container" for the rest (and UNIT_NONE). */
const char *unit_label(const struct unit_owner *u);

#endif
