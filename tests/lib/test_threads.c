/*
 * Concurrency: every lookup and the classify call, from 8 threads
 * at once, for a bounded number of rounds. Every result must equal the one
 * computed single-threaded first. The library promises thread safety by
 * having no mutable state at all; built with -DSIXMM_TSAN=ON this test runs
 * under ThreadSanitizer, which would also see a race that happens to give
 * equal results.
 *
 * usage: test_threads [ROUNDS]   (default 20)
 */
#define _POSIX_C_SOURCE 200809L

#include <sixmm/errinfo.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8

/* One probe: what to ask, and what the single-threaded run answered. */
struct probe {
    enum { P_CODE, P_TEXT, P_NAME, P_MESSAGE, P_ID, P_STRERROR, P_CLASSIFY } what;
    sixmm_domain domain;
    int64_t code;
    char text[96];
    size_t len;
    sixmm_call call;
    uint32_t random;
    /* results */
    const sixmm_entry *entry;
    sixmm_match match;
    const char *str;
    sixmm_advice advice;
};

static struct probe *probes;
static size_t nprobes, cap;
static unsigned rounds = 20;

static struct probe *add(int what, sixmm_domain d)
{
    struct probe *p;
    if (nprobes == cap) {
        cap = cap ? cap * 2 : 1024;
        probes = realloc(probes, cap * sizeof *probes);
        if (!probes) {
            perror("realloc");
            exit(2);
        }
    }
    p = &probes[nprobes++];
    memset(p, 0, sizeof *p);
    p->what = what;
    p->domain = d;
    return p;
}

static void add_text(int what, sixmm_domain d, const char *s)
{
    struct probe *p = add(what, d);
    size_t n = strlen(s);
    if (n >= sizeof p->text)
        n = sizeof p->text - 1;
    memcpy(p->text, s, n);
    p->len = n;
}

/* Run one probe; results go to *r (which may be the probe itself). */
static void run(const struct probe *p, struct probe *r)
{
    switch (p->what) {
    case P_CODE:
        r->entry = sixmm_lookup(p->domain, p->code, &r->match);
        break;
    case P_TEXT:
        r->entry = sixmm_lookup_text(p->domain, p->text, p->len, &r->match);
        break;
    case P_NAME:
        r->entry = sixmm_lookup_name(p->domain, p->text, p->len);
        break;
    case P_MESSAGE:
        r->entry = sixmm_lookup_message(p->domain, p->text, p->len);
        break;
    case P_ID:
        r->entry = sixmm_lookup_id(p->domain, p->text, p->len);
        break;
    case P_STRERROR:
        r->str = sixmm_strerror(p->domain, p->code);
        break;
    case P_CLASSIFY:
        sixmm_classify(&p->call, p->random, &r->advice);
        break;
    }
    if (r->entry) {
        /* Touch the accessors too: they read the same tables. */
        r->str = sixmm_entry_description(r->entry, (sixmm_lang)(p->code & 1));
        (void)sixmm_entry_related(r->entry, 0);
    }
}

static int same(const struct probe *a, const struct probe *b)
{
    return a->entry == b->entry && a->match == b->match && a->str == b->str &&
           a->advice.action == b->advice.action && a->advice.entry == b->advice.entry &&
           a->advice.match == b->advice.match && a->advice.resend == b->advice.resend &&
           a->advice.delay_ms == b->advice.delay_ms && a->advice.reason == b->advice.reason;
}

static void *worker(void *arg)
{
    size_t start = (size_t)(uintptr_t)arg, i, k;
    unsigned long bad = 0;
    unsigned r;
    struct probe got;

    for (r = 0; r < rounds; r++) {
        /* Each thread walks the probes from its own offset, so different
         * threads hit different parts of the tables at the same moment. */
        for (k = 0; k < nprobes; k++) {
            i = (start * nprobes / THREADS + k) % nprobes;
            memset(&got, 0, sizeof got);
            run(&probes[i], &got);
            if (!same(&got, &probes[i]))
                bad++;
        }
    }
    return (void *)(uintptr_t)bad;
}

static void build_probes(void)
{
    static const int http[] = {0, 200, 401, 429, 500, 502, 503, 504};
    size_t i, n = sixmm_entry_count();
    unsigned d;
    char buf[64];

    for (d = 0; d <= SIXMM_DOMAIN_COUNT; d++) {
        int64_t c;
        for (c = -3; c < 7000; c += 1)
            add(P_CODE, (sixmm_domain)d)->code = c;
        for (c = 100000; c < 104000; c += 7)
            add(P_CODE, (sixmm_domain)d)->code = c;
        add(P_CODE, (sixmm_domain)d)->code = INT64_MIN;
        add(P_CODE, (sixmm_domain)d)->code = INT64_MAX;
        for (c = 0; c < 6000; c += 97) {
            snprintf(buf, sizeof buf, " %lld\n", (long long)c);
            add_text(P_TEXT, (sixmm_domain)d, buf);
            add(P_STRERROR, (sixmm_domain)d)->code = c;
        }
        add_text(P_TEXT, (sixmm_domain)d, "99999999999999999999");
        add_text(P_NAME, (sixmm_domain)d, "no_such_name");
        add_text(P_MESSAGE, (sixmm_domain)d, "no such message");
    }
    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_domain dom = sixmm_entry_domain(e);
        const char *name = sixmm_entry_name(e), *key = sixmm_entry_key(e);
        size_t h;
        add_text(P_NAME, dom, name);
        snprintf(buf, sizeof buf, "sixmm_e_%s", name);
        add_text(P_NAME, dom, buf);
        add_text(P_TEXT, dom, key);
        if (sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE)
            add_text(P_MESSAGE, dom, key);
        if (sixmm_entry_kind(e) == SIXMM_KIND_ID)
            add_text(P_ID, dom, key);
        for (h = 0; h < sizeof http / sizeof http[0]; h++) {
            unsigned attempt;
            for (attempt = 0; attempt < 4; attempt++) {
                struct probe *p = add(P_CLASSIFY, dom);
                p->call.domain = dom;
                p->call.http_status = http[h];
                p->call.idempotent = (int)(attempt & 1);
                p->call.attempt = attempt;
                p->random = (uint32_t)(i * 2654435761u + h * 40503u + attempt);
                if (sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE || sixmm_entry_kind(e) == SIXMM_KIND_ID) {
                    p->call.message = key;
                    p->call.message_len = strlen(key);
                } else {
                    p->call.has_code = 1;
                    p->call.code = sixmm_entry_code(e);
                }
            }
        }
    }
}

int main(int argc, char **argv)
{
    pthread_t t[THREADS];
    unsigned long bad = 0;
    size_t i;

    if (argc > 1)
        rounds = (unsigned)strtoul(argv[1], NULL, 10);
    build_probes();
    for (i = 0; i < nprobes; i++)
        run(&probes[i], &probes[i]);   /* the single-threaded answers */
    for (i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
            perror("pthread_create");
            return 2;
        }
    for (i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (unsigned long)(uintptr_t)r;
    }
    printf("%zu probes x %u rounds x %d threads: %lu differences from single-threaded\n",
           nprobes, rounds, THREADS, bad);
    free(probes);
    return bad != 0;
}
