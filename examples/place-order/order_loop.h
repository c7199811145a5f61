/* order_loop.h: the retry loop of docs/ADVISOR.md for one order, over the
 * transport: throttle, classify, budget, reconcile. */
#ifndef PLACE_ORDER_LOOP_H
#define PLACE_ORDER_LOOP_H

#include <sixmm/errinfo.h>

#include "transport.h"

/* What every thread of the client shares: one throttle, one budget. */
typedef struct client_shared {
    sixmm_throttle throttle;
    sixmm_budget budget;
} client_shared;

/* One thread's own state. */
typedef struct client_thread {
    transport t;
    client_shared *shared;
    int64_t offset_ms;     /* server clock minus local clock */
    uint32_t error_ms;     /* how far offset_ms may be off */
    uint64_t rng;
} client_thread;

typedef enum order_outcome {
    ORDER_EXECUTED = 0,    /* the server said so, or the status query found it */
    ORDER_REJECTED = 1,    /* refused for good: nothing executed */
    ORDER_ESCALATED = 2    /* outcome unknown after the loop's limits: an operator looks */
} order_outcome;

/* Places one order with the given clientOrderId; *why gets the library's
 * reason for the final step (static text). */
order_outcome place_order(client_thread *c, const char *client_order_id, const char **why);

#endif
