/* The program layer's view phase: what view.c prints for main.c. Not a library module: these
 * functions print their own errors, one line each, as run.c's do. */
#ifndef LISTEN_VIEW_H
#define LISTEN_VIEW_H

#include <stdbool.h>

struct audit_allow;
struct listen_opts;
struct run;

/* Print the run with the plan's view (run->plan->view). *failed is set when the audit has an
 * unapproved finding at --fail-on or above. Returns 0 (also when the reader went away: `listen
 * | head`) or a negative errno, said. */
int view_show(const struct listen_opts *o, struct run *run, const struct audit_allow *allow,
	      bool *failed);

/* The notices after a view, on stderr: nothing on the port asked for, and the holders that
 * could not be looked at (hidepid, unreadable processes). */
void view_report_gaps(const struct listen_opts *o, const struct run *run);

/* The notice that holders could not be looked at (hidepid, unreadable processes), if some
 * were not: true when it was said. */
bool view_report_hidden(const struct run *run);

/* Read the allow-list for the audit (--audit, and the metrics' findings): --allow's file must
 * exist, the default need not. Prints its
 * own errors; returns 0 or a negative errno (-EINVAL for a bad file: a usage error). */
int view_load_allow(const struct listen_opts *o, struct run *run, struct audit_allow *allow);

/* --help or --version on stdout: 0, or -EIO after saying the write error. */
int view_text(const struct listen_opts *o);

#endif
