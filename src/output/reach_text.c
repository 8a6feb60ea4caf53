/* The firewall's verdict as text: the Reach column, and the rule that decides it. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/escape.h"
#include "listen/output.h"
#include "listen/reach.h"
#include "listen/sbuf.h"

/* "0.0.0.0:8080", "[::]:8080". */
static void via_text(struct sbuf *b, const struct reach_via *v)
{
	char addr[ADDR_STRLEN];

	sbuf_puts(b, addr_format(addr, v->family, v->addr, true)); /* "[::]", not "*" */
	sbuf_putc(b, ':');
	sbuf_putu(b, v->port);
}

void out_reach_rule_text(struct sbuf *b, const struct reach_result *v)
{
	const struct reach_rule *r = &v->rule;

	if (!v->has_rule)
		return;
	esc_term(b, r->family, strlen(r->family));
	sbuf_putc(b, ' ');
	esc_term(b, r->table, strlen(r->table));
	sbuf_putc(b, ' ');
	esc_term(b, r->chain, strlen(r->chain));
	if (r->handle) {
		sbuf_puts(b, " #");
		sbuf_putu(b, r->handle);
	} else {
		sbuf_puts(b, " policy");
	}
	if (r->comment) {
		sbuf_puts(b, " \"");
		esc_term(b, r->comment, strlen(r->comment));
		sbuf_putc(b, '"');
	}
}

void out_reach_text(struct sbuf *b, const struct reach_result *v)
{
	char addr[ADDR_STRLEN];

	if (!v || v->verdict == REACH_NONE)
		return;
	if (v->via.set && v->verdict == REACH_OPEN) {
		sbuf_puts(b, "via ");
		via_text(b, &v->via);
		return;
	}
	if (v->verdict == REACH_PARTIAL) {
		sbuf_puts(b, "from ");
		for (size_t i = 0; i < v->nfrom; i++) {
			if (i)
				sbuf_putc(b, ',');
			sbuf_puts(b, inet_ntop(v->from[i].family, v->from[i].addr, addr,
					       sizeof(addr)));
			sbuf_printf(b, "/%u", v->from[i].len);
		}
	} else {
		sbuf_puts(b, reach_name(v->verdict));
	}
	if (v->only_family && v->verdict == REACH_OPEN)
		sbuf_puts(b, v->only_family == AF_INET ? " (IPv4 only)" : " (IPv6 only)");
	if (v->verdict == REACH_UNKNOWN && v->has_rule) {
		sbuf_puts(b, " (");
		out_reach_rule_text(b, v);
		sbuf_putc(b, ')');
	}
	if (v->via.set) {
		sbuf_puts(b, " via ");
		via_text(b, &v->via);
	}
}
