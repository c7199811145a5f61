/*
 * The layout of sixmm_throttle's opaque words, shared by throttle.c (the
 * schedule), throttle_slots.c (the concurrency slots) and throttle_ops.c (a
 * throttle that forwards to another engine). Internal.
 *
 * Words 0-7 are the header; the rest are the slots. Only TAT, COUNT and the
 * slot words change after init, always as atomics; the others are written
 * once by init, before any other thread or process uses the throttle.
 */
#ifndef SIXMM_THROTTLE_INTERNAL_H
#define SIXMM_THROTTLE_INTERNAL_H

#include <sixmm/errinfo.h>

#include "atomic_words.h"

enum {
    TW_TAT,         /* the schedule: theoretical arrival time, us */
    TW_COUNT,       /* slots in use, when they are counted */
    TW_INTERVAL,    /* us per turn */
    TW_TOLERANCE,   /* (burst - 1) * interval, us */
    TW_CONCURRENCY, /* slots */
    TW_LEASE,       /* lease length, ms; 0: leases are never reclaimed */
    TW_MODE,        /* enum throttle_mode; 0 (a zeroed throttle): not initialised */
    TW_SLOT0 = 8,   /* SIXMM_THROTTLE_LEASE_SLOTS slot words (slots mode) */
    TW_OPS = 8,     /* ops mode: the sixmm_quota_ops pointer and its context */
    TW_CTX = 9
};

enum throttle_mode {
    MODE_NONE = 0,
    MODE_SLOTS = 1,   /* concurrency <= SIXMM_THROTTLE_LEASE_SLOTS: one word per slot */
    MODE_COUNTED = 2, /* more slots: one counter, no leases */
    MODE_OPS = 3      /* forwards to another engine (sixmm_throttle_init_ops) */
};

_Static_assert(TW_SLOT0 + SIXMM_THROTTLE_LEASE_SLOTS <= sizeof(((sixmm_throttle *)0)->opaque) /
                                                           sizeof(uint64_t),
               "the slots fit in the opaque words");

#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility push(hidden)
#endif

/* sixmm_throttle_init_custom() with a lease length. */
int sixmm__throttle_init_lease(sixmm_throttle *t, uint32_t rate_per_s, uint32_t burst,
                               uint32_t concurrency, uint32_t lease_ms);

/* Take a free slot, or one whose lease expired by now_ms. A lease expires
 * at now_ms + the lease length; a plain slot (lease 0) never does. Returns 0
 * when every slot is taken; else 1 and, for a lease, its ticket. */
int sixmm__slot_take(sixmm_throttle *t, uint64_t now_ms, int lease, uint32_t *ticket);

/* Move the expiry of a lease still held by `ticket` to start_ms + the lease
 * length (a lease covers the wait for its turn too). */
void sixmm__slot_extend(sixmm_throttle *t, uint32_t ticket, uint64_t start_ms);

/* Free one plain slot (none held: nothing), or the lease of `ticket`
 * (stale: nothing). */
void sixmm__slot_free_plain(sixmm_throttle *t);
void sixmm__slot_free_lease(sixmm_throttle *t, uint32_t ticket);

/* The calls of an ops throttle, forwarded to its engine. */
uint32_t sixmm__ops_acquire(sixmm_throttle *t, uint64_t now_ms, uint32_t *ticket);
void sixmm__ops_release(sixmm_throttle *t, uint32_t ticket, uint64_t now_ms);
void sixmm__ops_feedback(sixmm_throttle *t, const sixmm_advice *advice, uint64_t now_ms);

#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility pop
#endif

#endif
