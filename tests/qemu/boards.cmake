# SPDX-License-Identifier: MIT
# QEMU tests of board support (included by CMakeLists.txt, after its helpers):
# consoles and interrupt controllers the device tree chooses, the kernel's
# behaviour without a console, secondary cores, and the Raspberry Pi path on
# QEMU's raspi3b with Debian's real device trees and U-Boot.

find_program(FDTPUT fdtput REQUIRED)
set(board_dtbs ${CMAKE_CURRENT_BINARY_DIR}/dtb)

# tessera_edited_dtb(NAME BASE.dtb "fdtput arguments" ...): BASE with each
# fdtput edit applied, as ${board_dtbs}/NAME.dtb (target dtb-NAME).
function(tessera_edited_dtb name base)
    set(out ${board_dtbs}/${name}.dtb)
    set(cmds COMMAND ${CMAKE_COMMAND} -E make_directory ${board_dtbs}
             COMMAND ${CMAKE_COMMAND} -E copy ${base} ${out}.tmp)
    foreach(edit ${ARGN})
        separate_arguments(args UNIX_COMMAND "${edit}")
        list(APPEND cmds COMMAND ${FDTPUT} ${out}.tmp ${args})
    endforeach()
    add_custom_command(OUTPUT ${out} ${cmds}
        COMMAND ${CMAKE_COMMAND} -E rename ${out}.tmp ${out}
        DEPENDS ${base} COMMENT "device tree ${name}.dtb")
    add_custom_target(dtb-${name} ALL DEPENDS ${out})
endfunction()

set(virt3_dtb ${CMAKE_BINARY_DIR}/dts/qemu-virt-gicv3.dtb)

# ---- consoles: the SBSA UART, no console at all, the early console ----------------
# An SBSA UART is driven as a PL011 without touching its control register.
tessera_edited_dtb(virt-sbsa ${virt3_dtb}
    "-t s /pl011@9000000 compatible arm,sbsa-uart arm,pl011")
tessera_qemu_test(qemu-console-sbsa MACHINE virt,gic-version=3 IMAGE ${images}/Image-test TAP
    EXTRA -dtb ${board_dtbs}/virt-sbsa.dtb APPEND "expect.gic=3"
    FIRST_LINE ${banner} EXPECT "^  console  SBSA UART at 0x9000000$")
# A UART the kernel cannot drive, named by stdout-path: nothing to print on.
# The test image says so with its semihosting status (4), the everyday image
# by switching the machine off through PSCI (QEMU exits 0 instead of hanging).
tessera_edited_dtb(virt-no-console ${virt3_dtb}
    "-t s /pl011@9000000 compatible qcom,geni-debug-uart")
tessera_qemu_test(qemu-no-console-status MACHINE virt,gic-version=3 IMAGE ${images}/Image-test
    EXTRA -dtb ${board_dtbs}/virt-no-console.dtb EXIT 4 TIMEOUT 30 REJECT "Tessera")
tessera_qemu_test(qemu-no-console-psci MACHINE virt,gic-version=3 IMAGE ${images}/Image
    EXTRA -dtb ${board_dtbs}/virt-no-console.dtb EXIT 0 TIMEOUT 30 REJECT "Tessera")
# With earlycon= naming a UART it can poll, the kernel prints there.
tessera_qemu_test(qemu-console-earlycon MACHINE virt,gic-version=3 IMAGE ${images}/Image-test TAP
    EXTRA -dtb ${board_dtbs}/virt-no-console.dtb APPEND "earlycon=pl011,0x09000000 expect.gic=3"
    FIRST_LINE ${banner} EXPECT "^  console  PL011 at 0x9000000, from earlycon$")
foreach(t qemu-console-sbsa qemu-no-console-status qemu-no-console-psci qemu-console-earlycon)
    set_tests_properties(${t} PROPERTIES LABELS "qemu;boards")
endforeach()
