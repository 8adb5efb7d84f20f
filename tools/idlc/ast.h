/* SPDX-License-Identifier: MIT */
/* The abstract syntax tree. The parser fills in the "as written" fields;
 * the checker fills in the "resolved" ones (marked), after which the tree is
 * read-only for layout and the emitters. All nodes live in the compilation's
 * arena. */
#ifndef IDLC_AST_H
#define IDLC_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

typedef enum int_kind { IK_U8, IK_U16, IK_U32, IK_U64, IK_I8, IK_I16, IK_I32, IK_I64 } int_kind;

/* Size in bytes, signedness and names of each integer kind. */
unsigned int_kind_size(int_kind k);
bool int_kind_signed(int_kind k);
const char *int_kind_idl(int_kind k);  /* "u8" */
const char *int_kind_ctype(int_kind k); /* "uint8_t" */

/* An integer value: sign and magnitude, so every u64 and i64 fits. */
typedef struct ival {
    bool neg;
    uint64_t mag;
} ival;

/* A value as written: a literal (possibly negated) or a constant's name. */
typedef struct value_expr {
    bool is_ref;
    ival lit;
    const char *name;
    const char *lib;      /* the library of the file it is written in, or NULL */
    src_loc loc;
} value_expr;

struct decl;

/* Capability kinds a cap<...> may require (check_caps.c names them). */
typedef enum cap_kind_code {
    CAPK_ANY, CAPK_ENDPOINT, CAPK_NOTIFICATION, CAPK_FRAME, CAPK_MSG_QUEUE, CAPK_REPLY,
    CAPK_UNTYPED, CAPK_CNODE, CAPK_TCB, CAPK_VSPACE, CAPK_PAGE_TABLE, CAPK_IRQ_HANDLER
} cap_kind_code;
/* Capability rights: the values of the kernel's TSR_RIGHT_*. */
enum { CAPR_READ = 1, CAPR_WRITE = 2, CAPR_GRANT = 4, CAPR_GRANT_REPLY = 8, CAPR_ALL = 15 };

typedef enum type_kind {
    TY_INT,    /* int_kind */
    TY_BOOL,
    TY_STRING, /* string<bound> */
    TY_BYTES,  /* bytes<bound> */
    TY_CAP,
    TY_BULK,
    TY_NAMED,  /* enum or struct by name; resolved to TY_ENUM / TY_STRUCT */
    TY_ENUM,
    TY_STRUCT
} type_kind;

/* A name written inside a type's <...>: a capability kind or right, or
 * the interface of a client<...>. */
typedef struct type_word {
    const char *name;
    src_loc loc;
} type_word;

typedef struct type_ref {
    type_kind kind;
    int_kind ik;          /* TY_INT */
    const char *name;     /* TY_NAMED as written ("lib.name" when qualified) */
    const char *lib;      /* the library of the file it is written in, or NULL */
    src_loc loc;          /* the whole type */
    bool has_bound;       /* string/bytes */
    value_expr bound;
    bool is_array;
    value_expr array_len;
    bool optional;        /* "T?": may be absent */
    /* cap<kind, right...> and client<iface, lo..hi>, as written */
    bool is_client;       /* TY_CAP written as client<...> */
    type_word *words;     /* cap: kind then rights; client: the interface */
    size_t nwords, words_cap;
    bool has_range, has_hi;
    value_expr lo, hi;    /* client's version range */
    /* resolved */
    struct decl *decl;    /* TY_ENUM / TY_STRUCT; client: the interface (its first
                           * version declared) */
    uint32_t bound_v;     /* string/bytes maximum length */
    uint32_t array_n;     /* array length */
    uint32_t cap_kind;    /* CAPK_*: the kind the receiver requires */
    uint32_t cap_rights;  /* CAPR_*: the rights the receiver requires */
    uint32_t cap_send;    /* CAPR_*: the rights the sender keeps (CAPR_ALL: as held) */
    uint32_t vlo, vhi;    /* client: versions accepted */
} type_ref;

typedef struct field {
    const char *name;
    src_loc loc;
    type_ref type;
    const char *doc;    /* its "///" comment, or NULL */
    /* union variants: "ordinal: name: type" */
    value_expr ordinal_expr;
    uint32_t ordinal;   /* resolved */
} field;

typedef struct enum_member {
    const char *doc;
    const char *name;
    src_loc loc;
    value_expr value;
    ival v; /* resolved */
} enum_member;

typedef struct method {
    const char *doc;
    value_expr ordinal_expr;
    const char *name;
    src_loc loc;
    bool oneway;
    bool deferred;   /* "deferred": the op answers through a reply token */
    src_loc deferred_loc;
    bool event;      /* "event": sent by the server to subscribers, never called */
    src_loc event_loc;
    bool has_reply;  /* "-> (...)" present, even if empty */
    field *in;
    size_t nin, in_cap;
    field *out;
    size_t nout, out_cap;
    uint32_t ordinal; /* resolved */
} method;

typedef enum decl_kind { D_CONST, D_ENUM, D_STRUCT, D_INTERFACE } decl_kind;

typedef struct decl {
    decl_kind kind;
    const char *name;
    src_loc loc;
    const char *doc;    /* its "///" comment, or NULL */
    const char *lib;    /* its file's library, or NULL (docs/idl.md, "Libraries") */
    const char *shown;  /* "lib.name" once name became the C name "lib_name" */
    uint32_t file;      /* index into the program's files */
    /* D_CONST and D_ENUM: the (underlying) type as written */
    type_ref itype;
    /* D_CONST */
    value_expr value;
    ival cval;          /* resolved */
    /* D_ENUM */
    enum_member *members;
    size_t nmembers, members_cap;
    /* D_STRUCT; a union is a D_STRUCT whose fields are its variants, a table
     * one whose fields all have ordinals and may be absent */
    bool is_union, is_table;
    field *fields;
    size_t nfields, fields_cap;
    /* D_INTERFACE */
    bool has_guid, has_version, has_error;
    const char *guid_text; /* between the quotes */
    src_loc guid_loc;
    value_expr version_expr;
    const char *error_name;
    src_loc error_loc;
    method *methods;
    size_t nmethods, methods_cap;
    /* resolved */
    uint64_t guid_hi, guid_lo;
    uint32_t version;
    struct decl *error_enum;
    /* D_STRUCT, once checked sound (layout.c, layout_struct_facts) */
    bool wire_known;    /* the three below are set */
    bool wire_var;      /* holds a string or bytes, directly or not */
    uint64_t wire_max, wire_min; /* words with every string at its maximum / empty */
    uint32_t index;     /* position in program.decls */
    int state;          /* checker bookkeeping (cycle detection) */
    bool ok;            /* checker: declaration passed its checks */
} decl;

typedef struct import_decl {
    const char *path; /* as written */
    src_loc loc;
    uint32_t target;  /* resolved: index of the imported file */
} import_decl;

/* One parsed file. */
typedef struct ast_file {
    uint32_t file;      /* index in diag_ctx.files */
    const char *library; /* "library NAME;", or NULL */
    const char *stem;   /* file name without directory and ".idl" */
    src_loc loaded_at;  /* the import that loaded it (not for the input) */
    import_decl *imports;
    size_t nimports, imports_cap;
    decl **decls;
    size_t ndecls, decls_cap;
} ast_file;

/* Does an interface version declare an event? */
static inline bool decl_has_events(const decl *d)
{
    for (size_t i = 0; i < d->nmethods; i++)
        if (d->methods[i].event)
            return true;
    return false;
}

#endif /* IDLC_AST_H */
