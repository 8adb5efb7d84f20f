/* SPDX-License-Identifier: MIT */
/* A small "machine" for the cap/ host tests: a root CNode made by the test
 * (a boot object, its capability in a slot outside any CNode), untyped
 * regions in aligned host buffers inserted as boot capabilities, IRQ and ASID
 * control, and the checker of every structural invariant of cap/ over all
 * slots that exist (boot slots and the slots of every live CNode and TCB). */
#ifndef TESTS_CAP_WORLD_H
#define TESTS_CAP_WORLD_H

#include <stdbool.h>
#include <stddef.h>

#include "cap/cap.h"
#include "cap/cdt.h"
#include "cap/cspace.h"
#include "cap/untyped.h"
#include "mock.h"

#define WORLD_BOOT_SLOTS 4
#define WORLD_MAX_UT 8

struct world_ut {
    unsigned bits;
    bool device;
};

struct world_config {
    unsigned root_radix;
    unsigned nut;
    struct world_ut ut[WORLD_MAX_UT];
};

struct world {
    /* boot[0] holds the root CNode capability. */
    struct cte boot[WORLD_BOOT_SLOTS];
    struct cte *root;        /* the root CNode's slots */
    unsigned root_radix;
    unsigned nut;
    void *ut_mem[WORLD_MAX_UT];
    unsigned ut_bits[WORLD_MAX_UT];
    bool ut_device[WORLD_MAX_UT];
    /* Root CNode layout: untyped i in slot i, then IRQ and ASID control. */
    unsigned irq_control_index;
    unsigned asid_control_index;
    unsigned first_free_index;
};

/* Build the world (resets the mock). Device untypeds are filled with 0xA5. */
void world_init(struct world *w, const struct world_config *cfg);
void world_free(struct world *w);

/* The standard small world: root radix 5, untypeds 16 KiB, 16 KiB, device
 * 16 KiB. */
void world_init_default(struct world *w);

/* Every slot that exists, sorted by address; returns the count. The array is
 * owned by the world module and valid until the next call. */
size_t world_slots(struct world *w, struct cte ***out);

/* Check every invariant; on failure write why and return false. */
bool world_check(struct world *w, char *why, size_t len);

/* Delete / revoke to completion with a fixed budget per call; returns the
 * number of calls, or 0 if more than max_calls were needed (livelock). */
unsigned world_delete_all(struct cte *slot, unsigned budget, unsigned max_calls);
unsigned world_revoke_all(struct cte *slot, unsigned budget, unsigned max_calls);

#endif
