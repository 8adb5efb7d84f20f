/* SPDX-License-Identifier: MIT */
/* C names of generated identifiers and the names the generated code's C
 * environment takes (see names.h). */
#include "names.h"

#include <stdlib.h>
#include <string.h>

/* The concatenation of up to five strings (NULL ends the list early), in
 * the arena: these names are made for every declaration, so no printf. */
static char *join(arena *a, const char *p0, const char *p1, const char *p2, const char *p3,
                  const char *p4)
{
    const char *parts[5] = {p0, p1, p2, p3, p4};
    size_t len[5] = {0}, total = 0;
    for (int i = 0; i < 5 && parts[i] != NULL; i++)
        total += len[i] = strlen(parts[i]);
    char *r = arena_alloc(a, total + 1), *q = r;
    for (int i = 0; i < 5 && parts[i] != NULL; i++) {
        memcpy(q, parts[i], len[i]);
        q += len[i];
    }
    *q = '\0';
    return r;
}

/* "v" and the version number. */
static const char *vnum(arena *a, const char *v, uint32_t n)
{
    char buf[16];
    size_t k = sizeof buf - 1;
    buf[k] = '\0';
    do {
        buf[--k] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    return join(a, v, buf + k, NULL, NULL, NULL);
}

char *cname_upper(arena *a, const char *s)
{
    char *r = arena_strdup(a, s);
    for (char *q = r; *q; q++) {
        if (*q >= 'a' && *q <= 'z')
            *q = (char)(*q - 'a' + 'A');
    }
    return r;
}

char *cname_const(arena *a, const char *name)
{
    return cname_upper(a, name);
}

char *cname_type(arena *a, const char *name)
{
    return join(a, name, "_t", NULL, NULL, NULL);
}

char *cname_valid(arena *a, const char *enum_name)
{
    return join(a, enum_name, "_valid", NULL, NULL, NULL);
}

char *cname_enumerator(arena *a, const char *e, const char *m)
{
    return cname_upper(a, join(a, e, "_", m, NULL, NULL));
}

char *cname_guid(arena *a, const char *iface, const char *half)
{
    return join(a, cname_upper(a, iface), "_GUID_", half, NULL, NULL);
}

char *cname_stub(arena *a, const char *iface, uint32_t v, const char *m)
{
    return join(a, iface, "_", vnum(a, "v", v), "_", m);
}

char *cname_emit(arena *a, const char *iface, uint32_t v, const char *m)
{
    return join(a, iface, "_", vnum(a, "v", v), "_emit_", m);
}

char *cname_events(arena *a, const char *iface, uint32_t v)
{
    return join(a, iface, "_", vnum(a, "v", v), "_events", NULL);
}

char *cname_event_dispatch(arena *a, const char *iface, uint32_t v)
{
    return join(a, iface, "_", vnum(a, "v", v), "_event_dispatch", NULL);
}

char *cname_reply(arena *a, const char *iface, uint32_t v, const char *m)
{
    return join(a, iface, "_", vnum(a, "v", v), "_", join(a, m, "_reply", NULL, NULL, NULL));
}

char *cname_ordinal(arena *a, const char *iface, uint32_t v, const char *m)
{
    return cname_upper(a, join(a, iface, "_", vnum(a, "v", v), "_", join(a, m, "_ordinal", NULL, NULL, NULL)));
}

char *cname_ops(arena *a, const char *iface, uint32_t v)
{
    return join(a, iface, "_", vnum(a, "v", v), "_ops", NULL);
}

char *cname_server(arena *a, const char *iface)
{
    return join(a, iface, "_server", NULL, NULL, NULL);
}

char *cname_dispatch(arena *a, const char *iface)
{
    return join(a, iface, "_dispatch", NULL, NULL, NULL);
}

char *cname_binding(arena *a, const char *iface)
{
    return join(a, iface, "_binding", NULL, NULL, NULL);
}

char *cname_negotiate(arena *a, const char *iface)
{
    return join(a, iface, "_negotiate", NULL, NULL, NULL);
}

char *cname_guard(arena *a, const char *stem)
{
    char *g = join(a, "IDL_GEN_", cname_upper(a, stem), "_H", NULL, NULL);
    for (char *q = g; *q; q++) {
        if (!((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
            *q = '_';
    }
    return g;
}

/* ---- the environment ------------------------------------------------------------ */

static const char kw[] = "a C keyword", kw23[] = "a C23 keyword",
                  gnu[] = "a GNU C keyword",
                  stdbool[] = "a macro of <stdbool.h> and a C23 keyword",
                  def_macro[] = "a macro of <stddef.h>", def_type[] = "a type of <stddef.h>";

/* Every fixed name, sorted by strcmp for bsearch. */
static const struct reserved {
    const char *name, *why;
} fixed[] = {
    {"NULL", def_macro},      {"alignas", kw23},     {"alignof", kw23},
    {"asm", gnu},             {"auto", kw},          {"bool", stdbool},
    {"break", kw},            {"case", kw},          {"char", kw},
    {"const", kw},            {"constexpr", kw23},   {"continue", kw},
    {"default", kw},          {"do", kw},            {"double", kw},
    {"else", kw},             {"enum", kw},          {"extern", kw},
    {"false", stdbool},       {"float", kw},         {"for", kw},
    {"goto", kw},             {"if", kw},            {"inline", kw},
    {"int", kw},              {"long", kw},          {"max_align_t", def_type},
    {"nullptr", kw23},        {"nullptr_t", def_type}, {"offsetof", def_macro},
    {"ptrdiff_t", def_type},  {"register", kw},      {"restrict", kw},
    {"return", kw},           {"short", kw},         {"signed", kw},
    {"size_t", def_type},     {"sizeof", kw},        {"static", kw},
    {"static_assert", kw23},  {"struct", kw},        {"switch", kw},
    {"thread_local", kw23},   {"true", stdbool},     {"typedef", kw},
    {"typeof", kw23},         {"typeof_unqual", kw23}, {"union", kw},
    {"unreachable", def_macro}, {"unsigned", kw},    {"void", kw},
    {"volatile", kw},         {"wchar_t", def_type}, {"while", kw},
};
static const char *const stdint_macro_stems[] = {"PTRDIFF", "SIG_ATOMIC", "SIZE", "WCHAR",
                                                 "WINT"};

static int reserved_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct reserved *)elem)->name);
}

static bool eat(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n) != 0)
        return false;
    *p += n;
    return true;
}

/* [u]int[_least|_fast]{8,16,32,64}, [u]int{ptr,max}, or upper case
 * ([U]INT...): the stem of every <stdint.h> type and most of its macros.
 * Advances *p past it. */
static bool stdint_stem(const char **p, bool upper)
{
    eat(p, upper ? "U" : "u");
    if (!eat(p, upper ? "INT" : "int"))
        return false;
    if (eat(p, upper ? "PTR" : "ptr") || eat(p, upper ? "MAX" : "max"))
        return true;
    if (!eat(p, upper ? "_LEAST" : "_least"))
        eat(p, upper ? "_FAST" : "_fast");
    return eat(p, "8") || eat(p, "16") || eat(p, "32") || eat(p, "64");
}

static bool stdint_type(const char *name)
{
    const char *p = name;
    return stdint_stem(&p, false) && strcmp(p, "_t") == 0;
}

/* INT8_MAX, UINT_LEAST16_MIN, INTMAX_C, SIZE_WIDTH, ... */
static bool stdint_macro(const char *name)
{
    const char *p = name;
    bool stem = stdint_stem(&p, true);
    if (!stem) {
        for (size_t i = 0; i < sizeof stdint_macro_stems / sizeof stdint_macro_stems[0]; i++) {
            p = name;
            if (eat(&p, stdint_macro_stems[i])) {
                stem = true;
                break;
            }
        }
    }
    if (!stem || !eat(&p, "_"))
        return false;
    return strcmp(p, "MIN") == 0 || strcmp(p, "MAX") == 0 || strcmp(p, "WIDTH") == 0 ||
           strcmp(p, "C") == 0;
}

const char *cname_reserved(const char *name)
{
    const struct reserved *r =
        bsearch(name, fixed, sizeof fixed / sizeof fixed[0], sizeof fixed[0], reserved_cmp);
    if (r != NULL)
        return r->why;
    if (stdint_type(name))
        return "a type of <stdint.h>";
    if (stdint_macro(name))
        return "a macro of <stdint.h>";
    if (strncmp(name, "idl_", 4) == 0 || strncmp(name, "IDL_", 4) == 0 ||
        strncmp(name, "idlg_", 5) == 0)
        return "names starting idl_, IDL_ or idlg_ belong to the IDL runtime and generated code";
    if (strncmp(name, "tsr_", 4) == 0 || strncmp(name, "TSR_", 4) == 0 ||
        strncmp(name, "TESSERA_", 8) == 0)
        return "names starting tsr_, TSR_ or TESSERA_ belong to the kernel ABI headers";
    return NULL;
}
