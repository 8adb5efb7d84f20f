/* SPDX-License-Identifier: MIT */
/* Parser: tokens of one file => ast_file. Recursive descent following the
 * EBNF in docs/idl.md, one function per rule. On a syntax error (IDL0010) it
 * reports, skips to the next member (';') or declaration keyword and goes on,
 * so several errors are found in one run. */
#ifndef IDLC_PARSER_H
#define IDLC_PARSER_H

#include "ast.h"

/* Parse file `file` of d into *out (zeroed by the caller). Returns false if
 * any diagnostic was reported while parsing it. */
bool parse_file(arena *a, diag_ctx *d, uint32_t file, ast_file *out);

#endif /* IDLC_PARSER_H */
