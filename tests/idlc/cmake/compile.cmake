# SPDX-License-Identifier: MIT
# Compile every golden expected .c file and every file generated for the run
# tests with CC -std=c11 -Wall -Wextra -Werror -pedantic (plus FLAGS, '|'
# separated), at -O0 and -O2: generated code must be warning-free on both
# compilers and freestanding-clean. RUNTIME is compiled the same way.
string(REPLACE "|" ";" INCLUDES "${INCLUDES}")
string(REPLACE "|" ";" FLAGS "${FLAGS}")
set(incs)
foreach(i ${INCLUDES})
    list(APPEND incs -I${i})
endforeach()
file(GLOB golden ${GOLDEN}/*.c)
file(GLOB gen ${GEN}/*.c)
if(NOT golden OR NOT gen)
    message(FATAL_ERROR "nothing to compile (golden: '${golden}', gen: '${gen}'); build first")
endif()
file(MAKE_DIRECTORY ${WORK})
set(n 0)
foreach(src ${golden} ${gen} ${RUNTIME})
    get_filename_component(dir ${src} DIRECTORY)
    foreach(opt -O0 -O2)
        execute_process(
            COMMAND ${CC} ${FLAGS} -std=c11 -Wall -Wextra -Werror -pedantic ${opt}
                    -I${dir} ${incs} -c ${src} -o ${WORK}/out.o
            RESULT_VARIABLE rc ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "${CC} ${opt} ${src}:\n${err}")
        endif()
        math(EXPR n "${n} + 1")
    endforeach()
endforeach()
message(STATUS "${n} compilations clean with ${CC} ${FLAGS}")
