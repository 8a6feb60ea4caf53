/* The watch's event lines: the row the table or JSON made, framed with when and what. */
#include <inttypes.h>
#include <time.h>

#include "listen/interval.h"
#include "listen/json.h"
#include "listen/output_events.h"
#include "listen/sbuf.h"
#include "listen/timefmt.h"

static const char *const marks[] = {
	[OUT_EVENT_NEW] = "+", [OUT_EVENT_GONE] = "-", [OUT_EVENT_BRIEF] = "+-",
};

/* The reasons' codes as "(a, b)" after a space; nothing when there are none. */
static void reasons_text(struct sbuf *b, const struct out_event *e)
{
	for (size_t i = 0; i < e->nreasons; i++) {
		sbuf_puts(b, i ? ", " : " (");
		sbuf_puts(b, e->reasons[i]);
	}
	if (e->nreasons)
		sbuf_putc(b, ')');
}

void out_event_text(struct sbuf *b, const struct out_event *e)
{
	time_t t = (time_t)(e->time_ms / 1000);
	struct tm tm;
	char when[16] = "??:??:??";

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	sbuf_puts(b, when);
	sbuf_putc(b, ' ');
	sbuf_puts(b, e->kind == OUT_EVENT_NEW && e->initial ? "=" : marks[e->kind]);
	if (e->risk) {
		sbuf_putc(b, ' ');
		for (const char *p = e->risk; *p; p++)
			sbuf_putc(b, *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
	}
	sbuf_putc(b, ' ');
	sbuf_add(b, e->row, e->row_len);
	if (e->kind == OUT_EVENT_GONE) {
		sbuf_puts(b, " (lived ");
		interval_text(b, e->lived_ms);
		sbuf_puts(b, e->initial ? " or more)" : ")");
	} else if (e->kind == OUT_EVENT_BRIEF) {
		sbuf_puts(b, " (opened and closed between two looks)");
	}
	reasons_text(b, e);
	sbuf_putc(b, '\n');
}

void out_event_json(struct sbuf *b, const struct out_event *e)
{
	int64_t sec = e->time_ms / 1000;
	int msec = (int)(e->time_ms % 1000);

	sbuf_printf(b, "{\"event\":\"%s\",\"time\":", e->kind == OUT_EVENT_NEW ? "new" : "gone");
	sbuf_putc(b, '"');
	if (sbuf_rfc3339(b, sec, msec < 0 ? 0 : msec) < 0) /* past year 9999: not from a clock */
		sbuf_puts(b, "9999-12-31T23:59:59Z");
	sbuf_putc(b, '"');
	sbuf_printf(b, ",\"initial\":%s,\"seen\":%s,\"lived_ms\":",
		    e->initial ? "true" : "false", e->kind == OUT_EVENT_BRIEF ? "false" : "true");
	if (e->kind == OUT_EVENT_GONE)
		sbuf_printf(b, "%" PRIu64, e->lived_ms);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"finding\":");
	if (e->risk) {
		sbuf_puts(b, "{\"risk\":");
		json_str(b, e->risk);
		sbuf_puts(b, ",\"reasons\":[");
		for (size_t i = 0; i < e->nreasons; i++) {
			if (i)
				sbuf_putc(b, ',');
			json_str(b, e->reasons[i]);
		}
		sbuf_puts(b, "]}");
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, ",\"socket\":");
	sbuf_add(b, e->row, e->row_len);
	sbuf_puts(b, "}\n");
}
