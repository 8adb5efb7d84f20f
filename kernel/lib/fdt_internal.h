/* SPDX-License-Identifier: MIT */
/* What the two halves of the device-tree reader share: fdt.c (header, the
 * structure-block tokenizer, nodes and paths) and fdt_prop.c (properties
 * and the standard properties of spec 2.3). Not an API: the kernel and the
 * tests use fdt.h. */
#ifndef TESSERA_FDT_INTERNAL_H
#define TESSERA_FDT_INTERNAL_H

#include "lib/fdt.h"

/* Structure block tokens (5.4.1). */
#define TOK_BEGIN_NODE 1
#define TOK_END_NODE 2
#define TOK_PROP 3
#define TOK_NOP 4
#define TOK_END 9

/* ---- tiny string helpers (no libc in the kernel) ------------------------ */

/* Index of the first NUL in s[0..max), or max if there is none. */
static inline size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

static inline bool mem_eq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Does the counted string s[0..n) equal the C string c? */
static inline bool str_eq_n(const char *s, size_t n, const char *c)
{
    return bounded_len(c, n + 1) == n && mem_eq(s, c, n);
}

static inline bool dt_ok(const struct dt *dt)
{
    return dt != NULL && dt->blob != NULL;
}

static inline const uint8_t *sblock(const struct dt *dt)
{
    return dt->blob + dt->struct_off;
}

/* ---- fdt.c -------------------------------------------------------------- */

/* Decode the token at struct-block offset `off`: returns the token (>0) and
 * sets *next to the offset of the following token, or returns a dt_error.
 * Everything a token carries is checked to lie inside its block. */
int dti_token(const struct dt *dt, int off, uint32_t *next);
/* The token at `node` must open a node; *next is set past its name. */
int dti_check_node(const struct dt *dt, int node, uint32_t *next);
/* Fill stack[0..n) with the offsets of the root down to `node`; return n
 * or a dt_error. Walks from the root, so it also proves `node` is a node. */
int dti_ancestors(const struct dt *dt, int node, int stack[DT_MAX_DEPTH + 1]);

/* ---- fdt_prop.c --------------------------------------------------------- */

/* The node's first property named name[0..nlen): its offset, value and
 * length, or a dt_error (DT_E_NOTFOUND: no such property). */
int dti_find_prop(const struct dt *dt, int node, const char *name, size_t nlen, const void **val,
                  uint32_t *len);

#endif /* TESSERA_FDT_INTERNAL_H */
