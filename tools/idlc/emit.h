/* SPDX-License-Identifier: MIT */
/* C emitters: a checked program => FILE.h, FILE_client.c, FILE_server.c.
 * emit_common.c holds the printer, C naming and the encoder/decoder
 * generator that both sides share; emit_header.c, emit_client.c and
 * emit_server.c each produce one file. Logic lives here, in the compiler; the
 * generated code is straight-line C a reader can follow. */
#ifndef IDLC_EMIT_H
#define IDLC_EMIT_H

#include "check.h"
#include "layout.h"
#include "names.h"

#define IDLC_VERSION_STRING "0.1.0"
/* How many versions a binding lists for discovery (IDL_BINDING_MAX_VERSIONS
 * of the runtime): the highest ones. */
#define IDLC_BINDING_MAX_VERSIONS 16

typedef struct printer {
    strbuf *sb;
    int indent;
} printer;

void pr(printer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print head + params + tail as one statement, breaking lines before a
 * parameter when they would pass 100 columns. */
void pr_wrapped(printer *p, const char *head, const char *params, const char *tail);
void pr_banner(printer *p, const char *idl_name, const char *what);
/* A "///" doc comment as a C comment (nothing if doc is NULL). */
void pr_doc(printer *p, const char *doc);

/* printf into arena memory. */
char *fmt(arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));

/* Names (the file-scope ones come from names.h). All arena-owned. */
char *c_type(arena *a, const type_ref *t); /* element type: "uint32_t", "point_t" */
/* A C literal for v of kind k, without cast: "3u", "-5", "UINT64_C(...)". */
char *c_literal(arena *a, ival v, int_kind k);

/* How generated code reaches one item: val is the value or lvalue (scalars),
 * the pointer or array (aggregates), the data pointer (bytes, bulk); len and
 * cap are the length and capacity expressions of bytes and bulk items. */
typedef struct access {
    const char *val;
    const char *len;
    const char *cap;
    const char *present; /* optional items: encode, whether there is a value;
                          * decode, where to say so */
} access;

typedef struct codec_ctx {
    arena *a;
    printer *p;
    const char *w;      /* the words array, e.g. "idl_w" */
    const char *avail;  /* decode: number of words available */
    bool exact;         /* decode: the list must use exactly avail words */
    const char *fail;   /* statement template; "$S" is replaced by a status */
    const char *caller; /* server decode: the idl_caller pointer, for bulk */
} codec_ctx;

/* Emit statements encoding/decoding a laid-out list; *end receives a C
 * expression for the number of words the list occupies. */
void emit_encode_list(codec_ctx *c, const wire_item *items, const list_layout *l,
                      const access *acc, char **end);
void emit_decode_list(codec_ctx *c, const wire_item *items, const list_layout *l,
                      const access *acc, char **end);

/* Struct codecs needed by one side: put for types reachable from `put_roots`
 * lists, get for `get_roots`; emitted as static functions, callees first. */
typedef struct struct_set {
    decl **v;           /* every struct in the set, each after those it contains */
    size_t n, cap;
    unsigned char *in;  /* by decl->index: already in v */
    size_t nprog;       /* program.ndecls, the size of `in` */
} struct_set;
void struct_set_init(arena *a, struct_set *s, const program *prog);
/* Add the struct of t (if it is one) and every struct it contains. */
void struct_set_add_type(arena *a, struct_set *s, const type_ref *t);
void emit_struct_codecs(arena *a, printer *p, const struct_set *put, const struct_set *get);

/* Does generated C text mention the identifier (as a whole token)? */
bool emit_mentions(const char *text, const char *ident);

/* Print a generated function body, preceded by declarations of the scratch
 * locals (idl_pos, idl_len, idl_st, idl_used) it mentions. */
void emit_flush_body(printer *p, strbuf *body);

/* Typed capabilities. The IDL spelling of a capability type, for comments
 * ("cap<frame, read>", "client<greeter, 1..2>"). */
char *cap_type_idl(arena *a, const type_ref *t);
/* Any type as written in IDL, named types as "lib.name" (emit_doc.c). */
char *idl_type(arena *a, const type_ref *t);
/* Store parameter `val` as capability `index` of the message reached by
 * `m` ("idl_m." or "idl_m->"), with the rights the sender keeps. */
void emit_cap_put(arena *a, printer *p, const char *m, unsigned index, const char *val,
                  const type_ref *t);
/* Check received capability `index` against t (nothing for a plain cap),
 * running `fail` (a statement) if it is not what t requires. */
void emit_cap_check(arena *a, printer *p, const char *m, unsigned index, const type_ref *t,
                    const char *fail);

/* The C parameter list of a method for the client stub or server op,
 * after the leading fixed parameters. */
void emit_params(arena *a, strbuf *sb, const method *m, bool server);
/* A deferred method's reply function: its outputs, passed as a stub passes
 * inputs. */
void emit_reply_params(arena *a, strbuf *sb, const method *m);

/* The op's side of a method, shared by the server's handlers and the
 * client's event handlers (emit_server.c): locals for the decoded inputs
 * (and zeroed outputs), how the codecs reach them, and the arguments that
 * pass them to the op. */
void emit_op_locals(arena *a, printer *p, const method *m);
access *emit_op_access(arena *a, const wire_item *items, size_t n);
void emit_op_args(strbuf *sb, const method *m);

void emit_header(arena *a, const program *prog, strbuf *out);
void emit_client(arena *a, const program *prog, strbuf *out);
void emit_server(arena *a, const program *prog, strbuf *out);
void emit_doc(arena *a, const program *prog, strbuf *out);

#endif /* IDLC_EMIT_H */
