#!/bin/sh
# SPDX-License-Identifier: MIT
# The device-tree survey (fdt_survey.c) over Debian's arm64 kernel package:
# fetch it into the build directory's cache (once), then survey every .dtb.
# Then the full libfdt cross-check (fdt_crosscheck) on the real trees whose
# paths find an earlier sibling ("/timer" -> "timer@...": Juno, Tegra210,
# HiKey960) and on the Pi trees.
#   survey.sh DEBIAN_FETCH CACHE_DIR PACKAGE FDT_SURVEY DOC.md FDT_CROSSCHECK
# Exits 77 (ctest's skip) with the reason when the archive cannot be reached.
set -u
fetch=$1 cache=$2 pkg=$3 survey=$4 doc=$5 crosscheck=$6
dir=$(sh "$fetch" -p '*.dtb' "$cache" "$pkg")
st=$?
if [ "$st" -eq 77 ]; then
    echo "SKIP fdt-survey-debian: Debian's $pkg could not be fetched (see above); nothing surveyed"
    exit 77
fi
[ "$st" -eq 0 ] || { echo "survey.sh: fetching $pkg failed ($st)"; exit 1; }
echo "survey.sh: $(sed -n 's/^Package: //p; s/^Version: //p' "$dir/.complete" | tr '\n' ' ')from $dir"
"$survey" "$doc" "$dir" || exit 1
trees=$(find "$dir" -name juno.dtb -o -name tegra210-p2371-2180.dtb -o -name hi3660-hikey960.dtb \
        -o -name bcm2837-rpi-3-b.dtb -o -name bcm2711-rpi-4-b.dtb | sort)
[ "$(printf '%s\n' "$trees" | wc -l)" -eq 5 ] || { echo "survey.sh: cross-check trees missing"; exit 1; }
# shellcheck disable=SC2086
exec "$crosscheck" $trees
