/* SPDX-License-Identifier: MIT */
/* C names of generated identifiers and the names the generated code's C
 * environment takes (see names.h). */
#include "names.h"

#include <string.h>

static char *cat(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *cat(arena *a, const char *fmt, ...)
{
    strbuf sb;
    sb_init(&sb);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    char *r = arena_strndup(a, sb.data, sb.len);
    sb_free(&sb);
    return r;
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
    return cat(a, "%s_t", name);
}

char *cname_valid(arena *a, const char *enum_name)
{
    return cat(a, "%s_valid", enum_name);
}

char *cname_enumerator(arena *a, const char *e, const char *m)
{
    return cat(a, "%s_%s", cname_upper(a, e), cname_upper(a, m));
}

char *cname_guid(arena *a, const char *iface, const char *half)
{
    return cat(a, "%s_GUID_%s", cname_upper(a, iface), half);
}

char *cname_stub(arena *a, const char *iface, uint32_t v, const char *m)
{
    return cat(a, "%s_v%u_%s", iface, v, m);
}

char *cname_ordinal(arena *a, const char *iface, uint32_t v, const char *m)
{
    return cat(a, "%s_V%u_%s_ORDINAL", cname_upper(a, iface), v, cname_upper(a, m));
}

char *cname_ops(arena *a, const char *iface, uint32_t v)
{
    return cat(a, "%s_v%u_ops", iface, v);
}

char *cname_server(arena *a, const char *iface)
{
    return cat(a, "%s_server", iface);
}

char *cname_dispatch(arena *a, const char *iface)
{
    return cat(a, "%s_dispatch", iface);
}

char *cname_binding(arena *a, const char *iface)
{
    return cat(a, "%s_binding", iface);
}

char *cname_guard(arena *a, const char *stem)
{
    char *g = cat(a, "IDL_GEN_%s_H", cname_upper(a, stem));
    for (char *q = g; *q; q++) {
        if (!((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
            *q = '_';
    }
    return g;
}

/* ---- the environment ------------------------------------------------------------ */

static const char *const c_keywords[] = {
    "auto",   "break",    "case",     "char",     "const",  "continue", "default",
    "do",     "double",   "else",     "enum",     "extern", "float",    "for",
    "goto",   "if",       "inline",   "int",      "long",   "register", "restrict",
    "return", "short",    "signed",   "sizeof",   "static", "struct",   "switch",
    "typedef", "union",   "unsigned", "void",     "volatile", "while",
};
/* bool, true and false are also macros of <stdbool.h>: listed there. */
static const char *const c23_keywords[] = {
    "alignas", "alignof", "constexpr", "nullptr", "static_assert", "thread_local",
    "typeof",  "typeof_unqual",
};
static const char *const stdbool_macros[] = {"bool", "true", "false"};
static const char *const stddef_macros[] = {"NULL", "offsetof", "unreachable"};
static const char *const stddef_types[] = {"size_t", "ptrdiff_t", "wchar_t", "max_align_t",
                                           "nullptr_t"};
static const char *const stdint_macro_stems[] = {"PTRDIFF", "SIG_ATOMIC", "SIZE", "WCHAR",
                                                 "WINT"};

static bool in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, list[i]) == 0)
            return true;
    }
    return false;
}
#define IN(name, list) in_list(name, list, sizeof list / sizeof list[0])

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
    if (IN(name, c_keywords))
        return "a C keyword";
    if (IN(name, c23_keywords))
        return "a C23 keyword";
    if (strcmp(name, "asm") == 0)
        return "a GNU C keyword";
    if (IN(name, stdbool_macros))
        return "a macro of <stdbool.h> and a C23 keyword";
    if (IN(name, stddef_macros))
        return "a macro of <stddef.h>";
    if (IN(name, stddef_types))
        return "a type of <stddef.h>";
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
