/*
 * sixmm_reconcile(): a table of every documented case, then properties over
 * random inputs from a fixed-seed generator (the same cases on every run).
 *
 * The numbers in the table are the spec's policy (spec/errors.yaml): REST
 * signs with a 10 s window (documented) and allows a 2 s query lag and 8
 * status queries; Agent and widget document no window and allow 8 and 3
 * queries.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

#define REST_SAFE_AFTER_MS 12000u /* window + lag */

static sixmm_reconcile_in input(sixmm_domain d, sixmm_found f, uint64_t signed_at, uint64_t now,
                                uint32_t err, unsigned attempt)
{
    sixmm_reconcile_in in;
    memset(&in, 0, sizeof in);
    in.domain = d;
    in.found = f;
    in.signed_at_ms = signed_at;
    in.now_ms = now;
    in.clock_error_ms = err;
    in.attempt = attempt;
    return in;
}

struct row {
    sixmm_domain domain;
    sixmm_found found;
    uint64_t signed_at, now;
    uint32_t err;
    unsigned attempt;
    uint32_t random;
    sixmm_step step;
    uint32_t delay;
};

static const struct row rows[] = {
    /* FINAL: the order exists, whatever else holds. */
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_FINAL, 1000, 1000, 0, 1, 0, SIXMM_STEP_DONE, 0},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_FINAL, 1000, 99000, 0, 50, 0, SIXMM_STEP_DONE, 0},
    {SIXMM_DOMAIN_AGENT, SIXMM_FOUND_FINAL, 0, 0, 0, 1, 0, SIXMM_STEP_DONE, 0},
    {SIXMM_DOMAIN_WIDGET, SIXMM_FOUND_FINAL, 0, 0, 0, 9, 0, SIXMM_STEP_DONE, 0},
    /* REST "not found": resend exactly from signed + 10 s + 2 s + clock error. */
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 1000, 0, 1, 0, SIXMM_STEP_POLL, 12000},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 12999, 0, 1, 0, SIXMM_STEP_POLL, 1},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 13000, 0, 1, 0, SIXMM_STEP_RESEND, 0},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 13499, 500, 1, 0, SIXMM_STEP_POLL, 1},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 13500, 500, 1, 0, SIXMM_STEP_RESEND, 0},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 11000, 0, 2, 0, SIXMM_STEP_POLL, 2000},
    /* A clock error larger than now: the window is still open. */
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 0, 100, 5000, 1, 0, SIXMM_STEP_POLL, 16900},
    /* A send signed "in the future" of now: poll until its window closes. */
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 50000, 1000, 0, 1, 0, SIXMM_STEP_POLL, 61000},
    /* The last query allowed (8) with the window open escalates; a closed
     * window still resends, whatever the attempt. */
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 2000, 0, 8, 0, SIXMM_STEP_ESCALATE, 0},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 90000, 0, 8, 0, SIXMM_STEP_RESEND, 0},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 1000, 90000, 0, 0, 0, SIXMM_STEP_RESEND, 0},
    /* Agent and widget: no window, so "not found" never resends. */
    {SIXMM_DOMAIN_AGENT, SIXMM_FOUND_NONE, 0, 1000000, 0, 1, UINT32_MAX, SIXMM_STEP_POLL, 500},
    {SIXMM_DOMAIN_AGENT, SIXMM_FOUND_NONE, 0, 1000000, 0, 7, UINT32_MAX, SIXMM_STEP_POLL, 8000},
    {SIXMM_DOMAIN_AGENT, SIXMM_FOUND_NONE, 0, 1000000, 0, 8, 0, SIXMM_STEP_ESCALATE, 0},
    {SIXMM_DOMAIN_WIDGET, SIXMM_FOUND_NONE, 0, 1000000, 0, 2, UINT32_MAX, SIXMM_STEP_POLL, 2000},
    {SIXMM_DOMAIN_WIDGET, SIXMM_FOUND_NONE, 0, 1000000, 0, 3, 0, SIXMM_STEP_ESCALATE, 0},
    /* PENDING: backoff with full jitter (random 0 waits 0, UINT32_MAX the
     * whole step), escalate at the query limit. */
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_PENDING, 0, 0, 0, 1, 0, SIXMM_STEP_POLL, 0},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_PENDING, 0, 0, 0, 1, UINT32_MAX, SIXMM_STEP_POLL, 200},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_PENDING, 0, 0, 0, 0, UINT32_MAX, SIXMM_STEP_POLL, 200},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_PENDING, 0, 0, 0, 7, UINT32_MAX, SIXMM_STEP_POLL, 12800},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_PENDING, 0, 0, 0, 8, UINT32_MAX, SIXMM_STEP_ESCALATE, 0},
    {SIXMM_DOMAIN_AGENT, SIXMM_FOUND_PENDING, 0, 0, 0, 3, UINT32_MAX, SIXMM_STEP_POLL, 2000},
    {SIXMM_DOMAIN_AGENT, SIXMM_FOUND_PENDING, 0, 0, 0, 9, UINT32_MAX, SIXMM_STEP_ESCALATE, 0},
    /* QUERY_FAILED: as an idempotent call, the same backoff and limit. */
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_QUERY_FAILED, 0, 0, 0, 2, UINT32_MAX, SIXMM_STEP_POLL, 400},
    {SIXMM_DOMAIN_REST, SIXMM_FOUND_QUERY_FAILED, 0, 0, 0, 8, 0, SIXMM_STEP_ESCALATE, 0},
    {SIXMM_DOMAIN_WIDGET, SIXMM_FOUND_QUERY_FAILED, 0, 0, 0, 1, UINT32_MAX, SIXMM_STEP_POLL, 1000},
    {SIXMM_DOMAIN_WIDGET, SIXMM_FOUND_QUERY_FAILED, 0, 0, 0, 3, 0, SIXMM_STEP_ESCALATE, 0},
};

START_TEST(each_documented_case_gives_its_step)
{
    const struct row *r = &rows[_i];
    sixmm_reconcile_in in = input(r->domain, r->found, r->signed_at, r->now, r->err, r->attempt);
    sixmm_reconcile_out out;

    memset(&out, 0xAB, sizeof out);
    ck_assert_int_eq(sixmm_reconcile(&in, r->random, &out), 0);
    ck_assert_msg(out.step == r->step, "row %d: step %d, want %d", _i, out.step, r->step);
    ck_assert_msg(out.delay_ms == r->delay, "row %d: delay %u, want %u", _i, out.delay_ms,
                  r->delay);
    ck_assert_ptr_nonnull(out.reason);
    ck_assert_int_gt(strlen(out.reason), 10);
}
END_TEST

START_TEST(bad_input_escalates_with_minus_one)
{
    sixmm_reconcile_in in = input(SIXMM_DOMAIN_REST, SIXMM_FOUND_NONE, 0, 0, 0, 1);
    sixmm_reconcile_out out;

    ck_assert_int_eq(sixmm_reconcile(NULL, 0, NULL), -1);
    ck_assert_int_eq(sixmm_reconcile(&in, 0, NULL), -1);
    memset(&out, 0, sizeof out);
    out.step = SIXMM_STEP_RESEND;
    ck_assert_int_eq(sixmm_reconcile(NULL, 0, &out), -1);
    ck_assert_int_eq(out.step, SIXMM_STEP_ESCALATE);
    ck_assert_ptr_nonnull(out.reason);
    in.domain = (sixmm_domain)SIXMM_DOMAIN_COUNT;
    out.step = SIXMM_STEP_RESEND;
    ck_assert_int_eq(sixmm_reconcile(&in, 0, &out), -1);
    ck_assert_int_eq(out.step, SIXMM_STEP_ESCALATE);
    in.domain = (sixmm_domain)-1;
    ck_assert_int_eq(sixmm_reconcile(&in, 0, &out), -1);
    in.domain = SIXMM_DOMAIN_REST;
    in.found = (sixmm_found)4;
    out.step = SIXMM_STEP_RESEND;
    ck_assert_int_eq(sixmm_reconcile(&in, 0, &out), -1);
    ck_assert_int_eq(out.step, SIXMM_STEP_ESCALATE);
    ck_assert_ptr_nonnull(out.reason);
}
END_TEST

/* ---- Properties over random inputs -------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Times near the interesting places: small, near the edges of the window,
 * near the top of the range. */
static uint64_t any_time(uint64_t around)
{
    switch (next64() % 5) {
    case 0:
        return next64();
    case 1:
        return UINT64_MAX - next64() % 100000;
    case 2:
        return next64() % 100000;
    default:
        return around + next64() % 30000 - 15000;
    }
}

static sixmm_reconcile_in any_input(void)
{
    uint64_t signed_at = any_time(1u << 20);
    return input((sixmm_domain)(next64() % SIXMM_DOMAIN_COUNT), (sixmm_found)(next64() % 4),
                 signed_at, any_time(signed_at + REST_SAFE_AFTER_MS),
                 (uint32_t)(next64() % 4 == 0 ? next64() : next64() % 3000),
                 (unsigned)(next64() % 12));
}

/* The REST rule, written the obvious way: now - clock error >= signed + 12 s,
 * where the subtraction does not go below zero and the sum does not pass
 * 64 bits (an instant beyond 64 bits never comes). */
static int rest_window_closed(const sixmm_reconcile_in *in)
{
    if (in->now_ms < in->clock_error_ms)
        return 0;
    if (in->signed_at_ms > UINT64_MAX - REST_SAFE_AFTER_MS - in->clock_error_ms)
        return 0;
    return in->now_ms - in->clock_error_ms >= in->signed_at_ms + REST_SAFE_AFTER_MS &&
           in->signed_at_ms + REST_SAFE_AFTER_MS + in->clock_error_ms != UINT64_MAX;
}

START_TEST(no_resend_while_the_window_is_open)
{
    int i;
    for (i = 0; i < 200000; i++) {
        sixmm_reconcile_in in = any_input();
        sixmm_reconcile_out out;
        ck_assert_int_eq(sixmm_reconcile(&in, (uint32_t)next64(), &out), 0);
        ck_assert_ptr_nonnull(out.reason);
        if (out.step == SIXMM_STEP_RESEND) {
            ck_assert_int_eq(in.found, SIXMM_FOUND_NONE);
            ck_assert_int_eq(in.domain, SIXMM_DOMAIN_REST);
            ck_assert_msg(rest_window_closed(&in), "resend at now %llu, signed %llu, err %u",
                          (unsigned long long)in.now_ms, (unsigned long long)in.signed_at_ms,
                          in.clock_error_ms);
        }
        if (in.found == SIXMM_FOUND_FINAL)
            ck_assert_int_eq(out.step, SIXMM_STEP_DONE);
        else
            ck_assert_int_ne(out.step, SIXMM_STEP_DONE);
        if (out.step != SIXMM_STEP_POLL)
            ck_assert_uint_eq(out.delay_ms, 0);
    }
}
END_TEST

START_TEST(not_found_resends_once_the_window_has_closed)
{
    int i;
    for (i = 0; i < 200000; i++) {
        sixmm_reconcile_in in = any_input();
        sixmm_reconcile_out out;
        in.domain = SIXMM_DOMAIN_REST;
        in.found = SIXMM_FOUND_NONE;
        ck_assert_int_eq(sixmm_reconcile(&in, 0, &out), 0);
        if (rest_window_closed(&in))
            ck_assert_int_eq(out.step, SIXMM_STEP_RESEND);
        else
            ck_assert(out.step == SIXMM_STEP_POLL || out.step == SIXMM_STEP_ESCALATE);
    }
}
END_TEST

/* A poll's delay reaches the instant exactly: one millisecond earlier the
 * window is still open, at the delay it has closed. */
START_TEST(the_poll_delay_reaches_the_instant_exactly)
{
    int i, checked = 0;
    for (i = 0; i < 200000; i++) {
        sixmm_reconcile_in in = any_input();
        sixmm_reconcile_out out, later;
        in.domain = SIXMM_DOMAIN_REST;
        in.found = SIXMM_FOUND_NONE;
        in.attempt = 1;
        ck_assert_int_eq(sixmm_reconcile(&in, 0, &out), 0);
        if (out.step != SIXMM_STEP_POLL || out.delay_ms == UINT32_MAX ||
            in.now_ms > UINT64_MAX - out.delay_ms ||
            in.signed_at_ms >= UINT64_MAX - REST_SAFE_AFTER_MS - in.clock_error_ms)
            continue;
        ck_assert_uint_gt(out.delay_ms, 0);
        in.now_ms += out.delay_ms - 1;
        ck_assert_int_eq(sixmm_reconcile(&in, 0, &later), 0);
        ck_assert_int_eq(later.step, SIXMM_STEP_POLL);
        ck_assert_uint_eq(later.delay_ms, 1);
        in.now_ms += 1;
        ck_assert_int_eq(sixmm_reconcile(&in, 0, &later), 0);
        ck_assert_int_eq(later.step, SIXMM_STEP_RESEND);
        checked++;
    }
    ck_assert_int_gt(checked, 10000);
}
END_TEST

START_TEST(pending_and_failed_queries_back_off_and_escalate_at_the_limit)
{
    int i;
    for (i = 0; i < 200000; i++) {
        sixmm_reconcile_in in = any_input();
        sixmm_reconcile_out out;
        uint32_t base, cap;
        in.found = next64() & 1 ? SIXMM_FOUND_PENDING : SIXMM_FOUND_QUERY_FAILED;
        ck_assert_int_eq(sixmm_backoff_policy(in.domain, &base, &cap), 0);
        ck_assert_int_eq(sixmm_reconcile(&in, (uint32_t)next64(), &out), 0);
        if (out.step == SIXMM_STEP_POLL) {
            ck_assert_uint_le(out.delay_ms, cap);
        } else {
            ck_assert_int_eq(out.step, SIXMM_STEP_ESCALATE);
            ck_assert_uint_ge(in.attempt, 3); /* the smallest limit, widget's */
        }
    }
}
END_TEST

static Suite *reconcile_suite(void)
{
    Suite *s = suite_create("reconcile");
    TCase *table = tcase_create("table");
    TCase *props = tcase_create("properties");

    tcase_add_loop_test(table, each_documented_case_gives_its_step, 0,
                        (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(table, bad_input_escalates_with_minus_one);
    tcase_add_test(props, no_resend_while_the_window_is_open);
    tcase_add_test(props, not_found_resends_once_the_window_has_closed);
    tcase_add_test(props, the_poll_delay_reaches_the_instant_exactly);
    tcase_add_test(props, pending_and_failed_queries_back_off_and_escalate_at_the_limit);
    tcase_set_timeout(props, 120);
    suite_add_tcase(s, table);
    suite_add_tcase(s, props);
    return s;
}

int main(void)
{
    return run_suite(reconcile_suite());
}
