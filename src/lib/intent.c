/*
 * The order machine's next step: sixmm_intent_next(), and the intent's
 * start and accessors. The events are in intent_events.c, the record in
 * intent_record.c; docs/ADVISOR.md states the rules.
 *
 * A call first finishes what the last event left: it releases the throttle
 * slot of a request that has ended and credits a success to the budget.
 * Then, by phase:
 *   READY      a send is next: the clock must be good (else SYNC), the
 *              lifetime not over (else EXPIRED: READY means no signature
 *              can still execute), the wait over, the send cap not reached;
 *              then the throttle's turn and slot, then the budget for a
 *              resend; SEND at once, or WAIT for the turn.
 *   RECONCILE  a status query is next, the same way without lifetime and
 *              budget, capped by the query cap.
 *   SEND/QUERY handed out: the same step again (after the turn's wait).
 *   SENT/QUERIED  the caller owes the event: WAIT.
 *   DONE/ESCALATED  the same answer on every call.
 */
#include <sixmm/errinfo.h>

#include "intent_internal.h"
#include "machine_policy.h"

int sixmm_intent_init(sixmm_intent *it, sixmm_domain domain, sixmm_intent_kind kind,
                      int64_t now_server_ms, uint32_t lifetime_ms)
{
    struct sixmm__intent s;
    uint32_t life = lifetime_ms ? lifetime_ms : sixmm__machine.lifetime_ms;

    if (!it || (unsigned)domain >= SIXMM_DOMAIN_COUNT || (unsigned)kind >= SIXMM_INTENT_KIND_COUNT)
        return -1;
    memset(it, 0, sizeof *it);
    memset(&s, 0, sizeof s);
    s.magic = SIXMM__INTENT_MAGIC;
    s.domain = (uint8_t)domain;
    s.kind = (uint8_t)kind;
    s.phase = SIXMM__READY;
    s.cause = SIXMM_RETRY_NONE;
    s.next_why = SIXMM_INTENT_REASON_FIRST_SEND;
    s.created_ms = now_server_ms;
    s.deadline_ms = now_server_ms > INT64_MAX - (int64_t)life ? INT64_MAX
                                                              : now_server_ms + (int64_t)life;
    s.max_signed_ms = INT64_MIN;
    s.ticket = SIXMM_THROTTLE_NO_TICKET;
    sixmm__store(it, &s);
    return 0;
}

int sixmm_intent_set_flags(sixmm_intent *it, unsigned flags)
{
    struct sixmm__intent *s;

    if (!it || (flags & ~SIXMM_INTENT_TRUST_SINGLE_DELIVERY))
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s))
        return -1;
    s->flags = (uint8_t)flags;
    return 0;
}

sixmm_outcome sixmm_intent_outcome(const sixmm_intent *it)
{
    const struct sixmm__intent *s;
    if (!it)
        return SIXMM_OUTCOME_UNKNOWN;
    s = sixmm__cstate(it);
    return sixmm__intent_valid(s) && s->phase == SIXMM__DONE ? (sixmm_outcome)s->outcome
                                                              : SIXMM_OUTCOME_UNKNOWN;
}

sixmm_status sixmm_intent_status(const sixmm_intent *it)
{
    const struct sixmm__intent *s;
    if (!it)
        return SIXMM_STATUS_UNKNOWN;
    s = sixmm__cstate(it);
    return sixmm__intent_valid(s) ? (sixmm_status)s->status : SIXMM_STATUS_UNKNOWN;
}

int sixmm_intent_is_done(const sixmm_intent *it)
{
    const struct sixmm__intent *s;
    if (!it)
        return 0;
    s = sixmm__cstate(it);
    return sixmm__intent_valid(s) && (s->phase == SIXMM__DONE || s->phase == SIXMM__ESCALATED);
}

/* ---- The step ------------------------------------------------------------ */

/* The step and its reason; the reason's text is looked up once, at the end
 * (deliver()). */
static void say(sixmm_next *out, sixmm_todo todo, sixmm_intent_reason why)
{
    out->todo = todo;
    out->why = why;
}

static uint32_t clamp_ms(int64_t ms)
{
    return ms <= 0 ? 1u : ms >= (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

static void wait(sixmm_next *out, int64_t ms, sixmm_intent_reason why)
{
    say(out, SIXMM_TODO_WAIT, why);
    out->wait_ms = clamp_ms(ms);
}

/* The slot is leased: one that this process never gives back (it crashed,
 * or lost the intent) is reclaimed by later acquires after the lease. */
static void release_slot(struct sixmm__intent *s, sixmm_throttle *throttle, uint64_t mono)
{
    if (s->slot_held && throttle)
        sixmm_throttle_release_lease(throttle, s->ticket, mono);
    s->slot_held = 0;
    s->request_over = 0;
    s->ticket = SIXMM_THROTTLE_NO_TICKET;
}

/* Enter DONE or ESCALATED (the alert of an escalation, unless an event
 * left a more specific one). */
static void finish(struct sixmm__intent *s, sixmm_outcome outcome, sixmm_intent_reason why)
{
    s->phase = SIXMM__DONE;
    s->outcome = (uint8_t)outcome;
    s->why_done = (uint8_t)why;
}

static void escalate(struct sixmm__intent *s, sixmm_intent_reason why)
{
    s->phase = SIXMM__ESCALATED;
    s->outcome = SIXMM_OUTCOME_UNKNOWN;
    s->why_done = (uint8_t)why;
    if (!s->alert)
        s->alert = SIXMM_ALERT_ESCALATION;
}

/* Take the throttle's turn and slot. Returns 0 with the turn's start in
 * s->turn_mono_ms, or -1 (nothing taken) when every slot is in use. */
static int take_turn(struct sixmm__intent *s, sixmm_throttle *throttle, uint64_t mono)
{
    uint32_t w;

    s->turn_mono_ms = mono;
    if (!throttle)
        return 0;
    w = sixmm_throttle_acquire_lease(throttle, mono, &s->ticket);
    if (w == SIXMM_THROTTLE_BUSY)
        return -1;
    s->slot_held = 1;
    s->request_over = 0;
    s->turn_mono_ms = mono + w;
    return 0;
}

/* Is the wait before the next request over? Else the WAIT. */
static int waiting(const struct sixmm__intent *s, int64_t est, uint32_t err, sixmm_next *out)
{
    int64_t at;
    if (s->wait_mode == SIXMM__WAIT_NONE)
        return 0;
    at = s->wait_mode == SIXMM__WAIT_PROOF ? est - (int64_t)err : est;
    if (at >= s->not_before_ms)
        return 0;
    wait(out, s->not_before_ms - at,
         s->wait_mode == SIXMM__WAIT_PROOF ? SIXMM_INTENT_REASON_WAIT_PROOF
                                           : SIXMM_INTENT_REASON_WAIT_BACKOFF);
    return 1;
}

/* The next request is a send. */
static void ready(struct sixmm__intent *s, sixmm_throttle *throttle, sixmm_budget *budget,
                  uint64_t mono, int64_t est, uint32_t err, sixmm_next *out)
{
    int64_t latest = s->deadline_ms - (int64_t)err; /* the last estimate that may sign */

    /* READY: no earlier signature can execute, so nothing executed. */
    if (est > latest ||
        (s->wait_mode == SIXMM__WAIT_UNTIL && s->not_before_ms > latest)) {
        finish(s, SIXMM_OUTCOME_EXPIRED, SIXMM_INTENT_REASON_DONE_EXPIRED);
        return;
    }
    if (waiting(s, est, err, out))
        return;
    if (s->sends >= sixmm__machine.max_sends) {
        escalate(s, SIXMM_INTENT_REASON_ESCALATE_SENDS);
        return;
    }
    if (take_turn(s, throttle, mono) < 0) {
        wait(out, sixmm__machine.busy_wait_ms, SIXMM_INTENT_REASON_WAIT_BUSY);
        return;
    }
    if (s->sends > 0 && budget) {
        sixmm_advice a;
        memset(&a, 0, sizeof a);
        a.action = s->cause != SIXMM_RETRY_NONE ? (sixmm_retry)s->cause : SIXMM_RETRY_RECONCILE;
        a.resend = 1;
        a.reason = "";
        if (sixmm_budget_apply(budget, &a)) {
            release_slot(s, throttle, mono);
            escalate(s, SIXMM_INTENT_REASON_ESCALATE_BUDGET);
            return;
        }
    }
    s->phase = SIXMM__SEND;
}

/* The next request is a status query. */
static void reconcile(struct sixmm__intent *s, sixmm_throttle *throttle, uint64_t mono,
                      int64_t est, uint32_t err, sixmm_next *out)
{
    if (waiting(s, est, err, out))
        return;
    if (s->queries >= sixmm__machine.max_queries) {
        escalate(s, SIXMM_INTENT_REASON_ESCALATE_QUERIES);
        return;
    }
    if (take_turn(s, throttle, mono) < 0) {
        wait(out, sixmm__machine.busy_wait_ms, SIXMM_INTENT_REASON_WAIT_BUSY);
        return;
    }
    s->phase = SIXMM__QUERY;
}

/* A handed-out SEND or QUERY: after the turn's wait, the step itself. */
static void hand_out(struct sixmm__intent *s, sixmm_throttle *throttle, uint64_t mono,
                     int64_t est, uint32_t err, sixmm_next *out)
{
    if (mono < s->turn_mono_ms) {
        wait(out, (int64_t)(s->turn_mono_ms - mono), SIXMM_INTENT_REASON_WAIT_TURN);
        return;
    }
    if (s->phase == SIXMM__SEND && est > s->deadline_ms - (int64_t)err) {
        /* The lifetime ended during the turn's wait: the send never went. */
        release_slot(s, throttle, mono);
        finish(s, SIXMM_OUTCOME_EXPIRED, SIXMM_INTENT_REASON_DONE_EXPIRED);
        return;
    }
    say(out, s->phase == SIXMM__SEND ? SIXMM_TODO_SEND : SIXMM_TODO_QUERY,
        (sixmm_intent_reason)s->next_why);
    out->sign_ms = est;
    s->step_sign_ms = est;
    s->step_error_ms = err;
}

/* What an event left for the next call: the slot of an ended request, a
 * success for the budget, a delay into a wait. */
static void settle(struct sixmm__intent *s, sixmm_throttle *throttle, sixmm_budget *budget,
                   uint64_t mono)
{
    if (s->slot_held && s->request_over)
        release_slot(s, throttle, mono);
    if (s->budget_success) {
        sixmm_advice a;
        memset(&a, 0, sizeof a);
        a.action = SIXMM_RETRY_NONE;
        a.reason = "";
        if (budget)
            (void)sixmm_budget_apply(budget, &a);
        s->budget_success = 0;
    }
}

static void deliver(struct sixmm__intent *s, sixmm_next *out)
{
    out->sends = s->sends;
    out->queries = s->queries;
    out->cause = (sixmm_retry)s->cause;
    if (s->phase == SIXMM__DONE) {
        say(out, SIXMM_TODO_DONE, (sixmm_intent_reason)s->why_done);
        out->outcome = (sixmm_outcome)s->outcome;
    } else if (s->phase == SIXMM__ESCALATED) {
        say(out, SIXMM_TODO_ESCALATE, (sixmm_intent_reason)s->why_done);
    }
    out->reason = sixmm_intent_reason_text(out->why, SIXMM_LANG_EN);
    if (s->alert) {
        out->alert = s->alert;
        out->alert_reason = sixmm_alert_text((sixmm_alert)s->alert, SIXMM_LANG_EN);
        s->alert = SIXMM_ALERT_NONE; /* once, on the step after its cause */
    }
}

int sixmm_intent_next(sixmm_intent *it, sixmm_clock *clock, sixmm_throttle *throttle,
                      sixmm_budget *budget, uint64_t mono_now_ms, uint32_t random,
                      sixmm_next *out)
{
    struct sixmm__intent *s;
    int64_t est;
    uint32_t err;

    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    out->alert_reason = "";
    say(out, SIXMM_TODO_ESCALATE, SIXMM_INTENT_REASON_INVALID);
    out->reason = sixmm_intent_reason_text(SIXMM_INTENT_REASON_INVALID, SIXMM_LANG_EN);
    if (!it || !clock)
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s))
        return -1;
    settle(s, throttle, budget, mono_now_ms);

    switch (s->phase) {
    case SIXMM__SENT:
    case SIXMM__QUERIED:
        wait(out, sixmm__machine.busy_wait_ms, SIXMM_INTENT_REASON_WAIT_IN_FLIGHT);
        break;
    case SIXMM__READY:
    case SIXMM__SEND:
    case SIXMM__RECONCILE:
    case SIXMM__QUERY:
        if (sixmm_clock_read(clock, mono_now_ms, &est, &err) < 0) {
            say(out, SIXMM_TODO_SYNC, SIXMM_INTENT_REASON_SYNC_NO_SAMPLE);
            break;
        }
        if (s->need_sync) {
            s->need_sync = 0;
            say(out, SIXMM_TODO_SYNC, SIXMM_INTENT_REASON_SYNC_REFUSED);
            break;
        }
        if (err > sixmm__machine.sync_limit_ms) {
            say(out, SIXMM_TODO_SYNC, SIXMM_INTENT_REASON_SYNC_BOUND);
            break;
        }
        if (s->delay_kind == SIXMM__DELAY_JITTER) {
            /* Full jitter: random * (delay + 1) / 2^32 lies in [0, delay]. */
            int64_t d = (int64_t)(((uint64_t)random * ((uint64_t)s->delay_ms + 1u)) >> 32);
            s->not_before_ms = est + d;
            s->wait_mode = d ? SIXMM__WAIT_UNTIL : SIXMM__WAIT_NONE;
            s->delay_kind = SIXMM__DELAY_NONE;
        }
        if (s->phase == SIXMM__READY)
            ready(s, throttle, budget, mono_now_ms, est, err, out);
        else if (s->phase == SIXMM__RECONCILE)
            reconcile(s, throttle, mono_now_ms, est, err, out);
        if ((s->phase == SIXMM__SEND || s->phase == SIXMM__QUERY) && out->todo != SIXMM_TODO_WAIT)
            hand_out(s, throttle, mono_now_ms, est, err, out);
        break;
    default:
        break;
    }
    deliver(s, out);
    return 0;
}
