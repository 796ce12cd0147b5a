#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Configure (once) and build the fuzz targets (docs/fuzzing.rst).
#   fuzz-build.sh [DIR]      default DIR: $FUZZ_BUILD or build-fuzz
# A build directory of its own: clang, ASan + UBSan with every UBSan
# finding fatal (so that the fuzzer sees it as a crash), and the whole
# model core coverage-instrumented (-fsanitize=fuzzer-no-link) except the
# invariant check (fuzz/coverage-ignore.txt).  Comparison tracing is off:
# fuzz-rmi-calls builds its arguments from tables, so it gains little from
# it and ran 35% slower with it.  FUZZ_TRACE_CMP=1 (with a new DIR) keeps
# it.  The targets (fuzz/targets.txt) are DIR/fuzz/fuzz-*; nothing is
# printed on stdout.
#
# FUZZ_SANITIZE (with a new DIR) picks the sanitizers: address,undefined
# (the default: every crash with its report) or undefined (a throughput
# build, about twice as fast, for long campaigns whose crashes are then
# replayed on the default build; docs/fuzzing.rst).
source "$(dirname "$0")/common.sh"

dir=${1:-${FUZZ_BUILD:-build-fuzz}}
sanitize=${FUZZ_SANITIZE:-address,undefined}
case $sanitize in
    address,undefined|undefined) ;;
    *) die "FUZZ_SANITIZE=$sanitize: use address,undefined or undefined" ;;
esac
cd "$REPO"
cflags="-fsanitize=fuzzer-no-link"
cflags+=" -fsanitize-coverage-ignorelist=$REPO/fuzz/coverage-ignore.txt"
cflags+=" -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
[ "${FUZZ_TRACE_CMP:-0}" != 0 ] || cflags+=" -fno-sanitize-coverage=trace-cmp"

if [ ! -f "$dir/build.ninja" ]; then
    export CC=${CC:-clang}
    run_stage "configuring $dir (clang, libFuzzer, sanitizers: $sanitize)" \
        "$RMM_EMU_CACHE/logs/setup-$(basename "$dir").log" \
        meson setup "$dir" -Dfuzzing=true -Dbuildtype=debugoptimized \
        -Db_sanitize="$sanitize" -Db_lundef=false -Dc_args="$cflags"
fi
# The targets of fuzz/targets.txt only: the rest of the project is not
# needed here.
mapfile -t targets < <(sed -e 's/#.*//' fuzz/targets.txt |
                       awk 'NF { print "fuzz/" $1 }')
run_stage "building the fuzz targets in $dir" "$dir/build.log" \
    ninja -C "$dir" -j "$JOBS" "${targets[@]}"
