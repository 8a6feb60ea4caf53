/* Intervals in and durations out, in the units people use for them. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "listen/interval.h"
#include "listen/sbuf.h"

static const struct unit {
	const char *name;
	uint64_t ms;
} units[] = {
	{ "ms", 1 }, { "s", 1000 }, { "m", 60 * 1000 }, { "h", 3600 * 1000 }, { "", 1000 },
};

int interval_parse(const char *s, uint32_t *ms)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	size_t digits = 0, decimals = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > INTERVAL_MAX_MS)
			return -EINVAL;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, decimals++) {
			if (decimals == 3)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
		if (!decimals)
			return -EINVAL;
	}
	if (!digits)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t v, rem;

		if (strcmp(p, units[i].name) != 0)
			continue;
		v = whole * units[i].ms + frac * units[i].ms / scale;
		rem = frac * units[i].ms % scale;
		if (rem || v < INTERVAL_MIN_MS || v > INTERVAL_MAX_MS)
			return -EINVAL;
		*ms = (uint32_t)v;
		return 0;
	}
	return -EINVAL;
}

void interval_text(struct sbuf *b, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		sbuf_printf(b, "%" PRIu64 "ms", ms);
	else if (ms < 10000)
		sbuf_printf(b, "%" PRIu64 ".%" PRIu64 "s", s, ms % 1000 / 100);
	else if (s < 60)
		sbuf_printf(b, "%" PRIu64 "s", s);
	else if (s < 3600)
		sbuf_printf(b, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		sbuf_printf(b, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s % 3600 / 60);
	else
		sbuf_printf(b, "%" PRIu64 "d%02" PRIu64 "h", s / 86400, s % 86400 / 3600);
}
