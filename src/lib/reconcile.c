/*
 * The reconcile step: what to do after a status query by the original
 * clientOrderId, when a send's outcome is unknown.
 *
 * A request signed with timestamp T can still execute while the server's
 * clock is within the signature window of T, and an order it placed may take
 * the status query's lag to show. So "not found" proves that the original
 * never executed only once
 *     now_ms - clock_error_ms >= signed_at_ms + window_ms + lag_ms
 * (a clock error that is not known counts as one window); before that
 * instant the step polls again exactly at it, after it the same
 * clientOrderId is sent again (new timestamp, new signature). A domain that
 * documents no window has no such instant: there "not found" never resends.
 * A pending order and a failed query poll with the domain's backoff, as an
 * idempotent call would, and escalate at the spec's query limit. Pure
 * function of its input: no state, no allocation.
 */
#include <sixmm/errinfo.h>

#include "retry_policy.h"

/* The reasons are the spec's (enum reconcile_reason), in English: a log
 * line, static. */
#define REASON(r) sixmm_reconcile_reason_text(SIXMM_RECONCILE_REASON_##r, SIXMM_LANG_EN)

static int escalate(sixmm_reconcile_out *out, const char *reason)
{
    out->step = SIXMM_STEP_ESCALATE;
    out->delay_ms = 0;
    out->reason = reason;
    return 0;
}

static int query_again(sixmm_reconcile_out *out, uint32_t delay_ms, const char *reason)
{
    out->step = SIXMM_STEP_POLL;
    out->delay_ms = delay_ms;
    out->reason = reason;
    return 0;
}

static uint64_t add_saturating(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A pending order or a failed query: the next query after the backoff, or
 * escalate when this was the last query allowed. */
static int poll_backoff(const sixmm_reconcile_in *in, const struct sixmm__retry_policy *p,
                        uint32_t random, sixmm_reconcile_out *out, const char *reason)
{
    uint32_t base_ms = 0, cap_ms = 0;
    unsigned attempt = in->attempt ? in->attempt : 1;

    if (attempt >= p->max_queries)
        return escalate(out, REASON(LIMIT));
    (void)sixmm_backoff_policy(in->domain, &base_ms, &cap_ms);
    return query_again(out, sixmm_backoff_ms(base_ms, cap_ms, attempt, random), reason);
}

static int not_found(const sixmm_reconcile_in *in, const struct sixmm__retry_policy *p,
                     uint32_t random, sixmm_reconcile_out *out)
{
    uint64_t instant, error;

    if (!p->has_window)
        return poll_backoff(in, p, random, out, REASON(NO_WINDOW));
    /* The instant on the caller's clock: signed + window + lag, plus the
     * clock error (now_ms - clock_error_ms >= x is now_ms >= x + error). An
     * instant beyond 64 bits is never reached: such a send never resends. */
    error = in->clock_error_ms == SIXMM_CLOCK_ERROR_UNKNOWN ? p->window_ms : in->clock_error_ms;
    instant = add_saturating(in->signed_at_ms, p->window_ms);
    instant = add_saturating(add_saturating(instant, p->lag_ms), error);
    if (in->now_ms >= instant && instant != UINT64_MAX) {
        out->step = SIXMM_STEP_RESEND;
        out->delay_ms = 0;
        out->reason = REASON(RESEND);
        return 0;
    }
    if ((in->attempt ? in->attempt : 1) >= p->max_queries)
        return escalate(out, REASON(LIMIT));
    /* A wait beyond 32 bits (a timestamp far ahead) is polled in steps of
     * the longest delay; it never resends early. */
    return query_again(
        out, instant - in->now_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)(instant - in->now_ms),
        REASON(WINDOW));
}

int sixmm_reconcile(const sixmm_reconcile_in *in, uint32_t random, sixmm_reconcile_out *out)
{
    const struct sixmm__retry_policy *p;

    if (!out)
        return -1;
    if (!in || (unsigned)in->domain >= SIXMM_DOMAIN_COUNT) {
        escalate(out, REASON(INVALID));
        return -1;
    }
    p = &sixmm__retry_policies[in->domain];
    switch (in->found) {
    case SIXMM_FOUND_FINAL:
        out->step = SIXMM_STEP_DONE;
        out->delay_ms = 0;
        out->reason = REASON(FINAL);
        return 0;
    case SIXMM_FOUND_NONE:
        return not_found(in, p, random, out);
    case SIXMM_FOUND_PENDING:
        return poll_backoff(in, p, random, out, REASON(PENDING));
    case SIXMM_FOUND_QUERY_FAILED:
        return poll_backoff(in, p, random, out, REASON(FAILED));
    }
    escalate(out, REASON(INVALID));
    return -1;
}
