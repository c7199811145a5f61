/* clock.c: see clock.h. */
#include "clock.h"

/* Monotonic readings start here, so that no reading is 0 (or below any
 * span the machine subtracts). */
#define MONO_BASE_MS UINT64_C(1000000000)

void sim_clock_init(sim_clock *c, sim_rng *rng, uint32_t drift_ppm, uint64_t now)
{
    c->born = now;
    c->ppm = (int32_t)sim_rng_range(rng, 0, 2 * (uint64_t)drift_ppm) - (int32_t)drift_ppm;
    c->sys_offset = 0;
    c->est = 0;
    c->last_sync = now;
}

uint64_t sim_clock_mono(const sim_clock *c, uint64_t now)
{
    int64_t t = (int64_t)(now - c->born);
    return MONO_BASE_MS + (uint64_t)(t + t * c->ppm / 1000000);
}

uint64_t sim_clock_span(const sim_clock *c, uint64_t mono_ms)
{
    /* Rounded up, so that a timer never fires before its span has passed
     * on the monotonic clock. */
    uint64_t rate = (uint64_t)(1000000 + c->ppm);
    return (mono_ms * 1000000 + rate - 1) / rate;
}

void sim_clock_step(sim_clock *c, int64_t delta_ms) { c->sys_offset += delta_ms; }

void sim_clock_measure(sim_clock *c, uint64_t now, uint32_t up, uint32_t inside, uint32_t down)
{
    int64_t sent = (int64_t)now + c->sys_offset;
    int64_t stamp = (int64_t)now + up + inside;
    int64_t received = sent + up + inside + down;
    c->est = stamp - (sent + received) / 2;
    c->last_sync = now;
}

int64_t sim_clock_estimate(const sim_clock *c, uint64_t now)
{
    return (int64_t)now + c->sys_offset + c->est;
}
