/* Selection by holder (--process, --user): the sockets held by the processes asked for. */
#ifndef LISTEN_HOLDERS_H
#define LISTEN_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>

struct cli_holders;
struct lsock;
struct procfs_map;
struct procfs_proc;

/*
 * Whether process p is one h asks for: one of --process's pids or names, and one of --user's
 * uids (names already looked up), for each of the two that was given. A name is compared with
 * the whole comm; a name longer than the kernel keeps (15 bytes) with the comm it is cut to.
 */
bool holders_match(const struct cli_holders *h, const struct procfs_proc *p);

/*
 * Look --user's names up in the passwd database and add their uids to h->uids. Returns 0;
 * -ENOENT when a name is not there (*unknown then points to it); -ENOMEM, -EMFILE or -ENFILE
 * when the database could not be read.
 */
int holders_resolve_users(struct cli_holders *h, const char **unknown);

/*
 * Keep, in order, those of the n sockets that one of their holders in m matches (holders_match);
 * held[i] (parallel to m->procs) says whether m->procs[i] matched. Returns how many sockets are
 * kept, at the front of socks.
 */
size_t holders_select(const struct cli_holders *h, const struct procfs_map *m, bool *held,
		      struct lsock *socks, size_t n);

#endif
