/* SPDX-License-Identifier: MIT */
/* The test-suite root task: runs every test table, one region per test. */
#include <stdint.h>

#include "test.h"

const struct tsr_bootinfo *test_bootinfo;
tsr_cptr_t test_region;

#define MAX_TEST_SLOTS 256
static tsr_cptr_t used_slots[MAX_TEST_SLOTS];
static unsigned used_count;
static uint64_t next_stack_va = 0x40000000ull; /* thread stacks: 8 KiB apart */

tsr_cptr_t t_slot(void)
{
    tsr_cptr_t s = tsr_alloc_slot();
    if (s && used_count < MAX_TEST_SLOTS)
        used_slots[used_count++] = s;
    return s;
}

tsr_cptr_t t_slots(unsigned n)
{
    tsr_cptr_t first = tsr_alloc_slots(n);
    for (unsigned i = 0; first && i < n && used_count < MAX_TEST_SLOTS; i++)
        used_slots[used_count++] = first + i;
    return first;
}

tsr_cptr_t t_new(tsr_object_type_t type, unsigned size_bits)
{
    tsr_cptr_t s = t_slot();
    tsr_error_t err = tsr_untyped_retype(test_region, type, size_bits, ROOT, ROOT, D, s, 1);
    if (err) {
        printf("# t_new(type %u, bits %u) failed: error %d\n", type, size_bits, err);
        return 0;
    }
    return s;
}

bool t_fail(const char *file, int line, const char *what, long got, long want)
{
    printf("# %s:%d: check failed: %s (got %ld, want %ld)\n", file, line, what, got, want);
    return false;
}

void t_set_my_priority(unsigned priority)
{
    tsr_tcb_set_priority(TSR_INIT_TCB, TSR_INIT_TCB, priority);
}

void t_yield_to_lower(void)
{
    t_set_my_priority(0);
    t_set_my_priority(test_bootinfo->root_priority);
}

tsr_cptr_t t_thread(void (*fn)(uint64_t), uint64_t arg, unsigned priority, tsr_cptr_t fault_ep)
{
    tsr_cptr_t tcb = t_new(TSR_OBJ_TCB, 0), stack = t_new(TSR_OBJ_FRAME_4K, 0);
    tsr_cptr_t ipc = t_new(TSR_OBJ_FRAME_4K, 0);
    if (!tcb || !stack || !ipc)
        return 0;
    uint64_t va = next_stack_va;
    next_stack_va += 0x4000;
    /* Page tables for the test stacks come from the general allocator, so
     * they outlive the test (later tests reuse them). */
    if (tsr_vm_map(stack, TSR_INIT_VSPACE, va, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0) ||
        tsr_vm_map(ipc, TSR_INIT_VSPACE, va + 0x1000, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0))
        return 0;
    if (tsr_tcb_configure(tcb, fault_ep, TSR_INIT_CNODE, TSR_INIT_VSPACE, va + 0x1000, ipc) ||
        tsr_tcb_set_priority(tcb, TSR_INIT_TCB, priority))
        return 0;
    uint64_t regs[TSR_REG_COUNT] = {0};
    regs[TSR_REG_X(0)] = (uint64_t)(uintptr_t)fn;
    regs[TSR_REG_X(1)] = arg;
    regs[TSR_REG_X(2)] = tcb;
    regs[TSR_REG_SP] = va + 0x1000;
    regs[TSR_REG_PC] = (uint64_t)(uintptr_t)tsr_thread_trampoline;
    regs[TSR_REG_TPIDR] = va + 0x1000;
    if (tsr_tcb_write_registers(tcb, 1, TSR_REG_COUNT, regs))
        return 0;
    return tcb;
}

static uint64_t counter(void)
{
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static uint64_t counter_hz(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/* The kernel's invariants (DebugCheck) hold while a test's objects live and
 * after they are gone; checked_caps sums what the checker looked at. */
static uint64_t checked_caps;
static bool invariants_hold(const char *when)
{
    uint64_t caps;
    unsigned broken = tsr_debug_check(&caps);
    checked_caps += caps;
    if (broken)
        printf("# kernel invariant %u broken %s\n", broken, when);
    return broken == 0;
}

static unsigned run_table(const struct test *table, unsigned *number, unsigned *failed)
{
    unsigned n = 0;
    for (const struct test *t = table; t->id; t++, n++) {
        used_count = 0;
        uint64_t start = counter();
        tsr_cptr_t region;
        bool ok = tsr_alloc_untyped(TEST_REGION_BITS, &region) == TSR_OK;
        if (ok) {
            test_region = region;
            ok = t->run();
            ok = invariants_hold("at the end of the test") && ok;
            /* Everything the test made goes with its region. */
            if (tsr_cnode_revoke(ROOT, region, D) != TSR_OK) {
                printf("# revoking the test's region failed\n");
                ok = false;
            }
            tsr_free_object(region);
        } else {
            printf("# no memory for the test's region\n");
        }
        for (unsigned i = 0; i < used_count; i++) {
            tsr_cnode_delete(ROOT, used_slots[i], D);
            tsr_free_slot(used_slots[i]);
        }
        t_set_my_priority(test_bootinfo->root_priority);
        ok = invariants_hold("after the test's objects were deleted") && ok;
        uint64_t ms = (counter() - start) * 1000 / counter_hz();
        if (ms >= 1000)
            printf("# %s took %lu ms\n", t->id, (unsigned long)ms);
        ++*number;
        if (!ok)
            ++*failed;
        printf("%s %u - %s %s\n", ok ? "ok" : "not ok", *number, t->id, t->description);
    }
    return n;
}

int main(const struct tsr_bootinfo *bi)
{
    test_bootinfo = bi;
    tsr_alloc_init(bi);
    printf("Tessera user-level test suite\n");
    unsigned number = 0, failed = 0;
    const struct test *tables[] = {untyped_tests, cnode_tests, tcb_tests, ipc_tests,
                                   vm_tests,      fault_tests, misc_tests,  error_tests, idl_tests, device_tests,
                                   regress_tests, fastpath_tests, msgqueue_tests,
                                   longmsg_tests, pages_tests, ring_tests,
                                   flood_tests, idl_feature_tests, fpu_tests};
    for (unsigned i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        run_table(tables[i], &number, &failed);
    /* The checker really ran (a kernel without it reports no capabilities). */
    number++;
    bool ran = checked_caps > 100u * number;
    failed += !ran;
    printf("%s %u - INV0001 the kernel's invariant checker ran around every test (%lu "
           "capabilities checked) and found nothing broken\n",
           ran ? "ok" : "not ok", number, (unsigned long)checked_caps);
    printf("%u passed, %u failed\n", number - failed, failed);
    return failed ? 1 : 0;
}
