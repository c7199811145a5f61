/*
 * A stubbed transport for the place-order loop of docs/ADVISOR.md ("The
 * retry loop"), which the build extracts into advisor_example.c and links
 * with this file. The clock is simulated: sleeping and every call move it
 * on. Each scenario scripts the replies of the sends and the answers of the
 * status queries, runs place_order() and checks what it did: how often it
 * sent, when, and what it returned.
 */
#include <sixmm/errinfo.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct reply {
    int http_status;
    int has_code;
    int64_t code;
    const char *message;
    size_t message_len;
};

struct reply send_place_order(const char *client_order_id, uint64_t signed_at_ms);
sixmm_found query_order(const char *client_order_id);
uint64_t server_now_ms(void);
uint32_t clock_error_ms(void);
void sleep_ms(uint32_t ms);
uint32_t random32(void);
int place_order(const char *client_order_id);

extern sixmm_throttle throttle;
extern sixmm_budget budget;

#define CLOCK_ERROR_MS 250u
#define MAX_SENDS      16

static const struct reply ok = {200, 1, 0, "success", 7};
static const struct reply timed_out = {0, 0, 0, NULL, 0};
static const struct reply throttled = {429, 0, 0, NULL, 0};

static struct {
    uint64_t clock;
    struct reply replies[MAX_SENDS]; /* the last one repeats */
    int nreplies, sends, queries;
    uint64_t signed_at[MAX_SENDS];
    sixmm_found found;
    uint32_t rng;
} net;

struct reply send_place_order(const char *client_order_id, uint64_t signed_at_ms)
{
    int i = net.sends < net.nreplies ? net.sends : net.nreplies - 1;
    (void)client_order_id;
    if (net.sends < MAX_SENDS)
        net.signed_at[net.sends] = signed_at_ms;
    net.sends++;
    net.clock += 100;
    return net.replies[i];
}

sixmm_found query_order(const char *client_order_id)
{
    (void)client_order_id;
    net.queries++;
    net.clock += 50;
    return net.found;
}

uint64_t server_now_ms(void)
{
    return net.clock;
}

uint32_t clock_error_ms(void)
{
    return CLOCK_ERROR_MS;
}

void sleep_ms(uint32_t ms)
{
    net.clock += ms;
}

uint32_t random32(void)
{
    net.rng = net.rng * 1664525u + 1013904223u;
    return net.rng;
}

static int failures;

static void script(const struct reply *replies, int n, sixmm_found found)
{
    memset(net.replies, 0, sizeof net.replies);
    memcpy(net.replies, replies, (size_t)n * sizeof replies[0]);
    net.nreplies = n;
    net.sends = net.queries = 0;
    net.found = found;
}

static void expect(const char *name, int cond, const char *what)
{
    printf("%s %s: %s\n", cond ? "ok  " : "FAIL", name, what);
    failures += !cond;
}

int main(void)
{
    const struct reply success[] = {ok};
    const struct reply throttled_then_ok[] = {throttled, ok};
    const struct reply timeout_then_ok[] = {timed_out, ok};
    const struct reply timeout[] = {timed_out};
    const struct reply outage[] = {throttled};
    int rc;

    net.clock = 1700000000000u;
    net.rng = 1;
    if (sixmm_throttle_init_custom(&throttle, 10, 5, 4) ||
        sixmm_budget_init(&budget, SIXMM_DOMAIN_REST))
        return 1;

    script(success, 1, SIXMM_FOUND_NONE);
    rc = place_order("c-1");
    expect("success", rc == 0 && net.sends == 1 && net.queries == 0, "one send, done");

    script(throttled_then_ok, 2, SIXMM_FOUND_NONE);
    rc = place_order("c-2");
    expect("throttled", rc == 0 && net.sends == 2 && net.queries == 0,
           "a 429 is resent after the backoff");

    /* A timeout: the order may exist. "Not found" is acted on only once
     * the signature window (10 s), the query lag (2 s) and the clock error
     * have passed; then the same id is sent again, freshly signed. */
    script(timeout_then_ok, 2, SIXMM_FOUND_NONE);
    rc = place_order("c-3");
    expect("timeout, not found", rc == 0 && net.sends == 2 && net.queries >= 2,
           "polled, then resent");
    expect("timeout, not found", net.signed_at[1] >= net.signed_at[0] + 12000 + CLOCK_ERROR_MS,
           "resent only after the window, the lag and the clock error");
    expect("timeout, not found",
           net.signed_at[1] <= net.signed_at[0] + 12000 + CLOCK_ERROR_MS + 500,
           "resent as soon as that instant came");

    script(timeout, 1, SIXMM_FOUND_FINAL);
    rc = place_order("c-4");
    expect("timeout, found", rc == 0 && net.sends == 1 && net.queries == 1,
           "the order exists: never placed again");

    script(timeout, 1, SIXMM_FOUND_PENDING);
    rc = place_order("c-5");
    expect("timeout, pending", rc == -1 && net.sends == 1 && net.queries == 8,
           "8 status queries, then an operator");

    /* A broad outage: the first order uses its 5 resends, which empties
     * half the budget; the next order gets no resend at all. */
    script(outage, 1, SIXMM_FOUND_NONE);
    rc = place_order("c-6");
    expect("outage", rc == -1 && net.sends == 6, "5 resends, then the resend limit");
    script(outage, 1, SIXMM_FOUND_NONE);
    rc = place_order("c-7");
    expect("outage", rc == -1 && net.sends == 1, "the budget refuses the next order's resend");

    printf("%d failure(s)\n", failures);
    return failures != 0;
}
