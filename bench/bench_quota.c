/*
 * The quota's benchmark: a leased acquire + release on a throttle in the
 * process's own memory beside the same on a throttle in a shared file
 * (sixmm_throttle_open_shared), from 1, 2 and 8 threads or processes at
 * once; and, when libsixmm-throttle-redis is built and redis-server is
 * installed, a Redis acquire beside a plain PING to the same server over
 * loopback, from 1, 2 and 8 processes. The budget: shared memory <= 2x in
 * process, Redis <= 2x PING, each ratio from the same run, printed as
 * PASS/FAIL.
 *
 * Memory figures are the median of 7 rounds of a timed loop, in ns per
 * pair per caller (wall clock; with more callers than cores they include
 * waiting for a core, the same for both sides). Redis figures are the median
 * of per-call latencies, the acquires and the PINGs interleaved so that both
 * see the same load. The bench starts its own redis-server on a free
 * loopback port, with no persistence, and stops it.
 *
 *     bench_quota [--quick]
 */
#define _DEFAULT_SOURCE

#include <sixmm/errinfo.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef SIXMM_BENCH_REDIS
#include <hiredis/hiredis.h>
#include <sixmm/throttle-redis.h>
#endif

#define ROUNDS 7

static unsigned pairs = 1000000, redis_calls = 4000;
static int failures;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ns per leased acquire + release, over `pairs` pairs. */
static double lease_loop(sixmm_throttle *t)
{
    double t0 = now_ns();
    uint64_t now = 0;
    unsigned i;

    for (i = 0; i < pairs; i++) {
        uint32_t ticket;
        if (sixmm_throttle_acquire_lease(t, now, &ticket) != SIXMM_THROTTLE_BUSY)
            sixmm_throttle_release_lease(t, ticket, now);
        now += i & 1;
    }
    return (now_ns() - t0) / pairs;
}

/* A throttle so fast that no turn waits and no slot runs out: the figure
 * is the cost of the calls. */
#define FAST UINT32_MAX, UINT32_MAX, 64

/* Every caller of a round starts when all are ready, so that they overlap. */
struct gate {
    volatile int ready, n;
};

static void pass_gate(struct gate *g)
{
    __atomic_add_fetch(&g->ready, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&g->ready, __ATOMIC_ACQUIRE) < g->n)
        sched_yield();
}

struct run {
    sixmm_throttle *t;
    struct gate *gate;
    double ns;
};

static void *thread_loop(void *arg)
{
    struct run *r = arg;
    pass_gate(r->gate);
    r->ns = lease_loop(r->t);
    return NULL;
}

/* Median over ROUNDS of the mean ns per pair of n threads on t. */
static double threads_on(sixmm_throttle *t, int n)
{
    double rounds[ROUNDS];
    pthread_t th[8];
    struct run runs[8];
    int r, i;

    for (r = 0; r < ROUNDS; r++) {
        struct gate g = {0, n};
        double sum = 0;
        for (i = 0; i < n; i++) {
            runs[i].t = t;
            runs[i].gate = &g;
            pthread_create(&th[i], NULL, thread_loop, &runs[i]);
        }
        for (i = 0; i < n; i++) {
            pthread_join(th[i], NULL);
            sum += runs[i].ns;
        }
        rounds[r] = sum / n;
    }
    return median(rounds, ROUNDS);
}

/* The same with n processes, each opening the shared file itself. */
static double processes_on(const char *path, int n)
{
    double rounds[ROUNDS], *results;
    struct gate *g;
    pid_t pids[8];
    int r, i, status;

    results = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (results == MAP_FAILED)
        exit(2);
    g = (struct gate *)(void *)(results + 16);
    for (r = 0; r < ROUNDS; r++) {
        double sum = 0;
        g->ready = 0;
        g->n = n;
        for (i = 0; i < n; i++) {
            pids[i] = fork();
            if (pids[i] == 0) {
                sixmm_throttle *t;
                if (sixmm_throttle_open_shared_custom(path, FAST, &t) != SIXMM_SHARED_OK)
                    _exit(3);
                pass_gate(g);
                results[i] = lease_loop(t);
                sixmm_throttle_close_shared(t);
                _exit(0);
            }
        }
        for (i = 0; i < n; i++) {
            waitpid(pids[i], &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                exit(2);
            sum += results[i];
        }
        rounds[r] = sum / n;
    }
    munmap(results, 4096);
    return median(rounds, ROUNDS);
}

static void verdict(const char *what, double ratio, double limit)
{
    int pass = ratio <= limit;
    failures += !pass;
    printf("%s: %.2fx (budget %.0fx) %s\n", what, ratio, limit, pass ? "PASS" : "FAIL");
}

static void bench_memory(void)
{
    static const int callers[] = {1, 2, 8};
    char path[256];
    sixmm_throttle local, *shared;
    size_t k;

    snprintf(path, sizeof path, "%s/sixmm-bench-%ld.quota",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
    unlink(path);
    if (sixmm_throttle_init_custom(&local, FAST) != 0 ||
        sixmm_throttle_open_shared_custom(path, FAST, &shared) != SIXMM_SHARED_OK) {
        fprintf(stderr, "bench_quota: cannot make the throttles\n");
        exit(2);
    }
    printf("%-48s %10s %10s %8s\n", "leased acquire + release, ns per pair per caller",
           "in process", "shared", "ratio");
    for (k = 0; k < sizeof callers / sizeof callers[0]; k++) {
        int n = callers[k];
        double in = threads_on(&local, n), sh = threads_on(shared, n), pr;
        char what[96];
        printf("%d thread%-40s %10.1f %10.1f %7.2fx\n", n, n > 1 ? "s" : "", in, sh, sh / in);
        snprintf(what, sizeof what, "shared / in process, %d thread%s", n, n > 1 ? "s" : "");
        verdict(what, sh / in, 2.0);
        /* The same number of callers as processes, each with its mapping. */
        pr = processes_on(path, n);
        printf("%d process%-39s %10.1f %10.1f %7.2fx\n", n, n > 1 ? "es" : "", in, pr, pr / in);
        snprintf(what, sizeof what, "shared in %d process%s / in process, %d thread%s", n,
                 n > 1 ? "es" : "", n, n > 1 ? "s" : "");
        verdict(what, pr / in, 2.0);
    }
    sixmm_throttle_close_shared(shared);
    unlink(path);
}

#ifdef SIXMM_BENCH_REDIS
static int free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM, 0), port;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0)
        return -1;
    port = ntohs(a.sin_port);
    close(s);
    return port;
}

static pid_t start_redis(int port)
{
    char p[16];
    pid_t pid;
    int i;

    snprintf(p, sizeof p, "%d", port);
    pid = fork();
    if (pid == 0) {
        execlp("redis-server", "redis-server", "--port", p, "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--logfile", "/dev/null", (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < 200; i++) {
        redisContext *c = redisConnect("127.0.0.1", port);
        int up = c && !c->err;
        if (c)
            redisFree(c);
        if (up)
            return pid;
        {
            struct timespec ts = {0, 10000000L};
            nanosleep(&ts, NULL);
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* One process: redis_calls acquires (leases released untimed) and as many
 * PINGs, interleaved; the two medians in out[0], out[1] (ns). */
static void redis_worker(int port, int index, double out[2])
{
    sixmm_redis_options o;
    sixmm_redis_quota *q;
    sixmm_throttle t;
    redisContext *c = redisConnect("127.0.0.1", port);
    double *acq = calloc(redis_calls, sizeof *acq), *ping = calloc(redis_calls, sizeof *ping);
    char url[64], key[64];
    unsigned i;

    memset(&o, 0, sizeof o);
    snprintf(key, sizeof key, "bench:%ld:%d", (long)getpid(), index);
    o.key = key;
    o.rate_per_s = 100000000;
    o.burst = 100000000;
    o.concurrency = 100000000;
    o.timeout_ms = 2000;
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", port);
    if (!c || c->err || !acq || !ping || sixmm_redis_quota_open(url, SIXMM_DOMAIN_AGENT, &o, &q))
        exit(2);
    sixmm_throttle_init_redis(&t, q);
    for (i = 0; i < redis_calls; i++) {
        uint32_t ticket;
        double t0 = now_ns(), t1;
        redisReply *r = redisCommand(c, "PING");
        t1 = now_ns();
        freeReplyObject(r);
        ping[i] = t1 - t0;
        t0 = now_ns();
        if (sixmm_throttle_acquire_lease(&t, 0, &ticket) == SIXMM_THROTTLE_BUSY)
            exit(2);
        acq[i] = now_ns() - t0;
        sixmm_throttle_release_lease(&t, ticket, 0);
    }
    {
        sixmm_redis_stats s;
        sixmm_redis_quota_stats(q, &s);
        if (s.fallbacks)
            exit(4); /* the figure would be the local share's, not Redis's */
    }
    out[0] = median(acq, redis_calls);
    out[1] = median(ping, redis_calls);
    free(acq);
    free(ping);
    redisFree(c);
    sixmm_redis_quota_close(q);
}

static void bench_redis(void)
{
    static const int callers[] = {1, 2, 8};
    double *res;
    int port = free_port(), i, status;
    pid_t server, pids[8];
    size_t k;

    if (system("command -v redis-server >/dev/null 2>&1") != 0) {
        printf("redis: not measured (redis-server is not installed)\n");
        return;
    }
    server = port > 0 ? start_redis(port) : -1;
    if (server < 0) {
        fprintf(stderr, "bench_quota: redis-server did not start\n");
        failures++;
        return;
    }
    res = mmap(NULL, 16 * sizeof *res, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (res == MAP_FAILED)
        exit(2);
    printf("%-44s %10s %10s %8s\n", "Redis over loopback, median us per call", "PING",
           "acquire", "ratio");
    for (k = 0; k < sizeof callers / sizeof callers[0]; k++) {
        int n = callers[k];
        double a = 0, p = 0;
        char what[96];
        for (i = 0; i < n; i++) {
            pids[i] = fork();
            if (pids[i] == 0) {
                redis_worker(port, i, &res[2 * i]);
                _exit(0);
            }
        }
        for (i = 0; i < n; i++) {
            waitpid(pids[i], &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "bench_quota: a Redis worker failed (%d)\n", status);
                exit(2);
            }
            a += res[2 * i] / n;
            p += res[2 * i + 1] / n;
        }
        printf("%-44s %10.1f %10.1f %7.2fx\n",
               n == 1 ? "1 process" : n == 2 ? "2 processes" : "8 processes", p / 1000, a / 1000,
               a / p);
        snprintf(what, sizeof what, "Redis acquire / PING, %d process%s", n, n > 1 ? "es" : "");
        verdict(what, a / p, 2.0);
    }
    munmap(res, 16 * sizeof *res);
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
}
#endif

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--quick") == 0)
        pairs = 20000, redis_calls = 200;
    else if (argc > 1) {
        fprintf(stderr, "usage: bench_quota [--quick]\n");
        return 2;
    }
    bench_memory();
#ifdef SIXMM_BENCH_REDIS
    bench_redis();
#else
    printf("redis: not measured (libsixmm-throttle-redis is not built)\n");
#endif
    printf("%s\n", failures ? "budget: FAIL" : "budget: PASS");
    return failures ? 1 : 0;
}
