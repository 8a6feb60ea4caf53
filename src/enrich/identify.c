/* Identification: the holders' program first, the port's guess otherwise. */
#include <stddef.h>

#include "listen/enrich.h"
#include "listen/identify.h"
#include "listen/output.h"
#include "listen/procfs.h"
#include "listen/program.h"
#include "listen/services.h"
#include "listen/sock.h"

/* What the holders of r run: the first program that names a service, told by its executable
 * if any is; *best_id gets its identification. Also marks disagreements and deleted
 * executables on r. Each process was identified once (enrich_holder.id) when the run has
 * holders' details; without them, by its name alone, here. */
static void holders_program(struct out_row *r, struct prog_id *best_id)
{
	*best_id = (struct prog_id){ 0 };
	for (size_t i = 0; i < r->nowners; i++) {
		uint32_t k = r->owners[i].proc;
		const struct procfs_info *in = r->info ? &r->info[k] : NULL;
		struct prog_id id;

		if (r->holders)
			id = r->holders[k].id;
		else
			prog_identify(in ? in->exe : NULL, in && in->exe_deleted, r->procs[k].name,
				      in ? in->cmdline : NULL, &id);
		r->holders_known |= in && in->exe;
		if (id.exe_deleted && !r->deleted_exe)
			r->deleted_exe = in->exe;
		if (id.claimed && !r->claimed) {
			r->claimed = id.claimed;
			r->claimed_exe = in ? in->exe : NULL;
		}
		if (id.prog && (!best_id->prog || id.basis > best_id->basis))
			*best_id = id;
	}
}

/* The program's service when it names one, else the port's guess (see identify.h). */
void ident_service(struct out_row *r, const struct svc_db *db, struct svc_info *own)
{
	const struct lsock *sk = r->sk;
	struct svc_ref sv = svc_lookup(db, sk->lport, sk->rport, sk->protocol);
	struct prog_id id;
	const struct prog_info *p;
	const struct svc_info *base;
	const char *name;

	r->service = sv.name;
	r->svc = sv.info;
	r->service_peer = sv.peer;
	r->service_source = sv.source;
	holders_program(r, &id);
	p = id.prog;
	r->program = p;
	r->program_weak = id.basis == PROG_BY_COMM;
	r->interpreted = id.interpreted;
	if (sv.peer || !p || (p->kind & PROG_PASS))
		return; /* a client, or the port's guess stands */
	r->service_source = SVC_SOURCE_PROGRAM;
	if (!p->service) { /* a program that says nothing of what it serves */
		r->port_guess = sv.name;
		r->service = NULL;
		r->svc = NULL;
		return;
	}
	name = sv.name && prog_serves(p, sv.name) ? sv.name : p->service;
	r->port_guess = name == sv.name ? NULL : sv.name;
	base = svc_builtin_named(name, sk->protocol);
	*own = base ? *base : (struct svc_info){ .risk = SVC_RISK_LOW, .desc = p->desc };
	own->name = name;
	if (p->risk >= 0)
		own->risk = (uint8_t)p->risk;
	if (p->note)
		own->note = p->note;
	if (id.flag_note) {
		own->risk = SVC_RISK_HIGH;
		own->note = id.flag_note;
	}
	r->service = name;
	r->svc = own;
}
