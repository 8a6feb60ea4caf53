/* The canonical text of a ruleset's records, for comparing the two readers. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "fw_canon.h"
#include "listen/firewall.h"

static void elem(FILE *f, const struct fw_elem *e)
{
	char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN];

	switch (e->kind) {
	case FW_ELEM_NUM:
		fprintf(f, " num:%u-%u", e->lo, e->hi);
		break;
	case FW_ELEM_ADDR:
		inet_ntop(e->family, e->alo, lo, sizeof(lo));
		inet_ntop(e->family, e->ahi, hi, sizeof(hi));
		fprintf(f, " addr%d:%s-%s", e->family == AF_INET ? 4 : 6, lo, hi);
		break;
	case FW_ELEM_STR:
		fprintf(f, " str:\"%s\"", e->str);
		break;
	default:
		fprintf(f, " other");
	}
	if (e->verdict)
		fprintf(f, ":v%u", e->verdict);
	if (e->target)
		fprintf(f, ">%s", e->target);
}

static void expr(FILE *f, const struct fw_expr *x)
{
	char a[INET6_ADDRSTRLEN] = "";

	fprintf(f, "    stmt %u key %u cmp %u verdict %u", x->stmt, x->key, x->cmp, x->verdict);
	if (x->only_family)
		fprintf(f, " only_family %u", x->only_family);
	if (x->target)
		fprintf(f, " target %s", x->target);
	if (x->set)
		fprintf(f, " set @%s", x->set);
	if (x->name)
		fprintf(f, " name %s", x->name);
	if (x->stmt == FW_ST_DNAT) {
		if (x->nat_family)
			inet_ntop(x->nat_family, x->addr, a, sizeof(a));
		fprintf(f, " redirect %d addr %s port %u", x->redirect, a, x->port);
	}
	if (x->nelems)
		fprintf(f, " elems");
	for (size_t i = 0; i < x->nelems; i++)
		elem(f, &x->elems[i]);
	fputc('\n', f);
}

void fw_canon(FILE *f, const struct fw_ruleset *rs)
{
	fprintf(f, "legacy %d xt %d\n", rs->legacy, rs->xt);
	for (size_t c = 0; c < rs->nchains; c++) {
		const struct fw_chain *ch = &rs->chains[c];

		if (ch->family == FW_FAM_OTHER)
			continue;
		fprintf(f, "chain %s %s %s hook %u nat %d prio %d policy %u rules %zu\n",
			ch->family_name, ch->table, ch->name, ch->hook, ch->nat, ch->prio,
			ch->policy, ch->nrules);
		for (size_t i = ch->first; i < ch->first + ch->nrules; i++) {
			const struct fw_rule *r = &rs->rules[i];

			fprintf(f, "  rule %llu chain %s comment %s\n",
				(unsigned long long)r->handle, rs->chains[r->chain].name,
				r->comment ? r->comment : "-");
			for (size_t k = 0; k < r->nexprs; k++)
				expr(f, &r->exprs[k]);
		}
	}
	for (size_t s = 0; s < rs->nsets; s++) {
		const struct fw_set *set = &rs->sets[s];

		if (set->family == FW_FAM_OTHER)
			continue;
		fprintf(f, "set %u %s %s map %d elems", set->family, set->table, set->name,
			set->map);
		for (size_t i = 0; i < set->nelems; i++)
			elem(f, &set->elems[i]);
		fputc('\n', f);
	}
}

char *fw_canon_str(const struct fw_ruleset *rs)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	fw_canon(f, rs);
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

void fw_canon_diff(const char *a, const char *b, char *out, size_t size)
{
	size_t line = 1;

	while (*a && *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

		if (la != lb || memcmp(a, b, la) != 0) {
			snprintf(out, size, "line %zu:\n  a: %.*s\n  b: %.*s", line, (int)la, a,
				 (int)lb, b);
			return;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
		line++;
	}
	snprintf(out, size, *a || *b ? "line %zu: one text ends:\n  a: %.60s\n  b: %.60s" : "same",
		 line, a, b);
}
