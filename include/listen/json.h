/* Pieces of JSON shared by the socket list and the audit: every value comes out valid JSON,
 * whatever bytes the system handed us. */
#ifndef LISTEN_JSON_H
#define LISTEN_JSON_H

#include <stdbool.h>
#include <stdint.h>

/* The version of doc/listen.schema.json (its schema_version const; its $id is
 * urn:listen:schema:MAJOR) that listen's JSON follows. Every document says it: each socket
 * object (so each JSON Lines line and each element of the --json array) and the audit's review
 * carry "schema_version". A major version changes when a field is renamed, removed or changes
 * type; a minor one adds. */
#define JSON_SCHEMA_VERSION "3.3.0"

struct enrich_holder;
struct out_row;
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

/* "\"schema_version\":\"2.3.0\"": the members that open every document and socket object. */
void json_schema_version(struct sbuf *b);

/* A row's namespace {name, inode, host}, or null when the row does not say which (no -N,
 * --netns or --all-netns). */
void json_netns(struct sbuf *b, const struct out_row *r);

/* The members of a process object, without braces, so a caller can add its own:
 * "pid", "ppid", "name", "uid", "user", "cmdline", "exe", ..., "started", "started_at", ...,
 * "docker_proxy", "container".
 * info and h may be NULL (all unknown). */
void json_process_members(struct sbuf *b, const struct procfs_proc *p,
			  const struct procfs_info *info, const struct enrich_holder *h);

/* The firewall's verdict {verdict, from, via, rule} (doc/listen.schema.json), or null when v is
 * NULL or not evaluated. */
void json_reach(struct sbuf *b, const struct reach_result *v);

/* Who may connect to a unix socket (unix_scope.h) as {scope, mode, owner_uid, group_gid, group,
 * checked, unchecked_reason, mount_ns_pid}, with its "path" and "abstract" first when name;
 * null when nothing was looked at (TCP, UDP, an unbound unix socket). */
void json_unix_access(struct sbuf *b, const struct out_row *r, bool name);

#endif
