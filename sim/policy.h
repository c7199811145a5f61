/* policy.h: what a client does with each answer. The client core (client.c)
 * sends, times out and keeps the books; a policy only decides. */
#ifndef SIM_POLICY_H
#define SIM_POLICY_H

#include "sim.h"

typedef struct sim_outcome {
    int timed_out;       /* no answer within the client's timeout */
    int http, has_code;
    int32_t code;
    sim_message msg;
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
    uint32_t delay_ms;
} sim_decision;

typedef struct sim_policy_ops {
    int throttled;       /* sends go through the client's sixmm_throttle */
    sim_decision (*place)(sim_world *w, sim_intent *in, const sim_outcome *o);
    sim_decision (*query)(sim_world *w, sim_intent *in, const sim_outcome *o);
    sim_decision (*agent)(sim_world *w, sim_intent *in, const sim_outcome *o);
} sim_policy_ops;

const sim_policy_ops *sim_policy_ours(void);
const sim_policy_ops *sim_policy_naive(sim_policy which);

/* client.c: shared by the policies. */
void sim_client_resync(sim_world *w, uint32_t client);
int64_t sim_client_clock(const sim_world *w, uint32_t client);  /* server time as it believes */
void sim_call_from(const sim_world *w, const sim_outcome *o, sixmm_domain domain,
                   int idempotent, unsigned attempt, sixmm_call *call);

#endif
