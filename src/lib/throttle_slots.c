/*
 * The throttle's concurrency slots.
 *
 * With up to SIXMM_THROTTLE_LEASE_SLOTS slots, each slot is one word, the
 * only record of who holds it:
 *     bits 63-40  generation: +1 on every change, so a ticket names one use
 *     bits 39-0   0: free; PLAIN: held by sixmm_throttle_acquire(), until a
 *                 release; else a lease, held until that ms (NEVER: for ever)
 * Every change of a slot is one compare-and-swap of its word, so a process
 * that dies at any instant leaves each slot either taken (a lease, which
 * then expires) or free, never half of either; nothing else counts the
 * slots. A ticket is (slot << 24 | generation), below 2^30, so it is never
 * SIXMM_THROTTLE_NO_TICKET; a stale ticket's generation no longer matches.
 * The generation has 24 bits: a ticket would be mistaken for a new one only
 * after 2^24 more uses of its slot.
 *
 * With more slots, one counter counts them (MODE_COUNTED) and a lease is a
 * plain slot: its ticket is COUNTED and it is never reclaimed.
 */
#include "throttle_internal.h"

#define EXP_BITS   40
#define EXP_MASK   ((UINT64_C(1) << EXP_BITS) - 1)
#define EXP_FREE   UINT64_C(0)
#define EXP_PLAIN  EXP_MASK
#define EXP_NEVER  (EXP_MASK - 1)
#define GEN_MASK   UINT64_C(0xFFFFFF)
#define COUNTED    UINT32_C(0xFFFFFFFE)

static _Atomic uint64_t *slot_word(sixmm_throttle *t, unsigned i)
{
    return sixmm__atomic_word(&t->opaque[TW_SLOT0 + i]);
}

static uint64_t gen_of(uint64_t w)
{
    return w >> EXP_BITS;
}

static uint64_t exp_of(uint64_t w)
{
    return w & EXP_MASK;
}

/* The word of the next use of a slot now `w`, ending at `exp`. */
static uint64_t next_use(uint64_t w, uint64_t exp)
{
    return ((gen_of(w) + 1) & GEN_MASK) << EXP_BITS | exp;
}

static uint64_t lease_end(const sixmm_throttle *t, uint64_t start_ms)
{
    uint64_t lease = t->opaque[TW_LEASE];
    if (lease == 0 || start_ms >= EXP_NEVER - lease)
        return EXP_NEVER;
    return start_ms + lease;
}

static int available(uint64_t w, uint64_t now_ms)
{
    uint64_t exp = exp_of(w);
    return exp == EXP_FREE || (exp != EXP_PLAIN && exp != EXP_NEVER && exp <= now_ms);
}

static int take_counted(sixmm_throttle *t)
{
    _Atomic uint64_t *count = sixmm__atomic_word(&t->opaque[TW_COUNT]);
    uint64_t used = atomic_load_explicit(count, memory_order_relaxed);

    do {
        if (used >= t->opaque[TW_CONCURRENCY])
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(count, &used, used + 1, memory_order_acq_rel,
                                                    memory_order_relaxed));
    return 1;
}

static void free_counted(sixmm_throttle *t)
{
    _Atomic uint64_t *count = sixmm__atomic_word(&t->opaque[TW_COUNT]);
    uint64_t used = atomic_load_explicit(count, memory_order_relaxed);

    do {
        if (used == 0)
            return;
    } while (!atomic_compare_exchange_weak_explicit(count, &used, used - 1, memory_order_acq_rel,
                                                    memory_order_relaxed));
}

int sixmm__slot_take(sixmm_throttle *t, uint64_t now_ms, int lease, uint32_t *ticket)
{
    unsigned i, n = (unsigned)t->opaque[TW_CONCURRENCY];
    uint64_t exp = lease ? lease_end(t, now_ms) : EXP_PLAIN;

    if (t->opaque[TW_MODE] == MODE_COUNTED) {
        if (!take_counted(t))
            return 0;
        if (ticket)
            *ticket = COUNTED;
        return 1;
    }
    for (i = 0; i < n; i++) {
        _Atomic uint64_t *word = slot_word(t, i);
        uint64_t w = atomic_load_explicit(word, memory_order_acquire), next;
        while (available(w, now_ms)) {
            next = next_use(w, exp);
            if (atomic_compare_exchange_weak_explicit(word, &w, next, memory_order_acq_rel,
                                                      memory_order_acquire)) {
                if (ticket)
                    *ticket = (uint32_t)(i << 24 | gen_of(next));
                return 1;
            }
        }
    }
    return 0;
}

/* The slot of a ticket in slots mode, or NULL. */
static _Atomic uint64_t *ticket_slot(sixmm_throttle *t, uint32_t ticket)
{
    if (t->opaque[TW_MODE] != MODE_SLOTS || ticket >> 24 >= t->opaque[TW_CONCURRENCY])
        return NULL;
    return slot_word(t, ticket >> 24);
}

/* Whether slot word w is the lease that ticket names. */
static int is_lease_of(uint64_t w, uint32_t ticket)
{
    uint64_t exp = exp_of(w);
    return gen_of(w) == (ticket & GEN_MASK) && exp != EXP_FREE && exp != EXP_PLAIN;
}

void sixmm__slot_extend(sixmm_throttle *t, uint32_t ticket, uint64_t start_ms)
{
    _Atomic uint64_t *word = ticket_slot(t, ticket);
    uint64_t w, next;

    if (!word)
        return;
    w = atomic_load_explicit(word, memory_order_acquire);
    next = (w & ~EXP_MASK) | lease_end(t, start_ms);
    while (is_lease_of(w, ticket) && exp_of(w) < exp_of(next) &&
           !atomic_compare_exchange_weak_explicit(word, &w, next, memory_order_acq_rel,
                                                  memory_order_acquire))
        next = (w & ~EXP_MASK) | lease_end(t, start_ms);
}

void sixmm__slot_free_lease(sixmm_throttle *t, uint32_t ticket)
{
    _Atomic uint64_t *word;
    uint64_t w;

    if (t->opaque[TW_MODE] == MODE_COUNTED) {
        if (ticket == COUNTED)
            free_counted(t);
        return;
    }
    word = ticket_slot(t, ticket);
    if (!word)
        return;
    w = atomic_load_explicit(word, memory_order_acquire);
    while (is_lease_of(w, ticket) &&
           !atomic_compare_exchange_weak_explicit(word, &w, next_use(w, EXP_FREE),
                                                  memory_order_acq_rel, memory_order_acquire))
        ;
}

void sixmm__slot_free_plain(sixmm_throttle *t)
{
    unsigned i, n = (unsigned)t->opaque[TW_CONCURRENCY];

    if (t->opaque[TW_MODE] == MODE_COUNTED) {
        free_counted(t);
        return;
    }
    for (i = 0; i < n; i++) {
        _Atomic uint64_t *word = slot_word(t, i);
        uint64_t w = atomic_load_explicit(word, memory_order_acquire);
        while (exp_of(w) == EXP_PLAIN) {
            if (atomic_compare_exchange_weak_explicit(word, &w, next_use(w, EXP_FREE),
                                                      memory_order_acq_rel, memory_order_acquire))
                return;
        }
    }
}
