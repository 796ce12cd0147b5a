#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Configure (once) and build the standalone meson project.
#   standalone-build.sh DIR sanitize [TARGET...]  ASan + UBSan, for the tests
#   standalone-build.sh DIR release [TARGET...]   optimised, for benchmarks
# With TARGETs (ninja target names), only those are built.
source "$(dirname "$0")/common.sh"

dir=${1:?build dir}
kind=${2:-sanitize}
shift 2 || true
case "$kind" in
sanitize) opts=(-Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false) ;;
# Release: link-time optimisation, so the core's small per-call helpers
# (fault plan, watch, lookup) inline into the dispatcher.  Functions and
# loops start on cache-line boundaries so that a figure does not move with
# where unrelated code happens to place them: unaligned, the same
# dispatcher ran RMI_VERSION at 96-100 M or 107-112 M calls/s depending on
# an edit elsewhere in the binary (docs/benchmarks.rst).
release)  opts=(-Dbuildtype=release -Db_ndebug=false -Db_lto=true
                "-Dc_args=-falign-functions=64 -falign-loops=32") ;;
*) die "unknown build kind $kind" ;;
esac

cd "$REPO"
if [ ! -f "$dir/build.ninja" ]; then
    export CC=${CC:-clang}
    run_stage "configuring $dir ($kind)" \
        "$RMM_EMU_CACHE/logs/setup-$(basename "$dir").log" \
        meson setup "$dir" "${opts[@]}"
else
    # A directory configured by an older version of this script.
    meson configure "$dir" "${opts[@]}" > /dev/null ||
        die "meson configure failed"
fi
run_stage "building $dir ($kind)${1:+: $*}" "$dir/build.log" \
    ninja -C "$dir" -j "$JOBS" "$@"
