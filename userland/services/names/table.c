/* SPDX-License-Identifier: MIT */
/* The name service's table (table.h): linear searches over small fixed
 * arrays (64 names, 192 rules), which keeps every operation bounded and
 * allocation-free. */
#include <stdbool.h>
#include <stdint.h>

#include "table.h"
#include "tsr/vid.h"

static bool eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* 1-31 of [a-z0-9_.-], starting with a letter: what a system description
 * may name (userland/root/sysdesc.c checks the same). */
static bool good_name(const char *s)
{
    unsigned n = 0;
    if (!(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (; s[n]; n++) {
        char c = s[n];
        if (n == NAMES_NAME_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

static void copy(char *dst, const char *src)
{
    unsigned n = 0;
    for (; src[n] && n < NAMES_NAME_MAX; n++)
        dst[n] = src[n];
    dst[n] = '\0';
}

void names_table_init(struct names_table *t)
{
    for (unsigned i = 0; i < NAMES_MAX_SERVICES; i++)
        t->entries[i] = (struct names_entry){0};
    t->nrules = 0;
    t->next_vid = TSR_VID_FIRST_DYNAMIC;
}

uint32_t names_well_known_vid(const char *name)
{
    if (eq(name, "names"))
        return TSR_VID_NAMES;
    if (eq(name, "console"))
        return TSR_VID_CONSOLE;
    if (eq(name, "vfs"))
        return TSR_VID_VFS;
    return 0;
}

static bool allowed(const struct names_table *t, uint32_t pid, const char *name, bool serve)
{
    for (unsigned i = 0; i < t->nrules; i++) {
        const struct names_rule *r = &t->rules[i];
        if (r->pid == pid && r->serve == serve &&
            (eq(r->name, name) || (!serve && eq(r->name, "*"))))
            return true;
    }
    return false;
}

uint32_t names_allow(struct names_table *t, uint32_t pid, const char *name, bool serve)
{
    if (!good_name(name) && !(!serve && eq(name, "*")))
        return NAMES_ERROR_BAD_NAME;
    for (unsigned i = 0; i < t->nrules; i++)
        if (t->rules[i].pid == pid && t->rules[i].serve == serve && eq(t->rules[i].name, name))
            return NAMES_OK;
    if (t->nrules == NAMES_MAX_RULES)
        return NAMES_ERROR_TABLE_FULL;
    struct names_rule *r = &t->rules[t->nrules++];
    r->pid = pid;
    r->serve = serve;
    copy(r->name, name);
    return NAMES_OK;
}

static int find(const struct names_table *t, const char *name)
{
    for (unsigned i = 0; i < NAMES_MAX_SERVICES; i++)
        if (t->entries[i].used && eq(t->entries[i].name, name))
            return (int)i;
    return -1;
}

uint32_t names_register(struct names_table *t, uint32_t pid, const char *name, unsigned *index)
{
    if (!good_name(name))
        return NAMES_ERROR_BAD_NAME;
    if (!allowed(t, pid, name, true))
        return NAMES_ERROR_NOT_ALLOWED;
    int i = find(t, name);
    if (i >= 0 && t->entries[i].alive)
        return NAMES_ERROR_DUPLICATE;
    if (i < 0) {
        /* A new name: the first free entry, its well-known VID or the next. */
        for (unsigned k = 0; k < NAMES_MAX_SERVICES && i < 0; k++)
            if (!t->entries[k].used)
                i = (int)k;
        if (i < 0)
            return NAMES_ERROR_TABLE_FULL;
        uint32_t vid = names_well_known_vid(name);
        t->entries[i].vid = vid ? vid : t->next_vid++;
        copy(t->entries[i].name, name);
        t->entries[i].used = true;
    }
    /* New, or a dead server's name taken over (it keeps its VID). */
    t->entries[i].pid = pid;
    t->entries[i].alive = true;
    *index = (unsigned)i;
    return NAMES_OK;
}

uint32_t names_unregister(struct names_table *t, uint32_t pid, const char *name, unsigned *index)
{
    if (!good_name(name))
        return NAMES_ERROR_BAD_NAME;
    int i = find(t, name);
    if (i < 0)
        return NAMES_ERROR_NOT_FOUND;
    if (t->entries[i].pid != pid)
        return NAMES_ERROR_NOT_OWNER;
    t->entries[i] = (struct names_entry){0};
    *index = (unsigned)i;
    return NAMES_OK;
}

static uint32_t usable(const struct names_table *t, int i, unsigned *index)
{
    if (!t->entries[i].alive)
        return NAMES_ERROR_SERVER_DEAD;
    *index = (unsigned)i;
    return NAMES_OK;
}

uint32_t names_resolve(const struct names_table *t, uint32_t pid, const char *name,
                       unsigned *index)
{
    if (!good_name(name))
        return NAMES_ERROR_BAD_NAME;
    if (!eq(name, "names") && !allowed(t, pid, name, false))
        return NAMES_ERROR_NOT_ALLOWED;
    int i = find(t, name);
    if (i < 0)
        return NAMES_ERROR_NOT_FOUND;
    return usable(t, i, index);
}

uint32_t names_connect(const struct names_table *t, uint32_t pid, uint32_t vid, unsigned *index)
{
    for (unsigned i = 0; i < NAMES_MAX_SERVICES; i++) {
        const struct names_entry *e = &t->entries[i];
        if (!e->used || e->vid != vid)
            continue;
        if (!eq(e->name, "names") && !allowed(t, pid, e->name, false))
            return NAMES_ERROR_NOT_ALLOWED;
        return usable(t, (int)i, index);
    }
    return NAMES_ERROR_NOT_FOUND;
}

void names_stopped(struct names_table *t, uint32_t pid)
{
    for (unsigned i = 0; i < NAMES_MAX_SERVICES; i++)
        if (t->entries[i].used && t->entries[i].pid == pid)
            t->entries[i].alive = false;
}

unsigned names_list(const struct names_table *t, uint32_t first, const struct names_entry **out,
                    unsigned max, uint32_t *next)
{
    unsigned n = 0;
    uint32_t i = first;
    for (; i < NAMES_MAX_SERVICES && n < max; i++)
        if (t->entries[i].used)
            out[n++] = &t->entries[i];
    *next = i;
    return n;
}
