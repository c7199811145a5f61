/*
 * The Redis quota while redis-server is killed and restarted: 3 host
 * processes x 2 threads share a quota of 10 requests/s, a burst of 3 and 3
 * slots through the fixture's redis-server "quota"; after 3 s the test kills
 * it with SIGKILL, after 7 s starts it again (empty: no persistence), and
 * stops at 12 s. Every call is recorded where the API's server would see
 * it: in a second redis-server, "meter", which stamps each call's begin
 * and end with its own TIME. On that record:
 *   - sends in any window of W ms <= burst + rate (W + J) / 1000, rounded
 *     up, where J = 20 ms allows for the scheduling delay between a turn's
 *     start and its arrival at the meter (it only ever delays a send);
 *   - calls in flight at the meter <= concurrency, at every moment;
 *   - calls were made on the local shares while Redis was away, and from
 *     Redis again after it came back; every host fell back and returned.
 * Exits 77 when redis-server is not installed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sixmm/throttle-redis.h>

#define HOSTS   3
#define THREADS 2
#define RATE    10
#define BURST   3
#define SLOTS   3
#define JITTER_MS 20
#define KILL_AT_MS    3000
#define RESTART_AT_MS 7000
#define END_AT_MS     12000

static const char *dir;
static int quota_port, meter_port;
static uint64_t t0;

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int read_int(const char *name, const char *ext)
{
    char path[512];
    FILE *f;
    int v = 0;

    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    f = fopen(path, "r");
    if (!f) {
        if (system("command -v redis-server >/dev/null 2>&1") != 0) {
            printf("redis-server is not installed: skipped\n");
            exit(77);
        }
        fprintf(stderr, "%s: missing, but redis-server is installed\n", path);
        exit(1);
    }
    if (fscanf(f, "%d", &v) != 1)
        v = 0;
    fclose(f);
    return v;
}

static redisContext *meter(void)
{
    redisContext *c = redisConnect("127.0.0.1", meter_port);
    if (!c || c->err) {
        fprintf(stderr, "cannot reach the meter on port %d\n", meter_port);
        exit(1);
    }
    return c;
}

/* Stamp an event at the meter with the meter's clock (us). */
static void stamp(redisContext *c, const char *what)
{
    redisReply *r = redisCommand(
        c, "EVAL %s 1 %s %s",
        "local t = redis.call('TIME') "
        "redis.call('RPUSH', KEYS[1], t[1] .. string.format('%06d', tonumber(t[2])) .. ' ' .. ARGV[1]) "
        "return 1",
        "calls", what);
    if (!r || r->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "the meter failed: %s\n", r ? r->str : c->errstr);
        exit(1);
    }
    freeReplyObject(r);
}

struct host {
    sixmm_throttle t;
    int index;
};

static void *caller(void *arg)
{
    struct host *h = arg;
    redisContext *m = meter();
    unsigned seed = (unsigned)(h->index * 7919 + 1);

    while (mono_ms() < t0 + END_AT_MS) {
        uint32_t ticket, w = sixmm_throttle_acquire_lease(&h->t, mono_ms(), &ticket);
        if (w == SIXMM_THROTTLE_BUSY) {
            sleep_ms(5);
            continue;
        }
        if (mono_ms() + w >= t0 + END_AT_MS + 3000) {
            /* A turn past the end: not taken up. */
            sixmm_throttle_release_lease(&h->t, ticket, mono_ms());
            break;
        }
        sleep_ms(w);
        stamp(m, "+");
        sleep_ms(20 + (unsigned)(rand_r(&seed) % 40)); /* the call */
        stamp(m, "-");
        sixmm_throttle_release_lease(&h->t, ticket, mono_ms());
    }
    redisFree(m);
    return NULL;
}

static void host_main(int index)
{
    sixmm_redis_options o;
    sixmm_redis_quota *q;
    sixmm_redis_stats s;
    struct host h;
    pthread_t th[THREADS];
    char url[64], line[128];
    redisContext *m;
    redisReply *r;
    int i;

    memset(&o, 0, sizeof o);
    o.key = "kill-test";
    o.hosts = HOSTS;
    o.host_index = (uint32_t)index;
    o.rate_per_s = RATE;
    o.burst = BURST;
    o.concurrency = SLOTS;
    o.lease_ms = 800;
    o.presence_ms = 300;
    o.timeout_ms = 50;
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", quota_port);
    if (sixmm_redis_quota_open(url, SIXMM_DOMAIN_AGENT, &o, &q) != 0)
        _exit(10);
    h.index = index;
    sixmm_throttle_init_redis(&h.t, q);
    for (i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, caller, &h);
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    sixmm_redis_quota_stats(q, &s);
    snprintf(line, sizeof line, "%d %llu %llu %llu %llu", index, (unsigned long long)s.shared_turns,
             (unsigned long long)s.fallback_turns, (unsigned long long)s.fallbacks,
             (unsigned long long)s.returns);
    m = meter();
    r = redisCommand(m, "RPUSH hosts %s", line);
    freeReplyObject(r);
    redisFree(m);
    sixmm_redis_quota_close(q);
    _exit(0);
}

static void run_redis(const char *how)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s", how);
    if (system(cmd) != 0) {
        fprintf(stderr, "failed: %s\n", cmd);
        exit(1);
    }
}

struct ev {
    uint64_t us;
    int begin;
};

static int by_time(const void *a, const void *b)
{
    const struct ev *x = a, *y = b;
    if (x->us != y->us)
        return x->us < y->us ? -1 : 1;
    return x->begin - y->begin; /* an end before a begin at the same us */
}

int main(int argc, char **argv)
{
    pid_t pids[HOSTS];
    redisContext *m;
    redisReply *r;
    struct ev *ev;
    uint64_t *begins, kill_us = 0, restart_us = 0, first_us;
    size_t i, j, n, nb = 0;
    int failures = 0, in_flight = 0, most = 0, worst = -1000, p, status;
    unsigned long long phase[3] = {0, 0, 0};
    char cmd[1024];

    (void)argc;
    (void)argv;
    dir = getenv("SIXMM_REDIS_DIR");
    if (!dir)
        dir = ".";
    quota_port = read_int("quota", "port");
    meter_port = read_int("meter", "port");
    m = meter();
    freeReplyObject(redisCommand(m, "DEL calls hosts events"));
    t0 = mono_ms();
    for (p = 0; p < HOSTS; p++) {
        pids[p] = fork();
        if (pids[p] == 0)
            host_main(p);
    }
    sleep_ms(KILL_AT_MS);
    snprintf(cmd, sizeof cmd, "kill -9 $(cat '%s/quota.pid') && while redis-cli -p %d ping >/dev/null 2>&1; do sleep 0.01; done",
             dir, quota_port);
    run_redis(cmd);
    stamp(m, "kill");
    sleep_ms(RESTART_AT_MS - KILL_AT_MS);
    snprintf(cmd, sizeof cmd, "redis-server '%s/quota.conf' && until redis-cli -p %d ping >/dev/null 2>&1; do sleep 0.01; done",
             dir, quota_port);
    run_redis(cmd);
    stamp(m, "restart");
    for (p = 0; p < HOSTS; p++) {
        if (waitpid(pids[p], &status, 0) != pids[p] || !WIFEXITED(status) || WEXITSTATUS(status)) {
            fprintf(stderr, "host %d ended with status %d\n", p, status);
            failures++;
        }
    }

    r = redisCommand(m, "LRANGE calls 0 -1");
    n = r->elements;
    ev = calloc(n + 1, sizeof *ev);
    begins = calloc(n + 1, sizeof *begins);
    for (i = j = 0; i < n; i++) {
        unsigned long long us;
        char what[16];
        if (sscanf(r->element[i]->str, "%llu %15s", &us, what) != 2)
            continue;
        if (!strcmp(what, "kill"))
            kill_us = us;
        else if (!strcmp(what, "restart"))
            restart_us = us;
        else {
            ev[j].us = us;
            ev[j].begin = what[0] == '+';
            j++;
        }
    }
    freeReplyObject(r);
    n = j;
    qsort(ev, n, sizeof *ev, by_time);
    first_us = n ? ev[0].us : 0;
    for (i = 0; i < n; i++) {
        in_flight += ev[i].begin ? 1 : -1;
        most = in_flight > most ? in_flight : most;
        if (ev[i].begin) {
            begins[nb++] = ev[i].us;
            phase[ev[i].us < kill_us ? 0 : ev[i].us < restart_us ? 1 : 2]++;
        }
    }
    for (i = 0; i < nb; i++)
        for (j = i; j < nb && begins[j] - begins[i] <= 30000000u; j++) {
            uint64_t w_us = begins[j] - begins[i];
            long bound = BURST + (long)((RATE * (w_us + JITTER_MS * 1000u) + 999999u) / 1000000u);
            long strict = BURST + (long)((RATE * w_us + 999999u) / 1000000u);
            long count = (long)(j - i + 1);
            if (count - strict > worst)
                worst = (int)(count - strict);
            if (count > bound) {
                if (failures < 10)
                    fprintf(stderr, "%ld sends within %llu us at the meter; the bound is %ld\n",
                            count, (unsigned long long)w_us, bound);
                failures++;
            }
        }
    if (most > SLOTS) {
        fprintf(stderr, "%d calls in flight at the meter; the quota allows %d\n", most, SLOTS);
        failures++;
    }
    printf("meter: %zu calls; before the kill %llu in %.1f s, Redis away %llu in %.1f s, "
           "after the restart %llu in %.1f s\n",
           nb, phase[0], (double)(kill_us - first_us) / 1e6, phase[1],
           (double)(restart_us - kill_us) / 1e6, phase[2],
           nb ? (double)(begins[nb - 1] - restart_us) / 1e6 : 0.0);
    printf("meter: at most %d calls in flight (quota %d); the busiest window held %+d sends "
           "against burst + rate x window (rate %d/s, burst %d)\n",
           most, SLOTS, worst, RATE, BURST);
    if (phase[0] == 0 || phase[1] == 0 || phase[2] == 0) {
        fprintf(stderr, "no calls in some phase: the quota did not fall back or come back\n");
        failures++;
    }
    r = redisCommand(m, "LRANGE hosts 0 -1");
    for (i = 0; i < r->elements; i++) {
        int k;
        unsigned long long shared, local, falls, rets;
        if (sscanf(r->element[i]->str, "%d %llu %llu %llu %llu", &k, &shared, &local, &falls,
                   &rets) != 5)
            continue;
        printf("host %d: %llu turns from Redis, %llu from its share; fell back %llu times, "
               "returned %llu times\n", k, shared, local, falls, rets);
        if (falls < 1 || rets < 1) {
            fprintf(stderr, "host %d did not fall back and return\n", k);
            failures++;
        }
    }
    if (r->elements != HOSTS) {
        fprintf(stderr, "%zu hosts reported, not %d\n", r->elements, HOSTS);
        failures++;
    }
    freeReplyObject(r);
    redisFree(m);
    free(ev);
    free(begins);
    return failures ? 1 : 0;
}
