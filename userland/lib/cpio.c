/* SPDX-License-Identifier: MIT */
/* The cpio "newc" reader of the boot archive (tsr/cpio.h). A newc entry is a
 * 110-byte ASCII header (magic "070701" and thirteen 8-digit hex fields),
 * the name with its NUL, padding to a multiple of 4, the file's bytes and
 * padding to a multiple of 4 again; the entry named "TRAILER!!!" ends the
 * archive. Offsets are checked against the size before every read, with
 * subtractions rather than additions so nothing can wrap. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr/cpio.h"

#define HEADER_SIZE 110u
#define FIELD_MODE 1
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11

static const char trailer[] = "TRAILER!!!";

/* Field i (0 = ino) of the header at h: 8 hex digits after the 6-byte magic. */
static bool field(const uint8_t *h, unsigned i, uint32_t *out)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < 8; k++) {
        uint8_t c = h[6 + 8 * i + k];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static size_t align4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_file *file)
{
    const uint8_t *a = archive;
    size_t at = *offset;
    if (at > size || size - at < HEADER_SIZE)
        return CPIO_E_TRUNCATED;
    const uint8_t *h = a + at;
    static const char magic[] = "070701";
    for (unsigned i = 0; i < 6; i++)
        if (h[i] != (uint8_t)magic[i])
            return CPIO_E_BAD_MAGIC;
    uint32_t mode, filesize, namesize;
    for (unsigned i = 0; i < 13; i++) {
        uint32_t v;
        if (!field(h, i, &v))
            return CPIO_E_BAD_HEADER;
    }
    field(h, FIELD_MODE, &mode);
    field(h, FIELD_FILESIZE, &filesize);
    field(h, FIELD_NAMESIZE, &namesize);
    /* The name, with its NUL, must fit both the archive and our buffer. */
    if (namesize < 2 || namesize > CPIO_NAME_MAX + 1)
        return CPIO_E_BAD_NAME;
    at += HEADER_SIZE;
    if (size - at < namesize)
        return CPIO_E_TRUNCATED;
    const uint8_t *name = a + at;
    if (name[namesize - 1] != '\0')
        return CPIO_E_BAD_NAME;
    for (uint32_t i = 0; i + 1 < namesize; i++)
        if (name[i] == '\0')
            return CPIO_E_BAD_NAME;
    /* Padding is measured from the archive's start, as cpio writes it. */
    size_t data_at = align4(at + namesize);
    if (data_at > size || size - data_at < filesize)
        return CPIO_E_TRUNCATED;
    for (uint32_t i = 0; i < namesize; i++)
        file->name[i] = (char)name[i];
    file->data = a + data_at;
    file->size = filesize;
    file->mode = mode;
    size_t next = align4(data_at + filesize);
    *offset = next < size ? next : size;
    if (namesize == sizeof(trailer)) {
        bool is_trailer = true;
        for (unsigned i = 0; i < sizeof(trailer); i++)
            is_trailer = is_trailer && file->name[i] == trailer[i];
        if (is_trailer)
            return CPIO_END;
    }
    return CPIO_OK;
}

static bool same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int cpio_find(const void *archive, size_t size, const char *name, struct cpio_file *file)
{
    size_t offset = 0;
    /* Each entry advances the offset by at least a header, so this ends. */
    for (;;) {
        int err = cpio_next(archive, size, &offset, file);
        if (err == CPIO_END)
            return CPIO_E_NOT_FOUND;
        if (err)
            return err;
        if (same(file->name, name))
            return CPIO_OK;
    }
}

const char *cpio_strerror(int err)
{
    switch (err) {
    case CPIO_OK: return "ok";
    case CPIO_END: return "end of archive";
    case CPIO_E_TRUNCATED: return "truncated";
    case CPIO_E_BAD_MAGIC: return "bad magic";
    case CPIO_E_BAD_HEADER: return "bad header field";
    case CPIO_E_BAD_NAME: return "bad name";
    case CPIO_E_NOT_FOUND: return "not found";
    }
    return "unknown error";
}
