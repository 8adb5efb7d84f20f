#!/bin/sh
# SPDX-License-Identifier: MIT
# layering.sh must catch each kind of violation: a tree with one planted in
# a copy of kernel/ or cap/ must fail, naming the rule.
#   layering-selftest.sh LAYERING_SH SOURCE_ROOT WORK_DIR
set -u
check=$1 root=$2 work=$3
fails=0
plant() { # plant RULE FILE LINE
    rm -rf "$work"
    mkdir -p "$work"
    cp -R "$root/kernel" "$root/cap" "$root/arch" "$root/userland" "$work/"
    printf '%s\n' "$3" >> "$work/$2"
    if out=$(sh "$check" "$work" 2>&1); then
        echo "layering-selftest: rule $1 not caught ($2: $3)"
        fails=1
    elif ! printf '%s\n' "$out" | grep -q "rule $1 broken"; then
        echo "layering-selftest: rule $1 not named for ($2: $3): $out"
        fails=1
    fi
}
sh "$check" "$root" > /dev/null || { echo "layering-selftest: the real tree fails"; exit 1; }
plant 1 kernel/core/sched.c 'static void f(void) { __asm__ volatile("isb"); }'
plant 1 cap/mdb.c 'static unsigned long g(void) { unsigned long v; asm("mrs %0, tpidr_el1" : "=r"(v)); return v; }'
plant 2 kernel/object/tcb.c '#include "arch/aarch64/sysreg.h"'
plant 3 kernel/ipc/endpoint.c '#include "sched.h"'
plant 4 kernel/object/frame.c 'static unsigned long h(struct cap *c) { return c->w1; }'
plant 5 cap/cspace.c '#include "object/tcb.h"'
plant 5 userland/lib/vm.c '#include "object/tcb.h"'
rm -rf "$work"
[ "$fails" -eq 0 ] || exit 1
echo "layering-selftest: every planted violation was caught"
