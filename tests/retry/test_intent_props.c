/*
 * The order machine over 10^6 random event sequences, with crashes (encode,
 * decode, restart) at random points, against an oracle that knows the true
 * server time. The invariants:
 *   - no SEND after DONE or ESCALATE (also after a restart);
 *   - no SEND signed after the lifetime;
 *   - at most the spec's cap of sends (8);
 *   - no second signature of a place, cancel or transfer without a
 *     not_sent, or a "not found" (a cancel: or its order still open) to a
 *     query sent when the TRUE server time had passed the latest signature
 *     + the window + the lag (so a wrong clock bound fails it too);
 *   - hence no SEND right after a restart without one of those;
 *   - a throttle slot taken is released, by the next call after the event
 *     that ends its request, or (when the process crashed holding it)
 *     reclaimed once its lease has passed; the throttle is shared by the
 *     processes, as in shared memory.
 * The world: the server's clock runs at up to 1000 ppm from the client's
 * monotonic clock, from a random offset; /v1/time trips have asymmetric
 * legs; answers, statuses and the caller's choices are random.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

#define SEQUENCES  1000000
#define MAX_STEPS  200
#define WINDOW_MS  10000 /* REST, spec policy */
#define LAG_MS     2000
#define MAX_SENDS  8     /* spec machine.sends */
#define LEASE_MS   30000 /* spec policy lease, REST */
#define SLOTS      2

static uint64_t rng = 0x243F6A8885A308D3u;

static uint32_t r32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static uint32_t below(uint32_t n)
{
    return r32() % n;
}

struct world {
    int64_t offset;  /* server time at monotonic 0 */
    int64_t rho_ppm; /* the server clock's rate against the monotonic one */
    uint64_t mono;
};

static int64_t truth(const struct world *w, uint64_t mono)
{
    return w->offset + (int64_t)mono + (int64_t)mono / 1000 * w->rho_ppm / 1000;
}

static void sync_clock(struct world *w, sixmm_clock *c)
{
    uint64_t up = below(4) ? below(80) : below(2000), down = below(4) ? below(80) : below(700);
    sixmm_clock_sample(c, w->mono, truth(w, w->mono + up), w->mono + up + down);
    w->mono += up + down;
}

static const struct {
    int http, has_code;
    int64_t code;
    const char *message;
} answers[] = {
    {200, 1, 0, NULL},    {0, 0, 0, NULL},      {200, 1, 5001, NULL}, {200, 1, 5002, NULL},
    {429, 0, 0, NULL},    {200, 1, 5003, NULL}, {401, 1, 1002, NULL}, {401, 1, 1001, NULL},
    {200, 1, 3004, NULL}, {200, 1, 3001, NULL}, {200, 1, 3005, NULL}, {200, 1, 2001, NULL},
    {502, 0, 0, NULL},    {500, 0, 0, NULL},    {200, 0, 0, NULL},
    {401, 0, 0, "Timestamp outside of tolerance window"},
};
static const char *const statuses[] = {"",         "NEW",      "PENDING",  "PARTIALLY_FILLED",
                                       "FILLED",   "CANCELED", "REJECTED", "PROCESSING",
                                       "SUCCESS",  "FAILED",   "WHATEVER"};

struct oracle {
    int64_t deadline;
    int may_sign;         /* no signature of a write may still execute */
    int signatures;
    int64_t last_signed;
    int64_t query_true;   /* the true server time when the latest QUERY went out */
    int done;             /* DONE or ESCALATE seen */
    int crashed;          /* a process died in this sequence */
};

/* Every slot can be taken (then they are given back). */
static int slots_free(sixmm_throttle *t, uint64_t mono)
{
    uint32_t tickets[SLOTS];
    int i, ok = 1;
    for (i = 0; i < SLOTS; i++)
        ok &= sixmm_throttle_acquire_lease(t, mono, &tickets[i]) != SIXMM_THROTTLE_BUSY;
    for (i = 0; i < SLOTS; i++)
        sixmm_throttle_release_lease(t, tickets[i], mono);
    return ok;
}

static void violated(unsigned long seq, int step, const char *what)
{
    ck_abort_msg("sequence %lu, step %d: %s", seq, step, what);
}

START_TEST(invariants_hold_over_random_sequences_with_crashes)
{
    unsigned long seq, crashes = 0, resends_proven = 0, sends_total = 0;
    unsigned char rec[SIXMM_INTENT_RECORD_MAX];

    for (seq = 0; seq < SEQUENCES; seq++) {
        struct world w;
        struct oracle o;
        sixmm_clock clock;
        sixmm_throttle throttle;
        sixmm_budget budget;
        sixmm_intent it;
        sixmm_next out;
        sixmm_intent_kind kind = (sixmm_intent_kind)below(SIXMM_INTENT_KIND_COUNT);
        int write = kind != SIXMM_INTENT_READ, step, trusting;
        size_t reclen;
        uint32_t lifetime = below(3) ? 0 : 1000 + below(120000);

        memset(&o, 0, sizeof o);
        w.offset = (int64_t)r32() * 1000 + 1600000000000;
        w.rho_ppm = (int64_t)below(1999) - 999;
        w.mono = below(1u << 30);
        sixmm_clock_init(&clock, 0);
        sixmm_throttle_init_custom(&throttle, 1000, 10, SLOTS);
        sixmm_budget_init(&budget, SIXMM_DOMAIN_REST);
        sync_clock(&w, &clock);
        {
            int64_t est;
            sixmm_clock_read(&clock, w.mono, &est, NULL);
            sixmm_intent_init(&it, SIXMM_DOMAIN_REST, kind, est, lifetime);
            o.deadline = est + (lifetime ? lifetime : 60000);
        }
        trusting = below(8) == 0;
        if (trusting)
            sixmm_intent_set_flags(&it, SIXMM_INTENT_TRUST_SINGLE_DELIVERY);
        o.may_sign = 1;
        reclen = sixmm_intent_encode(&it, rec, sizeof rec);
        ck_assert_uint_gt(reclen, 0);

        for (step = 0; step < MAX_STEPS; step++) {
            sixmm_intent_next(&it, &clock, &throttle, &budget, w.mono, r32(), &out);
            if (o.done && out.todo != SIXMM_TODO_DONE && out.todo != SIXMM_TODO_ESCALATE)
                violated(seq, step, "a step after DONE or ESCALATE");
            switch (out.todo) {
            case SIXMM_TODO_WAIT:
                w.mono += below(4) ? out.wait_ms : below(out.wait_ms + 1);
                break;
            case SIXMM_TODO_SYNC:
                sync_clock(&w, &clock);
                break;
            case SIXMM_TODO_DONE:
            case SIXMM_TODO_ESCALATE:
                o.done = 1;
                /* The slot of the last request is free by now, unless a
                 * crashed process left one to its lease. */
                if (!o.crashed && !slots_free(&throttle, w.mono))
                    violated(seq, step, "a slot still held after the end");
                step = MAX_STEPS - 3 > step ? MAX_STEPS - 3 : step; /* a few more asks */
                break;
            case SIXMM_TODO_SEND:
                if (out.sign_ms > o.deadline)
                    violated(seq, step, "a SEND signed after the lifetime");
                if (write && !o.may_sign)
                    violated(seq, step, "a second signature without proof");
                if (below(20) == 0) { /* changed its mind: nothing sent */
                    ck_assert_int_eq(sixmm_intent_not_sent(&it), 0);
                    break;
                }
                ck_assert_int_eq(sixmm_intent_sending(&it, out.sign_ms), 0);
                o.signatures++;
                sends_total++;
                if (o.signatures > 1 && write)
                    resends_proven++;
                if (o.signatures > MAX_SENDS)
                    violated(seq, step, "more sends than the cap");
                o.may_sign = !write;
                o.last_signed = out.sign_ms;
                reclen = sixmm_intent_encode(&it, rec, sizeof rec); /* before the bytes go */
                if (below(10) == 0) {
                    ck_assert_int_eq(sixmm_intent_not_sent(&it), 0);
                    o.may_sign = 1;
                } else if (below(12) != 0) {
                    sixmm_call c;
                    size_t a = below(sizeof answers / sizeof answers[0]);
                    memset(&c, 0, sizeof c);
                    c.http_status = answers[a].http;
                    c.has_code = answers[a].has_code;
                    c.code = answers[a].code;
                    c.message = answers[a].message;
                    c.message_len = c.message ? strlen(c.message) : 0;
                    w.mono += below(300);
                    ck_assert_int_eq(sixmm_intent_answer(&it, &c, w.mono), 0);
                    if (trusting && c.http_status != 0) {
                        /* Opted in: a refusal proves that arrival's fate. */
                        sixmm_advice adv;
                        c.domain = SIXMM_DOMAIN_REST;
                        c.attempt = (unsigned)o.signatures;
                        sixmm_classify(&c, 0, &adv);
                        if (adv.action != SIXMM_RETRY_RECONCILE && adv.action != SIXMM_RETRY_NONE)
                            o.may_sign = 1;
                    }
                } /* else: no event yet, maybe a crash below */
                break;
            case SIXMM_TODO_QUERY: {
                sixmm_found f = (sixmm_found)below(4);
                const char *st = statuses[below(sizeof statuses / sizeof statuses[0])];
                sixmm_status parsed = SIXMM_STATUS_UNKNOWN;
                o.query_true = truth(&w, w.mono);
                if (below(10))
                    ck_assert_int_eq(sixmm_intent_querying(&it, out.sign_ms), 0);
                w.mono += below(200);
                sixmm_status_parse_wire(st, strlen(st), &parsed);
                ck_assert_int_eq(sixmm_intent_found(&it, f, st, strlen(st)), 0);
                /* What the oracle accepts as "nothing executed, nothing can". */
                if (write && o.query_true >= o.last_signed + WINDOW_MS + LAG_MS &&
                    (f == SIXMM_FOUND_NONE ||
                     (kind == SIXMM_INTENT_CANCEL && f == SIXMM_FOUND_FINAL &&
                      sixmm_status_group(parsed) != SIXMM_GROUP_CLOSED &&
                      sixmm_status_group(parsed) != SIXMM_GROUP_COMPLETED &&
                      parsed != SIXMM_STATUS_PROCESSING)))
                    o.may_sign = 1;
                break;
            }
            default:
                violated(seq, step, "an unknown todo");
            }
            /* Journal writes at random points, and crashes. */
            if (below(4) == 0)
                reclen = sixmm_intent_encode(&it, rec, sizeof rec);
            if (below(25) == 0) {
                sixmm_intent back;
                memset(&back, 0x5A, sizeof back);
                ck_assert_int_eq(sixmm_intent_decode(&back, rec, reclen), 0);
                ck_assert_int_eq(sixmm_intent_restart(&back), 0);
                it = back;
                /* A new process: its own clock; the throttle is shared. */
                sixmm_clock_init(&clock, 0);
                o.crashed = 1;
                w.mono += below(5000);
                crashes++;
                o.done = sixmm_intent_is_done(&it);
            }
        }
        /* Whatever happened, every slot is back once the leases are over. */
        if (!slots_free(&throttle, w.mono + LEASE_MS + 1))
            violated(seq, MAX_STEPS, "a slot neither released nor reclaimed");
    }
    ck_assert_uint_gt(crashes, SEQUENCES / 2);
    ck_assert_uint_gt(sends_total, SEQUENCES);
    ck_assert_uint_gt(resends_proven, SEQUENCES / 20); /* the proofs do happen */
}
END_TEST

static Suite *intent_props_suite(void)
{
    Suite *s = suite_create("intent_props");
    TCase *t = tcase_create("sequences");

    tcase_add_test(t, invariants_hold_over_random_sequences_with_crashes);
    tcase_set_timeout(t, 600);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(intent_props_suite());
}
