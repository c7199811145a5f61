/*
 * The shared request throttle: GCRA (the generic cell rate algorithm, as a
 * virtual schedule) for turns; the concurrency slots are throttle_slots.c's.
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
#include "throttle_internal.h"

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

/* One turn per interval us. A share with no burst or no slot has no slot. */
static void setup(sixmm_throttle *t, uint64_t interval, uint32_t burst, uint32_t concurrency,
                  uint32_t lease_ms)
{
    size_t i;

    if (burst == 0)
        concurrency = 0, burst = 1;
    for (i = 0; i < sizeof t->opaque / sizeof t->opaque[0]; i++)
        atomic_store_explicit(sixmm__atomic_word(&t->opaque[i]), 0, memory_order_relaxed);
    t->opaque[TW_INTERVAL] = interval;
    t->opaque[TW_TOLERANCE] = (uint64_t)(burst - 1) * interval;
    t->opaque[TW_CONCURRENCY] = concurrency;
    t->opaque[TW_LEASE] = lease_ms;
    t->opaque[TW_MODE] = concurrency <= SIXMM_THROTTLE_LEASE_SLOTS ? MODE_SLOTS : MODE_COUNTED;
}

int sixmm__throttle_init_lease(sixmm_throttle *t, uint32_t rate_per_s, uint32_t burst,
                               uint32_t concurrency, uint32_t lease_ms)
{
    if (!t || rate_per_s == 0 || burst == 0 || concurrency == 0)
        return -1;
    /* Rounded up, so that the rate is never exceeded. */
    setup(t, (UINT64_C(1000000) + rate_per_s - 1) / rate_per_s, burst, concurrency, lease_ms);
    return 0;
}

int sixmm_throttle_init_share(sixmm_throttle *t, uint32_t rate_per_s, uint32_t burst,
                              uint32_t concurrency, uint32_t lease_ms, uint32_t hosts,
                              uint32_t index)
{
    if (!t || rate_per_s == 0 || burst == 0 || concurrency == 0 || lease_ms == 0 || hosts == 0 ||
        index >= hosts)
        return -1;
    setup(t, (UINT64_C(1000000) * hosts + rate_per_s - 1) / rate_per_s,
          burst / hosts + (index < burst % hosts), concurrency / hosts + (index < concurrency % hosts),
          lease_ms);
    return 0;
}

int sixmm_quota_policy_get(sixmm_domain domain, sixmm_quota_policy *out)
{
    const struct sixmm__retry_policy *p;

    if (!out || (unsigned)domain >= SIXMM_DOMAIN_COUNT)
        return -1;
    p = &sixmm__retry_policies[domain];
    if (p->quota_rate_per_s == 0)
        return -1;
    out->rate_per_s = p->quota_rate_per_s;
    out->burst = p->quota_burst;
    out->concurrency = p->quota_concurrency ? p->quota_concurrency : UINT32_MAX;
    out->lease_ms = p->lease_ms;
    out->store_timeout_ms = p->store_timeout_ms;
    out->store_presence_ms = p->store_presence_ms;
    return 0;
}

int sixmm_throttle_init_custom(sixmm_throttle *t, uint32_t rate_per_s, uint32_t burst,
                               uint32_t concurrency)
{
    /* No domain: the first domain's (the default domain's) lease. */
    return sixmm__throttle_init_lease(t, rate_per_s, burst, concurrency,
                                      sixmm__retry_policies[0].lease_ms);
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
    return sixmm__throttle_init_lease(t, p->quota_rate_per_s, p->quota_burst,
                                      p->quota_concurrency ? p->quota_concurrency : UINT32_MAX,
                                      p->lease_ms);
}

/* The caller's turn: the wait in ms (capped below BUSY) from now_ms. */
static uint32_t take_turn(sixmm_throttle *t, uint64_t now_ms)
{
    _Atomic uint64_t *tat_word = sixmm__atomic_word(&t->opaque[TW_TAT]);
    uint64_t now = ms_to_us(now_ms), tat, start, next, wait_ms;

    tat = atomic_load_explicit(tat_word, memory_order_relaxed);
    do {
        start = tat > t->opaque[TW_TOLERANCE] ? tat - t->opaque[TW_TOLERANCE] : 0;
        if (start < now)
            start = now;
        /* Whole milliseconds, rounded up: the caller waits exactly as long
         * as the schedule says, never less. */
        start = (start + US_PER_MS - 1) / US_PER_MS * US_PER_MS;
        next = clamp_time((tat > start ? tat : start) + t->opaque[TW_INTERVAL]);
    } while (!atomic_compare_exchange_weak_explicit(tat_word, &tat, next, memory_order_acq_rel,
                                                    memory_order_relaxed));
    wait_ms = (start - now) / US_PER_MS;
    return wait_ms >= SIXMM_THROTTLE_BUSY ? SIXMM_THROTTLE_BUSY - 1 : (uint32_t)wait_ms;
}

static int usable(const sixmm_throttle *t)
{
    return t && (t->opaque[TW_MODE] == MODE_SLOTS || t->opaque[TW_MODE] == MODE_COUNTED);
}

uint32_t sixmm_throttle_acquire(sixmm_throttle *t, uint64_t now_ms)
{
    /* A zeroed (never initialised) throttle has no slots. */
    if (!usable(t) || !sixmm__slot_take(t, now_ms, 0, NULL))
        return SIXMM_THROTTLE_BUSY;
    return take_turn(t, now_ms);
}

uint32_t sixmm_throttle_acquire_lease(sixmm_throttle *t, uint64_t now_ms, uint32_t *ticket)
{
    uint32_t wait;

    if (!ticket)
        return SIXMM_THROTTLE_BUSY;
    *ticket = SIXMM_THROTTLE_NO_TICKET;
    if (t && t->opaque[TW_MODE] == MODE_OPS)
        return sixmm__ops_acquire(t, now_ms, ticket);
    if (!usable(t) || !sixmm__slot_take(t, now_ms, 1, ticket))
        return SIXMM_THROTTLE_BUSY;
    wait = take_turn(t, now_ms);
    if (wait > 0)
        sixmm__slot_extend(t, *ticket, now_ms + wait);
    return wait;
}

void sixmm_throttle_release(sixmm_throttle *t, uint64_t now_ms)
{
    (void)now_ms; /* a slot is freed at once, whatever the time */
    if (usable(t))
        sixmm__slot_free_plain(t);
}

void sixmm_throttle_release_lease(sixmm_throttle *t, uint32_t ticket, uint64_t now_ms)
{
    if (t && t->opaque[TW_MODE] == MODE_OPS)
        sixmm__ops_release(t, ticket, now_ms);
    else if (usable(t) && ticket != SIXMM_THROTTLE_NO_TICKET)
        sixmm__slot_free_lease(t, ticket);
}

void sixmm_throttle_feedback(sixmm_throttle *t, const sixmm_advice *advice, uint64_t now_ms)
{
    _Atomic uint64_t *tat_word;
    uint64_t hold_end, floor, tat;

    if (t && advice && t->opaque[TW_MODE] == MODE_OPS) {
        sixmm__ops_feedback(t, advice, now_ms);
        return;
    }
    if (!usable(t) || !advice || advice->action != SIXMM_RETRY_BACKOFF || advice->delay_ms == 0)
        return;
    /* Every later start is at least tat - tolerance, so tat moves to at
     * least the end of the hold plus the tolerance. */
    hold_end = ms_to_us(now_ms) + (uint64_t)advice->delay_ms * US_PER_MS;
    floor = clamp_time(hold_end + t->opaque[TW_TOLERANCE]);
    tat_word = sixmm__atomic_word(&t->opaque[TW_TAT]);
    tat = atomic_load_explicit(tat_word, memory_order_relaxed);
    while (tat < floor && !atomic_compare_exchange_weak_explicit(
                              tat_word, &tat, floor, memory_order_acq_rel, memory_order_relaxed))
        ;
}
