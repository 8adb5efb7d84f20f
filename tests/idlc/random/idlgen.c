/* SPDX-License-Identifier: MIT */
/* idlgen: a grammar-based generator of random valid IDL, seeded, for the
 * idlc-random tests (tests/idlc/cmake/random.cmake).
 *
 *   idlgen SEED DIR          DIR/gen_types.idl, DIR/gen.idl (which imports
 *                            it) and DIR/gen_test.c, a loopback client and
 *                            server of every method of every version
 *   idlgen --mutate SEED DIR the two .idl files with one defect; prints
 *                            "IDLnnnn one" or "IDLnnnn any": the diagnostic
 *                            it must cause, and whether it must be the only
 *                            error
 *
 * A program is first built as a model (constants, enums, structs,
 * interfaces with versions), valid by construction: names come from word
 * lists with a number appended to declarations, so that no two generated C
 * names can collide and none is reserved; sizes are kept under the message
 * limits with a conservative word count (every scalar a whole word). Then
 * it is printed as IDL, declarations in random order (the language allows
 * use before declaration), with constants standing in for some numbers and
 * comments here and there. gen_test.c gives every in- and out-parameter a
 * random value (static const, shared by client and server code), and every
 * op checks its inputs field by field against them and sets its outputs,
 * which the client checks field by field in turn; some ops return an error
 * of the interface, one may be left NULL. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers ------------------------------------------------------------ */

static uint64_t rng, seed;

static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return n ? (unsigned)(rnd() % n) : 0;
}

static unsigned between(unsigned lo, unsigned hi)
{
    return lo + below(hi - lo + 1);
}

static bool chance(unsigned percent)
{
    return below(100) < percent;
}

/* ---- text -------------------------------------------------------------------------- */

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        if (t->p == NULL)
            abort();
    }
    vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
    t->len += (size_t)n;
    va_end(ap);
}

/* ---- the model ------------------------------------------------------------------------ */

enum { MAX_CONSTS = 24, MAX_ENUMS = 6, MAX_MEMBERS = 8, MAX_STRUCTS = 10, MAX_FIELDS = 7,
       MAX_IFACES = 3, MAX_VERSIONS = 3, MAX_METHODS = 9, MAX_PARAMS = 7 };
enum { FILE_MAIN, FILE_TYPES };
enum { MSG_WORDS = 120 };

typedef struct ival {
    bool neg;
    uint64_t mag;
} ival;

typedef enum kind { K_INT, K_BOOL, K_ENUM, K_STRUCT, K_STRING, K_BYTES, K_CAP, K_BULK } kind;

static const char *const ik_idl[8] = {"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"};
static const char *const ik_c[8] = {"uint8_t", "uint16_t", "uint32_t", "uint64_t",
                                    "int8_t",  "int16_t",  "int32_t",  "int64_t"};
static const unsigned ik_size[8] = {1, 2, 4, 8, 1, 2, 4, 8};

typedef struct gtype {
    kind k;
    int ik;         /* K_INT */
    int ref;        /* K_ENUM, K_STRUCT */
    unsigned bound; /* K_STRING, K_BYTES */
    unsigned arr;   /* array length, 0: not an array */
    int bound_c;    /* constant naming the bound, or -1 */
    int arr_c;      /* constant naming the array length, or -1 */
    int capk;       /* K_CAP: 0 plain cap, else cap_kinds[capk - 1] */
    unsigned rights; /* K_CAP: the rights named (none: sent as held) */
    int client;     /* K_CAP: 0, or client<I[client - 1]> */
    unsigned vlo, vhi; /* client's range (0: not written) */
} gtype;

/* The kinds cap<...> may name, and a kernel type code of each (frames
 * also 8, the large size). */
static const struct {
    const char *name;
    unsigned code;
} cap_kinds[] = {
    {"any", 0},    {"endpoint", 4}, {"notification", 5}, {"frame", 7},        {"msg_queue", 11},
    {"reply", 6},  {"untyped", 1},  {"cnode", 2},        {"tcb", 3},          {"vspace", 10},
    {"page_table", 9}, {"irq_handler", 19},
};
#define NCAPK (int)(sizeof cap_kinds / sizeof cap_kinds[0])
static const char *const right_names[4] = {"read", "write", "grant", "grant_reply"};

typedef struct gfield {
    char name[32];
    gtype t;
} gfield;

typedef struct gconst {
    char name[32];
    int ik;
    ival v;
    int from; /* defined as another constant's name, or -1 */
    int file;
} gconst;

typedef struct genum {
    char name[32];
    int ik;
    int n;
    char member[MAX_MEMBERS][32];
    ival v[MAX_MEMBERS];
    int v_c[MAX_MEMBERS]; /* constant naming the value, or -1 */
    int file;
    bool error; /* values in 1..65535: usable as an error enum */
} genum;

typedef struct gstruct {
    char name[32];
    int n;
    gfield f[MAX_FIELDS];
    unsigned words; /* conservative: every scalar a word */
    int file;
} gstruct;

typedef struct gmethod {
    char name[32];
    unsigned ordinal;
    int ordinal_c; /* constant naming the ordinal, or -1 */
    bool oneway, has_reply;
    int nin, nout;
    gfield in[MAX_PARAMS], out[MAX_PARAMS];
} gmethod;

typedef struct gversion {
    unsigned version;
    int version_c;
    int n;
    gmethod m[MAX_METHODS];
} gversion;

typedef struct giface {
    char name[32];
    uint64_t hi, lo;
    int err; /* error enum or -1 */
    int nv;
    gversion v[MAX_VERSIONS];
    /* driver choices, per version and method */
    int fail[MAX_VERSIONS][MAX_METHODS]; /* enumerator the op returns, or -1 */
    bool null_op[MAX_VERSIONS][MAX_METHODS];
    /* mutations */
    const char *guid_text; /* printed instead of the GUID */
    bool no_version;       /* version 0's "version = ...;" left out */
} giface;

static gconst C[MAX_CONSTS];
static genum E[MAX_ENUMS];
static gstruct S[MAX_STRUCTS];
static giface I[MAX_IFACES];
static int nC, nE, nS, nI;
static unsigned serial; /* makes declaration names unique */
static text extra[2];   /* text mutations append to a file */

/* ---- names ------------------------------------------------------------------------ */

/* Words for names: letters only, none a C keyword, a name the C headers or
 * the test driver use, or an IDL keyword. Declarations get a number after
 * the word (so their C names, which all add a "_...", cannot meet another
 * declaration's); members are letters only (so they never equal a macro,
 * which has a digit, or a typedef, which has an underscore). */
static const char *const words[] = {
    "alpha", "beta",  "gamma", "delta", "count",  "data",   "len",   "id",     "name",
    "value", "flags", "mode",  "x",     "y",      "z",      "when",  "size",   "point",
    "item",  "key",   "tag",   "kind",  "state",  "level",  "offset", "length", "width",
    "height", "depth", "color", "red",  "green",  "blue",   "on",    "off",    "low",
    "high",  "left",  "right", "top",   "bottom", "first",  "last",  "next",   "prev",
    "head",  "tail",  "owner", "group", "user",   "seq",    "rank",  "score",  "total",
    "sum",   "min",   "max",   "label", "path",   "node",   "edge",  "span",   "base",
    "limit", "slot",  "port",  "addr",  "mask",   "bits",   "word",  "page",   "line",
    "col",   "err",   "code",  "status", "reason", "hint",  "note",  "Point",  "Item",
    "WIDTH", "Mode",  "XY",    "Q",
};
/* Members may also be named like built-in types, attributes, or contain a
 * generated local's name. */
static const char *const special_members[] = {
    "u8", "u16", "i64", "string", "bytes", "cap", "bulk", "guid", "version", "error",
    "xidl_pos", "aidl_len", "bidl_w", "cidl_st", "didl_used",
};

static void decl_name(char *out, const char *prefix)
{
    const char *w = words[below(sizeof words / sizeof words[0])];
    snprintf(out, 32, "%s%s%u", prefix, w, ++serial);
}

static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* A member name not in used[0..n), ignoring case: enumerators and methods
 * are upper-cased into macros. */
static void member_name(char *out, char used[][32], int n)
{
    for (;;) {
        if (chance(12))
            snprintf(out, 32, "%s", special_members[below(sizeof special_members /
                                                           sizeof special_members[0])]);
        else if (chance(15))
            snprintf(out, 32, "%s%s", words[below(sizeof words / sizeof words[0])],
                     words[below(sizeof words / sizeof words[0])]);
        else
            snprintf(out, 32, "%s", words[below(sizeof words / sizeof words[0])]);
        bool dup = strcmp(out, "ops") == 0;
        for (int i = 0; i < n && !dup; i++)
            dup = same_name(used[i], out);
        if (!dup)
            return;
    }
}

/* ---- values -------------------------------------------------------------------------- */

static bool ik_signed(int ik)
{
    return ik >= 4;
}

static ival random_value(int ik)
{
    unsigned bits = ik_size[ik] * 8;
    ival v = {false, 0};
    uint64_t r = rnd();
    switch (below(6)) {
    case 0:
        r = 0;
        break;
    case 1:
        r = ~UINT64_C(0); /* the maximum (or -1, or the minimum: below) */
        break;
    case 2:
        r &= 0xff;
        break;
    default:
        break;
    }
    if (!ik_signed(ik)) {
        v.mag = bits == 64 ? r : r & ((UINT64_C(1) << bits) - 1);
        return v;
    }
    uint64_t lim = UINT64_C(1) << (bits - 1); /* magnitudes: < lim, or == lim if negative */
    v.neg = (r >> 63) != 0;
    v.mag = (r & 0x7fffffffffffffffull) % (lim + (v.neg ? 1 : 0));
    if (below(8) == 0) {
        v.neg = true;
        v.mag = lim; /* the most negative */
    }
    if (v.mag == 0)
        v.neg = false;
    return v;
}

static bool ival_eq(ival a, ival b)
{
    return a.neg == b.neg && a.mag == b.mag;
}

/* As IDL: decimal or hex, '-' before negatives. */
static void idl_value(text *t, ival v)
{
    if (!v.neg && v.mag > 9 && chance(30))
        put(t, chance(80) ? "0x%" PRIx64 : "0X%" PRIX64, v.mag);
    else
        put(t, "%s%" PRIu64, v.neg ? "-" : "", v.mag);
}

/* As a C expression of type ik_c[ik]. */
static void c_value(text *t, ival v, int ik)
{
    if (ik == 3)
        put(t, "(uint64_t)UINT64_C(%" PRIu64 ")", v.mag);
    else if (ik == 7 && v.neg && v.mag == (UINT64_C(1) << 63))
        put(t, "(int64_t)(-INT64_C(9223372036854775807) - 1)");
    else if (ik == 7)
        put(t, "(int64_t)%sINT64_C(%" PRIu64 ")", v.neg ? "-" : "", v.mag);
    else if (ik_signed(ik) && v.neg && v.mag == (UINT64_C(1) << (ik_size[ik] * 8 - 1)))
        put(t, "(%s)(-%" PRIu64 " - 1)", ik_c[ik], v.mag - 1);
    else
        put(t, "(%s)%s%" PRIu64, ik_c[ik], v.neg ? "-" : "", v.mag);
}

/* ---- constants ------------------------------------------------------------------------ */

static int visible(int decl_file, int use_file)
{
    return use_file == FILE_MAIN || decl_file == FILE_TYPES;
}

/* A constant of value v (fitting ik) visible from `file`, made if need be. */
static int const_for(unsigned v, int file)
{
    for (int i = 0; i < nC; i++) {
        if (!C[i].v.neg && C[i].v.mag == v && visible(C[i].file, file) && chance(50))
            return i;
    }
    if (nC == MAX_CONSTS)
        return -1;
    gconst *c = &C[nC];
    decl_name(c->name, chance(30) ? "K" : "k");
    c->ik = v > 0xffff ? 2 : (int)(1 + 2 * below(2)); /* u16 or u64, u32 if large */
    c->v = (ival){false, v};
    c->from = -1;
    c->file = file == FILE_TYPES || chance(40) ? FILE_TYPES : FILE_MAIN;
    if (!visible(c->file, file))
        c->file = FILE_TYPES;
    /* Sometimes through another constant of the same value and type. */
    for (int i = 0; i < nC; i++) {
        if (ival_eq(C[i].v, c->v) && C[i].ik == c->ik && visible(C[i].file, c->file) &&
            chance(30))
            c->from = i;
    }
    return nC++;
}

static void make_constants(void)
{
    int n = (int)between(0, 5);
    for (int i = 0; i < n; i++) {
        gconst *c = &C[nC];
        decl_name(c->name, chance(30) ? "C" : "c");
        c->ik = (int)below(8);
        c->v = random_value(c->ik);
        c->from = -1;
        c->file = chance(50) ? FILE_TYPES : FILE_MAIN;
        if (nC > 0 && chance(40)) {
            int k = (int)below((unsigned)nC);
            if (visible(C[k].file, c->file)) {
                c->ik = C[k].ik;
                c->v = C[k].v;
                c->from = k;
            }
        }
        nC++;
    }
}

/* ---- enums ------------------------------------------------------------------------------- */

static void make_enums(void)
{
    nE = (int)between(0, 4);
    for (int i = 0; i < nE; i++) {
        genum *e = &E[i];
        decl_name(e->name, "e");
        e->file = chance(60) ? FILE_TYPES : FILE_MAIN;
        e->error = chance(35);
        static const int error_iks[] = {1, 2, 3, 6, 7};
        e->ik = e->error ? error_iks[below(5)] : (int)below(8);
        e->n = (int)between(1, MAX_MEMBERS);
        for (int m = 0; m < e->n; m++) {
            member_name(e->member[m], e->member, m);
            e->v_c[m] = -1;
            for (;;) {
                ival v = e->error ? (ival){false, between(1, chance(20) ? 65535 : 40)}
                                  : random_value(e->ik);
                bool dup = false;
                for (int k = 0; k < m; k++)
                    dup |= ival_eq(e->v[k], v);
                if (!dup) {
                    e->v[m] = v;
                    break;
                }
            }
            /* Sometimes through a constant of the same value. */
            for (int k = 0; k < nC; k++) {
                if (ival_eq(C[k].v, e->v[m]) && visible(C[k].file, e->file) && chance(60))
                    e->v_c[m] = k;
            }
        }
    }
}

/* ---- types ---------------------------------------------------------------------------------- */

static unsigned scalar_size(const gtype *t)
{
    return t->k == K_INT ? ik_size[t->ik] : t->k == K_ENUM ? ik_size[E[t->ref].ik] : 1;
}

/* Words, with every scalar counted as a whole word: never less than what
 * idlc computes, so what fits here fits there. */
static unsigned type_words(const gtype *t)
{
    unsigned w;
    switch (t->k) {
    case K_INT:
    case K_BOOL:
    case K_ENUM:
        return t->arr ? (t->arr * scalar_size(t) + 7) / 8 : 1;
    case K_STRING:
    case K_BYTES:
        w = 1 + (t->bound + 7) / 8;
        break;
    case K_STRUCT:
        w = S[t->ref].words;
        break;
    case K_BULK:
        return 2;
    default:
        return 0;
    }
    return t->arr ? t->arr * w : w;
}

enum { CTX_FIELD, CTX_IN, CTX_OUT };

static int cur_iface; /* the interface make_interfaces is making */

/* A capability type: plain, cap<kind>, cap<kind, rights>, or a client of
 * an interface made before this one, with a range that holds a version. */
static void pick_cap(gtype *t)
{
    t->k = K_CAP;
    unsigned r = below(100);
    if (r < 30)
        return;
    if (r < 85 || cur_iface == 0) {
        t->capk = 1 + (int)below(NCAPK);
        if (chance(55))
            t->rights = between(1, 15);
        return;
    }
    int i = (int)below((unsigned)cur_iface);
    t->client = i + 1;
    if (chance(50)) {
        /* around one of its versions, maybe open-ended */
        unsigned v = I[i].v[below((unsigned)I[i].nv)].version;
        t->vlo = between(v > 3 ? v - 3 : 1, v);
        t->vhi = chance(40) ? 0 : between(v, v + 3 > 65535 ? 65535 : v + 3);
    }
}

/* A random type taking at most `left` words, usable in `file`; caps and
 * bulk buffers only as parameters (*caps counts the caps so far). */
static void pick_type(gtype *t, unsigned left, int ctx, int file, int *caps, int nstructs)
{
    memset(t, 0, sizeof *t);
    t->bound_c = t->arr_c = -1;
    for (int tries = 0;; tries++) {
        unsigned r = below(100);
        t->arr = 0;
        if (tries > 20 || left == 0) {
            t->k = K_INT; /* one word: always fits when left >= 1 */
            t->ik = (int)below(8);
            if (left == 0 && ctx != CTX_FIELD && *caps < 4) {
                pick_cap(t);
                ++*caps;
            }
            return;
        }
        if (r < 30) {
            t->k = K_INT;
            t->ik = (int)below(8);
        } else if (r < 38) {
            t->k = K_BOOL;
        } else if (r < 50) {
            int k = nE ? (int)below((unsigned)nE) : -1;
            if (k < 0 || !visible(E[k].file, file))
                continue;
            t->k = K_ENUM;
            t->ref = k;
        } else if (r < 64) {
            int k = nstructs ? (int)below((unsigned)nstructs) : -1;
            if (k < 0 || !visible(S[k].file, file))
                continue;
            t->k = K_STRUCT;
            t->ref = k;
        } else if (r < 78) {
            t->k = K_STRING;
        } else if (r < 88) {
            t->k = K_BYTES;
        } else if (r < 94) {
            if (ctx == CTX_FIELD || *caps >= 4)
                continue;
            pick_cap(t);
            ++*caps;
            return;
        } else {
            if (ctx == CTX_FIELD)
                continue;
            t->k = K_BULK;
            if (type_words(t) > left)
                continue;
            return;
        }
        if (t->k == K_STRING || t->k == K_BYTES) {
            unsigned most = left > 1 ? (left - 1) * 8 : 0;
            if (most == 0)
                continue;
            t->bound = chance(80) ? between(1, 24) : chance(70) ? between(25, 200) : most;
            if (t->bound > most)
                t->bound = between(1, most);
            if (chance(20))
                t->bound_c = const_for(t->bound, file);
        }
        /* Arrays of scalars, enums and structs. */
        if (t->k != K_STRING && t->k != K_BYTES && chance(25)) {
            unsigned one = t->k == K_STRUCT ? S[t->ref].words : scalar_size(t);
            unsigned n = chance(85) ? between(1, 6) : between(7, 300);
            unsigned most = t->k == K_STRUCT ? left / (one ? one : 1) : left * 8 / one;
            if (most == 0)
                continue;
            t->arr = n > most ? between(1, most) : n;
            if (chance(15))
                t->arr_c = const_for(t->arr, file);
        }
        if (type_words(t) <= left)
            return;
    }
}

static void make_structs(void)
{
    nS = (int)between(0, MAX_STRUCTS);
    for (int i = 0; i < nS; i++) {
        gstruct *s = &S[i];
        decl_name(s->name, chance(20) ? "S" : "s");
        s->file = chance(50) ? FILE_TYPES : FILE_MAIN;
        s->n = (int)between(1, MAX_FIELDS);
        unsigned budget = chance(85) ? between(1, 24) : between(25, MSG_WORDS);
        s->words = 0;
        int caps = 4; /* none in structs */
        char used[MAX_FIELDS][32];
        for (int f = 0; f < s->n; f++) {
            if (s->words >= budget) {
                s->n = f;
                break;
            }
            member_name(s->f[f].name, used, f);
            strcpy(used[f], s->f[f].name);
            pick_type(&s->f[f].t, budget - s->words, CTX_FIELD, s->file, &caps, i);
            s->words += type_words(&s->f[f].t);
        }
        if (s->n == 0) { /* keep one field */
            s->n = 1;
            snprintf(s->f[0].name, 32, "x");
            memset(&s->f[0].t, 0, sizeof s->f[0].t);
            s->f[0].t.bound_c = s->f[0].t.arr_c = -1;
            s->words = 1;
        }
    }
}

/* ---- interfaces ----------------------------------------------------------------------------- */

static void make_params(gmethod *m, int *nused, char used[][32])
{
    int caps = 0;
    unsigned req = 2, rep = 0; /* the GUID words */
    int nin = (int)between(0, MAX_PARAMS - 2);
    for (m->nin = 0; m->nin < nin && req < MSG_WORDS;) {
        int i = m->nin++;
        member_name(m->in[i].name, used, *nused);
        strcpy(used[(*nused)++], m->in[i].name);
        pick_type(&m->in[i].t, MSG_WORDS - req, CTX_IN, FILE_MAIN, &caps, nS);
        req += type_words(&m->in[i].t);
    }
    m->nout = 0;
    if (m->oneway)
        return;
    caps = 0;
    int n = (int)between(0, MAX_PARAMS - 2);
    for (int i = 0; i < n && rep < MSG_WORDS; i++) {
        gfield *f = &m->out[m->nout];
        member_name(f->name, used, *nused);
        pick_type(&f->t, MSG_WORDS - rep, CTX_OUT, FILE_MAIN, &caps, nS);
        /* An out bulk is a window in the request (2) and a length in the reply (1). */
        if (f->t.k == K_BULK && req + 2 > MSG_WORDS)
            continue;
        strcpy(used[(*nused)++], f->name);
        req += f->t.k == K_BULK ? 2 : 0;
        rep += f->t.k == K_BULK ? 1 : type_words(&f->t);
        m->nout++;
    }
}

static void make_interfaces(void)
{
    nI = (int)between(1, MAX_IFACES);
    for (int i = 0; i < nI; i++) {
        cur_iface = i;
        giface *f = &I[i];
        decl_name(f->name, chance(20) ? "I" : "i");
        f->hi = rnd();
        f->lo = rnd();
        f->err = -1;
        for (int k = 0; k < nE; k++) {
            if (E[k].error && chance(60))
                f->err = k;
        }
        f->nv = (int)between(1, MAX_VERSIONS);
        unsigned version = 0;
        char mnames[MAX_METHODS][32];
        int nmnames = 0;
        unsigned ordinals[MAX_METHODS];
        for (int v = 0; v < f->nv; v++) {
            gversion *gv = &f->v[v];
            version += chance(70) ? 1 : between(2, 5000);
            gv->version = version;
            gv->version_c = chance(15) ? const_for(version, FILE_MAIN) : -1;
            /* Keep every method of the previous version (parameters may be
             * renamed), then add new ones. */
            gv->n = 0;
            if (v > 0) {
                for (int m = 0; m < f->v[v - 1].n; m++) {
                    gmethod *nm = &gv->m[gv->n++];
                    *nm = f->v[v - 1].m[m];
                    char used[2 * MAX_PARAMS][32];
                    int nused = 0;
                    for (int p = 0; p < nm->nin + nm->nout; p++) {
                        gfield *pf = p < nm->nin ? &nm->in[p] : &nm->out[p - nm->nin];
                        if (chance(20))
                            member_name(pf->name, used, nused);
                        bool dup = false;
                        for (int q = 0; q < nused; q++)
                            dup |= same_name(used[q], pf->name);
                        if (dup) /* keep names unique: fall back to a fresh one */
                            member_name(pf->name, used, nused);
                        strcpy(used[nused++], pf->name);
                    }
                }
            }
            int add = (int)between(v == 0 ? 1 : 0, v == 0 ? 5 : 3);
            for (int k = 0; k < add && gv->n < MAX_METHODS; k++) {
                gmethod *m = &gv->m[gv->n++];
                memset(m, 0, sizeof *m);
                member_name(m->name, mnames, nmnames);
                strcpy(mnames[nmnames], m->name);
                unsigned o;
                bool dup;
                do {
                    o = chance(70) ? between(1, 40) : between(1, 65535);
                    dup = false;
                    for (int q = 0; q < nmnames; q++)
                        dup |= ordinals[q] == o;
                } while (dup);
                ordinals[nmnames++] = o;
                m->ordinal = o;
                m->ordinal_c = chance(10) ? const_for(o, FILE_MAIN) : -1;
                m->oneway = chance(20);
                m->has_reply = !m->oneway && chance(80);
                char used[2 * MAX_PARAMS][32];
                int nused = 0;
                make_params(m, &nused, used);
                if (m->nout > 0)
                    m->has_reply = true;
            }
        }
        /* Driver choices: some ops fail with an interface error, one may
         * be missing. */
        for (int v = 0; v < f->nv; v++) {
            for (int m = 0; m < f->v[v].n; m++) {
                f->fail[v][m] = -1;
                f->null_op[v][m] = false;
                if (f->v[v].m[m].oneway)
                    continue;
                if (f->err >= 0 && chance(20))
                    f->fail[v][m] = (int)below((unsigned)E[f->err].n);
                else if (chance(5))
                    f->null_op[v][m] = true;
            }
        }
    }
}

/* ---- IDL printing ----------------------------------------------------------------------------- */

static void idl_type(text *t, const gtype *g)
{
    switch (g->k) {
    case K_INT:
        put(t, "%s", ik_idl[g->ik]);
        break;
    case K_BOOL:
        put(t, "bool");
        break;
    case K_ENUM:
        put(t, "%s", E[g->ref].name);
        break;
    case K_STRUCT:
        put(t, "%s", S[g->ref].name);
        break;
    case K_STRING:
    case K_BYTES:
        put(t, "%s<", g->k == K_STRING ? "string" : "bytes");
        if (g->bound_c >= 0)
            put(t, "%s", C[g->bound_c].name);
        else
            put(t, "%u", g->bound);
        put(t, ">");
        break;
    case K_CAP:
        if (g->client) {
            put(t, "client<%s", I[g->client - 1].name);
            if (g->vlo)
                put(t, ", %u..", g->vlo);
            if (g->vlo && g->vhi)
                put(t, "%u", g->vhi);
            put(t, ">");
        } else if (g->capk) {
            put(t, "cap<%s", cap_kinds[g->capk - 1].name);
            for (int b = 0; b < 4; b++) {
                if (g->rights & (1u << b))
                    put(t, ", %s", right_names[b]);
            }
            put(t, ">");
        } else {
            put(t, "cap");
        }
        break;
    case K_BULK:
        put(t, "bulk");
        break;
    }
    if (g->arr) {
        if (g->arr_c >= 0)
            put(t, "[%s]", C[g->arr_c].name);
        else
            put(t, "[%u]", g->arr);
    }
}

static void idl_params(text *t, const gfield *p, int n)
{
    put(t, "(");
    for (int i = 0; i < n; i++) {
        put(t, "%s%s: ", i ? ", " : "", p[i].name);
        idl_type(t, &p[i].t);
    }
    put(t, ")");
}

static void idl_method(text *t, const gmethod *m)
{
    put(t, "    ");
    if (m->ordinal_c >= 0)
        put(t, "%s", C[m->ordinal_c].name);
    else
        put(t, "%u", m->ordinal);
    put(t, ": %s%s", m->oneway ? "oneway " : "", m->name);
    idl_params(t, m->in, m->nin);
    if (m->has_reply) {
        put(t, " -> ");
        idl_params(t, m->out, m->nout);
    }
    put(t, ";%s\n", chance(10) ? " // a method" : "");
}

static void idl_guid(text *t, uint64_t hi, uint64_t lo)
{
    const char *f = chance(20) ? "%08" PRIX64 "-%04" PRIX64 "-%04" PRIX64 "-%04" PRIX64
                                 "-%012" PRIX64
                               : "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64
                                 "-%012" PRIx64;
    put(t, f, hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48, lo & 0xffffffffffffull);
}

static void idl_interface(text *t, const giface *f, int v)
{
    const gversion *gv = &f->v[v];
    put(t, "interface %s {\n", f->name);
    /* Attributes and methods in random order: the grammar allows any, and
     * for methods the ordinal is what counts. Items 0-2 are the attributes. */
    int order[MAX_METHODS + 3];
    for (int k = 0; k < gv->n + 3; k++)
        order[k] = k;
    for (int k = gv->n + 2; k > 0; k--) {
        int j = (int)below((unsigned)k + 1), tmp = order[k];
        order[k] = order[j];
        order[j] = tmp;
    }
    for (int k = 0; k < gv->n + 3; k++) {
        switch (order[k]) {
        case 0:
            if (f->guid_text) {
                put(t, "    guid = \"%s\";\n", f->guid_text);
            } else {
                put(t, "    guid = \"");
                idl_guid(t, f->hi, f->lo);
                put(t, "\";\n");
            }
            break;
        case 1:
            if (f->no_version && v == 0)
                break;
            if (gv->version_c >= 0)
                put(t, "    version = %s;\n", C[gv->version_c].name);
            else
                put(t, "    version = %u;\n", gv->version);
            break;
        case 2:
            if (f->err >= 0)
                put(t, "    error = %s;\n", E[f->err].name);
            break;
        default:
            idl_method(t, &gv->m[order[k] - 3]);
        }
    }
    put(t, "}\n");
}

/* One declaration of a file: kind 0 const, 1 enum, 2 struct, 3 interface. */
typedef struct decl_ref {
    int kind, index, version;
} decl_ref;

static void print_idl(text *t, int file, const char *types_stem)
{
    put(t, "// SPDX-License-Identifier: MIT\n// Generated by idlgen (seed %" PRIu64 ").\n",
        seed);
    if (file == FILE_MAIN) {
        put(t, "import \"%s.idl\";\n", types_stem);
        if (chance(10)) /* importing twice is allowed */
            put(t, "import \"./%s.idl\";\n", types_stem);
    }
    decl_ref d[MAX_CONSTS + MAX_ENUMS + MAX_STRUCTS + MAX_IFACES * MAX_VERSIONS];
    int n = 0;
    for (int i = 0; i < nC; i++) {
        if (C[i].file == file)
            d[n++] = (decl_ref){0, i, 0};
    }
    for (int i = 0; i < nE; i++) {
        if (E[i].file == file)
            d[n++] = (decl_ref){1, i, 0};
    }
    for (int i = 0; i < nS; i++) {
        if (S[i].file == file)
            d[n++] = (decl_ref){2, i, 0};
    }
    for (int i = 0; i < nI && file == FILE_MAIN; i++) {
        for (int v = 0; v < I[i].nv; v++)
            d[n++] = (decl_ref){3, i, v};
    }
    for (int i = n - 1; i > 0; i--) {
        int k = (int)below((unsigned)i + 1);
        decl_ref tmp = d[i];
        d[i] = d[k];
        d[k] = tmp;
    }
    for (int i = 0; i < n; i++) {
        if (chance(15))
            put(t, "\n// declaration %d\n", i);
        else if (chance(10))
            put(t, "/* declaration %d */ ", i);
        switch (d[i].kind) {
        case 0: {
            const gconst *c = &C[d[i].index];
            put(t, "const %s: %s = ", c->name, ik_idl[c->ik]);
            if (c->from >= 0)
                put(t, "%s", C[c->from].name);
            else
                idl_value(t, c->v);
            put(t, ";\n");
            break;
        }
        case 1: {
            const genum *e = &E[d[i].index];
            put(t, "enum %s : %s {\n", e->name, ik_idl[e->ik]);
            for (int m = 0; m < e->n; m++) {
                put(t, "    %s = ", e->member[m]);
                if (e->v_c[m] >= 0)
                    put(t, "%s", C[e->v_c[m]].name);
                else
                    idl_value(t, e->v[m]);
                put(t, ";\n");
            }
            put(t, "}\n");
            break;
        }
        case 2: {
            const gstruct *s = &S[d[i].index];
            put(t, "struct %s {\n", s->name);
            for (int f = 0; f < s->n; f++) {
                put(t, "    %s: ", s->f[f].name);
                idl_type(t, &s->f[f].t);
                put(t, ";\n");
            }
            put(t, "}\n");
            break;
        }
        case 3:
            idl_interface(t, &I[d[i].index], d[i].version);
            break;
        }
    }
    if (extra[file].len)
        put(t, "%s", extra[file].p);
    if (chance(10)) { /* Windows line ends */
        text crlf = {0};
        for (size_t i = 0; i < t->len; i++)
            put(&crlf, t->p[i] == '\n' ? "\r\n" : "%c", t->p[i]);
        free(t->p);
        *t = crlf;
    }
}

/* ---- the test driver ---------------------------------------------------------------------------- */

static text vals;     /* static const values */
static unsigned nval; /* t_vN */
static bool eq_needed[MAX_STRUCTS]; /* t_eq_S is called */

static void c_elem_type(text *t, const gtype *g)
{
    switch (g->k) {
    case K_INT:
        put(t, "%s", ik_c[g->ik]);
        break;
    case K_BOOL:
        put(t, "bool");
        break;
    case K_ENUM:
        put(t, "%s_t", E[g->ref].name);
        break;
    case K_STRUCT:
        put(t, "%s_t", S[g->ref].name);
        break;
    default:
        put(t, "?");
    }
}

static void random_string(text *t, unsigned len)
{
    static const char cs[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.,:-+=#@!";
    put(t, "\"");
    for (unsigned i = 0; i < len; i++)
        put(t, "%c", cs[below(sizeof cs - 1)]);
    put(t, "\"");
}

static unsigned random_len(unsigned bound)
{
    return chance(15) ? 0 : chance(25) ? bound : between(0, bound);
}

static void c_struct_init(text *t, int s);

/* An initializer for one element of g (no array suffix). */
static void c_elem_init(text *t, const gtype *g)
{
    switch (g->k) {
    case K_INT:
        c_value(t, random_value(g->ik), g->ik);
        break;
    case K_BOOL:
        put(t, chance(50) ? "true" : "false");
        break;
    case K_ENUM: {
        const genum *e = &E[g->ref];
        put(t, "%s_%s", e->name, e->member[below((unsigned)e->n)]);
        break;
    }
    case K_STRUCT:
        c_struct_init(t, g->ref);
        break;
    default:
        put(t, "0");
    }
}

static void c_bytes_init(text *t, unsigned len)
{
    put(t, "{");
    for (unsigned i = 0; i < len; i++)
        put(t, "%s%u", i ? ", " : "", below(256));
    if (len == 0)
        put(t, "0");
    put(t, "}");
}

/* Upper-case a name the way idlc does for macros. */
static void up(text *t, const char *s)
{
    for (; *s; s++)
        put(t, "%c", *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
}

static void c_enum_value(text *t, const gtype *g)
{
    const genum *e = &E[g->ref];
    up(t, e->name);
    put(t, "_");
    up(t, e->member[below((unsigned)e->n)]);
}

static void c_struct_init(text *t, int si)
{
    const gstruct *s = &S[si];
    put(t, "{");
    for (int f = 0; f < s->n; f++) {
        const gtype *g = &s->f[f].t;
        put(t, "%s.%s = ", f ? ", " : "", s->f[f].name);
        if (g->k == K_STRING) {
            random_string(t, random_len(g->bound));
        } else if (g->k == K_BYTES) {
            unsigned len = random_len(g->bound);
            put(t, "{%u, ", len);
            c_bytes_init(t, len);
            put(t, "}");
        } else if (g->arr) {
            put(t, "{");
            for (unsigned i = 0; i < g->arr; i++) {
                put(t, "%s", i ? ", " : "");
                if (g->k == K_ENUM)
                    c_enum_value(t, g);
                else
                    c_elem_init(t, g);
            }
            put(t, "}");
        } else if (g->k == K_ENUM) {
            c_enum_value(t, g);
        } else {
            c_elem_init(t, g);
        }
    }
    put(t, "}");
}

/* A value for a parameter of type g: a static const t_vN (returns N) or,
 * for a scalar or cap, a literal in *lit. bytes and bulk get a length in
 * *len. */
typedef struct pval {
    unsigned id;   /* t_vN, 0 if a literal */
    text lit;      /* scalar or cap literal */
    unsigned len;  /* bytes, bulk: data length; out bulk: also the capacity */
    unsigned cap;  /* out bulk: capacity */
    unsigned off;  /* bulk: offset in the region */
} pval;

static unsigned region_next;

static void make_pval(pval *v, const gtype *g)
{
    memset(v, 0, sizeof *v);
    if (!g->arr && (g->k == K_INT || g->k == K_BOOL || g->k == K_ENUM || g->k == K_CAP)) {
        if (g->k == K_CAP) {
            /* The low 12 bits say what the capability is (the driver's
             * t_cap_info reports them as the kernel would): a type its
             * parameter accepts, every right. */
            unsigned type = g->client ? 4 : g->capk > 1 ? cap_kinds[g->capk - 1].code : 0;
            if (type == 0)
                type = cap_kinds[1 + below(NCAPK - 1)].code;
            if (type == 7 && chance(50))
                type = 8;
            put(&v->lit, "(idl_cap_t)UINT64_C(%" PRIu64 ")", rnd() << 16 | 0xf00u | type);
        }
        else if (g->k == K_ENUM)
            c_enum_value(&v->lit, g);
        else
            c_elem_init(&v->lit, g);
        return;
    }
    v->id = ++nval;
    if (g->k == K_STRING) {
        put(&vals, "static const char t_v%u[] = ", v->id);
        random_string(&vals, random_len(g->bound));
        put(&vals, ";\n");
    } else if (g->k == K_BYTES || g->k == K_BULK) {
        v->len = g->k == K_BYTES ? random_len(g->bound) : between(0, 64);
        put(&vals, "static const uint8_t t_v%u[%u] = ", v->id, v->len ? v->len : 1);
        c_bytes_init(&vals, v->len);
        put(&vals, ";\n");
        if (g->k == K_BULK) {
            v->cap = v->len + between(0, 16);
            v->off = region_next;
            region_next += v->cap + below(8);
        }
    } else {
        put(&vals, "static const ");
        c_elem_type(&vals, g);
        put(&vals, " t_v%u", v->id);
        if (g->arr) {
            put(&vals, "[%u] = {", g->arr);
            for (unsigned i = 0; i < g->arr; i++) {
                put(&vals, "%s", i ? ", " : "");
                if (g->k == K_ENUM)
                    c_enum_value(&vals, g);
                else
                    c_elem_init(&vals, g);
            }
            put(&vals, "}");
        } else {
            put(&vals, " = ");
            c_struct_init(&vals, g->ref);
        }
        put(&vals, ";\n");
    }
}

static void free_pval(pval *v)
{
    free(v->lit.p);
}

/* The C parameter declarations of the op (server side). */
static void op_params(text *t, const gmethod *m)
{
    for (int o = 0; o < 2; o++) {
        const gfield *p = o ? m->out : m->in;
        int n = o ? m->nout : m->nin;
        for (int i = 0; i < n; i++) {
            const gtype *g = &p[i].t;
            const char *nm = p[i].name;
            put(t, ", ");
            if (g->k == K_BULK) {
                if (o)
                    put(t, "uint8_t *%s, size_t %s_cap, size_t *%s_len", nm, nm, nm);
                else
                    put(t, "const uint8_t *%s, size_t %s_len", nm, nm);
            } else if (g->k == K_STRING) {
                if (o)
                    put(t, "char %s[%u]", nm, g->bound + 1);
                else
                    put(t, "const char *%s", nm);
            } else if (g->k == K_BYTES) {
                if (o)
                    put(t, "uint8_t %s[%u], size_t *%s_len", nm, g->bound, nm);
                else
                    put(t, "const uint8_t *%s, size_t %s_len", nm, nm);
            } else if (g->k == K_CAP) {
                put(t, o ? "idl_cap_t *%s" : "idl_cap_t %s", nm);
            } else if (g->arr) {
                put(t, "%s", o ? "" : "const ");
                c_elem_type(t, g);
                put(t, " %s[%u]", nm, g->arr);
            } else if (g->k == K_STRUCT) {
                put(t, "%s", o ? "" : "const ");
                c_elem_type(t, g);
                put(t, " *%s", nm);
            } else {
                c_elem_type(t, g);
                put(t, o ? " *%s" : " %s", nm);
            }
        }
    }
}

/* Statements checking that `expr` (an lvalue of g, or a pointer for
 * structs) holds value v. */
static void check_value(text *t, const char *ind, const gtype *g, const pval *v, const char *expr,
                        const char *len_expr)
{
    if (g->k == K_STRING) {
        put(t, "%sT_CHECK(strcmp(%s, t_v%u) == 0);\n", ind, expr, v->id);
    } else if (g->k == K_BYTES) {
        put(t, "%sT_CHECK(%s == %u && memcmp(%s, t_v%u, %u) == 0);\n", ind, len_expr, v->len,
            expr, v->id, v->len);
    } else if (g->arr) {
        if (g->k == K_STRUCT)
            eq_needed[g->ref] = true;
        put(t, "%sfor (size_t t_i = 0; t_i < %u; t_i++)\n", ind, g->arr);
        if (g->k == K_STRUCT)
            put(t, "%s    T_CHECK(t_eq_%s(&%s[t_i], &t_v%u[t_i]));\n", ind, S[g->ref].name, expr,
                v->id);
        else
            put(t, "%s    T_CHECK(%s[t_i] == t_v%u[t_i]);\n", ind, expr, v->id);
    } else if (g->k == K_STRUCT) {
        eq_needed[g->ref] = true;
        put(t, "%sT_CHECK(t_eq_%s(%s, &t_v%u));\n", ind, S[g->ref].name, expr, v->id);
    } else {
        put(t, "%sT_CHECK(%s == %s);\n", ind, expr, v->lit.p);
    }
}

typedef struct call_vals {
    pval in[MAX_PARAMS], out[MAX_PARAMS];
} call_vals;

static void c_op(text *t, const giface *f, int v, int mi, const call_vals *cv)
{
    const gmethod *m = &f->v[v].m[mi];
    put(t, "static idl_status_t t_op_%s_%u_%s(void *t_self, const idl_caller *t_caller", f->name,
        f->v[v].version, m->name);
    op_params(t, m);
    put(t, ")\n{\n    (void)t_self;\n    (void)t_caller;\n    t_calls++;\n");
    for (int i = 0; i < m->nin; i++) {
        const gtype *g = &m->in[i].t;
        const char *nm = m->in[i].name;
        char len[48];
        snprintf(len, sizeof len, "%s_len", nm);
        if (g->k == K_BULK)
            put(t, "    T_CHECK(%s == t_region + %u && %s_len == %u && memcmp(%s, t_v%u, %u) == 0);\n",
                nm, cv->in[i].off, nm, cv->in[i].len, nm, cv->in[i].id, cv->in[i].len);
        else
            check_value(t, "    ", g, &cv->in[i], nm, len);
    }
    if (f->fail[v][mi] >= 0) {
        const genum *e = &E[f->err];
        for (int i = 0; i < m->nout; i++) {
            const gtype *g = &m->out[i].t;
            put(t, "    (void)%s;\n", m->out[i].name);
            if (g->k == K_BYTES || g->k == K_BULK)
                put(t, "    (void)%s_len;\n", m->out[i].name);
            if (g->k == K_BULK)
                put(t, "    (void)%s_cap;\n", m->out[i].name);
        }
        put(t, "    return (idl_status_t)");
        up(t, e->name);
        put(t, "_");
        up(t, e->member[f->fail[v][mi]]);
        put(t, ";\n}\n\n");
        return;
    }
    for (int i = 0; i < m->nout; i++) {
        const gtype *g = &m->out[i].t;
        const char *nm = m->out[i].name;
        const pval *pv = &cv->out[i];
        if (g->k == K_BULK) {
            put(t, "    T_CHECK(%s == t_region + %u && %s_cap == %u);\n", nm, pv->off, nm, pv->cap);
            put(t, "    memcpy(%s, t_v%u, %u);\n    *%s_len = %u;\n", nm, pv->id, pv->len, nm,
                pv->len);
        } else if (g->k == K_STRING) {
            put(t, "    strcpy(%s, t_v%u);\n", nm, pv->id);
        } else if (g->k == K_BYTES) {
            put(t, "    memcpy(%s, t_v%u, %u);\n    *%s_len = %u;\n", nm, pv->id, pv->len, nm,
                pv->len);
        } else if (g->arr) {
            put(t, "    memcpy(%s, t_v%u, sizeof t_v%u);\n", nm, pv->id, pv->id);
        } else if (g->k == K_STRUCT) {
            put(t, "    *%s = t_v%u;\n", nm, pv->id);
        } else {
            put(t, "    *%s = %s;\n", nm, pv->lit.p);
        }
    }
    put(t, "    return IDL_OK;\n}\n\n");
}

static void c_call(text *t, const giface *f, int v, int mi, const call_vals *cv)
{
    const gmethod *m = &f->v[v].m[mi];
    put(t, "    { /* %s version %u method %s */\n", f->name, f->v[v].version, m->name);
    for (int i = 0; i < m->nin; i++) {
        if (m->in[i].t.k == K_BULK)
            put(t, "        memcpy(t_region + %u, t_v%u, %u);\n", cv->in[i].off, cv->in[i].id,
                cv->in[i].len);
    }
    for (int i = 0; i < m->nout; i++) {
        const gtype *g = &m->out[i].t;
        if (g->k == K_BULK) {
            put(t, "        idl_bulk t_o%d = {%u, %u};\n", i, cv->out[i].off, cv->out[i].cap);
            continue;
        }
        put(t, "        ");
        if (g->k == K_STRING)
            put(t, "char t_o%d[%u]", i, g->bound + 1);
        else if (g->k == K_BYTES)
            put(t, "uint8_t t_o%d[%u];\n        size_t t_o%d_len", i, g->bound, i);
        else if (g->k == K_CAP)
            put(t, "idl_cap_t t_o%d", i);
        else {
            c_elem_type(t, g);
            put(t, " t_o%d", i);
            if (g->arr)
                put(t, "[%u]", g->arr);
        }
        put(t, ";\n");
        put(t, "        memset(&t_o%d, 0x5a, sizeof t_o%d);\n", i, i);
    }
    put(t, "        unsigned t_before = t_calls;\n");
    put(t, "        idl_status_t t_st = %s_v%u_%s(&t_lb.transport", f->name, f->v[v].version,
        m->name);
    for (int i = 0; i < m->nin; i++) {
        const gtype *g = &m->in[i].t;
        const pval *pv = &cv->in[i];
        if (g->k == K_BULK)
            put(t, ", (idl_bulk){%u, %u}", pv->off, pv->len);
        else if (g->k == K_BYTES)
            put(t, ", t_v%u, %u", pv->id, pv->len);
        else if (g->k == K_STRUCT && !g->arr)
            put(t, ", &t_v%u", pv->id);
        else if (pv->id)
            put(t, ", t_v%u", pv->id);
        else
            put(t, ", %s", pv->lit.p);
    }
    for (int i = 0; i < m->nout; i++) {
        const gtype *g = &m->out[i].t;
        if (g->k == K_BYTES)
            put(t, ", t_o%d, &t_o%d_len", i, i);
        else if (g->k == K_STRING || g->arr)
            put(t, ", t_o%d", i);
        else
            put(t, ", &t_o%d", i);
    }
    put(t, ");\n");
    if (f->null_op[v][mi]) {
        put(t, "        T_CHECK(t_st == IDL_E_NOT_IMPLEMENTED);\n");
        put(t, "        T_CHECK(t_calls == t_before);\n");
    } else if (f->fail[v][mi] >= 0) {
        put(t, "        T_CHECK(t_st == (idl_status_t)");
        up(t, E[f->err].name);
        put(t, "_");
        up(t, E[f->err].member[f->fail[v][mi]]);
        put(t, ");\n        T_CHECK(t_calls == t_before + 1);\n");
    } else {
        put(t, "        T_CHECK(t_st == IDL_OK);\n        T_CHECK(t_calls == t_before + 1);\n");
        put(t, "        if (t_st == IDL_OK) {\n");
        for (int i = 0; i < m->nout; i++) {
            const gtype *g = &m->out[i].t;
            const pval *pv = &cv->out[i];
            char expr[48], len[48];
            snprintf(expr, sizeof expr, g->k == K_STRUCT && !g->arr ? "&t_o%d" : "t_o%d", i);
            snprintf(len, sizeof len, "t_o%d_len", i);
            if (g->k == K_BULK)
                put(t, "            T_CHECK(t_o%d.length == %u && memcmp(t_region + %u, t_v%u, %u) == 0);\n",
                    i, pv->len, pv->off, pv->id, pv->len);
            else
                check_value(t, "            ", g, pv, expr, len);
        }
        put(t, "        }\n");
    }
    put(t, "    }\n");
}

static void c_eq(text *t, int si)
{
    const gstruct *s = &S[si];
    put(t, "static inline bool t_eq_%s(const %s_t *a, const %s_t *b)\n{\n", s->name, s->name,
        s->name);
    for (int f = 0; f < s->n; f++) {
        const gtype *g = &s->f[f].t;
        const char *nm = s->f[f].name;
        if (g->k == K_STRING)
            put(t, "    if (strcmp(a->%s, b->%s) != 0)\n        return false;\n", nm, nm);
        else if (g->k == K_BYTES)
            put(t, "    if (a->%s.len != b->%s.len || memcmp(a->%s.data, b->%s.data, a->%s.len) != 0)\n"
                   "        return false;\n", nm, nm, nm, nm, nm);
        else if (g->arr && g->k == K_STRUCT)
            put(t, "    for (size_t i = 0; i < %u; i++)\n        if (!t_eq_%s(&a->%s[i], &b->%s[i]))\n"
                   "            return false;\n", g->arr, S[g->ref].name, nm, nm);
        else if (g->arr)
            put(t, "    for (size_t i = 0; i < %u; i++)\n        if (a->%s[i] != b->%s[i])\n"
                   "            return false;\n", g->arr, nm, nm);
        else if (g->k == K_STRUCT)
            put(t, "    if (!t_eq_%s(&a->%s, &b->%s))\n        return false;\n", S[g->ref].name,
                nm, nm);
        else
            put(t, "    if (a->%s != b->%s)\n        return false;\n", nm, nm);
    }
    put(t, "    return true;\n}\n\n");
}

static void print_driver(text *t, const char *stem)
{
    text code = {0};
    put(t, "/* SPDX-License-Identifier: MIT */\n");
    put(t, "/* Generated by idlgen: a loopback round trip of every method of %s.idl. */\n", stem);
    put(t, "#include <stdio.h>\n#include <string.h>\n\n#include <idl/loopback.h>\n\n");
    put(t, "#include \"%s.h\"\n\n", stem);
    put(t, "static unsigned t_calls, t_failed;\n");
    put(t, "static uint8_t t_region[8192];\n");
    put(t, "#define T_CHECK(c) ((c) ? (void)0 : (void)(t_failed++, fprintf(stderr, \"%%s:%%d: "
           "check failed: %%s\\n\", __FILE__, __LINE__, #c)))\n\n");
    /* Values, ops and calls, per interface, version and method. */
    text calls = {0};
    for (int i = 0; i < nI; i++) {
        const giface *f = &I[i];
        for (int v = 0; v < f->nv; v++) {
            region_next = 0;
            for (int mi = 0; mi < f->v[v].n; mi++) {
                const gmethod *m = &f->v[v].m[mi];
                call_vals cv;
                for (int k = 0; k < m->nin; k++)
                    make_pval(&cv.in[k], &m->in[k].t);
                bool outs = !m->oneway && f->fail[v][mi] < 0 && !f->null_op[v][mi];
                for (int k = 0; k < m->nout; k++) {
                    if (outs) {
                        make_pval(&cv.out[k], &m->out[k].t);
                    } else {
                        memset(&cv.out[k], 0, sizeof cv.out[k]);
                        if (m->out[k].t.k == K_BULK) { /* the window only */
                            cv.out[k].cap = between(0, 16);
                            cv.out[k].off = region_next;
                            region_next += cv.out[k].cap + below(8);
                        }
                    }
                }
                if (!f->null_op[v][mi])
                    c_op(&code, f, v, mi, &cv);
                c_call(&calls, f, v, mi, &cv);
                for (int k = 0; k < m->nin; k++)
                    free_pval(&cv.in[k]);
                for (int k = 0; k < m->nout; k++)
                    free_pval(&cv.out[k]);
            }
        }
    }
    /* Comparisons of the structs compared, and of those they contain
     * (which come earlier: fields only name earlier structs). */
    for (int s = nS - 1; s >= 0; s--) {
        for (int f = 0; f < S[s].n && eq_needed[s]; f++) {
            if (S[s].f[f].t.k == K_STRUCT)
                eq_needed[S[s].f[f].t.ref] = true;
        }
    }
    for (int s = 0; s < nS; s++) {
        if (eq_needed[s])
            c_eq(t, s);
    }
    put(t, "%s\n%s", vals.p ? vals.p : "", code.p ? code.p : "");
    put(t, "/* What the kernel would say of a capability: its value's low bits. */\n");
    put(t, "static uint64_t t_cap_info(void *ctx, idl_cap_t cap)\n{\n");
    put(t, "    (void)ctx;\n    return cap & 0xfffu;\n}\n\n");
    put(t, "int main(void)\n{\n");
    /* The constants' macros hold their values; enumerators are valid. */
    for (int c = 0; c < nC; c++) {
        put(t, "    T_CHECK(");
        up(t, C[c].name);
        put(t, " == ");
        c_value(t, C[c].v, C[c].ik);
        put(t, ");\n");
    }
    for (int e = 0; e < nE; e++) {
        for (int m = 0; m < E[e].n; m++) {
            put(t, "    T_CHECK(%s_valid(", E[e].name);
            up(t, E[e].name);
            put(t, "_");
            up(t, E[e].member[m]);
            put(t, "));\n");
        }
    }
    for (int i = 0; i < nI; i++) {
        const giface *f = &I[i];
        for (int v = 0; v < f->nv; v++) {
            put(t, "    static const %s_v%u_ops t_ops_%s_%u = {\n", f->name, f->v[v].version,
                f->name, f->v[v].version);
            for (int mi = 0; mi < f->v[v].n; mi++) {
                if (!f->null_op[v][mi])
                    put(t, "        .%s = t_op_%s_%u_%s,\n", f->v[v].m[mi].name, f->name,
                        f->v[v].version, f->v[v].m[mi].name);
                else /* left NULL, said explicitly: "{}" is not C11 */
                    put(t, "        .%s = NULL,\n", f->v[v].m[mi].name);
            }
            put(t, "    };\n");
        }
        put(t, "    %s_server t_srv_%s = {.self = NULL", f->name, f->name);
        for (int v = 0; v < f->nv; v++)
            put(t, ", .v%u = &t_ops_%s_%u", f->v[v].version, f->name, f->v[v].version);
        put(t, "};\n");
    }
    put(t, "    idl_binding t_bindings[%d];\n", nI);
    for (int i = 0; i < nI; i++)
        put(t, "    t_bindings[%d] = %s_binding(&t_srv_%s);\n", i, I[i].name, I[i].name);
    put(t, "    idl_loopback t_lb;\n");
    put(t, "    idl_loopback_init(&t_lb, t_bindings, %d, 7, t_region, sizeof t_region);\n", nI);
    put(t, "    idl_loopback_set_cap_info(&t_lb, t_cap_info, NULL);\n");
    put(t, "%s", calls.p ? calls.p : "");
    put(t, "    printf(\"%%u calls, %%u failed checks\\n\", t_calls, t_failed);\n");
    put(t, "    return t_failed ? 1 : 0;\n}\n");
    free(code.p);
    free(calls.p);
}

/* ---- mutations --------------------------------------------------------------------------- */

/* Apply one defect. Returns the diagnostic it must cause; *only is set if
 * it must be the only error. Text mutations act on the printed files. */
typedef struct mutation {
    int code;
    bool only;
    int text_op; /* 0: none; else applied to the printed text of text_file */
    int text_file;
} mutation;

enum { TX_DROP_SEMI = 1, TX_DROP_BRACE, TX_STRAY_CHAR, TX_QUOTE, TX_COMMENT };

static gmethod *any_method(giface **fo, int *vo)
{
    giface *f = &I[below((unsigned)nI)];
    int v = (int)below((unsigned)f->nv);
    if (fo)
        *fo = f;
    if (vo)
        *vo = v;
    return &f->v[v].m[below((unsigned)f->v[v].n)];
}

static mutation mutate_model(void)
{
    text *x = &extra[FILE_MAIN];
    unsigned tag = ++serial;
    for (;;) {
        switch (below(51)) {
        case 0:
            if (nC + nE + nS == 0)
                break;
            put(x, "const %s: u8 = 1;\n", nC   ? C[below((unsigned)nC)].name
                                           : nE ? E[below((unsigned)nE)].name
                                                : S[below((unsigned)nS)].name);
            return (mutation){30, false, 0, 0};
        case 1:
            put(x, "struct zz%u { f: nosuchtype; }\n", tag);
            return (mutation){31, true, 0, 0};
        case 2:
            put(x, "struct zz%u { f: u8; f: u16; }\n", tag);
            return (mutation){33, true, 0, 0};
        case 3:
            if (nS == 0)
                break;
            {
                gstruct *s = &S[below((unsigned)nS)];
                if (s->n == MAX_FIELDS)
                    break;
                snprintf(s->f[s->n].name, 32, "zselfref");
                memset(&s->f[s->n].t, 0, sizeof s->f[s->n].t);
                s->f[s->n].t = (gtype){.k = K_STRUCT, .ref = (int)(s - S), .bound_c = -1, .arr_c = -1};
                s->n++;
            }
            return (mutation){34, false, 0, 0};
        case 4: {
            static const char *const bad[] = {"int", "NULL", "bool", "idl_x", "size_t", "while",
                                              "INT8_MAX", "tsr_thing"};
            put(x, "struct zz%u { %s: u8; }\n", tag, bad[below(8)]);
            return (mutation){35, true, 0, 0};
        }
        case 5:
            put(x, "const qq%u: u8 = rr%u;\nconst rr%u: u8 = qq%u;\n", tag, tag, tag, tag);
            return (mutation){36, true, 0, 0};
        case 6:
            if (nC == 0)
                break;
            {
                const char *n = C[below((unsigned)nC)].name;
                char flipped[32];
                snprintf(flipped, sizeof flipped, "%s", n);
                for (char *q = flipped; *q; q++)
                    *q = (char)(*q >= 'a' && *q <= 'z' ? *q - 'a' + 'A' : *q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
                put(x, "const %s: u8 = 1;\n", flipped);
                /* Different IDL names, one macro (unless the name has no
                 * letters to flip, which ours always have). */
                return (mutation){37, true, 0, 0};
            }
        case 7:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f(data: bytes<4>, data_len: u32) -> (); }\n", tag, tag);
            return (mutation){37, true, 0, 0};
        case 8:
            put(x, "enum zz%u : u8 { a = 256; }\n", tag);
            return (mutation){40, true, 0, 0};
        case 9:
            put(x, "enum zz%u : i8 { a = -129; }\n", tag);
            return (mutation){40, true, 0, 0};
        case 10:
            put(x, "enum zz%u : u16 { a = 3; b = 3; }\n", tag);
            return (mutation){41, true, 0, 0};
        case 11:
            put(x, "struct zz%u { }\n", tag);
            return (mutation){43, true, 0, 0};
        case 12:
            put(x, "struct zz%u { s: string<0>; }\n", tag);
            return (mutation){44, true, 0, 0};
        case 13:
            put(x, "struct zz%u { a: u8[65536]; }\n", tag);
            return (mutation){44, true, 0, 0};
        case 14:
            I[below((unsigned)nI)].no_version = true;
            return (mutation){50, false, 0, 0};
        case 15:
            I[below((unsigned)nI)].guid_text = "0123456789ab-cdef-0123-4567-89abcdef0123";
            return (mutation){51, false, 0, 0};
        case 16: {
            giface *f;
            int v;
            gmethod *m = any_method(&f, &v);
            gversion *gv = &f->v[v];
            if (gv->n < 2)
                break;
            const gmethod *other = &gv->m[0] == m ? &gv->m[1] : &gv->m[0];
            m->ordinal = other->ordinal;
            m->ordinal_c = -1;
            return (mutation){53, false, 0, 0};
        }
        case 17: {
            gmethod *m = any_method(NULL, NULL);
            m->ordinal = 0;
            m->ordinal_c = -1;
            return (mutation){54, false, 0, 0};
        }
        case 18: {
            gmethod *m = any_method(NULL, NULL);
            m->oneway = true;
            m->has_reply = true;
            return (mutation){56, false, 0, 0};
        }
        case 19:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f(a: cap, b: cap, c: cap, d: cap, e: cap) -> (); }\n", tag, tag);
            return (mutation){61, true, 0, 0};
        case 20:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f(s: string<1000>) -> (); }\n", tag, tag);
            return (mutation){62, true, 0, 0};
        case 21:
            put(x, "struct zz%u { s: string<4>[2]; }\n", tag);
            return (mutation){63, true, 0, 0};
        case 22:
            put(x, "struct zz%u { c: cap; }\n", tag);
            return (mutation){60, true, 0, 0};
        case 23:
            put(x, "struct zz%u { a: u64[121]; }\n", tag);
            return (mutation){64, true, 0, 0};
        case 24: {
            giface *f = &I[below((unsigned)nI)];
            if (f->nv < 2 || f->v[f->nv - 1].n < 1)
                break;
            gversion *gv = &f->v[f->nv - 1];
            if (gv->n < 2 || gv->n > f->v[f->nv - 2].n)
                break; /* keep a method; drop one the previous version has */
            gv->n--;
            return (mutation){80, false, 0, 0};
        }
        case 25: {
            giface *f = &I[below((unsigned)nI)];
            if (f->nv < 2)
                break;
            gversion *gv = &f->v[f->nv - 1];
            snprintf(gv->m[0].name, 32, "zzrenamed");
            return (mutation){81, false, 0, 0};
        }
        case 26: {
            giface *f = &I[below((unsigned)nI)];
            if (f->nv < 2)
                break;
            gmethod *m = &f->v[f->nv - 1].m[0];
            if (m->nin == 0)
                break;
            m->nin--; /* one parameter fewer: never larger */
            return (mutation){82, false, 0, 0};
        }
        case 27:
            put(x, "interface zz%u { guid = \"", tag);
            idl_guid(x, I[0].hi, I[0].lo);
            put(x, "\"; version = 1; 1: f() -> (); }\n");
            return (mutation){70, true, 0, 0};
        case 28:
            put(x, "import \"nosuchfile%u.idl\";\n", tag);
            return (mutation){20, true, 0, 0};
        case 29:
            put(x, "import \"gen.idl\";\n");
            return (mutation){21, true, 0, 0};
        case 30:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f(c: cap<%s>) -> (); }\n", tag, tag, chance(50) ? "page" : "Frame");
            return (mutation){45, true, 0, 0};
        case 31:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f(c: cap<frame, %s>) -> (); }\n", tag, tag,
                chance(50) ? "execute" : "read, read");
            return (mutation){45, true, 0, 0};
        case 32:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f(c: client<nosuch%u>) -> (); }\n", tag, tag, tag);
            return (mutation){31, true, 0, 0};
        case 33: {
            const giface *f = &I[below((unsigned)nI)];
            unsigned top = f->v[f->nv - 1].version;
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f(c: client<%s, %u..>) -> (); }\n", tag, tag, f->name,
                top == 65535 ? 0 : top + 1);
            return (mutation){46, true, 0, 0};
        }
        case 34:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: %s; }\n", tag, tag,
                chance(50) ? "oneway deferred f(x: u8)" : "deferred f() -> (b: bulk)");
            return (mutation){65, true, 0, 0};
        case 35:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: %s; }\n", tag, tag,
                chance(50) ? "event e(c: cap)" : "event e(s: string<200>)");
            return (mutation){66, true, 0, 0};
        case 36:
            put(x, "union zz%u { 1: a: u8; %s: b: u16; }\n", tag, chance(50) ? "0" : "1");
            return (mutation){67, true, 0, 0};
        case 37:
            put(x, "interface zz%u { guid = \"00000000-0000-4000-8000-%012u\"; version = 1;\n"
                   "    1: f() -> (%s); }\n", tag, tag, chance(50) ? "v: u32?" : "s: string<4>?");
            return (mutation){68, true, 0, 0};
        case 38:
            put(x, "library zz%u;\n", tag); /* after the file's declarations */
            return (mutation){24, true, 0, 0};
        default:
            /* Text: drop a ';' or a brace, insert a stray character, a
             * quote or a comment that never ends. */
            {
                int op = (int)between(TX_DROP_SEMI, TX_COMMENT);
                static const int codes[] = {0, 10, 10, 1, 2, 3};
                return (mutation){codes[op], op >= TX_STRAY_CHAR, op, chance(50) ? 0 : 1};
            }
        }
    }
}

/* False if the text has no place for this defect (no brackets, say). */
static bool mutate_text(text *t, int op)
{
    /* Candidate positions, outside comments and strings: for drops every
     * ';' or bracket, for insertions the start of a line (a new "/" "*"
     * only after the last comment end, so that it never closes). */
    static size_t cand[1 << 16];
    size_t n = 0;
    bool line_comment = false, block_comment = false, string = false;
    for (size_t i = 0; i < t->len && n < sizeof cand / sizeof cand[0]; i++) {
        char ch = t->p[i], next = i + 1 < t->len ? t->p[i + 1] : '\0';
        bool line_start = i == 0 || t->p[i - 1] == '\n';
        if (line_start)
            line_comment = string = false;
        if (op >= TX_STRAY_CHAR && line_start && !block_comment &&
            (op != TX_COMMENT || strstr(t->p + i, "*/") == NULL))
            cand[n++] = i;
        if (line_comment)
            continue;
        if (block_comment) {
            if (ch == '*' && next == '/')
                block_comment = false, i++;
            continue;
        }
        if (string) {
            string = ch != '"';
            continue;
        }
        if (ch == '/' && next == '/') {
            line_comment = true;
            continue;
        }
        if (ch == '/' && next == '*') {
            block_comment = true;
            i++;
            continue;
        }
        if (ch == '"') {
            string = true;
            continue;
        }
        if ((op == TX_DROP_SEMI && ch == ';') ||
            (op == TX_DROP_BRACE && (ch == '{' || ch == '}' || ch == '(' || ch == ')')))
            cand[n++] = i;
    }
    if (op >= TX_STRAY_CHAR)
        cand[n++] = t->len; /* the end of the file is a line start too */
    if (n == 0)
        return false;
    size_t at = cand[below((unsigned)n)];
    if (op == TX_DROP_SEMI || op == TX_DROP_BRACE) {
        memmove(t->p + at, t->p + at + 1, t->len - at);
        t->len--;
        return true;
    }
    const char *ins = op == TX_STRAY_CHAR ? (chance(50) ? "@" : "$") : op == TX_QUOTE ? "\"" : "/*";
    size_t k = strlen(ins);
    if (t->len + k + 1 > t->cap) {
        t->cap = t->len + k + 1;
        t->p = realloc(t->p, t->cap);
        if (t->p == NULL)
            abort();
    }
    memmove(t->p + at + k, t->p + at, t->len - at + 1);
    memcpy(t->p + at, ins, k);
    t->len += k;
    return true;
}

/* ---- main ---------------------------------------------------------------------------------- */

static bool write_text(const char *dir, const char *name, const text *t)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = fwrite(t->p, 1, t->len, f) == t->len;
    return (fclose(f) == 0) && ok;
}

int main(int argc, char **argv)
{
    bool mutate = argc == 4 && strcmp(argv[1], "--mutate") == 0;
    if (argc != 3 && !mutate) {
        fprintf(stderr, "usage: idlgen [--mutate] SEED DIR\n");
        return 2;
    }
    seed = strtoull(argv[mutate ? 2 : 1], NULL, 0);
    const char *dir = argv[mutate ? 3 : 2];
    rng = seed * 0x2545f4914f6cdd1dull + 1;
    make_constants();
    make_enums();
    make_structs();
    make_interfaces();
    mutation mu = {0, false, 0, 0};
    if (mutate)
        mu = mutate_model();
    text files[2] = {{0}, {0}};
    print_idl(&files[FILE_TYPES], FILE_TYPES, "gen_types");
    print_idl(&files[FILE_MAIN], FILE_MAIN, "gen_types");
    /* A file without ';' or brackets (only comments): the other file, or
     * a stray character, which always has a place. */
    if (mu.text_op && !mutate_text(&files[mu.text_file], mu.text_op) &&
        !mutate_text(&files[1 - mu.text_file], mu.text_op)) {
        mutate_text(&files[mu.text_file], TX_STRAY_CHAR);
        mu = (mutation){1, true, TX_STRAY_CHAR, mu.text_file};
    }
    int status = 0;
    if (!write_text(dir, "gen_types.idl", &files[FILE_TYPES]) ||
        !write_text(dir, "gen.idl", &files[FILE_MAIN])) {
        fprintf(stderr, "idlgen: cannot write to %s\n", dir);
        status = 1;
    } else if (mutate) {
        printf("IDL%04d %s\n", mu.code, mu.only ? "one" : "any");
    } else {
        text drv = {0};
        print_driver(&drv, "gen");
        if (!write_text(dir, "gen_test.c", &drv)) {
            fprintf(stderr, "idlgen: cannot write to %s\n", dir);
            status = 1;
        }
        free(drv.p);
    }
    free(files[0].p);
    free(files[1].p);
    free(extra[0].p);
    free(extra[1].p);
    free(vals.p);
    return status;
}
