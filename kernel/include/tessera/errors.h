/* SPDX-License-Identifier: MIT */
/* The error codes every kernel invocation returns, shared by the kernel, cap/,
 * user space and generated IDL code. docs/syscalls.md says which invocation
 * returns which code and why. Values are ABI: never renumber, only append. */
#ifndef TESSERA_ERRORS_H
#define TESSERA_ERRORS_H

typedef enum tsr_error {
    TSR_OK = 0,
    TSR_E_INVALID_ARGUMENT = 1,  /* a plain argument is out of its range */
    TSR_E_INVALID_CAPABILITY = 2,/* the slot is empty or holds the wrong type */
    TSR_E_ILLEGAL_OPERATION = 3, /* the object cannot do this in its state */
    TSR_E_LOOKUP_FAILED = 4,     /* capability address does not resolve */
    TSR_E_INSUFFICIENT_RIGHTS = 5, /* capability lacks a right the call needs */
    TSR_E_ALIGNMENT = 6,         /* address or size not aligned as required */
    TSR_E_RANGE = 7,             /* an index, size or count is out of range */
    TSR_E_SLOT_OCCUPIED = 8,     /* destination slot is not empty */
    TSR_E_REVOKE_FIRST = 9,      /* object still has derived capabilities */
    TSR_E_NOT_ENOUGH_MEMORY = 10,/* untyped region has no room left */
    TSR_E_BAD_ADDRESS = 11,      /* user pointer not mapped with needed rights */
    TSR_E_ALREADY_MAPPED = 12,   /* mapping would overlap an existing one */
    TSR_E_NOT_MAPPED = 13,       /* nothing mapped where the call expects it */
    TSR_E_QUEUE_FULL = 14,       /* bounded queue cannot take the message */
    TSR_E_WOULD_BLOCK = 15,      /* non-blocking call found no partner */
    TSR_E_UNKNOWN_SYSCALL = 16,  /* svc immediate names no system call */
    TSR_E_TRUNCATED = 17,        /* message longer than the receiver accepts */
    TSR_E_CANCELLED = 18,        /* operation aborted by delete or revoke */
    TSR_E_PREEMPTED = 19,        /* long operation stopped early; call again */
    TSR_E_COUNT
} tsr_error_t;

#endif /* TESSERA_ERRORS_H */
