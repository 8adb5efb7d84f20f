# SPDX-License-Identifier: MIT
# Host-side build helpers: every host library and test of ours is built with
# -Wall -Wextra -Werror and, for tests, AddressSanitizer and UBSan.

set(TESSERA_HOST_WARNINGS -Wall -Wextra -Werror -std=c11)
set(TESSERA_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
set(TESSERA_HOST_IS_CLANG OFF)
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(TESSERA_HOST_IS_CLANG ON)
endif()

# tessera_host_library(NAME SOURCES... [INCLUDES dirs...] [DEFINES defs...])
# A static library compiled with sanitizers, for linking into host tests.
function(tessera_host_library name)
    cmake_parse_arguments(L "" "" "SOURCES;INCLUDES;DEFINES" ${ARGN})
    add_library(${name} STATIC ${L_SOURCES})
    target_compile_options(${name} PRIVATE ${TESSERA_HOST_WARNINGS} ${TESSERA_SANITIZE} -g -O1)
    target_include_directories(${name} PUBLIC ${L_INCLUDES})
    target_compile_definitions(${name} PUBLIC TESSERA_HOST=1 ${L_DEFINES})
endfunction()

# tessera_host_test(NAME SOURCES... [LIBS libs...] [INCLUDES dirs...]
#                   [DEFINES defs...] [ARGS args...] [LABELS labels...])
# A sanitized host executable registered with ctest.
function(tessera_host_test name)
    cmake_parse_arguments(T "" "" "SOURCES;LIBS;INCLUDES;DEFINES;ARGS;LABELS" ${ARGN})
    add_executable(${name} ${T_SOURCES})
    target_compile_options(${name} PRIVATE ${TESSERA_HOST_WARNINGS} ${TESSERA_SANITIZE} -g -O1)
    target_link_options(${name} PRIVATE ${TESSERA_SANITIZE})
    target_include_directories(${name} PRIVATE ${T_INCLUDES})
    target_compile_definitions(${name} PRIVATE TESSERA_HOST=1 ${T_DEFINES})
    target_link_libraries(${name} PRIVATE ${T_LIBS})
    add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
    set_tests_properties(${name} PROPERTIES LABELS "host;${T_LABELS}"
        ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0;UBSAN_OPTIONS=print_stacktrace=1")
endfunction()

# tessera_fuzz_target(NAME SOURCES... [INCLUDES dirs...] [DEFINES defs...]
#                     [CORPUS dir] [RUNS n])
# A libFuzzer target (clang only). ctest runs it for a fixed number of inputs
# with a fixed seed, starting from CORPUS, so the target cannot rot and the run
# is reproducible. Longer campaigns: run the binary by hand.
function(tessera_fuzz_target name)
    cmake_parse_arguments(F "" "CORPUS;RUNS" "SOURCES;INCLUDES;DEFINES;LIBS" ${ARGN})
    if(NOT TESSERA_HOST_IS_CLANG)
        message(STATUS "fuzz target ${name} skipped: libFuzzer needs clang")
        return()
    endif()
    if(NOT F_RUNS)
        set(F_RUNS 20000)
    endif()
    set(fz -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
    add_executable(${name} ${F_SOURCES})
    target_compile_options(${name} PRIVATE ${TESSERA_HOST_WARNINGS} ${fz} -g -O1)
    target_link_options(${name} PRIVATE ${fz})
    target_include_directories(${name} PRIVATE ${F_INCLUDES})
    target_compile_definitions(${name} PRIVATE TESSERA_HOST=1 ${F_DEFINES})
    target_link_libraries(${name} PRIVATE ${F_LIBS})
    if(F_CORPUS)
        # libFuzzer adds what it finds to the first corpus directory: give it
        # a scratch directory, emptied before every run, so the checked-in
        # seeds never change and every run starts from the same inputs.
        set(scratch ${CMAKE_CURRENT_BINARY_DIR}/${name}-corpus)
        add_test(NAME ${name}
            COMMAND sh -c "rm -rf \"$1\" && mkdir -p \"$1\" && shift && exec \"$@\""
                    sh ${scratch} $<TARGET_FILE:${name}> -seed=1 -runs=${F_RUNS}
                    ${scratch} ${F_CORPUS})
    else()
        add_test(NAME ${name} COMMAND ${name} -seed=1 -runs=${F_RUNS})
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "host;fuzz")
endfunction()
