/* Socket activation: systemd's .socket unit files, read from disk, matched to listeners. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/activation.h"
#include "listen/addr.h"
#include "listen/array.h"
#include "listen/fileio.h"
#include "listen/procfs.h"
#include "listen/sock.h"

/* Unit files are small; a larger one is not a unit file. */
#define ACT_MAX_FILE (1u << 20)

static const char *trim(const char *s, const char *e, const char **end)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*end = e;
	return s;
}

/* "22", "0.0.0.0:22", "127.0.0.1:631", "[::]:22", "[fe80::1%eth0]:22" into l; false for
 * what is not an IP address with a port (paths, "@abstract", "vsock:...", bad numbers). */
static bool parse_address(const char *s, size_t n, struct act_listen *l)
{
	const char *colon, *port;
	unsigned long v = 0;

	if (n == 0)
		return false;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close || close + 1 >= s + n || close[1] != ':')
			return false;
		const char *pct = memchr(s + 1, '%', (size_t)(close - s - 1));
		const char *host_end = pct ? pct : close;

		if (!addr_parse(s + 1, (size_t)(host_end - s - 1), &l->family, l->addr) ||
		    l->family != AF_INET6)
			return false;
		port = close + 2;
	} else if ((colon = memchr(s, ':', n))) {
		if (!addr_parse(s, (size_t)(colon - s), &l->family, l->addr) ||
		    l->family != AF_INET)
			return false;
		port = colon + 1;
	} else {
		l->family = 0;
		port = s;
	}
	if (port >= s + n)
		return false;
	for (const char *p = port; p < s + n; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 65535)
			return false;
	}
	if (v == 0)
		return false;
	l->port = (uint16_t)v;
	return true;
}

/*
 * A unix socket's address in a unit file into l: "/path", "@abstract", or "%t/path" below the
 * manager's runtime directory; "%%" is a "%". Returns 1 when kept, 0 when it is not a unix
 * socket or holds a specifier this reading cannot resolve (the instance, the host...),
 * -ENOMEM.
 */
static int parse_unix(const char *s, size_t n, struct act_listen *l)
{
	char *path;
	size_t k = 0;

	if (n >= 2 && s[0] == '%' && s[1] == 't') {
		l->runtime = true;
		s += 2;
		n -= 2;
		if (n == 0 || s[0] != '/')
			return 0;
	} else if (n < 2 || (s[0] != '/' && s[0] != '@')) {
		return 0;
	}
	if (!(path = malloc(n + 1)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && (i + 1 == n || s[i + 1] != '%')) {
			free(path);
			return 0;
		}
		path[k++] = s[i];
		i += s[i] == '%'; /* "%%" */
	}
	path[k] = '\0';
	l->path = path;
	return 1;
}

static void clear_listens(struct act_unit *u)
{
	for (size_t i = 0; i < u->nlistens; i++)
		free(u->listens[i].path);
	u->nlistens = 0;
}

static int set_str(char **dst, const char *s, size_t n)
{
	char *c = strndup(s, n);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

int act_parse(struct act_unit *u, const char *buf, size_t len)
{
	const char *end = buf + len;
	bool in_socket = false;

	for (const char *line = buf; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *le = nl ? nl : end, *ke, *v, *ve;
		const char *k = trim(line, le, &ke), *eq;

		line = nl ? nl + 1 : end;
		/* Unit files are text: a line with a NUL in it is not a setting. */
		if (k == ke || *k == '#' || *k == ';' || memchr(k, '\0', (size_t)(ke - k)))
			continue;
		if (*k == '[') {
			in_socket = (size_t)(ke - k) == 8 && memcmp(k, "[Socket]", 8) == 0;
			continue;
		}
		eq = memchr(k, '=', (size_t)(ke - k));
		if (!in_socket || !eq)
			continue;
		v = trim(eq + 1, ke, &ve);
		const char *kk = trim(k, eq, &ke);
		size_t klen = (size_t)(ke - kk), vlen = (size_t)(ve - v);
		uint8_t type = 0;

		if (klen == 12 && memcmp(kk, "ListenStream", 12) == 0)
			type = SOCK_STREAM;
		else if (klen == 14 && memcmp(kk, "ListenDatagram", 14) == 0)
			type = SOCK_DGRAM;
		else if (klen == 22 && memcmp(kk, "ListenSequentialPacket", 22) == 0)
			type = SOCK_SEQPACKET;
		if (type && vlen == 0) {
			/* An empty assignment to any of them resets every listen before it. */
			clear_listens(u);
		} else if (type) {
			struct act_listen l = { .type = type };
			int kept = parse_unix(v, vlen, &l);

			if (kept < 0)
				return kept;
			if (!kept && type != SOCK_SEQPACKET && parse_address(v, vlen, &l))
				l.protocol = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
			else if (!kept)
				continue;
			if (array_grow((void **)&u->listens, &u->cap, u->nlistens + 1,
				       sizeof(*u->listens)) < 0) {
				free(l.path);
				return -ENOMEM;
			}
			u->listens[u->nlistens++] = l;
		} else if (klen == 7 && memcmp(kk, "Service", 7) == 0) {
			if (vlen && set_str(&u->service, v, vlen) < 0)
				return -ENOMEM;
		} else if (klen == 6 && memcmp(kk, "Accept", 6) == 0) {
			u->accept = (vlen == 3 && memcmp(v, "yes", 3) == 0) ||
				    (vlen == 4 && memcmp(v, "true", 4) == 0) ||
				    (vlen == 1 && (*v == '1' || *v == 'y')) ||
				    (vlen == 2 && memcmp(v, "on", 2) == 0);
		}
	}
	return 0;
}

int act_finish(struct act_unit *u)
{
	size_t n = strlen(u->name);

	if (u->service)
		return 0;
	if (n > 7 && strcmp(u->name + n - 7, ".socket") == 0)
		n -= 7;
	if (n > INT_MAX || asprintf(&u->service, "%.*s%s.service", (int)n, u->name,
				    u->accept ? "@" : "") < 0) {
		u->service = NULL;
		return -ENOMEM;
	}
	return 0;
}

static const char *const system_dirs[] = {
	"etc/systemd/system", "run/systemd/system", "usr/local/lib/systemd/system",
	"usr/lib/systemd/system", "lib/systemd/system", NULL,
};
static const char *const user_dirs[] = {
	"etc/systemd/user", "run/systemd/user", "usr/local/lib/systemd/user",
	"usr/lib/systemd/user", "lib/systemd/user", NULL,
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file names in dir (below root) ending in suffix, sorted; *n of them in *out. */
static int list_dir(int root, const char *dir, const char *suffix, char ***out, size_t *n)
{
	int fd = openat(root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t cap = 0, slen = strlen(suffix);
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*n = 0;
	if (fd < 0)
		return fileio_exhausted(-errno) ? -errno : 0; /* no such directory */
	d = fdopendir(fd);
	if (!d) {
		int r = -errno;

		close(fd);
		return fileio_exhausted(r) ? r : 0;
	}
	for (;;) {
		errno = 0;
		if (!(de = readdir(d))) {
			if (fileio_exhausted(-errno)) {
				int r = -errno;

				closedir(d);
				return r;
			}
			break;
		}
		size_t len = strlen(de->d_name);

		if (len <= slen || strcmp(de->d_name + len - slen, suffix) != 0 ||
		    de->d_type == DT_DIR)
			continue;
		if (array_grow((void **)out, &cap, *n + 1, sizeof(**out)) < 0 ||
		    !((*out)[*n] = strdup(de->d_name))) {
			closedir(d);
			return -ENOMEM;
		}
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), str_cmp);
	return 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Read and apply the file at dir/name below root; a file that cannot be read adds nothing,
 * but running short of descriptors or memory is an error. */
static int apply_file(struct act_unit *u, int root, const char *dir, const char *name)
{
	char *path, *buf;
	size_t len;
	int r;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	r = fileio_read_all(root, path, ACT_MAX_FILE, &buf, &len);
	free(path);
	if (fileio_exhausted(r))
		return r;
	if (r < 0)
		return 0;
	r = act_parse(u, buf, len);
	free(buf);
	return r;
}

/* The drop-ins of u from every directory: ordered by file name, an earlier directory's file
 * hiding a later one's of the same name. */
static int apply_dropins(struct act_unit *u, int root, const char *const *dirs)
{
	char *sub;
	int r = 0;

	/* The names in all directories, merged: each name applied once, from the first
	 * directory that has it, in name order. */
	char **names[8] = { 0 };
	size_t counts[8] = { 0 }, pos[8] = { 0 }, ndirs = 0;

	for (; dirs[ndirs] && ndirs < 8 && r == 0; ndirs++) {
		if (asprintf(&sub, "%s/%s.d", dirs[ndirs], u->name) < 0) {
			r = -ENOMEM;
			break;
		}
		r = list_dir(root, sub, ".conf", &names[ndirs], &counts[ndirs]);
		free(sub);
	}
	while (r == 0) {
		const char *least = NULL;
		size_t from = 0;

		for (size_t d = 0; d < ndirs; d++)
			if (pos[d] < counts[d] && (!least || strcmp(names[d][pos[d]], least) < 0)) {
				least = names[d][pos[d]];
				from = d;
			}
		if (!least)
			break;
		if (asprintf(&sub, "%s/%s.d", dirs[from], u->name) < 0) {
			r = -ENOMEM;
			break;
		}
		r = apply_file(u, root, sub, least);
		free(sub);
		for (size_t d = 0; d < ndirs; d++) /* the same name elsewhere is hidden */
			if (d != from && pos[d] < counts[d] && strcmp(names[d][pos[d]], least) == 0)
				pos[d]++;
		pos[from]++;
	}
	for (size_t d = 0; d < ndirs; d++)
		free_list(names[d], counts[d]);
	return r;
}

static bool known(const struct act_db *db, const char *name, bool user)
{
	for (size_t i = 0; i < db->len; i++)
		if (db->v[i].user == user && strcmp(db->v[i].name, name) == 0)
			return true;
	return false;
}

static int load_dirs(struct act_db *db, int root, const char *const *dirs, bool user)
{
	int r = 0;

	for (size_t d = 0; dirs[d] && r == 0; d++) {
		char **names;
		size_t n;

		r = list_dir(root, dirs[d], ".socket", &names, &n);
		for (size_t i = 0; i < n && r == 0; i++) {
			if (known(db, names[i], user))
				continue;
			if (array_grow((void **)&db->v, &db->cap, db->len + 1,
				       sizeof(*db->v)) < 0) {
				r = -ENOMEM;
				break;
			}
			struct act_unit *u = &db->v[db->len++];
			char *path;
			struct stat st;

			*u = (struct act_unit){ .user = user, .name = strdup(names[i]) };
			if (!u->name ||
			    asprintf(&path, "run/systemd/units/invocation:%s", names[i]) < 0) {
				r = -ENOMEM;
				break;
			}
			u->active = !user && fstatat(root, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
			free(path);
			r = apply_file(u, root, dirs[d], names[i]);
			if (r == 0)
				r = apply_dropins(u, root, dirs);
			if (r == 0)
				r = act_finish(u);
		}
		free_list(names, n);
	}
	return r;
}

int act_load(struct act_db *db, int root_dirfd)
{
	int r;

	*db = (struct act_db){ 0 };
	r = load_dirs(db, root_dirfd, system_dirs, false);
	if (r == 0)
		r = load_dirs(db, root_dirfd, user_dirs, true);
	return r;
}

void act_unit_free(struct act_unit *u)
{
	clear_listens(u);
	free(u->name);
	free(u->service);
	free(u->listens);
}

void act_db_free(struct act_db *db)
{
	for (size_t i = 0; i < db->len; i++)
		act_unit_free(&db->v[i]);
	free(db->v);
	*db = (struct act_db){ 0 };
}

/* Whether a unix socket's name is l's path: "@" and the name for an abstract one; below the
 * runtime directory of the manager (user: /run/user/UID) when l says %t. */
static bool unix_name_is(const struct act_listen *l, const struct lsock *sk, bool user,
			 uint32_t uid)
{
	const char *name = sk->un.name;
	size_t len = sk->un.name_len, plen = strlen(l->path);
	char dir[32];
	int dlen = 0;

	if (!(sk->un.flags & LSOCK_UNIX_NAME) || len == 0)
		return false;
	if (name[0] == '\0')
		return l->path[0] == '@' && !l->runtime && len == plen &&
		       memcmp(name + 1, l->path + 1, len - 1) == 0;
	if (l->runtime) {
		dlen = user ? snprintf(dir, sizeof(dir), "/run/user/%u", uid)
			    : snprintf(dir, sizeof(dir), "/run");
		if (len < (size_t)dlen || memcmp(name, dir, (size_t)dlen) != 0)
			return false;
	}
	return len - (size_t)dlen == plen && memcmp(name + dlen, l->path, plen) == 0;
}

static bool listens_on(const struct act_listen *l, const struct lsock *sk, bool user,
		       uint32_t uid)
{
	if (sk->family == AF_UNIX)
		return l->path && l->type == sk->type && unix_name_is(l, sk, user, uid);
	if (l->path || l->protocol != sk->protocol || l->port != sk->lport)
		return false;
	if (l->family == 0)
		return true;
	return l->family == sk->family &&
	       memcmp(l->addr, sk->laddr, sk->family == AF_INET ? 4 : 16) == 0;
}

const struct act_unit *act_find(const struct act_db *db, const struct lsock *sk, bool user,
				uint32_t uid)
{
	const struct act_unit *best = NULL;

	for (size_t i = 0; i < db->len; i++) {
		const struct act_unit *u = &db->v[i];

		if (u->user != user || (best && (best->active || !u->active)))
			continue;
		for (size_t j = 0; j < u->nlistens; j++) {
			if (listens_on(&u->listens[j], sk, user, uid)) {
				best = u;
				break;
			}
		}
	}
	return best;
}

bool act_is_manager(const struct procfs_proc *p, const struct unit_owner *u)
{
	if (!p->name || strcmp(p->name, "systemd") != 0)
		return false;
	return p->pid == 1 ||
	       (u->kind == UNIT_USER && u->name && strcmp(u->name, "init.scope") == 0);
}
