/*
 * What program holds a socket: a built-in table of the programs that commonly listen on Linux
 * servers, keyed by executable name (with the distributions' aliases) and, for interpreters
 * (java, python, node, beam.smp, ruby, perl, php), by a signature in the command line.
 * Pure: strings in, a table entry out.
 *
 * The executable (/proc/PID/exe) is what a process cannot fake; its name (comm) and command
 * line are whatever it set. So the executable decides, the name only stands in when the
 * executable cannot be read (then the identification is weaker), and a name that claims a
 * program the executable is not is a disagreement worth reporting.
 */
#ifndef LISTEN_PROGRAM_H
#define LISTEN_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

/* What a program is, for the checks of well-known ports. */
enum {
	PROG_SSH = 1 << 0,     /* an SSH server */
	PROG_DNS = 1 << 1,     /* a DNS server */
	PROG_MAIL = 1 << 2,    /* a mail server (SMTP) */
	PROG_WEB = 1 << 3,     /* a web server or proxy */
	PROG_INTERP = 1 << 4,  /* an interpreter: what it runs is in its arguments */
	PROG_PASS = 1 << 5,    /* holds sockets for others (a service manager, docker-proxy,
				* inetd): the port's service stands, as a guess */
};

/* One program of the table. */
struct prog_info {
	const char *name;    /* how listen calls it: "nginx", "python3 http.server" */
	const char *service; /* its service, a name of the port table ("http", "postgresql");
			      * NULL when the program says nothing of what it serves (a generic
			      * interpreter, PROG_PASS) */
	const char *serves;  /* other port-table services it serves, blank-separated: "https
			      * http-alt" (a program on one of their ports is no mismatch) */
	const char *desc;    /* one line, for services the port table lacks: "Node.js server" */
	uint8_t kind;        /* PROG_* */
	int8_t risk;         /* enum svc_risk of its own, or -1: its service's */
	const char *note;    /* a certain risk of the program itself, or NULL: "serves the
			      * working directory to anyone" */
};

/* How the program was told. */
enum prog_basis {
	PROG_BY_NONE,  /* not identified */
	PROG_BY_COMM,  /* by the process's name (and command line): the executable was not
			* readable; weaker, since any process may set its name */
	PROG_BY_EXE,   /* by the executable (and command line) */
};

/* What one process is. */
struct prog_id {
	const struct prog_info *prog; /* NULL: not a program the table knows */
	enum prog_basis basis;
	const struct prog_info *claimed; /* the program its name claims when the executable is
					  * something else (a disagreement), else NULL */
	bool exe_deleted;             /* its executable is gone from disk (deleted or replaced) */
	bool interpreted;             /* the executable is an interpreter (PROG_INTERP) that runs
				       * prog */
	const char *flag_note;        /* a risk its command line states ("protected mode off on
				       * the command line"), or NULL */
};

/*
 * Identify a process from its executable's path (the target of /proc/PID/exe, NULL when
 * unreadable; a trailing " (deleted)" is ignored when exe_deleted), its name (comm, NULL when
 * unknown) and its command line (arguments joined by spaces, NULL when unknown). Every
 * string is untrusted and only compared. *id's pointers are into the static table.
 */
void prog_identify(const char *exe, bool exe_deleted, const char *comm, const char *cmdline,
		   struct prog_id *id);

/* Whether p serves the port-table service name (its service or one of serves). */
bool prog_serves(const struct prog_info *p, const char *service);

/* The table, for the tests; *n gets its length. */
const struct prog_info *prog_table(unsigned *n);

#endif
