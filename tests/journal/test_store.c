/*
 * The journal's storage layer (src/journal/store.h), on a real SQLite file
 * in a fresh directory: rows by id round-trip and survive a reopen, pending
 * gives every row not done, a corrupt, foreign or locked file is a clear
 * error, and every put syncs the write-ahead log before it returns.
 */
#define _POSIX_C_SOURCE 200809L /* ftruncate, pwrite */

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "run_suite.h"
#include "store.h"
#include "sync_vfs.h"
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

static struct sixmm_journal *open_ok(uint32_t busy_ms)
{
    struct sixmm_journal *j = calloc(1, sizeof *j);
    ck_assert_ptr_nonnull(j);
    int rc = sixmm__store_open(j, path, busy_ms);
    ck_assert_msg(rc == 0, "open failed: %s", j->err);
    return j;
}

/* Opening must fail; returns the message. */
static const char *open_fails(struct sixmm_journal **out, uint32_t busy_ms)
{
    struct sixmm_journal *j = calloc(1, sizeof *j);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(sixmm__store_open(j, path, busy_ms), -1);
    ck_assert_msg(strstr(j->err, path) != NULL, "the message names the file: %s", j->err);
    *out = j;
    return j->err;
}

static void close_j(struct sixmm_journal *j)
{
    sixmm__store_close(j);
    free(j);
}

static void put_ok(struct sixmm_journal *j, const char *id, const char *text, int done)
{
    int rc = sixmm__store_put(j, id, (const unsigned char *)text, strlen(text), done);
    ck_assert_msg(rc == 0, "put %s failed: %s", id, j->err);
    ck_assert_str_eq(j->err, "");
}

static void get_is(struct sixmm_journal *j, const char *id, const char *text)
{
    store_row row;
    int rc = sixmm__store_get(j, id, &row);
    ck_assert_msg(rc == 0, "get %s: %d %s", id, rc, j->err);
    ck_assert_uint_eq(row.len, strlen(text));
    ck_assert_mem_eq(row.record, text, row.len);
}

/* A second, plain SQLite connection on the same file. */
static sqlite3 *other_connection(void)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

static void other_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
}

START_TEST(rows_round_trip_and_survive_a_reopen)
{
    struct sixmm_journal *j = open_ok(100);
    store_row row;
    ck_assert_int_eq(sixmm__store_get(j, "nothing", &row), STORE_NOT_FOUND);
    put_ok(j, "order-1", "first", 0);
    put_ok(j, "order-2", "second", 0);
    get_is(j, "order-1", "first");
    put_ok(j, "order-1", "replaced, longer than before", 1);
    get_is(j, "order-1", "replaced, longer than before");
    close_j(j);
    j = open_ok(100);
    get_is(j, "order-1", "replaced, longer than before");
    get_is(j, "order-2", "second");
    close_j(j);
}
END_TEST

START_TEST(ids_and_records_out_of_bounds_are_refused)
{
    struct sixmm_journal *j = open_ok(100);
    char id[STORE_ID_MAX + 2];
    unsigned char big[STORE_RECORD_MAX + 1] = {0};
    memset(id, 'x', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    ck_assert_int_eq(sixmm__store_put(j, id, big, 4, 0), -1);
    ck_assert_ptr_nonnull(strstr(j->err, "1 to 255 bytes"));
    ck_assert_int_eq(sixmm__store_put(j, "", big, 4, 0), -1);
    ck_assert_int_eq(sixmm__store_put(j, NULL, big, 4, 0), -1);
    ck_assert_int_eq(sixmm__store_put(j, "a", big, sizeof big, 0), -1);
    ck_assert_int_eq(sixmm__store_put(j, "a", big, 0, 0), -1);
    id[STORE_ID_MAX] = '\0';   /* the longest id is fine */
    ck_assert_int_eq(sixmm__store_put(j, id, big, 4, 0), 0);
    close_j(j);
}
END_TEST

struct seen {
    char ids[200][STORE_ID_MAX + 1];
    int n, stop_at;
    struct sixmm_journal *j;
    int put_inside;
};

static int collect(void *ctx, const store_row *row)
{
    struct seen *s = ctx;
    ck_assert_int_lt(s->n, 200);
    snprintf(s->ids[s->n++], sizeof s->ids[0], "%s", row->id);
    if (s->put_inside) {
        /* Marked done from the callback: committed before the put returns,
         * as another connection sees. */
        ck_assert_int_eq(sixmm__store_put(s->j, row->id, row->record, row->len, 1), 0);
        sqlite3 *db = other_connection();
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT done FROM intent WHERE id = ?1", -1,
                                            &st, NULL), SQLITE_OK);
        sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    return s->n == s->stop_at;
}

START_TEST(pending_gives_every_row_not_done_in_order_of_id)
{
    struct sixmm_journal *j = open_ok(100);
    char id[16];
    /* More rows than one batch, written in reverse order. */
    for (int i = 99; i >= 0; i--) {
        snprintf(id, sizeof id, "o-%03d", i);
        put_ok(j, id, "record", i % 3 == 0);
    }
    struct seen s = {.j = j};
    ck_assert_int_eq(sixmm__store_pending(j, collect, &s), 66);
    for (int i = 0, k = 0; i < 100; i++) {
        if (i % 3 == 0)
            continue;
        snprintf(id, sizeof id, "o-%03d", i);
        ck_assert_str_eq(s.ids[k++], id);
    }
    /* A nonzero return stops the walk. */
    memset(&s, 0, sizeof s);
    s.stop_at = 5;
    ck_assert_int_eq(sixmm__store_pending(j, collect, &s), 5);
    /* Puts from the callback are durable at once; afterwards none is pending. */
    memset(&s, 0, sizeof s);
    s.j = j;
    s.put_inside = 1;
    ck_assert_int_eq(sixmm__store_pending(j, collect, &s), 66);
    memset(&s, 0, sizeof s);
    ck_assert_int_eq(sixmm__store_pending(j, collect, &s), 0);
    close_j(j);
}
END_TEST

START_TEST(every_put_syncs_the_log_before_it_returns)
{
    sync_vfs_install();
    struct sixmm_journal *j = open_ok(100);
    char id[16];
    for (int i = 0; i < 20; i++) {
        unsigned long before = sync_vfs_wal_syncs();
        snprintf(id, sizeof id, "s-%d", i % 7);
        put_ok(j, id, "durable", i % 2);
        ck_assert_msg(sync_vfs_wal_syncs() > before, "put %d returned before the log was synced",
                      i);
    }
    close_j(j);
}
END_TEST

static void write_file(const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(a_file_that_is_not_a_database_is_refused)
{
    struct sixmm_journal *j;
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)('a' + i % 26);
    write_file(junk, sizeof junk);
    const char *err = open_fails(&j, 100);
    ck_assert_msg(strstr(err, "not a database") != NULL, "%s", err);
    close_j(j);
}
END_TEST

/* A journal of many rows, closed (so everything is in the main file). */
static off_t full_journal(void)
{
    struct sixmm_journal *j = open_ok(100);
    char id[32], rec[200];
    memset(rec, 'r', sizeof rec - 1);
    rec[sizeof rec - 1] = '\0';
    for (int i = 0; i < 400; i++) {
        snprintf(id, sizeof id, "order-%05d", i);
        put_ok(j, id, rec, i % 2);
    }
    close_j(j);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    off_t size = ftello(f);
    fclose(f);
    return size;
}

START_TEST(a_damaged_page_is_refused_at_open)
{
    off_t size = full_journal();
    int fd = open(path, O_WRONLY);
    char garbage[512];
    memset(garbage, 0x5a, sizeof garbage);
    ck_assert_int_ge(fd, 0);
    /* The middle of the file: b-tree pages, not the header. */
    ck_assert_int_eq(pwrite(fd, garbage, sizeof garbage, size / 2 + 100), (ssize_t)sizeof garbage);
    close(fd);
    struct sixmm_journal *j;
    const char *err = open_fails(&j, 100);
    ck_assert_msg(strstr(err, "corrupt") != NULL, "%s", err);
    close_j(j);
}
END_TEST

START_TEST(a_truncated_file_is_refused_at_open)
{
    off_t size = full_journal();
    ck_assert_int_eq(truncate(path, size / 3), 0);
    struct sixmm_journal *j;
    const char *err = open_fails(&j, 100);
    ck_assert_msg(strstr(err, "corrupt") != NULL, "%s", err);
    close_j(j);
}
END_TEST

START_TEST(a_database_of_another_application_is_not_written_into)
{
    sqlite3 *db = other_connection();
    other_exec(db, "CREATE TABLE ledger (x); INSERT INTO ledger VALUES (1)");
    sqlite3_close(db);
    struct sixmm_journal *j;
    const char *err = open_fails(&j, 100);
    ck_assert_msg(strstr(err, "not a journal") != NULL, "%s", err);
    close_j(j);
}
END_TEST

START_TEST(a_journal_of_a_later_layout_is_refused)
{
    close_j(open_ok(100));
    sqlite3 *db = other_connection();
    other_exec(db, "PRAGMA user_version = 7");
    sqlite3_close(db);
    struct sixmm_journal *j;
    const char *err = open_fails(&j, 100);
    ck_assert_msg(strstr(err, "layout 7") != NULL, "%s", err);
    close_j(j);
}
END_TEST

START_TEST(a_put_while_another_writer_holds_the_lock_fails_clearly)
{
    struct sixmm_journal *j = open_ok(100);
    put_ok(j, "order-1", "before", 0);
    sqlite3 *db = other_connection();
    other_exec(db, "BEGIN EXCLUSIVE; INSERT INTO intent VALUES ('other', x'00', 0)");
    ck_assert_int_eq(sixmm__store_put(j, "order-1", (const unsigned char *)"during", 6, 0), -1);
    ck_assert_msg(strstr(j->err, "locked") != NULL, "%s", j->err);
    other_exec(db, "COMMIT");
    /* Nothing was lost or half-written: the old row is there, and the put
     * goes through once the lock is free. */
    get_is(j, "order-1", "before");
    put_ok(j, "order-1", "after", 0);
    get_is(j, "order-1", "after");
    sqlite3_close(db);
    close_j(j);
}
END_TEST

START_TEST(an_open_while_another_connection_holds_the_file_fails_clearly)
{
    close_j(open_ok(100));
    sqlite3 *db = other_connection();
    other_exec(db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE");
    struct sixmm_journal *j;
    const char *err = open_fails(&j, 100);
    ck_assert_msg(strstr(err, "locked") != NULL, "%s", err);
    close_j(j);
    other_exec(db, "COMMIT");
    sqlite3_close(db);
    close_j(open_ok(100));
}
END_TEST

START_TEST(a_path_that_cannot_be_created_fails_clearly)
{
    tempdir_path(&tmp, "no/such/dir/journal.db", path, sizeof path);
    struct sixmm_journal *j;
    const char *err = open_fails(&j, 100);
    ck_assert_msg(strstr(err, "opening") != NULL, "%s", err);
    close_j(j);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("journal store");
    TCase *rows = tcase_create("rows");
    tcase_add_checked_fixture(rows, setup, teardown);
    tcase_add_test(rows, rows_round_trip_and_survive_a_reopen);
    tcase_add_test(rows, ids_and_records_out_of_bounds_are_refused);
    tcase_add_test(rows, pending_gives_every_row_not_done_in_order_of_id);
    tcase_add_test(rows, every_put_syncs_the_log_before_it_returns);
    suite_add_tcase(s, rows);
    TCase *bad = tcase_create("bad files");
    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_test(bad, a_file_that_is_not_a_database_is_refused);
    tcase_add_test(bad, a_damaged_page_is_refused_at_open);
    tcase_add_test(bad, a_truncated_file_is_refused_at_open);
    tcase_add_test(bad, a_database_of_another_application_is_not_written_into);
    tcase_add_test(bad, a_journal_of_a_later_layout_is_refused);
    tcase_add_test(bad, a_path_that_cannot_be_created_fails_clearly);
    suite_add_tcase(s, bad);
    TCase *locks = tcase_create("locks");
    tcase_add_checked_fixture(locks, setup, teardown);
    tcase_add_test(locks, a_put_while_another_writer_holds_the_lock_fails_clearly);
    tcase_add_test(locks, an_open_while_another_connection_holds_the_file_fails_clearly);
    suite_add_tcase(s, locks);
    return s;
}

int main(void)
{
    tempdir_base_make();
    int rc = run_suite(store_suite());
    tempdir_base_remove();
    return rc;
}
