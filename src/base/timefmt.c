/* Times as RFC 3339 text. */
#include <time.h>

#include "listen/timefmt.h"

int sbuf_rfc3339(struct sbuf *b, int64_t sec, int msec)
{
	time_t t = (time_t)sec;
	struct tm tm;
	char text[64];

	if ((int64_t)t != sec || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		return -1;
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
	sbuf_puts(b, text);
	if (msec >= 0 && msec <= 999)
		sbuf_printf(b, ".%03d", msec);
	sbuf_putc(b, 'Z');
	return 0;
}
