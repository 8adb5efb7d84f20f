/* SPDX-License-Identifier: MIT */
/* The shell's file commands over the file system service (tsr/files.h):
 * ls, cat, echo > FILE, mkdir, rm. Paths are absolute; a relative one is
 * taken from the root. */
#include "shell.h"
#include "tsr/string.h"
#include "tsr/files.h"
#include "tsr/service.h"

static bool have_vfs(const char *cmd)
{
    idl_status_t st = vfs_connect();
    if (st != IDL_OK)
        printf("%s: no file system: %s\n", cmd, names_status_text(st));
    return st == IDL_OK;
}

/* "name" -> "/name": the shell has no working directory. */
static const char *absolute(const char *path, char *buf, size_t size)
{
    if (path[0] == '/')
        return path;
    size_t n = strlen(path);
    if (n + 2 > size)
        return path; /* too long: let the service say so */
    buf[0] = '/';
    memcpy(buf + 1, path, n + 1);
    return buf;
}

static int fail(const char *cmd, const char *path, idl_status_t st)
{
    printf("%s: %s: %s\n", cmd, path, vfs_status_text(st));
    return 1;
}

int shell_write_file(const char *path, const char *text, bool newline)
{
    char buf[300];
    if (!have_vfs("echo"))
        return 1;
    path = absolute(path, buf, sizeof(buf));
    uint32_t h;
    idl_status_t st = vfs_open(path, VFS_OPEN_CREATE | VFS_OPEN_TRUNCATE, &h);
    if (st != IDL_OK)
        return fail("echo", path, st);
    size_t n = strlen(text);
    st = vfs_write(h, 0, text, n);
    if (st == IDL_OK && newline)
        st = vfs_write(h, n, "\n", 1);
    vfs_close(h);
    return st == IDL_OK ? 0 : fail("echo", path, st);
}

int cmd_ls(int argc, char **argv)
{
    char buf[300];
    if (!have_vfs("ls"))
        return 1;
    const char *path = argc > 1 ? absolute(argv[1], buf, sizeof(buf)) : "/";
    vfs_stat_t info;
    idl_status_t st = vfs_v1_stat(vfs_transport(), path, &info);
    if (st != IDL_OK)
        return fail("ls", path, st);
    if (info.kind == VFS_KIND_FILE) {
        printf("%8lu  %s\n", (unsigned long)info.size, path);
        return 0;
    }
    uint32_t first = 0, count, next;
    static vfs_entry_t entries[8];
    do {
        st = vfs_v1_list(vfs_transport(), path, first, entries, &count, &next);
        if (st != IDL_OK)
            return fail("ls", path, st);
        for (uint32_t i = 0; i < count; i++) {
            if (entries[i].kind == VFS_KIND_DIRECTORY)
                printf("%8s  %s/\n", "dir", entries[i].name);
            else
                printf("%8lu  %s\n", (unsigned long)entries[i].size, entries[i].name);
        }
        first = next;
    } while (count);
    return 0;
}

int cmd_cat(int argc, char **argv)
{
    char buf[300];
    if (argc != 2) {
        printf("cat: usage: cat FILE\n");
        return 1;
    }
    if (!have_vfs("cat"))
        return 1;
    const char *path = absolute(argv[1], buf, sizeof(buf));
    uint32_t h;
    idl_status_t st = vfs_open(path, 0, &h);
    if (st != IDL_OK)
        return fail("cat", path, st);
    static char data[1024];
    uint64_t at = 0;
    size_t got;
    do {
        st = vfs_read(h, at, data, sizeof(data), &got);
        if (st != IDL_OK)
            break;
        console_print(data, got);
        at += got;
    } while (got == sizeof(data));
    vfs_close(h);
    return st == IDL_OK ? 0 : fail("cat", path, st);
}

int cmd_mkdir(int argc, char **argv)
{
    char buf[300];
    if (argc != 2) {
        printf("mkdir: usage: mkdir DIR\n");
        return 1;
    }
    if (!have_vfs("mkdir"))
        return 1;
    const char *path = absolute(argv[1], buf, sizeof(buf));
    idl_status_t st = vfs_v1_mkdir(vfs_transport(), path);
    return st == IDL_OK ? 0 : fail("mkdir", path, st);
}

int cmd_rm(int argc, char **argv)
{
    char buf[300];
    if (argc != 2) {
        printf("rm: usage: rm PATH\n");
        return 1;
    }
    if (!have_vfs("rm"))
        return 1;
    const char *path = absolute(argv[1], buf, sizeof(buf));
    idl_status_t st = vfs_v1_remove(vfs_transport(), path);
    return st == IDL_OK ? 0 : fail("rm", path, st);
}
