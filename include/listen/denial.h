/*
 * Why a process's sockets could not be read, from what the walk and a second look found
 * (procfs_denial) and what listen is (procfs_self): one cause each, so the notice says what
 * was denied and the likely reason instead of "run as root" to a root that was refused.
 */
#ifndef LISTEN_DENIAL_H
#define LISTEN_DENIAL_H

#include <stdint.h>

struct procfs_denial;
struct procfs_self;

enum denial_cause {
	DENIAL_GONE,         /* it exited (or was exiting) while it was read */
	DENIAL_UNPRIVILEGED, /* another user's process, and listen is not root and lacks
			      * cap_sys_ptrace and cap_dac_read_search: run as root */
	DENIAL_ROOT_NO_CAPS, /* listen is root without those capabilities: a container or a
			      * service that drops them */
	DENIAL_USERNS,       /* listen runs in a user namespace, the process outside it */
	DENIAL_LSM,          /* listen runs confined by a security module's label */
	DENIAL_POLICY,       /* listen had every right a read takes and was refused all the
			      * same: a security policy guards the process (a hardened PID 1) */
	DENIAL_NCAUSES,
};

/* The likely cause of d, given what listen is. Pure. */
enum denial_cause denial_cause(const struct procfs_self *self, const struct procfs_denial *d);

/* The capabilities d holds that listen's bounding set lacks (0 when either is unknown): why
 * a policy may guard it. */
uint64_t denial_caps_beyond(const struct procfs_self *self, const struct procfs_denial *d);

/* The name of capability number cap ("cap_sys_resource"), or NULL for one it does not know. */
const char *denial_cap_name(unsigned cap);

#endif
