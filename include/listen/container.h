/*
 * Container names from the runtimes' state on disk, read only if present and never by asking
 * a daemon: Docker's config.v2.json, Podman's containers.json, the pod directories the kubelet
 * keeps under /var/log/pods. Every file read here is untrusted bytes.
 */
#ifndef LISTEN_CONTAINER_H
#define LISTEN_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "listen/unit.h"

/* Files larger than this are not read: a runtime's state is far smaller. */
#define CONTAINER_MAX_FILE (64u << 20)

/*
 * The string value of key in the object at the top level of the JSON text buf (at most
 * CONTAINER_MAX_FILE bytes), into *out: malloc'd, \uXXXX decoded to UTF-8 (surrogate pairs
 * joined); NULL unless 0 is returned. Returns 0, -ENOENT when the key is absent or its value
 * not a string, -EINVAL when buf is not one well-formed JSON object (also: invalid UTF-8, a
 * lone surrogate, a key given twice, a number past a double's range, nesting deeper than
 * jansson's 2048 levels, more than CONTAINER_MAX_FILE bytes) or the value holds \u0000 (a C
 * string would cut it into another name), or -ENOMEM.
 */
int container_json_string(const char *buf, size_t len, const char *key, char **out);

/*
 * The first of "names" of the element of the JSON array buf (Podman's containers.json) whose
 * "id" is id, as container_json_string: -ENOENT when no element has that id or it has no
 * such name, -EINVAL for text that is not such an array.
 */
int container_json_podman(const char *buf, size_t len, const char *id, char **out);

struct json_t;

/* Runtime state already read, so each file is read once per run. */
struct container_cache {
	int root_dirfd;   /* the directory holding var/lib/... (normally "/"), or -1 */
	struct json_t *podman; /* containers.json parsed, at the first Podman container; NULL
				* if absent or malformed */
	int podman_read;  /* 0 not yet, 1 read (or tried) */
	struct container_seen *seen;
	size_t nseen, cap;
};

/* A cache reading below root_dirfd (kept open by the caller; -1: read nothing). */
void container_cache_init(struct container_cache *c, int root_dirfd);
void container_cache_free(struct container_cache *c);

/*
 * Set u->name (malloc'd, see unit_owner_free) for a Docker, Podman or Kubernetes container
 * from the runtime's state (for Kubernetes "NAMESPACE/POD", the pod's), when the state gives
 * it; other kinds, names already known and a user's (rootless) containers (u->user: the
 * system's state does not hold them)
 * are left alone. Returns 0, or -EMFILE, -ENFILE or -ENOMEM when listen ran short
 * (fileio_exhausted); a name not found is not an error.
 */
int container_name(struct container_cache *c, struct unit_owner *u);

/* Where a docker-proxy forwards: its -container-ip and -container-port. */
struct container_proxy {
	uint8_t protocol; /* IPPROTO_TCP or IPPROTO_UDP (-proto; tcp when not given) */
	uint8_t family;   /* AF_INET or AF_INET6 */
	uint16_t port;
	unsigned char addr[16];
};

/*
 * Parse a docker-proxy command line (arguments joined by spaces, see procfs_join_cmdline):
 * "-proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80",
 * flags with one or two dashes, values after a space or '='. Returns 0, or -ENOENT when the
 * target address or port is missing or not valid.
 */
int container_proxy_parse(const char *cmdline, size_t len, struct container_proxy *p);

#endif
