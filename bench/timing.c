/*
 * Timing: each figure is calibrated to about round_ms of work, then timed
 * in interleaved rounds (round r of every figure, then round r + 1), so that
 * noise from other processes spreads over all of them; the median of the
 * rounds is the figure.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this thread, not wall time: on a shared machine the process
 * is often descheduled, and that time is not the lookup's. (Cache and branch
 * predictor pollution by other processes still shows; take the median of
 * several runs.) */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void calibrate(struct figure *f, double target_ns, size_t min_ops)
{
    size_t reps = 1;
    double t;
    for (;;) {
        double t0 = now_ns();
        f->checksum ^= f->loop(reps);
        t = now_ns() - t0;
        if (t > target_ns / 8 || reps > ((size_t)1 << 20))
            break;
        reps *= 2;
    }
    reps = (size_t)((double)reps * target_ns / (t > 1 ? t : 1)) + 1;
    if (reps * NKEYS < min_ops)
        reps = (min_ops + NKEYS - 1) / NKEYS;
    f->reps = reps;
}

void time_figures(struct figure *figs, size_t n, int rounds, double round_ms, size_t min_ops)
{
    size_t j;
    int i;
    for (j = 0; j < n; j++) {
        figs[j].ns = xmalloc((size_t)rounds * sizeof(double));
        calibrate(&figs[j], round_ms * 1e6, min_ops);
    }
    for (i = 0; i < rounds; i++)
        for (j = 0; j < n; j++) {
            double t0 = now_ns();
            figs[j].checksum ^= figs[j].loop(figs[j].reps);
            figs[j].ns[i] = (now_ns() - t0) / ((double)figs[j].reps * NKEYS);
        }
    for (j = 0; j < n; j++) {
        qsort(figs[j].ns, (size_t)rounds, sizeof(double), cmp_double);
        figs[j].min = figs[j].ns[0];
        figs[j].max = figs[j].ns[rounds - 1];
        figs[j].median = rounds % 2 ? figs[j].ns[rounds / 2]
                                    : (figs[j].ns[rounds / 2 - 1] + figs[j].ns[rounds / 2]) / 2;
    }
}

const struct figure *find(const struct figure *fs, size_t n, const char *op, const char *role)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(fs[i].op, op) == 0 && strcmp(fs[i].role, role) == 0)
            return &fs[i];
    return NULL;
}
