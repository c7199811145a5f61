/*
 * The kill test: a writer process puts intents into a journal as fast as it
 * can and is killed with SIGKILL at a random moment, ROUNDS times (200
 * unless argv[1] says otherwise) on the same file. The writer reports each
 * acknowledged put on a pipe before its next one. After every kill the
 * journal must open (its integrity check passes), every record must decode,
 * each id must hold exactly its last acknowledged intent or the one put that
 * was under way when the writer died (no acknowledged put is lost, nothing
 * else appears), and pending must list exactly the intents not done.
 */
#define _POSIX_C_SOURCE 200809L /* kill, nanosleep */

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <sixmm/journal.h>

#include "intents.h"
#include "run_suite.h"
#include "tempdir.h"

#define SHARED_IDS  16      /* ids that every round updates again */
#define MAX_IDS     100000
#define KILL_MAX_US 80000   /* a writer lives up to this long */

static unsigned rounds = 200;

/* One put: which round wrote it, and its place in that round (from 1). */
typedef struct version {
    uint32_t round, seq;
} version;

static int later(version a, version b)
{
    return a.round != b.round ? a.round > b.round : a.seq > b.seq;
}

/* Odd puts update a shared id, even ones add a new id. */
static void id_of(version v, char *out, size_t len)
{
    if (v.seq % 2)
        snprintf(out, len, "shared-%02u", (v.seq / 2) % SHARED_IDS);
    else
        snprintf(out, len, "r%03u-%06u", v.round, v.seq);
}

static int done_of(version v)
{
    return v.seq % 5 == 0;
}

static sixmm_intent intent_of(version v)
{
    sixmm_intent it;
    if (test_intent(v.round * 1000000u + v.seq, done_of(v), &it) != 0)
        abort();
    return it;
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
    sixmm_journal *j;
    if (sixmm_journal_open(path, &j) != 0) {
        fprintf(stderr, "writer: %s\n", sixmm_journal_errmsg(j));
        _exit(3);
    }
    for (version v = {round, 1};; v.seq++) {
        char id[64];
        sixmm_intent it = intent_of(v);
        id_of(v, id, sizeof id);
        if (sixmm_journal_put(j, id, &it) != 0) {
            fprintf(stderr, "writer: %s\n", sixmm_journal_errmsg(j));
            _exit(4);
        }
        write_all(ack, &v, sizeof v);
    }
}

/* What the parent knows of each id: the version the journal held at the
 * last check (exact), and the last one acknowledged since. */
static struct known {
    char id[64];
    int stored;
    version held, acked;
} *known;
static size_t nknown;

static struct known *find(const char *id)
{
    for (size_t i = 0; i < nknown; i++)
        if (!strcmp(known[i].id, id))
            return &known[i];
    ck_assert_uint_lt(nknown, MAX_IDS);
    struct known *k = &known[nknown++];
    memset(k, 0, sizeof *k);
    snprintf(k->id, sizeof k->id, "%s", id);
    return k;
}

static int same(const sixmm_intent *a, version v)
{
    unsigned char ra[SIXMM_INTENT_RECORD_MAX], rb[SIXMM_INTENT_RECORD_MAX];
    sixmm_intent b = intent_of(v);
    size_t na = test_record(a, ra), nb = test_record(&b, rb);
    return na > 0 && na == nb && memcmp(ra, rb, na) == 0;
}

static int count_pending(void *ctx, const char *id, const sixmm_intent *it)
{
    (void)id;
    ck_assert(!sixmm_intent_is_done(it));
    ++*(int *)ctx;
    return 0;
}

/* Checks the journal after round r, whose writer was under way with the
 * put `cut` when it died; updates what the parent knows. */
static void check(const char *path, uint32_t r, version cut, unsigned long *rows_out)
{
    sixmm_journal *j;
    char cut_id[64];
    id_of(cut, cut_id, sizeof cut_id);
    find(cut_id);
    ck_assert_msg(sixmm_journal_open(path, &j) == 0, "round %u: %s", r, sixmm_journal_errmsg(j));
    int not_done = 0, rows = 0;
    for (size_t i = 0; i < nknown; i++) {
        struct known *k = &known[i];
        version want = later(k->acked, k->held) ? k->acked : k->held;
        int acked = k->stored || k->acked.round != 0;
        int may_be_cut = !strcmp(k->id, cut_id) && later(cut, want);
        sixmm_intent it;
        int rc = sixmm_journal_get(j, k->id, &it);
        ck_assert_msg(rc == 0 || rc == SIXMM_JOURNAL_NOT_FOUND, "round %u: %s", r,
                      sixmm_journal_errmsg(j));
        if (rc == SIXMM_JOURNAL_NOT_FOUND) {
            ck_assert_msg(!acked, "round %u: acknowledged %s is gone", r, k->id);
            continue;
        }
        if (acked && same(&it, want)) {
            k->held = want;
        } else {
            ck_assert_msg(may_be_cut && same(&it, cut),
                          "round %u: %s holds neither its acknowledged intent %u/%u nor the "
                          "one under way", r, k->id, want.round, want.seq);
            k->held = cut;
        }
        k->stored = 1;
        k->acked = (version){0, 0};
        rows++;
        not_done += !done_of(k->held);
    }
    int pending = 0;
    ck_assert_int_eq(sixmm_journal_pending(j, count_pending, &pending), not_done);
    ck_assert_int_eq(pending, not_done);
    sixmm_journal_close(j);
    /* Nothing else is in the file. */
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM intent", -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int(st, 0), rows);
    sqlite3_finalize(st);
    sqlite3_close(db);
    *rows_out = (unsigned long)rows;
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
    unsigned long acks = 0, rows = 0, before_first = 0;
    known = calloc(MAX_IDS, sizeof *known);
    ck_assert_ptr_nonnull(known);
    /* The same stamp gives the same record: the check below relies on it. */
    sixmm_intent a = intent_of((version){1, 5});
    ck_assert(same(&a, (version){1, 5}));
    tempdir_make(&tmp);
    tempdir_path(&tmp, "journal.db", path, sizeof path);
    for (uint32_t r = 1; r <= rounds; r++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            writer(path, r, fds[1]);
        }
        close(fds[1]);
        struct timespec ts = {0, (long)(random32() % KILL_MAX_US) * 1000};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                      "round %u: the writer ended by itself (status %d)", r, status);
        version v, last = {r, 0};
        for (ssize_t n; (n = read(fds[0], &v, sizeof v)) != 0;) {
            if (n < 0 && errno == EINTR)
                continue;
            ck_assert_int_eq(n, (ssize_t)sizeof v);
            char id[64];
            id_of(v, id, sizeof id);
            struct known *k = find(id);
            if (later(v, k->acked))
                k->acked = v;
            last = v;
            acks++;
        }
        close(fds[0]);
        before_first += last.seq == 0;
        check(path, r, (version){r, last.seq + 1}, &rows);
    }
    tempdir_remove(&tmp);
    printf("kill test: %u kills, %lu acknowledged puts, %lu kills before the first "
           "acknowledgement, %lu records at the end, none lost or torn\n",
           rounds, acks, before_first, rows);
    free(known);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc > 1)
        rounds = (unsigned)strtoul(argv[1], NULL, 10);
    Suite *s = suite_create("journal kill");
    TCase *tc = tcase_create("kill");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, no_acknowledged_put_is_lost_when_the_writer_is_killed);
    suite_add_tcase(s, tc);
    tempdir_base_make();
    int rc = run_suite(s);
    tempdir_base_remove();
    return rc;
}
