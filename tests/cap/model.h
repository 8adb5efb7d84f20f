/* SPDX-License-Identifier: MIT */
/* An independent model of the capability core for the property tests. It
 * keeps what the specification talks about, in the simplest form: an
 * explicit derivation tree (parent and ordered children), the capability in
 * each slot, the objects that are alive and how many capabilities name each.
 * It predicts every operation's error code and result — new objects'
 * addresses, which objects die in a delete or revoke, what each slot holds,
 * where a new capability sits in the tree — without using the list, the
 * parent predicate or any code of cap/. model_compare then checks the real
 * state against it, slot by slot and node by node.
 *
 * Deletes and revokes are modelled as completed (the caller runs them to
 * TSR_OK): the dying set is the closure "an object dies when its last
 * capability is deleted, and then every capability in its slots is deleted". */
#ifndef TESTS_CAP_MODEL_H
#define TESTS_CAP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "world.h"

#define MODEL_MAX_NODES 8192
#define MODEL_MAX_OBJECTS 2048
#define MODEL_IRQS 16

struct mnode {
    bool used;
    bool virt;          /* a chain head placeholder: the parent of top-level caps */
    struct cte *slot;   /* where the capability is */
    struct cap cap;     /* what the slot must hold */
    bool original;      /* revocable */
    int parent, first, last, prev, next;
};

struct mobj {
    bool used, alive, boot;
    uint8_t type;       /* enum cap_type */
    paddr_t pa;
    unsigned bits;
    unsigned ncaps;     /* capabilities naming it */
    unsigned nslots;    /* CNode / TCB slots */
    struct cte *slots;  /* their real addresses */
    int *node;          /* node in each slot, -1 if empty */
};

struct model {
    struct world *w;
    struct mnode n[MODEL_MAX_NODES];
    struct mobj o[MODEL_MAX_OBJECTS];
    int boot_node[WORLD_BOOT_SLOTS];  /* node in each boot slot, -1 if empty */
    unsigned irq_caps[MODEL_IRQS];
    unsigned teardowns;               /* objects died (for reporting) */
    /* A revoke deleted a capability whose own slot, or the revoked slot,
     * lies in an object that died with it. A revoke resumes from the revoked
     * slot's next capability, so if it was preempted then, cap/ leaves the
     * interrupted deletion as a zombie (in the child's slot, or the rest of a
     * garbage cycle) for a later delete; the model does not predict that. */
    bool revoke_hit_cycle;
    bool overflow;                    /* a table filled up: results unusable */
};

void model_init(struct model *m, struct world *w);
void model_free(struct model *m);

/* Slot -> node (-1 if the slot is empty or unknown); is the slot known? */
int model_node_at(struct model *m, struct cte *slot);
bool model_slot_known(struct model *m, struct cte *slot);
/* Every known slot, in no particular order; returns the count (<= max). */
size_t model_slots(struct model *m, struct cte **out, size_t max);

/* Operations: return the predicted error code and, on TSR_OK, apply it. */
tsr_error_t model_copy(struct model *m, struct cte *src, struct cte *dst, uint8_t rights);
tsr_error_t model_mint(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                       uint64_t badge);
tsr_error_t model_move(struct model *m, struct cte *src, struct cte *dst);
tsr_error_t model_mutate(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                         uint64_t badge);
tsr_error_t model_mint_guard(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                             uint64_t guard, unsigned guard_bits);
tsr_error_t model_mutate_guard(struct model *m, struct cte *src, struct cte *dst, uint8_t rights,
                               uint64_t guard, unsigned guard_bits);
tsr_error_t model_retype(struct model *m, struct cte *ut, tsr_object_type_t type,
                         unsigned size_bits, struct cte *dest, unsigned count);
void model_delete(struct model *m, struct cte *slot);
void model_revoke(struct model *m, struct cte *slot);
bool model_has_children(struct model *m, struct cte *slot);
/* The kernel issuing an IRQ handler from the IRQ control capability. */
void model_insert_child(struct model *m, struct cte *parent, struct cte *dst,
                        const struct cap *cap);
/* The kernel mapping a frame / page table: sets a, b (and a page table's level). */
void model_set_mapping(struct model *m, struct cte *slot, uint64_t va, uint64_t asid,
                       unsigned level);
tsr_error_t model_lookup(struct model *m, const struct cap *root, uint64_t cptr, unsigned depth,
                         bool stop_at_leaf, struct cte **slot);

/* Print both states (for failure reports). */
void model_dump(struct model *m, FILE *f);

/* Real state == model? On mismatch write why and return false. */
bool model_compare(struct model *m, char *why, size_t len);

#endif
