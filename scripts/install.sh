#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install PREFIX=...`: what a host developer builds on
# (docs/using-it.rst):
#   bin/qemu-system-aarch64                    the release QEMU, -machine rme
#   lib/librmm-core.a, lib/librmm-simmem.a     the model core, in process,
#   include/rmm-emu/..., lib/pkgconfig/rmm-emu.pc   and simulated memory
#   share/rmm-emu/guest-template/              a bare-metal host image's
#                                              sources and Makefile
#   share/rmm-emu/examples/                    the guide's examples
#   share/doc/rmm-emu/                         the docs (and html/)
# Every file is listed in share/rmm-emu/install-manifest.txt, which
# `make uninstall PREFIX=...` reads.
source "$(dirname "$0")/common.sh"

prefix=${1:?usage: install.sh PREFIX}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
dir=${INSTALL_BUILD:-build-install}
share=$prefix/share/rmm-emu
manifest=$share/install-manifest.txt
cd "$REPO"

# Its own build: release, and without LTO, whose archives only a compiler
# with the same LTO plugin could link.
if [ ! -f "$dir/build.ninja" ]; then
    export CC=${CC:-clang}
    run_stage "configuring $dir (release, for installing)" \
        "$RMM_EMU_CACHE/logs/setup-$(basename "$dir").log" \
        meson setup "$dir" -Dbuildtype=release -Db_ndebug=false \
        --prefix "$prefix" --libdir lib
else
    meson configure "$dir" --prefix "$prefix" --libdir lib > /dev/null ||
        die "meson configure of $dir failed"
fi
run_stage "building $dir" "$dir/build.log" ninja -C "$dir" -j "$JOBS"
run_stage "installing the library, its headers and rmm-emu.pc" \
    "$dir/install.log" meson install -C "$dir" --no-rebuild
qbuild=$(bash scripts/qemu-build.sh release)

mkdir -p "$share"
installed=$(mktemp)
trap 'rm -f "$installed"' EXIT
grep -v '^#' "$dir/meson-logs/install-log.txt" > "$installed"

# put SRC DEST: one file, recorded
put() {
    install -D -m "${3:-644}" "$1" "$2"
    echo "$2" >> "$installed"
}

say "installing QEMU, the guest image template, the examples and the docs"
put "$qbuild/qemu-system-aarch64" "$prefix/bin/qemu-system-aarch64" 755
tpl=$share/guest-template
for f in rmi.c rmi_init.c sro.c pool.c realm.c conduit-smc.c compat.h rmi.h \
         rmi_cmds.h rmi_smc.h mutants.h guest/start.S guest/lib.c \
         guest/gpf.c guest/guest.h guest/guest.ld; do
    put "host-driver/$f" "$tpl/host-driver/$f"
done
put include/hw/arm/rmm-emu-mailbox.h "$tpl/include/hw/arm/rmm-emu-mailbox.h"
put hw/arm/rmm/rmi-abi.def "$tpl/hw/arm/rmm/rmi-abi.def"
put examples/guest/Makefile "$tpl/Makefile"
put examples/guest/main.c "$tpl/main.c"
for f in examples/inproc/delegate-and-create.c examples/guest/main.c \
         examples/guest/Makefile tests/qtest/rmm-emu-example-test.c; do
    put "$f" "$share/examples/$(basename "$(dirname "$f")")/$(basename "$f")"
done
for f in README.md docs/*.rst docs/images/*.png; do
    put "$f" "$prefix/share/doc/rmm-emu/${f#docs/}"
done
if command -v sphinx-build > /dev/null; then
    run_stage "building the HTML docs" "$dir/docs.log" \
        sphinx-build -q -b html docs "$prefix/share/doc/rmm-emu/html"
    find "$prefix/share/doc/rmm-emu/html" -type f >> "$installed"
fi

# Files only: the directories go when they are empty (uninstall.sh).
while read -r f; do
    [ -d "$f" ] || echo "$f"
done < "$installed" | sort -u > "$manifest"
echo "$manifest" >> "$manifest"
say "installed $(wc -l < "$manifest") files under $prefix"
cat >&2 <<EOF
    $prefix/bin/qemu-system-aarch64 -machine rme ...
    PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs rmm-emu
    make -f $tpl/Makefile MAIN=your-main.c
    docs: $prefix/share/doc/rmm-emu/ (using-it.rst; html/index.html)
    remove it all: make uninstall PREFIX=$prefix
EOF
