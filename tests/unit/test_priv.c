/* Unit tests of privilege handling: run as root, each case in a child that first takes the
 * credentials an unprivileged user would have with file capabilities or a set-uid root
 * program, then calls priv_init. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/capability.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "listen/priv.h"

#define NOBODY 65534
#define CAP(c) (UINT64_C(1) << (c))
#define PROCS (CAP(CAP_DAC_READ_SEARCH) | CAP(CAP_SYS_PTRACE))

static uint64_t caps(int which) /* 0 effective, 1 permitted, 2 inheritable */
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	syscall(SYS_capget, &h, d);
	return which == 0 ? d[0].effective | (uint64_t)d[1].effective << 32
	     : which == 1 ? d[0].permitted | (uint64_t)d[1].permitted << 32
			  : d[0].inheritable | (uint64_t)d[1].inheritable << 32;
}

static void set_caps(uint64_t effective, uint64_t permitted)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)effective, (uint32_t)permitted, 0 },
		{ (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), 0 },
	};

	syscall(SYS_capset, &h, d);
}

static void *thread_caps(void *arg)
{
	*(uint64_t *)arg = caps(0);
	return NULL;
}

/* Run fn in a child; it returns 0 when every check held, else the number of the first that
 * failed. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* nobody holding capabilities (file or ambient): raised; what it may keep is kept, nothing
 * effective; raising and lowering act on the calling thread, and a thread started while they
 * are raised has them. */
static int capabilities_child(void)
{
	uint64_t in_thread = 0;
	pthread_t t;

	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (setresuid(NOBODY, NOBODY, NOBODY) < 0)
		return 100;
	set_caps(PROCS | CAP(CAP_NET_RAW), PROCS | CAP(CAP_NET_RAW));
	if (caps(0) != (PROCS | CAP(CAP_NET_RAW)))
		return 101;
	if (priv_init() != 0)
		return 1;
	if (!priv_raised())
		return 2;
	if (caps(0) != 0 || caps(1) != PROCS || caps(2) != 0)
		return 3; /* CAP_NET_RAW, never needed, is gone for good */
	if (!priv_can(PRIV_PROCS) || priv_can(PRIV_NETNS))
		return 4;
	priv_raise(PRIV_PROCS);
	if (caps(0) != PROCS)
		return 5;
	if (pthread_create(&t, NULL, thread_caps, &in_thread) != 0)
		return 102;
	priv_lower();
	pthread_join(t, NULL);
	if (caps(0) != 0 || in_thread != PROCS)
		return 6;
	priv_raise(PRIV_NETNS); /* not held: nothing */
	if (caps(0) != 0)
		return 7;
	return 0;
}

static void capabilities(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(in_child(capabilities_child), 0);
}

/* A set-uid root program started by nobody: it becomes nobody for good, keeping the
 * capabilities it needs and no others. */
static int setuid_child(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	if (setresgid(NOBODY, 0, 0) < 0 || setresuid(NOBODY, 0, 0) < 0)
		return 100;
	if (priv_init() != 0)
		return 1;
	if (!priv_raised())
		return 2;
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	if (r != NOBODY || e != NOBODY || s != NOBODY || gr != NOBODY || ge != NOBODY ||
	    gs != NOBODY)
		return 3;
	if (caps(0) != 0 || caps(1) != (PROCS | CAP(CAP_SYS_ADMIN) | CAP(CAP_NET_ADMIN) |
					 CAP(CAP_BPF) | CAP(CAP_PERFMON)))
		return 4;
	/* The owner iterator: CAP_BPF and CAP_PERFMON, not CAP_SYS_ADMIN, which it also takes. */
	if (!priv_can(PRIV_BPF))
		return 8;
	priv_raise(PRIV_BPF);
	if (caps(0) != (CAP(CAP_BPF) | CAP(CAP_PERFMON)))
		return 9;
	priv_raise(PRIV_PROCS | PRIV_NETNS);
	if (caps(0) != (PROCS | CAP(CAP_SYS_ADMIN)))
		return 5;
	priv_raise(PRIV_NETADMIN); /* the firewall's ruleset alone */
	if (caps(0) != CAP(CAP_NET_ADMIN))
		return 7;
	priv_lower();
	return caps(0) == 0 ? 0 : 6;
}

static void setuid_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(in_child(setuid_child), 0);
}

/* Root is not raised: it keeps every right, and raising or lowering changes nothing. */
static int root_child(void)
{
	uint64_t before = caps(0);

	if (priv_init() != 0)
		return 1;
	if (priv_raised())
		return 2;
	priv_lower();
	if (caps(0) != before)
		return 3;
	return priv_can(PRIV_PROCS | PRIV_NETNS) ? 0 : 4;
}

/* A user with no capabilities: nothing raised, nothing to raise. */
static int user_child(void)
{
	if (setresuid(NOBODY, NOBODY, NOBODY) < 0)
		return 100;
	if (priv_init() != 0 || priv_raised())
		return 1;
	priv_raise(PRIV_PROCS);
	return caps(0) == 0 && !priv_can(PRIV_PROCS) ? 0 : 2;
}

static void not_raised(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(in_child(root_child), 0);
	assert_int_equal(in_child(user_child), 0);
}

/* The advice after a refusal: the user is told to run as root; root without the capability
 * (a container's bounded set), that it is withheld; root that held it, a policy's refusal. */
static int advice_user_child(void)
{
	if (setresuid(NOBODY, NOBODY, NOBODY) < 0)
		return 100;
	if (priv_init() != 0)
		return 1;
	return strcmp(priv_advice(PRIV_NETADMIN),
		      "run as root (or give listen CAP_NET_ADMIN)") == 0 ? 0 : 2;
}

static int advice_bounded_root_child(void)
{
	set_caps(caps(0) & ~CAP(CAP_NET_ADMIN), caps(1) & ~CAP(CAP_NET_ADMIN));
	if (priv_init() != 0)
		return 1;
	if (strcmp(priv_advice(PRIV_NETADMIN), "listen runs as root without CAP_NET_ADMIN: a "
		   "container or sandbox withholds it") != 0)
		return 2;
	return strstr(priv_advice(PRIV_NETNS), "refused although listen holds CAP_SYS_ADMIN")
		       ? 0 : 3;
}

static int advice_capable_child(void)
{
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (setresuid(NOBODY, NOBODY, NOBODY) < 0)
		return 100;
	set_caps(PROCS, PROCS);
	if (priv_init() != 0)
		return 1;
	if (strcmp(priv_advice(PRIV_PROCS), "refused although listen holds CAP_DAC_READ_SEARCH "
		   "and CAP_SYS_PTRACE: likely a security policy (an LSM)") != 0)
		return 2;
	return strcmp(priv_advice(PRIV_NETNS), "run as root (or give listen CAP_SYS_ADMIN)") == 0
		       ? 0 : 3;
}

static void advice(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(in_child(advice_user_child), 0);
	assert_int_equal(in_child(advice_bounded_root_child), 0);
	assert_int_equal(in_child(advice_capable_child), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capabilities),
		cmocka_unit_test(setuid_root),
		cmocka_unit_test(not_raised),
		cmocka_unit_test(advice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
