#!/bin/sh
# SPDX-License-Identifier: MIT
# Unpack a Raspberry Pi card image made by tools/rpi/mkcard.sh and check it:
# the partition table, every file against where it came from, config.txt.
#   rpi-card-check.sh CARD.img BOARD firmware|uboot mini|pl011 KERNEL CACHE KERNEL_PACKAGE
set -u
card=$1 board=$2 variant=$3 console=$4 kernel=$5 cache=$6 kpkg=$7
here=$(cd "$(dirname "$0")" && pwd)
fetch=$here/../../tools/debian-fetch.sh
fail() { echo "FAIL rpi-card-check $card: $*"; exit 1; }

# The sources, as mkcard.sh fetched them (cached: no network here).
kdir=$(sh "$fetch" -p '*.dtb' "$cache" "$kpkg") || exit $?
fwdir=$(sh "$fetch" -c non-free-firmware "$cache" raspi-firmware) || exit $?
ubdir=$(sh "$fetch" "$cache" u-boot-rpi) || exit $?

# 1. An MBR with one bootable FAT32 (LBA) partition from sector 2048 to the end.
table=$(sfdisk -d "$card") || fail "no partition table"
echo "$table" | grep -q '^label: dos$' || fail "not an MBR (dos) label"
parts=$(echo "$table" | grep -c ': start=')
[ "$parts" -eq 1 ] || fail "$parts partitions, want 1"
echo "$table" | grep -Eq ': start= *2048, size= *260096, type=c, bootable$' ||
    fail "partition 1 is not 'start=2048, size=260096, type=c, bootable': $(echo "$table" | grep start=)"

# 2. The files: exactly the expected set, each identical to its source.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
MTOOLS_SKIP_CHECK=1 mcopy -s -i "$card@@1M" ::/ "$out/" 2> /dev/null || fail "cannot read the FAT partition"
MTOOLS_SKIP_CHECK=1 minfo -i "$card@@1M" :: | grep -q 'disk type="FAT32' || fail "the partition is not FAT32"
case "$board" in
rpi4) fw="start4.elf fixup4.dat"; dtbs="bcm2711-rpi-4-b bcm2711-rpi-400 bcm2711-rpi-cm4-io" ;;
rpi3) fw="bootcode.bin start.elf fixup.dat"
      dtbs="bcm2837-rpi-3-b bcm2837-rpi-3-b-plus bcm2837-rpi-3-a-plus bcm2837-rpi-cm3-io3 bcm2837-rpi-zero-2-w" ;;
*) fail "unknown board $board" ;;
esac
want="config.txt"
for f in $fw; do
    want="$want $f"
    cmp -s "$out/$f" "$fwdir/usr/lib/raspi-firmware/$f" || fail "$f differs from raspi-firmware's"
done
for d in $dtbs; do
    want="$want $d.dtb"
    src=$(find "$kdir" -name "$d.dtb" | head -n 1)
    if [ "$console" = mini ]; then
        cmp -s "$out/$d.dtb" "$src" || fail "$d.dtb differs from the kernel package's"
    else
        [ "$(fdtget -ts "$out/$d.dtb" /chosen stdout-path)" = "serial0:115200n8" ] ||
            fail "$d.dtb: stdout-path is not serial0"
    fi
    fdtget "$out/$d.dtb" /cpus/cpu@1 cpu-release-addr > /dev/null || fail "$d.dtb has no spin table"
done
if [ "$variant" = uboot ]; then
    want="$want u-boot.bin tessera.img boot.scr"
    cmp -s "$out/u-boot.bin" "$ubdir/usr/lib/u-boot/rpi_arm64/u-boot.bin" || fail "u-boot.bin differs"
    cmp -s "$out/tessera.img" "$kernel" || fail "tessera.img is not the kernel"
    dumpimage -l "$out/boot.scr" | grep -q 'Script' || fail "boot.scr is not a U-Boot script image"
    grep -aq 'booti ${kernel_addr_r} - ${fdt_addr}' "$out/boot.scr" || fail "boot.scr does not booti"
    kfile=tessera.img
else
    want="$want kernel8.img"
    cmp -s "$out/kernel8.img" "$kernel" || fail "kernel8.img is not the kernel"
    kfile=kernel8.img
fi
# The arm64 Image header's magic "ARM\x64" at offset 0x38.
[ "$(dd if="$out/$kfile" bs=1 skip=56 count=4 status=none | od -An -c | tr -d ' ')" = 'ARMd' ] ||
    fail "$kfile has no arm64 Image magic"
got=$(cd "$out" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')
exp=$(printf '%s\n' $want | sort | tr '\n' ' ')
[ "$got" = "$exp" ] || fail "files are '$got', want '$exp'"

# 3. config.txt: the settings the firmware needs.
c=$out/config.txt
for line in arm_64bit=1 enable_uart=1 upstream_kernel=1; do
    grep -qx "$line" "$c" || fail "config.txt lacks $line"
done
if [ "$variant" = uboot ]; then k=u-boot.bin; else k=kernel8.img; fi
grep -qx "kernel=$k" "$c" || fail "config.txt does not say kernel=$k"
if [ "$console" = pl011 ]; then
    grep -qx 'gpio=14,15=a0' "$c" || fail "config.txt does not put the PL011 on GPIO 14/15"
else
    ! grep -q '^gpio=' "$c" || fail "config.txt moves GPIO 14/15 for the mini-UART"
fi
echo "PASS rpi-card-check $(basename "$card"): $board $variant console $console, $(echo $want | wc -w) files, MBR + FAT32"
