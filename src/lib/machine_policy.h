/*
 * The order machine's numbers and alert rules, generated from the spec's
 * `machine` section into build/generated/src/machine_policy.c. Internal:
 * not part of the ABI.
 */
#ifndef SIXMM_MACHINE_POLICY_H
#define SIXMM_MACHINE_POLICY_H

#include <stdint.h>

#include <sixmm/errinfo.h>

struct sixmm__machine_policy {
    uint32_t lifetime_ms;   /* default lifetime of an intent */
    uint32_t max_sends;     /* signatures per intent */
    uint32_t max_queries;   /* status queries per intent */
    uint32_t sync_limit_ms; /* the clock bound above which the machine asks for SYNC */
    uint32_t drift_ppm;     /* the default drift bound of sixmm_clock */
    uint32_t busy_wait_ms;  /* the WAIT when every throttle slot is in use */
};

/* An answer gets `alert` when its retry class is in retry_mask (bit =
 * sixmm_retry), its entry's category in category_mask (bit =
 * sixmm_category), or it has no entry and one of the HTTP statuses (0 ends
 * the list). The list ends with alert SIXMM_ALERT_NONE; first match wins. */
struct sixmm__alert_rule {
    sixmm_alert alert;
    uint32_t retry_mask, category_mask;
    int http[4];
};

#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility push(hidden)
#endif
extern const struct sixmm__machine_policy sixmm__machine;
extern const struct sixmm__alert_rule sixmm__alert_rules[];
#if defined(__GNUC__) && __GNUC__ >= 4
#  pragma GCC visibility pop
#endif

#endif
