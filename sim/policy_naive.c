/* policy_naive.c: three retry loops as people write them by hand, without
 * the library. They share the client core (token refresh, clock sync) and
 * differ only in what they resend:
 *   retry-all  any error: the very same signed request, up to 5 times;
 *   retry-5xx  5xx, 5xxx codes and timeouts: re-signed, up to 5 times;
 *   never      nothing; every error marks the intent failed. */
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
static sim_verdict give_up(const sim_outcome *o)
{
    if (o->timed_out || o->not_sent || o->code == SIXMM_E_INTERNAL_ERROR || o->code == SIXMM_E_DUPLICATE_REQUEST)
        return V_ABANDONED;
    return V_REJECTED;
}

static int is_5xx(const sim_outcome *o)
{
    return o->timed_out || o->not_sent || o->http >= 500 || (o->has_code && o->code >= 5000 && o->code <= 5999);
}

static sim_decision decide(sim_port *p, sim_intent *in, const sim_outcome *o, sim_next again)
{
    sim_decision d = {V_EXECUTED, again, 0, NULL};
    if (!o->timed_out && !o->not_sent && o->has_code && o->code == 0)
        return d;
    int retry = p->cfg->policy == POLICY_RETRY_ALL
             || (p->cfg->policy == POLICY_RETRY_5XX && is_5xx(o));
    if (!retry || in->attempt > NAIVE_RESENDS) {
        d.verdict = give_up(o);
        return d;
    }
    d.verdict = V_SEND;
    d.delay_ms = backoff(p, in->attempt);
    in->attempt++;
    return d;
}

static sim_decision place(sim_port *p, sim_intent *in, const sim_outcome *o)
{
    return decide(p, in, o, p->cfg->policy == POLICY_RETRY_ALL ? NEXT_PLACE_SAME : NEXT_PLACE);
}

static sim_decision agent(sim_port *p, sim_intent *in, const sim_outcome *o)
{
    return decide(p, in, o, NEXT_AGENT);
}

static sim_decision no_query(sim_port *p, sim_intent *in, const sim_outcome *o)
{
    (void)p; (void)in; (void)o;
    sim_fatal("a hand-written loop never queries");
}

const sim_policy_ops *sim_policy_naive(sim_policy which)
{
    (void)which;
    static const sim_policy_ops ops = {0, place, no_query, agent};
    return &ops;
}
