/* SPDX-License-Identifier: MIT */
/* Faults: a thread that faults is reported to its fault endpoint as a
 * message; the handler can resume it. A thread with no handler stops; the
 * kernel never does. */
#include "test.h"

#define UNMAPPED_VA 0x70000000ull

static volatile uint64_t after_fault;

static void touch_unmapped(uint64_t write)
{
    if (write)
        *(volatile uint64_t *)UNMAPPED_VA = 1;
    else
        after_fault = *(volatile uint64_t *)UNMAPPED_VA;
    after_fault = 0x600d;
}

static void bad_syscall(uint64_t unused)
{
    (void)unused;
    __asm__ volatile("mov x0, #77\n svc #99" ::: "x0", "memory");
    after_fault = 0x600d;
}

static void undefined_instruction(uint64_t unused)
{
    (void)unused;
    __asm__ volatile("udf #0");
    after_fault = 0x600d;
}

static void use_fp(uint64_t unused)
{
    (void)unused;
    /* The register is named by hand so the instruction is surely there. */
    __asm__ volatile("fmov d0, xzr" ::: "memory");
    after_fault = 0x600d;
}

static tsr_cptr_t park_ep; /* an endpoint nobody sends to */

static void skip_here(void)
{
    after_fault = 0x5e7;
    /* Block for good, so lower priorities (the test) run again. */
    struct tsr_msg m = {0};
    uint64_t badge;
    for (;;)
        tsr_recv(park_ep, 0, &m, &badge);
}

struct fault_env {
    tsr_cptr_t ep, reply;
};

static bool expect_fault(struct fault_env *e, void (*fn)(uint64_t), uint64_t arg,
                         uint64_t label, struct tsr_msg *m)
{
    e->ep = t_new(TSR_OBJ_ENDPOINT, 0);
    e->reply = t_new(TSR_OBJ_REPLY, 0);
    after_fault = 0;
    CHECK(t_thread(fn, arg, 100, e->ep));
    uint64_t badge;
    *m = (struct tsr_msg){0};
    CHECK_OK(tsr_recv(e->ep, e->reply, m, &badge));
    CHECK_EQ(tsr_msginfo_label(m->info), label);
    CHECK_EQ(after_fault, 0);
    return true;
}

static bool vm_fault(void)
{
    struct fault_env e;
    struct tsr_msg m;
    if (!expect_fault(&e, touch_unmapped, 1, TSR_FAULT_VM, &m))
        return false;
    CHECK_EQ(m.mr[1], UNMAPPED_VA);
    CHECK_EQ(m.mr[2], 0); /* a data access, not an instruction fetch */
    /* Map the page and reply: the thread retries the store and goes on. */
    tsr_cptr_t f = t_new(TSR_OBJ_FRAME_4K, 0);
    CHECK_OK(tsr_vm_map(f, TSR_INIT_VSPACE, UNMAPPED_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0));
    struct tsr_msg r = {.info = tsr_msginfo(0, 0, 0)};
    CHECK_OK(tsr_send(e.reply, &r));
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0x600d);
    CHECK_EQ(*(volatile uint64_t *)UNMAPPED_VA, 1);
    CHECK_OK(tsr_frame_unmap(f));
    return true;
}

static bool unknown_syscall(void)
{
    struct fault_env e;
    struct tsr_msg m;
    if (!expect_fault(&e, bad_syscall, 0, TSR_FAULT_UNKNOWN_SYSCALL, &m))
        return false;
    CHECK_EQ(m.mr[1], 99);
    CHECK_EQ(m.mr[2], 77);
    /* Resume after the svc. */
    struct tsr_msg r = {.info = tsr_msginfo(0, 0, 0)};
    CHECK_OK(tsr_send(e.reply, &r));
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0x600d);
    return true;
}

static bool user_exception_and_set_pc(void)
{
    struct fault_env e;
    struct tsr_msg m;
    if (!expect_fault(&e, undefined_instruction, 0, TSR_FAULT_USER_EXCEPTION, &m))
        return false;
    CHECK_EQ(m.mr[1] >> 26, 0); /* ESR class 0: unknown reason (UDF) */
    park_ep = t_new(TSR_OBJ_ENDPOINT, 0);
    /* Resuming at the same pc would fault again: move it elsewhere. */
    struct tsr_msg r = {.info = tsr_msginfo(TSR_FAULT_REPLY_SET_PC, 0, 1),
                        .mr = {(uint64_t)(uintptr_t)skip_here}};
    CHECK_OK(tsr_send(e.reply, &r));
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0x5e7);
    return true;
}

static bool fp_is_no_fault(void)
{
    /* The kernel traps a thread's first FP/SIMD instruction only to load
     * its registers (t_fpu.c): the handler hears nothing. */
    tsr_cptr_t ep = t_new(TSR_OBJ_ENDPOINT, 0), reply = t_new(TSR_OBJ_REPLY, 0);
    after_fault = 0;
    CHECK(t_thread(use_fp, 0, 100, ep));
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0x600d);
    struct tsr_msg m = {0};
    uint64_t badge;
    CHECK_EQ(tsr_nb_recv(ep, reply, &m, &badge), TSR_E_WOULD_BLOCK);
    return true;
}

static bool fault_without_handler(void)
{
    /* No fault endpoint: the kernel reports it on the console and stops the
     * thread; the system, and this test, go on. */
    after_fault = 0;
    tsr_cptr_t t = t_thread(touch_unmapped, 0, 100, 0);
    CHECK(t);
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0);
    uint64_t regs[TSR_REG_COUNT];
    CHECK_OK(tsr_tcb_read_registers(t, TSR_REG_COUNT, regs));
    /* Resuming it re-runs the faulting load, which faults again: still fine. */
    CHECK_OK(tsr_tcb_resume(t));
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0);
    return true;
}

#define KERNEL_VA 0xffffffffc0000000ull

static void kernel_store(uint64_t unused)
{
    (void)unused;
    *(volatile uint64_t *)KERNEL_VA = 0;
    after_fault = 0x600d;
}

static bool kernel_pointer_write(void)
{
    /* User space cannot reach the kernel half: a store there is a VM fault
     * reported like any other, and the thread waits for its handler. */
    struct fault_env e;
    struct tsr_msg m;
    if (!expect_fault(&e, kernel_store, 0, TSR_FAULT_VM, &m))
        return false;
    CHECK_EQ(m.mr[1], KERNEL_VA);
    t_yield_to_lower();
    CHECK_EQ(after_fault, 0); /* unanswered: it stays stopped */
    return true;
}

const struct test fault_tests[] = {
    {"FAULT0001", "VM fault reported with its address; reply retries", vm_fault},
    {"FAULT0002", "unknown syscall reported; reply resumes after it", unknown_syscall},
    {"FAULT0003", "undefined instruction reported; reply can set the pc", user_exception_and_set_pc},
    {"FAULT0004", "a fault with no handler stops only the thread", fault_without_handler},
    {"FAULT0005", "a store to a kernel address is a VM fault", kernel_pointer_write},
    {"FAULT0006", "FP/SIMD use is not a fault: the thread goes on", fp_is_no_fault},
    {0, 0, 0},
};
