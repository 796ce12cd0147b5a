#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Count test cases across meson's test log and TAP files; print a summary.

A test program that printed TAP counts each of its cases; one that did not
counts once, by its exit status.  A skipped case counts as failed: make
check builds every image and needs no hardware, so a skip means a test
did not run what it names.  The last line is 'N passed, N failed'.
"""
import json
import re
import sys

TAP = re.compile(r'^(not )?ok \d+')


PLAN = re.compile(r'^1\.\.(\d+)')


def tap_counts(text):
    """Cases passed and failed; cases the plan promised but never reported
    (the program died) count as failed, and so does a program that
    finished its cases but exited with a failure."""
    passed = failed = 0
    planned = None
    for line in text.splitlines():
        m = TAP.match(line)
        if m:
            if m.group(1) or '# TODO' in line or '# SKIP' in line:
                failed += 1
            else:
                passed += 1
        m = PLAN.match(line)
        if m:
            planned = int(m.group(1))
    if planned is not None and passed + failed < planned:
        failed += planned - passed - failed
    if '# exit status: failure' in text and failed == 0:
        failed = 1
    return passed, failed


def main(argv):
    rows = []
    with open(argv[1]) as f:
        for line in f:
            t = json.loads(line)
            p, fl = tap_counts(t.get('stdout') or '')
            if p + fl == 0:
                ok = t['result'] in ('OK', 'EXPECTEDFAIL')
                p, fl = (1, 0) if ok else (0, 1)
            elif t['result'] not in ('OK', 'EXPECTEDFAIL') and fl == 0:
                fl = 1      # crashed or timed out after its last case
            # Say why a program failed when its cases do not: a timeout
            # is not an assertion, and is fixed differently.
            note = ''
            if t['result'] == 'TIMEOUT':
                note = f"  TIMEOUT after {t.get('duration', 0):.0f} s"
            elif t['result'] not in ('OK', 'EXPECTEDFAIL', 'FAIL'):
                note = '  ' + t['result']
            rows.append(('unit: ' + t['name'], p, fl, note))
    for path in argv[2:]:
        with open(path) as f:
            text = f.read()
        p, fl = tap_counts(text)
        name = path.rsplit('/', 1)[-1].removesuffix('.tap')
        note = '  TIMEOUT' if '# timeout' in text else ''
        # qtest programs, and the scripted steps (run-*, fuzz-smoke).
        kind = 'qtest' if name.endswith('-test') else 'check'
        rows.append((kind + ': ' + name, p, fl, note))

    print('\n== summary ==')
    for name, p, fl, note in rows:
        print(f'{name:48} {p:5} passed {fl:3} failed{note}')
    tp = sum(r[1] for r in rows)
    tf = sum(r[2] for r in rows)
    print(f'{tp} passed, {tf} failed')
    return 0 if tf == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
