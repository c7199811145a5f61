/*
 * The C surface of the conformance corpus: reads cases as JSON Lines on
 * stdin ({"op": ..., "input": {...}}), answers each with the library's
 * public API only, and writes one normalized JSON object a line, in the
 * format of tests/conformance/README.md. The expected spellings are never
 * written here: every name comes from a sixmm_*_name() function.
 */
#include <sixmm/errinfo.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *in, const char *key, const char *dflt)
{
    const json_t *v = json_object_get(in, key);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

static json_int_t num(const json_t *in, const char *key, json_int_t dflt)
{
    const json_t *v = json_object_get(in, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static int parse_domain(const char *s, size_t n, sixmm_domain *d)
{
    char lower[16];
    size_t i;
    if (n == 0 || n >= sizeof lower)
        return -1;
    for (i = 0; i < n; i++)
        lower[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + ('a' - 'A')) : s[i];
    return sixmm_domain_parse(lower, n, d);
}

/* The entry's identity, or null. */
static json_t *identity(const sixmm_entry *e)
{
    if (!e)
        return json_null();
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
        "domain", sixmm_domain_name(sixmm_entry_domain(e)), "key", sixmm_entry_key(e),
        "name", sixmm_entry_name(e), "category", sixmm_category_name(sixmm_entry_category(e)),
        "retry", sixmm_retry_name(sixmm_entry_retry(e)),
        "http_status", sixmm_entry_http_status(e) ? json_integer(sixmm_entry_http_status(e))
                                                  : json_null());
}

static json_t *answer(const sixmm_entry *e, sixmm_match m)
{
    return json_pack("{s:s, s:o}", "match", sixmm_match_name(m), "entry", identity(e));
}

/* A text in the domain only (fixed), or in each domain, the given one
 * first: names, messages and identifiers, then descriptions. */
static json_t *lookup_text(const char *t, size_t n, sixmm_domain domain, int fixed)
{
    int pass, d;
    while (n && (*t == ' ' || *t == '\t'))
        t++, n--;
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    for (pass = 0; pass < 2; pass++)
        for (d = -1; d < SIXMM_DOMAIN_COUNT; d++) {
            sixmm_domain dd = d < 0 ? domain : (sixmm_domain)d;
            const sixmm_entry *e;
            size_t count;
            if (d >= 0 && (fixed || dd == domain))
                continue;
            if (pass == 0) {
                if (!(e = sixmm_lookup_name(dd, t, n)) && !(e = sixmm_lookup_message(dd, t, n)))
                    e = sixmm_lookup_id(dd, t, n);
                if (e)
                    return answer(e, SIXMM_MATCH_EXACT);
            } else if ((e = sixmm_lookup_description(dd, t, n, &count)) != NULL) {
                return answer(e, SIXMM_MATCH_DESCRIPTION);
            }
        }
    return answer(NULL, SIXMM_MATCH_UNKNOWN);
}

static json_t *lookup(const json_t *in)
{
    const char *q = str(in, "query", ""), *colon = strchr(q, ':');
    size_t len = strlen(q), i;
    sixmm_domain domain = SIXMM_DOMAIN_REST;
    int fixed = 0;
    int64_t code;
    sixmm_match m;
    const sixmm_entry *e;

    for (i = 0; i < len; i++)
        if ((unsigned char)q[i] < 0x20 || q[i] == 0x7F)
            return json_pack("{s:n, s:n}", "match", "entry");   /* no query */
    if (json_object_get(in, "domain")) {
        const char *d = str(in, "domain", "");
        if (parse_domain(d, strlen(d), &domain) != 0)
            return json_pack("{s:n, s:n}", "match", "entry");
        fixed = 1;
    }
    if (colon && colon > q && colon[1] != ' ') {
        for (i = 0; q + i < colon; i++)
            if (!((q[i] >= 'a' && q[i] <= 'z') || (q[i] >= 'A' && q[i] <= 'Z')))
                break;
        if (q + i == colon) {
            if (parse_domain(q, i, &domain) != 0) {
                json_t *whole = lookup_text(q, len, domain, fixed);
                if (strcmp(json_string_value(json_object_get(whole, "match")), "unknown") != 0)
                    return whole;
                json_decref(whole);
                return json_pack("{s:n, s:n}", "match", "entry");
            }
            fixed = 1;
            q = colon + 1;
            len = strlen(q);
        }
    }
    if (len == 0)
        return json_pack("{s:n, s:n}", "match", "entry");
    if (sixmm_parse_code(q, len, &code) == 0) {
        e = sixmm_lookup(domain, code, &m);
        return answer(e, m);
    }
    return lookup_text(q, len, domain, fixed);
}

static json_t *classify(const json_t *in)
{
    sixmm_call call;
    sixmm_advice a, top;
    const json_t *code = json_object_get(in, "code");
    const char *msg = str(in, "message", NULL);

    memset(&call, 0, sizeof call);
    if (parse_domain(str(in, "domain", "rest"), strlen(str(in, "domain", "rest")),
                     &call.domain) != 0)
        return json_null();
    call.http_status = (int)num(in, "http_status", 200);
    call.has_code = json_is_integer(code);
    call.code = call.has_code ? (int64_t)json_integer_value(code) : 0;
    call.message = msg;
    call.message_len = msg ? strlen(msg) : 0;
    call.idempotent = json_is_true(json_object_get(in, "idempotent"));
    call.attempt = (unsigned)num(in, "attempt", 1);
    sixmm_classify(&call, 0, &a);
    sixmm_classify(&call, UINT32_MAX, &top);
    return json_pack("{s:s, s:b, s:I, s:s, s:s, s:o}", "action", sixmm_retry_name(a.action),
                     "resend", a.resend, "delay_max_ms", (json_int_t)(a.resend ? top.delay_ms : 0),
                     "match", sixmm_match_name(a.match), "reason", a.reason,
                     "entry", identity(a.entry));
}

static json_t *reconcile(const json_t *in)
{
    sixmm_reconcile_in r;
    sixmm_reconcile_out lo, hi;
    const char *f = str(in, "found", "");
    const json_t *err = json_object_get(in, "clock_error_ms");

    memset(&r, 0, sizeof r);
    if (parse_domain(str(in, "domain", "rest"), strlen(str(in, "domain", "rest")), &r.domain))
        return json_null();
    if (sixmm_found_parse(f, strlen(f), &r.found) != 0)
        return json_null();
    r.signed_at_ms = (uint64_t)num(in, "signed_at_ms", 0);
    r.now_ms = (uint64_t)num(in, "now_ms", 0);
    r.clock_error_ms = json_is_integer(err) ? (uint32_t)json_integer_value(err)
                                            : SIXMM_CLOCK_ERROR_UNKNOWN;
    r.attempt = (unsigned)num(in, "attempt", 1);
    sixmm_reconcile(&r, 0, &lo);
    sixmm_reconcile(&r, UINT32_MAX, &hi);
    return json_pack("{s:s, s:I, s:I, s:s}", "step", sixmm_step_name(lo.step),
                     "delay_min_ms", (json_int_t)lo.delay_ms, "delay_max_ms",
                     (json_int_t)hi.delay_ms, "reason", lo.reason);
}

int main(void)
{
    char line[1 << 16];
    while (fgets(line, sizeof line, stdin)) {
        json_error_t jerr;
        json_t *c = json_loads(line, 0, &jerr), *out;
        const char *op = c ? str(c, "op", "") : "";
        const json_t *in = c ? json_object_get(c, "input") : NULL;
        char *text;

        out = strcmp(op, "lookup") == 0 ? lookup(in) : strcmp(op, "classify") == 0 ? classify(in)
            : strcmp(op, "reconcile") == 0 ? reconcile(in) : json_null();
        text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
        puts(text ? text : "null");
        free(text);
        json_decref(out);
        json_decref(c);
    }
    return 0;
}
