/*
 * Units and containers from cgroup paths. The layouts recognised are those systemd and the
 * container runtimes create, with the systemd and the cgroupfs drivers:
 *   /system.slice/nginx.service                       system unit
 *   /user.slice/user-1000.slice/user@1000.service/app.slice/foo.service   user unit
 *   /system.slice/docker-ID.scope, /docker/ID         Docker
 *   /machine.slice/libpod-ID.scope[/container], /libpod_parent/libpod-ID   Podman
 *   /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID.slice/
 *     cri-containerd-ID.scope
 *   /kubepods/besteffort/podUID/ID                    Kubernetes (containerd, CRI-O, Docker)
 *   /lxc.payload.NAME, /lxc/NAME                      LXC
 *   /machine.slice/machine-NAME.scope                 systemd-nspawn
 * Below a user's manager the user makes the cgroups: only rootless Podman is a container
 * there (the user's), anything else that looks like one is the user's unit:
 *   /user.slice/user-1000.slice/user@1000.service/user.slice/libpod-ID.scope   Podman, user's
 *   /user.slice/user-1000.slice/user@1000.service/app.slice/docker-ID.scope    user unit
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/sbuf.h"
#include "listen/unit.h"

struct comp {
	const char *s;
	size_t len;
};

static bool has_prefix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.len >= n && memcmp(c.s, p, n) == 0;
}

static bool has_suffix(struct comp c, const char *x)
{
	size_t n = strlen(x);

	return c.len >= n && memcmp(c.s + c.len - n, x, n) == 0;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return n > 0;
}

/* A container id: 64 hex digits, alone or between prefix and suffix. */
static bool take_id(struct comp c, const char *prefix, const char *suffix, char id[65])
{
	size_t p = strlen(prefix), x = strlen(suffix);

	if (c.len != p + 64 + x || !has_prefix(c, prefix) || !has_suffix(c, suffix) ||
	    !is_hex(c.s + p, 64))
		return false;
	memcpy(id, c.s + p, 64);
	id[64] = '\0';
	return true;
}

/* u->name as a copy of the n bytes at s: 0 or -ENOMEM. */
static int copy(struct unit_owner *u, const char *s, size_t n)
{
	u->name = strndup(s, n);
	return u->name ? 0 : -ENOMEM;
}

/* u->name as a systemd unit name part with its \xNN escapes decoded ("my\x2dvm" is "my-vm"),
 * but for \x00, which stays as it is: it would end the name early. 0 or -ENOMEM. */
static int copy_unescaped(struct unit_owner *u, const char *s, size_t n)
{
	size_t o = 0;

	if (!(u->name = malloc(n + 1)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;

		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && is_hex(s + i + 2, 2) &&
		    sscanf(s + i + 2, "%2x", &v) == 1 && v) {
			u->name[o++] = (char)v;
			i += 3;
		} else {
			u->name[o++] = s[i];
		}
	}
	u->name[o] = '\0';
	return 0;
}

static bool is_unit(struct comp c)
{
	static const char *const suffixes[] = { ".service", ".scope", ".socket", ".mount",
						".swap", ".timer", NULL };

	for (const char *const *x = suffixes; *x; x++)
		if (c.len > strlen(*x) && has_suffix(c, *x))
			return true;
	return false;
}

/* "pod<uid>" or "kubepods-<class>-pod<uid>.slice" (systemd driver: '_' for '-'). */
static bool take_pod(struct comp c, char pod[65])
{
	const char *p = NULL;
	size_t n;

	for (size_t i = 0; i + 3 <= c.len; i++)
		if (memcmp(c.s + i, "pod", 3) == 0 && (i == 0 || c.s[i - 1] == '-'))
			p = c.s + i + 3;
	if (!p)
		return false;
	n = (size_t)(c.s + c.len - p);
	if (has_suffix(c, ".slice"))
		n -= 6;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i] == '_' ? '-' : p[i];

		if (!is_hex(&ch, 1) && ch != '-')
			return false;
		pod[i] = ch;
	}
	pod[n] = '\0';
	return true;
}

/* "user@UID.service", a user's manager: its UID. */
static bool user_manager(struct comp c, uint32_t *uid)
{
	uint64_t v = 0;

	/* "user@" and ".service" around 1 to 10 digits. */
	if (c.len <= 13 || c.len > 23 || !has_prefix(c, "user@") || !has_suffix(c, ".service"))
		return false;
	for (size_t i = 0; i < c.len - 13; i++) {
		char ch = c.s[5 + i];

		if (ch < '0' || ch > '9')
			return false;
		v = v * 10 + (uint64_t)(ch - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*uid = (uint32_t)v;
	return true;
}

/* How many components a path has, at most: one more than its slashes. */
static size_t count_components(const char *path, size_t len)
{
	size_t max = 1;

	for (size_t i = 0; i < len; i++)
		max += path[i] == '/';
	return max;
}

/* The path's non-empty components into c (room for count_components); returns how many. */
static size_t split_path(const char *path, size_t len, struct comp *c)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && path[j] != '/')
			j++;
		if (j > i)
			c[n++] = (struct comp){ path + i, j - i };
		i = j + 1;
	}
	return n;
}

/* A Kubernetes container below the pod component c[i] (kubepods...): its runtime's scope. */
static bool kube_container(const struct comp *c, size_t n, size_t i, struct unit_owner *u)
{
	if (!take_pod(c[i], u->pod))
		return false;
	for (size_t j = i + 1; j < n; j++) {
		if (take_id(c[j], "cri-containerd-", ".scope", u->id) ||
		    take_id(c[j], "crio-", ".scope", u->id) ||
		    take_id(c[j], "docker-", ".scope", u->id) || take_id(c[j], "", "", u->id)) {
			u->kind = UNIT_KUBERNETES;
			return true;
		}
	}
	u->pod[0] = '\0';
	return false;
}

/* The container component c[i] names, if any (kube: below kubepods): 1 and u filled, 0, or
 * -ENOMEM. */
static int container_at(const struct comp *c, size_t n, size_t i, bool kube,
			struct unit_owner *u)
{
	struct comp k = c[i];
	bool next_is_id = i + 1 < n;

	if (kube && kube_container(c, n, i, u))
		return 1;
	if (take_id(k, "docker-", ".scope", u->id) ||
	    (next_is_id && k.len == 6 && has_prefix(k, "docker") &&
	     take_id(c[i + 1], "", "", u->id))) {
		u->kind = UNIT_DOCKER;
		return 1;
	}
	if (take_id(k, "libpod-", ".scope", u->id) || take_id(k, "libpod-", "", u->id)) {
		u->kind = UNIT_PODMAN;
		return 1;
	}
	if (has_prefix(k, "lxc.payload.") && k.len > 12) {
		u->kind = UNIT_LXC;
		return copy(u, k.s + 12, k.len - 12) < 0 ? -ENOMEM : 1;
	}
	if (next_is_id && k.len == 3 && has_prefix(k, "lxc")) {
		u->kind = UNIT_LXC;
		return copy(u, c[i + 1].s, c[i + 1].len) < 0 ? -ENOMEM : 1;
	}
	if (has_prefix(k, "machine-") && has_suffix(k, ".scope") && k.len > 14 && i > 0 &&
	    c[i - 1].len == 13 && has_prefix(c[i - 1], "machine.slice")) {
		u->kind = UNIT_NSPAWN;
		return copy_unescaped(u, k.s + 8, k.len - 14) < 0 ? -ENOMEM : 1;
	}
	return 0;
}

/* The innermost unit of c[0..n); below the user manager at user_at (SIZE_MAX: none), a unit of
 * that user's. Returns 0 or -ENOMEM. */
static int innermost_unit(const struct comp *c, size_t n, size_t user_at, uint32_t uid,
			  struct unit_owner *u)
{
	for (size_t i = n; i-- > 0;) {
		if (!is_unit(c[i]))
			continue;
		u->kind = UNIT_SYSTEM;
		if (user_at != SIZE_MAX && i > user_at) {
			u->kind = UNIT_USER;
			u->user = true;
			u->uid = uid;
		}
		return copy(u, c[i].s, c[i].len);
	}
	return 0;
}

/* What a path's components say, for unit_parse: 0 or -ENOMEM. */
static int parse_components(const struct comp *c, size_t n, struct unit_owner *u)
{
	size_t user_at = SIZE_MAX;
	uint32_t uid = 0;
	bool kube = false;

	for (size_t i = 0; i < n; i++) {
		/* The first user manager: the user can make cgroups only below it, so one named
		 * user@0.service further down is the user's too. */
		if (user_at == SIZE_MAX && user_manager(c[i], &uid)) {
			user_at = i;
			continue;
		}
		if (user_at != SIZE_MAX) {
			if (take_id(c[i], "libpod-", ".scope", u->id) ||
			    take_id(c[i], "libpod-", "", u->id)) {
				u->kind = UNIT_PODMAN;
				u->user = true;
				u->uid = uid;
				return 0;
			}
			continue; /* no other container is the user's to claim */
		}
		kube = kube || has_prefix(c[i], "kubepods");
		int r = container_at(c, n, i, kube, u);

		if (r != 0)
			return r < 0 ? r : 0;
	}
	return innermost_unit(c, n, user_at, uid, u);
}

int unit_parse(const char *path, size_t len, struct unit_owner *u)
{
	/* A path as deep as cgroups usually are is split on the stack: reading one allocates
	 * only the name it finds (the views call this while they print). */
	struct comp small[64], *c = small;
	size_t max = count_components(path, len);
	int r;

	*u = (struct unit_owner){ .kind = UNIT_NONE };
	if (max > sizeof(small) / sizeof(small[0]) && !(c = malloc(max * sizeof(*c))))
		return -ENOMEM;
	r = parse_components(c, split_path(path, len, c), u);
	if (c != small)
		free(c);
	return r;
}

void unit_owner_free(struct unit_owner *u)
{
	free(u->name);
	u->name = NULL;
}

void unit_text(struct sbuf *b, const struct unit_owner *u)
{
	const char *name = u->name ? u->name : "";

	switch (u->kind) {
	case UNIT_SYSTEM:
		sbuf_puts(b, name);
		break;
	case UNIT_USER:
		sbuf_printf(b, "%s (user unit, uid %u)", name, u->uid);
		break;
	case UNIT_DOCKER:
	case UNIT_PODMAN: {
		const char *runtime = u->kind == UNIT_DOCKER ? "docker" : "podman";

		if (u->user && u->name)
			sbuf_printf(b, "%s %s (%.12s, user container, uid %u)", runtime, name,
				    u->id, u->uid);
		else if (u->user)
			sbuf_printf(b, "%s %.12s (user container, uid %u)", runtime, u->id, u->uid);
		else if (u->name)
			sbuf_printf(b, "%s %s (%.12s)", runtime, name, u->id);
		else
			sbuf_printf(b, "%s %.12s", runtime, u->id);
		break;
	}
	case UNIT_KUBERNETES:
		sbuf_printf(b, "kubernetes pod %s container %.12s", u->name ? name : u->pod, u->id);
		break;
	case UNIT_LXC:
		sbuf_printf(b, "lxc %s", name);
		break;
	case UNIT_NSPAWN:
		sbuf_printf(b, "nspawn %s", name);
		break;
	default:
		break;
	}
}

const char *unit_label(const struct unit_owner *u)
{
	return u->kind == UNIT_SYSTEM || u->kind == UNIT_USER ? "unit" : "container";
}
