/* clock.c: see clock.h. */
#include "clock.h"

void sim_clock_resync(sim_clock *c, sim_rng *rng, uint32_t sync_error_ms, uint64_t now)
{
    int64_t e = sync_error_ms;
    c->err = (int64_t)sim_rng_range(rng, 0, (uint64_t)(2 * e)) - e;
    c->last_sync = now;
}

int64_t sim_clock_read(const sim_clock *c, uint64_t now)
{
    return (int64_t)now + c->err;
}
