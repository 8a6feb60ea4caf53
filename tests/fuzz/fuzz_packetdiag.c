/* libFuzzer harness: PACKET_DIAG reply datagrams, whole capture files (packet and raw
 * sockets), /proc/net/packet and /proc/net/raw text and protocols(5) text; the replies parsed
 * as -m parses them, with their memory; each packet record then written as the table's Scope
 * and the JSON's packet and skmem members write it. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/diag.h"
#include "listen/ipproto.h"
#include "listen/output.h"
#include "listen/packetdiag.h"
#include "listen/procnet.h"
#include "listen/sbuf.h"
#include "listen/scope.h"
#include "listen/sock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every record is of the family its parser makes; a packet socket's text holds no control
 * byte, and its JSON row is written whole. */
static void check(const struct lsock_vec *out, uint8_t family)
{
	struct out_opts o = { .header = true, .more.memory = true };
	struct sbuf b = { 0 };
	FILE *f = fopen("/dev/null", "w");
	void *j = f ? out_json.begin(f, &o) : NULL;

	for (size_t i = 0; i < out->len; i++) {
		const struct lsock *sk = &out->v[i];
		struct out_row r = { .sk = sk, .ifname = sk->ifindex ? "eth0" : NULL,
				     .ext = lsock_vec_ext(out, sk) };

		if (family == AF_PACKET ? sk->family != AF_PACKET
					: sk->protocol != IPPROTO_RAW)
			abort();
		if (family != AF_PACKET)
			continue;
		if (sk->ext && (!r.ext || !r.ext->nskmem || r.ext->nskmem > LSOCK_SKMEM_MAX))
			abort();
		b.len = 0;
		scope_packet_text(&b, sk, r.ifname, false, NULL);
		sbuf_puts(&b, lsock_netid(sk));
		for (size_t k = 0; !b.failed && k < b.len; k++)
			if ((unsigned char)b.s[k] < 0x20 || b.s[k] == 0x7f)
				abort();
		if (j && out_json.row(j, &r) < 0)
			abort();
	}
	if (j)
		out_json.end(j);
	if (f)
		fclose(f);
	sbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_query all = { DIAG_PACKET | DIAG_RAW, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL,
				  .ext = DIAG_EXT_MEMORY };
	struct lsock_vec out = { 0 };
	struct ipproto_names names = { 0 };
	/* A receive buffer is aligned; give the parser the same. */
	void *buf = malloc(size ? size : 1);
	struct packetdiag_parser p = { .out = &out, .ext = DIAG_EXT_MEMORY };
	struct diag_parser dp = { .out = &out, .protocol = IPPROTO_RAW, .filter = &all };

	memcpy(buf, data, size);
	packetdiag_parse(&p, buf, size);
	check(&out, AF_PACKET);
	out.len = 0;
	packetdiag_replay(&all, data, size, &out);
	check(&out, AF_PACKET);
	out.len = 0;
	packetdiag_procnet_parse(&all, buf, size, &out);
	check(&out, AF_PACKET);
	out.len = 0;
	diag_parse(&dp, buf, size);
	check(&out, AF_INET);
	out.len = 0;
	procnet_parse(&all, AF_INET6, IPPROTO_RAW, buf, size, &out);
	check(&out, AF_INET6);
	lsock_vec_free(&out);
	ipproto_parse(&names, buf, size);
	for (int i = 0; i < 256; i++)
		if (names.name[i] && !names.name[i][0])
			abort();
	ipproto_free(&names);
	free(buf);
	return 0;
}
