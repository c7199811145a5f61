/* clock.h: a client's idea of server time: the offset it measured at its
 * last sync, which is off by up to --sync-error-ms. */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <stdint.h>

#include "rng.h"

typedef struct sim_clock {
    int64_t err;              /* the client's server time minus true server time, ms */
    uint64_t last_sync;       /* virtual time of the last sync */
} sim_clock;

/* Measures the offset again at `now`: a new error within +-sync_error_ms. */
void sim_clock_resync(sim_clock *c, sim_rng *rng, uint32_t sync_error_ms, uint64_t now);
/* Server time as the client believes it at `now`. */
int64_t sim_clock_read(const sim_clock *c, uint64_t now);

#endif
