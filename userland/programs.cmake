# SPDX-License-Identifier: MIT
# Programs and systems (target half; docs/programs.md).
#
#   tessera_program(NAME SOURCES src... [IDL file.idl...] [LIBS lib...]
#                   [SYSTEMS system...])
# builds the user program NAME (an ELF linked at 4 MiB, started by the root
# task in its own address space, entering main(argc, argv)) and packs it
# into the boot archive of each system named (default: the variable
# TESSERA_DEFAULT_SYSTEMS, normally `system`, the one `make run` boots),
# where the system description refers to it by NAME. Relative SOURCES and
# IDL paths are taken from the calling CMakeLists.txt's directory.
# IDL files are compiled with idlc, client stubs and server dispatchers both
# linked in; the system's own interfaces (names, system, console, vfs) and
# their client libraries come with the program runtime.
#
#   tessera_system(NAME DESCRIPTION file.dts [IMAGE file] [DEFINES d...]
#                  [LIKE other])
# declares a system: the description is compiled with dtc into the archive
# as system.dtb, and the kernel image (default Image-NAME, in the target
# build directory) boots a root task holding that archive. DEFINES go to the
# kernel (e.g. TESSERA_SEMIHOSTING for test systems that end QEMU). LIKE
# packs every program of system `other` too.
#
# tessera_build_systems() makes the archives and root tasks once every
# program is declared (the end of userland/CMakeLists.txt); kernel/ makes
# the images from the TESSERA_SYSTEMS property.

find_program(TESSERA_TARGET_DTC dtc REQUIRED)
if(NOT DEFINED TESSERA_DEFAULT_SYSTEMS)
    set(TESSERA_DEFAULT_SYSTEMS system)
endif()
if(NOT TESSERA_MKARCHIVE)
    message(FATAL_ERROR "TESSERA_MKARCHIVE is not set (the host half passes tools/mkarchive)")
endif()

function(tessera_program name)
    cmake_parse_arguments(P "" "" "SOURCES;IDL;LIBS;SYSTEMS" ${ARGN})
    if(NOT P_SOURCES)
        message(FATAL_ERROR "tessera_program(${name}): no SOURCES")
    endif()
    if(NOT P_SYSTEMS)
        set(P_SYSTEMS ${TESSERA_DEFAULT_SYSTEMS})
    endif()
    add_executable(${name} ${P_SOURCES})
    set_target_properties(${name} PROPERTIES SUFFIX ".elf"
        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/programs LINK_DEPENDS ${user_ld})
    target_compile_options(${name} PRIVATE ${user_cflags})
    if(P_IDL)
        # Generated into the program's own directory, so two programs may
        # compile the same .idl (a server and its client).
        tessera_idl(${name}_idl FILES ${P_IDL} OUTDIR ${CMAKE_CURRENT_BINARY_DIR}/${name}-idl)
        target_link_libraries(${name} PRIVATE ${name}_idl_client ${name}_idl_server)
    endif()
    # tsr_program first: it holds the entry point, tsr_program_entry.
    target_link_libraries(${name} PRIVATE ${P_LIBS} tsr_program tsr_services tsr)
    target_link_options(${name} PRIVATE ${TESSERA_TARGET_LDFLAGS} -T ${user_ld}
        -Wl,--entry=tsr_program_entry)
    # The archive holds a copy without symbols or debug information.
    set(stripped ${CMAKE_BINARY_DIR}/programs/${name}.stripped)
    add_custom_command(OUTPUT ${stripped}
        COMMAND ${CMAKE_OBJCOPY} --strip-all $<TARGET_FILE:${name}> ${stripped}
        DEPENDS ${name} COMMENT "strip ${name}")
    add_custom_target(${name}-stripped DEPENDS ${stripped})
    foreach(system ${P_SYSTEMS})
        set_property(GLOBAL APPEND PROPERTY TESSERA_SYSTEM_${system}_PROGRAMS ${name})
    endforeach()
endfunction()

function(tessera_system name)
    cmake_parse_arguments(S "" "DESCRIPTION;IMAGE;LIKE" "DEFINES" ${ARGN})
    if(NOT S_DESCRIPTION)
        message(FATAL_ERROR "tessera_system(${name}): no DESCRIPTION")
    endif()
    if(NOT S_IMAGE)
        set(S_IMAGE Image-${name})
    endif()
    get_filename_component(desc ${S_DESCRIPTION} ABSOLUTE)
    set_property(GLOBAL APPEND PROPERTY TESSERA_SYSTEMS ${name})
    set_property(GLOBAL PROPERTY TESSERA_SYSTEM_${name}_DESCRIPTION ${desc})
    set_property(GLOBAL PROPERTY TESSERA_SYSTEM_${name}_IMAGE ${S_IMAGE})
    set_property(GLOBAL PROPERTY TESSERA_SYSTEM_${name}_DEFINES "${S_DEFINES}")
    set_property(GLOBAL PROPERTY TESSERA_SYSTEM_${name}_LIKE "${S_LIKE}")
endfunction()

function(tessera_build_systems)
    get_property(systems GLOBAL PROPERTY TESSERA_SYSTEMS)
    foreach(system ${systems})
        get_property(desc GLOBAL PROPERTY TESSERA_SYSTEM_${system}_DESCRIPTION)
        get_property(programs GLOBAL PROPERTY TESSERA_SYSTEM_${system}_PROGRAMS)
        get_property(like GLOBAL PROPERTY TESSERA_SYSTEM_${system}_LIKE)
        if(like)
            get_property(more GLOBAL PROPERTY TESSERA_SYSTEM_${like}_PROGRAMS)
            list(APPEND programs ${more})
            list(REMOVE_DUPLICATES programs)
        endif()
        set(dir ${CMAKE_BINARY_DIR}/systems/${system})
        set(dtb ${dir}/system.dtb)
        set(archive ${dir}/archive.cpio)
        add_custom_command(OUTPUT ${dtb}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
            COMMAND ${TESSERA_TARGET_DTC} -I dts -O dtb -o ${dtb} ${desc}
            DEPENDS ${desc} COMMENT "DTC system description of ${system}" VERBATIM)
        set(entries system.dtb=${dtb})
        set(deps ${dtb} ${TESSERA_MKARCHIVE})
        foreach(program ${programs})
            list(APPEND entries ${program}=${CMAKE_BINARY_DIR}/programs/${program}.stripped)
            list(APPEND deps ${CMAKE_BINARY_DIR}/programs/${program}.stripped)
        endforeach()
        add_custom_command(OUTPUT ${archive}
            COMMAND ${TESSERA_MKARCHIVE} -o ${archive} ${entries}
            DEPENDS ${deps} COMMENT "boot archive of ${system}" VERBATIM)
        # The root task of this system: the common root code and the archive.
        set(root_asm ${dir}/archive.S)
        configure_file(${TESSERA_ROOT}/userland/root/archive.S ${root_asm} COPYONLY)
        set_source_files_properties(${root_asm} PROPERTIES OBJECT_DEPENDS ${archive}
            COMPILE_DEFINITIONS BOOT_ARCHIVE_PATH="${archive}")
        tessera_user_program(root-${system} ${root_asm})
        target_link_libraries(root-${system} PRIVATE root_system)
        foreach(program ${programs})
            add_dependencies(root-${system} ${program}-stripped)
        endforeach()
    endforeach()
endfunction()
