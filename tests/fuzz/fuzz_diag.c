/* libFuzzer harness: netlink reply datagrams (sock_diag and rtnetlink), destroy
 * notifications (sockev.h) and whole capture files. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/diag.h"
#include "listen/ifaddr.h"
#include "listen/sock.h"
#include "listen/sockev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_query all = { DIAG_TCP | DIAG_UDP, DIAG_V4 | DIAG_V6, LSOCK_STATES_ALL };
	struct lsock_vec out = { 0 };
	/* A receive buffer is aligned; give the parser the same. */
	void *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	struct diag_parser p = { .out = &out, .protocol = IPPROTO_TCP };

	diag_parse(&p, buf, size);
	sockev_parse(IPPROTO_UDP, buf, size, &out);
	diag_replay(&all, data, size, &out);
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
