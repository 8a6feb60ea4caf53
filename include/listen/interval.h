/* Intervals as people write them ("250ms", "2.5s", "1m") and lifetimes as people read them. */
#ifndef LISTEN_INTERVAL_H
#define LISTEN_INTERVAL_H

#include <stdint.h>

struct sbuf;

/* The shortest and longest interval interval_parse takes, in milliseconds. */
#define INTERVAL_MIN_MS 10u
#define INTERVAL_MAX_MS (24u * 3600 * 1000)

/*
 * Parse an interval: a decimal number with up to three decimals and a unit, ms, s, m or h
 * ("250ms", "1s", "2.5s", "1m"); a number without a unit is seconds, as watch(1) takes them.
 * Returns 0 with *ms set, or -EINVAL for anything else, or a value outside
 * INTERVAL_MIN_MS..INTERVAL_MAX_MS or not a whole number of milliseconds.
 */
int interval_parse(const char *s, uint32_t *ms);

/* Append a duration for people: "850ms", "2.5s", "42s", "3m12s", "2h05m", "3d04h". */
void interval_text(struct sbuf *b, uint64_t ms);

#endif
