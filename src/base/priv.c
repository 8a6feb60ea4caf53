/* Privilege: dropped at start, raised per thread around the reads that need it. capget and
 * capset are called directly: they act on the calling thread, which is what is wanted here. */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "listen/priv.h"

#define CAP(c) (UINT64_C(1) << (c))
#define PRIV_ALL (PRIV_PROCS | PRIV_NETNS | PRIV_NETADMIN | PRIV_BPF)

struct caps {
	uint64_t effective, permitted, inheritable;
};

static bool raised;      /* set once by priv_init, before any thread starts */
static uint64_t kept;    /* the permitted set after priv_init, when raised */

static int caps_get(struct caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	c->effective = d[0].effective | (uint64_t)d[1].effective << 32;
	c->permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int caps_set(const struct caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)c->effective, (uint32_t)c->permitted, (uint32_t)c->inheritable },
		{ (uint32_t)(c->effective >> 32), (uint32_t)(c->permitted >> 32),
		  (uint32_t)(c->inheritable >> 32) },
	};

	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* The capabilities a use needs. */
static uint64_t caps_for(unsigned use)
{
	uint64_t m = 0;

	if (use & PRIV_PROCS)
		m |= CAP(CAP_DAC_READ_SEARCH) | CAP(CAP_SYS_PTRACE);
	if (use & PRIV_NETNS)
		m |= CAP(CAP_SYS_ADMIN);
	if (use & PRIV_NETADMIN)
		m |= CAP(CAP_NET_ADMIN);
	if (use & PRIV_BPF)
		m |= CAP(CAP_BPF) | CAP(CAP_PERFMON) | CAP(CAP_SYS_ADMIN);
	return m;
}

/* Of the capabilities held (have), those use needs: PRIV_BPF's are CAP_BPF and CAP_PERFMON
 * when both are held, else CAP_SYS_ADMIN (which the kernel takes for either); 0 when have
 * does not cover use. */
static uint64_t caps_needed(unsigned use, uint64_t have)
{
	uint64_t need = caps_for(use & ~(unsigned)PRIV_BPF);

	if (use & PRIV_BPF) {
		uint64_t bpf = CAP(CAP_BPF) | CAP(CAP_PERFMON);

		need |= (have & bpf) == bpf ? bpf : CAP(CAP_SYS_ADMIN);
	}
	return (have & need) == need ? need : 0;
}

/*
 * Without AT_SECURE (ambient capabilities) the C library still heeds the variables it ignores
 * for set-id and file-capability programs: those that name files it opens or change how it
 * resolves names. listen reads none of them itself.
 */
static void drop_unsafe_environment(void)
{
	static const char *const unsafe[] = {
		"TZDIR", "LOCPATH", "NLSPATH", "GCONV_PATH", "HOSTALIASES", "LOCALDOMAIN",
		"RES_OPTIONS", "RESOLV_HOST_CONF", "NIS_PATH", "MALLOC_TRACE", "TMPDIR",
	};
	const char *tz = getenv("TZ");

	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		unsetenv(unsafe[i]);
	if (tz && strchr(tz, '/')) /* a zone file by path: a FIFO there would hang the clock */
		unsetenv("TZ");
}

/* Become the real user and group for good, keeping the permitted capabilities. */
static int drop_ids(uid_t uid, gid_t gid)
{
	int r = 0;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		r = -errno;
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	return r;
}

int priv_init(void)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	struct caps c;
	int r;

	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
		return -errno;
	r = caps_get(&c);
	if (r < 0)
		return r;
	/* Root's rights are its own; anyone else's capabilities, or a set-id, are lent. */
	raised = getauxval(AT_SECURE) || euid != ruid || suid != ruid || egid != rgid ||
		 sgid != rgid || (ruid != 0 && (c.permitted || c.effective));
	if (!raised)
		return 0;
	/* No core dump or ptrace by the user of what was read with lent rights. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;
	if (!getauxval(AT_SECURE))
		drop_unsafe_environment();
	if ((euid != ruid || suid != ruid || egid != rgid || sgid != rgid) &&
	    ((r = drop_ids(ruid, rgid)) < 0 || (r = caps_get(&c)) < 0))
		return r;
	c.permitted &= caps_for(PRIV_ALL);
	c.effective = c.inheritable = 0;
	r = caps_set(&c);
	if (r < 0)
		return r;
	/* Nothing is passed on (listen runs no program, but a dropped set is the plain truth). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -errno;
	r = caps_get(&c);
	if (r < 0)
		return r;
	if (c.effective || (c.permitted & ~caps_for(PRIV_ALL)))
		return -EPERM;
	kept = c.permitted;
	return 0;
}

bool priv_raised(void)
{
	return raised;
}

void priv_raise(unsigned use)
{
	if (raised)
		caps_set(&(struct caps){ .effective = kept & (caps_needed(use, kept) |
							     caps_for(use & ~(unsigned)PRIV_BPF)),
					 .permitted = kept });
}

void priv_lower(void)
{
	if (raised)
		caps_set(&(struct caps){ .permitted = kept });
}

bool priv_can(unsigned use)
{
	struct caps c;

	if (raised)
		return caps_needed(use, kept) != 0 || use == 0;
	return use == 0 || (caps_get(&c) == 0 && caps_needed(use, c.effective) != 0);
}

bool priv_effective(unsigned use)
{
	struct caps c;

	return use == 0 || (caps_get(&c) == 0 && caps_needed(use, c.effective) != 0);
}

const char *priv_advice(unsigned use)
{
	static const struct {
		unsigned use;
		const char *user, *root, *held;
	} advice[] = {
		{ PRIV_NETNS, "run as root (or give listen CAP_SYS_ADMIN)",
		  "listen runs as root without CAP_SYS_ADMIN: a container or sandbox withholds it",
		  "refused although listen holds CAP_SYS_ADMIN: "
		  "likely a security policy (an LSM)" },
		{ PRIV_NETADMIN, "run as root (or give listen CAP_NET_ADMIN)",
		  "listen runs as root without CAP_NET_ADMIN: a container or sandbox withholds it",
		  "refused although listen holds CAP_NET_ADMIN: "
		  "likely a security policy (an LSM)" },
		{ PRIV_PROCS, "run as root (or give listen CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE)",
		  "listen runs as root without CAP_DAC_READ_SEARCH or CAP_SYS_PTRACE: a container "
		  "or sandbox withholds them",
		  "refused although listen holds CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE: likely a "
		  "security policy (an LSM)" },
	};
	size_t i = 0;

	while (i + 1 < sizeof(advice) / sizeof(advice[0]) && !(advice[i].use & use))
		i++;
	if (priv_can(advice[i].use))
		return advice[i].held;
	return geteuid() == 0 ? advice[i].root : advice[i].user;
}
