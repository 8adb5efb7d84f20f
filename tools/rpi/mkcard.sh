#!/bin/sh
# SPDX-License-Identifier: MIT
# Build a Raspberry Pi SD-card image holding Tessera (docs/rpi4.md).
#
#   mkcard.sh [options] BOARD KERNEL OUT.img
#     BOARD            rpi4 (Pi 4 B, Pi 400, CM4) or rpi3 (Pi 3 B/B+/A+, CM3, Zero 2 W)
#     KERNEL           Tessera's Image (build/target/Image)
#     --uboot          boot through U-Boot (Debian's rpi_arm64 build) and a boot
#                      script instead of the firmware starting the kernel itself
#     --console C      mini (the mini-UART, the firmware's default on GPIO 14/15)
#                      or pl011 (the PL011, muxed onto GPIO 14/15 by config.txt)
#     --cache DIR      where Debian's packages are fetched and kept [build/debian]
#     --kernel-package NAME|META   the Debian kernel package with the DTBs
#
# The card: an MBR partition table with one FAT32 partition (type 0x0c,
# bootable, from 1 MiB) holding the Pi boot firmware from Debian's
# raspi-firmware (non-free-firmware component), the board's device trees
# from Debian's arm64 kernel package, config.txt, and the kernel as
# kernel8.img (or U-Boot as u-boot.bin, the kernel as tessera.img and
# boot.scr). Nothing of it is committed: everything is fetched at build time
# (tools/debian-fetch.sh; exit status 77 if the archive cannot be reached).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
uboot=0 console=mini cache="" kpkg="linux-image-6.1.0-50-arm64|linux-image-arm64"
while [ $# -gt 0 ]; do
    case "$1" in
    --uboot) uboot=1; shift ;;
    --console) console=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --kernel-package) kpkg=$2; shift 2 ;;
    -*) echo "mkcard.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -eq 3 ] || { echo "usage: mkcard.sh [--uboot] [--console mini|pl011] [--cache DIR] BOARD KERNEL OUT.img" >&2; exit 2; }
board=$1 kernel=$2 out=$3
[ -n "$cache" ] || cache=$(dirname "$out")/../debian
case "$console" in mini | pl011) ;; *) echo "mkcard.sh: --console mini or pl011" >&2; exit 2 ;; esac
case "$board" in
rpi4)
    firmware="start4.elf fixup4.dat"
    dtbs="bcm2711-rpi-4-b bcm2711-rpi-400 bcm2711-rpi-cm4-io" ;;
rpi3)
    firmware="bootcode.bin start.elf fixup.dat"
    dtbs="bcm2837-rpi-3-b bcm2837-rpi-3-b-plus bcm2837-rpi-3-a-plus bcm2837-rpi-cm3-io3 bcm2837-rpi-zero-2-w" ;;
*) echo "mkcard.sh: BOARD is rpi4 or rpi3" >&2; exit 2 ;;
esac
[ -f "$kernel" ] || { echo "mkcard.sh: no kernel image $kernel" >&2; exit 2; }
for tool in sfdisk mkfs.vfat mcopy mmd fdtput; do
    command -v $tool > /dev/null 2>&1 || { echo "mkcard.sh: $tool missing (tools/install-deps.sh)" >&2; exit 2; }
done
[ "$uboot" -eq 0 ] || command -v mkimage > /dev/null 2>&1 || { echo "mkcard.sh: mkimage missing" >&2; exit 2; }

fetch() {
    d=$(sh "$here/../debian-fetch.sh" "$@") || exit $?
    echo "$d"
}
kdir=$(fetch -p '*.dtb' "$cache" "$kpkg")
fwdir=$(fetch -c non-free-firmware "$cache" raspi-firmware)
[ "$uboot" -eq 0 ] || ubdir=$(fetch "$cache" u-boot-rpi)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
boot=$stage/boot
mkdir -p "$boot"
for f in $firmware; do
    cp "$fwdir/usr/lib/raspi-firmware/$f" "$boot/$f"
done
for d in $dtbs; do
    src=$(find "$kdir" -name "$d.dtb" | head -n 1)
    [ -n "$src" ] || { echo "mkcard.sh: $d.dtb not in the kernel package" >&2; exit 1; }
    cp "$src" "$boot/$d.dtb"
    # The PL011 as console: stdout-path names it (serial0) instead of the
    # mini-UART (serial1).
    [ "$console" = mini ] || fdtput -t s "$boot/$d.dtb" /chosen stdout-path "serial0:115200n8"
done

{
    echo "# Tessera on the Raspberry Pi ($board): read by the Pi boot firmware (docs/rpi4.md)."
    echo "# 64-bit kernel, entered at EL2 with the device tree in x0."
    echo "arm_64bit=1"
    echo "# The device trees here are upstream Linux ones (bcm2711-rpi-4-b.dtb...), not"
    echo "# the Raspberry Pi kernel's names."
    echo "upstream_kernel=1"
    echo "# A serial console on GPIO 14 (TX, pin 8) and 15 (RX, pin 10), 115200 8N1;"
    echo "# this also fixes the core clock the mini-UART's baud rate depends on."
    echo "enable_uart=1"
    if [ "$console" = pl011 ]; then
        echo "# uart=pl011: GPIO 14/15 to the PL011 (alternate function 0) instead of the"
        echo "# mini-UART; the device trees' stdout-path names serial0 (the PL011)."
        echo "gpio=14,15=a0"
        echo "init_uart_clock=48000000"
    else
        echo "# uart=mini: the mini-UART (serial1), the device trees' stdout-path."
    fi
    if [ "$uboot" -eq 1 ]; then
        echo "# U-Boot (Debian's rpi_arm64 build) runs boot.scr, which starts tessera.img."
        echo "kernel=u-boot.bin"
    else
        echo "kernel=kernel8.img"
    fi
} > "$boot/config.txt"

if [ "$uboot" -eq 1 ]; then
    cp "$ubdir/usr/lib/u-boot/rpi_arm64/u-boot.bin" "$boot/u-boot.bin"
    cp "$kernel" "$boot/tessera.img"
    cat > "$stage/boot.cmd" <<'SCRIPT'
# Tessera: load the kernel from the partition this script came from and start
# it with the device tree the firmware handed to U-Boot (RAM filled in).
echo Tessera: loading tessera.img from ${devtype} ${devnum}:${distro_bootpart}
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} tessera.img
booti ${kernel_addr_r} - ${fdt_addr}
SCRIPT
    mkimage -A arm64 -O linux -T script -C none -n "Tessera boot script" \
        -d "$stage/boot.cmd" "$boot/boot.scr" > /dev/null
else
    cp "$kernel" "$boot/kernel8.img"
fi

# A 128 MiB card (a power of two, as QEMU's SD card wants): partition 1 from
# sector 2048 to the end, FAT32.
size_mib=128
part_sectors=$(( (size_mib - 1) * 2048 ))
rm -f "$out" "$out.part"
truncate -s "${size_mib}M" "$out"
printf 'label: dos\nstart=2048, size=%d, type=c, bootable\n' "$part_sectors" |
    sfdisk --quiet "$out"
mkfs.vfat -F 32 -n TESSERA -C "$out.part" $(( part_sectors / 2 )) > /dev/null
MTOOLS_SKIP_CHECK=1 mcopy -i "$out.part" -s "$boot"/* ::/
dd if="$out.part" of="$out" bs=1M seek=1 conv=notrunc status=none
rm -f "$out.part"
echo "mkcard.sh: $out ($board, $( [ "$uboot" -eq 1 ] && echo U-Boot || echo firmware ), console $console)"
