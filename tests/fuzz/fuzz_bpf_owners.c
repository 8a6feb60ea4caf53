/* libFuzzer harness: the parser of the BPF owner iterator's output (bpf_owners_parse), fed in
 * two pieces split where the first byte says, and its records handed to the walk's mapping,
 * which must take whatever the parser accepts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "listen/bpf_owners.h"
#include "listen/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpf_owners_parser p = { 0 };
	struct procfs_walk *w;
	size_t split;
	int r;

	if (size == 0)
		return 0;
	split = data[0] % size;
	data++, size--;
	if (split > size)
		split = size;
	r = bpf_owners_parse(&p, data, split);
	if (r == 0)
		r = bpf_owners_parse(&p, data + split, size - split);
	if (r == 0)
		r = bpf_owners_parse_end(&p);
	if (r != 0 && r != -EBADMSG && r != -ENOMEM)
		abort();
	if (r != 0) {
		free(p.v);
		return 0;
	}
	for (size_t i = 0; i < p.len; i++)
		if (p.v[i].fd < 0 || p.v[i].pid == 0 || (i && p.v[i].pid < p.v[i - 1].pid))
			abort();
	r = procfs_walk_adopt(&w, -1, p.v, p.len);
	if (r == -EINVAL)
		abort();
	procfs_walk_cancel(w);
	return 0;
}
