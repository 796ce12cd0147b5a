/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The failure conditions the unit tests check, from coverage.def.
 *
 * A test names the condition it checks with COVER(COMMAND, condition)
 * right before its assertion.  COVER() of a condition that coverage.def
 * does not list does not compile, and the meson test 'coverage-list'
 * (check-coverage.py) fails when coverage.def lists a condition that no
 * COVER() names.  rmm-abi-dump prints the list in docs/commands.rst.
 */
#ifndef RMM_TEST_COVERAGE_H
#define RMM_TEST_COVERAGE_H

enum {
#define TESTED(cmd, cond) RMM_COV_##cmd##__##cond,
#include "tests/unit/coverage.def"
#undef TESTED
    RMM_COV_COUNT
};

#define COVER(cmd, cond)    ((void)RMM_COV_##cmd##__##cond)

#endif /* RMM_TEST_COVERAGE_H */
