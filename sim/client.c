/* client.c: the client side every policy shares, and nothing but I/O. Each
 * client (merchant) runs --processes processes; each process starts
 * intents and, for each, asks its policy what to do next and does it:
 * sends (a place or an Agent query), status queries and /v1/time exchanges,
 * with timeouts and waits on its monotonic clock. It refreshes an expired
 * token, as any HTTP client does, and may crash and restart. */
#include "policy.h"
#include "quota.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_spec.h"

/* A system clock step lands up to this far beyond the point where every
 * request it signs is refused (the window plus the longest one-way latency). */
#define STEP_EXTRA_MAX_MS 5000
/* A crashed process is back no sooner than this: the time a process manager
 * takes to start it again, and, because a process that owns its throttle
 * starts it full, long enough for the quota's whole burst to drain. */
#define RESTART_MIN_MS (1000 + 1000 * SIM_AGENT_BURST / (SIM_AGENT_RATE_PER_S ? SIM_AGENT_RATE_PER_S : 1))

static const sim_policy_ops *ops(const sim_world *w)
{
    return w->cfg.policy == POLICY_OURS || w->cfg.policy == POLICY_TRUSTING ? sim_policy_machine()
                                                                            : sim_policy_naive();
}

static sim_proc *proc_of(sim_world *w, const sim_intent *in) { return &w->procs[in->proc]; }

static uint64_t mono_of(const sim_world *w, const sim_proc *p)
{
    return sim_clock_mono(&p->clock, w->now);
}

/* True time at which a span of mono_ms on the process's clock has passed. */
static uint64_t after(const sim_world *w, const sim_proc *p, uint64_t mono_ms)
{
    return w->now + sim_clock_span(&p->clock, mono_ms);
}

static uint64_t next_arrival(sim_world *w)
{
    /* Poisson arrivals: exponential gaps, at least 1 ms. */
    double u = ((double)(sim_rng_next(&w->rng) >> 11) + 1) * 0x1.0p-53;
    double gap = -log(u) * 1000.0 * w->cfg.processes / w->cfg.intents_per_s;
    return w->now + (gap < 1 ? 1 : (uint64_t)gap);
}

/* The baselines' /v1/time exchange, taken as done at once. */
static void measure(sim_world *w, sim_proc *p)
{
    uint32_t up = (uint32_t)sim_rng_range(&w->rng, w->cfg.latency_min_ms, w->cfg.latency_max_ms);
    uint32_t down = (uint32_t)sim_rng_range(&w->rng, w->cfg.latency_min_ms, w->cfg.latency_max_ms);
    uint32_t extra = (uint32_t)sim_rng_range(&w->rng, 0, w->cfg.sync_error_ms);
    if (sim_rng_chance(&w->rng, 0.5))
        up += extra;
    else
        down += extra;
    sim_clock_measure(&p->clock, w->now, up, (uint32_t)sim_rng_range(&w->rng, 0, 20), down);
}

/* A process starts: fresh throttles (a shared one outlives it), budgets,
 * token, and a server clock with no sample. */
static void proc_start(sim_world *w, uint32_t i)
{
    sim_proc *p = &w->procs[i];
    /* REST documents no quota: the client paces itself at the limit its
     * account was given (--rest-rate); the Agent quota is the spec's. */
    if (sixmm_throttle_init_custom(&p->rest, w->cfg.rest_rate, w->cfg.rest_burst, 16) != 0
        || sixmm_budget_init(&p->budget_rest, SIXMM_DOMAIN_REST) != 0
        || sixmm_budget_init(&p->budget_agent, SIXMM_DOMAIN_AGENT) != 0
        || sixmm_clock_init(&p->server_clock, 0) != 0)
        sim_fatal("the library refused to set up a throttle, budget or clock");
    sim_quota_start(w, p, i % w->cfg.processes);
    p->token = w->now;
    p->alive = 1;
    measure(w, p);
}

void sim_client_init(sim_world *w)
{
    for (uint32_t c = 0; c < w->cfg.clients && w->shared_agent; c++)
        if (sixmm_throttle_init(&w->shared_agent[c], SIXMM_DOMAIN_AGENT) != 0)
            sim_fatal("the library refused to set up a throttle");
    for (uint32_t i = 0; i < w->nprocs; i++) {
        sim_proc *p = &w->procs[i];
        memset(p, 0, sizeof *p);
        p->client = i / w->cfg.processes;
        /* A client's processes run on one host and read its one
         * monotonic clock (a shared throttle needs that); each keeps its
         * own view of the system clock and its own offset. */
        if (i % w->cfg.processes == 0)
            sim_clock_init(&p->clock, &w->rng, w->cfg.drift_ppm, w->now);
        else
            p->clock = w->procs[i - 1].clock;
        proc_start(w, i);
        sim_event e = {.type = EV_INTENT, .intent = i, .at = next_arrival(w)};
        sim_schedule(w, &e);
    }
}

static uint32_t slot_take(sim_world *w)
{
    if (w->nfree)
        return w->free_slots[--w->nfree];
    if (w->nslots == w->slot_cap) {
        uint32_t cap = w->slot_cap ? 2 * w->slot_cap : 1024;
        sim_slot *s = realloc(w->slots, (size_t)cap * sizeof *s);
        uint32_t *f = realloc(w->free_slots, (size_t)cap * sizeof *f);
        if (s)
            w->slots = s;
        if (f)
            w->free_slots = f;
        if (!s || !f)
            sim_fatal("out of memory for intents in flight");
        w->slot_cap = cap;
    }
    return w->nslots++;
}

static sim_port port_of(sim_world *w, sim_intent *in)
{
    sim_proc *p = proc_of(w, in);
    int agent = in->kind == REQ_AGENT;
    sim_port port = {
        .cfg = &w->cfg, .rng = &w->rng, .mono = mono_of(w, p),
        .estimate = sim_clock_estimate(&p->clock, w->now), .clock = &p->server_clock,
        .throttle = agent ? p->agent : &p->rest,
        .budget = agent ? &p->budget_agent : &p->budget_rest,
        .slot = in->slot != SIM_NONE ? &w->slots[in->slot] : NULL,
        .msg_text = w->msg_text, .msg_len = w->msg_len,
    };
    return port;
}

static void finish(sim_world *w, sim_intent *in, sim_state how, sim_order_status status,
                   const char *reason)
{
    in->state = (uint8_t)how;
    in->end = w->now;
    in->status = (uint8_t)status;
    if (in->slot != SIM_NONE) {
        w->free_slots[w->nfree++] = in->slot;
        in->slot = SIM_NONE;
    }
    if (how != ST_ESCALATED)
        return;
    unsigned k = 0;
    while (k < SIM_REASONS - 1 && w->reasons[k] && strcmp(w->reasons[k], reason))
        k++;
    w->reasons[k] = reason;
    w->reason_count[k]++;
    in->reason = (uint8_t)k;
}

static void run(sim_world *w, uint32_t id);

static void deliver(sim_world *w, uint32_t id, sim_req_kind kind, const sim_outcome *o)
{
    sim_intent *in = &w->intents[id];
    sim_proc *p = proc_of(w, in);
    in->waiting = 0;
    /* Every client refreshes an expired token, as any HTTP client does;
     * whether the intent itself is resent is the policy's call. */
    if (!o->timed_out && !o->not_sent && o->code == SIXMM_E_TOKEN_EXPIRED && kind != REQ_AGENT)
        p->token = w->now;
    if (kind != REQ_TIME) {
        sim_port port = port_of(w, in);
        ops(w)->answered(&port, in, kind, o);
    }
    run(w, id);
}

/* Sends one request of the intent (the policy has been told, if it signs). */
static void transmit(sim_world *w, uint32_t id, sim_req_kind kind, int64_t ts, uint16_t sig)
{
    sim_intent *in = &w->intents[id];
    sim_proc *p = proc_of(w, in);
    sim_event req = {.intent = id, .token = p->token, .epoch = p->epoch, .kind = (uint8_t)kind,
                     .ts = ts, .sig = sig, .send = ++in->tag};
    /* Transmission numbers tell a late answer from the one awaited. */
    in->waiting = 1;
    w->st.requests++;
    if (kind != REQ_TIME && sim_rng_chance(&w->rng, w->cfg.f.connect_fail)) {
        sim_outcome o = {.not_sent = 1};
        deliver(w, id, kind, &o);
        return;
    }
    sim_net_request(w, &req, kind == REQ_PLACE, kind == REQ_AGENT ? in->rtt_ms : 0);
    sim_event t = {.type = EV_TIMEOUT, .intent = id, .send = req.send, .kind = req.kind,
                   .epoch = p->epoch, .at = after(w, p, w->cfg.timeout_ms)};
    sim_schedule(w, &t);
}

/* The system clock steps now and then, and the baselines re-measure their
 * offset on their schedule. */
static void clock_upkeep(sim_world *w, sim_proc *p)
{
    const sim_faults *f = &w->cfg.f;
    if (w->now - p->clock.last_sync >= (uint64_t)w->cfg.sync_every_s * 1000)
        measure(w, p);
    if (sim_rng_chance(&w->rng, f->clock_step)) {
        int64_t jump = f->clock_step_ms ? (int64_t)f->clock_step_ms
                     : SIM_REST_WINDOW_MS + w->cfg.latency_max_ms + 1
                       + (int64_t)sim_rng_below(&w->rng, STEP_EXTRA_MAX_MS);
        sim_clock_step(&p->clock, sim_rng_chance(&w->rng, 0.5) ? jump : -jump);
    }
}

static void send_signed(sim_world *w, uint32_t id, const sim_step *s)
{
    sim_intent *in = &w->intents[id];
    sim_req_kind kind = in->kind == REQ_AGENT ? REQ_AGENT : REQ_PLACE;
    int fresh = s->todo == DO_SEND || in->sends == 0;
    if (fresh) {
        if (in->sends >= SIM_MAX_SIGS) {
            finish(w, in, ST_ESCALATED, OS_NONE, "the simulation's signature limit");
            return;
        }
        in->signed_at = s->sign_ms;
        in->sends++;
    }
    if (in->sends > 1 || !fresh)
        w->st.resends++;
    if (kind == REQ_PLACE && in->deadline && in->signed_at > in->deadline)
        in->stale = 1;
    sim_port port = port_of(w, in);
    ops(w)->sending(&port, in, kind, in->signed_at);
    transmit(w, id, kind, in->signed_at, (uint16_t)(in->sends - 1));
}

/* Asks the policy what to do next, and does it. */
static void run(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    sim_proc *p = proc_of(w, in);
    sim_port port = port_of(w, in);
    if (in->kind == REQ_AGENT) {
        uint32_t wait;
        port.throttle = sim_quota_pick(w, in, &wait, &in->rtt_ms);
        if (!port.throttle) {
            sim_event e = {.type = EV_WAKE, .intent = id, .epoch = p->epoch,
                           .at = after(w, p, wait)};
            sim_schedule(w, &e);
            return;
        }
    }
    sim_step s = ops(w)->next(&port, in);
    if (in->kind == REQ_AGENT)
        sim_quota_held(w, in, s.holds, s.todo == DO_WAIT ? after(w, p, s.wait_ms) : w->now);
    switch (s.todo) {
    case DO_SEND:
    case DO_SEND_SAME:
        clock_upkeep(w, p);
        send_signed(w, id, &s);
        return;
    case DO_QUERY:
        ops(w)->sending(&port, in, REQ_QUERY, s.sign_ms);
        transmit(w, id, REQ_QUERY, s.sign_ms, 0);
        return;
    case DO_SYNC:
        in->sync_sent = port.mono;
        transmit(w, id, REQ_TIME, 0, 0);
        return;
    case DO_WAIT: {
        sim_event e = {.type = EV_WAKE, .intent = id, .epoch = p->epoch,
                       .at = after(w, p, s.wait_ms)};
        sim_schedule(w, &e);
        return;
    }
    case DO_DONE:
        finish(w, in, s.result, s.status, "");
        return;
    case DO_ESCALATE:
        finish(w, in, ST_ESCALATED, OS_NONE, s.reason ? s.reason : "");
        return;
    }
}

/* The first step of an intent, at its start or after a restart that found
 * no record of it. */
static void begin(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    sim_port port = port_of(w, in);
    ops(w)->start(&port, in);
    run(w, id);
}

/* The process dies at once: everything it held in memory is gone. */
static void crash(sim_world *w, sim_proc *p)
{
    p->alive = 0;
    p->epoch++;
    w->st.crashes++;
    uint64_t lo = RESTART_MIN_MS, hi = (uint64_t)w->cfg.f.restart_max_s * 1000;
    sim_event e = {.type = EV_RESTART, .intent = (uint32_t)(p - w->procs), .epoch = p->epoch,
                   .at = w->now + sim_rng_range(&w->rng, lo, hi > lo ? hi : lo)};
    sim_schedule(w, &e);
}

/* Whether an event still belongs to a live process (and whether it dies now). */
static int live(sim_world *w, uint32_t proc, uint16_t epoch)
{
    sim_proc *p = &w->procs[proc];
    if (!p->alive || p->epoch != epoch)
        return 0;
    if (sim_rng_chance(&w->rng, w->cfg.f.crash)) {
        crash(w, p);
        return 0;
    }
    return 1;
}

void sim_client_restart(sim_world *w, const sim_event *e)
{
    sim_proc *p = &w->procs[e->intent];
    if (p->alive || p->epoch != e->epoch)
        return;
    proc_start(w, e->intent);
    while (w->oldest_active < w->started && w->intents[w->oldest_active].state != ST_ACTIVE)
        w->oldest_active++;
    for (uint64_t i = w->oldest_active; i < w->started; i++) {
        sim_intent *in = &w->intents[i];
        if (in->proc != e->intent || in->state != ST_ACTIVE)
            continue;
        in->waiting = 0;
        sim_port port = port_of(w, in);
        ops(w)->restart(&port, in);
        run(w, (uint32_t)i);
    }
}

void sim_client_intent(sim_world *w, const sim_event *e)
{
    sim_proc *p = &w->procs[e->intent];
    if (w->started >= w->cfg.intents)
        return;
    sim_event n = {.type = EV_INTENT, .intent = e->intent, .at = next_arrival(w)};
    sim_schedule(w, &n);
    if (!live(w, e->intent, p->epoch))
        return;   /* nobody is there to start it */
    uint32_t id = (uint32_t)w->started++;
    sim_intent *in = &w->intents[id];
    memset(in, 0, sizeof *in);
    in->proc = e->intent;
    in->start = w->now;
    in->kind = sim_rng_chance(&w->rng, w->cfg.agent_share) ? REQ_AGENT : REQ_PLACE;
    in->slot = SIM_NONE;
    if (ops(w)->journaled) {
        in->slot = slot_take(w);
        w->slots[in->slot].rec_len = 0;
    }
    begin(w, id);
}

void sim_client_wake(sim_world *w, const sim_event *e)
{
    sim_intent *in = &w->intents[e->intent];
    if (in->state == ST_ACTIVE && !in->waiting && live(w, in->proc, e->epoch))
        run(w, e->intent);
}

static void answer(sim_world *w, const sim_event *e, const sim_outcome *o)
{
    sim_intent *in = &w->intents[e->intent];
    if (in->state != ST_ACTIVE || !in->waiting || in->tag != e->send)
        return;   /* a late answer, or the timeout of a send already answered */
    if (!live(w, in->proc, e->epoch))
        return;
    if (e->kind == REQ_TIME && !o->timed_out) {
        sim_proc *p = proc_of(w, in);
        if (sixmm_clock_sample(&p->server_clock, in->sync_sent, e->ts, mono_of(w, p)) != 0)
            sim_fatal("sixmm_clock_sample refused an exchange");
    }
    deliver(w, e->intent, (sim_req_kind)e->kind, o);
}

void sim_client_response(sim_world *w, const sim_event *e)
{
    sim_outcome o = {.http = e->http, .has_code = e->has_code, .code = e->code,
                     .msg = (sim_message)e->msg, .status = (sim_order_status)e->status};
    answer(w, e, &o);
}

void sim_client_timeout(sim_world *w, const sim_event *e)
{
    sim_outcome o = {.timed_out = 1};
    answer(w, e, &o);
}
