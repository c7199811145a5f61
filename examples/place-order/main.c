/* place-order: places N orders on a 6MM REST endpoint from T threads that
 * share one throttle and one retry budget, following docs/ADVISOR.md's
 * loop. Prints one line per order, in order:
 *     CLIENT_ORDER_ID executed|rejected|escalated REASON
 * Exits 0 when every order ended in one of those, 2 on a usage error.
 *
 *   place-order --url URL --key API_KEY --secret SECRET [--orders N]
 *               [--threads T] [--prefix P] [--timeout-ms MS]
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

struct job {
    const char *url, *key, *secret, *prefix;
    long timeout_ms;
    unsigned orders;
    atomic_uint next;
    client_shared shared;
    order_outcome *outcome;
    const char **why;
};

struct worker {
    struct job *job;
    unsigned index;
    int failed;
};

static void order_id(const struct job *j, unsigned i, char *out, size_t n)
{
    snprintf(out, n, "%s-%06u", j->prefix, i);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct job *j = w->job;
    client_thread c;
    memset(&c, 0, sizeof c);
    c.shared = &j->shared;
    c.rng = 0x5158u + w->index;
    int synced = -1;
    if (transport_init(&c.t, j->url, j->key, j->secret, j->timeout_ms) == 0)
        for (int tries = 0; tries < SYNC_TRIES && synced != 0; tries++)
            synced = transport_sync_clock(&c.t, &c.offset_ms, &c.error_ms);
    if (synced != 0) {
        fprintf(stderr, "place-order: cannot reach %s/v1/time\n", j->url);
        w->failed = 1;
        transport_free(&c.t);
        return NULL;
    }
    for (unsigned i; (i = atomic_fetch_add(&j->next, 1)) < j->orders;) {
        char id[96];
        order_id(j, i, id, sizeof id);
        j->outcome[i] = place_order(&c, id, &j->why[i]);
    }
    transport_free(&c.t);
    return NULL;
}

static int usage(const char *what)
{
    fprintf(stderr, "place-order: %s (usage: place-order --url URL --key KEY --secret SECRET"
                    " [--orders N] [--threads T] [--prefix P] [--timeout-ms MS])\n", what);
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

int main(int argc, char **argv)
{
    static struct job j;
    unsigned long threads = 8, orders = 100, timeout = 2000;
    j.prefix = "order";
    for (int i = 1; i < argc; i += 2) {   /* every option takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = !v;
        if (!strcmp(a, "--url")) j.url = v;
        else if (!strcmp(a, "--key")) j.key = v;
        else if (!strcmp(a, "--secret")) j.secret = v;
        else if (!strcmp(a, "--prefix")) j.prefix = v;
        else if (!strcmp(a, "--orders")) bad = number(v, 1, 1000000, &orders) != 0;
        else if (!strcmp(a, "--threads")) bad = number(v, 1, MAX_THREADS, &threads) != 0;
        else if (!strcmp(a, "--timeout-ms")) bad = number(v, 1, 600000, &timeout) != 0;
        else return usage("unknown option");
        if (bad)
            return usage("an option's value is missing or out of range");
    }
    if (!j.url || !j.key || !j.secret)
        return usage("--url, --key and --secret are required");
    j.orders = (unsigned)orders;
    j.timeout_ms = (long)timeout;
    j.outcome = calloc(orders, sizeof *j.outcome);
    j.why = calloc(orders, sizeof *j.why);
    /* REST documents no quota: a pace of our own, shared by every thread. */
    if (!j.outcome || !j.why || curl_global_init(CURL_GLOBAL_DEFAULT) != 0
        || sixmm_throttle_init_custom(&j.shared.throttle, 100, 20, (uint32_t)threads) != 0
        || sixmm_budget_init(&j.shared.budget, SIXMM_DOMAIN_REST) != 0) {
        fprintf(stderr, "place-order: cannot set up\n");
        return 1;
    }
    pthread_t tid[MAX_THREADS];
    struct worker w[MAX_THREADS];
    for (unsigned long i = 0; i < threads; i++) {
        w[i] = (struct worker){&j, (unsigned)i, 0};
        if (pthread_create(&tid[i], NULL, work, &w[i]) != 0) {
            fprintf(stderr, "place-order: cannot start a thread\n");
            return 1;
        }
    }
    int failed = 0;
    for (unsigned long i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        failed |= w[i].failed;
    }
    static const char *const names[] = {"executed", "rejected", "escalated"};
    for (unsigned i = 0; i < j.orders && !failed; i++) {
        char id[96];
        order_id(&j, i, id, sizeof id);
        printf("%s %s %s\n", id, names[j.outcome[i]], j.why[i]);
    }
    free(j.outcome);
    free(j.why);
    curl_global_cleanup();
    return failed || fflush(stdout) != 0 ? 1 : 0;
}
