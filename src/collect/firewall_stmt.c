/*
 * A rule's statements that are not matches (verdicts, nat, reject, counters, iptables
 * extensions), then the rule: the statements of the listing the JSON reader ends with (its
 * own, or its text reader's for a rule with an extension it leaves unknown).
 */
/* glibc's networking headers before the kernel's (linux/in.h defers to them) */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <stdlib.h>
#include <string.h>

#include "listen/firewall.h"
#include "listen/firewall_nl.h"
#include "listen/firewall_dec.h"
#include "listen/firewall_xt.h"

/* A statement that is not a match: it ends the tracked dependencies. */
static struct fw_dec_stmt *add_other(struct fw_dec *d, uint8_t stmt)
{
	struct fw_dec_stmt *s = fw_dec_stmt(d);

	fw_dec_untrack(d);
	if (s)
		s->json.stmt = stmt;
	return s;
}

/* An unknown statement named as the JSON reader names it. */
static int add_unknown(struct fw_dec *d, const char *name)
{
	struct fw_dec_stmt *s = add_other(d, FW_ST_UNKNOWN);

	if (!s || !(s->json.name = strdup(name)))
		return -ENOMEM;
	d->text_bad = true;
	return 0;
}

/* An immediate: a verdict, or data loaded into a register. */
static int do_immediate(struct fw_dec *d, const struct fw_dec_expr *e)
{
	uint32_t dreg = fw_dec_u32(e, NFTA_IMMEDIATE_DREG), len = 0;
	const struct nlattr *vd, *code, *chain;
	struct fw_dec_stmt *s;

	if (dreg != NFT_REG_VERDICT) {
		const void *v = fw_dec_data(e, NFTA_IMMEDIATE_DATA, &len);

		if (dreg >= FW_NREGS || !v || len > 16)
			return -EOPNOTSUPP;
		d->regs[dreg] = (struct fw_dec_reg){ .src = FW_SRC_IMM, .dlen = len, .len = len };
		memcpy(d->regs[dreg].data, v, len);
		return 0;
	}
	vd = fw_dec_has(e, NFTA_IMMEDIATE_DATA) ?
	     fw_dec_nested(e->tb[NFTA_IMMEDIATE_DATA], NFTA_DATA_VERDICT) : NULL;
	code = fw_dec_nested(vd, NFTA_VERDICT_CODE);
	chain = fw_dec_nested(vd, NFTA_VERDICT_CHAIN);
	if (!code || mnl_attr_get_payload_len(code) < 4)
		return -EOPNOTSUPP;
	if (!(s = add_other(d, FW_ST_VERDICT)))
		return -ENOMEM;
	switch ((int)ntohl(mnl_attr_get_u32(code))) {
	case NF_ACCEPT: s->json.verdict = FW_V_ACCEPT; return 0;
	case NF_DROP: s->json.verdict = FW_V_DROP; return 0;
	case NFT_CONTINUE: s->json.verdict = FW_V_CONTINUE; return 0;
	case NFT_RETURN: s->json.verdict = FW_V_RETURN; return 0;
	case NFT_JUMP: s->json.verdict = FW_V_JUMP; break;
	case NFT_GOTO: s->json.verdict = FW_V_GOTO; break;
	default: return -EOPNOTSUPP;
	}
	if (!chain || mnl_attr_validate(chain, MNL_TYPE_NUL_STRING) < 0)
		return -EOPNOTSUPP;
	s->json.target = strdup(mnl_attr_get_str(chain));
	return s->json.target ? 0 : -ENOMEM;
}

/* The port an immediate in a nat register gives (network order in the register). */
static int nat_port(const struct fw_dec *d, uint32_t reg, uint16_t *port)
{
	const struct fw_dec_reg *g = reg < FW_NREGS ? &d->regs[reg] : NULL;

	if (!g || g->src != FW_SRC_IMM || g->dlen != 2)
		return -EOPNOTSUPP;
	*port = (uint16_t)(g->data[0] << 8 | g->data[1]);
	return 0;
}

/* A dnat or redirect to a range: nft's JSON gives a prefix, a range or a map, which the
 * JSON reader does not follow (and the text reader does not read). */
static int nat_range(struct fw_dec *d, struct fw_dec_stmt *s, const char *name)
{
	memset(&s->json, 0, sizeof(s->json));
	s->json.stmt = FW_ST_UNKNOWN;
	d->text_bad = true;
	return (s->json.name = strdup(name)) ? 0 : -ENOMEM;
}

/* dnat, snat, redirect, masquerade. */
static int do_nat(struct fw_dec *d, const struct fw_dec_expr *e, const char *what)
{
	bool redir = strcmp(what, "redir") == 0, masq = strcmp(what, "masq") == 0;
	uint32_t amin = NFTA_NAT_REG_ADDR_MIN, amax = NFTA_NAT_REG_ADDR_MAX;
	uint32_t pmin = redir ? NFTA_REDIR_REG_PROTO_MIN : masq ? NFTA_MASQ_REG_PROTO_MIN
								     : NFTA_NAT_REG_PROTO_MIN;
	uint32_t pmax = redir ? NFTA_REDIR_REG_PROTO_MAX : masq ? NFTA_MASQ_REG_PROTO_MAX
								     : NFTA_NAT_REG_PROTO_MAX;
	uint32_t fattr = redir ? NFTA_REDIR_FLAGS : masq ? NFTA_MASQ_FLAGS
							       : NFTA_NAT_FLAGS;
	uint32_t flags = fw_dec_has(e, fattr) ? fw_dec_u32(e, fattr) : 0;
	bool dnat = redir || (!masq && fw_dec_u32(e, NFTA_NAT_TYPE) == NFT_NAT_DNAT);
	struct fw_dec_stmt *s = add_other(d, dnat ? FW_ST_DNAT : FW_ST_NAT);

	if (!s)
		return -ENOMEM;
	if (flags & ~(uint32_t)(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED))
		d->text_bad = true; /* random, persistent... follow in the text listing */
	if (!dnat) {
		/* the text reader reads masquerade alone, not snat */
		d->text_bad |= !masq || fw_dec_has(e, pmin);
		return 0;
	}
	s->json.redirect = redir;
	if (!redir && fw_dec_has(e, amin)) {
		const struct fw_dec_reg *g = fw_dec_u32(e, amin) < FW_NREGS ?
				      &d->regs[fw_dec_u32(e, amin)] : NULL;

		if (!g || g->src != FW_SRC_IMM || (g->dlen != 4 && g->dlen != 16))
			return -EOPNOTSUPP;
		if (fw_dec_has(e, amax) && fw_dec_u32(e, amax) != fw_dec_u32(e, amin))
			return nat_range(d, s, "dnat"); /* an address range */
		s->json.nat_family = g->dlen == 4 ? AF_INET : AF_INET6;
		memcpy(s->json.addr, g->data, g->dlen);
	} else if (!redir) {
		return -EOPNOTSUPP;
	}
	if (fw_dec_has(e, pmin)) {
		int r = nat_port(d, fw_dec_u32(e, pmin), &s->json.port);

		if (r < 0)
			return r;
		if (fw_dec_has(e, pmax) && fw_dec_u32(e, pmax) != fw_dec_u32(e, pmin)) {
			/* a port range: the JSON reader keeps the address and no port */
			if (redir || !s->json.nat_family)
				return nat_range(d, s, redir ? "redirect" : "dnat");
			s->json.port = 0;
			d->text_bad = true;
		}
	}
	return 0;
}

/* reject: a verdict, whatever its type. An icmp or icmpv6 type of an inet table's reject
 * needs its family: nft drops the meta nfproto match it put before it. */
static int do_reject(struct fw_dec *d, const struct fw_dec_expr *e)
{
	struct fw_dec_stmt *s;
	uint8_t only = 0;

	/* nft's JSON names the family by the reject's type instead ("icmp", "icmpv6"): both
	 * readers keep it on the verdict. */
	if (d->family == NFPROTO_INET && d->dep_ll >= 0 &&
	    fw_dec_u32(e, NFTA_REJECT_TYPE) == NFT_REJECT_ICMP_UNREACH) {
		d->st[d->dep_ll].gone = true;
		only = d->dep_ll_val == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	}
	s = add_other(d, FW_ST_VERDICT);

	if (!s)
		return -ENOMEM;
	s->json.verdict = FW_V_REJECT;
	s->json.only_family = only;
	return 0;
}

/* An iptables extension: the JSON reader's record of it and its text translation. */
static int do_xt(struct fw_dec *d, const struct fw_dec_expr *e, bool target)
{
	uint32_t len = 0;
	const void *info = fw_dec_raw(e, target ? NFTA_TARGET_INFO : NFTA_MATCH_INFO, &len);
	const char *name = fw_dec_str(e, target ? NFTA_TARGET_NAME : NFTA_MATCH_NAME);
	uint32_t rev = fw_dec_u32(e, target ? NFTA_TARGET_REV : NFTA_MATCH_REV);
	struct fw_xt xt = { .family = d->family, .l4 = d->l4 };
	struct fw_dec_stmt *s = add_other(d, FW_ST_UNKNOWN);
	int r;

	if (!s)
		return -ENOMEM;
	if (!name || !info)
		return -EOPNOTSUPP;
	r = fw_xt_decode(&xt, &s->json, target, name, rev, info, len);
	if (r < 0) {
		fw_xt_free(&xt);
		return r;
	}
	s->same = false;
	s->text = xt.text;
	s->ntext = xt.ntext;
	d->text_bad |= xt.text_bad;
	d->text_unsure |= xt.text_unsure;
	d->xt_unknown |= s->json.stmt == FW_ST_UNKNOWN;
	return 0;
}

/* One expression of the rule. */
static int do_expr(struct fw_dec *d, const struct fw_dec_expr *e)
{
	const char *n = e->name;

	if (!n)
		return -EOPNOTSUPP;
	if (n[0] != 'c' || n[1] != 'm') /* not cmp */
		d->ge = -1;
	switch (n[0]) {
	case 'b':
		if (strcmp(n, "bitwise") == 0)
			return fw_dec_bitwise(d, e);
		break;
	case 'c':
		if (strcmp(n, "cmp") == 0)
			return fw_dec_cmp(d, e);
		if (strcmp(n, "ct") == 0)
			return fw_dec_load(d, e, n);
		if (strcmp(n, "counter") == 0)
			return add_other(d, FW_ST_NOP) ? 0 : -ENOMEM;
		break;
	case 'f':
		if (strcmp(n, "fib") == 0)
			return fw_dec_load(d, e, n);
		break;
	case 'i':
		if (strcmp(n, "immediate") == 0)
			return do_immediate(d, e);
		break;
	case 'l':
		if (strcmp(n, "lookup") == 0)
			return fw_dec_lookup(d, e);
		if (strcmp(n, "log") == 0)
			return add_other(d, FW_ST_NOP) ? 0 : -ENOMEM;
		if (strcmp(n, "limit") == 0)
			return add_unknown(d, n);
		break;
	case 'm':
		if (strcmp(n, "meta") == 0)
			return fw_dec_load(d, e, n);
		if (strcmp(n, "match") == 0)
			return do_xt(d, e, false);
		if (strcmp(n, "masq") == 0)
			return do_nat(d, e, n);
		break;
	case 'n':
		if (strcmp(n, "nat") == 0)
			return do_nat(d, e, n);
		if (strcmp(n, "notrack") == 0)
			return add_unknown(d, n);
		break;
	case 'p':
		if (strcmp(n, "payload") == 0)
			return fw_dec_load(d, e, n);
		break;
	case 'q':
		if (strcmp(n, "quota") == 0)
			return add_unknown(d, n);
		break;
	case 'r':
		if (strcmp(n, "range") == 0)
			return fw_dec_range(d, e);
		if (strcmp(n, "reject") == 0)
			return do_reject(d, e);
		if (strcmp(n, "redir") == 0)
			return do_nat(d, e, n);
		break;
	case 't':
		if (strcmp(n, "target") == 0)
			return do_xt(d, e, true);
		break;
	}
	return -EOPNOTSUPP;
}

/* The rule's comment, from its user data: type-length-value records of one byte each for
 * type and length, as nft writes them (libnftnl's udata.h), the comment of type 0 with its
 * NUL. Walked here, every length checked: libnftnl's walker reads past a short last record. */
static const char *rule_comment(const unsigned char *u, size_t len)
{
	enum { UDATA_RULE_COMMENT = 0 };

	for (size_t off = 0; off + 2 <= len;) {
		uint8_t type = u[off], l = u[off + 1];

		if (off + 2 + l > len)
			return NULL;
		if (type == UDATA_RULE_COMMENT && l > 0 && u[off + 2 + l - 1] == '\0')
			return (const char *)u + off + 2;
		off += 2 + (size_t)l;
	}
	return NULL;
}

/* Release what one record owns. */
static void expr_clear(struct fw_expr *x)
{
	for (size_t i = 0; i < x->nelems; i++) {
		free(x->elems[i].str);
		free(x->elems[i].target);
	}
	free(x->elems);
	free(x->target);
	free(x->set);
	free(x->name);
	memset(x, 0, sizeof(*x));
}

/* Release a statement list. */
static void stmts_free(struct fw_dec_stmt *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct fw_rule tmp = { .exprs = st[i].text, .nexprs = st[i].ntext };

		expr_clear(&st[i].json);
		fw_rule_clear(&tmp);
	}
	free(st);
}

/* Move the records of the listing the JSON reader ends with into r. */
static int flatten(struct fw_dec *d, struct fw_rule *r, bool text, bool comment)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nst; i++)
		if (!d->st[i].gone)
			n += text && !d->st[i].same ? d->st[i].ntext : 1;
	n += text && comment;
	if (!(r->exprs = calloc(n ? n : 1, sizeof(*r->exprs))))
		return -ENOMEM;
	for (size_t i = 0; i < d->nst; i++) {
		struct fw_dec_stmt *s = &d->st[i];

		if (s->gone)
			continue;
		if (text && !s->same) {
			if (s->ntext)
				memcpy(r->exprs + r->nexprs, s->text, s->ntext * sizeof(*s->text));
			r->nexprs += s->ntext;
			free(s->text);
			s->text = NULL;
			s->ntext = 0;
			continue;
		}
		r->exprs[r->nexprs++] = s->json;
		memset(&s->json, 0, sizeof(s->json));
	}
	if (text && comment)
		r->exprs[r->nexprs++].stmt = FW_ST_NOP; /* its text line's `comment "..."` */
	return 0;
}

/* An expression's attributes by type. */
static int expr_attr(const struct nlattr *a, void *data)
{
	struct fw_dec_expr *e = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t < FW_XMAX)
		e->tb[t] = a;
	return MNL_CB_OK;
}

/* One NFTA_LIST_ELEM of a rule's expressions: its name and data. */
static int expr_of(const struct nlattr *elem, struct fw_dec_expr *e)
{
	const struct nlattr *a, *name = NULL, *data = NULL;

	memset(e, 0, sizeof(*e));
	mnl_attr_for_each_nested(a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	if (mnl_attr_get_type(elem) != NFTA_LIST_ELEM || !name ||
	    mnl_attr_validate(name, MNL_TYPE_NUL_STRING) < 0)
		return -EBADMSG;
	e->name = mnl_attr_get_str(name);
	if (data && mnl_attr_parse_nested(data, expr_attr, e) < 0)
		return -EBADMSG;
	return 0;
}

int fw_nl_rule(struct fw_rule *r, const struct fw_nl_rulemsg *m, const struct fw_nl_set *sets,
	       size_t nsets, bool *xt)
{
	struct fw_dec d = { .family = m->family, .table = m->table, .sets = sets, .nsets = nsets,
			 .dep_ll = -1, .dep_nh = -1, .ge = -1 };
	const struct nlattr *elem;
	const char *comment = NULL;
	bool text;
	int rc = 0;

	if (m->exprs)
		mnl_attr_for_each_nested(elem, m->exprs) {
			struct fw_dec_expr e;

			if (rc == 0 && (rc = expr_of(elem, &e)) == 0)
				rc = do_expr(&d, &e);
		}
	if (rc == 0 && m->udata)
		comment = rule_comment(m->udata, m->ulen);
	if (rc == 0 && comment && !(r->comment = strdup(comment)))
		rc = -ENOMEM;
	/* The JSON reader takes a rule with an unknown xt from its text line, when it parses. */
	text = d.xt_unknown && !d.text_bad;
	if (rc == 0 && text && d.text_unsure)
		rc = -EOPNOTSUPP;
	if (rc == 0)
		rc = flatten(&d, r, text, comment != NULL);
	if (rc == 0 && text && comment && strpbrk(comment, "\"\\"))
		rc = -EOPNOTSUPP; /* its text line quotes it: not reproduced */
	*xt |= d.xt_unknown;
	stmts_free(d.st, d.nst);
	return rc;
}
