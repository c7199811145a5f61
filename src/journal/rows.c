/* rows.c: the rows of the journal's one table, as bytes. Each put is one
 * autocommit statement, so it is one transaction: with WAL and
 * synchronous=FULL (open.c) SQLite syncs the log before the step returns. */
#include "store.h"

#include <stdio.h>
#include <string.h>

static int check_id(struct sixmm_journal *j, const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > STORE_ID_MAX)
        return sixmm__store_fail(j, "a client order id has 1 to %d bytes, not %zu",
                                 STORE_ID_MAX, n);
    return 0;
}

int sixmm__store_put(struct sixmm_journal *j, const char *id, const unsigned char *record,
                     size_t len, int done)
{
    if (check_id(j, id) != 0)
        return -1;
    if (!record || len == 0 || len > STORE_RECORD_MAX)
        return sixmm__store_fail(j, "%s: a record has 1 to %d bytes, not %zu", id,
                                 STORE_RECORD_MAX, len);
    sqlite3_stmt *st = j->put;
    int rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(st, 2, record, (int)len, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 3, done ? 1 : 0);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return sixmm__store_sqlite_fail(j, rc, "storing a record");
    /* A put inside a transaction someone opened on this connection would
     * not be durable yet; the handle never opens one, so this is a bug. */
    if (!sqlite3_get_autocommit(j->db))
        return sixmm__store_fail(j, "%s: stored inside an open transaction, not durable", id);
    j->err[0] = '\0';
    return 0;
}

int sixmm__store_get(struct sixmm_journal *j, const char *id, store_row *row)
{
    if (check_id(j, id) != 0)
        return -1;
    sqlite3_stmt *st = j->get;
    int rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW;
    if (found) {
        int n = sqlite3_column_bytes(st, 0);
        const void *blob = sqlite3_column_blob(st, 0);
        if (n > STORE_RECORD_MAX || (n > 0 && !blob)) {
            sqlite3_reset(st);
            return sixmm__store_fail(j, "%s: the stored record is %d bytes, more than %d", id,
                                     n, STORE_RECORD_MAX);
        }
        snprintf(row->id, sizeof row->id, "%s", id);
        row->len = (size_t)n;
        if (n > 0)
            memcpy(row->record, blob, (size_t)n);
        rc = sqlite3_step(st);   /* the key is unique: SQLITE_DONE */
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return sixmm__store_sqlite_fail(j, rc, "reading a record");
    j->err[0] = '\0';
    return found ? 0 : STORE_NOT_FOUND;
}

/* Reads up to STORE_BATCH pending rows after `after` into j->batch. */
static int read_batch(struct sixmm_journal *j, const char *after, int *count)
{
    sqlite3_stmt *st = j->pending;
    int n = 0;
    int rc = sqlite3_bind_text(st, 1, after, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 2, STORE_BATCH);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_row *row = &j->batch[n];
        const unsigned char *id = sqlite3_column_text(st, 0);
        int idlen = sqlite3_column_bytes(st, 0);
        int len = sqlite3_column_bytes(st, 1);
        const void *blob = sqlite3_column_blob(st, 1);
        if (!id || idlen > STORE_ID_MAX || len > STORE_RECORD_MAX || (len > 0 && !blob)) {
            sqlite3_reset(st);
            return sixmm__store_fail(j, "a pending row has an id or record out of bounds");
        }
        memcpy(row->id, id, (size_t)idlen + 1);
        row->len = (size_t)len;
        if (len > 0)
            memcpy(row->record, blob, (size_t)len);
        n++;
        rc = SQLITE_OK;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return sixmm__store_sqlite_fail(j, rc, "reading the pending records");
    *count = n;
    return 0;
}

int sixmm__store_pending(struct sixmm_journal *j,
                         int (*each)(void *ctx, const store_row *row), void *ctx)
{
    char after[STORE_ID_MAX + 1] = "";
    int total = 0;
    for (;;) {
        int n;
        if (read_batch(j, after, &n) != 0)
            return -1;
        for (int i = 0; i < n; i++) {
            int stop = each(ctx, &j->batch[i]);
            if (stop < 0)
                return -1;
            total++;
            if (stop > 0) {
                j->err[0] = '\0';
                return total;
            }
        }
        if (n < STORE_BATCH) {
            j->err[0] = '\0';
            return total;
        }
        memcpy(after, j->batch[n - 1].id, sizeof after);
    }
}
