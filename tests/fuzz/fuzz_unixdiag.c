/* libFuzzer harness: UNIX_DIAG reply datagrams, whole capture files and /proc/net/unix text
 * (the replies parsed as -m parses them, with their memory), each record's name then written
 * as the table and JSON write it, and its memory as -m writes it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/escape.h"
#include "listen/output.h"
#include "listen/output_info.h"
#include "listen/procnet.h"
#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/unixdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every record is a unix socket whose name, if any, is in bounds; its table text holds no
 * control byte and its JSON text none either; its memory, if any, is one the vector holds,
 * of at most the fields listen knows. */
static void check(const struct lsock_vec *out)
{
	struct sbuf b = { 0 };

	for (size_t i = 0; i < out->len; i++) {
		const struct lsock *sk = &out->v[i];

		if (sk->family != AF_UNIX)
			abort();
		if ((sk->un.flags & LSOCK_UNIX_NAME) && sk->un.name_len && !sk->un.name)
			abort();
		const struct lsock_ext *e = lsock_vec_ext(out, sk);

		if (sk->ext && (!e || !e->nskmem || e->nskmem > LSOCK_SKMEM_MAX))
			abort();
		b.len = 0;
		if (e)
			out_skmem_text(&b, e);
		out_unix_name_text(&b, sk);
		if (sk->un.flags & LSOCK_UNIX_NAME)
			esc_json(&b, sk->un.name, sk->un.name_len);
		for (size_t k = 0; !b.failed && k < b.len; k++)
			if ((unsigned char)b.s[k] < 0x20 || b.s[k] == 0x7f)
				abort();
	}
	sbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_query all = { DIAG_UNIX, 0, LSOCK_STATES_ALL, .ext = DIAG_EXT_MEMORY };
	struct lsock_vec out = { 0 };
	/* A receive buffer is aligned; give the parser the same. */
	void *buf = malloc(size ? size : 1);
	struct unixdiag_parser p = { .out = &out, .ext = DIAG_EXT_MEMORY };

	memcpy(buf, data, size);
	unixdiag_parse(&p, buf, size);
	check(&out);
	unixdiag_replay(&all, data, size, &out);
	check(&out);
	procnet_unix_parse(&all, buf, size, &out);
	check(&out);
	lsock_vec_free(&out);
	free(buf);
	return 0;
}
