#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make install into a fresh prefix, then the guide's examples
# (docs/using-it.rst) as a user would run them: the in-process program
# built with pkg-config, the bare-metal image built from the template and
# booted on the installed QEMU; then make uninstall leaves nothing.  The
# third example, a qtest, is in tests/qtest/ and make check runs it there.
# TAP on stdout.
#   test-install.sh QEMU-FLAVOUR-IGNORED
source "$(dirname "$0")/../../scripts/common.sh"

prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
log=$work/log
n=0
rc=0
tap() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        tail -n 20 "$log" | sed 's/^/# /'
        rc=1
    fi
}

cd "$REPO"
r=0; bash scripts/install.sh "$prefix" > "$log" 2>&1 || r=$?
tap $r "make install PREFIX=<tmp>"
[ $r -eq 0 ] || exit 1

# 1: the model core in your own program
r=0
(cd "$work" && export PKG_CONFIG_PATH=$prefix/lib/pkgconfig &&
 cc "$prefix/share/rmm-emu/examples/inproc/delegate-and-create.c" \
    $(pkg-config --cflags --libs rmm-emu) -o dac &&
 ./dac) > "$log" 2>&1 || r=$?
[ $r -ne 0 ] || grep -qx PASS "$log" || r=1
tap $r "example 1: an in-process program built with pkg-config"

# 2: a bare-metal host image from the template, on the installed QEMU
r=0
(cd "$work" &&
 make -s -f "$prefix/share/rmm-emu/guest-template/Makefile" \
      MAIN="$prefix/share/rmm-emu/guest-template/main.c" &&
 timeout 120 "$prefix/bin/qemu-system-aarch64" -machine rme -m 512 \
      -nographic -nodefaults -serial stdio -no-reboot -kernel guest.elf) \
    > "$log" 2>&1 || r=$?
[ $r -ne 0 ] || grep -q 'RMM-EMU GUEST: PASS' "$log" || r=1
tap $r "example 2: an image built from the template boots on the installed QEMU"

r=0
bash scripts/uninstall.sh "$prefix" > "$log" 2>&1 || r=$?
[ $r -ne 0 ] || [ -z "$(find "$prefix" -mindepth 1 | head -n1)" ] || r=1
tap $r "make uninstall leaves nothing"
echo "1..$n"
exit $rc
