/* SPDX-License-Identifier: MIT */
/* Shared helpers for the FDT host tests and the fuzz target: failure
 * reporting, file loading, a tiny raw DTB builder (to write trees libfdt
 * would refuse to build) and exercise_blob(), which runs every reader and
 * platform call over a possibly hostile blob and checks that every result
 * stays inside the blob. */
#ifndef TESSERA_TESTS_FDT_TEST_H
#define TESSERA_TESTS_FDT_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern int test_failures;

#include "boot/platform.h"
#include "dt_drivers.h"

/* The GIC as the probe found it: its version (2, 3; 0 if the interrupt
 * controller is not a GIC), and its second reg entry as the CPU interface
 * (v2) or the redistributor region (v3), zero for the other version. */
static inline unsigned gic_version(const struct platform *p)
{
    return p->irqchip.driver == DT_DRIVER_GICV2 ? 2 : p->irqchip.driver == DT_DRIVER_GICV3 ? 3 : 0;
}
static inline struct platform_range gic_cpu(const struct platform *p)
{
    struct platform_range none = {0, 0};
    return gic_version(p) == 2 ? p->irqchip.reg[1] : none;
}
static inline struct platform_range gic_redist(const struct platform *p)
{
    struct platform_range none = {0, 0};
    return gic_version(p) == 3 ? p->irqchip.reg[1] : none;
}

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            test_failures++;                                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b, what)                                                                       \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        CHECK(a_ == b_, "%s: got %lld (0x%llx), want %lld (0x%llx)", what, a_,                     \
              (unsigned long long)a_, b_, (unsigned long long)b_);                                 \
    } while (0)

/* Whole file into a malloc'ed buffer of exactly its size; exits on error. */
uint8_t *load_file(const char *path, size_t *size);
const char *base_name(const char *path);
/* A copy in a buffer of exactly `size` bytes, so ASan sees any over-read. */
uint8_t *exact_copy(const void *src, size_t size);
void put_be32(uint8_t *p, uint32_t v);
void put_be64(uint8_t *p, uint64_t v);

/* Raw builder: append tokens, then lay out header + rsvmap + struct +
 * strings exactly as dtc does (version 17). */
struct tb {
    uint8_t st[16384];
    size_t st_len;
    char str[4096];
    size_t str_len;
    uint64_t rsv[32][2];
    int nrsv;
};
void tb_init(struct tb *t);
void tb_word(struct tb *t, uint32_t w);
void tb_begin(struct tb *t, const char *name);
void tb_end(struct tb *t);
void tb_prop(struct tb *t, const char *name, const void *val, uint32_t len);
void tb_prop_str(struct tb *t, const char *name, const char *s);
void tb_prop_cells(struct tb *t, const char *name, int n, ...);
void tb_finish(struct tb *t); /* FDT_END */
/* Returns the blob size; header fields at standard offsets. */
size_t tb_blob(const struct tb *t, uint8_t *out, size_t cap);

/* Header field offsets, for corrupting blobs. */
enum {
    H_MAGIC = 0,
    H_TOTALSIZE = 4,
    H_OFF_STRUCT = 8,
    H_OFF_STRINGS = 12,
    H_OFF_RSV = 16,
    H_VERSION = 20,
    H_LAST_COMP = 24,
    H_BOOT_CPU = 28,
    H_SIZE_STRINGS = 32,
    H_SIZE_STRUCT = 36,
};

/* Run every API over the blob; returns the dt_init result. `deep` bounds the
 * number of nodes that get the O(tree) calls (parent, path, reg, ...). */
int exercise_blob(const uint8_t *blob, size_t size, int deep);

#endif
