/* SPDX-License-Identifier: MIT */
/* The demo service: serves versions 1 and 2 of `tally` (tally.idl) on one
 * endpoint under the name "demo", keeping one total per client (the badge
 * of its capability is its pid). Both versions' ops tables share the
 * functions of the methods they have in common. */
#include "tally.h"
#include "tsr/service.h"
#include "tsr/stdio.h"
#include "tsr/sys.h"

#define MAX_CLIENTS 32

static uint64_t totals[MAX_CLIENTS];

static uint64_t *tally_of(const idl_caller *caller)
{
    return &totals[caller->badge % MAX_CLIENTS];
}

static idl_status_t add(uint64_t *t, uint64_t amount)
{
    if (*t + amount < *t)
        return TALLY_ERROR_OVERFLOW;
    *t += amount;
    return IDL_OK;
}

static idl_status_t op_add(void *self, const idl_caller *c, uint32_t amount, uint64_t *total)
{
    (void)self;
    idl_status_t st = add(tally_of(c), amount);
    *total = *tally_of(c);
    return st;
}

static idl_status_t op_total(void *self, const idl_caller *c, uint64_t *total)
{
    (void)self;
    *total = *tally_of(c);
    return IDL_OK;
}

static idl_status_t op_add_many(void *self, const idl_caller *c, const uint32_t amounts[8],
                                uint8_t count, uint64_t *total)
{
    (void)self;
    if (count > 8)
        return TALLY_ERROR_BAD_COUNT;
    uint64_t t = *tally_of(c);
    for (unsigned i = 0; i < count; i++)
        if (add(&t, amounts[i]) != IDL_OK)
            return TALLY_ERROR_OVERFLOW;
    *tally_of(c) = *total = t;
    return IDL_OK;
}

static idl_status_t op_reset(void *self, const idl_caller *c, uint64_t *previous)
{
    (void)self;
    *previous = *tally_of(c);
    *tally_of(c) = 0;
    return IDL_OK;
}

static idl_status_t op_describe(void *self, const idl_caller *c, char text[81])
{
    (void)self;
    snprintf(text, 81, "the tally of pid %lu, kept by pid %u", (unsigned long)c->badge,
             tsr_program()->pid);
    return IDL_OK;
}

int main(void)
{
    static const tally_v1_ops v1 = {.add = op_add, .total = op_total};
    static const tally_v2_ops v2 = {.add = op_add, .total = op_total, .add_many = op_add_many,
                                    .reset = op_reset, .describe = op_describe};
    static const tally_server server = {.self = 0, .v1 = &v1, .v2 = &v2};
    idl_binding binding = tally_binding(&server);
    uint32_t vid;
    idl_status_t st = names_register("demo", &vid);
    if (st != IDL_OK) {
        printf("demo: cannot register: %s\n", names_status_text(st));
        return 1;
    }
    printf("demo: serving tally versions 1 and 2 as VID %u\n", vid);
    tsr_serve(&binding, 1);
    return 1;
}
