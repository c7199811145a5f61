/* network.c: what happens between client and server. Latency on every
 * message; loss, long delays and identical copies as the fault rates say;
 * the two legs of a /v1/time exchange may differ by up to --sync-error-ms
 * (the extra time rides in the request's token field, which a time request
 * does not use). */
#include "sim.h"

static uint64_t latency(sim_world *w)
{
    return sim_rng_range(&w->rng, w->cfg.latency_min_ms, w->cfg.latency_max_ms);
}

void sim_net_request(sim_world *w, const sim_event *req, int may_delay, uint32_t extra_ms)
{
    const sim_faults *f = &w->cfg.f;
    if (sim_rng_chance(&w->rng, f->lose_request))
        return;
    sim_event e = *req;
    e.type = EV_ARRIVE;
    e.at = w->now + extra_ms + latency(w);
    if (req->kind == REQ_TIME && w->cfg.sync_error_ms) {
        /* One leg, either one, is the slow one; sig says which. */
        uint64_t extra = sim_rng_range(&w->rng, 0, w->cfg.sync_error_ms);
        e.sig = (uint16_t)sim_rng_chance(&w->rng, 0.5);
        e.token = extra;
        if (!e.sig)
            e.at += extra;
    }
    if (may_delay && sim_rng_chance(&w->rng, f->delay))
        e.at += sim_rng_range(&w->rng, 0, f->delay_max_ms);
    sim_schedule(w, &e);
    if (may_delay && sim_rng_chance(&w->rng, f->duplicate)) {
        /* A proxy or the transport delivers the same bytes again. */
        e.at += sim_rng_range(&w->rng, 1, f->duplicate_gap_ms ? f->duplicate_gap_ms : 1);
        w->st.copies++;
        sim_schedule(w, &e);
    }
}

/* The HTTP status the catalog documents for the code in the request's
 * domain; 200 (the error is in the body) where it documents none. */
static int documented_http(const sim_event *req, int32_t code)
{
    sixmm_domain d = req->kind == REQ_AGENT ? SIXMM_DOMAIN_AGENT : SIXMM_DOMAIN_REST;
    int status = code ? sixmm_entry_http_status(sixmm_lookup(d, code, NULL)) : 0;
    return status ? status : 200;
}

void sim_net_respond(sim_world *w, const sim_event *req, uint64_t at, int32_t code,
                     sim_message msg, sim_order_status status)
{
    if (sim_rng_chance(&w->rng, w->cfg.f.lose_response))
        return;
    sim_event e = *req;
    e.type = EV_RESPONSE;
    e.at = at + latency(w);
    if (req->kind == REQ_TIME && req->sig)
        e.at += req->token;
    e.http = (int16_t)documented_http(req, code);
    e.has_code = 1;
    e.code = code;
    e.msg = (uint8_t)msg;
    e.status = (uint8_t)status;
    sim_schedule(w, &e);
}
