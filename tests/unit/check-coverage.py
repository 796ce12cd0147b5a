#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Fail when tests/unit/coverage.def lists a failure condition that no unit
test names with COVER(COMMAND, condition).  (The other direction, COVER()
of an unlisted condition, already fails to compile.)"""
import pathlib
import re
import sys

here = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else __file__).resolve()
unit = here if here.is_dir() else here.parent
listed = re.findall(r'^TESTED\(\s*(\w+)\s*,\s*(\w+)\s*\)',
                    (unit / 'coverage.def').read_text(), re.M)
covered = set()
for src in unit.glob('*.c'):
    covered |= set(re.findall(r'\bCOVER\(\s*(\w+)\s*,\s*(\w+)\s*\)',
                              src.read_text()))
missing = [f'{c}/{k}' for c, k in listed if (c, k) not in covered]
dups = {f'{c}/{k}' for c, k in listed if listed.count((c, k)) > 1}
for m in missing:
    print(f'coverage.def lists {m} but no test names it with COVER()')
for d in sorted(dups):
    print(f'coverage.def lists {d} twice')
print(f'{len(listed)} conditions listed, {len(listed) - len(missing)} covered')
sys.exit(1 if missing or dups else 0)
