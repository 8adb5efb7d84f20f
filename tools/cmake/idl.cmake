# SPDX-License-Identifier: MIT
# tessera_idl(): generate C stubs and dispatchers from .idl files at build time.
#
#   tessera_idl(<target> [FILES] a.idl b.idl ... [OUTDIR dir] [IMPORT_DIRS dirs...])
#
# For each FILE.idl, runs idlc to produce OUTDIR/FILE.h, OUTDIR/FILE_client.c
# and OUTDIR/FILE_server.c (OUTDIR defaults to ${CMAKE_CURRENT_BINARY_DIR}/idl)
# and defines three INTERFACE libraries:
#   <target>          the generated headers' include directories (OUTDIR, the
#                     IDL runtime's include/ and kernel/include), plus
#                     idl_runtime if that target exists in the build;
#   <target>_client   <target> + the *_client.c files (link it in clients);
#   <target>_server   <target> + the *_server.c files (link it in servers).
# Sources are compiled by the consumer, with the consumer's flags, so the same
# call works for host tests and for the AArch64 user images.
#
# idlc is $<TARGET_FILE:idlc> when the idlc target exists (host half), else
# the cache variable TESSERA_IDLC (AArch64 half, set by the top-level build).
# Outputs are regenerated when the .idl, any file it imports (idlc writes a
# depfile) or idlc itself changes. docs/idl.md shows a complete example.

set(TESSERA_IDL_ROOT ${CMAKE_CURRENT_LIST_DIR}/../.. CACHE INTERNAL "")

function(tessera_idl target)
    cmake_parse_arguments(I "" "OUTDIR" "FILES;IMPORT_DIRS" ${ARGN})
    set(files ${I_UNPARSED_ARGUMENTS} ${I_FILES})
    if(NOT files)
        message(FATAL_ERROR "tessera_idl(${target}): no .idl files given")
    endif()
    if(NOT I_OUTDIR)
        set(I_OUTDIR ${CMAKE_CURRENT_BINARY_DIR}/idl)
    endif()
    get_filename_component(outdir ${I_OUTDIR} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
    file(MAKE_DIRECTORY ${outdir})

    if(TARGET idlc)
        set(idlc_cmd $<TARGET_FILE:idlc>)
        set(idlc_dep idlc)
    elseif(TESSERA_IDLC)
        set(idlc_cmd ${TESSERA_IDLC})
        set(idlc_dep ${TESSERA_IDLC})
    else()
        message(FATAL_ERROR "tessera_idl(${target}): no idlc (build the host half, "
                            "or set TESSERA_IDLC to the idlc executable)")
    endif()

    set(import_args)
    foreach(dir ${I_IMPORT_DIRS})
        get_filename_component(dir ${dir} ABSOLUTE)
        list(APPEND import_args -I ${dir})
    endforeach()

    set(headers)
    set(client_sources)
    set(server_sources)
    foreach(idl ${files})
        get_filename_component(idl ${idl} ABSOLUTE)
        get_filename_component(stem ${idl} NAME_WE)
        set(h ${outdir}/${stem}.h)
        set(c ${outdir}/${stem}_client.c)
        set(s ${outdir}/${stem}_server.c)
        set(d ${outdir}/${stem}.d)
        add_custom_command(
            OUTPUT ${h} ${c} ${s}
            COMMAND ${idlc_cmd} -o ${outdir} ${import_args} --depfile ${d} ${idl}
            DEPENDS ${idl} ${idlc_dep}
            DEPFILE ${d}
            COMMENT "idlc ${stem}.idl"
            VERBATIM)
        list(APPEND headers ${h})
        list(APPEND client_sources ${c})
        list(APPEND server_sources ${s})
    endforeach()

    # For the AArch64 target, generated code is compiled with
    # -mno-implicit-float: it has no floating point, and without the flag
    # clang moves words through SIMD registers (the GUID pair), which makes
    # every client and server a thread whose FP/SIMD registers the kernel
    # must switch (docs/benchmarks.md, "FP/SIMD"). It applies where the
    # consumer is in the directory that called tessera_idl().
    if(CMAKE_CROSSCOMPILING AND CMAKE_C_COMPILER_ID MATCHES "Clang")
        set_source_files_properties(${client_sources} ${server_sources} PROPERTIES
            COMPILE_OPTIONS -mno-implicit-float)
    endif()

    add_custom_target(${target}_gen DEPENDS ${headers} ${client_sources} ${server_sources})
    add_library(${target} INTERFACE)
    add_dependencies(${target} ${target}_gen)
    target_include_directories(${target} INTERFACE
        ${outdir}
        ${TESSERA_IDL_ROOT}/userland/lib/idl/include
        ${TESSERA_IDL_ROOT}/kernel/include)
    target_link_libraries(${target} INTERFACE $<TARGET_NAME_IF_EXISTS:idl_runtime>)

    add_library(${target}_client INTERFACE)
    target_sources(${target}_client INTERFACE ${client_sources})
    target_link_libraries(${target}_client INTERFACE ${target})
    add_library(${target}_server INTERFACE)
    target_sources(${target}_server INTERFACE ${server_sources})
    target_link_libraries(${target}_server INTERFACE ${target})

    set(${target}_HEADERS ${headers} PARENT_SCOPE)
    set(${target}_CLIENT_SOURCES ${client_sources} PARENT_SCOPE)
    set(${target}_SERVER_SOURCES ${server_sources} PARENT_SCOPE)
endfunction()
