/* place-order: places N orders on a 6MM REST endpoint from T threads that
 * share one server clock, one throttle and one retry budget; each order
 * runs through the library's order machine (order_loop.c). Prints one line
 * per order, in order of id:
 *     CLIENT_ORDER_ID accepted|refused|expired|escalated [STATUS] REASON
 * STATUS is the order status the server reported (NEW, FILLED, REJECTED...),
 * when one is known. Exits 0 when every order has its line, 1 when the
 * server or the journal failed, 2 on a usage error.
 *
 *   place-order --url URL --key API_KEY --secret SECRET [--orders N]
 *               [--threads T] [--prefix P] [--timeout-ms MS]
 *               [--journal PATH] [--token]
 *
 * With --journal, every intent's record is written to that file before
 * each send and when it ends. Run again with the same journal after a crash,
 * it first finishes every intent the journal holds unfinished, then places
 * only the orders (of ids PREFIX-000000 up to --orders) it holds no record
 * of. --token sends an access token from POST /v1/public/user/login, renewed
 * when the server says it expired.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "order_loop.h"

#define MAX_THREADS 64
#define SYNC_TRIES 5   /* GET /v1/time is idempotent: a failed one is simply repeated */

/* One order of this run. */
typedef struct job {
    char id[SIXMM_JOURNAL_ID_MAX + 1];
    sixmm_intent it;
    sixmm_next last;
    int restart;     /* read back from the journal: it may have been sent */
    int ran;         /* last is this run's final step */
} job;

typedef struct job_list {
    job *jobs;
    size_t n, cap;
} job_list;

struct options {
    const char *url, *key, *secret, *prefix, *journal;
    long timeout_ms;
    unsigned long orders, threads;
    int token;
};

struct run {
    const struct options *o;
    client_shared shared;
    job_list *list;
    atomic_size_t next;
    atomic_int failed;
};

static int add_job(job_list *l, const char *id, const sixmm_intent *it, int restart)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        job *more = realloc(l->jobs, cap * sizeof *more);
        if (!more)
            return -1;
        l->jobs = more;
        l->cap = cap;
    }
    job *j = &l->jobs[l->n++];
    memset(j, 0, sizeof *j);
    snprintf(j->id, sizeof j->id, "%s", id);
    if (it)
        j->it = *it;
    j->restart = restart;
    return 0;
}

/* Copies every job of part to the end of all. */
static int append(job_list *all, const job_list *part)
{
    for (size_t i = 0; i < part->n; i++) {
        if (add_job(all, part->jobs[i].id, NULL, 0) != 0)
            return -1;
        all->jobs[all->n - 1] = part->jobs[i];
    }
    return 0;
}

static void order_id(const struct options *o, unsigned long i, char *out, size_t n)
{
    snprintf(out, n, "%s-%06lu", o->prefix, i);
}

static void *work(void *arg)
{
    struct run *r = arg;
    const struct options *o = r->o;
    client_thread c;
    memset(&c, 0, sizeof c);
    c.shared = &r->shared;
    c.rng = 0x5158u ^ (uint64_t)(uintptr_t)&c;   /* differs per thread */
    int ok = transport_init(&c.t, o->url, o->key, o->secret, o->timeout_ms, o->token) == 0;
    if (ok && o->journal && sixmm_journal_open(o->journal, &c.journal) != 0) {
        fprintf(stderr, "place-order: %s\n", sixmm_journal_errmsg(c.journal));
        ok = 0;
    }
    int synced = -1;
    for (int tries = 0; ok && tries < SYNC_TRIES && synced != 0; tries++)
        synced = sync_clock(&c);
    if (ok && synced != 0) {
        fprintf(stderr, "place-order: cannot reach %s/v1/time\n", o->url);
        ok = 0;
    }
    for (size_t i; ok && !atomic_load(&r->failed)
                   && (i = atomic_fetch_add(&r->next, 1)) < r->list->n;) {
        job *j = &r->list->jobs[i];
        if (j->restart)
            sixmm_intent_restart(&j->it);
        else if (start_order(&c, &j->it) != 0)
            ok = 0;
        if (ok && run_order(&c, j->id, &j->it, &j->last) != 0)
            ok = 0;
        j->ran = ok;
    }
    if (!ok)
        atomic_store(&r->failed, 1);
    sixmm_journal_close(c.journal);
    transport_free(&c.t);
    return NULL;
}

/* Runs every job of the list on the threads; 0 when all ended. */
static int run_jobs(struct run *r, job_list *l)
{
    pthread_t tid[MAX_THREADS];
    unsigned long threads = r->o->threads, started = 0;
    r->list = l;
    atomic_store(&r->next, 0);
    if (l->n == 0)
        return 0;
    if (threads > l->n)
        threads = l->n;
    for (; started < threads; started++)
        if (pthread_create(&tid[started], NULL, work, r) != 0) {
            fprintf(stderr, "place-order: cannot start a thread\n");
            atomic_store(&r->failed, 1);
            break;
        }
    for (unsigned long i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    return atomic_load(&r->failed) ? -1 : 0;
}

static int collect_pending(void *ctx, const char *id, const sixmm_intent *it)
{
    return add_job(ctx, id, it, 1) != 0;
}

/* The jobs of this run: first what the journal holds unfinished, then the
 * orders it holds no record of. done gets the orders it holds finished. */
static int plan(const struct options *o, job_list *pending, job_list *fresh, job_list *done)
{
    sixmm_journal *jr = NULL;
    if (o->journal) {
        if (sixmm_journal_open(o->journal, &jr) != 0
            || sixmm_journal_pending(jr, collect_pending, pending) < 0) {
            fprintf(stderr, "place-order: %s\n", sixmm_journal_errmsg(jr));
            sixmm_journal_close(jr);
            return -1;
        }
    }
    for (unsigned long i = 0; i < o->orders; i++) {
        char id[SIXMM_JOURNAL_ID_MAX + 1];
        sixmm_intent it;
        order_id(o, i, id, sizeof id);
        int rc = jr ? sixmm_journal_get(jr, id, &it) : SIXMM_JOURNAL_NOT_FOUND;
        if (rc < 0) {
            fprintf(stderr, "place-order: %s\n", sixmm_journal_errmsg(jr));
            sixmm_journal_close(jr);
            return -1;
        }
        if ((rc == SIXMM_JOURNAL_NOT_FOUND && add_job(fresh, id, NULL, 0) != 0)
            || (rc == 0 && sixmm_intent_is_done(&it) && add_job(done, id, &it, 0) != 0)) {
            sixmm_journal_close(jr);
            return -1;
        }
    }
    if (pending->n)
        fprintf(stderr, "place-order: the journal holds %zu unfinished intents; finishing them "
                        "first\n", pending->n);
    sixmm_journal_close(jr);
    return 0;
}

/* The line of one finished order. An order finished by an earlier run is
 * asked once more: a finished intent repeats its last step. */
static void print_line(struct run *r, job *j)
{
    if (!j->ran)
        sixmm_intent_next(&j->it, &r->shared.clock, NULL, NULL, transport_mono_ms(), 0,
                          &j->last);
    const char *outcome = j->last.todo == SIXMM_TODO_ESCALATE ? "escalated"
                                                                : sixmm_outcome_name(j->last.outcome);
    sixmm_status status = sixmm_intent_status(&j->it);
    if (status != SIXMM_STATUS_UNKNOWN)
        printf("%s %s %s %s\n", j->id, outcome, sixmm_status_wire(status), j->last.reason);
    else
        printf("%s %s %s\n", j->id, outcome, j->last.reason);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const job *)a)->id, ((const job *)b)->id);
}

static int usage(const char *what)
{
    fprintf(stderr, "place-order: %s (usage: place-order --url URL --key KEY --secret SECRET"
                    " [--orders N] [--threads T] [--prefix P] [--timeout-ms MS]"
                    " [--journal PATH] [--token])\n", what);
    return 2;
}

static int number(const char *text, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    if (!text || text[0] < '0' || text[0] > '9')
        return -1;
    *out = strtoul(text, &end, 10);
    return *end || *out < lo || *out > hi ? -1 : 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    unsigned long timeout = 2000;
    memset(o, 0, sizeof *o);
    o->prefix = "order";
    o->orders = 100;
    o->threads = 8;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--token")) {
            o->token = 1;
            continue;
        }
        const char *v = i + 1 < argc ? argv[++i] : NULL;   /* the rest take a value */
        int bad = !v;
        if (!strcmp(a, "--url")) o->url = v;
        else if (!strcmp(a, "--key")) o->key = v;
        else if (!strcmp(a, "--secret")) o->secret = v;
        else if (!strcmp(a, "--prefix")) o->prefix = v;
        else if (!strcmp(a, "--journal")) o->journal = v;
        else if (!strcmp(a, "--orders")) bad = number(v, 1, 1000000, &o->orders) != 0;
        else if (!strcmp(a, "--threads")) bad = number(v, 1, MAX_THREADS, &o->threads) != 0;
        else if (!strcmp(a, "--timeout-ms")) bad = number(v, 1, 600000, &timeout) != 0;
        else return usage("unknown option");
        if (bad)
            return usage("an option's value is missing or out of range");
    }
    if (!o->url || !o->key || !o->secret)
        return usage("--url, --key and --secret are required");
    if (strlen(o->prefix) > SIXMM_JOURNAL_ID_MAX - 8)
        return usage("--prefix is too long");
    o->timeout_ms = (long)timeout;
    return 0;
}

int main(int argc, char **argv)
{
    static struct options o;
    static struct run r;
    job_list pending = {0}, fresh = {0}, done = {0};
    int rc = parse_options(argc, argv, &o);
    if (rc != 0)
        return rc;
    r.o = &o;
    /* REST documents no quota: a pace of our own, shared by every thread. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0
        || sixmm_clock_init(&r.shared.clock, 0) != 0
        || sixmm_throttle_init_custom(&r.shared.throttle, 100, 20, (uint32_t)o.threads) != 0
        || sixmm_budget_init(&r.shared.budget, SIXMM_DOMAIN_REST) != 0) {
        fprintf(stderr, "place-order: cannot set up\n");
        return 1;
    }
    int failed = plan(&o, &pending, &fresh, &done) != 0
              || run_jobs(&r, &pending) != 0 || run_jobs(&r, &fresh) != 0;
    if (!failed) {
        /* Every line, in order of id: this run's orders and earlier ones. */
        job_list all = {0};
        const job_list *parts[] = {&pending, &fresh, &done};
        for (size_t p = 0; p < 3 && !failed; p++)
            failed = append(&all, parts[p]) != 0;
        qsort(all.jobs, all.n, sizeof *all.jobs, by_id);
        for (size_t i = 0; i < all.n && !failed; i++)
            print_line(&r, &all.jobs[i]);
        free(all.jobs);
    }
    free(pending.jobs);
    free(fresh.jobs);
    free(done.jobs);
    curl_global_cleanup();
    return failed || fflush(stdout) != 0 ? 1 : 0;
}
