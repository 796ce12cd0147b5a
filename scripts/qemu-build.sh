#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build qemu-system-aarch64 with rmm-emu in one of two flavours:
#   qemu-build.sh [sanitize]   ASan + UBSan, and the project's qtests
#                              (make check)
#   qemu-build.sh release      optimised, no sanitizers (make run,
#                              make bench)
#
# The patched tree lives in the cache, keyed by QEMU version, patch set
# and the options both flavours share; each flavour has its own build
# directory in it, so a rebuild after an edit is incremental and a
# rebuild with no edit does nothing.  The project's own files are linked
# into the tree, never copied.  Prints the build dir.
source "$(dirname "$0")/common.sh"

flavour=${1:-sanitize}
COMMON_OPTS=(
    --target-list=aarch64-softmmu
    --without-default-features
    --without-default-devices
    --with-devices-aarch64=rme
    --enable-fdt=system
    --enable-tcg
    --disable-docs
    --disable-install-blobs
    --disable-werror
    --python=/usr/bin/python3
)
case "$flavour" in
sanitize)
    FLAVOUR_OPTS=(--enable-asan --enable-ubsan)
    builddir=build
    mapfile -t qtests < <(rmm_emu_qtests)
    TARGETS=(qemu-system-aarch64 "${qtests[@]/#/tests/qtest/}")
    ;;
release)
    FLAVOUR_OPTS=()
    builddir=build-release
    TARGETS=(qemu-system-aarch64)
    ;;
*)
    die "unknown QEMU build flavour '$flavour' (sanitize or release)"
    ;;
esac

src=$("$REPO/scripts/qemu-source.sh")
version=$(cat "$src/VERSION")
# The overlay is not part of the key: its links are refreshed on every run.
key=$( { echo "$version"; cat "$REPO"/patches/qemu-"$QEMU_SERIES"/*.patch
         echo "${COMMON_OPTS[*]}"; } |
       sha256sum | cut -c1-12)
tree=$RMM_EMU_CACHE/qemu-$version-$key

if [ ! -f "$tree/.rmm-emu-patched" ]; then
    say "preparing QEMU $version tree $tree"
    rm -rf "$tree" "$tree.tmp"
    cp -a "$src" "$tree.tmp"
    for p in "$REPO"/patches/qemu-"$QEMU_SERIES"/*.patch; do
        patch -d "$tree.tmp" -p1 -s --no-backup-if-mismatch < "$p" ||
            die "$(basename "$p") does not apply to QEMU $version"
    done
    touch "$tree.tmp/.rmm-emu-patched"
    mv "$tree.tmp" "$tree"
fi

# Link the overlay: re-pointed when the repository moved (a fresh clone).
grep -v '^\s*\(#\|$\)' "$REPO/scripts/overlay.list" | while read -r path; do
    [ -e "$REPO/$path" ] || die "overlay path $path is missing from the repository"
    if [ "$(readlink "$tree/$path" 2>/dev/null)" != "$REPO/$path" ]; then
        [ -L "$tree/$path" ] || [ ! -e "$tree/$path" ] ||
            die "overlay path $path would hide a QEMU file"
        mkdir -p "$(dirname "$tree/$path")"
        ln -sfn "$REPO/$path" "$tree/$path"
    fi
done

opts="${COMMON_OPTS[*]} ${FLAVOUR_OPTS[*]}"
if [ ! -f "$tree/$builddir/build.ninja" ] ||
   [ "$(cat "$tree/$builddir/.rmm-emu-options" 2>/dev/null)" != "$opts" ]; then
    say "configuring QEMU $version ($flavour)"
    rm -rf "${tree:?}/$builddir"
    mkdir -p "$tree/$builddir"
    (cd "$tree/$builddir" &&
     ../configure "${COMMON_OPTS[@]}" "${FLAVOUR_OPTS[@]}") >&2 ||
        die "QEMU configure failed"
    echo "$opts" > "$tree/$builddir/.rmm-emu-options"
fi

say "building QEMU ($flavour): ${TARGETS[*]}"
ninja -C "$tree/$builddir" -j "$JOBS" "${TARGETS[@]}" >&2 ||
    die "QEMU build failed"

# A tree for another patch set is a few GB; keep only this one unless told.
if [ -z "${RMM_EMU_KEEP_TREES:-}" ]; then
    for old in "$RMM_EMU_CACHE"/qemu-*-*/; do
        old=${old%/}
        [ "$old" = "$tree" ] || [ ! -f "$old/.rmm-emu-patched" ] || rm -rf "$old"
    done
fi
echo "$tree/$builddir"
