/* Container names from the runtimes' state on disk (JSON read with jansson), and where a
 * docker-proxy forwards. */
#include <dirent.h>
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "listen/addr.h"
#include "listen/array.h"
#include "listen/container.h"
#include "listen/fileio.h"

/* A name already looked up: by container id, or by pod uid for Kubernetes. */
struct container_seen {
	enum unit_kind kind;
	char key[65];
	char *name; /* malloc'd; NULL: the state did not give one */
};

/* The text parsed, or NULL with *err set: -EINVAL for malformed or oversized text, -ENOMEM.
 * Duplicate keys are malformed (which one would the runtime have meant?); integers of any
 * size read as reals, as Go's uint64 fields may exceed jansson's integers; a string may hold
 * \u0000 here, and the name taken from it is refused, not cut (see take_string). */
static json_t *parse(const char *buf, size_t len, int *err)
{
	json_error_t e;
	json_t *root;

	if (len > CONTAINER_MAX_FILE) {
		*err = -EINVAL;
		return NULL;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL |
			  JSON_ALLOW_NUL, &e);
	if (!root)
		*err = json_error_code(&e) == json_error_out_of_memory ? -ENOMEM : -EINVAL;
	return root;
}

/* A copy of string v into *out: 0, -ENOENT when v is not a string, -EINVAL when it holds a
 * NUL (a C string would cut it into another name), -ENOMEM. */
static int take_string(const json_t *v, char **out)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);

	if (!s)
		return -ENOENT;
	if (memchr(s, '\0', n))
		return -EINVAL;
	*out = strndup(s, n);
	return *out ? 0 : -ENOMEM;
}

int container_json_string(const char *buf, size_t len, const char *key, char **out)
{
	int r = 0;
	json_t *root = parse(buf, len, &r);

	*out = NULL;
	if (!root)
		return r;
	r = json_is_object(root) ? take_string(json_object_get(root, key), out) : -EINVAL;
	json_decref(root);
	return r;
}

/* The first of "names" of the element of Podman's list whose "id" is id, as
 * container_json_podman. */
static int podman_find(const json_t *list, const char *id, char **out)
{
	size_t i, idlen = strlen(id);
	json_t *el;

	*out = NULL;
	if (!json_is_array(list))
		return -EINVAL;
	json_array_foreach(list, i, el) {
		const json_t *have = json_object_get(el, "id");

		if (json_is_string(have) && json_string_length(have) == idlen &&
		    memcmp(json_string_value(have), id, idlen) == 0)
			return take_string(json_array_get(json_object_get(el, "names"), 0), out);
	}
	return -ENOENT;
}

int container_json_podman(const char *buf, size_t len, const char *id, char **out)
{
	int r = 0;
	json_t *root = parse(buf, len, &r);

	*out = NULL;
	if (!root)
		return r;
	r = podman_find(root, id, out);
	json_decref(root);
	return r;
}

void container_cache_init(struct container_cache *c, int root_dirfd)
{
	*c = (struct container_cache){ .root_dirfd = root_dirfd };
}

void container_cache_free(struct container_cache *c)
{
	json_decref(c->podman);
	for (size_t i = 0; i < c->nseen; i++)
		free(c->seen[i].name);
	free(c->seen);
	*c = (struct container_cache){ .root_dirfd = -1 };
}

/* Whether a name could not be read for lack of descriptors or memory: an error, where state
 * that is absent or malformed only gives no name. */
static int short_of(int r)
{
	return fileio_exhausted(r) ? r : 0;
}

/* The name in Docker's config.v2.json of container id into *out (malloc'd; NULL when there
 * is none). Returns 0, or the error of running short (fileio_exhausted): the name may well be
 * there. */
static int docker_name(struct container_cache *c, const char *id, char **out)
{
	char path[160], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "var/lib/docker/containers/%s/config.v2.json", id);
	r = fileio_read_all(c->root_dirfd, path, CONTAINER_MAX_FILE, &buf, &len);
	if (r < 0)
		return short_of(r);
	r = container_json_string(buf, len, "Name", out);
	free(buf);
	if (*out && (*out)[0] == '/') /* Docker keeps "/web" for web */
		memmove(*out, *out + 1, strlen(*out));
	return short_of(r);
}

/* The name in Podman's containers.json (read and parsed once) of container id, as
 * docker_name. */
static int podman_name(struct container_cache *c, const char *id, char **out)
{
	int r;

	if (!c->podman_read) {
		char *buf;
		size_t len;

		r = fileio_read_all(c->root_dirfd,
				    "var/lib/containers/storage/overlay-containers/containers.json",
				    CONTAINER_MAX_FILE, &buf, &len);
		if (r == 0) {
			c->podman = parse(buf, len, &r);
			free(buf);
		}
		if (fileio_exhausted(r))
			return r;
		c->podman_read = 1;
	}
	r = c->podman ? podman_find(c->podman, id, out) : 0;
	return short_of(r);
}

/* The kubelet's log directory of a pod is NAMESPACE_POD_UID; as docker_name. */
static int pod_name(struct container_cache *c, const char *uid, char **out)
{
	int fd = openat(c->root_dirfd, "var/log/pods", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;
	size_t ulen = strlen(uid);
	struct dirent *de;
	DIR *dir;

	if (fd < 0)
		return short_of(-errno);
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return short_of(r);
	}
	for (;;) {
		errno = 0;
		if (!(de = readdir(dir))) {
			r = short_of(-errno);
			break;
		}
		size_t n = strlen(de->d_name);
		char *sep;

		if (n <= ulen + 1 || de->d_name[n - ulen - 1] != '_' ||
		    strcmp(de->d_name + n - ulen, uid) != 0)
			continue;
		de->d_name[n - ulen - 1] = '\0';
		sep = strchr(de->d_name, '_');
		if (sep)
			*sep = '/';
		*out = strdup(de->d_name);
		r = *out ? 0 : -ENOMEM;
		break;
	}
	closedir(dir);
	return r;
}

/* The name of the container of kind with key (its id, or a pod's uid) from the runtime's
 * state, as docker_name. */
static int state_name(struct container_cache *c, enum unit_kind kind, const char *key,
		      char **out)
{
	*out = NULL;
	return kind == UNIT_DOCKER   ? docker_name(c, key, out)
	       : kind == UNIT_PODMAN ? podman_name(c, key, out)
				     : pod_name(c, key, out);
}

int container_name(struct container_cache *c, struct unit_owner *u)
{
	const char *key = u->kind == UNIT_KUBERNETES ? u->pod : u->id;
	struct container_seen *s = NULL;

	/* A user's container is not in the system runtime's state: an id found there would be
	 * root's container, named for whoever copied its id. */
	if ((u->kind != UNIT_DOCKER && u->kind != UNIT_PODMAN && u->kind != UNIT_KUBERNETES) ||
	    u->user || u->name || c->root_dirfd < 0 || !key[0])
		return 0;
	for (size_t i = 0; i < c->nseen && !s; i++)
		if (c->seen[i].kind == u->kind && strcmp(c->seen[i].key, key) == 0)
			s = &c->seen[i];
	if (!s) {
		char *name;
		int r = array_grow((void **)&c->seen, &c->cap, c->nseen + 1, sizeof(*c->seen));

		if (r == 0)
			r = state_name(c, u->kind, key, &name);
		if (r < 0)
			return r; /* not looked up after all */
		s = &c->seen[c->nseen++];
		*s = (struct container_seen){ .kind = u->kind, .name = name };
		snprintf(s->key, sizeof(s->key), "%s", key);
	}
	if (s->name && !(u->name = strdup(s->name)))
		return -ENOMEM;
	return 0;
}

/* The value of flag (without dashes) in the words of a command line, or NULL: "-flag v",
 * "--flag v", "-flag=v", "--flag=v". *n gets its length. */
static const char *flag_value(const char *s, const char *e, const char *flag, size_t *n)
{
	size_t flen = strlen(flag);

	for (const char *w = s; w < e;) {
		const char *we = memchr(w, ' ', (size_t)(e - w)), *name = w, *v;

		we = we ? we : e;
		if (we - w > 1 && w[0] == '-') {
			name += w[1] == '-' ? 2 : 1;
			if ((size_t)(we - name) >= flen && memcmp(name, flag, flen) == 0) {
				if (name + flen == we && we < e) {
					v = we + 1;
					const char *ve = memchr(v, ' ', (size_t)(e - v));

					*n = (size_t)((ve ? ve : e) - v);
					return v;
				}
				if (name + flen < we && name[flen] == '=') {
					*n = (size_t)(we - name - flen - 1);
					return name + flen + 1;
				}
			}
		}
		w = we + 1;
	}
	return NULL;
}

int container_proxy_parse(const char *cmdline, size_t len, struct container_proxy *p)
{
	const char *e = cmdline + len, *v;
	unsigned long port = 0;
	size_t n;

	*p = (struct container_proxy){ .protocol = IPPROTO_TCP };
	v = flag_value(cmdline, e, "proto", &n);
	if (v && n == 3 && memcmp(v, "udp", 3) == 0)
		p->protocol = IPPROTO_UDP;
	else if (v && !(n == 3 && memcmp(v, "tcp", 3) == 0))
		return -ENOENT; /* sctp: not a socket listen shows */
	v = flag_value(cmdline, e, "container-ip", &n);
	if (!v || !addr_parse(v, n, &p->family, p->addr))
		return -ENOENT;
	v = flag_value(cmdline, e, "container-port", &n);
	if (!v || n == 0 || n > 5)
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -ENOENT;
		port = port * 10 + (unsigned long)(v[i] - '0');
	}
	if (port == 0 || port > 65535)
		return -ENOENT;
	p->port = (uint16_t)port;
	return 0;
}
