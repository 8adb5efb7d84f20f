#!/bin/sh
# SPDX-License-Identifier: MIT
# Run a command with Debian's arm64 packages at hand (the Pi tests): fetch
# (once, into CACHE) the kernel package's device trees and U-Boot's Pi
# builds, then run COMMAND with @DTBS@ replaced by the kernel package's
# broadcom/ directory, @UBOOT_RPI@ by u-boot-rpi's /usr/lib/u-boot and
# @DERIVED@ by a directory of trees derived from them for the tests:
#   raspi3b-16550.dtb  the Pi 3 B tree with its mini-UART described as the
#                      16550 it is (ns16550a, reg-shift 2, reg-io-width 4)
# With --card, first build an SD-card image with tools/rpi/mkcard.sh.
#   with-debian.sh FETCH CACHE KERNEL_PACKAGE [--card MKCARD FLAGS BOARD KERNEL CARD] -- COMMAND...
# Exits 77 (ctest's skip) with a message when the archive cannot be reached.
set -u
fetch=$1 cache=$2 kpkg=$3
shift 3
card=""
if [ "$1" = "--card" ]; then
    mkcard=$2 cflags=$3 cboard=$4 ckernel=$5 card=$6
    shift 6
fi
[ "$1" = "--" ] && shift
kdir=$(sh "$fetch" -p '*.dtb' "$cache" "$kpkg") && ubdir=$(sh "$fetch" "$cache" u-boot-rpi)
st=$?
if [ "$st" -eq 77 ]; then
    echo "SKIP: Debian's $kpkg or u-boot-rpi could not be fetched (see above): the Pi test did not run"
    exit 77
fi
[ "$st" -eq 0 ] || exit 1
dtbs=$(dirname "$(find "$kdir" -name bcm2837-rpi-3-b.dtb | head -n 1)")
uboot=$ubdir/usr/lib/u-boot
[ -d "$dtbs" ] && [ -d "$uboot" ] || { echo "with-debian.sh: unexpected package layout"; exit 1; }
derived=$cache/derived
mkdir -p "$derived"
if [ ! -f "$derived/raspi3b-16550.dtb" ]; then
    tmp=$derived/raspi3b-16550.$$.tmp
    cp "$dtbs/bcm2837-rpi-3-b.dtb" "$tmp"
    uart=/soc/serial@7e215040
    fdtput -t s "$tmp" $uart compatible ns16550a &&
        fdtput -t u "$tmp" $uart reg-shift 2 &&
        fdtput -t u "$tmp" $uart reg-io-width 4 &&
        mv "$tmp" "$derived/raspi3b-16550.dtb" || exit 1
fi
if [ -n "$card" ]; then
    # shellcheck disable=SC2086
    sh "$mkcard" --cache "$cache" --kernel-package "$kpkg" $cflags "$cboard" "$ckernel" "$card" || {
        st=$?; [ "$st" -eq 77 ] && echo "SKIP: the card's packages could not be fetched"; exit "$st"; }
fi
n=$#
while [ "$n" -gt 0 ]; do
    a=$1
    shift
    case "$a" in
    *@DTBS@* | *@UBOOT_RPI@* | *@DERIVED@*)
        a=$(printf '%s' "$a" | sed "s|@DTBS@|$dtbs|g; s|@UBOOT_RPI@|$uboot|g; s|@DERIVED@|$derived|g") ;;
    esac
    set -- "$@" "$a"
    n=$((n - 1))
done
exec "$@"
