/* libFuzzer harness: the netlink ruleset reader (nfnetlink dump replies of chains, sets, set
 * elements and rules, decoded into records), then the evaluator over what was read. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "listen/firewall.h"
#include "listen/firewall_nl.h"
#include "listen/reach.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_ruleset rs = { 0 };
	struct reach_dnat *d = NULL;
	size_t n = 0;

	if (fw_nl_parse(&rs, data, size) == 0) {
		for (uint16_t port = 20; port < 30; port++) {
			struct reach_query q = { IPPROTO_TCP, port & 1 ? AF_INET6 : AF_INET, true,
						 { 10, 0, 0, 1 }, port, "eth0", "docker0", true,
						 false };
			struct reach_result res;

			if (reach_eval(&rs, port & 2 ? REACH_FORWARD : REACH_INPUT, &q, &res) == 0)
				reach_result_free(&res);
		}
		if (reach_published(&rs, "eth0", &d, &n) == 0)
			free(d);
	}
	fw_ruleset_free(&rs);
	return 0;
}
