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

/* ---- Reasons -------------------------------------------------------------
 *
 * One static text per situation, kept in one struct of char arrays and
 * addressed by offset, like the catalog's string pool: the rule table below
 * then holds no pointers, and the shared library needs no load-time
 * relocation for it.
 */
#define REASONS(X)                                                                         \
    X(success, "code 0: success; nothing to do")                                           \
    X(bad_domain, "invalid domain: cannot classify; do not resend")                        \
    X(limit, "attempt limit for this action reached; stop resending and report")           \
    X(unknown_nonidem, "outcome unknown: query the state (by the original clientOrderId) " \
                       "before any resend; never resend blindly")                          \
    /* By retry class, when a catalog entry decided. */                                    \
    X(none, "success; nothing to do")                                                      \
    X(fix_request, "the request is wrong; fix it before sending again")                    \
    X(reauthenticate, "the access token is no longer valid; get a new one (refresh, else " \
                      "log in), then resend")                                              \
    X(check_credentials, "credentials or configuration are wrong; an operator must fix "   \
                         "them; do not retry")                                             \
    X(resign, "signature rejected as reused; make a new timestamp and signature, then "    \
              "resend")                                                                    \
    X(resync_clock, "timestamp outside the tolerance window; call /v1/time, sign again, "  \
                    "then resend")                                                         \
    X(backoff, "throttled or temporarily unavailable; wait with backoff and jitter, then " \
               "resend")                                                                   \
    X(reconcile, "outcome unknown; a read may be retried after a wait")                    \
    X(never, "the account or order state rejects the request; resending cannot help")     \
    X(agent_backoff, "throttled or temporarily unavailable; wait with backoff, then retry " \
                     "the same page with the same cursor and filters")                     \
    X(replay_nonidem, "a request with this signature already reached the server and may "  \
                      "have been executed: query by the original clientOrderId before "    \
                      "sending again with a new signature")                                \
    X(class_block, "unknown code in a known block: handled as its block, never resent "    \
                   "blindly")                                                              \
    /* HTTP-only decisions (no code, no known message). */                                 \
    X(http_timeout_idem, "no response (timeout or connection failure); a read may be "     \
                         "resent after a wait")                                            \
    X(http_nobody_idem, "HTTP status without a business code: the body is not an API "     \
                        "answer; a read may be resent after a wait")                       \
    X(http_3xx, "HTTP redirect: the API documents none; fix the URL, do not resend "       \
                "unchanged")                                                               \
    X(http_401, "HTTP 401 without a code: get a new access token, then resend")            \
    X(http_429, "HTTP 429: throttled; wait with backoff and jitter, then resend")          \
    X(http_4xx, "HTTP 4xx without a code: the request is wrong; fix it first")             \
    X(http_gateway_idem, "HTTP 502/503/504: gateway or service unavailable; a read may be " \
                         "resent after a wait")                                            \
    X(http_5xx_idem, "HTTP 5xx without a code: outcome unknown; a read may be retried "    \
                     "after a wait")                                                       \
    X(unknown_code_idem, "unknown code outside every block: outcome unknown; a read may "  \
                         "be retried after a wait")

#define REASON_FIELD(name, text) char name[sizeof text];
#define REASON_TEXT(name, text) text,
static const struct reasons {
    REASONS(REASON_FIELD)
} reasons = {REASONS(REASON_TEXT)};

#define REASON(field) ((uint16_t)offsetof(struct reasons, field))

/* The hand-written rules below name every retry class, in any order: a spec
 * that renames or removes one fails to compile on the missing SIXMM_RETRY_
 * name, and one that adds a class fails here until it has its rows. */
typedef char sixmm__rules_cover_every_class[SIXMM_RETRY_COUNT == 9 ? 1 : -1];

/* ---- The rules ------------------------------------------------------------
 *
 * decide() reduces a call to a situation: which kind of answer decided and,
 * for a catalog entry, its retry class. The table gives, for a situation and
 * the call's idempotence, everything but the attempt limit and the wait:
 * the action, the reason and whether a resend is advised. A table rather
 * than branches: the situation and the idempotence change from call to call,
 * and branches on them mispredict.
 */
enum {
    S_ENTRY = 0,                        /* + class: a catalog entry decided */
    S_BLOCK = S_ENTRY + SIXMM_RETRY_COUNT, /* + class: an unknown code in a known block */
    S_AGENT_BACKOFF = S_BLOCK + SIXMM_RETRY_COUNT, /* an Agent API entry of class backoff */
    S_SUCCESS,                          /* code 0 */
    S_UNKNOWN_CODE,                     /* a code no block knows, no 4xx/5xx status */
    S_HTTP_3XX,                         /* no code and no known message: by status */
    S_HTTP_401,
    S_HTTP_429,
    S_HTTP_4XX,
    S_HTTP_GATEWAY,                     /* 502, 503, 504 */
    S_HTTP_5XX,
    S_NO_RESPONSE,                      /* status 0 */
    S_NO_BODY,                          /* 1xx, 2xx, not an HTTP status */
    S_COUNT
};

struct rule {
    uint8_t action;  /* sixmm_retry */
    uint8_t flags;   /* RESEND, WAIT_FIRST */
    uint16_t reason; /* offset into reasons */
};

/* RESEND: a resend is advised (before the attempt limit). WAIT_FIRST: the
 * first resend already waits (backoff, reconcile); the others fix the cause
 * first and wait only from the second resend (reauthenticate, resign,
 * resync_clock). */
enum { RESEND = 1, WAIT_FIRST = 2 };

/* Whether a class resends always, only when idempotent, and when it waits. */
#define RESENDS(c) ((c) == SIXMM_RETRY_REAUTHENTICATE || (c) == SIXMM_RETRY_RESIGN ||        \
                    (c) == SIXMM_RETRY_RESYNC_CLOCK || (c) == SIXMM_RETRY_BACKOFF)
#define RESENDS_IF_IDEMPOTENT(c) ((c) == SIXMM_RETRY_RECONCILE)
#define WAITS_FIRST(c) ((c) == SIXMM_RETRY_BACKOFF || (c) == SIXMM_RETRY_RECONCILE)

/* A non-idempotent request is never resent when its outcome may be unknown:
 * resign (the same signature already reached the server) becomes
 * reconcile, and reconcile says so. */
#define NONIDEM_ACTION(c) ((c) == SIXMM_RETRY_RESIGN ? SIXMM_RETRY_RECONCILE : (c))
#define NONIDEM_REASON(c, otherwise)                                                        \
    ((c) == SIXMM_RETRY_RESIGN ? REASON(replay_nonidem)                                     \
     : (c) == SIXMM_RETRY_RECONCILE ? REASON(unknown_nonidem) : (otherwise))

#define FLAGS(c, resend)                                                                    \
    ((unsigned char)(((resend) ? RESEND : 0) | (WAITS_FIRST(c) ? WAIT_FIRST : 0)))

/* [0]: not idempotent, [1]: idempotent. */
#define ENTRY_ROWS(c, text)                                                                 \
    {{NONIDEM_ACTION(c), FLAGS(NONIDEM_ACTION(c), RESENDS(NONIDEM_ACTION(c))),              \
      NONIDEM_REASON(c, text)},                                                             \
     {(c), FLAGS(c, RESENDS(c) || RESENDS_IF_IDEMPOTENT(c)), (text)}}
/* An unknown code in a known block is never resent blindly. */
#define BLOCK_ROWS(c)                                                                       \
    {{NONIDEM_ACTION(c), FLAGS(NONIDEM_ACTION(c), 0),                                       \
      NONIDEM_REASON(c, REASON(class_block))},                                              \
     {(c), FLAGS(c, RESENDS(c) || RESENDS_IF_IDEMPOTENT(c)), REASON(class_block)}}
/* A class's rows: text is its reason field, the class's own advice. */
#define CLASS_ROWS(c, text)                                                                 \
    [S_ENTRY + (c)] = ENTRY_ROWS(c, REASON(text)), [S_BLOCK + (c)] = BLOCK_ROWS(c)
/* Both idempotences alike. */
#define SAME_ROWS(c, resend, reason)                                                        \
    {{(c), FLAGS(c, resend), REASON(reason)}, {(c), FLAGS(c, resend), REASON(reason)}}
/* A read may be resent after a wait; anything else is reconciled. */
#define READ_ROWS(c, reason)                                                                \
    {{SIXMM_RETRY_RECONCILE, FLAGS(SIXMM_RETRY_RECONCILE, 0), REASON(unknown_nonidem)},     \
     {(c), FLAGS(c, 1), REASON(reason)}}

static const struct rule rules[S_COUNT][2] = {
    CLASS_ROWS(SIXMM_RETRY_NONE, none),
    CLASS_ROWS(SIXMM_RETRY_FIX_REQUEST, fix_request),
    CLASS_ROWS(SIXMM_RETRY_REAUTHENTICATE, reauthenticate),
    CLASS_ROWS(SIXMM_RETRY_CHECK_CREDENTIALS, check_credentials),
    CLASS_ROWS(SIXMM_RETRY_RESIGN, resign),
    CLASS_ROWS(SIXMM_RETRY_RESYNC_CLOCK, resync_clock),
    CLASS_ROWS(SIXMM_RETRY_BACKOFF, backoff),
    CLASS_ROWS(SIXMM_RETRY_RECONCILE, reconcile),
    CLASS_ROWS(SIXMM_RETRY_NEVER, never),
    [S_AGENT_BACKOFF] = ENTRY_ROWS(SIXMM_RETRY_BACKOFF, REASON(agent_backoff)),
    [S_SUCCESS] = SAME_ROWS(SIXMM_RETRY_NONE, 0, success),
    [S_UNKNOWN_CODE] = READ_ROWS(SIXMM_RETRY_RECONCILE, unknown_code_idem),
    [S_HTTP_3XX] = SAME_ROWS(SIXMM_RETRY_FIX_REQUEST, 0, http_3xx),
    [S_HTTP_401] = SAME_ROWS(SIXMM_RETRY_REAUTHENTICATE, 1, http_401),
    [S_HTTP_429] = SAME_ROWS(SIXMM_RETRY_BACKOFF, 1, http_429),
    [S_HTTP_4XX] = SAME_ROWS(SIXMM_RETRY_FIX_REQUEST, 0, http_4xx),
    [S_HTTP_GATEWAY] = READ_ROWS(SIXMM_RETRY_BACKOFF, http_gateway_idem),
    [S_HTTP_5XX] = READ_ROWS(SIXMM_RETRY_RECONCILE, http_5xx_idem),
    [S_NO_RESPONSE] = READ_ROWS(SIXMM_RETRY_BACKOFF, http_timeout_idem),
    [S_NO_BODY] = READ_ROWS(SIXMM_RETRY_BACKOFF, http_nobody_idem),
};

/* ---- Classification ----------------------------------------------------- */

struct decision {
    unsigned situation;
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
    if (!len)
        return NULL;
    {
        const sixmm_entry *m = sixmm_lookup_message(call->domain, call->message, len);
        if (!m && call->domain == SIXMM_DOMAIN_WIDGET)
            m = sixmm_lookup_id(call->domain, call->message, len);
        return m;
    }
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

/* No code and no known message (or a code no block knows, with a 4xx or
 * 5xx status): the HTTP status decides. */
static unsigned by_status(int status)
{
    if (status >= 300 && status <= 399)
        return S_HTTP_3XX;
    if (status == 401)
        return S_HTTP_401;
    if (status == 429)
        return S_HTTP_429;
    if (status >= 400 && status <= 499)
        return S_HTTP_4XX;
    if (status == 502 || status == 503 || status == 504)
        return S_HTTP_GATEWAY;
    if (status >= 500 && status <= 599)
        return S_HTTP_5XX;
    /* 0 (no response), 1xx, 2xx without a code, or not an HTTP status. */
    return status == 0 ? S_NO_RESPONSE : S_NO_BODY;
}

/* The situation of an entry that decided: its class, in the Agent API's
 * wording for backoff. */
static unsigned by_entry(const sixmm_call *call, const sixmm_entry *e)
{
    if (e->retry == SIXMM_RETRY_BACKOFF && call->domain == SIXMM_DOMAIN_AGENT)
        return S_AGENT_BACKOFF;
    return (unsigned)S_ENTRY + e->retry;
}

static struct decision decide(const sixmm_call *call)
{
    struct decision d = {S_SUCCESS, NULL, SIXMM_MATCH_UNKNOWN};
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
        d.situation = by_entry(call, msg);
        d.entry = msg;
        d.match = SIXMM_MATCH_EXACT;
        return d;
    }
    if (code_entry) {
        d.entry = code_entry;
        d.match = code_match;
        d.situation = code_match == SIXMM_MATCH_CLASS ? (unsigned)S_BLOCK + code_entry->retry
                                                      : by_entry(call, code_entry);
        return d;
    }
    /* A code no block knows: only a 4xx or 5xx status says more. */
    if (call->has_code && !(call->http_status >= 400 && call->http_status <= 599))
        d.situation = S_UNKNOWN_CODE;
    else
        d.situation = by_status(call->http_status);
    return d;
}

int sixmm_classify(const sixmm_call *call, uint32_t random, sixmm_advice *out)
{
    struct decision d;
    const struct rule *r;
    unsigned attempt, wait_steps, reason;
    int resend;

    if (!out)
        return -1;
    if (!call || (unsigned)call->domain >= SIXMM_DOMAIN_COUNT) {
        out->action = SIXMM_RETRY_NEVER;
        out->entry = NULL;
        out->match = SIXMM_MATCH_UNKNOWN;
        out->resend = 0;
        out->delay_ms = 0;
        out->reason = reasons.bad_domain;
        return -1;
    }
    d = decide(call);
    r = &rules[d.situation][call->idempotent != 0];
    attempt = call->attempt ? call->attempt : 1u;
    resend = r->flags & RESEND;
    reason = r->reason;

    /* A resend is advised only while attempt <= the class's max_attempts
     * (sixmm_retry_max_attempts(): 0 for a class that is never resent). */
    if (resend && attempt > (unsigned)sixmm__retries[r->action].max_attempts) {
        resend = 0;
        reason = REASON(limit);
    }
    /* backoff and reconcile wait from the first resend, the others from the
     * second (none before it); the policy is the domain's
     * (sixmm_backoff_policy()). */
    wait_steps = r->flags & WAIT_FIRST ? attempt : attempt - 1u;
    out->action = (sixmm_retry)r->action;
    out->entry = d.entry;
    out->match = d.match;
    out->resend = resend;
    out->delay_ms = resend && wait_steps ? backoff_ms(sixmm__domains[call->domain].base_ms,
                                                      sixmm__domains[call->domain].cap_ms,
                                                      wait_steps, random)
                                         : 0;
    out->reason = (const char *)&reasons + reason;
    return 0;
}
