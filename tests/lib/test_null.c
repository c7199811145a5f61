/*
 * Safe defaults: every accessor answers "nothing known" for a NULL entry
 * (what a failed lookup returns), never "success". Only code 0 is success.
 */
#include <check.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

/* What a caller who forgets the NULL check gets after a failed lookup. */
static const sixmm_entry *missing(void)
{
    sixmm_match m;
    const sixmm_entry *e = sixmm_lookup(SIXMM_DOMAIN_REST, 987654321, &m);
    ck_assert_int_eq(m, SIXMM_MATCH_UNKNOWN);
    return e;
}

START_TEST(null_entry_retry_is_reconcile)
{
    ck_assert_int_eq(sixmm_entry_retry(NULL), SIXMM_RETRY_RECONCILE);
    ck_assert_int_eq(sixmm_entry_retry(missing()), SIXMM_RETRY_RECONCILE);
}
END_TEST

START_TEST(null_entry_category_is_unknown_not_success)
{
    ck_assert_int_eq(sixmm_entry_category(NULL), SIXMM_CATEGORY_UNKNOWN);
    ck_assert_int_ne(sixmm_entry_category(missing()), SIXMM_CATEGORY_SUCCESS);
    ck_assert_str_eq(sixmm_category_name(SIXMM_CATEGORY_UNKNOWN), "unknown");
}
END_TEST

START_TEST(null_entry_code_is_not_zero)
{
    ck_assert_int_eq(sixmm_entry_code(NULL), -1);
    ck_assert_int_eq(sixmm_entry_code_last(NULL), -1);
}
END_TEST

START_TEST(null_entry_numbers_are_nothing)
{
    ck_assert_int_eq(sixmm_entry_http_status(NULL), 0);
    ck_assert_int_eq(sixmm_entry_domain(NULL), SIXMM_DOMAIN_REST);
    ck_assert_int_eq(sixmm_entry_kind(NULL), SIXMM_KIND_CODE);
    ck_assert_uint_eq(sixmm_entry_related_count(NULL), 0);
    ck_assert_ptr_null(sixmm_entry_related(NULL, 0));
}
END_TEST

START_TEST(null_entry_texts_are_empty)
{
    int lang;
    ck_assert_str_eq(sixmm_entry_name(NULL), "");
    ck_assert_str_eq(sixmm_entry_key(NULL), "");
    ck_assert_str_eq(sixmm_entry_doc_url(NULL), "");
    for (lang = SIXMM_LANG_EN; lang <= SIXMM_LANG_ZH; lang++) {
        ck_assert_str_eq(sixmm_entry_description(NULL, (sixmm_lang)lang), "");
        ck_assert_str_eq(sixmm_entry_remediation(NULL, (sixmm_lang)lang), "");
        ck_assert_str_eq(sixmm_entry_troubleshooting(NULL, (sixmm_lang)lang), "");
    }
}
END_TEST

START_TEST(null_entry_has_no_source)
{
    int f;
    for (f = SIXMM_FIELD_DESCRIPTION; f <= SIXMM_FIELD_REMEDIATION; f++) {
        ck_assert_int_eq(sixmm_entry_source(NULL, (sixmm_field)f), SIXMM_SOURCE_NONE);
        ck_assert_str_eq(sixmm_entry_source_text(NULL, (sixmm_field)f), "");
    }
}
END_TEST

START_TEST(enum_names_out_of_range_are_empty)
{
    ck_assert_str_eq(sixmm_category_name((sixmm_category)SIXMM_CATEGORY_COUNT), "");
    ck_assert_str_eq(sixmm_retry_name((sixmm_retry)SIXMM_RETRY_COUNT), "");
    ck_assert_str_eq(sixmm_retry_advice((sixmm_retry)SIXMM_RETRY_COUNT, SIXMM_LANG_EN), "");
    ck_assert_int_eq(sixmm_retry_max_resends((sixmm_retry)SIXMM_RETRY_COUNT), 0);
    ck_assert_str_eq(sixmm_domain_name((sixmm_domain)SIXMM_DOMAIN_COUNT), "");
}
END_TEST

START_TEST(the_machine_takes_null_and_garbage)
{
    sixmm_intent it;
    sixmm_next out;
    sixmm_clock c;
    sixmm_call call;
    unsigned char rec[SIXMM_INTENT_RECORD_MAX];

    memset(&it, 0xA5, sizeof it); /* never initialised */
    memset(&call, 0, sizeof call);
    sixmm_clock_init(&c, 0);
    ck_assert_int_eq(sixmm_intent_next(NULL, &c, NULL, NULL, 0, 0, &out), -1);
    ck_assert_int_eq(out.todo, SIXMM_TODO_ESCALATE);
    ck_assert_str_ne(out.reason, "");
    ck_assert_str_eq(out.alert_reason, "");
    ck_assert_int_eq(sixmm_intent_next(&it, &c, NULL, NULL, 0, 0, &out), -1);
    ck_assert_int_eq(sixmm_intent_next(&it, NULL, NULL, NULL, 0, 0, &out), -1);
    ck_assert_int_eq(sixmm_intent_next(&it, &c, NULL, NULL, 0, 0, NULL), -1);
    ck_assert_int_eq(sixmm_intent_init(NULL, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, 0, 0), -1);
    ck_assert_int_eq(sixmm_intent_init(&it, SIXMM_DOMAIN_COUNT, SIXMM_INTENT_PLACE, 0, 0), -1);
    ck_assert_int_eq(sixmm_intent_init(&it, SIXMM_DOMAIN_REST, SIXMM_INTENT_KIND_COUNT, 0, 0), -1);
    ck_assert_int_eq(sixmm_intent_set_flags(&it, 0), -1);
    ck_assert_int_eq(sixmm_intent_sending(&it, 0), -1);
    ck_assert_int_eq(sixmm_intent_not_sent(&it), -1);
    ck_assert_int_eq(sixmm_intent_answer(&it, &call, 0), -1);
    ck_assert_int_eq(sixmm_intent_querying(&it, 0), -1);
    ck_assert_int_eq(sixmm_intent_found(&it, SIXMM_FOUND_NONE, "", 0), -1);
    ck_assert_int_eq(sixmm_intent_restart(&it), -1);
    ck_assert_uint_eq(sixmm_intent_encode(&it, rec, sizeof rec), 0);
    ck_assert_int_eq(sixmm_intent_outcome(&it), SIXMM_OUTCOME_UNKNOWN);
    ck_assert_int_eq(sixmm_intent_is_done(&it), 0);
    ck_assert_int_eq(sixmm_intent_sending(NULL, 0), -1);
    ck_assert_int_eq(sixmm_intent_not_sent(NULL), -1);
    ck_assert_int_eq(sixmm_intent_answer(NULL, &call, 0), -1);
    ck_assert_int_eq(sixmm_intent_querying(NULL, 0), -1);
    ck_assert_int_eq(sixmm_intent_found(NULL, SIXMM_FOUND_NONE, "", 0), -1);
    ck_assert_int_eq(sixmm_intent_restart(NULL), -1);
    ck_assert_int_eq(sixmm_intent_set_flags(NULL, 0), -1);
    ck_assert_int_eq(sixmm_intent_outcome(NULL), SIXMM_OUTCOME_UNKNOWN);
    ck_assert_int_eq(sixmm_intent_status(NULL), SIXMM_STATUS_UNKNOWN);
    ck_assert_int_eq(sixmm_intent_is_done(NULL), 0);
    ck_assert_uint_eq(sixmm_intent_encode(NULL, rec, sizeof rec), 0);
    ck_assert_int_eq(sixmm_intent_decode(NULL, rec, sizeof rec), -1);
    ck_assert_int_eq(sixmm_intent_decode(&it, NULL, 86), -1);
    ck_assert_int_eq(sixmm_intent_init(&it, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, 0, 0), 0);
    ck_assert_int_eq(sixmm_intent_answer(&it, NULL, 0), -1);
    ck_assert_int_eq(sixmm_intent_found(&it, (sixmm_found)9, "", 0), -1);
    ck_assert_int_eq(sixmm_intent_found(&it, SIXMM_FOUND_NONE, NULL, 3), -1);
    ck_assert_str_eq(sixmm_todo_name((sixmm_todo)SIXMM_TODO_COUNT), "");
    ck_assert_str_eq(sixmm_intent_reason_text((sixmm_intent_reason)-1, SIXMM_LANG_EN), "");
    ck_assert_int_eq(sixmm_status_group((sixmm_status)SIXMM_STATUS_COUNT), SIXMM_GROUP_NONE);
    ck_assert_int_eq(sixmm_outcome_parse(NULL, 3, NULL), -1);
}
END_TEST

/* The catalog's side of "only code 0 is success": no entry is filed under
 * unknown, and a code entry of category success has code 0. */
START_TEST(only_code_zero_entries_are_success)
{
    size_t i;
    for (i = 0; i < sixmm_entry_count(); i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_kind k = sixmm_entry_kind(e);
        ck_assert_int_ne(sixmm_entry_category(e), SIXMM_CATEGORY_UNKNOWN);
        if (sixmm_entry_category(e) == SIXMM_CATEGORY_SUCCESS &&
            (k == SIXMM_KIND_CODE || k == SIXMM_KIND_RANGE))
            ck_assert_int_eq(sixmm_entry_code(e), 0);
    }
}
END_TEST

static Suite *null_suite(void)
{
    Suite *s = suite_create("safe defaults");
    TCase *t = tcase_create("NULL entry");
    tcase_add_test(t, null_entry_retry_is_reconcile);
    tcase_add_test(t, the_machine_takes_null_and_garbage);
    tcase_add_test(t, null_entry_category_is_unknown_not_success);
    tcase_add_test(t, null_entry_code_is_not_zero);
    tcase_add_test(t, null_entry_numbers_are_nothing);
    tcase_add_test(t, null_entry_texts_are_empty);
    tcase_add_test(t, null_entry_has_no_source);
    suite_add_tcase(s, t);
    t = tcase_create("values");
    tcase_add_test(t, enum_names_out_of_range_are_empty);
    tcase_add_test(t, only_code_zero_entries_are_success);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(null_suite());
}
