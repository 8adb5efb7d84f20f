/* SPDX-License-Identifier: MIT */
/* The file-system client (tsr/files.h): the transport of file data lives in
 * read_chunk and write_chunk and nowhere else. */
#include <stdbool.h>
#include <stdint.h>

#include "tsr/service.h"
#include "tsr/string.h"
#include "tsr/files.h"

static idl_kernel_transport vfs_t;
static bool connected;

idl_status_t vfs_connect(void)
{
    if (connected)
        return IDL_OK;
    idl_status_t st = tsr_connect("vfs", &vfs_t);
    connected = st == IDL_OK;
    return st;
}

idl_transport *vfs_transport(void)
{
    return &vfs_t.transport;
}

idl_status_t vfs_open(const char *path, uint32_t flags, uint32_t *handle)
{
    return vfs_v1_open(&vfs_t.transport, path, flags, handle);
}

idl_status_t vfs_close(uint32_t handle)
{
    return vfs_v1_close(&vfs_t.transport, handle);
}

/* ---- how file data travels -------------------------------------------------------- */

static idl_status_t read_chunk(uint32_t handle, uint64_t offset, uint8_t *buf, size_t max,
                               size_t *got)
{
    uint8_t chunk[VFS_CHUNK];
    size_t n = 0;
    idl_status_t st = vfs_v1_read(&vfs_t.transport, handle, offset, (uint32_t)max, chunk, &n);
    if (st != IDL_OK)
        return st;
    if (n > max)
        return IDL_E_BAD_REPLY;
    memcpy(buf, chunk, n);
    *got = n;
    return IDL_OK;
}

static idl_status_t write_chunk(uint32_t handle, uint64_t offset, const uint8_t *buf, size_t len)
{
    uint32_t written = 0;
    idl_status_t st = vfs_v1_write(&vfs_t.transport, handle, offset, buf, len, &written);
    if (st == IDL_OK && written != len)
        return IDL_E_BAD_REPLY;
    return st;
}

idl_status_t vfs_read(uint32_t handle, uint64_t offset, void *buf, size_t len, size_t *got)
{
    uint8_t *p = buf;
    *got = 0;
    while (*got < len) {
        size_t want = len - *got < VFS_CHUNK ? len - *got : VFS_CHUNK;
        size_t n;
        idl_status_t st = read_chunk(handle, offset + *got, p + *got, want, &n);
        if (st != IDL_OK)
            return st;
        *got += n;
        if (n < want)
            break; /* the end of the file */
    }
    return IDL_OK;
}

idl_status_t vfs_write(uint32_t handle, uint64_t offset, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    /* A write no file can hold is refused whole, before any chunk goes. */
    if (len > VFS_FILE_MAX || offset > VFS_FILE_MAX - len)
        return VFS_ERROR_TOO_LARGE;
    for (size_t done = 0; done < len;) {
        size_t k = len - done < VFS_CHUNK ? len - done : VFS_CHUNK;
        idl_status_t st = write_chunk(handle, offset + done, p + done, k);
        if (st != IDL_OK)
            return st;
        done += k;
    }
    return IDL_OK;
}

const char *vfs_status_text(idl_status_t st)
{
    switch (st) {
    case VFS_ERROR_NOT_FOUND: return "no such file or directory";
    case VFS_ERROR_EXISTS: return "exists already";
    case VFS_ERROR_NOT_A_DIRECTORY: return "not a directory";
    case VFS_ERROR_IS_A_DIRECTORY: return "is a directory";
    case VFS_ERROR_NOT_EMPTY: return "directory not empty";
    case VFS_ERROR_BAD_HANDLE: return "bad handle";
    case VFS_ERROR_BAD_PATH: return "bad path (absolute, no empty, . or .. parts)";
    case VFS_ERROR_NAME_TOO_LONG: return "a name is longer than 31 characters";
    case VFS_ERROR_NO_SPACE: return "no space left";
    case VFS_ERROR_TOO_MANY_OPEN: return "too many open files";
    case VFS_ERROR_BAD_OFFSET: return "offset past the end";
    case VFS_ERROR_BUSY: return "file is open";
    case VFS_ERROR_TOO_LARGE: return "file too large (32 KiB at most)";
    case VFS_ERROR_BAD_FLAGS: return "bad flags";
    case IDL_E_ENCODE: return "path too long (255 characters at most)";
    }
    return tsr_status_text(st);
}
