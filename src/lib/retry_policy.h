/*
 * The retry loop's numbers per domain, generated from the spec's policy into
 * build/generated/src/retry_policy.c. Internal: not part of the ABI.
 */
#ifndef SIXMM_RETRY_POLICY_H
#define SIXMM_RETRY_POLICY_H

#include <stdint.h>

#include <sixmm/errinfo.h>

struct sixmm__retry_policy {
    /* The documented request quota; rate 0 when the domain documents none,
     * concurrency 0 when it documents no limit on concurrent calls. */
    uint32_t quota_rate_per_s, quota_burst, quota_concurrency;
    /* The retry budget (gRFC A6): tokens, and thousandths of a token per
     * success. */
    uint32_t budget_max_tokens, budget_ratio_milli;
    /* Reconcile: whether a signature window is documented, its length, the
     * status query's lag and how many status queries one reconcile makes. */
    uint32_t has_window, window_ms, lag_ms, max_queries;
    /* How long a leased throttle slot stays taken when it is never
     * released; 0: leases are never reclaimed. */
    uint32_t lease_ms;
    /* A shared quota store (Redis): how long a call may take before the
     * host falls back to its share, and how long a silent host stays
     * present; 0 where the spec gives none. */
    uint32_t store_timeout_ms, store_presence_ms;
};

#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility push(hidden)
#endif
extern const struct sixmm__retry_policy sixmm__retry_policies[SIXMM_DOMAIN_COUNT];
#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility pop
#endif

#endif
