/* SPDX-License-Identifier: MIT */
/* The in-memory file system (fs.h). A path is checked whole before it is
 * walked (syntax errors first, then what the tree says), and a write
 * checks its space before it changes anything, so an error leaves the file
 * as it was. Linear searches over the node table: 128 nodes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs.h"

#define ROOT 0

static bool same(const char *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (name[i] != a[i])
            return false;
    return name[n] == '\0';
}

static void zero(void *p, size_t n)
{
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = 0;
}

static void copy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

size_t fs_storage_size(uint32_t nblocks)
{
    return (size_t)nblocks * (FS_BLOCK_SIZE + sizeof(uint16_t));
}

void fs_init(struct fs *fs, void *storage, uint32_t nblocks)
{
    zero(fs, sizeof(*fs));
    if (nblocks > 0xfffe)
        nblocks = 0xfffe;
    fs->storage = storage;
    fs->nblocks = nblocks;
    fs->next_free = (uint16_t *)(void *)(fs->storage + (size_t)nblocks * FS_BLOCK_SIZE);
    for (uint32_t b = 0; b < nblocks; b++)
        fs->next_free[b] = b + 1 < nblocks ? (uint16_t)(b + 1) : FS_NO_BLOCK;
    fs->free_head = nblocks ? 0 : FS_NO_BLOCK;
    fs->free_blocks = nblocks;
    fs->nodes[ROOT].used = true;
    fs->nodes[ROOT].kind = VFS_KIND_DIRECTORY;
    fs->nodes[ROOT].parent = ROOT;
}

/* ---- paths ------------------------------------------------------------------- */

/* "/", or "/" and components of 1-31 characters, none "." or "..", a
 * trailing "/" allowed. */
static uint32_t check_path(const char *path)
{
    if (path[0] != '/')
        return VFS_ERROR_BAD_PATH;
    const char *p = path + 1;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != '/')
            n++;
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return VFS_ERROR_BAD_PATH;
        if (n > VFS_NAME_MAX)
            return VFS_ERROR_NAME_TOO_LONG;
        p += n;
        if (*p == '/')
            p++;
    }
    return FS_OK;
}

static int child(const struct fs *fs, int dir, const char *name, size_t n)
{
    for (int i = 1; i < FS_MAX_NODES; i++)
        if (fs->nodes[i].used && fs->nodes[i].parent == dir && same(name, n, fs->nodes[i].name))
            return i;
    return -1;
}

/* Walk to the directory that holds the path's last component: *dir, and the
 * component in last/last_len (length 0: the path is the root). */
static uint32_t walk(const struct fs *fs, const char *path, int *dir, const char **last,
                     size_t *last_len)
{
    uint32_t err = check_path(path);
    if (err)
        return err;
    int cur = ROOT;
    const char *p = path + 1;
    *last = p;
    *last_len = 0;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != '/')
            n++;
        const char *rest = p[n] == '/' ? p + n + 1 : p + n;
        if (*rest == '\0') {
            *last = p;
            *last_len = n;
            break;
        }
        int c = child(fs, cur, p, n);
        if (c < 0)
            return VFS_ERROR_NOT_FOUND;
        if (fs->nodes[c].kind != VFS_KIND_DIRECTORY)
            return VFS_ERROR_NOT_A_DIRECTORY;
        cur = c;
        p = rest;
    }
    *dir = cur;
    return FS_OK;
}

/* The node a path names. */
static uint32_t find(const struct fs *fs, const char *path, int *node)
{
    int dir;
    const char *last;
    size_t n;
    uint32_t err = walk(fs, path, &dir, &last, &n);
    if (err)
        return err;
    if (n == 0) {
        *node = ROOT;
        return FS_OK;
    }
    *node = child(fs, dir, last, n);
    return *node < 0 ? VFS_ERROR_NOT_FOUND : FS_OK;
}

static int new_node(struct fs *fs, int dir, const char *name, size_t n, vfs_kind_t kind)
{
    for (int i = 1; i < FS_MAX_NODES; i++) {
        struct fs_node *nd = &fs->nodes[i];
        if (nd->used)
            continue;
        zero(nd, sizeof(*nd));
        nd->used = true;
        nd->kind = kind;
        nd->parent = (uint16_t)dir;
        copy(nd->name, name, n);
        for (unsigned b = 0; b < FS_FILE_BLOCKS; b++)
            nd->blocks[b] = FS_NO_BLOCK;
        return i;
    }
    return -1;
}

static uint32_t children(const struct fs *fs, int dir)
{
    uint32_t n = 0;
    for (int i = 1; i < FS_MAX_NODES; i++)
        n += fs->nodes[i].used && fs->nodes[i].parent == dir;
    return n;
}

/* Give every block of a file back to the free list. */
static void release_blocks(struct fs *fs, struct fs_node *nd)
{
    for (unsigned b = 0; b < FS_FILE_BLOCKS; b++) {
        if (nd->blocks[b] != FS_NO_BLOCK) {
            fs->next_free[nd->blocks[b]] = fs->free_head;
            fs->free_head = nd->blocks[b];
            fs->free_blocks++;
            nd->blocks[b] = FS_NO_BLOCK;
        }
    }
    nd->size = 0;
}

/* ---- handles --------------------------------------------------------------------- */

static struct fs_open *handle_of(struct fs *fs, uint64_t client, uint32_t handle)
{
    uint32_t index = (handle & 0xffff) - 1;
    if ((handle & 0xffff) == 0 || index >= FS_MAX_OPEN)
        return 0;
    struct fs_open *o = &fs->open[index];
    /* Another client's handle, a closed one, or one reused since. */
    if (!o->used || o->client != client || o->generation != handle >> 16)
        return 0;
    return o;
}

uint32_t fs_handle_path(struct fs *fs, uint64_t client, uint32_t handle, char *out, size_t size)
{
    const struct fs_open *o = handle_of(fs, client, handle);
    if (!o)
        return VFS_ERROR_BAD_HANDLE;
    /* Built from the end: each component with its '/' in front of the rest. */
    size_t at = size - 1;
    out[at] = '\0';
    for (int n = o->node; n != ROOT; n = fs->nodes[n].parent) {
        size_t len = 0;
        while (fs->nodes[n].name[len])
            len++;
        if (len + 1 > at)
            return VFS_ERROR_NAME_TOO_LONG;
        at -= len + 1;
        out[at] = '/';
        copy(out + at + 1, fs->nodes[n].name, len);
    }
    /* Move it to the start of out. */
    for (size_t i = 0; at + i < size; i++)
        out[i] = out[at + i];
    return FS_OK;
}

uint32_t fs_open(struct fs *fs, uint64_t client, const char *path, uint32_t flags,
                 uint32_t *handle)
{
    int dir, node;
    const char *last;
    size_t n;
    uint32_t err = walk(fs, path, &dir, &last, &n);
    if (err)
        return err;
    if (flags & ~(VFS_OPEN_CREATE | VFS_OPEN_TRUNCATE))
        return VFS_ERROR_BAD_FLAGS;
    node = n ? child(fs, dir, last, n) : ROOT;
    if (node < 0 && !(flags & VFS_OPEN_CREATE))
        return VFS_ERROR_NOT_FOUND;
    if (node >= 0 && fs->nodes[node].kind == VFS_KIND_DIRECTORY)
        return VFS_ERROR_IS_A_DIRECTORY;
    unsigned mine = 0;
    int slot = -1;
    for (int i = 0; i < FS_MAX_OPEN; i++) {
        if (fs->open[i].used)
            mine += fs->open[i].client == client;
        else if (slot < 0)
            slot = i;
    }
    if (mine >= FS_OPEN_PER_CLIENT)
        return VFS_ERROR_TOO_MANY_OPEN;
    if (slot < 0)
        return VFS_ERROR_NO_SPACE;
    if (node < 0 && (node = new_node(fs, dir, last, n, VFS_KIND_FILE)) < 0)
        return VFS_ERROR_NO_SPACE;
    struct fs_node *nd = &fs->nodes[node];
    if (flags & VFS_OPEN_TRUNCATE)
        release_blocks(fs, nd);
    struct fs_open *o = &fs->open[slot];
    o->used = true;
    o->client = client;
    o->node = (uint16_t)node;
    o->generation++;
    nd->opens++;
    *handle = (uint32_t)o->generation << 16 | (uint32_t)(slot + 1);
    return FS_OK;
}

uint32_t fs_close(struct fs *fs, uint64_t client, uint32_t handle)
{
    struct fs_open *o = handle_of(fs, client, handle);
    if (!o)
        return VFS_ERROR_BAD_HANDLE;
    fs->nodes[o->node].opens--;
    o->used = false;
    return FS_OK;
}

void fs_forget_client(struct fs *fs, uint64_t client)
{
    for (int i = 0; i < FS_MAX_OPEN; i++) {
        if (fs->open[i].used && fs->open[i].client == client) {
            fs->nodes[fs->open[i].node].opens--;
            fs->open[i].used = false;
        }
    }
}

/* ---- data ----------------------------------------------------------------------- */

uint32_t fs_read(struct fs *fs, uint64_t client, uint32_t handle, uint64_t offset, uint8_t *out,
                 size_t max, size_t *got)
{
    struct fs_open *o = handle_of(fs, client, handle);
    if (!o)
        return VFS_ERROR_BAD_HANDLE;
    const struct fs_node *nd = &fs->nodes[o->node];
    *got = 0;
    if (offset >= nd->size)
        return FS_OK;
    size_t n = nd->size - offset < max ? (size_t)(nd->size - offset) : max;
    for (size_t done = 0; done < n;) {
        uint64_t at = offset + done;
        size_t in_block = FS_BLOCK_SIZE - at % FS_BLOCK_SIZE;
        size_t k = n - done < in_block ? n - done : in_block;
        copy(out + done, fs->storage + (size_t)nd->blocks[at / FS_BLOCK_SIZE] * FS_BLOCK_SIZE +
                             at % FS_BLOCK_SIZE, k);
        done += k;
    }
    *got = n;
    return FS_OK;
}

uint32_t fs_write(struct fs *fs, uint64_t client, uint32_t handle, uint64_t offset,
                  const uint8_t *data, size_t len)
{
    struct fs_open *o = handle_of(fs, client, handle);
    if (!o)
        return VFS_ERROR_BAD_HANDLE;
    struct fs_node *nd = &fs->nodes[o->node];
    if (offset > nd->size)
        return VFS_ERROR_BAD_OFFSET;
    if (len > VFS_FILE_MAX || offset > VFS_FILE_MAX - len)
        return VFS_ERROR_TOO_LARGE;
    /* Count the blocks this needs first: all or nothing. */
    uint32_t end_block = (uint32_t)((offset + len + FS_BLOCK_SIZE - 1) / FS_BLOCK_SIZE);
    uint32_t missing = 0;
    for (uint32_t b = 0; b < end_block; b++)
        missing += nd->blocks[b] == FS_NO_BLOCK;
    if (missing > fs->free_blocks)
        return VFS_ERROR_NO_SPACE;
    for (uint32_t b = 0; b < end_block; b++) {
        if (nd->blocks[b] == FS_NO_BLOCK) {
            nd->blocks[b] = fs->free_head;
            fs->free_head = fs->next_free[fs->free_head];
            fs->free_blocks--;
        }
    }
    for (size_t done = 0; done < len;) {
        uint64_t at = offset + done;
        size_t in_block = FS_BLOCK_SIZE - at % FS_BLOCK_SIZE;
        size_t k = len - done < in_block ? len - done : in_block;
        copy(fs->storage + (size_t)nd->blocks[at / FS_BLOCK_SIZE] * FS_BLOCK_SIZE +
                 at % FS_BLOCK_SIZE, data + done, k);
        done += k;
    }
    if (offset + len > nd->size)
        nd->size = (uint32_t)(offset + len);
    return FS_OK;
}

/* ---- the tree ------------------------------------------------------------------- */

uint32_t fs_stat(struct fs *fs, const char *path, vfs_stat_t *st)
{
    int node;
    uint32_t err = find(fs, path, &node);
    if (err)
        return err;
    st->kind = fs->nodes[node].kind;
    st->size = st->kind == VFS_KIND_FILE ? fs->nodes[node].size : children(fs, node);
    return FS_OK;
}

uint32_t fs_list(struct fs *fs, const char *path, uint32_t first, vfs_entry_t *out, uint32_t max,
                 uint32_t *count, uint32_t *next)
{
    int dir;
    uint32_t err = find(fs, path, &dir);
    if (err)
        return err;
    if (fs->nodes[dir].kind != VFS_KIND_DIRECTORY)
        return VFS_ERROR_NOT_A_DIRECTORY;
    uint32_t n = 0, i = first;
    for (; i < FS_MAX_NODES && n < max; i++) {
        const struct fs_node *nd = &fs->nodes[i];
        if (i == ROOT || !nd->used || nd->parent != dir)
            continue;
        out[n].kind = nd->kind;
        out[n].size = nd->kind == VFS_KIND_FILE ? nd->size : children(fs, (int)i);
        copy(out[n].name, nd->name, sizeof(out[n].name));
        n++;
    }
    *count = n;
    *next = i;
    return FS_OK;
}

uint32_t fs_mkdir(struct fs *fs, const char *path)
{
    int dir;
    const char *last;
    size_t n;
    uint32_t err = walk(fs, path, &dir, &last, &n);
    if (err)
        return err;
    if (n == 0 || child(fs, dir, last, n) >= 0)
        return VFS_ERROR_EXISTS;
    return new_node(fs, dir, last, n, VFS_KIND_DIRECTORY) < 0 ? VFS_ERROR_NO_SPACE : FS_OK;
}

uint32_t fs_remove(struct fs *fs, const char *path)
{
    int node;
    uint32_t err = find(fs, path, &node);
    if (err)
        return err;
    if (node == ROOT)
        return VFS_ERROR_BAD_PATH;
    struct fs_node *nd = &fs->nodes[node];
    if (nd->kind == VFS_KIND_DIRECTORY && children(fs, node))
        return VFS_ERROR_NOT_EMPTY;
    if (nd->opens)
        return VFS_ERROR_BUSY;
    release_blocks(fs, nd);
    nd->used = false;
    return FS_OK;
}
