/* Why a process's fd table could not be read: the cause from the facts. Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "listen/denial.h"
#include "listen/procfs.h"

enum denial_cause denial_cause(const struct procfs_self *self, const struct procfs_denial *d)
{
	if (d->gone)
		return DENIAL_GONE;
	if (!self->privileged)
		return self->root ? DENIAL_ROOT_NO_CAPS : DENIAL_UNPRIVILEGED;
	/* Capabilities reach the user namespace they are held in and those below it: from a
	 * container's own namespace, not the host's processes. */
	if (!self->init_userns && d->other_userns)
		return DENIAL_USERNS;
	if (self->lsm)
		return DENIAL_LSM;
	return DENIAL_POLICY;
}

uint64_t denial_caps_beyond(const struct procfs_self *self, const struct procfs_denial *d)
{
	if (!self->bounding_known || !d->caps_known)
		return 0;
	return d->caps & ~self->bounding;
}

const char *denial_cap_name(unsigned cap)
{
	/* capabilities(7), in the kernel's order. */
	static const char *const names[] = {
		"cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner",
		"cap_fsetid", "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap",
		"cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
		"cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module",
		"cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct",
		"cap_sys_admin", "cap_sys_boot", "cap_sys_nice", "cap_sys_resource",
		"cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease", "cap_audit_write",
		"cap_audit_control", "cap_setfcap", "cap_mac_override", "cap_mac_admin",
		"cap_syslog", "cap_wake_alarm", "cap_block_suspend", "cap_audit_read",
		"cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
	};

	return cap < sizeof(names) / sizeof(names[0]) ? names[cap] : NULL;
}
