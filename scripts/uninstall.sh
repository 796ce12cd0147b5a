#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make uninstall PREFIX=...`: remove every file `make install` put there
# (share/rmm-emu/install-manifest.txt), then the directories it leaves
# empty.  Nothing else under PREFIX is touched.
source "$(dirname "$0")/common.sh"

prefix=${1:?usage: uninstall.sh PREFIX}
prefix=$(cd "$prefix" && pwd)
manifest=$prefix/share/rmm-emu/install-manifest.txt
[ -f "$manifest" ] || die "$manifest: nothing installed there by make install"
n=0
while read -r f; do
    case "$f" in
    "$prefix"/*) ;;
    *) die "$manifest names $f, outside $prefix: not removing anything more" ;;
    esac
    if [ -d "$f" ] && [ ! -L "$f" ]; then
        :                       # an old manifest's directory: rmdir below
    elif [ -e "$f" ] || [ -L "$f" ]; then
        rm -f "$f"
        n=$((n + 1))
    fi
    # its directories, as far up as they are empty (not PREFIX itself)
    d=$f
    [ -d "$d" ] || d=$(dirname "$f")
    while [ "$d" != "$prefix" ] && rmdir "$d" 2>/dev/null; do
        d=$(dirname "$d")
    done
done < "$manifest"
say "removed $n files from $prefix"
