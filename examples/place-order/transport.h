/* transport.h: the HTTP side of the example, over libcurl. Every call signs
 * its request, and fills a sixmm_call from what came back. */
#ifndef PLACE_ORDER_TRANSPORT_H
#define PLACE_ORDER_TRANSPORT_H

#include <stdint.h>

#include <curl/curl.h>

typedef struct transport {
    CURL *curl;
    const char *base_url, *api_key, *secret;
    long timeout_ms;
    char message[256];   /* the last body's `message` (sixmm_call points here) */
} transport;

/* One result: what sixmm_classify() needs, and for a query whether the
 * order was found. */
typedef struct reply {
    int http_status;     /* 0 when no answer came (timeout, connection lost) */
    int has_code;
    int64_t code;
    int found;           /* status query: code 0 with the order in `data` */
} reply;

int transport_init(transport *t, const char *base_url, const char *api_key,
                   const char *secret, long timeout_ms);
void transport_free(transport *t);

/* GET /v1/time: the server's clock. Stores the offset (server minus local,
 * ms) and the error bound (half the round trip, rounded up). */
int transport_sync_clock(transport *t, int64_t *offset_ms, uint32_t *error_ms);

/* POST /v1/private/order/place for one clientOrderId, signed with timestamp. */
reply transport_place(transport *t, const char *client_order_id, uint64_t timestamp_ms);

/* GET /v1/private/order by clientOrderId, signed with timestamp. */
reply transport_query(transport *t, const char *client_order_id, uint64_t timestamp_ms);

/* The local wall clock, Unix ms. */
uint64_t transport_local_ms(void);

#endif
