/*
 * The retry advisor: turn what a client has after a call into one decision.
 * No function here allocates, locks or writes global state; every reason is
 * a string literal.
 *
 * The decision, in order (README "Classifying a response" says the same):
 *
 *  1. `code` 0 is success, whatever the HTTP status and the message.
 *  2. A catalog message overrides the code where it is more specific: when it
 *     stands on its own (it lists no codes, e.g. "Timestamp outside of
 *     tolerance window", "Signature replay detected"), when it lists the code
 *     that came with it (it refines that code), or when there is no
 *     documented code. A message tied to other codes does not override a
 *     documented code, and the "success" message never makes a call a
 *     success (only code 0 does). In the widget domain the text is also
 *     looked up as a widget identifier (the widget's string `error.code`).
 *  3. A documented code (exact or range) decides by its retry class.
 *  4. An unknown code in a known block takes the block's class (5xxx: like
 *     5001) and is never resent blindly: a non-idempotent request is not
 *     resent at all.
 *  5. An unknown code outside every block: a 4xx or 5xx status decides as
 *     in 6; otherwise the outcome is unknown, so reconcile.
 *  6. No code and no known message: the HTTP status decides. 0 (no
 *     response) and 1xx/2xx (no final answer, or a body without `code`):
 *     backoff for idempotent requests, else reconcile. 3xx: fix_request
 *     (the API documents no redirects). 401 reauthenticate, 429 backoff,
 *     other 4xx fix_request. 502/503/504: backoff if idempotent, else
 *     reconcile. 500 and the other 5xx: reconcile. Anything else (negative,
 *     600 and up): like 0.
 *
 * Then, for every class:
 *  - A non-idempotent request is never resent when its outcome may be
 *    unknown: reconcile never resends it, and resign (a request with the
 *    same signature already reached the server, and may have been executed)
 *    becomes reconcile.
 *  - A resend is advised only while attempt <= the class's max_attempts from
 *    the spec (attempt 0 counts as 1; UINT_MAX, i.e. -1, is past any limit).
 *  - backoff and reconcile wait sixmm_backoff_ms(attempt); reauthenticate,
 *    resign and resync_clock fix the cause first, so their first resend has
 *    no wait and later ones back off from the first step.
 */
#include <sixmm/errinfo.h>

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

/* ---- Reasons (static text, one per situation) --------------------------- */

static const char R_SUCCESS[] = "code 0: success; nothing to do";
static const char R_BAD_DOMAIN[] = "invalid domain: cannot classify; do not resend";
static const char R_LIMIT[] = "attempt limit for this action reached; stop resending and report";
static const char R_UNKNOWN_NONIDEM[] =
    "outcome unknown: query the state (by the original clientOrderId) before any resend; "
    "never resend blindly";

/* By retry class, when a catalog entry decided. */
static const char *const by_class[SIXMM_RETRY_COUNT] = {
    "success; nothing to do",
    "the request is wrong; fix it before sending again",
    "the access token is no longer valid; get a new one (refresh, else log in), then resend",
    "credentials or configuration are wrong; an operator must fix them; do not retry",
    "signature rejected as reused; make a new timestamp and signature, then resend",
    "timestamp outside the tolerance window; call /v1/time, sign again, then resend",
    "throttled or temporarily unavailable; wait with backoff and jitter, then resend",
    "outcome unknown; a read may be retried after a wait",
    "the account or order state rejects the request; resending cannot help",
};

static const char R_AGENT_BACKOFF[] =
    "throttled or temporarily unavailable; wait with backoff, then retry the same page "
    "with the same cursor and filters";
static const char R_REPLAY_NONIDEM[] =
    "a request with this signature already reached the server and may have been executed: "
    "query by the original clientOrderId before sending again with a new signature";
static const char R_CLASS[] =
    "unknown code in a known block: handled as its block, never resent blindly";

/* HTTP-only decisions (no code, no known message). */
static const char R_HTTP_TIMEOUT_IDEM[] = "no response (timeout or connection failure); "
                                          "a read may be resent after a wait";
static const char R_HTTP_NOBODY_IDEM[] = "HTTP status without a business code: "
                                         "the body is not an API answer; a read may be resent after a wait";
static const char R_HTTP_3XX[] = "HTTP redirect: the API documents none; fix the URL, do not resend unchanged";
static const char R_HTTP_401[] = "HTTP 401 without a code: get a new access token, then resend";
static const char R_HTTP_429[] = "HTTP 429: throttled; wait with backoff and jitter, then resend";
static const char R_HTTP_4XX[] = "HTTP 4xx without a code: the request is wrong; fix it first";
static const char R_HTTP_GATEWAY_IDEM[] = "HTTP 502/503/504: gateway or service unavailable; "
                                          "a read may be resent after a wait";
static const char R_HTTP_5XX_IDEM[] = "HTTP 5xx without a code: outcome unknown; "
                                      "a read may be retried after a wait";
static const char R_UNKNOWN_CODE_IDEM[] = "unknown code outside every block: outcome unknown; "
                                          "a read may be retried after a wait";

/* ---- Classification ----------------------------------------------------- */

struct decision {
    sixmm_retry action;
    const sixmm_entry *entry;
    sixmm_match match;
    const char *reason;  /* NULL: the class's text */
};

/* The message is exactly message_len bytes, as the header says: 0 is an
 * empty message, never a NUL-terminated one. Callers pass pointers into
 * larger buffers (a log line, a JSON body) with length 0 for "", so scanning
 * for a terminator would read past their data. */
static const sixmm_entry *message_entry(const sixmm_call *call)
{
    size_t len = call->message ? call->message_len : 0;
    if (!len)
        return NULL;
    /* sixmm_lookup_message(), then in the widget domain sixmm_lookup_id(),
     * in one internal call (catalog_internal.h). */
    return sixmm__lookup_message_or_id(call->domain, call->message, len);
}

/* Does message entry m override what the code says? */
static int message_overrides(const sixmm_entry *m, const sixmm_entry *code_entry,
                             sixmm_match code_match)
{
    size_t i, n;
    if (m->retry == SIXMM_RETRY_NONE)
        return 0;
    n = m->related_count; /* sixmm_entry_related_count(m) */
    if (n == 0 || !code_entry || code_match == SIXMM_MATCH_CLASS)
        return 1;
    for (i = 0; i < n; i++) /* sixmm_entry_related(m, i) == code_entry */
        if (&sixmm__entries[sixmm__related[m->related_first + i]] == code_entry)
            return 1;
    return 0;
}

static struct decision by_status(int status, int idempotent)
{
    struct decision d = {SIXMM_RETRY_RECONCILE, NULL, SIXMM_MATCH_UNKNOWN, NULL};
    const char *unknown_idem = status == 0 ? R_HTTP_TIMEOUT_IDEM : R_HTTP_NOBODY_IDEM;

    if (status >= 300 && status <= 399) {
        d.action = SIXMM_RETRY_FIX_REQUEST;
        d.reason = R_HTTP_3XX;
    } else if (status == 401) {
        d.action = SIXMM_RETRY_REAUTHENTICATE;
        d.reason = R_HTTP_401;
    } else if (status == 429) {
        d.action = SIXMM_RETRY_BACKOFF;
        d.reason = R_HTTP_429;
    } else if (status >= 400 && status <= 499) {
        d.action = SIXMM_RETRY_FIX_REQUEST;
        d.reason = R_HTTP_4XX;
    } else if (status == 502 || status == 503 || status == 504) {
        d.action = idempotent ? SIXMM_RETRY_BACKOFF : SIXMM_RETRY_RECONCILE;
        d.reason = idempotent ? R_HTTP_GATEWAY_IDEM : R_UNKNOWN_NONIDEM;
    } else if (status >= 500 && status <= 599) {
        d.action = SIXMM_RETRY_RECONCILE;
        d.reason = idempotent ? R_HTTP_5XX_IDEM : R_UNKNOWN_NONIDEM;
    } else {
        /* 0 (no response), 1xx, 2xx without a code, or not an HTTP status. */
        d.action = idempotent ? SIXMM_RETRY_BACKOFF : SIXMM_RETRY_RECONCILE;
        d.reason = idempotent ? unknown_idem : R_UNKNOWN_NONIDEM;
    }
    return d;
}

static struct decision decide(const sixmm_call *call)
{
    struct decision d = {SIXMM_RETRY_NONE, NULL, SIXMM_MATCH_UNKNOWN, NULL};
    const sixmm_entry *code_entry = NULL, *msg;
    sixmm_match code_match = SIXMM_MATCH_UNKNOWN;

    if (call->has_code) {
        code_entry = sixmm__lookup(call->domain, call->code, &code_match);
        if (call->code == 0) {
            d.entry = code_entry;
            d.match = code_entry ? code_match : SIXMM_MATCH_UNKNOWN;
            d.reason = R_SUCCESS;
            return d;
        }
    }
    msg = message_entry(call);
    if (msg && message_overrides(msg, code_entry, code_match)) {
        d.action = (sixmm_retry)msg->retry;
        d.entry = msg;
        d.match = SIXMM_MATCH_EXACT;
        return d;
    }
    if (code_entry) {
        d.action = (sixmm_retry)code_entry->retry;
        d.entry = code_entry;
        d.match = code_match;
        if (code_match == SIXMM_MATCH_CLASS)
            d.reason = R_CLASS;
        return d;
    }
    if (call->has_code) {
        /* A code no block knows: only a 4xx or 5xx status says more. */
        if (call->http_status >= 400 && call->http_status <= 599)
            return by_status(call->http_status, call->idempotent);
        d.action = SIXMM_RETRY_RECONCILE;
        d.reason = call->idempotent ? R_UNKNOWN_CODE_IDEM : R_UNKNOWN_NONIDEM;
        return d;
    }
    return by_status(call->http_status, call->idempotent);
}

/* What each class does with a resend (README "Classifying a response"):
 * resent always, resent only when idempotent, and whether the first resend
 * already waits (backoff, reconcile) or fixes the cause first and waits only
 * from the second (reauthenticate, resign, resync_clock). A table rather than
 * a switch: the class varies from call to call, and an indirect jump on it
 * mispredicts. */
enum { RESEND = 1, RESEND_IF_IDEMPOTENT = 2, WAIT_FIRST = 4 };
static const unsigned char class_resend[SIXMM_RETRY_COUNT] = {
    [SIXMM_RETRY_REAUTHENTICATE] = RESEND,
    [SIXMM_RETRY_RESIGN] = RESEND,
    [SIXMM_RETRY_RESYNC_CLOCK] = RESEND,
    [SIXMM_RETRY_BACKOFF] = RESEND | WAIT_FIRST,
    [SIXMM_RETRY_RECONCILE] = RESEND_IF_IDEMPOTENT | WAIT_FIRST,
};

int sixmm_classify(const sixmm_call *call, uint32_t random, sixmm_advice *out)
{
    struct decision d;
    sixmm_advice a;
    unsigned attempt, flags, wait_steps;
    int idempotent;
    uint32_t base, cap;

    if (!out)
        return -1;
    if (!call || (unsigned)call->domain >= SIXMM_DOMAIN_COUNT) {
        out->action = SIXMM_RETRY_NEVER;
        out->entry = NULL;
        out->match = SIXMM_MATCH_UNKNOWN;
        out->resend = 0;
        out->delay_ms = 0;
        out->reason = R_BAD_DOMAIN;
        return -1;
    }
    base = sixmm__domains[call->domain].base_ms; /* sixmm_backoff_policy() */
    cap = sixmm__domains[call->domain].cap_ms;
    idempotent = call->idempotent != 0;

    d = decide(call);
    attempt = call->attempt ? call->attempt : 1u;

    /* A signature that was seen before may belong to a request that was
     * executed: for a non-idempotent request that outcome is unknown. */
    if (d.action == SIXMM_RETRY_RESIGN && !idempotent) {
        d.action = SIXMM_RETRY_RECONCILE;
        d.reason = R_REPLAY_NONIDEM;
    }
    a.action = d.action;
    a.entry = d.entry;
    a.match = d.match;
    a.reason = d.reason ? d.reason : by_class[d.action];
    if (d.action == SIXMM_RETRY_BACKOFF && call->domain == SIXMM_DOMAIN_AGENT && !d.reason)
        a.reason = R_AGENT_BACKOFF;
    if (d.action == SIXMM_RETRY_RECONCILE && !idempotent && d.reason != R_REPLAY_NONIDEM)
        a.reason = R_UNKNOWN_NONIDEM;

    flags = class_resend[d.action];
    a.resend = (flags & RESEND) || ((flags & RESEND_IF_IDEMPOTENT) && idempotent);
    /* An unknown code in a known block is never resent blindly. */
    if (d.match == SIXMM_MATCH_CLASS && !idempotent)
        a.resend = 0;

    /* sixmm_retry_max_attempts(): 0 for a class that is never resent. */
    if (a.resend && attempt > (unsigned)sixmm__retries[d.action].max_attempts) {
        a.resend = 0;
        a.reason = R_LIMIT;
    }
    /* backoff and reconcile wait from the first resend, the others from
     * the second (none before it). */
    wait_steps = flags & WAIT_FIRST ? attempt : attempt - 1u;
    a.delay_ms = a.resend && wait_steps ? backoff_ms(base, cap, wait_steps, random) : 0;
    *out = a;
    return 0;
}
