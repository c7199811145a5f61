/*
 * The order machine, as tables: every (phase, event) pair, with the result
 * code and the step that follows; then the rules one case each (a refusal
 * is no proof, the proof's timing, REJECTED found, cancel, lifetime, caps,
 * SYNC, the throttle's slot, the budget, alerts, the opt-in flag, restart).
 * The numbers are the spec's (REST: 10 s window, 2 s lag; machine: 8 sends,
 * 32 queries, 1000 ms sync limit, 60 s lifetime).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "intent_world.h"
#include "run_suite.h"

enum phase { READY, SEND, SENT, RECONCILE, QUERY, QUERIED, DONE, ESCALATED, PHASES };
enum event { SENDING, NOT_SENT, ANSWER, QUERYING, FOUND, RESTART, EVENTS };

static const char *const phase_names[PHASES] = {"ready", "send", "sent", "reconcile",
                                                "query", "queried", "done", "escalated"};
static const char *const event_names[EVENTS] = {"sending", "not_sent", "answer",
                                                "querying", "found", "restart"};

/* Drive a place intent into phase p. */
static void reach(struct world *w, enum phase p)
{
    world_init(w, SIXMM_INTENT_PLACE, 0);
    if (p == READY)
        return;
    ck_assert_int_eq(world_settle(w, 8), SIXMM_TODO_SEND);
    if (p == SEND)
        return;
    ck_assert_int_eq(sixmm_intent_sending(&w->it, w->out.sign_ms), 0);
    if (p == SENT)
        return;
    if (p == ESCALATED) {
        /* 1001 (credentials) then a failed query at the round's last. */
        ck_assert_int_eq(world_answer(w, 401, 1, 1001), 0);
        for (;;) {
            sixmm_todo t = world_settle(w, 100);
            if (t == SIXMM_TODO_ESCALATE)
                return;
            ck_assert_int_eq(t, SIXMM_TODO_QUERY);
            ck_assert_int_eq(sixmm_intent_querying(&w->it, w->out.sign_ms), 0);
            ck_assert_int_eq(sixmm_intent_found(&w->it, SIXMM_FOUND_QUERY_FAILED, "", 0), 0);
        }
    }
    ck_assert_int_eq(world_answer(w, 0, 0, 0), 0); /* timeout: outcome unknown */
    if (p == RECONCILE)
        return;
    ck_assert_int_eq(world_settle(w, 8), SIXMM_TODO_QUERY);
    if (p == QUERY)
        return;
    ck_assert_int_eq(sixmm_intent_querying(&w->it, w->out.sign_ms), 0);
    if (p == QUERIED)
        return;
    ck_assert_int_eq(sixmm_intent_found(&w->it, SIXMM_FOUND_FINAL, "NEW", 3), 0);
}

/* The step an intent in phase p gives, as a phase. */
static enum phase observe(struct world *w)
{
    sixmm_todo t = world_settle(w, 50);
    switch (t) {
    case SIXMM_TODO_SEND:
        return SEND;
    case SIXMM_TODO_QUERY:
        return QUERY;
    case SIXMM_TODO_DONE:
        return DONE;
    case SIXMM_TODO_ESCALATE:
        return ESCALATED;
    default:
        return PHASES;
    }
}

static int apply(struct world *w, enum event e)
{
    switch (e) {
    case SENDING:
        return sixmm_intent_sending(&w->it, server_at(w->mono));
    case NOT_SENT:
        return sixmm_intent_not_sent(&w->it);
    case ANSWER:
        return world_answer(w, 0, 0, 0);
    case QUERYING:
        return sixmm_intent_querying(&w->it, server_at(w->mono));
    case FOUND:
        return sixmm_intent_found(&w->it, SIXMM_FOUND_FINAL, "FILLED", 6);
    default:
        return sixmm_intent_restart(&w->it);
    }
}

/* [phase][event]: the result code, and then the step the next call gives
 * (PHASES: a WAIT for the caller's event, i.e. in flight). */
struct cell {
    int rc;
    enum phase then;
};
static const struct cell cells[PHASES][EVENTS] = {
    /*            sending        not_sent       answer          querying       found          restart */
    [READY] = {{-1, SEND}, {-1, SEND}, {-1, SEND}, {-1, SEND}, {-1, SEND}, {0, SEND}},
    [SEND] = {{0, PHASES}, {0, SEND}, {-1, SEND}, {-1, SEND}, {-1, SEND}, {0, SEND}},
    [SENT] = {{-1, PHASES}, {0, SEND}, {0, QUERY}, {-1, PHASES}, {-1, PHASES}, {0, QUERY}},
    [RECONCILE] = {{-1, QUERY}, {-1, QUERY}, {-1, QUERY}, {-1, QUERY}, {-1, QUERY}, {0, QUERY}},
    [QUERY] = {{-1, QUERY}, {-1, QUERY}, {-1, QUERY}, {0, PHASES}, {0, DONE}, {0, QUERY}},
    [QUERIED] = {{-1, PHASES}, {-1, PHASES}, {-1, PHASES}, {-1, PHASES}, {0, DONE}, {0, QUERY}},
    [DONE] = {{-1, DONE}, {-1, DONE}, {-1, DONE}, {-1, DONE}, {0, DONE}, {0, DONE}},
    [ESCALATED] = {{-1, ESCALATED}, {-1, ESCALATED}, {-1, ESCALATED}, {-1, ESCALATED},
                   {-1, ESCALATED}, {0, ESCALATED}},
};

START_TEST(every_phase_and_event)
{
    enum phase p = (enum phase)(_i / EVENTS);
    enum event e = (enum event)(_i % EVENTS);
    const struct cell *c = &cells[p][e];
    struct world w;
    sixmm_intent before;
    int rc;

    reach(&w, p);
    before = w.it;
    rc = apply(&w, e);
    ck_assert_msg(rc == c->rc, "%s + %s returned %d, not %d", phase_names[p], event_names[e], rc,
                  c->rc);
    if (rc < 0)
        ck_assert_msg(memcmp(&before, &w.it, sizeof before) == 0,
                      "%s + %s refused but changed the intent", phase_names[p], event_names[e]);
    if (c->then == PHASES) {
        ck_assert_int_eq(world_next(&w), SIXMM_TODO_WAIT);
        ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_WAIT_IN_FLIGHT);
    } else {
        enum phase got = observe(&w);
        ck_assert_msg(got == c->then, "%s + %s then gives %s, not %s", phase_names[p],
                      event_names[e], got < PHASES ? phase_names[got] : "wait",
                      phase_names[c->then]);
    }
}
END_TEST

/* ---- The rules, one case each --------------------------------------------- */

/* Send once; returns the signed timestamp. */
static int64_t send_once(struct world *w)
{
    ck_assert_int_eq(world_settle(w, 50), SIXMM_TODO_SEND);
    ck_assert_int_eq(sixmm_intent_sending(&w->it, w->out.sign_ms), 0);
    return w->out.sign_ms;
}

/* Query once with the given answer; returns the query's sign_ms. */
static int64_t query_once(struct world *w, sixmm_found f, const char *status)
{
    ck_assert_int_eq(world_settle(w, 50), SIXMM_TODO_QUERY);
    ck_assert_int_eq(sixmm_intent_querying(&w->it, w->out.sign_ms), 0);
    ck_assert_int_eq(sixmm_intent_found(&w->it, f, status, strlen(status)), 0);
    return w->out.sign_ms;
}

START_TEST(success_answer_places_once)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 0), 0);
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_DONE);
    ck_assert_int_eq(w.out.outcome, SIXMM_OUTCOME_ACCEPTED);
    ck_assert_int_eq(sixmm_intent_outcome(&w.it), SIXMM_OUTCOME_ACCEPTED);
    ck_assert_int_eq(sixmm_intent_is_done(&w.it), 1);
    ck_assert_uint_eq(w.out.sends, 1);
    /* The final status can be recorded afterwards; the outcome stays. */
    ck_assert_int_eq(sixmm_intent_found(&w.it, SIXMM_FOUND_FINAL, "FILLED", 6), 0);
    ck_assert_int_eq(sixmm_intent_status(&w.it), SIXMM_STATUS_FILLED);
    ck_assert_int_eq(sixmm_intent_outcome(&w.it), SIXMM_OUTCOME_ACCEPTED);
}
END_TEST

/* 5002, 429, 1002, timestamp outside the window, 3004: each proves only that
 * that arrival did not execute. The next step is a query, never a send, and
 * a second signature waits for a "not found" sent after signed + 12 s +
 * the clock error. */
START_TEST(a_refusal_is_not_proof)
{
    static const struct {
        int http, has_code;
        int64_t code;
        const char *message;
    } refusals[] = {{200, 1, 5002, NULL}, {429, 0, 0, NULL},   {401, 1, 1002, NULL},
                    {200, 1, 5003, NULL}, {200, 1, 3004, NULL},
                    {401, 0, 0, "Timestamp outside of tolerance window"}};
    const size_t n = sizeof refusals / sizeof refusals[0];
    size_t i;

    for (i = 0; i < n; i++) {
        struct world w;
        sixmm_call c;
        int64_t signed_at, q;
        uint32_t err;

        world_init(&w, SIXMM_INTENT_PLACE, 0);
        signed_at = send_once(&w);
        c = answer_of(refusals[i].http, refusals[i].has_code, refusals[i].code);
        if (refusals[i].message) {
            c.message = refusals[i].message;
            c.message_len = strlen(refusals[i].message);
        }
        ck_assert_int_eq(sixmm_intent_answer(&w.it, &c, w.mono), 0);
        /* The first query, then "not found" polls until the proof. */
        q = query_once(&w, SIXMM_FOUND_NONE, "");
        ck_assert_msg(q < signed_at + WINDOW_MS + LAG_MS, "case %zu queried late", i);
        ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_QUERY);
        err = 0;
        sixmm_clock_read(&w.clock, w.mono, NULL, &err);
        ck_assert_msg(w.out.sign_ms - (int64_t)err >= signed_at + WINDOW_MS + LAG_MS,
                      "case %zu: the proof query went out early", i);
        ck_assert_int_eq(sixmm_intent_querying(&w.it, w.out.sign_ms), 0);
        ck_assert_int_eq(sixmm_intent_found(&w.it, SIXMM_FOUND_NONE, "", 0), 0);
        ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_SEND);
        ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_RESEND_PROVEN);
    }
}
END_TEST

START_TEST(a_found_rejected_order_is_accepted_never_filled)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 0, 0, 0), 0);
    query_once(&w, SIXMM_FOUND_FINAL, "REJECTED");
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_DONE);
    ck_assert_int_eq(w.out.outcome, SIXMM_OUTCOME_ACCEPTED);
    ck_assert_int_eq(sixmm_intent_status(&w.it), SIXMM_STATUS_REJECTED);
    ck_assert_int_eq(sixmm_status_group(SIXMM_STATUS_REJECTED), SIXMM_GROUP_CLOSED);
    ck_assert_uint_eq(w.out.sends, 1);
}
END_TEST

START_TEST(a_refusal_then_found_is_a_reconcile_difference)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 5002), 0);
    query_once(&w, SIXMM_FOUND_FINAL, "NEW");
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_DONE);
    ck_assert_int_eq(w.out.alert, SIXMM_ALERT_RECONCILE_DIFFERENCE);
    ck_assert_str_ne(w.out.alert_reason, "");
}
END_TEST

START_TEST(a_permanent_refusal_is_refused_after_the_proof)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 3001), 0); /* insufficient balance: never */
    query_once(&w, SIXMM_FOUND_NONE, "");
    ck_assert_int_eq(sixmm_intent_outcome(&w.it), SIXMM_OUTCOME_UNKNOWN);
    query_once(&w, SIXMM_FOUND_NONE, "");
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_DONE);
    ck_assert_int_eq(w.out.outcome, SIXMM_OUTCOME_REFUSED);
    ck_assert_uint_eq(w.out.sends, 1);
}
END_TEST

START_TEST(not_sent_resends_without_proof)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    send_once(&w);
    ck_assert_int_eq(sixmm_intent_not_sent(&w.it), 0);
    ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_SEND);
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_RESEND_NOT_SENT);
    ck_assert_uint_eq(w.out.queries, 0);
}
END_TEST

START_TEST(the_trust_flag_resends_at_once)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    ck_assert_int_eq(sixmm_intent_set_flags(&w.it, SIXMM_INTENT_TRUST_SINGLE_DELIVERY), 0);
    ck_assert_int_eq(sixmm_intent_set_flags(&w.it, 2u), -1);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 5002), 0);
    ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_SEND);
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_RESEND_SINGLE_DELIVERY);
    /* A timeout is still an unknown outcome: reconciled, flag or not. */
    ck_assert_int_eq(sixmm_intent_sending(&w.it, w.out.sign_ms), 0);
    ck_assert_int_eq(world_answer(&w, 0, 0, 0), 0);
    ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_QUERY);
}
END_TEST

START_TEST(no_send_after_the_lifetime)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 5000);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 5002), 0);
    query_once(&w, SIXMM_FOUND_NONE, "");
    query_once(&w, SIXMM_FOUND_NONE, ""); /* the proof: nothing executed */
    ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_DONE);
    ck_assert_int_eq(w.out.outcome, SIXMM_OUTCOME_EXPIRED);
    ck_assert_uint_eq(w.out.sends, 1);
    /* A signature past the end is refused. */
    world_init(&w, SIXMM_INTENT_PLACE, 5000);
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_SEND);
    ck_assert_int_eq(sixmm_intent_sending(&w.it, server_at(w.mono) + 6000), -1);
}
END_TEST

START_TEST(sends_are_capped)
{
    struct world w;
    unsigned i;
    world_init(&w, SIXMM_INTENT_PLACE, 3600000);
    w.no_budget = 1; /* else it refuses the sixth send first */
    for (i = 0; i < 8; i++) {
        send_once(&w);
        ck_assert_int_eq(sixmm_intent_not_sent(&w.it), 0);
    }
    ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_ESCALATE);
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_ESCALATE_SENDS);
    ck_assert_int_eq(w.out.alert, SIXMM_ALERT_ESCALATION);
    ck_assert_int_eq(sixmm_intent_is_done(&w.it), 1);
    ck_assert_int_eq(sixmm_intent_outcome(&w.it), SIXMM_OUTCOME_UNKNOWN);
}
END_TEST

START_TEST(queries_are_capped)
{
    struct world w;
    unsigned i;
    /* A pending transfer escalates at the round's limit (8 queries)... */
    world_init(&w, SIXMM_INTENT_TRANSFER, 0);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 0), 0);
    for (i = 0; i < 64; i++) {
        sixmm_todo t = world_settle(&w, 50);
        if (t == SIXMM_TODO_ESCALATE)
            break;
        ck_assert_int_eq(t, SIXMM_TODO_QUERY);
        ck_assert_int_eq(sixmm_intent_querying(&w.it, w.out.sign_ms), 0);
        ck_assert_int_eq(sixmm_intent_found(&w.it, SIXMM_FOUND_PENDING, "PROCESSING", 10), 0);
    }
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_ESCALATE_RECONCILE);
    ck_assert_uint_eq(w.out.queries, 8);
    ck_assert_uint_eq(w.out.sends, 1);
    /* ...and restarts, which begin new rounds, end at the intent's cap (a
     * restart leaves the crashed process's slot to its lease: no throttle). */
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    w.no_throttle = 1;
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 0, 0, 0), 0);
    for (i = 0; i < 64; i++) {
        sixmm_todo t = world_settle(&w, 50);
        if (t == SIXMM_TODO_ESCALATE)
            break;
        ck_assert_msg(t == SIXMM_TODO_QUERY, "step %u: todo %d why %d", i, t, w.out.why);
        ck_assert_int_eq(sixmm_intent_querying(&w.it, w.out.sign_ms), 0);
        ck_assert_int_eq(sixmm_intent_restart(&w.it), 0);
    }
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_ESCALATE_QUERIES);
    ck_assert_uint_eq(w.out.queries, 32);
}
END_TEST

START_TEST(cancel_is_done_when_the_order_is_closed)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_CANCEL, 0);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 0), 0);
    query_once(&w, SIXMM_FOUND_FINAL, "NEW"); /* not yet applied */
    query_once(&w, SIXMM_FOUND_FINAL, "CANCELED");
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_DONE);
    ck_assert_int_eq(w.out.outcome, SIXMM_OUTCOME_ACCEPTED);
    ck_assert_int_eq(sixmm_intent_status(&w.it), SIXMM_STATUS_CANCELED);
    ck_assert_uint_eq(w.out.sends, 1);
}
END_TEST

START_TEST(cancel_3005_queries_and_a_filled_order_refuses)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_CANCEL, 0);
    send_once(&w);
    ck_assert_int_eq(world_answer(&w, 200, 1, 3005), 0);
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_QUERY);
    query_once(&w, SIXMM_FOUND_FINAL, "FILLED");
    ck_assert_int_eq(world_settle(&w, 5), SIXMM_TODO_DONE);
    ck_assert_int_eq(w.out.outcome, SIXMM_OUTCOME_REFUSED);
    ck_assert_int_eq(sixmm_intent_status(&w.it), SIXMM_STATUS_FILLED);
    ck_assert_uint_eq(w.out.sends, 1);
}
END_TEST

START_TEST(sync_without_a_sample_or_with_a_wide_bound)
{
    struct world w;
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    sixmm_clock_init(&w.clock, 0);
    ck_assert_int_eq(world_next(&w), SIXMM_TODO_SYNC);
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_SYNC_NO_SAMPLE);
    /* A 3 s round trip: a bound of 1.5 s, past the 1 s limit. */
    sixmm_clock_sample(&w.clock, w.mono - 3000, server_at(w.mono - 1500), w.mono);
    ck_assert_int_eq(world_next(&w), SIXMM_TODO_SYNC);
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_SYNC_BOUND);
    world_sync(&w);
    ck_assert_int_eq(world_next(&w), SIXMM_TODO_SEND);
}
END_TEST

START_TEST(the_slot_is_released_by_the_next_call_after_the_event)
{
    struct world w;
    sixmm_throttle one;
    sixmm_call c = answer_of(200, 1, 0);
    world_init(&w, SIXMM_INTENT_PLACE, 0);
    sixmm_throttle_init_custom(&one, 1000, 100, 1);
    sixmm_intent_next(&w.it, &w.clock, &one, NULL, w.mono, 1, &w.out);
    ck_assert_int_eq(w.out.todo, SIXMM_TODO_SEND);
    ck_assert_uint_eq(sixmm_throttle_acquire(&one, w.mono), SIXMM_THROTTLE_BUSY);
    sixmm_intent_sending(&w.it, w.out.sign_ms);
    sixmm_intent_answer(&w.it, &c, w.mono);
    ck_assert_uint_eq(sixmm_throttle_acquire(&one, w.mono), SIXMM_THROTTLE_BUSY);
    sixmm_intent_next(&w.it, &w.clock, &one, NULL, w.mono, 1, &w.out);
    ck_assert_int_eq(w.out.todo, SIXMM_TODO_DONE);
    ck_assert_uint_ne(sixmm_throttle_acquire(&one, w.mono), SIXMM_THROTTLE_BUSY);
}
END_TEST

START_TEST(the_budget_sees_every_resend)
{
    struct world w;
    sixmm_budget b;
    unsigned i;
    sixmm_budget_init(&b, SIXMM_DOMAIN_REST);
    /* An outage: every read gets 5002; the budget allows 5 resends in all. */
    for (i = 0; i < 3; i++) {
        world_init(&w, SIXMM_INTENT_READ, 0);
        for (;;) {
            sixmm_intent_next(&w.it, &w.clock, NULL, &b, w.mono, 7, &w.out);
            if (w.out.todo == SIXMM_TODO_WAIT) {
                w.mono += w.out.wait_ms;
                continue;
            }
            if (w.out.todo != SIXMM_TODO_SEND)
                break;
            sixmm_intent_sending(&w.it, w.out.sign_ms);
            world_answer(&w, 200, 1, 5002);
        }
        ck_assert_int_eq(w.out.todo, SIXMM_TODO_ESCALATE);
        if (i == 0)
            ck_assert_uint_eq(w.out.sends, 6);
        else
            ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_ESCALATE_BUDGET);
    }
}
END_TEST

START_TEST(auth_failures_and_rate_limits_alert)
{
    static const struct {
        int http, has_code;
        int64_t code;
        int alert;
    } rows[] = {{401, 1, 1001, SIXMM_ALERT_AUTH},     {401, 1, 1003, SIXMM_ALERT_AUTH},
                {200, 1, 3004, SIXMM_ALERT_SIGNATURE}, {429, 0, 0, SIXMM_ALERT_RATE_LIMIT},
                {200, 1, 5003, SIXMM_ALERT_RATE_LIMIT}, {0, 0, 0, SIXMM_ALERT_NONE},
                {200, 1, 5002, SIXMM_ALERT_NONE}};
    size_t i;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct world w;
        world_init(&w, SIXMM_INTENT_PLACE, 0);
        send_once(&w);
        world_answer(&w, rows[i].http, rows[i].has_code, rows[i].code);
        world_settle(&w, 50);
        ck_assert_msg(w.out.alert == rows[i].alert, "row %zu: alert %d", i, w.out.alert);
        ck_assert_int_eq(w.out.alert_reason[0] != '\0', rows[i].alert != 0);
        if (rows[i].alert)
            ck_assert_str_eq(sixmm_alert_source_text((sixmm_alert)rows[i].alert),
                             "https://docs.6mm.com/developer-api/integration-recommendations");
        /* Once: on the step after its cause, not on every later one. */
        world_next(&w);
        ck_assert_int_eq(w.out.alert, 0);
    }
}
END_TEST

START_TEST(a_restart_reconciles_never_sends_at_once)
{
    struct world w;
    unsigned char rec[SIXMM_INTENT_RECORD_MAX];
    size_t n;
    sixmm_intent back;

    world_init(&w, SIXMM_INTENT_PLACE, 0);
    send_once(&w);
    n = sixmm_intent_encode(&w.it, rec, sizeof rec);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_le(n, SIXMM_INTENT_RECORD_MAX);
    ck_assert_int_eq(sixmm_intent_decode(&back, rec, n), 0);
    ck_assert_int_eq(sixmm_intent_restart(&back), 0);
    w.it = back;
    ck_assert_int_eq(world_settle(&w, 50), SIXMM_TODO_QUERY);
    ck_assert_int_eq(w.out.why, SIXMM_INTENT_REASON_QUERY_RESTART);
}
END_TEST

START_TEST(a_torn_or_foreign_record_is_refused_untouched)
{
    struct world w;
    unsigned char rec[SIXMM_INTENT_RECORD_MAX];
    size_t n, i;
    sixmm_intent back, before;

    world_init(&w, SIXMM_INTENT_PLACE, 0);
    send_once(&w);
    n = sixmm_intent_encode(&w.it, rec, sizeof rec);
    ck_assert_uint_eq(sixmm_intent_encode(&w.it, rec, n - 1), 0);
    memset(&back, 0xA5, sizeof back);
    before = back;
    for (i = 0; i < n; i++) {
        ck_assert_int_eq(sixmm_intent_decode(&back, rec, i), -1); /* torn */
        rec[i] ^= 0x10;                                           /* corrupt */
        ck_assert_int_eq(sixmm_intent_decode(&back, rec, n), -1);
        rec[i] ^= 0x10;
    }
    ck_assert_int_eq(memcmp(&back, &before, sizeof back), 0);
    ck_assert_int_eq(sixmm_intent_decode(&back, rec, n), 0);
}
END_TEST

/* The record of an intent in any phase fits SIXMM_INTENT_RECORD_MAX (256),
 * and reads back to the same bytes. */
START_TEST(the_record_fits_256_bytes)
{
    int p;
    for (p = 0; p < PHASES; p++) {
        struct world w;
        unsigned char rec[SIXMM_INTENT_RECORD_MAX * 2], again[SIXMM_INTENT_RECORD_MAX];
        sixmm_intent back;
        size_t n;
        reach(&w, (enum phase)p);
        n = sixmm_intent_encode(&w.it, rec, sizeof rec);
        ck_assert_uint_gt(n, 0);
        ck_assert_uint_le(n, 256);
        ck_assert_int_eq(sixmm_intent_decode(&back, rec, n), 0);
        ck_assert_uint_eq(sixmm_intent_encode(&back, again, sizeof again), n);
        ck_assert_int_eq(memcmp(rec, again, n), 0);
    }
}
END_TEST

START_TEST(names_come_from_the_spec)
{
    sixmm_status st;
    sixmm_todo t;
    ck_assert_str_eq(sixmm_todo_name(SIXMM_TODO_ESCALATE), "escalate");
    ck_assert_int_eq(sixmm_todo_parse("query", 5, &t), 0);
    ck_assert_int_eq(t, SIXMM_TODO_QUERY);
    ck_assert_int_eq(sixmm_todo_parse("QUERY", 5, &t), -1);
    ck_assert_int_eq(sixmm_status_parse_wire("PARTIALLY_FILLED_CANCELED", 25, &st), 0);
    ck_assert_int_eq(st, SIXMM_STATUS_PARTIALLY_FILLED_CANCELED);
    ck_assert_int_eq(sixmm_status_parse_wire("PARTIALLY_FILLED", 16, &st), 0);
    ck_assert_int_eq(st, SIXMM_STATUS_PARTIALLY_FILLED);
    ck_assert_int_eq(sixmm_status_parse_wire("", 0, &st), -1);
    ck_assert_str_eq(sixmm_status_wire(SIXMM_STATUS_UNKNOWN), "");
    ck_assert_int_eq(sixmm_status_group(SIXMM_STATUS_PARTIALLY_FILLED), SIXMM_GROUP_OPEN);
    ck_assert_int_eq(sixmm_status_group(SIXMM_STATUS_FILLED), SIXMM_GROUP_COMPLETED);
    ck_assert_int_eq(sixmm_status_group(SIXMM_STATUS_PROCESSING), SIXMM_GROUP_OPEN);
    ck_assert_str_eq(sixmm_outcome_name((sixmm_outcome)99), "");
    ck_assert_str_ne(sixmm_intent_reason_text(SIXMM_INTENT_REASON_DONE_FOUND, SIXMM_LANG_ZH), "");
}
END_TEST

static Suite *intent_table_suite(void)
{
    Suite *s = suite_create("intent_table");
    TCase *pairs = tcase_create("pairs");
    TCase *rules = tcase_create("rules");

    tcase_add_loop_test(pairs, every_phase_and_event, 0, PHASES * EVENTS);
    tcase_add_test(rules, success_answer_places_once);
    tcase_add_test(rules, a_refusal_is_not_proof);
    tcase_add_test(rules, a_found_rejected_order_is_accepted_never_filled);
    tcase_add_test(rules, a_refusal_then_found_is_a_reconcile_difference);
    tcase_add_test(rules, a_permanent_refusal_is_refused_after_the_proof);
    tcase_add_test(rules, not_sent_resends_without_proof);
    tcase_add_test(rules, the_trust_flag_resends_at_once);
    tcase_add_test(rules, no_send_after_the_lifetime);
    tcase_add_test(rules, sends_are_capped);
    tcase_add_test(rules, queries_are_capped);
    tcase_add_test(rules, cancel_is_done_when_the_order_is_closed);
    tcase_add_test(rules, cancel_3005_queries_and_a_filled_order_refuses);
    tcase_add_test(rules, sync_without_a_sample_or_with_a_wide_bound);
    tcase_add_test(rules, the_slot_is_released_by_the_next_call_after_the_event);
    tcase_add_test(rules, the_budget_sees_every_resend);
    tcase_add_test(rules, auth_failures_and_rate_limits_alert);
    tcase_add_test(rules, a_restart_reconciles_never_sends_at_once);
    tcase_add_test(rules, a_torn_or_foreign_record_is_refused_untouched);
    tcase_add_test(rules, the_record_fits_256_bytes);
    tcase_add_test(rules, names_come_from_the_spec);
    suite_add_tcase(s, pairs);
    suite_add_tcase(s, rules);
    return s;
}

int main(void)
{
    return run_suite(intent_table_suite());
}
