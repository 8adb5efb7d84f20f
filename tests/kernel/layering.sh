#!/bin/sh
# SPDX-License-Identifier: MIT
# The layering rules of docs/architecture.md ("Layout"), checked on the
# source tree so a violation fails the build's tests rather than a review:
#  1. generic kernel code (kernel/) and cap/ use no inline assembly and name
#     no system register: that is arch/'s job;
#  2. they include no arch-private header: only <arch/...> (the public part
#     of the arch seam, arch/<arch>/include/arch/; kernel/arch.h is the rest);
#  3. kernel/ includes name their directory ("object/tcb.h", "cap/cdt.h",
#     "lib/fdt.h"), except kernel/arch.h, the seam itself;
#  4. only cap/cap.h reads a capability's type-dependent words (w0, w1):
#     everything else uses its typed accessors;
#  5. cap/ includes nothing of the kernel's but the ABI headers, and user land
#     nothing of the kernel's but the ABI headers and the freestanding
#     library (lib/).
#   layering.sh SOURCE_ROOT
set -u
root=${1:?usage: layering.sh SOURCE_ROOT}
cd "$root" || exit 2
bad=0
report() { # report RULE GREP-OUTPUT
    [ -n "$2" ] || return 0
    echo "layering: rule $1 broken:"
    printf '%s\n' "$2" | sed 's/^/  /'
    bad=1
}
src() { find "$@" -name '*.[ch]' 2> /dev/null | sort; }

generic=$(src kernel cap)
report 1 "$(grep -nE '\b(__asm__|asm[[:space:]]*(volatile)?[[:space:]]*\()|\b(mrs|msr)[[:space:]]+[a-z]' $generic)"
report 2 "$(grep -nE '#[[:space:]]*include[[:space:]]*("arch/|[<"][^>"]*aarch64)' $generic)"
report 3 "$(grep -nE '#[[:space:]]*include[[:space:]]*"[^/"]+"' $(src kernel) | grep -v '"arch\.h"')"
report 4 "$(grep -nE '(\.|->)w[01]\b' $(src kernel arch cap userland) | grep -v '^cap/cap\.h:')"
report 5 "$(grep -nE '#[[:space:]]*include[[:space:]]*"(boot|core|ipc|object|lib)/' $(src cap))"
report 5 "$(grep -nE '#[[:space:]]*include[[:space:]]*"(boot|core|ipc|object|cap)/|#[[:space:]]*include[[:space:]]*"(arch|kernel)' $(src userland))"
[ "$bad" -eq 0 ] || exit 1
echo "layering: kernel/, cap/, arch/ and userland/ keep the rules"
