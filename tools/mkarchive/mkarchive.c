/* SPDX-License-Identifier: MIT */
/* mkarchive: pack files into the boot archive the root task reads, in the
 * cpio "newc" format (docs/programs.md, "The boot archive").
 *
 *   mkarchive -o OUT NAME=FILE...
 *
 * Each NAME=FILE becomes one regular-file entry called NAME holding FILE's
 * bytes, in the order given, then the "TRAILER!!!" entry. The output is
 * deterministic: every time stamp, owner and device number is zero and the
 * inode numbers count from 1, so the same inputs give the same bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEWC_MAGIC "070701"
#define NEWC_HEADER_SIZE 110
#define MODE_REGULAR 0100644u
/* Names longer than this are refused: the root task's reader has the same
 * limit (tsr/cpio.h), so a name it could not look up is caught here. */
#define NAME_MAX_LEN 63

static long written;

static void put(FILE *out, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, out) != n) {
        perror("mkarchive: write");
        exit(1);
    }
    written += (long)n;
}

static void pad4(FILE *out)
{
    static const char zeros[4];
    put(out, zeros, (size_t)((4 - written % 4) % 4));
}

static void entry(FILE *out, unsigned ino, unsigned mode, const char *name, const void *data,
                  size_t size)
{
    char header[NEWC_HEADER_SIZE + 1];
    size_t namesize = strlen(name) + 1;
    /* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
     * rdevmajor, rdevminor, namesize, check: all but the magic 8 hex digits. */
    snprintf(header, sizeof(header), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             NEWC_MAGIC, ino, mode, 0u, 0u, mode ? 1u : 0u, 0u, (unsigned)size, 0u, 0u, 0u, 0u,
             (unsigned)namesize, 0u);
    put(out, header, NEWC_HEADER_SIZE);
    put(out, name, namesize);
    pad4(out);
    put(out, data, size);
    pad4(out);
}

static void *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mkarchive: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "mkarchive: out of memory\n");
            exit(1);
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    if (ferror(f)) {
        fprintf(stderr, "mkarchive: %s: read error\n", path);
        exit(1);
    }
    fclose(f);
    if (n > 0xffffffffu) {
        fprintf(stderr, "mkarchive: %s: larger than 4 GiB\n", path);
        exit(1);
    }
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    const char *out_path = NULL;
    int first = 1;
    if (argc >= 3 && strcmp(argv[1], "-o") == 0) {
        out_path = argv[2];
        first = 3;
    }
    if (!out_path || first >= argc) {
        fprintf(stderr, "usage: mkarchive -o OUT NAME=FILE...\n");
        return 2;
    }
    /* Check every argument before writing anything. */
    for (int i = first; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : 0;
        if (!eq || len == 0 || len > NAME_MAX_LEN) {
            fprintf(stderr, "mkarchive: '%s': expected NAME=FILE with a name of 1-%d characters\n",
                    argv[i], NAME_MAX_LEN);
            return 2;
        }
        for (int j = first; j < i; j++) {
            if (strncmp(argv[j], argv[i], len + 1) == 0) {
                fprintf(stderr, "mkarchive: name '%.*s' given twice\n", (int)len, argv[i]);
                return 2;
            }
        }
    }
    FILE *out = fopen(out_path, "wb");
    if (!out) {
        fprintf(stderr, "mkarchive: %s: %s\n", out_path, strerror(errno));
        return 1;
    }
    unsigned ino = 1;
    for (int i = first; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        *eq = '\0';
        size_t size;
        void *data = read_file(eq + 1, &size);
        entry(out, ino++, MODE_REGULAR, argv[i], data, size);
        free(data);
    }
    entry(out, 0, 0, "TRAILER!!!", NULL, 0);
    if (fclose(out) != 0) {
        perror("mkarchive: close");
        return 1;
    }
    return 0;
}
