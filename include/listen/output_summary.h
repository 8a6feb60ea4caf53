/* ss -s's summary of each network namespace's socket counts (output_summary.c). */
#ifndef LISTEN_OUTPUT_SUMMARY_H
#define LISTEN_OUTPUT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sockstat;

/* One namespace's counts, and its label (NULL when one namespace is shown without saying
 * which). */
struct out_summary {
	const char *netns;
	const struct sockstat *stat;
};

/*
 * The summary as ss -s writes it ("Total: N", the TCP line, the Transport table, a blank
 * line), each namespace's after a "Netns: LABEL" line when it has a label. A count the kernel
 * did not give (no snmp, no IPv6) is "?". Returns 0 or the failed write's -errno.
 */
int out_summary_text(FILE *f, const struct out_summary *s, size_t n);

/* The same as JSON (doc/listen.schema.json's summary): an array of one object per namespace,
 * or with lines one object per line. Returns as out_summary_text, or -ENOMEM. */
int out_summary_json(FILE *f, const struct out_summary *s, size_t n, bool lines);

#endif
