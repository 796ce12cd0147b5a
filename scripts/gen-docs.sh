#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make docs`: regenerate the generated pages of docs/ (docs/commands.rst,
# from the ABI table and the unit tests' coverage list; docs/reference.rst,
# from the release QEMU's help and the patches' trace events), then build
# the HTML site with Sphinx into DIR/docs/html.
#   gen-docs.sh DIR      DIR is a configured standalone build
source "$(dirname "$0")/common.sh"

dir=${1:?build dir}
cd "$REPO"
meson compile -C "$dir" update-commands-rst >&2 ||
    die "update-commands-rst failed"
qbuild=$(bash scripts/qemu-build.sh release)
/usr/bin/python3 scripts/gen-reference.py --write \
    "$qbuild/qemu-system-aarch64" || die "gen-reference failed"
run_stage "sphinx-build docs" "$dir/docs-build.log" \
    sphinx-build -W -b html docs "$dir/docs/html"
say "the site: $dir/docs/html/index.html"
