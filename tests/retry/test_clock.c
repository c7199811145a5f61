/*
 * sixmm_clock: the true server time always lies within +-error_ms of the
 * estimate. 10^6 random cases, each a world with its own true offset, a
 * drift within the bound, asymmetric request and answer latencies, a server
 * that truncates or rounds its millisecond, one to four samples, reads
 * before, during and long after them, and a step of the client's system
 * clock (which the monotonic-anchored clock never sees; an estimate taken
 * from the system clock, as the old libcurl example did, is checked to go
 * wrong in the same cases, so the test can tell). Then threads that sample
 * and read one clock at once (also under ThreadSanitizer in CI).
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int64_t between(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next64() % (uint64_t)(hi - lo + 1));
}

/* One world, in microseconds of true time t: the client's monotonic clock
 * reads mono0 + t (plus its own drift), the server's true clock reads
 * server0 + t * (1 + rho); rho and the monotonic drift together stay within
 * the clock's bound. */
struct world {
    int64_t mono0_us, server0_us;
    int64_t rho_ppb; /* the server's rate against the client's monotonic clock */
    int round;       /* the server rounds its millisecond (else truncates) */
};

/* Time is measured on the monotonic clock: server time at monotonic us. */
static int64_t server_us(const struct world *w, int64_t mono_us)
{
    int64_t d = mono_us - w->mono0_us;
    /* d * rho / 1e9 without overflow: |d| < 2^44, |rho| < 2^31 would not
     * fit, so split d. */
    int64_t hi = d / 1000000, lo = d % 1000000;
    return w->server0_us + d + hi * w->rho_ppb / 1000 + lo * w->rho_ppb / 1000000000;
}

/* A latency in us: often one of the extremes (the stamp at the very start
 * or end of the trip), where the bound is tight. */
static int64_t latency(void)
{
    switch (next64() % 4) {
    case 0:
        return 0;
    case 1:
        return between(0, 999);
    default:
        return between(0, 2000000);
    }
}

/* A true time whose millisecond reading is often at the edge: .000 or .999. */
static int64_t edge(int64_t us)
{
    switch (next64() % 3) {
    case 0:
        return us - us % 1000;
    case 1:
        return us - us % 1000 + 999;
    default:
        return us;
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t stamp_ms(const struct world *w, int64_t mono_us)
{
    int64_t s = server_us(w, mono_us);
    return w->round ? floor_div(s + 500, 1000) : floor_div(s, 1000);
}

START_TEST(the_true_time_is_within_the_bound)
{
    unsigned long cases = 1000000, naive_wrong = 0, i;

    for (i = 0; i < cases; i++) {
        struct world w;
        sixmm_clock c;
        uint32_t ppm = next64() % 4 ? 0 : (uint32_t)between(1, 5000);
        uint32_t bound_ppm = ppm ? ppm : 1000; /* the spec's machine.drift */
        int64_t t, step_us, naive_offset_us = 0;
        int samples = (int)between(1, 4), k, reads;

        w.mono0_us = between(0, INT64_C(1) << 42);
        w.server0_us = between(-(INT64_C(1) << 50), INT64_C(1) << 50);
        /* The uncertainty of the rate: the server within +-ppm of true time,
         * so +-ppm against a monotonic clock in the same bound. */
        w.rho_ppb = between(-(int64_t)bound_ppm * 1000 + 1, (int64_t)bound_ppm * 1000 - 1);
        w.round = (int)(next64() & 1);
        ck_assert_int_eq(sixmm_clock_init(&c, ppm), 0);
        t = w.mono0_us + between(0, INT64_C(1) << 30);
        /* A step of the system clock, somewhere between the first sample and
         * the reads: the wall clock jumps, the monotonic one does not. */
        step_us = between(-5000000, 5000000);
        for (k = 0; k < samples; k++) {
            int64_t up = latency(), down = latency();
            int64_t sent = edge(t), stamped = sent + up, received = stamped + down;
            ck_assert_int_eq(sixmm_clock_sample(&c, (uint64_t)floor_div(sent, 1000),
                                                stamp_ms(&w, stamped),
                                                (uint64_t)floor_div(received, 1000)),
                             0);
            if (k == 0) /* the naive client: wall clock = mono before the step */
                naive_offset_us = stamp_ms(&w, stamped) * 1000 - (sent + received) / 2;
            t = received + between(0, 60000000);
        }
        for (reads = 0; reads < 3; reads++) {
            int64_t n_us, est, truth;
            uint32_t err;
            /* Mostly after the samples, sometimes long after, sometimes a
             * thread's older reading from before the last sample. */
            switch (next64() % 4) {
            case 0:
                n_us = t - between(0, 4000000);
                break;
            case 1:
                n_us = t + between(0, INT64_C(3600000000));
                break;
            default:
                n_us = t + between(0, 100000000);
                break;
            }
            n_us = edge(n_us < 0 ? 0 : n_us);
            ck_assert_int_eq(
                sixmm_clock_read(&c, (uint64_t)floor_div(n_us, 1000), &est, &err), 0);
            truth = server_us(&w, n_us);
            /* 1 us for this test's own integer arithmetic. */
            ck_assert_msg(truth - est * 1000 <= (int64_t)err * 1000 + 1 &&
                              est * 1000 - truth <= (int64_t)err * 1000 + 1,
                          "case %lu: truth %lld us, estimate %lld ms +- %u", i,
                          (long long)truth, (long long)est, err);
            /* The wall-clock estimate after the step, with the naive bound
             * (half the round trip, no drift). */
            if (llabs((n_us + step_us + naive_offset_us) - truth) > 2000000 + 1000)
                naive_wrong++;
        }
    }
    /* The step moves the naive estimate by up to 5 s: it must be caught. */
    ck_assert_uint_gt(naive_wrong, cases / 4);
}
END_TEST

START_TEST(no_sample_reads_minus_one)
{
    sixmm_clock c;
    int64_t est = 7;
    uint32_t err = 7;

    ck_assert_int_eq(sixmm_clock_read(NULL, 0, &est, &err), -1);
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(sixmm_clock_read(&c, 0, &est, &err), -1); /* not initialised */
    ck_assert_int_eq(sixmm_clock_sample(&c, 0, 0, 1), -1);
    ck_assert_int_eq(sixmm_clock_init(NULL, 0), -1);
    ck_assert_int_eq(sixmm_clock_init(&c, 0), 0);
    ck_assert_int_eq(sixmm_clock_read(&c, 1000, &est, &err), -1);
    ck_assert_int_eq(est, 7);
    ck_assert_int_eq(err, 7);
    ck_assert_int_eq(sixmm_clock_sample(&c, 10, 0, 9), -1); /* received before sent */
    ck_assert_int_eq(sixmm_clock_sample(&c, 1000, 5000, 1010), 0);
    ck_assert_int_eq(sixmm_clock_read(&c, 1010, &est, &err), 0);
    /* mid = 1005, so 5000 + 5; bound 6 (half of 11) + 2 + 1 (drift) */
    ck_assert_int_eq(est, 5005);
    ck_assert_uint_eq(err, 9);
    ck_assert_int_eq(sixmm_clock_read(&c, 1010, NULL, NULL), 0);
}
END_TEST

START_TEST(the_best_sample_wins_and_drift_grows_the_bound)
{
    sixmm_clock c;
    int64_t est;
    uint32_t err, later;

    sixmm_clock_init(&c, 0);
    sixmm_clock_sample(&c, 0, 100000, 400);      /* a slow trip: +-201 */
    sixmm_clock_sample(&c, 1000, 100800, 1002);  /* a fast one: +-2 */
    sixmm_clock_read(&c, 1002, &est, &err);
    ck_assert_uint_lt(err, 10);
    ck_assert_int_eq(est, 100801);
    sixmm_clock_read(&c, 1002 + 600000, &est, &later); /* 10 minutes: +600 ms at 1000 ppm */
    ck_assert_uint_ge(later, err + 600);
    ck_assert_uint_le(later, err + 602);
    /* A worse sample never replaces a better one. */
    sixmm_clock_sample(&c, 2000, 0, 9000);
    sixmm_clock_sample(&c, 2000, 0, 9000);
    sixmm_clock_sample(&c, 2000, 0, 9000);
    sixmm_clock_read(&c, 1002, &est, &err);
    ck_assert_int_eq(est, 100801);
}
END_TEST

/* ---- Threads ---------------------------------------------------------------- */

#define THREADS 8
#define ROUNDS  20000

static sixmm_clock shared;
static const int64_t shared_offset = INT64_C(1700000000000);

static void *sampler_or_reader(void *arg)
{
    uintptr_t id = (uintptr_t)arg;
    uint64_t x = 0x2545F4914F6CDD1Du * (id + 1);
    long bad = 0;
    int i;

    for (i = 0; i < ROUNDS; i++) {
        uint64_t base, trip;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        base = 1000000 + x % 1000000;
        trip = (x >> 20) % 300;
        if (id % 2) {
            /* The server stamps exactly mid-trip of a drift-free world. */
            sixmm_clock_sample(&shared, base, (int64_t)(base + trip / 2) + shared_offset,
                               base + trip);
        } else {
            int64_t est;
            uint32_t err;
            if (sixmm_clock_read(&shared, base, &est, &err) == 0) {
                int64_t d = est - ((int64_t)base + shared_offset);
                bad += d > (int64_t)err || -d > (int64_t)err;
            }
        }
    }
    return (void *)(intptr_t)bad;
}

START_TEST(threads_share_one_clock)
{
    pthread_t t[THREADS];
    uintptr_t i;
    long bad = 0;

    sixmm_clock_init(&shared, 0);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, sampler_or_reader, (void *)i), 0);
    for (i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (long)(intptr_t)r;
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

static Suite *clock_suite(void)
{
    Suite *s = suite_create("clock");
    TCase *bound = tcase_create("bound");
    TCase *threads = tcase_create("threads");

    tcase_add_test(bound, no_sample_reads_minus_one);
    tcase_add_test(bound, the_best_sample_wins_and_drift_grows_the_bound);
    tcase_add_test(bound, the_true_time_is_within_the_bound);
    tcase_set_timeout(bound, 300);
    tcase_add_test(threads, threads_share_one_clock);
    tcase_set_timeout(threads, 300);
    suite_add_tcase(s, bound);
    suite_add_tcase(s, threads);
    return s;
}

int main(void)
{
    return run_suite(clock_suite());
}
