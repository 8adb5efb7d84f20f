#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages Tessera's build and tests need, but only those
# that are missing: a machine that already has everything runs no apt-get at all.
set -eu

missing=""
need_cmd() {  # need_cmd COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_file() {  # need_file PATH PACKAGE
    [ -e "$1" ] || missing="$missing $2"
}

need_cmd clang                clang
need_cmd ld.lld               lld
need_cmd llvm-objcopy         llvm
need_cmd cmake                cmake
need_cmd ninja                ninja-build
need_cmd qemu-system-aarch64  qemu-system-arm
need_cmd dtc                  device-tree-compiler
need_cmd fdtput               device-tree-compiler
need_cmd dumpimage            u-boot-tools
need_cmd flock                util-linux
need_cmd mkimage              u-boot-tools
need_cmd mkenvimage           u-boot-tools
need_cmd mcopy                mtools
need_cmd mkfs.vfat            dosfstools
need_cmd sfdisk               fdisk
need_cmd valgrind             valgrind
need_cmd gcc                  gcc
# A second, newer clang: the toolchain file is tested with both.
need_cmd clang-19             clang-19
need_cmd ld.lld-19            lld-19
need_file /usr/lib/llvm-19/bin/llvm-objcopy      llvm-19
need_file /usr/lib/u-boot/qemu_arm64/u-boot.bin  u-boot-qemu
need_file /usr/include/libfdt.h                  libfdt-dev
# AddressSanitizer, UBSan and libFuzzer runtimes for Debian 12's clang 14.
if command -v clang >/dev/null 2>&1; then
    rt=$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-$(uname -m).a
    need_file "$rt" libclang-rt-14-dev
else
    missing="$missing libclang-rt-14-dev"
fi

if [ -n "$missing" ]; then
    # De-duplicate the list (u-boot-tools may appear twice).
    missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
    echo "install-deps: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# Smoke check: the installed QEMU must start a virt machine the way the project
# starts every one (tools/qemu.sh). dumpdtb builds the whole machine, devices
# and their ROMs included, then exits without needing a kernel.
here=$(dirname "$0")
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
if ! out=$(sh "$here/qemu.sh" -M virt,gic-version=3,dumpdtb="$probe/virt.dtb" \
        -cpu cortex-a72 -m 1G 2>&1) || [ ! -s "$probe/virt.dtb" ]; then
    echo "install-deps: qemu-system-aarch64 cannot start the virt machine Tessera uses:" >&2
    printf '%s\n' "$out" | sed 's/^/install-deps:   /' >&2
    echo "install-deps: check that package qemu-system-arm is installed and works;" >&2
    echo "install-deps: every QEMU run goes through tools/qemu.sh (see its header)." >&2
    exit 1
fi
