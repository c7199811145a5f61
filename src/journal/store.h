/* store.h: the journal's storage layer, on bytes. One SQLite table holds, per
 * client order id, one record (opaque bytes) and a done flag; journal.c puts
 * intents on it. Not part of the public API. */
#ifndef SIXMM_JOURNAL_STORE_H
#define SIXMM_JOURNAL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* The longest client order id, in bytes. */
#define STORE_ID_MAX 255

/* The longest record the table takes, in bytes: an encoded intent is much
 * shorter; the margin is for later record versions. */
#define STORE_RECORD_MAX 1024

/* A get found no row under that id. */
#define STORE_NOT_FOUND 1

/* Pending rows are read in batches of this many, and handed on only after
 * the read statement is reset: a read statement left open on the connection
 * would hold back the commit of a put made from the callback. */
#define STORE_BATCH 32

typedef struct store_row {
    char id[STORE_ID_MAX + 1];
    unsigned char record[STORE_RECORD_MAX];
    size_t len;
} store_row;

/* The handle behind the public sixmm_journal. */
struct sixmm_journal {
    sqlite3 *db;
    sqlite3_stmt *put, *get, *pending;
    char path[512];      /* for messages; a longer path is cut */
    char err[1024];
    store_row batch[STORE_BATCH];
};

/* Sets j->err from a format and returns -1. */
int sixmm__store_fail(struct sixmm_journal *j, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Sets j->err to what was being done and SQLite's own words for rc, and
 * returns -1. */
int sixmm__store_sqlite_fail(struct sixmm_journal *j, int rc, const char *doing);

/* Opens, configures and checks the file; fills j->db and the statements.
 * On an error j->db may be set; sixmm__store_close() frees it. */
int sixmm__store_open(struct sixmm_journal *j, const char *path, uint32_t busy_timeout_ms);
void sixmm__store_close(struct sixmm_journal *j);

/* Stores one row, replacing the old one, in one durable transaction. */
int sixmm__store_put(struct sixmm_journal *j, const char *id, const unsigned char *record,
                     size_t len, int done);

/* 0 with the row in *row, STORE_NOT_FOUND, or -1. */
int sixmm__store_get(struct sixmm_journal *j, const char *id, store_row *row);

/* each(ctx, row) for every row not done, in order of id, until each returns
 * nonzero. Returns the number of rows handed to each, or -1; each that fails
 * sets j->err itself and returns -1, which is passed on. */
int sixmm__store_pending(struct sixmm_journal *j,
                         int (*each)(void *ctx, const store_row *row), void *ctx);

#endif
