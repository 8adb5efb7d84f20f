#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot through tools/qemu.sh with an emulator that can find none of QEMU's
# firmware files, as on a fresh Debian 12 machine without ipxe-qemu.
#
# QEMU's -L only adds a directory to the search path (`-L DIR -L help` still
# lists /usr/share/qemu), so an empty -L proves nothing on a machine that has
# the ROMs. Debian's QEMU looks for its data relative to its own executable
# (BIN/../share/qemu, BIN/../lib/ipxe/qemu), so a copy of the executable in a
# directory of its own finds no data file at all.
#   no-roms.sh QEMU_EXE WORK_DIR -- run-test.sh arguments...
set -eu
qemu_exe=$1 work=$2
shift 2
[ "$1" = "--" ] && shift

isolated=$work/bin/qemu-system-aarch64
rm -rf "$work"
mkdir -p "$work/bin"
ln "$qemu_exe" "$isolated" 2> /dev/null || cp "$qemu_exe" "$isolated"

# The isolation must be real: the copy's search path lies inside WORK_DIR, and
# a plain virt machine (with its default NIC) cannot start there.
"$isolated" -L help | while IFS= read -r dir; do
    case "$dir" in
    "$work"/*) ;;
    *) echo "no-roms: isolated QEMU still searches $dir"; exit 1 ;;
    esac
done
if out=$("$isolated" -M virt,dumpdtb="$work/probe.dtb" -cpu cortex-a72 -display none 2>&1); then
    echo "no-roms: the isolated QEMU started a machine with a default NIC; the test proves nothing"
    exit 1
fi
case "$out" in
*"failed to find romfile"*) ;;
*) echo "no-roms: the isolated QEMU failed for another reason: $out"; exit 1 ;;
esac
echo "no-roms: an isolated QEMU finds no ROM (without tools/qemu.sh: $out)"

QEMU_SYSTEM_AARCH64=$isolated
export QEMU_SYSTEM_AARCH64
exec sh "$(dirname "$0")/run-test.sh" "$@"
