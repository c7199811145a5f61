/*
 * The shared request throttle: GCRA (the generic cell rate algorithm, as a
 * virtual schedule) for turns, an atomic counter for concurrency slots.
 *
 * The schedule is one word, `tat`, the theoretical arrival time of the next
 * turn. A caller asking at time n gets the start
 *     s = max(n, tat - tolerance), rounded up to a whole millisecond,
 * and moves tat to max(tat, s) + interval, with one compare-and-swap; the
 * turns thus go out in the order the swaps succeed, which is the order of
 * asking. tolerance = (burst - 1) * interval. Because tat grows by at least
 * one interval per turn and every start is at least tat - tolerance, any two
 * turns i < j start at least (j - i) * interval - tolerance apart, whatever
 * now_ms each caller passed; so a window of W ms holds at most
 * burst + W / interval starts, and interval >= 1000 / rate_per_s ms.
 *
 * Times are microseconds (interval = 10^6 / rate rounded up, so the rate is
 * never exceeded), clamped to TIME_MAX (about 146,000 years), so that no sum
 * below can overflow. A time earlier than one seen before cannot move tat
 * back: tat only ever grows.
 */
#include <sixmm/errinfo.h>

#include "atomic_words.h"
#include "retry_policy.h"

enum { TAT, SLOTS, INTERVAL, TOLERANCE, CONCURRENCY };

#define US_PER_MS 1000u
#define TIME_MAX  (UINT64_C(1) << 62)

static uint64_t clamp_time(uint64_t us)
{
    return us > TIME_MAX ? TIME_MAX : us;
}

static uint64_t ms_to_us(uint64_t ms)
{
    return ms > TIME_MAX / US_PER_MS ? TIME_MAX : ms * US_PER_MS;
}

int sixmm_throttle_init_custom(sixmm_throttle *t, uint32_t rate_per_s, uint32_t burst,
                               uint32_t concurrency)
{
    uint64_t interval;

    if (!t || rate_per_s == 0 || burst == 0 || concurrency == 0)
        return -1;
    interval = (UINT64_C(1000000) + rate_per_s - 1) / rate_per_s;
    atomic_store_explicit(sixmm__atomic_word(&t->opaque[TAT]), 0, memory_order_relaxed);
    atomic_store_explicit(sixmm__atomic_word(&t->opaque[SLOTS]), 0, memory_order_relaxed);
    t->opaque[INTERVAL] = interval;
    t->opaque[TOLERANCE] = (uint64_t)(burst - 1) * interval;
    t->opaque[CONCURRENCY] = concurrency;
    t->opaque[5] = t->opaque[6] = t->opaque[7] = 0;
    return 0;
}

int sixmm_throttle_init(sixmm_throttle *t, sixmm_domain domain)
{
    const struct sixmm__retry_policy *p;

    if (!t || (unsigned)domain >= SIXMM_DOMAIN_COUNT)
        return -1;
    p = &sixmm__retry_policies[domain];
    if (p->quota_rate_per_s == 0)
        return -1;
    /* A quota without a documented concurrency limit has no slot limit. */
    return sixmm_throttle_init_custom(t, p->quota_rate_per_s, p->quota_burst,
                                      p->quota_concurrency ? p->quota_concurrency : UINT32_MAX);
}

/* Take one slot unless all are in use. */
static int take_slot(sixmm_throttle *t)
{
    _Atomic uint64_t *slots = sixmm__atomic_word(&t->opaque[SLOTS]);
    uint64_t used = atomic_load_explicit(slots, memory_order_relaxed);

    do {
        if (used >= t->opaque[CONCURRENCY])
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(slots, &used, used + 1, memory_order_acq_rel,
                                                    memory_order_relaxed));
    return 1;
}

uint32_t sixmm_throttle_acquire(sixmm_throttle *t, uint64_t now_ms)
{
    _Atomic uint64_t *tat_word;
    uint64_t now, tat, start, next, wait_ms;

    /* A zeroed (never initialised) throttle has no slots. */
    if (!t || t->opaque[CONCURRENCY] == 0 || !take_slot(t))
        return SIXMM_THROTTLE_BUSY;
    tat_word = sixmm__atomic_word(&t->opaque[TAT]);
    now = ms_to_us(now_ms);
    tat = atomic_load_explicit(tat_word, memory_order_relaxed);
    do {
        start = tat > t->opaque[TOLERANCE] ? tat - t->opaque[TOLERANCE] : 0;
        if (start < now)
            start = now;
        /* Whole milliseconds, rounded up: the caller waits exactly as long
         * as the schedule says, never less. */
        start = (start + US_PER_MS - 1) / US_PER_MS * US_PER_MS;
        next = clamp_time((tat > start ? tat : start) + t->opaque[INTERVAL]);
    } while (!atomic_compare_exchange_weak_explicit(tat_word, &tat, next, memory_order_acq_rel,
                                                    memory_order_relaxed));
    wait_ms = (start - now) / US_PER_MS;
    return wait_ms >= SIXMM_THROTTLE_BUSY ? SIXMM_THROTTLE_BUSY - 1 : (uint32_t)wait_ms;
}

void sixmm_throttle_release(sixmm_throttle *t, uint64_t now_ms)
{
    _Atomic uint64_t *slots;
    uint64_t used;

    (void)now_ms; /* a slot is freed at once, whatever the time */
    if (!t)
        return;
    slots = sixmm__atomic_word(&t->opaque[SLOTS]);
    used = atomic_load_explicit(slots, memory_order_relaxed);
    do {
        if (used == 0)
            return;
    } while (!atomic_compare_exchange_weak_explicit(slots, &used, used - 1, memory_order_acq_rel,
                                                    memory_order_relaxed));
}

void sixmm_throttle_feedback(sixmm_throttle *t, const sixmm_advice *advice, uint64_t now_ms)
{
    _Atomic uint64_t *tat_word;
    uint64_t hold_end, floor, tat;

    if (!t || !advice || advice->action != SIXMM_RETRY_BACKOFF || advice->delay_ms == 0)
        return;
    /* Every later start is at least tat - tolerance, so tat moves to at
     * least the end of the hold plus the tolerance. */
    hold_end = ms_to_us(now_ms) + (uint64_t)advice->delay_ms * US_PER_MS;
    floor = clamp_time(hold_end + t->opaque[TOLERANCE]);
    tat_word = sixmm__atomic_word(&t->opaque[TAT]);
    tat = atomic_load_explicit(tat_word, memory_order_relaxed);
    while (tat < floor && !atomic_compare_exchange_weak_explicit(
                              tat_word, &tat, floor, memory_order_acq_rel, memory_order_relaxed))
        ;
}
