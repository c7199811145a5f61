/*
 * The retry budget: gRFC A6 retry throttling over one atomic word.
 *
 * The word counts thousandths of a token (A6 gives the token ratio to three
 * decimals, so every step is exact). It starts full at max_tokens; a
 * success adds token_ratio, capped at full; an advised resend takes one
 * token, floored at zero, granted or not (as A6 counts every failure); the
 * resend is granted only when the count it replaced was above half full.
 * Each update is one compare-and-swap that both decides and spends, so with
 * no success at all exactly ceil(max_tokens / 2) resends are granted, in any
 * interleaving of any number of threads. A resend is never refused while, in
 * every stretch of calls that ends with it, the advised resends exceed
 * token_ratio x the successes by at most max_tokens / 2.
 */
#include <sixmm/errinfo.h>

#include "atomic_words.h"
#include "retry_policy.h"

enum { COUNT, FULL, REFILL };

#define MILLI 1000u


int sixmm_budget_init(sixmm_budget *b, sixmm_domain domain)
{
    const struct sixmm__retry_policy *p;

    if (!b || (unsigned)domain >= SIXMM_DOMAIN_COUNT)
        return -1;
    p = &sixmm__retry_policies[domain];
    b->opaque[FULL] = (uint64_t)p->budget_max_tokens * MILLI;
    b->opaque[REFILL] = p->budget_ratio_milli;
    b->opaque[3] = 0;
    atomic_store_explicit(sixmm__atomic_word(&b->opaque[COUNT]), b->opaque[FULL],
                          memory_order_relaxed);
    return 0;
}

int sixmm_budget_apply(sixmm_budget *b, sixmm_advice *advice)
{
    _Atomic uint64_t *count;
    uint64_t old, next;

    if (!b || !advice)
        return 0;
    if (advice->action != SIXMM_RETRY_NONE && !advice->resend)
        return 0;
    count = sixmm__atomic_word(&b->opaque[COUNT]);
    old = atomic_load_explicit(count, memory_order_relaxed);
    if (advice->action == SIXMM_RETRY_NONE) {
        do {
            next = b->opaque[FULL] - old > b->opaque[REFILL] ? old + b->opaque[REFILL]
                                                             : b->opaque[FULL];
        } while (old < b->opaque[FULL] &&
                 !atomic_compare_exchange_weak_explicit(count, &old, next, memory_order_acq_rel,
                                                        memory_order_relaxed));
        return 0;
    }
    do {
        next = old > MILLI ? old - MILLI : 0;
    } while (old > 0 && !atomic_compare_exchange_weak_explicit(
                            count, &old, next, memory_order_acq_rel, memory_order_relaxed));
    /* Above half: 2 * old > full, exact for an odd max_tokens too. */
    if (old * 2 > b->opaque[FULL])
        return 0;
    advice->resend = 0;
    advice->delay_ms = 0;
    /* The spec's text (enum budget_reason), static. */
    advice->reason = sixmm_budget_reason_text(SIXMM_BUDGET_REASON_EXHAUSTED, SIXMM_LANG_EN);
    return 1;
}

int sixmm_budget_read(const sixmm_budget *b, sixmm_budget_state *out)
{
    uint64_t count;

    if (!b || !out)
        return -1;
    /* The count is the one word that threads change; the rest is set once. */
    count = atomic_load_explicit((const _Atomic uint64_t *)&b->opaque[COUNT],
                                 memory_order_relaxed);
    out->tokens_milli = count;
    out->max_milli = b->opaque[FULL];
    out->refill_milli = b->opaque[REFILL];
    out->resend = count * 2 > b->opaque[FULL];
    return 0;
}
