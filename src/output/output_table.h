/*
 * The table's parts (output_table.c, output_cells.c): its columns, the cells of the row being
 * formatted, and the table's state. Not a module's interface: only those two files include it.
 */
#ifndef LISTEN_OUTPUT_TABLE_H
#define LISTEN_OUTPUT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "listen/output.h"
#include "listen/sbuf.h"

enum col {
	C_NETNS, C_NETID, C_STATE, C_RECVQ, C_SENDQ, C_LADDR, C_LPORT, C_RADDR, C_RPORT,
	C_SERVICE, C_SCOPE, C_REACH, C_PROC, C_UNIT, C_WARN, NCOLS
};

/* A cell of the row being formatted: a slice of the row's text, with its display width and
 * colour (enum svc_risk of a warning, 0 for plain text). */
struct cell {
	uint32_t off;
	uint32_t len;
	uint32_t width;
	uint8_t color;
};

struct table {
	FILE *f;
	struct out_opts o;
	struct sbuf row;            /* the cells of the row being formatted, back to back */
	struct sbuf out;            /* lines waiting to be written */
	struct sbuf cut;            /* the cells of the row being printed that were cut to fit */
	struct sbuf tmp;            /* the parts of a Process cell being cut */
	size_t width[NCOLS];        /* the widest cell of each column, then the widths to print */
	bool fit;                   /* fit o.width: Process last, holders short, cells cut */
	const uint8_t *order;       /* the order columns print in */
	size_t peers;               /* rows with a peer (not the wildcard's "*")  */
	size_t proc_min;            /* fitting: the Process width that keeps every first pid */
	uint32_t left_out;          /* fitting: the columns left out (1 << enum col) */
	bool started;               /* the header (if any) is out: widths are final */
	bool show[NCOLS];           /* which columns print, fixed when started */
	uint8_t cols[NCOLS], ncols; /* those columns, in the order they print */
	size_t listeners, exposed, dropped, warnings; /* for the summary line */
	size_t units;               /* rows with a Unit: the column shows only if some have */
	size_t details;             /* rows with text in the Process cell: likewise with -m */
	size_t reached;             /* rows with a Reach verdict: likewise */
	size_t inet, others;        /* TCP and UDP rows, and the others (unix, raw, packet) */
	size_t named, scoped;       /* rows with a Service, a Scope: without TCP and UDP rows
				     * the columns show only if some have */
	int error;
};

/* Format r's cells into t->row (emptied first) and their slices into c; a column the started
 * table leaves out is not written. Returns 0 or -ENOMEM. */
int table_cells(struct table *t, const struct out_row *r, struct cell *c);

/* Whether the Process cell carries -e's, -o's or -m's text after the holders. */
bool table_has_details(const struct table *t);

/* That text of r, into b (start: where its cell begins, for the separating space). */
void table_details(const struct table *t, struct sbuf *b, size_t start, const struct out_row *r);

/* r's holder i written short, "nginx(812,fd 6)", into b. */
void table_holder_short(struct sbuf *b, const struct out_row *r, size_t i);

/* r's first k holders written short, then " +N" for the others, into b. */
void table_holders_short(struct sbuf *b, const struct out_row *r, size_t k);

/* Whether a holder's name is written between quotes (as ss quotes it). */
bool table_name_quoted(const char *name);

#endif
