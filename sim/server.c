/* server.c: a 6MM-like server, as the docs describe it, and the variants
 * the docs leave open.
 *
 * A place request executes only when its token is valid, its signed
 * timestamp is within the signature window of server time, it is within the
 * REST limit, and its signature is not remembered as seen (else 3004,
 * "Signature replay detected"). The order of those checks, and whether a
 * signature is remembered when it first passes the replay check or only
 * when its order executes, is --server-order; how long it is remembered is
 * --replay-memory-s. It does NOT deduplicate clientOrderId: the docs do not
 * promise it, so the simulation takes the worst case. An executed order
 * ends FILLED, REJECTED, PENDING or PARTIALLY_FILLED. A status query sees
 * an execution only after a lag, which rises toward its bound during
 * incidents with --lag-correlated. The Agent quota is enforced and every
 * request beyond it is counted. Faults decide the rest. */
#include "sim.h"

#include <math.h>
#include <string.h>

#include "sim_spec.h"

#define PROCESS_MIN_MS 2
#define PROCESS_MAX_MS 20
/* --lag-correlated: each injected fault raises the incident level by this
 * much; it decays by half every STRESS_HALF_LIFE_MS; an outage sets it to 1. */
#define STRESS_STEP 0.05
#define STRESS_HALF_LIFE_MS 10000.0

void sim_server_init(sim_world *w)
{
    memset(w->server, 0, w->cfg.clients * sizeof *w->server);
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

static double stress(sim_world *w)
{
    if (in_outage(w))
        return 1;
    double s = w->stress * exp2(-(double)(w->now - w->stress_at) / STRESS_HALF_LIFE_MS);
    w->stress = s;
    w->stress_at = w->now;
    return s;
}

/* A fault fired: with --lag-correlated the server is under more stress. */
static int fault(sim_world *w, double p)
{
    if (!sim_rng_chance(&w->rng, p))
        return 0;
    if (w->cfg.lag_correlated) {
        double s = stress(w) + STRESS_STEP;
        w->stress = s > 1 ? 1 : s;
    }
    return 1;
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
     * the network's jitter, which no client controls, so that much slack.
     * And a client's throttle runs on its monotonic clock, which may run
     * fast by up to the clock's drift bound: over a stretch in which the
     * quota stays taken (and a burst before it), its turns come early by
     * that fraction, so the slack grows by it too. A throttle that paced at
     * the rate less the drift bound would need no such slack. */
    if (c->agent_tat_us <= w->now * 1000)
        c->agent_backlog_from = w->now;
    uint64_t span_ms = w->now - c->agent_backlog_from
                     + (uint64_t)SIM_AGENT_BURST * 1000 / SIM_AGENT_RATE_PER_S;
    uint64_t jitter = w->cfg.latency_max_ms - w->cfg.latency_min_ms
                    + (span_ms * SIM_CLOCK_DRIFT_PPM + 999999) / 1000000;
    if (busy >= SIM_AGENT_CONCURRENCY
        || !conforms(&c->agent_tat_us, w->now, SIM_AGENT_RATE_PER_S, SIM_AGENT_BURST, jitter)) {
        w->st.quota_violations++;
        sim_net_respond(w, req, done, SIXMM_AGENT_E_QUOTA_EXHAUSTED, MSG_NONE, OS_NONE);
        return;
    }
    c->agent_busy[free_slot] = done;
    if (fault(w, w->cfg.f.err5002))
        sim_net_respond(w, req, done, SIXMM_AGENT_E_SERVICE_UNAVAILABLE, MSG_NONE, OS_NONE);
    else
        sim_net_respond(w, req, done, 0, MSG_SUCCESS, OS_NONE);
}

static void remember(sim_world *w, const sim_event *req)
{
    w->ledger[req->intent].seen |= (uint32_t)1 << req->sig;
    if (w->seen_at)
        w->seen_at[(size_t)req->intent * SIM_MAX_SIGS + req->sig] = (uint32_t)(w->now - SIM_EPOCH_MS);
}

static int remembered(const sim_world *w, const sim_event *req)
{
    if (!(w->ledger[req->intent].seen & ((uint32_t)1 << req->sig)))
        return 0;
    if (!w->seen_at)
        return 1;
    uint64_t at = SIM_EPOCH_MS + w->seen_at[(size_t)req->intent * SIM_MAX_SIGS + req->sig];
    return w->now - at < (uint64_t)w->cfg.replay_memory_s * 1000;
}

static sim_order_status final_status(sim_world *w)
{
    const sim_faults *f = &w->cfg.f;
    double u = (double)(sim_rng_next(&w->rng) >> 11) * 0x1.0p-53;
    return u < f->reject ? OS_REJECTED
         : u < f->reject + f->pending ? OS_PENDING
         : u < f->reject + f->pending + f->partial ? OS_PARTIAL : OS_FILLED;
}

static void place(sim_world *w, const sim_event *req, uint64_t done)
{
    const sim_faults *f = &w->cfg.f;
    sim_ledger *l = &w->ledger[req->intent];
    if (fault(w, f->err5002)) {
        sim_net_respond(w, req, done, SIXMM_E_SERVICE_UNAVAILABLE, MSG_NONE, OS_NONE);
        return;
    }
    if (fault(w, f->err5001_before)) {
        sim_net_respond(w, req, done, SIXMM_E_INTERNAL_ERROR, MSG_NONE, OS_NONE);
        return;
    }
    if (w->cfg.order == ORDER_ACCEPTED_ONLY)
        remember(w, req);
    if (l->execs == 0) {
        l->exec_at = w->now;
        l->status = (uint8_t)final_status(w);
    }
    if (l->execs < UINT8_MAX)
        l->execs++;
    if (fault(w, f->err5001_after))
        sim_net_respond(w, req, done, SIXMM_E_INTERNAL_ERROR, MSG_NONE, OS_NONE);
    else
        sim_net_respond(w, req, done, 0, MSG_SUCCESS, OS_NONE);
}

static void query(sim_world *w, const sim_event *req, uint64_t done)
{
    const sim_ledger *l = &w->ledger[req->intent];
    if (fault(w, w->cfg.f.query_fail)) {
        sim_net_respond(w, req, done, SIXMM_E_INTERNAL_ERROR, MSG_NONE, OS_NONE);
        return;
    }
    uint64_t bound = w->cfg.f.query_lag_ms;
    uint64_t low = w->cfg.lag_correlated ? (uint64_t)(stress(w) * (double)bound) : 0;
    uint64_t lag = sim_rng_range(&w->rng, low, bound);
    if (l->execs && l->exec_at + lag <= w->now)
        sim_net_respond(w, req, done, 0, MSG_SUCCESS, (sim_order_status)l->status);
    else
        sim_net_respond(w, req, done, SIXMM_E_ORDER_NOT_FOUND, MSG_NONE, OS_NONE);
}

enum check { CHECK_REPLAY, CHECK_LIMIT, CHECK_TOKEN, CHECK_WINDOW };

static const enum check check_order[SIM_ORDERS][4] = {
    [ORDER_REPLAY_FIRST] = {CHECK_REPLAY, CHECK_LIMIT, CHECK_TOKEN, CHECK_WINDOW},
    [ORDER_LIMIT_FIRST] = {CHECK_LIMIT, CHECK_REPLAY, CHECK_TOKEN, CHECK_WINDOW},
    [ORDER_WINDOW_FIRST] = {CHECK_WINDOW, CHECK_REPLAY, CHECK_LIMIT, CHECK_TOKEN},
    [ORDER_ACCEPTED_ONLY] = {CHECK_LIMIT, CHECK_TOKEN, CHECK_WINDOW, CHECK_REPLAY},
};

/* Runs one check; 0 when the request passes it, else it has been answered. */
static int refuses(sim_world *w, sim_server_client *c, const sim_event *req, uint64_t done,
                   enum check k)
{
    switch (k) {
    case CHECK_REPLAY:
        if (req->kind != REQ_PLACE)
            return 0;
        if (remembered(w, req)) {
            sim_net_respond(w, req, done, SIXMM_E_DUPLICATE_REQUEST, MSG_REPLAY, OS_NONE);
            return 1;
        }
        if (w->cfg.order != ORDER_ACCEPTED_ONLY)
            remember(w, req);
        return 0;
    case CHECK_LIMIT:
        if (conforms(&c->rest_tat_us, w->now, w->cfg.rest_rate, w->cfg.rest_burst, 0))
            return 0;
        w->st.rate_limited++;
        sim_net_respond(w, req, done, SIXMM_E_RATE_LIMITED, MSG_NONE, OS_NONE);
        return 1;
    case CHECK_TOKEN: {
        const sim_faults *f = &w->cfg.f;
        uint64_t wave = SIM_EPOCH_MS + (uint64_t)f->token_wave_at_s * 1000;
        int expired = (f->token_life_s && w->now >= req->token + (uint64_t)f->token_life_s * 1000)
                   || (f->token_wave_at_s && req->token < wave && w->now >= wave);
        if (!expired)
            return 0;
        sim_net_respond(w, req, done, SIXMM_E_TOKEN_EXPIRED, MSG_NONE, OS_NONE);
        return 1;
    }
    case CHECK_WINDOW: {
        int64_t skew = (int64_t)w->now - req->ts;
        if (skew <= (int64_t)SIM_REST_WINDOW_MS && skew >= -(int64_t)SIM_REST_WINDOW_MS)
            return 0;
        /* The docs name the message but no code; 1003 is the simulation's choice. */
        sim_net_respond(w, req, done, SIXMM_E_INVALID_CREDENTIALS, MSG_TIMESTAMP, OS_NONE);
        return 1;
    }
    }
    return 0;
}

void sim_server_arrive(sim_world *w, const sim_event *req)
{
    if (in_outage(w))
        return;   /* unreachable: the client times out */
    /* The request's API key: the client (merchant) that owns the intent. */
    uint32_t who = w->procs[w->intents[req->intent].proc].client;
    sim_server_client *c = &w->server[who];
    uint64_t done = w->now + sim_rng_range(&w->rng, PROCESS_MIN_MS, PROCESS_MAX_MS);
    if (req->kind == REQ_AGENT) {
        agent_query(w, c, req, done);
        return;
    }
    if (req->kind == REQ_TIME) {
        /* The stamp falls somewhere inside the server's handling. */
        sim_event r = *req;
        r.ts = (int64_t)sim_rng_range(&w->rng, w->now, done);
        sim_net_respond(w, &r, done, 0, MSG_SUCCESS, OS_NONE);
        return;
    }
    for (int i = 0; i < 4; i++)
        if (refuses(w, c, req, done, check_order[w->cfg.order][i]))
            return;
    if (req->kind == REQ_PLACE)
        place(w, req, done);
    else
        query(w, req, done);
}
