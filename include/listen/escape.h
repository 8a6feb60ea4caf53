/* Escaping of untrusted text (process names, command lines, unit names) for a terminal, JSON
 * and Prometheus labels. */
#ifndef LISTEN_ESCAPE_H
#define LISTEN_ESCAPE_H

#include <stddef.h>

struct sbuf;

/*
 * Append len bytes of s to b so that no byte can act on a terminal: printable ASCII and valid
 * UTF-8 pass unchanged; '\\' and '"' become "\\\\" and "\\\""; \n \r \t become "\\n" "\\r" "\\t";
 * other control bytes, DEL, C1 controls (U+0080..U+009F), bidirectional controls (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), invisible characters (U+200B..U+200D,
 * U+FEFF), line and paragraph separators (U+2028, U+2029) and bytes that are not valid UTF-8
 * become "\\xNN" per byte.
 */
void esc_term(struct sbuf *b, const char *s, size_t len);

/* esc_term of the text built in t; when building it ran out of memory, b is marked failed. */
void esc_term_sbuf(struct sbuf *b, const struct sbuf *t);

/*
 * Append len bytes of s as the inside of a JSON string (RFC 8259), always valid: '\\' '"'
 * \n \r \t as above; other control bytes, DEL, and the C1 controls, bidirectional controls,
 * invisible characters and separators above as \uXXXX; each byte that is not valid UTF-8 as
 * \ufffd (the replacement character).
 */
void esc_json(struct sbuf *b, const char *s, size_t len);

/*
 * Append len bytes of s as a Prometheus label value: '\\' '"' and \n escaped as the text
 * exposition format defines; every other control, C1 control, bidirectional control, invisible
 * character, separator and invalid byte replaced by U+FFFD, so the value is valid UTF-8 and
 * harmless on a terminal.
 */
void esc_prom(struct sbuf *b, const char *s, size_t len);

/* Length of the valid UTF-8 sequence at s (at most len bytes), or 0 if it is not one. */
size_t esc_utf8_len(const unsigned char *s, size_t len, unsigned *codepoint);

#endif
