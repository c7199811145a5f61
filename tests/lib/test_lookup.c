/*
 * Lookups, walked over the whole catalog and poked at the edges.
 */
#include <sixmm/errinfo.h>

#include "run_suite.h"

#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const sixmm_entry *lookup_rest(int64_t code, sixmm_match *m)
{
    return sixmm_lookup(SIXMM_DOMAIN_REST, code, m);
}

/* ---- walking the table both ways ---------------------------------------- */

START_TEST(every_code_entry_is_found_by_its_codes)
{
    size_t i, n = sixmm_entry_count();
    int seen = 0;
    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_kind k = sixmm_entry_kind(e);
        int64_t c;
        if (k != SIXMM_KIND_CODE && k != SIXMM_KIND_RANGE)
            continue;
        for (c = sixmm_entry_code(e); c <= sixmm_entry_code_last(e); c++) {
            sixmm_match m = SIXMM_MATCH_UNKNOWN;
            ck_assert_ptr_eq(sixmm_lookup(sixmm_entry_domain(e), c, &m), e);
            ck_assert_int_eq(m, k == SIXMM_KIND_RANGE ? SIXMM_MATCH_RANGE : SIXMM_MATCH_EXACT);
            seen++;
        }
    }
    /* 18 REST rows with 3100-3112 as 13 codes, plus 7 Agent codes. */
    ck_assert_int_eq(seen, 17 + 13 + 7);
}
END_TEST

START_TEST(every_entry_is_found_by_its_name_in_its_domain)
{
    size_t i, n = sixmm_entry_count();
    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        const char *name = sixmm_entry_name(e);
        ck_assert_msg(name[0] != '\0', "entry %zu has no name", i);
        ck_assert_ptr_eq(sixmm_lookup_name(sixmm_entry_domain(e), name, strlen(name)), e);
    }
}
END_TEST

START_TEST(every_message_and_id_is_found_by_its_key)
{
    size_t i, n = sixmm_entry_count();
    int messages = 0, ids = 0;
    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        const char *key = sixmm_entry_key(e);
        sixmm_domain d = sixmm_entry_domain(e);
        if (sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE) {
            ck_assert_ptr_eq(sixmm_lookup_message(d, key, strlen(key)), e);
            messages++;
        } else if (sixmm_entry_kind(e) == SIXMM_KIND_ID) {
            ck_assert_ptr_eq(sixmm_lookup_id(d, key, strlen(key)), e);
            ids++;
        }
    }
    ck_assert_int_eq(messages, 5);
    ck_assert_int_eq(ids, 2);
}
END_TEST

START_TEST(every_entry_has_text_and_provenance)
{
    size_t i, n = sixmm_entry_count();
    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        int f;
        ck_assert_str_ne(sixmm_entry_description(e, SIXMM_LANG_EN), "");
        ck_assert_str_ne(sixmm_entry_description(e, SIXMM_LANG_ZH), "");
        ck_assert_str_ne(sixmm_entry_remediation(e, SIXMM_LANG_EN), "");
        ck_assert_int_eq(strncmp(sixmm_entry_doc_url(e), "https://docs.6mm.com/", 21), 0);
        for (f = SIXMM_FIELD_DESCRIPTION; f <= SIXMM_FIELD_REMEDIATION; f++) {
            sixmm_source s = sixmm_entry_source(e, (sixmm_field)f);
            const char *t = sixmm_entry_source_text(e, (sixmm_field)f);
            ck_assert(s == SIXMM_SOURCE_DOCUMENTED || s == SIXMM_SOURCE_INFERRED);
            if (s == SIXMM_SOURCE_DOCUMENTED)
                ck_assert_int_eq(strncmp(t, "https://docs.6mm.com/", 21), 0);
            else
                ck_assert_msg(strlen(t) > 20, "entry %s: inferred without reasoning",
                              sixmm_entry_name(e));
        }
        ck_assert_int_lt(sixmm_entry_category(e), SIXMM_CATEGORY_COUNT);
        ck_assert_int_lt(sixmm_entry_retry(e), SIXMM_RETRY_COUNT);
        ck_assert_str_ne(sixmm_category_name(sixmm_entry_category(e)), "");
        ck_assert_str_ne(sixmm_retry_name(sixmm_entry_retry(e)), "");
    }
    ck_assert_ptr_null(sixmm_entry_at(n));
    ck_assert_ptr_null(sixmm_entry_at(SIZE_MAX));
}
END_TEST

START_TEST(messages_and_codes_are_linked_both_ways)
{
    const sixmm_entry *msg = sixmm_lookup_message(SIXMM_DOMAIN_REST, "Invalid token", 13);
    const sixmm_entry *code = lookup_rest(1003, NULL);
    size_t i, found = 0;
    ck_assert_ptr_nonnull(msg);
    ck_assert_uint_eq(sixmm_entry_related_count(msg), 1);
    ck_assert_ptr_eq(sixmm_entry_related(msg, 0), code);
    for (i = 0; i < sixmm_entry_related_count(code); i++)
        found += sixmm_entry_related(code, i) == msg;
    ck_assert_uint_eq(found, 1);
    ck_assert_ptr_null(sixmm_entry_related(msg, 1));
    ck_assert_ptr_eq(sixmm_entry_related(sixmm_lookup_message(SIXMM_DOMAIN_AGENT,
                                                              "order environment mismatch", 26), 0),
                     sixmm_lookup(SIXMM_DOMAIN_AGENT, 102002, NULL));
}
END_TEST

/* ---- the question from the README: what is 3107? ------------------------- */

START_TEST(code_3107_is_a_condition_order_error_to_fix_not_retry)
{
    sixmm_match m;
    const sixmm_entry *e = lookup_rest(3107, &m);
    ck_assert_int_eq(m, SIXMM_MATCH_RANGE);
    ck_assert_str_eq(sixmm_entry_name(e), "CONDITION_ORDER_INVALID");
    ck_assert_str_eq(sixmm_entry_key(e), "3100-3112");
    ck_assert_str_eq(sixmm_entry_description(e, SIXMM_LANG_EN),
                     "Condition order parameter validation error");
    ck_assert_str_eq(sixmm_entry_description(e, SIXMM_LANG_ZH), "条件单参数校验错误");
    ck_assert_int_eq(sixmm_entry_retry(e), SIXMM_RETRY_FIX_REQUEST);
    ck_assert_int_eq(sixmm_entry_code(e), SIXMM_E_CONDITION_ORDER_INVALID_FIRST);
    ck_assert_int_eq(sixmm_entry_code_last(e), SIXMM_E_CONDITION_ORDER_INVALID_LAST);
}
END_TEST

START_TEST(range_edges_are_exact)
{
    sixmm_match m;
    const sixmm_entry *range = lookup_rest(3100, &m);
    ck_assert_int_eq(m, SIXMM_MATCH_RANGE);
    ck_assert_ptr_eq(lookup_rest(3112, &m), range);
    ck_assert_int_eq(m, SIXMM_MATCH_RANGE);
    ck_assert_ptr_ne(lookup_rest(3099, &m), range);
    ck_assert_int_eq(m, SIXMM_MATCH_CLASS);
    ck_assert_ptr_ne(lookup_rest(3113, &m), range);
    ck_assert_int_eq(m, SIXMM_MATCH_CLASS);
}
END_TEST

/* ---- fallbacks ---------------------------------------------------------- */

START_TEST(unknown_code_falls_back_to_its_block)
{
    static const struct { int64_t code; sixmm_category cat; sixmm_retry retry; } rows[] = {
        {1005, SIXMM_CATEGORY_AUTH, SIXMM_RETRY_CHECK_CREDENTIALS},
        {1999, SIXMM_CATEGORY_AUTH, SIXMM_RETRY_CHECK_CREDENTIALS},
        {2000, SIXMM_CATEGORY_REQUEST, SIXMM_RETRY_FIX_REQUEST},
        {3002, SIXMM_CATEGORY_BUSINESS, SIXMM_RETRY_NEVER},
        {3999, SIXMM_CATEGORY_BUSINESS, SIXMM_RETRY_NEVER},
        {5004, SIXMM_CATEGORY_SERVER, SIXMM_RETRY_RECONCILE},
        {5999, SIXMM_CATEGORY_SERVER, SIXMM_RETRY_RECONCILE},
    };
    size_t i;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sixmm_match m = SIXMM_MATCH_EXACT;
        const sixmm_entry *e = lookup_rest(rows[i].code, &m);
        ck_assert_int_eq(m, SIXMM_MATCH_CLASS);
        ck_assert_int_eq(sixmm_entry_kind(e), SIXMM_KIND_CLASS);
        ck_assert_int_eq(sixmm_entry_category(e), rows[i].cat);
        ck_assert_int_eq(sixmm_entry_retry(e), rows[i].retry);
        ck_assert_int_eq(sixmm_entry_source(e, SIXMM_FIELD_RETRY), SIXMM_SOURCE_INFERRED);
    }
    ck_assert_int_eq(sixmm_lookup(SIXMM_DOMAIN_AGENT, 102999, NULL) != NULL, 1);
}
END_TEST

START_TEST(codes_outside_every_block_are_unknown)
{
    static const int64_t codes[] = {1, 999, 4000, 4999, 6000, 9999, 102000 - 1, 1000000,
                                    -1, -1001, INT_MIN, INT_MAX, INT64_MIN, INT64_MAX,
                                    (int64_t)UINT32_MAX + 1003};
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        sixmm_match m = SIXMM_MATCH_EXACT;
        ck_assert_ptr_null(lookup_rest(codes[i], &m));
        ck_assert_int_eq(m, SIXMM_MATCH_UNKNOWN);
        ck_assert_ptr_null(sixmm_lookup(SIXMM_DOMAIN_AGENT, codes[i], &m));
        ck_assert_int_eq(m, SIXMM_MATCH_UNKNOWN);
    }
    ck_assert_ptr_null(sixmm_lookup(SIXMM_DOMAIN_WIDGET, 1003, NULL));
    ck_assert_ptr_null(sixmm_lookup((sixmm_domain)SIXMM_DOMAIN_COUNT, 1003, NULL));
    ck_assert_ptr_null(sixmm_lookup((sixmm_domain)-1, 1003, NULL));
}
END_TEST

START_TEST(the_same_number_means_different_things_per_domain)
{
    /* 6001 is the Agent API's signature error; in REST it is no code and in
     * no block. 1003 is REST only. */
    sixmm_match m;
    ck_assert_str_eq(sixmm_entry_name(sixmm_lookup(SIXMM_DOMAIN_AGENT, 6001, &m)),
                     "SIGNATURE_ERROR");
    ck_assert_int_eq(m, SIXMM_MATCH_EXACT);
    ck_assert_ptr_null(lookup_rest(6001, &m));
    ck_assert_ptr_null(sixmm_lookup(SIXMM_DOMAIN_AGENT, 1003, &m));
    ck_assert_ptr_ne(sixmm_lookup_name(SIXMM_DOMAIN_REST, "MISSING_PARAMETER", 17),
                     sixmm_lookup_name(SIXMM_DOMAIN_AGENT, "MISSING_PARAMETER", 17));
}
END_TEST

/* ---- strings ------------------------------------------------------------ */

START_TEST(names_ignore_case_and_accept_the_c_spelling)
{
    const sixmm_entry *e = lookup_rest(1002, NULL);
    static const char *const spellings[] = {"TOKEN_EXPIRED", "token_expired", "Token_Expired",
                                            "SIXMM_E_TOKEN_EXPIRED", "sixmm_e_token_expired"};
    size_t i;
    for (i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        ck_assert_ptr_eq(sixmm_lookup_name(SIXMM_DOMAIN_REST, spellings[i], strlen(spellings[i])), e);
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, "TOKEN_EXPIRE", 12));
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, "TOKEN_EXPIREDX", 14));
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, "TOKEN-EXPIRED", 13));
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, "SIXMM_E_", 8));
    /* The length decides, not a NUL: a prefix of a longer buffer matches. */
    ck_assert_ptr_eq(sixmm_lookup_name(SIXMM_DOMAIN_REST, "TOKEN_EXPIRED_AND_MORE", 13), e);
}
END_TEST

START_TEST(messages_ignore_case_but_not_spacing)
{
    const char *t = "TIMESTAMP OUTSIDE OF TOLERANCE WINDOW";
    const sixmm_entry *e = sixmm_lookup_message(SIXMM_DOMAIN_REST, t, strlen(t));
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(sixmm_entry_retry(e), SIXMM_RETRY_RESYNC_CLOCK);
    ck_assert_ptr_null(sixmm_lookup_message(SIXMM_DOMAIN_REST, "Timestamp  outside", 18));
    ck_assert_ptr_null(sixmm_lookup_message(SIXMM_DOMAIN_AGENT, t, strlen(t)));
}
END_TEST

START_TEST(ids_are_exact_case)
{
    ck_assert_ptr_nonnull(sixmm_lookup_id(SIXMM_DOMAIN_WIDGET, "auth_exchange_failed", 20));
    ck_assert_ptr_null(sixmm_lookup_id(SIXMM_DOMAIN_WIDGET, "AUTH_EXCHANGE_FAILED", 20));
    ck_assert_ptr_null(sixmm_lookup_id(SIXMM_DOMAIN_REST, "auth_exchange_failed", 20));
}
END_TEST

START_TEST(null_empty_long_and_binary_strings_find_nothing)
{
    char big[4096];
    static const char nul_inside[] = "TOKEN\0EXPIRED";
    static const char utf8[] = "令牌已过期";
    static const char bad_utf8[] = "\xff\xfe\xc0\x80";
    memset(big, 'A', sizeof big);
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, NULL, 5));
    ck_assert_ptr_null(sixmm_lookup_message(SIXMM_DOMAIN_REST, NULL, 5));
    ck_assert_ptr_null(sixmm_lookup_id(SIXMM_DOMAIN_WIDGET, NULL, 5));
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, "", 0));
    ck_assert_ptr_null(sixmm_lookup_message(SIXMM_DOMAIN_REST, "", 0));
    ck_assert_ptr_null(sixmm_lookup_id(SIXMM_DOMAIN_WIDGET, "", 0));
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, big, sizeof big));
    ck_assert_ptr_null(sixmm_lookup_message(SIXMM_DOMAIN_REST, big, sizeof big));
    ck_assert_ptr_null(sixmm_lookup_id(SIXMM_DOMAIN_WIDGET, big, sizeof big));
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, nul_inside, sizeof nul_inside - 1));
    ck_assert_ptr_null(sixmm_lookup_name(SIXMM_DOMAIN_REST, utf8, sizeof utf8 - 1));
    ck_assert_ptr_null(sixmm_lookup_message(SIXMM_DOMAIN_REST, bad_utf8, sizeof bad_utf8 - 1));
    ck_assert_ptr_null(sixmm_lookup_name((sixmm_domain)7, "TOKEN_EXPIRED", 13));
}
END_TEST

START_TEST(decimal_text_parses_like_a_log_line)
{
    int64_t c = 42;
    sixmm_match m;
    ck_assert_int_eq(sixmm_parse_code("3107", 4, &c), 0);
    ck_assert_int_eq(c, 3107);
    ck_assert_int_eq(sixmm_parse_code(" \t1003\n", 7, &c), 0);
    ck_assert_int_eq(c, 1003);
    ck_assert_int_eq(sixmm_parse_code("-5", 2, &c), 0);
    ck_assert_int_eq(c, -5);
    ck_assert_int_eq(sixmm_parse_code("+0", 2, &c), 0);
    ck_assert_int_eq(c, 0);
    ck_assert_int_eq(sixmm_parse_code("9223372036854775807", 19, &c), 0);
    ck_assert(c == INT64_MAX);
    ck_assert_int_eq(sixmm_parse_code("-9223372036854775808", 20, &c), 0);
    ck_assert(c == INT64_MIN);
    c = 42;
    ck_assert_int_eq(sixmm_parse_code("9223372036854775808", 19, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("-9223372036854775809", 20, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("99999999999999999999999", 23, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("", 0, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("   ", 3, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("-", 1, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("12a", 3, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("0x10", 4, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("1 2", 3, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("10\0" "03", 5, &c), -1);
    ck_assert_int_eq(sixmm_parse_code(NULL, 3, &c), -1);
    ck_assert_int_eq(sixmm_parse_code("1", 1, NULL), -1);
    ck_assert_int_eq(c, 42);
    ck_assert_ptr_eq(sixmm_lookup_text(SIXMM_DOMAIN_REST, "1002", 4, &m), lookup_rest(1002, NULL));
    ck_assert_int_eq(m, SIXMM_MATCH_EXACT);
    m = SIXMM_MATCH_EXACT;
    ck_assert_ptr_null(sixmm_lookup_text(SIXMM_DOMAIN_REST, "junk", 4, &m));
    ck_assert_int_eq(m, SIXMM_MATCH_UNKNOWN);
}
END_TEST

START_TEST(text_functions_never_return_null)
{
    ck_assert_str_eq(sixmm_strerror(SIXMM_DOMAIN_REST, 1002), "Token expired");
    ck_assert_str_eq(sixmm_strerror(SIXMM_DOMAIN_REST, 3107), "Condition order parameter validation error");
    ck_assert_str_eq(sixmm_strerror(SIXMM_DOMAIN_REST, 4000), "Unknown 6MM error code");
    ck_assert_str_eq(sixmm_strerror((sixmm_domain)99, 1002), "Unknown 6MM error code");
    ck_assert_str_eq(sixmm_entry_name(NULL), "");
    ck_assert_str_eq(sixmm_entry_key(NULL), "");
    ck_assert_str_eq(sixmm_entry_description(NULL, SIXMM_LANG_ZH), "");
    ck_assert_str_eq(sixmm_entry_remediation(NULL, SIXMM_LANG_EN), "");
    ck_assert_str_eq(sixmm_entry_troubleshooting(NULL, SIXMM_LANG_EN), "");
    ck_assert_str_eq(sixmm_entry_doc_url(NULL), "");
    ck_assert_str_eq(sixmm_entry_source_text(NULL, SIXMM_FIELD_RETRY), "");
    ck_assert_int_eq(sixmm_entry_source(NULL, SIXMM_FIELD_RETRY), SIXMM_SOURCE_NONE);
    ck_assert_str_eq(sixmm_entry_source_text(lookup_rest(1002, NULL), (sixmm_field)9), "");
    ck_assert_uint_eq(sixmm_entry_related_count(NULL), 0);
    ck_assert_ptr_null(sixmm_entry_related(NULL, 0));
    ck_assert_int_eq(sixmm_entry_http_status(NULL), 0);
    ck_assert_str_eq(sixmm_domain_name((sixmm_domain)99), "");
    ck_assert_str_eq(sixmm_category_name((sixmm_category)99), "");
    ck_assert_str_eq(sixmm_retry_name((sixmm_retry)99), "");
    ck_assert_str_eq(sixmm_retry_advice((sixmm_retry)99, SIXMM_LANG_EN), "");
    ck_assert_str_eq(sixmm_match_name((sixmm_match)99), "");
    ck_assert_str_eq(sixmm_kind_name((sixmm_kind)99), "");
}
END_TEST

START_TEST(chinese_falls_back_to_english)
{
    const sixmm_entry *e = lookup_rest(1004, NULL);
    /* 1004 has a Chinese description upstream but no upstream remediation. */
    ck_assert_str_eq(sixmm_entry_description(e, SIXMM_LANG_ZH), "Token 已被撤销");
    ck_assert_str_eq(sixmm_entry_remediation(e, SIXMM_LANG_ZH),
                     sixmm_entry_remediation(e, SIXMM_LANG_EN));
    ck_assert_str_eq(sixmm_entry_description(e, (sixmm_lang)5),
                     sixmm_entry_description(e, SIXMM_LANG_EN));
}
END_TEST

START_TEST(enum_names_round_trip)
{
    int d;
    sixmm_domain out;
    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++) {
        const char *n = sixmm_domain_name((sixmm_domain)d);
        ck_assert_int_eq(sixmm_domain_parse(n, strlen(n), &out), 0);
        ck_assert_int_eq(out, d);
    }
    ck_assert_int_eq(sixmm_domain_parse("REST", 4, &out), -1);
    ck_assert_int_eq(sixmm_domain_parse("res", 3, &out), -1);
    ck_assert_int_eq(sixmm_domain_parse(NULL, 0, &out), -1);
    ck_assert_str_eq(sixmm_retry_name(SIXMM_RETRY_RESYNC_CLOCK), "resync_clock");
    ck_assert_str_eq(sixmm_category_name(SIXMM_CATEGORY_RATE_LIMIT), "rate_limit");
    ck_assert_str_eq(sixmm_match_name(SIXMM_MATCH_CLASS), "class");
    ck_assert_str_eq(sixmm_kind_name(SIXMM_KIND_RANGE), "range");
    ck_assert_int_eq(sixmm_retry_max_resends(SIXMM_RETRY_FIX_REQUEST), 0);
    ck_assert_int_gt(sixmm_retry_max_resends(SIXMM_RETRY_BACKOFF), 0);
}
END_TEST

START_TEST(versions_name_the_catalog)
{
    size_t i;
    const char *digest = sixmm_catalog_digest();
    ck_assert_str_eq(sixmm_catalog_version(), SIXMM_CATALOG_VERSION);
    ck_assert_str_eq(digest, SIXMM_CATALOG_DIGEST);
    ck_assert_uint_eq(strlen(digest), 64);
    for (i = 0; i < 64; i++)
        ck_assert(strchr("0123456789abcdef", digest[i]) != NULL);
    ck_assert_str_ne(sixmm_version(), "");
}
END_TEST

static Suite *lookup_suite(void)
{
    Suite *s = suite_create("lookup");
    TCase *walk = tcase_create("walk");
    TCase *codes = tcase_create("codes");
    TCase *strings = tcase_create("strings");
    TCase *texts = tcase_create("texts");

    tcase_add_test(walk, every_code_entry_is_found_by_its_codes);
    tcase_add_test(walk, every_entry_is_found_by_its_name_in_its_domain);
    tcase_add_test(walk, every_message_and_id_is_found_by_its_key);
    tcase_add_test(walk, every_entry_has_text_and_provenance);
    tcase_add_test(walk, messages_and_codes_are_linked_both_ways);
    suite_add_tcase(s, walk);

    tcase_add_test(codes, code_3107_is_a_condition_order_error_to_fix_not_retry);
    tcase_add_test(codes, range_edges_are_exact);
    tcase_add_test(codes, unknown_code_falls_back_to_its_block);
    tcase_add_test(codes, codes_outside_every_block_are_unknown);
    tcase_add_test(codes, the_same_number_means_different_things_per_domain);
    suite_add_tcase(s, codes);

    tcase_add_test(strings, names_ignore_case_and_accept_the_c_spelling);
    tcase_add_test(strings, messages_ignore_case_but_not_spacing);
    tcase_add_test(strings, ids_are_exact_case);
    tcase_add_test(strings, null_empty_long_and_binary_strings_find_nothing);
    tcase_add_test(strings, decimal_text_parses_like_a_log_line);
    suite_add_tcase(s, strings);

    tcase_add_test(texts, text_functions_never_return_null);
    tcase_add_test(texts, chinese_falls_back_to_english);
    tcase_add_test(texts, enum_names_round_trip);
    tcase_add_test(texts, versions_name_the_catalog);
    suite_add_tcase(s, texts);
    return s;
}

int main(void)
{
    return run_suite(lookup_suite());
}
