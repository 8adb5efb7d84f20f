/* SPDX-License-Identifier: MIT */
/* Reading the system description (sysdesc.h). Each program entry is checked
 * property by property; the first problem marks it invalid with a message
 * naming the entry and the property, and reading goes on with the next
 * entry, so one mistake stops one program, not the system. */
#include <stdbool.h>
#include <stdint.h>

#ifdef TESSERA_HOST
#include <stdio.h>
#else
#include "tsr/stdio.h"
#endif

#include "lib/fdt.h"
#include "sysdesc.h"

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void str_copy(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i];
    dst[n] = '\0';
}

/* Mark the entry invalid with a message; fmt may use one %s for `detail`
 * (the callers' formats are all literals). */
static bool invalid(struct sysdesc_program *p, const char *fmt, const char *detail)
{
    snprintf(p->error, sizeof(p->error), fmt, detail);
    p->valid = false;
    return false;
}

/* A name of a program or service: 1-31 of [a-z0-9_.-], starting with a letter. */
static bool good_name(const char *s, size_t len)
{
    if (len == 0 || len > SYSDESC_NAME_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.'))
            return false;
    }
    return true;
}

/* What a string list may hold. */
enum list_kind { ANY_STRINGS, NAMES, NAMES_OR_STAR };

/* A property holding one to `max` NUL-terminated strings, copied to out;
 * false if the value is not such a list of the kind asked for. */
static bool string_list(const void *val, uint32_t len, unsigned *count, unsigned max,
                        size_t max_len, char (*out)[SYSDESC_NAME_MAX + 1], enum list_kind kind)
{
    const char *s = val;
    if (len == 0 || s[len - 1] != '\0')
        return false;
    unsigned n = 0;
    for (uint32_t at = 0; at < len;) {
        size_t l = str_len(s + at);
        bool star = l == 1 && s[at] == '*';
        if (n == max || l == 0 || l > max_len ||
            (kind != ANY_STRINGS && !good_name(s + at, l) && !(kind == NAMES_OR_STAR && star)))
            return false;
        str_copy(out[n++], s + at, l);
        at += (uint32_t)l + 1;
    }
    *count = n;
    return true;
}

static bool one_string(const void *val, uint32_t len, char *out, size_t max)
{
    const char *s = val;
    if (len < 2 || len - 1 > max || s[len - 1] != '\0' || str_len(s) != len - 1)
        return false;
    str_copy(out, s, len - 1);
    return true;
}

static bool one_u32(const void *val, uint32_t len, uint32_t *out)
{
    if (len != 4)
        return false;
    *out = dt_be32(val);
    return true;
}

static bool read_property(struct sysdesc_program *p, const char *name, const void *val,
                          uint32_t len, bool *have_memory)
{
    if (str_eq(name, "program")) {
        if (!one_string(val, len, p->program, SYSDESC_PATH_MAX))
            return invalid(p, "program must be one string of at most 63 characters", "");
    } else if (str_eq(name, "priority")) {
        if (!one_u32(val, len, &p->priority) || p->priority > SYSDESC_MAX_PRIORITY)
            return invalid(p, "priority must be one number, 0 to 254", "");
    } else if (str_eq(name, "memory-kib")) {
        if (!one_u32(val, len, &p->memory_kib) || p->memory_kib == 0 ||
            p->memory_kib % 4 != 0 || p->memory_kib > SYSDESC_MAX_MEMORY_KIB)
            return invalid(p, "memory-kib must be one number, a multiple of 4 up to "
                              "1048576", "");
        *have_memory = true;
    } else if (str_eq(name, "stack-kib")) {
        if (!one_u32(val, len, &p->stack_kib) || p->stack_kib == 0 || p->stack_kib % 4 != 0 ||
            p->stack_kib > SYSDESC_MAX_STACK_KIB)
            return invalid(p, "stack-kib must be one number, a multiple of 4 up to "
                              "1024", "");
    } else if (str_eq(name, "serves")) {
        if (!string_list(val, len, &p->nserves, SYSDESC_MAX_NAMES, SYSDESC_NAME_MAX, p->serves,
                         NAMES))
            return invalid(p, "serves must list 1-16 names of [a-z0-9_.-]", "");
    } else if (str_eq(name, "uses")) {
        if (!string_list(val, len, &p->nuses, SYSDESC_MAX_NAMES, SYSDESC_NAME_MAX, p->uses,
                         NAMES_OR_STAR))
            return invalid(p, "uses must list 1-16 names of [a-z0-9_.-] or \"*\"", "");
    } else if (str_eq(name, "device")) {
        if (!one_string(val, len, p->device, SYSDESC_PATH_MAX))
            return invalid(p, "device must be \"stdout\" or a device-tree path", "");
    } else if (str_eq(name, "rights")) {
        char rights[SYSDESC_MAX_NAMES][SYSDESC_NAME_MAX + 1];
        unsigned n;
        if (!string_list(val, len, &n, SYSDESC_MAX_NAMES, SYSDESC_NAME_MAX, rights,
                         ANY_STRINGS))
            return invalid(p, "rights must be a list of strings", "");
        for (unsigned i = 0; i < n; i++) {
            if (!str_eq(rights[i], "poweroff"))
                return invalid(p, "unknown right '%s' (known: poweroff)", rights[i]);
            p->rights |= SYSDESC_RIGHT_POWEROFF;
        }
    } else if (str_eq(name, "args")) {
        const char *s = val;
        if (len == 0 || len > SYSDESC_ARGS_MAX || s[len - 1] != '\0')
            return invalid(p, "args must be strings of at most 128 bytes in all", "");
        p->argc = 0;
        for (uint32_t i = 0; i < len; i++) {
            p->args[i] = s[i];
            if (s[i] == '\0')
                p->argc++;
        }
    } else if (!str_eq(name, "phandle") && !str_eq(name, "linux,phandle")) {
        return invalid(p, "unknown property '%s'", name);
    }
    return true;
}

static void read_program(const struct dt *dt, int node, struct sysdesc_program *p)
{
    const char *name;
    int len = dt_node_name(dt, node, &name);
    p->valid = true;
    p->priority = SYSDESC_DEFAULT_PRIORITY;
    p->stack_kib = SYSDESC_DEFAULT_STACK_KIB;
    /* The node name without its unit address names the program. */
    size_t n = 0;
    while (len > 0 && n < (size_t)len && name[n] != '@')
        n++;
    if (len < 0 || !good_name(name, n)) {
        str_copy(p->name, "?", 1);
        invalid(p, "'%s' is not a program name: 1-31 of [a-z0-9_.-], starting with a "
                   "letter", len < 0 ? "?" : name);
        return;
    }
    str_copy(p->name, name, n);
    str_copy(p->program, name, n);
    bool have_memory = false;
    for (int prop = dt_first_prop(dt, node); prop >= 0; prop = dt_next_prop(dt, prop)) {
        const char *pname;
        const void *val;
        uint32_t vlen;
        if (dt_prop_at(dt, prop, &pname, &val, &vlen) < 0) {
            invalid(p, "unreadable property", "");
            return;
        }
        if (!read_property(p, pname, val, vlen, &have_memory))
            return;
    }
    if (!have_memory)
        invalid(p, "memory-kib is missing (the memory it may use, in KiB)", "");
}

/* A name served by two programs: the later one is refused, so which one
 * answers never depends on start-up order. */
static void check_serves(struct sysdesc *d, unsigned i)
{
    struct sysdesc_program *p = &d->programs[i];
    for (unsigned j = 0; j < i && p->valid; j++) {
        const struct sysdesc_program *q = &d->programs[j];
        if (!q->valid)
            continue;
        for (unsigned a = 0; a < p->nserves && p->valid; a++)
            for (unsigned b = 0; b < q->nserves; b++)
                if (str_eq(p->serves[a], q->serves[b])) {
                    invalid(p, "serves '%s', which an earlier program serves already",
                            p->serves[a]);
                    break;
                }
    }
}

bool sysdesc_parse(const void *blob, size_t size, struct sysdesc *out, char *error,
                   size_t error_size)
{
    struct dt dt;
    out->count = 0;
    out->skipped = 0;
    int err = dt_init(&dt, blob, size);
    if (err) {
        snprintf(error, error_size, "not a device tree (%s)", dt_strerror(err));
        return false;
    }
    if (!dt_is_compatible(&dt, dt_root(&dt), "tessera,system")) {
        snprintf(error, error_size, "the root node is not compatible with \"tessera,system\"");
        return false;
    }
    int programs = dt_path(&dt, "/programs");
    if (programs < 0) {
        snprintf(error, error_size, "no /programs node");
        return false;
    }
    for (int node = dt_first_child(&dt, programs); node >= 0; node = dt_next_sibling(&dt, node)) {
        if (out->count == SYSDESC_MAX_PROGRAMS) {
            out->skipped++;
            continue;
        }
        struct sysdesc_program *p = &out->programs[out->count];
        for (size_t i = 0; i < sizeof(*p); i++)
            ((char *)p)[i] = 0;
        read_program(&dt, node, p);
        check_serves(out, out->count);
        out->count++;
    }
    return true;
}
