/* policy_naive.c: three retry loops as people write them by hand, without
 * the library. They share the client core (token refresh, clock sync) and
 * differ only in what they resend:
 *   retry-all  any error: the very same signed request, up to 5 times;
 *   retry-5xx  5xx, 5xxx codes and timeouts: re-signed, up to 5 times;
 *   never      nothing; every error marks the intent failed.
 * They sign with the system clock plus a measured offset, keep no journal,
 * and after a crash start every unfinished intent over. */
#include "policy.h"

#define NAIVE_RESENDS 5
#define NAIVE_BASE_MS 200
#define NAIVE_CAP_MS 5000

static uint32_t backoff(sim_port *p, unsigned attempt)
{
    uint32_t ceiling = NAIVE_BASE_MS << (attempt < 6 ? attempt - 1 : 5);
    if (ceiling > NAIVE_CAP_MS)
        ceiling = NAIVE_CAP_MS;
    return (uint32_t)sim_rng_range(p->rng, 0, ceiling);
}

/* When a loop gives up, did the server say for sure that nothing happened?
 * A timeout, 5001 or a replay answer leaves the outcome unknown. */
static sim_state give_up(const sim_outcome *o)
{
    if (o->timed_out || o->not_sent || o->code == SIXMM_E_INTERNAL_ERROR
        || o->code == SIXMM_E_DUPLICATE_REQUEST)
        return ST_ABANDONED;
    return ST_REJECTED;
}

static int is_5xx(const sim_outcome *o)
{
    return o->timed_out || o->not_sent || o->http >= 500
        || (o->has_code && o->code >= 5000 && o->code <= 5999);
}

static void start(sim_port *p, sim_intent *in)
{
    (void)p;
    in->attempt = 1;
    in->verdict = ST_ACTIVE;
    in->pending_wait = 0;
    in->next = NEXT_FRESH;
}

static sim_step next(sim_port *p, sim_intent *in)
{
    sim_step s = {.todo = DO_SEND, .sign_ms = p->estimate};
    if (in->verdict != ST_ACTIVE) {
        s.todo = DO_DONE;
        s.result = (sim_state)in->verdict;
    } else if (in->pending_wait) {
        s.todo = DO_WAIT;
        s.wait_ms = in->pending_wait;
        in->pending_wait = 0;
    } else if (in->next == NEXT_SAME) {
        s.todo = DO_SEND_SAME;
    }
    return s;
}

static void sending(sim_port *p, sim_intent *in, sim_req_kind kind, int64_t signed_at)
{
    (void)p; (void)in; (void)kind; (void)signed_at;
}

static void answered(sim_port *p, sim_intent *in, sim_req_kind kind, const sim_outcome *o)
{
    (void)kind;
    if (!o->timed_out && !o->not_sent && o->has_code && o->code == 0) {
        in->verdict = ST_EXECUTED;
        return;
    }
    int retry = p->cfg->policy == POLICY_RETRY_ALL
             || (p->cfg->policy == POLICY_RETRY_5XX && is_5xx(o));
    if (!retry || in->attempt > NAIVE_RESENDS) {
        in->verdict = (uint8_t)give_up(o);
        return;
    }
    in->pending_wait = backoff(p, in->attempt);
    in->attempt++;
    /* retry-all resends the bytes it signed first (the client signs anew
     * only when it has none yet). */
    in->next = p->cfg->policy == POLICY_RETRY_ALL && in->kind == REQ_PLACE ? NEXT_SAME : NEXT_FRESH;
}

static void restart(sim_port *p, sim_intent *in)
{
    start(p, in);
}

const sim_policy_ops *sim_policy_naive(void)
{
    static const sim_policy_ops ops = {0, start, next, sending, answered, restart};
    return &ops;
}
