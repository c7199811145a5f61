/*
 * No lookup, accessor or classify call allocates.
 *
 * tests/support/alloc_counter.c counts every allocation of the process, the
 * library's included (static or shared). The counter is read before and
 * after each batch of library calls, over every entry and many edge cases,
 * and must not move. Not timed.
 *
 * Built with a sanitizer (which brings its own malloc), the counter is off
 * and the test reports itself skipped (exit 77).
 */
#define _POSIX_C_SOURCE 200809L

#include <sixmm/errinfo.h>

#include "alloc_counter.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static volatile uintptr_t sink; /* keeps every result alive */

/* BATCH(what, statements...): the statements may contain commas. */
#define BATCH(what, ...)                                                             \
    do {                                                                             \
        unsigned long before_ = alloc_count();                                             \
        __VA_ARGS__;                                                                 \
        if (alloc_count() != before_) {                                                    \
            fprintf(stderr, "FAIL %s: %lu allocation(s)\n", what, alloc_count() - before_); \
            failures++;                                                              \
        } else {                                                                     \
            printf("ok   %s\n", what);                                               \
        }                                                                            \
    } while (0)

static void touch_entry(const sixmm_entry *e)
{
    int l, f;
    size_t i;
    sink += (uintptr_t)sixmm_entry_domain(e) + (uintptr_t)sixmm_entry_kind(e);
    sink += (uintptr_t)sixmm_entry_code(e) + (uintptr_t)sixmm_entry_code_last(e);
    sink += (uintptr_t)sixmm_entry_name(e) + (uintptr_t)sixmm_entry_key(e);
    sink += (uintptr_t)sixmm_entry_category(e) + (uintptr_t)sixmm_entry_retry(e);
    sink += (uintptr_t)sixmm_entry_http_status(e) + (uintptr_t)sixmm_entry_doc_url(e);
    for (l = 0; l < 2; l++) {
        sink += (uintptr_t)sixmm_entry_description(e, (sixmm_lang)l);
        sink += (uintptr_t)sixmm_entry_remediation(e, (sixmm_lang)l);
        sink += (uintptr_t)sixmm_entry_troubleshooting(e, (sixmm_lang)l);
    }
    for (f = 0; f < 4; f++) {
        sink += (uintptr_t)sixmm_entry_source(e, (sixmm_field)f);
        sink += (uintptr_t)sixmm_entry_source_text(e, (sixmm_field)f);
    }
    for (i = 0; i <= sixmm_entry_related_count(e); i++)
        sink += (uintptr_t)sixmm_entry_related(e, i);
}

static void mixed_case(char *dst, const char *src, size_t n, unsigned seed)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = src[i];
        if ((seed >> (i % 16)) & 1u) {
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 32);
            else if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
        }
        dst[i] = c;
    }
    dst[n] = '\0';
}

static void strings(const char *s, size_t n)
{
    int d;
    for (d = -1; d <= SIXMM_DOMAIN_COUNT; d++) {
        sixmm_match m;
        sink += (uintptr_t)sixmm_lookup_name((sixmm_domain)d, s, n);
        sink += (uintptr_t)sixmm_lookup_message((sixmm_domain)d, s, n);
        sink += (uintptr_t)sixmm_lookup_id((sixmm_domain)d, s, n);
        sink += (uintptr_t)sixmm_lookup_text((sixmm_domain)d, s, n, &m) + (uintptr_t)m;
    }
}

static void classify_grid(void)
{
    static const int statuses[] = {0, 100, 200, 204, 302, 400, 401, 403, 404, 429,
                                   500, 501, 502, 503, 504, 599, 600, -1, INT_MAX};
    static const int64_t extra_codes[] = {0, 1, 999, 1500, 2999, 3099, 3113, 4001, 5999,
                                          6000, 102500, -5, INT64_MIN, INT64_MAX};
    static const unsigned attempts[] = {0, 1, 2, 3, 5, 10, 1000, UINT_MAX};
    const char *messages[16];
    size_t nmsg = 0, i, n = sixmm_entry_count();
    int d, s, h, idem;
    size_t a, c, mi;

    messages[nmsg++] = NULL;
    messages[nmsg++] = "";
    messages[nmsg++] = "some other server text";
    for (i = 0; i < n && nmsg < sizeof messages / sizeof messages[0]; i++) {
        sixmm_kind k = sixmm_entry_kind(sixmm_entry_at(i));
        if (k == SIXMM_KIND_MESSAGE || k == SIXMM_KIND_ID)
            messages[nmsg++] = sixmm_entry_key(sixmm_entry_at(i));
    }
    for (d = -1; d <= SIXMM_DOMAIN_COUNT; d++)
        for (s = 0; s < (int)(sizeof statuses / sizeof statuses[0]); s++)
            for (h = 0; h < 2; h++)
                for (c = 0; c < n + sizeof extra_codes / sizeof extra_codes[0]; c++) {
                    if (!h && c > 0)
                        break;
                    for (mi = 0; mi < nmsg; mi++)
                        for (idem = 0; idem < 2; idem++)
                            for (a = 0; a < sizeof attempts / sizeof attempts[0]; a++) {
                                sixmm_call call;
                                sixmm_advice adv;
                                memset(&call, 0, sizeof call);
                                call.domain = (sixmm_domain)d;
                                call.http_status = statuses[s];
                                call.has_code = h;
                                call.code = c < n ? sixmm_entry_code(sixmm_entry_at(c))
                                                  : extra_codes[c - n];
                                call.message = messages[mi];
                                call.message_len = messages[mi] ? strlen(messages[mi]) : 0;
                                call.idempotent = idem;
                                call.attempt = attempts[a];
                                sink += (uintptr_t)sixmm_classify(&call, (uint32_t)(a * 77u + c),
                                                                  &adv);
                                sink += (uintptr_t)adv.entry + adv.delay_ms +
                                        (uintptr_t)adv.reason;
                            }
                }
}

/* The retry loop: throttle, budget and reconcile over every domain and
 * their edge values. */
static void retry_loop_calls(void)
{
    static const uint64_t times[] = {0, 1, 999, 12000, 1700000000000u, UINT64_MAX - 1,
                                     UINT64_MAX};
    sixmm_throttle t;
    sixmm_budget b;
    sixmm_advice a;
    sixmm_reconcile_in in;
    sixmm_reconcile_out out;
    int d, f, r;
    size_t i, j;

    memset(&a, 0, sizeof a);
    a.reason = "";
    for (d = -1; d <= SIXMM_DOMAIN_COUNT; d++) {
        sink += (uintptr_t)sixmm_throttle_init(&t, (sixmm_domain)d);
        sink += (uintptr_t)sixmm_budget_init(&b, (sixmm_domain)d);
        for (r = 0; r < SIXMM_RETRY_COUNT; r++) {
            a.action = (sixmm_retry)r;
            a.resend = r & 1;
            a.delay_ms = (uint32_t)r * 1000u;
            sink += (uintptr_t)sixmm_budget_apply(&b, &a);
        }
        for (f = 0; f <= 4; f++)
            for (i = 0; i < sizeof times / sizeof times[0]; i++)
                for (j = 0; j < sizeof times / sizeof times[0]; j++) {
                    memset(&in, 0, sizeof in);
                    in.domain = (sixmm_domain)d;
                    in.found = (sixmm_found)f;
                    in.signed_at_ms = times[i];
                    in.now_ms = times[j];
                    in.clock_error_ms = (uint32_t)(times[j] & 0xFFFF);
                    in.attempt = (unsigned)(i + j);
                    sink += (uintptr_t)sixmm_reconcile(&in, (uint32_t)(i * 77u + j), &out);
                    sink += (uintptr_t)out.reason + out.delay_ms;
                }
    }
    sink += (uintptr_t)sixmm_throttle_init_custom(&t, 3, 2, 2);
    for (i = 0; i < sizeof times / sizeof times[0]; i++) {
        a.action = SIXMM_RETRY_BACKOFF;
        a.delay_ms = 500;
        sink += sixmm_throttle_acquire(&t, times[i]);
        sink += sixmm_throttle_acquire(&t, times[i]);
        sink += sixmm_throttle_acquire(&t, times[i]); /* busy */
        sixmm_throttle_feedback(&t, &a, times[i]);
        sixmm_throttle_release(&t, times[i]);
        sixmm_throttle_release(&t, times[i]);
    }
    sink += (uintptr_t)sixmm_reconcile(NULL, 0, &out) + sixmm_throttle_acquire(NULL, 0);
    sink += (uintptr_t)sixmm_budget_apply(NULL, &a);
}

/* The order machine: a clock and intents of every kind through answers of
 * every kind, queries of every answer, restarts and records, and the names
 * of its enums. */
static void machine_calls(void)
{
    static const int statuses[] = {0, 200, 401, 429, 500, 503};
    static const int64_t codes[] = {0, 1001, 1002, 3001, 3004, 3005, 5001, 5002, 5003};
    static const char *const found_status[] = {"", "NEW", "FILLED", "CANCELED", "PROCESSING",
                                               "SUCCESS", "REJECTED", "BOGUS"};
    sixmm_clock c;
    sixmm_throttle t;
    sixmm_budget b;
    unsigned char rec[SIXMM_INTENT_RECORD_MAX];
    int k, si, ci, step;

    sink += (uintptr_t)sixmm_clock_init(&c, 0);
    sink += (uintptr_t)sixmm_throttle_init_custom(&t, 1000, 100, 8);
    sink += (uintptr_t)sixmm_budget_init(&b, SIXMM_DOMAIN_REST);
    sink += (uintptr_t)sixmm_clock_sample(&c, 1000, 1700000000000, 1010);
    for (k = 0; k < SIXMM_INTENT_KIND_COUNT; k++)
        for (si = 0; si < 6; si++)
            for (ci = 0; ci < 9; ci++) {
                sixmm_intent it, back;
                sixmm_next out;
                sixmm_call call;
                uint64_t mono = 1010;
                memset(&call, 0, sizeof call);
                call.http_status = statuses[si];
                call.has_code = si > 0;
                call.code = codes[ci];
                sink += (uintptr_t)sixmm_intent_init(&it, SIXMM_DOMAIN_REST,
                                                     (sixmm_intent_kind)k, 1700000000000, 0);
                for (step = 0; step < 40; step++) {
                    sixmm_intent_next(&it, &c, &t, &b, mono, (uint32_t)step * 2654435761u, &out);
                    sink += (uintptr_t)out.reason + (uintptr_t)out.alert_reason;
                    if (out.todo == SIXMM_TODO_WAIT)
                        mono += out.wait_ms;
                    else if (out.todo == SIXMM_TODO_SYNC)
                        sixmm_clock_sample(&c, mono, 1700000000000 + (int64_t)mono - 1005,
                                           mono + 10);
                    else if (out.todo == SIXMM_TODO_SEND) {
                        sixmm_intent_sending(&it, out.sign_ms);
                        sixmm_intent_answer(&it, &call, mono);
                    } else if (out.todo == SIXMM_TODO_QUERY) {
                        const char *st = found_status[(size_t)step % 8];
                        sixmm_intent_querying(&it, out.sign_ms);
                        sixmm_intent_found(&it, (sixmm_found)(step % 4), st, strlen(st));
                    } else
                        break;
                    sink += sixmm_intent_encode(&it, rec, sizeof rec);
                    if (sixmm_intent_decode(&back, rec, sizeof rec / 2 + 42) == 0)
                        sink += (uintptr_t)sixmm_intent_restart(&back);
                }
                sink += (uintptr_t)sixmm_intent_outcome(&it) + sixmm_intent_status(&it) +
                        (uintptr_t)sixmm_intent_is_done(&it);
            }
    for (k = 0; k < SIXMM_STATUS_COUNT + 1; k++) {
        sixmm_status st;
        sink += (uintptr_t)sixmm_status_name((sixmm_status)k) +
                (uintptr_t)sixmm_status_wire((sixmm_status)k) +
                (uintptr_t)sixmm_status_text((sixmm_status)k, SIXMM_LANG_ZH) +
                (uintptr_t)sixmm_status_source_text((sixmm_status)k) +
                (uintptr_t)sixmm_status_group((sixmm_status)k);
        sink += (uintptr_t)sixmm_status_parse_wire("FILLED", 6, &st) +
                (uintptr_t)sixmm_status_parse("filled", 6, &st);
    }
    for (k = 0; k < SIXMM_INTENT_REASON_COUNT; k++)
        sink += (uintptr_t)sixmm_intent_reason_text((sixmm_intent_reason)k, SIXMM_LANG_EN);
}

int main(void)
{
    size_t i, n = sixmm_entry_count();
    static char big[70000];
    char buf[512];

    if (!alloc_counter_install()) {
        printf("skipped: built with a sanitizer, which owns malloc\n");
        return 77;
    }
    /* The counter must see allocations, or this test proves nothing. */
    {
        unsigned long before = alloc_count();
        void *p = malloc(16);
        sink += (uintptr_t)p;
        free(p);
        if (alloc_count() == before) {
            fprintf(stderr, "FAIL: the malloc interposer is not in effect\n");
            return 1;
        }
    }

    BATCH("sixmm_lookup over every code from -2000 to 200000, in every domain", {
        int d;
        int64_t c;
        for (d = -1; d <= SIXMM_DOMAIN_COUNT; d++)
            for (c = -2000; c <= 200000; c++) {
                sixmm_match m;
                sink += (uintptr_t)sixmm_lookup((sixmm_domain)d, c, &m) + (uintptr_t)m;
                sink += (uintptr_t)sixmm_lookup((sixmm_domain)d, c, NULL);
            }
    });
    BATCH("sixmm_lookup and sixmm_strerror at the int64 edges", {
        static const int64_t edges[] = {INT64_MIN, INT64_MIN + 1, -1, 0, INT32_MAX,
                                        (int64_t)INT32_MAX + 1, INT32_MIN, INT64_MAX};
        int d;
        for (d = -1; d <= SIXMM_DOMAIN_COUNT; d++)
            for (i = 0; i < sizeof edges / sizeof edges[0]; i++) {
                sixmm_match m;
                sink += (uintptr_t)sixmm_lookup((sixmm_domain)d, edges[i], &m) + (uintptr_t)m;
                sink += (uintptr_t)sixmm_strerror((sixmm_domain)d, edges[i]);
            }
    });
    BATCH("every entry: its accessors, and its name, key and code looked up", {
        for (i = 0; i <= n; i++) {
            const sixmm_entry *e = sixmm_entry_at(i);
            const char *name = sixmm_entry_name(e), *key = sixmm_entry_key(e);
            sixmm_match m;
            unsigned seed;
            touch_entry(e);
            strings(name, strlen(name));
            strings(key, strlen(key));
            for (seed = 1; seed < 8; seed++) {
                size_t len = strlen(name);
                mixed_case(buf, name, len, seed * 2654435761u);
                strings(buf, len);
                snprintf(buf, sizeof buf, "%s%s", seed & 1 ? "SIXMM_E_" : "sixmm_e_", name);
                strings(buf, strlen(buf));
                len = strlen(key) < sizeof buf - 1 ? strlen(key) : sizeof buf - 1;
                mixed_case(buf, key, len, seed * 40503u);
                strings(buf, len);
            }
            sink += (uintptr_t)sixmm_lookup(sixmm_entry_domain(e), sixmm_entry_code(e), &m);
            sink += (uintptr_t)sixmm_strerror(sixmm_entry_domain(e), sixmm_entry_code(e));
        }
        touch_entry(NULL);
    });
    BATCH("NULL, empty, very long, non-ASCII and binary strings", {
        static const char *const odd[] = {"", " ", "\xe4\xbb\xa4\xe7\x89\x8c", "\xff\xfe\x80",
                                          "sixmm_e_", "SIXMM_E_", "  1003  ", "+1003", "-0",
                                          "99999999999999999999", "10 03", "0x10"};
        int d;
        memset(big, 'A', sizeof big - 1);
        strings(big, sizeof big - 1);
        strings(big, 40);
        strings(big, 8);
        strings("a\0b", 3);
        for (i = 0; i < sizeof odd / sizeof odd[0]; i++)
            strings(odd[i], strlen(odd[i]));
        for (d = -1; d <= SIXMM_DOMAIN_COUNT; d++) {
            sixmm_match m;
            sink += (uintptr_t)sixmm_lookup_name((sixmm_domain)d, NULL, 5);
            sink += (uintptr_t)sixmm_lookup_message((sixmm_domain)d, NULL, 5);
            sink += (uintptr_t)sixmm_lookup_id((sixmm_domain)d, NULL, 5);
            sink += (uintptr_t)sixmm_lookup_text((sixmm_domain)d, NULL, 5, &m);
        }
    });
    BATCH("the retry loop: throttle, budget and reconcile", retry_loop_calls());
    BATCH("the order machine: clock, intents, records, enum names", machine_calls());
    BATCH("names of enum values, versions, domain parsing", {
        int v;
        sixmm_domain d;
        for (v = -1; v < 12; v++) {
            sink += (uintptr_t)sixmm_domain_name((sixmm_domain)v);
            sink += (uintptr_t)sixmm_category_name((sixmm_category)v);
            sink += (uintptr_t)sixmm_retry_name((sixmm_retry)v);
            sink += (uintptr_t)sixmm_retry_advice((sixmm_retry)v, SIXMM_LANG_EN);
            sink += (uintptr_t)sixmm_retry_advice((sixmm_retry)v, SIXMM_LANG_ZH);
            sink += (uintptr_t)sixmm_retry_max_resends((sixmm_retry)v);
            sink += (uintptr_t)sixmm_match_name((sixmm_match)v);
            sink += (uintptr_t)sixmm_kind_name((sixmm_kind)v);
        }
        sink += (uintptr_t)sixmm_version() + (uintptr_t)sixmm_catalog_version();
        sink += (uintptr_t)sixmm_catalog_digest();
        sink += (uintptr_t)sixmm_domain_parse("agent", 5, &d);
        sink += (uintptr_t)sixmm_domain_parse("nope", 4, &d);
    });
    BATCH("sixmm_classify over domains x statuses x codes x messages x attempts",
          classify_grid());
    BATCH("sixmm_backoff_ms and sixmm_backoff_policy", {
        unsigned a;
        int d;
        uint32_t base, cap;
        for (a = 0; a < 2000; a++)
            sink += sixmm_backoff_ms(100, 30000, a, a * 2654435761u);
        sink += sixmm_backoff_ms(UINT32_MAX, UINT32_MAX, UINT_MAX, UINT32_MAX);
        for (d = -1; d <= SIXMM_DOMAIN_COUNT; d++)
            sink += (uintptr_t)sixmm_backoff_policy((sixmm_domain)d, &base, &cap);
    });
    if (failures) {
        fprintf(stderr, "%d batch(es) allocated\n", failures);
        return 1;
    }
    printf("no allocation in any batch\n");
    return 0;
}
