/* Times as text for machines: RFC 3339 in UTC, the form JSON consumers parse without help. */
#ifndef LISTEN_TIMEFMT_H
#define LISTEN_TIMEFMT_H

#include <stdint.h>

#include "listen/sbuf.h"

/*
 * Append sec (seconds since the epoch) as RFC 3339 in UTC: "2026-11-30T22:12:06Z", or with
 * milliseconds ("...06.123Z") when msec is 0-999; a negative msec leaves them out. A time
 * gmtime cannot represent appends nothing and returns -1; else 0.
 */
int sbuf_rfc3339(struct sbuf *b, int64_t sec, int msec);

#endif
