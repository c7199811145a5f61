/* quota.c: see quota.h. */
#include "quota.h"

#include "sim_spec.h"

/* Redis is up or down for this long at a time. */
#define REDIS_EPISODE_MS 10000
/* How often an intent whose process has no share asks again. */
#define NO_SHARE_WAIT_MS 100

enum { ENGINE_SHARED = 0, ENGINE_LOCAL = 1 };

static uint32_t share(uint32_t total, uint32_t n, uint32_t j)
{
    return total / n + (j < total % n);
}

void sim_quota_start(sim_world *w, sim_proc *p, uint32_t j)
{
    if (sixmm_throttle_init(&p->agent_own, SIXMM_DOMAIN_AGENT) != 0)
        sim_fatal("the library refused to set up a throttle");
    p->agent = w->cfg.shared == SHARED_NONE ? &p->agent_own : &w->shared_agent[p->client];
    uint32_t n = w->cfg.processes;
    uint32_t rate = share(SIM_AGENT_RATE_PER_S, n, j), burst = share(SIM_AGENT_BURST, n, j);
    uint32_t conc = share(SIM_AGENT_CONCURRENCY, n, j);
    p->has_share = rate && burst && conc;
    if (p->has_share && sixmm_throttle_init_custom(&p->local, rate, burst, conc) != 0)
        sim_fatal("the library refused a local share of the quota");
}

/* Whether Redis is down at `now`: whole episodes, drawn from the seed alone
 * so that the rest of the run's randomness does not move. */
static int redis_down(const sim_world *w)
{
    if (w->cfg.redis_fail <= 0)
        return 0;
    uint64_t x = w->cfg.seed ^ (((w->now - SIM_EPOCH_MS) / REDIS_EPISODE_MS) * 0x9E3779B97F4A7C15u);
    return (double)(sim_splitmix64(&x) >> 11) * 0x1.0p-53 < w->cfg.redis_fail;
}

sixmm_throttle *sim_quota_pick(sim_world *w, sim_intent *in, uint32_t *wait_ms, uint32_t *rtt_ms)
{
    sim_proc *p = &w->procs[in->proc];
    *wait_ms = *rtt_ms = 0;
    if (w->cfg.shared != SHARED_REDIS)
        return p->agent;
    if (in->holds)
        return in->hold_engine == ENGINE_LOCAL ? &p->local : p->agent;
    int engine = redis_down(w) ? ENGINE_LOCAL : ENGINE_SHARED;
    /* No grant from one engine while a request the other granted may still
     * be in flight: its latest turn, plus the client's timeout. */
    uint64_t quiet = w->turn_until[2 * p->client + !engine];
    if (quiet && w->now < quiet + w->cfg.timeout_ms) {
        *wait_ms = (uint32_t)(quiet + w->cfg.timeout_ms - w->now);
        return NULL;
    }
    if (engine == ENGINE_LOCAL && !p->has_share) {
        *wait_ms = NO_SHARE_WAIT_MS;
        return NULL;
    }
    in->hold_engine = (uint8_t)engine;
    if (engine == ENGINE_LOCAL)
        return &p->local;
    *rtt_ms = w->cfg.redis_rtt_ms;
    return p->agent;
}

void sim_quota_held(sim_world *w, sim_intent *in, int holds, uint64_t turn_at)
{
    in->holds = (uint8_t)holds;
    if (!holds || w->cfg.shared != SHARED_REDIS)
        return;
    uint64_t *until = &w->turn_until[2 * w->procs[in->proc].client + in->hold_engine];
    if (turn_at > *until)
        *until = turn_at;
}
