# SPDX-License-Identifier: MIT
# The tutorial's example (docs/tutorial.md), built from the tutorial's own
# text (extract.sh) into the system `tutorial`: make run's system plus the
# greeter and its client, with the entries the tutorial adds to
# dts/system/system.dts, added to the build by the tutorial's own
# add_subdirectory line (step 4). qemu-tutorial boots Image-tutorial and checks what
# the tutorial says the newcomer will see. Included by
# userland/CMakeLists.txt after every other program, so that a tree where
# someone has followed the tutorial (a `greeter` target exists already, and
# system.dts has its entries) builds the same system from their files.
set(tutorial_dir ${CMAKE_BINARY_DIR}/tutorial)
execute_process(
    COMMAND sh ${TESSERA_ROOT}/tests/tutorial/extract.sh ${TESSERA_ROOT}/docs/tutorial.md
            ${TESSERA_ROOT}/dts/system/system.dts ${tutorial_dir}
    RESULT_VARIABLE tutorial_failed)
if(tutorial_failed)
    message(FATAL_ERROR "docs/tutorial.md: its example could not be extracted")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${TESSERA_ROOT}/docs/tutorial.md ${TESSERA_ROOT}/dts/system/system.dts
    ${TESSERA_ROOT}/tests/tutorial/extract.sh)
tessera_system(tutorial DESCRIPTION ${tutorial_dir}/system.dts LIKE system)
if(NOT TARGET greeter)
    # Step 4's line, as the tutorial writes it, run with the greeter's
    # directory pointing at the extracted copy: a line that no longer adds
    # userland/apps/greeter, or that CMake cannot run, fails here.
    file(READ ${tutorial_dir}/hook.cmake hook)
    set(greeter_dir "\${TESSERA_ROOT}/userland/apps/greeter")
    string(FIND "${hook}" "add_subdirectory(${greeter_dir} " at)
    if(at EQUAL -1)
        message(FATAL_ERROR "docs/tutorial.md: step 4's line does not add_subdirectory "
            "${greeter_dir}:\n${hook}")
    endif()
    string(REPLACE "${greeter_dir}" "${tutorial_dir}/greeter" hook "${hook}")
    set(hook_file ${tutorial_dir}/hook-run.cmake)
    set(old_hook "")
    if(EXISTS ${hook_file})
        file(READ ${hook_file} old_hook)
    endif()
    if(NOT old_hook STREQUAL hook)
        file(WRITE ${hook_file} "${hook}")
    endif()
    set(TESSERA_DEFAULT_SYSTEMS tutorial)
    include(${hook_file})
    set(TESSERA_DEFAULT_SYSTEMS system)
endif()
