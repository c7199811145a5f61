/* policy.h: what a client does with each answer. The client core (client.c)
 * sends, times out and keeps the books; a policy only decides. It sees its
 * client through a sim_port, filled by client.c for each answer, and never
 * calls back into client.c. */
#ifndef SIM_POLICY_H
#define SIM_POLICY_H

#include "sim.h"

typedef struct sim_outcome {
    int timed_out;       /* no answer within the client's timeout */
    int not_sent;        /* the connection failed: no byte left the client */
    int http, has_code;
    int32_t code;
    sim_message msg;
    sim_order_status status;   /* a found order's status */
} sim_outcome;

typedef enum sim_verdict {
    V_SEND = 0,          /* run `next` after delay_ms */
    V_EXECUTED = ST_EXECUTED,
    V_REJECTED = ST_REJECTED,
    V_ESCALATED = ST_ESCALATED,
    V_ABANDONED = ST_ABANDONED
} sim_verdict;

typedef struct sim_decision {
    sim_verdict verdict;
    sim_next next;
    uint32_t delay_ms;       /* on the client's monotonic clock */
    const char *reason;      /* V_ESCALATED: the rule that stopped it */
} sim_decision;

/* The part of one client process a policy may read and use. */
typedef struct sim_port {
    const sim_config *cfg;
    sim_rng *rng;
    uint64_t now;                    /* the process's monotonic clock */
    int64_t server_now;              /* server time as the process believes it */
    sixmm_throttle *throttle[2];     /* [0] REST, [1] Agent */
    sixmm_budget *budget[2];
    uint64_t *budget_refusals;       /* counts the budget's vetoes */
    int resync;                      /* out: the policy asks for a new clock measurement */
    const char *const *msg_text;     /* sim_message -> the catalog's text */
    const size_t *msg_len;
} sim_port;

typedef struct sim_policy_ops {
    int throttled;       /* sends go through the client's sixmm_throttle */
    sim_decision (*place)(sim_port *p, sim_intent *in, const sim_outcome *o);
    sim_decision (*query)(sim_port *p, sim_intent *in, const sim_outcome *o);
    sim_decision (*agent)(sim_port *p, sim_intent *in, const sim_outcome *o);
} sim_policy_ops;

const sim_policy_ops *sim_policy_ours(void);
const sim_policy_ops *sim_policy_naive(sim_policy which);

#endif
