/* SPDX-License-Identifier: MIT */
/* The root task of the everyday image. It shows the capability system at
 * work, using nothing but capability invocations:
 *   1. split off an untyped region and retype it into a CNode, a TCB, a
 *      VSpace, page tables and frames for a second address space;
 *   2. share its own code with that address space read-only, give the new
 *      thread a stack and IPC buffer, and start it;
 *   3. talk to it over an endpoint (Call / ReplyRecv), and catch its fault
 *      when it writes where it may not;
 *   4. revoke the untyped: every object made from it is gone, and the same
 *      memory can be retyped again.
 * With "poweroff" on the kernel command line it then switches the machine
 * off; otherwise it waits forever. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>

#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/vm.h"

#define CHILD_REGION_BITS 20         /* 1 MiB of untyped for the child */
#define CHILD_STACK_VA 0x20000000ull /* stack page, then IPC buffer page */
#define CHILD_EP_SLOT 1              /* slots in the child's CNode */
#define CHILD_REPLY_SLOT 2
#define CHILD_CNODE_RADIX 4

static int failures;

static void check(tsr_error_t err, const char *what)
{
    if (err) {
        printf("root: %s failed: error %d\n", what, err);
        failures++;
    }
}

/* The child: answers each request with the sum of its words, then writes to
 * its read-only image to show that the fault reaches its handler. */
static const char child_hello[] = "child: running in its own address space\n";

static void child_main(void)
{
    tsr_debug_write(child_hello, sizeof(child_hello) - 1);
    struct tsr_msg m = {0};
    uint64_t badge;
    tsr_recv(CHILD_EP_SLOT, CHILD_REPLY_SLOT, &m, &badge);
    for (;;) {
        uint64_t sum = 0;
        unsigned n = tsr_msginfo_length(m.info);
        for (unsigned i = 0; i < n && i < TSR_MSG_REG_WORDS; i++)
            sum += m.mr[i];
        if (n == 0)
            break; /* an empty request: time to misbehave */
        m.mr[0] = sum;
        m.mr[1] = badge;
        m.info = tsr_msginfo(0, 0, 2);
        tsr_reply_recv(CHILD_EP_SLOT, CHILD_REPLY_SLOT, &m, &badge);
    }
    *(volatile int *)(uintptr_t)&failures = 1; /* read-only here: a VM fault */
}

static bool has_word(const char *args, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = args; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == len && strncmp(p, word, len) == 0)
            return true;
        p = e;
    }
    return false;
}

static uint64_t untyped_total(const struct tsr_bootinfo *bi, bool device)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < bi->untyped.count; i++)
        if (bi->untyped_list[i].is_device == device)
            total += 1ull << bi->untyped_list[i].size_bits;
    return total;
}

int main(const struct tsr_bootinfo *bi)
{
    printf("root: Tessera root task, %u untyped capabilities, %lu KiB of RAM untyped\n",
           bi->untyped.count, (unsigned long)(untyped_total(bi, false) >> 10));
    tsr_alloc_init(bi);

    /* 1. One untyped region pays for everything the child is made of. */
    tsr_cptr_t region;
    check(tsr_alloc_untyped(CHILD_REGION_BITS, &region), "split off 1 MiB of untyped");
    tsr_cptr_t cnode = tsr_alloc_slot(), tcb = tsr_alloc_slot(), vspace = tsr_alloc_slot();
    tsr_cptr_t ep = tsr_alloc_slot(), reply = tsr_alloc_slot(), stack = tsr_alloc_slot();
    tsr_cptr_t ipc = tsr_alloc_slot(), fault_ep = tsr_alloc_slot(), root_reply = tsr_alloc_slot();
    tsr_cptr_t pt[4] = {tsr_alloc_slot(), tsr_alloc_slot(), tsr_alloc_slot(), tsr_alloc_slot()};
    const unsigned d = TSR_ROOT_DEPTH;
    check(tsr_untyped_retype(region, TSR_OBJ_CNODE, CHILD_CNODE_RADIX, TSR_INIT_CNODE, TSR_INIT_CNODE, d, cnode, 1), "retype CNode");
    check(tsr_untyped_retype(region, TSR_OBJ_TCB, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, tcb, 1), "retype TCB");
    check(tsr_untyped_retype(region, TSR_OBJ_VSPACE, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, vspace, 1), "retype VSpace");
    check(tsr_untyped_retype(region, TSR_OBJ_ENDPOINT, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, ep, 1), "retype endpoint");
    check(tsr_untyped_retype(region, TSR_OBJ_ENDPOINT, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, fault_ep, 1), "retype fault endpoint");
    check(tsr_untyped_retype(region, TSR_OBJ_REPLY, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, reply, 1), "retype reply");
    check(tsr_untyped_retype(region, TSR_OBJ_REPLY, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, root_reply, 1), "retype reply");
    check(tsr_untyped_retype(region, TSR_OBJ_FRAME_4K, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, stack, 1), "retype stack frame");
    check(tsr_untyped_retype(region, TSR_OBJ_FRAME_4K, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, ipc, 1), "retype IPC buffer frame");
    for (unsigned i = 0; i < 4; i++)
        check(tsr_untyped_retype(region, TSR_OBJ_PAGE_TABLE, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, pt[i], 1), "retype page table");
    check(tsr_asid_pool_assign(TSR_INIT_ASID_POOL, vspace, 0), "assign an ASID");

    /* 2. The child's address space: our image read-only (copies of our frame
     * capabilities, from the same untyped region's slots), a stack, an IPC
     * buffer. Page tables first: L1, L2, L3 for the image, then the stack. */
    unsigned level;
    check(tsr_page_table_map(pt[0], vspace, bi->image_start, &level), "map level-1 table");
    check(tsr_page_table_map(pt[1], vspace, bi->image_start, &level), "map level-2 table");
    check(tsr_page_table_map(pt[2], vspace, bi->image_start, &level), "map level-3 table");
    check(tsr_page_table_map(pt[3], vspace, CHILD_STACK_VA, &level), "map the stack's level-3 table");
    /* The image frames are consecutive pages from image_start (user.ld lays
     * the segments out back to back, page aligned). */
    for (uint32_t i = 0; i < bi->image_frames.count; i++) {
        tsr_cptr_t copy = tsr_alloc_slot();
        check(tsr_cnode_copy(TSR_INIT_CNODE, copy, d, TSR_INIT_CNODE, bi->image_frames.first + i, d,
                             TSR_RIGHT_READ), "copy an image frame capability");
        uint64_t va = bi->image_start + i * 4096ull;
        check(tsr_frame_map(copy, vspace, va, TSR_RIGHT_READ, TSR_VM_EXECUTE), "map image read-only");
    }
    check(tsr_vm_map(stack, vspace, CHILD_STACK_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0), "map stack");
    check(tsr_vm_map(ipc, vspace, CHILD_STACK_VA + 4096, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0), "map IPC buffer");

    /* Its CSpace: the endpoint with badge 42 and its reply object. */
    check(tsr_cnode_mint(cnode, CHILD_EP_SLOT, CHILD_CNODE_RADIX, TSR_INIT_CNODE, ep, d,
                         TSR_RIGHTS_ALL, 0), "give the child the endpoint");
    check(tsr_cnode_copy(cnode, CHILD_REPLY_SLOT, CHILD_CNODE_RADIX, TSR_INIT_CNODE, reply, d,
                         TSR_RIGHTS_ALL), "give the child a reply object");
    tsr_cptr_t badged = tsr_alloc_slot();
    check(tsr_cnode_mint(TSR_INIT_CNODE, badged, d, TSR_INIT_CNODE, ep, d, TSR_RIGHTS_ALL, 42), "mint a badge");

    /* As the child's CSpace root, its CNode gets a 60-bit zero guard so
     * that its cptrs are plain slot numbers. */
    tsr_cptr_t child_root = tsr_alloc_slot();
    check(tsr_cnode_mint(TSR_INIT_CNODE, child_root, d, TSR_INIT_CNODE, cnode, d, TSR_RIGHTS_ALL,
                         TSR_CNODE_GUARD(64 - CHILD_CNODE_RADIX, 0)), "guard the child's CNode");
    check(tsr_tcb_configure(tcb, fault_ep, child_root, vspace, CHILD_STACK_VA + 4096, ipc), "configure the TCB");
    check(tsr_tcb_set_priority(tcb, TSR_INIT_TCB, 100), "set its priority");
    uint64_t regs[TSR_REG_COUNT] = {0};
    regs[TSR_REG_SP] = CHILD_STACK_VA + 4096;
    regs[TSR_REG_PC] = (uint64_t)(uintptr_t)child_main;
    regs[TSR_REG_TPIDR] = CHILD_STACK_VA + 4096;
    check(tsr_tcb_write_registers(tcb, 1, TSR_REG_COUNT, regs), "start the thread");

    /* 3. A Call with four words; the child answers with their sum and the
     * badge it saw. Then an empty Call: the child faults on purpose. */
    struct tsr_msg m = {.info = tsr_msginfo(7, 0, 4), .mr = {1, 2, 3, 4}};
    check(tsr_call(badged, &m), "call the child");
    printf("root: child answered sum=%lu badge=%lu\n", (unsigned long)m.mr[0], (unsigned long)m.mr[1]);
    if (m.mr[0] != 10 || m.mr[1] != 42)
        failures++;
    struct tsr_msg empty = {.info = tsr_msginfo(0, 0, 0)};
    tsr_nb_send(badged, &empty);
    uint64_t badge;
    struct tsr_msg fault = {0};
    check(tsr_recv(fault_ep, root_reply, &fault, &badge), "receive the child's fault");
    printf("root: child faulted: kind %lu at pc 0x%lx, address 0x%lx\n",
           (unsigned long)tsr_msginfo_label(fault.info), (unsigned long)fault.mr[0],
           (unsigned long)fault.mr[1]);
    if (tsr_msginfo_label(fault.info) != TSR_FAULT_VM ||
        fault.mr[1] != (uint64_t)(uintptr_t)&failures)
        failures++;

    /* 4. Revoke the region: the child, its address space and everything else
     * made from it disappear; the memory is retyped again from the start. */
    /* The stack frame was the eighth object carved from the region. */
    uint64_t frame_pa_before = 0, frame_pa_after = 0;
    tsr_frame_get_address(stack, &frame_pa_before);
    check(tsr_cnode_revoke(TSR_INIT_CNODE, region, d), "revoke the region");
    if (tsr_tcb_resume(tcb) != TSR_E_INVALID_CAPABILITY)
        failures++; /* the TCB capability must be gone */
    tsr_cptr_t again = tsr_alloc_slot();
    check(tsr_untyped_retype(region, TSR_OBJ_FRAME_4K, 0, TSR_INIT_CNODE, TSR_INIT_CNODE, d, again, 1), "retype after revoke");
    tsr_frame_get_address(again, &frame_pa_after);
    printf("root: revoked; the region's memory is retyped again from its start: "
           "new frame at 0x%lx (the old stack frame was at 0x%lx)\n",
           (unsigned long)frame_pa_after, (unsigned long)frame_pa_before);
    if (frame_pa_after >= frame_pa_before)
        failures++;

    printf("root: demo %s\n", failures ? "FAILED" : "complete");
    if (has_word(bi->bootargs, "poweroff"))
        tsr_debug_exit(failures ? 1 : 0);
    /* Nothing more to do: wait on a notification nobody signals. */
    tsr_cptr_t idle;
    if (tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &idle) == TSR_OK) {
        uint64_t bits;
        for (;;)
            tsr_wait(idle, &bits);
    }
    for (;;)
        tsr_yield();
}
