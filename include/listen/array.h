/* Growable arrays: one way to make room, for the modules that keep arrays of records. */
#ifndef LISTEN_ARRAY_H
#define LISTEN_ARRAY_H

#include <stddef.h>
#include <stdint.h>

/*
 * Make room for need elements of size bytes in the array *v of capacity *cap (both zero for
 * an empty one), doubling it. Returns 0, or -ENOMEM with *v and *cap unchanged.
 */
int array_grow(void **v, size_t *cap, size_t need, size_t size);

/* Sort the n numbers of v ascending and drop repeats, in place; returns how many remain. */
size_t array_u32_set(uint32_t *v, size_t n);

#endif
