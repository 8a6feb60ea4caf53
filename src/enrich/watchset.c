/* The watch's sockets by cookie: a sorted array, merged with each poll's sorted keys. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "listen/sock.h"
#include "listen/watchset.h"

/* A key for a socket whose cookie is not its own: the cookie, inode, peer's address and
 * ports mixed (FNV-1a), apart from cookies (below 2^62, in practice) by bit 62. */
static uint64_t mixed_key(const struct lsock *sk)
{
	uint64_t h = UINT64_C(14695981039346656037) ^ sk->cookie;
	unsigned char b[24];

	memcpy(b, sk->raddr, 16);
	memcpy(b + 16, &sk->rport, 2);
	memcpy(b + 18, &sk->lport, 2);
	memcpy(b + 20, &sk->inode, 4);
	for (size_t i = 0; i < sizeof(b); i++)
		h = (h ^ b[i]) * UINT64_C(1099511628211);
	return (h & ~(UINT64_C(3) << 62)) | UINT64_C(1) << 62;
}

struct wset_key wset_key_of(const struct lsock *sk, uint64_t netns)
{
	struct wset_key k = { netns, sk->cookie };

	if (sk->flags & LSOCK_PROCNET)
		k.cookie = (UINT64_C(1) << 63) | sk->inode;
	/* An SCTP association has its endpoint's cookie; an MPTCP socket accepted its
	 * listener's, once a dump gave the listener one (the kernel copies it on the clone). */
	else if (sk->flags & (LSOCK_SCTP_ASSOC | LSOCK_MPTCP))
		k.cookie = mixed_key(sk);
	return k;
}

static int key_cmp(const struct wset_key *a, const struct wset_key *b)
{
	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	if (a->cookie != b->cookie)
		return a->cookie < b->cookie ? -1 : 1;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return key_cmp(&((const struct wset_entry *)a)->key, &((const struct wset_entry *)b)->key);
}

/* A poll's key with the index of its record, for sorting. */
struct indexed {
	struct wset_key key;
	size_t i;
};

static int indexed_cmp(const void *a, const void *b)
{
	const struct indexed *x = a, *y = b;
	int c = key_cmp(&x->key, &y->key);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void wset_sort(struct wset *s)
{
	if (!s->sorted && s->len > 1)
		qsort(s->v, s->len, sizeof(*s->v), entry_cmp);
	s->sorted = true;
}

static bool among(uint64_t netns, const uint64_t *namespaces, size_t n)
{
	if (!namespaces)
		return true;
	for (size_t i = 0; i < n; i++)
		if (namespaces[i] == netns)
			return true;
	return false;
}

int wset_diff(struct wset *s, const struct wset_key *keys, size_t n, size_t *fresh,
	      size_t *nfresh, struct wset_entry **gone, size_t *ngone, const uint64_t *namespaces,
	      size_t nnamespaces)
{
	struct indexed *k = malloc((n ? n : 1) * sizeof(*k));
	struct wset_entry *out = NULL;
	size_t i = 0, j = 0, kept = 0, ngo = 0, nf = 0;

	*gone = NULL;
	*ngone = *nfresh = 0;
	if (!k)
		return -ENOMEM;
	for (size_t x = 0; x < n; x++)
		k[x] = (struct indexed){ keys[x], x };
	qsort(k, n, sizeof(*k), indexed_cmp);
	wset_sort(s);
	/* First count the gone, so that failing to allocate leaves the set as it was. */
	for (i = 0, j = 0; i < s->len; i++) {
		while (j < n && key_cmp(&k[j].key, &s->v[i].key) < 0)
			j++;
		if ((j == n || key_cmp(&k[j].key, &s->v[i].key) != 0) &&
		    among(s->v[i].key.netns, namespaces, nnamespaces))
			ngo++;
	}
	if (ngo && !(out = malloc(ngo * sizeof(*out)))) {
		free(k);
		return -ENOMEM;
	}
	for (i = 0, j = 0; i < s->len; i++) {
		bool seen;

		while (j < n && key_cmp(&k[j].key, &s->v[i].key) < 0)
			j++;
		seen = j < n && key_cmp(&k[j].key, &s->v[i].key) == 0;
		if (!seen && among(s->v[i].key.netns, namespaces, nnamespaces))
			out[(*ngone)++] = s->v[i];
		else
			s->v[kept++] = s->v[i];
	}
	s->len = kept;
	/* The fresh ones: keys not in the (remaining) set, each once. */
	for (i = 0, j = 0; j < n; j++) {
		if (j > 0 && key_cmp(&k[j].key, &k[j - 1].key) == 0)
			continue;
		while (i < s->len && key_cmp(&s->v[i].key, &k[j].key) < 0)
			i++;
		if (i == s->len || key_cmp(&s->v[i].key, &k[j].key) != 0)
			fresh[nf++] = k[j].i;
	}
	qsort(fresh, nf, sizeof(*fresh), size_cmp);
	*nfresh = nf;
	*gone = out;
	free(k);
	return 0;
}

int wset_add(struct wset *s, struct wset_key key, int64_t since_ms, bool initial, char *row,
	     size_t row_len)
{
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct wset_entry *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			free(row);
			return -ENOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	if (s->len && s->sorted && key_cmp(&s->v[s->len - 1].key, &key) > 0)
		s->sorted = false;
	s->v[s->len++] = (struct wset_entry){ key, since_ms, initial, row, row_len, 0, 0 };
	return 0;
}

static struct wset_entry *find(struct wset *s, struct wset_key key)
{
	struct wset_entry probe = { .key = key };

	wset_sort(s);
	return s->len ? bsearch(&probe, s->v, s->len, sizeof(*s->v), entry_cmp) : NULL;
}

struct wset_entry *wset_set_row(struct wset *s, struct wset_key key, char *row, size_t row_len)
{
	struct wset_entry *hit = find(s, key);

	if (!hit) {
		free(row);
		return NULL;
	}
	free(hit->row);
	hit->row = row;
	hit->row_len = row_len;
	return hit;
}

bool wset_take(struct wset *s, struct wset_key key, struct wset_entry *e)
{
	struct wset_entry *hit = find(s, key);

	if (!hit)
		return false;
	*e = *hit;
	memmove(hit, hit + 1, (size_t)(s->v + s->len - hit - 1) * sizeof(*hit));
	s->len--;
	return true;
}

int wset_take_netns(struct wset *s, uint64_t netns, struct wset_entry **gone, size_t *ngone)
{
	size_t n = 0, kept = 0;
	struct wset_entry *out;

	*gone = NULL;
	*ngone = 0;
	for (size_t i = 0; i < s->len; i++)
		n += s->v[i].key.netns == netns;
	if (!n)
		return 0;
	if (!(out = malloc(n * sizeof(*out))))
		return -ENOMEM;
	for (size_t i = 0; i < s->len; i++) {
		if (s->v[i].key.netns == netns)
			out[(*ngone)++] = s->v[i];
		else
			s->v[kept++] = s->v[i];
	}
	s->len = kept;
	*gone = out;
	return 0;
}

void wset_entries_free(struct wset_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].row);
	free(v);
}

void wset_free(struct wset *s)
{
	wset_entries_free(s->v, s->len);
	*s = (struct wset){ 0 };
}
