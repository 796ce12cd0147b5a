#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the fuzz targets (docs/fuzzing.rst).
#
#   fuzz.sh TARGET [SECONDS]   a campaign: libFuzzer's progress, then a
#                              summary (SECONDS default 600; 0: until ^C)
#   fuzz.sh --replay [TARGET]  every seed and regression input, once
#   fuzz.sh --pending          the pending inputs (bugs not fixed yet),
#                              with the targets' detours off: which still fail
#   fuzz.sh --smoke [SECONDS]  make check's step: build, replay, then fuzz
#                              both targets side by side for SECONDS (default
#                              30); TAP on stdout, details on stderr
#
# TARGET is one of fuzz/targets.txt (fuzz-rmi-calls, fuzz-parsers, ...).
# Environment:
#   FUZZ_SANITIZE  address,undefined (default) or undefined: the faster
#                build for long campaigns (default FUZZ_BUILD then
#                build-fuzz-ubsan); replay what it finds on the default one
#   FUZZ_BUILD   build directory (default build-fuzz; scripts/fuzz-build.sh)
#   FUZZ_WORK    corpora, logs and crashes (default $FUZZ_BUILD/fuzz-work)
#   FUZZ_JOBS=N  N fuzzing processes: libFuzzer's -fork=N, or with
#                FUZZ_MODE=jobs, -jobs=N -workers=N
#   FUZZ_ARGS    more libFuzzer flags, e.g. "-seed=1 -max_len=4096"
source "$(dirname "$0")/common.sh"

cd "$REPO"
export FUZZ_SANITIZE=${FUZZ_SANITIZE:-address,undefined}
case $FUZZ_SANITIZE in
address,undefined) BUILD_DIR=${FUZZ_BUILD:-build-fuzz} ;;
undefined) BUILD_DIR=${FUZZ_BUILD:-build-fuzz-ubsan} ;;
*) die "FUZZ_SANITIZE=$FUZZ_SANITIZE: use address,undefined or undefined" ;;
esac
case $BUILD_DIR in
/*) ;;
*) BUILD_DIR=$REPO/$BUILD_DIR ;;
esac
WORK=${FUZZ_WORK:-$BUILD_DIR/fuzz-work}
mapfile -t TARGETS < <(sed -e 's/#.*//' "$REPO/fuzz/targets.txt" |
                        awk 'NF { print $1 }')

# Sanitizer settings libFuzzer reports best with; the caller's win.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

target_ok() {
    local t
    for t in "${TARGETS[@]}"; do
        [ "$t" = "$1" ] && return 0
    done
    die "unknown target '$1' (${TARGETS[*]})"
}

binary() {
    echo "$BUILD_DIR/fuzz/$1"
}

# Flags every run of a target takes: its own (fuzz/targets.txt), then ours.
target_flags() {
    local t=$1
    sed -e 's/#.*//' "$REPO/fuzz/targets.txt" |
        awk -v t="$t" '$1 == t { $1 = ""; print }'
    echo "-dict=$REPO/fuzz/$t.dict -timeout=10 -rss_limit_mb=2048"
}

# The inputs replayed on every check: seeds and fixed bugs.
replay_inputs() {
    local d
    for d in "$REPO/fuzz/corpus/$1" "$REPO/fuzz/regressions/$1"; do
        [ ! -d "$d" ] || find "$d" -maxdepth 1 -type f ! -name '*.rst' | sort
    done
}

# Run every input of a target once; 0 when none crashed.
replay() {
    local t=$1 log=$2 inputs
    mapfile -t inputs < <(replay_inputs "$t")
    [ ${#inputs[@]} -gt 0 ] || return 0
    "$(binary "$t")" "${inputs[@]}" > "$log" 2>&1
}

# What a libFuzzer log says: "runs exec/s cov ft" (from its last status
# line, or its final stats).  A -jobs campaign has one log per job: runs
# and exec/s add up, coverage is the best job's.
summarise_logs() {
    local log runs eps cov ft truns=0 teps=0 bcov=0 bft=0
    for log in "$@"; do
        read -r runs eps cov ft < <(awk '
            /^#[0-9]+/ && / cov: / {
                runs = substr($1, 2); sub(/:$/, "", runs)
                for (i = 1; i <= NF; i++) {
                    if ($i == "cov:") cov = $(i + 1)
                    if ($i == "ft:") ft = $(i + 1)
                    if ($i == "exec/s:" || $i == "exec/s") eps = $(i + 1)
                }
            }
            /^stat::number_of_executed_units:/ { runs = $2 }
            /^stat::average_exec_per_sec:/ { eps = $2 }
            END { printf "%d %d %d %d\n", runs, eps, cov, ft }
        ' "$log")
        truns=$((truns + runs))
        teps=$((teps + eps))
        [ "$cov" -le "$bcov" ] || bcov=$cov
        [ "$ft" -le "$bft" ] || bft=$ft
    done
    echo "$truns $teps $bcov $bft"
}

artifacts() {
    find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) \
        2>/dev/null | sort
}

campaign() {
    local t=$1 secs=${2:-600} dir corpus art logdir start rc=0
    local -a flags logs found seeds extra
    target_ok "$t"
    bash scripts/fuzz-build.sh "$BUILD_DIR"
    dir=$WORK/$t
    corpus=$dir/corpus
    art=$dir/artifacts
    logdir=$dir/logs/$(date +%Y%m%d-%H%M%S)
    mkdir -p "$corpus" "$art" "$logdir"
    read -ra flags <<< "$(target_flags "$t")"
    flags+=(-artifact_prefix="$art/" -print_final_stats=1)
    [ "$secs" = 0 ] || flags+=(-max_total_time="$secs")
    if [ -n "${FUZZ_JOBS:-}" ]; then
        if [ "${FUZZ_MODE:-fork}" = jobs ]; then
            flags+=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
        else
            flags+=(-fork="$FUZZ_JOBS")
        fi
    fi
    read -ra extra <<< "${FUZZ_ARGS:-}"
    start=$(date +%s)
    say "fuzzing $t for ${secs}s (0: until interrupted); corpus $corpus"
    # New inputs go to the first directory only: the seeds stay as they
    # are.  -jobs writes fuzz-N.log files into the current directory.
    seeds=("$REPO/fuzz/corpus/$t")
    [ ! -d "$REPO/fuzz/regressions/$t" ] ||
        seeds+=("$REPO/fuzz/regressions/$t")
    (cd "$logdir" &&
     "$(binary "$t")" "${flags[@]}" "${extra[@]}" "$corpus" "${seeds[@]}"
    ) 2>&1 | tee "$logdir/main.log" || rc=$?
    mapfile -t logs < <(find "$logdir" -maxdepth 1 -name 'fuzz-*.log' |
                        sort)
    [ ${#logs[@]} -gt 0 ] || logs=("$logdir/main.log")
    read -r runs eps cov ft <<< "$(summarise_logs "${logs[@]}")"
    mapfile -t found < <(find "$art" -maxdepth 1 -type f -newermt "@$start" \
                         \( -name 'crash-*' -o -name 'leak-*' -o \
                            -name 'timeout-*' -o -name 'oom-*' \) | sort)
    echo
    echo "== $t: $(( $(date +%s) - start ))s, sanitizers $FUZZ_SANITIZE =="
    echo "executions:        $runs"
    echo "executions/s:      $eps${FUZZ_JOBS:+ (all $FUZZ_JOBS processes)}"
    echo "coverage:          cov $cov edges, ft $ft features"
    echo "corpus:            $(find "$corpus" -type f | wc -l) inputs in $corpus"
    echo "crashes found:     ${#found[@]}"
    [ ${#found[@]} -eq 0 ] || printf '  %s\n' "${found[@]}"
    echo "log:               $logdir"
    if [ ${#found[@]} -gt 0 ]; then
        echo "next: replay it with $(binary "$t") <file> (FUZZ_TRACE=1" \
             "prints the calls of fuzz-rmi-calls); docs/fuzzing.rst, 'A crash'"
        [ "$FUZZ_SANITIZE" = address,undefined ] ||
            echo "      and on the ASan build (build-fuzz/fuzz/$t), whose" \
                 "report says more"
        return 1
    fi
    return "$rc"
}

cmd_replay() {
    local t rc=0 log n
    bash scripts/fuzz-build.sh "$BUILD_DIR"
    mkdir -p "$WORK"
    for t in "${@:-${TARGETS[@]}}"; do
        target_ok "$t"
        log=$WORK/replay-$t.log
        n=$(replay_inputs "$t" | wc -l)
        if replay "$t" "$log"; then
            echo "$t: $n inputs replayed, none failed"
        else
            echo "$t: an input failed (log $log):"
            tail -n 30 "$log"
            rc=1
        fi
    done
    return $rc
}

# The pending inputs of a target (bugs not fixed yet).
pending_inputs() {
    find "$REPO/fuzz/regressions/pending/$1" -maxdepth 1 -type f \
        2>/dev/null | sort
}

# Pending inputs fail until their bug is fixed; then they move.
cmd_pending() {
    local t f still=0 fixed=0
    bash scripts/fuzz-build.sh "$BUILD_DIR"
    for t in "${TARGETS[@]}"; do
        while read -r f; do
            if FUZZ_PENDING=1 "$(binary "$t")" "$f" > /dev/null 2>&1; then
                echo "fixed:  $f (move it to fuzz/regressions/$t/ and" \
                     "delete its detour in fuzz/$t.c)"
                fixed=$((fixed + 1))
            else
                echo "fails:  $f"
                still=$((still + 1))
            fi
        done < <(pending_inputs "$t")
    done
    echo "$still pending inputs still fail, $fixed pass"
}

# make check: TAP on stdout, everything else on stderr.
cmd_smoke() {
    local secs=${1:-30} t n=0 rc=0 dir pids=() i inputs
    local -a flags
    echo "1..$(( 2 * ${#TARGETS[@]} + 1 ))"
    n=$((n + 1))
    if bash scripts/fuzz-build.sh "$BUILD_DIR"; then
        echo "ok $n - build the fuzz targets (${BUILD_DIR#"$REPO"/})"
    else
        echo "not ok $n - build the fuzz targets (${BUILD_DIR#"$REPO"/})"
        return 1
    fi
    rm -rf "$WORK/smoke"
    for t in "${TARGETS[@]}"; do
        n=$((n + 1))
        dir=$WORK/smoke/$t
        mkdir -p "$dir/corpus"
        inputs=$(replay_inputs "$t" | wc -l)
        if replay "$t" "$dir/replay.log"; then
            echo "ok $n - replay $t: $inputs seed and regression inputs"
        else
            echo "not ok $n - replay $t: an input failed" \
                 "(log $dir/replay.log)"
            tail -n 40 "$dir/replay.log" >&2
            rc=1
        fi
    done
    # Both targets at once: one core each on a 2-core machine.
    for t in "${TARGETS[@]}"; do
        dir=$WORK/smoke/$t
        read -ra flags <<< "$(target_flags "$t")"
        "$(binary "$t")" "${flags[@]}" -max_total_time="$secs" \
            -print_final_stats=1 -artifact_prefix="$dir/" \
            "$dir/corpus" "$REPO/fuzz/corpus/$t" \
            > "$dir/fuzz.log" 2>&1 &
        pids+=($!)
    done
    i=0
    for t in "${TARGETS[@]}"; do
        n=$((n + 1))
        dir=$WORK/smoke/$t
        local frc=0
        wait "${pids[$i]}" || frc=$?
        i=$((i + 1))
        read -r runs eps cov ft <<< "$(summarise_logs "$dir/fuzz.log")"
        local found
        found=$(artifacts "$dir" | tr '\n' ' ')
        if [ $frc -eq 0 ] && [ -z "$found" ]; then
            echo "ok $n - fuzz $t ${secs}s: $runs runs, $eps exec/s," \
                 "cov $cov, ft $ft"
        else
            echo "not ok $n - fuzz $t ${secs}s: crash saved as" \
                 "${found:-(none; exit status $frc)}"
            grep -v -E '^#[0-9]+.*(NEW|REDUCE|pulse)' "$dir/fuzz.log" |
                tail -n 40 >&2
            rc=1
        fi
    done
    # Informational: pending bugs that no longer reproduce want moving.
    local still=0 total=0 f
    for t in "${TARGETS[@]}"; do
        while read -r f; do
            total=$((total + 1))
            FUZZ_PENDING=1 "$(binary "$t")" "$f" > /dev/null 2>&1 ||
                still=$((still + 1))
        done < <(pending_inputs "$t")
    done
    echo "# pending: $still of $total inputs in fuzz/regressions/pending/" \
         "still fail (fuzz.sh --pending)"
    return $rc
}

case "${1:-}" in
--smoke) shift; cmd_smoke "$@" ;;
--replay) shift; cmd_replay "$@" ;;
--pending) cmd_pending ;;
''|-h|--help)
    awk 'NR < 3 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
    exit 2 ;;
*) campaign "$@" ;;
esac
