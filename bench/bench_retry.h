/*
 * The retry loop's figures for the benchmark (bench_retry.c): ns per
 * throttle acquire/release pair, alone and with a second thread on the same
 * throttle, and ns per reconcile step, each beside a floor. Each loop makes
 * reps * ops calls; bench.c lists them with BENCH_RETRY_FIGURES.
 */
#ifndef SIXMM_BENCH_RETRY_H
#define SIXMM_BENCH_RETRY_H

#include <stddef.h>
#include <stdint.h>

void bench_retry_setup(unsigned ops);
uint64_t bench_throttle_pair(size_t reps);
uint64_t bench_throttle_pair_contended(size_t reps);
uint64_t bench_atomic_pair(size_t reps);
uint64_t bench_atomic_pair_contended(size_t reps);
uint64_t bench_reconcile(size_t reps);
uint64_t bench_reconcile_floor(size_t reps);

/* Rows of bench.c's struct figure: {op, impl, role, loop, zeros...}. */
#define BENCH_RETRY_FIGURES                                                                \
    {"throttle", "acquire+release", "sixmm", bench_throttle_pair, 0, 0, 0, 0, 0, 0},       \
    {"throttle", "2 atomic RMWs (floor)", "floor", bench_atomic_pair, 0, 0, 0, 0, 0, 0},   \
    {"throttle2", "acquire+release, 2 thr", "sixmm", bench_throttle_pair_contended, 0, 0, \
     0, 0, 0, 0},                                                                          \
    {"throttle2", "2 atomic RMWs, 2 thr", "floor", bench_atomic_pair_contended, 0, 0, 0,   \
     0, 0, 0},                                                                             \
    {"reconcile", "sixmm_reconcile", "sixmm", bench_reconcile, 0, 0, 0, 0, 0, 0},          \
    {"reconcile", "one comparison (floor)", "floor", bench_reconcile_floor, 0, 0, 0, 0, 0, \
     0},

#endif
