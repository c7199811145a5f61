/* order_loop.c: see order_loop.h. The loop of docs/ADVISOR.md: ask the
 * machine, do what it says, report the event. */
#include "order_loop.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* A failed GET /v1/time is asked for again by the machine at once; this
 * pause keeps that from spinning while the server is unreachable. */
#define SYNC_FAILED_PAUSE_MS 100

static void sleep_ms(uint32_t ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static uint32_t random32(client_thread *c)
{
    uint64_t z = (c->rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

int sync_clock(client_thread *c)
{
    uint64_t sent, received;
    int64_t server_ms;
    if (transport_time(&c->t, &sent, &server_ms, &received) != 0)
        return -1;
    return sixmm_clock_sample(&c->shared->clock, sent, server_ms, received);
}

int start_order(client_thread *c, sixmm_intent *it)
{
    int64_t now;
    if (sixmm_clock_read(&c->shared->clock, transport_mono_ms(), &now, NULL) != 0)
        return -1;
    return sixmm_intent_init(it, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, now, 0);
}

static sixmm_call call_of(const transport *t, const reply *r)
{
    sixmm_call call;
    memset(&call, 0, sizeof call);
    call.domain = SIXMM_DOMAIN_REST;
    call.http_status = r->http_status;
    call.has_code = r->has_code;
    call.code = r->code;
    call.message = t->message;
    call.message_len = strlen(t->message);
    return call;
}

/* The log line the docs' integration recommendations ask for, on stderr. */
static void log_line(const char *what, const char *id, const transport *t, const reply *r,
                     uint64_t started, const sixmm_next *n)
{
    fprintf(stderr, "place-order: %s client_order_id=%s request_id=%s http=%d code=%lld "
                    "latency_ms=%llu send=%u query=%u\n",
            what, id, t->request_id[0] ? t->request_id : "-", r->http_status,
            r->has_code ? (long long)r->code : -1LL,
            (unsigned long long)(transport_mono_ms() - started),
            n->sends + (n->todo == SIXMM_TODO_SEND), n->queries + (n->todo == SIXMM_TODO_QUERY));
}

static int record(client_thread *c, const char *id, const sixmm_intent *it)
{
    if (!c->journal || sixmm_journal_put(c->journal, id, it) == 0)
        return 0;
    fprintf(stderr, "place-order: %s\n", sixmm_journal_errmsg(c->journal));
    return -1;
}

static void query(client_thread *c, const char *id, sixmm_intent *it, const sixmm_next *n)
{
    sixmm_intent_querying(it, n->sign_ms);
    uint64_t started = transport_mono_ms();
    reply r = transport_query(&c->t, id, n->sign_ms);
    sixmm_found found = r.found ? SIXMM_FOUND_FINAL
                      : r.has_code && r.code == SIXMM_E_ORDER_NOT_FOUND ? SIXMM_FOUND_NONE
                      : SIXMM_FOUND_QUERY_FAILED;
    if (found == SIXMM_FOUND_QUERY_FAILED)
        log_line("query failed", id, &c->t, &r, started, n);
    sixmm_intent_found(it, found, c->t.status, strlen(c->t.status));
}

int run_order(client_thread *c, const char *id, sixmm_intent *it, sixmm_next *n)
{
    client_shared *s = c->shared;
    for (;;) {
        sixmm_intent_next(it, &s->clock, &s->throttle, &s->budget, transport_mono_ms(),
                          random32(c), n);
        if (n->alert)
            fprintf(stderr, "place-order: alert %s: %s (%s)\n", id, n->alert_reason, n->reason);
        switch (n->todo) {
        case SIXMM_TODO_SEND: {
            sixmm_intent_sending(it, n->sign_ms);
            if (record(c, id, it) != 0) {
                sixmm_intent_not_sent(it);
                return -1;
            }
            uint64_t started = transport_mono_ms();
            reply r = transport_place(&c->t, id, n->sign_ms);
            if (!r.sent) {
                sixmm_intent_not_sent(it);
            } else {
                sixmm_call call = call_of(&c->t, &r);
                sixmm_intent_answer(it, &call, transport_mono_ms());
            }
            if (!r.sent || r.http_status != 200 || r.code != 0)
                log_line("place", id, &c->t, &r, started, n);
            break;
        }
        case SIXMM_TODO_QUERY:
            query(c, id, it, n);
            break;
        case SIXMM_TODO_SYNC:
            if (sync_clock(c) != 0)
                sleep_ms(SYNC_FAILED_PAUSE_MS);
            break;
        case SIXMM_TODO_WAIT:
            sleep_ms(n->wait_ms);
            break;
        case SIXMM_TODO_DONE:
        case SIXMM_TODO_ESCALATE:
        default:
            return record(c, id, it);
        }
    }
}
