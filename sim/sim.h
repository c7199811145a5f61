/* sim.h: the state of one simulated run, shared by the event handlers.
 *
 * Server-side state (ledger, server_client) and client-side state (intent,
 * process) are kept apart: the server knows only what requests carry, the
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

#define SIM_MAX_SIGS 16          /* signatures per intent the server tells apart */
#define SIM_NONE UINT32_MAX
#define SIM_AGENT_SLOTS 16
#define SIM_REASONS 64           /* distinct escalation reasons counted */

/* The server's record of one intent's clientOrderId. */
typedef struct sim_ledger {
    uint32_t seen;            /* bit n: the replay rule remembers signature n */
    uint8_t execs;            /* how often it executed (the server does not dedupe) */
    uint8_t status;           /* sim_order_status of the first execution */
    uint64_t exec_at;         /* server time of the first execution */
} sim_ledger;

/* The server's view of one client (merchant, one API key). */
typedef struct sim_server_client {
    uint64_t rest_tat_us, agent_tat_us;     /* GCRA theoretical arrival times */
    uint64_t agent_backlog_from;            /* since when the Agent quota has stayed taken */
    uint64_t agent_busy[SIM_AGENT_SLOTS];   /* when each Agent query in progress ends */
} sim_server_client;

/* One process of a client. */
typedef struct sim_proc {
    sixmm_throttle rest, agent_own;
    sixmm_throttle *agent;    /* agent_own, or the client's shared throttle (quota.c) */
    sixmm_throttle local;     /* --shared-quota redis: its local share of the quota */
    uint8_t has_share;
    sixmm_budget budget_rest, budget_agent;
    sixmm_clock server_clock; /* the order machine's clock of this process */
    sim_clock clock;          /* the physical clocks of its host */
    uint64_t token;           /* when its access token was issued */
    uint32_t client;
    uint16_t epoch;           /* lives so far; events of an earlier life are void */
    uint8_t alive;
} sim_proc;

typedef enum sim_state {
    ST_ACTIVE = 0,
    ST_EXECUTED = 1,   /* the client saw it accepted */
    ST_REJECTED = 2,   /* the client was told nothing executed (refused or expired) */
    ST_ESCALATED = 3,  /* the client stopped and alerts an operator */
    ST_ABANDONED = 4   /* the client gave up without knowing the outcome */
} sim_state;

/* The baselines' next send. */
typedef enum sim_next {
    NEXT_FRESH = 0,        /* with a new timestamp and signature */
    NEXT_SAME = 1          /* the very same signed request again */
} sim_next;

typedef struct sim_intent {
    uint64_t start;
    uint64_t end;
    uint64_t sync_sent;    /* monotonic time its /v1/time request went out */
    int64_t signed_at;     /* timestamp of the latest place send */
    int64_t deadline;      /* server time after which a signature is stale (0: none) */
    uint32_t proc;
    uint32_t slot;         /* journaled policies: its sim_slot */
    uint32_t pending_wait; /* baselines: the wait before the next send */
    uint16_t sends;        /* signatures made so far */
    uint16_t tag;          /* number of the latest transmission */
    uint16_t attempt;      /* baselines: the attempt of the next send */
    uint8_t state, kind;
    uint8_t next;          /* baselines: a sim_next */
    uint8_t verdict;       /* baselines: a sim_state once decided */
    uint8_t inited;        /* the machine has been initialised */
    uint8_t waiting;       /* an answer to transmission `tag` is awaited */
    uint8_t status;        /* sim_order_status the client reports (OS_NONE: not known) */
    uint8_t stale;         /* a signature went out after the deadline */
    uint8_t reason;        /* escalations: index into sim_world.reasons */
    uint8_t holds;         /* its machine holds a quota slot (quota.c) */
    uint8_t hold_engine;   /* which engine granted it */
    uint32_t rtt_ms;       /* the extra latency of its next request (a Redis grant) */
} sim_intent;

typedef struct sim_stats {
    uint64_t requests, resends, quota_violations, budget_refusals, rate_limited;
    uint64_t events, crashes, copies;
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
    uint64_t oldest_active;   /* no intent below this index is active */
    uint32_t nprocs;
    sim_proc *procs;
    sixmm_throttle *shared_agent;   /* per client, with --shared-quota memory or redis */
    uint64_t *turn_until;     /* per client and engine (quota.c): its latest turn granted */
    struct sim_slot *slots;   /* journaled policies: one per active intent */
    uint32_t *free_slots;
    uint32_t nslots, slot_cap, nfree;
    sim_server_client *server;
    sim_intent *intents;
    sim_ledger *ledger;
    uint32_t *seen_at;        /* --replay-memory-s: when each signature was remembered */
    double stress;            /* the server's incident level in [0, 1] (--lag-correlated) */
    uint64_t stress_at;
    sim_stats st;
    const char *reasons[SIM_REASONS];   /* escalation reasons, first seen first */
    uint64_t reason_count[SIM_REASONS];
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
/* Sends req after extra_ms (a quota grant's round trip); place requests
 * (may_delay) may be held long or copied. */
void sim_net_request(sim_world *w, const sim_event *req, int may_delay, uint32_t extra_ms);
/* Answer req at `at` with a body carrying `code` (and msg, and for a found
 * order its status), under the HTTP status 6MM documents for that code. */
void sim_net_respond(sim_world *w, const sim_event *req, uint64_t at, int32_t code,
                     sim_message msg, sim_order_status status);
/* server.c */
void sim_server_init(sim_world *w);
void sim_server_arrive(sim_world *w, const sim_event *req);
/* client.c */
void sim_client_init(sim_world *w);
void sim_client_intent(sim_world *w, const sim_event *e);
void sim_client_wake(sim_world *w, const sim_event *e);
void sim_client_response(sim_world *w, const sim_event *e);
void sim_client_timeout(sim_world *w, const sim_event *e);
void sim_client_restart(sim_world *w, const sim_event *e);

#endif
