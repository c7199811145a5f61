/* client.c: the client side every policy shares. Each client (merchant) runs
 * --processes processes; each process starts intents, makes and signs each
 * send (through the throttle when the policy uses one), waits for the
 * answer or the timeout on its monotonic clock, refreshes an expired
 * token, keeps its clock offset, hands each answer to the policy, and may
 * crash and restart. */
#include "policy.h"

#include <math.h>
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
    return w->cfg.policy == POLICY_OURS ? sim_policy_ours() : sim_policy_naive(w->cfg.policy);
}

static sim_proc *proc_of(sim_world *w, const sim_intent *in) { return &w->procs[in->proc]; }

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

static void gate_init(sim_gate *g)
{
    g->head = g->tail = SIM_NONE;
}

/* A process starts: fresh throttles (a shared gate outlives it), budgets,
 * token and clock offset. */
static void proc_start(sim_world *w, uint32_t i)
{
    sim_proc *p = &w->procs[i];
    /* REST documents no quota: the client paces itself at the limit its
     * account was given (--rest-rate); the Agent quota is the spec's. */
    if (sixmm_throttle_init_custom(&p->rest.t, w->cfg.rest_rate, w->cfg.rest_burst, 16) != 0
        || sixmm_throttle_init(&p->agent_own.t, SIXMM_DOMAIN_AGENT) != 0
        || sixmm_budget_init(&p->budget_rest, SIXMM_DOMAIN_REST) != 0
        || sixmm_budget_init(&p->budget_agent, SIXMM_DOMAIN_AGENT) != 0)
        sim_fatal("the library refused to set up a throttle or budget");
    gate_init(&p->rest);
    gate_init(&p->agent_own);
    p->agent = w->cfg.shared == SHARED_MEMORY ? &w->shared_agent[p->client] : &p->agent_own;
    p->token = w->now;
    p->alive = 1;
    measure(w, p);
}

void sim_client_init(sim_world *w)
{
    for (uint32_t c = 0; c < w->cfg.clients && w->shared_agent; c++) {
        if (sixmm_throttle_init(&w->shared_agent[c].t, SIXMM_DOMAIN_AGENT) != 0)
            sim_fatal("the library refused to set up a throttle");
        gate_init(&w->shared_agent[c]);
    }
    for (uint32_t i = 0; i < w->nprocs; i++) {
        sim_proc *p = &w->procs[i];
        memset(p, 0, sizeof *p);
        p->client = i / w->cfg.processes;
        sim_clock_init(&p->clock, &w->rng, w->cfg.drift_ppm, w->now);
        proc_start(w, i);
        sim_event e = {.type = EV_INTENT, .intent = i, .at = next_arrival(w)};
        sim_schedule(w, &e);
    }
}

static sim_gate *gate_of(sim_world *w, const sim_intent *in)
{
    sim_proc *p = proc_of(w, in);
    return in->next == NEXT_AGENT ? p->agent : &p->rest;
}

static void wait_busy(sim_world *w, uint32_t id)
{
    sim_gate *g = gate_of(w, &w->intents[id]);
    w->intents[id].busy_next = SIM_NONE;
    w->intents[id].queued = 1;
    if (g->tail == SIM_NONE)
        g->head = id;
    else
        w->intents[g->tail].busy_next = id;
    g->tail = id;
}

/* A slot came free: the oldest intent that found the throttle BUSY asks
 * again (one of a shared gate's waiters may belong to a process that died
 * since; it is passed over). */
static void wake_busy(sim_world *w, sim_gate *g)
{
    for (;;) {
        uint32_t id = g->head;
        if (id == SIM_NONE)
            return;
        sim_intent *in = &w->intents[id];
        g->head = in->busy_next;
        if (g->head == SIM_NONE)
            g->tail = SIM_NONE;
        in->queued = 0;
        const sim_proc *p = proc_of(w, in);
        if (in->state != ST_ACTIVE || !p->alive)
            continue;
        sim_event e = {.type = EV_WAKE, .intent = id, .at = w->now, .epoch = p->epoch};
        sim_schedule(w, &e);
        return;
    }
}

static void finish(sim_world *w, sim_intent *in, sim_state how, const char *reason)
{
    in->state = (uint8_t)how;
    in->end = w->now;
    if (how != ST_ESCALATED)
        return;
    unsigned k = 0;
    while (k < SIM_REASONS - 1 && w->reasons[k] && w->reasons[k] != reason
           && strcmp(w->reasons[k], reason))
        k++;
    w->reasons[k] = reason;
    w->reason_count[k]++;
    in->reason = (uint8_t)k;
}

static void deliver(sim_world *w, uint32_t id, const sim_outcome *o, sim_req_kind kind);

static void transmit(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    sim_proc *p = proc_of(w, in);
    const sim_faults *f = &w->cfg.f;
    if (w->now - p->clock.last_sync >= (uint64_t)w->cfg.sync_every_s * 1000)
        measure(w, p);
    if (sim_rng_chance(&w->rng, f->clock_step)) {
        int64_t jump = f->clock_step_ms ? (int64_t)f->clock_step_ms
                     : SIM_REST_WINDOW_MS + w->cfg.latency_max_ms + 1
                       + (int64_t)sim_rng_below(&w->rng, STEP_EXTRA_MAX_MS);
        sim_clock_step(&p->clock, sim_rng_chance(&w->rng, 0.5) ? jump : -jump);
    }
    sim_event req = {.intent = id, .token = p->token, .epoch = p->epoch};
    int64_t now_server = sim_clock_estimate(&p->clock, w->now);
    int fresh_signature = in->next != NEXT_PLACE_SAME;
    switch ((sim_next)in->next) {
    case NEXT_PLACE:
    case NEXT_PLACE_SAME:
        req.kind = REQ_PLACE;
        if (fresh_signature || in->sends == 0) {
            if (in->sends >= SIM_MAX_SIGS) {
                finish(w, in, ST_ESCALATED, "the simulation's signature limit");
                return;
            }
            in->signed_at = now_server;
            in->sends++;
        }
        req.sig = (uint16_t)(in->sends - 1);
        req.ts = in->signed_at;
        if (in->deadline && req.ts > in->deadline)
            in->stale = 1;
        if (in->sends > 1 || !fresh_signature)
            w->st.resends++;
        break;
    case NEXT_QUERY:
        req.kind = REQ_QUERY;
        req.ts = in->query_at = now_server;
        break;
    case NEXT_AGENT:
        req.kind = REQ_AGENT;
        req.ts = now_server;
        if (in->sends++ > 0)
            w->st.resends++;
        break;
    }
    /* Transmission numbers tell a late answer from the one awaited. */
    req.send = ++in->tag;
    in->waiting = 1;
    in->acquired = 0;
    w->st.requests++;
    if (sim_rng_chance(&w->rng, f->connect_fail)) {
        sim_outcome o = {.not_sent = 1};
        deliver(w, id, &o, (sim_req_kind)req.kind);
        return;
    }
    sim_net_request(w, &req, req.kind == REQ_PLACE);
    sim_event t = {.type = EV_TIMEOUT, .intent = id, .send = req.send, .kind = req.kind,
                   .epoch = p->epoch, .at = after(w, p, w->cfg.timeout_ms)};
    sim_schedule(w, &t);
}

/* Run the intent's next step now: take a turn from the throttle (or wait
 * for one), then send. */
static void step(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    if (ops(w)->throttled && !in->acquired) {
        sim_proc *p = proc_of(w, in);
        uint32_t wait = sixmm_throttle_acquire(&gate_of(w, in)->t, sim_clock_mono(&p->clock, w->now));
        if (wait == SIXMM_THROTTLE_BUSY) {
            wait_busy(w, id);
            return;
        }
        in->acquired = 1;
        if (wait > 0) {
            sim_event e = {.type = EV_WAKE, .intent = id, .epoch = p->epoch,
                           .at = after(w, p, wait)};
            sim_schedule(w, &e);
            return;
        }
    }
    transmit(w, id);
}

/* The first step of an intent, at its start or after a restart that found
 * no record of it. */
static void begin(sim_world *w, uint32_t id)
{
    sim_intent *in = &w->intents[id];
    /* sends goes on counting: a new signature is a new one to the server. */
    in->attempt = 1;
    in->rec_attempt = 0;
    in->acquired = in->waiting = 0;
    in->next = in->kind == REQ_AGENT ? NEXT_AGENT : NEXT_PLACE;
    step(w, id);
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
    /* A loop without a record of what it sent starts every intent it had
     * not finished over again, as a rerun of the program would. */
    for (uint64_t i = w->oldest_active; i < w->started; i++) {
        sim_intent *in = &w->intents[i];
        if (in->proc != e->intent || in->state != ST_ACTIVE)
            continue;
        /* A waiter at a gate of the dead process was dropped with it; one at
         * a shared gate is still queued there and is woken in its turn. */
        if (in->queued && gate_of(w, in) != p->agent)
            in->queued = 0;
        if (!in->queued)
            begin(w, (uint32_t)i);
    }
}

void sim_client_intent(sim_world *w, const sim_event *e)
{
    sim_proc *p = &w->procs[e->intent];
    if (w->started >= w->cfg.intents)
        return;
    sim_event n = {.type = EV_INTENT, .intent = e->intent, .at = next_arrival(w)};
    sim_schedule(w, &n);
    if (!p->alive || (w->cfg.f.crash > 0 && !live(w, e->intent, p->epoch)))
        return;   /* nobody is there to start it */
    uint32_t id = (uint32_t)w->started++;
    sim_intent *in = &w->intents[id];
    memset(in, 0, sizeof *in);
    in->proc = e->intent;
    in->start = w->now;
    if (SIM_LIFETIME_MS)
        in->deadline = sim_clock_estimate(&p->clock, w->now) + SIM_LIFETIME_MS;
    in->kind = sim_rng_chance(&w->rng, w->cfg.agent_share) ? REQ_AGENT : REQ_PLACE;
    begin(w, id);
}

void sim_client_wake(sim_world *w, const sim_event *e)
{
    sim_intent *in = &w->intents[e->intent];
    if (in->state == ST_ACTIVE && live(w, in->proc, e->epoch))
        step(w, e->intent);
}

static void deliver(sim_world *w, uint32_t id, const sim_outcome *o, sim_req_kind kind)
{
    sim_intent *in = &w->intents[id];
    in->waiting = 0;
    sim_proc *p = proc_of(w, in);
    const sim_policy_ops *pol = ops(w);
    uint64_t mono = sim_clock_mono(&p->clock, w->now);
    if (pol->throttled) {
        sim_gate *g = gate_of(w, in);
        sixmm_throttle_release(&g->t, mono);
        wake_busy(w, g);
    }
    /* Every client refreshes an expired token, as any HTTP client does;
     * whether the intent itself is resent is the policy's call. */
    if (!o->timed_out && !o->not_sent && o->code == SIXMM_E_TOKEN_EXPIRED && kind != REQ_AGENT)
        p->token = w->now;
    sim_port port = {
        .cfg = &w->cfg, .rng = &w->rng, .now = mono,
        .server_now = sim_clock_estimate(&p->clock, w->now),
        .throttle = {&p->rest.t, &p->agent->t}, .budget = {&p->budget_rest, &p->budget_agent},
        .budget_refusals = &w->st.budget_refusals, .msg_text = w->msg_text, .msg_len = w->msg_len,
    };
    sim_decision d = kind == REQ_PLACE ? pol->place(&port, in, o)
                   : kind == REQ_QUERY ? pol->query(&port, in, o) : pol->agent(&port, in, o);
    if (port.resync)
        measure(w, p);
    if (d.verdict != V_SEND) {
        if (d.verdict == V_EXECUTED && kind == REQ_QUERY)
            in->status = (uint8_t)o->status;
        finish(w, in, (sim_state)d.verdict, d.reason ? d.reason : "");
        return;
    }
    in->next = (uint8_t)d.next;
    if (d.delay_ms == 0) {
        step(w, id);
        return;
    }
    sim_event wake = {.type = EV_WAKE, .intent = id, .epoch = p->epoch,
                      .at = after(w, p, d.delay_ms)};
    sim_schedule(w, &wake);
}

static void answer(sim_world *w, const sim_event *e, const sim_outcome *o)
{
    sim_intent *in = &w->intents[e->intent];
    if (in->state != ST_ACTIVE || !in->waiting || in->tag != e->send)
        return;   /* a late answer, or the timeout of a send already answered */
    if (!live(w, in->proc, e->epoch))
        return;
    deliver(w, e->intent, o, (sim_req_kind)e->kind);
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
