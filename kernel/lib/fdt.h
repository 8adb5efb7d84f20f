/* SPDX-License-Identifier: MIT */
/* A small, defensive reader for flattened device trees (DTB, Devicetree
 * Specification v0.4 chapter 5). The kernel uses it at boot to find its
 * hardware; it is pure, freestanding C so the host tests can run it under
 * sanitizers and compare it with libfdt. Every function checks bounds against
 * the blob as it reads, every loop is bounded, and a malformed tree yields a
 * negative dt_error value, never a crash or a hang. docs/device-tree.md
 * describes the rules. Symbols are prefixed dt_ so they never collide with
 * libfdt's fdt_ names in the cross-check tests. */
#ifndef TESSERA_FDT_H
#define TESSERA_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every failing call returns one of these (all negative). */
enum dt_error {
    DT_OK = 0,
    DT_E_BADMAGIC = -1,     /* header magic is not 0xd00dfeed */
    DT_E_BADVERSION = -2,   /* version < 16 or last_comp_version > 17 */
    DT_E_TRUNCATED = -3,    /* blob shorter than the header or a block says */
    DT_E_BADLAYOUT = -4,    /* header offsets/sizes overlap, overflow, misalign */
    DT_E_BADSTRUCTURE = -5, /* bad token, unterminated name, unbalanced nodes */
    DT_E_BADOFFSET = -6,    /* argument is not the offset of a node/property */
    DT_E_NOTFOUND = -7,     /* no such node, property, entry or phandle */
    DT_E_BADVALUE = -8,     /* property present but malformed for its use */
    DT_E_DEPTH = -9,        /* nodes nested deeper than DT_MAX_DEPTH */
    DT_E_LOOP = -10,        /* reference chain longer than DT_MAX_HOPS */
    DT_E_NOTRANSLATE = -11, /* reg not reachable through the parents' ranges */
    DT_E_NOSPACE = -12,     /* caller's buffer too small */
    DT_E_BADARG = -13,      /* NULL pointer or impossible argument */
};

/* Deepest node nesting accepted (the root is depth 0). Real trees stay
 * below 10; the bound keeps the ancestor stack on the kernel stack small. */
#define DT_MAX_DEPTH 32
/* Longest chain of references (interrupt-parent hops) followed. */
#define DT_MAX_HOPS 64
/* Largest blob accepted; keeps every offset (and offset + padding) far
 * inside an int. Linux's limit is 2 MiB; QEMU pads its dumps to 1 MiB. */
#define DT_MAX_TOTALSIZE 0x40000000u
/* Longest C-string path accepted by dt_path(). */
#define DT_MAX_PATH 1024

/* A validated view of a blob. Filled by dt_init(); read-only afterwards. The
 * fields are public for diagnostics; use the functions to read the tree. */
struct dt {
    const uint8_t *blob;
    uint32_t totalsize;
    uint32_t version;
    uint32_t boot_cpuid;
    uint32_t struct_off; /* structure block: offset and size in the blob */
    uint32_t struct_size;
    uint32_t strings_off; /* strings block */
    uint32_t strings_size;
    uint32_t rsv_off;   /* memory reservation block */
    uint32_t rsv_count; /* entries before the all-zero terminator */
    int root;           /* offset of the root node in the struct block */
    /* Set once dt_init has checked every token of the (read-only) blob:
     * later walks then skip re-checking what cannot have changed, such as
     * the termination of every property name. */
    bool structure_checked;
};

/* Big-endian decoding; p need not be aligned. */
static inline uint32_t dt_be32(const void *p)
{
    const uint8_t *b = (const uint8_t *)p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t dt_be64(const void *p)
{
    const uint8_t *b = (const uint8_t *)p;
    return (uint64_t)dt_be32(b) << 32 | dt_be32(b + 4);
}

/* Validate the header and the whole structure block of the blob at `blob`,
 * of which at most `max_size` bytes may be read. 0 or a dt_error. */
int dt_init(struct dt *dt, const void *blob, size_t max_size);
const char *dt_strerror(int err);

/* Nodes are named by their offset in the structure block (the same numbers
 * libfdt uses). Node functions return an offset >= 0 or a dt_error;
 * DT_E_NOTFOUND means "no such node". */
int dt_root(const struct dt *dt);
int dt_first_child(const struct dt *dt, int node);
int dt_next_sibling(const struct dt *dt, int node);
int dt_parent(const struct dt *dt, int node);
/* Next node in document order after `node` (node < 0: the root). If depth is
 * not NULL it is adjusted by the nesting change (+1 into a child). */
int dt_next_node(const struct dt *dt, int node, int *depth);
/* Name of the node ("" for the root); returns its length. */
int dt_node_name(const struct dt *dt, int node, const char **name);
/* Writes the node's full path, NUL-terminated; returns its length. */
int dt_node_path(const struct dt *dt, int node, char *buf, size_t buflen);
/* "/a/b@1" from the root, or "alias/rest" through /aliases. A component
 * without '@' also matches a node name with a unit address. */
int dt_path(const struct dt *dt, const char *path);
int dt_path_n(const struct dt *dt, const char *path, size_t len);

/* Properties. dt_first_prop/dt_next_prop return property offsets. */
int dt_first_prop(const struct dt *dt, int node);
int dt_next_prop(const struct dt *dt, int prop);
int dt_prop_at(const struct dt *dt, int prop, const char **name, const void **val, uint32_t *len);
int dt_prop(const struct dt *dt, int node, const char *name, const void **val, uint32_t *len);
/* A 4-byte property. */
int dt_prop_u32(const struct dt *dt, int node, const char *name, uint32_t *out);
/* A property holding a NUL-terminated string; *out is its first string. */
int dt_prop_str(const struct dt *dt, int node, const char *name, const char **out);

/* Standard properties (spec 2.3). Predicates are false on malformed data. */
bool dt_is_compatible(const struct dt *dt, int node, const char *compat);
/* First node after `start` (start < 0: from the root, inclusive) that is
 * compatible with `compat`. */
int dt_find_compatible(const struct dt *dt, int start, const char *compat);
bool dt_node_enabled(const struct dt *dt, int node);
/* #address-cells (1..4, default 2) and #size-cells (0..4, default 1) that
 * `node` defines for its children. */
int dt_address_cells(const struct dt *dt, int node);
int dt_size_cells(const struct dt *dt, int node);
/* Entry `index` of the node's reg, translated to a CPU physical address
 * through every ancestor's ranges. */
int dt_reg(const struct dt *dt, int node, uint32_t index, uint64_t *addr, uint64_t *size);
/* The same entry in the parent's own address space, e.g. a CPU's MPIDR
 * under /cpus, which has no ranges because it is no memory bus. */
int dt_reg_untranslated(const struct dt *dt, int node, uint32_t index, uint64_t *addr,
                        uint64_t *size);
int dt_phandle_node(const struct dt *dt, uint32_t phandle);
/* The node's interrupt domain root (spec 2.4): the first node with
 * #interrupt-cells reached through interrupt-parent links or tree parents. */
int dt_interrupt_parent(const struct dt *dt, int node);

/* Memory reservation block (spec 5.3). */
int dt_num_mem_rsv(const struct dt *dt);
int dt_mem_rsv(const struct dt *dt, uint32_t index, uint64_t *addr, uint64_t *size);

#endif /* TESSERA_FDT_H */
