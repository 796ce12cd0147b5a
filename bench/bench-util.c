/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <glib.h>
#include <string.h>
#include <time.h>

#include "hw/arm/rmm/rmm.h"
#include "bench-util.h"

double bench_cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

void bench_series_add(BenchSeries *s, double v)
{
    g_assert(s->n < BENCH_MAX_ROUNDS);
    s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

double bench_median(BenchSeries *s)
{
    qsort(s->v, s->n, sizeof(double), cmp_double);
    return s->n % 2 ? s->v[s->n / 2]
                    : (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
}

/*
 * One granule at a time, because one memset of the whole range would be
 * faster than the work it stands for (glibc switches to non-temporal
 * stores for large sizes).  The compiler barrier after each memset keeps
 * the passes and the granules apart: without it a loop of memsets may
 * become one memset, and every pass but the last is a dead store the
 * compiler may drop.  Check with
 *   objdump -d build-release/bench/bench-core | \
 *       sed -n '/<bench_scrub>:/,/ret/p' | grep memset
 */
double __attribute__((noinline)) bench_scrub(uint8_t *p, size_t len,
                                             int first_val, int passes)
{
    double t0 = bench_cpu_now();
    size_t off;
    int pass;

    for (pass = 0; pass < passes; pass++) {
        for (off = 0; off < len; off += RMM_GRANULE_SIZE) {
            memset(p + off, first_val + pass, RMM_GRANULE_SIZE);
            asm volatile("" : : "r"(p + off) : "memory");
        }
    }
    t0 = bench_cpu_now() - t0;
    for (off = 0; off < len; off += RMM_GRANULE_SIZE) {
        g_assert(p[off] == (uint8_t)(first_val + passes - 1));
    }
    return t0;
}
