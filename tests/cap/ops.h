/* SPDX-License-Identifier: MIT */
/* The operation interpreter shared by the seeded random test and the fuzz
 * target: it draws operations (retype of any type, copy, mint, move, mutate,
 * guards, delete, revoke, lookups, mappings, IRQ handlers) with valid and
 * invalid arguments from a source of numbers (a PRNG or fuzzer bytes),
 * applies each to the real core and to the model, and checks after every
 * step that both agree and that every invariant holds. */
#ifndef TESTS_CAP_OPS_H
#define TESTS_CAP_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct source {
    uint64_t state;         /* PRNG state (when data is NULL) */
    const uint8_t *data;    /* fuzzer input */
    size_t len, pos;
    bool exhausted;
};

void source_seed(struct source *s, uint64_t seed);
void source_bytes(struct source *s, const uint8_t *data, size_t len);
/* A number in [0, bound) (bound >= 1). */
uint32_t source_below(struct source *s, uint32_t bound);

struct driver {
    struct world w;
    struct model m;
    bool exact;         /* the model still describes the real state */
    bool interfere;     /* may abandon preempted deletes/revokes */
    unsigned steps;
    unsigned max_budget;
    char op[160];       /* the last operation, for failure reports */
    char why[512];
    /* Statistics, to see that runs exercise what they should. */
    unsigned n_ok, n_err, n_preempted, n_teardowns;
    unsigned n_cycle_fixups; /* zombies finished after a revoke through a garbage cycle */
    /* Per error code, for tuning the mix of operations. */
    unsigned n_code[TSR_E_COUNT];
};

void driver_init(struct driver *d, bool interfere);
void driver_free(struct driver *d);
/* One operation and all checks: true if everything holds. */
bool driver_step(struct driver *d, struct source *s);
/* Delete everything and check that every object was torn down exactly once
 * and nothing is left: true if so. */
bool driver_cleanup(struct driver *d);

#endif
