#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the Raspberry Pi card images a user gets from `make rpi4` / `make
# rpi3` (both variants, both consoles) and check each with rpi-card-check.sh.
#   rpi-cards.sh MKCARD CHECK CACHE KERNEL_PACKAGE IMAGE WORKDIR
# Exits 77 (skip) when Debian's packages cannot be fetched.
set -u
mkcard=$1 check=$2 cache=$3 kpkg=$4 image=$5 work=$6
for spec in "rpi4 firmware mini" "rpi4 uboot pl011" "rpi3 firmware pl011" "rpi3 uboot mini"; do
    # shellcheck disable=SC2086
    set -- $spec
    card=$work/card-$1-$2-$3.img
    flag=""
    [ "$2" = uboot ] && flag=--uboot
    # shellcheck disable=SC2086
    sh "$mkcard" --cache "$cache" --kernel-package "$kpkg" --console "$3" $flag "$1" "$image" "$card"
    st=$?
    if [ "$st" -eq 77 ]; then
        echo "SKIP rpi-cards: Debian's packages could not be fetched (see above)"
        exit 77
    fi
    [ "$st" -eq 0 ] || { echo "FAIL rpi-cards: mkcard.sh $spec failed ($st)"; exit 1; }
    sh "$check" "$card" "$1" "$2" "$3" "$image" "$cache" "$kpkg" || exit 1
    rm -f "$card"
done
