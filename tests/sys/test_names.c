/* SPDX-License-Identifier: MIT */
/* The name service's table (userland/services/names/table.c) on the host:
 * rules, registration, well-known and dynamic VIDs, duplicates, dead
 * servers taken over, unregistering, resolving by name and VID, listing,
 * and a table filled to the brim. NAMT0001-0008. */
#include <string.h>

#include "check.h"
#include "table.h"
#include "tsr/vid.h"

int check_failures;

static struct names_table t;

int main(void)
{
    unsigned i, j;
    names_table_init(&t);
    /* NAMT0001: rules: names are checked, repeats kept once, "*" only for use. */
    CHECK(names_allow(&t, 2, "vfs", true) == NAMES_OK);
    CHECK(names_allow(&t, 2, "vfs", true) == NAMES_OK);
    CHECK(t.nrules == 1);
    CHECK(names_allow(&t, 3, "*", false) == NAMES_OK);
    CHECK(names_allow(&t, 3, "*", true) == NAMES_ERROR_BAD_NAME);
    CHECK(names_allow(&t, 3, "Bad", false) == NAMES_ERROR_BAD_NAME);
    CHECK(names_allow(&t, 3, "", false) == NAMES_ERROR_BAD_NAME);
    CHECK(names_allow(&t, 4, "demo", true) == NAMES_OK);
    CHECK(names_allow(&t, 5, "demo", false) == NAMES_OK);

    /* NAMT0002: well-known names get their VIDs, others count from 16. */
    CHECK(names_register(&t, 2, "vfs", &i) == NAMES_OK && t.entries[i].vid == TSR_VID_VFS);
    CHECK(names_register(&t, 4, "demo", &j) == NAMES_OK &&
          t.entries[j].vid == TSR_VID_FIRST_DYNAMIC);
    CHECK(names_well_known_vid("console") == TSR_VID_CONSOLE);
    CHECK(names_well_known_vid("names") == TSR_VID_NAMES);
    CHECK(names_well_known_vid("other") == 0);

    /* NAMT0003: policy and duplicates, in the documented order. */
    CHECK(names_register(&t, 4, "vfs", &i) == NAMES_ERROR_NOT_ALLOWED);
    CHECK(names_register(&t, 2, "vfs", &i) == NAMES_ERROR_DUPLICATE);
    CHECK(names_register(&t, 2, "a b", &i) == NAMES_ERROR_BAD_NAME);
    CHECK(names_register(&t, 2, "0abc", &i) == NAMES_ERROR_BAD_NAME);

    /* NAMT0004: resolve needs a use rule (or "*"); "names" needs none. */
    CHECK(names_resolve(&t, 5, "demo", &i) == NAMES_OK && i == j);
    CHECK(names_resolve(&t, 5, "vfs", &i) == NAMES_ERROR_NOT_ALLOWED);
    CHECK(names_resolve(&t, 3, "vfs", &i) == NAMES_OK);
    CHECK(names_resolve(&t, 3, "nothing", &i) == NAMES_ERROR_NOT_FOUND);
    CHECK(names_resolve(&t, 5, "names", &i) == NAMES_ERROR_NOT_FOUND); /* not registered here */
    CHECK(names_connect(&t, 5, TSR_VID_FIRST_DYNAMIC, &i) == NAMES_OK && i == j);
    CHECK(names_connect(&t, 5, TSR_VID_VFS, &i) == NAMES_ERROR_NOT_ALLOWED);
    CHECK(names_connect(&t, 5, 999, &i) == NAMES_ERROR_NOT_FOUND);

    /* NAMT0005: a server that stopped: its names are dead, then taken over
     * by a new registration with the same VID. */
    names_stopped(&t, 4);
    CHECK(names_resolve(&t, 5, "demo", &i) == NAMES_ERROR_SERVER_DEAD);
    CHECK(names_connect(&t, 5, TSR_VID_FIRST_DYNAMIC, &i) == NAMES_ERROR_SERVER_DEAD);
    CHECK(names_allow(&t, 6, "demo", true) == NAMES_OK);
    CHECK(names_register(&t, 6, "demo", &i) == NAMES_OK && i == j &&
          t.entries[i].vid == TSR_VID_FIRST_DYNAMIC && t.entries[i].pid == 6);
    CHECK(names_resolve(&t, 5, "demo", &i) == NAMES_OK);

    /* NAMT0006: unregister: only by the owner, then gone. */
    CHECK(names_unregister(&t, 4, "demo", &i) == NAMES_ERROR_NOT_OWNER);
    CHECK(names_unregister(&t, 6, "demo", &i) == NAMES_OK && i == j);
    CHECK(names_unregister(&t, 6, "demo", &i) == NAMES_ERROR_NOT_FOUND);
    CHECK(names_resolve(&t, 5, "demo", &i) == NAMES_ERROR_NOT_FOUND);
    CHECK(names_register(&t, 6, "demo", &i) == NAMES_OK &&
          t.entries[i].vid == TSR_VID_FIRST_DYNAMIC + 1);

    /* NAMT0007: listing in pages. */
    const struct names_entry *out[8];
    uint32_t next;
    CHECK(names_list(&t, 0, out, 8, &next) == 2);
    CHECK(names_list(&t, next, out, 8, &next) == 0);
    CHECK(names_list(&t, 0, out, 1, &next) == 1 && names_list(&t, next, out, 8, &next) == 1);

    /* NAMT0008: full: rules and entries. */
    char name[8];
    unsigned added = 0;
    for (unsigned k = 0; k < NAMES_MAX_RULES + 5; k++) {
        snprintf(name, sizeof(name), "n%u", k);
        added += names_allow(&t, 9, name, true) == NAMES_OK;
    }
    CHECK(added == NAMES_MAX_RULES - 5 && t.nrules == NAMES_MAX_RULES);
    CHECK(names_allow(&t, 9, "one-more", false) == NAMES_ERROR_TABLE_FULL);
    unsigned registered = 0;
    for (unsigned k = 0; k < NAMES_MAX_RULES; k++) {
        snprintf(name, sizeof(name), "n%u", k);
        uint32_t st = names_register(&t, 9, name, &i);
        registered += st == NAMES_OK;
        CHECK(st == NAMES_OK || st == NAMES_ERROR_TABLE_FULL || st == NAMES_ERROR_NOT_ALLOWED);
    }
    CHECK(registered == NAMES_MAX_SERVICES - 2);
    CHECK(names_resolve(&t, 3, "vfs", &i) == NAMES_OK); /* the rest still works */

    printf("names table: %s\n", check_failures ? "FAILED" : "ok");
    return check_failures != 0;
}
