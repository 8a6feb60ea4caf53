/*
 * The watch's events as lines: one per socket that appeared or went away, its row as the
 * table or JSON prints it (formatted by those backends), with the time and what happened.
 */
#ifndef LISTEN_OUTPUT_EVENTS_H
#define LISTEN_OUTPUT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;

enum out_event_kind {
	OUT_EVENT_NEW,   /* "+": seen for the first time ("=" when there as the watch began) */
	OUT_EVENT_GONE,  /* "-": gone since, lived_ms after it was first seen */
	OUT_EVENT_BRIEF, /* "+-": gone before any poll saw it (a destroy notification for a
			  * socket never seen): the row is what the notification said */
};

struct out_event {
	enum out_event_kind kind;
	int64_t time_ms;     /* when it happened (was seen), milliseconds since the epoch */
	bool initial;        /* NEW, GONE: there when the watch began; for GONE, lived_ms is
			      * then a lower bound */
	uint64_t lived_ms;   /* GONE: since it was first seen */
	const char *row;     /* the socket's row: the table's line or the JSON object, no
			      * newline (escaped already) */
	size_t row_len;
	const char *risk;    /* --audit --watch: the finding's risk ("high"...), else NULL */
	const char *const *reasons; /* and its reasons' codes ("root", "public-address") */
	size_t nreasons;
};

/*
 * The event as a line for people: "12:03:01 + ROW", "12:03:09 - ROW (lived 8.0s)",
 * "12:03:01 = ROW" (there at the start), "12:03:09 +- ROW (opened and closed between two
 * looks)"; the audit's with the risk ("+ HIGH ROW (root, public-address)"). The time is local
 * (TZ), to the second. Appended to b with its newline.
 */
void out_event_text(struct sbuf *b, const struct out_event *e);

/*
 * The event as one JSON object and a newline (doc/listen.schema.json's event): event "new"
 * or "gone", time (RFC 3339, UTC, milliseconds), initial, seen (false for "+-"), lived_ms
 * (null but for gone ones seen), finding (null but for the audit's: risk and reasons) and
 * socket, the row (a JSON object).
 */
void out_event_json(struct sbuf *b, const struct out_event *e);

#endif
