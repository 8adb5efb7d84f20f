/* SPDX-License-Identifier: MIT */
/* Memory and text helpers for idlc: an arena that owns every allocation of
 * one compilation (freed in one call, so the fuzzer sees no leaks), growable
 * vectors on top of it, and a string builder used by diagnostics and the
 * emitters. Out-of-memory aborts: a host tool has nothing better to do. */
#ifndef IDLC_UTIL_H
#define IDLC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
    arena_chunk *head;
} arena;

void *arena_alloc(arena *a, size_t size); /* zeroed, 16-byte aligned */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
void arena_free(arena *a);

/* Grow *vec (element size esz, count n, capacity *cap) by one element and
 * return a pointer to the new, zeroed slot. */
void *vec_grow(arena *a, void **vec, size_t esz, size_t n, size_t *cap);
#define VEC_PUSH(ar, vec, n, cap)                                                          \
    ((void)vec_grow((ar), (void **)&(vec), sizeof *(vec), (n), &(cap)), &(vec)[(n)++])

/* A hash map from byte strings to pointers, arena-backed, open addressing.
 * Keys are copied into the arena. Lookups and inserts are O(1) on average,
 * which keeps every pass of idlc linear in its input. */
typedef struct hmap_entry {
    const void *key;
    size_t klen;
    size_t hash;
    void *value;
} hmap_entry;
typedef struct hmap {
    arena *a;
    hmap_entry *slots; /* power-of-two count; key NULL = empty */
    size_t cap, n;
} hmap;

void hmap_init(hmap *m, arena *a);
/* The value stored under key, or NULL. */
void *hmap_get(const hmap *m, const void *key, size_t klen);
/* Store value under key unless the key is present; returns the value now
 * stored (the earlier one if there was one). */
void *hmap_put(hmap *m, const void *key, size_t klen, void *value);
/* The same with NUL-terminated strings and with 64-bit integers as keys. */
void *hmap_get_str(const hmap *m, const char *key);
void *hmap_put_str(hmap *m, const char *key, void *value);
void *hmap_get_u64(const hmap *m, uint64_t key);
void *hmap_put_u64(hmap *m, uint64_t key, void *value);

typedef struct strbuf {
    char *data; /* NUL-terminated, malloc-owned */
    size_t len;
    size_t cap;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_putc(strbuf *sb, char c);
void sb_puts(strbuf *sb, const char *s);
void sb_putn(strbuf *sb, const char *s, size_t n);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap);

/* "foo/bar/x.idl" -> "x" (no directory, no .idl extension), arena-owned. */
char *path_stem(arena *a, const char *path);
/* Directory part of path ("." if none), arena-owned. */
char *path_dir(arena *a, const char *path);
/* "dir" + "/" + "name", arena-owned. */
char *path_join(arena *a, const char *dir, const char *name);
/* The path with "." segments, repeated slashes and "dir/.." pairs removed
 * ("inc/../a.idl" -> "a.idl"), arena-owned. Purely textual: symbolic links
 * are not followed. */
char *path_normalize(arena *a, const char *path);

#endif /* IDLC_UTIL_H */
