/* SPDX-License-Identifier: MIT */
/* The file-system client (tsr/files.h): the transport of file data lives in
 * read_chunk and write_chunk and nowhere else. With a service that serves
 * version 2, a 16 KiB region (four frames of this program's memory) is
 * shared with it once at connection, and data goes through it (IPC path 5,
 * no copy per call); otherwise, or if the region cannot be set up, in
 * 768-byte chunks in the IPC buffer. */
#include <stdbool.h>
#include <stdint.h>

#include "tsr/files.h"
#include "tsr/invoke.h"
#include "tsr/program.h"
#include "tsr/runtime.h"
#include "tsr/service.h"
#include "tsr/string.h"
#include "tsr/vm.h"

#define D TSR_ROOT_DEPTH
#define REGION_VA 0x38000000ull
#define REGION_PAGES 4
#define REGION_SIZE (REGION_PAGES * TSR_PAGE_SIZE)

static idl_kernel_transport vfs_t;
static bool connected;
static bool bulk; /* the region is shared: version 2's bulk calls work */

/* Four frames in consecutive slots, mapped one after another, shared. */
static bool share_region(void)
{
    tsr_cptr_t first = tsr_alloc_slots(REGION_PAGES);
    if (!first)
        return false;
    for (unsigned i = 0; i < REGION_PAGES; i++) {
        tsr_cptr_t frame;
        if (tsr_alloc_object(TSR_OBJ_FRAME_4K, 0, &frame) ||
            tsr_cnode_move(TSR_PROG_CNODE, first + i, D, TSR_PROG_CNODE, frame, D) ||
            tsr_vm_map(first + i, TSR_PROG_VSPACE, REGION_VA + i * TSR_PAGE_SIZE,
                       TSR_RIGHT_READ | TSR_RIGHT_WRITE, 0))
            return false;
        tsr_free_slot(frame);
    }
    return idl_kernel_share_bulk(&vfs_t, first, REGION_PAGES) == IDL_OK;
}

idl_status_t vfs_connect(void)
{
    if (connected)
        return IDL_OK;
    idl_status_t st = tsr_connect("vfs", &vfs_t);
    connected = st == IDL_OK;
    uint16_t version = 1;
    if (connected && vfs_negotiate(&vfs_t.transport, &version) == IDL_OK && version >= 2)
        bulk = share_region();
    return st;
}

bool vfs_uses_bulk(void)
{
    return bulk;
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

/* How much one call carries. */
static size_t chunk_size(void)
{
    return bulk ? REGION_SIZE : VFS_CHUNK;
}

static idl_status_t read_chunk(uint32_t handle, uint64_t offset, uint8_t *buf, size_t max,
                               size_t *got)
{
    if (bulk) {
        idl_bulk window = {0, max};
        idl_status_t st = vfs_v2_read_bulk(&vfs_t.transport, handle, offset, &window);
        if (st != IDL_OK)
            return st;
        memcpy(buf, (const void *)(uintptr_t)REGION_VA, window.length);
        *got = window.length;
        return IDL_OK;
    }
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
    idl_status_t st;
    if (bulk) {
        memcpy((void *)(uintptr_t)REGION_VA, buf, len);
        st = vfs_v2_write_bulk(&vfs_t.transport, handle, offset, (idl_bulk){0, len}, &written);
    } else {
        st = vfs_v1_write(&vfs_t.transport, handle, offset, buf, len, &written);
    }
    if (st == IDL_OK && written != len)
        return IDL_E_BAD_REPLY;
    return st;
}

idl_status_t vfs_read(uint32_t handle, uint64_t offset, void *buf, size_t len, size_t *got)
{
    uint8_t *p = buf;
    *got = 0;
    while (*got < len) {
        size_t want = len - *got < chunk_size() ? len - *got : chunk_size();
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
        size_t k = len - done < chunk_size() ? len - done : chunk_size();
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
