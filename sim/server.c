/* server.c: a 6MM-like server, as the docs describe it.
 *
 * A place request executes only when its token is valid, its signed
 * timestamp is within the signature window of server time, and its
 * signature was never accepted before (else 3004, "Signature replay
 * detected"). It does NOT deduplicate clientOrderId: the docs do not promise
 * it, so the simulation takes the worst case. A status query sees an
 * execution only after a lag. The Agent quota is enforced and every request
 * beyond it is counted. Faults decide the rest. */
#include "sim.h"

#include <string.h>

#include "sim_spec.h"

#define PROCESS_MIN_MS 2
#define PROCESS_MAX_MS 20

void sim_server_init(sim_world *w)
{
    for (uint32_t i = 0; i < w->cfg.clients; i++) {
        memset(&w->server[i], 0, sizeof w->server[i]);
        w->server[i].token_expires = UINT64_MAX;
        sim_server_refresh_token(w, i);
    }
}

void sim_server_refresh_token(sim_world *w, uint32_t client)
{
    sim_server_client *c = &w->server[client];
    c->token_gen++;
    c->token_expires = w->cfg.f.token_life_s
        ? w->now + (uint64_t)w->cfg.f.token_life_s * 1000 : UINT64_MAX;
}

/* GCRA: conforming when the theoretical arrival time is at most (burst - 1)
 * intervals (plus slack) ahead. Only a conforming arrival moves it. */
static int conforms(uint64_t *tat_us, uint64_t now_ms, uint32_t rate, uint32_t burst,
                    uint64_t slack_ms)
{
    uint64_t now = now_ms * 1000, interval = 1000000 / rate;
    uint64_t tat = *tat_us > now ? *tat_us : now;
    if (tat - now > (uint64_t)(burst - 1) * interval + slack_ms * 1000)
        return 0;
    *tat_us = tat + interval;
    return 1;
}

static int in_outage(const sim_world *w)
{
    uint64_t from = SIM_EPOCH_MS + (uint64_t)w->cfg.f.outage_at_s * 1000;
    return w->cfg.f.outage_s && w->now >= from
        && w->now < from + (uint64_t)w->cfg.f.outage_s * 1000;
}

static void agent_query(sim_world *w, sim_server_client *c, const sim_event *req, uint64_t done)
{
    unsigned busy = 0, free_slot = 0;
    for (unsigned i = 0; i < SIM_AGENT_SLOTS; i++) {
        if (c->agent_busy[i] > w->now)
            busy++;
        else
            free_slot = i;
    }
    /* The quota is judged on what the client sent: arrivals may bunch by
     * the network's jitter, which no client controls, so that much slack. */
    uint64_t jitter = w->cfg.latency_max_ms - w->cfg.latency_min_ms;
    if (busy >= SIM_AGENT_CONCURRENCY
        || !conforms(&c->agent_tat_us, w->now, SIM_AGENT_RATE_PER_S, SIM_AGENT_BURST, jitter)) {
        w->st.quota_violations++;
        sim_net_respond(w, req, done, SIXMM_AGENT_E_QUOTA_EXHAUSTED, MSG_NONE);
        return;
    }
    c->agent_busy[free_slot] = done;
    if (sim_rng_chance(&w->rng, w->cfg.f.err5002))
        sim_net_respond(w, req, done, SIXMM_AGENT_E_SERVICE_UNAVAILABLE, MSG_NONE);
    else
        sim_net_respond(w, req, done, 0, MSG_SUCCESS);
}

static void place(sim_world *w, const sim_event *req, uint64_t done)
{
    const sim_faults *f = &w->cfg.f;
    sim_ledger *l = &w->ledger[req->intent];
    if (sim_rng_chance(&w->rng, f->err5002)) {
        sim_net_respond(w, req, done, SIXMM_E_SERVICE_UNAVAILABLE, MSG_NONE);
        return;
    }
    if (sim_rng_chance(&w->rng, f->err5001_before)) {
        sim_net_respond(w, req, done, SIXMM_E_INTERNAL_ERROR, MSG_NONE);
        return;
    }
    if (l->execs == 0)
        l->exec_at = w->now;
    if (l->execs < UINT8_MAX)
        l->execs++;
    if (sim_rng_chance(&w->rng, f->err5001_after))
        sim_net_respond(w, req, done, SIXMM_E_INTERNAL_ERROR, MSG_NONE);
    else
        sim_net_respond(w, req, done, 0, MSG_SUCCESS);
}

static void query(sim_world *w, const sim_event *req, uint64_t done)
{
    const sim_ledger *l = &w->ledger[req->intent];
    if (sim_rng_chance(&w->rng, w->cfg.f.query_fail)) {
        sim_net_respond(w, req, done, SIXMM_E_INTERNAL_ERROR, MSG_NONE);
        return;
    }
    uint64_t lag = sim_rng_range(&w->rng, 0, w->cfg.f.query_lag_ms);
    if (l->execs && l->exec_at + lag <= w->now)
        sim_net_respond(w, req, done, 0, MSG_SUCCESS);
    else
        sim_net_respond(w, req, done, SIXMM_E_ORDER_NOT_FOUND, MSG_NONE);
}

void sim_server_arrive(sim_world *w, const sim_event *req)
{
    if (in_outage(w))
        return;   /* unreachable: the client times out */
    /* The request's API key: the client that owns the intent. */
    uint32_t who = w->intents[req->intent].client;
    sim_server_client *c = &w->server[who];
    uint64_t done = w->now + sim_rng_range(&w->rng, PROCESS_MIN_MS, PROCESS_MAX_MS);
    if (req->kind == REQ_AGENT) {
        agent_query(w, c, req, done);
        return;
    }
    /* The replay rule comes first. Were a second copy of a request that
     * executed answered 1002 or 429 instead, no client could tell that
     * answer from a refusal of the only copy, and no resend would be safe. */
    if (req->kind == REQ_PLACE) {
        uint64_t bit = (uint64_t)1 << req->sig;
        if (w->ledger[req->intent].seen & bit) {
            sim_net_respond(w, req, done, SIXMM_E_DUPLICATE_REQUEST, MSG_REPLAY);
            return;
        }
        w->ledger[req->intent].seen |= bit;
    }
    if (!conforms(&c->rest_tat_us, w->now, w->cfg.rest_rate, w->cfg.rest_burst, 0)) {
        w->st.rate_limited++;
        sim_net_respond(w, req, done, SIXMM_E_RATE_LIMITED, MSG_NONE);
        return;
    }
    if (req->token != c->token_gen || w->now >= c->token_expires) {
        sim_net_respond(w, req, done, SIXMM_E_TOKEN_EXPIRED, MSG_NONE);
        return;
    }
    int64_t skew = (int64_t)w->now - req->ts;
    if (skew > (int64_t)SIM_REST_WINDOW_MS || skew < -(int64_t)SIM_REST_WINDOW_MS) {
        /* The docs name the message but no code; 1003 is the simulation's choice. */
        sim_net_respond(w, req, done, SIXMM_E_INVALID_CREDENTIALS, MSG_TIMESTAMP);
        return;
    }
    if (req->kind == REQ_PLACE)
        place(w, req, done);
    else
        query(w, req, done);
}
