#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-or-later
# Build rmm-emu's fuzz targets the way OSS-Fuzz and ClusterFuzzLite expect:
# with their $CC, $CFLAGS and $LIB_FUZZING_ENGINE; binaries, seed corpora
# (zip), dictionaries and libFuzzer options into $OUT.  The targets are
# those of fuzz/targets.txt, from the same sources the local build uses
# (scripts/fuzz-build.sh).
set -eu
cd "$SRC/rmm-emu"
meson setup build-oss -Dfuzzing=true -Dbuildtype=plain \
    -Db_lundef=false -Dc_args="$CFLAGS" -Dc_link_args="$CFLAGS" \
    -Dfuzzing_engine="$LIB_FUZZING_ENGINE"
sed -e 's/#.*//' fuzz/targets.txt | while read -r t flags; do
    [ -n "$t" ] || continue
    ninja -C build-oss "fuzz/$t"
    cp "build-oss/fuzz/$t" "$OUT/"
    if [ -d "fuzz/corpus/$t" ]; then
        (cd "fuzz/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
    fi
    if [ -f "fuzz/$t.dict" ]; then
        cp "fuzz/$t.dict" "$OUT/$t.dict"
    fi
    # The flags every run takes (-max_len=N) as an .options file.
    {
        echo "[libfuzzer]"
        for f in $flags; do
            f=${f#-}
            echo "${f%%=*} = ${f#*=}"
        done
    } > "$OUT/$t.options"
done
