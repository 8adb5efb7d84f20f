/* SPDX-License-Identifier: MIT */
/* The in-memory file system (userland/services/vfs/fs.c) on the host, and
 * through its generated dispatcher over the loopback transport: every
 * operation, every error in its documented order, handles that belong to
 * their client, reads past the end, a full file system, and the tree after
 * every error as it was before, the path behind a handle. VFSH0001-0011. */
#include <stdlib.h>
#include <string.h>

#include <idl/loopback.h>

#include "check.h"
#include "fs.h"

int check_failures;

static struct fs fs;

static uint32_t create(const char *path, const char *text)
{
    uint32_t h;
    uint32_t st = fs_open(&fs, 1, path, VFS_OPEN_CREATE | VFS_OPEN_TRUNCATE, &h);
    if (st)
        return st;
    st = fs_write(&fs, 1, h, 0, (const uint8_t *)text, strlen(text));
    fs_close(&fs, 1, h);
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

int main(void)
{
    uint32_t nblocks = 16;
    void *storage = malloc(fs_storage_size(nblocks));
    fs_init(&fs, storage, nblocks);
    uint32_t h, h2;
    size_t got;
    uint8_t buf[2048];
    vfs_stat_t st;

    /* VFSH0001: the root, files, directories, stat and list. */
    CHECK(fs_stat(&fs, "/", &st) == FS_OK && st.kind == VFS_KIND_DIRECTORY && st.size == 0);
    CHECK(fs_mkdir(&fs, "/docs") == FS_OK);
    CHECK(fs_mkdir(&fs, "/docs/") == VFS_ERROR_EXISTS);
    CHECK(create("/docs/a.txt", "hello") == FS_OK);
    CHECK(fs_stat(&fs, "/docs/a.txt", &st) == FS_OK && st.kind == VFS_KIND_FILE && st.size == 5);
    CHECK(fs_stat(&fs, "/docs", &st) == FS_OK && st.size == 1);
    vfs_entry_t e[8];
    uint32_t count, next;
    CHECK(fs_list(&fs, "/docs", 0, e, 8, &count, &next) == FS_OK && count == 1 &&
          strcmp(e[0].name, "a.txt") == 0 && e[0].size == 5);
    CHECK(fs_list(&fs, "/docs", next, e, 8, &count, &next) == FS_OK && count == 0);

    /* VFSH0002: paths: relative, empty, "." and "..", too long a name. */
    CHECK(fs_stat(&fs, "docs", &st) == VFS_ERROR_BAD_PATH);
    CHECK(fs_stat(&fs, "", &st) == VFS_ERROR_BAD_PATH);
    CHECK(fs_stat(&fs, "//docs", &st) == VFS_ERROR_BAD_PATH);
    CHECK(fs_stat(&fs, "/docs/../docs", &st) == VFS_ERROR_BAD_PATH);
    CHECK(fs_stat(&fs, "/./docs", &st) == VFS_ERROR_BAD_PATH);
    CHECK(fs_mkdir(&fs, "/abcdefghijklmnopqrstuvwxyz012345") == VFS_ERROR_NAME_TOO_LONG);
    CHECK(fs_mkdir(&fs, "/abcdefghijklmnopqrstuvwxyz01234") == FS_OK);
    /* Syntax before the tree: a bad path below a missing directory. */
    CHECK(fs_stat(&fs, "/nothing/../x", &st) == VFS_ERROR_BAD_PATH);
    CHECK(fs_stat(&fs, "/nothing/x", &st) == VFS_ERROR_NOT_FOUND);
    CHECK(fs_stat(&fs, "/docs/a.txt/x", &st) == VFS_ERROR_NOT_A_DIRECTORY);
    CHECK(fs_list(&fs, "/docs/a.txt", 0, e, 8, &count, &next) == VFS_ERROR_NOT_A_DIRECTORY);

    /* VFSH0003: open: flags, directories, missing files. */
    CHECK(fs_open(&fs, 1, "/docs", 0, &h) == VFS_ERROR_IS_A_DIRECTORY);
    CHECK(fs_open(&fs, 1, "/", 0, &h) == VFS_ERROR_IS_A_DIRECTORY);
    CHECK(fs_open(&fs, 1, "/docs/b.txt", 0, &h) == VFS_ERROR_NOT_FOUND);
    CHECK(fs_open(&fs, 1, "/docs/a.txt", 4, &h) == VFS_ERROR_BAD_FLAGS);
    CHECK(fs_open(&fs, 1, "/none/b.txt", VFS_OPEN_CREATE, &h) == VFS_ERROR_NOT_FOUND);

    /* VFSH0004: reads, and reading past the end. */
    CHECK(fs_open(&fs, 1, "/docs/a.txt", 0, &h) == FS_OK);
    CHECK(fs_read(&fs, 1, h, 0, buf, sizeof(buf), &got) == FS_OK && got == 5 &&
          memcmp(buf, "hello", 5) == 0);
    CHECK(fs_read(&fs, 1, h, 3, buf, 1, &got) == FS_OK && got == 1 && buf[0] == 'l');
    CHECK(fs_read(&fs, 1, h, 5, buf, 10, &got) == FS_OK && got == 0);
    CHECK(fs_read(&fs, 1, h, 1ull << 40, buf, 10, &got) == FS_OK && got == 0);

    /* VFSH0005: handles belong to their client and die with close. */
    CHECK(fs_read(&fs, 2, h, 0, buf, 10, &got) == VFS_ERROR_BAD_HANDLE);
    CHECK(fs_close(&fs, 2, h) == VFS_ERROR_BAD_HANDLE);
    CHECK(fs_read(&fs, 1, 0, 0, buf, 10, &got) == VFS_ERROR_BAD_HANDLE);
    CHECK(fs_read(&fs, 1, 0xffffffffu, 0, buf, 10, &got) == VFS_ERROR_BAD_HANDLE);
    CHECK(fs_read(&fs, 1, h + 1, 0, buf, 10, &got) == VFS_ERROR_BAD_HANDLE);
    CHECK(fs_close(&fs, 1, h) == FS_OK);
    CHECK(fs_close(&fs, 1, h) == VFS_ERROR_BAD_HANDLE);
    /* The slot is reused, but the old handle's generation is stale. */
    CHECK(fs_open(&fs, 1, "/docs/a.txt", 0, &h2) == FS_OK && h2 != h);
    CHECK(fs_read(&fs, 1, h, 0, buf, 10, &got) == VFS_ERROR_BAD_HANDLE);

    /* VFSH0006: writes: past the end, too large, all or nothing. */
    CHECK(fs_write(&fs, 1, h2, 6, (const uint8_t *)"x", 1) == VFS_ERROR_BAD_OFFSET);
    CHECK(fs_write(&fs, 1, h2, 5, (const uint8_t *)" world", 6) == FS_OK);
    CHECK(fs_stat(&fs, "/docs/a.txt", &st) == FS_OK && st.size == 11);
    CHECK(fs_write(&fs, 1, h2, 0, buf, VFS_FILE_MAX + 1) == VFS_ERROR_TOO_LARGE);
    CHECK(fs_write(&fs, 1, h2, VFS_FILE_MAX, buf, 1) == VFS_ERROR_BAD_OFFSET);
    CHECK(fs_write(&fs, 2, h2, 0, buf, 1) == VFS_ERROR_BAD_HANDLE);

    /* VFSH0007: remove: busy while open, not empty, the root. */
    CHECK(fs_remove(&fs, "/docs/a.txt") == VFS_ERROR_BUSY);
    CHECK(fs_remove(&fs, "/docs") == VFS_ERROR_NOT_EMPTY);
    CHECK(fs_remove(&fs, "/") == VFS_ERROR_BAD_PATH);
    CHECK(fs_remove(&fs, "/docs/zzz") == VFS_ERROR_NOT_FOUND);
    CHECK(fs_close(&fs, 1, h2) == FS_OK);
    CHECK(fs_remove(&fs, "/docs/a.txt") == FS_OK);
    CHECK(fs_remove(&fs, "/docs") == FS_OK);
    CHECK(fs_stat(&fs, "/docs", &st) == VFS_ERROR_NOT_FOUND);

    /* VFSH0008: a full file system: the write that does not fit changes
     * nothing, space comes back with remove. */
    memset(buf, 'z', sizeof(buf));
    CHECK(fs_open(&fs, 1, "/big", VFS_OPEN_CREATE, &h) == FS_OK);
    uint64_t at = 0;
    uint32_t r;
    while ((r = fs_write(&fs, 1, h, at, buf, 1000)) == FS_OK)
        at += 1000;
    CHECK(r == VFS_ERROR_NO_SPACE);
    CHECK(at == 8000); /* 16 blocks of 512: 8 writes of 1000 fit, the ninth needs more */
    CHECK(fs_stat(&fs, "/big", &st) == FS_OK && st.size == at);
    CHECK(fs.free_blocks == 0);
    /* The last block has room for 192 bytes more, then nothing. */
    CHECK(fs_write(&fs, 1, h, at, buf, 192) == FS_OK);
    CHECK(fs_write(&fs, 1, h, 8192, buf, 1) == VFS_ERROR_NO_SPACE);
    CHECK(fs_stat(&fs, "/big", &st) == FS_OK && st.size == 8192);
    CHECK(fs_close(&fs, 1, h) == FS_OK);
    CHECK(fs_remove(&fs, "/big") == FS_OK);
    CHECK(fs.free_blocks == nblocks);

    /* VFSH0009: too many open files for one client, not for another; a
     * client that went away gives its handles back. */
    CHECK(create("/f", "1") == FS_OK);
    for (int i = 0; i < FS_OPEN_PER_CLIENT; i++)
        CHECK(fs_open(&fs, 7, "/f", 0, &h) == FS_OK);
    CHECK(fs_open(&fs, 7, "/f", 0, &h) == VFS_ERROR_TOO_MANY_OPEN);
    CHECK(fs_open(&fs, 8, "/f", 0, &h) == FS_OK);
    CHECK(fs_remove(&fs, "/f") == VFS_ERROR_BUSY);
    fs_forget_client(&fs, 7);
    CHECK(fs_close(&fs, 8, h) == FS_OK);
    CHECK(fs_remove(&fs, "/f") == FS_OK);

    /* VFSH0010: through the generated dispatcher (stat and list replies). */
    static const vfs_v1_ops ops = {.stat = op_stat, .list = op_list};
    vfs_server server = {NULL, &ops, NULL, NULL};
    idl_binding b = vfs_binding(&server);
    idl_loopback lb;
    idl_loopback_init(&lb, &b, 1, 5, NULL, 0);
    CHECK(fs_mkdir(&fs, "/d") == FS_OK);
    CHECK(vfs_v1_stat(&lb.transport, "/", &st) == IDL_OK && st.kind == VFS_KIND_DIRECTORY);
    CHECK(vfs_v1_stat(&lb.transport, "/d", &st) == IDL_OK && st.size == 0);
    idl_status_t ls = vfs_v1_list(&lb.transport, "/", 0, e, &count, &next);
    CHECK(ls == IDL_OK && count == 2);
    if (ls != IDL_OK)
        fprintf(stderr, "list: 0x%x\n", ls);
    CHECK(vfs_v1_stat(&lb.transport, "relative", &st) == VFS_ERROR_BAD_PATH);

    /* VFSH0011: the path behind a handle (version 3's change events), only
     * for its client, and refused when it does not fit. */
    char path[32];
    CHECK(fs_mkdir(&fs, "/d/e") == FS_OK);
    CHECK(fs_open(&fs, 3, "/d/e/file", VFS_OPEN_CREATE, &h) == FS_OK);
    CHECK(fs_handle_path(&fs, 3, h, path, sizeof(path)) == FS_OK && strcmp(path, "/d/e/file") == 0);
    CHECK(fs_handle_path(&fs, 3, h, path, 10) == FS_OK && strcmp(path, "/d/e/file") == 0);
    CHECK(fs_handle_path(&fs, 3, h, path, 9) == VFS_ERROR_NAME_TOO_LONG);
    CHECK(fs_handle_path(&fs, 4, h, path, sizeof(path)) == VFS_ERROR_BAD_HANDLE);
    CHECK(fs_close(&fs, 3, h) == FS_OK);
    CHECK(fs_handle_path(&fs, 3, h, path, sizeof(path)) == VFS_ERROR_BAD_HANDLE);
    free(storage);
    printf("vfs: %s\n", check_failures ? "FAILED" : "ok");
    return check_failures != 0;
}
