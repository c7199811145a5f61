/*
 * The order machine's benchmark loops (see bench_intent.h). One step is
 * what a client pays per answer: sixmm_intent_answer() on an intent whose
 * send is in flight (which classifies the answer) and the
 * sixmm_intent_next() that follows (which reads the shared clock, settles
 * the throttle slot and the budget, and decides), on a copy of a prepared
 * intent so that every step starts from the same state. The comparison is
 * sixmm_classify() alone on the same answers, in the same run.
 */
#include "bench_intent.h"

#include <sixmm/errinfo.h>

#include <stdlib.h>
#include <string.h>

#define NOINLINE __attribute__((noinline, noipa))

static unsigned nops;
static sixmm_clock clock_;
static sixmm_throttle throttle;
static sixmm_budget budget;
static sixmm_intent sent; /* a place intent, its first send in flight */
static sixmm_call *calls;

void bench_intent_setup(unsigned ops)
{
    static const struct {
        int http, has_code;
        int64_t code;
    } mix[] = {{200, 1, 0},    {200, 1, 0},    {200, 1, 0},    {0, 0, 0},      {200, 1, 5002},
               {429, 0, 0},    {401, 1, 1002}, {200, 1, 3001}, {200, 1, 5001}, {502, 0, 0}};
    sixmm_next out;
    uint64_t x = 0x9E3779B97F4A7C15u;
    unsigned i;

    nops = ops;
    sixmm_clock_init(&clock_, 0);
    sixmm_clock_sample(&clock_, 1000, 1700000000000, 1010);
    /* No turn ever waits and no slot is ever short: the figure is the
     * machine's cost, not a schedule's. */
    sixmm_throttle_init_custom(&throttle, UINT32_MAX, UINT32_MAX, UINT32_MAX);
    sixmm_budget_init(&budget, SIXMM_DOMAIN_REST);
    sixmm_intent_init(&sent, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, 1700000000000, 0);
    sixmm_intent_next(&sent, &clock_, &throttle, &budget, 1010, 1, &out);
    if (out.todo != SIXMM_TODO_SEND || sixmm_intent_sending(&sent, out.sign_ms) != 0)
        exit(2);
    calls = calloc(ops, sizeof *calls);
    if (!calls)
        exit(2);
    for (i = 0; i < ops; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        calls[i].domain = SIXMM_DOMAIN_REST;
        calls[i].http_status = mix[x % 10].http;
        calls[i].has_code = mix[x % 10].has_code;
        calls[i].code = mix[x % 10].code;
        calls[i].attempt = 1;
    }
}

NOINLINE uint64_t bench_intent_step(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < nops; i++) {
            sixmm_intent it = sent;
            sixmm_next out;
            sixmm_intent_answer(&it, &calls[i], 1100);
            sixmm_intent_next(&it, &clock_, &throttle, &budget, 1100, (uint32_t)i, &out);
            sum += (uint64_t)out.todo + out.wait_ms;
        }
    return sum;
}

NOINLINE uint64_t bench_intent_classify(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < nops; i++) {
            sixmm_advice a;
            sixmm_classify(&calls[i], (uint32_t)i, &a);
            sum += (uint64_t)a.action + a.delay_ms;
        }
    return sum;
}
