# SPDX-License-Identifier: MIT
# Rewrite every golden file and expected diagnostic from the current idlc
# (target update-idlc-golden). Review `git diff tests/idlc` afterwards.
file(GLOB inputs ${T}/golden/*.idl)
foreach(idl ${inputs})
    get_filename_component(name ${idl} NAME_WE)
    execute_process(COMMAND ${CMAKE_COMMAND} -DIDLC=${IDLC} -DINPUT=${idl}
                    -DEXPECTED=${T}/golden/expected -DINCLUDE=${T}/golden/inc
                    -DWORK=${WORK}/g-${name} -DUPDATE=ON -P ${T}/cmake/golden.cmake
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "golden ${name} failed")
    endif()
endforeach()
file(GLOB bad ${T}/bad/*.idl)
foreach(idl ${bad})
    get_filename_component(name ${idl} NAME_WE)
    execute_process(COMMAND ${CMAKE_COMMAND} -DIDLC=${IDLC} -DDIR=${T}/bad -DNAME=${name}
                    -DWORK=${WORK}/d-${name} -DUPDATE=ON -P ${T}/cmake/diag.cmake)
endforeach()
message(STATUS "golden files and expected diagnostics rewritten")
