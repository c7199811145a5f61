/*
 * The order machine's events: what the caller reports after a step. Each
 * checks that it fits the phase (else -1, nothing changed) and records what
 * it proves; the next sixmm_intent_next() acts on it. The rules they keep
 * (docs/ADVISOR.md, "The rules"):
 *  - a write's signature stays `live` (it may still execute) until
 *    not_sent() or a qualifying status query proves otherwise; a refusal
 *    does not (unless SIXMM_INTENT_TRUST_SINGLE_DELIVERY);
 *  - a qualifying query is one sent when the estimate minus its error had
 *    passed the latest signature + the window + the query lag, as
 *    sixmm_reconcile() decides from the step's sign_ms and clock bound;
 *  - the order found, in any state, exists: it is never sent again.
 */
#include <sixmm/errinfo.h>

#include "intent_internal.h"
#include "machine_policy.h"
#include "retry_policy.h"

static int write_kind(const struct sixmm__intent *s)
{
    return s->kind != SIXMM_INTENT_READ;
}

static void finish(struct sixmm__intent *s, sixmm_outcome outcome, sixmm_intent_reason why)
{
    s->phase = SIXMM__DONE;
    s->outcome = (uint8_t)outcome;
    s->why_done = (uint8_t)why;
    s->live = 0;
}

static void escalate(struct sixmm__intent *s, sixmm_intent_reason why)
{
    s->phase = SIXMM__ESCALATED;
    s->outcome = SIXMM_OUTCOME_UNKNOWN;
    s->why_done = (uint8_t)why;
    if (!s->alert)
        s->alert = SIXMM_ALERT_ESCALATION;
}

/* The next request: a send or a query, after a jittered delay of up to
 * delay_ms (0: none). */
static void next_request(struct sixmm__intent *s, enum sixmm__phase phase, uint32_t delay_ms,
                         sixmm_intent_reason why)
{
    s->phase = (uint8_t)phase;
    s->next_why = (uint8_t)why;
    s->wait_mode = SIXMM__WAIT_NONE;
    s->delay_kind = delay_ms ? SIXMM__DELAY_JITTER : SIXMM__DELAY_NONE;
    s->delay_ms = delay_ms;
}

static sixmm_alert alert_for(const sixmm_advice *a, int http_status)
{
    const struct sixmm__alert_rule *r;
    /* The entry's own class: 3004 on an order is advised as reconcile, but
     * it is a signature error all the same. */
    unsigned cls = a->entry ? (unsigned)sixmm_entry_retry(a->entry) : (unsigned)a->action;
    unsigned cat = a->entry ? (unsigned)sixmm_entry_category(a->entry) : 32u;
    unsigned i;

    for (r = sixmm__alert_rules; r->alert != SIXMM_ALERT_NONE; r++) {
        if (cls < 32u && (r->retry_mask >> cls & 1u))
            return r->alert;
        if (cat < 32u && (r->category_mask >> cat & 1u))
            return r->alert;
        for (i = 0; !a->entry && i < 4 && r->http[i]; i++)
            if (r->http[i] == http_status)
                return r->alert;
    }
    return SIXMM_ALERT_NONE;
}

static void set_alert(struct sixmm__intent *s, sixmm_alert a)
{
    if (a != SIXMM_ALERT_NONE)
        s->alert = (uint8_t)a;
}

int sixmm_intent_sending(sixmm_intent *it, int64_t signed_at_ms)
{
    struct sixmm__intent *s;

    if (!it)
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s) || s->phase != SIXMM__SEND || signed_at_ms > s->deadline_ms)
        return -1;
    s->phase = SIXMM__SENT;
    if (s->sends < UINT16_MAX)
        s->sends++;
    s->live = (uint8_t)write_kind(s);
    s->refused_seen = 0;
    if (signed_at_ms > s->max_signed_ms)
        s->max_signed_ms = signed_at_ms;
    return 0;
}

int sixmm_intent_not_sent(sixmm_intent *it)
{
    struct sixmm__intent *s;
    uint32_t base = 0, cap = 0;

    if (!it)
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s) || (s->phase != SIXMM__SEND && s->phase != SIXMM__SENT))
        return -1;
    s->request_over = 1;
    if (s->phase == SIXMM__SEND) {
        /* The SEND was never used: back to where it came from. */
        s->phase = SIXMM__READY;
    } else {
        /* The one live signature never left: a resend needs no proof, after
         * the backoff (a connection that failed may fail again). */
        s->live = 0;
        (void)sixmm_backoff_policy((sixmm_domain)s->domain, &base, &cap);
        next_request(s, SIXMM__READY, sixmm_backoff_ms(base, cap, s->sends, UINT32_MAX),
                     SIXMM_INTENT_REASON_RESEND_NOT_SENT);
    }
    return 0;
}

/* A read's answer: resend as the advice says, else it is over. */
static void read_answer(struct sixmm__intent *s, const sixmm_advice *a)
{
    if (a->action == SIXMM_RETRY_NONE) {
        s->budget_success = 1;
        finish(s, SIXMM_OUTCOME_ACCEPTED, SIXMM_INTENT_REASON_DONE_ACCEPTED);
    } else if (a->resend) {
        next_request(s, SIXMM__READY, a->delay_ms, SIXMM_INTENT_REASON_RESEND_READ);
    } else if (sixmm__permanent(a->action)) {
        finish(s, SIXMM_OUTCOME_REFUSED, SIXMM_INTENT_REASON_DONE_REFUSED);
    } else {
        escalate(s, SIXMM_INTENT_REASON_ESCALATE_LIMIT);
    }
}

/* A write's answer. */
static void write_answer(struct sixmm__intent *s, const sixmm_advice *a, int http_status)
{
    /* The server answered with a verdict (not a timeout, not "outcome
     * unknown"): that arrival did not execute. */
    int refusal = http_status != 0 && a->action != SIXMM_RETRY_RECONCILE;

    if (a->action == SIXMM_RETRY_NONE) {
        s->budget_success = 1;
        s->acked = 1;
        if (s->kind == SIXMM_INTENT_PLACE) {
            finish(s, SIXMM_OUTCOME_ACCEPTED, SIXMM_INTENT_REASON_DONE_ACCEPTED);
        } else {
            /* A cancel is done when the order is closed; code 0 of a
             * transfer says only that it was processed. */
            s->round_queries = 0;
            next_request(s, SIXMM__RECONCILE, 0, SIXMM_INTENT_REASON_QUERY_CONFIRM);
        }
        return;
    }
    if (a->action == SIXMM_RETRY_RESYNC_CLOCK)
        s->need_sync = 1;
    if (refusal && (s->flags & SIXMM_INTENT_TRUST_SINGLE_DELIVERY)) {
        /* Opted in: the one arrival was all there was. */
        s->live = 0;
        if (a->resend)
            next_request(s, SIXMM__READY, a->delay_ms, SIXMM_INTENT_REASON_RESEND_SINGLE_DELIVERY);
        else if (sixmm__permanent(a->action))
            finish(s, SIXMM_OUTCOME_REFUSED, SIXMM_INTENT_REASON_DONE_REFUSED);
        else
            escalate(s, SIXMM_INTENT_REASON_ESCALATE_LIMIT);
        return;
    }
    s->refused_seen = (uint8_t)refusal;
    s->round_queries = 0;
    next_request(s, SIXMM__RECONCILE, a->delay_ms,
                 refusal ? SIXMM_INTENT_REASON_QUERY_REFUSED : SIXMM_INTENT_REASON_QUERY_UNKNOWN);
}

int sixmm_intent_answer(sixmm_intent *it, const sixmm_call *call, uint64_t mono_now_ms)
{
    struct sixmm__intent *s;
    sixmm_call c;
    sixmm_advice a;

    (void)mono_now_ms; /* the answer's time matters only to the caller's log */
    if (!it || !call)
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s) || s->phase != SIXMM__SENT)
        return -1;
    c = *call;
    c.domain = (sixmm_domain)s->domain;
    c.idempotent = !write_kind(s);
    c.attempt = s->sends;
    /* The largest delay the advice allows; next() draws the jitter. */
    if (sixmm_classify(&c, UINT32_MAX, &a) < 0)
        return -1;
    s->request_over = 1;
    s->cause = (uint8_t)a.action;
    set_alert(s, alert_for(&a, c.http_status));
    if (write_kind(s))
        write_answer(s, &a, c.http_status);
    else
        read_answer(s, &a);
    return 0;
}

int sixmm_intent_querying(sixmm_intent *it, int64_t query_signed_at_ms)
{
    struct sixmm__intent *s;

    if (!it)
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s) || s->phase != SIXMM__QUERY)
        return -1;
    s->phase = SIXMM__QUERIED;
    if (s->queries < UINT16_MAX)
        s->queries++;
    if (s->round_queries < UINT16_MAX)
        s->round_queries++;
    s->query_signed_ms = query_signed_at_ms;
    return 0;
}

/* sixmm_reconcile() on what the query said, with the step's sign_ms and
 * clock bound as the moment the query went out. */
static sixmm_reconcile_out reconcile(const struct sixmm__intent *s, sixmm_found found)
{
    sixmm_reconcile_in in;
    sixmm_reconcile_out out;

    memset(&in, 0, sizeof in);
    in.domain = (sixmm_domain)s->domain;
    in.found = found;
    in.signed_at_ms = s->max_signed_ms > 0 ? (uint64_t)s->max_signed_ms : 0;
    in.now_ms = s->step_sign_ms > 0 ? (uint64_t)s->step_sign_ms : 0;
    in.clock_error_ms = s->step_error_ms;
    in.attempt = s->round_queries ? s->round_queries : 1u;
    /* The largest poll delay; next() draws the jitter. */
    (void)sixmm_reconcile(&in, UINT32_MAX, &out);
    return out;
}

/* Query again: after the backoff (pending, failed), or, for "not found"
 * while the window is open, once the true time has passed the instant when
 * every signature is dead. */
static void poll(struct sixmm__intent *s, const sixmm_reconcile_out *r, int proof)
{
    const struct sixmm__retry_policy *p = &sixmm__retry_policies[s->domain];

    if (proof && p->has_window) {
        next_request(s, SIXMM__RECONCILE, 0, SIXMM_INTENT_REASON_QUERY_PROOF);
        s->wait_mode = SIXMM__WAIT_PROOF;
        s->not_before_ms = s->max_signed_ms + (int64_t)p->window_ms + (int64_t)p->lag_ms;
    } else {
        next_request(s, SIXMM__RECONCILE, r->delay_ms, SIXMM_INTENT_REASON_QUERY_AGAIN);
    }
}

/* Nothing of the intent executed or can still execute (a qualifying "not
 * found", or a cancel's order still open): resend, or refuse when the
 * latest answer was one a resend cannot change. */
static void proven_dead(struct sixmm__intent *s, sixmm_intent_reason refused)
{
    s->live = 0;
    if (sixmm__permanent(s->cause))
        finish(s, SIXMM_OUTCOME_REFUSED, refused);
    else
        next_request(s, SIXMM__READY, 0, SIXMM_INTENT_REASON_RESEND_PROVEN);
}

/* found says "not executed (yet)": NONE for a place or transfer, NONE or an
 * open order for a cancel. */
static void not_executed(struct sixmm__intent *s, int order_missing)
{
    sixmm_reconcile_out r = reconcile(s, SIXMM_FOUND_NONE);

    if (r.step == SIXMM_STEP_RESEND) {
        if (s->kind == SIXMM_INTENT_CANCEL && order_missing)
            finish(s, SIXMM_OUTCOME_REFUSED, SIXMM_INTENT_REASON_DONE_NO_ORDER);
        else
            proven_dead(s, SIXMM_INTENT_REASON_DONE_REFUSED);
    } else if (r.step == SIXMM_STEP_POLL) {
        poll(s, &r, 1);
    } else {
        escalate(s, SIXMM_INTENT_REASON_ESCALATE_RECONCILE);
    }
}

static void not_final(struct sixmm__intent *s, sixmm_found found)
{
    sixmm_reconcile_out r = reconcile(s, found);

    if (r.step == SIXMM_STEP_POLL)
        poll(s, &r, 0);
    else
        escalate(s, SIXMM_INTENT_REASON_ESCALATE_RECONCILE);
}

static void cancel_found(struct sixmm__intent *s, sixmm_found found)
{
    sixmm_group g = sixmm_status_group((sixmm_status)s->status);

    if (found == SIXMM_FOUND_FINAL && g == SIXMM_GROUP_CLOSED) {
        finish(s, SIXMM_OUTCOME_ACCEPTED, SIXMM_INTENT_REASON_DONE_CLOSED);
    } else if (found == SIXMM_FOUND_FINAL && g == SIXMM_GROUP_COMPLETED) {
        finish(s, SIXMM_OUTCOME_REFUSED, SIXMM_INTENT_REASON_DONE_FILLED);
    } else if (found == SIXMM_FOUND_FINAL || found == SIXMM_FOUND_NONE) {
        /* Open (or a status we do not know): a cancel the server took is
         * still being applied; any other may not have executed. */
        if (s->acked)
            not_final(s, SIXMM_FOUND_PENDING);
        else
            not_executed(s, found == SIXMM_FOUND_NONE);
    } else {
        not_final(s, found);
    }
}

static void write_found(struct sixmm__intent *s, sixmm_found found)
{
    if (found == SIXMM_FOUND_FINAL) {
        /* It exists, in any state (REJECTED too): never sent again. */
        if (s->refused_seen)
            s->alert = SIXMM_ALERT_RECONCILE_DIFFERENCE;
        finish(s, SIXMM_OUTCOME_ACCEPTED, SIXMM_INTENT_REASON_DONE_FOUND);
    } else if (found == SIXMM_FOUND_NONE && !s->acked) {
        not_executed(s, 1);
    } else {
        /* Pending, a failed query, or not yet visible after a success. */
        not_final(s, found == SIXMM_FOUND_NONE ? SIXMM_FOUND_PENDING : found);
    }
}

int sixmm_intent_found(sixmm_intent *it, sixmm_found found, const char *status,
                       size_t status_len)
{
    struct sixmm__intent *s;
    sixmm_status st = SIXMM_STATUS_UNKNOWN;

    if (!it || (unsigned)found > SIXMM_FOUND_QUERY_FAILED || (status_len && !status))
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s))
        return -1;
    if (status_len && sixmm_status_parse_wire(status, status_len, &st) < 0)
        st = SIXMM_STATUS_UNKNOWN; /* a status the spec does not know yet */
    if (found == SIXMM_FOUND_FINAL && st == SIXMM_STATUS_PROCESSING)
        found = SIXMM_FOUND_PENDING; /* PROCESSING is neither success nor failure */
    if (s->phase == SIXMM__DONE) {
        /* Recording the final status of an accepted intent. */
        if (s->outcome != SIXMM_OUTCOME_ACCEPTED || found != SIXMM_FOUND_FINAL ||
            st == SIXMM_STATUS_UNKNOWN)
            return -1;
        s->status = (uint8_t)st;
        return 0;
    }
    if (!write_kind(s) || (s->phase != SIXMM__QUERY && s->phase != SIXMM__QUERIED))
        return -1;
    if (s->phase == SIXMM__QUERY) {
        /* No querying() before: the query was made all the same. */
        if (s->queries < UINT16_MAX)
            s->queries++;
        if (s->round_queries < UINT16_MAX)
            s->round_queries++;
    }
    s->request_over = 1;
    if (st != SIXMM_STATUS_UNKNOWN)
        s->status = (uint8_t)st;
    if (s->kind == SIXMM_INTENT_CANCEL)
        cancel_found(s, found);
    else
        write_found(s, found);
    return 0;
}

int sixmm_intent_restart(sixmm_intent *it)
{
    struct sixmm__intent *s;

    if (!it)
        return -1;
    s = sixmm__state(it);
    if (!sixmm__intent_valid(s))
        return -1;
    /* The process that held the turn, the slot and the clock is gone. */
    s->slot_held = s->request_over = s->need_sync = s->budget_success = 0;
    s->ticket = SIXMM_THROTTLE_NO_TICKET;
    s->turn_mono_ms = 0;
    switch (s->phase) {
    case SIXMM__SEND:
        s->phase = SIXMM__READY;
        break;
    case SIXMM__QUERY:
        s->phase = SIXMM__RECONCILE;
        break;
    case SIXMM__SENT:
    case SIXMM__QUERIED:
        if (!write_kind(s)) {
            next_request(s, SIXMM__READY, 0, SIXMM_INTENT_REASON_RESEND_READ);
        } else {
            /* The send may be in flight. */
            s->round_queries = 0;
            next_request(s, SIXMM__RECONCILE, 0, SIXMM_INTENT_REASON_QUERY_RESTART);
        }
        break;
    default:
        break;
    }
    return 0;
}
