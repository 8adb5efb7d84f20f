/* SPDX-License-Identifier: MIT */
/* The system-description reader (userland/root/sysdesc.c) on
 * descriptions.dts: the full entry read exactly, defaults applied, and every
 * malformed entry rejected alone with a message naming the problem, while
 * the entries after it are still read. Then whole-file errors, and every
 * truncation and byte corruption of the blob under the sanitizers.
 *   test_sysdesc descriptions.dtb */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sysdesc.h"

int check_failures;

static struct sysdesc desc;

static const struct sysdesc_program *entry(const char *name)
{
    for (unsigned i = 0; i < desc.count; i++)
        if (strcmp(desc.programs[i].name, name) == 0)
            return &desc.programs[i];
    fprintf(stderr, "no entry '%s'\n", name);
    check_failures++;
    static const struct sysdesc_program none;
    return &none;
}

/* SYSD0003: the entry is invalid and its message contains `text`. */
static void rejected(const char *name, const char *text)
{
    const struct sysdesc_program *p = entry(name);
    if (p->valid || !strstr(p->error, text)) {
        fprintf(stderr, "entry '%s': valid %d, error '%s', wanted '%s'\n", name, p->valid,
                p->error, text);
        check_failures++;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    static unsigned char blob[65536];
    size_t size = f ? fread(blob, 1, sizeof(blob), f) : 0;
    if (!f || size == 0)
        return 2;
    fclose(f);
    char error[128];
    CHECK(sysdesc_parse(blob, size, &desc, error, sizeof(error)));
    CHECK(desc.count == 19 && desc.skipped == 0);

    /* SYSD0001: every property of a full entry. */
    const struct sysdesc_program *p = entry("full");
    CHECK(p->valid);
    CHECK(strcmp(p->program, "server") == 0 && p->priority == 200 && p->memory_kib == 256 &&
          p->stack_kib == 32);
    CHECK(p->nserves == 2 && strcmp(p->serves[0], "alpha") == 0 &&
          strcmp(p->serves[1], "beta") == 0);
    CHECK(p->nuses == 2 && strcmp(p->uses[0], "gamma") == 0 && strcmp(p->uses[1], "*") == 0);
    CHECK(strcmp(p->device, "stdout") == 0 && p->rights == SYSDESC_RIGHT_POWEROFF);
    CHECK(p->argc == 2 && memcmp(p->args, "x\0yz\0", 6) == 0);
    /* SYSD0002: defaults: the file is the entry's name, priority 100, 16 KiB stack. */
    p = entry("defaults");
    CHECK(p->valid && strcmp(p->program, "defaults") == 0 && p->priority == 100 &&
          p->stack_kib == 16 && p->nserves == 0 && p->nuses == 0 && p->device[0] == 0 &&
          p->argc == 0);
    /* SYSD0003: each malformed entry alone. */
    rejected("no-memory", "memory-kib is missing");
    rejected("memory-odd", "memory-kib must be");
    rejected("memory-zero", "memory-kib must be");
    rejected("memory-huge", "memory-kib must be");
    rejected("memory-two-cells", "memory-kib must be");
    rejected("priority-255", "priority must be one number, 0 to 254");
    rejected("stack-odd", "stack-kib must be");
    rejected("typo", "unknown property 'memroy-kib'");
    rejected("bad-right", "unknown right 'reboot'");
    rejected("bad-serve", "serves must list");
    rejected("star-serve", "serves must list");
    rejected("too-many-uses", "uses must list 1-16");
    rejected("program-number", "program must be one string");
    rejected("second-alpha", "serves 'alpha', which an earlier program serves already");
    rejected("?", "'Capital' is not a program name");
    /* SYSD0004: the entry after all of them is still read. */
    p = entry("after-errors");
    CHECK(p->valid && p->nserves == 1);

    /* SYSD0005: whole-file errors. */
    CHECK(!sysdesc_parse(blob, 10, &desc, error, sizeof(error)) && strstr(error, "not a device tree"));
    unsigned char *c = malloc(size);
    memcpy(c, blob, size);
    char *compat = memmem(c, size, "tessera,system", 14);
    CHECK(compat != NULL);
    if (compat)
        compat[0] = 'T';
    CHECK(!sysdesc_parse(c, size, &desc, error, sizeof(error)) && strstr(error, "tessera,system"));
    /* SYSD0006: no truncation or corrupted byte crashes the reader. */
    for (size_t n = 0; n < size; n += 3)
        sysdesc_parse(blob, n, &desc, error, sizeof(error));
    for (size_t i = 0; i < size; i++) {
        memcpy(c, blob, size);
        c[i] ^= 0x5a;
        if (sysdesc_parse(c, size, &desc, error, sizeof(error)))
            for (unsigned k = 0; k < desc.count; k++)
                CHECK(strlen(desc.programs[k].name) <= SYSDESC_NAME_MAX);
    }
    free(c);
    printf("sysdesc: %s\n", check_failures ? "FAILED" : "ok");
    return check_failures != 0;
}
