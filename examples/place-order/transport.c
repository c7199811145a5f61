/* transport.c: see transport.h. */
#include "transport.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sign.h"

#define SYMBOL "BTCUSDT"

struct body {
    char data[8192];
    size_t len;
};

static size_t collect(char *ptr, size_t size, size_t n, void *userdata)
{
    struct body *b = userdata;
    size_t take = size * n;
    if (take > sizeof b->data - 1 - b->len)
        take = sizeof b->data - 1 - b->len;
    memcpy(b->data + b->len, ptr, take);
    b->len += take;
    b->data[b->len] = '\0';
    return size * n;   /* a longer body is cut, not an error */
}

uint64_t transport_local_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int transport_init(transport *t, const char *base_url, const char *api_key,
                   const char *secret, long timeout_ms)
{
    memset(t, 0, sizeof *t);
    t->curl = curl_easy_init();
    t->base_url = base_url;
    t->api_key = api_key;
    t->secret = secret;
    t->timeout_ms = timeout_ms;
    return t->curl ? 0 : -1;
}

void transport_free(transport *t)
{
    curl_easy_cleanup(t->curl);
    t->curl = NULL;
}

/* One request. Returns the HTTP status, or 0 when no answer came. */
static long perform(transport *t, const char *url, const char *body, struct body *out)
{
    char key_header[300];
    struct curl_slist *headers = NULL;
    long status = 0;
    snprintf(key_header, sizeof key_header, "X-API-KEY: %s", t->api_key);
    headers = curl_slist_append(headers, key_header);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    out->len = 0;
    out->data[0] = '\0';
    curl_easy_reset(t->curl);
    curl_easy_setopt(t->curl, CURLOPT_URL, url);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(t->curl, CURLOPT_TIMEOUT_MS, t->timeout_ms);
    curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, out);
    if (body)
        curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, body);
    if (curl_easy_perform(t->curl) == CURLE_OK)
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    return status;
}

/* The body's `code` and `message`; `data` present means a query found it. */
static reply parse(transport *t, long status, const struct body *b)
{
    reply r = {.http_status = (int)status};
    t->message[0] = '\0';
    if (status == 0)
        return r;
    json_t *root = json_loadb(b->data, b->len, 0, NULL);
    json_t *code = json_object_get(root, "code");
    json_t *message = json_object_get(root, "message");
    if (json_is_integer(code)) {
        r.has_code = 1;
        r.code = json_integer_value(code);
    }
    if (json_is_string(message))
        snprintf(t->message, sizeof t->message, "%s", json_string_value(message));
    r.found = r.has_code && r.code == 0 && json_is_object(json_object_get(root, "data"));
    json_decref(root);
    return r;
}

/* Sign `query` (+ body), send it to path?query&signature=... */
static reply signed_call(transport *t, const char *path, const char *query, const char *body)
{
    char sig[SIGN_HEX_LEN + 1], url[1024];
    struct body b;
    if (sign_request(t->secret, query, body, sig) != 0) {
        reply none = {0};
        return none;
    }
    snprintf(url, sizeof url, "%s%s?%s&signature=%s", t->base_url, path, query, sig);
    return parse(t, perform(t, url, body, &b), &b);
}

reply transport_place(transport *t, const char *client_order_id, uint64_t timestamp_ms)
{
    char query[64], body[512];
    snprintf(query, sizeof query, "timestamp=%llu", (unsigned long long)timestamp_ms);
    snprintf(body, sizeof body,
             "{\"symbol\":\"" SYMBOL "\",\"type\":\"LIMIT\",\"side\":\"BUY\","
             "\"price\":\"100.0\",\"quantity\":\"0.01\",\"timeInForce\":\"GTC\","
             "\"clientOrderId\":\"%s\"}", client_order_id);
    return signed_call(t, "/v1/private/order/place", query, body);
}

reply transport_query(transport *t, const char *client_order_id, uint64_t timestamp_ms)
{
    char query[256];
    snprintf(query, sizeof query, "symbol=" SYMBOL "&clientOrderId=%s&timestamp=%llu",
             client_order_id, (unsigned long long)timestamp_ms);
    return signed_call(t, "/v1/private/order", query, NULL);
}

int transport_sync_clock(transport *t, int64_t *offset_ms, uint32_t *error_ms)
{
    char url[512];
    struct body b;
    snprintf(url, sizeof url, "%s/v1/time", t->base_url);
    uint64_t before = transport_local_ms();
    long status = perform(t, url, NULL, &b);
    uint64_t after = transport_local_ms();
    json_t *root = status == 200 ? json_loadb(b.data, b.len, 0, NULL) : NULL;
    json_t *ms = json_object_get(json_object_get(root, "data"), "timestampMs");
    int ok = json_is_integer(ms);
    if (ok) {
        /* The docs' sample: the server's time against the midpoint of the call. */
        *offset_ms = (int64_t)json_integer_value(ms) - (int64_t)((before + after) / 2);
        *error_ms = (uint32_t)((after - before + 1) / 2) + 1;
    }
    json_decref(root);
    return ok ? 0 : -1;
}
