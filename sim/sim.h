/* sim.h: the state of one simulated run, shared by the event handlers.
 *
 * Server-side state (ledger, server_client) and client-side state (intent,
 * client) are kept apart: the server knows only what requests carry, the
 * clients only what responses carry. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdint.h>

#include <sixmm/errinfo.h>

#include "clock.h"
#include "config.h"
#include "event.h"
#include "fatal.h"
#include "heap.h"
#include "rng.h"

#define SIM_MAX_SENDS 64
#define SIM_NONE UINT32_MAX      /* signatures per intent: the replay set is one 64-bit word */
#define SIM_AGENT_SLOTS 16

/* The server's record of one intent's clientOrderId. */
typedef struct sim_ledger {
    uint64_t seen;            /* bit n: signature of send n was accepted */
    uint64_t exec_at;         /* server time of the first execution */
    uint8_t execs;            /* how often it executed (the server does not dedupe) */
} sim_ledger;

/* The server's view of one client (API key / merchant). */
typedef struct sim_server_client {
    uint64_t token_expires;   /* ms; UINT64_MAX: never */
    uint32_t token_gen;
    uint64_t rest_tat_us, agent_tat_us;     /* GCRA theoretical arrival times */
    uint64_t agent_busy[SIM_AGENT_SLOTS];   /* when each Agent query in progress ends */
} sim_server_client;

typedef struct sim_client {
    sixmm_throttle rest, agent;
    sixmm_budget budget_rest, budget_agent;
    sim_clock clock;
    uint32_t token;           /* token generation the client sends */
    /* Intents whose throttle said BUSY, oldest first ([0] REST, [1] Agent);
     * a release wakes the oldest, as a condition variable would. */
    uint32_t busy_head[2], busy_tail[2];
    uint64_t next_intent_at;
} sim_client;

typedef enum sim_state {
    ST_ACTIVE = 0,
    ST_EXECUTED = 1,   /* the client saw it succeed */
    ST_REJECTED = 2,   /* the server definitively refused it */
    ST_ESCALATED = 3,  /* the client stopped and alerts an operator */
    ST_ABANDONED = 4   /* the client gave up without knowing the outcome */
} sim_state;

/* What the intent's timer does when it fires. */
typedef enum sim_next {
    NEXT_PLACE = 0,        /* place with a new timestamp and signature */
    NEXT_PLACE_SAME = 1,   /* send the very same signed request again */
    NEXT_QUERY = 2,        /* status query by clientOrderId */
    NEXT_AGENT = 3         /* the Agent query (again) */
} sim_next;

typedef struct sim_intent {
    uint64_t start;
    uint64_t end;
    int64_t signed_at;     /* timestamp of the latest place send */
    int64_t query_at;      /* timestamp the latest status query was signed with */
    uint32_t client;
    uint32_t busy_next;    /* next intent in the client's BUSY list */
    uint16_t sends;        /* signatures made so far */
    uint16_t tag;          /* number of the latest transmission */
    uint16_t attempt;      /* classify attempt of the current send */
    uint16_t rec_attempt;  /* reconcile attempt */
    uint8_t state, kind, next;
    uint8_t acquired;      /* the throttle gave the next send its turn */
    uint8_t waiting;       /* an answer to transmission `tag` is awaited */
} sim_intent;

typedef struct sim_stats {
    uint64_t requests, resends, quota_violations, budget_refusals, rate_limited;
    uint64_t events;
} sim_stats;

/* Virtual time starts at a Unix-millisecond instant, as server time does,
 * so that a clock running behind never signs a negative timestamp. */
#define SIM_EPOCH_MS UINT64_C(1767225600000)

typedef struct sim_world {
    sim_config cfg;
    sim_rng rng;
    sim_heap q;
    uint64_t now;
    uint64_t started;         /* intents started so far */
    sim_client *clients;
    sim_server_client *server;
    sim_intent *intents;
    sim_ledger *ledger;
    sim_stats st;
    const char *msg_text[4];  /* sim_message -> text, from the catalog */
    size_t msg_len[4];
} sim_world;

/* Queue an event; a full memory aborts the run. */
static inline void sim_schedule(sim_world *w, const sim_event *e)
{
    if (sim_heap_push(&w->q, e) != 0)
        sim_fatal("out of memory for the event queue");
}

/* network.c */
void sim_net_request(sim_world *w, const sim_event *req, int may_delay);
/* Answer req at `at` with a body carrying `code` (and msg), under the HTTP
 * status 6MM documents for that code. */
void sim_net_respond(sim_world *w, const sim_event *req, uint64_t at, int32_t code,
                     sim_message msg);
/* server.c */
void sim_server_init(sim_world *w);
void sim_server_arrive(sim_world *w, const sim_event *req);
void sim_server_refresh_token(sim_world *w, uint32_t client);
/* client.c */
void sim_client_init(sim_world *w);
void sim_client_intent(sim_world *w, const sim_event *e);
void sim_client_wake(sim_world *w, const sim_event *e);
void sim_client_response(sim_world *w, const sim_event *e);
void sim_client_timeout(sim_world *w, const sim_event *e);

#endif
