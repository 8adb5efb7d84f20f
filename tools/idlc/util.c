/* SPDX-License-Identifier: MIT */
/* Arena, vectors, string builder and path helpers (see util.h). */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    arena_chunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

#define CHUNK_MIN 65536u

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fputs("idlc: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *arena_alloc(arena *a, size_t size)
{
    size = (size + 15u) & ~(size_t)15u;
    if (size == 0)
        size = 16;
    arena_chunk *c = a->head;
    if (c == NULL || c->size - c->used < size) {
        size_t csize = size > CHUNK_MIN ? size : CHUNK_MIN;
        c = xmalloc(sizeof *c + csize);
        c->size = csize;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_free(arena *a)
{
    arena_chunk *c = a->head;
    while (c != NULL) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void *vec_grow(arena *a, void **vec, size_t esz, size_t n, size_t *cap)
{
    if (n >= *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        void *nv = arena_alloc(a, ncap * esz);
        if (n > 0)
            memcpy(nv, *vec, n * esz);
        *vec = nv;
        *cap = ncap;
    }
    return (char *)*vec + n * esz;
}

/* ---- hash map ---------------------------------------------------------------- */

static size_t hash_bytes(const void *key, size_t n)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

void hmap_init(hmap *m, arena *a)
{
    m->a = a;
    m->slots = NULL;
    m->cap = m->n = 0;
}

static hmap_entry *hmap_find(const hmap *m, const void *key, size_t klen, size_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        hmap_entry *e = &m->slots[i];
        if (e->key == NULL ||
            (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0))
            return e;
    }
}

void *hmap_get(const hmap *m, const void *key, size_t klen)
{
    if (m->n == 0)
        return NULL;
    hmap_entry *e = hmap_find(m, key, klen, hash_bytes(key, klen));
    return e->key ? e->value : NULL;
}

static void hmap_grow(hmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    hmap_entry *old = m->slots;
    size_t ocap = m->cap;
    m->slots = arena_alloc(m->a, ncap * sizeof *m->slots);
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i].key != NULL)
            *hmap_find(m, old[i].key, old[i].klen, old[i].hash) = old[i];
    }
}

void *hmap_put(hmap *m, const void *key, size_t klen, void *value)
{
    if (2 * (m->n + 1) > m->cap)
        hmap_grow(m);
    size_t h = hash_bytes(key, klen);
    hmap_entry *e = hmap_find(m, key, klen, h);
    if (e->key != NULL)
        return e->value;
    void *k = arena_alloc(m->a, klen ? klen : 1);
    memcpy(k, key, klen);
    e->key = k;
    e->klen = klen;
    e->hash = h;
    e->value = value;
    m->n++;
    return value;
}

void *hmap_get_str(const hmap *m, const char *key)
{
    return hmap_get(m, key, strlen(key));
}

void *hmap_put_str(hmap *m, const char *key, void *value)
{
    return hmap_put(m, key, strlen(key), value);
}

void *hmap_get_u64(const hmap *m, uint64_t key)
{
    return hmap_get(m, &key, sizeof key);
}

void *hmap_put_u64(hmap *m, uint64_t key, void *value)
{
    return hmap_put(m, &key, sizeof key, value);
}

/* ---- strings ------------------------------------------------------------------- */

void sb_init(strbuf *sb)
{
    sb->cap = 256;
    sb->len = 0;
    sb->data = xmalloc(sb->cap);
    sb->data[0] = '\0';
}

void sb_free(strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

static void sb_reserve(strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t ncap = sb->cap * 2;
    while (ncap < sb->len + extra + 1)
        ncap *= 2;
    char *nd = realloc(sb->data, ncap);
    if (nd == NULL) {
        fputs("idlc: out of memory\n", stderr);
        abort();
    }
    sb->data = nd;
    sb->cap = ncap;
}

void sb_putn(strbuf *sb, const char *s, size_t n)
{
    sb_reserve(sb, n);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_putc(strbuf *sb, char c)
{
    sb_putn(sb, &c, 1);
}

void sb_puts(strbuf *sb, const char *s)
{
    sb_putn(sb, s, strlen(s));
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    sb_reserve(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

char *path_stem(arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".idl") == 0)
        n -= 4;
    return arena_strndup(a, base, n);
}

char *path_dir(arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return arena_strdup(a, ".");
    if (slash == path)
        return arena_strdup(a, "/");
    return arena_strndup(a, path, (size_t)(slash - path));
}

char *path_join(arena *a, const char *dir, const char *name)
{
    if (name[0] == '/' || strcmp(dir, ".") == 0)
        return arena_strdup(a, name);
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = arena_alloc(a, dl + nl + 2);
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

char *path_normalize(arena *a, const char *path)
{
    size_t n = strlen(path);
    char *out = arena_alloc(a, n + 2);
    size_t o = 0;  /* length of out */
    size_t keep = 0; /* out[0..keep) cannot be removed by ".." ("/", or "../" prefixes) */
    bool abs = path[0] == '/';
    if (abs)
        out[o++] = '/', keep = 1;
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - seg);
        if (len == 0 || (len == 1 && seg[0] == '.'))
            continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            if (o > keep) {
                /* drop the last segment (and its slash) */
                while (o > keep && out[o - 1] != '/')
                    o--;
                if (o > keep)
                    o--;
                continue;
            }
            if (abs)
                continue; /* "/.." is "/" */
            if (o > 0)
                out[o++] = '/';
            out[o++] = '.', out[o++] = '.';
            keep = o;
            continue;
        }
        if (o > 0 && out[o - 1] != '/')
            out[o++] = '/';
        memcpy(out + o, seg, len);
        o += len;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    return out;
}
