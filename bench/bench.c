/*
 * bench: nanoseconds per lookup, side by side with the alternatives.
 *
 * Every figure is measured in the same run and over the same keys (keys.c),
 * against the baselines of baselines.c, timed by timing.c; the library's
 * budget is checked by budget.c. This file holds the measured loops, the
 * report and main.
 *   sixmm    the library (linked statically, so a call costs what the
 *            floor's call costs);
 *   floor    a direct index into a dense array, behind a non-inlined call
 *            with the same signature as sixmm_lookup (and, for reference,
 *            the same index inlined into the loop);
 *   naive    a linear scan over the same entries (what a hand-written
 *            table does);
 *   typical  bsearch() with strcmp()/strcasecmp() over sorted keys;
 *   strerror libc's strerror() over errno values, for reference.
 *
 * Each figure is the median of several rounds of many million operations,
 * timed in thread CPU time (CLOCK_THREAD_CPUTIME_ID).
 * Rounds of all figures are interleaved, so that noise from other processes
 * spreads over all of them. Every result feeds a checksum that is printed,
 * so no work can be optimised away. Before timing, every implementation's
 * answer is checked against the library's for every key.
 *
 * usage: bench [--json] [--quick] [--rounds N] [--ms MS]
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_config.h"
#include "bench_intent.h"
#include "bench_retry.h"

#ifndef BENCH_CFLAGS
#  define BENCH_CFLAGS "?"
#endif

/* The measured loops. */
/* Each loop walks the key set `reps` times and returns a checksum of every
 * answer. The checksum is printed, so nothing can be optimised away. */
#define MIX(sum, e, m) ((sum) = (sum) * 31u + (uint64_t)(uintptr_t)(e) + (uint64_t)(m))

/* One function per implementation, each calling it directly (a function
 * pointer would add an indirect call that the library does not pay). */
#define CODE_LOOP(fname, lookup)                                                 \
    NOINLINE static uint64_t fname(size_t reps)                                  \
    {                                                                            \
        uint64_t sum = 0;                                                        \
        size_t r, i;                                                             \
        for (r = 0; r < reps; r++)                                               \
            for (i = 0; i < NKEYS; i++) {                                        \
                sixmm_match m;                                                   \
                const sixmm_entry *e = lookup(code_keys[i].domain, code_keys[i].code, &m); \
                MIX(sum, e, m);                                                  \
            }                                                                    \
        return sum;                                                              \
    }

CODE_LOOP(loop_code_sixmm, sixmm_lookup)
CODE_LOOP(loop_code_floor, floor_call)
CODE_LOOP(loop_code_floor_inline, floor_inline)
CODE_LOOP(loop_code_naive, naive_code)

NOINLINE static uint64_t loop_strerror_sixmm(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < NKEYS; i++)
            MIX(sum, sixmm_strerror(code_keys[i].domain, code_keys[i].code), 0);
    return sum;
}

NOINLINE static uint64_t loop_strerror_libc(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < NKEYS; i++)
            MIX(sum, strerror(errno_keys[i]), 0);
    return sum;
}

#define STR_LOOP(fname, keys, call)                                   \
    NOINLINE static uint64_t fname(size_t reps)                       \
    {                                                                 \
        uint64_t sum = 0;                                             \
        size_t r, i;                                                  \
        for (r = 0; r < reps; r++)                                    \
            for (i = 0; i < NKEYS; i++) {                             \
                const struct str_key *k = &keys[i];                   \
                MIX(sum, call, 0);                                    \
            }                                                         \
        return sum;                                                   \
    }

STR_LOOP(loop_name_sixmm, name_keys, sixmm_lookup_name(k->domain, k->s, k->len))
STR_LOOP(loop_name_typical, name_keys, typical_str(T_NAME, k->domain, k->s))
STR_LOOP(loop_name_naive, name_keys, naive_str(T_NAME, k->domain, k->s))
STR_LOOP(loop_message_sixmm, message_keys, sixmm_lookup_message(k->domain, k->s, k->len))
STR_LOOP(loop_message_typical, message_keys, typical_str(T_MESSAGE, k->domain, k->s))
STR_LOOP(loop_message_naive, message_keys, naive_str(T_MESSAGE, k->domain, k->s))
STR_LOOP(loop_id_sixmm, id_keys, sixmm_lookup_id(k->domain, k->s, k->len))
STR_LOOP(loop_id_typical, id_keys, typical_str(T_ID, k->domain, k->s))
STR_LOOP(loop_id_naive, id_keys, naive_str(T_ID, k->domain, k->s))

NOINLINE static uint64_t loop_classify(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < NKEYS; i++) {
            sixmm_advice a;
            sixmm_classify(&call_keys[i], (uint32_t)i * 2654435761u, &a);
            MIX(sum, a.entry, (uint64_t)a.action * 7u + a.delay_ms + (uint64_t)a.resend);
        }
    return sum;
}


int main(int argc, char **argv)
{
    int json = 0, i, rounds = 7;
    double round_ms = 100;
    size_t min_ops = 4000000, n, j;
    struct figure figs[] = {
        {"code", "sixmm_lookup", "sixmm", loop_code_sixmm, 0, 0, 0, 0, 0, 0},
        {"code", "dense array, via a call", "floor", loop_code_floor, 0, 0, 0, 0, 0, 0},
        {"code", "dense array, inlined", "floor_inline", loop_code_floor_inline, 0, 0, 0, 0, 0, 0},
        {"code", "linear scan", "naive", loop_code_naive, 0, 0, 0, 0, 0, 0},
        {"code", "sixmm_strerror", "strerror", loop_strerror_sixmm, 0, 0, 0, 0, 0, 0},
        {"code", "libc strerror", "libc", loop_strerror_libc, 0, 0, 0, 0, 0, 0},
        {"name", "sixmm_lookup_name", "sixmm", loop_name_sixmm, 0, 0, 0, 0, 0, 0},
        {"name", "bsearch+strcasecmp", "typical", loop_name_typical, 0, 0, 0, 0, 0, 0},
        {"name", "linear strcasecmp", "naive", loop_name_naive, 0, 0, 0, 0, 0, 0},
        {"message", "sixmm_lookup_message", "sixmm", loop_message_sixmm, 0, 0, 0, 0, 0, 0},
        {"message", "bsearch+strcasecmp", "typical", loop_message_typical, 0, 0, 0, 0, 0, 0},
        {"message", "linear strcasecmp", "naive", loop_message_naive, 0, 0, 0, 0, 0, 0},
        {"id", "sixmm_lookup_id", "sixmm", loop_id_sixmm, 0, 0, 0, 0, 0, 0},
        {"id", "bsearch+strcmp", "typical", loop_id_typical, 0, 0, 0, 0, 0, 0},
        {"id", "linear strcmp", "naive", loop_id_naive, 0, 0, 0, 0, 0, 0},
        {"classify", "sixmm_classify", "sixmm", loop_classify, 0, 0, 0, 0, 0, 0},
        BENCH_RETRY_FIGURES
        BENCH_INTENT_FIGURES
    };
    size_t nfig = sizeof figs / sizeof figs[0];
    struct check checks[BUDGET_MAX];
    size_t nchecks;
    const struct figure *floor_;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--quick") == 0) {
            rounds = 3;
            round_ms = 5;
            min_ops = 100000;
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc) {
            round_ms = atof(argv[++i]);
        } else if (strcmp(argv[i], "--min-ops") == 0 && i + 1 < argc) {
            min_ops = (size_t)atof(argv[++i]);
        } else {
            fprintf(stderr, "usage: bench [--json] [--quick] [--rounds N] [--ms MS] "
                            "[--min-ops N]\n");
            return 2;
        }
    }
    if (rounds < 1)
        rounds = 1;

    build_keys();
    bench_retry_setup(NKEYS);
    bench_intent_setup(NKEYS);
    build_baselines();
    if (check_agreement())
        return 1;
    time_figures(figs, nfig, rounds, round_ms, min_ops);

    floor_ = find(figs, nfig, "code", "floor");
    nchecks = budget(figs, nfig, checks);

    if (json) {
        printf("{\n  \"unit\": \"ns/op\",\n  \"clock\": \"CLOCK_THREAD_CPUTIME_ID\",\n"
               "  \"statistic\": \"median\",\n");
        printf("  \"rounds\": %d,\n  \"keys_per_set\": %u,\n", rounds, NKEYS);
        printf("  \"compiler\": \"%s\",\n  \"cflags\": \"%s\",\n", __VERSION__, BENCH_CFLAGS);
        printf("  \"results\": [\n");
        for (j = 0; j < nfig; j++) {
            const struct figure *f = &figs[j];
            int ours = strcmp(f->role, "sixmm") == 0;
            const struct figure *base = ours ? find(figs, nfig, f->op, "typical") : NULL;
            const struct figure *nv = ours ? find(figs, nfig, f->op, "naive") : NULL;
            printf("    {\"op\": \"%s\", \"impl\": \"%s\", \"role\": \"%s\", \"ns_per_op\": %.3f, "
                   "\"min\": %.3f, \"max\": %.3f, \"ops_per_round\": %zu, "
                   "\"x_floor\": %.3f",
                   f->op, f->impl, f->role, f->median, f->min, f->max, f->reps * NKEYS,
                   f->median / floor_->median);
            if (nv)
                printf(", \"speedup_vs_naive\": %.3f", nv->median / f->median);
            if (base)
                printf(", \"speedup_vs_typical\": %.3f", base->median / f->median);
            printf(", \"checksum\": \"%016llx\"}%s\n", (unsigned long long)f->checksum,
                   j + 1 < nfig ? "," : "");
        }
        printf("  ],\n  \"budget\": [\n");
        for (j = 0; j < nchecks; j++)
            printf("    {\"check\": \"%s\", \"value\": %.3f, \"limit\": %.3f, "
                   "\"measured\": %s, \"pass\": %s}%s\n",
                   checks[j].what, checks[j].value, checks[j].limit,
                   checks[j].measured ? "true" : "false", passes(&checks[j]) ? "true" : "false",
                   j + 1 < nchecks ? "," : "");
        printf("  ],\n  \"key_mix\": {");
        for (j = 0; j < nmixes; j++)
            printf("%s\"%s\": \"%s\"", j ? ", " : "", mixes[j].what, mixes[j].text);
        printf("}\n}\n");
        for (j = 0; j < nfig; j++)
            free(figs[j].ns);
        return 0;
    }

    printf("sixmm-errinfo bench: median of %d rounds, ns (thread CPU time) per operation\n",
           rounds);
    printf("compiler: gcc %s; flags: %s\n\n", __VERSION__, BENCH_CFLAGS);
    printf("%-9s %-24s %8s %8s %9s %9s %12s\n", "op", "implementation", "ns/op", "x floor",
           "vs naive", "vs typical", "ops/round");
    for (j = 0; j < nfig; j++) {
        const struct figure *f = &figs[j];
        int ours = strcmp(f->role, "sixmm") == 0;
        const struct figure *base = ours ? find(figs, nfig, f->op, "typical") : NULL;
        const struct figure *nv = ours ? find(figs, nfig, f->op, "naive") : NULL;
        char vn[16] = "", vt[16] = "";
        if (nv && nv != f)
            snprintf(vn, sizeof vn, "%.1fx", nv->median / f->median);
        if (base && base != f)
            snprintf(vt, sizeof vt, "%.1fx", base->median / f->median);
        printf("%-9s %-24s %8.2f %8.2f %9s %9s %12zu\n", f->op, f->impl, f->median,
               f->median / floor_->median, vn, vt, f->reps * NKEYS);
    }
    printf("\n'vs naive' and 'vs typical' are speed-ups (baseline ns / this ns);\n"
           "'x floor' is this ns / the floor's ns (dense array behind a call).\n\n");
    printf("budget (ratios from this run):\n");
    for (j = 0; j < nchecks; j++) {
        printf("  %-4s %-52s %7.2f  (%s %.2f)\n",
               !checks[j].measured ? "SKIP" : passes(&checks[j]) ? "PASS" : "FAIL",
               checks[j].what, checks[j].value, checks[j].at_most ? "<=" : ">",
               checks[j].limit);
        if (checks[j].detail[0])
            printf("       %s\n", checks[j].detail);
    }
    printf("\nkey mix (%u keys per set, fixed seed):\n", NKEYS);
    for (j = 0; j < nmixes; j++)
        printf("  %-9s %s\n", mixes[j].what, mixes[j].text);
    n = 0;
    for (j = 0; j < nfig; j++)
        n ^= (size_t)figs[j].checksum;
    printf("checksum %zx\n", n);
    for (j = 0; j < nfig; j++)
        free(figs[j].ns);
    return 0;
}

