/* SPDX-License-Identifier: MIT */
/* The kernel's side of the capability core: the hooks cap/ calls when an
 * object is created from untyped memory, when its slots must be emptied, and
 * when a capability to it goes away (cap/cap.h). This is where each object
 * type is set up and torn down. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "object/asid.h"
#include "cap/cap.h"
#include "ipc/ipc.h"
#include "core/irq.h"
#include "lib/kstring.h"
#include "object/tcb.h"

void *cap_hook_phys_to_virt(paddr_t pa)
{
    return arch_phys_to_virt(pa);
}

void cap_hook_object_init(enum cap_type type, paddr_t pa, unsigned size_bits, bool device)
{
    /* Untyped memory is zeroed when it becomes a typed object, so a new
     * object never shows what the memory held before. Device memory is never
     * touched, and a sub-untyped need not be: its objects will be zeroed. */
    if (device || type == CAP_UNTYPED)
        return;
    arch_zero_object(arch_phys_to_virt(pa), (size_t)1 << size_bits);
    if (type == CAP_TCB)
        tcb_init(tcb_from_pa(pa), pa);
}

unsigned cap_hook_object_slots(const struct cap *cap, struct cte **slots)
{
    switch (cap->type) {
    case CAP_CNODE:
        *slots = arch_phys_to_virt(cap->object);
        return 1u << cap->size_bits;
    case CAP_TCB:
        *slots = tcb_from_pa(cap->object)->slots;
        return TCB_SLOT_COUNT;
    default:
        *slots = NULL;
        return 0;
    }
}

void cap_hook_object_dying(const struct cap *cap)
{
    /* Stop a thread before its CSpace and VSpace are taken apart. */
    if (cap->type == CAP_TCB)
        tcb_suspend(tcb_from_pa(cap->object));
}

static void unmap_frame(const struct cap *cap)
{
    paddr_t vspace = asid_lookup((unsigned)cap->b);
    if (vspace)
        arch_vspace_unmap_frame(vspace, (unsigned)cap->b, cap->a, cap->object, cap->size_bits);
}

static void unmap_page_table(const struct cap *cap)
{
    paddr_t vspace = asid_lookup((unsigned)cap->b);
    if (vspace)
        arch_vspace_unmap_table(vspace, (unsigned)cap->b, cap->a, cap->object, cap->size_bits);
    else
        memset(arch_phys_to_virt(cap->object), 0, (size_t)1 << TSR_PAGE_TABLE_BITS);
}

void cap_hook_cap_removed(const struct cap *cap, bool final)
{
    /* Mappings belong to one capability: remove them whenever it goes. */
    if (cap->type == CAP_FRAME && cap->b)
        unmap_frame(cap);
    if (cap->type == CAP_PAGE_TABLE && cap->b)
        unmap_page_table(cap);
    if (!final)
        return;
    switch (cap->type) {
    case CAP_TCB:
        tcb_destroy(tcb_from_pa(cap->object));
        break;
    case CAP_ENDPOINT:
        endpoint_destroy(cap->object);
        break;
    case CAP_NOTIFICATION:
        notification_destroy(cap->object);
        irq_notification_destroyed(cap->object);
        break;
    case CAP_REPLY:
        reply_destroy(cap->object);
        break;
    case CAP_VSPACE:
        asid_vspace_destroyed(cap->object, (unsigned)cap->a);
        break;
    case CAP_ASID_POOL:
        asid_pool_destroyed(cap);
        break;
    case CAP_IRQ_HANDLER:
        irq_handler_release((unsigned)cap->a);
        break;
    default:
        break;
    }
}
