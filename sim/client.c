/* client.c: the client side every policy shares. It starts intents, makes
 * and signs each send (through the throttle when the policy uses one),
 * waits for the answer or the timeout, refreshes an expired token, keeps the
 * clock offset, and hands each answer to the policy. */
#include "policy.h"

#include <math.h>
#include <string.h>

#include "sim_spec.h"

/* A clock step lands up to this far beyond the point where every request
 * it signs is refused (the window plus the longest one-way latency). */
#define DRIFT_EXTRA_MAX_MS 5000

static const sim_policy_ops *ops(const sim_world *w)
{
    return w->cfg.policy == POLICY_OURS ? sim_policy_ours() : sim_policy_naive(w->cfg.policy);
}

static uint64_t next_arrival(sim_world *w)
{
    /* Poisson arrivals: exponential gaps, at least 1 ms. */
    double u = ((double)(sim_rng_next(&w->rng) >> 11) + 1) * 0x1.0p-53;
    double gap = -log(u) * 1000.0 / w->cfg.intents_per_s;
    return w->now + (gap < 1 ? 1 : (uint64_t)gap);
}

static void resync(sim_world *w, uint32_t client)
{
    sim_clock_resync(&w->clients[client].clock, &w->rng, w->cfg.sync_error_ms, w->now);
}

static int64_t clock_now(const sim_world *w, uint32_t client)
{
    return sim_clock_read(&w->clients[client].clock, w->now);
}

void sim_client_init(sim_world *w)
{
    for (uint32_t i = 0; i < w->cfg.clients; i++) {
        sim_client *c = &w->clients[i];
        memset(c, 0, sizeof *c);
        /* REST documents no quota: the client paces itself at the limit
         * its account was given (--rest-rate); the Agent quota is the spec's. */
        if (sixmm_throttle_init_custom(&c->rest, w->cfg.rest_rate, w->cfg.rest_burst, 16) != 0
            || sixmm_throttle_init(&c->agent, SIXMM_DOMAIN_AGENT) != 0
            || sixmm_budget_init(&c->budget_rest, SIXMM_DOMAIN_REST) != 0
            || sixmm_budget_init(&c->budget_agent, SIXMM_DOMAIN_AGENT) != 0)
            sim_fatal("the library refused to set up a throttle or budget");
        for (int k = 0; k < 2; k++)
            c->busy_head[k] = c->busy_tail[k] = SIM_NONE;
        resync(w, i);
        c->token = w->server[i].token_gen;
        sim_event e = {.type = EV_INTENT, .intent = i, .at = next_arrival(w)};
        sim_schedule(w, &e);
    }
}

static sixmm_throttle *throttle_of(sim_world *w, const sim_intent *in)
{
    sim_client *c = &w->clients[in->client];
    return in->next == NEXT_AGENT ? &c->agent : &c->rest;
}

static int throttle_index(const sim_intent *in) { return in->next == NEXT_AGENT; }

static void wait_busy(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    sim_client *c = &w->clients[in->client];
    int k = throttle_index(in);
    in->busy_next = SIM_NONE;
    if (c->busy_tail[k] == SIM_NONE)
        c->busy_head[k] = id;
    else
        w->intents[c->busy_tail[k]].busy_next = id;
    c->busy_tail[k] = id;
}

/* A slot came free: the oldest intent that found the throttle BUSY asks again. */
static void wake_busy(sim_world *w, sim_client *c, int k)
{
    uint32_t id = c->busy_head[k];
    if (id == SIM_NONE)
        return;
    c->busy_head[k] = w->intents[id].busy_next;
    if (c->busy_head[k] == SIM_NONE)
        c->busy_tail[k] = SIM_NONE;
    sim_event e = {.type = EV_WAKE, .intent = id, .at = w->now};
    sim_schedule(w, &e);
}

static void finish(sim_world *w, sim_intent *in, sim_state how)
{
    in->state = (uint8_t)how;
    in->end = w->now;
}

static void transmit(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    sim_client *c = &w->clients[in->client];
    const sim_faults *f = &w->cfg.f;
    if (w->now - c->clock.last_sync >= (uint64_t)w->cfg.sync_every_s * 1000)
        resync(w, in->client);
    if (sim_rng_chance(&w->rng, f->drift)) {
        int64_t jump = f->skew_ms ? (int64_t)f->skew_ms
                     : SIM_REST_WINDOW_MS + w->cfg.latency_max_ms + 1
                       + (int64_t)sim_rng_below(&w->rng, DRIFT_EXTRA_MAX_MS);
        c->clock.err = sim_rng_chance(&w->rng, 0.5) ? jump : -jump;
    }
    sim_event req = {.intent = id, .token = c->token};
    int fresh_signature = in->next != NEXT_PLACE_SAME;
    switch ((sim_next)in->next) {
    case NEXT_PLACE:
    case NEXT_PLACE_SAME:
        req.kind = REQ_PLACE;
        if (fresh_signature || in->sends == 0) {
            if (in->sends >= SIM_MAX_SENDS) {
                finish(w, in, ST_ESCALATED);
                return;
            }
            in->signed_at = clock_now(w, in->client);
            in->sends++;
        }
        req.sig = (uint16_t)(in->sends - 1);
        req.ts = in->signed_at;
        if (in->sends > 1 || !fresh_signature)
            w->st.resends++;
        break;
    case NEXT_QUERY:
        req.kind = REQ_QUERY;
        req.ts = in->query_at = clock_now(w, in->client);
        break;
    case NEXT_AGENT:
        req.kind = REQ_AGENT;
        req.ts = clock_now(w, in->client);
        if (in->sends++ > 0)
            w->st.resends++;
        break;
    }
    /* Transmission numbers tell a late answer from the one awaited. */
    req.send = ++in->tag;
    in->waiting = 1;
    in->acquired = 0;
    w->st.requests++;
    sim_net_request(w, &req, req.kind == REQ_PLACE);
    sim_event t = {.type = EV_TIMEOUT, .intent = id, .send = req.send, .kind = req.kind,
                   .at = w->now + w->cfg.timeout_ms};
    sim_schedule(w, &t);
}

/* Run the intent's next step now: take a turn from the throttle (or wait
 * for one), then send. */
static void step(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    if (ops(w)->throttled && !in->acquired) {
        uint32_t wait = sixmm_throttle_acquire(throttle_of(w, in), w->now);
        sim_event e = {.type = EV_WAKE, .intent = id};
        if (wait == SIXMM_THROTTLE_BUSY) {
            wait_busy(w, id);
            return;
        }
        in->acquired = 1;
        if (wait > 0) {
            e.at = w->now + wait;
            sim_schedule(w, &e);
            return;
        }
    }
    transmit(w, id);
}

void sim_client_intent(sim_world *w, const sim_event *e)
{
    sim_client *c = &w->clients[e->intent];
    if (w->started >= w->cfg.intents)
        return;
    uint32_t id = (uint32_t)w->started++;
    sim_intent *in = &w->intents[id];
    memset(in, 0, sizeof *in);
    in->client = e->intent;
    in->start = w->now;
    in->attempt = 1;
    in->kind = sim_rng_chance(&w->rng, w->cfg.agent_share) ? REQ_AGENT : REQ_PLACE;
    in->next = in->kind == REQ_AGENT ? NEXT_AGENT : NEXT_PLACE;
    step(w, id);
    c->next_intent_at = next_arrival(w);
    sim_event n = {.type = EV_INTENT, .intent = e->intent, .at = c->next_intent_at};
    sim_schedule(w, &n);
}

void sim_client_wake(sim_world *w, const sim_event *e)
{
    if (w->intents[e->intent].state == ST_ACTIVE)
        step(w, e->intent);
}

static void answer(sim_world *w, const sim_event *e, const sim_outcome *o)
{
    sim_intent *in = &w->intents[e->intent];
    if (in->state != ST_ACTIVE || !in->waiting || in->tag != e->send)
        return;   /* a late answer, or the timeout of a send already answered */
    in->waiting = 0;
    const sim_policy_ops *p = ops(w);
    if (p->throttled) {
        sixmm_throttle_release(throttle_of(w, in), w->now);
        wake_busy(w, &w->clients[in->client], throttle_index(in));
    }
    /* Every client refreshes an expired token, as any HTTP client does;
     * whether the intent itself is resent is the policy's call. */
    sim_client *c = &w->clients[in->client];
    if (!o->timed_out && o->code == SIXMM_E_TOKEN_EXPIRED && e->kind != REQ_AGENT
        && c->token == w->server[in->client].token_gen) {
        sim_server_refresh_token(w, in->client);
        c->token = w->server[in->client].token_gen;
    }
    sim_port port = {
        .cfg = &w->cfg, .rng = &w->rng, .now = w->now, .clock = &c->clock,
        .throttle = {&c->rest, &c->agent}, .budget = {&c->budget_rest, &c->budget_agent},
        .budget_refusals = &w->st.budget_refusals, .msg_text = w->msg_text, .msg_len = w->msg_len,
    };
    sim_decision d = e->kind == REQ_PLACE ? p->place(&port, in, o)
                   : e->kind == REQ_QUERY ? p->query(&port, in, o) : p->agent(&port, in, o);
    if (d.verdict != V_SEND) {
        finish(w, in, (sim_state)d.verdict);
        return;
    }
    in->next = (uint8_t)d.next;
    if (d.delay_ms == 0) {
        step(w, e->intent);
        return;
    }
    sim_event wake = {.type = EV_WAKE, .intent = e->intent, .at = w->now + d.delay_ms};
    sim_schedule(w, &wake);
}

void sim_client_response(sim_world *w, const sim_event *e)
{
    sim_outcome o = {.http = e->http, .has_code = e->has_code, .code = e->code,
                     .msg = (sim_message)e->msg};
    answer(w, e, &o);
}

void sim_client_timeout(sim_world *w, const sim_event *e)
{
    sim_outcome o = {.timed_out = 1};
    answer(w, e, &o);
}
