/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What rmm-emu's qtests read from /machine/rmm over QMP: the device's
 * statistics and its invariant check.
 */
#ifndef RMM_EMU_QOM_H
#define RMM_EMU_QOM_H

#include "libqtest.h"
#include "qobject/qdict.h"

static inline uint64_t rmm_qom_stat(QTestState *qts, const char *prop)
{
    QDict *resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                            "{ 'path': '/machine/rmm', 'property': %s } }",
                            prop);
    uint64_t val;

    g_assert(qdict_haskey(resp, "return"));
    val = qdict_get_int(resp, "return");
    qobject_unref(resp);
    return val;
}

/* Fails the test, naming the broken invariant, unless the model holds. */
static inline void rmm_qom_assert_consistent(QTestState *qts)
{
    QDict *resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                            "{ 'path': '/machine/rmm', "
                            "  'property': 'consistent' } }");

    if (!qdict_haskey(resp, "return")) {
        g_test_message("%s", qdict_get_str(qdict_get_qdict(resp, "error"),
                                           "desc"));
    }
    g_assert_true(qdict_haskey(resp, "return") &&
                  qdict_get_bool(resp, "return"));
    qobject_unref(resp);
}

#endif
