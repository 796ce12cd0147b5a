#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build qemu-system-aarch64 with rmm-emu in one of two flavours:
#   qemu-build.sh [sanitize]   ASan + UBSan, and the project's qtests
#                              (make check)
#   qemu-build.sh release      optimised, no sanitizers (make run,
#                              make bench)
# Prints the build directory.
#
# The cache ($RMM_EMU_CACHE) holds, per QEMU version and patch set:
#   patched/qemu-<version>-<key>/    the patched tree, shared, never
#                                    built in
#   checkouts/<id>/qemu-<version>-<key>/
#                                    one tree per checkout of this
#                                    repository: symbolic links to the
#                                    patched tree, the checkout's own
#                                    files linked in (scripts/overlay.list)
#                                    and a build directory per flavour
# so that two checkouts on one machine never rebuild each other's QEMU or
# race on one build directory.  ccache (in the cache, paths relative to
# it) makes a new checkout's first build mostly cache hits.  A rebuild
# after an edit is incremental; with no edit it does nothing.
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
# The overlay is not part of the key: its links are per checkout.
key=$( { echo "$version"; cat "$REPO"/patches/qemu-"$QEMU_SERIES"/*.patch
         echo "${COMMON_OPTS[*]}"; } |
       sha256sum | cut -c1-12)
patched=$RMM_EMU_CACHE/patched/qemu-$version-$key
checkout_id=$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
codir=$RMM_EMU_CACHE/checkouts/$checkout_id
tree=$codir/qemu-$version-$key

# Other checkouts' builds may run at the same time: the shared parts of
# the cache (the patched tree, the list of checkouts, pruning) change
# under a lock; each checkout then builds in its own tree unlocked.
mkdir -p "$RMM_EMU_CACHE"
exec 9> "$RMM_EMU_CACHE/.lock"
flock 9
mkdir -p "$codir"
echo "$REPO" > "$codir/checkout"

if [ ! -f "$patched/.rmm-emu-patched" ]; then
    say "preparing the patched QEMU $version tree $patched"
    rm -rf "$patched" "$patched.tmp"
    mkdir -p "$(dirname "$patched")"
    cp -a "$src" "$patched.tmp"
    for p in "$REPO"/patches/qemu-"$QEMU_SERIES"/*.patch; do
        patch -d "$patched.tmp" -p1 -s --no-backup-if-mismatch < "$p" ||
            die "$(basename "$p") does not apply to QEMU $version"
    done
    touch "$patched.tmp/.rmm-emu-patched"
    mv "$patched.tmp" "$patched"
fi

if [ ! -f "$tree/.rmm-emu-tree" ]; then
    say "linking a QEMU tree for the checkout $REPO"
    rm -rf "$tree" "$tree.tmp"
    cp -as "$patched/." "$tree.tmp"
    rm -f "$tree.tmp/.rmm-emu-patched"
    touch "$tree.tmp/.rmm-emu-tree"
    mv "$tree.tmp" "$tree"
fi

# Trees are a few GB each: drop this checkout's trees of other patch
# sets, checkouts whose directory is gone, and patched trees no checkout
# links to any more, unless told otherwise.  (Trees of the layout before
# checkouts had their own, at the top of the cache, go too.)
if [ -z "${RMM_EMU_KEEP_TREES:-}" ]; then
    for old in "$codir"/qemu-*-*/; do
        old=${old%/}
        [ "$old" = "$tree" ] || [ ! -f "$old/.rmm-emu-tree" ] || rm -rf "$old"
    done
    for co in "$RMM_EMU_CACHE"/checkouts/*/; do
        co=${co%/}
        [ -d "$(cat "$co/checkout" 2>/dev/null)" ] || rm -rf "$co"
    done
    for old in "$RMM_EMU_CACHE"/patched/qemu-*-*/; do
        old=${old%/}
        name=$(basename "$old")
        [ "$old" = "$patched" ] ||
            compgen -G "$RMM_EMU_CACHE/checkouts/*/$name" >/dev/null ||
            rm -rf "$old"
    done
    for old in "$RMM_EMU_CACHE"/qemu-*-*/; do
        [ ! -f "$old/.rmm-emu-patched" ] || rm -rf "${old%/}"
    done
fi
flock -u 9

# Link the overlay into this checkout's tree.
grep -v '^\s*\(#\|$\)' "$REPO/scripts/overlay.list" | while read -r path; do
    [ -e "$REPO/$path" ] || die "overlay path $path is missing from the repository"
    [ ! -e "$patched/$path" ] || die "overlay path $path would hide a QEMU file"
    if [ "$(readlink "$tree/$path" 2>/dev/null)" != "$REPO/$path" ]; then
        mkdir -p "$(dirname "$tree/$path")"
        ln -sfn "$REPO/$path" "$tree/$path"
    fi
done

# ccache: one cache for every checkout and flavour; paths below the cache
# directory are hashed relative to it, so the same file compiled in two
# checkouts' trees is one cache entry.
export CCACHE_DIR=$RMM_EMU_CACHE/ccache
export CCACHE_BASEDIR=$RMM_EMU_CACHE
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# QEMU's configure splits $CC into words for meson: ccache runs the
# compiler.  Without ccache (a machine set up by hand) builds just cost
# more.
if command -v ccache >/dev/null; then
    export CC="ccache ${CC:-gcc}"
fi

opts="CC=${CC:-cc} ${COMMON_OPTS[*]} ${FLAVOUR_OPTS[*]}"
if [ ! -f "$tree/$builddir/build.ninja" ] ||
   [ "$(cat "$tree/$builddir/.rmm-emu-options" 2>/dev/null)" != "$opts" ]; then
    rm -rf "${tree:?}/$builddir"
    mkdir -p "$tree/$builddir"
    run_stage "configuring QEMU $version ($flavour)" \
        "$tree/$builddir/rmm-emu-configure.log" \
        bash -c 'cd "$1" && shift && ../configure "$@"' _ \
        "$tree/$builddir" "${COMMON_OPTS[@]}" "${FLAVOUR_OPTS[@]}"
    echo "$opts" > "$tree/$builddir/.rmm-emu-options"
fi

run_stage "building QEMU ($flavour): ${TARGETS[*]}" \
    "$tree/$builddir/rmm-emu-build.log" \
    ninja -C "$tree/$builddir" -j "$JOBS" "${TARGETS[@]}"

echo "$tree/$builddir"
