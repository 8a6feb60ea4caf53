/* Unit tests of units and containers recognised from cgroup paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen/procfs.h"
#include "listen/sbuf.h"
#include "listen/unit.h"

#define ID "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"

/* unit_text of u, in a buffer the next call reuses. */
static const char *text_of(const struct unit_owner *u)
{
	static struct sbuf b;

	sbuf_free(&b);
	unit_text(&b, u);
	assert_false(b.failed);
	return b.s ? b.s : "";
}

/* "label: text" for a path. */
static const char *describe(const char *path)
{
	static char buf[1000];
	struct unit_owner u;

	assert_int_equal(unit_parse(path, strlen(path), &u), 0);
	if (u.kind == UNIT_NONE) {
		assert_null(u.name);
		return "none";
	}
	snprintf(buf, sizeof(buf), "%s: %s", unit_label(&u), text_of(&u));
	unit_owner_free(&u);
	return buf;
}

static void systemd_units(void **state)
{
	(void)state;
	assert_string_equal(describe("/system.slice/nginx.service"), "unit: nginx.service");
	assert_string_equal(describe("/system.slice/system-getty.slice/getty@tty1.service"),
			    "unit: getty@tty1.service");
	assert_string_equal(describe("/user.slice/user-1000.slice/session-3.scope"),
			    "unit: session-3.scope");
	assert_string_equal(describe("/user.slice/user-1000.slice/user@1000.service/app.slice/"
				     "app-gnome-firefox-2371.scope"),
			    "unit: app-gnome-firefox-2371.scope (user unit, uid 1000)");
	assert_string_equal(describe("/user.slice/user-1000.slice/user@1000.service/init.scope"),
			    "unit: init.scope (user unit, uid 1000)");
	assert_string_equal(describe("/user.slice/user-1000.slice/user@1000.service"),
			    "unit: user@1000.service");
	assert_string_equal(describe("/init.scope"), "unit: init.scope");
	/* Not units: the root, slices, bare directories, suffix alone. */
	assert_string_equal(describe("/"), "none");
	assert_string_equal(describe(""), "none");
	assert_string_equal(describe("/system.slice"), "none");
	assert_string_equal(describe("/process_api/950974b0c199d2f9d80fb23dad4fb759"), "none");
	assert_string_equal(describe("/.service"), "none");
}

static void containers(void **state)
{
	(void)state;
	assert_string_equal(describe("/system.slice/docker-" ID ".scope"),
			    "container: docker 3f2a1b4c5d6e");
	assert_string_equal(describe("/docker/" ID), "container: docker 3f2a1b4c5d6e");
	assert_string_equal(describe("/machine.slice/libpod-" ID ".scope/container"),
			    "container: podman 3f2a1b4c5d6e");
	assert_string_equal(describe("/libpod_parent/libpod-" ID),
			    "container: podman 3f2a1b4c5d6e");
	assert_string_equal(describe("/kubepods.slice/kubepods-burstable.slice/"
				     "kubepods-burstable-"
				     "pod5b1c2d3e_aaaa_bbbb_cccc_0123456789ab.slice/"
				     "cri-containerd-" ID ".scope"),
			    "container: kubernetes pod 5b1c2d3e-aaaa-bbbb-cccc-0123456789ab "
			    "container 3f2a1b4c5d6e");
	assert_string_equal(describe("/kubepods/besteffort/pod5b1c2d3e-aaaa-bbbb-cccc-0123456789ab/"
				     ID),
			    "container: kubernetes pod 5b1c2d3e-aaaa-bbbb-cccc-0123456789ab "
			    "container 3f2a1b4c5d6e");
	assert_string_equal(describe("/kubepods.slice/kubepods-pod1234.slice/crio-" ID ".scope"),
			    "container: kubernetes pod 1234 container 3f2a1b4c5d6e");
	assert_string_equal(describe("/lxc.payload.web1"), "container: lxc web1");
	assert_string_equal(describe("/lxc.payload.web1/system.slice/nginx.service"),
			    "container: lxc web1");
	assert_string_equal(describe("/lxc/web2"), "container: lxc web2");
	assert_string_equal(describe("/machine.slice/machine-my\\x2dvm.scope"),
			    "container: nspawn my-vm");
	/* Look-alikes: a short id, a pod without a container, machine- outside machine.slice. */
	assert_string_equal(describe("/system.slice/docker-3f2a.scope"), "unit: docker-3f2a.scope");
	assert_string_equal(describe("/kubepods/besteffort/pod1234"), "none");
	assert_string_equal(describe("/system.slice/machine-x.scope"), "unit: machine-x.scope");
	assert_string_equal(describe("/docker"), "none");
}

/* "label: text" for a whole /proc/PID/cgroup file: the line that names it, then the path. */
static const char *from_file(const char *text)
{
	const char *path;
	size_t len;

	if (procfs_cgroup_path(text, strlen(text), &path, &len) < 0)
		return "no path";
	static char copy[300];

	snprintf(copy, sizeof(copy), "%.*s", (int)len, path);
	return describe(copy);
}

/* Each runtime as its processes' cgroup files show it on a unified (v2) host, on a v1 hybrid
 * (systemd's name=systemd tree beside the controllers, v2 mounted at unified/ and empty) and
 * on v1 only (the cgroupfs driver: the controllers' paths). */
static void cgroup_files(void **state)
{
	(void)state;
	/* Docker, systemd driver: v2; hybrid with an empty v2 line. */
	assert_string_equal(from_file("0::/system.slice/docker-" ID ".scope\n"),
			    "container: docker 3f2a1b4c5d6e");
	assert_string_equal(from_file("12:pids:/system.slice/docker-" ID ".scope\n"
				      "11:memory:/system.slice/docker-" ID ".scope\n"
				      "1:name=systemd:/system.slice/docker-" ID ".scope\n0::/\n"),
			    "container: docker 3f2a1b4c5d6e");
	/* Docker, cgroupfs driver on v1 only: the controllers say /docker/ID. */
	assert_string_equal(from_file("9:cpu,cpuacct:/docker/" ID "\n8:pids:/docker/" ID "\n"
				      "1:name=systemd:/docker/" ID "\n"),
			    "container: docker 3f2a1b4c5d6e");
	/* Kubernetes with containerd on a hybrid: name=systemd has the pod and the container. */
	assert_string_equal(
		from_file("10:memory:/kubepods.slice/kubepods-besteffort.slice/"
			  "kubepods-besteffort-pod5b1c2d3e_aaaa_bbbb_cccc_0123456789ab.slice/"
			  "cri-containerd-" ID ".scope\n"
			  "1:name=systemd:/kubepods.slice/kubepods-besteffort.slice/"
			  "kubepods-besteffort-pod5b1c2d3e_aaaa_bbbb_cccc_0123456789ab.slice/"
			  "cri-containerd-" ID ".scope\n0::/\n"),
		"container: kubernetes pod 5b1c2d3e-aaaa-bbbb-cccc-0123456789ab "
		"container 3f2a1b4c5d6e");
	/* Podman (conmon's libpod_parent on cgroupfs), LXC, nspawn on v2. */
	assert_string_equal(from_file("0::/libpod_parent/libpod-" ID "\n"),
			    "container: podman 3f2a1b4c5d6e");
	assert_string_equal(from_file("0::/lxc.payload.web1/init.scope\n"), "container: lxc web1");
	assert_string_equal(from_file("1:name=systemd:/lxc/web2\n"), "container: lxc web2");
	assert_string_equal(from_file("0::/machine.slice/machine-build1.scope/payload\n"),
			    "container: nspawn build1");
	/* systemd units: v2, hybrid, and a v1 host without name=systemd (a controller's path). */
	assert_string_equal(from_file("0::/system.slice/nginx.service\n"), "unit: nginx.service");
	assert_string_equal(from_file("5:devices:/system.slice/sshd.service\n"
				      "1:name=systemd:/system.slice/ssh.service\n0::/\n"),
			    "unit: ssh.service");
	assert_string_equal(from_file("4:memory:/system.slice/cron.service\n"),
			    "unit: cron.service");
	/* Odd files: only roots, no newline at the end, blank and broken lines, a path with
	 * spaces and colons. */
	assert_string_equal(from_file("0::/\n1:name=systemd:/\n"), "no path");
	assert_string_equal(from_file(""), "no path");
	assert_string_equal(from_file("garbage\n\n::\n0::/system.slice/a b:c.service"),
			    "unit: a b:c.service");
}

#define USER65534 "/user.slice/user-65534.slice/user@65534.service"
#define USER1000 "/user.slice/user-1000.slice/user@1000.service"

/* Below a user's manager the user makes the cgroups: what looks like a system container there
 * is the user's unit; a Podman container is the user's (rootless) container. */
static void user_claims(void **state)
{
	(void)state;
	assert_string_equal(describe(USER65534 "/app.slice/docker-" ID ".scope"),
			    "unit: docker-" ID ".scope (user unit, uid 65534)");
	assert_string_equal(describe(USER65534 "/machine.slice/machine-web.scope"),
			    "unit: machine-web.scope (user unit, uid 65534)");
	assert_string_equal(describe(USER65534 "/app.slice/run-r1.scope/lxc.payload.web"),
			    "unit: run-r1.scope (user unit, uid 65534)");
	assert_string_equal(describe(USER65534 "/app.slice/run-r1.scope/lxc/web"),
			    "unit: run-r1.scope (user unit, uid 65534)");
	assert_string_equal(describe(USER1000 "/kubepods.slice/kubepods-pod1234.slice/"
				     "cri-containerd-" ID ".scope"),
			    "unit: cri-containerd-" ID ".scope (user unit, uid 1000)");
	/* No unit of the user's below the manager: the manager's own (a system unit), never
	 * the container the path imitates. */
	assert_string_equal(describe(USER65534 "/lxc.payload.web"), "unit: user@65534.service");
	assert_string_equal(describe(USER65534 "/docker/" ID), "unit: user@65534.service");
	/* Rootless Podman: the user's container, with or without conmon's container/ leaf. */
	assert_string_equal(describe(USER1000 "/user.slice/libpod-" ID ".scope/container"),
			    "container: podman 3f2a1b4c5d6e (user container, uid 1000)");
	assert_string_equal(describe(USER1000 "/user.slice/libpod-" ID ".scope"),
			    "container: podman 3f2a1b4c5d6e (user container, uid 1000)");
	assert_string_equal(describe(USER1000 "/user.slice/libpod-conmon-" ID ".scope"),
			    "unit: libpod-conmon-" ID ".scope (user unit, uid 1000)");
	/* The uid is the first manager's: one the user names below it claims nothing. */
	assert_string_equal(describe(USER65534 "/app.slice/user@0.service/app.service"),
			    "unit: app.service (user unit, uid 65534)");
	assert_string_equal(describe(USER65534 "/app.slice/user@0.service/libpod-" ID ".scope"),
			    "container: podman 3f2a1b4c5d6e (user container, uid 65534)");
	/* Not a user's manager: no digits, too large a uid. */
	assert_string_equal(describe("/system.slice/user@x.service/docker-" ID ".scope"),
			    "container: docker 3f2a1b4c5d6e");
	assert_string_equal(describe("/system.slice/user@4294967296.service/app.service"),
			    "unit: app.service");
	assert_string_equal(describe("/system.slice/user@4294967295.service/app.service"),
			    "unit: app.service (user unit, uid 4294967295)");
	/* A real container holding a user session: the container, whatever is inside. */
	assert_string_equal(describe("/machine.slice/machine-vm1.scope/payload" USER1000
				     "/app.slice/docker-" ID ".scope"),
			    "container: nspawn vm1");
	assert_string_equal(describe("/lxc.payload.web1" USER1000 "/app.slice/app.service"),
			    "container: lxc web1");

	struct unit_owner u;
	const char *p = USER65534 "/app.slice/docker-" ID ".scope";

	unit_parse(p, strlen(p), &u);
	assert_int_equal(u.kind, UNIT_USER);
	assert_true(u.user);
	assert_int_equal(u.uid, 65534);
	unit_owner_free(&u);
	p = "/system.slice/docker-" ID ".scope";
	unit_parse(p, strlen(p), &u);
	assert_int_equal(u.kind, UNIT_DOCKER);
	assert_false(u.user);
	unit_owner_free(&u);
}

/* The same claims as each cgroup layout shows them: v2; a hybrid (systemd's name=systemd tree,
 * v2 mirrored at unified/); v1 only, where the controllers stop at the manager. */
static void user_claims_in_cgroup_files(void **state)
{
	const char *want = "unit: docker-" ID ".scope (user unit, uid 65534)";
	const char *podman = "container: podman 3f2a1b4c5d6e (user container, uid 1000)";

	(void)state;
	assert_string_equal(from_file("0::" USER65534 "/app.slice/docker-" ID ".scope\n"), want);
	assert_string_equal(from_file("12:memory:" USER65534 "\n"
				      "11:pids:" USER65534 "/app.slice/docker-" ID ".scope\n"
				      "1:name=systemd:" USER65534 "/app.slice/docker-" ID ".scope\n"
				      "0::" USER65534 "/app.slice/docker-" ID ".scope\n"),
			    want);
	assert_string_equal(from_file("12:memory:" USER65534 "\n4:cpu,cpuacct:" USER65534 "\n"
				      "1:name=systemd:" USER65534 "/app.slice/docker-" ID
				      ".scope\n"),
			    want);
	/* A v1 host without name=systemd: the controllers' path, the manager's. */
	assert_string_equal(from_file("12:memory:" USER65534 "\n"), "unit: user@65534.service");
	assert_string_equal(from_file("0::" USER65534 "/machine.slice/machine-web.scope\n"),
			    "unit: machine-web.scope (user unit, uid 65534)");
	assert_string_equal(from_file("1:name=systemd:" USER65534
				      "/machine.slice/machine-web.scope\n"
				      "0::/\n"),
			    "unit: machine-web.scope (user unit, uid 65534)");
	assert_string_equal(from_file("0::" USER1000 "/user.slice/libpod-" ID ".scope/container\n"),
			    podman);
	assert_string_equal(from_file("1:name=systemd:" USER1000 "/user.slice/libpod-" ID ".scope\n"
				      "0::" USER1000 "/user.slice/libpod-" ID ".scope\n"),
			    podman);
	assert_string_equal(from_file("4:memory:" USER1000 "\n"
				      "1:name=systemd:" USER1000 "/user.slice/libpod-" ID
				      ".scope\n"),
			    podman);
}

/* Names from the runtime's state change what is shown, not what is recognised. */
static void named_containers(void **state)
{
	struct unit_owner u;

	(void)state;
	unit_parse("/docker/" ID, strlen("/docker/" ID), &u);
	u.name = strdup("web");
	assert_string_equal(text_of(&u), "docker web (3f2a1b4c5d6e)");
	u.kind = UNIT_PODMAN;
	assert_string_equal(text_of(&u), "podman web (3f2a1b4c5d6e)");
	unit_owner_free(&u);
	const char *k = "/kubepods/besteffort/pod5b1c2d3e-aaaa-bbbb-cccc-0123456789ab/" ID;

	unit_parse(k, strlen(k), &u);
	u.name = strdup("shop/web-0");
	assert_string_equal(text_of(&u), "kubernetes pod shop/web-0 container 3f2a1b4c5d6e");
	unit_owner_free(&u);
	/* A user's container keeps saying whose it is. */
	const char *r = USER1000 "/user.slice/libpod-" ID ".scope";

	unit_parse(r, strlen(r), &u);
	u.name = strdup("db");
	assert_string_equal(text_of(&u), "podman db (3f2a1b4c5d6e, user container, uid 1000)");
	unit_owner_free(&u);
	assert_null(u.name);
}

/* Names of any length come out whole: a 300-character unit, a Kubernetes "namespace/pod" of
 * 63 + 1 + 253 characters (the longest the API allows). */
/* No depth limit: a container or unit 100 levels down is still found (a nested runtime, a
 * delegated subtree). */
static void deep_paths(void **state)
{
	struct sbuf path = { 0 };

	(void)state;
	for (int i = 0; i < 100; i++)
		sbuf_printf(&path, "/level%d", i);
	sbuf_puts(&path, "/docker-" ID ".scope");
	assert_false(path.failed);
	assert_string_equal(describe(path.s), "container: docker 3f2a1b4c5d6e");
	path.len = 0;
	sbuf_puts(&path, "/system.slice");
	for (int i = 0; i < 100; i++)
		sbuf_printf(&path, "/level%d", i);
	sbuf_puts(&path, "/deep.service");
	assert_string_equal(describe(path.s), "unit: deep.service");
	sbuf_free(&path);
}

static void long_names(void **state)
{
	char unit[301], path[400], want[1000], pod[318];
	struct unit_owner u;

	(void)state;
	memset(unit, 'u', 292);
	strcpy(unit + 292, ".service");
	snprintf(path, sizeof(path), "/system.slice/%s", unit);
	snprintf(want, sizeof(want), "unit: %s", unit);
	assert_string_equal(describe(path), want);
	memset(pod, 'p', 317);
	pod[63] = '/';
	pod[317] = '\0';
	unit_parse("/kubepods/besteffort/pod1234/" ID, strlen("/kubepods/besteffort/pod1234/" ID),
		   &u);
	u.name = strdup(pod);
	snprintf(want, sizeof(want), "kubernetes pod %s container 3f2a1b4c5d6e", pod);
	assert_string_equal(text_of(&u), want);
	unit_owner_free(&u);
	/* A systemd escape of NUL is not decoded: it would end the name there. */
	assert_string_equal(describe("/machine.slice/machine-a\\x00b.scope"),
			    "container: nspawn a\\x00b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(systemd_units),
		cmocka_unit_test(containers),
		cmocka_unit_test(cgroup_files),
		cmocka_unit_test(user_claims),
		cmocka_unit_test(user_claims_in_cgroup_files),
		cmocka_unit_test(named_containers),
		cmocka_unit_test(long_names),
		cmocka_unit_test(deep_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
