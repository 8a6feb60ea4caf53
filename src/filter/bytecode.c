/*
 * sock_diag bytecode: compile a filter tree, check and run programs as the kernel does.
 *
 * A program is a list of operations; each tests the socket and moves on by `yes` bytes when
 * the test holds (always its own length here, as the kernel's check requires) or by `no`
 * bytes when it fails. Running off the end exactly accepts the socket; jumping beyond it
 * rejects it. The compiler emits code for one node that falls through when the node holds
 * and jumps to a label when it does not; labels are resolved to offsets at the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/array.h"
#include "listen/bytecode.h"
#include "listen/filter.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

enum { OP = sizeof(struct inet_diag_bc_op), HOSTCOND = sizeof(struct inet_diag_hostcond) };

/* Label 0 is "reject": four bytes past the end of the program. */
#define REJECT 0

struct fixup {
	size_t at;      /* offset of the operation whose `no` jumps to label */
	uint32_t label;
};

struct prog {
	unsigned char *b;
	size_t len, cap;
	struct fixup *fix;
	size_t nfix, fix_cap;
	size_t *labels; /* offsets, SIZE_MAX until placed */
	size_t nlabels, labels_cap;
	bool nomem, too_big;
};

static uint32_t label_new(struct prog *p)
{
	if (array_grow((void **)&p->labels, &p->labels_cap, p->nlabels + 1, sizeof(*p->labels))) {
		p->nomem = true;
		return REJECT;
	}
	p->labels[p->nlabels] = SIZE_MAX;
	return (uint32_t)p->nlabels++;
}

static void label_place(struct prog *p, uint32_t label)
{
	if (!p->nomem)
		p->labels[label] = p->len;
}

/* Append an operation of total length size (header and payload) whose `no` goes to label. */
static void emit(struct prog *p, uint8_t code, uint32_t label, const void *payload, size_t size)
{
	if (p->nomem || p->too_big)
		return;
	if (p->len + size > BYTECODE_MAX) {
		p->too_big = true;
		return;
	}
	if (array_grow((void **)&p->b, &p->cap, p->len + size, 1) ||
	    array_grow((void **)&p->fix, &p->fix_cap, p->nfix + 1, sizeof(*p->fix))) {
		p->nomem = true;
		return;
	}
	struct inet_diag_bc_op op = { .code = code, .yes = (unsigned char)size };

	memcpy(p->b + p->len, &op, OP);
	if (size > OP)
		memcpy(p->b + p->len + OP, payload, size - OP);
	p->fix[p->nfix++] = (struct fixup){ p->len, label };
	p->len += size;
}

static void emit_jump(struct prog *p, uint32_t label)
{
	emit(p, INET_DIAG_BC_JMP, label, NULL, OP);
}

static void emit_host(struct prog *p, bool src, const struct filter_prefix *pfx, int32_t port,
		      uint32_t fail)
{
	unsigned char payload[HOSTCOND + 16] = { 0 };
	struct inet_diag_hostcond cond = { .family = AF_UNSPEC, .port = port };
	size_t alen = 0;

	if (pfx) {
		cond.family = pfx->family;
		cond.prefix_len = pfx->bits;
		alen = pfx->family == AF_INET ? 4 : 16;
		memcpy(payload + HOSTCOND, pfx->addr, alen);
	}
	memcpy(payload, &cond, HOSTCOND);
	emit(p, src ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND, fail, payload,
	     OP + HOSTCOND + alen);
}

struct mark {
	size_t len, nfix;
};

static struct mark mark(const struct prog *p)
{
	return (struct mark){ p->len, p->nfix };
}

static void rollback(struct prog *p, struct mark m)
{
	p->len = m.len;
	p->nfix = m.nfix;
}


/* A test, or its negation: the test jumps over a jump to fail. */
static void emit_test(struct prog *p, bool negate, uint8_t code, const void *payload,
		      size_t size, uint32_t fail)
{
	uint32_t holds;

	if (!negate) {
		emit(p, code, fail, payload, size);
		return;
	}
	holds = label_new(p);
	emit(p, code, holds, payload, size);
	emit_jump(p, fail);
	label_place(p, holds);
}

/* A port condition; `>` and `<` are the negations of `<=` and `>=`. */
static void gen_port(struct prog *p, const struct filter_node *n, uint32_t fail)
{
	bool src = n->kind == FILTER_SPORT;
	uint8_t eq = src ? INET_DIAG_BC_S_EQ : INET_DIAG_BC_D_EQ;
	uint8_t le = src ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE;
	uint8_t ge = src ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE;
	struct inet_diag_bc_op arg = { .no = (unsigned short)n->port };
	bool negate = n->cmp == FILTER_NE || n->cmp == FILTER_GT || n->cmp == FILTER_LT;
	uint8_t code = n->cmp == FILTER_EQ || n->cmp == FILTER_NE ? eq :
		       n->cmp == FILTER_LE || n->cmp == FILTER_GT ? le : ge;

	if (n->port < 0) {
		/* `= *` holds for every port; `!= *` and the comparisons (`< *`) for none. */
		if (n->cmp != FILTER_EQ)
			emit_jump(p, fail);
		return;
	}
	emit_test(p, negate, code, &arg, 2 * OP, fail);
}

/* autobound: the kernel's test (no port given to bind), then ss's (an ephemeral port). */
static void gen_auto(struct prog *p, const struct filter *f, uint32_t fail)
{
	struct inet_diag_bc_op lo = { .no = f->eph_lo }, hi = { .no = f->eph_hi };

	emit(p, INET_DIAG_BC_AUTO, fail, NULL, OP);
	emit(p, INET_DIAG_BC_S_GE, fail, &lo, 2 * OP);
	emit(p, INET_DIAG_BC_S_LE, fail, &hi, 2 * OP);
}

/* Code for node i that falls through when it holds and jumps to fail when it does not. */
static void gen(struct prog *p, const struct filter *f, uint32_t i, uint32_t fail)
{
	const struct filter_node *n = &f->nodes[i];
	const uint32_t *kids = n->kind <= FILTER_NOT ? f->kids + n->first : NULL;
	bool src = n->kind == FILTER_SRC;
	uint32_t done, holds;

	switch (n->kind) {
	case FILTER_AND:
		for (uint32_t k = 0; k < n->count; k++)
			gen(p, f, kids[k], fail);
		return;
	case FILTER_OR: {
		struct mark m = mark(p);

		done = label_new(p);
		for (uint32_t k = 0; k < n->count; k++) {
			bool last = k + 1 == n->count;
			uint32_t next = last ? fail : label_new(p);
			size_t before = p->len;

			gen(p, f, kids[k], next);
			if (p->len == before) {
				/* A child that holds for every socket: so does the or. */
				rollback(p, m);
				return;
			}
			if (!last) {
				emit_jump(p, done);
				label_place(p, next);
			}
		}
		label_place(p, done);
		return;
	}
	case FILTER_NOT:
		holds = label_new(p);
		gen(p, f, kids[0], holds);
		emit_jump(p, fail);
		label_place(p, holds);
		return;
	case FILTER_SPORT:
	case FILTER_DPORT:
		gen_port(p, n, fail);
		return;
	case FILTER_AUTO:
		gen_auto(p, f, fail);
		return;
	case FILTER_PATH:
		/* No TCP or UDP socket has a unix name (unix_diag takes no bytecode). */
		emit_jump(p, fail);
		return;
	case FILTER_PROTO:
		/* The program has no test of the protocol: each dump is of one. It holds here, so
		 * the kernel sends a little more ("8080/tcp,53/udp" lets 8080/udp through) and
		 * filter_match drops it; a superset only because the parser never puts it under a
		 * not. */
		return;
	case FILTER_DEV: {
		unsigned char payload[4];

		memcpy(payload, &n->ifindex, 4);
		emit_test(p, n->cmp != FILTER_EQ, INET_DIAG_BC_DEV_COND, payload, OP + 4, fail);
		return;
	}
	default:
		if (n->count == 0) {
			if (n->port >= 0)
				emit_host(p, src, NULL, n->port, fail);
			return;
		}
		/* Several addresses (a host name): any of them. */
		done = label_new(p);
		for (uint32_t k = 0; k < n->count; k++) {
			bool last = k + 1 == n->count;
			uint32_t next = last ? fail : label_new(p);

			emit_host(p, src, &f->prefixes[n->first + k], n->port, next);
			if (!last) {
				emit_jump(p, done);
				label_place(p, next);
			}
		}
		label_place(p, done);
		return;
	}
}

int bytecode_compile(const struct filter *f, void **bc, size_t *len)
{
	struct prog p = { 0 };

	*bc = NULL;
	*len = 0;
	if (f->root == FILTER_NONE)
		return 0;
	label_new(&p); /* REJECT */
	gen(&p, f, f->root, REJECT);
	if (!p.nomem && !p.too_big && p.len > 0) {
		p.labels[REJECT] = p.len + OP;
		for (size_t k = 0; k < p.nfix; k++) {
			struct inet_diag_bc_op op;
			size_t at = p.fix[k].at, to = p.labels[p.fix[k].label];

			memcpy(&op, p.b + at, OP);
			op.no = (unsigned short)(to - at);
			memcpy(p.b + at, &op, OP);
		}
		*bc = p.b;
		*len = p.len;
		p.b = NULL;
	}
	free(p.b);
	free(p.fix);
	free(p.labels);
	return p.nomem ? -ENOMEM : 0;
}

/* Whether an offset `remaining` bytes before the end starts an operation (the kernel's
 * valid_cc). */
static bool starts_op(const unsigned char *bc, size_t len, size_t remaining)
{
	size_t off = 0;

	while (off <= len) {
		struct inet_diag_bc_op op;

		if (len - off == remaining)
			return true;
		if (len - off < remaining || len - off < OP)
			return false;
		memcpy(&op, bc + off, OP);
		if (op.yes < OP || op.yes & 3)
			return false;
		off += op.yes;
	}
	return false;
}

int bytecode_check(const void *bcv, size_t len)
{
	const unsigned char *bc = bcv;
	size_t off = 0;

	if (len < OP || len > BYTECODE_MAX)
		return -EINVAL;
	while (off < len) {
		size_t rem = len - off, min = OP;
		struct inet_diag_bc_op op;
		struct inet_diag_hostcond cond;

		if (rem < OP)
			return -EINVAL;
		memcpy(&op, bc + off, OP);
		switch (op.code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			min += HOSTCOND;
			if (rem < min)
				return -EINVAL;
			memcpy(&cond, bc + off + OP, HOSTCOND);
			if (cond.family != AF_UNSPEC && cond.family != AF_INET &&
			    cond.family != AF_INET6)
				return -EINVAL;
			min += cond.family == AF_INET ? 4 : cond.family == AF_INET6 ? 16 : 0;
			if (rem < min || cond.prefix_len > 8 * (min - OP - HOSTCOND))
				return -EINVAL;
			break;
		case INET_DIAG_BC_DEV_COND:
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE:
		case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_D_EQ:
			min += 4;
			if (rem < min)
				return -EINVAL;
			break;
		case INET_DIAG_BC_JMP:
		case INET_DIAG_BC_NOP:
		case INET_DIAG_BC_AUTO:
			break;
		default:
			return -EINVAL; /* MARK and CGROUP are never emitted */
		}
		if (op.code != INET_DIAG_BC_NOP) {
			if (op.no < min || op.no > rem + 4 || op.no & 3)
				return -EINVAL;
			if (op.no < rem && !starts_op(bc, len, rem - op.no))
				return -EINVAL;
		}
		if (op.yes < min || op.yes > rem + 4 || op.yes & 3)
			return -EINVAL;
		off += op.yes;
	}
	return off == len ? 0 : -EINVAL;
}

static bool bits_match(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	return rest == 0 || ((a[bytes] ^ b[bytes]) & (0xff << (8 - rest))) == 0;
}

static bool host_holds(const unsigned char *op, const struct lsock *sk, bool src)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	const unsigned char *addr = src ? sk->laddr : sk->raddr;
	struct inet_diag_hostcond cond;

	memcpy(&cond, op + OP, HOSTCOND);
	if (cond.port != -1 && cond.port != (src ? sk->lport : sk->rport))
		return false;
	if (cond.family != AF_UNSPEC && cond.family != sk->family)
		return sk->family == AF_INET6 && cond.family == AF_INET &&
		       memcmp(addr, mapped, 12) == 0 &&
		       bits_match(addr + 12, op + OP + HOSTCOND, cond.prefix_len);
	return cond.prefix_len == 0 || bits_match(addr, op + OP + HOSTCOND, cond.prefix_len);
}

bool bytecode_run(const void *bcv, size_t len, const struct lsock *sk)
{
	const unsigned char *bc = bcv;
	size_t off = 0;

	while (off < len) {
		struct inet_diag_bc_op op, arg = { 0 };
		bool yes = true;
		uint32_t ifindex;

		if (len - off < OP)
			return false;
		memcpy(&op, bc + off, OP);
		if (len - off >= 2 * OP)
			memcpy(&arg, bc + off + OP, OP);
		switch (op.code) {
		case INET_DIAG_BC_NOP:
			break;
		case INET_DIAG_BC_JMP:
			yes = false;
			break;
		case INET_DIAG_BC_S_EQ:
			yes = sk->lport == arg.no;
			break;
		case INET_DIAG_BC_S_GE:
			yes = sk->lport >= arg.no;
			break;
		case INET_DIAG_BC_S_LE:
			yes = sk->lport <= arg.no;
			break;
		case INET_DIAG_BC_D_EQ:
			yes = sk->rport == arg.no;
			break;
		case INET_DIAG_BC_D_GE:
			yes = sk->rport >= arg.no;
			break;
		case INET_DIAG_BC_D_LE:
			yes = sk->rport <= arg.no;
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			yes = host_holds(bc + off, sk, op.code == INET_DIAG_BC_S_COND);
			break;
		case INET_DIAG_BC_DEV_COND:
			memcpy(&ifindex, bc + off + OP, 4);
			yes = ifindex == sk->ifindex;
			break;
		case INET_DIAG_BC_AUTO:
			yes = (sk->flags & LSOCK_AUTOBOUND) != 0;
			break;
		default:
			return false;
		}
		size_t step = yes ? op.yes : op.no;

		if (step == 0)
			return false; /* unchecked bytes: never loop */
		off += step;
	}
	return off == len;
}

static const char *op_name(uint8_t code)
{
	static const char *const names[] = {
		[INET_DIAG_BC_NOP] = "NOP", [INET_DIAG_BC_JMP] = "JMP",
		[INET_DIAG_BC_S_GE] = "S_GE", [INET_DIAG_BC_S_LE] = "S_LE",
		[INET_DIAG_BC_D_GE] = "D_GE", [INET_DIAG_BC_D_LE] = "D_LE",
		[INET_DIAG_BC_AUTO] = "AUTO", [INET_DIAG_BC_S_COND] = "S_COND",
		[INET_DIAG_BC_D_COND] = "D_COND", [INET_DIAG_BC_DEV_COND] = "DEV_COND",
		[INET_DIAG_BC_MARK_COND] = "MARK_COND", [INET_DIAG_BC_S_EQ] = "S_EQ",
		[INET_DIAG_BC_D_EQ] = "D_EQ", [INET_DIAG_BC_CGROUP_COND] = "CGROUP_COND",
	};

	return code < sizeof(names) / sizeof(names[0]) && names[code] ? names[code] : "?";
}

int bytecode_format(const void *bcv, size_t len, char *buf, size_t size)
{
	const unsigned char *bc = bcv;
	struct sbuf out = { 0 }, *b = &out;
	size_t off = 0;
	int n;

	while (len - off >= OP) {
		struct inet_diag_bc_op op, arg;
		struct inet_diag_hostcond cond;
		char a[INET6_ADDRSTRLEN];
		uint32_t ifindex;

		memcpy(&op, bc + off, OP);
		sbuf_printf(b, "%zu: %s yes %u no %u", off, op_name(op.code), op.yes, op.no);
		switch (op.code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			if (len - off < OP + HOSTCOND)
				break;
			memcpy(&cond, bc + off + OP, HOSTCOND);
			sbuf_printf(b, " family %u /%u port %d", cond.family, cond.prefix_len,
			    cond.port);
			if ((cond.family == AF_INET || cond.family == AF_INET6) &&
			    len - off >= OP + HOSTCOND + (cond.family == AF_INET ? 4u : 16u) &&
			    inet_ntop(cond.family, bc + off + OP + HOSTCOND, a, sizeof(a)))
				sbuf_printf(b, " addr %s", a);
			break;
		case INET_DIAG_BC_DEV_COND:
			if (len - off >= OP + 4) {
				memcpy(&ifindex, bc + off + OP, 4);
				sbuf_printf(b, " ifindex %u", ifindex);
			}
			break;
		case INET_DIAG_BC_JMP:
		case INET_DIAG_BC_NOP:
		case INET_DIAG_BC_AUTO:
			break;
		default:
			if (len - off >= 2 * OP) {
				memcpy(&arg, bc + off + OP, OP);
				sbuf_printf(b, " port %u", arg.no);
			}
			break;
		}
		sbuf_printf(b, "\n");
		if (op.yes < OP)
			break;
		off += op.yes;
		if (off > len)
			break;
	}
	n = snprintf(buf, size, "%s", out.s ? out.s : "");
	sbuf_free(&out);
	return n;
}
