/* SPDX-License-Identifier: MIT */
/* Mock kernel hooks for the cap/ host tests (see mock.h for the contract).
 * Every hook records its call; the ones that can detect a misbehaving core
 * (object created over a live one, torn down twice or with full slots,
 * dying announced twice) set mock.violation. */
#include <stdio.h>
#include <string.h>

#include "mock.h"

struct mock_state mock;

static void violate(const char *what, unsigned type, paddr_t pa)
{
    if (mock.violation)
        return;
    mock.violation = true;
    snprintf(mock.why, sizeof mock.why, "%s (type %u at 0x%llx)", what, type,
             (unsigned long long)pa);
}

void mock_reset(void)
{
    memset(&mock, 0, sizeof mock);
}

void mock_reset_counts(void)
{
    mock.init_calls = mock.dying_calls = mock.removed_calls = mock.final_calls = 0;
    mock.slots_calls = mock.untyped_removed = mock.drain_calls = 0;
}

bool mock_is_object_type(unsigned type)
{
    switch (type) {
    case CAP_CNODE:
    case CAP_TCB:
    case CAP_ENDPOINT:
    case CAP_NOTIFICATION:
    case CAP_REPLY:
    case CAP_FRAME:
    case CAP_PAGE_TABLE:
    case CAP_VSPACE:
    case CAP_MSG_QUEUE:
        return true;
    default:
        return false;
    }
}

struct mock_instance *mock_find_live(enum cap_type type, paddr_t pa)
{
    for (unsigned i = mock.ninst; i-- > 0;) {
        struct mock_instance *m = &mock.inst[i];
        if (m->alive && m->type == type && m->pa == pa)
            return m;
    }
    return NULL;
}

struct mock_instance *mock_find_any(enum cap_type type, paddr_t pa)
{
    for (unsigned i = mock.ninst; i-- > 0;) {
        struct mock_instance *m = &mock.inst[i];
        if (m->type == type && m->pa == pa)
            return m;
    }
    return NULL;
}

void mock_compact(void)
{
    unsigned j = 0;
    for (unsigned i = 0; i < mock.ninst; i++) {
        if (mock.inst[i].alive)
            mock.inst[j++] = mock.inst[i];
    }
    mock.ninst = j;
}

static bool overlaps(paddr_t a, unsigned abits, paddr_t b, unsigned bbits)
{
    uint64_t a_end = a + (UINT64_C(1) << abits);
    uint64_t b_end = b + (UINT64_C(1) << bbits);
    return a < b_end && b < a_end;
}

static struct mock_instance *add_instance(enum cap_type type, paddr_t pa, unsigned bits)
{
    for (unsigned i = 0; i < mock.ninst; i++) {
        struct mock_instance *m = &mock.inst[i];
        if (m->alive && overlaps(m->pa, m->bits, pa, bits))
            violate("object created over a live object", type, pa);
    }
    if (mock.ninst == MOCK_MAX_INSTANCES) {
        /* Reuse the oldest dead entry: long random runs make many objects. */
        for (unsigned i = 0; i < mock.ninst; i++) {
            if (!mock.inst[i].alive) {
                memmove(&mock.inst[i], &mock.inst[i + 1],
                        (mock.ninst - i - 1) * sizeof mock.inst[0]);
                mock.ninst--;
                break;
            }
        }
        if (mock.ninst == MOCK_MAX_INSTANCES) {
            violate("mock instance table full", type, pa);
            return NULL;
        }
    }
    struct mock_instance *m = &mock.inst[mock.ninst++];
    memset(m, 0, sizeof *m);
    m->type = (uint8_t)type;
    m->pa = pa;
    m->bits = bits;
    m->alive = true;
    return m;
}

void mock_add_boot_instance(enum cap_type type, paddr_t pa, unsigned bits)
{
    struct mock_instance *m = add_instance(type, pa, bits);
    if (m)
        m->boot = true;
}

unsigned mock_slots_of(enum cap_type type, paddr_t pa, unsigned size_bits, struct cte **slots)
{
    switch (type) {
    case CAP_CNODE:
        *slots = (struct cte *)(uintptr_t)pa;
        return 1u << size_bits;
    case CAP_TCB:
        *slots = (struct cte *)(uintptr_t)pa;
        return MOCK_TCB_SLOTS;
    default:
        *slots = NULL;
        return 0;
    }
}

/* ---- the hooks ----------------------------------------------------------- */

static void note_stack(void)
{
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    if (mock.stack_low == 0 || fp < mock.stack_low)
        mock.stack_low = fp;
}

void *cap_hook_phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)pa;
}

void cap_hook_object_init(enum cap_type type, paddr_t pa, unsigned size_bits, bool device)
{
    mock.init_calls++;
    mock.last_init_type = type;
    mock.last_init_pa = pa;
    mock.last_init_bits = size_bits;
    mock.last_init_device = device;
    if (device && type != CAP_FRAME && type != CAP_UNTYPED)
        violate("kernel object made of device memory", type, pa);
    if (!device && type != CAP_UNTYPED)
        memset((void *)(uintptr_t)pa, 0, (size_t)1 << size_bits);
    if (type == CAP_UNTYPED)
        return;
    struct mock_instance *m = add_instance(type, pa, size_bits);
    if (m)
        m->device = device;
}

unsigned cap_hook_object_slots(const struct cap *cap, struct cte **slots)
{
    mock.slots_calls++;
    note_stack();
    return mock_slots_of((enum cap_type)cap->type, cap->object, cap->size_bits, slots);
}

bool cap_hook_object_drain(const struct cap *cap)
{
    mock.drain_calls++;
    if (cap->type != CAP_ENDPOINT && cap->type != CAP_NOTIFICATION)
        return false;
    struct mock_instance *m = mock_find_live((enum cap_type)cap->type, cap->object);
    if (!m) {
        violate("drain called for an object that is not live", cap->type, cap->object);
        return false;
    }
    return m->drained++ < mock.drain_units;
}

void cap_hook_object_dying(const struct cap *cap)
{
    mock.dying_calls++;
    struct mock_instance *m = mock_find_live((enum cap_type)cap->type, cap->object);
    if (!m) {
        violate("dying called for an object that is not live", cap->type, cap->object);
        return;
    }
    if (m->dying_calls++)
        violate("dying called twice", cap->type, cap->object);
}

void cap_hook_cap_removed(const struct cap *cap, bool final)
{
    mock.removed_calls++;
    note_stack();
    mock.last_removed = *cap;
    mock.last_removed_final = final;
    if (cap->type == CAP_UNTYPED) {
        mock.untyped_removed++;
        return;
    }
    if (final)
        mock.final_calls++;
    if (!mock_is_object_type(cap->type))
        return;
    struct mock_instance *m = mock_find_live((enum cap_type)cap->type, cap->object);
    if (!m) {
        violate(final ? "object torn down that is not live" : "capability removed to a dead object",
                cap->type, cap->object);
        return;
    }
    if (!final) {
        m->nonfinal_calls++;
        return;
    }
    struct cte *slots;
    unsigned n = mock_slots_of((enum cap_type)cap->type, cap->object, cap->size_bits, &slots);
    if (n && m->dying_calls != 1)
        violate("object with slots torn down without exactly one dying call", cap->type,
                cap->object);
    for (unsigned i = 0; i < n; i++) {
        if (slots[i].cap.type != CAP_NULL)
            violate("object torn down with a slot still full", cap->type, cap->object);
    }
    m->final_calls++;
    m->alive = false;
}
