/*
 * sixmm_budget: the gRFC A6 retry budget, over random sequences of calls
 * from a fixed-seed generator and from 8 threads.
 *
 * The spec's numbers (spec/errors.yaml, policy): 10 tokens, 0.1 per
 * success, no resend at or below half. Hence the documented bound: with no
 * success at all, ceil(10 / 2) = 5 resends, whatever the calls and threads.
 * And the guarantee for a healthy client: a resend is never refused while,
 * in every stretch of calls that ends with it, the advised resends exceed
 * 0.1 x the successes by at most 5.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

#define NO_SUCCESS_BOUND 5
#define THREADS          8

static const char exhausted[] =
    "retry budget exhausted: the service is failing broadly; stop and alert";

static sixmm_advice advice(sixmm_retry action, int resend)
{
    sixmm_advice a;
    memset(&a, 0, sizeof a);
    a.action = action;
    a.resend = resend;
    a.delay_ms = resend ? 700 : 0;
    a.reason = "the classifier's reason";
    return a;
}

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint64_t next64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Advice that is neither success nor a resend: fix_request, backoff past
 * its limit, ... */
static const sixmm_retry no_resend_actions[] = {SIXMM_RETRY_FIX_REQUEST,
                                                SIXMM_RETRY_CHECK_CREDENTIALS, SIXMM_RETRY_NEVER,
                                                SIXMM_RETRY_RECONCILE, SIXMM_RETRY_BACKOFF};
static const sixmm_retry resend_actions[] = {SIXMM_RETRY_BACKOFF, SIXMM_RETRY_RESIGN,
                                             SIXMM_RETRY_RESYNC_CLOCK, SIXMM_RETRY_REAUTHENTICATE,
                                             SIXMM_RETRY_RECONCILE};

START_TEST(init_refuses_null_and_bad_domains)
{
    sixmm_budget b;
    ck_assert_int_eq(sixmm_budget_init(NULL, SIXMM_DOMAIN_REST), -1);
    ck_assert_int_eq(sixmm_budget_init(&b, (sixmm_domain)SIXMM_DOMAIN_COUNT), -1);
    ck_assert_int_eq(sixmm_budget_init(&b, (sixmm_domain)-1), -1);
    ck_assert_int_eq(sixmm_budget_init(&b, SIXMM_DOMAIN_AGENT), 0);
}
END_TEST

START_TEST(null_arguments_change_nothing)
{
    sixmm_budget b;
    sixmm_advice a = advice(SIXMM_RETRY_BACKOFF, 1);
    ck_assert_int_eq(sixmm_budget_apply(NULL, &a), 0);
    ck_assert_int_eq(a.resend, 1);
    ck_assert_int_eq(sixmm_budget_init(&b, SIXMM_DOMAIN_REST), 0);
    ck_assert_int_eq(sixmm_budget_apply(&b, NULL), 0);
}
END_TEST

/* A zeroed budget that was never initialised refuses every resend. */
START_TEST(an_uninitialised_budget_refuses)
{
    sixmm_budget b;
    sixmm_advice a = advice(SIXMM_RETRY_BACKOFF, 1);
    memset(&b, 0, sizeof b);
    ck_assert_int_eq(sixmm_budget_apply(&b, &a), 1);
    ck_assert_int_eq(a.resend, 0);
}
END_TEST

START_TEST(with_no_success_resends_stop_after_the_bound)
{
    sixmm_budget b;
    int d, i, granted = 0;

    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++) {
        ck_assert_int_eq(sixmm_budget_init(&b, (sixmm_domain)d), 0);
        granted = 0;
        for (i = 0; i < 10000; i++) {
            sixmm_advice a;
            if (next64() % 3 == 0) {
                a = advice(no_resend_actions[next64() % 5], 0);
                ck_assert_int_eq(sixmm_budget_apply(&b, &a), 0);
                ck_assert_int_eq(a.resend, 0);
                ck_assert_str_eq(a.reason, "the classifier's reason");
                continue;
            }
            a = advice(resend_actions[next64() % 5], 1);
            if (sixmm_budget_apply(&b, &a) == 0) {
                granted++;
                ck_assert_int_eq(a.resend, 1);
                ck_assert_uint_eq(a.delay_ms, 700);
            } else {
                ck_assert_int_eq(a.resend, 0);
                ck_assert_uint_eq(a.delay_ms, 0);
                ck_assert_str_eq(a.reason, exhausted);
            }
        }
        ck_assert_int_eq(granted, NO_SUCCESS_BOUND);
    }
}
END_TEST

/* The state read before each call says what that call decides, and counts
 * what it spends: a full bucket of the spec's size, one token per advised
 * resend, the token ratio back per success. */
START_TEST(the_state_read_predicts_the_next_decision)
{
    sixmm_budget b;
    sixmm_budget_state st;
    int i;

    ck_assert_int_eq(sixmm_budget_read(NULL, &st), -1);
    ck_assert_int_eq(sixmm_budget_init(&b, SIXMM_DOMAIN_REST), 0);
    ck_assert_int_eq(sixmm_budget_read(&b, NULL), -1);
    ck_assert_int_eq(sixmm_budget_read(&b, &st), 0);
    ck_assert_uint_eq(st.tokens_milli, st.max_milli);
    ck_assert_uint_eq(st.max_milli, 10000);
    ck_assert_uint_eq(st.refill_milli, 100);
    for (i = 0; i < 10000; i++) {
        sixmm_budget_state after;
        int success = next64() % 4 == 0;
        sixmm_advice a = success ? advice(SIXMM_RETRY_NONE, 0)
                                 : advice(resend_actions[next64() % 5], 1);
        ck_assert_int_eq(sixmm_budget_read(&b, &st), 0);
        if (success) {
            ck_assert_int_eq(sixmm_budget_apply(&b, &a), 0);
        } else {
            ck_assert_int_eq(sixmm_budget_apply(&b, &a), !st.resend);
        }
        ck_assert_int_eq(sixmm_budget_read(&b, &after), 0);
        if (success)
            ck_assert_uint_eq(after.tokens_milli, st.tokens_milli + 100 > 10000
                                                  ? 10000 : st.tokens_milli + 100);
        else
            ck_assert_uint_eq(after.tokens_milli, st.tokens_milli > 1000
                                                  ? st.tokens_milli - 1000 : 0);
    }
}
END_TEST

static sixmm_budget shared;

static atomic_int ready, starters;

/* Each body calls this first: all threads start together, so that their
 * calls overlap. */
static void start_together(void)
{
    atomic_fetch_add(&ready, 1);
    while (atomic_load(&ready) < atomic_load(&starters))
        sched_yield();
}

/* Run `body` on n threads (n <= THREADS) over a fresh shared REST budget. */
static void run_threads(void *(*body)(void *), int n)
{
    pthread_t th[THREADS];
    int i;

    atomic_store(&ready, 0);
    atomic_store(&starters, n);
    ck_assert_int_eq(sixmm_budget_init(&shared, SIXMM_DOMAIN_REST), 0);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, body, NULL), 0);
    for (i = 0; i < n; i++)
        pthread_join(th[i], NULL);
}

/* Many rounds: in each, the 8 threads wait at a barrier, then each asks for
 * 2 resends at once (16 in all) from a fresh budget; exactly 5 are granted.
 * A budget that lost an update when two threads spend at the same moment
 * would grant more in some round. */
#define ROUNDS 2000
static pthread_barrier_t round_start, round_end;
static atomic_int granted_in_round[ROUNDS];

static void *spend_in_rounds(void *arg)
{
    int round, i;
    (void)arg;
    for (round = 0; round < ROUNDS; round++) {
        int n = 0;
        pthread_barrier_wait(&round_start);
        for (i = 0; i < 2; i++) {
            sixmm_advice a = advice(SIXMM_RETRY_BACKOFF, 1);
            n += sixmm_budget_apply(&shared, &a) == 0;
        }
        atomic_fetch_add(&granted_in_round[round], n);
        pthread_barrier_wait(&round_end);
    }
    return NULL;
}

START_TEST(with_no_success_eight_threads_share_the_same_bound)
{
    pthread_t th[THREADS];
    int i, round;

    for (round = 0; round < ROUNDS; round++)
        atomic_store(&granted_in_round[round], 0);
    ck_assert_int_eq(pthread_barrier_init(&round_start, NULL, THREADS + 1), 0);
    ck_assert_int_eq(pthread_barrier_init(&round_end, NULL, THREADS + 1), 0);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, spend_in_rounds, NULL), 0);
    for (round = 0; round < ROUNDS; round++) {
        ck_assert_int_eq(sixmm_budget_init(&shared, SIXMM_DOMAIN_REST), 0);
        pthread_barrier_wait(&round_start);
        pthread_barrier_wait(&round_end);
    }
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    for (round = 0; round < ROUNDS; round++)
        ck_assert_msg(atomic_load(&granted_in_round[round]) == NO_SUCCESS_BOUND,
                      "round %d granted %d resends", round, atomic_load(&granted_in_round[round]));
}
END_TEST

/* Random sequences with successes: whenever every stretch ending with a
 * resend has at most 5 more resends than 0.1 x successes (in thousandths:
 * 1000 per resend, 100 per success), the resend is granted; and the budget
 * recovers: after enough successes a resend is granted again. */
START_TEST(a_healthy_stretch_is_never_refused)
{
    int round, healthy = 0;

    for (round = 0; round < 200; round++) {
        sixmm_budget b;
        int64_t worst = 0; /* max over stretches ending here of 1000*resends - 100*successes */
        int i;
        unsigned fail_pct = (unsigned)(next64() % 30);

        ck_assert_int_eq(sixmm_budget_init(&b, SIXMM_DOMAIN_REST), 0);
        for (i = 0; i < 2000; i++) {
            sixmm_advice a;
            if (next64() % 100 >= fail_pct) {
                a = advice(SIXMM_RETRY_NONE, 0);
                ck_assert_int_eq(sixmm_budget_apply(&b, &a), 0);
                worst = worst - 100 > 0 ? worst - 100 : 0;
                continue;
            }
            a = advice(resend_actions[next64() % 5], 1);
            worst += 1000;
            if (worst <= NO_SUCCESS_BOUND * 1000) {
                ck_assert_msg(sixmm_budget_apply(&b, &a) == 0,
                              "round %d call %d refused a resend in a healthy stretch", round, i);
                healthy++;
            } else {
                (void)sixmm_budget_apply(&b, &a);
            }
        }
    }
    ck_assert_int_gt(healthy, 3000); /* the healthy case did occur */
}
END_TEST

START_TEST(successes_refill_an_exhausted_budget)
{
    sixmm_budget b;
    sixmm_advice a;
    int i;

    ck_assert_int_eq(sixmm_budget_init(&b, SIXMM_DOMAIN_REST), 0);
    for (i = 0; i < 20; i++) {
        a = advice(SIXMM_RETRY_BACKOFF, 1);
        (void)sixmm_budget_apply(&b, &a);
    }
    /* Empty now. 50 successes bring it to exactly half: still refused (and
     * that refusal spends a token too, as A6 counts every failure); 51 more
     * bring it to 9.1 tokens, above half. */
    for (i = 0; i < 50; i++) {
        a = advice(SIXMM_RETRY_NONE, 0);
        ck_assert_int_eq(sixmm_budget_apply(&b, &a), 0);
    }
    a = advice(SIXMM_RETRY_BACKOFF, 1);
    ck_assert_int_eq(sixmm_budget_apply(&b, &a), 1);
    for (i = 0; i < 51; i++) {
        a = advice(SIXMM_RETRY_NONE, 0);
        ck_assert_int_eq(sixmm_budget_apply(&b, &a), 0);
    }
    a = advice(SIXMM_RETRY_BACKOFF, 1);
    ck_assert_int_eq(sixmm_budget_apply(&b, &a), 0);
}
END_TEST

/* Healthy threads at once. Each resends once per 20 calls, after 19
 * successes, so within any stretch of calls one thread adds at most one
 * resend more than 0.1 x its successes: with 5 threads, whatever the
 * interleaving, a stretch holds at most 5, and nothing is refused. (With more
 * threads than the bound, the scheduler could line their resends up.) */
#define HEALTHY_THREADS NO_SUCCESS_BOUND
static atomic_int shared_refused;

static void *healthy_mix(void *arg)
{
    int i, refused = 0;
    (void)arg;
    start_together();
    for (i = 0; i < 20000; i++) {
        int resend = i % 20 == 19;
        sixmm_advice a = advice(resend ? SIXMM_RETRY_BACKOFF : SIXMM_RETRY_NONE, resend);
        refused += sixmm_budget_apply(&shared, &a);
    }
    atomic_fetch_add(&shared_refused, refused);
    return NULL;
}

START_TEST(healthy_threads_are_never_refused)
{
    atomic_store(&shared_refused, 0);
    run_threads(healthy_mix, HEALTHY_THREADS);
    ck_assert_int_eq(atomic_load(&shared_refused), 0);
}
END_TEST

static Suite *budget_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *api = tcase_create("api");
    TCase *seq = tcase_create("sequences");

    tcase_add_test(api, init_refuses_null_and_bad_domains);
    tcase_add_test(api, null_arguments_change_nothing);
    tcase_add_test(api, an_uninitialised_budget_refuses);
    tcase_add_test(seq, with_no_success_resends_stop_after_the_bound);
    tcase_add_test(seq, the_state_read_predicts_the_next_decision);
    tcase_add_test(seq, with_no_success_eight_threads_share_the_same_bound);
    tcase_add_test(seq, a_healthy_stretch_is_never_refused);
    tcase_add_test(seq, successes_refill_an_exhausted_budget);
    tcase_add_test(seq, healthy_threads_are_never_refused);
    tcase_set_timeout(seq, 120);
    suite_add_tcase(s, api);
    suite_add_tcase(s, seq);
    return s;
}

int main(void)
{
    return run_suite(budget_suite());
}
