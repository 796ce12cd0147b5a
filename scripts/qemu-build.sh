#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build qemu-system-aarch64 with rmm-emu, and the project's qtests.
#
# The patched tree and its build live in the cache, keyed by QEMU version,
# patch set and configure options, so a rebuild after an edit
# is incremental and a rebuild with no edit does nothing.  The project's
# own files are linked into the tree, never copied.  Prints the build dir.
source "$(dirname "$0")/common.sh"

CONFIGURE_OPTS=(
    --target-list=aarch64-softmmu
    --without-default-features
    --without-default-devices
    --with-devices-aarch64=rme
    --enable-fdt=system
    --enable-tcg
    --disable-docs
    --disable-install-blobs
    --disable-werror
    --enable-asan
    --enable-ubsan
    --python=/usr/bin/python3
)
mapfile -t qtests < <(rmm_emu_qtests)
TARGETS=(qemu-system-aarch64 "${qtests[@]/#/tests/qtest/}")

src=$("$REPO/scripts/qemu-source.sh")
version=$(cat "$src/VERSION")
# The overlay is not part of the key: its links are refreshed on every run.
key=$( { echo "$version"; cat "$REPO"/patches/qemu-"$QEMU_SERIES"/*.patch
         echo "${CONFIGURE_OPTS[*]}"; } |
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

if [ ! -f "$tree/build/build.ninja" ]; then
    say "configuring QEMU $version"
    mkdir -p "$tree/build"
    (cd "$tree/build" && ../configure "${CONFIGURE_OPTS[@]}") >&2 ||
        die "QEMU configure failed"
fi

say "building ${TARGETS[*]}"
ninja -C "$tree/build" -j "$JOBS" "${TARGETS[@]}" >&2 || die "QEMU build failed"

# A tree for another patch set is a few GB; keep only this one unless told.
if [ -z "${RMM_EMU_KEEP_TREES:-}" ]; then
    for old in "$RMM_EMU_CACHE"/qemu-*-*/; do
        old=${old%/}
        [ "$old" = "$tree" ] || [ ! -f "$old/.rmm-emu-patched" ] || rm -rf "$old"
    done
fi
echo "$tree/build"
