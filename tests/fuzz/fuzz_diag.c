/* libFuzzer harness: netlink reply datagrams (sock_diag, with -i's and -m's attributes: MD5
 * keys, ULPs and mptcp_info too; MPTCP's, SCTP's and vsock's, and rtnetlink), destroy
 * notifications (sockev.h), SOCK_DESTROY's acks (destroy.h) and whole capture files; and each
 * record's attributes printed as the table and JSON print them. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/destroy.h"
#include "listen/diag.h"
#include "listen/ifaddr.h"
#include "listen/output_info.h"
#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/sockev.h"
#include "listen/vsockdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every record's extension, where it has one, in the table's text and JSON's. */
static void print_ext(const struct lsock_vec *out)
{
	struct out_info_opts o = { .timers = true, .memory = true, .info = true };
	struct sbuf b = { 0 };

	for (size_t i = 0; i < out->len; i++) {
		const struct lsock_ext *e = lsock_vec_ext(out, &out->v[i]);

		if (out->v[i].ext && !e)
			abort(); /* a record points past the extensions */
		o.numeric = i & 1;
		o.md5_hidden = i & 2;
		out_info_text(&b, &out->v[i], e, &o);
		out_info_json(&b, &out->v[i], e, &o);
		if (e && e->nskmem > LSOCK_SKMEM_MAX)
			abort();
		b.len = 0;
	}
	sbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP | DIAG_MPTCP | DIAG_SCTP, DIAG_V4 | DIAG_V6,
				  LSOCK_STATES_ALL, .ext = DIAG_EXT_INFO | DIAG_EXT_MEMORY };
	struct lsock_vec out = { 0 };
	/* A receive buffer is aligned; give the parser the same. */
	void *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	unsigned ext = size & 1 ? DIAG_EXT_INFO : DIAG_EXT_INFO | DIAG_EXT_MEMORY;
	struct diag_parser p = { .out = &out, .protocol = IPPROTO_TCP, .ext = ext };

	diag_parse(&p, buf, size);
	/* A capture's copy, keys cleared, parses the same (but for the keys, never kept). */
	diag_scrub(buf, size);
	diag_parse(&p, buf, size);
	p.protocol = IPPROTO_MPTCP;
	diag_parse(&p, buf, size);
	p.protocol = IPPROTO_SCTP;
	diag_parse(&p, buf, size);
	for (size_t i = 0; i < out.len; i++)
		if (out.v[i].protocol != IPPROTO_TCP && out.v[i].protocol != IPPROTO_SCTP)
			abort(); /* MPTCP's records are TCP's, marked */
	int ack = destroy_parse_ack(buf, size);

	if (ack > 0 || ack < -4095)
		abort(); /* 0 or an errno */
	sockev_parse(IPPROTO_UDP, buf, size, &out);

	struct lsock_vec vs = { 0 };
	struct vsockdiag_parser vp = { .out = &vs };
	struct diag_query vq = { DIAG_VSOCK, 0, LSOCK_STATES_ALL };

	vsockdiag_parse(&vp, buf, size);
	vsockdiag_replay(&vq, data, size, &vs);
	for (size_t i = 0; i < vs.len; i++)
		if (vs.v[i].family != AF_VSOCK)
			abort();
	lsock_vec_free(&vs);
	diag_replay(&all, data, size, &out);
	print_ext(&out);
	lsock_vec_free(&out);

	struct ifaddr_table t = { 0 };

	ifaddr_parse(&t, buf, size);
	ifaddr_replay(&t, data, size);
	for (size_t i = 0; i < t.nlinks; i++)
		if (strnlen(t.links[i].name, sizeof(t.links[i].name)) == sizeof(t.links[i].name))
			abort(); /* every name is terminated */
	ifaddr_table_free(&t);
	free(buf);
	return 0;
}
