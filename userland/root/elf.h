/* SPDX-License-Identifier: MIT */
/* The parts of the ELF-64 format the program loader reads (System V ABI,
 * "ELF-64 Object File Format" 1.5): the file header and program headers of
 * a little-endian AArch64 executable. */
#ifndef ROOT_ELF_H
#define ROOT_ELF_H

#include <stdint.h>

#define ELF_MAGIC_0 0x7f
#define ELF_CLASS_64 2
#define ELF_DATA_LSB 1
#define ELF_TYPE_EXEC 2
#define ELF_MACHINE_AARCH64 183
#define ELF_PT_LOAD 1
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_header {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf_header) == 64, "ELF-64 header");
_Static_assert(sizeof(struct elf_phdr) == 56, "ELF-64 program header");

#endif
