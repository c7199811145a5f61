/*
 * sixmm_throttle: the API one call at a time, then each guarantee from 8
 * threads over a simulated clock.
 *
 * The simulated clock is one atomic counter of milliseconds. A thread reads
 * it as its now_ms (some threads read it a few ms behind, as clocks of
 * different threads may differ), takes a turn, and then waits for its start
 * by pushing the clock forward itself in small random steps; the "call"
 * holds its slot for a few more steps, then releases it. Every turn is
 * logged (thread, start, wait, tickets before and after the acquire), and the
 * guarantees are checked on the log after the threads end:
 *   - sends (turn starts) in any window of W ms <= burst + ceil(rate W / 1000);
 *   - slots held <= concurrency, at every moment;
 *   - no turn handed out after a feedback starts inside its hold;
 *   - every thread gets turns, and where the rate binds, a turn asked after
 *     another one was handed out never starts before it.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

#define THREADS          8
#define TURNS_PER_THREAD 150
#define MAX_TURNS        (THREADS * TURNS_PER_THREAD)

/* ---- One call at a time -------------------------------------------------- */

START_TEST(init_refuses_zero_null_and_undocumented_quotas)
{
    sixmm_throttle t;
    ck_assert_int_eq(sixmm_throttle_init_custom(NULL, 1, 1, 1), -1);
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 0, 1, 1), -1);
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1, 0, 1), -1);
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1, 1, 0), -1);
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1, 1, 1), 0);
    ck_assert_int_eq(sixmm_throttle_init(NULL, SIXMM_DOMAIN_AGENT), -1);
    /* Only the Agent API documents a quota. */
    ck_assert_int_eq(sixmm_throttle_init(&t, SIXMM_DOMAIN_REST), -1);
    ck_assert_int_eq(sixmm_throttle_init(&t, SIXMM_DOMAIN_WIDGET), -1);
    ck_assert_int_eq(sixmm_throttle_init(&t, (sixmm_domain)SIXMM_DOMAIN_COUNT), -1);
    ck_assert_int_eq(sixmm_throttle_init(&t, SIXMM_DOMAIN_AGENT), 0);
}
END_TEST

/* The Agent quota: 2/s, a burst of 4, 2 concurrent. */
START_TEST(the_agent_quota_gives_a_burst_then_one_turn_per_500_ms)
{
    sixmm_throttle t;
    static const uint32_t want[] = {0, 0, 0, 0, 500, 1000, 1500};
    size_t i;

    ck_assert_int_eq(sixmm_throttle_init(&t, SIXMM_DOMAIN_AGENT), 0);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_uint_eq(sixmm_throttle_acquire(&t, 10000), want[i]);
        sixmm_throttle_release(&t, 10000);
    }
    /* Later asks wait less by the time that passed. */
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 11000), 1000);
}
END_TEST

START_TEST(busy_takes_nothing)
{
    sixmm_throttle t;
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1, 1, 2), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), 1000);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), SIXMM_THROTTLE_BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), SIXMM_THROTTLE_BUSY);
    sixmm_throttle_release(&t, 0);
    /* The two busy answers took no turn: the next one is the third. */
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), 2000);
    sixmm_throttle_release(&t, 0);
    sixmm_throttle_release(&t, 0);
    /* A release without a slot is ignored: still only 2 slots. */
    sixmm_throttle_release(&t, 0);
    ck_assert_uint_ne(sixmm_throttle_acquire(&t, 5000), SIXMM_THROTTLE_BUSY);
    ck_assert_uint_ne(sixmm_throttle_acquire(&t, 5000), SIXMM_THROTTLE_BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 5000), SIXMM_THROTTLE_BUSY);
}
END_TEST

START_TEST(null_and_uninitialised_throttles_are_busy)
{
    sixmm_throttle t;
    sixmm_advice a;
    memset(&t, 0, sizeof t);
    memset(&a, 0, sizeof a);
    ck_assert_uint_eq(sixmm_throttle_acquire(NULL, 0), SIXMM_THROTTLE_BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), SIXMM_THROTTLE_BUSY);
    sixmm_throttle_release(NULL, 0);
    sixmm_throttle_feedback(NULL, &a, 0);
    sixmm_throttle_feedback(&t, NULL, 0);
}
END_TEST

static sixmm_advice backoff_advice(uint32_t delay_ms)
{
    sixmm_advice a;
    memset(&a, 0, sizeof a);
    a.action = SIXMM_RETRY_BACKOFF;
    a.resend = 1;
    a.delay_ms = delay_ms;
    a.reason = "";
    return a;
}

START_TEST(feedback_holds_every_later_turn)
{
    sixmm_throttle t;
    sixmm_advice a = backoff_advice(3000);
    sixmm_advice other = backoff_advice(9000);

    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 10, 5, 100), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 1000), 0);
    sixmm_throttle_feedback(&t, &a, 1000);
    /* Every later turn starts at 4000 or later, one interval apart. */
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 1000), 3000);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 1000), 3100);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 2000), 2200);
    /* Advice that is not backoff, or has no delay, holds nothing. */
    other.action = SIXMM_RETRY_RESIGN;
    sixmm_throttle_feedback(&t, &other, 1000);
    other = backoff_advice(0);
    sixmm_throttle_feedback(&t, &other, 1000);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 4000), 300);
    /* A feedback from a clock behind the others never shortens a hold. */
    a = backoff_advice(100);
    sixmm_throttle_feedback(&t, &a, 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 4000), 400);
}
END_TEST

START_TEST(times_near_the_top_of_the_range_do_not_overflow)
{
    sixmm_throttle t;
    sixmm_advice a = backoff_advice(UINT32_MAX);
    uint32_t w;

    ck_assert_int_eq(sixmm_throttle_init_custom(&t, UINT32_MAX, UINT32_MAX, UINT32_MAX), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, UINT64_MAX), 0);
    sixmm_throttle_feedback(&t, &a, UINT64_MAX);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, UINT64_MAX), 0);
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1, 1, UINT32_MAX), 0);
    sixmm_throttle_feedback(&t, &a, 0);
    /* A wait of more than 49 days is capped just below BUSY. */
    w = sixmm_throttle_acquire(&t, 0);
    ck_assert_uint_eq(w, SIXMM_THROTTLE_BUSY - 1);
}
END_TEST

/* ---- 8 threads over a simulated clock ------------------------------------ */

struct turn {
    int thread;
    uint64_t start; /* now_ms + wait */
    uint32_t wait;
    uint64_t ticket_before, ticket_after;
    uint64_t hold_seen; /* the latest hold end published before the ask */
};

static struct {
    sixmm_throttle t;
    uint32_t rate, burst, concurrency;
    int feedback;     /* thread 0 gives backoff feedback now and then */
    uint64_t call_ms; /* a call lasts up to this long after its start */
    uint64_t step_ms; /* the clock moves on by 1 to this many ms at a time */
    atomic_uint_fast64_t clock, tickets, hold_end;
    atomic_int held, max_held, turns;
    struct turn log[MAX_TURNS];
    int per_thread[THREADS];
} sim;

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Move the simulated clock forward to `until` in random steps of at most
 * step_ms, so that the other threads ask in between. */
static void advance_to(uint64_t until, uint64_t *rng)
{
    uint64_t now = atomic_load(&sim.clock);
    while (now < until) {
        uint64_t step = 1 + xorshift(rng) % sim.step_ms;
        uint64_t next = until - now < step ? until : now + step;
        if (atomic_compare_exchange_weak(&sim.clock, &now, next))
            now = next;
        sched_yield(); /* 8 threads on fewer cores: let the others run too */
    }
}

static void *client(void *arg)
{
    int self = (int)(intptr_t)arg, calls = 0;
    long busy = 0;
    uint64_t rng = 0x9E3779B97F4A7C15u * (uint64_t)(self + 1);

    /* Each thread makes TURNS_PER_THREAD calls; a BUSY answer takes no turn,
     * so it asks again after one more step of the clock. A thread that
     * stays BUSY for a million asks in a row gives up (the test then sees
     * it short of turns). */
    while (calls < TURNS_PER_THREAD && busy < 1000000) {
        uint64_t lag = self % 3 == 2 ? xorshift(&rng) % 4 : 0;
        uint64_t now, before, hold;
        uint32_t w;
        int n, held, seen;

        hold = atomic_load(&sim.hold_end);
        now = atomic_load(&sim.clock);
        now = now > lag ? now - lag : 0;
        before = atomic_fetch_add(&sim.tickets, 1);
        w = sixmm_throttle_acquire(&sim.t, now);
        if (w == SIXMM_THROTTLE_BUSY) {
            busy++;
            advance_to(atomic_load(&sim.clock) + 1 + xorshift(&rng) % 10, &rng);
            continue;
        }
        busy = 0;
        calls++;
        held = atomic_fetch_add(&sim.held, 1) + 1;
        seen = atomic_load(&sim.max_held);
        while (held > seen && !atomic_compare_exchange_weak(&sim.max_held, &seen, held))
            ;
        n = atomic_fetch_add(&sim.turns, 1);
        if (n < MAX_TURNS) {
            sim.log[n].thread = self;
            sim.log[n].start = now + w;
            sim.log[n].wait = w;
            sim.log[n].ticket_before = before;
            sim.log[n].ticket_after = atomic_fetch_add(&sim.tickets, 1);
            sim.log[n].hold_seen = hold;
        }
        advance_to(now + w, &rng);
        /* The call: a few steps of the clock, slot held. */
        advance_to(atomic_load(&sim.clock) + xorshift(&rng) % sim.call_ms, &rng);
        if (sim.feedback && self == 0 && calls % 25 == 24) {
            sixmm_advice a;
            uint64_t end, cur;
            memset(&a, 0, sizeof a);
            a.action = SIXMM_RETRY_BACKOFF;
            a.resend = 1;
            a.delay_ms = (uint32_t)(1 + xorshift(&rng) % 3000);
            now = atomic_load(&sim.clock);
            sixmm_throttle_feedback(&sim.t, &a, now);
            /* Published only after the feedback returned: every ask that
             * reads it comes after the feedback. */
            end = now + a.delay_ms;
            cur = atomic_load(&sim.hold_end);
            while (end > cur && !atomic_compare_exchange_weak(&sim.hold_end, &cur, end))
                ;
        }
        atomic_fetch_sub(&sim.held, 1);
        sixmm_throttle_release(&sim.t, atomic_load(&sim.clock));
    }
    return NULL;
}

static int run_clients(uint32_t rate, uint32_t burst, uint32_t concurrency, uint64_t call_ms,
                       uint64_t step_ms, int feedback)
{
    pthread_t th[THREADS];
    int i, n;

    memset(&sim, 0, sizeof sim);
    sim.rate = rate;
    sim.burst = burst;
    sim.concurrency = concurrency;
    sim.feedback = feedback;
    sim.call_ms = call_ms;
    sim.step_ms = step_ms;
    ck_assert_int_eq(sixmm_throttle_init_custom(&sim.t, rate, burst, concurrency), 0);
    atomic_store(&sim.clock, 1000000);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, client, (void *)(intptr_t)i), 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    n = atomic_load(&sim.turns);
    ck_assert_int_le(n, MAX_TURNS);
    for (i = 0; i < n; i++)
        sim.per_thread[sim.log[i].thread]++;
    return n;
}

static int by_start(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Every window [start_i, start_j] of W = start_j - start_i ms holds j - i + 1
 * sends, which must be at most burst + ceil(rate W / 1000). */
static void check_window_bound(int n)
{
    static uint64_t starts[MAX_TURNS];
    int i, j;

    for (i = 0; i < n; i++)
        starts[i] = sim.log[i].start;
    qsort(starts, (size_t)n, sizeof starts[0], by_start);
    for (i = 0; i < n; i++)
        for (j = i; j < n && starts[j] - starts[i] <= 60000; j++) {
            uint64_t w = starts[j] - starts[i];
            uint64_t bound = sim.burst + (sim.rate * w + 999) / 1000;
            ck_assert_msg((uint64_t)(j - i + 1) <= bound,
                          "%d sends within %llu ms; the bound is %llu", j - i + 1,
                          (unsigned long long)w, (unsigned long long)bound);
        }
}

static void check_fifo_and_fairness(int n)
{
    int i, j, binding = 0;

    for (i = 0; i < THREADS; i++)
        ck_assert_msg(sim.per_thread[i] == TURNS_PER_THREAD, "thread %d got %d turns of %d", i,
                      sim.per_thread[i], TURNS_PER_THREAD);
    for (i = 0; i < n; i++) {
        if (sim.log[i].wait == 0)
            continue;
        binding++;
        for (j = 0; j < n; j++)
            if (sim.log[j].wait > 0 && sim.log[j].ticket_after < sim.log[i].ticket_before)
                ck_assert_msg(sim.log[j].start <= sim.log[i].start,
                              "a turn asked later starts earlier (%llu < %llu)",
                              (unsigned long long)sim.log[i].start,
                              (unsigned long long)sim.log[j].start);
    }
    ck_assert_int_gt(binding, n / 4); /* the rate did bind */
}

START_TEST(eight_threads_agent_quota)
{
    int n = run_clients(2, 4, 2, 40, 100, 0);
    ck_assert_int_gt(n, 1000);
    check_window_bound(n);
    ck_assert_int_le(atomic_load(&sim.max_held), 2);
    ck_assert_int_eq(atomic_load(&sim.max_held), 2);
    check_fifo_and_fairness(n);
}
END_TEST

START_TEST(eight_threads_fast_rate_many_slots)
{
    int n = run_clients(100, 3, 6, 5, 3, 0);
    ck_assert_int_gt(n, 1000);
    check_window_bound(n);
    ck_assert_int_le(atomic_load(&sim.max_held), 6);
    check_fifo_and_fairness(n);
}
END_TEST

START_TEST(eight_threads_with_feedback_respect_every_hold)
{
    int n = run_clients(20, 3, 4, 20, 20, 1), i, after_hold = 0;
    ck_assert_int_gt(n, 1000);
    check_window_bound(n);
    ck_assert_int_le(atomic_load(&sim.max_held), 4);
    for (i = 0; i < n; i++) {
        ck_assert_msg(sim.log[i].start >= sim.log[i].hold_seen,
                      "a turn asked after a feedback starts at %llu, inside the hold to %llu",
                      (unsigned long long)sim.log[i].start,
                      (unsigned long long)sim.log[i].hold_seen);
        after_hold += sim.log[i].hold_seen > 0;
    }
    ck_assert_int_gt(after_hold, n / 10); /* holds were in force for many asks */
    check_fifo_and_fairness(n);
}
END_TEST

/* 8 threads asking as fast as they can at one instant, with one turn per
 * ms and no burst: the turns are exactly 0, 1, 2, ... ms, each handed out
 * once. A lost update of the schedule would hand one out twice. */
#define HAMMER_TURNS 200000
static uint32_t hammer_waits[THREADS][HAMMER_TURNS];

static atomic_int hammer_ready;

static void *hammer(void *arg)
{
    int self = (int)(intptr_t)arg, i;
    /* All start together, so that their asks overlap. */
    atomic_fetch_add(&hammer_ready, 1);
    while (atomic_load(&hammer_ready) < THREADS)
        sched_yield();
    for (i = 0; i < HAMMER_TURNS; i++) {
        hammer_waits[self][i] = sixmm_throttle_acquire(&sim.t, 0);
        sixmm_throttle_release(&sim.t, 0);
    }
    return NULL;
}

START_TEST(eight_threads_at_one_instant_get_every_turn_once)
{
    static unsigned char seen[THREADS * HAMMER_TURNS];
    pthread_t th[THREADS];
    int i, j;

    memset(seen, 0, sizeof seen);
    atomic_store(&hammer_ready, 0);
    ck_assert_int_eq(sixmm_throttle_init_custom(&sim.t, 1000, 1, THREADS), 0);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, hammer, (void *)(intptr_t)i), 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    for (i = 0; i < THREADS; i++)
        for (j = 0; j < HAMMER_TURNS; j++) {
            uint32_t w = hammer_waits[i][j];
            ck_assert_uint_lt(w, THREADS * HAMMER_TURNS);
            ck_assert_msg(!seen[w], "the turn at %u ms was handed out twice", w);
            seen[w] = 1;
        }
}
END_TEST

static Suite *throttle_suite(void)
{
    Suite *s = suite_create("throttle");
    TCase *api = tcase_create("api");
    TCase *threads = tcase_create("threads");

    tcase_add_test(api, init_refuses_zero_null_and_undocumented_quotas);
    tcase_add_test(api, the_agent_quota_gives_a_burst_then_one_turn_per_500_ms);
    tcase_add_test(api, busy_takes_nothing);
    tcase_add_test(api, null_and_uninitialised_throttles_are_busy);
    tcase_add_test(api, feedback_holds_every_later_turn);
    tcase_add_test(api, times_near_the_top_of_the_range_do_not_overflow);
    tcase_add_test(threads, eight_threads_agent_quota);
    tcase_add_test(threads, eight_threads_fast_rate_many_slots);
    tcase_add_test(threads, eight_threads_with_feedback_respect_every_hold);
    tcase_add_test(threads, eight_threads_at_one_instant_get_every_turn_once);
    tcase_set_timeout(threads, 240);
    suite_add_tcase(s, api);
    suite_add_tcase(s, threads);
    return s;
}

int main(void)
{
    return run_suite(throttle_suite());
}
