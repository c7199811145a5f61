/* network.c: what happens between client and server. Latency on every
 * message; loss, long delays and duplicates as the fault rates say. */
#include "sim.h"

/* A copy made by the network lands within this long after the original. */
#define DUPLICATE_SPREAD_MS 1000

static uint64_t latency(sim_world *w)
{
    return sim_rng_range(&w->rng, w->cfg.latency_min_ms, w->cfg.latency_max_ms);
}

void sim_net_request(sim_world *w, const sim_event *req, int may_delay)
{
    const sim_faults *f = &w->cfg.f;
    if (sim_rng_chance(&w->rng, f->lose_request))
        return;
    sim_event e = *req;
    e.type = EV_ARRIVE;
    e.at = w->now + latency(w);
    if (may_delay && sim_rng_chance(&w->rng, f->delay))
        e.at += sim_rng_range(&w->rng, 0, f->delay_max_ms);
    sim_schedule(w, &e);
    if (may_delay && sim_rng_chance(&w->rng, f->duplicate)) {
        e.at += sim_rng_range(&w->rng, 1, DUPLICATE_SPREAD_MS);
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
                     sim_message msg)
{
    if (sim_rng_chance(&w->rng, w->cfg.f.lose_response))
        return;
    sim_event e = *req;
    e.type = EV_RESPONSE;
    e.at = at + latency(w);
    e.http = (int16_t)documented_http(req, code);
    e.has_code = 1;
    e.code = code;
    e.msg = (uint8_t)msg;
    sim_schedule(w, &e);
}
