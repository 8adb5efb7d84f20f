#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerates the fuzz seeds in tests/fdt/corpus/: two small hand-written
# trees (mini: every device platform_probe looks for, behind aliases, ranges
# and a nexus; loops: reference cycles, bad cells, PSCI 0.1), two QEMU board
# trees, and broken variants (truncated, misaligned struct block, unknown
# token, property name offset outside the strings block).
# Usage: make-corpus.sh BUILD_DIR/dts   (the directory with the board dtbs)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/../corpus
dtbs=${1:?usage: make-corpus.sh BUILD_DIR/dts}

dtc -q -I dts -O dtb -o "$corpus/mini.dtb" "$here/mini.dts"
dtc -q -I dts -O dtb -o "$corpus/loops.dtb" "$here/loops.dts"
cp "$dtbs/qemu-virt-gicv2.dtb" "$corpus/virt-gicv2.dtb"
cp "$dtbs/qemu-virt-secure.dtb" "$corpus/virt-secure.dtb"
head -c 3000 "$corpus/virt-gicv2.dtb" >"$corpus/broken-truncated.dtb"

# Big-endian 32-bit read and write at a byte offset.
rd32() { od -An -tu1 -j "$2" -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }
be32() {
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) \
        $(($1 >> 8 & 255)) $(($1 & 255)))"
}
broken() { # NAME OFFSET VALUE: mini.dtb with one word replaced
    cp "$corpus/mini.dtb" "$corpus/$1"
    be32 "$3" | dd of="$corpus/$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
so=$(rd32 "$corpus/mini.dtb" 8) # off_dt_struct
broken broken-misaligned.dtb 8 $((so + 2))
broken broken-token.dtb $((so + 8)) 5
broken broken-nameoff.dtb $((so + 16)) 65520
