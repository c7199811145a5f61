/*
 * table_check.c: the C order machine against machine_table.h, the table the
 * spin model is built from. For the default machine and for the one with
 * SIXMM_INTENT_TRUST_SINGLE_DELIVERY, every (state, event) pair: drive a
 * place intent into the state, apply the event, and observe the state that
 * follows through the public API only. A pair with a row must give the
 * row's state (an event of the caller returning 0); a pair without one must
 * leave the state as it was (an event of the caller returning -1 and
 * changing no byte). Prints each difference and exits 1 when there is one.
 *
 * The numbers are the spec's, read from the library's generated policy
 * tables; the clock has one 10 ms sample.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "machine_policy.h"
#include "machine_table.h"
#include "retry_policy.h"

#define OFFSET_MS INT64_C(1700000000000) /* server time = mono + OFFSET_MS */
#define NOT_MODELLED ST_COUNT            /* a state the table has no name for */

/* Past the proof instant of a signature made now (window + lag + more than
 * the clock's error), and past the default lifetime. */
#define PROOF_MS \
    (sixmm__retry_policies[SIXMM_DOMAIN_REST].window_ms + \
     sixmm__retry_policies[SIXMM_DOMAIN_REST].lag_ms + 2000u)
#define LIFE_MS (sixmm__machine.lifetime_ms + 1000u)

static const char *const state_names[ST_COUNT + 1] = {
    "ready", "send", "sent", "reconcile", "query", "queried", "accepted", "expired",
    "escalated", "(not in the table)"};
static const char *const event_names[EV_COUNT] = {
    "next", "next_late", "next_cap", "sending", "not_sent", "answer_ok", "answer_unknown",
    "answer_refusal", "answer_outside", "answer_replay", "querying", "found",
    "not_found_open", "not_found_closed", "query_failed", "restart"};

struct world {
    uint64_t mono;
    sixmm_clock clock;
    sixmm_intent it;
    sixmm_next out;
};

static int64_t server_at(uint64_t mono)
{
    return (int64_t)mono + OFFSET_MS;
}

static void sync_clock(struct world *w)
{
    sixmm_clock_sample(&w->clock, w->mono - 10, server_at(w->mono - 5), w->mono);
}

static sixmm_todo next(struct world *w)
{
    sixmm_intent_next(&w->it, &w->clock, NULL, NULL, w->mono, 12345u, &w->out);
    return w->out.todo;
}

/* Ask until the step is neither a WAIT (time moves on by it) nor a SYNC
 * (the clock is sampled); at most 20 asks. */
static sixmm_todo settle(struct world *w)
{
    int n;
    for (n = 0; n < 20; n++) {
        sixmm_todo t = next(w);
        if (t == SIXMM_TODO_WAIT)
            w->mono += w->out.wait_ms;
        else if (t == SIXMM_TODO_SYNC)
            sync_clock(w);
        else
            return t;
    }
    return next(w);
}

static int answer(struct world *w, int http, int has_code, int64_t code, const char *message)
{
    sixmm_call c;
    memset(&c, 0, sizeof c);
    c.http_status = http;
    c.has_code = has_code;
    c.code = code;
    c.message = message;
    c.message_len = message ? strlen(message) : 0;
    return sixmm_intent_answer(&w->it, &c, w->mono);
}

/* How a state is reached: plainly, with the query handed out after the
 * proof instant, or with the cap of sends or queries used up. */
enum how { PLAIN, LATE_QUERY, CAPPED };

static void start(struct world *w, unsigned flags)
{
    memset(w, 0, sizeof *w);
    w->mono = 5000;
    sixmm_clock_init(&w->clock, 0);
    sync_clock(w);
    sixmm_intent_init(&w->it, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, server_at(w->mono), 0);
    sixmm_intent_set_flags(&w->it, flags);
}

/* Drive a place intent into state s; returns 0, or -1 when the way there
 * failed (reported as a difference). */
static int reach(struct world *w, unsigned flags, int s, enum how how)
{
    unsigned i;

    start(w, flags);
    if (s == ST_READY && how != CAPPED)
        return 0;
    if (s == ST_EXPIRED) {
        w->mono += LIFE_MS;
        return settle(w) == SIXMM_TODO_DONE ? 0 : -1;
    }
    if (s == ST_READY || s == ST_ESCALATED) {
        /* Every send reported not sent: READY with the cap used up. */
        for (i = 0; i < sixmm__machine.max_sends; i++)
            if (settle(w) != SIXMM_TODO_SEND || sixmm_intent_sending(&w->it, w->out.sign_ms) ||
                sixmm_intent_not_sent(&w->it))
                return -1;
        if (s == ST_READY)
            return 0;
        return settle(w) == SIXMM_TODO_ESCALATE ? 0 : -1;
    }
    if (settle(w) != SIXMM_TODO_SEND)
        return -1;
    if (s == ST_SEND)
        return 0;
    if (sixmm_intent_sending(&w->it, w->out.sign_ms))
        return -1;
    if (s == ST_SENT)
        return 0;
    if (s == ST_ACCEPTED)
        return answer(w, 200, 1, 0, NULL);
    if (answer(w, 0, 0, 0, NULL)) /* a timeout: outcome unknown */
        return -1;
    if (s == ST_RECONCILE && how == CAPPED) {
        /* Failed queries; a restart now and then starts a new round, so that
         * the round's own limit never ends it first. */
        unsigned round = sixmm__retry_policies[SIXMM_DOMAIN_REST].max_queries / 2u;
        for (i = 1; i <= sixmm__machine.max_queries; i++) {
            if (settle(w) != SIXMM_TODO_QUERY || sixmm_intent_querying(&w->it, w->out.sign_ms))
                return -1;
            if (i % round == 0 ? sixmm_intent_restart(&w->it)
                           : sixmm_intent_found(&w->it, SIXMM_FOUND_QUERY_FAILED, "", 0))
                return -1;
        }
        return 0;
    }
    if (s == ST_RECONCILE)
        return 0;
    if (how == LATE_QUERY)
        w->mono += PROOF_MS;
    if (settle(w) != SIXMM_TODO_QUERY)
        return -1;
    if (s == ST_QUERY)
        return 0;
    return sixmm_intent_querying(&w->it, w->out.sign_ms);
}

/* The state of w, probed on copies. */
static int observe(const struct world *w)
{
    struct world c;
    sixmm_todo t;

    if (sixmm_intent_is_done(&w->it)) {
        switch (sixmm_intent_outcome(&w->it)) {
        case SIXMM_OUTCOME_ACCEPTED:
            return ST_ACCEPTED;
        case SIXMM_OUTCOME_EXPIRED:
            return ST_EXPIRED;
        case SIXMM_OUTCOME_UNKNOWN:
            return ST_ESCALATED;
        default:
            return NOT_MODELLED;
        }
    }
    c = *w;
    if (sixmm_intent_sending(&c.it, 0) == 0)
        return ST_SEND;
    c = *w;
    if (sixmm_intent_querying(&c.it, 0) == 0)
        return ST_QUERY;
    c = *w;
    if (answer(&c, 0, 0, 0, NULL) == 0)
        return ST_SENT;
    c = *w;
    if (sixmm_intent_found(&c.it, SIXMM_FOUND_QUERY_FAILED, "", 0) == 0)
        return ST_QUERIED;
    c = *w;
    t = settle(&c);
    if (t == SIXMM_TODO_SEND ||
        (t == SIXMM_TODO_ESCALATE && c.out.why == SIXMM_INTENT_REASON_ESCALATE_SENDS))
        return ST_READY;
    if (t == SIXMM_TODO_QUERY ||
        (t == SIXMM_TODO_ESCALATE && c.out.why == SIXMM_INTENT_REASON_ESCALATE_QUERIES))
        return ST_RECONCILE;
    return NOT_MODELLED;
}

/* One way of reporting event e; returns the event's result code (next()
 * events: 0). A caller's event that has several answers (the refusals)
 * has one variant each. */
static int apply(struct world *w, int e, int variant)
{
    switch (e) {
    case EV_NEXT:
    case EV_NEXT_CAP:
        settle(w);
        return 0;
    case EV_NEXT_LATE:
        w->mono += LIFE_MS;
        settle(w);
        return 0;
    case EV_SENDING:
        return sixmm_intent_sending(&w->it, server_at(w->mono));
    case EV_NOT_SENT:
        return sixmm_intent_not_sent(&w->it);
    case EV_ANSWER_OK:
        return answer(w, 200, 1, 0, NULL);
    case EV_ANSWER_UNKNOWN:
        return variant == 0 ? answer(w, 0, 0, 0, NULL) : answer(w, 200, 1, 5001, NULL);
    case EV_ANSWER_REFUSAL:
        return variant == 0 ? answer(w, 200, 1, 5002, NULL)
               : variant == 1 ? answer(w, 429, 1, 5003, NULL)
                              : answer(w, 401, 1, 1002, NULL);
    case EV_ANSWER_OUTSIDE:
        return answer(w, 400, 0, 0, "Timestamp outside of tolerance window");
    case EV_ANSWER_REPLAY:
        return answer(w, 200, 1, 3004, NULL);
    case EV_QUERYING:
        return sixmm_intent_querying(&w->it, server_at(w->mono));
    case EV_FOUND:
        return sixmm_intent_found(&w->it, SIXMM_FOUND_FINAL, "NEW", 3);
    case EV_NOT_FOUND_OPEN:
    case EV_NOT_FOUND_CLOSED:
        return sixmm_intent_found(&w->it, SIXMM_FOUND_NONE, "", 0);
    case EV_QUERY_FAILED:
        return sixmm_intent_found(&w->it, SIXMM_FOUND_QUERY_FAILED, "", 0);
    default:
        return sixmm_intent_restart(&w->it);
    }
}

static int variants(int e)
{
    return e == EV_ANSWER_UNKNOWN ? 2 : e == EV_ANSWER_REFUSAL ? 3 : 1;
}

static int is_next(int e)
{
    return e == EV_NEXT || e == EV_NEXT_LATE || e == EV_NEXT_CAP;
}

/* The row's next state for (machine, s, e), or -1 when there is none. */
static int row(int machine, int s, int e)
{
#define ROW(f, rs, re, rn) \
    if (((f) == F_BOTH || (f) == machine) && (rs) == s && (re) == e) \
        return (rn);
    MACHINE_TABLE
#undef ROW
    return -1;
}

static enum how how_for(int s, int e)
{
    if (e == EV_NEXT_CAP && (s == ST_READY || s == ST_RECONCILE))
        return CAPPED;
    if (e == EV_NOT_FOUND_CLOSED && (s == ST_QUERY || s == ST_QUERIED))
        return LATE_QUERY;
    return PLAIN;
}

static int check(int machine, unsigned flags, int s, int e, int variant)
{
    const char *name = machine == F_TRUST ? "trust" : "default";
    int want = row(machine, s, e);
    struct world w;
    sixmm_intent before;
    int rc, got;

    if (reach(&w, flags, s, how_for(s, e)) < 0 || observe(&w) != s) {
        printf("%s: cannot reach %s for %s\n", name, state_names[s], event_names[e]);
        return 1;
    }
    before = w.it;
    rc = apply(&w, e, variant);
    if (want < 0 && !is_next(e)) {
        if (rc != -1 || memcmp(&before, &w.it, sizeof before) != 0) {
            printf("%s: %s + %s (variant %d): no row, but it returned %d or changed the "
                   "intent\n", name, state_names[s], event_names[e], variant, rc);
            return 1;
        }
        return 0;
    }
    if (want < 0)
        want = s;
    got = observe(&w);
    if (rc != 0 || got != want) {
        printf("%s: %s + %s (variant %d): returned %d and gave %s, the table says %s\n", name,
               state_names[s], event_names[e], variant, rc, state_names[got],
               state_names[want]);
        return 1;
    }
    return 0;
}

int main(void)
{
    static const unsigned flags[2] = {0, SIXMM_INTENT_TRUST_SINGLE_DELIVERY};
    static const int machines[2] = {F_DEFAULT, F_TRUST};
    int m, s, e, v, failed = 0, pairs = 0;

    for (m = 0; m < 2; m++)
        for (s = 0; s < ST_COUNT; s++)
            for (e = 0; e < EV_COUNT; e++)
                for (v = 0; v < variants(e); v++) {
                    failed += check(machines[m], flags[m], s, e, v);
                    pairs++;
                }
    printf("machine_table.h against the C machine: %d checks, %d differences\n", pairs, failed);
    return failed ? 1 : 0;
}
