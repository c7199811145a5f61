/* quota.h: which engine grants an Agent request its quota turn.
 *
 *   none    each process's own throttle: every process takes the whole quota;
 *   memory  one throttle per client, shared by its processes (shared memory);
 *   redis   one quota state per client in a modelled Redis: each grant costs
 *           a round trip (--redis-rtt-ms). Redis is down in whole episodes
 *           (a fraction --redis-fail of them); then every process falls back
 *           to a local share of the quota, rate/N, burst/N and concurrency/N,
 *           in whole units (a process whose share rounds to nothing waits).
 *           Neither engine grants while a request the other granted may still
 *           be in flight (its latest turn plus the client's timeout), so the
 *           two never overlap at the server, and that pause outlasts the
 *           burst, so each starts with the quota's burst free. The model
 *           knows the other engine's latest turn exactly; a real client
 *           would bound it (no turn granted beyond a horizon).
 * The order machine holds a slot from the turn it takes until its next call
 * after the answer; those calls get the same throttle. */
#ifndef SIM_QUOTA_H
#define SIM_QUOTA_H

#include "sim.h"

/* The throttle an Agent intent's next machine call uses, or NULL with
 * *wait_ms set: ask again after that long. *rtt_ms: the grant's extra
 * latency (the Redis round trip). */
sixmm_throttle *sim_quota_pick(sim_world *w, sim_intent *in, uint32_t *wait_ms, uint32_t *rtt_ms);
/* After that call: whether the intent now holds a slot (it said SEND or
 * QUERY, or to wait for the turn it took), and the turn's true time. */
void sim_quota_held(sim_world *w, sim_intent *in, int holds, uint64_t turn_at);
/* A process (re)starts: its own throttle and, with redis, its local share. */
void sim_quota_start(sim_world *w, sim_proc *p, uint32_t index_in_client);

#endif
