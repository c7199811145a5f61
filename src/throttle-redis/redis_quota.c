/*
 * libsixmm-throttle-redis: the quota of quota.lua in Redis, behind the
 * sixmm_quota_ops of a sixmm_throttle, and this host's share of the quota
 * while Redis does not answer.
 *
 * States: SHARED, every call goes to Redis (EVALSHA of the script, EVAL
 * when Redis does not know it, as after a restart). A call that fails or
 * takes longer than the timeout switches to FALLBACK: from then on turns
 * come from `local`, a sixmm_throttle with this host's share (rate/N, its
 * part of the burst and of the slots), held until every turn Redis may have
 * granted on the strength of this host's presence is over (presence +
 * max(lease, burst / rate) after the last answer; the README has the
 * argument). Every presence period the fallback probes Redis with PING; once
 * Redis answers, the host takes no more local turns, and it goes back to
 * SHARED when its last local turn is burst / rate old and no local lease is
 * still held (or every one has expired).
 *
 * Tickets: Redis leases carry REDIS_TICKET; the local share's are below 2^30.
 */
#define _POSIX_C_SOURCE 200809L

#include <sixmm/throttle-redis.h>

#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "quota_script.h" /* sixmm_redis_script: quota.lua, made by the build */

#define REDIS_TICKET UINT32_C(0x80000000)
#define TICKET_MASK  UINT32_C(0x3FFFFFFF)
#define KEY_MAX      200

struct sixmm_redis_quota {
    pthread_mutex_t lock;
    redisContext *c;     /* NULL: not connected */
    char host[256];
    int port;
    char keys[3][KEY_MAX + 8];
    char sha[41];        /* the script's SHA1 from SCRIPT LOAD; "" until loaded */
    char instance[24];   /* random: this opener's part of each lease name */
    uint32_t rate, burst, concurrency, lease_ms, timeout_ms, presence_ms, hosts, index;
    uint32_t next_ticket;
    sixmm_redis_mode mode;
    int redis_back;               /* FALLBACK: a probe was answered */
    uint64_t last_answer_ms;      /* the caller's clock at Redis's last answer */
    int answered;                 /* Redis answered at least once */
    uint64_t last_probe_ms;
    uint64_t last_local_start_ms; /* start of the latest local turn */
    int local_used;
    uint32_t local_out;           /* local leases not yet released */
    sixmm_throttle local;         /* this host's share */
    sixmm_redis_stats stats;
    char err[256];
};

static void set_error(sixmm_redis_quota *q, const char *what)
{
    snprintf(q->err, sizeof q->err, "%s", what);
}

static void disconnect(sixmm_redis_quota *q)
{
    if (q->c) {
        set_error(q, q->c->err ? q->c->errstr : "no answer in time");
        redisFree(q->c);
        q->c = NULL;
    }
}

static struct timeval timeout_tv(const sixmm_redis_quota *q)
{
    struct timeval tv;
    tv.tv_sec = q->timeout_ms / 1000;
    tv.tv_usec = (suseconds_t)(q->timeout_ms % 1000) * 1000;
    return tv;
}

static int connect_redis(sixmm_redis_quota *q)
{
    if (q->c)
        return 0;
    q->c = redisConnectWithTimeout(q->host, q->port, timeout_tv(q));
    if (!q->c) {
        set_error(q, "out of memory");
        return -1;
    }
    if (q->c->err || redisSetTimeout(q->c, timeout_tv(q)) != REDIS_OK) {
        disconnect(q);
        return -1;
    }
    return 0;
}

/* One command; NULL (and no connection) when Redis did not answer in time. */
static redisReply *command(sixmm_redis_quota *q, int argc, const char **argv)
{
    redisReply *r;
    if (connect_redis(q) != 0)
        return NULL;
    r = redisCommandArgv(q->c, argc, argv, NULL);
    if (!r)
        disconnect(q);
    return r;
}

/* Run the script: EVALSHA, or EVAL when Redis does not have it. Fills
 * out[0..1] from its two-integer answer. Returns 0, or -1 when Redis did
 * not answer or answered with an error. */
static int run_script(sixmm_redis_quota *q, const char *op, const char *last, long long out[2])
{
    char nums[8][16];
    const char *argv[16];
    uint32_t v[7];
    redisReply *r;
    int i, argc = 0, sha = q->sha[0] != '\0';

    v[0] = q->rate, v[1] = q->burst, v[2] = q->concurrency, v[3] = q->lease_ms;
    v[4] = q->presence_ms, v[5] = q->hosts, v[6] = q->index;
    argv[argc++] = sha ? "EVALSHA" : "EVAL";
    argv[argc++] = sha ? q->sha : sixmm_redis_script;
    argv[argc++] = "3";
    for (i = 0; i < 3; i++)
        argv[argc++] = q->keys[i];
    argv[argc++] = op;
    for (i = 0; i < 7; i++) {
        snprintf(nums[i], sizeof nums[i], "%u", (unsigned)v[i]);
        argv[argc++] = nums[i];
    }
    argv[argc++] = last;
    r = command(q, argc, argv);
    if (r && sha && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0) {
        freeReplyObject(r);
        argv[0] = "EVAL";
        argv[1] = sixmm_redis_script;
        r = command(q, argc, argv);
    }
    if (!r)
        return -1;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[0]->type != REDIS_REPLY_INTEGER || r->element[1]->type != REDIS_REPLY_INTEGER) {
        set_error(q, r->type == REDIS_REPLY_ERROR ? r->str : "the script's answer is not two numbers");
        freeReplyObject(r);
        return -1;
    }
    out[0] = r->element[0]->integer;
    out[1] = r->element[1]->integer;
    freeReplyObject(r);
    if (!sha)
        q->sha[0] = '\0'; /* loaded by EVAL; SCRIPT LOAD at the next probe gives its SHA */
    return 0;
}

static void load_script(sixmm_redis_quota *q)
{
    const char *argv[3] = {"SCRIPT", "LOAD", sixmm_redis_script};
    redisReply *r = command(q, 3, argv);
    if (!r)
        return;
    if (r->type == REDIS_REPLY_STRING && r->len == 40)
        memcpy(q->sha, r->str, 41);
    freeReplyObject(r);
}

static int ping(sixmm_redis_quota *q)
{
    const char *argv[1] = {"PING"};
    redisReply *r = command(q, 1, argv);
    int ok = r && r->type == REDIS_REPLY_STATUS;
    if (r)
        freeReplyObject(r);
    return ok;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* burst / rate in ms, rounded up: how long a full burst takes to come back. */
static uint64_t burst_time_ms(const sixmm_redis_quota *q)
{
    return ((uint64_t)q->burst * 1000 + q->rate - 1) / q->rate;
}

static void enter_fallback(sixmm_redis_quota *q, uint64_t now_ms)
{
    uint64_t since = q->answered ? q->last_answer_ms : now_ms;
    uint64_t until = since + q->presence_ms + max_u64(q->lease_ms, burst_time_ms(q));
    sixmm_advice hold;

    q->mode = SIXMM_REDIS_FALLBACK;
    q->redis_back = 0;
    q->last_probe_ms = now_ms;
    q->stats.fallbacks++;
    if (until > now_ms) {
        memset(&hold, 0, sizeof hold);
        hold.action = SIXMM_RETRY_BACKOFF;
        hold.delay_ms = (uint32_t)(until - now_ms);
        hold.reason = "";
        sixmm_throttle_feedback(&q->local, &hold, now_ms);
    }
}

/* FALLBACK: probe Redis now and then; back to SHARED once it answers and
 * the local share is quiet. Returns whether the mode is SHARED now. */
static int try_return(sixmm_redis_quota *q, uint64_t now_ms)
{
    if (!q->redis_back && now_ms - q->last_probe_ms >= q->presence_ms) {
        q->last_probe_ms = now_ms;
        if (ping(q)) {
            q->redis_back = 1;
            load_script(q);
        }
    }
    if (!q->redis_back)
        return 0;
    if (q->local_used && now_ms < q->last_local_start_ms + burst_time_ms(q))
        return 0;
    if (q->local_out > 0 && now_ms < q->last_local_start_ms + q->lease_ms)
        return 0;
    q->mode = SIXMM_REDIS_SHARED;
    q->local_out = 0;
    q->local_used = 0;
    q->stats.returns++;
    return 1;
}

static uint32_t quota_acquire(void *ctx, uint64_t now_ms, uint32_t *ticket)
{
    sixmm_redis_quota *q = ctx;
    uint32_t wait = SIXMM_THROTTLE_BUSY, n;
    long long got[2];
    char name[64];

    *ticket = SIXMM_THROTTLE_NO_TICKET;
    pthread_mutex_lock(&q->lock);
    if (q->mode == SIXMM_REDIS_FALLBACK && !try_return(q, now_ms)) {
        if (!q->redis_back) {
            wait = sixmm_throttle_acquire_lease(&q->local, now_ms, ticket);
            if (wait != SIXMM_THROTTLE_BUSY) {
                q->local_used = 1;
                q->last_local_start_ms = max_u64(q->last_local_start_ms, now_ms + wait);
                q->local_out++;
                q->stats.fallback_turns++;
            }
        }
        pthread_mutex_unlock(&q->lock);
        return wait;
    }
    n = q->next_ticket++ & TICKET_MASK;
    snprintf(name, sizeof name, "%u:%s:%u", (unsigned)q->index, q->instance, (unsigned)n);
    if (run_script(q, "acquire", name, got) != 0) {
        enter_fallback(q, now_ms);
        pthread_mutex_unlock(&q->lock);
        return quota_acquire(ctx, now_ms, ticket);
    }
    q->last_answer_ms = now_ms;
    q->answered = 1;
    q->stats.present = (uint32_t)got[1];
    if (got[0] >= 0) {
        wait = got[0] >= SIXMM_THROTTLE_BUSY ? SIXMM_THROTTLE_BUSY - 1 : (uint32_t)got[0];
        *ticket = REDIS_TICKET | n;
        q->stats.shared_turns++;
    }
    pthread_mutex_unlock(&q->lock);
    return wait;
}

static void quota_release(void *ctx, uint32_t ticket, uint64_t now_ms)
{
    sixmm_redis_quota *q = ctx;
    long long got[2];
    char name[64];

    if (ticket == SIXMM_THROTTLE_NO_TICKET)
        return;
    pthread_mutex_lock(&q->lock);
    if (ticket & REDIS_TICKET) {
        /* Unreachable Redis: the lease expires there by itself. */
        snprintf(name, sizeof name, "%u:%s:%u", (unsigned)q->index, q->instance,
                 (unsigned)(ticket & TICKET_MASK));
        if (q->mode == SIXMM_REDIS_SHARED && run_script(q, "release", name, got) != 0)
            enter_fallback(q, now_ms);
    } else {
        sixmm_throttle_release_lease(&q->local, ticket, now_ms);
        if (q->local_out > 0)
            q->local_out--;
    }
    pthread_mutex_unlock(&q->lock);
}

static void quota_feedback(void *ctx, const sixmm_advice *advice, uint64_t now_ms)
{
    sixmm_redis_quota *q = ctx;
    long long got[2];
    char hold[16];

    if (!advice || advice->action != SIXMM_RETRY_BACKOFF || advice->delay_ms == 0)
        return;
    pthread_mutex_lock(&q->lock);
    sixmm_throttle_feedback(&q->local, advice, now_ms);
    if (q->mode == SIXMM_REDIS_SHARED) {
        snprintf(hold, sizeof hold, "%u", (unsigned)advice->delay_ms);
        if (run_script(q, "feedback", hold, got) != 0)
            enter_fallback(q, now_ms);
    }
    pthread_mutex_unlock(&q->lock);
}

static const sixmm_quota_ops redis_ops = {quota_acquire, quota_release, quota_feedback};

/* "redis://HOST[:PORT]" or "HOST[:PORT]". */
static int parse_url(sixmm_redis_quota *q, const char *url)
{
    const char *colon, *end;
    size_t len;
    long port = 6379;
    char *stop;

    if (strncmp(url, "redis://", 8) == 0)
        url += 8;
    end = url + strlen(url);
    if (end > url && end[-1] == '/')
        end--;
    colon = memchr(url, ':', (size_t)(end - url));
    len = (size_t)((colon ? colon : end) - url);
    if (len == 0 || len >= sizeof q->host)
        return -1;
    if (colon) {
        errno = 0;
        port = strtol(colon + 1, &stop, 10);
        if (errno || stop != end || port < 1 || port > 65535)
            return -1;
    }
    memcpy(q->host, url, len);
    q->host[len] = '\0';
    q->port = (int)port;
    return 0;
}

static void random_instance(char out[24])
{
    unsigned char b[8] = {0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, b, sizeof b) != (ssize_t)sizeof b)
            memset(b, 0, sizeof b);
        close(fd);
    }
    snprintf(out, 24, "%02x%02x%02x%02x%02x%02x%02x%02x.%ld", b[0], b[1], b[2], b[3], b[4], b[5],
             b[6], b[7], (long)getpid() % 100000);
}

static uint32_t pick(uint32_t given, uint32_t spec)
{
    return given ? given : spec;
}

int sixmm_redis_quota_open(const char *url, sixmm_domain domain, const sixmm_redis_options *opt,
                           sixmm_redis_quota **out)
{
    static const sixmm_redis_options none;
    sixmm_quota_policy p;
    sixmm_redis_quota *q;
    const char *key;
    char def[64];
    int i;

    if (!out)
        return -1;
    *out = NULL;
    if (!opt)
        opt = &none;
    if (!url || sixmm_quota_policy_get(domain, &p) != 0)
        return -1;
    q = calloc(1, sizeof *q);
    if (!q)
        return -1;
    q->rate = pick(opt->rate_per_s, p.rate_per_s);
    q->burst = pick(opt->burst, p.burst);
    q->concurrency = pick(opt->concurrency, p.concurrency);
    q->lease_ms = pick(opt->lease_ms, p.lease_ms);
    q->timeout_ms = pick(opt->timeout_ms, p.store_timeout_ms);
    q->presence_ms = pick(opt->presence_ms, p.store_presence_ms);
    q->hosts = opt->hosts ? opt->hosts : 1;
    q->index = opt->host_index;
    snprintf(def, sizeof def, "sixmm:quota:%s", sixmm_domain_name(domain));
    key = opt->key ? opt->key : def;
    if (parse_url(q, url) != 0 || q->timeout_ms == 0 || q->presence_ms == 0 || q->lease_ms == 0 ||
        q->index >= q->hosts || strlen(key) == 0 || strlen(key) > KEY_MAX ||
        sixmm_throttle_init_share(&q->local, q->rate, q->burst, q->concurrency, q->lease_ms,
                                  q->hosts, q->index) != 0) {
        free(q);
        return -1;
    }
    /* One hash tag, so that a Redis Cluster keeps the three keys together. */
    for (i = 0; i < 3; i++)
        snprintf(q->keys[i], sizeof q->keys[i], "{%s}:%s", key,
                 i == 0 ? "tat" : i == 1 ? "slots" : "hosts");
    random_instance(q->instance);
    if (pthread_mutex_init(&q->lock, NULL) != 0) {
        free(q);
        return -1;
    }
    q->mode = SIXMM_REDIS_SHARED;
    if (connect_redis(q) == 0)
        load_script(q);
    *out = q;
    return 0;
}

int sixmm_throttle_init_redis(sixmm_throttle *t, sixmm_redis_quota *q)
{
    if (!q)
        return -1;
    return sixmm_throttle_init_ops(t, &redis_ops, q);
}

void sixmm_redis_quota_stats(sixmm_redis_quota *q, sixmm_redis_stats *out)
{
    pthread_mutex_lock(&q->lock);
    q->stats.mode = q->mode;
    *out = q->stats;
    pthread_mutex_unlock(&q->lock);
}

const char *sixmm_redis_quota_error(const sixmm_redis_quota *q)
{
    return q ? q->err : "";
}

void sixmm_redis_quota_close(sixmm_redis_quota *q)
{
    if (!q)
        return;
    disconnect(q);
    pthread_mutex_destroy(&q->lock);
    free(q);
}
