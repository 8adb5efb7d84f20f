/* SPDX-License-Identifier: MIT */
/* Shared between model.c (state, comparison) and model_ops.c (operations). */
#ifndef TESTS_CAP_MODEL_INTERNAL_H
#define TESTS_CAP_MODEL_INTERNAL_H

#include "model.h"

int mnode_new(struct model *m);
void mtree_first_child(struct model *m, int p, int c);
void mtree_after(struct model *m, int s, int c);
void mtree_new_root(struct model *m, int c);
void mtree_remove(struct model *m, int c);

int mobj_add(struct model *m, uint8_t type, paddr_t pa, unsigned bits, bool boot);
int mobj_find(struct model *m, uint8_t type, paddr_t pa);
void mobj_release(struct model *m, int i);
/* The live object a capability names (-1: untyped, control caps, IRQ handlers). */
int mobj_of_cap(struct model *m, const struct cap *cap);

int *mslot_ref(struct model *m, struct cte *slot);
void mslot_set(struct model *m, struct cte *slot, int c);

#endif
