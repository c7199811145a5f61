/* transport.c: see transport.h. */
#include "transport.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sixmm/errinfo.h>

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

uint64_t transport_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int transport_init(transport *t, const char *base_url, const char *api_key,
                   const char *secret, long timeout_ms, int use_token)
{
    memset(t, 0, sizeof *t);
    t->curl = curl_easy_init();
    t->base_url = base_url;
    t->api_key = api_key;
    t->secret = secret;
    t->timeout_ms = timeout_ms;
    t->use_token = use_token;
    t->token_stale = use_token;
    return t->curl ? 0 : -1;
}

void transport_free(transport *t)
{
    curl_easy_cleanup(t->curl);
    t->curl = NULL;
}

/* Failures that happen before any byte of the request is written. */
static int before_sending(CURLcode rc)
{
    return rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY
        || rc == CURLE_COULDNT_CONNECT || rc == CURLE_SSL_CONNECT_ERROR;
}

/* One request; fresh: on a connection of its own, closed afterwards. */
static reply perform(transport *t, const char *url, const char *body, int fresh,
                     struct body *out)
{
    char key_header[300], token_header[200];
    struct curl_slist *headers = NULL;
    reply r = {.sent = 1};
    long status = 0;
    snprintf(key_header, sizeof key_header, "X-API-KEY: %s", t->api_key);
    headers = curl_slist_append(headers, key_header);
    if (t->use_token) {
        snprintf(token_header, sizeof token_header, "Authorization: Bearer %s", t->token);
        headers = curl_slist_append(headers, token_header);
    }
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
    if (fresh) {
        curl_easy_setopt(t->curl, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(t->curl, CURLOPT_FORBID_REUSE, 1L);
    }
    if (body)
        curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, body);
    CURLcode rc = curl_easy_perform(t->curl);
    if (rc == CURLE_OK)
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    else
        r.sent = !before_sending(rc);
    curl_slist_free_all(headers);
    r.http_status = (int)status;
    return r;
}

/* The body's `code`, `message` and `requestId`; `data` present means a
 * query found it. */
static void parse(transport *t, const struct body *b, reply *r)
{
    t->message[0] = t->status[0] = t->request_id[0] = '\0';
    if (r->http_status == 0)
        return;
    json_t *root = json_loadb(b->data, b->len, 0, NULL);
    json_t *code = json_object_get(root, "code");
    json_t *message = json_object_get(root, "message");
    json_t *id = json_object_get(root, "requestId");
    json_t *data = json_object_get(root, "data");
    if (json_is_integer(code)) {
        r->has_code = 1;
        r->code = json_integer_value(code);
    }
    if (json_is_string(message))
        snprintf(t->message, sizeof t->message, "%s", json_string_value(message));
    if (json_is_string(id))
        snprintf(t->request_id, sizeof t->request_id, "%s", json_string_value(id));
    r->found = r->has_code && r->code == 0 && json_is_object(data);
    json_t *status = json_object_get(data, "status");
    if (json_is_string(status))
        snprintf(t->status, sizeof t->status, "%s", json_string_value(status));
    json_t *token = json_object_get(data, "accessToken");
    if (r->has_code && r->code == 0 && json_is_string(token)) {
        snprintf(t->token, sizeof t->token, "%s", json_string_value(token));
        t->token_stale = 0;
    }
    /* An expired token is renewed before the next request; the order
     * machine decides what the refusal means for the order. */
    if (r->has_code && r->code == SIXMM_E_TOKEN_EXPIRED)
        t->token_stale = 1;
    json_decref(root);
}

/* Sign `query` (+ body), send it to path?query&signature=... */
static reply signed_call(transport *t, const char *path, const char *query, const char *body,
                         int fresh)
{
    char sig[SIGN_HEX_LEN + 1], url[1024];
    struct body b;
    if (sign_request(t->secret, query, body, sig) != 0) {
        reply none = {0};
        return none;
    }
    snprintf(url, sizeof url, "%s%s?%s&signature=%s", t->base_url, path, query, sig);
    reply r = perform(t, url, body, fresh, &b);
    parse(t, &b, &r);
    return r;
}

/* POST /v1/public/user/login when the token is missing or expired. It is
 * signed with the timestamp of the request it precedes. */
static void refresh_token(transport *t, int64_t timestamp_ms)
{
    char query[64];
    if (!t->use_token || !t->token_stale)
        return;
    snprintf(query, sizeof query, "timestamp=%lld", (long long)timestamp_ms);
    signed_call(t, "/v1/public/user/login", query, "{}", 0);
}

reply transport_place(transport *t, const char *client_order_id, int64_t timestamp_ms)
{
    char query[64], body[512];
    refresh_token(t, timestamp_ms);
    snprintf(query, sizeof query, "timestamp=%lld", (long long)timestamp_ms);
    snprintf(body, sizeof body,
             "{\"symbol\":\"" SYMBOL "\",\"type\":\"LIMIT\",\"side\":\"BUY\","
             "\"price\":\"100.0\",\"quantity\":\"0.01\",\"timeInForce\":\"GTC\","
             "\"clientOrderId\":\"%s\"}", client_order_id);
    return signed_call(t, "/v1/private/order/place", query, body, 1);
}

reply transport_query(transport *t, const char *client_order_id, int64_t timestamp_ms)
{
    char query[256];
    refresh_token(t, timestamp_ms);
    snprintf(query, sizeof query, "symbol=" SYMBOL "&clientOrderId=%s&timestamp=%lld",
             client_order_id, (long long)timestamp_ms);
    return signed_call(t, "/v1/private/order", query, NULL, 0);
}

int transport_time(transport *t, uint64_t *mono_sent, int64_t *server_ms,
                   uint64_t *mono_received)
{
    char url[512];
    struct body b;
    snprintf(url, sizeof url, "%s/v1/time", t->base_url);
    *mono_sent = transport_mono_ms();
    reply r = perform(t, url, NULL, 0, &b);
    *mono_received = transport_mono_ms();
    json_t *root = r.http_status == 200 ? json_loadb(b.data, b.len, 0, NULL) : NULL;
    json_t *ms = json_object_get(json_object_get(root, "data"), "timestampMs");
    int ok = json_is_integer(ms);
    if (ok)
        *server_ms = (int64_t)json_integer_value(ms);
    json_decref(root);
    return ok ? 0 : -1;
}
