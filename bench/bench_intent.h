/*
 * The order machine's figures for the benchmark (bench_intent.c): ns per
 * machine step (an answer, then sixmm_intent_next()), beside
 * sixmm_classify() on the same answers, which the step calls inside; the
 * budget (docs/PERFORMANCE.md) holds the step to 10 times classify. Each
 * loop makes reps * ops calls; bench.c lists them with BENCH_INTENT_FIGURES.
 */
#ifndef SIXMM_BENCH_INTENT_H
#define SIXMM_BENCH_INTENT_H

#include <stddef.h>
#include <stdint.h>

/* The step may cost at most this many times sixmm_classify(). */
#define BENCH_INTENT_LIMIT 10.0

void bench_intent_setup(unsigned ops);
uint64_t bench_intent_step(size_t reps);
uint64_t bench_intent_classify(size_t reps);

/* Rows of bench.c's struct figure: {op, impl, role, loop, zeros...}. */
#define BENCH_INTENT_FIGURES                                                                \
    {"intent", "answer + sixmm_intent_next", "sixmm", bench_intent_step, 0, 0, 0, 0, 0, 0}, \
    {"intent", "sixmm_classify, same answers", "classify", bench_intent_classify, 0, 0, 0,  \
     0, 0, 0},

#endif
