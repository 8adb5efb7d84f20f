#!/bin/sh
# SPDX-License-Identifier: MIT
# `make run`'s boot: the everyday image in QEMU, with the serial line and
# QEMU's monitor multiplexed on this terminal (Ctrl-A X quits, Ctrl-A H
# lists the other keys). The qemu-make-run test boots through this file
# too, and leaves with Ctrl-A X as the README tells a user to.
#   run.sh BUILD-DIR [MACHINE]      (MACHINE: virt,gic-version=3)
set -eu
build=$1
machine=${2:-virt,gic-version=3}
exec sh "$(dirname "$0")/qemu.sh" -M "$machine" -cpu cortex-a72 -m 1G -serial mon:stdio \
    -kernel "$build/target/Image"
