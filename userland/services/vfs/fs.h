/* SPDX-License-Identifier: MIT */
/* The in-memory file system behind the VFS service (docs/services.md):
 * a fixed table of nodes (files and directories) and a pool of 512-byte
 * blocks for file data, given to fs_init as one region. Handles belong to
 * the client (badge) that opened them. Pure: no IPC, no capabilities, so
 * the host tests (tests/sys) run it under sanitizers. Every operation
 * returns FS_OK or a vfs_error value (vfs.h), checked in the order listed. */
#ifndef VFS_FS_H
#define VFS_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfs.h"

#define FS_OK 0u
#define FS_BLOCK_SIZE 512u
#define FS_MAX_NODES 128
#define FS_FILE_BLOCKS (VFS_FILE_MAX / FS_BLOCK_SIZE) /* 64: 32 KiB a file */
#define FS_MAX_OPEN 32
#define FS_OPEN_PER_CLIENT 8
#define FS_NO_BLOCK 0xffffu

struct fs_node {
    bool used;
    vfs_kind_t kind;
    uint16_t parent;  /* index of its directory (the root is its own) */
    uint16_t opens;   /* handles open on it */
    uint32_t size;    /* bytes (files) */
    char name[VFS_NAME_MAX + 1];
    uint16_t blocks[FS_FILE_BLOCKS];
};

struct fs_open {
    bool used;
    uint64_t client;
    uint16_t node;
    uint16_t generation; /* in the handle, so a stale handle is refused */
};

struct fs {
    struct fs_node nodes[FS_MAX_NODES];
    struct fs_open open[FS_MAX_OPEN];
    uint8_t *storage;  /* nblocks blocks */
    uint32_t nblocks;
    uint32_t free_blocks;
    uint16_t *next_free; /* the free list: a block's successor, FS_NO_BLOCK at the end */
    uint16_t free_head;
};

/* storage: nblocks * FS_BLOCK_SIZE bytes of data, then nblocks * 2 bytes
 * for the free list (fs_storage_size). At most 65535 blocks. */
size_t fs_storage_size(uint32_t nblocks);
void fs_init(struct fs *fs, void *storage, uint32_t nblocks);

/* BAD_PATH, NAME_TOO_LONG, NOT_FOUND, NOT_A_DIRECTORY, BAD_FLAGS,
 * IS_A_DIRECTORY, TOO_MANY_OPEN, NO_SPACE. */
uint32_t fs_open(struct fs *fs, uint64_t client, const char *path, uint32_t flags,
                 uint32_t *handle);
/* BAD_HANDLE. Reading at or past the end gives 0 bytes. */
uint32_t fs_read(struct fs *fs, uint64_t client, uint32_t handle, uint64_t offset, uint8_t *out,
                 size_t max, size_t *got);
/* BAD_HANDLE, BAD_OFFSET, TOO_LARGE, NO_SPACE (nothing is written). */
uint32_t fs_write(struct fs *fs, uint64_t client, uint32_t handle, uint64_t offset,
                  const uint8_t *data, size_t len);
uint32_t fs_close(struct fs *fs, uint64_t client, uint32_t handle);
/* BAD_PATH, NAME_TOO_LONG, NOT_FOUND, NOT_A_DIRECTORY. */
uint32_t fs_stat(struct fs *fs, const char *path, vfs_stat_t *st);
/* As stat; then NOT_A_DIRECTORY if the path is a file. */
uint32_t fs_list(struct fs *fs, const char *path, uint32_t first, vfs_entry_t *out, uint32_t max,
                 uint32_t *count, uint32_t *next);
/* BAD_PATH, NAME_TOO_LONG, NOT_FOUND (parent), NOT_A_DIRECTORY, EXISTS, NO_SPACE. */
uint32_t fs_mkdir(struct fs *fs, const char *path);
/* BAD_PATH (the root), NAME_TOO_LONG, NOT_FOUND, NOT_A_DIRECTORY, NOT_EMPTY, BUSY. */
uint32_t fs_remove(struct fs *fs, const char *path);
/* The path of the file a handle of this client names, in `size` bytes
 * (at least 2): BAD_HANDLE, NAME_TOO_LONG (it does not fit). */
uint32_t fs_handle_path(struct fs *fs, uint64_t client, uint32_t handle, char *out, size_t size);
/* Close every handle of a client that went away. */
void fs_forget_client(struct fs *fs, uint64_t client);

#endif
