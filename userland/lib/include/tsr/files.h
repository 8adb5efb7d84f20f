/* SPDX-License-Identifier: MIT */
/* The file system from a program's side (vfs.idl, docs/services.md):
 * reads and writes of any length, split here into the chunks the service
 * takes. This file is the one place that decides how file data travels
 * (today: 768-byte chunks in the IPC buffer; later long copies or shared
 * pages), so callers do not change when that does. The other calls are
 * vfs.idl's stubs on vfs_transport(). Statuses: IDL_OK, VFS_ERROR_*, or
 * protocol and transport errors. */
#ifndef TSR_FILES_H
#define TSR_FILES_H

#include <stddef.h>
#include <stdint.h>

#include <idl/kernel.h>

#include "vfs.h"

/* Connect to the file system (waiting for it to register). */
idl_status_t vfs_connect(void);
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
