#!/bin/sh
# SPDX-License-Identifier: MIT
# Extract the tutorial's example from docs/tutorial.md, so that the test
# suite builds exactly the text a newcomer copies (qemu-tutorial):
#   extract.sh TUTORIAL.md SYSTEM.dts OUTDIR
# Every fenced block whose first line names a file of
# userland/apps/greeter/ is written to OUTDIR/greeter/; the block for
# dts/system/system.dts is inserted into a copy of SYSTEM.dts before the
# shell's entry, as the tutorial says, giving OUTDIR/system.dts (unless
# SYSTEM.dts has a greeter entry already: someone followed the tutorial in
# this tree). Files are rewritten only when they change, so the build does
# not redo work at every configure.
set -eu
md=$1 base=$2 out=$3
mkdir -p "$out/greeter" "$out/new"
rm -f "$out/new/"*
awk -v dir="$out/new" '
    /^```/ {
        if (inblock) { inblock = 0; file = ""; next }
        inblock = 1; first = 1; next
    }
    inblock && first {
        first = 0
        if (match($0, /userland\/apps\/greeter\/[A-Za-z0-9_.]+/)) {
            file = dir "/" substr($0, RSTART + 22, RLENGTH - 22)
        } else if ($0 ~ /dts\/system\/system\.dts: add/) {
            file = dir "/nodes.dtsi"
        } else if ($0 ~ /userland\/system\/CMakeLists\.txt: add/) {
            file = dir "/hook.cmake"
        } else {
            file = ""
        }
    }
    inblock && file != "" { print > file }
' "$md"
for f in greeter.idl greeter_server.c greeter_client.c CMakeLists.txt nodes.dtsi hook.cmake; do
    [ -s "$out/new/$f" ] || { echo "extract.sh: the tutorial has no block for $f" >&2; exit 1; }
done
if grep -Eq '^[[:space:]]*greeter[[:space:]]*\{' "$base"; then
    cp "$base" "$out/new/system.dts"
else
    grep -Eq '^[[:space:]]*shell[[:space:]]*\{' "$base" ||
        { echo "extract.sh: $base has no shell entry to insert before" >&2; exit 1; }
    awk -v nodes="$out/new/nodes.dtsi" '
        /^[[:space:]]*shell[[:space:]]*\{/ && !done {
            while ((getline line < nodes) > 0) print line
            done = 1
        }
        { print }
    ' "$base" > "$out/new/system.dts"
fi
for f in greeter.idl greeter_server.c greeter_client.c CMakeLists.txt; do
    cmp -s "$out/new/$f" "$out/greeter/$f" || cp "$out/new/$f" "$out/greeter/$f"
done
for f in system.dts hook.cmake; do
    cmp -s "$out/new/$f" "$out/$f" || cp "$out/new/$f" "$out/$f"
done
