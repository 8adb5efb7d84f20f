# SPDX-License-Identifier: MIT
# Random IDL (tests idlc-random-gcc, idlc-random-clang, idlc-random-mutations
# and target idlc-random-soak). For COUNT seeds from FIRST:
#   MODE=run     idlgen writes a valid gen_types.idl, gen.idl and a test
#                driver gen_test.c; idlc must compile both files; CC must
#                compile its output and the driver with -std=c11 -Wall
#                -Wextra -Werror -pedantic and FLAGS ('|' separated), link
#                them with the runtime and loopback transport, and the
#                program must pass: a round trip of every method of every
#                version with random values, compared field by field.
#   MODE=mutate  idlgen writes the two files with one defect and names the
#                diagnostic it must cause; idlc must exit 1, print it with
#                FILE:LINE:COL: error:, write nothing, and (when idlgen says
#                "one") report no other error.
# A failing seed's directory is kept under WORK; reproduce with
#   idlgen [--mutate] SEED DIR
# and the commands this script prints.
string(REPLACE "|" ";" FLAGS "${FLAGS}")
string(REPLACE "|" ";" INCLUDES "${INCLUDES}")
string(REPLACE "|" ";" RUNTIME "${RUNTIME}")
set(incs)
foreach(i ${INCLUDES})
    list(APPEND incs -I${i})
endforeach()
if(NOT FIRST)
    set(FIRST 1)
endif()
math(EXPR last "${FIRST} + ${COUNT} - 1")
file(MAKE_DIRECTORY ${WORK})

function(fail seed dir what)
    message(FATAL_ERROR "seed ${seed} (${MODE}): ${what}\n"
                        "files kept in ${dir}; regenerate with: ${IDLGEN} "
                        "${mutate_arg} ${seed} DIR")
endfunction()

set(calls 0)
foreach(seed RANGE ${FIRST} ${last})
    set(dir ${WORK}/seed-${seed})
    file(REMOVE_RECURSE ${dir})
    file(MAKE_DIRECTORY ${dir}/out)
    if(MODE STREQUAL "mutate")
        set(mutate_arg --mutate)
        execute_process(COMMAND ${IDLGEN} --mutate ${seed} ${dir}
                        RESULT_VARIABLE rc OUTPUT_VARIABLE expect ERROR_VARIABLE err)
        if(NOT rc EQUAL 0 OR NOT expect MATCHES "^(IDL[0-9][0-9][0-9][0-9]) (one|any)")
            fail(${seed} ${dir} "idlgen failed: ${err}")
        endif()
        set(code ${CMAKE_MATCH_1})
        set(only ${CMAKE_MATCH_2})
        execute_process(COMMAND ${IDLC} -o ${dir}/out ${dir}/gen.idl
                        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
        if(NOT rc EQUAL 1)
            fail(${seed} ${dir} "idlc exited ${rc}, expected 1 for ${code}:\n${err}")
        endif()
        file(GLOB written ${dir}/out/*)
        if(written)
            fail(${seed} ${dir} "files written despite errors: ${written}")
        endif()
        if(NOT err MATCHES "(^|\n)[^\n:]+:[0-9]+:[0-9]+: error: ")
            fail(${seed} ${dir} "no FILE:LINE:COL: error: line:\n${err}")
        endif()
        string(FIND "${err}" "[${code}]" pos)
        if(pos EQUAL -1)
            fail(${seed} ${dir} "${code} not reported:\n${err}")
        endif()
        string(REGEX MATCHALL ": error: " errors "${err}")
        list(LENGTH errors nerrors)
        if(only STREQUAL "one" AND NOT nerrors EQUAL 1)
            fail(${seed} ${dir} "${nerrors} errors where ${code} alone was expected:\n${err}")
        endif()
    else()
        set(mutate_arg "")
        execute_process(COMMAND ${IDLGEN} ${seed} ${dir} RESULT_VARIABLE rc ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
            fail(${seed} ${dir} "idlgen failed: ${err}")
        endif()
        foreach(idl gen_types gen)
            execute_process(COMMAND ${IDLC} -o ${dir}/out ${dir}/${idl}.idl
                            RESULT_VARIABLE rc ERROR_VARIABLE err)
            if(NOT rc EQUAL 0)
                fail(${seed} ${dir} "idlc rejected valid ${idl}.idl:\n${err}")
            endif()
        endforeach()
        set(cmd ${CC} -std=c11 -Wall -Wextra -Werror -pedantic ${FLAGS} -I${dir}/out ${incs}
                ${dir}/out/gen_client.c ${dir}/out/gen_server.c ${dir}/out/gen_types_client.c
                ${dir}/out/gen_types_server.c ${dir}/gen_test.c ${RUNTIME} -o ${dir}/test)
        execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
            string(REPLACE ";" " " cmd "${cmd}")
            fail(${seed} ${dir} "${CC} failed:\n${cmd}\n${out}${err}")
        endif()
        execute_process(COMMAND ${dir}/test RESULT_VARIABLE rc OUTPUT_VARIABLE out
                        ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
            fail(${seed} ${dir} "the round trip failed (${rc}):\n${out}${err}")
        endif()
        if(out MATCHES "^([0-9]+) calls")
            math(EXPR calls "${calls} + ${CMAKE_MATCH_1}")
        endif()
    endif()
    file(REMOVE_RECURSE ${dir})
endforeach()
if(MODE STREQUAL "mutate")
    message(STATUS "${COUNT} mutated files (seeds ${FIRST}..${last}) rejected as expected")
else()
    message(STATUS "${COUNT} random files (seeds ${FIRST}..${last}) compiled with ${CC}; "
                   "${calls} calls made the round trip")
endif()
