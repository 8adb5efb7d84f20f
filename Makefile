# SPDX-License-Identifier: MIT
# The user's entry points. Each target installs what is missing (Debian 12,
# apt-get only when a tool is absent), configures CMake once, builds, then:
#   make run     boot the system in QEMU (serial on this terminal; Ctrl-A X quits)
#   make test    run every test through ctest
#   make bench   print the benchmark figures (instruction counts under -icount)
#   make fuzz    the syscall fuzzer, as its tests run it: SEED=0x.. [SEEDS=n]
#                [CALLS=n] [TRACE=call] prints every call from TRACE (docs/testing.md)
#   make rpi4    Raspberry Pi 4 SD-card images in $(BUILD)/rpi/ (make rpi3: Pi 3);
#                RPI_CONSOLE=pl011 for the PL011 instead of the mini-UART (docs/rpi4.md)
BUILD ?= build
CMAKE_ARGS ?=
QEMU_MACHINE ?= virt,gic-version=3
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
RPI_CONSOLE ?= mini
SEED ?= 0x1
SEEDS ?= 1
CALLS ?= 25000
TRACE ?= 0

.PHONY: all deps configure build run test bench fuzz clean rpi4 rpi3

all: build

deps:
	@sh tools/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_C_COMPILER=clang $(CMAKE_ARGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	sh tools/run.sh $(BUILD) $(QEMU_MACHINE)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	cmake --build $(BUILD) --target bench

fuzz: build
	sh tools/qemu.sh -M virt,gic-version=3 -cpu cortex-a72 -m 1G -serial stdio -monitor none \
		-semihosting -no-reboot -icount shift=0,align=off,sleep=off \
		-kernel $(BUILD)/target/Image-fuzz \
		-append "fuzz.seed=$(SEED) fuzz.seeds=$(SEEDS) fuzz.calls=$(CALLS) fuzz.trace=$(TRACE)"

rpi4 rpi3: build
	cmake -S . -B $(BUILD) -DTESSERA_RPI_CONSOLE=$(RPI_CONSOLE) > /dev/null
	cmake --build $(BUILD) --target $@-card

clean:
	rm -rf $(BUILD)
