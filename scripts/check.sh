#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make check`: every test, then one summary.
#  1. standalone unit tests under ASan + UBSan (meson test)
#  2. fuzz smoke: the fuzz targets replay their corpora and regression
#     inputs, then fuzz for FUZZ_SMOKE_SECONDS (default 30) each
#  3. QEMU with rmm-emu (ASan + UBSan) and the qtests, including the TCG
#     boot of the guest image that makes real SMC calls
source "$(dirname "$0")/common.sh"

BUILD=${BUILD:-build}
cd "$REPO"
logdir=$REPO/$BUILD/check-logs
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

bash scripts/standalone-build.sh "$BUILD" sanitize
rm -rf "$logdir" && mkdir -p "$logdir"

say "unit tests (ASan + UBSan)"
unit_rc=0
meson test -C "$BUILD" --print-errorlogs --num-processes "$JOBS" || unit_rc=$?

say "fuzz smoke (docs/fuzzing.rst): replay, then fuzz each target briefly"
# One TAP file: building the targets, replaying each corpus, fuzzing each.
fuzz_rc=0
bash scripts/fuzz.sh --smoke "${FUZZ_SMOKE_SECONDS:-30}" \
    > "$logdir/fuzz-smoke.tap" 2> "$logdir/fuzz-smoke.log" || fuzz_rc=$?
grep -E '^(not )?ok |^# ' "$logdir/fuzz-smoke.tap" | sed 's|^|fuzz-smoke: |' ||
    true
if [ $fuzz_rc -ne 0 ]; then
    echo "# exit status: failure" >> "$logdir/fuzz-smoke.tap"
    echo "---- fuzz-smoke log (last 40 lines) ----"
    tail -n 40 "$logdir/fuzz-smoke.log"
fi

say "building QEMU with rmm-emu"
qbuild=$(bash scripts/qemu-build.sh sanitize)

say "qtests on -machine rme"
qtest_rc=0
for t in $(rmm_emu_qtests); do
    # QEMU frees little at exit by design: leak checking stays off for it.
    rc=0
    ASAN_OPTIONS=detect_leaks=0 \
        QTEST_QEMU_BINARY=$qbuild/qemu-system-aarch64 \
        RMM_EMU_GUEST_ELF=$REPO/$BUILD/host-driver/rmm-guest.elf \
        RMM_EMU_GUEST_DELEGATE_ALL_ELF=$REPO/$BUILD/host-driver/rmm-guest-delegate-all.elf \
        RMM_EMU_GUEST_SMP_ELF=$REPO/$BUILD/host-driver/rmm-guest-smp.elf \
        RMM_EMU_GUEST_REALM_ELF=$REPO/$BUILD/host-driver/rmm-guest-realm.elf \
        RMM_EMU_GUEST_SMP_REALM_ELF=$REPO/$BUILD/host-driver/rmm-guest-smp-realm.elf \
        timeout 900 "$qbuild/tests/qtest/$t" --tap -k \
        > "$logdir/$t.tap" 2> "$logdir/$t.stderr" || rc=$?
    if [ $rc -ne 0 ]; then
        qtest_rc=1
        echo "# exit status: failure" >> "$logdir/$t.tap"
        # timeout(1) exits 124 when the program ran out of time
        [ $rc -ne 124 ] || echo "# timeout after 900 s" >> "$logdir/$t.tap"
    fi
    grep -E '^(not )?ok ' "$logdir/$t.tap" | sed "s|^|$t: |" || true
    if grep -q '^not ok' "$logdir/$t.tap" || [ $qtest_rc -ne 0 ]; then
        echo "---- $t stderr (last 40 lines) ----"
        tail -n 40 "$logdir/$t.stderr"
    fi
done

say "make run KERNEL=... (the bundled image booted as a user's kernel)"
# One TAP line: the script boots the image, the RMM traces its calls and
# the summary counts them.  Its realm has no code: scripted RECs.
run_rc=0
if KERNEL=$REPO/$BUILD/host-driver/rmm-guest.elf TIMEOUT=300 REALM_EXEC=0 \
   RMM_EMU_QEMU_FLAVOUR=sanitize ASAN_OPTIONS=detect_leaks=0 \
   bash scripts/run-demo.sh < /dev/null > "$logdir/run-kernel.log" 2>&1 &&
   grep -q 'RMM-EMU GUEST: PASS' "$logdir/run-kernel.log" &&
   grep -qE '^  RMI_VERSION +SUCCESS +x[0-9]+$' "$logdir/run-kernel.log" &&
   grep -qE '^summary: QEMU exit status 0; [1-9][0-9]* RMI calls traced from rmm-guest.elf$' \
        "$logdir/run-kernel.log"; then
    echo "ok 1 - run-kernel" > "$logdir/run-kernel.tap"
else
    run_rc=1
    echo "not ok 1 - run-kernel" > "$logdir/run-kernel.tap"
    tail -n 40 "$logdir/run-kernel.log"
fi
cat "$logdir/run-kernel.tap"

say "make run (both acts: the bundled image, then under a fault plan)"
if TIMEOUT=300 RMM_EMU_QEMU_FLAVOUR=sanitize ASAN_OPTIONS=detect_leaks=0 \
   bash scripts/run-demo.sh < /dev/null > "$logdir/run-demo.log" 2>&1 &&
   grep -qE '^summary: act two: QEMU exit status 0; [1-9][0-9]* RMI calls, [1-9][0-9]* faults fired, 0 host violations; RMM-EMU GUEST: PASS' \
        "$logdir/run-demo.log" &&
   grep -qE '^summary: act three: QEMU exit status 0; [1-9][0-9]* REC entries, [1-9][0-9]* RSI/PSCI calls answered in place; the realm said "Hello from a realm at R-EL1 \(rmm-emu\)"; RMM-EMU GUEST: PASS' \
        "$logdir/run-demo.log"; then
    echo "ok 1 - run-demo" > "$logdir/run-demo.tap"
else
    run_rc=1
    echo "not ok 1 - run-demo" > "$logdir/run-demo.tap"
    tail -n 40 "$logdir/run-demo.log"
fi
cat "$logdir/run-demo.tap"

say "docs: the generated reference is current, and Sphinx builds the site"
docs_rc=0
{
    if /usr/bin/python3 scripts/gen-reference.py --check \
        "$qbuild/qemu-system-aarch64" > "$logdir/reference.log" 2>&1; then
        echo "ok 1 - reference-rst"
    else
        docs_rc=1
        echo "not ok 1 - reference-rst"
        tail -n 20 "$logdir/reference.log" >&2
    fi
    if sphinx-build -q -W -b html docs "$BUILD/docs-check" \
        > "$logdir/sphinx.log" 2>&1; then
        echo "ok 2 - sphinx-html"
    else
        docs_rc=1
        echo "not ok 2 - sphinx-html"
        tail -n 20 "$logdir/sphinx.log" >&2
    fi
} > "$logdir/docs.tap"
cat "$logdir/docs.tap"

say "make install, the guide's examples against it, make uninstall"
install_rc=0
bash tests/install/test-install.sh > "$logdir/install.tap" 2>&1 ||
    install_rc=1
grep -E '^(not )?ok ' "$logdir/install.tap" | sed 's|^|install: |' || true

/usr/bin/python3 "$REPO/scripts/tally.py" "$BUILD/meson-logs/testlog.json" \
    "$logdir"/*.tap
[ $unit_rc -eq 0 ] && [ $qtest_rc -eq 0 ] && [ $run_rc -eq 0 ] &&
    [ $fuzz_rc -eq 0 ] && [ $docs_rc -eq 0 ] && [ $install_rc -eq 0 ]
