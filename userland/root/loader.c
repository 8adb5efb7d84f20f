/* SPDX-License-Identifier: MIT */
/* The program loader (loader.h). Every object is first retyped into a slot
 * of the root task's CNode, set up there (mapped, filled), then moved into
 * the program's own CNode, so the root task keeps only a handful of slots
 * per program: its budget, its CNode, VSpace and TCB, its endpoint (to
 * mint badged copies for clients) and a mapping of its information page. */
#include <stdbool.h>
#include <stdint.h>

#include <tessera/bootinfo.h>
#include <tessera/objects.h>

#include "elf.h"
#include "loader.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"
#include "tsr/vm.h"

#define D TSR_ROOT_DEPTH
/* Where the root task maps a page it fills for a program (one at a time),
 * and where it keeps each program's information page. */
#define ROOT_SCRATCH_VA 0x50000000ull
#define ROOT_INFO_VA(pid) (0x60000000ull + (uint64_t)(pid) * TSR_PAGE_SIZE)
#define PAGE TSR_PAGE_SIZE
#define MIN_RADIX 8
#define MAX_RADIX 12
/* Smallest leftover piece of a budget handed over as untyped memory. */
#define MIN_LEFTOVER_BITS 12
/* Cache lines are at least this long on every AArch64 core (CTR_EL0 is
 * not readable at EL0 here, so the smallest possible line is assumed). */
#define MIN_CACHE_LINE 16

static void set_why(struct loaded_program *p, const char *what, tsr_error_t err)
{
    if (err == TSR_E_NOT_ENOUGH_MEMORY)
        snprintf(p->why, sizeof(p->why), "its memory budget ran out while %s", what);
    else
        snprintf(p->why, sizeof(p->why), "%s failed (error %d)", what, err);
}

void loader_init(void)
{
    tsr_vm_ensure_tables(TSR_INIT_VSPACE, ROOT_SCRATCH_VA, PAGE);
}

/* ---- the budget ------------------------------------------------------------ */

static tsr_error_t budget_split(struct budget *b, uint64_t bytes)
{
    b->count = 0;
    for (int bits = 30; bits >= TSR_PAGE_BITS; bits--) {
        if (!(bytes & (1ull << bits)))
            continue;
        tsr_cptr_t piece;
        tsr_error_t err = tsr_alloc_untyped((unsigned)bits, &piece);
        if (err)
            return err;
        b->piece[b->count] = piece;
        b->bits[b->count] = (uint8_t)bits;
        b->used[b->count] = 0;
        b->count++;
    }
    return TSR_OK;
}

/* Retype one object from the first piece with room into slot `offset` of
 * the CNode named by `cnode` (a root-task slot; TSR_INIT_CNODE: its own). */
static tsr_error_t budget_retype_into(struct budget *b, tsr_object_type_t type, unsigned size_bits,
                                      tsr_cptr_t cnode, uint64_t offset)
{
    tsr_error_t err = TSR_E_NOT_ENOUGH_MEMORY;
    for (unsigned i = 0; i < b->count; i++) {
        err = tsr_untyped_retype(b->piece[i], type, size_bits, TSR_INIT_CNODE, cnode, D, offset, 1);
        if (err == TSR_OK) {
            /* Mirror the kernel's watermark: objects are aligned to their size. */
            uint64_t size = 1ull << tsr_object_size_bits(type, size_bits);
            b->used[i] = ((b->used[i] + size - 1) & ~(size - 1)) + size;
        }
        if (err != TSR_E_NOT_ENOUGH_MEMORY)
            break;
    }
    return err;
}

/* A new object in a new root-task slot. */
static tsr_error_t new_object(struct loaded_program *p, tsr_object_type_t type, unsigned size_bits,
                              tsr_cptr_t *slot)
{
    *slot = tsr_alloc_slot();
    if (!*slot)
        return TSR_E_RANGE;
    tsr_error_t err = budget_retype_into(&p->budget, type, size_bits, TSR_INIT_CNODE, *slot);
    if (err) {
        tsr_free_slot(*slot);
        *slot = 0;
    }
    return err;
}

/* Move a root-task slot's capability to the program's next free slot. */
static tsr_error_t move_to_program(struct loaded_program *p, tsr_cptr_t slot, unsigned *at)
{
    if (p->next_slot >= (1u << p->radix))
        return TSR_E_RANGE;
    tsr_error_t err = tsr_cnode_move(p->cnode, p->next_slot, p->radix, TSR_INIT_CNODE, slot, D);
    if (err)
        return err;
    if (at)
        *at = p->next_slot;
    p->next_slot++;
    tsr_free_slot(slot);
    return TSR_OK;
}

/* Map `frame` at va in the program, making page tables from its budget as
 * the kernel reports them missing; the tables go to its CNode. */
static tsr_error_t map_in_program(struct loaded_program *p, tsr_cptr_t frame, uint64_t va,
                                  unsigned rights, unsigned attrs)
{
    for (unsigned tries = 0; tries < 4; tries++) {
        tsr_error_t err = tsr_frame_map(frame, p->vspace, va, rights, attrs);
        if (err != TSR_E_NOT_MAPPED)
            return err;
        tsr_cptr_t pt;
        if ((err = new_object(p, TSR_OBJ_PAGE_TABLE, 0, &pt)) ||
            (err = tsr_page_table_map(pt, p->vspace, va, 0)) ||
            (err = move_to_program(p, pt, 0)))
            return err;
    }
    return TSR_E_NOT_MAPPED;
}

/* ---- the ELF image --------------------------------------------------------- */

static bool read_header(const struct program_request *req, struct elf_header *h)
{
    if (req->elf_size < sizeof(*h))
        return false;
    memcpy(h, req->elf, sizeof(*h));
    return h->ident[0] == ELF_MAGIC_0 && h->ident[1] == 'E' && h->ident[2] == 'L' &&
           h->ident[3] == 'F' && h->ident[4] == ELF_CLASS_64 && h->ident[5] == ELF_DATA_LSB &&
           h->type == ELF_TYPE_EXEC && h->machine == ELF_MACHINE_AARCH64 &&
           h->phentsize == sizeof(struct elf_phdr) && h->phoff <= req->elf_size &&
           (uint64_t)h->phnum * sizeof(struct elf_phdr) <= req->elf_size - h->phoff;
}

static void read_phdr(const struct program_request *req, const struct elf_header *h, unsigned i,
                      struct elf_phdr *ph)
{
    memcpy(ph, (const uint8_t *)req->elf + h->phoff + i * sizeof(*ph), sizeof(*ph));
}

/* Check every loadable segment (inside the image window, inside the file,
 * never writable and executable, pages not shared with the previous
 * segment); count the pages. */
static bool check_image(struct loaded_program *p, const struct program_request *req,
                        const struct elf_header *h, unsigned *pages)
{
    uint64_t last_end = 0;
    *pages = 0;
    for (unsigned i = 0; i < h->phnum; i++) {
        struct elf_phdr ph;
        read_phdr(req, h, i, &ph);
        if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
            continue;
        uint64_t start = ph.vaddr & ~(PAGE - 1);
        if (ph.vaddr < TSR_PROG_IMAGE_MIN || ph.memsz > TSR_PROG_IMAGE_MAX ||
            ph.vaddr > TSR_PROG_IMAGE_MAX - ph.memsz || ph.filesz > ph.memsz ||
            ph.offset > req->elf_size || ph.filesz > req->elf_size - ph.offset) {
            snprintf(p->why, sizeof(p->why), "its ELF segment %u lies outside the image window or the file", i);
            return false;
        }
        if ((ph.flags & ELF_PF_W) && (ph.flags & ELF_PF_X)) {
            snprintf(p->why, sizeof(p->why), "its ELF segment %u is writable and executable", i);
            return false;
        }
        uint64_t end = (ph.vaddr + ph.memsz + PAGE - 1) & ~(PAGE - 1);
        if (start < last_end) {
            snprintf(p->why, sizeof(p->why), "its ELF segments %u and %u share a page", i - 1, i);
            return false;
        }
        last_end = end;
        *pages += (unsigned)((end - start) / PAGE);
    }
    if (*pages == 0) {
        snprintf(p->why, sizeof(p->why), "its ELF file has nothing to load");
        return false;
    }
    return true;
}

/* Make the instruction stream written through the scratch mapping visible
 * to instruction fetches (ARM ARM B2.4.4: clean to the point of
 * unification, then invalidate the instruction cache). SCTLR_EL1.UCI lets
 * EL0 do both for its own mappings. */
static void sync_icache(uint64_t va, uint64_t size)
{
    for (uint64_t a = va; a < va + size; a += MIN_CACHE_LINE)
        __asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    for (uint64_t a = va; a < va + size; a += MIN_CACHE_LINE)
        __asm__ volatile("ic ivau, %0" ::"r"(a) : "memory");
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

/* A new frame filled with `size` bytes from `src` (the rest zero), mapped
 * at va in the program with the segment's rights, moved to its CNode. */
static tsr_error_t load_page(struct loaded_program *p, uint64_t va, const uint8_t *src,
                             uint64_t offset, uint64_t size, uint32_t flags)
{
    tsr_cptr_t frame, view = tsr_alloc_slot();
    tsr_error_t err;
    if (!view)
        return TSR_E_RANGE;
    if ((err = new_object(p, TSR_OBJ_FRAME_4K, 0, &frame))) {
        tsr_free_slot(view);
        return err;
    }
    if (size) {
        if ((err = tsr_cnode_copy(TSR_INIT_CNODE, view, D, TSR_INIT_CNODE, frame, D,
                                  TSR_RIGHTS_ALL)) ||
            (err = tsr_frame_map(view, TSR_INIT_VSPACE, ROOT_SCRATCH_VA,
                                 TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0))) {
            tsr_cnode_delete(TSR_INIT_CNODE, view, D);
            tsr_free_slot(view);
            return err;
        }
        memcpy((uint8_t *)(uintptr_t)ROOT_SCRATCH_VA + offset, src, size);
        if (flags & ELF_PF_X)
            sync_icache(ROOT_SCRATCH_VA, PAGE);
        tsr_cnode_delete(TSR_INIT_CNODE, view, D); /* unmaps it */
    }
    tsr_free_slot(view);
    unsigned rights = TSR_RIGHT_READ | ((flags & ELF_PF_W) ? TSR_RIGHT_WRITE : 0);
    unsigned attrs = (flags & ELF_PF_X) ? TSR_VM_EXECUTE : 0;
    if ((err = map_in_program(p, frame, va, rights, attrs)))
        return err;
    return move_to_program(p, frame, 0);
}

static tsr_error_t load_image(struct loaded_program *p, const struct program_request *req,
                              const struct elf_header *h)
{
    const uint8_t *elf = req->elf;
    for (unsigned i = 0; i < h->phnum; i++) {
        struct elf_phdr ph;
        read_phdr(req, h, i, &ph);
        if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
            continue;
        uint64_t start = ph.vaddr & ~(PAGE - 1);
        uint64_t end = (ph.vaddr + ph.memsz + PAGE - 1) & ~(PAGE - 1);
        uint64_t file_lo = ph.vaddr, file_hi = ph.vaddr + ph.filesz;
        for (uint64_t va = start; va < end; va += PAGE) {
            /* The part of the file image that falls in this page. */
            uint64_t from = va > file_lo ? va : file_lo;
            uint64_t to = va + PAGE < file_hi ? va + PAGE : file_hi;
            uint64_t size = from < to ? to - from : 0;
            tsr_error_t err = load_page(p, va, elf + ph.offset + (from - file_lo), from - va,
                                        size, ph.flags);
            if (err)
                return err;
        }
    }
    return TSR_OK;
}

/* ---- the program ------------------------------------------------------------ */

static unsigned radix_for(unsigned slots)
{
    unsigned r = MIN_RADIX;
    while (r < MAX_RADIX && (1u << r) < slots)
        r++;
    return r;
}

/* What is left of each piece of the budget, as untyped capabilities in the
 * program's CNode. They are retyped from the pieces (never the pieces
 * themselves), so revoking the pieces takes them back too. From the
 * watermark up, each is the largest block aligned where the last one
 * ended, so the rest is covered exactly (down to 4 KiB). */
static tsr_error_t hand_over_rest(struct loaded_program *p, struct tsr_program_info *info)
{
    info->untyped.first = p->next_slot;
    unsigned n = 0;
    const uint64_t min = 1ull << MIN_LEFTOVER_BITS;
    for (unsigned i = 0; i < p->budget.count; i++) {
        uint64_t end = 1ull << p->budget.bits[i];
        uint64_t at = (p->budget.used[i] + min - 1) & ~(min - 1);
        while (at < end) {
            unsigned bits = MIN_LEFTOVER_BITS;
            while (bits < p->budget.bits[i] && (at & ((2ull << bits) - 1)) == 0 &&
                   at + (2ull << bits) <= end)
                bits++;
            if (n == TSR_PROGRAM_MAX_UNTYPED || p->next_slot >= (1u << p->radix))
                goto done;
            tsr_error_t err = tsr_untyped_retype(p->budget.piece[i], TSR_OBJ_UNTYPED, bits,
                                                 TSR_INIT_CNODE, p->cnode, D, p->next_slot, 1);
            if (err)
                return err;
            info->untyped_list[n++] = (struct tsr_untyped_desc){.size_bits = (uint8_t)bits};
            p->next_slot++;
            at += 1ull << bits;
        }
    }
done:
    info->untyped.count = n;
    return TSR_OK;
}

static void fill_info(struct loaded_program *p, const struct program_request *req,
                      struct tsr_program_info *info)
{
    info->magic = TSR_PROGRAM_MAGIC;
    info->version = 1;
    info->pid = req->pid;
    size_t n = strlen(req->name);
    if (n > TSR_PROGRAM_NAME_MAX)
        n = TSR_PROGRAM_NAME_MAX;
    memcpy(info->name, req->name, n);
    info->priority = req->priority;
    info->cnode_radix = p->radix;
    info->ipc_buffer = TSR_PROG_IPC_BUFFER_VA;
    info->stack_top = TSR_PROG_STACK_BOTTOM + req->stack;
    info->budget = req->memory;
    info->rights = req->rights;
    if (req->args_size <= TSR_PROGRAM_ARGS_MAX) {
        info->argc = req->argc;
        memcpy(info->args, req->args, req->args_size);
    }
}

static tsr_error_t give_device_frame(struct loaded_program *p, unsigned index, tsr_cptr_t frame)
{
    if (index >= TSR_PROG_MAX_DEVICE_FRAMES)
        return TSR_E_RANGE;
    /* A copy, so the device's own capability stays with the root task. */
    tsr_cptr_t copy = tsr_alloc_slot();
    if (!copy)
        return TSR_E_RANGE;
    tsr_error_t err = tsr_cnode_copy(TSR_INIT_CNODE, copy, D, TSR_INIT_CNODE, frame, D,
                                     TSR_RIGHTS_ALL);
    if (!err)
        err = map_in_program(p, copy, TSR_PROG_DEVICE_VA + index * PAGE,
                             TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0);
    if (!err)
        err = tsr_cnode_move(p->cnode, TSR_PROG_DEVICE_FRAME + index, p->radix, TSR_INIT_CNODE,
                             copy, D);
    if (err)
        tsr_cnode_delete(TSR_INIT_CNODE, copy, D);
    tsr_free_slot(copy);
    return err;
}

tsr_error_t loader_create(struct loaded_program *p, const struct program_request *req)
{
    struct elf_header h;
    tsr_error_t err;
    unsigned pages;
    memset(p, 0, sizeof(*p));
    p->pid = req->pid;
    if (!read_header(req, &h)) {
        snprintf(p->why, sizeof(p->why), "its file is not an AArch64 ELF executable");
        return TSR_E_INVALID_ARGUMENT;
    }
    if (!check_image(p, req, &h, &pages))
        return TSR_E_INVALID_ARGUMENT;
    if ((err = budget_split(&p->budget, req->memory))) {
        snprintf(p->why, sizeof(p->why), "the system has no %lu KiB left for it",
                 (unsigned long)(req->memory >> 10));
        return err;
    }
    /* Fixed slots, image and stack pages, their page tables (a few), the
     * leftover untyped and room to work. */
    p->radix = radix_for(TSR_PROG_FIRST_RANGE + pages + (unsigned)(req->stack / PAGE) + 8 +
                         TSR_PROGRAM_MAX_UNTYPED + 64);
    tsr_cptr_t ipc = 0, info_frame = 0, reply = 0, ntfn = 0, guarded = tsr_alloc_slot();
    if (!guarded)
        return TSR_E_RANGE;
    const char *step = "making its CNode";
    if ((err = new_object(p, TSR_OBJ_CNODE, p->radix, &p->cnode)))
        goto fail;
    step = "making its address space";
    if ((err = new_object(p, TSR_OBJ_VSPACE, 0, &p->vspace)) ||
        (err = tsr_asid_pool_assign(TSR_INIT_ASID_POOL, p->vspace, 0)))
        goto fail;
    step = "making its thread";
    if ((err = new_object(p, TSR_OBJ_TCB, 0, &p->tcb)) ||
        (err = new_object(p, TSR_OBJ_FRAME_4K, 0, &ipc)) ||
        (err = new_object(p, TSR_OBJ_FRAME_4K, 0, &info_frame)) ||
        (err = new_object(p, TSR_OBJ_ENDPOINT, 0, &p->endpoint)) ||
        (err = new_object(p, TSR_OBJ_REPLY, 0, &reply)) ||
        (err = new_object(p, TSR_OBJ_NOTIFICATION, 0, &ntfn)))
        goto fail;
    p->next_slot = TSR_PROG_FIRST_RANGE;
    unsigned image_first = p->next_slot;
    step = "loading its image";
    if ((err = load_image(p, req, &h)))
        goto fail;
    step = "making its stack";
    for (uint64_t off = 0; off < req->stack; off += PAGE)
        if ((err = load_page(p, TSR_PROG_STACK_BOTTOM + off, 0, 0, 0, ELF_PF_R | ELF_PF_W)))
            goto fail;
    step = "mapping its IPC buffer and information page";
    if ((err = map_in_program(p, ipc, TSR_PROG_IPC_BUFFER_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)) ||
        (err = map_in_program(p, info_frame, TSR_PROG_INFO_VA, TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)))
        goto fail;
    p->info_copy = tsr_alloc_slot();
    if (!p->info_copy ||
        (err = tsr_cnode_copy(TSR_INIT_CNODE, p->info_copy, D, TSR_INIT_CNODE, info_frame, D,
                              TSR_RIGHTS_ALL)) ||
        (err = tsr_vm_map(p->info_copy, TSR_INIT_VSPACE, ROOT_INFO_VA(req->pid),
                          TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0)))
        goto fail;
    p->info = (struct tsr_program_info *)(uintptr_t)ROOT_INFO_VA(req->pid);
    memset(p->info, 0, PAGE);
    step = "filling its CSpace";
    if ((err = tsr_cnode_copy(p->cnode, TSR_PROG_TCB, p->radix, TSR_INIT_CNODE, p->tcb, D,
                              TSR_RIGHTS_ALL)) ||
        (err = tsr_cnode_mint(p->cnode, TSR_PROG_CNODE, p->radix, TSR_INIT_CNODE, p->cnode, D,
                              TSR_RIGHTS_ALL, TSR_CNODE_GUARD(64 - p->radix, 0))) ||
        (err = tsr_cnode_copy(p->cnode, TSR_PROG_VSPACE, p->radix, TSR_INIT_CNODE, p->vspace, D,
                              TSR_RIGHTS_ALL)) ||
        (err = tsr_cnode_copy(p->cnode, TSR_PROG_ENDPOINT, p->radix, TSR_INIT_CNODE, p->endpoint,
                              D, TSR_RIGHTS_ALL)) ||
        (err = tsr_cnode_move(p->cnode, TSR_PROG_REPLY, p->radix, TSR_INIT_CNODE, reply, D)) ||
        (err = tsr_cnode_move(p->cnode, TSR_PROG_NOTIFICATION, p->radix, TSR_INIT_CNODE, ntfn, D)))
        goto fail;
    tsr_free_slot(reply);
    tsr_free_slot(ntfn);
    reply = ntfn = 0;
    /* The TCB takes its CSpace root from a guarded capability, as the
     * program's own slot 2 holds it. */
    step = "configuring its thread";
    if ((err = tsr_cnode_mint(TSR_INIT_CNODE, guarded, D, TSR_INIT_CNODE, p->cnode, D,
                              TSR_RIGHTS_ALL, TSR_CNODE_GUARD(64 - p->radix, 0))) ||
        (err = tsr_tcb_configure(p->tcb, req->fault_endpoint, guarded, p->vspace,
                                 TSR_PROG_IPC_BUFFER_VA, ipc)))
        goto fail;
    tsr_cnode_delete(TSR_INIT_CNODE, guarded, D);
    step = "filling its CSpace";
    if ((err = move_to_program(p, ipc, 0)))
        goto fail;
    ipc = 0;
    if ((err = move_to_program(p, info_frame, 0)))
        goto fail;
    info_frame = 0;
    step = "mapping its device";
    for (unsigned i = 0; i < req->device_frames; i++)
        if ((err = give_device_frame(p, i, req->device_frame[i])))
            goto fail;
    fill_info(p, req, p->info);
    p->info->image.first = image_first;
    p->info->image.count = p->next_slot - image_first;
    step = "handing over its memory";
    if ((err = hand_over_rest(p, p->info)))
        goto fail;
    p->info->empty.first = p->next_slot;
    p->info->empty.count = (1u << p->radix) - p->next_slot;
    p->entry = h.entry;
    tsr_free_slot(guarded);
    return TSR_OK;
fail:
    set_why(p, step, err);
    /* Slots not yet moved to the program are freed with its budget. */
    tsr_cptr_t spare[] = {guarded, ipc, info_frame, reply, ntfn};
    for (unsigned i = 0; i < sizeof(spare) / sizeof(spare[0]); i++) {
        if (spare[i]) {
            tsr_cnode_delete(TSR_INIT_CNODE, spare[i], D);
            tsr_free_slot(spare[i]);
        }
    }
    return err;
}

tsr_error_t loader_give(struct loaded_program *p, unsigned slot, tsr_cptr_t cap, unsigned rights,
                        uint64_t badge)
{
    return tsr_cnode_mint(p->cnode, slot, p->radix, TSR_INIT_CNODE, cap, D, rights, badge);
}

tsr_error_t loader_start(struct loaded_program *p, uint32_t priority)
{
    tsr_error_t err;
    if ((err = tsr_tcb_set_mcp(p->tcb, TSR_INIT_TCB, priority)) ||
        (err = tsr_tcb_set_priority(p->tcb, TSR_INIT_TCB, priority)))
        return err;
    uint64_t regs[TSR_REG_COUNT] = {0};
    regs[TSR_REG_X(0)] = TSR_PROG_INFO_VA;
    regs[TSR_REG_SP] = p->info->stack_top;
    regs[TSR_REG_PC] = p->entry;
    regs[TSR_REG_TPIDR] = TSR_PROG_IPC_BUFFER_VA;
    return tsr_tcb_write_registers(p->tcb, 1, TSR_REG_COUNT, regs);
}

void loader_destroy(struct loaded_program *p)
{
    for (unsigned i = 0; i < p->budget.count; i++) {
        tsr_cnode_revoke(TSR_INIT_CNODE, p->budget.piece[i], D);
        tsr_cnode_delete(TSR_INIT_CNODE, p->budget.piece[i], D);
        tsr_free_slot(p->budget.piece[i]);
    }
    p->budget.count = 0;
    /* Everything below was made from the budget, so the revoke emptied it. */
    tsr_cptr_t slots[] = {p->cnode, p->vspace, p->tcb, p->endpoint, p->info_copy};
    for (unsigned i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
        if (slots[i]) {
            tsr_cnode_delete(TSR_INIT_CNODE, slots[i], D);
            tsr_free_slot(slots[i]);
        }
    }
    p->cnode = p->vspace = p->tcb = p->endpoint = p->info_copy = 0;
    p->info = 0;
}
