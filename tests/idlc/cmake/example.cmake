# SPDX-License-Identifier: MIT
# idlc-cmake-example: configure, build and run tests/idlc/example as a
# separate project, then touch the .idl and check that the build regenerates
# the stubs (the custom command depends on the .idl, its imports and idlc).
file(REMOVE_RECURSE ${WORK})
file(COPY ${SRC}/ DESTINATION ${WORK}/src)
function(step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${ARGN} failed:\n${out}\n${err}")
    endif()
    set(out "${out}" PARENT_SCOPE)
endfunction()
step(${CMAKE_COMMAND} -S ${WORK}/src -B ${WORK}/build -G Ninja -DCMAKE_C_COMPILER=${CC}
     -DTESSERA_ROOT=${ROOT} -DTESSERA_IDLC=${IDLC})
step(${CMAKE_COMMAND} --build ${WORK}/build)
step(${WORK}/build/greeter)
message("${out}")
if(NOT out MATCHES "hello, newcomer")
    message(FATAL_ERROR "the example did not greet")
endif()
# Change the imported file only: greeter's stubs must be regenerated too
# (their error check lists the enum's values), through idlc's depfile.
file(READ ${WORK}/src/greet_errors.idl idl)
string(REPLACE "empty_name = 1;" "empty_name = 1;\n    too_shy = 2;" idl "${idl}")
file(WRITE ${WORK}/src/greet_errors.idl "${idl}")
step(${CMAKE_COMMAND} --build ${WORK}/build)
file(READ ${WORK}/build/idl/greeter_client.c c)
if(NOT c MATCHES "case 2u:")
    message(FATAL_ERROR "greeter_client.c was not regenerated after an imported .idl changed")
endif()
# Change the interface itself: the header follows.
file(READ ${WORK}/src/greeter.idl idl)
string(REPLACE "version = 1;" "version = 1;\n    // edited" idl "${idl}")
string(REPLACE "-> (text: string<48>, calls: u32);" "-> (text: string<48>, calls: u32);\n    2: bye();" idl "${idl}")
file(WRITE ${WORK}/src/greeter.idl "${idl}")
step(${CMAKE_COMMAND} --build ${WORK}/build)
file(READ ${WORK}/build/idl/greeter.h h)
if(NOT h MATCHES "greeter_v1_bye")
    message(FATAL_ERROR "greeter.h was not regenerated after greeter.idl changed")
endif()
message(STATUS "example built, ran, and was regenerated after .idl and import changes")
