/*
 * libsixmm-throttle-redis against a real redis-server (started by the CTest
 * fixture redis_quota; its port is in $SIXMM_REDIS_DIR/quota.port): the
 * quota's turns, slots and feedback come from Redis through a sixmm_throttle,
 * leases expire there, the script survives SCRIPT FLUSH (EVALSHA falls back
 * to EVAL), hosts share the quota, and an unreachable Redis gives this
 * host's share only after the wait that makes it safe. Exits 77 when
 * redis-server is not installed.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sixmm/throttle-redis.h>

#include "run_suite.h"

#define BUSY SIXMM_THROTTLE_BUSY

static char url[64];
static int port;
static unsigned key_serial;

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A fresh key per test, so that no test sees another's state. */
static const char *fresh_key(char *buf, size_t n)
{
    snprintf(buf, n, "test:%ld:%u", (long)getpid(), key_serial++);
    return buf;
}

static sixmm_redis_quota *open_quota(const sixmm_redis_options *o)
{
    sixmm_redis_quota *q = NULL;
    ck_assert_int_eq(sixmm_redis_quota_open(url, SIXMM_DOMAIN_AGENT, o, &q), 0);
    ck_assert_ptr_nonnull(q);
    return q;
}

static redisReply *admin(const char *cmd)
{
    redisContext *c = redisConnect("127.0.0.1", port);
    redisReply *r;
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->err, 0);
    r = redisCommand(c, cmd);
    redisFree(c);
    return r;
}

START_TEST(bad_urls_domains_and_options_are_refused)
{
    sixmm_redis_quota *q = (sixmm_redis_quota *)&q;
    sixmm_redis_options o;

    memset(&o, 0, sizeof o);
    ck_assert_int_eq(sixmm_redis_quota_open(NULL, SIXMM_DOMAIN_AGENT, NULL, &q), -1);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(sixmm_redis_quota_open(url, SIXMM_DOMAIN_AGENT, NULL, NULL), -1);
    ck_assert_int_eq(sixmm_redis_quota_open("redis://", SIXMM_DOMAIN_AGENT, NULL, &q), -1);
    ck_assert_int_eq(sixmm_redis_quota_open("redis://h:0", SIXMM_DOMAIN_AGENT, NULL, &q), -1);
    ck_assert_int_eq(sixmm_redis_quota_open("redis://h:70000", SIXMM_DOMAIN_AGENT, NULL, &q), -1);
    ck_assert_int_eq(sixmm_redis_quota_open("redis://h:6x", SIXMM_DOMAIN_AGENT, NULL, &q), -1);
    /* REST documents no quota. */
    ck_assert_int_eq(sixmm_redis_quota_open(url, SIXMM_DOMAIN_REST, NULL, &q), -1);
    o.hosts = 2;
    o.host_index = 2;
    ck_assert_int_eq(sixmm_redis_quota_open(url, SIXMM_DOMAIN_AGENT, &o, &q), -1);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(sixmm_throttle_init_redis(NULL, NULL), -1);
}
END_TEST

/* The Agent quota from Redis: a burst of 4, then one turn per 500 ms; 2
 * slots. Waits are Redis's, so they may be a few ms short of the schedule
 * by the time between the calls. */
START_TEST(the_agent_quota_comes_from_redis)
{
    sixmm_redis_options o;
    sixmm_redis_quota *q;
    sixmm_throttle t;
    sixmm_redis_stats s;
    uint32_t ticket[8], w;
    uint64_t first;
    char key[64];
    int i;

    memset(&o, 0, sizeof o);
    o.key = fresh_key(key, sizeof key);
    q = open_quota(&o);
    ck_assert_int_eq(sixmm_throttle_init_redis(&t, q), 0);
    first = mono_ms();
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, mono_ms(), &ticket[0]), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, mono_ms(), &ticket[1]), 0);
    ck_assert_uint_ne(ticket[0], SIXMM_THROTTLE_NO_TICKET);
    ck_assert_uint_ne(ticket[0], ticket[1]);
    /* Both slots taken: busy, and no turn taken. */
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, mono_ms(), &ticket[2]), BUSY);
    ck_assert_uint_eq(ticket[2], SIXMM_THROTTLE_NO_TICKET);
    sixmm_throttle_release_lease(&t, ticket[0], mono_ms());
    sixmm_throttle_release_lease(&t, ticket[1], mono_ms());
    for (i = 2; i < 7; i++) {
        /* Turn i starts 500 (i - 3) ms after the first (the burst is 4), or
         * when asked if that is later. Redis counts from when each call
         * reaches it, so a start seen here is off by up to one call's
         * latency (60 ms allows for a loaded machine). */
        uint64_t want = first + (i < 4 ? 0 : 500u * (uint64_t)(i - 3)), asked = mono_ms();
        w = sixmm_throttle_acquire_lease(&t, asked, &ticket[i]);
        ck_assert_msg(asked + w + 60 >= want && asked + w <= (asked > want ? asked : want) + 60,
                      "turn %d starts at +%llu ms, not +%llu", i,
                      (unsigned long long)(asked + w - first), (unsigned long long)(want - first));
        sixmm_throttle_release_lease(&t, ticket[i], mono_ms());
    }
    sixmm_redis_quota_stats(q, &s);
    ck_assert_int_eq(s.mode, SIXMM_REDIS_SHARED);
    ck_assert_uint_eq(s.present, 1);
    ck_assert_uint_eq(s.fallback_turns, 0);
    sixmm_redis_quota_close(q);
}
END_TEST

START_TEST(leases_expire_in_redis_and_stale_releases_are_harmless)
{
    sixmm_redis_options o;
    sixmm_redis_quota *q, *dead;
    sixmm_throttle t, dt;
    uint32_t a, b, c;
    char key[64];

    memset(&o, 0, sizeof o);
    o.key = fresh_key(key, sizeof key);
    o.rate_per_s = 1000;
    o.burst = 100;
    o.concurrency = 2;
    o.lease_ms = 300;
    /* A "host" that takes both slots and vanishes without releasing. */
    dead = open_quota(&o);
    ck_assert_int_eq(sixmm_throttle_init_redis(&dt, dead), 0);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&dt, mono_ms(), &a), BUSY);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&dt, mono_ms(), &b), BUSY);
    q = open_quota(&o);
    ck_assert_int_eq(sixmm_throttle_init_redis(&t, q), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, mono_ms(), &c), BUSY);
    sleep_ms(350);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, mono_ms(), &c), BUSY);
    /* The dead host's late release names its own lease only. */
    sixmm_throttle_release_lease(&dt, a, mono_ms());
    sixmm_throttle_release_lease(&dt, b, mono_ms());
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, mono_ms(), &a), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, mono_ms(), &b), BUSY);
    sixmm_redis_quota_close(dead);
    sixmm_redis_quota_close(q);
}
END_TEST

START_TEST(a_flushed_script_is_sent_again)
{
    sixmm_redis_options o;
    sixmm_redis_quota *q;
    sixmm_throttle t;
    redisReply *r;
    uint32_t a;
    char key[64];

    memset(&o, 0, sizeof o);
    o.key = fresh_key(key, sizeof key);
    q = open_quota(&o);
    ck_assert_int_eq(sixmm_throttle_init_redis(&t, q), 0);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, mono_ms(), &a), BUSY);
    sixmm_throttle_release_lease(&t, a, mono_ms());
    r = admin("SCRIPT FLUSH");
    ck_assert_ptr_nonnull(r);
    freeReplyObject(r);
    /* EVALSHA answers NOSCRIPT; the call goes on with EVAL, from Redis. */
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, mono_ms(), &a), BUSY);
    sixmm_throttle_release_lease(&t, a, mono_ms());
    {
        sixmm_redis_stats s;
        sixmm_redis_quota_stats(q, &s);
        ck_assert_int_eq(s.mode, SIXMM_REDIS_SHARED);
        ck_assert_uint_eq(s.shared_turns, 2);
        ck_assert_uint_eq(s.fallbacks, 0);
    }
    sixmm_redis_quota_close(q);
}
END_TEST

START_TEST(feedback_holds_every_host)
{
    sixmm_redis_options o;
    sixmm_redis_quota *q1, *q2;
    sixmm_throttle t1, t2;
    sixmm_advice a;
    uint32_t ticket, w;
    char key[64];

    memset(&o, 0, sizeof o);
    o.key = fresh_key(key, sizeof key);
    o.rate_per_s = 100;
    o.burst = 10;
    o.concurrency = 10;
    q1 = open_quota(&o);
    q2 = open_quota(&o);
    ck_assert_int_eq(sixmm_throttle_init_redis(&t1, q1), 0);
    ck_assert_int_eq(sixmm_throttle_init_redis(&t2, q2), 0);
    memset(&a, 0, sizeof a);
    a.action = SIXMM_RETRY_BACKOFF;
    a.resend = 1;
    a.delay_ms = 2000;
    a.reason = "";
    sixmm_throttle_feedback(&t1, &a, mono_ms());
    /* The other host's next turn starts after the hold. */
    w = sixmm_throttle_acquire_lease(&t2, mono_ms(), &ticket);
    ck_assert_msg(w > 1900 && w <= 2000, "waits %u ms", w);
    sixmm_redis_quota_close(q1);
    sixmm_redis_quota_close(q2);
}
END_TEST

START_TEST(hosts_share_the_quota_by_presence)
{
    sixmm_redis_options o;
    sixmm_redis_quota *q0, *q1;
    sixmm_throttle t0, t1;
    sixmm_redis_stats s;
    uint32_t ticket, w;
    uint64_t first, asked = 0;
    char key[64];
    int i;

    memset(&o, 0, sizeof o);
    o.key = fresh_key(key, sizeof key);
    o.rate_per_s = 10;
    o.burst = 2;
    o.concurrency = 10;
    o.hosts = 2;
    q0 = open_quota(&o);
    ck_assert_int_eq(sixmm_throttle_init_redis(&t0, q0), 0);
    /* Host 1 has not called yet: host 0 gets its own share only, a burst
     * of 1 and one turn per 200 ms. */
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t0, mono_ms(), &ticket), 0);
    sixmm_throttle_release_lease(&t0, ticket, mono_ms());
    w = sixmm_throttle_acquire_lease(&t0, mono_ms(), &ticket);
    ck_assert_msg(w > 150 && w <= 200, "waits %u ms", w);
    sixmm_throttle_release_lease(&t0, ticket, mono_ms());
    sixmm_redis_quota_stats(q0, &s);
    ck_assert_uint_eq(s.present, 1);
    o.host_index = 1;
    q1 = open_quota(&o);
    ck_assert_int_eq(sixmm_throttle_init_redis(&t1, q1), 0);
    /* Host 1's first call makes it present; then the bucket fills up. */
    sixmm_throttle_acquire_lease(&t1, mono_ms(), &ticket);
    sixmm_throttle_release_lease(&t1, ticket, mono_ms());
    sleep_ms(1000);
    /* Both present: the whole quota, 10/s with a burst of 2, in turns
     * 100 ms apart once the burst is spent: the 4th starts 200 ms after
     * the first. */
    first = mono_ms();
    for (i = 0; i < 4; i++) {
        sixmm_throttle *t = i % 2 ? &t1 : &t0;
        asked = mono_ms();
        w = sixmm_throttle_acquire_lease(t, asked, &ticket);
        sixmm_throttle_release_lease(t, ticket, mono_ms());
    }
    ck_assert_msg(asked + w + 60 >= first + 200 && asked + w <= first + 260,
                  "the 4th turn starts at +%llu ms, not +200", (unsigned long long)(asked + w - first));
    sixmm_redis_quota_stats(q1, &s);
    ck_assert_uint_eq(s.present, 2);
    sixmm_redis_quota_close(q0);
    sixmm_redis_quota_close(q1);
}
END_TEST

START_TEST(no_redis_gives_the_local_share_after_the_safe_wait)
{
    sixmm_redis_options o;
    sixmm_redis_quota *q;
    sixmm_throttle t;
    sixmm_redis_stats s;
    uint32_t ticket, other, w, w2;
    char key[64];
    uint64_t now = mono_ms();

    memset(&o, 0, sizeof o);
    o.key = fresh_key(key, sizeof key);
    o.hosts = 2;
    o.lease_ms = 1000;
    o.presence_ms = 300;
    /* Nothing listens on port 1. */
    ck_assert_int_eq(sixmm_redis_quota_open("redis://127.0.0.1:1", SIXMM_DOMAIN_AGENT, &o, &q), 0);
    ck_assert_str_ne(sixmm_redis_quota_error(q), "");
    ck_assert_int_eq(sixmm_throttle_init_redis(&t, q), 0);
    /* The Agent quota's share of host 0 of 2: 1/s, a burst of 2, 1 slot,
     * after presence + max(lease, burst / rate) = 300 + 2000 ms. */
    w = sixmm_throttle_acquire_lease(&t, now, &ticket);
    ck_assert_uint_eq(w, 2300);
    ck_assert_uint_lt(ticket, 1u << 30);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, now, &other), BUSY);
    sixmm_throttle_release_lease(&t, ticket, now);
    w2 = sixmm_throttle_acquire_lease(&t, now, &ticket);
    ck_assert_uint_eq(w2, 3300);
    sixmm_redis_quota_stats(q, &s);
    ck_assert_int_eq(s.mode, SIXMM_REDIS_FALLBACK);
    ck_assert_uint_eq(s.fallbacks, 1);
    ck_assert_uint_eq(s.fallback_turns, 2);
    ck_assert_uint_eq(s.shared_turns, 0);
    sixmm_redis_quota_close(q);
}
END_TEST

static Suite *redis_suite(void)
{
    Suite *s = suite_create("redis");
    TCase *tc = tcase_create("redis");

    tcase_add_test(tc, bad_urls_domains_and_options_are_refused);
    tcase_add_test(tc, the_agent_quota_comes_from_redis);
    tcase_add_test(tc, leases_expire_in_redis_and_stale_releases_are_harmless);
    tcase_add_test(tc, a_flushed_script_is_sent_again);
    tcase_add_test(tc, feedback_holds_every_host);
    tcase_add_test(tc, hosts_share_the_quota_by_presence);
    tcase_add_test(tc, no_redis_gives_the_local_share_after_the_safe_wait);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

/* The port of the fixture's server; 77 (skip) only without redis-server. */
int redis_test_port(const char *name);
int redis_test_port(const char *name)
{
    const char *dir = getenv("SIXMM_REDIS_DIR");
    char path[512];
    FILE *f;
    int p = 0;

    snprintf(path, sizeof path, "%s/%s.port", dir ? dir : ".", name);
    f = fopen(path, "r");
    if (!f) {
        if (system("command -v redis-server >/dev/null 2>&1") != 0) {
            printf("redis-server is not installed: skipped\n");
            exit(77);
        }
        fprintf(stderr, "%s: no port file, but redis-server is installed\n", path);
        exit(1);
    }
    if (fscanf(f, "%d", &p) != 1)
        p = 0;
    fclose(f);
    if (p <= 0) {
        fprintf(stderr, "%s: no port in it\n", path);
        exit(1);
    }
    return p;
}

int main(void)
{
    port = redis_test_port("quota");
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", port);
    return run_suite(redis_suite());
}
