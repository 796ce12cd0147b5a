#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# How much of the model core (hw/arm/rmm/) the fuzzers reach: line and
# branch coverage as a table and as HTML a person can browse
# (docs/fuzzing.rst, "Coverage").
#
#   fuzz-coverage.sh [SECONDS] [TARGET...]
#
# For each target (default: all of fuzz/targets.txt): a campaign of
# SECONDS (default 600, 0: none, just the inputs already found) with
# scripts/fuzz.sh, then every input it has (seeds, regressions, the
# campaign's corpus) replayed once by a build of the same target with
# clang's source-based coverage instead of libFuzzer's instrumentation.
# The report merges all targets.  Output: build-fuzz-cov/report.txt and
# build-fuzz-cov/html/index.html.
source "$(dirname "$0")/common.sh"

secs=${1:-600}
shift || true
cd "$REPO"
mapfile -t targets < <(if [ $# -gt 0 ]; then printf '%s\n' "$@"; else
                       sed -e 's/#.*//' fuzz/targets.txt | awk 'NF { print $1 }'; fi)
out=$REPO/build-fuzz-cov
work=${FUZZ_WORK:-$REPO/build-fuzz/fuzz-work}     # as scripts/fuzz.sh
cov_cflags="-fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer-no-link"

# 1. The campaigns (the corpus they grow is what the report measures).
if [ "$secs" != 0 ]; then
    for t in "${targets[@]}"; do
        bash scripts/fuzz.sh "$t" "$secs" || true
    done
fi

# 2. The same targets built for coverage: no sanitizers, so that what is
# measured is the code, and libFuzzer's driver only to run the inputs.
if [ ! -f "$out/build.ninja" ]; then
    say "configuring $out (clang source-based coverage)"
    CC=${CC:-clang} meson setup "$out" -Dfuzzing=true -Dbuildtype=debug \
        -Dc_args="$cov_cflags" -Dc_link_args="-fprofile-instr-generate" \
        >&2 || die "meson setup of $out failed"
fi
ninja -C "$out" -j "$JOBS" "${targets[@]/#/fuzz/}" >&2 ||
    die "coverage build failed"

rm -rf "$out/profiles" && mkdir -p "$out/profiles"
bins=()
for t in "${targets[@]}"; do
    dirs=()
    for d in "fuzz/corpus/$t" "fuzz/regressions/$t" "$work/$t/corpus"; do
        [ -d "$d" ] && dirs+=("$d")
    done
    n=$(find "${dirs[@]}" -type f | wc -l)
    say "$t: replaying $n inputs for coverage"
    LLVM_PROFILE_FILE="$out/profiles/$t-%p.profraw" \
        "$out/fuzz/$t" -runs=0 "${dirs[@]}" > "$out/$t-replay.log" 2>&1 ||
        die "$t: replay failed (see $out/$t-replay.log)"
    bins+=("$out/fuzz/$t")
done
llvm-profdata merge -sparse "$out"/profiles/*.profraw -o "$out/fuzz.profdata"

# 3. The report: hw/arm/rmm/ only, every target's binary merged.
src=$REPO/hw/arm/rmm
objects=("${bins[0]}")
for b in "${bins[@]:1}"; do
    objects+=(-object "$b")
done
# Only the core counts: not the targets, the test memory or glib's inlines.
only_core=(-ignore-filename-regex='^/usr/|/fuzz/|/tests/')
llvm-cov report "${objects[@]}" -instr-profile="$out/fuzz.profdata" \
    "${only_core[@]}" "$src" > "$out/report.txt"
rm -rf "$out/html"
llvm-cov show "${objects[@]}" -instr-profile="$out/fuzz.profdata" \
    "${only_core[@]}" -format=html -output-dir="$out/html" \
    -show-branches=count "$src" > /dev/null
total=$(awk '/^TOTAL/ { print }' "$out/report.txt")
echo
echo "== coverage of hw/arm/rmm/ by ${targets[*]} (campaigns of ${secs}s) =="
sed -n '1,2p' "$out/report.txt"
echo "$total"
echo "table: $out/report.txt"
echo "html:  $out/html/index.html"
