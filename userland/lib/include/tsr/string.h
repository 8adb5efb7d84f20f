/* SPDX-License-Identifier: MIT */
/* Memory and string functions for user programs: the freestanding library's
 * (kernel/lib/kstring.c), which the kernel uses too. */
#ifndef TSR_STRING_H
#define TSR_STRING_H

#include "lib/kstring.h"

#endif
