/* SPDX-License-Identifier: MIT */
/* Facts about the IDL's integer kinds, used by every later stage. */
#include "ast.h"

static const struct {
    unsigned size;
    bool sign;
    const char *idl, *c;
} int_kinds[] = {
    [IK_U8] = {1, false, "u8", "uint8_t"},   [IK_U16] = {2, false, "u16", "uint16_t"},
    [IK_U32] = {4, false, "u32", "uint32_t"}, [IK_U64] = {8, false, "u64", "uint64_t"},
    [IK_I8] = {1, true, "i8", "int8_t"},     [IK_I16] = {2, true, "i16", "int16_t"},
    [IK_I32] = {4, true, "i32", "int32_t"},   [IK_I64] = {8, true, "i64", "int64_t"},
};

unsigned int_kind_size(int_kind k)
{
    return int_kinds[k].size;
}
bool int_kind_signed(int_kind k)
{
    return int_kinds[k].sign;
}
const char *int_kind_idl(int_kind k)
{
    return int_kinds[k].idl;
}
const char *int_kind_ctype(int_kind k)
{
    return int_kinds[k].c;
}
