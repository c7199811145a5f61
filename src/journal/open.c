/* open.c: opening a journal file. It configures the connection for
 * durability (WAL, synchronous=FULL, a busy timeout), refuses a file that is
 * corrupt or not a journal, creates the table on first use and prepares the
 * statements rows.c runs. */
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* PRAGMA application_id of a journal: "6MMJ". A database of another
 * application is refused instead of being written into. */
#define JOURNAL_APPLICATION_ID 0x364D4D4A
/* PRAGMA user_version: the layout of the table below. */
#define JOURNAL_SCHEMA_VERSION 1

static const char create_sql[] =
    "CREATE TABLE intent ("
    " id TEXT PRIMARY KEY NOT NULL CHECK (length(CAST(id AS BLOB)) BETWEEN 1 AND 255),"
    " record BLOB NOT NULL,"
    " done INTEGER NOT NULL CHECK (done IN (0, 1))"
    ") WITHOUT ROWID;"
    "CREATE INDEX intent_pending ON intent (id) WHERE done = 0;";

int sixmm__store_fail(struct sixmm_journal *j, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(j->err, sizeof j->err, "journal %s: ", j->path);
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof j->err)
        vsnprintf(j->err + n, sizeof j->err - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

int sixmm__store_sqlite_fail(struct sixmm_journal *j, int rc, const char *doing)
{
    const char *why = j->db ? sqlite3_errmsg(j->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sixmm__store_fail(j, "%s: locked by another connection, still after the busy "
                                 "timeout (%s)", doing, why);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return sixmm__store_fail(j, "%s: the file is corrupt or not a database (%s)", doing,
                                 why);
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return sixmm__store_fail(j, "%s: cannot write the file or its -wal and -shm files "
                                 "beside it (%s)", doing, why);
    default:
        return sixmm__store_fail(j, "%s: %s", doing, why);
    }
}

/* Runs sql, which returns at most one row; its first column goes to text
 * (if given) or number. */
static int pragma(struct sixmm_journal *j, const char *sql, char *text, size_t len,
                  sqlite3_int64 *number)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (text) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(text, len, "%s", t ? (const char *)t : "");
        }
        if (number)
            *number = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_DONE) {
        sixmm__store_sqlite_fail(j, rc, sql);
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

static int exec(struct sixmm_journal *j, const char *sql, const char *doing)
{
    int rc = sqlite3_exec(j->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : sixmm__store_sqlite_fail(j, rc, doing);
}

/* The durability settings, each read back: a setting SQLite did not take
 * (journal_mode on a file system without shared memory) is an error, not a
 * silently weaker journal. */
static int configure(struct sixmm_journal *j)
{
    char mode[32];
    sqlite3_int64 sync = -1;
    if (pragma(j, "PRAGMA journal_mode = WAL", mode, sizeof mode, NULL) != 0)
        return -1;
    if (strcmp(mode, "wal") != 0)
        return sixmm__store_fail(j, "cannot use WAL mode (journal_mode is %s)", mode);
    if (pragma(j, "PRAGMA synchronous = FULL", NULL, 0, NULL) != 0
        || pragma(j, "PRAGMA synchronous", NULL, 0, &sync) != 0)
        return -1;
    if (sync != 2)
        return sixmm__store_fail(j, "synchronous is %lld, not FULL", (long long)sync);
    return 0;
}

/* The whole file's consistency, the first thing read from it: a file that
 * is not a database or is damaged fails here, before anything is written. */
static int check_integrity(struct sixmm_journal *j)
{
    char result[512];
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(j->db, "PRAGMA integrity_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return sixmm__store_sqlite_fail(j, rc, "checking integrity");
    }
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(result, sizeof result, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
    if (strcmp(result, "ok") != 0)
        return sixmm__store_fail(j, "the file is corrupt: %s", result);
    return 0;
}

/* The table: created in an empty file, checked in any other. */
static int check_schema(struct sixmm_journal *j)
{
    sqlite3_int64 app = 0, version = 0, tables = 0;
    if (exec(j, "BEGIN IMMEDIATE", "starting the schema check") != 0)
        return -1;
    if (pragma(j, "PRAGMA application_id", NULL, 0, &app) != 0
        || pragma(j, "PRAGMA user_version", NULL, 0, &version) != 0
        || pragma(j, "SELECT count(*) FROM sqlite_master", NULL, 0, &tables) != 0)
        goto fail;
    if (app == 0 && version == 0 && tables == 0) {
        char set[128];
        snprintf(set, sizeof set, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 JOURNAL_APPLICATION_ID, JOURNAL_SCHEMA_VERSION);
        if (exec(j, create_sql, "creating the table") != 0
            || exec(j, set, "marking the file as a journal") != 0)
            goto fail;
    } else if (app != JOURNAL_APPLICATION_ID) {
        sixmm__store_fail(j, "not a journal: a database of another application "
                          "(application_id %lld)", (long long)app);
        goto fail;
    } else if (version != JOURNAL_SCHEMA_VERSION) {
        sixmm__store_fail(j, "journal layout %lld, this library reads %d", (long long)version,
                          JOURNAL_SCHEMA_VERSION);
        goto fail;
    }
    return exec(j, "COMMIT", "committing the schema");
fail:
    sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static int prepare(struct sixmm_journal *j)
{
    static const char put_sql[] =
        "INSERT INTO intent (id, record, done) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (id) DO UPDATE SET record = excluded.record, done = excluded.done";
    static const char get_sql[] = "SELECT record FROM intent WHERE id = ?1";
    static const char pending_sql[] =
        "SELECT id, record FROM intent WHERE done = 0 AND id > ?1 ORDER BY id LIMIT ?2";
    int rc = sqlite3_prepare_v3(j->db, put_sql, -1, SQLITE_PREPARE_PERSISTENT, &j->put, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(j->db, get_sql, -1, SQLITE_PREPARE_PERSISTENT, &j->get, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(j->db, pending_sql, -1, SQLITE_PREPARE_PERSISTENT, &j->pending,
                                NULL);
    return rc == SQLITE_OK ? 0 : sixmm__store_sqlite_fail(j, rc, "preparing the statements");
}

int sixmm__store_open(struct sixmm_journal *j, const char *path, uint32_t busy_timeout_ms)
{
    snprintf(j->path, sizeof j->path, "%s", path ? path : "(null)");
    j->err[0] = '\0';
    if (!path || !path[0])
        return sixmm__store_fail(j, "no path given");
    int rc = sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK)
        return sixmm__store_sqlite_fail(j, rc, "opening");
    sqlite3_extended_result_codes(j->db, 1);
    /* The table holds only data: no SQL may alter the file's structure, so a
     * hostile journal cannot make it corrupt either. */
    sqlite3_db_config(j->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(j->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_busy_timeout(j->db, busy_timeout_ms > INT32_MAX ? INT32_MAX : (int)busy_timeout_ms);
    if (check_integrity(j) != 0 || configure(j) != 0 || check_schema(j) != 0
        || prepare(j) != 0)
        return -1;
    return 0;
}

void sixmm__store_close(struct sixmm_journal *j)
{
    sqlite3_finalize(j->put);
    sqlite3_finalize(j->get);
    sqlite3_finalize(j->pending);
    j->put = j->get = j->pending = NULL;
    /* A statement of the handle may still be open after an error; v2 then
     * closes as soon as it is finalised, never leaving the file in use. */
    sqlite3_close_v2(j->db);
    j->db = NULL;
}
