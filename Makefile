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

.PHONY: all run check bench deps standalone qemu docs clean

all: standalone qemu

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

clean:
	rm -rf $(BUILD) $(RELEASE_BUILD) build-fuzz
