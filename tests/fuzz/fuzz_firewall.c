/* libFuzzer harness: the ruleset reader (nftables' JSON, and the text listing of rules with
 * iptables extensions), then the evaluator over what was read. The input is split at the
 * first NUL byte: JSON before it, text after it. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/firewall.h"
#include "listen/firewall_text.h"
#include "listen/reach.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nul = memchr(s, '\0', size);
	size_t jlen = nul ? (size_t)(nul - s) : size;
	struct fw_ruleset rs = { 0 };
	struct fw_rule rule = { 0 };
	struct reach_dnat *d = NULL;
	size_t n = 0;

	if (fw_parse(&rs, s, jlen, nul ? nul + 1 : NULL, nul ? size - jlen - 1 : 0) == 0) {
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
	if (fw_text_rule(&rule, s, size) == 0) {
		fw_rule_clear(&rule);
		free(rule.comment);
	}
	return 0;
}
