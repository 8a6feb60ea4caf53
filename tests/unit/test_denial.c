/* Unit tests of why a process could not be read: the facts a second look finds (a fixture
 * tree), the cause they point to, and the notice that says so. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen/denial.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define CAP_SYS_RESOURCE_BIT (UINT64_C(1) << 24)
#define ALL_CAPS UINT64_C(0x1ffffffffff)

/* What a root listen with every capability in the initial user namespace is. */
static const struct procfs_self root = { .root = true, .privileged = true, .init_userns = true,
					 .bounding_known = true, .bounding = ALL_CAPS };

static void causes(void **state)
{
	struct procfs_self self = root;
	struct procfs_denial d = { .pid = 1, .err = -EACCES, .links = true, .examined = true };

	(void)state;
	/* Root with every right, refused: a policy (a hardened PID 1). */
	assert_int_equal(denial_cause(&self, &d), DENIAL_POLICY);
	/* It exited meanwhile: that, whoever listen is. */
	d.gone = true;
	assert_int_equal(denial_cause(&self, &d), DENIAL_GONE);
	self.privileged = self.root = false;
	assert_int_equal(denial_cause(&self, &d), DENIAL_GONE);
	d.gone = false;
	/* Not root, no capabilities: run as root is the advice. */
	assert_int_equal(denial_cause(&self, &d), DENIAL_UNPRIVILEGED);
	/* Root without cap_sys_ptrace (a container, a service dropping it): not "run as root". */
	self.root = true;
	assert_int_equal(denial_cause(&self, &d), DENIAL_ROOT_NO_CAPS);
	/* Capabilities lent to another user (setcap): privileged, not root. */
	self = root;
	self.root = false;
	assert_int_equal(denial_cause(&self, &d), DENIAL_POLICY);
	/* In a container's user namespace, a process outside it. */
	self = root;
	self.init_userns = false;
	d.other_userns = true;
	assert_int_equal(denial_cause(&self, &d), DENIAL_USERNS);
	/* From the initial namespace a process in another is below it: not the reason. */
	self.init_userns = true;
	assert_int_equal(denial_cause(&self, &d), DENIAL_POLICY);
	d.other_userns = false;
	/* Confined by a security module's label. */
	self.lsm = "listen_t";
	assert_int_equal(denial_cause(&self, &d), DENIAL_LSM);
}

static void caps(void **state)
{
	struct procfs_self self = root;
	struct procfs_denial d = { .pid = 1, .caps_known = true, .caps = ALL_CAPS };

	(void)state;
	self.bounding = ALL_CAPS & ~CAP_SYS_RESOURCE_BIT;
	assert_true(denial_caps_beyond(&self, &d) == CAP_SYS_RESOURCE_BIT);
	d.caps_known = false;
	assert_true(denial_caps_beyond(&self, &d) == 0);
	d.caps_known = true;
	self.bounding_known = false;
	assert_true(denial_caps_beyond(&self, &d) == 0);
	assert_string_equal(denial_cap_name(0), "cap_chown");
	assert_string_equal(denial_cap_name(19), "cap_sys_ptrace");
	assert_string_equal(denial_cap_name(24), "cap_sys_resource");
	assert_string_equal(denial_cap_name(40), "cap_checkpoint_restore");
	assert_null(denial_cap_name(41));
}

/* The notice for denials d[0..n) and hidden sockets, as listen prints it. */
static char *notice(const struct procfs_self *self, struct procfs_denial *d, size_t n,
		    size_t hidden, bool hidepid)
{
	struct procfs_map m = { .denials = d, .ndenials = n, .denied = (unsigned)n,
				.hidden = hidepid };
	struct sbuf b = { 0 };
	char *text, what[64];

	snprintf(what, sizeof(what), "owners of %zu socket%s hidden", hidden,
		 hidden == 1 ? "" : "s");
	assert_int_equal(out_denial_notice(&b, self, &m, what, hidepid ? 2 : 0), 0);
	text = strdup(b.s ? b.s : "");
	sbuf_free(&b);
	return text;
}

static void notices(void **state)
{
	struct procfs_self self = root, nobody = { .init_userns = true };
	struct procfs_denial d[6];
	char *t;

	(void)state;
	for (size_t i = 0; i < N(d); i++)
		d[i] = (struct procfs_denial){ .pid = (uint32_t)(1 + 2 * i), .err = -EACCES,
					       .examined = true, .name = "init" };
	/* The case of this machine: root, PID 1 refused, holding what listen cannot have. */
	self.bounding = ALL_CAPS & ~CAP_SYS_RESOURCE_BIT;
	d[0].caps_known = true;
	d[0].caps = ALL_CAPS;
	d[0].name = "process_api";
	t = notice(&self, d, 1, 1, false);
	assert_string_equal(t, "listen: owners of 1 socket hidden: pid 1 (process_api) not "
			    "readable although listen runs as root: likely a security policy "
			    "guards it (an LSM or a hardened kernel); it holds cap_sys_resource, "
			    "which listen's bounding set lacks\n");
	free(t);
	/* As nobody: the advice that is right for nobody, in one line as ever. */
	t = notice(&nobody, d, 6, 3, false);
	assert_string_equal(t, "listen: owners of 3 sockets hidden (6 processes not readable): run "
			    "as root to see them\n");
	free(t);
	/* hidepid alone. */
	t = notice(&nobody, d, 0, 2, true);
	assert_string_equal(t, "listen: owners of 2 sockets hidden (/proc is mounted with "
			    "hidepid=2: other users' processes are not listed): run as root to "
			    "see them\n");
	free(t);
	/* A process that exited while it was read: no advice to give. */
	d[1].gone = true;
	d[1].name = "lsn-churn";
	t = notice(&nobody, d + 1, 1, 1, false);
	assert_string_equal(t, "listen: owners of 1 socket hidden: pid 3 (lsn-churn) exited while "
			    "it was read\n");
	free(t);
	/* Several causes: a line each, under one for the sockets. */
	t = notice(&nobody, d, 3, 2, false);
	assert_string_equal(t, "listen: owners of 2 sockets hidden; processes not read:\n"
			    "listen:   pid 3 (lsn-churn) exited while it was read\n"
			    "listen:   2 processes not readable: run as root to see them\n");
	free(t);
	t = notice(&nobody, d, 3, 2, true);
	assert_non_null(strstr(t, "listen:   other users' processes are not listed (/proc is "
				  "mounted with hidepid=2): run as root to see them\n"));
	free(t);
	/* Root in a container without cap_sys_ptrace. */
	struct procfs_self docker = { .root = true, .init_userns = true };

	d[1].gone = false;
	t = notice(&docker, d + 2, 1, 1, false);
	assert_string_equal(t, "listen: owners of 1 socket hidden: pid 5 (init) not readable by "
			    "root without cap_sys_ptrace and cap_dac_read_search: listen runs in a "
			    "container or a service that drops them; grant them to see these\n");
	free(t);
	/* In a user namespace; under a label (escaped: it is the module's text). */
	struct procfs_self userns = root;

	userns.init_userns = false;
	d[2].other_userns = true;
	t = notice(&userns, d + 2, 1, 1, false);
	assert_non_null(strstr(t, "pid 5 (init) not readable from inside a user namespace (a "
				  "container): they are outside it; run listen on the host"));
	free(t);
	d[2].other_userns = false;
	userns = root;
	userns.lsm = "listen\x1b[31m";
	t = notice(&userns, d + 2, 1, 1, false);
	assert_non_null(strstr(t, "not readable under the security label 'listen\\x1b[31m': the "
				  "module confining listen (AppArmor, SELinux) refuses it\n"));
	free(t);
	/* More than three: counted, their pids as runs; hostile names escaped. */
	d[3].name = "x\ny";
	t = notice(&self, d + 1, 3, 1, false);
	assert_non_null(strstr(t, "pid 3 (lsn-churn), pid 5 (init), pid 7 (x\\ny) not readable "
				  "although "
				  "listen runs as root: likely a security policy guards them"));
	free(t);
	d[0].caps_known = false;
	t = notice(&self, d, 6, 1, false);
	assert_string_equal(t, "listen: owners of 1 socket hidden: 6 processes (pids 1,3,5,7,9,11) "
			    "not readable although listen runs as root: likely a security policy "
			    "guards them (an LSM or a hardened kernel)\n");
	free(t);
	/* Lent capabilities: said as such. */
	self.root = false;
	t = notice(&self, d, 1, 1, false);
	assert_non_null(strstr(t, "although listen has cap_sys_ptrace and cap_dac_read_search"));
	free(t);
}

/* In a nested pid namespace: the processes outside it are not listed at all. */
static void outside(void **state)
{
	struct procfs_self nobody = { .init_userns = true };
	struct procfs_denial d = { .pid = 7, .err = -EACCES, .examined = true, .name = "db" };
	struct procfs_map m = { .outside = true };
	struct sbuf b = { 0 };

	(void)state;
	assert_true(procfs_map_partial(&m));
	assert_int_equal(out_denial_notice(&b, &root, &m, "owners of 1 socket hidden", 0), 0);
	assert_string_equal(b.s, "listen: owners of 1 socket hidden (listen runs in a nested pid "
			    "namespace, a container's: processes outside it are not listed): run "
			    "it in the host's pid namespace to see them (nsenter -t 1 -p, or a "
			    "container's --pid=host)\n");
	sbuf_free(&b);
	/* With denials too: a line each. */
	m.denials = &d;
	m.ndenials = m.denied = 1;
	assert_int_equal(out_denial_notice(&b, &nobody, &m, "owners of 2 sockets hidden", 0), 0);
	assert_string_equal(b.s, "listen: owners of 2 sockets hidden; processes not read:\n"
			    "listen:   processes outside listen's pid namespace (a container's) "
			    "are not listed: run it in the host's pid namespace to see them "
			    "(nsenter -t 1 -p, or a container's --pid=host)\n"
			    "listen:   1 process not readable: run as root to see them\n");
	sbuf_free(&b);
}

/* Write text to dir/path. */
static void put(const char *dir, const char *path, const char *text)
{
	char full[256];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The second look, on a fixture tree: gone, a zombie, capabilities, another user namespace. */
static void examine(void **state)
{
	char dir[] = "/tmp/listen-test-denial-XXXXXX", path[300];
	struct procfs_denial d[4] = { { .pid = 1 }, { .pid = 2 }, { .pid = 3 }, { .pid = 4 } };
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int pid = 1; pid <= 4; pid++) {
		snprintf(path, sizeof(path), "%s/%d", dir, pid);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	snprintf(path, sizeof(path), "%s/self", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put(dir, "self/uid_map", "         0          0 4294967295\n");
	put(dir, "1/stat", "1 (process_api) S 0 0 0 0 -1 4194560\n");
	put(dir, "1/status", "Name:\tprocess_api\nCapInh:\t0000000000000000\n"
			     "CapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n");
	put(dir, "1/uid_map", "         0          0 4294967295\n");
	/* 2 has gone: its directory is empty. */
	put(dir, "3/stat", "3 (a (b) c) Z 1 0 0 0 -1 4194560\n");
	put(dir, "4/stat", "4 (app) S 1 0 0 0 -1 4194560\n");
	put(dir, "4/status", "CapPrm:\tnot hex\n");
	put(dir, "4/uid_map", "         0     100000      65536\n");
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	size_t n = N(d);

	assert_int_equal(procfs_examine_denials(fd, d, &n, true), 0);
	/* The zombie (3) is dropped: its files are closed, it hides nothing. */
	assert_int_equal(n, 3);
	assert_true(d[0].examined && !d[0].gone && d[0].caps_known && !d[0].other_userns);
	assert_true(d[0].caps == ALL_CAPS);
	assert_string_equal(d[0].name, "process_api");
	assert_true(d[1].gone && !d[1].zombie);
	assert_null(d[1].name);
	assert_int_equal(d[2].pid, 4);
	assert_false(d[2].gone || d[2].caps_known);
	assert_true(d[2].other_userns);
	/* Exiting (PF_EXITING in the flags) is gone too. */
	put(dir, "1/stat", "1 (process_api) S 0 0 0 0 -1 4194564\n");
	d[0].examined = false;
	n = 1;
	assert_int_equal(procfs_examine_denials(fd, d, &n, true), 0);
	assert_true(n == 1 && d[0].gone && !d[0].zombie);
	/* Unprivileged, only whether it is gone: the rest cannot change the cause. */
	put(dir, "1/stat", "1 (process_api) S 0 0 0 0 -1 4194560\n");
	d[0] = (struct procfs_denial){ .pid = 1, .name = d[0].name };
	assert_int_equal(procfs_examine_denials(fd, d, &n, false), 0);
	assert_true(d[0].examined && !d[0].gone && !d[0].caps_known && !d[0].other_userns);

	struct procfs_self self;

	put(dir, "self/status", "Name:\tlisten\nCapBnd:\t000001fffeffffff\n");
	assert_int_equal(procfs_read_self(fd, &self), 0);
	assert_true(self.init_userns && self.bounding_known);
	assert_true(self.bounding == (ALL_CAPS & ~CAP_SYS_RESOURCE_BIT));
	assert_null(self.lsm); /* no thread-self/attr/current */
	procfs_self_free(&self);
	put(dir, "self/uid_map", "         0     100000      65536\n");
	assert_int_equal(procfs_read_self(fd, &self), 0);
	assert_false(self.init_userns);
	procfs_self_free(&self);
	close(fd);
	for (size_t i = 0; i < 3; i++)
		free(d[i].name);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* The numbers of a status file: capability sets in hex, a missing or bad field refused. */
static void status_fields(void **state)
{
	static const char text[] = "Name:\tx\nUid:\t0\t0\t0\t0\nCapPrm:\t000001ffffffffff\n"
				   "CapBnd:\t0000003fffffffff\nBad:\t-1\nEmpty:\t\nLong:\t"
				   "00000000000000000000000000000001\n";
	uint64_t v;

	(void)state;
	assert_int_equal(procfs_status_field(text, strlen(text), "CapPrm", &v, 16), 0);
	assert_true(v == ALL_CAPS);
	assert_int_equal(procfs_status_field(text, strlen(text), "CapBnd", &v, 16), 0);
	assert_true(v == UINT64_C(0x3fffffffff));
	assert_int_equal(procfs_status_field(text, strlen(text), "Uid", &v, 10), 0);
	assert_true(v == 0);
	assert_int_equal(procfs_status_field(text, strlen(text), "CapEff", &v, 16), -ENOENT);
	assert_int_equal(procfs_status_field(text, strlen(text), "Cap", &v, 16), -ENOENT);
	assert_int_equal(procfs_status_field(text, strlen(text), "Bad", &v, 10), -EINVAL);
	assert_int_equal(procfs_status_field(text, strlen(text), "Empty", &v, 10), -EINVAL);
	assert_int_equal(procfs_status_field(text, strlen(text), "Long", &v, 16), -EINVAL);
	/* Not NUL-terminated: the value ends where the buffer does. */
	assert_int_equal(procfs_status_field("CapPrm:\t1f", 10, "CapPrm", &v, 16), 0);
	assert_true(v == 0x1f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(causes),
		cmocka_unit_test(caps),
		cmocka_unit_test(notices),
		cmocka_unit_test(outside),
		cmocka_unit_test(examine),
		cmocka_unit_test(status_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
