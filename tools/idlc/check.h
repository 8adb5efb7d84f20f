/* SPDX-License-Identifier: MIT */
/* Checker: parsed files => a resolved, validated program, or diagnostics.
 * Declarations are visited in program order: file by file, each file after
 * the files it imports, so a name declared twice is reported where it is
 * declared the second time. Passes, in order (each reports every error it
 * finds, then the next runs on what is still sound):
 *   1. declare   every top-level name once (IDL0030, IDL0035)
 *   2. resolve   constants, enum values, type names and bounds, capability kinds
 *                and rights (IDL0031-0046, 0060, 0063)
 *   3. structs   recursion (IDL0034), soundness and size (IDL0064)
 *   4. iface     attributes, ordinals, parameters, message sizes (IDL0050-0062)
 *   5. versions  grouping by name, GUIDs, client version ranges and
 *                compatibility (IDL0022, 0046, 0059, 0070-0084)
 *   6. names     the C names the emitters will make (IDL0023, 0035, 0037)
 * No pass recurses on the input's structure (chains of constants, structs or
 * imports may be as long as the input), and every pass is linear in it.
 * The emitters only ever see a program that passed every pass. */
#ifndef IDLC_CHECK_H
#define IDLC_CHECK_H

#include "ast.h"

/* All versions of one interface, sorted by version. */
typedef struct iface_group {
    const char *name;
    uint32_t file;
    decl **versions;
    size_t n, cap;
} iface_group;

typedef struct program {
    ast_file *files; /* files[0] is the file being compiled, then imports as loaded */
    size_t nfiles, files_cap;
    uint32_t *order; /* every file once, each after all it imports */
    size_t norder, order_cap;
    decl **decls;    /* every declaration, files in `order`, decl->index = position */
    size_t ndecls;
    iface_group *groups;
    size_t ngroups, groups_cap;
} program;

bool check_program(arena *a, diag_ctx *d, program *prog);

/* Shared between check.c, check_iface.c and check_names.c. */
typedef struct checker {
    arena *a;
    diag_ctx *d;
    program *prog;
    hmap names; /* top-level name -> the decl that declared it first */
    hmap groups; /* interface name -> its iface_group (pass 5) */
    type_ref **clients; /* every client<...> type, for check_client_ranges */
    size_t nclients, clients_cap;
} checker;

/* The declaration `name` means where written in library `lib` (NULL: a
 * file without one): "lib2.x" is x of library lib2; a plain "x" is the
 * library's own x if it has one, else an x declared outside any library. */
decl *check_lookup(checker *c, const char *name, const char *lib);
/* The key a declaration is known by: "lib.name", or its name. */
const char *check_key(checker *c, const decl *d);
bool check_reserved_member(checker *c, const char *name, src_loc loc);
bool check_resolve_value(checker *c, const value_expr *v, ival *out);
bool check_fits(ival v, int_kind k);
bool check_resolve_type(checker *c, type_ref *t, bool in_aggregate);
void check_interfaces(checker *c);
void check_versions(checker *c);
void check_names(checker *c);
const char *check_kind_name(decl_kind k);
bool types_equal(const type_ref *a, const type_ref *b);
/* Typed capabilities (check_caps.c). */
bool check_resolve_cap(checker *c, type_ref *t);
void check_client_ranges(checker *c);
const iface_group *check_group_of(checker *c, const decl *iface);
bool cap_change_ok(const type_ref *a, const type_ref *b, bool in);
const char *cap_kind_idl(uint32_t kind);
const char *cap_kind_c(uint32_t kind);
void cap_rights_c(strbuf *sb, uint32_t bits);   /* "TSR_RIGHT_READ | TSR_RIGHT_WRITE" */
void cap_rights_idl(strbuf *sb, uint32_t bits); /* ", read, write" */

#endif /* IDLC_CHECK_H */
