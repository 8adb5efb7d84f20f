/* SPDX-License-Identifier: MIT */
/* The object-type table and the kernel's side of the capability core: the
 * hooks cap/ calls when an object is created from untyped memory, when its
 * slots must be emptied, and when a capability to it goes away (cap/cap.h),
 * each dispatched to the type's row. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "object/objects.h"

static const struct object_type no_object = {.name = "none"};

static const struct object_type *const types[CAP_TYPE_COUNT] = {
    [CAP_NULL] = &no_object,
    [CAP_UNTYPED] = &untyped_type,
    [CAP_CNODE] = &cnode_type,
    [CAP_TCB] = &tcb_type,
    [CAP_ENDPOINT] = &endpoint_type,
    [CAP_NOTIFICATION] = &notification_type,
    [CAP_REPLY] = &reply_type,
    [CAP_FRAME] = &frame_type,
    [CAP_PAGE_TABLE] = &page_table_type,
    [CAP_VSPACE] = &vspace_type,
    [CAP_ASID_CONTROL] = &asid_control_type,
    [CAP_ASID_POOL] = &asid_pool_type,
    [CAP_IRQ_CONTROL] = &irq_control_type,
    [CAP_IRQ_HANDLER] = &irq_handler_type,
    [CAP_MSG_QUEUE] = &msg_queue_type,
    [CAP_ZOMBIE] = &no_object,
};

const struct object_type *object_type(enum cap_type type)
{
    return (unsigned)type < CAP_TYPE_COUNT ? types[type] : &no_object;
}

void *cap_hook_phys_to_virt(paddr_t pa)
{
    return arch_object_to_virt(pa);
}

void cap_hook_object_init(enum cap_type type, paddr_t pa, unsigned size_bits, bool device)
{
    /* Untyped memory is zeroed when it becomes a typed object, so a new
     * object never shows what the memory held before. Device memory is never
     * touched, and a sub-untyped need not be: its objects will be zeroed. */
    if (device || type == CAP_UNTYPED)
        return;
    arch_zero_object(arch_object_to_virt(pa), (size_t)1 << size_bits);
    const struct object_type *t = object_type(type);
    if (t->init)
        t->init(pa, size_bits);
}

unsigned cap_hook_object_slots(const struct cap *cap, struct cte **slots)
{
    const struct object_type *t = object_type((enum cap_type)cap->type);
    if (t->slots)
        return t->slots(cap, slots);
    *slots = NULL;
    return 0;
}

bool cap_hook_object_drain(const struct cap *cap)
{
    const struct object_type *t = object_type((enum cap_type)cap->type);
    return t->drain && t->drain(cap);
}

void cap_hook_object_dying(const struct cap *cap)
{
    const struct object_type *t = object_type((enum cap_type)cap->type);
    if (t->dying)
        t->dying(cap);
}

void cap_hook_cap_removed(const struct cap *cap, bool final)
{
    const struct object_type *t = object_type((enum cap_type)cap->type);
    if (t->cap_removed)
        t->cap_removed(cap);
    if (final && t->destroy)
        t->destroy(cap);
}
