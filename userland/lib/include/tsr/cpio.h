/* SPDX-License-Identifier: MIT */
/* Reading the boot archive: a cpio "newc" archive (the format of Linux's
 * initramfs and seL4's boot images), as tools/mkarchive writes it. The root
 * task finds its programs and the system description here. Pure and
 * defensive: every header, length and name is checked against the archive's
 * bounds, and a malformed archive is an error value, never a crash; the host
 * tests (tests/sys) run it under sanitizers. docs/programs.md has the format. */
#ifndef TSR_CPIO_H
#define TSR_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_NAME_MAX 63 /* longest entry name accepted (mkarchive's limit too) */

enum cpio_error {
    CPIO_OK = 0,
    CPIO_END = 1,            /* the trailer entry: no more files */
    CPIO_E_TRUNCATED = -1,   /* a header, name or file runs past the archive */
    CPIO_E_BAD_MAGIC = -2,   /* not "070701" where a header must start */
    CPIO_E_BAD_HEADER = -3,  /* a field is not 8 hex digits */
    CPIO_E_BAD_NAME = -4,    /* name empty, too long, or not NUL-terminated */
    CPIO_E_NOT_FOUND = -5,   /* no entry with that name */
};

struct cpio_file {
    char name[CPIO_NAME_MAX + 1];
    const uint8_t *data;
    size_t size;
    uint32_t mode;
};

/* Read the entry at *offset (0 for the first) and advance *offset past it.
 * CPIO_OK with *file filled, CPIO_END at the trailer, or an error. */
int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_file *file);
/* Find the entry called `name`. */
int cpio_find(const void *archive, size_t size, const char *name, struct cpio_file *file);
const char *cpio_strerror(int err);

#endif
