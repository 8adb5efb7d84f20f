# SPDX-License-Identifier: MIT
# The user's entry points. Each target installs what is missing (Debian 12,
# apt-get only when a tool is absent), configures CMake once, builds, then:
#   make run     boot the system in QEMU (serial on this terminal; Ctrl-A X quits)
#   make test    run every test through ctest
#   make bench   print the benchmark figures (instruction counts under -icount)
#   make rpi4    Raspberry Pi 4 SD-card images in $(BUILD)/rpi/ (make rpi3: Pi 3);
#                RPI_CONSOLE=pl011 for the PL011 instead of the mini-UART (docs/rpi4.md)
BUILD ?= build
CMAKE_ARGS ?=
QEMU_MACHINE ?= virt,gic-version=3
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
RPI_CONSOLE ?= mini

.PHONY: all deps configure build run test bench clean rpi4 rpi3

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

rpi4 rpi3: build
	cmake -S . -B $(BUILD) -DTESSERA_RPI_CONSOLE=$(RPI_CONSOLE) > /dev/null
	cmake --build $(BUILD) --target $@-card

clean:
	rm -rf $(BUILD)
