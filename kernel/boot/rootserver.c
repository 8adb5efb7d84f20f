/* SPDX-License-Identifier: MIT */
/* Creating the root task: the one thread the kernel makes itself. From boot
 * memory it carves the root task's CNode, TCB, VSpace, ASID pool, page tables
 * and frames, loads its ELF image (embedded in the kernel image), fills in the
 * boot-information page, and then hands every remaining free byte of RAM to
 * it as untyped memory, with the rest of the physical address space (except
 * the interrupt controller) as device untyped. After this the kernel makes no
 * object on its own again. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>
#include <tessera/ipc.h>
#include <tessera/syscalls.h>

#include "arch.h"
#include "object/asid.h"
#include "boot/boot.h"
#include "boot/bootmem.h"
#include "cap/cdt.h"
#include "boot/elf.h"
#include "lib/kstring.h"
#include "core/panic.h"
#include "boot/platform.h"
#include "boot/rootserver.h"
#include "core/sched.h"
#include "object/tcb.h"

#define ROOT_CNODE_RADIX 12
#define ROOT_PRIORITY TSR_MAX_PRIORITY
#define ROOT_IMAGE_MIN 0x400000ull
#define ROOT_IMAGE_MAX 0x10000000ull
#define ROOT_BOOTINFO_VA 0x10000000ull
#define ROOT_IPC_BUFFER_VA 0x10001000ull
#define ROOT_STACK_BOTTOM 0x10010000ull /* a guard page below stays unmapped */
#define ROOT_STACK_PAGES 16
#define ROOT_STACK_TOP (ROOT_STACK_BOTTOM + ROOT_STACK_PAGES * TSR_PAGE_SIZE)
#define ROOT_DTB_VA 0x10200000ull

extern const char root_task_elf_start[], root_task_elf_end[];

/* The root task's first thread. Its TCB lives in boot memory, which no
 * untyped covers, so the address can never name another thread. */
static const struct tcb *root_thread;

bool rootserver_is_root_thread(const struct tcb *t)
{
    return t == root_thread;
}

const struct tcb *rootserver_root_thread(void)
{
    return root_thread;
}

/* Slots TSR_INIT_FIRST_FREE.. hold the page tables, then frames follow, so
 * each range in the boot information is contiguous. */
#define ROOT_MAX_PAGE_TABLES 32

struct root_builder {
    struct cte *slots;   /* the root CNode */
    unsigned next_slot;
    paddr_t vspace;
    unsigned asid;
    struct tsr_bootinfo *bootinfo;
    uint32_t page_tables_count;
};

static paddr_t alloc_zeroed(unsigned size_bits)
{
    paddr_t pa;
    if (!bootmem_alloc(size_bits, &pa))
        panic("root task: out of boot memory for a 2^%u object", size_bits);
    memset(arch_phys_to_virt(pa), 0, (size_t)1 << size_bits);
    return pa;
}

static struct cte *next_slot(struct root_builder *rb)
{
    if (rb->next_slot >= (1u << ROOT_CNODE_RADIX))
        panic("root task: root CNode full");
    return &rb->slots[rb->next_slot++];
}

static void put_cap(struct cte *slot, struct cap cap)
{
    cap_insert(NULL, slot, &cap, true);
}

/* A 4 KiB frame the root task finds mapped at va. */
static struct cap mapped_frame(paddr_t pa, uint64_t va, unsigned asid)
{
    struct cap c = cap_make_frame(pa, TSR_PAGE_BITS, false);
    cap_set_mapping(&c, va, asid);
    return c;
}

/* Map one page, making and recording page tables on the way as needed. */
static void map_page(struct root_builder *rb, uint64_t va, paddr_t frame, unsigned vm)
{
    tsr_error_t err;
    while ((err = arch_vspace_map_frame(rb->vspace, va, frame, TSR_PAGE_BITS, vm)) ==
           TSR_E_NOT_MAPPED) {
        paddr_t table = alloc_zeroed(TSR_PAGE_TABLE_BITS);
        unsigned level;
        if (arch_vspace_map_table(rb->vspace, va, table, &level) != TSR_OK)
            panic("root task: cannot link a page table at 0x%lx", (unsigned long)va);
        if (rb->page_tables_count == ROOT_MAX_PAGE_TABLES)
            panic("root task: more than %u page tables", ROOT_MAX_PAGE_TABLES);
        struct cte *slot = &rb->slots[TSR_INIT_FIRST_FREE + rb->page_tables_count++];
        struct cap c = cap_make(CAP_PAGE_TABLE, table);
        cap_set_mapping(&c, arch_vspace_table_region(va, level), rb->asid);
        cap_page_table_set_level(&c, level);
        put_cap(slot, c);
    }
    if (err)
        panic("root task: cannot map 0x%lx (%d)", (unsigned long)va, err);
}

/* A fresh zeroed frame mapped at va, with its capability in the next slot. */
static paddr_t new_frame(struct root_builder *rb, uint64_t va, unsigned vm)
{
    paddr_t pa = alloc_zeroed(TSR_PAGE_BITS);
    map_page(rb, va, pa, vm);
    put_cap(next_slot(rb), mapped_frame(pa, va, rb->asid));
    return pa;
}

static unsigned elf_vm(uint32_t flags)
{
    unsigned vm = ARCH_VM_READ;
    if (flags & PF_W)
        vm |= ARCH_VM_WRITE;
    if (flags & PF_X)
        vm |= ARCH_VM_EXECUTE;
    return vm;
}

static uint64_t load_elf(struct root_builder *rb)
{
    const char *elf = root_task_elf_start;
    size_t size = (size_t)(root_task_elf_end - root_task_elf_start);
    const struct elf64_header *h = (const void *)elf;
    if (size < sizeof(*h) || *(const uint32_t *)(const void *)h->ident != ELF_MAGIC ||
        h->ident[4] != ELFCLASS64 || h->ident[5] != ELFDATA2LSB || h->machine != EM_AARCH64 ||
        h->type != ET_EXEC || h->phentsize != sizeof(struct elf64_phdr) ||
        h->phoff > size || (uint64_t)h->phnum * sizeof(struct elf64_phdr) > size - h->phoff)
        panic("root task: not a usable AArch64 ELF executable");
    const struct elf64_phdr *ph = (const void *)(elf + h->phoff);
    uint64_t lo = ~0ull, hi = 0;
    rb->bootinfo->image_frames.first = rb->next_slot;
    for (unsigned i = 0; i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        uint64_t start = ph[i].vaddr & ~(TSR_PAGE_SIZE - 1);
        uint64_t end = (ph[i].vaddr + ph[i].memsz + TSR_PAGE_SIZE - 1) & ~(TSR_PAGE_SIZE - 1);
        if (ph[i].filesz > ph[i].memsz || ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
            start < ROOT_IMAGE_MIN || end > ROOT_IMAGE_MAX || end < start)
            panic("root task: segment %u out of bounds", i);
        if ((ph[i].flags & PF_W) && (ph[i].flags & PF_X))
            panic("root task: segment %u is writable and executable", i);
        for (uint64_t va = start; va < end; va += TSR_PAGE_SIZE) {
            paddr_t pa = new_frame(rb, va, elf_vm(ph[i].flags));
            char *dst = arch_phys_to_virt(pa);
            /* Copy the part of the file image that falls in this page. */
            uint64_t file_lo = ph[i].vaddr, file_hi = ph[i].vaddr + ph[i].filesz;
            uint64_t from = va > file_lo ? va : file_lo;
            uint64_t to = va + TSR_PAGE_SIZE < file_hi ? va + TSR_PAGE_SIZE : file_hi;
            if (from < to)
                memcpy(dst + (from - va), elf + ph[i].offset + (from - file_lo), to - from);
            if (ph[i].flags & PF_X)
                arch_sync_icache(dst, TSR_PAGE_SIZE);
        }
        lo = start < lo ? start : lo;
        hi = end > hi ? end : hi;
    }
    if (hi == 0)
        panic("root task: no loadable segment");
    rb->bootinfo->image_frames.count = rb->next_slot - rb->bootinfo->image_frames.first;
    rb->bootinfo->image_start = lo;
    rb->bootinfo->image_end = hi;
    return h->entry;
}

/* Untyped capabilities for [base, end): the largest aligned power-of-two
 * blocks that tile it. */
static void emit_untyped(struct root_builder *rb, paddr_t base, paddr_t end, bool device)
{
    struct tsr_bootinfo *bi = rb->bootinfo;
    while (base < end) {
        unsigned bits = base ? (unsigned)__builtin_ctzll(base) : 63;
        unsigned fit = 63 - (unsigned)__builtin_clzll(end - base);
        if (fit < bits)
            bits = fit;
        if (bits > TSR_UNTYPED_MAX_BITS)
            bits = TSR_UNTYPED_MAX_BITS;
        uint32_t n = bi->untyped.count;
        if (n == TSR_BOOTINFO_MAX_UNTYPED || rb->next_slot >= (1u << ROOT_CNODE_RADIX)) {
            kprintf("root task: untyped list full, 0x%lx-0x%lx not handed over\n",
                    (unsigned long)base, (unsigned long)end);
            return;
        }
        struct cte *slot = next_slot(rb);
        if (n == 0)
            bi->untyped.first = (uint32_t)(slot - rb->slots);
        put_cap(slot, cap_make_untyped(base, bits, device));
        bi->untyped_list[n] = (struct tsr_untyped_desc){.paddr = base, .size_bits = (uint8_t)bits,
                                                        .is_device = device};
        bi->untyped.count = n + 1;
        base += 1ull << bits;
    }
}

/* Device untyped: everything below the top of the physical address space
 * that is neither RAM nor the interrupt controller. The console UART is
 * handed out too, so that a user-level console service can own it (its
 * input, through the IRQ handler capability of its interrupt); the kernel
 * goes on writing its own messages to it through its own mapping, polled,
 * as before. */
static void emit_device_untyped(struct root_builder *rb, const struct platform *plat)
{
    struct bootmem_region holes[PLATFORM_MAX_RAM + 2 * PLATFORM_DEVICE_REGS];
    unsigned n = 0;
    for (unsigned i = 0; i < plat->ram_count; i++)
        holes[n++] = (struct bootmem_region){plat->ram[i].base, plat->ram[i].base + plat->ram[i].size};
    /* The device only the kernel may touch, in whole pages. */
    const struct platform_device *own[] = {&plat->irqchip};
    for (unsigned d = 0; d < sizeof(own) / sizeof(own[0]); d++)
        for (unsigned i = 0; i < own[d]->reg_count; i++)
            holes[n++] = (struct bootmem_region){
                own[d]->reg[i].base & ~(TSR_PAGE_SIZE - 1),
                (own[d]->reg[i].base + own[d]->reg[i].size + TSR_PAGE_SIZE - 1) & ~(TSR_PAGE_SIZE - 1)};
    /* Walk upwards from 0, stepping over the lowest hole each time. */
    paddr_t at = 0, top = 1ull << arch_phys_addr_bits();
    while (at < top) {
        paddr_t next_hole = top, hole_end = top;
        for (unsigned i = 0; i < n; i++) {
            if (holes[i].end <= at || holes[i].end == holes[i].base)
                continue;
            paddr_t b = holes[i].base > at ? holes[i].base : at;
            if (b < next_hole) {
                next_hole = b;
                hole_end = holes[i].end;
            }
        }
        emit_untyped(rb, at, next_hole, true);
        at = hole_end;
    }
}

/* Job 1: the root task's CNode (its first slots fixed by tessera/bootinfo.h),
 * its address space with an ASID from the first pool, the control
 * capabilities, and its boot-information and IPC-buffer pages. */
static void make_spaces(struct root_builder *rb)
{
    paddr_t cnode = alloc_zeroed(ROOT_CNODE_RADIX + TSR_SLOT_BITS);
    rb->slots = arch_phys_to_virt(cnode);
    rb->next_slot = TSR_INIT_FIRST_FREE + ROOT_MAX_PAGE_TABLES;
    put_cap(&rb->slots[TSR_INIT_CNODE],
            cap_make_cnode(cnode, ROOT_CNODE_RADIX, 0, 64 - ROOT_CNODE_RADIX));

    paddr_t pool = alloc_zeroed(TSR_PAGE_BITS);
    unsigned base = asid_pool_free_range();
    asid_pool_install(pool, base);
    put_cap(&rb->slots[TSR_INIT_ASID_POOL], cap_make_asid_pool(pool, base));
    rb->vspace = alloc_zeroed(TSR_VSPACE_BITS);
    if (asid_assign(&rb->slots[TSR_INIT_ASID_POOL].cap, rb->vspace, &rb->asid) != TSR_OK)
        panic("root task: no ASID");
    put_cap(&rb->slots[TSR_INIT_VSPACE], cap_make_vspace(rb->vspace, rb->asid));
    put_cap(&rb->slots[TSR_INIT_ASID_CONTROL], cap_make(CAP_ASID_CONTROL, 0));
    put_cap(&rb->slots[TSR_INIT_IRQ_CONTROL], cap_make(CAP_IRQ_CONTROL, 0));

    paddr_t bi_pa = alloc_zeroed(TSR_PAGE_BITS);
    map_page(rb, ROOT_BOOTINFO_VA, bi_pa, ARCH_VM_READ);
    put_cap(&rb->slots[TSR_INIT_BOOTINFO_FRAME], mapped_frame(bi_pa, ROOT_BOOTINFO_VA, rb->asid));
    rb->bootinfo = arch_phys_to_virt(bi_pa);
    _Static_assert(sizeof(struct tsr_bootinfo) <= TSR_PAGE_SIZE, "boot info fits a page");
    paddr_t ipc_pa = alloc_zeroed(TSR_PAGE_BITS);
    map_page(rb, ROOT_IPC_BUFFER_VA, ipc_pa, ARCH_VM_READ | ARCH_VM_WRITE);
    put_cap(&rb->slots[TSR_INIT_IPC_BUFFER], mapped_frame(ipc_pa, ROOT_IPC_BUFFER_VA, rb->asid));
}

/* Job 2: what the root task's address space holds: its ELF image, its
 * stack, and a read-only copy of the device tree. Returns the entry point. */
static uint64_t fill_address_space(struct root_builder *rb, const void *dtb, size_t dtb_size)
{
    struct tsr_bootinfo *bi = rb->bootinfo;
    uint64_t entry = load_elf(rb);
    bi->extra_frames.first = rb->next_slot;
    for (unsigned i = 0; i < ROOT_STACK_PAGES; i++)
        new_frame(rb, ROOT_STACK_BOTTOM + i * TSR_PAGE_SIZE, ARCH_VM_READ | ARCH_VM_WRITE);
    for (size_t off = 0; off < dtb_size; off += TSR_PAGE_SIZE) {
        paddr_t pa = new_frame(rb, ROOT_DTB_VA + off, ARCH_VM_READ);
        size_t n = dtb_size - off < TSR_PAGE_SIZE ? dtb_size - off : TSR_PAGE_SIZE;
        memcpy(arch_phys_to_virt(pa), (const char *)dtb + off, n);
    }
    bi->extra_frames.count = rb->next_slot - bi->extra_frames.first;
    return entry;
}

/* Job 3: the thread, with its CSpace, VSpace and IPC buffer, about to run
 * `entry` with the boot information's address in x0. */
static struct tcb *make_thread(struct root_builder *rb, uint64_t entry)
{
    paddr_t tcb_pa = alloc_zeroed(TSR_TCB_BITS);
    struct tcb *t = tcb_from_pa(tcb_pa);
    tcb_init(t, tcb_pa);
    put_cap(&rb->slots[TSR_INIT_TCB], cap_make(CAP_TCB, tcb_pa));
    if (cap_copy(&rb->slots[TSR_INIT_CNODE], &t->slots[TCB_SLOT_CSPACE], TSR_RIGHTS_ALL) ||
        cap_copy(&rb->slots[TSR_INIT_VSPACE], &t->slots[TCB_SLOT_VSPACE], TSR_RIGHTS_ALL) ||
        cap_copy(&rb->slots[TSR_INIT_IPC_BUFFER], &t->slots[TCB_SLOT_IPC_BUFFER], TSR_RIGHTS_ALL))
        panic("root task: cannot fill its TCB");
    t->ipc_buffer_va = ROOT_IPC_BUFFER_VA;
    t->priority = ROOT_PRIORITY;
    t->mcp = ROOT_PRIORITY;
    arch_context_init(&t->ctx, entry, ROOT_STACK_TOP, ROOT_BOOTINFO_VA);
    return t;
}

/* Job 4: the boot information, then every byte the kernel does not keep
 * handed over as untyped memory. Page tables made after this point would
 * eat into it, so the address space must be final. */
static void hand_over(struct root_builder *rb, const struct platform *plat, size_t dtb_size,
                      unsigned kernel_tests_passed, unsigned kernel_tests_failed)
{
    struct tsr_bootinfo *bi = rb->bootinfo;
    bi->magic = TSR_BOOTINFO_MAGIC;
    bi->version = 1;
    bi->cnode_radix = ROOT_CNODE_RADIX;
    bi->ipc_buffer = ROOT_IPC_BUFFER_VA;
    bi->dtb = ROOT_DTB_VA;
    bi->dtb_size = dtb_size;
    bi->stack_top = ROOT_STACK_TOP;
    bi->page_tables.first = TSR_INIT_FIRST_FREE;
    bi->page_tables.count = rb->page_tables_count;
    bi->root_priority = ROOT_PRIORITY;
    _Static_assert(sizeof(bi->bootargs) >= PLATFORM_BOOTARGS_MAX, "bootargs fit");
    memcpy(bi->bootargs, plat->bootargs, PLATFORM_BOOTARGS_MAX);
    bi->kernel_tests_passed = kernel_tests_passed;
    bi->kernel_tests_failed = kernel_tests_failed;

    for (unsigned i = 0; i < bootmem_region_count(); i++) {
        const struct bootmem_region *r = bootmem_region(i);
        emit_untyped(rb, r->base, r->end, false);
    }
    emit_device_untyped(rb, plat);
    bi->empty.first = rb->next_slot;
    bi->empty.count = (1u << ROOT_CNODE_RADIX) - rb->next_slot;
}

void rootserver_create(const struct platform *plat, const void *dtb, size_t dtb_size,
                       unsigned kernel_tests_passed, unsigned kernel_tests_failed)
{
    struct root_builder rb = {0};
    make_spaces(&rb);
    uint64_t entry = fill_address_space(&rb, dtb, dtb_size);
    struct tcb *t = make_thread(&rb, entry);
    root_thread = t;
    hand_over(&rb, plat, dtb_size, kernel_tests_passed, kernel_tests_failed);
    sched_make_runnable(t);
}

extern char _start[], _end[];

_Noreturn void boot_start_root_task(const struct platform *plat, unsigned tests_passed,
                                    unsigned tests_failed)
{
    size_t dtb_size;
    const void *dtb = arch_boot_dtb(boot_dtb_pa, &dtb_size);
    bootmem_init(plat, boot_image_pa, boot_image_pa + (uint64_t)(_end - _start), boot_dtb_pa,
                 boot_dtb_pa + dtb_size);
    sched_init();
    rootserver_create(plat, dtb, dtb_size, tests_passed, tests_failed);
    arch_timer_start_periodic(SCHED_TICK_HZ);
    sched_exit_to_user();
}
