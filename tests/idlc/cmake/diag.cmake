# SPDX-License-Identifier: MIT
# Diagnostic test: `idlc NAME.idl` run inside DIR must exit 1, print exactly
# DIR/NAME.err on stderr (which names the code IDLnnnn of the file name, when
# the name starts with one), and write no file. -DUPDATE=ON rewrites NAME.err.
# If DIR/against/NAME.idl exists, it is the earlier definition NAME.idl is
# compared with (--against).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(against)
if(EXISTS ${DIR}/against/${NAME}.idl)
    set(against --against against/${NAME}.idl)
endif()
execute_process(COMMAND ${IDLC} -o ${WORK} -I inc ${against} ${NAME}.idl
                WORKING_DIRECTORY ${DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(UPDATE)
    file(WRITE ${DIR}/${NAME}.err "${err}")
    return()
endif()
if(NOT rc EQUAL 1)
    message(FATAL_ERROR "expected exit status 1, got ${rc}\n${err}")
endif()
file(GLOB written ${WORK}/*)
if(written)
    message(FATAL_ERROR "files written despite errors: ${written}")
endif()
if(NAME MATCHES "^IDL([0-9][0-9][0-9][0-9])")
    if(NOT err MATCHES "\\[IDL${CMAKE_MATCH_1}\\]")
        message(FATAL_ERROR "stderr does not report IDL${CMAKE_MATCH_1}:\n${err}")
    endif()
endif()
file(READ ${DIR}/${NAME}.err expected)
if(NOT err STREQUAL expected)
    message(FATAL_ERROR "stderr differs from ${NAME}.err\n--- expected\n${expected}"
                        "--- got\n${err}")
endif()
