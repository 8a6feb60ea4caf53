/*
 * The BPF owner source: the socket fds of every process, found in the kernel by an
 * iter/task_file program (src/collect/bpf/owners.bpf.c) instead of by reading each
 * /proc/PID/fd. Loaded with bpftool's light skeleton, whose loader program the kernel runs:
 * the kernel resolves the program's field offsets and its attach point against its own BTF,
 * so listen reads and parses no BTF. Loading needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN);
 * reading the iterator once made needs nothing.
 */
#ifndef LISTEN_BPF_OWNERS_H
#define LISTEN_BPF_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct procfs_sock_fd;
struct bpf_owners;

/* The size of one record of the iterator's output: u32 tgid, s32 fd, u64 inode (host order);
 * the last, the trailer, is 0, -1, 0. */
#define BPF_OWNERS_RECORD 16

/* What the run knows of the machine when it chooses the owner source (plan_owner_source). */
struct bpf_owners_facts {
	bool built;      /* listen was built with the BPF source (meson -Dbpf) */
	bool privileged; /* it may raise PRIV_BPF */
	bool btf;        /* the kernel has BTF (/sys/kernel/btf/vmlinux) */
	bool lockdown;   /* the kernel is locked down for confidentiality */
	bool init_pidns; /* listen and its /proc are in the initial pid namespace, whose pids
			  * the iterator gives */
	unsigned long tasks; /* threads on the machine (/proc/loadavg), 0 if unknown */
};

/* Whether listen was built with the BPF source. */
bool bpf_owners_built(void);

/* The facts, read from the running kernel and the /proc tree at proc_dirfd (not taken
 * over). Never fails: what cannot be read is taken as the answer that keeps the /proc walk. */
void bpf_owners_facts(struct bpf_owners_facts *f, int proc_dirfd);

/*
 * Load the iterator and read it, on a thread of its own while the caller dumps sockets (in
 * bpf_owners_finish if no thread can start). The thread raises PRIV_BPF around the bpf()
 * calls only; reading the iterator once made needs nothing. Returns 0 or -ENOMEM.
 */
int bpf_owners_start(struct bpf_owners **b);

/*
 * Wait for the load and the read and hand over the socket fds: *v (malloc'd, *n of them)
 * ordered by pid, then fd, as a walk of /proc finds them. Frees b. *loaded says whether the
 * kernel took the program. Returns 0; -EOPNOTSUPP when built without it; the errno the
 * kernel gave the load (-EPERM without the capabilities; -EINVAL, -ENOENT or -E2BIG for a
 * kernel without what it needs: BTF, the task_file iterator, the loader's program type);
 * -EBADMSG for output that is not whole records ending in the trailer; the read's -errno;
 * -ENOMEM.
 */
int bpf_owners_finish(struct bpf_owners *b, struct procfs_sock_fd **v, size_t *n, bool *loaded);

/* Release b without reading it; NULL is fine. */
void bpf_owners_cancel(struct bpf_owners *b);

/* The parser of the iterator's output, fed in pieces of any size. */
struct bpf_owners_parser {
	struct procfs_sock_fd *v;
	size_t len, cap;
	unsigned char carry[BPF_OWNERS_RECORD]; /* a record split between two pieces */
	size_t ncarry;
	bool ended;       /* the trailer was read */
};

/*
 * Add len bytes of output to p (zeroed first). Records after the trailer, a pid going
 * backwards, a record that is neither a socket fd nor the trailer: -EBADMSG. -ENOMEM. Inodes
 * beyond 32 bits are skipped, as the /proc walk skips them.
 */
int bpf_owners_parse(struct bpf_owners_parser *p, const void *buf, size_t len);

/* After the last piece: 0 when the output was whole, else -EBADMSG. Leaves p->v to the
 * caller. */
int bpf_owners_parse_end(const struct bpf_owners_parser *p);

#endif
