# SPDX-License-Identifier: GPL-2.0-or-later
# The README's two commands.  Everything else is in scripts/.
#
#   make run     boot -machine rme with the bundled host driver image
#                (KERNEL=<ELF|Image> [APPEND=] [QEMU_ARGS=] [MEM=] [SMP=]
#                 [TIMEOUT=]: your own host kernel instead; TFTF=<tftf.bin>:
#                 TF-A Tests; REALM_EXEC=0: RECs play scripts; PROFILE=2.0-bet3)
#   make check   every test: unit (ASan+UBSan), qtests, guest boot
#   make bench   benchmarks (release builds), figures in docs/benchmarks.rst
#
# BUILD is the standalone build (sanitized); QEMU is built in the cache
# (RMM_EMU_CACHE, default ~/.cache/rmm-emu).

BUILD ?= build
RELEASE_BUILD ?= build-release

PREFIX ?= /usr/local

.PHONY: all help run check bench deps standalone qemu docs install uninstall clean

all: standalone qemu

help:
	@echo 'Targets:'
	@echo '  make run      boot -machine rme with the bundled host driver image: three'
	@echo '                acts, ending with a summary (docs/user-guide.rst)'
	@echo '  make check    every test: unit (ASan+UBSan), fuzz smoke, qtests, make run'
	@echo '  make bench    benchmarks on release builds (docs/benchmarks.rst)'
	@echo '  make docs     regenerate docs/commands.rst and docs/reference.rst, build'
	@echo '                the HTML site (Sphinx) into build/docs/html'
	@echo '  make install  QEMU with -machine rme, the in-process library with its'
	@echo '                headers and rmm-emu.pc, the guest image template, the'
	@echo '                examples and the docs, under PREFIX (docs/using-it.rst)'
	@echo '  make uninstall  remove what make install put under PREFIX'
	@echo '  make deps     install what the build needs (Debian 12, as root)'
	@echo '  make all      the standalone build and both QEMU flavours, nothing run'
	@echo '  make clean    remove the standalone build directories'
	@echo 'Variables of make run:'
	@echo '  KERNEL=<ELF|Image> [APPEND="..."]  your own host kernel or image'
	@echo '  TFTF=<tftf.bin>                    TF-A Tests (scripts/tftf-build.sh)'
	@echo '  PROFILE=2.0-bet1|2.0-bet3          the RMI profile (default 2.0-bet1)'
	@echo '  REALM_EXEC=0|1                     RECs play scripts / execute (default:'
	@echo '                                     execute; the bundled acts choose)'
	@echo '  QEMU_ARGS="..."  MEM=2G  SMP=2  TIMEOUT=seconds'
	@echo 'Everywhere:'
	@echo '  BUILD=build  RELEASE_BUILD=build-release  RMM_EMU_CACHE=~/.cache/rmm-emu'
	@echo '  PREFIX=/usr/local  (make install, make uninstall)'
	@echo '  VERBOSE=1    show build output (default: one line per stage, log in a file)'
	@echo '  NO_COLOR=1   plain text even on a terminal'
	@echo '  BENCH_SECONDS=N  (make bench) seconds per in-process figure'

deps:
	@bash scripts/install-deps.sh

standalone: deps
	@bash scripts/standalone-build.sh $(BUILD) sanitize

qemu: deps
	@bash scripts/qemu-build.sh sanitize >/dev/null
	@bash scripts/qemu-build.sh release >/dev/null

run: deps
	@KERNEL="$(KERNEL)" TFTF="$(TFTF)" APPEND="$(APPEND)" \
	 QEMU_ARGS="$(QEMU_ARGS)" REALM_EXEC="$(REALM_EXEC)" PROFILE="$(PROFILE)" \
	 MEM="$(MEM)" SMP="$(SMP)" TIMEOUT="$(TIMEOUT)" \
	 bash scripts/run-demo.sh

check: deps
	@bash scripts/check.sh

bench: deps
	@bash scripts/bench.sh

docs: standalone
	@bash scripts/gen-docs.sh $(BUILD)

install: deps
	@bash scripts/install.sh $(PREFIX)

uninstall:
	@bash scripts/uninstall.sh $(PREFIX)

clean:
	rm -rf $(BUILD) $(RELEASE_BUILD) build-fuzz build-install
