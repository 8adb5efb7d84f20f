/* SPDX-License-Identifier: MIT */
/* The bounds program (Image-bounds, run under -icount by the qemu-bounds
 * test): each long operation of the kernel is driven to a large case and
 * the longest stretch any of its system calls ran with interrupts masked
 * is read from the debug kernel (DebugCounter MAX_MASKED), in guest
 * instructions. Each must stay within BOUND_LIMIT, the bound
 * docs/testing.md states; the figures are printed for that table. */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/syscall.h"
#include "tsr/vm.h"

#define BOUND_LIMIT 300000u
#define D TSR_ROOT_DEPTH
#define ROOT TSR_INIT_CNODE

void bounds_wait_then_stop(void);

static const struct tsr_bootinfo *boot;
static unsigned number, failed;

/* Give back n slots from first (emptied by a revoke). */
static void free_slots(tsr_cptr_t first, unsigned n)
{
    for (unsigned i = 0; first && i < n; i++)
        tsr_free_slot(first + i);
}

static uint64_t masked_max(void)
{
    return tsr_debug_counter(TSR_COUNTER_MAX_MASKED); /* and starts a new measurement */
}

/* Each operation has its own limit, within BOUND_LIMIT: what its bounded
 * work should cost with some room, so that losing the bound (say, waking
 * every waiter in one step) fails even where the total would still fit. */
static void report(const char *id, const char *what, uint64_t took, uint64_t limit, int ok)
{
    ok = ok && took <= limit && limit <= BOUND_LIMIT;
    number++;
    failed += !ok;
    printf("%s %u - %s %s: %lu instructions with interrupts masked at most (limit %lu)\n",
           ok ? "ok" : "not ok", number, id, what, (unsigned long)took, (unsigned long)limit);
}

/* `n` threads waiting on `object` (an endpoint or notification cptr), made
 * from `ut`; their TCBs in slots first.. first + n - 1. */
static int waiters(tsr_cptr_t ut, tsr_cptr_t object, unsigned n, tsr_cptr_t *first)
{
    *first = tsr_alloc_slots(n);
    if (!*first)
        return 1;
    for (unsigned done = 0; done < n; done += 256) {
        unsigned k = n - done < 256 ? n - done : 256;
        if (tsr_untyped_retype(ut, TSR_OBJ_TCB, 0, ROOT, ROOT, D, *first + done, k))
            return 1;
    }
    for (unsigned i = 0; i < n; i++) {
        tsr_cptr_t tcb = *first + i;
        uint64_t regs[TSR_REG_COUNT] = {0};
        regs[TSR_REG_X(0)] = object;
        regs[TSR_REG_X(19)] = tcb;
        regs[TSR_REG_X(20)] = tsr_msginfo(TSR_TCB_SUSPEND, 0, 0);
        regs[TSR_REG_PC] = (uint64_t)(uintptr_t)bounds_wait_then_stop;
        if (tsr_tcb_configure(tcb, 0, ROOT, TSR_INIT_VSPACE, 0, 0) ||
            tsr_tcb_set_priority(tcb, TSR_INIT_TCB, boot->root_priority) ||
            tsr_tcb_write_registers(tcb, 1, TSR_REG_COUNT, regs))
            return 1;
    }
    /* Let them all run into their wait. */
    tsr_tcb_set_priority(TSR_INIT_TCB, TSR_INIT_TCB, 0);
    tsr_tcb_set_priority(TSR_INIT_TCB, TSR_INIT_TCB, boot->root_priority);
    return 0;
}

/* Deleting the last capability to an endpoint or notification with
 * `n` threads waiting. */
static void delete_waited_on(const char *id, const char *what, tsr_object_type_t type, unsigned n,
                             uint64_t limit)
{
    tsr_cptr_t ut, object, first = 0;
    /* Room for n TCBs: the size follows the TCB's (2 KiB since it holds
     * the FP/SIMD registers; 3,500 of them need 8 MiB). */
    unsigned bits = TSR_TCB_BITS;
    while ((1ull << bits) < (uint64_t)n << TSR_TCB_BITS)
        bits++;
    int ok = tsr_alloc_untyped(bits, &ut) == TSR_OK && tsr_alloc_object(type, 0, &object) == TSR_OK &&
             waiters(ut, object, n, &first) == 0;
    masked_max();
    ok = ok && tsr_cnode_delete(ROOT, object, D) == TSR_OK;
    report(id, what, masked_max(), limit, ok);
    tsr_cnode_revoke(ROOT, ut, D);
    free_slots(first, n);
}

/* A notification bound to every interrupt line IRQControl hands out. */
static void delete_bound_to_lines(void)
{
    tsr_cptr_t ntfn, handlers = tsr_alloc_slots(1019 - 32 + 1);
    unsigned lines = 0;
    int ok = handlers && tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &ntfn) == TSR_OK;
    for (unsigned intid = 32; ok && intid <= 1019; intid++) {
        tsr_cptr_t h = handlers + lines;
        if (tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, intid, ROOT, h, D) == TSR_OK &&
            tsr_irq_handler_set_notification(h, ntfn) == TSR_OK)
            lines++;
    }
    masked_max();
    ok = ok && lines > 100 && tsr_cnode_delete(ROOT, ntfn, D) == TSR_OK;
    char what[96];
    snprintf(what, sizeof what, "delete a notification bound to %u interrupt lines", lines);
    report("BOUND0003", what, masked_max(), 100000, ok);
    for (unsigned i = 0; i < lines; i++)
        tsr_cnode_delete(ROOT, handlers + i, D);
    free_slots(handlers, 1019 - 32 + 1);
}

/* Revoking an untyped holding `count` objects of `type`. */
static void revoke_many(const char *id, const char *what, tsr_object_type_t type, unsigned bits,
                        unsigned count, uint64_t limit)
{
    tsr_cptr_t ut, first = tsr_alloc_slots(count);
    int ok = first && tsr_alloc_untyped(22, &ut) == TSR_OK;
    for (unsigned done = 0; ok && done < count; done += 256) {
        unsigned k = count - done < 256 ? count - done : 256;
        ok = tsr_untyped_retype(ut, type, bits, ROOT, ROOT, D, first + done, k) == TSR_OK;
    }
    masked_max();
    ok = ok && tsr_cnode_revoke(ROOT, ut, D) == TSR_OK;
    report(id, what, masked_max(), limit, ok);
    free_slots(first, count);
}

/* Page tables: a VSpace with `count` level-3 tables mapped, then revoke. */
static void revoke_mapped_tables(unsigned count)
{
    tsr_cptr_t ut, vspace, pool, first = tsr_alloc_slots(count + 2);
    unsigned asid, level;
    int ok = first && tsr_alloc_untyped(22, &ut) == TSR_OK &&
             tsr_untyped_retype(ut, TSR_OBJ_VSPACE, 0, ROOT, ROOT, D, first, 1) == TSR_OK;
    vspace = first;
    pool = TSR_INIT_ASID_POOL;
    ok = ok && tsr_asid_pool_assign(pool, vspace, &asid) == TSR_OK;
    for (unsigned done = 0; ok && done < count + 1; done += 256) {
        unsigned k = count + 1 - done < 256 ? count + 1 - done : 256;
        ok = tsr_untyped_retype(ut, TSR_OBJ_PAGE_TABLE, 0, ROOT, ROOT, D, first + 1 + done, k) ==
             TSR_OK;
    }
    /* A level-1 table, then one table per 2 MiB step: each maps the first
     * level missing on its path (a level 2 at each GiB, else a level 3). */
    ok = ok && tsr_page_table_map(first + 1, vspace, 0, &level) == TSR_OK;
    for (unsigned i = 0; ok && i < count; i++)
        ok = tsr_page_table_map(first + 2 + i, vspace, (uint64_t)i << 21, &level) == TSR_OK;
    masked_max();
    ok = ok && tsr_cnode_revoke(ROOT, ut, D) == TSR_OK;
    report("BOUND0005", "revoke an untyped holding a VSpace and 1,000 mapped page tables",
           masked_max(), 200000, ok);
    free_slots(first, count + 2);
}

/* Revoking an endpoint with `n` copies derived from it (held in a CNode of
 * their own): one wide tree. */
static void revoke_copies(unsigned n)
{
    tsr_cptr_t ep, cn;
    int ok = tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, &ep) == TSR_OK &&
             tsr_alloc_object(TSR_OBJ_CNODE, 12, &cn) == TSR_OK;
    for (unsigned i = 0; ok && i < n; i++)
        ok = tsr_cnode_copy(cn, i, 12, ROOT, ep, D, TSR_RIGHTS_ALL) == TSR_OK;
    masked_max();
    ok = ok && tsr_cnode_revoke(ROOT, ep, D) == TSR_OK;
    report("BOUND0008", "revoke an endpoint with 4,000 copies derived from it", masked_max(),
           100000, ok);
    tsr_free_object(ep);
    tsr_free_object(cn);
}

/* A chain of `n` CNodes, each holding the only capability to the next:
 * deleting the first destroys them all, one inside the other. */
static void delete_cnode_chain(unsigned n)
{
    tsr_cptr_t ut, first = tsr_alloc_slots(n);
    int ok = first && tsr_alloc_untyped(22, &ut) == TSR_OK;
    for (unsigned done = 0; ok && done < n; done += 256) {
        unsigned k = n - done < 256 ? n - done : 256;
        ok = tsr_untyped_retype(ut, TSR_OBJ_CNODE, 1, ROOT, ROOT, D, first + done, k) == TSR_OK;
    }
    /* From the end backwards: CNode i takes the capability to CNode i + 1
     * into its slot 0 (a new CNode has no guard: depth = its radix, 1). */
    for (unsigned i = n - 1; ok && i-- > 0;)
        ok = tsr_cnode_move(first + i, 0, 1, ROOT, first + i + 1, D) == TSR_OK;
    masked_max();
    ok = ok && tsr_cnode_delete(ROOT, first, D) == TSR_OK;
    report("BOUND0009", "delete the head of a chain of 2,000 CNodes, each holding the next",
           masked_max(), 100000, ok);
    tsr_cnode_revoke(ROOT, ut, D);
    tsr_cnode_delete(ROOT, ut, D);
    free_slots(first, n);
}

/* A derivation chain as deep as untyped memory allows: each untyped made
 * from the one before, halving, then revoke the top. */
static void revoke_untyped_chain(void)
{
    tsr_cptr_t top = 0, slots[19] = {0};
    int ok = tsr_alloc_untyped(22, &top) == TSR_OK;
    tsr_cptr_t parent = top;
    for (unsigned i = 0; ok && i < 19; i++)
        ok = (slots[i] = tsr_alloc_slot()) != 0;
    for (unsigned i = 0; ok && i < 17; i++) { /* down to 32 bytes: one endpoint */
        ok = tsr_untyped_retype(parent, TSR_OBJ_UNTYPED, 21 - i, ROOT, ROOT, D, slots[i], 1) ==
             TSR_OK;
        parent = slots[i];
    }
    ok = ok && tsr_untyped_retype(parent, TSR_OBJ_ENDPOINT, 0, ROOT, ROOT, D, slots[17], 1) ==
                   TSR_OK;
    masked_max();
    ok = ok && tsr_cnode_revoke(ROOT, top, D) == TSR_OK;
    report("BOUND0010", "revoke the top of a derivation chain 18 untypeds deep", masked_max(),
           100000, ok);
    tsr_cnode_delete(ROOT, top, D);
    for (unsigned i = 0; i < 19; i++)
        if (slots[i])
            tsr_free_slot(slots[i]);
}

int main(const struct tsr_bootinfo *bi)
{
    boot = bi;
    tsr_alloc_init(bi);
    printf("Tessera bounds: the longest stretch with interrupts masked per operation\n");
    delete_waited_on("BOUND0001", "delete an endpoint with 3,500 threads waiting",
                     TSR_OBJ_ENDPOINT, 3500, 200000);
    delete_waited_on("BOUND0002", "delete a notification with 3,500 threads waiting",
                     TSR_OBJ_NOTIFICATION, 3500, 200000);
    delete_bound_to_lines();
    revoke_many("BOUND0004", "revoke an untyped holding 2,048 notifications",
                TSR_OBJ_NOTIFICATION, 0, 2048, 100000);
    revoke_mapped_tables(1000);
    tsr_cptr_t cnode;
    masked_max();
    int ok = tsr_alloc_object(TSR_OBJ_CNODE, 16, &cnode) == TSR_OK; /* 4 MiB zeroed */
    report("BOUND0006", "retype a 4 MiB CNode (the zeroing bound)", masked_max(), BOUND_LIMIT, ok);
    masked_max();
    ok = ok && tsr_cnode_delete(ROOT, cnode, D) == TSR_OK;
    report("BOUND0007", "delete a CNode of 65,536 slots", masked_max(), 100000, ok);
    revoke_copies(4000);
    delete_cnode_chain(2000);
    revoke_untyped_chain();
    printf("%u passed, %u failed\n", number - failed, failed);
    return failed ? 1 : 0;
}
