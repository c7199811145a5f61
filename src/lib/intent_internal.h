/*
 * The state of one intent, inside the caller's sixmm_intent words, shared by
 * intent.c (the next step), intent_events.c (the events) and
 * intent_record.c (the record). Internal: the record, not this layout, is
 * what lasts.
 */
#ifndef SIXMM_INTENT_INTERNAL_H
#define SIXMM_INTENT_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#define SIXMM__INTENT_MAGIC UINT32_C(0x31495853) /* "SXI1" */

/* Where an intent is. SEND and QUERY mean the step was handed out (turn and
 * slot taken) and its event has not come yet; they are never recorded (a
 * record says READY and RECONCILE instead). */
enum sixmm__phase {
    SIXMM__READY = 0,     /* the next request is a send (when the wait is over) */
    SIXMM__SEND = 1,      /* SEND handed out, before sending() */
    SIXMM__SENT = 2,      /* sending() called: waiting for the answer */
    SIXMM__RECONCILE = 3, /* the next request is a status query */
    SIXMM__QUERY = 4,     /* QUERY handed out, before querying() */
    SIXMM__QUERIED = 5,   /* querying() called: waiting for found() */
    SIXMM__DONE = 6,
    SIXMM__ESCALATED = 7,
    SIXMM__PHASE_COUNT = 8
};

/* What the wait before the next request compares with not_before_ms. */
enum sixmm__wait {
    SIXMM__WAIT_NONE = 0,
    SIXMM__WAIT_UNTIL = 1, /* the estimate of server time */
    SIXMM__WAIT_PROOF = 2  /* the estimate minus its error: the true time is past */
};

/* A delay an event asks for; next() turns it into not_before_ms, since only
 * next() knows the server time and has a random value. */
enum sixmm__delay {
    SIXMM__DELAY_NONE = 0,
    SIXMM__DELAY_JITTER = 1 /* full jitter over [0, delay_ms] */
};

struct sixmm__intent {
    uint32_t magic;
    uint8_t domain, kind, phase, flags;
    uint8_t outcome, status, cause, why_done; /* cause: the latest answer's sixmm_retry */
    uint8_t wait_mode, acked, refused_seen, live;
    uint8_t alert, next_why, delay_kind;
    /* acked: a success answer came (the server took it).
     * refused_seen: a refusal answered the latest signature.
     * live: 1 while a signature of a write may still execute. */
    uint16_t sends, queries, round_queries;
    uint32_t delay_ms;
    int64_t created_ms, deadline_ms;
    int64_t max_signed_ms;   /* the latest timestamp signed */
    int64_t not_before_ms;   /* see wait_mode */
    int64_t step_sign_ms;    /* sign_ms of the latest SEND or QUERY handed out */
    int64_t query_signed_ms; /* what querying() said */
    uint32_t step_error_ms;  /* the clock's bound when step_sign_ms was read */
    /* In memory only: a decoded intent has them 0. */
    uint8_t slot_held, request_over, need_sync, budget_success;
    uint32_t ticket;
    uint64_t turn_mono_ms;   /* the held turn starts at this monotonic time */
};

_Static_assert(sizeof(struct sixmm__intent) <= sizeof(sixmm_intent), "the state fits sixmm_intent");
_Static_assert(_Alignof(struct sixmm__intent) <= _Alignof(sixmm_intent), "and is aligned for it");

/* The state, in place in the caller's words. Reading and writing it in
 * place, not through a local copy, keeps a step within its budget (a copy
 * written back after byte-wide changes stalls on store forwarding: the
 * step cost 11 times sixmm_classify() that way). The words are reached
 * only through this layout in the intent files, which are compiled with
 * -fno-strict-aliasing (src/lib/CMakeLists.txt), so the cast is defined. */
static inline struct sixmm__intent *sixmm__state(sixmm_intent *it)
{
    return (struct sixmm__intent *)(void *)it->opaque;
}

static inline const struct sixmm__intent *sixmm__cstate(const sixmm_intent *it)
{
    return (const struct sixmm__intent *)(const void *)it->opaque;
}

/* Copies, for the record and the start, which are not on the hot path. */
static inline void sixmm__load(const sixmm_intent *it, struct sixmm__intent *s)
{
    memcpy(s, it->opaque, sizeof *s);
}

static inline void sixmm__store(sixmm_intent *it, const struct sixmm__intent *s)
{
    memcpy(it->opaque, s, sizeof *s);
}

/* An initialised intent in a phase that exists. */
static inline int sixmm__intent_valid(const struct sixmm__intent *s)
{
    return s->magic == SIXMM__INTENT_MAGIC && s->phase < SIXMM__PHASE_COUNT &&
           s->domain < SIXMM_DOMAIN_COUNT && s->kind < SIXMM_INTENT_KIND_COUNT;
}

/* Answers that a resend cannot change (the request is wrong, the account or
 * order state refuses it, the credentials are wrong): after a proof they end
 * in REFUSED, the others in a resend. */
static inline int sixmm__permanent(unsigned cause)
{
    return cause == SIXMM_RETRY_NEVER || cause == SIXMM_RETRY_FIX_REQUEST ||
           cause == SIXMM_RETRY_CHECK_CREDENTIALS;
}

#endif
