#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A campaign with AFL++ on the same fuzz targets (docs/fuzzing.rst).
#
#   fuzz-afl.sh TARGET [SECONDS]   SECONDS default 600
#
# The targets define only LLVMFuzzerTestOneInput(), so AFL++ builds them
# unchanged: afl-clang-fast instruments them and links AFL++'s driver
# (libAFLDriver, persistent mode) in place of libFuzzer.  The build
# directory is build-fuzz-afl (UBSan, every finding fatal); the seeds and
# the dictionary are libFuzzer's (the formats agree).  AFL++ is Debian's
# afl++ package, installed here when missing (as root).  The summary lists
# the crashes; replay one on the ASan build with build-fuzz/fuzz/TARGET.
# Environment: FUZZ_AFL_BUILD (build directory), FUZZ_AFL_OUT (output,
# default $FUZZ_AFL_BUILD/afl-out/TARGET).
source "$(dirname "$0")/common.sh"

cd "$REPO"
t=${1:-}
secs=${2:-600}
dir=${FUZZ_AFL_BUILD:-build-fuzz-afl}
[ -n "$t" ] || die "usage: fuzz-afl.sh TARGET [SECONDS]"
grep -qE "^$t([[:space:]]|\$)" fuzz/targets.txt ||
    die "unknown target '$t' (fuzz/targets.txt)"
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] ||
    die "SECONDS must be a positive number, not '$secs'"

if ! command -v afl-fuzz > /dev/null; then
    [ "$(id -u)" = 0 ] || die "AFL++ is missing: apt-get install afl++"
    say "installing AFL++ (Debian's afl++)"
    apt-get install -y -q afl++ > /dev/null || die "apt-get install afl++ failed"
fi

if [ ! -f "$dir/build.ninja" ]; then
    say "configuring $dir (afl-clang-fast, UBSan)"
    CC=afl-clang-fast AFL_QUIET=1 meson setup "$dir" -Dfuzzing=true \
        -Dbuildtype=debugoptimized -Db_sanitize=undefined -Db_lundef=false \
        -Dc_args="-fno-sanitize-recover=undefined" > "$dir.setup.log" 2>&1 ||
        die "meson setup of $dir failed ($dir.setup.log)"
fi
AFL_QUIET=1 ninja -C "$dir" "fuzz/$t" > /dev/null ||
    die "build of fuzz/$t in $dir failed"

out=${FUZZ_AFL_OUT:-$dir/afl-out/$t}
rm -rf "$out"
mkdir -p "$out"
# afl-fuzz without its UI prints a line per test case it works on: show
# its messages, and one of those lines every 30 seconds as progress.
progress() {
    local line last=-30
    while IFS= read -r line; do
        case $line in
        *"Fuzzing test case"*)
            if [ $((SECONDS - last)) -ge 30 ]; then
                last=$SECONDS
                echo "[${SECONDS}s] $line"
            fi ;;
        "["[*!+-]"]"*) echo "$line" ;;
        esac
    done
}

say "AFL++ on $t for ${secs}s; output $out"
# No UI (a log line a minute instead), no CPU pinning or frequency check
# (a shared machine), and crashes counted without a core dump handler.
AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 \
AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_STATSD=0 \
UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
    afl-fuzz -V "$secs" -t 10000 -i "fuzz/corpus/$t" -o "$out" -x "fuzz/$t.dict" \
    -- "$dir/fuzz/$t" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' | progress

stats=$out/default/fuzzer_stats
[ -f "$stats" ] || die "afl-fuzz wrote no statistics ($out)"
field() {
    awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"
}
mapfile -t crashes < <(find "$out/default/crashes" -type f -name 'id:*' \
                       2>/dev/null | sort)
echo
echo "== AFL++ $t: $(field run_time)s =="
echo "executions:        $(field execs_done)"
echo "executions/s:      $(field execs_per_sec)"
echo "coverage:          $(field edges_found) of $(field total_edges) edges" \
     "($(field bitmap_cvg))"
echo "corpus:            $(field corpus_count) inputs in $out/default/queue"
echo "crashes found:     ${#crashes[@]}"
[ ${#crashes[@]} -eq 0 ] || printf '  %s\n' "${crashes[@]}"
echo "hangs found:       $(field saved_hangs)"
if [ ${#crashes[@]} -gt 0 ]; then
    echo "next: replay one with build-fuzz/fuzz/$t <file>; docs/fuzzing.rst"
    exit 1
fi
