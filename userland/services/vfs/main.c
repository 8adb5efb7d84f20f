/* SPDX-License-Identifier: MIT */
/* The file system service (docs/services.md, vfs.idl): the in-memory file
 * system of fs.c, serving every client on one endpoint; a client is its
 * badge (its pid), and its handles are its own. Versions 1 to 3 are served
 * by the same functions; version 2's bulk reads and writes use the region a
 * client shared once, mapped in its slice of BULK_WINDOW; version 3 posts a
 * `changed` event to each subscriber's message queue after every change, and
 * keeps wait_exists callers waiting on reply objects of their own until an
 * open with create or a mkdir makes their path. The storage comes
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
#include "tsr/string.h"
#include "tsr/sys.h"
#include "tsr/vm.h"

#define STORAGE_VA 0x30000000ull
#define BULK_WINDOW 0x40000000ull
#define BULK_SLICE 0x4000ull /* 16 KiB a client: tsr/files.h shares 4 pages */
#define DEFAULT_KIB 256
#define D TSR_ROOT_DEPTH

static struct fs fs;

/* ---- version 3: subscribers and waiting callers ---------------------------------- */

#define SUBSCRIBERS 4
#define WAITERS 4          /* wait_exists calls that may wait (vfs.idl) */
#define EVENT_PATH_MAX 72  /* string<72> in vfs.idl's `changed` */

/* A subscriber's queue capability is kept in its own slot; a client has
 * one at most. */
static struct subscriber {
    bool used;
    uint64_t client;
    tsr_cptr_t slot;
    idl_event_sink sink;
} subscribers[SUBSCRIBERS];

static struct waiter {
    bool used;
    idl_reply_token token;
    char path[VFS_PATH_MAX + 1];
} waiters[WAITERS];

/* The length of a path without trailing slashes ("/a/" names "/a"). */
static size_t path_len(const char *p)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    return n;
}

static void unsubscribe(struct subscriber *s)
{
    tsr_cnode_delete(TSR_PROG_CNODE, s->slot, D);
    s->used = false;
}

/* Tell every subscriber; one whose queue is gone is dropped, one whose
 * queue is full loses this event (counted in its sink, told with the next). */
static void announce(vfs_change_t what, const char *path)
{
    static char short_path[EVENT_PATH_MAX + 1];
    size_t n = path_len(path);
    if (n > EVENT_PATH_MAX)
        n = 0; /* documented: too long for the event, sent empty */
    memcpy(short_path, path, n);
    short_path[n] = '\0';
    for (int i = 0; i < SUBSCRIBERS; i++) {
        struct subscriber *s = &subscribers[i];
        if (!s->used)
            continue;
        idl_status_t st = vfs_v3_emit_changed(&s->sink, what, short_path);
        if (st != IDL_OK && st != IDL_E_EVENT_LOST)
            unsubscribe(s);
    }
}

/* `path` exists now: answer whoever waits for it. A caller that has gone
 * away makes the reply fail; its entry is freed all the same. */
static void answer_waiters(const char *path)
{
    size_t n = path_len(path);
    for (int i = 0; i < WAITERS; i++) {
        struct waiter *w = &waiters[i];
        if (!w->used || path_len(w->path) != n || memcmp(w->path, path, n) != 0)
            continue;
        vfs_stat_t info;
        if (fs_stat(&fs, path, &info) == FS_OK)
            vfs_v3_wait_exists_reply(w->token, &info);
        else
            idl_reply_drop(w->token);
        w->used = false;
    }
}

/* A path was made: events, then the callers waiting for it. */
static void created(const char *path)
{
    announce(VFS_CHANGE_CREATED, path);
    answer_waiters(path);
}

static void written_by(const idl_caller *c, uint32_t handle)
{
    static char path[VFS_PATH_MAX + 1];
    if (fs_handle_path(&fs, c->badge, handle, path, sizeof(path)) == FS_OK)
        announce(VFS_CHANGE_WRITTEN, path);
}

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
    vfs_stat_t before;
    bool existed = fs_stat(&fs, path, &before) == FS_OK;
    uint32_t st = fs_open(&fs, c->badge, path, flags, handle);
    if (st == FS_OK && !existed)
        created(path);
    else if (st == FS_OK && (flags & VFS_OPEN_TRUNCATE))
        announce(VFS_CHANGE_WRITTEN, path);
    return st;
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
    if (st == FS_OK) {
        *written = (uint32_t)data_len;
        written_by(c, handle);
    }
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
    if (st == FS_OK) {
        *written = (uint32_t)data_len;
        written_by(c, handle);
    }
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
    uint32_t st = fs_mkdir(&fs, path);
    if (st == FS_OK)
        created(path);
    return st;
}

static idl_status_t op_remove(void *self, const idl_caller *c, const char *path)
{
    (void)self, (void)c;
    uint32_t st = fs_remove(&fs, path);
    if (st == FS_OK)
        announce(VFS_CHANGE_REMOVED, path);
    return st;
}

static idl_status_t op_close(void *self, const idl_caller *c, uint32_t handle)
{
    (void)self;
    return fs_close(&fs, c->badge, handle);
}

/* q arrived as cap<msg_queue, write>: the generated dispatcher refused
 * anything else with IDL_E_BAD_CAP before this runs. */
static idl_status_t op_subscribe(void *self, const idl_caller *c, idl_cap_t q)
{
    (void)self;
    struct subscriber *s = NULL;
    for (int i = 0; i < SUBSCRIBERS && !s; i++)
        if (subscribers[i].used && subscribers[i].client == c->badge)
            s = &subscribers[i]; /* a second queue replaces the first */
    for (int i = 0; i < SUBSCRIBERS && !s; i++)
        if (!subscribers[i].used)
            s = &subscribers[i];
    if (!s)
        return VFS_ERROR_NO_SPACE;
    if (s->used)
        unsubscribe(s);
    /* Keep it: whatever stays in the receive slots is deleted after dispatch. */
    tsr_error_t err = tsr_cnode_move(TSR_PROG_CNODE, s->slot, D, TSR_PROG_CNODE, q, D);
    if (err)
        return idl_status_from_tsr(err);
    idl_kernel_event_sink_init(&s->sink, s->slot);
    s->used = true;
    s->client = c->badge;
    return IDL_OK;
}

static idl_status_t op_wait_exists(void *self, const idl_caller *c, const char *path,
                                   idl_reply_token token)
{
    (void)self, (void)c;
    vfs_stat_t info;
    uint32_t st = fs_stat(&fs, path, &info);
    if (st == FS_OK) {
        vfs_v3_wait_exists_reply(token, &info);
        return IDL_DEFERRED; /* answered already */
    }
    if (st != VFS_ERROR_NOT_FOUND)
        return st; /* a path that can never appear as written */
    /* Entries of callers that went away are free (Reply Probe). The
     * runtime's table has WAITERS entries too and answers IDL_E_BUSY
     * before this op runs when all wait, so a free entry is found. */
    struct waiter *w = NULL;
    for (int i = 0; i < WAITERS && !w; i++) {
        if (waiters[i].used && !idl_reply_waiting(waiters[i].token))
            waiters[i].used = false;
        if (!waiters[i].used)
            w = &waiters[i];
    }
    if (!w)
        return idl_reply_fail(token, IDL_E_BUSY) == IDL_OK ? IDL_DEFERRED : IDL_E_BUSY;
    memcpy(w->path, path, strlen(path) + 1);
    w->token = token;
    w->used = true;
    return IDL_DEFERRED;
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
    static const vfs_v3_ops ops3 = {.open = op_open, .read = op_read, .write = op_write,
                                    .stat = op_stat, .list = op_list, .mkdir = op_mkdir,
                                    .remove = op_remove, .close = op_close,
                                    .read_bulk = op_read_bulk, .write_bulk = op_write_bulk,
                                    .subscribe = op_subscribe, .wait_exists = op_wait_exists};
    static const vfs_server server = {.self = 0, .v1 = &ops, .v2 = &ops2, .v3 = &ops3};
    /* Where clients' regions land, and where their frames are kept. */
    static idl_kernel_bulk_config bulk;
    bulk = (idl_kernel_bulk_config){BULK_WINDOW, BULK_SLICE, TSR_PROG_CNODE,
                                    tsr_alloc_slots(4 * IDL_KERNEL_BULK_CLIENTS), TSR_ROOT_DEPTH};
    if (!bulk.store_first ||
        tsr_vm_ensure_tables(TSR_PROG_VSPACE, BULK_WINDOW, BULK_SLICE * IDL_KERNEL_BULK_CLIENTS)) {
        printf("vfs: no room for bulk regions\n");
        return 1;
    }
    /* Version 3: slots for subscribers' queues, and a reply object for each
     * caller that may wait plus one to receive with. */
    tsr_cptr_t sub_first = tsr_alloc_slots(SUBSCRIBERS);
    /* Where capabilities arrive once every bulk client's store is taken. */
    static idl_kernel_cap_slots receive;
    receive = (idl_kernel_cap_slots){TSR_PROG_CNODE, tsr_alloc_slots(4), D, 4};
    static uint64_t replies[WAITERS + 1] = {TSR_PROG_REPLY};
    bool v3_ok = sub_first != 0 && receive.first != 0;
    for (int i = 0; v3_ok && i < SUBSCRIBERS; i++)
        subscribers[i].slot = sub_first + (tsr_cptr_t)i;
    for (int i = 1; v3_ok && i <= WAITERS; i++) {
        tsr_cptr_t r;
        v3_ok = tsr_alloc_object(TSR_OBJ_REPLY, 0, &r) == TSR_OK;
        replies[i] = r;
    }
    if (!v3_ok) {
        printf("vfs: no room for subscribers and waiting callers\n");
        return 1;
    }
    static idl_deferrals waiting;
    idl_kernel_defer_config defer = {replies, WAITERS + 1, &waiting, NULL, NULL};
    idl_binding binding = vfs_binding(&server);
    uint32_t vid;
    idl_status_t st = names_register("vfs", &vid);
    if (st != IDL_OK) {
        printf("vfs: cannot register: %s\n", names_status_text(st));
        return 1;
    }
    printf("vfs: ready, %u KiB in %u blocks of %u bytes\n", kib, nblocks, FS_BLOCK_SIZE);
    tsr_error_t err = idl_kernel_serve_bulk_deferred(TSR_PROG_ENDPOINT, &binding, 1, &receive, &bulk,
                                                     &defer, 0);
    printf("vfs: receive failed (error %d)\n", err);
    return 1;
}
