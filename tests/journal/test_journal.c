/*
 * libsixmm-journal's public calls (<sixmm/journal.h>) on a real SQLite file
 * in a fresh directory: intents round-trip through put and get and survive
 * a reopen, pending gives exactly the intents not done, a torn or foreign
 * record is an error naming its id (never an intent, never skipped), and a
 * handle whose open failed refuses every call with the reason.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <sixmm/journal.h>

#include "intents.h"
#include "run_suite.h"
#include "tempdir.h"

static tempdir tmp;
static char path[512];

static void setup(void)
{
    tempdir_make(&tmp);
    tempdir_path(&tmp, "journal.db", path, sizeof path);
}

static void teardown(void)
{
    tempdir_remove(&tmp);
}

static sixmm_journal *open_ok(void)
{
    sixmm_journal *j = NULL;
    int rc = sixmm_journal_open_timeout(path, 200, &j);
    ck_assert_msg(rc == 0, "open: %s", sixmm_journal_errmsg(j));
    ck_assert_str_eq(sixmm_journal_errmsg(j), "");
    return j;
}

static sixmm_intent intent(uint32_t stamp, int done)
{
    sixmm_intent it;
    ck_assert_msg(test_intent(stamp, done, &it) == 0, "the machine took another path");
    return it;
}

/* Two intents are the same when their records are. */
static void same_intent(const sixmm_intent *a, const sixmm_intent *b)
{
    unsigned char ra[SIXMM_INTENT_RECORD_MAX], rb[SIXMM_INTENT_RECORD_MAX];
    size_t na = test_record(a, ra), nb = test_record(b, rb);
    ck_assert_uint_gt(na, 0);
    ck_assert_uint_eq(na, nb);
    ck_assert_mem_eq(ra, rb, na);
}

static void put_ok(sixmm_journal *j, const char *id, const sixmm_intent *it)
{
    ck_assert_msg(sixmm_journal_put(j, id, it) == 0, "put %s: %s", id, sixmm_journal_errmsg(j));
}

/* How a record is damaged behind the library's back. */
enum damage { CUT_SHORT, FLIPPED_BYTE, FOREIGN };

/* Damages the record of id, from a connection of its own. */
static void damage(const char *id, enum damage how)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    unsigned char rec[1024];
    int n;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT record FROM intent WHERE id = ?1", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_bytes(st, 0);
    ck_assert_int_gt(n, 24);
    ck_assert_int_le(n, (int)sizeof rec);
    memcpy(rec, sqlite3_column_blob(st, 0), (size_t)n);
    sqlite3_finalize(st);
    if (how == CUT_SHORT)
        n -= 3;
    else if (how == FLIPPED_BYTE)
        rec[n / 2] ^= 0x10;
    else
        for (int i = 0; i < n; i++)
            rec[i] = (unsigned char)(i * 7);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "UPDATE intent SET record = ?2 WHERE id = ?1", -1,
                                        &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, rec, n, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

START_TEST(an_intent_round_trips_and_survives_a_reopen)
{
    sixmm_journal *j = open_ok();
    sixmm_intent fresh = intent(1, 0), done = intent(2, 1), read;
    ck_assert_int_eq(sixmm_journal_get(j, "order-1", &read), SIXMM_JOURNAL_NOT_FOUND);
    put_ok(j, "order-1", &fresh);
    put_ok(j, "order-2", &done);
    ck_assert_int_eq(sixmm_journal_get(j, "order-1", &read), 0);
    same_intent(&read, &fresh);
    ck_assert(!sixmm_intent_is_done(&read));
    sixmm_journal_close(j);
    j = open_ok();
    ck_assert_int_eq(sixmm_journal_get(j, "order-2", &read), 0);
    same_intent(&read, &done);
    ck_assert(sixmm_intent_is_done(&read));
    ck_assert_int_eq(sixmm_intent_outcome(&read), SIXMM_OUTCOME_ACCEPTED);
    /* A later put replaces the record. */
    put_ok(j, "order-1", &done);
    ck_assert_int_eq(sixmm_journal_get(j, "order-1", &read), 0);
    same_intent(&read, &done);
    sixmm_journal_close(j);
}
END_TEST

struct walk {
    char ids[64][SIXMM_JOURNAL_ID_MAX + 1];
    int n;
};

static int remember(void *ctx, const char *id, const sixmm_intent *it)
{
    struct walk *w = ctx;
    ck_assert(!sixmm_intent_is_done(it));
    ck_assert_int_lt(w->n, 64);
    snprintf(w->ids[w->n++], sizeof w->ids[0], "%s", id);
    return 0;
}

START_TEST(pending_gives_exactly_the_intents_not_done)
{
    sixmm_journal *j = open_ok();
    char id[32];
    for (int i = 0; i < 40; i++) {
        sixmm_intent it = intent((uint32_t)i, i % 4 == 0);
        snprintf(id, sizeof id, "order-%02d", i);
        put_ok(j, id, &it);
    }
    struct walk w = {.n = 0};
    ck_assert_int_eq(sixmm_journal_pending(j, remember, &w), 30);
    for (int i = 0, k = 0; i < 40; i++)
        if (i % 4 != 0) {
            snprintf(id, sizeof id, "order-%02d", i);
            ck_assert_str_eq(w.ids[k++], id);
        }
    /* Finishing one takes it out. */
    sixmm_intent done = intent(99, 1);
    put_ok(j, "order-01", &done);
    w.n = 0;
    ck_assert_int_eq(sixmm_journal_pending(j, remember, &w), 29);
    ck_assert_str_eq(w.ids[0], "order-02");
    sixmm_journal_close(j);
}
END_TEST

static void torn(enum damage how, const char *what)
{
    sixmm_journal *j = open_ok();
    sixmm_intent it = intent(5, 0), before = intent(6, 0), read = before;
    put_ok(j, "order-a", &it);
    put_ok(j, "order-b", &it);
    sixmm_journal_close(j);
    damage("order-b", how);
    j = open_ok();
    ck_assert_int_eq(sixmm_journal_get(j, "order-b", &read), -1);
    const char *err = sixmm_journal_errmsg(j);
    ck_assert_msg(strstr(err, "order-b") && strstr(err, "torn or foreign"), "%s: %s", what, err);
    same_intent(&read, &before);   /* untouched */
    /* pending stops at it, with the same error, instead of skipping it. */
    struct walk w = {.n = 0};
    ck_assert_int_eq(sixmm_journal_pending(j, remember, &w), -1);
    ck_assert_ptr_nonnull(strstr(sixmm_journal_errmsg(j), "order-b"));
    ck_assert_int_eq(w.n, 1);   /* order-a came first */
    ck_assert_int_eq(sixmm_journal_get(j, "order-a", &read), 0);
    sixmm_journal_close(j);
}

START_TEST(a_record_cut_short_is_an_error_naming_its_id)
{
    torn(CUT_SHORT, "cut short");
}
END_TEST

START_TEST(a_record_with_a_flipped_byte_is_an_error_naming_its_id)
{
    torn(FLIPPED_BYTE, "flipped byte");
}
END_TEST

START_TEST(a_foreign_record_is_an_error_naming_its_id)
{
    torn(FOREIGN, "foreign");
}
END_TEST

START_TEST(a_handle_whose_open_failed_refuses_every_call)
{
    sixmm_journal *j = NULL;
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("this is not a database, and it is longer than a header would be......", f);
    for (int i = 0; i < 100; i++)
        fputs("................................................................", f);
    fclose(f);
    ck_assert_int_eq(sixmm_journal_open(path, &j), -1);
    ck_assert_ptr_nonnull(j);
    ck_assert_ptr_nonnull(strstr(sixmm_journal_errmsg(j), "not a database"));
    sixmm_intent it = intent(1, 0);
    struct walk w = {.n = 0};
    ck_assert_int_eq(sixmm_journal_put(j, "order-1", &it), -1);
    ck_assert_int_eq(sixmm_journal_get(j, "order-1", &it), -1);
    ck_assert_int_eq(sixmm_journal_pending(j, remember, &w), -1);
    ck_assert_str_ne(sixmm_journal_errmsg(j), "");
    sixmm_journal_close(j);
    ck_assert_str_eq(sixmm_journal_errmsg(NULL), "out of memory");
    sixmm_journal_close(NULL);
}
END_TEST

START_TEST(a_put_of_no_intent_is_refused)
{
    sixmm_journal *j = open_ok();
    ck_assert_int_eq(sixmm_journal_put(j, "order-1", NULL), -1);
    ck_assert_ptr_nonnull(strstr(sixmm_journal_errmsg(j), "not an intent"));
    sixmm_journal_close(j);
}
END_TEST

static Suite *journal_suite(void)
{
    Suite *s = suite_create("journal");
    TCase *tc = tcase_create("intents");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_intent_round_trips_and_survives_a_reopen);
    tcase_add_test(tc, pending_gives_exactly_the_intents_not_done);
    tcase_add_test(tc, a_put_of_no_intent_is_refused);
    suite_add_tcase(s, tc);
    TCase *bad = tcase_create("torn records");
    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_test(bad, a_record_cut_short_is_an_error_naming_its_id);
    tcase_add_test(bad, a_record_with_a_flipped_byte_is_an_error_naming_its_id);
    tcase_add_test(bad, a_foreign_record_is_an_error_naming_its_id);
    tcase_add_test(bad, a_handle_whose_open_failed_refuses_every_call);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    tempdir_base_make();
    int rc = run_suite(journal_suite());
    tempdir_base_remove();
    return rc;
}
