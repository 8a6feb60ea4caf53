/* Pieces of JSON shared by the socket list and the audit: every value comes out valid JSON,
 * whatever bytes the system handed us. */
#ifndef LISTEN_JSON_H
#define LISTEN_JSON_H

#include <stdbool.h>
#include <stdint.h>

struct enrich_holder;
struct procfs_info;
struct procfs_proc;
struct reach_result;
struct sbuf;
struct svc_ref;

/* "\"text\"" with esc_json's escaping, or null when s is NULL. */
void json_str(struct sbuf *b, const char *s);

/* An address as inet_ntop writes it ("0.0.0.0", "::", "::ffff:10.0.0.1"), quoted. */
void json_addr(struct sbuf *b, int family, const unsigned char *addr);

/* The service object {name, description, risk, note, peer}, or null when nothing names it. */
void json_service(struct sbuf *b, const struct svc_ref *svc);

/* The members of a process object, without braces, so a caller can add its own:
 * "pid", "ppid", "name", "uid", "user", "cmdline", "exe", ..., "docker_proxy", "container".
 * info and h may be NULL (all unknown). */
void json_process_members(struct sbuf *b, const struct procfs_proc *p,
			  const struct procfs_info *info, const struct enrich_holder *h);

/* The firewall's verdict {verdict, from, via, rule} (doc/listen.schema.json), or null when v is
 * NULL or not evaluated. */
void json_reach(struct sbuf *b, const struct reach_result *v);

#endif
