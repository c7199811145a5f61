/*
 * The kill test of the storage layer: a writer process puts rows as fast as
 * it can and is killed with SIGKILL at a random moment, ROUNDS times (200
 * unless argv[1] says otherwise) on the same file. The writer reports each
 * acknowledged put on a pipe before its next one. After every kill the file
 * must open (its integrity check passes), every row must be readable and
 * carry its checksum, no acknowledged put may be lost (the stored version of
 * each id is at least the last one acknowledged), and pending must list
 * exactly the rows not done.
 */
#define _POSIX_C_SOURCE 200809L /* kill, nanosleep */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_suite.h"
#include "store.h"
#include "tempdir.h"

#define SHARED_IDS 16     /* ids every round updates again */
#define MAX_IDS    200000
#define KILL_MAX_US 80000 /* a writer lives up to this long */

static unsigned rounds = 200;

/* One version of a row: which round wrote it, and its sequence number. */
typedef struct version {
    uint32_t round, seq;
} version;

static int later(version a, version b)
{
    return a.round != b.round ? a.round > b.round : a.seq > b.seq;
}

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void id_of(uint32_t round, uint32_t seq, char *out, size_t len)
{
    if (seq % 2)
        snprintf(out, len, "shared-%02u", (seq / 2) % SHARED_IDS);
    else
        snprintf(out, len, "r%03u-%06u", round, seq);
}

static int done_of(uint32_t seq)
{
    return seq % 5 == 0;
}

/* "ID ROUND SEQ DONE HASH": the hash covers the rest, so a torn row shows. */
static size_t record_of(const char *id, version v, char *out, size_t len)
{
    int n = snprintf(out, len, "%s %u %u %d ", id, v.round, v.seq, done_of(v.seq));
    uint32_t h = fnv1a(out, (size_t)n);
    return (size_t)(n + snprintf(out + n, len - (size_t)n, "%08x", h));
}

/* Parses a stored row; 0 when it is whole and belongs to id. */
static int parse(const char *id, const unsigned char *rec, size_t len, version *v, int *done)
{
    char text[STORE_RECORD_MAX + 1], want[STORE_RECORD_MAX + 1], rid[STORE_ID_MAX + 1];
    memcpy(text, rec, len);
    text[len] = '\0';
    if (sscanf(text, "%255s %u %u %d", rid, &v->round, &v->seq, done) != 4 || strcmp(rid, id))
        return -1;
    record_of(id, *v, want, sizeof want);
    return strcmp(text, want) == 0 && *done == done_of(v->seq) ? 0 : -1;
}

static void write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(5);
        p += w;
        n -= (size_t)w;
    }
}

static void writer(const char *path, uint32_t round, int ack)
{
    static struct sixmm_journal j;
    if (sixmm__store_open(&j, path, 5000) != 0) {
        fprintf(stderr, "writer: %s\n", j.err);
        _exit(3);
    }
    for (uint32_t seq = 1;; seq++) {
        char id[64], rec[STORE_RECORD_MAX];
        version v = {round, seq};
        id_of(round, seq, id, sizeof id);
        size_t n = record_of(id, v, rec, sizeof rec);
        if (sixmm__store_put(&j, id, (const unsigned char *)rec, n, done_of(seq)) != 0) {
            fprintf(stderr, "writer: %s\n", j.err);
            _exit(4);
        }
        write_all(ack, &v, sizeof v);
    }
}

/* What the parent knows: every id it saw acknowledged, with the last version. */
static struct known {
    char id[64];
    version acked;
} *known;
static size_t nknown;

static struct known *find(const char *id)
{
    for (size_t i = 0; i < nknown; i++)
        if (!strcmp(known[i].id, id))
            return &known[i];
    ck_assert_uint_lt(nknown, MAX_IDS);
    snprintf(known[nknown].id, sizeof known[0].id, "%s", id);
    known[nknown].acked = (version){0, 0};
    return &known[nknown++];
}

struct pending_check {
    size_t rows;
};

static int pending_row(void *ctx, const store_row *row)
{
    struct pending_check *c = ctx;
    version v;
    int done;
    ck_assert_msg(parse(row->id, row->record, row->len, &v, &done) == 0,
                  "pending row %s is torn", row->id);
    ck_assert_msg(!done, "pending row %s is done", row->id);
    c->rows++;
    return 0;
}

static void verify(const char *path, uint32_t round, unsigned long *rows_out)
{
    static struct sixmm_journal j;
    memset(&j, 0, sizeof j);
    ck_assert_msg(sixmm__store_open(&j, path, 5000) == 0, "round %u: %s", round, j.err);
    size_t not_done = 0, rows = 0;
    /* Every row of the table, acknowledged or not, is whole. */
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(j.db, "SELECT id, record, done FROM intent", -1, &st,
                                        NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        version v;
        int done;
        ck_assert_msg(parse(id, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1),
                            &v, &done) == 0, "round %u: row %s is torn", round, id);
        ck_assert_int_eq(sqlite3_column_int(st, 2), done);
        not_done += !done;
        rows++;
    }
    sqlite3_finalize(st);
    /* No acknowledged put is lost. */
    for (size_t i = 0; i < nknown; i++) {
        store_row row;
        version v;
        int done;
        int rc = sixmm__store_get(&j, known[i].id, &row);
        ck_assert_msg(rc == 0, "round %u: acknowledged %s is gone (%d %s)", round, known[i].id,
                      rc, j.err);
        ck_assert(parse(known[i].id, row.record, row.len, &v, &done) == 0);
        ck_assert_msg(!later(known[i].acked, v),
                      "round %u: %s holds %u/%u, but %u/%u was acknowledged", round,
                      known[i].id, v.round, v.seq, known[i].acked.round, known[i].acked.seq);
    }
    struct pending_check c = {0};
    ck_assert_int_eq(sixmm__store_pending(&j, pending_row, &c), (int)not_done);
    ck_assert_uint_eq(c.rows, not_done);
    sixmm__store_close(&j);
    *rows_out = rows;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t random32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

START_TEST(no_acknowledged_put_is_lost_when_the_writer_is_killed)
{
    tempdir tmp;
    char path[512];
    unsigned long acks = 0, rows = 0, silent = 0;
    known = calloc(MAX_IDS, sizeof *known);
    ck_assert_ptr_nonnull(known);
    tempdir_make(&tmp);
    tempdir_path(&tmp, "journal.db", path, sizeof path);
    for (uint32_t round = 1; round <= rounds; round++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            writer(path, round, fds[1]);
        }
        close(fds[1]);
        uint32_t us = random32() % KILL_MAX_US;
        struct timespec ts = {0, (long)us * 1000};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                      "round %u: the writer ended by itself (status %d)", round, status);
        version v;
        unsigned long round_acks = 0;
        for (ssize_t r; (r = read(fds[0], &v, sizeof v)) != 0;) {
            if (r < 0 && errno == EINTR)
                continue;
            ck_assert_int_eq(r, (ssize_t)sizeof v);
            char id[64];
            id_of(v.round, v.seq, id, sizeof id);
            struct known *k = find(id);
            if (later(v, k->acked))
                k->acked = v;
            round_acks++;
        }
        close(fds[0]);
        acks += round_acks;
        silent += round_acks == 0;
        verify(path, round, &rows);
    }
    tempdir_remove(&tmp);
    printf("kill test: %u kills, %lu acknowledged puts, %lu kills before the first ack, "
           "%lu rows, none lost\n", rounds, acks, silent, rows);
    free(known);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc > 1)
        rounds = (unsigned)strtoul(argv[1], NULL, 10);
    Suite *s = suite_create("journal store kill");
    TCase *tc = tcase_create("kill");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, no_acknowledged_put_is_lost_when_the_writer_is_killed);
    suite_add_tcase(s, tc);
    tempdir_base_make();
    int rc = run_suite(s);
    tempdir_base_remove();
    return rc;
}
