/* SPDX-License-Identifier: MIT */
/* The root task of a running system, start-up half (programs.h): read the
 * system description from the boot archive, build every program it lists
 * in its own address space and CSpace with exactly what the description
 * grants, start the name service and tell it each program's rights, then
 * start the rest in description order. An entry that is malformed, names a
 * missing file or does not fit its memory is reported and skipped; the
 * others start. */
#include <stdbool.h>
#include <stdint.h>

#include <idl/kernel.h>
#include <tessera/bootinfo.h>

#include "devices.h"
#include "programs.h"
#include "tsr/cpio.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/stdio.h"
#include "tsr/string.h"

#define D TSR_ROOT_DEPTH

extern const uint8_t boot_archive_start[], boot_archive_end[];

static struct sysdesc description;

static _Noreturn void idle(void)
{
    tsr_cptr_t n;
    if (tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &n) == TSR_OK) {
        uint64_t bits;
        for (;;)
            tsr_wait(n, &bits);
    }
    for (;;)
        tsr_yield();
}

static void not_started(struct program *p, const char *why)
{
    p->state = PROGRAM_STATE_NOT_STARTED;
    snprintf(p->reason, sizeof(p->reason), "%s", why);
    printf("root: program '%s' not started: %s\n", p->desc->name, why);
}

/* Its device, found in the board's tree: the frames of its registers for
 * the loader to map, its interrupt for give_irq. */
static bool find_device(struct program *p, struct device *dev, struct program_request *req)
{
    char why[80];
    if (devices_lookup(p->desc->device, dev, why, sizeof(why))) {
        not_started(p, why);
        return false;
    }
    uint64_t first = dev->paddr & ~(TSR_PAGE_SIZE - 1);
    req->device_frames =
        (unsigned)((dev->paddr + dev->size - first + TSR_PAGE_SIZE - 1) / TSR_PAGE_SIZE);
    for (unsigned i = 0; i < req->device_frames; i++) {
        tsr_error_t err = devices_frame(first + i * TSR_PAGE_SIZE, &req->device_frame[i]);
        if (err) {
            unsigned long pa = (unsigned long)(first + i * TSR_PAGE_SIZE);
            if (err == TSR_E_ILLEGAL_OPERATION)
                snprintf(why, sizeof(why), "its device's registers at 0x%lx are another "
                         "program's", pa);
            else if (err == TSR_E_INVALID_ARGUMENT)
                snprintf(why, sizeof(why), "its device's registers at 0x%lx are not device "
                         "memory", pa);
            else
                snprintf(why, sizeof(why), "its device's registers at 0x%lx are not available "
                         "(error %d)", pa, err);
            not_started(p, why);
            return false;
        }
    }
    return true;
}

/* Its device's interrupt in TSR_PROG_IRQ, and the device in its
 * information page. */
static bool give_irq(struct program *p, const struct device *dev)
{
    struct loaded_program *lp = &p->loaded;
    if (dev->intid) {
        tsr_cptr_t handler = tsr_alloc_slot();
        if (!handler ||
            tsr_irq_control_get(TSR_INIT_IRQ_CONTROL, dev->intid, TSR_INIT_CNODE, handler, D) ||
            tsr_cnode_move(lp->cnode, TSR_PROG_IRQ, lp->radix, TSR_INIT_CNODE, handler, D)) {
            char why[80];
            snprintf(why, sizeof(why), "its device's interrupt %u is not available", dev->intid);
            not_started(p, why);
            return false;
        }
        tsr_free_slot(handler);
    }
    uint64_t first = dev->paddr & ~(TSR_PAGE_SIZE - 1);
    lp->info->device_paddr = first;
    lp->info->device_offset = dev->paddr - first;
    lp->info->device_frames =
        (uint32_t)((dev->paddr + dev->size - first + TSR_PAGE_SIZE - 1) / TSR_PAGE_SIZE);
    lp->info->device_irq = dev->intid;
    memcpy(lp->info->device_compatible, dev->compatible, sizeof(lp->info->device_compatible));
    return true;
}

/* Build program i (not yet started): its file, its memory, its space. */
static bool create(struct program *p, uint32_t pid)
{
    const struct sysdesc_program *d = p->desc;
    size_t size = (size_t)(boot_archive_end - boot_archive_start);
    struct cpio_file file;
    if (cpio_find(boot_archive_start, size, d->program, &file) != CPIO_OK) {
        char why[80];
        snprintf(why, sizeof(why), "its program file '%s' is not in the boot archive",
                 d->program);
        not_started(p, why);
        return false;
    }
    tsr_cptr_t fault_ep = tsr_alloc_slot();
    if (!fault_ep || tsr_cnode_mint(TSR_INIT_CNODE, fault_ep, D, TSR_INIT_CNODE, root_endpoint, D,
                                    TSR_RIGHT_WRITE, pid | ROOT_FAULT_BADGE)) {
        not_started(p, "the root task has no slot left");
        return false;
    }
    struct program_request req = {
        .pid = pid, .name = d->name, .elf = file.data, .elf_size = file.size,
        .memory = (uint64_t)d->memory_kib << 10, .stack = (uint64_t)d->stack_kib << 10,
        .priority = d->priority, .rights = d->rights, .argc = d->argc, .args = d->args,
        .args_size = sizeof(d->args), .fault_endpoint = fault_ep};
    struct device dev;
    if (d->device[0] && !find_device(p, &dev, &req)) {
        tsr_cnode_delete(TSR_INIT_CNODE, fault_ep, D);
        tsr_free_slot(fault_ep);
        return false;
    }
    tsr_error_t err = loader_create(&p->loaded, &req);
    tsr_cnode_delete(TSR_INIT_CNODE, fault_ep, D);
    tsr_free_slot(fault_ep);
    if (err) {
        not_started(p, p->loaded.why);
        loader_destroy(&p->loaded);
        return false;
    }
    if (d->device[0] && !give_irq(p, &dev)) {
        loader_destroy(&p->loaded);
        return false;
    }
    return true;
}

/* The capabilities every program gets from others: the system endpoint
 * and the name service, badged with its pid. */
static bool connect(struct program *p, tsr_cptr_t names_ep)
{
    struct loaded_program *lp = &p->loaded;
    if (loader_give(lp, TSR_PROG_SYSTEM, root_endpoint, TSR_RIGHT_WRITE, lp->pid) ||
        (names_ep && loader_give(lp, TSR_PROG_NAMES, names_ep,
                                 TSR_RIGHT_WRITE | TSR_RIGHT_GRANT | TSR_RIGHT_GRANT_REPLY,
                                 lp->pid))) {
        not_started(p, "its capabilities could not be given to it");
        return false;
    }
    return true;
}

/* Tell the name service what the description lets a program serve and use. */
static void send_policy(const struct program *p)
{
    idl_kernel_transport t;
    idl_kernel_transport_init(&t, root_names);
    const struct sysdesc_program *d = p->desc;
    for (unsigned i = 0; i < d->nserves; i++) {
        idl_status_t st = names_v1_allow(&t.transport, p->loaded.pid, d->serves[i], true);
        if (st)
            printf("root: the name service refused '%s' for '%s' (status 0x%x)\n", d->serves[i],
                   d->name, st);
    }
    for (unsigned i = 0; i < d->nuses; i++)
        names_v1_allow(&t.transport, p->loaded.pid, d->uses[i], false);
}

static bool start(struct program *p)
{
    tsr_error_t err = loader_start(&p->loaded, p->desc->priority);
    if (err) {
        char why[64];
        snprintf(why, sizeof(why), "its thread could not start (error %d)", err);
        not_started(p, why);
        manager_reclaim(p);
        return false;
    }
    p->state = PROGRAM_STATE_RUNNING;
    printf("root: started %s (pid %u, priority %u, %u KiB)\n", p->desc->name, p->loaded.pid,
           p->desc->priority, p->desc->memory_kib);
    return true;
}

static bool serves(const struct program *p, const char *name)
{
    for (unsigned i = 0; i < p->desc->nserves; i++)
        if (strcmp(p->desc->serves[i], name) == 0)
            return true;
    return false;
}

int main(const struct tsr_bootinfo *bi)
{
    tsr_alloc_init(bi);
    loader_init();
    devices_init(bi);
    size_t size = (size_t)(boot_archive_end - boot_archive_start);
    printf("root: Tessera system, boot archive of %lu KiB\n", (unsigned long)(size >> 10));
    struct cpio_file file;
    int cerr = cpio_find(boot_archive_start, size, "system.dtb", &file);
    if (cerr != CPIO_OK) {
        printf("root: no system description (system.dtb) in the boot archive: %s\n",
               cpio_strerror(cerr));
        idle();
    }
    char error[SYSDESC_ERROR_MAX + 1];
    if (!sysdesc_parse(file.data, file.size, &description, error, sizeof(error))) {
        printf("root: the system description is unusable: %s\n", error);
        idle();
    }
    if (description.skipped)
        printf("root: the system description lists %u programs more than the %u a system may "
               "have; they are ignored\n", description.skipped, SYSDESC_MAX_PROGRAMS);
    if (tsr_alloc_object(TSR_OBJ_ENDPOINT, 0, &root_endpoint)) {
        printf("root: no memory for the system endpoint\n");
        idle();
    }
    root_program_count = description.count;

    /* 1. Build every valid program. */
    bool built[SYSDESC_MAX_PROGRAMS] = {0};
    struct program *names = 0;
    for (unsigned i = 0; i < description.count; i++) {
        struct program *p = &root_programs[i];
        p->desc = &description.programs[i];
        p->loaded.pid = i + 1;
        if (!p->desc->valid) {
            not_started(p, p->desc->error);
            continue;
        }
        built[i] = create(p, i + 1);
        if (built[i] && !names && serves(p, "names"))
            names = p;
    }
    /* 2. Connect them: the system endpoint, the name service, devices. */
    tsr_cptr_t names_ep = names ? names->loaded.endpoint : 0;
    if (names_ep) {
        root_names = tsr_alloc_slot();
        if (tsr_cnode_copy(TSR_INIT_CNODE, root_names, D, TSR_INIT_CNODE, names_ep, D,
                           TSR_RIGHT_WRITE | TSR_RIGHT_GRANT_REPLY))
            root_names = 0;
    } else {
        printf("root: no program serves \"names\": programs cannot find each other\n");
    }
    for (unsigned i = 0; i < description.count; i++) {
        if (built[i] && !connect(&root_programs[i], names_ep)) {
            built[i] = false;
            manager_reclaim(&root_programs[i]);
        }
    }
    /* 3. The name service first, then what each program may do, then the
     * others in description order. */
    if (names && built[names - root_programs] && start(names)) {
        for (unsigned i = 0; i < description.count; i++)
            if (built[i])
                send_policy(&root_programs[i]);
    }
    unsigned running = names && names->state == PROGRAM_STATE_RUNNING;
    for (unsigned i = 0; i < description.count; i++)
        if (built[i] && &root_programs[i] != names)
            running += start(&root_programs[i]);
    printf("root: %u of %u programs running\n", running, description.count);
    manager_run();
}
