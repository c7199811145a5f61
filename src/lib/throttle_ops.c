/*
 * A throttle that forwards its leased calls to another engine (a
 * sixmm_quota_ops and its context), so that the order machine takes its
 * turns from Redis or any other store through the one sixmm_throttle type.
 * The two pointers live in the opaque words: such a throttle belongs to one
 * process.
 */
#include <string.h>

#include "throttle_internal.h"

static const sixmm_quota_ops *ops_of(const sixmm_throttle *t)
{
    const sixmm_quota_ops *ops;
    memcpy(&ops, &t->opaque[TW_OPS], sizeof ops);
    return ops;
}

static void *ctx_of(const sixmm_throttle *t)
{
    void *ctx;
    memcpy(&ctx, &t->opaque[TW_CTX], sizeof ctx);
    return ctx;
}

int sixmm_throttle_init_ops(sixmm_throttle *t, const sixmm_quota_ops *ops, void *ctx)
{
    _Static_assert(sizeof(void *) <= sizeof(uint64_t), "a pointer fits in one opaque word");
    if (!t || !ops || !ops->acquire || !ops->release || !ops->feedback)
        return -1;
    memset(t, 0, sizeof *t);
    memcpy(&t->opaque[TW_OPS], &ops, sizeof ops);
    memcpy(&t->opaque[TW_CTX], &ctx, sizeof ctx);
    t->opaque[TW_MODE] = MODE_OPS;
    return 0;
}

uint32_t sixmm__ops_acquire(sixmm_throttle *t, uint64_t now_ms, uint32_t *ticket)
{
    return ops_of(t)->acquire(ctx_of(t), now_ms, ticket);
}

void sixmm__ops_release(sixmm_throttle *t, uint32_t ticket, uint64_t now_ms)
{
    ops_of(t)->release(ctx_of(t), ticket, now_ms);
}

void sixmm__ops_feedback(sixmm_throttle *t, const sixmm_advice *advice, uint64_t now_ms)
{
    ops_of(t)->feedback(ctx_of(t), advice, now_ms);
}
