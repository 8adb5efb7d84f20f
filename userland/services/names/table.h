/* SPDX-License-Identifier: MIT */
/* The name service's table (docs/services.md): registered names with their
 * VIDs and owners, and the rules the root task sent saying which program
 * may serve or use which name. Pure: no IPC and no capabilities (main.c
 * keeps each entry's endpoint in slot `slot_base + index`), so the host
 * tests (tests/sys) run it under sanitizers. Every operation returns
 * NAMES_OK or a names_error value, checked in the order listed. */
#ifndef NAMES_TABLE_H
#define NAMES_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "names.h"

#define NAMES_OK 0u
#define NAMES_MAX_SERVICES 64
#define NAMES_MAX_RULES 192
#define NAMES_NAME_MAX 31

struct names_entry {
    bool used;
    bool alive;
    uint32_t vid;
    uint32_t pid;   /* who registered it */
    char name[NAMES_NAME_MAX + 1];
};

struct names_rule {
    uint32_t pid;
    bool serve;     /* true: may register the name; false: may resolve it */
    char name[NAMES_NAME_MAX + 1]; /* "*" in a use rule: any name */
};

struct names_table {
    struct names_entry entries[NAMES_MAX_SERVICES];
    struct names_rule rules[NAMES_MAX_RULES];
    unsigned nrules;
    uint32_t next_vid;
};

void names_table_init(struct names_table *t);
/* The VID a name always gets (TSR_VID_*), or 0 for a name with none. */
uint32_t names_well_known_vid(const char *name);
/* BAD_NAME, TABLE_FULL. A rule given twice is kept once. */
uint32_t names_allow(struct names_table *t, uint32_t pid, const char *name, bool serve);
/* BAD_NAME, NOT_ALLOWED, DUPLICATE (a live entry has the name), TABLE_FULL.
 * A dead entry of that name is taken over with its VID. *index: the entry. */
uint32_t names_register(struct names_table *t, uint32_t pid, const char *name, unsigned *index);
/* BAD_NAME, NOT_FOUND, NOT_OWNER. */
uint32_t names_unregister(struct names_table *t, uint32_t pid, const char *name,
                          unsigned *index);
/* BAD_NAME, NOT_ALLOWED (no use rule for it, nor "*"), NOT_FOUND,
 * SERVER_DEAD. The well-known name "names" needs no rule. */
uint32_t names_resolve(const struct names_table *t, uint32_t pid, const char *name,
                       unsigned *index);
/* NOT_FOUND, NOT_ALLOWED, SERVER_DEAD: as resolve, by VID. */
uint32_t names_connect(const struct names_table *t, uint32_t pid, uint32_t vid, unsigned *index);
/* Mark every entry `pid` registered dead. */
void names_stopped(struct names_table *t, uint32_t pid);
/* The used entries from position `first` on, at most max of them; *next is
 * the position after the last one returned. */
unsigned names_list(const struct names_table *t, uint32_t first, const struct names_entry **out,
                    unsigned max, uint32_t *next);

#endif
