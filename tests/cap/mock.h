/* SPDX-License-Identifier: MIT */
/* Mock kernel hooks for the host tests of cap/. Physical address == host
 * pointer. The mock keeps a table of object instances (one per
 * cap_hook_object_init call, plus boot objects registered by the test) and
 * records every hook call, so tests can assert what was created, made dying
 * and torn down, and how many times. Misuse seen inside a hook (an object
 * created over a live one, torn down twice, torn down with a slot still
 * full...) is recorded in mock_violation for the invariant checker.
 *
 * object_slots: a CNode's slots are its memory (2^radix slots); a TCB has
 * MOCK_TCB_SLOTS slots at offset 0 of its 1 KiB object; nothing else has
 * slots. */
#ifndef TESTS_CAP_MOCK_H
#define TESTS_CAP_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap/cap.h"

#define MOCK_TCB_SLOTS 4u
#define MOCK_MAX_INSTANCES 4096

struct mock_instance {
    uint8_t type;      /* enum cap_type of the object */
    bool alive;
    bool boot;         /* registered by the test, not made by retype */
    bool device;
    unsigned bits;     /* log2 size in bytes */
    paddr_t pa;
    unsigned dying_calls;
    unsigned final_calls;
    unsigned nonfinal_calls;
    unsigned drained;  /* drain calls it had */
};

struct mock_state {
    struct mock_instance inst[MOCK_MAX_INSTANCES];
    unsigned ninst;
    /* Call counters since the last mock_reset_counts(). */
    unsigned init_calls, dying_calls, removed_calls, final_calls, slots_calls, drain_calls;
    /* Units of draining each endpoint or notification asks for before its
     * last capability may go (0 by default; a test sets it). */
    unsigned drain_units;
    unsigned untyped_removed; /* cap_removed on untyped capabilities */
    enum cap_type last_init_type;
    paddr_t last_init_pa;
    unsigned last_init_bits;
    bool last_init_device;
    struct cap last_removed;
    bool last_removed_final;
    /* Lowest frame address seen inside a hook (stack depth of the core). */
    uintptr_t stack_low;
    /* Set once a hook sees the core misbehave; the message says how. */
    bool violation;
    char why[256];
};

extern struct mock_state mock;

void mock_reset(void);
void mock_reset_counts(void);
/* Register an object the test made itself (a boot CNode). */
void mock_add_boot_instance(enum cap_type type, paddr_t pa, unsigned bits);
/* The live instance at pa with that type, or NULL. */
struct mock_instance *mock_find_live(enum cap_type type, paddr_t pa);
/* Any instance (live or dead, most recent first) at pa with that type. */
struct mock_instance *mock_find_any(enum cap_type type, paddr_t pa);
/* Slots of an object of type/pa/radix (NULL, 0 if it has none). */
unsigned mock_slots_of(enum cap_type type, paddr_t pa, unsigned size_bits, struct cte **slots);
/* Forget dead instances (after the caller has checked them). */
void mock_compact(void);
/* True for the types the mock keeps instances of (objects made by retype). */
bool mock_is_object_type(unsigned type);

#endif
