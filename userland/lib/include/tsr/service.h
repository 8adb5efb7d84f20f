/* SPDX-License-Identifier: MIT */
/* The name service from a program's side (docs/services.md): register the
 * program's endpoint under a name, resolve a name (or connect to a
 * well-known VID, tsr/vid.h) to an endpoint capability badged with the
 * caller's pid, unregister. Each call returns IDL_OK, a names_error value
 * (names.h: NAMES_ERROR_*), or an IDL protocol or transport error. */
#ifndef TSR_SERVICE_H
#define TSR_SERVICE_H

#include <stdint.h>

#include <idl/kernel.h>

#include "names.h"
#include "tsr/syscall.h"

/* Register this program's own endpoint (TSR_PROG_ENDPOINT) as `name`. */
idl_status_t names_register(const char *name, uint32_t *vid);
/* Register another endpoint of this program (an unbadged one). */
idl_status_t names_register_endpoint(const char *name, tsr_cptr_t endpoint, uint32_t *vid);
idl_status_t names_unregister(const char *name);
/* *endpoint: a new slot holding the service's endpoint, badged with our pid. */
idl_status_t names_resolve(const char *name, uint32_t *vid, tsr_cptr_t *endpoint);
/* The same, waiting (yielding, up to about a second of tries) while the
 * name is not registered yet: servers start in description order. */
idl_status_t names_resolve_wait(const char *name, uint32_t *vid, tsr_cptr_t *endpoint);
idl_status_t names_connect(uint32_t vid, tsr_cptr_t *endpoint);
/* A transport for the name service itself (other names.idl calls). */
idl_transport *names_transport(void);

/* A transport to the service called `name` (resolved, waiting as above). */
idl_status_t tsr_connect(const char *name, idl_kernel_transport *t);
/* Serve `bindings` on this program's endpoint, forever (returns only if
 * receiving fails). */
tsr_error_t tsr_serve(const idl_binding *bindings, size_t n);

/* A short text for a status: tsr_status_text knows the protocol errors
 * (IDL_E_*) and transport errors, names_status_text the name service's own
 * errors as well. */
const char *tsr_status_text(idl_status_t st);
const char *names_status_text(idl_status_t st);

#endif
