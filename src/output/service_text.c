/* What the views say of a row's service: the program's, the port's guess, or both. */
#include <string.h>

#include "listen/escape.h"
#include "listen/output.h"
#include "listen/program.h"
#include "listen/sbuf.h"
#include "listen/services.h"

/* A row's service fields as one reference. */
struct svc_ref out_service_ref(const struct out_row *r)
{
	return (struct svc_ref){
		.name = r->service,
		.info = r->svc,
		.peer = r->service_peer,
		.source = r->service_source,
		.program = r->program && r->service_source == SVC_SOURCE_PROGRAM ? r->program->name
										  : NULL,
		.weak = r->program_weak,
		.port_guess = r->port_guess,
	};
}

/* Append a name from the tables (or a file: escaped all the same). */
static void put(struct sbuf *b, const char *s)
{
	esc_term(b, s, strlen(s));
}

/* The Service column's text: which of program and port spoke, and how. */
void out_service_text(struct sbuf *b, const struct svc_ref *s)
{
	if (s->source != SVC_SOURCE_PROGRAM) {
		if (!s->name)
			return;
		put(b, s->name);
		/* A unix socket's path names what it is: not a port's guess. */
		if (s->source != SVC_SOURCE_PATH)
			sbuf_puts(b, s->peer ? " (peer)" : "?");
		return;
	}
	if (s->name)
		put(b, s->name);
	if (s->name && s->port_guess)
		sbuf_puts(b, " (");
	/* The program by its executable's name: "python3" for "python3 http.server". */
	if ((!s->name || s->port_guess) && s->program)
		esc_term(b, s->program, strcspn(s->program, " "));
	if (s->name && s->port_guess)
		sbuf_putc(b, ')');
	if (s->port_guess) {
		sbuf_puts(b, " on ");
		put(b, s->port_guess);
		sbuf_puts(b, "'s port");
	}
	if (s->weak)
		sbuf_puts(b, " (comm)");
}

/* "! name: note", the name marked when it is a guess. */
void out_warning_text(struct sbuf *b, const struct out_row *r)
{
	if (r->warn && r->claimed) {
		sbuf_puts(b, "! ");
		out_warning_note(b, r);
		return;
	}
	if (!r->warn || !r->svc || !r->svc->note)
		return;
	sbuf_puts(b, "! ");
	put(b, r->svc->name);
	if (r->service_source != SVC_SOURCE_PROGRAM && r->service_source != SVC_SOURCE_PATH)
		sbuf_putc(b, '?');
	sbuf_puts(b, ": ");
	put(b, r->svc->note);
}

/* What the warning says, escaped: the disagreement, else the service's note. */
void out_warning_note(struct sbuf *b, const struct out_row *r)
{
	if (!r->warn)
		return;
	if (r->claimed) {
		sbuf_puts(b, "calls itself ");
		put(b, r->claimed->name);
		sbuf_puts(b, " but runs ");
		put(b, r->claimed_exe ? r->claimed_exe : "another program");
	} else if (r->svc && r->svc->note) {
		put(b, r->svc->note);
	}
}
