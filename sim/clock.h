/* clock.h: the physical clocks of one client process, in the virtual true
 * time of the run (the server's clock is the true time).
 *
 * - The monotonic clock runs at 1 + ppm/10^6 of true time, with |ppm| at
 *   most --drift-ppm; timers and the order machine's times are on it.
 * - The system clock is true time plus an offset that a step (--clock-step)
 *   changes at once, as a bad NTP server or an operator would.
 * - The baselines keep server time as system time plus an offset measured
 *   by a /v1/time exchange, as a hand-written client does; the exchange's
 *   legs may differ by up to --sync-error-ms. */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <stdint.h>

#include "rng.h"

typedef struct sim_clock {
    uint64_t born;            /* true time the process started */
    int32_t ppm;              /* the monotonic clock's rate error */
    int64_t sys_offset;       /* system clock minus true time, ms */
    int64_t est;              /* measured server time minus system time, ms */
    uint64_t last_sync;       /* true time of the last measurement */
} sim_clock;

/* A new process's clocks at true time `now`: a drift within +-drift_ppm. */
void sim_clock_init(sim_clock *c, sim_rng *rng, uint32_t drift_ppm, uint64_t now);
/* The monotonic clock's reading at true time `now` (ms, never 0). */
uint64_t sim_clock_mono(const sim_clock *c, uint64_t now);
/* How long in true time a span of `mono_ms` on the monotonic clock lasts. */
uint64_t sim_clock_span(const sim_clock *c, uint64_t mono_ms);
/* The system clock steps by delta_ms. */
void sim_clock_step(sim_clock *c, int64_t delta_ms);
/* The baselines' /v1/time exchange at `now`: the request leg takes `up` ms,
 * the server stamps its time `inside` ms after arrival, the answer takes
 * `down` ms; the offset is taken against the system clock's midpoint. */
void sim_clock_measure(sim_clock *c, uint64_t now, uint32_t up, uint32_t inside, uint32_t down);
/* Server time as the baselines believe it at `now`. */
int64_t sim_clock_estimate(const sim_clock *c, uint64_t now);

#endif
