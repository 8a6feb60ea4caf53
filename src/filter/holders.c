/* Selection by holder: --process and --user keep the sockets their processes hold. */
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/cli.h"
#include "listen/fileio.h"
#include "listen/holders.h"
#include "listen/procfs.h"
#include "listen/sock.h"

/* What the kernel keeps of a process name (TASK_COMM_LEN less its NUL). */
#define HOLDERS_COMM_MAX 15

/* Whether comm is the process name want, or what the kernel cut want to. */
static bool holders_comm_is(const char *comm, const char *want)
{
	if (!comm)
		return false;
	if (strlen(want) > HOLDERS_COMM_MAX)
		return strlen(comm) == HOLDERS_COMM_MAX &&
		       strncmp(comm, want, HOLDERS_COMM_MAX) == 0;
	return strcmp(comm, want) == 0;
}

bool holders_match(const struct cli_holders *h, const struct procfs_proc *p)
{
	bool process = !h->nnames && !h->npids, user = !h->nuids;

	for (size_t i = 0; i < h->npids && !process; i++)
		process = p->pid == h->pids[i];
	for (size_t i = 0; i < h->nnames && !process; i++)
		process = holders_comm_is(p->name, h->names[i]);
	for (size_t i = 0; i < h->nuids && !user; i++)
		user = p->uid == h->uids[i];
	return process && user;
}

int holders_resolve_users(struct cli_holders *h, const char **unknown)
{
	for (size_t i = 0; i < h->nusers; i++) {
		struct passwd *pw;
		uint32_t *uids;

		errno = 0;
		pw = getpwnam(h->users[i]);
		if (!pw && (errno == ENOMEM || fileio_exhausted(-errno)))
			return -errno;
		if (!pw) {
			*unknown = h->users[i];
			return -ENOENT;
		}
		uids = realloc(h->uids, (h->nuids + 1) * sizeof(*uids));
		if (!uids)
			return -ENOMEM;
		h->uids = uids;
		h->uids[h->nuids++] = (uint32_t)pw->pw_uid;
	}
	return 0;
}

size_t holders_select(const struct cli_holders *h, const struct procfs_map *m, bool *held,
		      struct lsock *socks, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < m->nprocs; i++)
		held[i] = holders_match(h, &m->procs[i]);
	for (size_t i = 0; i < n; i++) {
		const struct lsock *sk = &socks[i];
		bool keep = false;

		for (uint32_t j = 0; j < sk->owner_count && !keep; j++)
			keep = held[m->owners[sk->owner_first + j].proc];
		if (keep)
			socks[k++] = *sk;
	}
	return k;
}
