# SPDX-License-Identifier: MIT
# IDL benchmarks (target bench-idlc; tests idlc-bench-overhead and
# idlc-bench-overhead-aarch64 with CHECK=ON and PART=host / PART=aarch64).
#  1. compile speed: bench_compile (wall clock, best of 5), PART all only;
#  2. stub + dispatcher overhead on the host: bench_call under callgrind, run
#     four times with --toggle-collect on, in turn, the client stub (A), the
#     loopback transport's call (B), idl_server_dispatch (C) and the server
#     op (D). A - B is what the stub adds (incl. the inline idl_call), C - D
#     what the dispatcher adds; (A - B + C - D) / N is the overhead per call.
#     Instruction counts are deterministic, so the figure is exact run after
#     run. LIMIT (if set) is the most the test allows.
#  3. the same figure on AArch64 (BENCH_A64, a bare-metal ELF built with the
#     user-image flags): run twice under QEMU with -icount shift=0, where
#     PMCCNTR_EL0 counts instructions; both runs must print the same lines.
#     LIMIT_A64 (if set) is the most the test allows.
if(NOT PART)
    set(PART all)
endif()
set(N 1000)
if(PART STREQUAL "all")
    execute_process(COMMAND ${BENCH_COMPILE} ${IDLC} ${WORK} RESULT_VARIABLE rc
                    OUTPUT_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "bench_compile failed")
    endif()
    message("${out}")
endif()

if(PART STREQUAL "all" OR PART STREQUAL "host")
    find_program(VALGRIND valgrind)
    if(NOT VALGRIND)
        message(FATAL_ERROR "valgrind not found (apt-get install valgrind)")
    endif()
    function(collect fn var)
        set(outf ${WORK}/callgrind.${fn}.out)
        execute_process(COMMAND ${VALGRIND} --tool=callgrind --collect-atstart=no
                                --toggle-collect=${fn} --callgrind-out-file=${outf}
                                ${BENCH_CALL} ${N}
                        RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "callgrind run for ${fn} failed")
        endif()
        file(STRINGS ${outf} totals REGEX "^(summary|totals):")
        list(GET totals 0 line)
        string(REGEX MATCH "[0-9]+" count "${line}")
        set(${var} ${count} PARENT_SCOPE)
    endfunction()
    collect(alltypes_v1_echo_args8 A)
    collect(lb_call B)
    collect(idl_server_dispatch C)
    collect(bench_op D)
    math(EXPR stub "(${A} - ${B}) / ${N}")
    math(EXPR disp "(${C} - ${D}) / ${N}")
    math(EXPR overhead "(${A} - ${B} + ${C} - ${D}) / ${N}")
    math(EXPR transport "(${B} - ${C}) / ${N}")
    math(EXPR total "${A} / ${N}")
    message("BENCH idl_call_8w_stub_overhead ${overhead} instructions")
    message("BENCH idl_call_8w_stub_only ${stub} instructions")
    message("BENCH idl_call_8w_dispatcher_only ${disp} instructions")
    message("BENCH idl_call_8w_loopback_transport ${transport} instructions")
    message("BENCH idl_call_8w_total ${total} instructions")
    if(CHECK AND LIMIT AND overhead GREATER LIMIT)
        message(FATAL_ERROR "stub + dispatcher overhead ${overhead} instructions: more than "
                            "the ${LIMIT} this test allows (docs/benchmarks.md has the figure)")
    endif()
endif()

if((PART STREQUAL "all" AND BENCH_A64) OR PART STREQUAL "aarch64")
    set(outs)
    foreach(run 1 2)
        execute_process(
            COMMAND timeout -k 5 60 sh ${QEMU_SH} -M virt -cpu cortex-a72 -m 256M
                    -serial stdio -monitor none -semihosting -no-reboot
                    -icount shift=0,align=off,sleep=off -kernel ${BENCH_A64}
            INPUT_FILE /dev/null RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "AArch64 benchmark run ${run} failed (${rc}):\n${out}${err}")
        endif()
        string(REPLACE "\r" "" out "${out}")
        list(APPEND outs "${out}")
    endforeach()
    list(GET outs 0 first)
    list(GET outs 1 second)
    if(NOT first STREQUAL second)
        message(FATAL_ERROR "AArch64 benchmark: the two runs differ:\n${first}\n${second}")
    endif()
    string(STRIP "${first}" first)
    message("${first}")
    string(REGEX MATCH "idl_call_8w_stub_overhead_aarch64 ([0-9]+)" m "${first}")
    if(NOT m)
        message(FATAL_ERROR "AArch64 benchmark printed no figure:\n${first}")
    endif()
    set(overhead ${CMAKE_MATCH_1})
    if(CHECK AND LIMIT_A64 AND overhead GREATER LIMIT_A64)
        message(FATAL_ERROR "AArch64 stub + dispatcher overhead ${overhead} instructions: more "
                            "than the ${LIMIT_A64} this test allows")
    endif()
endif()
