/*
 * machine_table.h: the order machine's transitions for a place order, the
 * table the model is built from. model/retry.pml applies these rows and
 * nothing else; model/table_check.c drives the real sixmm_intent through
 * every (state, event) pair and fails when the C machine does not do what
 * the rows say. Plain preprocessor text, so that spin (which runs cpp) and
 * the C compiler read the same file.
 *
 * States: the machine's phases (src/lib/intent_internal.h), DONE split by
 * outcome.
 */
#define ST_READY 0      /* the next request is a send */
#define ST_SEND 1       /* SEND handed out, sending() not yet reported */
#define ST_SENT 2       /* the request is out: its answer is owed */
#define ST_RECONCILE 3  /* the next request is a status query */
#define ST_QUERY 4      /* QUERY handed out, querying() not yet reported */
#define ST_QUERIED 5    /* the query is out: what it found is owed */
#define ST_ACCEPTED 6   /* DONE, outcome ACCEPTED */
#define ST_EXPIRED 7    /* DONE, outcome EXPIRED: the lifetime passed, nothing executed */
#define ST_ESCALATED 8  /* ESCALATE: an operator decides */
#define ST_COUNT 9

/* Events: sixmm_intent_next() under a condition, or what the caller reports. */
#define EV_NEXT 0             /* next(): clock good, within the lifetime, under the caps */
#define EV_NEXT_LATE 1        /* next() after the lifetime */
#define EV_NEXT_CAP 2         /* next() with the spec's cap of sends or queries reached */
#define EV_SENDING 3          /* sending() */
#define EV_NOT_SENT 4         /* not_sent(): no byte left */
#define EV_ANSWER_OK 5        /* answer(): success */
#define EV_ANSWER_UNKNOWN 6   /* answer(): 5001, or none arrived (timeout) */
#define EV_ANSWER_REFUSAL 7   /* answer(): 5002, 429/5003, 1002: that arrival did not execute */
#define EV_ANSWER_OUTSIDE 8   /* answer(): timestamp outside the window */
#define EV_ANSWER_REPLAY 9    /* answer(): 3004, the signature was seen before */
#define EV_QUERYING 10        /* querying() */
#define EV_FOUND 11           /* found(): the order exists */
#define EV_NOT_FOUND_OPEN 12  /* found(): none, the query went out before the proof instant */
#define EV_NOT_FOUND_CLOSED 13 /* found(): none, the query went out after window + lag + error */
#define EV_QUERY_FAILED 14    /* found(): the query failed */
#define EV_RESTART 15         /* restart(): after a crash, from the record */
#define EV_COUNT 16

/* Which machine a row belongs to: both, the default, or the one with
 * SIXMM_INTENT_TRUST_SINGLE_DELIVERY set. */
#define F_BOTH 0
#define F_DEFAULT 1
#define F_TRUST 2

/* ROW(machine, state, event, next state). A caller's event with no row
 * does not fit the state: it returns -1 and changes nothing. next() with no
 * row leaves the state as it is (it says WAIT, SYNC, or the same step). */
#define MACHINE_TABLE \
    ROW(F_BOTH, ST_READY, EV_NEXT, ST_SEND) \
    ROW(F_BOTH, ST_READY, EV_NEXT_LATE, ST_EXPIRED) \
    ROW(F_BOTH, ST_READY, EV_NEXT_CAP, ST_ESCALATED) \
    ROW(F_BOTH, ST_SEND, EV_NEXT_LATE, ST_EXPIRED) \
    ROW(F_BOTH, ST_SEND, EV_SENDING, ST_SENT) \
    ROW(F_BOTH, ST_SEND, EV_NOT_SENT, ST_READY) \
    ROW(F_BOTH, ST_SEND, EV_RESTART, ST_READY) \
    ROW(F_BOTH, ST_SENT, EV_NOT_SENT, ST_READY) \
    ROW(F_BOTH, ST_SENT, EV_ANSWER_OK, ST_ACCEPTED) \
    ROW(F_BOTH, ST_SENT, EV_ANSWER_UNKNOWN, ST_RECONCILE) \
    ROW(F_DEFAULT, ST_SENT, EV_ANSWER_REFUSAL, ST_RECONCILE) \
    ROW(F_TRUST, ST_SENT, EV_ANSWER_REFUSAL, ST_READY) \
    ROW(F_DEFAULT, ST_SENT, EV_ANSWER_OUTSIDE, ST_RECONCILE) \
    ROW(F_TRUST, ST_SENT, EV_ANSWER_OUTSIDE, ST_READY) \
    ROW(F_BOTH, ST_SENT, EV_ANSWER_REPLAY, ST_RECONCILE) \
    ROW(F_BOTH, ST_SENT, EV_RESTART, ST_RECONCILE) \
    ROW(F_BOTH, ST_RECONCILE, EV_NEXT, ST_QUERY) \
    ROW(F_BOTH, ST_RECONCILE, EV_NEXT_LATE, ST_QUERY) \
    ROW(F_BOTH, ST_RECONCILE, EV_NEXT_CAP, ST_ESCALATED) \
    ROW(F_BOTH, ST_RECONCILE, EV_RESTART, ST_RECONCILE) \
    ROW(F_BOTH, ST_QUERY, EV_QUERYING, ST_QUERIED) \
    ROW(F_BOTH, ST_QUERY, EV_FOUND, ST_ACCEPTED) \
    ROW(F_BOTH, ST_QUERY, EV_NOT_FOUND_OPEN, ST_RECONCILE) \
    ROW(F_BOTH, ST_QUERY, EV_NOT_FOUND_CLOSED, ST_READY) \
    ROW(F_BOTH, ST_QUERY, EV_QUERY_FAILED, ST_RECONCILE) \
    ROW(F_BOTH, ST_QUERY, EV_RESTART, ST_RECONCILE) \
    ROW(F_BOTH, ST_QUERIED, EV_FOUND, ST_ACCEPTED) \
    ROW(F_BOTH, ST_QUERIED, EV_NOT_FOUND_OPEN, ST_RECONCILE) \
    ROW(F_BOTH, ST_QUERIED, EV_NOT_FOUND_CLOSED, ST_READY) \
    ROW(F_BOTH, ST_QUERIED, EV_QUERY_FAILED, ST_RECONCILE) \
    ROW(F_BOTH, ST_QUERIED, EV_RESTART, ST_RECONCILE) \
    ROW(F_BOTH, ST_ACCEPTED, EV_FOUND, ST_ACCEPTED) \
    ROW(F_BOTH, ST_ACCEPTED, EV_RESTART, ST_ACCEPTED) \
    ROW(F_BOTH, ST_EXPIRED, EV_RESTART, ST_EXPIRED) \
    ROW(F_BOTH, ST_ESCALATED, EV_RESTART, ST_ESCALATED) \
    ROW(F_BOTH, ST_READY, EV_RESTART, ST_READY)
