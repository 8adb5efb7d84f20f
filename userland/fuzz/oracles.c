/* SPDX-License-Identifier: MIT */
/* The fuzzer's checkpoints, every fuzz.check_every calls: the kernel's
 * invariant checker (DebugCheck), a new frame reads zero, an unmapped or
 * deleted frame is unreadable at once (stale TLB entries), a real device
 * interrupt (the PL031 RTC), and a scripted IPC transfer. */
#include "calls.h"
#include "fuzz.h"

static bool unreadable(uint64_t va)
{
    fuzz.probe_va = va;
    int faulted = fuzz_probe_read(va);
    fuzz.probe_va = 0;
    return faulted;
}

/* A frame made from one of the sandbox's untypeds (whose memory earlier
 * objects, freed by revokes, used) reads zero; once unmapped or deleted it
 * is unreadable at once, though the reads just filled the TLB. */
static void probe_frames(void)
{
    uint64_t ut = sandbox_untyped();
    if (INV(ut, TSR_UNTYPED_RETYPE, TSR_OBJ_FRAME_4K, 0, S_CNODE, S_CNODE, DEPTH, S_PROBE, 1))
        return; /* full, or the slot is taken: the next probe tries again */
    if (INV(S_PROBE, TSR_FRAME_MAP, S_VSPACE, PROBE_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)) {
        fail("a new frame cannot be mapped at the probe address", 0, 0);
        return;
    }
    volatile uint64_t *p = (volatile uint64_t *)PROBE_VA;
    for (unsigned i = 0; i < 512; i++)
        if (p[i]) {
            fail("a new frame does not read zero", i, p[i]);
            return;
        }
    fuzz.probes_zero++;
    for (unsigned i = 0; i < 512; i++)
        p[i] = ~(uint64_t)i;
    bool by_delete = chance(50);
    if (by_delete ? INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH) : INV0(S_PROBE, TSR_FRAME_UNMAP))
        fail("the probe frame cannot be unmapped", by_delete, 0);
    if (!unreadable(PROBE_VA))
        fail(by_delete ? "a deleted frame is still readable" : "an unmapped frame is still readable",
             PROBE_VA, 0);
    fuzz.probes_unmap++;
    INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH);
}

/* The PL031 raises its interrupt when its match register equals its count;
 * the kernel must deliver it (to whatever notification the line is bound
 * to now) or mask it, never hang. */
static void raise_interrupt(void)
{
    volatile uint32_t *rtc = (volatile uint32_t *)RTC_VA;
    rtc[0x10 / 4] = 1;         /* IMSC: enable */
    rtc[0x04 / 4] = rtc[0];    /* MR = DR: fires at once */
    issue(TSR_SYS_YIELD, 0);   /* the interrupt is taken */
    rtc[0x1c / 4] = 1;         /* ICR: clear */
    INV0(S_IRQ, TSR_IRQ_HANDLER_ACK);
    fuzz.interrupts++;
}

/* A scripted IPC: a new helper sends (or calls) on a new endpoint with
 * capabilities, a long payload, or frames to move or share, and the worker
 * takes it with NBRecv into its sandbox and its windows, so the transfer
 * paths run every checkpoint whatever the random calls did. */
static void scenario_ipc(void)
{
    uint64_t ep = S_SCENARIO_EP, tcb = S_SCENARIO_TCB;
    /* The last scenario's pair goes first (its helper may still wait). */
    INV(S_CNODE, TSR_CNODE_DELETE, ep, DEPTH);
    INV(S_CNODE, TSR_CNODE_DELETE, tcb, DEPTH);
    unsigned made = 0;
    for (unsigned i = 0; i < SANDBOX_UNTYPEDS && made < 2; i++) {
        uint64_t ut = S_UNTYPED + i;
        if (!made && INV(ut, TSR_UNTYPED_RETYPE, TSR_OBJ_ENDPOINT, 0, S_CNODE, S_CNODE, DEPTH, ep,
                         1) == 0)
            made = 1;
        if (made == 1 &&
            INV(ut, TSR_UNTYPED_RETYPE, TSR_OBJ_TCB, 0, S_CNODE, S_CNODE, DEPTH, tcb, 1) == 0)
            made = 2;
    }
    if (made < 2)
        return; /* every untyped full: the random revokes will make room */
    remember(TSR_OBJ_ENDPOINT, ep);
    remember(TSR_OBJ_TCB, tcb);
    struct tsr_ipc_buffer *hb = (struct tsr_ipc_buffer *)HELPER_IPC_VA;
    randomise_buffer(hb);
    hb->send_buffer = HELPER_IPC_VA; /* mapped: the copy goes through */
    hb->send_length = below(TSR_PAGE_SIZE);
    uint64_t regs[2 + TSR_REG_COUNT] = {1, TSR_REG_COUNT};
    uint64_t *r = regs + 2;
    unsigned kind = below(4); /* capabilities, long, move, share */
    r[TSR_REG_X(0)] = ep;
    r[TSR_REG_X(1)] = tsr_msginfo(below(64), kind != 1 ? 1 + below(3) : 0, below(15)) |
                      (kind == 1   ? TSR_MSGINFO_LONG
                       : kind == 2 ? TSR_MSGINFO_MOVE
                       : kind == 3 ? TSR_MSGINFO_SHARE
                                   : 0);
    r[TSR_REG_X(19)] = below(2); /* Send or Call */
    if (kind == 0) { /* capabilities of three kinds, one of them the endpoint itself */
        hb->caps[0] = S_IRQ_NTFN;
        hb->caps[1] = ep;
        hb->caps[2] = slot_of(below(TSR_OBJ_TYPE_COUNT));
    } else if (kind >= 2) { /* a frame of its own, mapped where it sends from */
        INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH);
        if (INV(sandbox_untyped(), TSR_UNTYPED_RETYPE, TSR_OBJ_FRAME_4K, 0, S_CNODE, S_CNODE, DEPTH,
                S_PROBE, 1) == 0)
            INV(S_PROBE, TSR_FRAME_MAP, S_VSPACE, PROBE_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0);
        hb->caps[0] = S_PROBE;
        r[TSR_REG_X(1)] = (r[TSR_REG_X(1)] & ~(7ull << TSR_MSGINFO_CAPS_SHIFT)) |
                          (1ull << TSR_MSGINFO_CAPS_SHIFT);
    }
    r[TSR_REG_PC] = (uint64_t)(uintptr_t)fuzz_helper;
    r[TSR_REG_TPIDR] = HELPER_IPC_VA;
    if (INV(tcb, TSR_TCB_CONFIGURE, 0, S_CNODE, S_VSPACE, HELPER_IPC_VA, S_HELPER_IPC) ||
        INV(tcb, TSR_TCB_SET_PRIORITY, S_AUTHORITY, WORKER_PRIORITY) ||
        invoke(tcb, TSR_TCB_WRITE_REGISTERS, 2 + TSR_REG_COUNT, regs))
        return;
    fuzz.helpers++;
    issue(TSR_SYS_YIELD, 0); /* it runs into its Send */
    struct tsr_ipc_buffer *b = own_buffer();
    randomise_buffer(b);
    b->receive_cnode = S_CNODE;
    b->receive_depth = DEPTH;
    b->receive_index = FUZZ_FIRST + below(SANDBOX_SLOTS - FUZZ_FIRST - 3);
    for (unsigned i = 0; i < 3; i++) /* room for what arrives */
        INV(S_CNODE, TSR_CNODE_DELETE, b->receive_index + i, DEPTH);
    b->receive_buffer = SCRATCH_VA;
    b->receive_length = TSR_PAGE_SIZE;
    b->receive_window = FUZZ_WINDOW + ((uint64_t)below(FUZZ_WINDOW_SIZE >> 16) << 16);
    b->receive_window_size = 0x10000;
    for (unsigned i = 0; i < 18; i++)
        call_regs[i] = 0;
    call_regs[0] = ep;
    call_regs[16] = chance(60) ? slot_of(TSR_OBJ_REPLY) : 0;
    if (issue(TSR_SYS_NB_RECV, IPC_RECV) == 0)
        fuzz.scripted_ipc++;
    INV(S_CNODE, TSR_CNODE_DELETE, S_PROBE, DEPTH); /* the probe needs its slot */
}

void checkpoint(void)
{
    uint64_t caps;
    for (unsigned i = 0; i < 18; i++)
        call_regs[i] = 0;
    fuzz_svc(call_regs, TSR_SYS_DEBUG_CHECK);
    fuzz.calls++;
    fuzz.checks++;
    caps = call_regs[1];
    if (call_regs[0] || caps == 0)
        fail(call_regs[0] ? "the kernel's invariant checker found a broken invariant"
                  : "the invariant checker did not run",
             call_regs[0], caps);
    probe_frames();
    raise_interrupt();
    scenario_ipc();
}
