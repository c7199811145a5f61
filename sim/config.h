/* config.h: a run's settings, from the command line. */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

#include <stdint.h>
#include <stdio.h>

typedef enum sim_policy {
    POLICY_OURS = 0,      /* the order machine with its defaults */
    POLICY_RETRY_ALL = 1, /* any error: the same request again, up to 5 times */
    POLICY_RETRY_5XX = 2, /* 5xx and timeouts: re-signed, up to 5 times */
    POLICY_NEVER = 3,     /* nothing is resent */
    POLICY_TRUSTING = 4   /* the order machine trusting single delivery (its opt-in flag) */
} sim_policy;
#define SIM_POLICIES 5

/* The order in which the server runs its checks on a signed request. */
typedef enum sim_order {
    ORDER_REPLAY_FIRST = 0,  /* replay, rate limit, token, window */
    ORDER_LIMIT_FIRST = 1,   /* rate limit, replay, token, window */
    ORDER_WINDOW_FIRST = 2,  /* window, replay, rate limit, token */
    ORDER_ACCEPTED_ONLY = 3  /* rate limit, token, window, replay; a signature is
                                remembered only when its order executes */
} sim_order;
#define SIM_ORDERS 4

typedef enum sim_shared {
    SHARED_NONE = 0,     /* each process has its own throttle */
    SHARED_MEMORY = 1,   /* one throttle in memory shared by the processes of a client */
    SHARED_REDIS = 2     /* one quota in a modelled Redis, with a local share as fallback */
} sim_shared;

/* Each fault's rate is a probability per request (or per response). */
typedef struct sim_faults {
    double lose_request;   /* lost before the server */
    double connect_fail;   /* the connection fails: no byte left the client, and it knows */
    double lose_response;  /* lost after the server answered (and maybe executed) */
    double delay;          /* held in the network for up to delay_max_ms more */
    double duplicate;      /* the transport delivers a second, identical copy */
    double err5001_after;  /* the order executes, the answer is 5001 */
    double err5001_before; /* 5001 and nothing executed */
    double err5002;        /* 5002 (Agent: 6904) and nothing executed */
    double clock_step;     /* per request: the client's system clock steps */
    double query_fail;     /* the status query answers 5001 */
    double reject;         /* an executed order ends REJECTED */
    double pending;        /* an executed order stays PENDING */
    double partial;        /* an executed order stays PARTIALLY_FILLED */
    double crash;          /* per client event: the client process dies */
    uint32_t duplicate_gap_ms;  /* a copy lands up to this long after the original */
    uint32_t clock_step_ms;     /* a step's size; 0: just past the window */
    uint32_t delay_max_ms;
    uint32_t query_lag_ms; /* an execution stays invisible to queries up to this long */
    uint32_t token_life_s; /* access tokens expire after this long; 0: never */
    uint32_t token_wave_at_s;   /* nonzero: every token expires at this virtual second */
    uint32_t outage_s;     /* the server is unreachable for this long ... */
    uint32_t outage_at_s;  /* ... starting at this virtual second */
    uint32_t restart_max_s;     /* a crashed process restarts within this long */
} sim_faults;

typedef struct sim_config {
    uint64_t seed;
    uint64_t intents;
    uint32_t clients;
    uint32_t processes;       /* processes per client, sharing its merchant quota */
    sim_policy policy;
    sim_order order;
    sim_shared shared;
    double intents_per_s;     /* per client, Poisson arrivals */
    double agent_share;       /* fraction of intents that are Agent queries */
    uint32_t timeout_ms;      /* the client's request timeout */
    uint32_t latency_min_ms, latency_max_ms;  /* one way, per message */
    uint32_t sync_error_ms;   /* one leg of a /v1/time exchange takes up to this much longer */
    uint32_t drift_ppm;       /* each client's monotonic clock runs off by up to this */
    uint32_t sync_every_s;    /* the baselines re-measure their clock offset this often */
    uint32_t replay_memory_s; /* the server forgets a signature after this long; 0: never */
    uint32_t redis_rtt_ms;    /* the modelled Redis round trip */
    double redis_fail;        /* a Redis call fails or times out */
    uint32_t rest_rate, rest_burst;  /* the server's REST limit per client (undocumented) */
    int json, check, lag_correlated;
    uint64_t trace;           /* 1 + the intent whose events go to stderr; 0: none */
    sim_faults f;
    const char *faults_name;
} sim_config;

/* Fills *c from argv. Returns 0, 1 after --help (printed), or 2 after a
 * usage error (one line on stderr). */
int sim_config_parse(sim_config *c, int argc, char **argv);
const char *sim_policy_name(sim_policy p);
const char *sim_order_name(sim_order o);
const char *sim_shared_name(sim_shared s);
/* The whole configuration as the members of a JSON object ("key": value, ...). */
void sim_config_json(const sim_config *c, FILE *out);

#endif
