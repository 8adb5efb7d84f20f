/* SPDX-License-Identifier: MIT */
/* The boot-archive reader (userland/lib/cpio.c) on an archive tools/mkarchive
 * wrote: every entry found with its bytes; then every truncation and every
 * single-byte corruption of it read under the sanitizers, which must give an
 * error or a result inside the archive, never a crash or a read outside.
 *   test_cpio ARCHIVE NAME=FILE... (the packer's own arguments) */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tsr/cpio.h"

int check_failures;

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* Walk the whole archive; every entry must lie inside it. */
static int walk(const unsigned char *a, size_t size)
{
    size_t off = 0;
    struct cpio_file f;
    for (unsigned n = 0; n < 1000; n++) {
        size_t before = off;
        int err = cpio_next(a, size, &off, &f);
        if (err)
            return err;
        CHECK(f.data >= a && f.data + f.size <= a + size);
        CHECK(off > before);
    }
    CHECK(!"an archive of a few entries read as 1000");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    size_t size;
    unsigned char *a = slurp(argv[1], &size);
    /* CPIO0001: every packed file is found with exactly its bytes. */
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        *eq = '\0';
        size_t fsize;
        unsigned char *want = slurp(eq + 1, &fsize);
        struct cpio_file f;
        CHECK(cpio_find(a, size, argv[i], &f) == CPIO_OK);
        CHECK(f.size == fsize && memcmp(f.data, want, fsize) == 0);
        CHECK(strcmp(f.name, argv[i]) == 0);
        free(want);
    }
    /* CPIO0002: a name not there, and the walk ends at the trailer. */
    struct cpio_file f;
    CHECK(cpio_find(a, size, "absent", &f) == CPIO_E_NOT_FOUND);
    CHECK(cpio_find(a, size, "", &f) == CPIO_E_NOT_FOUND);
    CHECK(walk(a, size) == CPIO_END);
    /* CPIO0003: every truncation is an error (or the end, for trailing
     * padding), found without reading past the end. */
    for (size_t n = 0; n < size; n++) {
        unsigned char *t = malloc(n ? n : 1);
        memcpy(t, a, n);
        int err = walk(t, n);
        CHECK(err < 0 || (err == CPIO_END && n >= size - 3));
        free(t);
    }
    /* CPIO0004: every byte changed to every interesting value. */
    static const unsigned char values[] = {0, '0', '7', '9', 'f', 'F', 'g', 0xff, '/'};
    unsigned char *c = malloc(size);
    for (size_t i = 0; i < size; i++) {
        for (size_t v = 0; v < sizeof(values); v++) {
            memcpy(c, a, size);
            c[i] = values[v];
            walk(c, size);
            cpio_find(c, size, argv[2], &f);
        }
    }
    /* CPIO0005: huge sizes in the header do not wrap an offset. */
    memcpy(c, a, size);
    memcpy(c + 6 + 8 * 6, "FFFFFFFF", 8); /* filesize of the first entry */
    CHECK(walk(c, size) == CPIO_E_TRUNCATED);
    memcpy(c, a, size);
    memcpy(c + 6 + 8 * 11, "FFFFFFFF", 8); /* namesize */
    CHECK(walk(c, size) == CPIO_E_BAD_NAME);
    free(c);
    free(a);
    printf("cpio: %s\n", check_failures ? "FAILED" : "ok");
    return check_failures != 0;
}
