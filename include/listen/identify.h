/*
 * Identification: what service a socket is, from the program holding it (program.h) before
 * its port (services.h), and which of the two spoke. Pure.
 */
#ifndef LISTEN_IDENTIFY_H
#define LISTEN_IDENTIFY_H

struct out_row;
struct svc_db;
struct svc_info;

/*
 * Set the service of row r (whose socket, holders, procs and info are set; info may be NULL,
 * then holders' names alone tell), and its program, disagreements and deleted executables:
 * - a holder's program that names a service decides it: the port's own name when the program
 *   serves that too ("https" for nginx on 443), else the program's service, with the port's
 *   name beside it as port_guess ("http" and "postgresql" for python's http.server on 5432);
 *   a program that serves nothing the table knows (a generic interpreter) leaves no name;
 * - otherwise (no holder known, hidden holders, an unknown program, or one that holds
 *   sockets for others: systemd, docker-proxy, inetd) the port's guess, marked by its source;
 * - the program's own risk and note, and those its command line states, go into *own, which
 *   r->svc then points to (own must live as long as r).
 * A client (the name is the peer port's) keeps the port's name.
 */
void ident_service(struct out_row *r, const struct svc_db *db, struct svc_info *own);

#endif
