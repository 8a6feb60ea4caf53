/*
 * The sockets a watch has seen, by socket cookie: each poll's records compared with them give
 * the new ones and the gone ones; a destroy notification takes one out by its cookie. Pure:
 * no kernel, no clock (times are given).
 */
#ifndef LISTEN_WATCHSET_H
#define LISTEN_WATCHSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsock;

/* What names one socket: its namespace (the nsfs inode, 0 when one is watched) and its
 * cookie. Without a cookie (read from /proc/net) the inode stands in, with the top bit set. */
struct wset_key {
	uint64_t netns;
	uint64_t cookie;
};

/* One socket seen. */
struct wset_entry {
	struct wset_key key;
	int64_t since_ms;  /* when it was first seen, in milliseconds since the epoch */
	bool initial;      /* there when the watch began: it lived since_ms or longer */
	char *row;         /* its event's row as printed (the gone event repeats it), owned; NULL
			    * when it was not printed (the audit's below --fail-on): no gone event
			    * then either */
	size_t row_len;
	uint8_t risk;      /* --audit --watch: its finding's risk (enum svc_risk), 0 if none */
	unsigned reasons;  /* and the finding's reasons (audit.h's AUDIT_*) */
};

struct wset {
	struct wset_entry *v; /* sorted by key once wset_sort ran */
	size_t len, cap;
	bool sorted;
};

/* The key of sk, in the namespace whose nsfs inode is netns. */
struct wset_key wset_key_of(const struct lsock *sk, uint64_t netns);

/*
 * Compare the records of one poll (keys[i] names the i-th) with the set. The indexes of the
 * records not in the set go to fresh (n of them at most; a key given twice counts once), in
 * the order given; the entries whose key is not among keys leave the set and go to *gone
 * (malloc'd, NULL when none; free with wset_entries_free), in key order. When namespaces
 * is not NULL, only entries whose namespace is among its nnamespaces inodes may be gone: the
 * others' namespaces were not looked at this time. Returns 0 or -ENOMEM (the set unchanged).
 */
int wset_diff(struct wset *s, const struct wset_key *keys, size_t n, size_t *fresh,
	      size_t *nfresh, struct wset_entry **gone, size_t *ngone, const uint64_t *namespaces,
	      size_t nnamespaces);

/* Add a socket seen for the first time; row (row_len bytes, may be NULL) is taken over, also
 * on failure. Returns 0 or -ENOMEM. */
int wset_add(struct wset *s, struct wset_key key, int64_t since_ms, bool initial, char *row,
	     size_t row_len);

/* Give the entry of key its row (taken over: freed when there is no such entry). Returns
 * the entry (valid until the set next changes), or NULL if there is none. */
struct wset_entry *wset_set_row(struct wset *s, struct wset_key key, char *row, size_t row_len);

/* Take the entry of key out of the set into *e (its row is the caller's then). Returns true
 * if there was one. */
bool wset_take(struct wset *s, struct wset_key key, struct wset_entry *e);

/* Take out every entry of namespace netns (gone with it), as wset_diff gives gone ones. */
int wset_take_netns(struct wset *s, uint64_t netns, struct wset_entry **gone, size_t *ngone);

void wset_entries_free(struct wset_entry *v, size_t n);
void wset_free(struct wset *s);

#endif
