/* event.h: what travels through the event queue.
 *
 * One struct serves every event so the queue is a flat array. A request
 * carries what the server checks (signed timestamp, signature, token); a
 * response carries what the client reads (HTTP status, code, message, the
 * order's status). */
#ifndef SIM_EVENT_H
#define SIM_EVENT_H

#include <stdint.h>

typedef enum sim_event_type {
    EV_INTENT = 0,   /* a process starts a new intent (intent: the process) */
    EV_WAKE = 1,     /* an intent's timer fires: it runs its next step */
    EV_ARRIVE = 2,   /* a request reaches the server */
    EV_RESPONSE = 3, /* a response reaches the client */
    EV_TIMEOUT = 4,  /* the client stops waiting for one send */
    EV_RESTART = 5   /* a crashed process starts again (intent: the process) */
} sim_event_type;

typedef enum sim_req_kind {
    REQ_PLACE = 0,   /* POST /v1/private/order/place: not idempotent */
    REQ_QUERY = 1,   /* GET /v1/private/order by clientOrderId */
    REQ_AGENT = 2,   /* an Agent perpetual query: idempotent, under the quota */
    REQ_TIME = 3     /* GET /v1/time */
} sim_req_kind;

/* The texts a response can carry; the catalog gives them. */
typedef enum sim_message {
    MSG_NONE = 0,
    MSG_SUCCESS = 1,
    MSG_TIMESTAMP = 2,   /* "Timestamp outside of tolerance window" */
    MSG_REPLAY = 3       /* "Signature replay detected" */
} sim_message;

/* An executed order's status, as the server's ledger has it. */
typedef enum sim_order_status {
    OS_NONE = 0,         /* not executed */
    OS_FILLED = 1,
    OS_REJECTED = 2,
    OS_PENDING = 3,
    OS_PARTIAL = 4       /* PARTIALLY_FILLED */
} sim_order_status;

typedef struct sim_event {
    uint64_t at;         /* virtual time, ms */
    uint64_t seq;        /* insertion order; ties at the same ms */
    int64_t ts;          /* EV_ARRIVE: the signed timestamp; EV_RESPONSE to a time
                            request: the server's stamp */
    uint64_t token;      /* EV_ARRIVE: when the token the request carries was issued */
    uint32_t intent;
    int32_t code;        /* EV_RESPONSE: business code (when has_code) */
    uint16_t send;       /* which transmission of the intent (matches answer to wait) */
    uint16_t sig;        /* EV_ARRIVE, place: which signature (0, 1, ...) */
    uint16_t epoch;      /* the process's life the event belongs to */
    int16_t http;        /* EV_RESPONSE: HTTP status */
    uint8_t type;        /* sim_event_type */
    uint8_t kind;        /* sim_req_kind */
    uint8_t has_code;    /* EV_RESPONSE */
    uint8_t msg;         /* EV_RESPONSE: sim_message */
    uint8_t status;      /* EV_RESPONSE to a found query: sim_order_status */
} sim_event;

#endif
