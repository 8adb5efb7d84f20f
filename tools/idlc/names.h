/* SPDX-License-Identifier: MIT */
/* C names: the one place that spells the file-scope identifiers the
 * emitters make from IDL names, and that knows which names the C
 * environment of the generated code (C keywords, the standard headers it
 * includes, the IDL runtime and the kernel ABI headers) already takes.
 * The emitters print these names; check_names.c checks, before anything is
 * emitted, that no two of them collide and that none is taken. */
#ifndef IDLC_NAMES_H
#define IDLC_NAMES_H

#include "util.h"

char *cname_upper(arena *a, const char *s);                        /* "abc" -> "ABC" */
char *cname_const(arena *a, const char *name);                     /* macro NAME */
char *cname_type(arena *a, const char *name);                      /* name_t (enum, struct) */
char *cname_valid(arena *a, const char *enum_name);                /* name_valid() */
char *cname_enumerator(arena *a, const char *e, const char *m);    /* macro E_M */
char *cname_guid(arena *a, const char *iface, const char *half);   /* macro I_GUID_HI/_LO */
char *cname_stub(arena *a, const char *iface, uint32_t v, const char *m);    /* i_vV_m() */
char *cname_emit(arena *a, const char *iface, uint32_t v, const char *m);    /* i_vV_emit_m() */
char *cname_events(arena *a, const char *iface, uint32_t v);       /* i_vV_events (typedef, tag) */
char *cname_event_dispatch(arena *a, const char *iface, uint32_t v); /* i_vV_event_dispatch() */
char *cname_reply(arena *a, const char *iface, uint32_t v, const char *m);   /* i_vV_m_reply() */
char *cname_ordinal(arena *a, const char *iface, uint32_t v, const char *m); /* macro */
char *cname_ops(arena *a, const char *iface, uint32_t v);          /* i_vV_ops (typedef, tag) */
char *cname_server(arena *a, const char *iface);                   /* i_server (typedef, tag) */
char *cname_dispatch(arena *a, const char *iface);                 /* i_dispatch() */
char *cname_binding(arena *a, const char *iface);                  /* i_binding() */
char *cname_negotiate(arena *a, const char *iface);                /* i_negotiate() */
char *cname_guard(arena *a, const char *stem);                     /* IDL_GEN_STEM_H */

/* Why a C identifier cannot be used in generated code ("a C keyword", "a
 * macro of <stdint.h>", ...), or NULL if it can. Not reserved: names that
 * only the C standard sets aside for future use (isupper, int_thing_t, ...),
 * as no header the generated code includes declares them. */
const char *cname_reserved(const char *name);

#endif /* IDLC_NAMES_H */
