/* policy.h: what a client does next. The client core (client.c) does the
 * I/O: it sends, times out, keeps the books, crashes and restarts; a
 * policy only says what to do next and hears what happened, in the shape
 * of the order machine (sixmm_intent_next and its events). It sees its
 * client through a sim_port, filled by client.c for each call, and never
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

typedef enum sim_todo {
    DO_SEND = 0,         /* sign with sign_ms and send (place, or the Agent query) */
    DO_SEND_SAME = 1,    /* send the very same signed request again */
    DO_QUERY = 2,        /* status query by clientOrderId, signed with sign_ms */
    DO_SYNC = 3,         /* GET /v1/time into the process's sixmm_clock */
    DO_WAIT = 4,         /* ask again after wait_ms */
    DO_DONE = 5,         /* finished: result (and status) */
    DO_ESCALATE = 6      /* stopped: reason says which rule */
} sim_todo;

typedef struct sim_step {
    sim_todo todo;
    int64_t sign_ms;
    uint32_t wait_ms;            /* on the process's monotonic clock */
    sim_state result;            /* DONE: ST_EXECUTED, ST_REJECTED or ST_ABANDONED */
    sim_order_status status;     /* DONE executed: the status told to the caller */
    const char *reason;          /* ESCALATE: the rule that stopped it */
    int holds;                   /* a throttle slot is held until the call after the answer */
} sim_step;

/* An intent's order machine and its journal record (what survives a crash). */
typedef struct sim_slot {
    sixmm_intent it;
    size_t rec_len;              /* 0: nothing recorded yet */
    unsigned char rec[SIXMM_INTENT_RECORD_MAX];
} sim_slot;

/* The part of one client process a policy may read and use. */
typedef struct sim_port {
    const sim_config *cfg;
    sim_rng *rng;
    uint64_t mono;                   /* the process's monotonic clock, now */
    int64_t estimate;                /* server time from the system clock and its offset */
    sixmm_clock *clock;              /* the process's server clock */
    sixmm_throttle *throttle;        /* for the intent's domain */
    sixmm_budget *budget;
    sim_slot *slot;                  /* journaled policies: the intent's slot */
    const char *const *msg_text;     /* sim_message -> the catalog's text */
    const size_t *msg_len;
} sim_port;

typedef struct sim_policy_ops {
    int journaled;       /* keeps a sim_slot per intent, and a record of it */
    void (*start)(sim_port *p, sim_intent *in);
    sim_step (*next)(sim_port *p, sim_intent *in);
    /* Just before the bytes of a send (SEND, SEND_SAME) or query go out. */
    void (*sending)(sim_port *p, sim_intent *in, sim_req_kind kind, int64_t signed_at);
    /* The answer to that request, or its timeout, or the connect failure. */
    void (*answered)(sim_port *p, sim_intent *in, sim_req_kind kind, const sim_outcome *o);
    /* The process crashed and restarted; the slot holds only its record. */
    void (*restart)(sim_port *p, sim_intent *in);
} sim_policy_ops;

/* ours, or trusting (the machine with SIXMM_INTENT_TRUST_SINGLE_DELIVERY). */
const sim_policy_ops *sim_policy_machine(void);
/* retry-all, retry-5xx, never. */
const sim_policy_ops *sim_policy_naive(void);

#endif
