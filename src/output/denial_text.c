/* The notice for sockets whose holders could not be read: what was denied, and why. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/denial.h"
#include "listen/escape.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/sbuf.h"

/* Processes named one by one up to this many; past it, counted with their pids as runs. */
#define DENIAL_NAMED 3

/* The processes of one cause: "pid 1 (systemd)", "2 processes: pid 1 (a), pid 7 (b)" or
 * "41 processes (pids 1,57-59,... +N more)"; for the unprivileged, a count as always. */
static int who_text(struct sbuf *b, const struct procfs_map *m, enum denial_cause c,
		    const enum denial_cause *causes, size_t n)
{
	uint32_t *pids = malloc(n * sizeof(*pids));
	size_t k = 0;

	if (!pids)
		return -ENOMEM;
	for (size_t i = 0; i < m->ndenials; i++)
		if (causes[i] == c)
			pids[k++] = m->denials[i].pid;
	if (c == DENIAL_UNPRIVILEGED) {
		sbuf_printf(b, "%zu process%s", n, n == 1 ? "" : "es");
	} else if (n <= DENIAL_NAMED) {
		for (size_t i = 0, shown = 0; i < m->ndenials; i++) {
			const struct procfs_denial *d = &m->denials[i];

			if (causes[i] != c)
				continue;
			sbuf_printf(b, "%spid %u", shown++ ? ", " : "", d->pid);
			if (d->name) {
				sbuf_puts(b, " (");
				esc_term(b, d->name, strlen(d->name));
				sbuf_putc(b, ')');
			}
		}
	} else {
		sbuf_printf(b, "%zu processes (pids ", n);
		out_number_runs(b, pids, k); /* by pid already: the walk sorts them */
		sbuf_putc(b, ')');
	}
	free(pids);
	return 0;
}

/* "; it holds cap_sys_resource, which listen's bounding set lacks": the capabilities the
 * cause's processes hold beyond listen's reach, when known. */
static void beyond_text(struct sbuf *b, const struct procfs_self *self, const struct procfs_map *m,
			const enum denial_cause *causes, enum denial_cause c, size_t n)
{
	uint64_t beyond = 0;
	unsigned named = 0, left = 0;

	for (size_t i = 0; i < m->ndenials; i++)
		if (causes[i] == c)
			beyond |= denial_caps_beyond(self, &m->denials[i]);
	if (!beyond)
		return;
	sbuf_puts(b, n == 1 ? "; it holds " : "; they hold ");
	for (unsigned cap = 0; cap < 64; cap++) {
		const char *name = denial_cap_name(cap);

		if (!(beyond & (UINT64_C(1) << cap)))
			continue;
		if (named == DENIAL_NAMED) {
			left++;
			continue;
		}
		if (named++)
			sbuf_puts(b, ", ");
		if (name)
			sbuf_puts(b, name);
		else
			sbuf_printf(b, "capability %u", cap);
	}
	if (left)
		sbuf_printf(b, " +%u more", left);
	sbuf_puts(b, ", which listen's bounding set lacks");
}

/* "not readable although ...: likely ...": what was denied and the likely reason. */
static void why_text(struct sbuf *b, const struct procfs_self *self, const struct procfs_map *m,
		     const enum denial_cause *causes, enum denial_cause c, size_t n)
{
	switch (c) {
	case DENIAL_GONE:
		sbuf_puts(b, n == 1 ? " exited while it was read" : " exited while they were read");
		return;
	case DENIAL_ROOT_NO_CAPS:
		sbuf_puts(b, " not readable by root without cap_sys_ptrace and "
			  "cap_dac_read_search: listen runs in a container or a service that drops "
			  "them; grant them to see these");
		return;
	case DENIAL_USERNS:
		sbuf_puts(b, " not readable from inside a user namespace (a container): they are "
			  "outside it; run listen on the host to see them");
		return;
	case DENIAL_LSM:
		sbuf_puts(b, " not readable under the security label '");
		esc_term(b, self->lsm, strlen(self->lsm));
		sbuf_puts(b, "': the module confining listen (AppArmor, SELinux) refuses it");
		return;
	default:
		sbuf_printf(b, " not readable although listen %s: likely a security policy "
			    "guards %s (an LSM or a hardened kernel)",
			    self->root ? "runs as root" :
					 "has cap_sys_ptrace and cap_dac_read_search",
			    n == 1 ? "it" : "them");
		beyond_text(b, self, m, causes, c, n);
		return;
	}
}

/* One cause's part of the notice: who, then why. */
static int cause_text(struct sbuf *b, const struct procfs_self *self, const struct procfs_map *m,
		      const enum denial_cause *causes, enum denial_cause c, size_t n)
{
	if (who_text(b, m, c, causes, n) < 0)
		return -ENOMEM;
	if (c == DENIAL_UNPRIVILEGED)
		sbuf_puts(b, " not readable: run as root to see them");
	else
		why_text(b, self, m, causes, c, n);
	return 0;
}

int out_denial_notice(struct sbuf *b, const struct procfs_self *self, const struct procfs_map *m,
		      const char *what, unsigned hidepid)
{
	enum denial_cause *causes = calloc(m->ndenials ? m->ndenials : 1, sizeof(*causes));
	size_t count[DENIAL_NCAUSES] = { 0 }, kinds = (size_t)m->hidden + m->outside;
	static const char advice[] = "run it in the host's pid namespace to see them (nsenter "
				     "-t 1 -p, or a container's --pid=host)";

	if (!causes)
		return -ENOMEM;
	for (size_t i = 0; i < m->ndenials; i++)
		count[causes[i] = denial_cause(self, &m->denials[i])]++;
	for (int c = 0; c < DENIAL_NCAUSES; c++)
		kinds += count[c] > 0;
	if (m->hidden && kinds == 1) {
		sbuf_printf(b, "listen: %s (/proc is mounted with hidepid=%u: other users' "
			    "processes are not listed): run as root to see them\n", what, hidepid);
	} else if (m->outside && kinds == 1) {
		sbuf_printf(b, "listen: %s (listen runs in a nested pid namespace, a container's: "
			    "processes outside it are not listed): %s\n", what, advice);
	} else if (kinds == 1 && count[DENIAL_UNPRIVILEGED]) {
		sbuf_printf(b, "listen: %s (%zu process%s not readable): run as root to see them\n",
			    what, count[DENIAL_UNPRIVILEGED],
			    count[DENIAL_UNPRIVILEGED] == 1 ? "" : "es");
	} else {
		sbuf_printf(b, "listen: %s%s", what, kinds == 1 ? ": " : "; processes not read:\n");
		if (m->hidden)
			sbuf_printf(b, "listen:   other users' processes are not listed (/proc is "
				    "mounted with hidepid=%u): run as root to see them\n", hidepid);
		if (m->outside)
			sbuf_printf(b, "listen:   processes outside listen's pid namespace (a "
				    "container's) are not listed: %s\n", advice);
		for (int c = 0; c < DENIAL_NCAUSES; c++) {
			if (!count[c])
				continue;
			if (kinds > 1)
				sbuf_puts(b, "listen:   ");
			if (cause_text(b, self, m, causes, (enum denial_cause)c, count[c]) < 0)
				break;
			sbuf_putc(b, '\n');
		}
	}
	free(causes);
	return b->failed ? -ENOMEM : 0;
}
