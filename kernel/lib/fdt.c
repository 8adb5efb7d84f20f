/* SPDX-License-Identifier: MIT */
/* Flattened device tree reader, first half (see fdt.h): the header, the
 * structure block and the nodes in it. dt_init() checks the header and walks
 * the whole structure block once, so a tree that gets past it is known to be
 * well formed; every later call still re-checks the bounds of what it reads
 * (dti_token(), below, is the only place that decodes the structure block,
 * for fdt_prop.c too), so a caller that passes a bogus offset gets an error,
 * not a wild read. Properties and the standard properties built on them
 * (compatible, reg, phandles...) are in fdt_prop.c. Loops either advance
 * through the blob (and so end with it) or count hops against DT_MAX_DEPTH /
 * DT_MAX_HOPS. Freestanding: no libc, no globals, no allocation, no
 * recursion. Section numbers refer to the Devicetree Specification v0.4. */
#include "lib/fdt_internal.h"

#define DT_MAGIC 0xd00dfeedu

/* Header sizes (5.2): version 17 added size_dt_struct to the 16 layout. */
#define HDR_V16_SIZE 36u
#define HDR_V17_SIZE 40u
#define RSV_ENTRY_SIZE 16u

/* ---- tiny string helpers (the rest are in fdt_internal.h) -------------- */

static const char *mem_chr(const char *s, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == c)
            return s + i;
    return NULL;
}

static uint64_t align4(uint64_t v)
{
    return (v + 3u) & ~(uint64_t)3u;
}

/* ---- the structure block tokenizer (5.4) -------------------------------- */

/* Decode the token at struct-block offset `off`: returns the token (>0) and
 * sets *next to the offset of the following token, or returns a dt_error.
 * Everything a token carries (node name, property header, value, name in the
 * strings block) is checked to lie inside its block. */
int dti_token(const struct dt *dt, int off, uint32_t *next)
{
    if (off < 0 || (off & 3) != 0 || dt->struct_size < 4 || (uint32_t)off > dt->struct_size - 4)
        return DT_E_BADSTRUCTURE;
    const uint8_t *s = sblock(dt);
    uint32_t u = (uint32_t)off;
    uint32_t rest = dt->struct_size - u - 4; /* bytes after the token word */
    uint64_t end;
    switch (dt_be32(s + u)) {
    case TOK_BEGIN_NODE: {
        size_t n = bounded_len((const char *)s + u + 4, rest);
        if (n == rest) /* the name runs off the block: unterminated */
            return DT_E_BADSTRUCTURE;
        end = align4((uint64_t)u + 4 + n + 1);
        break;
    }
    case TOK_PROP: {
        if (rest < 8)
            return DT_E_BADSTRUCTURE;
        uint32_t len = dt_be32(s + u + 4);
        uint32_t nameoff = dt_be32(s + u + 8);
        if (len > rest - 8)
            return DT_E_BADSTRUCTURE;
        if (nameoff >= dt->strings_size)
            return DT_E_BADSTRUCTURE;
        const char *name = (const char *)dt->blob + dt->strings_off + nameoff;
        /* The one check that costs a scan; dt_init did it for every property
         * (and the blob is read only), so a validated tree skips it. */
        if (!dt->structure_checked &&
            bounded_len(name, dt->strings_size - nameoff) == dt->strings_size - nameoff)
            return DT_E_BADSTRUCTURE;
        end = align4((uint64_t)u + 12 + len);
        break;
    }
    case TOK_END_NODE:
    case TOK_NOP:
    case TOK_END:
        end = (uint64_t)u + 4;
        break;
    default:
        return DT_E_BADSTRUCTURE;
    }
    /* The block is at most DT_MAX_TOTALSIZE bytes (dt_init), so end fits. */
    *next = (uint32_t)end;
    return (int)dt_be32(s + u);
}

/* The token at `node` must open a node; *next is set past its name. */
int dti_check_node(const struct dt *dt, int node, uint32_t *next)
{
    if (!dt_ok(dt))
        return DT_E_BADARG;
    int tok = dti_token(dt, node, next);
    if (tok < 0)
        return tok == DT_E_BADSTRUCTURE ? DT_E_BADOFFSET : tok;
    return tok == TOK_BEGIN_NODE ? 0 : DT_E_BADOFFSET;
}

/* One pass over the structure block (5.4.2): NOPs, then exactly one root
 * node, then NOPs and FDT_END. Nodes balance, nest at most DT_MAX_DEPTH
 * deep, and a node's properties come before its children. */
static int check_structure(struct dt *dt)
{
    int off = 0, depth = -1;
    bool root_done = false, had_child = false;
    for (;;) {
        uint32_t next;
        int tok = dti_token(dt, off, &next);
        if (tok < 0)
            return tok;
        switch (tok) {
        case TOK_BEGIN_NODE:
            if (root_done)
                return DT_E_BADSTRUCTURE; /* a second top-level node */
            if (++depth > DT_MAX_DEPTH)
                return DT_E_DEPTH;
            if (depth == 0)
                dt->root = off;
            had_child = false;
            break;
        case TOK_END_NODE:
            if (depth < 0)
                return DT_E_BADSTRUCTURE;
            if (--depth < 0)
                root_done = true;
            had_child = true; /* the parent has now seen a child */
            break;
        case TOK_PROP:
            if (depth < 0 || had_child)
                return DT_E_BADSTRUCTURE;
            break;
        case TOK_END:
            return root_done ? 0 : DT_E_BADSTRUCTURE;
        default: /* TOK_NOP */
            break;
        }
        off = (int)next;
    }
}

/* ---- header (5.2, 5.3, 5.6) --------------------------------------------- */

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    if (alen == 0 || blen == 0)
        return false;
    return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

int dt_init(struct dt *dt, const void *blob, size_t max_size)
{
    if (dt == NULL)
        return DT_E_BADARG;
    dt->blob = NULL; /* every accessor refuses a dt whose init failed */
    if (blob == NULL)
        return DT_E_BADARG;
    const uint8_t *b = (const uint8_t *)blob;
    if (max_size < 8)
        return DT_E_TRUNCATED;
    if (dt_be32(b) != DT_MAGIC)
        return DT_E_BADMAGIC;
    if (max_size < 28)
        return DT_E_TRUNCATED;
    uint32_t version = dt_be32(b + 20), last_comp = dt_be32(b + 24);
    /* 5.1: we read version 17, so accept anything backwards compatible with
     * it, and version 16 (no size_dt_struct) as 5.1 recommends. */
    if (version < 16 || last_comp > 17)
        return DT_E_BADVERSION;
    uint32_t hdr = version >= 17 ? HDR_V17_SIZE : HDR_V16_SIZE;
    if (max_size < hdr)
        return DT_E_TRUNCATED;
    uint32_t total = dt_be32(b + 4);
    if (total > max_size)
        return DT_E_TRUNCATED;
    if (total < hdr || total > DT_MAX_TOTALSIZE)
        return DT_E_BADLAYOUT;

    uint32_t soff = dt_be32(b + 8), stroff = dt_be32(b + 12), roff = dt_be32(b + 16);
    uint32_t strsize = dt_be32(b + 32);
    if (soff < hdr || soff > total || (soff & 3) != 0) /* 5.6: 4-byte aligned */
        return DT_E_BADLAYOUT;
    /* Version 16 has no size_dt_struct: the block may run up to the strings
     * block if that follows it, else to the end of the blob. */
    uint32_t ssize = total - soff;
    if (version >= 17)
        ssize = dt_be32(b + 36);
    else if (stroff > soff && stroff <= total)
        ssize = stroff - soff;
    if (ssize > total - soff)
        return DT_E_BADLAYOUT;
    if (stroff < hdr || stroff > total || strsize > total - stroff)
        return DT_E_BADLAYOUT;
    if (roff < hdr || roff > total || (roff & 7) != 0) /* 5.6: 8-byte aligned */
        return DT_E_BADLAYOUT;
    if (overlaps(soff, ssize, stroff, strsize))
        return DT_E_BADLAYOUT;

    /* 5.3: the reservation list ends with an all-zero entry, which must lie
     * inside the blob and clear of the other two blocks. */
    uint32_t count = 0;
    for (;;) {
        uint64_t at = (uint64_t)roff + (uint64_t)count * RSV_ENTRY_SIZE;
        if (at + RSV_ENTRY_SIZE > total)
            return DT_E_BADLAYOUT;
        if (dt_be64(b + at) == 0 && dt_be64(b + at + 8) == 0)
            break;
        count++;
    }
    uint32_t rsv_len = (count + 1) * RSV_ENTRY_SIZE;
    if (overlaps(roff, rsv_len, soff, ssize) || overlaps(roff, rsv_len, stroff, strsize))
        return DT_E_BADLAYOUT;

    dt->blob = b;
    dt->totalsize = total;
    dt->version = version;
    dt->boot_cpuid = dt_be32(b + 28);
    dt->struct_off = soff;
    dt->struct_size = ssize;
    dt->strings_off = stroff;
    dt->strings_size = strsize;
    dt->rsv_off = roff;
    dt->rsv_count = count;
    dt->root = -1;
    dt->structure_checked = false;
    int err = check_structure(dt);
    if (err < 0) {
        dt->blob = NULL;
        return err;
    }
    dt->structure_checked = true;
    return DT_OK;
}

const char *dt_strerror(int err)
{
    static const char *const msg[] = {
        "ok",
        "bad magic",
        "unsupported version",
        "truncated blob",
        "bad block layout in header",
        "malformed structure block",
        "not a node or property offset",
        "not found",
        "malformed property value",
        "nodes nested too deep",
        "reference loop",
        "address not translatable",
        "buffer too small",
        "bad argument",
    };
    if (err > 0 || -err >= (int)(sizeof(msg) / sizeof(msg[0])))
        return "unknown error";
    return msg[-err];
}

/* ---- walking nodes ------------------------------------------------------ */

int dt_root(const struct dt *dt)
{
    return dt_ok(dt) ? dt->root : DT_E_BADARG;
}

int dt_next_node(const struct dt *dt, int node, int *depth)
{
    int local = 0;
    if (depth == NULL)
        depth = &local;
    if (node < 0) {
        if (!dt_ok(dt))
            return DT_E_BADARG;
        *depth = 0;
        return dt->root;
    }
    uint32_t off;
    int err = dti_check_node(dt, node, &off);
    if (err < 0)
        return err;
    for (;;) {
        uint32_t next;
        int tok = dti_token(dt, (int)off, &next);
        if (tok < 0)
            return tok;
        if (tok == TOK_BEGIN_NODE) {
            (*depth)++;
            return (int)off;
        }
        if (tok == TOK_END_NODE)
            (*depth)--;
        else if (tok == TOK_END)
            return DT_E_NOTFOUND;
        off = next;
    }
}

int dt_first_child(const struct dt *dt, int node)
{
    int depth = 0;
    if (node < 0)
        return DT_E_BADOFFSET;
    int next = dt_next_node(dt, node, &depth);
    if (next < 0)
        return next;
    return depth == 1 ? next : DT_E_NOTFOUND; /* else it is no descendant */
}

int dt_next_sibling(const struct dt *dt, int node)
{
    int depth = 0, next = node;
    if (node < 0)
        return DT_E_BADOFFSET;
    do { /* skip node's descendants; offsets only grow, so this ends */
        next = dt_next_node(dt, next, &depth);
        if (next < 0)
            return next;
    } while (depth > 0);
    return depth == 0 ? next : DT_E_NOTFOUND; /* depth < 0: parent ended */
}

/* Fill stack[0..n) with the offsets of the root down to `node`; return n.
 * Walks from the root, so it also proves `node` is a real node. */
int dti_ancestors(const struct dt *dt, int node, int stack[DT_MAX_DEPTH + 1])
{
    if (!dt_ok(dt))
        return DT_E_BADARG;
    if (node < dt->root)
        return DT_E_BADOFFSET;
    int off = dt->root, depth = -1;
    for (;;) {
        uint32_t next;
        int tok = dti_token(dt, off, &next);
        if (tok < 0)
            return tok;
        if (tok == TOK_BEGIN_NODE) {
            if (++depth > DT_MAX_DEPTH)
                return DT_E_DEPTH;
            stack[depth] = off;
            if (off == node)
                return depth + 1;
        } else if (tok == TOK_END_NODE) {
            if (--depth < 0)
                return DT_E_BADOFFSET; /* walked the whole tree */
        } else if (tok == TOK_END) {
            return DT_E_BADOFFSET;
        }
        if (off > node)
            return DT_E_BADOFFSET; /* passed it: node points into the middle */
        off = (int)next;
    }
}

int dt_parent(const struct dt *dt, int node)
{
    int stack[DT_MAX_DEPTH + 1];
    int n = dti_ancestors(dt, node, stack);
    if (n < 0)
        return n;
    return n >= 2 ? stack[n - 2] : DT_E_NOTFOUND;
}

int dt_node_name(const struct dt *dt, int node, const char **name)
{
    uint32_t next;
    int err = dti_check_node(dt, node, &next);
    if (err < 0)
        return err;
    const char *s = (const char *)sblock(dt) + node + 4;
    if (name != NULL)
        *name = s;
    /* dti_token() proved the NUL is inside the block. */
    return (int)bounded_len(s, dt->struct_size - (uint32_t)node - 4);
}

int dt_node_path(const struct dt *dt, int node, char *buf, size_t buflen)
{
    int stack[DT_MAX_DEPTH + 1];
    if (buf == NULL)
        return DT_E_BADARG;
    int n = dti_ancestors(dt, node, stack);
    if (n < 0)
        return n;
    if (buflen < 2)
        return DT_E_NOSPACE;
    size_t pos = 0;
    buf[pos++] = '/';
    for (int i = 1; i < n; i++) {
        const char *name;
        int len = dt_node_name(dt, stack[i], &name);
        if (len < 0)
            return len;
        if (i > 1) {
            if (buflen - pos < 2)
                return DT_E_NOSPACE;
            buf[pos++] = '/';
        }
        if ((size_t)len >= buflen - pos) /* room for the name and a NUL */
            return DT_E_NOSPACE;
        for (int k = 0; k < len; k++)
            buf[pos++] = name[k];
    }
    buf[pos] = '\0';
    return (int)pos;
}

/* A path component matches a node name exactly, or, when the component
 * has no unit address, the name's part before '@' (2.2.1, 2.2.3). */
static bool name_matches(const char *name, size_t nlen, const char *comp, size_t clen)
{
    if (nlen < clen || !mem_eq(name, comp, clen))
        return false;
    if (nlen == clen)
        return true;
    return name[clen] == '@' && mem_chr(comp, '@', clen) == NULL;
}

static int find_child(const struct dt *dt, int node, const char *comp, size_t clen)
{
    int child = dt_first_child(dt, node);
    while (child >= 0) {
        const char *name;
        int nlen = dt_node_name(dt, child, &name);
        if (nlen < 0)
            return nlen;
        if (name_matches(name, (size_t)nlen, comp, clen))
            return child;
        child = dt_next_sibling(dt, child); /* offsets only grow: ends */
    }
    return child;
}

/* Resolve the '/'-separated components of p[0..len) below `node`. */
static int walk_path(const struct dt *dt, int node, const char *p, size_t len)
{
    size_t i = 0;
    for (;;) {
        while (i < len && p[i] == '/')
            i++;
        if (i == len)
            return node;
        size_t start = i;
        while (i < len && p[i] != '/')
            i++;
        node = find_child(dt, node, p + start, i - start);
        if (node < 0)
            return node;
    }
}

int dt_path_n(const struct dt *dt, const char *path, size_t len)
{
    if (!dt_ok(dt) || path == NULL)
        return DT_E_BADARG;
    len = bounded_len(path, len);
    if (len == 0)
        return DT_E_BADVALUE;
    int node = dt->root;
    if (path[0] != '/') {
        /* 3.3: the first component names a property of /aliases whose value
         * is a full path. Alias values must start with '/', so an alias is
         * never resolved through another alias and cannot loop. */
        const char *slash = mem_chr(path, '/', len);
        size_t alen = slash != NULL ? (size_t)(slash - path) : len;
        int aliases = walk_path(dt, dt->root, "/aliases", 8);
        if (aliases < 0)
            return aliases;
        const void *val;
        uint32_t vlen;
        int p = dti_find_prop(dt, aliases, path, alen, &val, &vlen);
        if (p < 0)
            return p;
        const char *target = (const char *)val;
        size_t tlen = bounded_len(target, vlen);
        if (tlen == vlen || tlen == 0 || target[0] != '/')
            return DT_E_BADVALUE;
        node = walk_path(dt, dt->root, target, tlen);
        if (node < 0)
            return node;
        path += alen;
        len -= alen;
    }
    return walk_path(dt, node, path, len);
}

int dt_path(const struct dt *dt, const char *path)
{
    if (path == NULL)
        return DT_E_BADARG;
    size_t len = bounded_len(path, DT_MAX_PATH + 1);
    if (len > DT_MAX_PATH)
        return DT_E_BADVALUE;
    return dt_path_n(dt, path, len);
}

/* ---- memory reservation block (5.3) ------------------------------------- */

int dt_num_mem_rsv(const struct dt *dt)
{
    return dt_ok(dt) ? (int)dt->rsv_count : DT_E_BADARG;
}

int dt_mem_rsv(const struct dt *dt, uint32_t index, uint64_t *addr, uint64_t *size)
{
    if (!dt_ok(dt))
        return DT_E_BADARG;
    if (index >= dt->rsv_count)
        return DT_E_NOTFOUND;
    uint64_t at = (uint64_t)dt->rsv_off + (uint64_t)index * RSV_ENTRY_SIZE;
    if (at + RSV_ENTRY_SIZE > dt->totalsize)
        return DT_E_BADLAYOUT;
    if (addr != NULL)
        *addr = dt_be64(dt->blob + at);
    if (size != NULL)
        *size = dt_be64(dt->blob + at + 8);
    return DT_OK;
}
