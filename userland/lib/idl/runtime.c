/* SPDX-License-Identifier: MIT */
/* IDL runtime helpers shared by all generated stubs and dispatchers: reply
 * classification for failed calls, GUID routing across interfaces, and byte
 * packing. Freestanding: no libc, no allocation, no global state. */
#include <idl/runtime.h>

idl_status_t idl_call_failed(tsr_error_t e, const idl_msg *msg)
{
    if (e != TSR_OK)
        return idl_status_from_tsr(e);
    uint64_t label = msg->label;
    /* A reply status is 32 bits; anything above is a broken server. */
    if (label > 0xffffffffull)
        return IDL_E_BAD_REPLY;
    idl_status_t st = (idl_status_t)label;
    if (st == IDL_OK)
        return IDL_OK;
    /* Error replies carry nothing else, and only statuses a server may send:
     * interface errors or protocol errors up to IDL_E_ENCODE (never
     * IDL_E_BAD_REPLY or transport codes, which only a client produces). */
    if (msg->nwords != 0 || msg->ncaps != 0)
        return IDL_E_BAD_REPLY;
    if (st > IDL_STATUS_IFACE_MAX && !(st >= IDL_E_PROTOCOL_BASE && st <= IDL_E_ENCODE))
        return IDL_E_BAD_REPLY;
    return st;
}

idl_dispatch_result idl_server_dispatch(const idl_binding *bindings, size_t nbindings,
                                        const idl_caller *caller, idl_msg *msg)
{
    /* Too short to name an interface: nothing to route on. */
    if (msg->nwords < IDL_REQ_HEADER_WORDS)
        return idl_reply_status(msg, IDL_E_MALFORMED);
    uint64_t hi = msg->words[0], lo = msg->words[1];
    for (size_t i = 0; i < nbindings; i++) {
        if (bindings[i].guid.hi == hi && bindings[i].guid.lo == lo)
            return bindings[i].dispatch(bindings[i].server, caller, msg);
    }
    return idl_reply_status(msg, IDL_E_UNKNOWN_INTERFACE);
}

size_t idl_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

void idl_pack_bytes(uint64_t *w, const void *src, size_t n)
{
    const uint8_t *p = src;
    size_t nw = IDL_WORDS(n);
    for (size_t i = 0; i < nw; i++) {
        uint64_t v = 0;
        for (size_t b = 0; b < 8 && i * 8 + b < n; b++)
            v |= (uint64_t)p[i * 8 + b] << (8 * b);
        w[i] = v;
    }
}

bool idl_unpack_bytes(void *dst, const uint64_t *w, size_t n)
{
    uint8_t *p = dst;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
    /* Canonical encoding: the unused tail of the last word is zero. */
    if (n % 8 != 0 && (w[n / 8] >> (8 * (n % 8))) != 0)
        return false;
    return true;
}

idl_status_t idl_unpack_string(char *dst, const uint64_t *w, size_t n)
{
    if (!idl_unpack_bytes(dst, w, n))
        return IDL_E_MALFORMED;
    for (size_t i = 0; i < n; i++) {
        if (dst[i] == '\0')
            return IDL_E_BAD_VALUE;
    }
    dst[n] = '\0';
    return IDL_OK;
}

void idl_zero(void *p, size_t n)
{
    /* A plain loop; the compiler may still emit a memset call, which every
     * freestanding C environment provides (struct copies need it too). */
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = 0;
}
