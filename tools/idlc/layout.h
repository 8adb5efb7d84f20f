/* SPDX-License-Identifier: MIT */
/* Wire layout: where each field of a struct or parameter list sits in the
 * message words (docs/wire-format.md, "Packing"). Shared by the checker (size
 * limits) and the emitters (offsets), so both agree by construction.
 *
 * A list is cut into segments: each variable-length item (string, bytes, or
 * a struct containing one) ends a segment. Inside a segment every offset is a
 * constant; the generated code keeps the start of the current segment in a
 * variable once the first variable-length item has been passed. */
#ifndef IDLC_LAYOUT_H
#define IDLC_LAYOUT_H

#include "ast.h"

typedef enum item_role {
    ROLE_VALUE,       /* a field or parameter value */
    ROLE_BULK_WINDOW, /* request side of an out bulk: (offset, capacity) */
    ROLE_BULK_LEN     /* reply side of an out bulk: the length written */
} item_role;

typedef enum slot_kind {
    SLOT_NONE,   /* capability: travels in a cap slot, no words */
    SLOT_SCALAR, /* integer, bool or enum: bits [shift, shift + 8*size) of a word */
    SLOT_FIXED,  /* aggregate of `words` whole words */
    SLOT_VAR     /* variable-length aggregate: ends its segment */
} slot_kind;

typedef struct wire_item {
    const type_ref *type;
    item_role role;
    const char *name;
} wire_item;

typedef struct slot {
    slot_kind kind;
    uint32_t seg;   /* segment index (0 = static offsets from the list start) */
    uint32_t word;  /* word offset within the segment */
    uint32_t shift; /* SLOT_SCALAR: bit offset in the word */
    uint32_t size;  /* SLOT_SCALAR: bytes */
    uint32_t words; /* SLOT_FIXED: words */
} slot;

typedef struct list_layout {
    slot *slots;         /* one per item */
    size_t n;
    uint32_t nsegs;
    uint32_t *seg_words; /* fixed words at the start of each segment */
    uint64_t max_words;  /* with every string/bytes at its maximum */
    uint64_t min_words;  /* with every string/bytes empty */
    bool fixed;          /* no variable-length item: max == min */
} list_layout;

/* Word counts saturate here, so absurd declarations are reported, not
 * overflowed. */
#define LAYOUT_WORDS_MAX (UINT64_C(1) << 40)
/* Words in one message, request or reply (TSR_MSG_MAX_WORDS). */
#define LAYOUT_MESSAGE_WORDS 120u
/* An event: one message queue slot, of which the GUID and the lost count
 * take the first three words (docs/wire-format.md, "Events"). */
#define LAYOUT_EVENT_WORDS 14u
#define LAYOUT_EVENT_HEADER_WORDS 3u

/* Bytes of a scalar type (int, bool, enum). */
unsigned scalar_size(const type_ref *t);
/* Is the type (ignoring an array suffix) a scalar? */
bool is_scalar_base(const type_ref *t);
/* Does the type's encoding have a length that depends on the value? */
bool type_is_variable(const type_ref *t);
/* Maximum / minimum words of one value of the type (arrays included). */
uint64_t type_max_words(const type_ref *t);
uint64_t type_min_words(const type_ref *t);

/* Lay out a list of items. Storage comes from the arena. */
void layout_list(arena *a, const wire_item *items, size_t n, list_layout *out);
/* The layout of a struct's fields. */
void layout_struct(arena *a, const decl *s, list_layout *out);
/* Compute s->wire_var, wire_max and wire_min once the structs it contains
 * have theirs (the checker calls it for each sound struct, contained
 * structs first), so no size computation ever recurses. */
void layout_struct_facts(decl *s);

/* The wire items of a method's request (in-parameters in order, then the
 * window of each out bulk) or reply (out-parameters; an out bulk becomes its
 * length word). Capabilities are included and get SLOT_NONE. */
void method_items(arena *a, const method *m, bool reply, wire_item **items, size_t *n);
#endif /* IDLC_LAYOUT_H */
