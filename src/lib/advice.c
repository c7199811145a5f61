/*
 * The retry advisor: turn what a client has after a call into one decision.
 * No function here allocates, locks or writes global state.
 *
 * This file finds the situation; the spec says what each situation means.
 * The rules (action, resend, first wait, reason) are generated from the
 * spec's retry_classes and situations into advice_rules.c. The situations,
 * in order:
 *
 *  1. `code` 0 is success (situation success), whatever the HTTP status and
 *     the message.
 *  2. A catalog message overrides the code where it is more specific: when it
 *     stands on its own (it lists no codes, e.g. "Timestamp outside of
 *     tolerance window", "Signature replay detected"), when it lists the code
 *     that came with it (it refines that code), or when there is no
 *     documented code. A message tied to other codes does not override a
 *     documented code, and the "success" message never makes a call a
 *     success (only code 0 does). In the widget domain the text is also
 *     looked up as a widget identifier (the widget's string `error.code`).
 *  3. A documented code (exact or range) decides by its retry class, in its
 *     domain (the entry rules).
 *  4. An unknown code in a known block takes the block's class (the block
 *     rules, from situation class_block).
 *  5. An unknown code outside every block: a 4xx or 5xx status decides as
 *     in 6; otherwise situation unknown_code.
 *  6. No code and no known message: the HTTP status decides: 0 no_response;
 *     1xx, 2xx and anything that is no HTTP status no_body; 3xx http_3xx;
 *     401 http_401; 429 http_429; other 4xx http_4xx; 502, 503 and 504
 *     http_gateway; other 5xx http_5xx.
 *
 * Then, for every rule: a resend is advised only while attempt <= the
 * action's max_resends (attempt 0 counts as 1; UINT_MAX, i.e. -1, is past
 * any limit), else situation limit gives the reason. A rule whose first
 * resend waits waits sixmm_backoff_ms(attempt); the others fix the cause
 * first, so their first resend has no wait and later ones back off from the
 * first step.
 */
#include <sixmm/errinfo.h>

#include "advice_rules.h"
#include "catalog_internal.h"

/* ---- Backoff ------------------------------------------------------------ */

/* The body of sixmm_backoff_ms(), for sixmm_classify() too. */
static inline uint32_t backoff_ms(uint32_t base_ms, uint32_t cap_ms, unsigned attempt,
                                  uint32_t random)
{
    unsigned shift = attempt > 0 ? attempt - 1 : 0;
    uint32_t ceiling;

    /* min(cap, base * 2^shift), without ever computing an overflowing
     * product: base << shift exceeds cap exactly when base > cap >> shift. */
    if (shift >= 32 || base_ms > (cap_ms >> shift))
        ceiling = base_ms ? cap_ms : 0;
    else
        ceiling = base_ms << shift;
    if (ceiling > cap_ms)
        ceiling = cap_ms;
    /* Scale `random` onto [0, ceiling]: random * (ceiling + 1) / 2^32 fits
     * in 64 bits, is monotonic in `random`, gives 0 for 0 and exactly
     * `ceiling` for UINT32_MAX, and is less biased than a modulo. */
    return (uint32_t)(((uint64_t)random * ((uint64_t)ceiling + 1u)) >> 32);
}

uint32_t sixmm_backoff_ms(uint32_t base_ms, uint32_t cap_ms, unsigned attempt,
                          uint32_t random)
{
    return backoff_ms(base_ms, cap_ms, attempt, random);
}

int sixmm_backoff_policy(sixmm_domain domain, uint32_t *base_ms, uint32_t *cap_ms)
{
    if ((unsigned)domain >= SIXMM_DOMAIN_COUNT)
        return -1;
    if (base_ms)
        *base_ms = sixmm__domains[domain].base_ms;
    if (cap_ms)
        *cap_ms = sixmm__domains[domain].cap_ms;
    return 0;
}

/* ---- Classification ----------------------------------------------------- */

struct decision {
    const struct sixmm__rule *rules; /* [0]: not idempotent, [1]: idempotent */
    const sixmm_entry *entry;
    sixmm_match match;
};

/* The message is exactly message_len bytes, as the header says: 0 is an
 * empty message, never a NUL-terminated one. Callers pass pointers into
 * larger buffers (a log line, a JSON body) with length 0 for "", so scanning
 * for a terminator would read past their data. */
static const sixmm_entry *message_entry(const sixmm_call *call)
{
    size_t len = call->message ? call->message_len : 0;
    const sixmm_entry *m;
    if (!len)
        return NULL;
    m = sixmm_lookup_message(call->domain, call->message, len);
    if (!m && call->domain == SIXMM_DOMAIN_WIDGET)
        m = sixmm_lookup_id(call->domain, call->message, len);
    return m;
}

/* Does message entry m override what the code says? */
static int message_overrides(const sixmm_entry *m, const sixmm_entry *code_entry,
                             sixmm_match code_match)
{
    size_t i, n;
    if (sixmm_entry_retry(m) == SIXMM_RETRY_NONE)
        return 0;
    n = sixmm_entry_related_count(m);
    if (n == 0 || !code_entry || code_match == SIXMM_MATCH_CLASS)
        return 1;
    for (i = 0; i < n; i++)
        if (sixmm_entry_related(m, i) == code_entry)
            return 1;
    return 0;
}

/* No code and no known message (or a code no block knows, with a 4xx or
 * 5xx status): the HTTP status decides. */
static enum sixmm__situation by_status(int status)
{
    if (status >= 300 && status <= 399)
        return SIXMM__SITUATION_HTTP_3XX;
    if (status == 401)
        return SIXMM__SITUATION_HTTP_401;
    if (status == 429)
        return SIXMM__SITUATION_HTTP_429;
    if (status >= 400 && status <= 499)
        return SIXMM__SITUATION_HTTP_4XX;
    if (status == 502 || status == 503 || status == 504)
        return SIXMM__SITUATION_HTTP_GATEWAY;
    if (status >= 500 && status <= 599)
        return SIXMM__SITUATION_HTTP_5XX;
    /* 0 (no response), 1xx, 2xx without a code, or not an HTTP status. */
    return status == 0 ? SIXMM__SITUATION_NO_RESPONSE : SIXMM__SITUATION_NO_BODY;
}

static struct decision decide(const sixmm_call *call)
{
    struct decision d = {sixmm__situation_rules[SIXMM__SITUATION_SUCCESS], NULL,
                         SIXMM_MATCH_UNKNOWN};
    const sixmm_entry *code_entry = NULL, *msg;
    sixmm_match code_match = SIXMM_MATCH_UNKNOWN;

    if (call->has_code) {
        code_entry = sixmm_lookup(call->domain, call->code, &code_match);
        if (call->code == 0) {
            d.entry = code_entry;
            d.match = code_entry ? code_match : SIXMM_MATCH_UNKNOWN;
            return d;
        }
    }
    msg = message_entry(call);
    if (msg && message_overrides(msg, code_entry, code_match)) {
        d.rules = sixmm__entry_rules[call->domain][sixmm_entry_retry(msg)];
        d.entry = msg;
        d.match = SIXMM_MATCH_EXACT;
        return d;
    }
    if (code_entry) {
        sixmm_retry c = sixmm_entry_retry(code_entry);
        d.entry = code_entry;
        d.match = code_match;
        d.rules = code_match == SIXMM_MATCH_CLASS ? sixmm__block_rules[c]
                                                  : sixmm__entry_rules[call->domain][c];
        return d;
    }
    /* A code no block knows: only a 4xx or 5xx status says more. When the
     * status decides, the match says so. */
    if (call->has_code && !(call->http_status >= 400 && call->http_status <= 599)) {
        d.rules = sixmm__situation_rules[SIXMM__SITUATION_UNKNOWN_CODE];
    } else {
        d.rules = sixmm__situation_rules[by_status(call->http_status)];
        d.match = SIXMM_MATCH_STATUS;
    }
    return d;
}

int sixmm_classify(const sixmm_call *call, uint32_t random, sixmm_advice *out)
{
    struct decision d;
    const struct sixmm__rule *r;
    unsigned attempt, wait_steps, reason;
    int resend;

    if (!out)
        return -1;
    if (!call || (unsigned)call->domain >= SIXMM_DOMAIN_COUNT) {
        r = &sixmm__situation_rules[SIXMM__SITUATION_BAD_DOMAIN][0];
        out->action = (sixmm_retry)r->action;
        out->entry = NULL;
        out->match = SIXMM_MATCH_UNKNOWN;
        out->resend = 0;
        out->delay_ms = 0;
        out->reason = sixmm__reasons + r->reason;
        return -1;
    }
    d = decide(call);
    r = &d.rules[call->idempotent != 0];
    attempt = call->attempt ? call->attempt : 1u;
    resend = r->resend;
    reason = r->reason;

    /* A resend is advised only while attempt <= the action's max_resends
     * (0 for a class that is never resent). */
    if (resend && attempt > (unsigned)sixmm_retry_max_resends((sixmm_retry)r->action)) {
        resend = 0;
        reason = sixmm__situation_rules[SIXMM__SITUATION_LIMIT][0].reason;
    }
    /* Rules that wait first wait from the first resend, the others from the
     * second (none before it); the policy is the domain's
     * (sixmm_backoff_policy()). */
    wait_steps = r->wait_first ? attempt : attempt - 1u;
    out->action = (sixmm_retry)r->action;
    out->entry = d.entry;
    out->match = d.match;
    out->resend = resend;
    out->delay_ms = resend && wait_steps ? backoff_ms(sixmm__domains[call->domain].base_ms,
                                                      sixmm__domains[call->domain].cap_ms,
                                                      wait_steps, random)
                                         : 0;
    out->reason = sixmm__reasons + reason;
    return 0;
}
