/* SPDX-License-Identifier: MIT */
/* The fuzzer's supervisor (the root task of Image-fuzz, run by the qemu-fuzz
 * tests under -icount, so a run repeats exactly). For each seed it builds a
 * sandbox: a CNode holding an untyped budget, the shared address space
 * (mappable only in a window), an ASID pool, an interrupt handler for the
 * PL031 RTC and its notification (fuzz.h lists the slots). A worker thread
 * (worker.c) whose CSpace is the sandbox then makes the seed's random calls,
 * runs the kernel's invariant checker and its oracles as it goes, and ends
 * with a fault the supervisor recognises. The supervisor answers the faults
 * the worker causes on purpose (probes of unmapped memory, unknown system
 * calls), treats any other as a failure, checks the invariants again, and
 * revokes the whole sandbox before the next seed.
 *
 * Kernel command line (qemu -append): fuzz.seed=S (first seed, hex or
 * decimal), fuzz.seeds=N, fuzz.calls=C (per seed), fuzz.check=K (calls
 * between invariant checks), fuzz.trace=T (print every call from T on: a
 * failure's seed and call, replayed). */
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "fuzz.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/syscall.h"
#include "tsr/vm.h"

#define D TSR_ROOT_DEPTH
#define ROOT TSR_INIT_CNODE
/* The PL031 on QEMU's virt board (its device tree: pl031@9010000, SPI 2). */
#define RTC_PA 0x09010000ull
#define RTC_INTID (32 + 2)
#define SEED_UNTYPED_BITS 22

volatile struct fuzz_state fuzz;

static const struct tsr_bootinfo *boot;
static uint8_t worker_stack[16384] __attribute__((aligned(16)));
static unsigned number, failed;

/* What every seed reuses. */
static struct {
    tsr_cptr_t fault_ep, fault_ep_badged, reply, worker, ipc_frame, helper_ipc, scratch, authority;
    tsr_cptr_t irq, irq_ntfn, seed_ut, sandbox, sandbox_guarded;
} sv;

/* ---- setup ------------------------------------------------------------------ */

static uint64_t arg_value(const char *name, uint64_t dflt)
{
    size_t n = strlen(name);
    for (const char *p = boot->bootargs; *p; p++) {
        if ((p != boot->bootargs && p[-1] != ' ') || strncmp(p, name, n) || p[n] != '=')
            continue;
        p += n + 1;
        uint64_t v = 0, base = 10;
        if (p[0] == '0' && p[1] == 'x') {
            base = 16;
            p += 2;
        }
        for (;; p++) {
            unsigned d = *p >= '0' && *p <= '9' ? (unsigned)(*p - '0')
                         : *p >= 'a' && *p <= 'f' ? (unsigned)(*p - 'a' + 10)
                                                  : 99;
            if (d >= base)
                break;
            v = v * base + d;
        }
        return v;
    }
    return dflt;
}

/* A frame capability for the device page at pa, carved from the device
 * untyped that covers it (objects go at the watermark, aligned to size). */
static tsr_cptr_t device_frame(uint64_t pa)
{
    for (uint32_t i = 0; i < boot->untyped.count; i++) {
        const struct tsr_untyped_desc *u = &boot->untyped_list[i];
        if (!u->is_device || pa < u->paddr || pa >= u->paddr + (1ull << u->size_bits))
            continue;
        tsr_cptr_t ut = boot->untyped.first + i;
        for (uint64_t at = u->paddr; at < pa;) {
            unsigned bits = 12;
            while ((at & ((2ull << bits) - 1)) == 0 && at + (2ull << bits) <= pa)
                bits++;
            if (tsr_untyped_retype(ut, TSR_OBJ_UNTYPED, bits, ROOT, ROOT, D, tsr_alloc_slot(), 1))
                return 0;
            at += 1ull << bits;
        }
        tsr_cptr_t frame = tsr_alloc_slot();
        return tsr_untyped_retype(ut, TSR_OBJ_FRAME_4K, 0, ROOT, ROOT, D, frame, 1) ? 0 : frame;
    }
    return 0;
}

static int setup_once(void)
{
    tsr_cptr_t rtc;
    int bad = tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, &sv.fault_ep) ||
              !(sv.fault_ep_badged = tsr_alloc_slot()) ||
              tsr_cnode_mint(ROOT, sv.fault_ep_badged, D, ROOT, sv.fault_ep, D, TSR_RIGHTS_ALL, 1) ||
              tsr_alloc_object(TSR_OBJ_REPLY, 0, &sv.reply) ||
              tsr_alloc_object(TSR_OBJ_TCB, 0, &sv.worker) ||
              tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &sv.ipc_frame) ||
              tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &sv.helper_ipc) ||
              tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &sv.scratch) ||
              tsr_alloc_object(TSR_OBJ_TCB, 0, &sv.authority) ||
              tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &sv.irq_ntfn) ||
              tsr_alloc_untyped(SEED_UNTYPED_BITS, &sv.seed_ut);
    /* Page tables for the window's first 2 MiB and for the probe, IPC
     * buffer and device pages, made once and kept: the worker's own page
     * tables come and go with its untypeds. */
    bad = bad || tsr_vm_ensure_tables(TSR_INIT_VSPACE, FUZZ_WINDOW, 0x200000) ||
          tsr_vm_ensure_tables(TSR_INIT_VSPACE, PROBE_VA, 0x200000) ||
          tsr_vm_map(sv.ipc_frame, TSR_INIT_VSPACE, WORKER_IPC_VA,
                     TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0) ||
          tsr_vm_map(sv.helper_ipc, TSR_INIT_VSPACE, HELPER_IPC_VA,
                     TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0) ||
          tsr_vm_map(sv.scratch, TSR_INIT_VSPACE, SCRATCH_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0);
    bad = bad || !(rtc = device_frame(RTC_PA)) ||
          tsr_vm_map(rtc, TSR_INIT_VSPACE, RTC_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0) ||
          !(sv.irq = tsr_alloc_slot()) ||
          tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, RTC_INTID, ROOT, sv.irq, D) ||
          tsr_irq_handler_set_notification(sv.irq, sv.irq_ntfn);
    bad = bad || tsr_tcb_set_priority(sv.worker, TSR_INIT_TCB, WORKER_PRIORITY);
    return bad;
}

/* A fresh sandbox from the seed untyped (empty: revoked after each seed). */
#define STEP(e) ((e) ? (printf("# sandbox step failed: %s\n", #e), 1) : 0)
static int make_sandbox(void)
{
    sv.sandbox = tsr_alloc_slot();
    sv.sandbox_guarded = tsr_alloc_slot();
    tsr_cptr_t sb = sv.sandbox_guarded;
    /* The worker may change the authority thread as it may any other: each
     * seed starts from the same one. */
    int bad = STEP(tsr_tcb_set_mcp(sv.authority, TSR_INIT_TCB, WORKER_PRIORITY)) ||
              STEP(tsr_tcb_suspend(sv.authority));
    bad = bad || !sv.sandbox || !sb ||
              STEP(tsr_untyped_retype(sv.seed_ut, TSR_OBJ_CNODE, SANDBOX_RADIX, ROOT, ROOT, D,
                                 sv.sandbox, 1)) ||
              STEP(tsr_cnode_mint(ROOT, sb, D, ROOT, sv.sandbox, D, TSR_RIGHTS_ALL,
                             TSR_CNODE_GUARD(64 - SANDBOX_RADIX, 0)));
    bad = bad || STEP(tsr_cnode_copy(sb, S_CNODE, D, ROOT, sb, D, TSR_RIGHTS_ALL)) ||
          STEP(tsr_cnode_copy(sb, S_VSPACE, D, ROOT, TSR_INIT_VSPACE, D, TSR_RIGHTS_ALL)) ||
          STEP(tsr_cnode_copy(sb, S_ASID_POOL, D, ROOT, TSR_INIT_ASID_POOL, D, TSR_RIGHTS_ALL)) ||
          STEP(tsr_cnode_copy(sb, S_AUTHORITY, D, ROOT, sv.authority, D, TSR_RIGHTS_ALL)) ||
          STEP(tsr_cnode_copy(sb, S_IRQ, D, ROOT, sv.irq, D, TSR_RIGHTS_ALL)) ||
          STEP(tsr_cnode_copy(sb, S_HELPER_IPC, D, ROOT, sv.helper_ipc, D, TSR_RIGHTS_ALL)) ||
          STEP(tsr_cnode_copy(sb, S_IRQ_NTFN, D, ROOT, sv.irq_ntfn, D, TSR_RIGHTS_ALL)) ||
          STEP(tsr_untyped_retype(sv.seed_ut, TSR_OBJ_UNTYPED, 18, ROOT, sb, D, S_UNTYPED,
                             SANDBOX_UNTYPEDS)) ||
          STEP(tsr_untyped_retype(sv.seed_ut, TSR_OBJ_UNTYPED, 21, ROOT, sb, D, S_UNTYPED_2M, 1));
    return bad;
}

static int start_worker(void)
{
    uint64_t regs[TSR_REG_COUNT] = {0};
    regs[TSR_REG_SP] = (uint64_t)(uintptr_t)(worker_stack + sizeof worker_stack);
    regs[TSR_REG_PC] = (uint64_t)(uintptr_t)fuzz_worker_entry;
    regs[TSR_REG_TPIDR] = WORKER_IPC_VA;
    return tsr_tcb_configure(sv.worker, sv.fault_ep_badged, sv.sandbox_guarded, TSR_INIT_VSPACE,
                             WORKER_IPC_VA, sv.ipc_frame) ||
           tsr_tcb_write_registers(sv.worker, 1, TSR_REG_COUNT, regs);
}

/* ---- running a seed --------------------------------------------------------- */

/* Answer the worker's faults until it is done; 0 if it finished cleanly. */
static int supervise(void)
{
    for (;;) {
        struct tsr_msg m = {0};
        uint64_t badge;
        if (tsr_recv(sv.fault_ep, sv.reply, &m, &badge)) {
            printf("# the supervisor cannot receive\n");
            return 1;
        }
        uint64_t label = tsr_msginfo_label(m.info), pc = m.mr[0];
        struct tsr_msg r = {.info = tsr_msginfo(0, 0, 0)};
        if (label == TSR_FAULT_VM && fuzz.probe_va && m.mr[1] == fuzz.probe_va) {
            /* An oracle probe found the page unmapped, as it should be. */
            r.info = tsr_msginfo(TSR_FAULT_REPLY_SET_PC, 0, 1);
            r.mr[0] = (uint64_t)(uintptr_t)fuzz_probe_faulted;
        } else if (label == TSR_FAULT_UNKNOWN_SYSCALL) {
            /* The fuzzer tried a call number that does not exist: go on. */
        } else if (label == TSR_FAULT_USER_EXCEPTION &&
                   pc == (uint64_t)(uintptr_t)fuzz_worker_done) {
            return fuzz.failed || !fuzz.done;
        } else {
            printf("FUZZ FAILURE seed 0x%lx call %lu: the worker faulted: label %lu pc 0x%lx "
                   "address/ESR 0x%lx 0x%lx\n",
                   (unsigned long)fuzz.seed, (unsigned long)fuzz.calls, (unsigned long)label,
                   (unsigned long)pc, (unsigned long)m.mr[1], (unsigned long)m.mr[2]);
            return 1;
        }
        tsr_send(sv.reply, &r);
    }
}

static void run_seed(uint64_t seed, uint64_t calls, uint64_t check_every, uint64_t trace)
{
    fuzz = (struct fuzz_state){.seed = seed, .target = calls, .check_every = check_every,
                               .trace_from = trace};
    int bad = make_sandbox();
    if (bad)
        printf("# seed 0x%lx: the sandbox could not be built\n", (unsigned long)seed);
    bad = bad || start_worker() || supervise();
    tsr_tcb_suspend(sv.worker);
    uint64_t caps;
    unsigned broken = tsr_debug_check(&caps);
    /* Everything the worker made goes with the seed untyped. */
    bad = tsr_cnode_revoke(ROOT, sv.seed_ut, D) || bad || broken;
    broken = tsr_debug_check(&caps);
    bad = bad || broken || caps == 0;
    tsr_cnode_delete(ROOT, sv.sandbox_guarded, D);
    tsr_cnode_delete(ROOT, sv.sandbox, D);
    tsr_free_slot(sv.sandbox_guarded);
    tsr_free_slot(sv.sandbox);
    number++;
    failed += bad;
    printf("%s %u - FUZZ%04u seed 0x%lx: %lu calls (%lu succeeded), %lu invariant checks, %lu stale-mapping and "
           "%lu zero-frame probes, %lu interrupts, %lu helper threads, %lu scripted transfers, %lu long copies, %lu capabilities received, error codes seen "
           "0x%lx\n",
           bad ? "not ok" : "ok", number, number, (unsigned long)seed, (unsigned long)fuzz.calls,
           (unsigned long)fuzz.succeeded,
           (unsigned long)fuzz.checks, (unsigned long)fuzz.probes_unmap,
           (unsigned long)fuzz.probes_zero, (unsigned long)fuzz.interrupts,
           (unsigned long)fuzz.helpers, (unsigned long)fuzz.scripted_ipc,
           (unsigned long)fuzz.long_copies,
           (unsigned long)fuzz.caps_received, (unsigned long)fuzz.errors_seen);
}

int main(const struct tsr_bootinfo *bi)
{
    boot = bi;
    tsr_alloc_init(bi);
    uint64_t seed = arg_value("fuzz.seed", 1), seeds = arg_value("fuzz.seeds", 4);
    uint64_t calls = arg_value("fuzz.calls", 25000), check = arg_value("fuzz.check", 500);
    uint64_t trace = arg_value("fuzz.trace", 0);
    printf("Tessera syscall fuzzer: %lu seeds from 0x%lx, %lu calls each, invariants every %lu\n",
           (unsigned long)seeds, (unsigned long)seed, (unsigned long)calls,
           (unsigned long)check);
    if (setup_once()) {
        printf("not ok 1 - FUZZ0000 setting up the sandbox's fixed parts\n0 passed, 1 failed\n");
        return 1;
    }
    /* Below the worker: the supervisor runs only when it faults or ends. */
    tsr_tcb_set_priority(TSR_INIT_TCB, TSR_INIT_TCB, SUPERVISOR_PRIORITY);
    for (uint64_t i = 0; i < seeds; i++)
        run_seed(seed + i * 0x9e3779b97f4a7c15ull, calls, check, trace);
    printf("%u passed, %u failed\n", number - failed, failed);
    return failed ? 1 : 0;
}
