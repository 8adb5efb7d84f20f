# SPDX-License-Identifier: MIT
# CMake toolchain file: Clang/LLVM cross build for freestanding AArch64
# (aarch64-none-elf, linked with ld.lld). Works with Debian 12's clang 14 and
# with clang-19: pass -DTESSERA_TARGET_CC=clang-19 to pick another clang.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

if(NOT TESSERA_TARGET_CC)
    set(TESSERA_TARGET_CC clang)
endif()
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES TESSERA_TARGET_CC)

set(CMAKE_C_COMPILER ${TESSERA_TARGET_CC})
set(CMAKE_ASM_COMPILER ${TESSERA_TARGET_CC})
set(CMAKE_C_COMPILER_TARGET aarch64-none-elf)
set(CMAKE_ASM_COMPILER_TARGET aarch64-none-elf)
# There is no C library to link a test program against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# The LLVM binutils that belong to this clang live beside its real binary
# (/usr/lib/llvm-N/bin on Debian), so clang-14 and clang-19 each get their own.
find_program(tessera_cc_path ${TESSERA_TARGET_CC} REQUIRED)
get_filename_component(tessera_cc_real ${tessera_cc_path} REALPATH)
get_filename_component(tessera_llvm_bin ${tessera_cc_real} DIRECTORY)
find_program(CMAKE_OBJCOPY NAMES llvm-objcopy HINTS ${tessera_llvm_bin} NO_DEFAULT_PATH)
find_program(CMAKE_OBJCOPY NAMES llvm-objcopy REQUIRED)
find_program(CMAKE_AR NAMES llvm-ar HINTS ${tessera_llvm_bin} NO_DEFAULT_PATH)
find_program(CMAKE_AR NAMES llvm-ar REQUIRED)
find_program(CMAKE_RANLIB NAMES llvm-ranlib HINTS ${tessera_llvm_bin} NO_DEFAULT_PATH)
find_program(CMAKE_RANLIB NAMES llvm-ranlib REQUIRED)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
