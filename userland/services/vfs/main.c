/* SPDX-License-Identifier: MIT */
/* The file system service (docs/services.md, vfs.idl): the in-memory file
 * system of fs.c, serving every client on one endpoint; a client is its
 * badge (its pid), and its handles are its own. Versions 1 and 2 are served
 * by the same functions; version 2's bulk reads and writes use the region a
 * client shared once, mapped in its slice of BULK_WINDOW. The storage comes
 * from the program's own memory budget: argv[1] KiB of frames (default 256)
 * retyped from its untyped and mapped at STORAGE_VA, so `mem` shows what it
 * costs. */
#include <stdint.h>

#include "fs.h"
#include "system.h"
#include "tsr/invoke.h"
#include "tsr/runtime.h"
#include "tsr/service.h"
#include "tsr/stdio.h"
#include "tsr/sys.h"
#include "tsr/vm.h"

#define STORAGE_VA 0x30000000ull
#define BULK_WINDOW 0x40000000ull
#define BULK_SLICE 0x4000ull /* 16 KiB a client: tsr/files.h shares 4 pages */
#define DEFAULT_KIB 256

static struct fs fs;

/* When every open-file slot is taken, release those of clients that have
 * stopped: the root task's program table says who still runs. */
static void forget_stopped_clients(void)
{
    for (int i = 0; i < FS_MAX_OPEN; i++)
        if (!fs.open[i].used)
            return;
    idl_kernel_transport t;
    idl_kernel_transport_init(&t, TSR_PROG_SYSTEM);
    for (int i = 0; i < FS_MAX_OPEN; i++) {
        static program_status_t st;
        uint32_t count;
        uint64_t client = fs.open[i].client;
        if (fs.open[i].used && client > 0 &&
            system_v1_program(&t.transport, (uint32_t)client - 1, &st, &count) == IDL_OK &&
            st.state != PROGRAM_STATE_RUNNING)
            fs_forget_client(&fs, client);
    }
}

static idl_status_t op_open(void *self, const idl_caller *c, const char *path, uint32_t flags,
                            uint32_t *handle)
{
    (void)self;
    forget_stopped_clients();
    return fs_open(&fs, c->badge, path, flags, handle);
}

static idl_status_t op_read(void *self, const idl_caller *c, uint32_t handle, uint64_t offset,
                            uint32_t max, uint8_t data[VFS_CHUNK], size_t *data_len)
{
    (void)self;
    return fs_read(&fs, c->badge, handle, offset, data, max < VFS_CHUNK ? max : VFS_CHUNK,
                   data_len);
}

static idl_status_t op_write(void *self, const idl_caller *c, uint32_t handle, uint64_t offset,
                             const uint8_t *data, size_t data_len, uint32_t *written)
{
    (void)self;
    uint32_t st = fs_write(&fs, c->badge, handle, offset, data, data_len);
    if (st == FS_OK)
        *written = (uint32_t)data_len;
    return st;
}

static idl_status_t op_read_bulk(void *self, const idl_caller *c, uint32_t handle, uint64_t offset,
                                 uint8_t *data, size_t data_cap, size_t *data_len)
{
    (void)self;
    return fs_read(&fs, c->badge, handle, offset, data, data_cap, data_len);
}

static idl_status_t op_write_bulk(void *self, const idl_caller *c, uint32_t handle,
                                  uint64_t offset, const uint8_t *data, size_t data_len,
                                  uint32_t *written)
{
    (void)self;
    /* The region is shared: fs_write reads each byte once, into storage. */
    uint32_t st = fs_write(&fs, c->badge, handle, offset, data, data_len);
    if (st == FS_OK)
        *written = (uint32_t)data_len;
    return st;
}

static idl_status_t op_stat(void *self, const idl_caller *c, const char *path, vfs_stat_t *info)
{
    (void)self, (void)c;
    return fs_stat(&fs, path, info);
}

static idl_status_t op_list(void *self, const idl_caller *c, const char *path, uint32_t first,
                            vfs_entry_t entries[8], uint32_t *count, uint32_t *next)
{
    (void)self, (void)c;
    return fs_list(&fs, path, first, entries, 8, count, next);
}

static idl_status_t op_mkdir(void *self, const idl_caller *c, const char *path)
{
    (void)self, (void)c;
    return fs_mkdir(&fs, path);
}

static idl_status_t op_remove(void *self, const idl_caller *c, const char *path)
{
    (void)self, (void)c;
    return fs_remove(&fs, path);
}

static idl_status_t op_close(void *self, const idl_caller *c, uint32_t handle)
{
    (void)self;
    return fs_close(&fs, c->badge, handle);
}

static unsigned parse_kib(const char *s)
{
    unsigned v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (unsigned)(*s - '0');
    return v;
}

int main(int argc, char **argv)
{
    unsigned kib = argc > 1 ? parse_kib(argv[1]) : DEFAULT_KIB;
    unsigned pages = (kib + 3) / 4;

    for (unsigned i = 0; i < pages; i++) {
        tsr_cptr_t frame;
        tsr_error_t err = tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &frame);
        if (!err)
            err = tsr_vm_map(frame, TSR_PROG_VSPACE, STORAGE_VA + i * TSR_PAGE_SIZE,
                             TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0);
        if (err) {
            printf("vfs: no memory for %u KiB of storage (error %d after %u KiB)\n", kib, err,
                   i * 4);
            return 1;
        }
    }
    uint32_t nblocks = (uint32_t)((uint64_t)pages * TSR_PAGE_SIZE / (FS_BLOCK_SIZE + 2));
    fs_init(&fs, (void *)(uintptr_t)STORAGE_VA, nblocks);
    static const vfs_v1_ops ops = {.open = op_open, .read = op_read, .write = op_write,
                                   .stat = op_stat, .list = op_list, .mkdir = op_mkdir,
                                   .remove = op_remove, .close = op_close};
    static const vfs_v2_ops ops2 = {.open = op_open, .read = op_read, .write = op_write,
                                    .stat = op_stat, .list = op_list, .mkdir = op_mkdir,
                                    .remove = op_remove, .close = op_close,
                                    .read_bulk = op_read_bulk, .write_bulk = op_write_bulk};
    static const vfs_server server = {.self = 0, .v1 = &ops, .v2 = &ops2};
    /* Where clients' regions land, and where their frames are kept. */
    static idl_kernel_bulk_config bulk;
    bulk = (idl_kernel_bulk_config){BULK_WINDOW, BULK_SLICE, TSR_PROG_CNODE,
                                    tsr_alloc_slots(4 * IDL_KERNEL_BULK_CLIENTS), TSR_ROOT_DEPTH};
    if (!bulk.store_first ||
        tsr_vm_ensure_tables(TSR_PROG_VSPACE, BULK_WINDOW, BULK_SLICE * IDL_KERNEL_BULK_CLIENTS)) {
        printf("vfs: no room for bulk regions\n");
        return 1;
    }
    idl_binding binding = vfs_binding(&server);
    uint32_t vid;
    idl_status_t st = names_register("vfs", &vid);
    if (st != IDL_OK) {
        printf("vfs: cannot register: %s\n", names_status_text(st));
        return 1;
    }
    printf("vfs: ready, %u KiB in %u blocks of %u bytes\n", kib, nblocks, FS_BLOCK_SIZE);
    tsr_error_t err = idl_kernel_serve_bulk(TSR_PROG_ENDPOINT, TSR_PROG_REPLY, &binding, 1, NULL,
                                            &bulk, 0);
    printf("vfs: receive failed (error %d)\n", err);
    return 1;
}
