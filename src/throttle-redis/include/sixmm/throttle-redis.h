/*
 * sixmm/throttle-redis.h: one request quota for many hosts, kept in Redis
 * (libsixmm-throttle-redis, over hiredis).
 *
 * A sixmm_redis_quota is one connection to one Redis and one quota in it,
 * shared by the hosts that open it with the same key. sixmm_throttle_init_redis()
 * puts it behind a sixmm_throttle, so the order machine takes its turns and
 * leased slots from Redis through the usual calls (sixmm_throttle_acquire_lease(),
 * _release_lease(), _feedback()). When Redis does not answer within the
 * spec's timeout, the host falls back to its own share of the quota, and goes
 * back to Redis when Redis answers again (src/throttle-redis/README.md).
 *
 * Unlike libsixmm-errinfo, this library does I/O, allocates (at open) and
 * takes a mutex around its connection. Every call is thread-safe.
 */
#ifndef SIXMM_THROTTLE_REDIS_H
#define SIXMM_THROTTLE_REDIS_H

#include <sixmm/errinfo.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sixmm_redis_quota sixmm_redis_quota;

/** Settings of sixmm_redis_quota_open(). Zero-initialise, then set what
 *  differs; a number left 0 takes the spec's value for the domain. */
typedef struct sixmm_redis_options {
    const char *key;          /* prefix of the quota's Redis keys; NULL: "sixmm:quota:DOMAIN" */
    uint32_t hosts;           /* N, the hosts that share the quota; 0: 1 */
    uint32_t host_index;      /* this host, 0 .. N-1, unique among them */
    uint32_t rate_per_s, burst, concurrency, lease_ms;
    uint32_t timeout_ms;      /* a Redis call slower than this falls back */
    uint32_t presence_ms;     /* a host silent this long counts as absent */
} sixmm_redis_options;

/** Where the quota's turns come from now. */
typedef enum sixmm_redis_mode {
    SIXMM_REDIS_SHARED = 0,   /* from Redis */
    SIXMM_REDIS_FALLBACK = 1  /* from this host's share: Redis did not answer */
} sixmm_redis_mode;

/** What a quota did so far, for logs and tests. */
typedef struct sixmm_redis_stats {
    sixmm_redis_mode mode;
    uint64_t shared_turns;    /* turns Redis granted */
    uint64_t fallback_turns;  /* turns the local share granted */
    uint64_t fallbacks;       /* switches to the local share */
    uint64_t returns;         /* switches back to Redis */
    uint32_t present;         /* hosts present at the last Redis answer */
} sixmm_redis_stats;

/** Open the quota of `domain` (or the numbers in opt) in the Redis at `url`
 *  ("redis://HOST[:PORT]", or "HOST[:PORT]"; port 6379 by default). Redis
 *  need not be up: the host then starts on its local share. Returns 0 and
 *  *out, or -1 for a bad URL, domain or option (the domain documents no
 *  quota, or the spec gives no store timeout) or no memory; *out is then
 *  NULL. */
SIXMM_API int sixmm_redis_quota_open(const char *url, sixmm_domain domain,
                           const sixmm_redis_options *opt, sixmm_redis_quota **out);

/** Initialise *t to forward to q (sixmm_throttle_init_ops()); q must
 *  outlive it. Returns 0, or -1 for NULL. */
SIXMM_API int sixmm_throttle_init_redis(sixmm_throttle *t, sixmm_redis_quota *q);

/** Copy q's counters into *out. */
SIXMM_API void sixmm_redis_quota_stats(sixmm_redis_quota *q, sixmm_redis_stats *out);

/** The last connection error, or "" (owned by q, valid until its next call). */
SIXMM_API const char *sixmm_redis_quota_error(const sixmm_redis_quota *q);

/** Close the connection and free q. Leases still held expire in Redis. */
SIXMM_API void sixmm_redis_quota_close(sixmm_redis_quota *q);

#ifdef __cplusplus
}
#endif

#endif
