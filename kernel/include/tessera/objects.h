/* SPDX-License-Identifier: MIT */
/* Kernel object types and capability rights as user space names them, shared
 * by the kernel, cap/ and user space. Values are ABI: append only.
 * docs/architecture.md ("Objects") gives each object's size and purpose,
 * docs/syscalls.md its invocations. Every object is aligned to its size. */
#ifndef TESSERA_OBJECTS_H
#define TESSERA_OBJECTS_H

#include <stdint.h>

/* Object types for Untyped_Retype. */
typedef enum tsr_object_type {
    TSR_OBJ_UNTYPED = 1,      /* size_bits: TSR_UNTYPED_MIN_BITS..TSR_UNTYPED_MAX_BITS */
    TSR_OBJ_CNODE = 2,        /* size_bits = radix: 2^radix slots */
    TSR_OBJ_TCB = 3,
    TSR_OBJ_ENDPOINT = 4,
    TSR_OBJ_NOTIFICATION = 5,
    TSR_OBJ_REPLY = 6,
    TSR_OBJ_FRAME_4K = 7,
    TSR_OBJ_FRAME_2M = 8,
    TSR_OBJ_PAGE_TABLE = 9,   /* a level 1, 2 or 3 table; the level is set by mapping */
    TSR_OBJ_VSPACE = 10,      /* a level-0 table: the root of an address space */
    TSR_OBJ_MSG_QUEUE = 11,   /* size_bits: TSR_MSG_QUEUE_MIN_BITS..MAX (tessera/msgqueue.h) */
    TSR_OBJ_TYPE_COUNT
} tsr_object_type_t;

/* log2 sizes of the fixed-size objects (docs/architecture.md, "Objects"). */
#define TSR_SLOT_BITS 6           /* one CNode slot: 64 bytes */
#define TSR_TCB_BITS 11          /* 2 KiB: registers, FP/SIMD state, slots, scheduling */
#define TSR_ENDPOINT_BITS 5
#define TSR_NOTIFICATION_BITS 6
#define TSR_REPLY_BITS 5
#define TSR_PAGE_BITS 12
#define TSR_PAGE_SIZE (1ull << TSR_PAGE_BITS)
#define TSR_LARGE_PAGE_BITS 21
#define TSR_PAGE_TABLE_BITS 12
#define TSR_VSPACE_BITS 12
#define TSR_UNTYPED_MIN_BITS 4
#define TSR_UNTYPED_MAX_BITS 47
#define TSR_CNODE_MIN_RADIX 1
#define TSR_CNODE_MAX_RADIX 16 /* 4 MiB: see TSR_RETYPE_MAX_ZERO_BITS */
#define TSR_MSG_QUEUE_MIN_BITS 14
#define TSR_MSG_QUEUE_MAX_BITS 18
/* One Untyped_Retype zeroes at most 2^TSR_RETYPE_MAX_ZERO_BITS bytes (the
 * kernel runs with interrupts masked, and zeroing is not preemptible):
 * count x object size must stay within it, except for untyped objects, which
 * are not zeroed. */
#define TSR_RETYPE_MAX_ZERO_BITS 22

/* Capability rights (a subset survives each copy/mint). For frames, READ and
 * WRITE bound what a mapping may allow; for endpoints, WRITE allows sending,
 * READ receiving, GRANT sending capabilities, GRANT_REPLY granting through a
 * reply. */
#define TSR_RIGHT_READ 0x1u
#define TSR_RIGHT_WRITE 0x2u
#define TSR_RIGHT_GRANT 0x4u
#define TSR_RIGHT_GRANT_REPLY 0x8u
#define TSR_RIGHTS_ALL 0xfu

/* For CNode capabilities, the badge argument of CNode Mint and Mutate sets the
 * guard instead: bits 0-5 the guard's length, bits 6-63 its value. A CNode of
 * radix r used as a CSpace root with a (64 - r)-bit zero guard makes its
 * cptrs plain slot numbers. */
#define TSR_CNODE_GUARD(bits, value) (((uint64_t)(value) << 6) | ((bits)&63u))

#endif /* TESSERA_OBJECTS_H */
