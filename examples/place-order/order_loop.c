/* order_loop.c: see order_loop.h. The steps are numbered as in the loop of
 * docs/ADVISOR.md. */
#include "order_loop.h"

#include <string.h>
#include <time.h>

/* A BUSY throttle is asked again after this long. */
#define BUSY_WAIT_MS 5

static void sleep_ms(uint32_t ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* The throttle's clock: monotonic, shared by all threads. */
static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t server_now(const client_thread *c)
{
    return (uint64_t)((int64_t)transport_local_ms() + c->offset_ms);
}

static uint32_t random32(client_thread *c)
{
    uint64_t z = (c->rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* Step 1: a turn from the shared throttle. */
static void take_turn(client_thread *c)
{
    uint32_t wait;
    while ((wait = sixmm_throttle_acquire(&c->shared->throttle, mono_ms())) ==
           SIXMM_THROTTLE_BUSY)
        sleep_ms(BUSY_WAIT_MS);
    sleep_ms(wait);
}

/* Step 3: classify, feed the throttle, let the budget veto a resend. */
static void advise(client_thread *c, const reply *r, int idempotent, unsigned attempt,
                   sixmm_advice *a)
{
    sixmm_call call;
    memset(&call, 0, sizeof call);
    call.domain = SIXMM_DOMAIN_REST;
    call.http_status = r->http_status;
    call.has_code = r->has_code;
    call.code = r->code;
    call.message = c->t.message;
    call.message_len = strlen(c->t.message);
    call.idempotent = idempotent;
    call.attempt = attempt;
    sixmm_classify(&call, random32(c), a);
    sixmm_throttle_feedback(&c->shared->throttle, a, mono_ms());
    if (!idempotent)
        sixmm_budget_apply(&c->shared->budget, a);
    if (a->action == SIXMM_RETRY_RESYNC_CLOCK)
        transport_sync_clock(&c->t, &c->offset_ms, &c->error_ms);
}

/* Step 4, outcome unknown: status queries by the original clientOrderId. */
static sixmm_step reconcile(client_thread *c, const char *id, uint64_t signed_at,
                            const char **why)
{
    sixmm_reconcile_in in;
    sixmm_reconcile_out out;
    memset(&in, 0, sizeof in);
    in.domain = SIXMM_DOMAIN_REST;
    in.signed_at_ms = signed_at;
    for (in.attempt = 1;; in.attempt++) {
        sixmm_advice a;
        take_turn(c);
        /* The answer tells the state at the time the query is sent: that
         * instant, read before sending, is now_ms. */
        in.now_ms = server_now(c);
        in.clock_error_ms = c->error_ms;
        reply r = transport_query(&c->t, id, in.now_ms);
        sixmm_throttle_release(&c->shared->throttle, mono_ms());
        in.found = r.found ? SIXMM_FOUND_FINAL
                 : r.has_code && r.code == SIXMM_E_ORDER_NOT_FOUND ? SIXMM_FOUND_NONE
                 : SIXMM_FOUND_QUERY_FAILED;
        if (in.found == SIXMM_FOUND_QUERY_FAILED)
            advise(c, &r, 1, in.attempt, &a);   /* e.g. resync the clock */
        sixmm_reconcile(&in, random32(c), &out);
        *why = out.reason;
        if (out.step != SIXMM_STEP_POLL)
            return out.step;
        sleep_ms(out.delay_ms);
    }
}

order_outcome place_order(client_thread *c, const char *id, const char **why)
{
    for (unsigned attempt = 1;; attempt++) {
        sixmm_advice a;
        take_turn(c);
        uint64_t signed_at = server_now(c);   /* a new timestamp and signature every send */
        reply r = transport_place(&c->t, id, signed_at);
        sixmm_throttle_release(&c->shared->throttle, mono_ms());   /* step 2 */
        advise(c, &r, 0, attempt, &a);
        *why = a.reason;
        if (a.action == SIXMM_RETRY_NONE)
            return ORDER_EXECUTED;
        if (a.resend) {
            sleep_ms(a.delay_ms);
            continue;
        }
        if (a.action != SIXMM_RETRY_RECONCILE) {
            return a.action == SIXMM_RETRY_FIX_REQUEST || a.action == SIXMM_RETRY_NEVER
                   || a.action == SIXMM_RETRY_CHECK_CREDENTIALS ? ORDER_REJECTED
                                                                : ORDER_ESCALATED;
        }
        switch (reconcile(c, id, signed_at, why)) {
        case SIXMM_STEP_DONE:
            return ORDER_EXECUTED;
        case SIXMM_STEP_RESEND:
            continue;   /* the same clientOrderId, a new timestamp and signature */
        default:
            return ORDER_ESCALATED;
        }
    }
}
