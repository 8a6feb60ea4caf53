/* Unit tests of units and containers recognised from cgroup paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "listen/unit.h"

#define ID "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"

/* "label: text" for a path. */
static const char *describe(const char *path)
{
	static char buf[400];
	char text[300];
	struct unit_owner u;

	unit_parse(path, strlen(path), &u);
	if (u.kind == UNIT_NONE)
		return "none";
	unit_text(&u, text, sizeof(text));
	snprintf(buf, sizeof(buf), "%s: %s", unit_label(&u), text);
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
	assert_string_equal(describe("/libpod_parent/libpod-" ID), "container: podman 3f2a1b4c5d6e");
	assert_string_equal(describe("/kubepods.slice/kubepods-burstable.slice/"
				     "kubepods-burstable-pod5b1c2d3e_aaaa_bbbb_cccc_0123456789ab.slice/"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(systemd_units),
		cmocka_unit_test(containers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
