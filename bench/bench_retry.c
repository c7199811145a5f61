/*
 * The retry loop's benchmark loops (see bench_retry.h). The floors:
 *  - throttle: two atomic read-modify-writes on one shared word, the least
 *    that a lock-free acquire/release pair can cost (the throttle does a
 *    compare-and-swap for the slot, one for the turn and one for the
 *    release);
 *  - reconcile: the resend rule as one inline comparison behind a call,
 *    without the policy table, the found switch or the backoff.
 * The contended figures run a second thread on the same word or throttle
 * for the whole measured loop; the time is the measuring thread's CPU time
 * (bench.c), so it shows the cost of sharing the cache line, not waiting.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench_retry.h"

#include <sixmm/errinfo.h>

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#define NOINLINE __attribute__((noinline, noipa))

static unsigned nops;
static sixmm_throttle throttle;
static uint64_t floor_word;
static sixmm_reconcile_in *inputs;
static int stop, running;

void bench_retry_setup(unsigned ops)
{
    unsigned i;
    uint64_t x = 0x243F6A8885A308D3u;

    nops = ops;
    /* A rate so high and a burst so large that no turn ever waits: the
     * figure is the cost of the calls, not of a schedule. */
    sixmm_throttle_init_custom(&throttle, UINT32_MAX, UINT32_MAX, 64);
    inputs = calloc(ops, sizeof *inputs);
    if (!inputs)
        exit(2);
    for (i = 0; i < ops; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        inputs[i].domain = (sixmm_domain)(x % SIXMM_DOMAIN_COUNT);
        inputs[i].found = (sixmm_found)(x >> 8 & 3);
        inputs[i].signed_at_ms = 1700000000000u;
        inputs[i].now_ms = 1700000000000u + (x >> 16) % 30000;
        inputs[i].clock_error_ms = (uint32_t)(x >> 32) % 500;
        inputs[i].attempt = (unsigned)(x >> 40) % 10;
    }
}

NOINLINE static uint64_t throttle_pairs(size_t reps)
{
    uint64_t sum = 0, now = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < nops; i++) {
            sum += sixmm_throttle_acquire(&throttle, now);
            sixmm_throttle_release(&throttle, now);
            now++;
        }
    return sum;
}

NOINLINE static uint64_t atomic_pairs(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < nops; i++) {
            sum += __atomic_fetch_add(&floor_word, 1, __ATOMIC_ACQ_REL);
            __atomic_fetch_sub(&floor_word, 1, __ATOMIC_ACQ_REL);
        }
    return sum;
}

uint64_t bench_throttle_pair(size_t reps)
{
    return throttle_pairs(reps);
}

uint64_t bench_atomic_pair(size_t reps)
{
    return atomic_pairs(reps);
}

static void *keep_going(void *arg)
{
    uint64_t (*loop)(size_t) = *(uint64_t(**)(size_t))arg;
    __atomic_store_n(&running, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
        (void)loop(1);
    return NULL;
}

/* Run `loop` while a second thread runs it too, on the same state. */
static uint64_t contended(uint64_t (*loop)(size_t), size_t reps)
{
    pthread_t other;
    uint64_t sum;

    __atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&running, 0, __ATOMIC_RELAXED);
    if (pthread_create(&other, NULL, keep_going, &loop) != 0)
        exit(2);
    /* Measure only once the other thread is at work. */
    while (!__atomic_load_n(&running, __ATOMIC_ACQUIRE))
        sched_yield();
    sum = loop(reps);
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    pthread_join(other, NULL);
    return sum;
}

uint64_t bench_throttle_pair_contended(size_t reps)
{
    return contended(throttle_pairs, reps);
}

uint64_t bench_atomic_pair_contended(size_t reps)
{
    return contended(atomic_pairs, reps);
}

NOINLINE static void resend_rule(const sixmm_reconcile_in *in, sixmm_reconcile_out *out)
{
    int closed = in->now_ms - in->clock_error_ms >= in->signed_at_ms + 12000u;
    out->step = closed ? SIXMM_STEP_RESEND : SIXMM_STEP_POLL;
    out->delay_ms =
        closed ? 0 : (uint32_t)(in->signed_at_ms + 12000u + in->clock_error_ms - in->now_ms);
    out->reason = "";
}

/* One loop per implementation, each calling it directly, as bench.c's
 * loops do (a function pointer would add an indirect call). */
#define RECONCILE_LOOP(fname, call)                                                                \
  uint64_t fname(size_t reps)                                                                      \
  {                                                                                                \
    uint64_t sum = 0;                                                                              \
    size_t r, i;                                                                                   \
    for (r = 0; r < reps; r++)                                                                     \
      for (i = 0; i < nops; i++) {                                                                 \
        sixmm_reconcile_out out;                                                                   \
        call;                                                                                      \
        sum = sum * 31u + (uint64_t)out.step + out.delay_ms;                                       \
      }                                                                                            \
    return sum;                                                                                    \
  }

RECONCILE_LOOP(bench_reconcile, sixmm_reconcile(&inputs[i], (uint32_t)i * 2654435761u, &out))
RECONCILE_LOOP(bench_reconcile_floor, resend_rule(&inputs[i], &out))
