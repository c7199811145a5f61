/* order_loop.h: one order through the library's order machine. The loop
 * does the I/O the machine asks for and reports what happened; it keeps no
 * retry logic of its own. */
#ifndef PLACE_ORDER_LOOP_H
#define PLACE_ORDER_LOOP_H

#include <sixmm/errinfo.h>
#include <sixmm/journal.h>

#include "transport.h"

/* What every thread of the client shares: the server clock, one throttle
 * and one budget. */
typedef struct client_shared {
    sixmm_clock clock;
    sixmm_throttle throttle;
    sixmm_budget budget;
} client_shared;

/* One thread's own state; journal is NULL without --journal. */
typedef struct client_thread {
    transport t;
    client_shared *shared;
    sixmm_journal *journal;
    uint64_t rng;
} client_thread;

/* Measures the server clock once (GET /v1/time into the shared clock).
 * Returns 0 or -1. */
int sync_clock(client_thread *c);

/* Starts the intent of a new order at the clock's server time. Returns 0,
 * or -1 when the clock has no sample yet. */
int start_order(client_thread *c, sixmm_intent *it);

/* Runs the intent until the machine says DONE or ESCALATE, writing its
 * record to the journal (if any) before every send and at the end. Returns
 * that last step in *last, and 0; -1 when the journal cannot be written
 * (then nothing more was sent for this order). */
int run_order(client_thread *c, const char *client_order_id, sixmm_intent *it,
              sixmm_next *last);

#endif
