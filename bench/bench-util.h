/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the in-process benchmarks share: this thread's CPU time, a series
 * of rounds and its median, and the scrub baseline.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_ROUNDS 64

/* The timings of one figure's rounds (in whatever unit the caller uses). */
typedef struct BenchSeries {
    double v[BENCH_MAX_ROUNDS];
    int n;
} BenchSeries;

/* This thread's CPU time, in seconds. */
double bench_cpu_now(void);

/* Appends one round's timing to s. */
void bench_series_add(BenchSeries *s, double v);

/* Sorts s (so v[0] is its minimum and v[n - 1] its maximum); its median. */
double bench_median(BenchSeries *s);

/*
 * Seconds of CPU for passes scrubs of [p, p + len) as the RMM scrubs: a
 * 4 KiB memset per granule, the first pass writing first_val, each next
 * one the value after.  Asserts the last pass's bytes are there.
 */
double bench_scrub(uint8_t *p, size_t len, int first_val, int passes);

#endif
