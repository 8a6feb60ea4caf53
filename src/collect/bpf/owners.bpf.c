/*
 * The kernel half of the BPF owner source (bpf_owners.c): an iter/task_file program that visits
 * every open file of every process, in the kernel, and writes one record per socket file of a
 * thread group leader (the fd table /proc/PID/fd shows): (tgid, fd, inode). When the iteration
 * ends it writes one more record, the trailer, which says the output is whole. The pids are
 * the kernel's: the reader must be in the initial pid namespace (bpf_owners_facts).
 *
 * The kernel types are declared here with only the fields read; preserve_access_index makes
 * each access a CO-RE relocation, which the kernel itself resolves against its own BTF when
 * the light skeleton's loader runs: listen never parses vmlinux BTF.
 */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#include <bpf/bpf_helpers.h>

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define FMODE_PATH 0x4000

/* The record, as bpf_owners.h's parser reads it. */
struct rec {
	__u32 tgid; /* 0 in the trailer */
	__s32 fd;   /* -1 in the trailer */
	__u64 ino;  /* 0 in the trailer */
};

/* Each type relocated costs the loader a search of the kernel's BTF (some 0.3 ms): three. */
struct inode {
	unsigned short i_mode;
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
	unsigned int f_mode;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct seq_file;

/* The iterator's context is the kernel's ABI (each pointer 8-byte aligned), laid out the same
 * in every kernel: no relocation, so the loader looks up two types fewer. */
struct bpf_iter_meta {
	struct seq_file *seq;
};

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
};

SEC("iter/task_file")
int listen_owners(struct bpf_iter__task_file *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct rec r = { 0, -1, 0 };

	if (!task || !file) {
		/* The end: called once with neither. */
		bpf_seq_write(seq, &r, sizeof(r));
		return 0;
	}
	/* Threads with an fd table of their own: /proc/PID/fd shows only the leader's. */
	if (task->pid != task->tgid)
		return 0;
	struct inode *inode = file->f_inode;

	/*
	 * Sockets only, as "socket:[N]" links are: a socket inode is either sockfs's or a socket
	 * file on disk, which only O_PATH opens (open() gives ENXIO).
	 */
	if (!inode || (inode->i_mode & S_IFMT) != S_IFSOCK || (file->f_mode & FMODE_PATH))
		return 0;
	r.tgid = (__u32)task->tgid;
	r.fd = (__s32)ctx->fd;
	r.ino = inode->i_ino;
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}

/* The project is MIT; the kernel gives GPL-only helpers (bpf_seq_write) to GPL-compatible
 * programs, and "Dual MIT/GPL" is one. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";
