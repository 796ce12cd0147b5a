#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the path of a pristine QEMU 10.0.x source tree, fetching it once.
#
# QEMU_SRC=/path/to/qemu   use that tree (it must be QEMU 10.0.x)
# otherwise                Debian's qemu source package from
#                          bookworm-backports, cached in $RMM_EMU_CACHE/src
source "$(dirname "$0")/common.sh"

check_version() {
    local v
    v=$(cat "$1/VERSION" 2>/dev/null) || die "$1 is not a QEMU source tree (no VERSION)"
    case "$v" in
    "$QEMU_SERIES".*) ;;
    *) die "rmm-emu's patches are for QEMU $QEMU_SERIES.x; $1 is QEMU $v" ;;
    esac
}

if [ -n "${QEMU_SRC:-}" ]; then
    check_version "$QEMU_SRC"
    cd "$QEMU_SRC" && pwd
    exit 0
fi

srcdir=$RMM_EMU_CACHE/src
mkdir -p "$srcdir"
cd "$srcdir"
for tree in qemu-"$QEMU_SERIES".*/; do
    if [ -f "$tree/.rmm-emu-pristine" ]; then
        cd "$tree" && pwd
        exit 0
    fi
done

say "fetching QEMU $QEMU_SERIES source (qemu/$QEMU_DEB_SUITE) into $srcdir"
# awk reads all of its input: an early exit would kill apt-cache with
# SIGPIPE, which pipefail turns into a failure of the whole script.
ver=$(apt-cache showsrc qemu 2>/dev/null |
      awk -v s="$QEMU_SERIES" '/^Version:/ && index($2, ":" s ".") && !v { v = $2 }
                               END { print v }')
[ -n "$ver" ] || die "apt knows no QEMU $QEMU_SERIES.x source package: run scripts/install-deps.sh (it adds $QEMU_DEB_SUITE deb-src entries) or set QEMU_SRC"
upstream=${ver#*:}
upstream=${upstream%-*}                 # 10.0.2+ds

rm -rf qemu-"$QEMU_SERIES".*/ ./*.dsc ./*.debian.tar.*
mkdir -p "$RMM_EMU_CACHE/logs"
log=$RMM_EMU_CACHE/logs/qemu-source.log
say "apt-get source qemu/$QEMU_DEB_SUITE (log: $log)"
if apt-get source -q "qemu/$QEMU_DEB_SUITE" > "$log" 2>&1; then
    tree=$(ls -d qemu-"$QEMU_SERIES".*/ | head -n1)
else
    # Some mirrors serve the upstream tarball but not the .dsc or the
    # Debian diff.  The tarball alone is enough for our build: verify it
    # against the checksum apt knows and unpack it ourselves.
    orig=qemu_${upstream}.orig.tar.xz
    [ -f "$orig" ] || die "apt-get source qemu failed and $orig was not fetched"
    sum=$(apt-cache showsrc qemu |
          awk -v f="$orig" '/^Checksums-Sha256:/ { on = 1; next }
                            /^[^ ]/ { on = 0 }
                            on && $3 == f && !s { s = $1 }
                            END { print s }')
    [ -n "$sum" ] || die "no checksum for $orig in apt's index"
    echo "$sum  $orig" | sha256sum -c --quiet - >&2 ||
        die "$orig does not match apt's checksum"
    say "Debian's packaging was not served; using the verified $orig"
    tar xf "$orig"
    tree=$(ls -d qemu-"$QEMU_SERIES".*/ | head -n1)
fi
[ -n "$tree" ] || die "unpacking the QEMU source produced no tree"
check_version "$tree"
touch "$tree/.rmm-emu-pristine"
cd "$tree" && pwd
