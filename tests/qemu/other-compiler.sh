#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the target half with another clang (e.g. clang-19) in its own build
# directory and boot its test image: the cross toolchain file must work with
# more than Debian 12's default clang 14.
#   other-compiler.sh CC SOURCE_DIR BUILD_DIR RUN_TEST IDLC MKARCHIVE
set -eu
cc=$1 src=$2 build=$3 run_test=$4 idlc=$5 mkarchive=$6
command -v "$cc" > /dev/null || { echo "$cc is not installed (tools/install-deps.sh installs it)"; exit 1; }
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$src/tools/cmake/aarch64-clang.cmake" \
    -DTESSERA_TARGET_CC="$cc" -DTESSERA_IDLC="$idlc" \
    -DTESSERA_MKARCHIVE="$mkarchive" > "$build.configure.log" 2>&1 ||
    { cat "$build.configure.log"; exit 1; }
grep -q "set(CMAKE_C_COMPILER \".*/$cc\")" "$build"/CMakeFiles/*/CMakeCCompiler.cmake ||
    { echo "configure did not pick $cc"; exit 1; }
cmake --build "$build" --target kernel-test-image
sh "$run_test" --name "boot-$cc" --timeout 60 --tap --log "$build/boot.log" -- \
    sh "$src/tools/qemu.sh" -M virt,gic-version=3 -cpu cortex-a72 -m 1G -serial stdio \
    -monitor none -semihosting -no-reboot -kernel "$build/Image-test" -append "expect.gic=3"
