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
# ---- secondary CPUs: started, set up, reporting, parked ---------------------------
# PSCI CPU_ON over hvc (entered at EL1) and smc (entered at EL2, each
# secondary drops to EL1 itself); the suites still pass with them parked.
set(smp_expect)
foreach(n 1 2 3)
    list(APPEND smp_expect "^cpu${n}: MPIDR 0x${n} up \\(entered at EL[12], running at EL1, MMU on\\), parked$")
endforeach()
tessera_qemu_test(qemu-smp-psci-hvc MACHINE virt,gic-version=3 IMAGE ${images}/Image-test TAP
    EXTRA -smp 4 APPEND "expect.psci=1" FIRST_LINE ${banner} EXPECT ${smp_expect}
    "entered at EL1, running at EL1, MMU on" REJECT "not started|did not report")
tessera_qemu_test(qemu-smp-psci-smc MACHINE virt,gic-version=2,virtualization=on IMAGE ${images}/Image-test
    TAP EXTRA -smp 4 APPEND "expect.psci=2 expect.el=2" FIRST_LINE ${banner} EXPECT ${smp_expect}
    "^cpu3: MPIDR 0x3 up \\(entered at EL2" REJECT "not started|did not report")
tessera_qemu_test(qemu-smp-usertest MACHINE virt,gic-version=3 IMAGE ${images}/Image-usertest TAP
    TIMEOUT 300 EXTRA -smp 4 FIRST_LINE ${banner} EXPECT ${smp_expect})

foreach(t qemu-console-sbsa qemu-no-console-status qemu-no-console-psci qemu-console-earlycon
        qemu-smp-psci-hvc qemu-smp-psci-smc qemu-smp-usertest)
    set_tests_properties(${t} PROPERTIES LABELS "qemu;boards")
endforeach()

# ---- the Raspberry Pi: Debian's real device trees and U-Boot, fetched at test time --
# Everything Debian provides is fetched once into ${debian_cache} by
# tools/debian-fetch.sh (shared with the device-tree survey); a test that
# cannot reach the archive is skipped (77) with a message.
set(debian_fetch ${TESSERA_ROOT}/tools/debian-fetch.sh)
set(debian_cache ${CMAKE_BINARY_DIR}/debian)
set(mkcard ${TESSERA_ROOT}/tools/rpi/mkcard.sh)

set(rpi3_dtb @DTBS@/bcm2837-rpi-3-b.dtb)
set(raspi3b_qemu ${TESSERA_QEMU} -M raspi3b -serial null -serial stdio -monitor none
    -semihosting -no-reboot)
set(raspi3b_banner "^Tessera [0-9.]+ on Raspberry Pi 3 Model B \\(aarch64, entered at EL2, running at EL1\\)$")
# The spin-table CPUs of the Pi 3 tree (release addresses 0xe0, 0xe8, 0xf0)
# come up in every Pi run.
set(raspi3b_expect "^  console  BCM2835 mini-UART at 0x3f215040$"
    "^  BCM2836  local 0x40000000, BCM2835 0x3f00b200$" "^  timer    virtual, INTID 19, "
    "^cpu1: MPIDR 0x1 up \\(entered at EL2, running at EL1, MMU on\\), parked$"
    "^cpu2: MPIDR 0x2 up" "^cpu3: MPIDR 0x3 up")

# The user suite passes whole on the Pi: SYS0005 reads the RAM size from
# the memory nodes, DEV0001 uses the BCM2835 system timer where there is no
# PL031.
set(pi_usertest TAP)
set(pi_usertest_exit 0)
set(pi_usertest_expect "^[0-9]+ passed, 0 failed$")

# pi_run(NAME TIMEOUT [CARD mkcard-args...] [run-test options...] -- QEMU ARGS...):
# with Debian's packages at hand (@DTBS@, @UBOOT_RPI@ in the arguments); with
# CARD, first build ${name}.img with tools/rpi/mkcard.sh (@CARD@ names it).
function(pi_run name timeout)
    set(opts)
    set(qargs)
    set(in_q OFF)
    foreach(a ${ARGN})
        if(a STREQUAL "--")
            set(in_q ON)
        elseif(in_q)
            list(APPEND qargs ${a})
        else()
            list(APPEND opts ${a})
        endif()
    endforeach()
    set(card_args)
    list(FIND opts CARD at)
    if(at GREATER -1)
        # CARD FLAGS BOARD KERNEL
        math(EXPR first "${at} + 1")
        list(SUBLIST opts ${first} 3 card_args)
        list(REMOVE_AT opts ${at} ${first})
        list(REMOVE_AT opts ${at} ${at})
        list(REMOVE_AT opts ${at})
        set(card ${CMAKE_CURRENT_BINARY_DIR}/${name}.img)
        set(card_args --card ${mkcard} ${card_args} ${card})
        string(REPLACE "@CARD@" "${card}" qargs "${qargs}")
    endif()
    add_test(NAME ${name} COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/with-debian.sh ${debian_fetch}
        ${debian_cache} "${debian_kernel}" ${card_args} -- sh ${run_test} --name ${name}
        --timeout ${timeout} --log ${CMAKE_CURRENT_BINARY_DIR}/${name}.log ${opts} --
        ${raspi3b_qemu} ${qargs})
    math(EXPR t "${timeout} + 60")
    set_tests_properties(${name} PROPERTIES LABELS "qemu;boards;rpi" TIMEOUT ${t} SKIP_RETURN_CODE 77)
endfunction()

set(expect_args)
foreach(re ${raspi3b_expect})
    list(APPEND expect_args --expect ${re})
endforeach()
set(pi_ut_args --expect-exit ${pi_usertest_exit})
if(pi_usertest)
    list(APPEND pi_ut_args --tap)
endif()
foreach(re ${pi_usertest_expect})
    list(APPEND pi_ut_args --expect ${re})
endforeach()

# Booted directly: QEMU loads the Image at 0x80000 and enters it at EL2 with
# the real Pi 3 device tree, as the Pi firmware does.
pi_run(qemu-raspi3b-boot 60 --tap --first-line ${raspi3b_banner} ${expect_args}
    -- -dtb ${rpi3_dtb} -kernel ${images}/Image-test -append "expect.el=2 expect.ram_mib=960")
pi_run(qemu-raspi3b-usertest 120 --first-line ${raspi3b_banner} ${expect_args} ${pi_ut_args}
    -- -dtb ${rpi3_dtb} -kernel ${images}/Image-usertest)

# The everyday image: the system starts as on virt; the console service
# cannot drive the mini-UART, so it says so and writes through the
# kernel's console, and the shell prompts without input.
pi_run(qemu-raspi3b-system 60 --first-line ${raspi3b_banner} ${expect_args}
    --until "^tessera> " --expect "^root: 7 of 7 programs running$"
    --expect "^console: ready, brcm,bcm2835-aux-uart at 0x3f215040, interrupt 0 \\(output only\\)$"
    --expect "^demo-v2: describe: the tally of pid 6, kept by pid 4$" --reject "not started"
    -- -dtb ${rpi3_dtb} -kernel ${images}/Image)

# The demo image: the root task's demonstration, as on virt.
pi_run(qemu-raspi3b-demo 60 --first-line ${raspi3b_banner} ${expect_args}
    --until "^root: demo (complete|FAILED)" --expect "^root: demo complete$" --reject "failed: error"
    -- -dtb ${rpi3_dtb} -kernel ${images}/Image-demo)

# The mini-UART driven as a 16550 (it is one, with reg-shift 2 and 32-bit
# registers): the Pi 3 tree's node renamed, the polled 16550 driver in QEMU.
pi_run(qemu-raspi3b-16550 60 --tap --first-line ${raspi3b_banner}
    --expect "^  console  16550 at 0x3f215040 \\(reg-shift 2, 4-byte access\\)$"
    -- -dtb @DERIVED@/raspi3b-16550.dtb -kernel ${images}/Image-test -append "expect.el=2")

# Through U-Boot (Debian's rpi_arm64 build, the one a Pi 4 card uses): the
# rpi3 card of tools/rpi/mkcard.sh --uboot as QEMU's SD card, U-Boot's
# distro boot finds boot.scr, which loads the kernel and boots it with the
# firmware's (here QEMU's) device tree.
set(uboot_expect --expect "Hit any key to stop autoboot" --expect "Found U-Boot script /boot.scr"
    --expect "^Tessera: loading tessera.img from mmc 0:1$")
pi_run(qemu-raspi3b-uboot-boot 90 CARD --uboot rpi3 ${images}/Image-test --tap
    ${uboot_expect}
    ${expect_args} --expect "entered at EL2"
    -- -dtb ${rpi3_dtb} -kernel @UBOOT_RPI@/rpi_arm64/u-boot.bin -drive if=sd,format=raw,file=@CARD@)
pi_run(qemu-raspi3b-uboot-usertest 150 CARD --uboot rpi3 ${images}/Image-usertest ${uboot_expect}
    ${expect_args} ${pi_ut_args}
    -- -dtb ${rpi3_dtb} -kernel @UBOOT_RPI@/rpi_arm64/u-boot.bin -drive if=sd,format=raw,file=@CARD@)

# ---- SD-card images: make rpi4 / make rpi3 -----------------------------------------
# Built on demand (not part of ALL: they fetch Debian's packages), into
# ${CMAKE_BINARY_DIR}/rpi/: tessera-BOARD.img (the firmware starts the kernel)
# and tessera-BOARD-uboot.img (through U-Boot). TESSERA_RPI_CONSOLE picks the
# console UART: mini (the default) or pl011.
set(TESSERA_RPI_CONSOLE mini CACHE STRING "Pi console UART on GPIO 14/15: mini or pl011")
foreach(board rpi4 rpi3)
    set(dir ${CMAKE_BINARY_DIR}/rpi)
    add_custom_target(${board}-card
        COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
        COMMAND sh ${mkcard} --cache ${debian_cache} --kernel-package "${debian_kernel}"
            --console ${TESSERA_RPI_CONSOLE} ${board} ${images}/Image ${dir}/tessera-${board}.img
        COMMAND sh ${mkcard} --cache ${debian_cache} --kernel-package "${debian_kernel}"
            --console ${TESSERA_RPI_CONSOLE} --uboot ${board} ${images}/Image
            ${dir}/tessera-${board}-uboot.img
        DEPENDS tessera-target USES_TERMINAL VERBATIM
        COMMENT "Raspberry Pi card images for ${board} in ${dir}")
endforeach()

# The cards a user gets, built and unpacked: partition table, every file
# against its source, config.txt (both boards, both variants, both consoles).
add_test(NAME rpi-cards COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/rpi-cards.sh ${mkcard}
    ${CMAKE_CURRENT_SOURCE_DIR}/rpi-card-check.sh ${debian_cache} "${debian_kernel}"
    ${images}/Image ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(rpi-cards PROPERTIES LABELS "boards;rpi" TIMEOUT 300 SKIP_RETURN_CODE 77)
