# SPDX-License-Identifier: MIT
# Flags for everything built for the AArch64 target (kernel and user images).
# Freestanding: no libc, no builtins the compiler may assume, no PIC, no stack
# protector; general registers only in the kernel so it never touches FP/SIMD state.

set(TESSERA_TARGET_CFLAGS
    -std=c11 -ffreestanding -fno-builtin -nostdlib
    -mcpu=cortex-a72 -fno-pic -fno-pie -fno-stack-protector -fno-common
    -fno-omit-frame-pointer -ffunction-sections -fdata-sections
    -Wall -Wextra -Werror -O2 -g)
set(TESSERA_KERNEL_CFLAGS ${TESSERA_TARGET_CFLAGS} -mgeneral-regs-only)
# The kernel and cap/ are optimised as one program at link time (as seL4
# compiles its kernel as one file): the small functions each subsystem
# exports (lookups, accessors, the object table's hooks) inline across files.
# ld.lld does the link-time step for the bitcode objects this makes.
set(TESSERA_KERNEL_LTO -flto)
set(TESSERA_TARGET_LDFLAGS -fuse-ld=lld -nostdlib -static -Wl,--gc-sections
    -Wl,--no-undefined -Wl,-z,max-page-size=4096 -Wl,--build-id=none)

if(NOT TESSERA_VERSION)
    set(TESSERA_VERSION ${PROJECT_VERSION})
endif()

# tessera_image(TARGET ELF OUTPUT) — objcopy an ELF into a flat binary (the
# Linux arm64 Image: the header is the first bytes of the ELF's first section).
function(tessera_image name elf_target output)
    add_custom_command(OUTPUT ${output}
        COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${elf_target}> ${output}
        DEPENDS ${elf_target}
        COMMENT "Image ${output}")
    add_custom_target(${name} ALL DEPENDS ${output})
endfunction()
