/*
 * A stubbed transport for the place-order loop of docs/ADVISOR.md ("The
 * retry loop"), which the build extracts into advisor_example.c and links
 * with this file. Time is simulated: sleeping and every call move the
 * monotonic clock on; the server's clock runs at a fixed offset from it.
 * Each scenario scripts the answers of the sends and of the status
 * queries, runs place_order() and checks what it did: how often it sent and
 * queried, when it signed, what it journaled, and the outcome.
 */
#include <sixmm/errinfo.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

uint64_t mono_now_ms(void);
void sleep_ms(uint32_t ms);
uint32_t random32(void);
int get_server_time(uint64_t *mono_sent_ms, int64_t *server_ms, uint64_t *mono_received_ms);
int send_place_order(const char *client_order_id, int64_t timestamp_ms, sixmm_call *answer,
                     char *request_id, size_t size);
sixmm_found query_order(const char *client_order_id, int64_t timestamp_ms, char *status,
                        size_t size);
int journal_put(const char *client_order_id, const unsigned char *record, size_t len);
void alert_operator(const char *client_order_id, const char *why);
sixmm_outcome place_order(const char *client_order_id, sixmm_intent *it);

extern sixmm_clock server_clock;
extern sixmm_throttle throttle;
extern sixmm_budget budget;

#define OFFSET    INT64_C(1700000000000) /* server time = monotonic + OFFSET */
#define MAX_CALLS 16
#define NOT_SENT  -1                     /* a scripted send whose connect fails */

struct reply {
    int http, has_code;
    int64_t code;
};

static const struct reply ok = {200, 1, 0};
static const struct reply timed_out = {0, 0, 0};
static const struct reply throttled = {429, 0, 0};
static const struct reply no_balance = {200, 1, 3001};
static const struct reply no_connect = {NOT_SENT, 0, 0};

static struct {
    uint64_t mono;
    struct reply replies[MAX_CALLS]; /* the last one repeats */
    int nreplies, sends, queries, syncs, alerts, puts;
    int64_t signed_at[MAX_CALLS];
    sixmm_found found;     /* every query's answer */
    const char *status;    /* and its status text */
    unsigned char record[SIXMM_INTENT_RECORD_MAX];
    size_t record_len;
    int journal_sends;     /* the sends of the record last put */
    int unjournaled;       /* a send with no record of it before */
    uint32_t rng;
} net;

uint64_t mono_now_ms(void)
{
    return net.mono;
}

void sleep_ms(uint32_t ms)
{
    net.mono += ms;
}

uint32_t random32(void)
{
    net.rng = net.rng * 1664525u + 1013904223u;
    return net.rng;
}

int get_server_time(uint64_t *mono_sent_ms, int64_t *server_ms, uint64_t *mono_received_ms)
{
    net.syncs++;
    *mono_sent_ms = net.mono;
    *server_ms = (int64_t)net.mono + 15 + OFFSET; /* a 40 ms trip, asymmetric */
    net.mono += 40;
    *mono_received_ms = net.mono;
    return 0;
}

int send_place_order(const char *client_order_id, int64_t timestamp_ms, sixmm_call *answer,
                     char *request_id, size_t size)
{
    int i = net.sends < net.nreplies ? net.sends : net.nreplies - 1;
    sixmm_intent back;

    (void)client_order_id;
    /* The journal holds this send already: its record counts it. */
    if (sixmm_intent_decode(&back, net.record, net.record_len) != 0 ||
        net.journal_sends != net.sends + 1)
        net.unjournaled++;
    if (net.sends < MAX_CALLS)
        net.signed_at[net.sends] = timestamp_ms;
    net.sends++;
    net.mono += 100;
    if (net.replies[i].http == NOT_SENT)
        return -1;
    memset(answer, 0, sizeof *answer);
    answer->http_status = net.replies[i].http;
    answer->has_code = net.replies[i].has_code;
    answer->code = net.replies[i].code;
    snprintf(request_id, size, "req-%d", net.sends);
    return 0;
}

sixmm_found query_order(const char *client_order_id, int64_t timestamp_ms, char *status,
                        size_t size)
{
    (void)client_order_id;
    (void)timestamp_ms;
    net.queries++;
    net.mono += 50;
    snprintf(status, size, "%s", net.status);
    return net.found;
}

int journal_put(const char *client_order_id, const unsigned char *record, size_t len)
{
    sixmm_intent back;
    (void)client_order_id;
    if (len == 0 || len > sizeof net.record)
        return -1;
    memcpy(net.record, record, len);
    net.record_len = len;
    net.puts++;
    net.journal_sends = 0;
    if (sixmm_intent_decode(&back, record, len) == 0) {
        sixmm_next n;
        sixmm_clock none;
        /* The send count the record holds, as the machine reports it. */
        sixmm_clock_init(&none, 0);
        sixmm_intent_next(&back, &none, NULL, NULL, 0, 0, &n);
        net.journal_sends = (int)n.sends;
    }
    return 0;
}

void alert_operator(const char *client_order_id, const char *why)
{
    (void)client_order_id;
    (void)why;
    net.alerts++;
}

static int failures;

static void script(const struct reply *replies, int n, sixmm_found found, const char *status)
{
    memset(net.replies, 0, sizeof net.replies);
    memcpy(net.replies, replies, (size_t)n * sizeof replies[0]);
    net.nreplies = n;
    net.sends = net.queries = net.syncs = net.alerts = net.puts = net.unjournaled = 0;
    net.found = found;
    net.status = status;
}

static void expect(const char *name, int cond, const char *what)
{
    printf("%s %s: %s\n", cond ? "ok  " : "FAIL", name, what);
    failures += !cond;
}

static sixmm_outcome run(const char *id, sixmm_intent *it)
{
    int64_t now;
    uint64_t sent, received;
    int64_t server;
    while (sixmm_clock_read(&server_clock, mono_now_ms(), &now, NULL) < 0) {
        get_server_time(&sent, &server, &received);
        sixmm_clock_sample(&server_clock, sent, server, received);
    }
    sixmm_intent_init(it, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, now, 0);
    return place_order(id, it);
}

int main(void)
{
    const struct reply success[] = {ok};
    const struct reply timeout_then_ok[] = {timed_out, ok};
    const struct reply throttled_then_ok[] = {throttled, ok};
    const struct reply timeout[] = {timed_out};
    const struct reply refused[] = {no_balance};
    const struct reply connect_fails_then_ok[] = {no_connect, ok};
    sixmm_intent it, back;
    sixmm_outcome out;

    net.mono = 5000000;
    net.rng = 1;
    if (sixmm_clock_init(&server_clock, 0) || sixmm_throttle_init_custom(&throttle, 10, 5, 4) ||
        sixmm_budget_init(&budget, SIXMM_DOMAIN_REST))
        return 1;

    script(success, 1, SIXMM_FOUND_NONE, "");
    out = run("c-1", &it);
    expect("success", out == SIXMM_OUTCOME_ACCEPTED && net.sends == 1 && net.queries == 0,
           "one send, accepted");
    expect("success", net.unjournaled == 0, "journaled before the send");

    /* A timeout: the order may exist. The query finds it: never placed again. */
    script(timeout, 1, SIXMM_FOUND_FINAL, "NEW");
    out = run("c-2", &it);
    expect("timeout, found", out == SIXMM_OUTCOME_ACCEPTED && net.sends == 1 &&
                                 net.queries == 1 && sixmm_intent_status(&it) == SIXMM_STATUS_NEW,
           "the order exists: accepted, status NEW, one send");

    /* A timeout and "not found": the same id again only once the window
     * (10 s), the query lag (2 s) and the clock's bound have passed. */
    script(timeout_then_ok, 2, SIXMM_FOUND_NONE, "");
    out = run("c-3", &it);
    expect("timeout, not found", out == SIXMM_OUTCOME_ACCEPTED && net.sends == 2 &&
                                     net.queries >= 2,
           "queried, then resent");
    expect("timeout, not found", net.signed_at[1] >= net.signed_at[0] + 12000,
           "resent only after the window and the lag");
    expect("timeout, not found", net.signed_at[1] <= net.signed_at[0] + 12000 + 1000,
           "resent soon after that instant");

    /* A 429 proves only that that arrival did not execute: a query, then the
     * proof, never a resend at once. */
    script(throttled_then_ok, 2, SIXMM_FOUND_NONE, "");
    out = run("c-4", &it);
    expect("throttled", out == SIXMM_OUTCOME_ACCEPTED && net.sends == 2 && net.queries >= 1,
           "queried before the resend");
    expect("throttled", net.signed_at[1] >= net.signed_at[0] + 12000,
           "no resend inside the window");
    expect("throttled", net.alerts >= 1, "a rate limit is alerted on");

    /* A found REJECTED order exists: accepted with status REJECTED. */
    script(timeout, 1, SIXMM_FOUND_FINAL, "REJECTED");
    out = run("c-5", &it);
    expect("rejected", out == SIXMM_OUTCOME_ACCEPTED && net.sends == 1 &&
                           sixmm_intent_status(&it) == SIXMM_STATUS_REJECTED,
           "accepted, status REJECTED, never placed again, never filled");

    /* A refusal a resend cannot change: REFUSED, once nothing can execute. */
    script(refused, 1, SIXMM_FOUND_NONE, "");
    out = run("c-6", &it);
    expect("refused", out == SIXMM_OUTCOME_REFUSED && net.sends == 1 && net.queries >= 1,
           "refused after the proof, one send");

    /* The query keeps failing: an operator, not a loop, not a new order. */
    script(timeout, 1, SIXMM_FOUND_QUERY_FAILED, "");
    out = run("c-7", &it);
    expect("query fails", out == SIXMM_OUTCOME_UNKNOWN && net.sends == 1 && net.queries == 8,
           "8 status queries, then escalated");
    expect("query fails", net.alerts >= 1, "the escalation is alerted on");

    /* No byte left the machine: a resend needs no proof. */
    script(connect_fails_then_ok, 2, SIXMM_FOUND_NONE, "");
    out = run("c-8", &it);
    expect("not sent", out == SIXMM_OUTCOME_ACCEPTED && net.sends == 2 && net.queries == 0,
           "resent without a query");

    /* A crash after the record of a send: the restarted intent queries
     * first, never sends at once. */
    script(timeout, 1, SIXMM_FOUND_FINAL, "FILLED");
    sixmm_intent_init(&it, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE,
                      (int64_t)net.mono + OFFSET, 0);
    {
        unsigned char rec[SIXMM_INTENT_RECORD_MAX];
        sixmm_next n;
        size_t len;
        sixmm_intent_next(&it, &server_clock, NULL, NULL, net.mono, 1, &n);
        sixmm_intent_sending(&it, n.sign_ms);
        len = sixmm_intent_encode(&it, rec, sizeof rec);
        /* ... the process dies here; a new one reads the journal ... */
        expect("restart", sixmm_intent_decode(&back, rec, len) == 0 &&
                              sixmm_intent_restart(&back) == 0,
               "the record reads back");
    }
    out = place_order("c-9", &back);
    expect("restart", out == SIXMM_OUTCOME_ACCEPTED && net.sends == 0 && net.queries == 1 &&
                          sixmm_intent_status(&back) == SIXMM_STATUS_FILLED,
           "queried, found filled, not sent again");

    printf("%d failure(s)\n", failures);
    return failures != 0;
}
