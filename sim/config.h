/* config.h: a run's settings, from the command line. */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

#include <stdint.h>

typedef enum sim_policy {
    POLICY_OURS = 0,      /* classify, budget, throttle, reconcile: docs/ADVISOR.md */
    POLICY_RETRY_ALL = 1, /* any error: the same request again, up to 5 times */
    POLICY_RETRY_5XX = 2, /* 5xx and timeouts: re-signed, up to 5 times */
    POLICY_NEVER = 3      /* nothing is resent */
} sim_policy;

/* Each fault's rate is a probability per request (or per response). */
typedef struct sim_faults {
    double lose_request;   /* lost before the server */
    double lose_response;  /* lost after the server answered (and maybe executed) */
    double delay;          /* held in the network for up to delay_max_ms more */
    double duplicate;      /* the network delivers a second copy of a place request */
    double err5001_after;  /* the order executes, the answer is 5001 */
    double err5001_before; /* 5001 and nothing executed */
    double err5002;        /* 5002 (Agent: 6904) and nothing executed */
    double drift;          /* the client's clock steps past the signature window */
    uint32_t skew_ms;      /* nonzero: a drift step is exactly this, which the server may miss */
    double query_fail;     /* the status query answers 5001 */
    uint32_t delay_max_ms;
    uint32_t query_lag_ms; /* an execution stays invisible to queries up to this long */
    uint32_t token_life_s; /* access tokens expire after this long; 0: never */
    uint32_t outage_s;     /* the server is unreachable for this long ... */
    uint32_t outage_at_s;  /* ... starting at this virtual second */
} sim_faults;

typedef struct sim_config {
    uint64_t seed;
    uint64_t intents;
    uint32_t clients;
    sim_policy policy;
    double intents_per_s;     /* per client, Poisson arrivals */
    double agent_share;       /* fraction of intents that are Agent queries */
    uint32_t timeout_ms;      /* the client's request timeout */
    uint32_t latency_min_ms, latency_max_ms;  /* one way, per message */
    uint32_t sync_error_ms;   /* how far a client's clock offset is off after a sync */
    uint32_t clock_error_ms;  /* the bound the client passes to reconcile */
    uint32_t sync_every_s;    /* every client re-measures its offset this often */
    uint32_t rest_rate, rest_burst;  /* the server's REST limit per client (undocumented) */
    int json, check;
    int now_at_answer;        /* ours reads now_ms when the answer arrives (unsafe; see PROOF.md) */
    uint64_t trace;           /* 1 + the intent whose events go to stderr; 0: none */
    sim_faults f;
} sim_config;

/* Fills *c from argv. Returns 0, 1 after --help (printed), or 2 after a
 * usage error (one line on stderr). */
int sim_config_parse(sim_config *c, int argc, char **argv);
const char *sim_policy_name(sim_policy p);

#endif
