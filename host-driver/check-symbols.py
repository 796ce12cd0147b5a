#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail if two static libraries define the same global symbol.

The host driver and the model core link into one program in-process.  A
symbol both define (a helper named alike on both sides, say) does not make
the link fail: the linker takes whichever archive it meets first, and calls
silently go to the wrong side.
"""
import subprocess
import sys


def defined_globals(nm, archive):
    out = subprocess.run([nm, '-g', '--defined-only', archive],
                         check=True, capture_output=True, text=True).stdout
    return {f[2] for f in (line.split() for line in out.splitlines())
            if len(f) == 3}


def main():
    nm, first, second = sys.argv[1:4]
    clash = sorted(defined_globals(nm, first) & defined_globals(nm, second))
    for sym in clash:
        print(f'{sym} is defined by both {first} and {second}')
    return 1 if clash else 0


if __name__ == '__main__':
    sys.exit(main())
