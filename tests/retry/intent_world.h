/*
 * A small deterministic world for the order machine's tests: a monotonic
 * clock, a server clock at a fixed offset, one good sixmm_clock sample, and
 * helpers that drive an intent to a phase. Shared by test_intent_table.c and
 * test_intent_props.c.
 */
#ifndef SIXMM_TEST_INTENT_WORLD_H
#define SIXMM_TEST_INTENT_WORLD_H

#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#define OFFSET_MS  INT64_C(1700000000000) /* server time = mono + OFFSET_MS */
#define START_MONO UINT64_C(5000)
#define WINDOW_MS  10000                  /* REST, spec policy */
#define LAG_MS     2000

struct world {
    uint64_t mono;
    sixmm_clock clock;
    sixmm_throttle throttle;
    sixmm_budget budget;
    sixmm_intent it;
    sixmm_next out;
    int no_throttle, no_budget; /* pass NULL for them */
};

static inline int64_t server_at(uint64_t mono)
{
    return (int64_t)mono + OFFSET_MS;
}

/* A fresh clock with one sample of a 10 ms round trip just now. */
static inline void world_sync(struct world *w)
{
    sixmm_clock_sample(&w->clock, w->mono - 10, server_at(w->mono - 5), w->mono);
}

static inline void world_init(struct world *w, sixmm_intent_kind kind, uint32_t lifetime_ms)
{
    memset(w, 0, sizeof *w);
    w->mono = START_MONO;
    sixmm_clock_init(&w->clock, 0);
    world_sync(w);
    sixmm_throttle_init_custom(&w->throttle, 1000, 100, 4);
    sixmm_budget_init(&w->budget, SIXMM_DOMAIN_REST);
    sixmm_intent_init(&w->it, SIXMM_DOMAIN_REST, kind, server_at(w->mono), lifetime_ms);
}

static inline sixmm_todo world_next(struct world *w)
{
    sixmm_intent_next(&w->it, &w->clock, w->no_throttle ? NULL : &w->throttle,
                      w->no_budget ? NULL : &w->budget, w->mono, 12345u, &w->out);
    return w->out.todo;
}

/* Ask until the step is not a WAIT (the world's time moves on by each
 * wait) and not a SYNC (the world samples its clock); at most n steps. */
static inline sixmm_todo world_settle(struct world *w, int n)
{
    while (n-- > 0) {
        sixmm_todo t = world_next(w);
        if (t == SIXMM_TODO_WAIT)
            w->mono += w->out.wait_ms;
        else if (t == SIXMM_TODO_SYNC)
            world_sync(w);
        else
            return t;
    }
    return world_next(w);
}

static inline sixmm_call answer_of(int http, int has_code, int64_t code)
{
    sixmm_call c;
    memset(&c, 0, sizeof c);
    c.http_status = http;
    c.has_code = has_code;
    c.code = code;
    return c;
}

static inline int world_answer(struct world *w, int http, int has_code, int64_t code)
{
    sixmm_call c = answer_of(http, has_code, code);
    return sixmm_intent_answer(&w->it, &c, w->mono);
}

#endif
