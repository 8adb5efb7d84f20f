/* SPDX-License-Identifier: MIT */
/* The file system from a program's side (vfs.idl, docs/services.md):
 * reads and writes of any length, split here into what the service takes.
 * This is the one place that decides how file data travels: through a
 * 16 KiB region shared with the service once (version 2, IPC path 5), or in
 * 768-byte chunks in the IPC buffer (version 1, or if no region could be
 * shared); callers do not change when that does. The other calls are
 * vfs.idl's stubs on vfs_transport(). Statuses: IDL_OK, VFS_ERROR_*, or
 * protocol and transport errors. */
#ifndef TSR_FILES_H
#define TSR_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <idl/kernel.h>

#include "vfs.h"

/* Connect to the file system (waiting for it to register), and share a
 * bulk region with it if it serves version 2. */
idl_status_t vfs_connect(void);
/* Does file data go through the shared region? */
bool vfs_uses_bulk(void);
idl_transport *vfs_transport(void);
idl_status_t vfs_open(const char *path, uint32_t flags, uint32_t *handle);
/* Up to len bytes from offset into buf; *got is less than len only at the
 * end of the file. */
idl_status_t vfs_read(uint32_t handle, uint64_t offset, void *buf, size_t len, size_t *got);
/* All len bytes at offset, or an error: VFS_ERROR_TOO_LARGE (past 32 KiB)
 * before anything is sent, others after the chunks before it are written. */
idl_status_t vfs_write(uint32_t handle, uint64_t offset, const void *buf, size_t len);
idl_status_t vfs_close(uint32_t handle);
/* A short text for VFS_ERROR_* and the other statuses. */
const char *vfs_status_text(idl_status_t st);

#endif
