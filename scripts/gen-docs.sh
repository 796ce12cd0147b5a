#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make docs`: regenerate the generated pages of docs/ (docs/commands.rst,
# from the ABI table and the unit tests' coverage list).
#   gen-docs.sh DIR      DIR is a configured standalone build
source "$(dirname "$0")/common.sh"

dir=${1:?build dir}
cd "$REPO"
meson compile -C "$dir" update-commands-rst >&2 ||
    die "update-commands-rst failed"
