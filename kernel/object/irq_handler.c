/* SPDX-License-Identifier: MIT */
/* Interrupt capabilities. IRQControl hands out one IRQHandler per line (an
 * SPI: the kernel keeps SGIs and PPIs); an IRQHandler binds its line to a
 * notification, which is signalled with the capability's badge when the
 * line fires. The line is masked when it fires and stays masked until the
 * handler acknowledges it, so a device cannot flood the kernel. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/syscalls.h>

#include "arch.h"
#include "cap/cdt.h"
#include "ipc/ipc.h"
#include "object/invoke.h"
#include "object/irq_handler.h"
#include "object/objects.h"

/* Each line's state. A line bound to a notification is on that
 * notification's list of lines (struct notification.irq_first), linked
 * both ways so that unbinding costs the same whatever the list's length. */
struct irq_handler_state {
    bool claimed;
    uint16_t prev, next; /* intids on the notification's list, 0: none */
    paddr_t notification;
    uint64_t badge;
};

static struct irq_handler_state handlers[IRQ_USER_LAST + 1];

bool irq_handler_fired(unsigned intid)
{
    if (intid < IRQ_USER_FIRST || intid > IRQ_USER_LAST || !handlers[intid].claimed)
        return false;
    arch_irq_disable_line(intid);
    if (handlers[intid].notification)
        notification_signal(handlers[intid].notification, handlers[intid].badge);
    return true;
}

static void bind(unsigned intid, paddr_t ntfn, uint64_t badge)
{
    struct irq_handler_state *h = &handlers[intid];
    struct notification *n = notification_from_pa(ntfn);
    h->notification = ntfn;
    h->badge = badge;
    h->prev = 0;
    h->next = (uint16_t)n->irq_first;
    if (n->irq_first)
        handlers[n->irq_first].prev = (uint16_t)intid;
    n->irq_first = intid;
}

/* Take the line off its notification's list, and mask it. */
static void clear_notification(unsigned intid)
{
    struct irq_handler_state *h = &handlers[intid];
    if (h->notification) {
        if (h->prev)
            handlers[h->prev].next = h->next;
        else
            notification_from_pa(h->notification)->irq_first = h->next;
        if (h->next)
            handlers[h->next].prev = h->prev;
        h->prev = h->next = 0;
        h->notification = 0;
    }
    arch_irq_disable_line(intid);
}

bool irq_unbind_notification(paddr_t ntfn, unsigned count)
{
    struct notification *n = notification_from_pa(ntfn);
    for (unsigned k = 0; n->irq_first && k < count; k++)
        clear_notification(n->irq_first);
    return n->irq_first != 0;
}

/* ---- IRQControl: Get ------------------------------------------------------------- */

/* Get: intid, root, index, depth. */
static tsr_error_t decode_get(struct invocation *inv, unsigned *intid, struct cte **dst)
{
    uint64_t line = inv_arg(inv, 0);
    if (line < IRQ_USER_FIRST || line > IRQ_USER_LAST)
        return TSR_E_RANGE;
    tsr_error_t err =
        inv_lookup_empty_slot(inv, inv_arg(inv, 1), inv_arg(inv, 2), inv_arg(inv, 3), dst);
    if (err)
        return err;
    if (handlers[line].claimed)
        return TSR_E_ILLEGAL_OPERATION; /* already handed out */
    *intid = (unsigned)line;
    return TSR_OK;
}

static tsr_error_t irq_control_invoke(struct invocation *inv)
{
    unsigned intid; /* the only method: TSR_IRQ_CONTROL_GET */
    struct cte *dst;
    tsr_error_t err = decode_get(inv, &intid, &dst);
    if (err)
        return err;
    handlers[intid] = (struct irq_handler_state){.claimed = true};
    struct cap handler = cap_make_irq_handler(intid);
    cap_insert(inv->slot, dst, &handler, true);
    return TSR_OK;
}

const struct object_type irq_control_type = {
    .name = "irq_control",
    .invoke = irq_control_invoke,
};

/* ---- IRQHandler: Ack, SetNotification, Clear ------------------------------------- */

static tsr_error_t irq_handler_invoke(struct invocation *inv)
{
    unsigned intid = cap_irq_handler_intid(&inv->slot->cap);
    switch (inv->label) {
    case TSR_IRQ_HANDLER_ACK:
        if (handlers[intid].notification)
            arch_irq_enable_line(intid);
        return TSR_OK;
    case TSR_IRQ_HANDLER_SET_NOTIFICATION: {
        struct cte *n;
        tsr_error_t err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_NOTIFICATION,
                                           TSR_RIGHT_WRITE, &n);
        if (err)
            return err;
        clear_notification(intid); /* from the one it had, if any */
        bind(intid, n->cap.object, cap_badge(&n->cap));
        return TSR_OK;
    }
    default: /* TSR_IRQ_HANDLER_CLEAR */
        clear_notification(intid);
        return TSR_OK;
    }
}

/* The last capability to the line went: mask it and free it. */
static void irq_handler_type_destroy(const struct cap *cap)
{
    unsigned intid = cap_irq_handler_intid(cap);
    if (intid < IRQ_USER_FIRST || intid > IRQ_USER_LAST)
        return;
    clear_notification(intid);
    handlers[intid] = (struct irq_handler_state){0};
}

const struct object_type irq_handler_type = {
    .name = "irq_handler",
    .destroy = irq_handler_type_destroy,
    .invoke = irq_handler_invoke,
};
