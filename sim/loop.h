/* loop.h: the event loop. It pops events in (time, sequence) order and
 * hands each to the client or the server; the handlers queue new events
 * with sim_schedule() (sim.h), so nothing calls back into the loop. */
#ifndef SIM_LOOP_H
#define SIM_LOOP_H

#include "sim.h"

/* Runs until the queue is empty. */
void sim_loop_run(sim_world *w);

#endif
