/* Container names from the runtimes' state on disk: a small JSON reader and the paths. */
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

#include "listen/addr.h"
#include "listen/array.h"
#include "listen/container.h"
#include "listen/fileio.h"

/* A name already looked up: by container id, or by pod uid for Kubernetes. */
struct container_seen {
	enum unit_kind kind;
	char key[65];
	char name[256]; /* empty: the state did not give one */
};

static const char *ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at an opening quote: the byte after the closing one, or NULL. */
static const char *string_end(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* Past the value at p (any JSON value), or NULL when it is malformed or cut short. Nesting is
 * counted, not recursed into, so depth costs nothing. */
static const char *skip_value(const char *p, const char *e)
{
	size_t depth = 0;

	if (p >= e)
		return NULL;
	if (*p != '"' && *p != '{' && *p != '[') {
		const char *s = p;

		while (p < e && !strchr(",}] \t\r\n", *p))
			p++;
		return p > s ? p : NULL;
	}
	do {
		if (p >= e)
			return NULL;
		if (*p == '"') {
			p = string_end(p, e);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		p++;
	} while (depth);
	return p;
}

static int hex4(const char *p, const char *e, unsigned *v)
{
	*v = 0;
	if (e - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16;

		if (d > 15)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static void put(char *out, size_t size, size_t *o, char c)
{
	if (*o + 1 < size)
		out[(*o)++] = c;
}

static void put_utf8(char *out, size_t size, size_t *o, unsigned cp)
{
	if (cp < 0x80) {
		put(out, size, o, (char)cp);
	} else if (cp < 0x800) {
		put(out, size, o, (char)(0xc0 | cp >> 6));
		put(out, size, o, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put(out, size, o, (char)(0xe0 | cp >> 12));
		put(out, size, o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put(out, size, o, (char)(0x80 | (cp & 0x3f)));
	} else {
		put(out, size, o, (char)(0xf0 | cp >> 18));
		put(out, size, o, (char)(0x80 | ((cp >> 12) & 0x3f)));
		put(out, size, o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put(out, size, o, (char)(0x80 | (cp & 0x3f)));
	}
}

/* The string at p (an opening quote), unescaped into out (cut to size, NUL-terminated).
 * Returns 0, or -EINVAL for a malformed string. */
static int unescape(const char *p, const char *e, char *out, size_t size)
{
	size_t o = 0;

	for (p++; p < e && *p != '"'; p++) {
		unsigned cp, lo;

		if (*p != '\\') {
			put(out, size, &o, *p);
			continue;
		}
		if (++p >= e)
			return -EINVAL;
		switch (*p) {
		case 'b': put(out, size, &o, '\b'); break;
		case 'f': put(out, size, &o, '\f'); break;
		case 'n': put(out, size, &o, '\n'); break;
		case 'r': put(out, size, &o, '\r'); break;
		case 't': put(out, size, &o, '\t'); break;
		case 'u':
			if (hex4(p + 1, e, &cp) < 0)
				return -EINVAL;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && e - p > 6 && p[1] == '\\' &&
			    p[2] == 'u' && hex4(p + 3, e, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd; /* a lone surrogate */
			}
			put_utf8(out, size, &o, cp);
			break;
		default: put(out, size, &o, *p); break; /* \" \\ \/ */
		}
	}
	if (p >= e)
		return -EINVAL;
	if (size)
		out[o] = '\0';
	return 0;
}

/* p at '{': the value of key among the object's members, NULL with *bad set when the object
 * is malformed, NULL alone when the key is absent. */
static const char *member(const char *p, const char *e, const char *key, bool *bad)
{
	char name[256];

	*bad = true;
	p = ws(p + 1, e);
	if (p < e && *p == '}') {
		*bad = false;
		return NULL;
	}
	while (p < e && *p == '"') {
		const char *after = string_end(p, e), *v;

		if (!after || unescape(p, e, name, sizeof(name)) < 0)
			return NULL;
		p = ws(after, e);
		if (p >= e || *p != ':')
			return NULL;
		v = ws(p + 1, e);
		if (strcmp(name, key) == 0) {
			*bad = false;
			return v;
		}
		p = skip_value(v, e);
		if (!p)
			return NULL;
		p = ws(p, e);
		if (p < e && *p == '}') {
			*bad = false;
			return NULL;
		}
		if (p >= e || *p != ',')
			return NULL;
		p = ws(p + 1, e);
	}
	return NULL;
}

int container_json_string(const char *buf, size_t len, const char *key, char *out, size_t size)
{
	const char *e = buf + len, *p = ws(buf, e), *v;
	bool bad;

	if (p >= e || *p != '{')
		return -EINVAL;
	v = member(p, e, key, &bad);
	if (bad)
		return -EINVAL;
	if (!v || v >= e || *v != '"')
		return -ENOENT;
	return unescape(v, e, out, size);
}

int container_json_podman(const char *buf, size_t len, const char *id, char *out, size_t size)
{
	const char *e = buf + len, *p = ws(buf, e);
	char have[80];
	bool bad;

	if (p >= e || *p != '[')
		return -EINVAL;
	p = ws(p + 1, e);
	while (p < e && *p != ']') {
		const char *next = skip_value(p, e), *v;

		if (!next)
			return -EINVAL;
		if (*p == '{' && (v = member(p, e, "id", &bad)) && v < e && *v == '"' &&
		    unescape(v, e, have, sizeof(have)) == 0 && strcmp(have, id) == 0) {
			v = member(p, e, "names", &bad);
			if (!v || v >= e || *v != '[')
				return -ENOENT;
			v = ws(v + 1, e);
			return v < e && *v == '"' ? unescape(v, e, out, size) : -ENOENT;
		}
		p = ws(next, e);
		if (p < e && *p == ',')
			p = ws(p + 1, e);
		else if (p < e && *p != ']')
			return -EINVAL;
	}
	return p < e ? -ENOENT : -EINVAL;
}

void container_cache_init(struct container_cache *c, int root_dirfd)
{
	*c = (struct container_cache){ .root_dirfd = root_dirfd };
}

void container_cache_free(struct container_cache *c)
{
	free(c->podman);
	free(c->seen);
	*c = (struct container_cache){ .root_dirfd = -1 };
}

/* The name in Docker's config.v2.json of container id; "" when there is none. Returns 0, or
 * the error of running short (fileio_exhausted): the name may well be there. */
static int docker_name(struct container_cache *c, const char *id, char *out, size_t size)
{
	char path[160], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "var/lib/docker/containers/%s/config.v2.json", id);
	r = fileio_read_all(c->root_dirfd, path, CONTAINER_MAX_FILE, &buf, &len);
	if (r < 0)
		return fileio_exhausted(r) ? r : 0;
	if (container_json_string(buf, len, "Name", out, size) < 0)
		out[0] = '\0';
	else if (out[0] == '/') /* Docker keeps "/web" for web */
		memmove(out, out + 1, strlen(out));
	free(buf);
	return 0;
}

/* The name in Podman's containers.json (read once) of container id, as docker_name. */
static int podman_name(struct container_cache *c, const char *id, char *out, size_t size)
{
	if (!c->podman_read) {
		int r = fileio_read_all(c->root_dirfd,
					"var/lib/containers/storage/overlay-containers/containers.json",
					CONTAINER_MAX_FILE, &c->podman, &c->podman_len);

		if (fileio_exhausted(r))
			return r;
		c->podman_read = 1;
		if (r < 0)
			c->podman = NULL;
	}
	if (c->podman && container_json_podman(c->podman, c->podman_len, id, out, size) < 0)
		out[0] = '\0';
	return 0;
}

/* The kubelet's log directory of a pod is NAMESPACE_POD_UID; as docker_name. */
static int pod_name(struct container_cache *c, const char *uid, char *out, size_t size)
{
	int fd = openat(c->root_dirfd, "var/log/pods", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;
	size_t ulen = strlen(uid);
	struct dirent *de;
	DIR *dir;

	if (fd < 0)
		return fileio_exhausted(-errno) ? -errno : 0;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return fileio_exhausted(r) ? r : 0;
	}
	for (;;) {
		errno = 0;
		if (!(de = readdir(dir))) {
			r = fileio_exhausted(-errno) ? -errno : 0;
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
		snprintf(out, size, "%s", de->d_name);
		break;
	}
	closedir(dir);
	return r;
}

int container_name(struct container_cache *c, struct unit_owner *u)
{
	const char *key = u->kind == UNIT_KUBERNETES ? u->pod : u->id;
	struct container_seen *s = NULL;

	/* A user's container is not in the system runtime's state: an id found there would be
	 * root's container, named for whoever copied its id. */
	if ((u->kind != UNIT_DOCKER && u->kind != UNIT_PODMAN && u->kind != UNIT_KUBERNETES) ||
	    u->user || u->name[0] || c->root_dirfd < 0 || !key[0])
		return 0;
	for (size_t i = 0; i < c->nseen && !s; i++)
		if (c->seen[i].kind == u->kind && strcmp(c->seen[i].key, key) == 0)
			s = &c->seen[i];
	if (!s) {
		if (array_grow((void **)&c->seen, &c->cap, c->nseen + 1, sizeof(*c->seen)) < 0)
			return -ENOMEM;
		s = &c->seen[c->nseen++];
		s->kind = u->kind;
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->name[0] = '\0';
		int r = u->kind == UNIT_DOCKER ? docker_name(c, key, s->name, sizeof(s->name))
			: u->kind == UNIT_PODMAN ? podman_name(c, key, s->name, sizeof(s->name))
						 : pod_name(c, key, s->name, sizeof(s->name));

		if (r < 0) {
			c->nseen--; /* not looked up after all */
			return r;
		}
	}
	snprintf(u->name, sizeof(u->name), "%s", s->name);
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
