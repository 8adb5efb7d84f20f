# SPDX-License-Identifier: MIT
# Golden test: compile INPUT twice (the output must be byte-identical, i.e.
# deterministic) and compare the three generated files, and the Markdown
# reference of --doc, with EXPECTED/.
# With -DUPDATE=ON, copy them into EXPECTED/ instead.
get_filename_component(name ${INPUT} NAME_WE)
foreach(run a b)
    file(REMOVE_RECURSE ${WORK}/${run})
    file(MAKE_DIRECTORY ${WORK}/${run})
    execute_process(COMMAND ${IDLC} --doc -o ${WORK}/${run} -I ${INCLUDE} ${INPUT}
                    RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "idlc failed on ${INPUT} (exit ${rc}):\n${err}")
    endif()
endforeach()
foreach(suffix .h _client.c _server.c .md)
    set(f ${name}${suffix})
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/a/${f} ${WORK}/b/${f}
                    RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
        message(FATAL_ERROR "${f}: two runs produced different bytes (not deterministic)")
    endif()
    if(UPDATE)
        file(COPY ${WORK}/a/${f} DESTINATION ${EXPECTED})
        continue()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${EXPECTED}/${f} ${WORK}/a/${f}
                    RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
        execute_process(COMMAND diff -u ${EXPECTED}/${f} ${WORK}/a/${f} OUTPUT_VARIABLE d)
        message(FATAL_ERROR "${f} differs from the golden file "
                            "(run the update-idlc-golden target if intended):\n${d}")
    endif()
endforeach()
