# SPDX-License-Identifier: MIT
# The tutorial's example (docs/tutorial.md), built from the tutorial's own
# text (extract.sh) into the system `tutorial`: make run's system plus the
# greeter and its client, with the entries the tutorial adds to
# dts/system/system.dts. qemu-tutorial boots Image-tutorial and checks what
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
    set(TESSERA_DEFAULT_SYSTEMS tutorial)
    add_subdirectory(${tutorial_dir}/greeter tutorial-greeter)
    set(TESSERA_DEFAULT_SYSTEMS system)
endif()
