/* SPDX-License-Identifier: MIT */
/* Checks docs/syscalls.md against the ABI's single source, the X-macro
 * tables of kernel/include/tessera/syscalls.h: every system call has a row
 * "| number | Name |", every fault a row "| label | name |", every method a row "| label | Name | arguments |
 * results |" with exactly the table's words, no row names a label or number
 * the tables lack, labels are unique, and each method's argument count is
 * the number of arguments the table lists. The kernel's dispatch and the
 * user wrappers are built from the same tables, so the three cannot drift.
 *   abi_check docs/syscalls.md */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/syscalls.h>

struct method {
    const char *object, *name;
    unsigned label, nargs;
    const char *args, *results;
};

static const struct method methods[] = {
#define METHOD_ROW(object, method, doc, label, nargs, args, results)                               \
    {#object, #doc, label, nargs, args, results},
    TSR_METHODS(METHOD_ROW)
#undef METHOD_ROW
};
#define METHOD_COUNT (sizeof(methods) / sizeof(methods[0]))

struct syscall {
    const char *name;
    unsigned number;
};

static const struct syscall syscalls[] = {
#define SYSCALL_ROW(name, number, doc) {#doc, number},
    TSR_SYSCALLS(SYSCALL_ROW)
#undef SYSCALL_ROW
};
#define SYSCALL_COUNT (sizeof(syscalls) / sizeof(syscalls[0]))

static const struct syscall faults[] = {
#define FAULT_ROW(name, label, doc) {#doc, label},
    TSR_FAULTS(FAULT_ROW)
#undef FAULT_ROW
};
#define FAULT_COUNT (sizeof(faults) / sizeof(faults[0]))

static int failures;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "abi_check: " __VA_ARGS__);                                                \
        fputc('\n', stderr);                                                                       \
        failures++;                                                                                \
    } while (0)

/* A table row split into trimmed cells ("| a | b |" -> "a", "b"). */
#define MAX_CELLS 8
struct row {
    unsigned count;
    char cell[MAX_CELLS][512];
};

static bool split_row(const char *line, struct row *r)
{
    r->count = 0;
    if (line[0] != '|')
        return false;
    const char *p = line + 1;
    while (*p && *p != '\n' && r->count < MAX_CELLS) {
        const char *end = strchr(p, '|');
        if (!end)
            break;
        while (p < end && *p == ' ')
            p++;
        const char *q = end;
        while (q > p && q[-1] == ' ')
            q--;
        size_t n = (size_t)(q - p);
        if (n >= sizeof(r->cell[0]))
            n = sizeof(r->cell[0]) - 1;
        memcpy(r->cell[r->count], p, n);
        r->cell[r->count][n] = '\0';
        r->count++;
        p = end + 1;
    }
    return r->count >= 2;
}

static bool is_number(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Arguments listed: "-" is none; "name..." is a variable tail, not counted. */
static unsigned count_args(const char *args)
{
    if (strcmp(args, "-") == 0)
        return 0;
    unsigned n = 0;
    const char *p = args;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!(len >= 3 && strncmp(p + len - 3, "...", 3) == 0))
            n++;
        if (!end)
            return n;
        p = end + 1;
    }
}

static void check_tables(void)
{
    unsigned max_label = 0;
    for (size_t i = 0; i < METHOD_COUNT; i++) {
        const struct method *m = &methods[i];
        if (m->label > max_label)
            max_label = m->label;
        if (count_args(m->args) != m->nargs)
            FAIL("%s %s: nargs %u, but the arguments list \"%s\"", m->object, m->name, m->nargs,
                 m->args);
        for (size_t j = 0; j < i; j++)
            if (methods[j].label == m->label)
                FAIL("label %u used by %s %s and %s %s", m->label, methods[j].object,
                     methods[j].name, m->object, m->name);
    }
    if (max_label != TSR_METHOD_LABEL_MAX)
        FAIL("TSR_METHOD_LABEL_MAX is %d, the largest label %u", TSR_METHOD_LABEL_MAX, max_label);
    for (size_t i = 0; i < SYSCALL_COUNT; i++)
        if (syscalls[i].number != i)
            FAIL("system call %s has number %u: numbers must run 0..%zu", syscalls[i].name,
                 syscalls[i].number, SYSCALL_COUNT - 1);
    if (SYSCALL_COUNT != TSR_SYS_COUNT)
        FAIL("%zu system calls, TSR_SYS_COUNT %d", SYSCALL_COUNT, (int)TSR_SYS_COUNT);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: abi_check docs/syscalls.md\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    check_tables();

    bool method_seen[METHOD_COUNT] = {0}, syscall_seen[SYSCALL_COUNT] = {0};
    /* Which table we are in: its header names the columns. */
    enum { NONE, SYSCALLS, FAULTS, METHODS } table = NONE;
    bool fault_seen[FAULT_COUNT] = {0};
    char line[4096];
    unsigned lineno = 0;
    struct row r;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (!split_row(line, &r)) {
            table = NONE;
            continue;
        }
        if (strcmp(r.cell[0], "N") == 0 && strcmp(r.cell[1], "call") == 0) {
            table = SYSCALLS;
            continue;
        }
        if (strcmp(r.cell[0], "label") == 0 && strcmp(r.cell[1], "fault") == 0) {
            table = FAULTS;
            continue;
        }
        if (strcmp(r.cell[0], "label") == 0) {
            table = METHODS;
            if (r.count < 4 || strcmp(r.cell[1], "method") != 0 ||
                strcmp(r.cell[2], "arguments") != 0 || strcmp(r.cell[3], "results") != 0)
                FAIL("%s:%u: a method table's columns are label | method | arguments | "
                     "results | ...",
                     argv[1], lineno);
            continue;
        }
        if (table == NONE || !is_number(r.cell[0]))
            continue;
        unsigned n = (unsigned)strtoul(r.cell[0], NULL, 10);
        if (table == FAULTS) {
            size_t i = 0;
            while (i < FAULT_COUNT && faults[i].number != n)
                i++;
            if (i == FAULT_COUNT)
                FAIL("%s:%u: fault label %u is not in TSR_FAULTS", argv[1], lineno, n);
            else if (strcmp(r.cell[1], faults[i].name) != 0)
                FAIL("%s:%u: fault %u is the %s, not %s", argv[1], lineno, n, faults[i].name,
                     r.cell[1]);
            else
                fault_seen[i] = true;
            continue;
        }
        if (table == SYSCALLS) {
            size_t i = 0;
            while (i < SYSCALL_COUNT && syscalls[i].number != n)
                i++;
            if (i == SYSCALL_COUNT) {
                FAIL("%s:%u: system call %u is not in TSR_SYSCALLS", argv[1], lineno, n);
                continue;
            }
            if (strcmp(r.cell[1], syscalls[i].name) != 0)
                FAIL("%s:%u: system call %u is %s, not %s", argv[1], lineno, n, syscalls[i].name,
                     r.cell[1]);
            syscall_seen[i] = true;
            continue;
        }
        size_t i = 0;
        while (i < METHOD_COUNT && methods[i].label != n)
            i++;
        if (i == METHOD_COUNT) {
            FAIL("%s:%u: label %u is not in TSR_METHODS", argv[1], lineno, n);
            continue;
        }
        const struct method *m = &methods[i];
        if (r.count < 4) {
            FAIL("%s:%u: label %u: too few columns", argv[1], lineno, n);
            continue;
        }
        if (strcmp(r.cell[1], m->name) != 0)
            FAIL("%s:%u: label %u is %s %s, not %s", argv[1], lineno, n, m->object, m->name,
                 r.cell[1]);
        if (strcmp(r.cell[2], m->args) != 0)
            FAIL("%s:%u: %s %s arguments: the doc says \"%s\", the ABI \"%s\"", argv[1], lineno,
                 m->object, m->name, r.cell[2], m->args);
        if (strcmp(r.cell[3], m->results) != 0)
            FAIL("%s:%u: %s %s results: the doc says \"%s\", the ABI \"%s\"", argv[1], lineno,
                 m->object, m->name, r.cell[3], m->results);
        if (method_seen[i])
            FAIL("%s:%u: label %u documented twice", argv[1], lineno, n);
        method_seen[i] = true;
    }
    fclose(f);
    for (size_t i = 0; i < SYSCALL_COUNT; i++)
        if (!syscall_seen[i])
            FAIL("system call %u (%s) has no row in %s", syscalls[i].number, syscalls[i].name,
                 argv[1]);
    for (size_t i = 0; i < FAULT_COUNT; i++)
        if (!fault_seen[i])
            FAIL("fault %u (%s) has no row in %s", faults[i].number, faults[i].name, argv[1]);
    for (size_t i = 0; i < METHOD_COUNT; i++)
        if (!method_seen[i])
            FAIL("%s %s (label %u) has no row in %s", methods[i].object, methods[i].name,
                 methods[i].label, argv[1]);
    if (failures)
        return 1;
    printf("abi_check: %zu system calls and %zu methods agree with %s\n", SYSCALL_COUNT,
           METHOD_COUNT, argv[1]);
    return 0;
}
