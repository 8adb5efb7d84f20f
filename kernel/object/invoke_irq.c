/* SPDX-License-Identifier: MIT */
/* Interrupt capabilities: IRQControl hands out one IRQHandler per line;
 * an IRQHandler binds the line to a notification and acknowledges it. */
#include <stdint.h>

#include <tessera/syscalls.h>

#include "cap/cdt.h"
#include "object/invoke.h"
#include "core/irq.h"

tsr_error_t invoke_irq_control(struct invocation *inv)
{
    if (inv->label != TSR_IRQ_CONTROL_GET)
        return TSR_E_ILLEGAL_OPERATION;
    if (inv->length < 4)
        return TSR_E_TRUNCATED;
    uint64_t intid = inv_arg(inv, 0);
    if (intid < IRQ_USER_FIRST || intid > IRQ_USER_LAST)
        return TSR_E_RANGE;
    struct cte *dst;
    tsr_error_t err = inv_lookup_slot(inv, inv_arg(inv, 1), inv_arg(inv, 2), inv_arg(inv, 3), &dst);
    if (err)
        return err;
    if (dst->cap.type != CAP_NULL)
        return TSR_E_SLOT_OCCUPIED;
    err = irq_handler_claim((unsigned)intid);
    if (err)
        return err;
    struct cap handler = {.type = CAP_IRQ_HANDLER, .rights = TSR_RIGHTS_ALL, .a = intid};
    cap_insert(inv->slot, dst, &handler, true);
    return TSR_OK;
}

tsr_error_t invoke_irq_handler(struct invocation *inv)
{
    unsigned intid = (unsigned)inv->slot->cap.a;
    switch (inv->label) {
    case TSR_IRQ_HANDLER_ACK:
        irq_handler_ack(intid);
        return TSR_OK;
    case TSR_IRQ_HANDLER_SET_NOTIFICATION: {
        if (inv->length < 1)
            return TSR_E_TRUNCATED;
        struct cte *n;
        tsr_error_t err = inv_lookup_typed(inv, inv_arg(inv, 0), CAP_NOTIFICATION,
                                           TSR_RIGHT_WRITE, &n);
        if (err)
            return err;
        return irq_handler_set_notification(intid, n->cap.object, n->cap.a);
    }
    case TSR_IRQ_HANDLER_CLEAR:
        irq_handler_clear_notification(intid);
        return TSR_OK;
    default:
        return TSR_E_ILLEGAL_OPERATION;
    }
}
