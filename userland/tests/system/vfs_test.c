/* SPDX-License-Identifier: MIT */
/* The file system service between programs (tests/system/vfs-test.dts):
 * every operation with good and bad inputs: bad handles (never, closed,
 * stale, another client's), over-long paths and names, reading past the
 * end, a full file system, wrong kinds of node, too many open files,
 * malformed requests, and both ways data travels (chunks, shared region);
 * version 3's change events, its typed queue capability and its deferred
 * wait_exists, answered when another client's op makes the path. The
 * service runs with 16 KiB of storage so filling it is quick. */
#include "tap.h"
#include "tsr/files.h"
#include "tsr/invoke.h"
#include "tsr/msgqueue.h"
#include "tsr/program.h"
#include "tsr/runtime.h"
#include "tsr/vm.h"

#define BIG 40000

static uint8_t buf[BIG];

static bool roundtrip(void)
{
    uint32_t h;
    CHECK_EQ(vfs_connect(), IDL_OK);
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), "/t"), IDL_OK);
    CHECK_EQ(vfs_open("/t/data", VFS_OPEN_CREATE, &h), IDL_OK);
    /* 3000 bytes: four chunks each way. */
    for (unsigned i = 0; i < 3000; i++)
        buf[i] = (uint8_t)(i * 7);
    CHECK_EQ(vfs_write(h, 0, buf, 3000), IDL_OK);
    static uint8_t back[3000];
    size_t got = 0;
    CHECK_EQ(vfs_read(h, 0, back, 3000, &got), IDL_OK);
    CHECK_EQ(got, 3000);
    CHECK(memcmp(buf, back, 3000) == 0);
    vfs_stat_t st;
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "/t/data", &st), IDL_OK);
    CHECK_EQ(st.kind, VFS_KIND_FILE);
    CHECK_EQ(st.size, 3000);
    vfs_entry_t e[8];
    uint32_t count, next;
    CHECK_EQ(vfs_v1_list(vfs_transport(), "/t", 0, e, &count, &next), IDL_OK);
    CHECK_EQ(count, 1);
    CHECK(strcmp(e[0].name, "data") == 0 && e[0].size == 3000);
    CHECK_EQ(e[1].kind, VFS_KIND_NONE);
    /* Listing from past the end, however far: nothing, not an error. */
    CHECK_EQ(vfs_v1_list(vfs_transport(), "/t", next, e, &count, &next), IDL_OK);
    CHECK_EQ(count, 0);
    CHECK_EQ(vfs_v1_list(vfs_transport(), "/t", 0xffffffffu, e, &count, &next), IDL_OK);
    CHECK_EQ(count, 0);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/t/data"), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/t"), IDL_OK);
    return true;
}

static bool bad_handles(void)
{
    uint32_t h, written;
    size_t n;
    uint8_t data[8];
    /* Never opened, and nonsense. */
    static const uint32_t never[] = {0, 1, 0x10001, 0xffff, 0xffffffff, 33, 0x7fff0021};
    for (unsigned i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
        CHECK_EQ(vfs_v1_read(vfs_transport(), never[i], 0, 8, data, &n), VFS_ERROR_BAD_HANDLE);
        CHECK_EQ(vfs_v1_write(vfs_transport(), never[i], 0, data, 1, &written),
                 VFS_ERROR_BAD_HANDLE);
        CHECK_EQ(vfs_close(never[i]), VFS_ERROR_BAD_HANDLE);
    }
    /* Closed, then its slot reused: the old handle stays dead. */
    CHECK_EQ(vfs_open("/h", VFS_OPEN_CREATE, &h), IDL_OK);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_close(h), VFS_ERROR_BAD_HANDLE);
    CHECK_EQ(vfs_v1_read(vfs_transport(), h, 0, 8, data, &n), VFS_ERROR_BAD_HANDLE);
    uint32_t h2;
    CHECK_EQ(vfs_open("/h", 0, &h2), IDL_OK);
    CHECK(h2 != h);
    CHECK_EQ(vfs_v1_read(vfs_transport(), h, 0, 8, data, &n), VFS_ERROR_BAD_HANDLE);
    /* The holder has a file open: no handle but our own works for us. */
    vfs_stat_t st;
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "/held", &st), IDL_OK);
    unsigned tried = 0;
    for (uint32_t gen = 0; gen < 4; gen++)
        for (uint32_t slot = 1; slot <= 32; slot++) {
            uint32_t guess = gen << 16 | slot;
            if (guess == h2)
                continue;
            CHECK_EQ(vfs_v1_read(vfs_transport(), guess, 0, 8, data, &n), VFS_ERROR_BAD_HANDLE);
            tried++;
        }
    CHECK_EQ(vfs_close(h2), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/h"), IDL_OK);
    /* The holder's file is open (by it): busy. */
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/held"), VFS_ERROR_BUSY);
    return tried == 127;
}

static bool long_paths(void)
{
    static char path[400];
    uint32_t h;
    vfs_stat_t st;
    /* 256 characters: longer than string<255>, refused before it is sent. */
    path[0] = '/';
    for (unsigned i = 1; i < 256; i++)
        path[i] = (i % 20 == 0) ? '/' : 'a';
    path[256] = '\0';
    CHECK_EQ(vfs_open(path, VFS_OPEN_CREATE, &h), IDL_E_ENCODE);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), path, &st), IDL_E_ENCODE);
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), path), IDL_E_ENCODE);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), path), IDL_E_ENCODE);
    vfs_entry_t e[8];
    uint32_t count, next;
    CHECK_EQ(vfs_v1_list(vfs_transport(), path, 0, e, &count, &next), IDL_E_ENCODE);
    /* 255 characters reach the service: the first directory is missing. */
    path[255] = '\0';
    CHECK_EQ(vfs_v1_stat(vfs_transport(), path, &st), VFS_ERROR_NOT_FOUND);
    /* A string that says it is longer than its bound: the dispatcher. */
    idl_msg m = {.label = IDL_LABEL(1, VFS_V1_STAT_ORDINAL, 0), .nwords = 4,
                 .words = {VFS_GUID_HI, VFS_GUID_LO, 300, 0x2f}};
    CHECK_EQ(idl_call(vfs_transport(), &m), IDL_E_BAD_VALUE);
    /* Components: 32 characters, empty, "." and "..", relative. */
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), "/abcdefghijklmnopqrstuvwxyz012345"),
             VFS_ERROR_NAME_TOO_LONG);
    CHECK_EQ(vfs_open("/abcdefghijklmnopqrstuvwxyz012345", VFS_OPEN_CREATE, &h),
             VFS_ERROR_NAME_TOO_LONG);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "//x", &st), VFS_ERROR_BAD_PATH);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "/a/../b", &st), VFS_ERROR_BAD_PATH);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "/.", &st), VFS_ERROR_BAD_PATH);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "relative", &st), VFS_ERROR_BAD_PATH);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "", &st), VFS_ERROR_BAD_PATH);
    return true;
}

static bool past_the_end(void)
{
    uint32_t h;
    size_t got = 1;
    uint8_t data[16];
    CHECK_EQ(vfs_open("/short", VFS_OPEN_CREATE | VFS_OPEN_TRUNCATE, &h), IDL_OK);
    CHECK_EQ(vfs_write(h, 0, "0123456789", 10), IDL_OK);
    CHECK_EQ(vfs_read(h, 10, data, 16, &got), IDL_OK);
    CHECK_EQ(got, 0);
    CHECK_EQ(vfs_read(h, 1000, data, 16, &got), IDL_OK);
    CHECK_EQ(got, 0);
    CHECK_EQ(vfs_read(h, ~0ull, data, 16, &got), IDL_OK);
    CHECK_EQ(got, 0);
    CHECK_EQ(vfs_read(h, 6, data, 16, &got), IDL_OK);
    CHECK_EQ(got, 4);
    CHECK(memcmp(data, "6789", 4) == 0);
    /* More than a chunk asked of the service: it sends a chunk at most. */
    size_t n = 0;
    static uint8_t chunk[768];
    CHECK_EQ(vfs_v1_read(vfs_transport(), h, 0, 100000, chunk, &n), IDL_OK);
    CHECK_EQ(n, 10);
    /* Writing may append, not leave a hole. */
    CHECK_EQ(vfs_write(h, 11, "x", 1), VFS_ERROR_BAD_OFFSET);
    CHECK_EQ(vfs_write(h, 10, "x", 1), IDL_OK);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/short"), IDL_OK);
    return true;
}

static bool full(void)
{
    uint32_t h;
    CHECK_EQ(vfs_open("/fill", VFS_OPEN_CREATE | VFS_OPEN_TRUNCATE, &h), IDL_OK);
    memset(buf, 'f', sizeof(buf));
    /* One file may not pass 32 KiB, whatever the space. */
    CHECK_EQ(vfs_write(h, 0, buf, VFS_FILE_MAX + 1), VFS_ERROR_TOO_LARGE);
    uint64_t at = 0;
    idl_status_t st;
    while ((st = vfs_write(h, at, buf, 512)) == IDL_OK)
        at += 512;
    CHECK_EQ(st, VFS_ERROR_NO_SPACE);
    printf("# the file system filled up at %lu bytes\n", (unsigned long)at);
    CHECK(at > 8192 && at < 16384);
    /* Nothing half written, and what is there reads back. */
    vfs_stat_t info;
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "/fill", &info), IDL_OK);
    CHECK_EQ(info.size, at);
    size_t got;
    static uint8_t back[16384];
    CHECK_EQ(vfs_read(h, 0, back, sizeof(back), &got), IDL_OK);
    CHECK_EQ(got, at);
    CHECK(back[0] == 'f' && back[at - 1] == 'f');
    /* No room for another file's data either; a new empty file still fits. */
    uint32_t h2;
    CHECK_EQ(vfs_open("/other", VFS_OPEN_CREATE, &h2), IDL_OK);
    CHECK_EQ(vfs_write(h2, 0, "x", 1), VFS_ERROR_NO_SPACE);
    CHECK_EQ(vfs_close(h2), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/other"), IDL_OK);
    /* Removing the file gives the space back. */
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/fill"), IDL_OK);
    CHECK_EQ(vfs_open("/fill", VFS_OPEN_CREATE, &h), IDL_OK);
    CHECK_EQ(vfs_write(h, 0, buf, 8192), IDL_OK);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/fill"), IDL_OK);
    /* The node table fills too. */
    unsigned made = 0;
    char name[16];
    for (;; made++) {
        snprintf(name, sizeof(name), "/d%u", made);
        st = vfs_v1_mkdir(vfs_transport(), name);
        if (st != IDL_OK)
            break;
    }
    CHECK_EQ(st, VFS_ERROR_NO_SPACE);
    CHECK(made > 100);
    for (unsigned i = 0; i < made; i++) {
        snprintf(name, sizeof(name), "/d%u", i);
        CHECK_EQ(vfs_v1_remove(vfs_transport(), name), IDL_OK);
    }
    return true;
}

static bool wrong_kinds(void)
{
    uint32_t h;
    vfs_stat_t st;
    vfs_entry_t e[8];
    uint32_t count, next;
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), "/k"), IDL_OK);
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), "/k"), VFS_ERROR_EXISTS);
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), "/"), VFS_ERROR_EXISTS);
    CHECK_EQ(vfs_open("/k", 0, &h), VFS_ERROR_IS_A_DIRECTORY);
    CHECK_EQ(vfs_open("/k/f", VFS_OPEN_CREATE, &h), IDL_OK);
    CHECK_EQ(vfs_open("/k/f", 8, &h), VFS_ERROR_BAD_FLAGS);
    CHECK_EQ(vfs_v1_list(vfs_transport(), "/k/f", 0, e, &count, &next), VFS_ERROR_NOT_A_DIRECTORY);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "/k/f/g", &st), VFS_ERROR_NOT_A_DIRECTORY);
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), "/k/f/g"), VFS_ERROR_NOT_A_DIRECTORY);
    CHECK_EQ(vfs_v1_stat(vfs_transport(), "/k/none", &st), VFS_ERROR_NOT_FOUND);
    CHECK_EQ(vfs_v1_mkdir(vfs_transport(), "/none/x"), VFS_ERROR_NOT_FOUND);
    CHECK_EQ(vfs_open("/none/x", VFS_OPEN_CREATE, &h), VFS_ERROR_NOT_FOUND);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/k/none"), VFS_ERROR_NOT_FOUND);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/k"), VFS_ERROR_NOT_EMPTY);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/k/f"), VFS_ERROR_BUSY);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/"), VFS_ERROR_BAD_PATH);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/k/f"), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/k"), IDL_OK);
    return true;
}

static bool too_many_open(void)
{
    uint32_t h[9];
    CHECK_EQ(vfs_open("/many", VFS_OPEN_CREATE, &h[0]), IDL_OK);
    for (unsigned i = 1; i < 8; i++)
        CHECK_EQ(vfs_open("/many", 0, &h[i]), IDL_OK);
    CHECK_EQ(vfs_open("/many", 0, &h[8]), VFS_ERROR_TOO_MANY_OPEN);
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(vfs_close(h[i]), IDL_OK);
    CHECK_EQ(vfs_open("/many", 0, &h[8]), IDL_OK);
    CHECK_EQ(vfs_close(h[8]), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/many"), IDL_OK);
    return true;
}

static bool malformed(void)
{
    /* read with a word missing, an unknown method, a one-way read. */
    idl_msg m = {.label = IDL_LABEL(1, VFS_V1_READ_ORDINAL, 0), .nwords = 4,
                 .words = {VFS_GUID_HI, VFS_GUID_LO, 1, 0}};
    CHECK_EQ(idl_call(vfs_transport(), &m), IDL_E_MALFORMED);
    m = (idl_msg){.label = IDL_LABEL(1, 42, 0), .nwords = 2, .words = {VFS_GUID_HI, VFS_GUID_LO}};
    CHECK_EQ(idl_call(vfs_transport(), &m), IDL_E_UNKNOWN_METHOD);
    m = (idl_msg){.label = IDL_LABEL(4, 1, 0), .nwords = 2, .words = {VFS_GUID_HI, VFS_GUID_LO}};
    CHECK_EQ(idl_call(vfs_transport(), &m), IDL_E_UNKNOWN_VERSION);
    /* Still serving, and saying what it serves. */
    uint16_t v = 0;
    CHECK_EQ(vfs_negotiate(vfs_transport(), &v), IDL_OK);
    CHECK_EQ(v, 3);
    return true;
}

/* Version 2 moves data through the region shared at connection; both paths
 * see the same files, and windows outside the region are refused. */
static bool bulk_path(void)
{
    CHECK(vfs_uses_bulk());
    uint32_t h;
    CHECK_EQ(vfs_open("/b", VFS_OPEN_CREATE | VFS_OPEN_TRUNCATE, &h), IDL_OK);
    for (unsigned i = 0; i < 10000; i++)
        buf[i] = (uint8_t)(i * 13 + 1);
    /* 10000 bytes in one bulk call; read back in 768-byte chunks (v1). */
    CHECK_EQ(vfs_write(h, 0, buf, 10000), IDL_OK);
    static uint8_t back[10000];
    size_t n, at = 0;
    while (at < 10000) {
        CHECK_EQ(vfs_v1_read(vfs_transport(), h, at, 768, back + at, &n), IDL_OK);
        CHECK(n > 0);
        at += n;
    }
    CHECK(memcmp(buf, back, 10000) == 0);
    /* Written in chunks, read in one bulk call. */
    uint32_t written;
    CHECK_EQ(vfs_v1_write(vfs_transport(), h, 10000, (const uint8_t *)"tail", 4, &written), IDL_OK);
    size_t got = 0;
    CHECK_EQ(vfs_read(h, 9998, back, 100, &got), IDL_OK);
    CHECK_EQ(got, 6);
    CHECK(memcmp(back + 2, "tail", 4) == 0);
    /* Windows outside our 16 KiB region. */
    idl_bulk out = {16384 - 10, 100};
    CHECK_EQ(vfs_v2_read_bulk(vfs_transport(), h, 0, &out), IDL_E_BAD_BULK);
    CHECK_EQ(vfs_v2_write_bulk(vfs_transport(), h, 0, (idl_bulk){~0ull, 1}, &written),
             IDL_E_BAD_BULK);
    /* An empty window reads nothing. */
    out = (idl_bulk){0, 0};
    CHECK_EQ(vfs_v2_read_bulk(vfs_transport(), h, 0, &out), IDL_OK);
    CHECK_EQ(out.length, 0);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v1_remove(vfs_transport(), "/b"), IDL_OK);
    return true;
}

/* ---- version 3 ------------------------------------------------------------------ */

#define D TSR_ROOT_DEPTH
#define EVENT_VA 0x5f000000ull

static struct {
    unsigned n;
    uint64_t lost;
    vfs_change_t what[32];
    char path[32][73];
} seen;

static void on_changed(void *self, uint64_t lost, vfs_change_t what, const char *path)
{
    (void)self;
    seen.lost += lost;
    if (seen.n < 32) {
        seen.what[seen.n] = what;
        memcpy(seen.path[seen.n], path, strlen(path) + 1);
    }
    seen.n++;
}

static const vfs_v3_events handlers = {on_changed};

/* Take every event in the queue; false if one is malformed. */
static bool take_all(struct tsr_msgq_view *v)
{
    idl_msg m;
    seen.n = 0;
    while (idl_kernel_event_take(v, &m))
        if (vfs_v3_event_dispatch(&handlers, NULL, &m) != IDL_OK)
            return false;
    return true;
}

static bool saw(unsigned i, vfs_change_t what, const char *path)
{
    return i < seen.n && seen.what[i] == what && strcmp(seen.path[i], path) == 0;
}

/* A typed capability refused before the op runs, change events for our own
 * changes and another client's, paths too long for an event, and a
 * subscriber that takes its queue back. */
static bool change_events(void)
{
    idl_transport *t = vfs_transport();
    tsr_cptr_t q, bell, read_only = tsr_alloc_slot();
    CHECK_EQ(tsr_alloc_object(TSR_OBJ_MSG_QUEUE, TSR_MSG_QUEUE_MIN_BITS, &q), TSR_OK);
    CHECK_EQ(tsr_alloc_object(TSR_OBJ_NOTIFICATION, 0, &bell), TSR_OK);
    CHECK(read_only != 0);
    CHECK_EQ(tsr_cnode_mint(TSR_PROG_CNODE, read_only, D, TSR_PROG_CNODE, q, D, TSR_RIGHT_READ, 0),
             TSR_OK);
    /* cap<msg_queue, write>: another kind, and the right kind without write,
     * are refused by the generated dispatcher with the documented error. */
    CHECK_EQ(vfs_v3_subscribe(t, bell), IDL_E_BAD_CAP);
    CHECK_EQ(vfs_v3_subscribe(t, read_only), IDL_E_BAD_CAP);

    CHECK_EQ(tsr_vm_ensure_tables(TSR_PROG_VSPACE, EVENT_VA, 1ull << TSR_MSG_QUEUE_MIN_BITS),
             TSR_OK);
    CHECK_EQ(tsr_msgq_map(q, TSR_PROG_VSPACE, EVENT_VA), TSR_OK);
    struct tsr_msgq_view v;
    tsr_msgq_view_init(&v, (void *)(uintptr_t)EVENT_VA);
    CHECK_EQ(vfs_v3_subscribe(t, q), IDL_OK);
    CHECK(take_all(&v));
    CHECK_EQ(seen.n, 0);

    /* Our own changes, one event each; failed ops tell nobody. */
    uint32_t h;
    CHECK_EQ(vfs_open("/e", VFS_OPEN_CREATE, &h), IDL_OK);
    CHECK_EQ(vfs_write(h, 0, "abc", 3), IDL_OK);
    CHECK_EQ(vfs_write(h, 9, "abc", 3), VFS_ERROR_BAD_OFFSET);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v1_mkdir(t, "/e.d/"), IDL_OK);
    CHECK_EQ(vfs_v1_mkdir(t, "/e.d"), VFS_ERROR_EXISTS);
    CHECK_EQ(vfs_v1_remove(t, "/e.d"), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, "/e.d"), VFS_ERROR_NOT_FOUND);
    CHECK(take_all(&v));
    CHECK_EQ(seen.n, 4);
    CHECK(saw(0, VFS_CHANGE_CREATED, "/e") && saw(1, VFS_CHANGE_WRITTEN, "/e"));
    CHECK(saw(2, VFS_CHANGE_CREATED, "/e.d") && saw(3, VFS_CHANGE_REMOVED, "/e.d"));
    CHECK_EQ(seen.lost, 0);

    /* Paths of 72 characters fit an event; longer ones come empty. */
    static const char a[] = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";               /* 31 */
    static const char ab[] = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"; /* 63 */
    static const char ab8[] = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccc";
    static const char ab9[] = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/ccccccccc";
    CHECK_EQ(strlen(ab8), 72);
    CHECK_EQ(vfs_v1_mkdir(t, a), IDL_OK);
    CHECK_EQ(vfs_v1_mkdir(t, ab), IDL_OK);
    CHECK_EQ(vfs_v1_mkdir(t, ab8), IDL_OK);
    CHECK_EQ(vfs_v1_mkdir(t, ab9), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, ab9), IDL_OK);
    CHECK(take_all(&v));
    CHECK_EQ(seen.n, 5);
    CHECK(saw(1, VFS_CHANGE_CREATED, ab) && saw(2, VFS_CHANGE_CREATED, ab8));
    CHECK(saw(3, VFS_CHANGE_CREATED, "") && saw(4, VFS_CHANGE_REMOVED, ""));
    CHECK_EQ(vfs_v1_remove(t, ab8), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, ab), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, a), IDL_OK);

    /* wait_exists: a path that exists is answered at once, one that can
     * never exist as written is refused at once. */
    vfs_stat_t info;
    CHECK_EQ(vfs_v3_wait_exists(t, "/e", &info), IDL_OK);
    CHECK(info.kind == VFS_KIND_FILE && info.size == 3);
    CHECK_EQ(vfs_v3_wait_exists(t, "relative", &info), VFS_ERROR_BAD_PATH);
    CHECK_EQ(vfs_v3_wait_exists(t, "/e/under-a-file", &info), VFS_ERROR_NOT_A_DIRECTORY);
    CHECK_EQ(vfs_v3_wait_exists(t, "/abcdefghijklmnopqrstuvwxyz012345", &info),
             VFS_ERROR_NAME_TOO_LONG);

    /* The holder waits for /go (deferred since it started) and has not
     * written /seen; making /go answers it, and it writes /seen, which we
     * wait for in turn. Its changes reach our queue too. */
    CHECK_EQ(vfs_v1_stat(t, "/seen", &info), VFS_ERROR_NOT_FOUND);
    CHECK(take_all(&v));
    CHECK_EQ(vfs_open("/go", VFS_OPEN_CREATE, &h), IDL_OK);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK_EQ(vfs_v3_wait_exists(t, "/seen", &info), IDL_OK);
    CHECK_EQ(info.kind, VFS_KIND_FILE);
    uint8_t text[16];
    size_t got = 0;
    CHECK_EQ(vfs_open("/seen", 0, &h), IDL_OK);
    CHECK_EQ(vfs_read(h, 0, text, sizeof(text), &got), IDL_OK);
    CHECK(got == 7 && memcmp(text, "saw /go", 7) == 0);
    CHECK_EQ(vfs_close(h), IDL_OK);
    CHECK(take_all(&v));
    CHECK_EQ(seen.n, 3);
    CHECK(saw(0, VFS_CHANGE_CREATED, "/go") && saw(1, VFS_CHANGE_CREATED, "/seen") &&
          saw(2, VFS_CHANGE_WRITTEN, "/seen"));
    CHECK_EQ(vfs_v1_remove(t, "/seen"), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, "/go"), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, "/e"), IDL_OK);
    CHECK(take_all(&v));
    CHECK_EQ(seen.n, 3);

    /* A queue too small for a burst loses events, counted on the next. */
    uint32_t cap = tsr_msgq_capacity(TSR_MSG_QUEUE_MIN_BITS);
    for (uint32_t i = 0; i < cap + 5; i++) {
        CHECK_EQ(vfs_v1_mkdir(t, "/burst"), IDL_OK);
        CHECK_EQ(vfs_v1_remove(t, "/burst"), IDL_OK);
    }
    CHECK(take_all(&v));
    CHECK_EQ(seen.n, cap);
    CHECK_EQ(vfs_v1_mkdir(t, "/burst"), IDL_OK);
    CHECK(take_all(&v));
    CHECK_EQ(seen.n, 1);
    CHECK_EQ(seen.lost, 2 * (cap + 5) - cap);
    CHECK(saw(0, VFS_CHANGE_CREATED, "/burst"));
    CHECK_EQ(vfs_v1_remove(t, "/burst"), IDL_OK);

    /* The subscriber takes its queue back: the service drops it at the next
     * change and serves on; a new queue subscribes again. */
    CHECK_EQ(tsr_cnode_revoke(TSR_PROG_CNODE, q, D), TSR_OK);
    CHECK_EQ(vfs_v1_mkdir(t, "/after"), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, "/after"), IDL_OK);
    CHECK_EQ(vfs_v1_stat(t, "/", &info), IDL_OK);
    CHECK_EQ(tsr_msgq_unmap(q), TSR_OK);
    return true;
}

/* Four threads of ours wait for a path; a fifth call is refused while all
 * four wait; one dies, and its entry serves the next call; making the path
 * answers the other three. */
#define WAITER_STACKS 0x5e000000ull
#define NOT_YET 0xdeadu
static volatile idl_status_t waiter_st[4];
static volatile bool waiter_called[4];
static uint64_t vfs_endpoint;

static void waiter(uint64_t i)
{
    idl_kernel_transport kt;
    idl_kernel_transport_init(&kt, vfs_endpoint);
    vfs_stat_t info;
    waiter_called[i] = true;
    waiter_st[i] = vfs_v3_wait_exists(&kt.transport, "/later", &info);
}

static bool waiting_callers(void)
{
    idl_transport *t = vfs_transport();
    vfs_endpoint = ((idl_kernel_transport *)(void *)t)->endpoint;
    CHECK_EQ(tsr_vm_ensure_tables(TSR_PROG_VSPACE, WAITER_STACKS, 4 * 0x10000), TSR_OK);
    struct tsr_thread th[4];
    for (unsigned i = 0; i < 4; i++) {
        waiter_st[i] = NOT_YET;
        CHECK_EQ(tsr_thread_create(&th[i], TSR_PROG_CNODE, TSR_PROG_VSPACE,
                                   WAITER_STACKS + i * 0x10000, 100, waiter, i),
                 TSR_OK);
        CHECK_EQ(tsr_thread_start(&th[i]), TSR_OK);
        for (unsigned spins = 0; spins < 1000 && !waiter_called[i]; spins++)
            tsr_yield();
        CHECK(waiter_called[i]);
    }
    /* The service is higher priority: each call is kept by now. */
    vfs_stat_t info;
    CHECK_EQ(vfs_v3_wait_exists(t, "/", &info), IDL_E_BUSY);
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(waiter_st[i], NOT_YET);
    /* A caller that goes away: Reply Probe tells the service. */
    CHECK_EQ(tsr_cnode_delete(TSR_PROG_CNODE, th[3].tcb, D), TSR_OK);
    CHECK_EQ(vfs_v3_wait_exists(t, "/", &info), IDL_OK);
    CHECK_EQ(info.kind, VFS_KIND_DIRECTORY);
    CHECK_EQ(vfs_v1_mkdir(t, "/later"), IDL_OK);
    for (unsigned i = 0; i < 3; i++) {
        for (unsigned spins = 0; spins < 1000 && waiter_st[i] == NOT_YET; spins++)
            tsr_yield();
        CHECK_EQ(waiter_st[i], IDL_OK);
    }
    CHECK_EQ(waiter_st[3], NOT_YET);
    /* Every entry is free again. */
    CHECK_EQ(vfs_v3_wait_exists(t, "/later", &info), IDL_OK);
    CHECK_EQ(vfs_v1_remove(t, "/later"), IDL_OK);
    return true;
}

static const struct systest tests[] = {
    {"VFS0001", "mkdir, open, write and read in chunks, stat, list, close, remove", roundtrip},
    {"VFS0002", "bad handles: never opened, closed, stale, another client's", bad_handles},
    {"VFS0003", "over-long paths and names, empty, '.', '..' and relative paths", long_paths},
    {"VFS0004", "reading at and past the end, appending only", past_the_end},
    {"VFS0005", "a full file system: no half writes, space back on remove, nodes full",
     full},
    {"VFS0006", "directories and files in each other's place, missing paths, busy files",
     wrong_kinds},
    {"VFS0007", "eight open files a client", too_many_open},
    {"VFS0008", "malformed requests answered with protocol errors", malformed},
    {"VFS0009", "version 2: data through the shared region, the same files as by chunks",
     bulk_path},
    {"VFS0010", "version 3: change events, cap<msg_queue, write> refused with IDL_E_BAD_CAP, "
                "wait_exists answered when another client's op makes the path",
     change_events},
    {"VFS0011", "version 3: four wait_exists callers, a fifth refused, a dead one noticed",
     waiting_callers},
    {0, 0, 0},
};

int main(void)
{
    printf("systest: file system tests\n");
    tap_run(tests);
    tap_finish();
}
