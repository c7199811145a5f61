/* policy_ours.c: the loop docs/ADVISOR.md tells a user to write, step by
 * step: classify, feed the throttle, let the budget veto, then resend,
 * reconcile or stop. The throttle turns themselves are taken by client.c
 * before every send (ops.throttled). */
#include "policy.h"

#include <string.h>

#include "sim_spec.h"

static void call_from(const sim_port *p, const sim_outcome *o, sixmm_domain domain,
                      int idempotent, unsigned attempt, sixmm_call *call)
{
    memset(call, 0, sizeof *call);
    call->domain = domain;
    call->idempotent = idempotent;
    call->attempt = attempt;
    if (o->timed_out)
        return;
    call->http_status = o->http;
    call->has_code = o->has_code;
    call->code = o->code;
    call->message = p->msg_text[o->msg];
    call->message_len = p->msg_len[o->msg];
}

static sim_decision send_after(sim_next next, uint32_t delay_ms)
{
    sim_decision d = {V_SEND, next, delay_ms, NULL};
    return d;
}

static sim_decision stop(sim_verdict v, const char *reason)
{
    sim_decision d = {v, NEXT_PLACE, 0, reason};
    return d;
}

/* A stop the library advised: a definitive rejection, or an operator's call
 * (the budget refused, or the class ran out of attempts). */
static sim_decision stopped(const sixmm_advice *a, int refused)
{
    if (refused)
        return stop(V_ESCALATED, a->reason);
    switch (a->action) {
    case SIXMM_RETRY_FIX_REQUEST:
    case SIXMM_RETRY_CHECK_CREDENTIALS:
    case SIXMM_RETRY_NEVER:
        return stop(V_REJECTED, NULL);
    default:
        return stop(V_ESCALATED, a->reason);
    }
}

/* Steps 3 of the loop: classify, feedback, budget. Fixes what the advice
 * names before a resend (a token refresh already happened in client.c). */
static int advise(sim_port *p, const sim_outcome *o, sixmm_domain domain, int idempotent,
                  unsigned attempt, sixmm_advice *a)
{
    sixmm_call call;
    call_from(p, o, domain, idempotent, attempt, &call);
    if (sixmm_classify(&call, sim_rng_u32(p->rng), a) != 0)
        sim_fatal("sixmm_classify refused a call");
    int k = domain == SIXMM_DOMAIN_AGENT;
    sixmm_throttle_feedback(p->throttle[k], a, p->now);
    int refused = sixmm_budget_apply(p->budget[k], a);
    *p->budget_refusals += (uint64_t)refused;
    if (a->action == SIXMM_RETRY_RESYNC_CLOCK)
        p->resync = 1;
    return refused;
}

/* After a place or an Agent query: done, resend, reconcile (an order whose
 * outcome is unknown) or stop. */
static sim_decision after_call(sim_port *p, sim_intent *in, const sim_outcome *o,
                               sixmm_domain domain, sim_next again)
{
    sixmm_advice a;
    int idempotent = again == NEXT_AGENT;
    int refused = advise(p, o, domain, idempotent, in->attempt, &a);
    if (a.action == SIXMM_RETRY_NONE)
        return stop(V_EXECUTED, NULL);
    if (a.resend) {
        in->attempt++;
        return send_after(again, a.delay_ms);
    }
    if (!idempotent && a.action == SIXMM_RETRY_RECONCILE) {
        in->rec_attempt = 1;
        return send_after(NEXT_QUERY, 0);
    }
    return stopped(&a, refused);
}

static sim_decision place(sim_port *p, sim_intent *in, const sim_outcome *o)
{
    return after_call(p, in, o, SIXMM_DOMAIN_REST, NEXT_PLACE);
}

static sim_decision query(sim_port *p, sim_intent *in, const sim_outcome *o)
{
    /* The query is a call too: its advice may say to resync the clock, and
     * a throttled answer pushes the throttle back. */
    sixmm_advice a;
    advise(p, o, SIXMM_DOMAIN_REST, 1, in->rec_attempt, &a);
    sixmm_reconcile_in q = {
        .domain = SIXMM_DOMAIN_REST,
        .found = o->timed_out || o->not_sent || !o->has_code ? SIXMM_FOUND_QUERY_FAILED
               : o->code == 0 ? SIXMM_FOUND_FINAL
               : o->code == SIXMM_E_ORDER_NOT_FOUND ? SIXMM_FOUND_NONE
               : SIXMM_FOUND_QUERY_FAILED,
        .signed_at_ms = (uint64_t)in->signed_at,
        /* The answer tells the state when the query was signed and sent,
         * so that instant is "now"; a clock read after the answer is later
         * by the answer's latency, and by any clock step in between. */
        .now_ms = (uint64_t)in->query_at,
        /* Its clock is the system clock plus a measured offset, with no
         * true bound on its error: the window is the one safe bound. */
        .clock_error_ms = SIM_REST_WINDOW_MS,
        .attempt = in->rec_attempt,
    };
    sixmm_reconcile_out r;
    if (sixmm_reconcile(&q, sim_rng_u32(p->rng), &r) != 0)
        sim_fatal("sixmm_reconcile refused its input");
    switch (r.step) {
    case SIXMM_STEP_DONE:
        return stop(V_EXECUTED, NULL);
    case SIXMM_STEP_POLL:
        in->rec_attempt++;
        return send_after(NEXT_QUERY, r.delay_ms);
    case SIXMM_STEP_RESEND:
        in->attempt++;
        return send_after(NEXT_PLACE, 0);
    case SIXMM_STEP_ESCALATE:
    default:
        return stop(V_ESCALATED, r.reason);
    }
}

static sim_decision agent(sim_port *p, sim_intent *in, const sim_outcome *o)
{
    return after_call(p, in, o, SIXMM_DOMAIN_AGENT, NEXT_AGENT);
}

const sim_policy_ops *sim_policy_ours(void)
{
    static const sim_policy_ops ops = {1, place, query, agent};
    return &ops;
}
