/* transport.h: the HTTP side of the example, over libcurl. Every call signs
 * its request and says what came back; the order machine decides what it
 * means. An order request goes out on a fresh connection that is closed
 * afterwards, so libcurl never sends it a second time by itself (it replays
 * a request only on a reused connection that died). */
#ifndef PLACE_ORDER_TRANSPORT_H
#define PLACE_ORDER_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

typedef struct transport {
    CURL *curl;
    const char *base_url, *api_key, *secret;
    long timeout_ms;
    int use_token;        /* send Authorization: Bearer, from POST /v1/public/user/login */
    int token_stale;      /* log in before the next request */
    char token[128];
    char message[256];    /* the last body's `message` */
    char status[64];      /* the last query's data.status */
    char request_id[64];  /* the last body's requestId, for the log line */
} transport;

/* One result. */
typedef struct reply {
    int sent;            /* 0: no byte of the request left (connect failed) */
    int http_status;     /* 0 when no answer came (timeout, connection lost) */
    int has_code;
    int64_t code;
    int found;           /* status query: code 0 with the order in `data` */
} reply;

int transport_init(transport *t, const char *base_url, const char *api_key,
                   const char *secret, long timeout_ms, int use_token);
void transport_free(transport *t);

/* GET /v1/time: the server's data.timestampMs, with the monotonic ms just
 * before the request and just after the answer. Returns 0 or -1. */
int transport_time(transport *t, uint64_t *mono_sent, int64_t *server_ms,
                   uint64_t *mono_received);

/* POST /v1/private/order/place for one clientOrderId, signed with timestamp. */
reply transport_place(transport *t, const char *client_order_id, int64_t timestamp_ms);

/* GET /v1/private/order by clientOrderId, signed with timestamp; the status
 * text found goes to t->status. */
reply transport_query(transport *t, const char *client_order_id, int64_t timestamp_ms);

/* The monotonic clock, in ms: every timing of the example uses it. */
uint64_t transport_mono_ms(void);

#endif
