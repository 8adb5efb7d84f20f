#!/bin/sh
# SPDX-License-Identifier: MIT
# The one place that starts QEMU for Tessera. Every run goes through here:
# `make run`, `make bench`, the ctest harness, the live device-tree dump, the
# AArch64 IDL benchmark, the U-Boot boots, the clang-19 test and the smoke
# check of tools/install-deps.sh. An option every run needs is added here once.
#
#   qemu.sh QEMU-ARGUMENTS...
#   QEMU_SYSTEM_AARCH64=/path/to/qemu qemu.sh ...   (another emulator)
#
# The arguments added to every run, and why:
#   -nic none      QEMU's virt machine otherwise gives itself a virtio NIC and
#                  loads that NIC's option ROM (efi-virtio.rom, in Debian's
#                  ipxe-qemu, which qemu-system-arm only *recommends*): without
#                  the ROM QEMU refuses to start. Tessera has no network driver,
#                  so no run needs a NIC, and with none QEMU needs no ROM at all
#                  (the qemu-no-option-roms test boots with an empty -L).
#   -display none  no window: the serial line is the only console.
# The caller gives the machine, CPU, memory, serial and monitor set-up.
set -eu
qemu=${QEMU_SYSTEM_AARCH64:-qemu-system-aarch64}
if ! command -v "$qemu" > /dev/null 2>&1; then
    echo "qemu.sh: $qemu not found; tools/install-deps.sh installs it (package qemu-system-arm)" >&2
    exit 127
fi
exec "$qemu" -nic none -display none "$@"
