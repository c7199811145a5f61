/*
 * The retry advisor, table-driven. Every row gives the input and
 * the expected action, match kind and resend decision for an idempotent and
 * for a non-idempotent request. The coverage tests walk the catalog with
 * sixmm_entry_at(), so a new code or message without a row fails here.
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

#define RND 0x9e3779b9u

#define REST SIXMM_DOMAIN_REST
#define AGENT SIXMM_DOMAIN_AGENT
#define WIDGET SIXMM_DOMAIN_WIDGET

#define NONE SIXMM_RETRY_NONE
#define FIX SIXMM_RETRY_FIX_REQUEST
#define REAUTH SIXMM_RETRY_REAUTHENTICATE
#define CREDS SIXMM_RETRY_CHECK_CREDENTIALS
#define RESIGN SIXMM_RETRY_RESIGN
#define RESYNC SIXMM_RETRY_RESYNC_CLOCK
#define BACKOFF SIXMM_RETRY_BACKOFF
#define RECONCILE SIXMM_RETRY_RECONCILE
#define NEVER SIXMM_RETRY_NEVER

#define EXACT SIXMM_MATCH_EXACT
#define RANGE SIXMM_MATCH_RANGE
#define CLASS SIXMM_MATCH_CLASS
#define UNKNOWN SIXMM_MATCH_UNKNOWN
#define STATUS SIXMM_MATCH_STATUS

/* One row. `entry` is the key (sixmm_entry_key) of the entry that must
 * decide, or NULL when no entry decides (then match is STATUS when the HTTP
 * status decided, else UNKNOWN). */
struct row {
    const char *what;
    sixmm_domain domain;
    int status;
    int has_code;
    int64_t code;
    const char *message;
    const char *entry;
    sixmm_match match;
    sixmm_retry act_idem;
    int resend_idem;
    sixmm_retry act_non;
    int resend_non;
};

/* ---- One row per documented code (first code of a range) --------------- */

static const struct row code_rows[] = {
    /* what             domain status code? code     msg   entry        match  idempotent     non-idempotent */
    {"SUCCESS",         REST, 200, 1, 0,       NULL, "0",          EXACT, NONE, 0,       NONE, 0},
    {"NO_AUTH",         REST, 200, 1, 1001,    NULL, "1001",       EXACT, CREDS, 0,      CREDS, 0},
    {"TOKEN_EXPIRED",   REST, 200, 1, 1002,    NULL, "1002",       EXACT, REAUTH, 1,     REAUTH, 1},
    {"INVALID_CREDS",   REST, 200, 1, 1003,    NULL, "1003",       EXACT, CREDS, 0,      CREDS, 0},
    {"TOKEN_REVOKED",   REST, 200, 1, 1004,    NULL, "1004",       EXACT, REAUTH, 1,     REAUTH, 1},
    {"IP_MISMATCH",     REST, 200, 1, 1006,    NULL, "1006",       EXACT, CREDS, 0,      CREDS, 0},
    {"MISSING_PARAM",   REST, 200, 1, 2001,    NULL, "2001",       EXACT, FIX, 0,        FIX, 0},
    {"INVALID_PARAM",   REST, 200, 1, 2002,    NULL, "2002",       EXACT, FIX, 0,        FIX, 0},
    {"OUT_OF_RANGE",    REST, 200, 1, 2003,    NULL, "2003",       EXACT, FIX, 0,        FIX, 0},
    {"NO_BALANCE",      REST, 200, 1, 3001,    NULL, "3001",       EXACT, NEVER, 0,      NEVER, 0},
    {"ORDER_NOT_FOUND", REST, 200, 1, 3003,    NULL, "3003",       EXACT, NEVER, 0,      NEVER, 0},
    /* A duplicate signature may belong to an order that was executed. */
    {"DUPLICATE",       REST, 200, 1, 3004,    NULL, "3004",       EXACT, RESIGN, 1,     RECONCILE, 0},
    {"NOT_CANCELABLE",  REST, 200, 1, 3005,    NULL, "3005",       EXACT, NEVER, 0,      NEVER, 0},
    {"PERMISSION",      REST, 200, 1, 3006,    NULL, "3006",       EXACT, NEVER, 0,      NEVER, 0},
    {"CONDITION_ORDER", REST, 200, 1, 3100,    NULL, "3100-3112",  RANGE, FIX, 0,        FIX, 0},
    {"INTERNAL_ERROR",  REST, 200, 1, 5001,    NULL, "5001",       EXACT, RECONCILE, 1,  RECONCILE, 0},
    {"UNAVAILABLE",     REST, 200, 1, 5002,    NULL, "5002",       EXACT, BACKOFF, 1,    BACKOFF, 1},
    {"RATE_LIMITED",    REST, 200, 1, 5003,    NULL, "5003",       EXACT, BACKOFF, 1,    BACKOFF, 1},
    {"A_MISSING_PARAM", AGENT, 200, 1, 102001, NULL, "102001",     EXACT, FIX, 0,        FIX, 0},
    {"A_ILLEGAL_PARAM", AGENT, 200, 1, 102002, NULL, "102002",     EXACT, FIX, 0,        FIX, 0},
    {"A_ILLEGAL_SCOPE", AGENT, 200, 1, 102003, NULL, "102003",     EXACT, FIX, 0,        FIX, 0},
    {"A_SIGNATURE",     AGENT, 200, 1, 6001,   NULL, "6001",       EXACT, CREDS, 0,      CREDS, 0},
    {"A_NOT_ALLOWED",   AGENT, 200, 1, 6009,   NULL, "6009",       EXACT, CREDS, 0,      CREDS, 0},
    {"A_UNAVAILABLE",   AGENT, 200, 1, 6904,   NULL, "6904",       EXACT, BACKOFF, 1,    BACKOFF, 1},
    {"A_QUOTA",         AGENT, 200, 1, 6905,   NULL, "6905",       EXACT, BACKOFF, 1,    BACKOFF, 1},
};

/* ---- One row per documented message and widget identifier -------------- */

static const struct row message_rows[] = {
    {"timestamp",  REST, 200, 0, 0, "Timestamp outside of tolerance window",
                   "Timestamp outside of tolerance window", EXACT, RESYNC, 1, RESYNC, 1},
    {"invalid token", REST, 200, 0, 0, "Invalid token", "Invalid token", EXACT, CREDS, 0, CREDS, 0},
    {"replay",     REST, 200, 0, 0, "Signature replay detected", "Signature replay detected",
                   EXACT, RESIGN, 1, RECONCILE, 0},
    /* Only code 0 is success: "success" without a code is a body without
     * the documented envelope, so the status decides. */
    {"success",    REST, 200, 0, 0, "success", NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"env mismatch", AGENT, 200, 0, 0, "order environment mismatch", "order environment mismatch",
                   EXACT, FIX, 0, FIX, 0},
    /* Widget errors carry a string `code`; it is passed as the message. */
    {"token_provider_missing", WIDGET, 0, 0, 0, "token_provider_missing", "token_provider_missing",
                   EXACT, CREDS, 0, CREDS, 0},
    {"auth_exchange_failed", WIDGET, 0, 0, 0, "auth_exchange_failed", "auth_exchange_failed",
                   EXACT, REAUTH, 1, REAUTH, 1},
};

/* ---- Messages against codes: the message wins where more specific ------- */

static const struct row override_rows[] = {
    {"timestamp beats 1003", REST, 401, 1, 1003, "Timestamp outside of tolerance window",
     "Timestamp outside of tolerance window", EXACT, RESYNC, 1, RESYNC, 1},
    {"timestamp beats 5001", REST, 200, 1, 5001, "Timestamp outside of tolerance window",
     "Timestamp outside of tolerance window", EXACT, RESYNC, 1, RESYNC, 1},
    {"timestamp any case", REST, 200, 1, 1001, "TIMESTAMP OUTSIDE OF TOLERANCE WINDOW",
     "Timestamp outside of tolerance window", EXACT, RESYNC, 1, RESYNC, 1},
    {"replay beats 1003", REST, 200, 1, 1003, "Signature replay detected",
     "Signature replay detected", EXACT, RESIGN, 1, RECONCILE, 0},
    {"replay beats 2002", REST, 400, 1, 2002, "signature replay detected",
     "Signature replay detected", EXACT, RESIGN, 1, RECONCILE, 0},
    {"invalid token refines 1003", REST, 200, 1, 1003, "Invalid token", "Invalid token",
     EXACT, CREDS, 0, CREDS, 0},
    {"invalid token does not beat 1002", REST, 200, 1, 1002, "Invalid token", "1002",
     EXACT, REAUTH, 1, REAUTH, 1},
    {"invalid token beats class 1999", REST, 200, 1, 1999, "Invalid token", "Invalid token",
     EXACT, CREDS, 0, CREDS, 0},
    {"success message does not beat 5001", REST, 200, 1, 5001, "success", "5001",
     EXACT, RECONCILE, 1, RECONCILE, 0},
    {"code 0 beats any message", REST, 200, 1, 0, "Timestamp outside of tolerance window", "0",
     EXACT, NONE, 0, NONE, 0},
    {"env mismatch refines 102002", AGENT, 200, 1, 102002, "Order Environment Mismatch",
     "order environment mismatch", EXACT, FIX, 0, FIX, 0},
    {"env mismatch does not beat 6905", AGENT, 200, 1, 6905, "order environment mismatch", "6905",
     EXACT, BACKOFF, 1, BACKOFF, 1},
    {"unknown message leaves the code", REST, 200, 1, 1002, "Token has expired", "1002",
     EXACT, REAUTH, 1, REAUTH, 1},
    {"message of another domain ignored", REST, 200, 1, 5002, "order environment mismatch", "5002",
     EXACT, BACKOFF, 1, BACKOFF, 1},
};

/* ---- HTTP-only failures (no code), and codes the catalog does not know --- */

static const struct row http_rows[] = {
    {"timeout",            REST, 0,   0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"timeout agent",      AGENT, 0,  0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"401",                REST, 401, 0, 0, NULL, NULL, STATUS, REAUTH, 1, REAUTH, 1},
    {"429",                REST, 429, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, BACKOFF, 1},
    {"429 agent",          AGENT, 429, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, BACKOFF, 1},
    {"502",                REST, 502, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"503",                REST, 503, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"504",                REST, 504, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"502 html page",      REST, 502, 0, 0, "<html>Bad Gateway</html>", NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"500",                REST, 500, 0, 0, NULL, NULL, STATUS, RECONCILE, 1, RECONCILE, 0},
    {"500 empty message",  REST, 500, 0, 0, "", NULL, STATUS, RECONCILE, 1, RECONCILE, 0},
    {"501 like 500",       REST, 501, 0, 0, NULL, NULL, STATUS, RECONCILE, 1, RECONCILE, 0},
    {"505 like 500",       REST, 505, 0, 0, NULL, NULL, STATUS, RECONCILE, 1, RECONCILE, 0},
    {"599 like 500",       REST, 599, 0, 0, NULL, NULL, STATUS, RECONCILE, 1, RECONCILE, 0},
    {"400",                REST, 400, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"403",                REST, 403, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"404",                REST, 404, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"408",                REST, 408, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"413",                REST, 413, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"499",                REST, 499, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    /* Decided where the API documentation is silent (spec situation no_body). */
    {"100 no final answer", REST, 100, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"199",                REST, 199, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"200 without code",   REST, 200, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"204 without code",   REST, 204, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"299 without code",   REST, 299, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"301 redirect",       REST, 301, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"307 redirect",       REST, 307, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"399",                REST, 399, 0, 0, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"600 not http",       REST, 600, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"-1 not http",        REST, -1,  0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"INT_MIN",            REST, INT_MIN, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"INT_MAX",            REST, INT_MAX, 0, 0, NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"widget 401",         WIDGET, 401, 0, 0, NULL, NULL, STATUS, REAUTH, 1, REAUTH, 1},
};

static const struct row unknown_rows[] = {
    /* Unknown code in a known block: the block's class, never blindly. */
    {"1005 auth block",    REST, 200, 1, 1005,   NULL, "1000-1999", CLASS, CREDS, 0, CREDS, 0},
    {"1999 auth block",    REST, 401, 1, 1999,   NULL, "1000-1999", CLASS, CREDS, 0, CREDS, 0},
    {"2000 request block", REST, 200, 1, 2000,   NULL, "2000-2999", CLASS, FIX, 0, FIX, 0},
    {"2999 request block", REST, 200, 1, 2999,   NULL, "2000-2999", CLASS, FIX, 0, FIX, 0},
    {"3002 business",      REST, 200, 1, 3002,   NULL, "3000-3999", CLASS, NEVER, 0, NEVER, 0},
    {"3099 below range",   REST, 200, 1, 3099,   NULL, "3000-3999", CLASS, NEVER, 0, NEVER, 0},
    {"3113 above range",   REST, 200, 1, 3113,   NULL, "3000-3999", CLASS, NEVER, 0, NEVER, 0},
    {"3999 business",      REST, 429, 1, 3999,   NULL, "3000-3999", CLASS, NEVER, 0, NEVER, 0},
    /* An unknown 5xxx is treated like 5001. */
    {"5000 like 5001",     REST, 200, 1, 5000,   NULL, "5000-5999", CLASS, RECONCILE, 1, RECONCILE, 0},
    {"5004 like 5001",     REST, 200, 1, 5004,   NULL, "5000-5999", CLASS, RECONCILE, 1, RECONCILE, 0},
    {"5999 like 5001",     REST, 503, 1, 5999,   NULL, "5000-5999", CLASS, RECONCILE, 1, RECONCILE, 0},
    {"102000 agent block", AGENT, 200, 1, 102000, NULL, "102000-102999", CLASS, FIX, 0, FIX, 0},
    {"102999 agent block", AGENT, 200, 1, 102999, NULL, "102000-102999", CLASS, FIX, 0, FIX, 0},
    /* Unknown code in no block: a 4xx/5xx status decides, else reconcile. */
    {"4001 at 200",        REST, 200, 1, 4001,   NULL, NULL, UNKNOWN, RECONCILE, 1, RECONCILE, 0},
    {"999 at 200",         REST, 200, 1, 999,    NULL, NULL, UNKNOWN, RECONCILE, 1, RECONCILE, 0},
    {"-1 at 200",          REST, 200, 1, -1,     NULL, NULL, UNKNOWN, RECONCILE, 1, RECONCILE, 0},
    {"INT64_MIN at 200",   REST, 200, 1, INT64_MIN, NULL, NULL, UNKNOWN, RECONCILE, 1, RECONCILE, 0},
    {"INT64_MAX at 0",     REST, 0,   1, INT64_MAX, NULL, NULL, UNKNOWN, RECONCILE, 1, RECONCILE, 0},
    {"9999 at 429",        REST, 429, 1, 9999,   NULL, NULL, STATUS, BACKOFF, 1, BACKOFF, 1},
    {"9999 at 401",        REST, 401, 1, 9999,   NULL, NULL, STATUS, REAUTH, 1, REAUTH, 1},
    {"9999 at 400",        REST, 400, 1, 9999,   NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"9999 at 503",        REST, 503, 1, 9999,   NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"agent 5001 unknown", AGENT, 200, 1, 5001,  NULL, NULL, UNKNOWN, RECONCILE, 1, RECONCILE, 0},
    {"agent 6002 at 503",  AGENT, 503, 1, 6002,  NULL, NULL, STATUS, BACKOFF, 1, RECONCILE, 0},
    {"agent 103000 at 400", AGENT, 400, 1, 103000, NULL, NULL, STATUS, FIX, 0, FIX, 0},
    {"widget 1003 at 200", WIDGET, 200, 1, 1003, NULL, NULL, UNKNOWN, RECONCILE, 1, RECONCILE, 0},
    /* Code 0 is success whatever the status. */
    {"0 at 500",           REST, 500, 1, 0,      NULL, "0", EXACT, NONE, 0, NONE, 0},
    {"0 at 0",             REST, 0,   1, 0,      NULL, "0", EXACT, NONE, 0, NONE, 0},
    {"0 at 429",           REST, 429, 1, 0,      "success", "0", EXACT, NONE, 0, NONE, 0},
    {"agent 0 at 200",     AGENT, 200, 1, 0,     NULL, NULL, UNKNOWN, NONE, 0, NONE, 0},
};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static sixmm_advice classify(const struct row *r, int idempotent, unsigned attempt)
{
    sixmm_call call;
    sixmm_advice adv;
    memset(&call, 0, sizeof call);
    call.domain = r->domain;
    call.http_status = r->status;
    call.has_code = r->has_code;
    call.code = r->code;
    call.message = r->message;
    call.message_len = r->message ? strlen(r->message) : 0;
    call.idempotent = idempotent;
    call.attempt = attempt;
    memset(&adv, 0xA5, sizeof adv);
    ck_assert_int_eq(sixmm_classify(&call, RND, &adv), 0);
    return adv;
}

static void check_row(const struct row *r)
{
    int idem;
    for (idem = 1; idem >= 0; idem--) {
        sixmm_advice a = classify(r, idem, 1);
        sixmm_retry act = idem ? r->act_idem : r->act_non;
        int resend = idem ? r->resend_idem : r->resend_non;

        ck_assert_msg(a.action == act, "%s (%s): action %s, expected %s", r->what,
                      idem ? "idempotent" : "non-idempotent", sixmm_retry_name(a.action),
                      sixmm_retry_name(act));
        ck_assert_msg(a.match == r->match, "%s (%s): match %s, expected %s", r->what,
                      idem ? "idempotent" : "non-idempotent", sixmm_match_name(a.match),
                      sixmm_match_name(r->match));
        ck_assert_msg(!!a.resend == resend, "%s (%s): resend %d, expected %d", r->what,
                      idem ? "idempotent" : "non-idempotent", a.resend, resend);
        if (r->entry) {
            ck_assert_msg(a.entry != NULL, "%s: no entry, expected %s", r->what, r->entry);
            ck_assert_str_eq(sixmm_entry_key(a.entry), r->entry);
            ck_assert_int_eq(sixmm_entry_domain(a.entry), r->domain);
        } else {
            ck_assert_msg(a.entry == NULL, "%s: entry %s, expected none", r->what,
                          sixmm_entry_key(a.entry));
        }
        ck_assert_ptr_nonnull(a.reason);
        ck_assert_msg(a.reason[0] != '\0', "%s: empty reason", r->what);
        if (!a.resend)
            ck_assert_uint_eq(a.delay_ms, 0);
        /* Never resend a non-idempotent request whose outcome is unknown. */
        if (!idem && a.action == SIXMM_RETRY_RECONCILE) {
            ck_assert_int_eq(a.resend, 0);
            ck_assert_msg(strstr(a.reason, "clientOrderId") != NULL,
                          "%s: reason \"%s\" does not say to query by clientOrderId", r->what,
                          a.reason);
        }
    }
}

/* ---- Tests -------------------------------------------------------------- */

START_TEST(each_documented_code_gives_its_row)
{
    check_row(&code_rows[_i]);
}
END_TEST

START_TEST(code_decides_whatever_the_http_status)
{
    static const int statuses[] = {0, 200, 201, 302, 400, 401, 429, 500, 502, 503, 504};
    const struct row *r = &code_rows[_i];
    size_t s;
    for (s = 0; s < sizeof statuses / sizeof statuses[0]; s++) {
        struct row copy = *r;
        copy.status = statuses[s];
        check_row(&copy);
    }
}
END_TEST

START_TEST(every_code_of_a_range_gives_the_range_row)
{
    size_t i;
    for (i = 0; i < sixmm_entry_count(); i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        int64_t c;
        if (sixmm_entry_kind(e) != SIXMM_KIND_RANGE)
            continue;
        for (c = sixmm_entry_code(e); c <= sixmm_entry_code_last(e); c++) {
            int k;
            for (k = 0; k < N(code_rows); k++) {
                if (code_rows[k].domain == sixmm_entry_domain(e) &&
                    strcmp(code_rows[k].entry, sixmm_entry_key(e)) == 0) {
                    struct row copy = code_rows[k];
                    copy.code = c;
                    check_row(&copy);
                }
            }
        }
    }
}
END_TEST

START_TEST(each_documented_message_gives_its_row)
{
    check_row(&message_rows[_i]);
}
END_TEST

START_TEST(message_overrides_code_where_more_specific)
{
    check_row(&override_rows[_i]);
}
END_TEST

START_TEST(http_only_failure_is_classified_by_status)
{
    check_row(&http_rows[_i]);
}
END_TEST

START_TEST(unknown_code_falls_back_without_blind_retry)
{
    check_row(&unknown_rows[_i]);
}
END_TEST

static int has_row(const struct row *rows, int n, const sixmm_entry *e)
{
    int k;
    for (k = 0; k < n; k++)
        if (rows[k].domain == sixmm_entry_domain(e) &&
            ((rows[k].entry && strcmp(rows[k].entry, sixmm_entry_key(e)) == 0 &&
              (!rows[k].has_code || rows[k].code == sixmm_entry_code(e))) ||
             (!rows[k].has_code && rows[k].message &&
              strcmp(rows[k].message, sixmm_entry_key(e)) == 0)))
            return 1;
    return 0;
}

START_TEST(every_catalog_entry_has_a_row)
{
    size_t i;
    ck_assert_uint_gt(sixmm_entry_count(), 0);
    for (i = 0; i < sixmm_entry_count(); i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_kind k = sixmm_entry_kind(e);
        if (k == SIXMM_KIND_CODE || k == SIXMM_KIND_RANGE)
            ck_assert_msg(has_row(code_rows, N(code_rows), e),
                          "%s %s has no row in code_rows", sixmm_domain_name(sixmm_entry_domain(e)),
                          sixmm_entry_key(e));
        else
            ck_assert_msg(has_row(message_rows, N(message_rows), e),
                          "%s message %s has no row in message_rows",
                          sixmm_domain_name(sixmm_entry_domain(e)), sixmm_entry_key(e));
    }
}
END_TEST

START_TEST(entry_class_and_advice_agree_except_where_documented)
{
    /* The advice follows the entry's own retry class, except that resign
     * becomes reconcile for a non-idempotent request. */
    size_t i;
    for (i = 0; i < sixmm_entry_count(); i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        int k, idem;
        for (k = 0; k < N(code_rows); k++) {
            if (code_rows[k].domain != sixmm_entry_domain(e) ||
                strcmp(code_rows[k].entry, sixmm_entry_key(e)) != 0)
                continue;
            for (idem = 0; idem <= 1; idem++) {
                sixmm_advice a = classify(&code_rows[k], idem, 1);
                sixmm_retry want = sixmm_entry_retry(e);
                if (want == SIXMM_RETRY_RESIGN && !idem)
                    want = SIXMM_RETRY_RECONCILE;
                ck_assert_int_eq(a.action, want);
                ck_assert_ptr_eq(a.entry, e);
            }
        }
    }
}
END_TEST

START_TEST(http_200_with_nonzero_code_is_an_error)
{
    size_t i;
    for (i = 0; i < sixmm_entry_count(); i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        struct row r;
        sixmm_advice a;
        if (sixmm_entry_kind(e) != SIXMM_KIND_CODE || sixmm_entry_code(e) == 0)
            continue;
        memset(&r, 0, sizeof r);
        r.domain = sixmm_entry_domain(e);
        r.status = 200;
        r.has_code = 1;
        r.code = sixmm_entry_code(e);
        a = classify(&r, 1, 1);
        ck_assert_int_ne(a.action, SIXMM_RETRY_NONE);
        ck_assert_ptr_eq(a.entry, e);
    }
}
END_TEST

START_TEST(unknown_5xxx_advice_equals_5001_advice)
{
    static const int64_t codes[] = {5000, 5004, 5100, 5500, 5999};
    struct row r5001;
    size_t i;
    int idem;
    unsigned attempt;
    memset(&r5001, 0, sizeof r5001);
    r5001.domain = REST;
    r5001.status = 200;
    r5001.has_code = 1;
    r5001.code = 5001;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        struct row r = r5001;
        r.code = codes[i];
        for (idem = 0; idem <= 1; idem++)
            for (attempt = 0; attempt <= 6; attempt++) {
                sixmm_advice a = classify(&r, idem, attempt);
                sixmm_advice b = classify(&r5001, idem, attempt);
                ck_assert_int_eq(a.action, b.action);
                ck_assert_int_eq(a.resend, b.resend);
                ck_assert_uint_eq(a.delay_ms, b.delay_ms);
                ck_assert_int_eq(a.match, SIXMM_MATCH_CLASS);
            }
    }
}
END_TEST

START_TEST(non_idempotent_5001_says_query_by_client_order_id)
{
    struct row r;
    sixmm_advice a;
    memset(&r, 0, sizeof r);
    r.domain = REST;
    r.status = 200;
    r.has_code = 1;
    r.code = 5001;
    a = classify(&r, 0, 1);
    ck_assert_int_eq(a.action, SIXMM_RETRY_RECONCILE);
    ck_assert_int_eq(a.resend, 0);
    ck_assert_uint_eq(a.delay_ms, 0);
    ck_assert_ptr_nonnull(strstr(a.reason, "clientOrderId"));
}
END_TEST

START_TEST(message_is_exactly_message_len_bytes)
{
    /* message_len is authoritative: 0 is an empty message (never scanned
     * for a NUL), and bytes after the length are ignored. */
    static const char body[] = "Signature replay detectedXYZ";
    sixmm_call call;
    sixmm_advice a;
    memset(&call, 0, sizeof call);
    call.domain = REST;
    call.http_status = 401;
    call.idempotent = 1;
    call.message = body;
    call.message_len = strlen("Signature replay detected");
    ck_assert_int_eq(sixmm_classify(&call, RND, &a), 0);
    ck_assert_int_eq(a.action, SIXMM_RETRY_RESIGN);
    call.message_len = 0;
    ck_assert_int_eq(sixmm_classify(&call, RND, &a), 0);
    ck_assert_int_eq(a.action, SIXMM_RETRY_REAUTHENTICATE); /* no message: 401 decides */
    ck_assert_ptr_null(a.entry);
    call.message_len = sizeof body - 1;
    ck_assert_int_eq(sixmm_classify(&call, RND, &a), 0);
    ck_assert_int_eq(a.action, SIXMM_RETRY_REAUTHENTICATE); /* "...XYZ" is no catalog message */
    call.message = NULL;
    call.message_len = 25; /* a length without text is ignored */
    ck_assert_int_eq(sixmm_classify(&call, RND, &a), 0);
    ck_assert_int_eq(a.action, SIXMM_RETRY_REAUTHENTICATE);
}
END_TEST

START_TEST(message_is_never_read_past_its_length)
{
    /* Each catalog key at the very end of an exact-size heap buffer with no
     * NUL: under AddressSanitizer any read past message_len fails here. */
    size_t i;
    for (i = 0; i < sixmm_entry_count(); i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        const char *key = sixmm_entry_key(e);
        size_t n = strlen(key);
        char *buf = malloc(n ? n : 1);
        sixmm_call call;
        sixmm_advice a;
        ck_assert_ptr_nonnull(buf);
        memcpy(buf, key, n);
        memset(&call, 0, sizeof call);
        call.domain = sixmm_entry_domain(e);
        call.http_status = 200;
        call.message = buf;
        call.message_len = n;
        ck_assert_int_eq(sixmm_classify(&call, RND, &a), 0);
        call.message = buf + n; /* an empty message at the end of the data */
        call.message_len = 0;
        ck_assert_int_eq(sixmm_classify(&call, RND, &a), 0);
        ck_assert_ptr_null(a.entry);
        free(buf);
    }
}
END_TEST

START_TEST(agent_backoff_reason_says_retry_the_same_page)
{
    struct row r;
    sixmm_advice a;
    memset(&r, 0, sizeof r);
    r.domain = AGENT;
    r.status = 200;
    r.has_code = 1;
    r.code = 6905;
    a = classify(&r, 1, 1);
    ck_assert_int_eq(a.action, SIXMM_RETRY_BACKOFF);
    ck_assert_ptr_nonnull(strstr(a.reason, "same page"));
}
END_TEST

START_TEST(null_arguments_and_bad_domain_are_refused)
{
    sixmm_call call;
    sixmm_advice a;
    memset(&call, 0, sizeof call);
    ck_assert_int_eq(sixmm_classify(NULL, 0, &a), -1);
    ck_assert_int_eq(a.resend, 0);
    ck_assert_ptr_nonnull(a.reason);
    ck_assert_int_eq(sixmm_classify(&call, 0, NULL), -1);
    call.domain = (sixmm_domain)SIXMM_DOMAIN_COUNT;
    call.has_code = 1;
    call.code = 5002;
    memset(&a, 0xA5, sizeof a);
    ck_assert_int_eq(sixmm_classify(&call, 0, &a), -1);
    ck_assert_int_eq(a.resend, 0);
    ck_assert_uint_eq(a.delay_ms, 0);
    ck_assert_ptr_null(a.entry);
    ck_assert_int_eq(a.match, SIXMM_MATCH_UNKNOWN);
    ck_assert_ptr_nonnull(a.reason);
    ck_assert_uint_lt((unsigned)a.action, SIXMM_RETRY_COUNT);
    call.domain = (sixmm_domain)-1;
    ck_assert_int_eq(sixmm_classify(&call, 0, &a), -1);
}
END_TEST

/* ---- Attempts ----------------------------------------------------------- */

static const struct row attempt_rows[] = {
    {"reauthenticate", REST, 200, 1, 1002, NULL, "1002", EXACT, REAUTH, 1, REAUTH, 1},
    {"resign",         REST, 200, 1, 3004, NULL, "3004", EXACT, RESIGN, 1, RECONCILE, 0},
    {"resync_clock",   REST, 200, 0, 0, "Timestamp outside of tolerance window",
                       "Timestamp outside of tolerance window", EXACT, RESYNC, 1, RESYNC, 1},
    {"backoff",        REST, 200, 1, 5003, NULL, "5003", EXACT, BACKOFF, 1, BACKOFF, 1},
    {"reconcile",      REST, 200, 1, 5001, NULL, "5001", EXACT, RECONCILE, 1, RECONCILE, 0},
};

START_TEST(resends_stop_after_the_spec_maximum)
{
    const struct row *r = &attempt_rows[_i];
    int max = sixmm_retry_max_resends(r->act_idem);
    unsigned a;
    ck_assert_int_gt(max, 0);
    for (a = 1; a <= (unsigned)max + 3; a++) {
        sixmm_advice adv = classify(r, 1, a);
        ck_assert_int_eq(adv.action, r->act_idem);
        ck_assert_msg(!!adv.resend == (a <= (unsigned)max), "%s attempt %u: resend %d (max %d)",
                      r->what, a, adv.resend, max);
        if (!adv.resend)
            ck_assert_ptr_nonnull(strstr(adv.reason, "limit"));
    }
}
END_TEST

START_TEST(attempt_zero_counts_as_the_first_and_uint_max_is_past_any_limit)
{
    const struct row *r = &attempt_rows[_i];
    sixmm_advice a0 = classify(r, 1, 0), a1 = classify(r, 1, 1), am = classify(r, 1, UINT_MAX);
    ck_assert_int_eq(a0.action, a1.action);
    ck_assert_int_eq(a0.resend, a1.resend);
    ck_assert_uint_eq(a0.delay_ms, a1.delay_ms);
    ck_assert_ptr_eq(a0.reason, a1.reason);
    ck_assert_int_eq(am.resend, 0);
    ck_assert_uint_eq(am.delay_ms, 0);
    ck_assert_int_eq(am.action, a1.action);
}
END_TEST

START_TEST(corrective_actions_resend_at_once_then_back_off)
{
    /* reauthenticate, resign and resync_clock fix the cause: no wait at the
     * first resend; a second failure backs off from the first step. */
    static const int idx[] = {0, 1, 2};
    uint32_t base, cap;
    size_t i;
    ck_assert_int_eq(sixmm_backoff_policy(REST, &base, &cap), 0);
    for (i = 0; i < 3; i++) {
        const struct row *r = &attempt_rows[idx[i]];
        sixmm_call call;
        sixmm_advice a;
        memset(&call, 0, sizeof call);
        call.domain = r->domain;
        call.http_status = r->status;
        call.has_code = r->has_code;
        call.code = r->code;
        call.message = r->message;
        call.message_len = r->message ? strlen(r->message) : 0;
        call.idempotent = 1;
        call.attempt = 1;
        ck_assert_int_eq(sixmm_classify(&call, UINT32_MAX, &a), 0);
        ck_assert_int_eq(a.resend, 1);
        ck_assert_uint_eq(a.delay_ms, 0);
        call.attempt = 2;
        ck_assert_int_eq(sixmm_classify(&call, UINT32_MAX, &a), 0);
        if (sixmm_retry_max_resends(a.action) < 2) {
            ck_assert_int_eq(a.resend, 0); /* reauthenticate: one resend only */
            continue;
        }
        ck_assert_int_eq(a.resend, 1);
        ck_assert_uint_eq(a.delay_ms, base);
    }
}
END_TEST

START_TEST(backoff_delay_follows_the_domain_policy)
{
    uint32_t base, cap;
    unsigned attempt;
    ck_assert_int_eq(sixmm_backoff_policy(AGENT, &base, &cap), 0);
    for (attempt = 1; attempt <= (unsigned)sixmm_retry_max_resends(SIXMM_RETRY_BACKOFF); attempt++) {
        sixmm_call call;
        sixmm_advice a;
        memset(&call, 0, sizeof call);
        call.domain = AGENT;
        call.http_status = 200;
        call.has_code = 1;
        call.code = 6905;
        call.idempotent = 1;
        call.attempt = attempt;
        ck_assert_int_eq(sixmm_classify(&call, UINT32_MAX, &a), 0);
        ck_assert_uint_eq(a.delay_ms, sixmm_backoff_ms(base, cap, attempt, UINT32_MAX));
        ck_assert_int_eq(sixmm_classify(&call, 0, &a), 0);
        ck_assert_uint_eq(a.delay_ms, 0);
    }
}
END_TEST

/* ---- Backoff helper and policy ------------------------------------------ */

START_TEST(backoff_is_full_jitter_up_to_the_doubling_ceiling)
{
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 1, 0), 0);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 1, UINT32_MAX), 200);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 2, UINT32_MAX), 400);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 7, UINT32_MAX), 12800);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 8, UINT32_MAX), 20000);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 1, 0x80000000u), 100);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 0, UINT32_MAX), 200); /* 0 counts as 1 */
}
END_TEST

START_TEST(backoff_never_overflows_at_huge_attempts)
{
    static const unsigned attempts[] = {33, 34, 64, 65, 1000, UINT_MAX - 1, UINT_MAX};
    size_t i;
    /* From attempt 33 on, 2^(attempt-1) no longer fits in 32 bits. */
    for (i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
        ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, attempts[i], UINT32_MAX), 20000);
        ck_assert_uint_le(sixmm_backoff_ms(200, 20000, attempts[i], 12345), 20000);
        ck_assert_uint_eq(sixmm_backoff_ms(1, UINT32_MAX, attempts[i], UINT32_MAX), UINT32_MAX);
        ck_assert_uint_eq(sixmm_backoff_ms(UINT32_MAX, UINT32_MAX, attempts[i], UINT32_MAX),
                          UINT32_MAX);
    }
    /* 2^31 still fits: 1 << 31 with attempt 32. */
    ck_assert_uint_eq(sixmm_backoff_ms(1, UINT32_MAX, 32, UINT32_MAX), 1u << 31);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 20000, 32, UINT32_MAX), 20000);
    ck_assert_uint_eq(sixmm_backoff_ms(1, UINT32_MAX, 31, UINT32_MAX), 1u << 30);
    ck_assert_uint_eq(sixmm_backoff_ms(3, UINT32_MAX, 32, UINT32_MAX), UINT32_MAX);
}
END_TEST

START_TEST(backoff_degenerate_policies_stay_in_bounds)
{
    ck_assert_uint_eq(sixmm_backoff_ms(0, 20000, 5, UINT32_MAX), 0);
    ck_assert_uint_eq(sixmm_backoff_ms(200, 0, 5, UINT32_MAX), 0);
    ck_assert_uint_eq(sixmm_backoff_ms(500, 100, 1, UINT32_MAX), 100); /* base above cap */
    ck_assert_uint_eq(sixmm_backoff_ms(0, 0, UINT_MAX, UINT32_MAX), 0);
}
END_TEST

START_TEST(backoff_policy_comes_from_the_spec_per_domain)
{
    uint32_t base = 0, cap = 0;
    int d;
    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++) {
        ck_assert_int_eq(sixmm_backoff_policy((sixmm_domain)d, &base, &cap), 0);
        ck_assert_uint_gt(base, 0);
        ck_assert_uint_le(base, cap);
    }
    /* The Agent API documents 2 requests/s: the first wait is at least one
     * token interval. */
    ck_assert_int_eq(sixmm_backoff_policy(AGENT, &base, &cap), 0);
    ck_assert_uint_ge(base, 500);
    ck_assert_int_eq(sixmm_backoff_policy(REST, NULL, NULL), 0);
    ck_assert_int_eq(sixmm_backoff_policy((sixmm_domain)SIXMM_DOMAIN_COUNT, &base, &cap), -1);
    ck_assert_int_eq(sixmm_backoff_policy((sixmm_domain)-1, &base, &cap), -1);
}
END_TEST

static Suite *advice_suite(void)
{
    Suite *s = suite_create("advice_table");
    TCase *t;

    t = tcase_create("codes");
    tcase_add_loop_test(t, each_documented_code_gives_its_row, 0, N(code_rows));
    tcase_add_loop_test(t, code_decides_whatever_the_http_status, 0, N(code_rows));
    tcase_add_test(t, every_code_of_a_range_gives_the_range_row);
    tcase_add_test(t, every_catalog_entry_has_a_row);
    tcase_add_test(t, entry_class_and_advice_agree_except_where_documented);
    tcase_add_test(t, http_200_with_nonzero_code_is_an_error);
    tcase_add_test(t, non_idempotent_5001_says_query_by_client_order_id);
    tcase_add_test(t, agent_backoff_reason_says_retry_the_same_page);
    suite_add_tcase(s, t);

    t = tcase_create("messages");
    tcase_add_loop_test(t, each_documented_message_gives_its_row, 0, N(message_rows));
    tcase_add_loop_test(t, message_overrides_code_where_more_specific, 0, N(override_rows));
    tcase_add_test(t, message_is_exactly_message_len_bytes);
    tcase_add_test(t, message_is_never_read_past_its_length);
    suite_add_tcase(s, t);

    t = tcase_create("http_and_unknown");
    tcase_add_loop_test(t, http_only_failure_is_classified_by_status, 0, N(http_rows));
    tcase_add_loop_test(t, unknown_code_falls_back_without_blind_retry, 0, N(unknown_rows));
    tcase_add_test(t, unknown_5xxx_advice_equals_5001_advice);
    tcase_add_test(t, null_arguments_and_bad_domain_are_refused);
    suite_add_tcase(s, t);

    t = tcase_create("attempts_and_backoff");
    tcase_add_loop_test(t, resends_stop_after_the_spec_maximum, 0, N(attempt_rows));
    tcase_add_loop_test(t, attempt_zero_counts_as_the_first_and_uint_max_is_past_any_limit, 0,
                        N(attempt_rows));
    tcase_add_test(t, corrective_actions_resend_at_once_then_back_off);
    tcase_add_test(t, backoff_delay_follows_the_domain_policy);
    tcase_add_test(t, backoff_is_full_jitter_up_to_the_doubling_ceiling);
    tcase_add_test(t, backoff_never_overflows_at_huge_attempts);
    tcase_add_test(t, backoff_degenerate_policies_stay_in_bounds);
    tcase_add_test(t, backoff_policy_comes_from_the_spec_per_domain);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(advice_suite());
}
