/*
 * sixmm_throttle's leased slots: one call at a time (a ticket frees its own
 * slot only, a lease expires and is reclaimed, a stale ticket changes
 * nothing, plain and leased slots share one limit; the spec's quota policy
 * and a host's share of a quota), then 8 threads over a
 * simulated clock where some holders vanish and others outlive their lease
 * and release late: the holders whose lease still runs never exceed the
 * concurrency, and the slots of the vanished come back.
 *
 * A holder counts while the clock is before its lease's end (start + the
 * lease): a lease may be reclaimed only from then on, and any thread may
 * push the clock past the end of another's call.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

/* The spec's lease for the Agent domain (spec/errors.yaml, policy lease). */
#define LEASE_MS 30000u

#define BUSY SIXMM_THROTTLE_BUSY
#define NO_TICKET SIXMM_THROTTLE_NO_TICKET

START_TEST(a_lease_gives_a_ticket_and_busy_gives_none)
{
    sixmm_throttle t;
    uint32_t a, b, c = 7;

    ck_assert_int_eq(sixmm_throttle_init(&t, SIXMM_DOMAIN_AGENT), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &a), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &b), 0);
    ck_assert_uint_ne(a, NO_TICKET);
    ck_assert_uint_ne(b, NO_TICKET);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &c), BUSY);
    ck_assert_uint_eq(c, NO_TICKET);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, NULL), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(NULL, 1000, &c), BUSY);
    ck_assert_uint_eq(c, NO_TICKET);
    /* Releasing NO_TICKET or a made-up ticket frees nothing. */
    sixmm_throttle_release_lease(&t, NO_TICKET, 1000);
    sixmm_throttle_release_lease(&t, 12345, 1000);
    sixmm_throttle_release_lease(&t, a ^ 1, 1000);
    sixmm_throttle_release_lease(NULL, a, 1000);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &c), BUSY);
    /* A plain release frees no lease either. */
    sixmm_throttle_release(&t, 1000);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &c), BUSY);
    sixmm_throttle_release_lease(&t, a, 1000);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 1000, &c), BUSY);
    ck_assert_uint_ne(c, a); /* the same slot, a new generation */
}
END_TEST

START_TEST(a_stale_ticket_changes_nothing)
{
    sixmm_throttle t;
    uint32_t a, b, c;

    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1000, 100, 1), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &a), 0);
    sixmm_throttle_release_lease(&t, a, 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &b), 0);
    /* a's slot is b's now: releasing a again leaves b's lease in place. */
    sixmm_throttle_release_lease(&t, a, 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &c), BUSY);
    sixmm_throttle_release_lease(&t, b, 0);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 0, &c), BUSY);
}
END_TEST

START_TEST(an_unreleased_lease_expires_after_the_spec_lease)
{
    sixmm_throttle t;
    uint32_t a, b, c, d;

    ck_assert_int_eq(sixmm_throttle_init(&t, SIXMM_DOMAIN_AGENT), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &a), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &b), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS - 1, &c), BUSY);
    /* At start + lease both are reclaimed, one by each acquire. */
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS, &c), BUSY);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS, &d), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS, &b), BUSY);
    /* The late releases of the first two free neither new lease. */
    ck_assert_int_eq(sixmm_throttle_init(&t, SIXMM_DOMAIN_AGENT), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &a), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &b), 0);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS, &c), BUSY);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS, &d), BUSY);
    sixmm_throttle_release_lease(&t, a, 1000 + LEASE_MS);
    sixmm_throttle_release_lease(&t, b, 1000 + LEASE_MS);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS, &a), BUSY);
    sixmm_throttle_release_lease(&t, c, 1000 + LEASE_MS);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 1000 + LEASE_MS, &a), BUSY);
}
END_TEST

START_TEST(a_lease_counts_from_the_start_of_its_turn)
{
    sixmm_throttle t;
    uint32_t a, b, w;

    /* One turn per second, no burst: the second lease waits 5 s. */
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1, 1, 1), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), 0);
    sixmm_throttle_release(&t, 0);
    sixmm_advice hold;
    memset(&hold, 0, sizeof hold);
    hold.action = SIXMM_RETRY_BACKOFF;
    hold.delay_ms = 5000;
    hold.reason = "";
    sixmm_throttle_feedback(&t, &hold, 0);
    w = sixmm_throttle_acquire_lease(&t, 0, &a);
    ck_assert_uint_eq(w, 5000);
    /* Held until 5000 + the lease (REST's, for a custom throttle: also 30 s). */
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, LEASE_MS + 4999, &b), BUSY);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, LEASE_MS + 5000, &b), BUSY);
}
END_TEST

START_TEST(plain_and_leased_slots_share_one_limit)
{
    sixmm_throttle t;
    uint32_t a, b;

    ck_assert_int_eq(sixmm_throttle_init_custom(&t, 1000, 100, 2), 0);
    ck_assert_uint_ne(sixmm_throttle_acquire(&t, 0), BUSY);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 0, &a), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &b), BUSY);
    /* A plain slot never expires; the lease does, and a plain acquire may
     * take its slot too. */
    ck_assert_uint_ne(sixmm_throttle_acquire(&t, LEASE_MS), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 10 * LEASE_MS), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 10 * LEASE_MS, &b), BUSY);
    sixmm_throttle_release(&t, 0);
    ck_assert_uint_ne(sixmm_throttle_acquire(&t, 10 * LEASE_MS), BUSY);
}
END_TEST

START_TEST(more_slots_than_leases_are_counted)
{
    sixmm_throttle t;
    uint32_t tickets[SIXMM_THROTTLE_LEASE_SLOTS + 2], x;
    unsigned i, n = SIXMM_THROTTLE_LEASE_SLOTS + 2;

    ck_assert_int_eq(sixmm_throttle_init_custom(&t, UINT32_MAX, UINT32_MAX, n), 0);
    for (i = 0; i < n; i++) {
        ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 0, &tickets[i]), BUSY);
        ck_assert_uint_ne(tickets[i], NO_TICKET);
    }
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &x), BUSY);
    /* Counted slots are never reclaimed, but each release frees one. */
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 100 * LEASE_MS, &x), BUSY);
    sixmm_throttle_release_lease(&t, tickets[0], 0);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 0, &x), BUSY);
    /* Exactly SIXMM_THROTTLE_LEASE_SLOTS slots are leased and expire. */
    ck_assert_int_eq(sixmm_throttle_init_custom(&t, UINT32_MAX, UINT32_MAX,
                                                SIXMM_THROTTLE_LEASE_SLOTS), 0);
    for (i = 0; i < SIXMM_THROTTLE_LEASE_SLOTS; i++)
        ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 0, &tickets[i]), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &x), BUSY);
    for (i = 0; i < SIXMM_THROTTLE_LEASE_SLOTS; i++)
        ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, LEASE_MS, &x), BUSY);
}
END_TEST

START_TEST(the_quota_policy_is_the_spec_s)
{
    sixmm_quota_policy p;

    ck_assert_int_eq(sixmm_quota_policy_get(SIXMM_DOMAIN_AGENT, &p), 0);
    ck_assert_uint_eq(p.rate_per_s, 2);
    ck_assert_uint_eq(p.burst, 4);
    ck_assert_uint_eq(p.concurrency, 2);
    ck_assert_uint_eq(p.lease_ms, LEASE_MS);
    ck_assert_uint_eq(p.store_timeout_ms, 100);
    ck_assert_uint_eq(p.store_presence_ms, 2000);
    ck_assert_int_eq(sixmm_quota_policy_get(SIXMM_DOMAIN_REST, &p), -1);
    ck_assert_int_eq(sixmm_quota_policy_get((sixmm_domain)SIXMM_DOMAIN_COUNT, &p), -1);
    ck_assert_int_eq(sixmm_quota_policy_get(SIXMM_DOMAIN_AGENT, NULL), -1);
}
END_TEST

/* Host k of N: one turn per N / rate s, burst / N turns of burst and
 * concurrency / N slots, remainders to the first hosts. */
START_TEST(a_share_is_rate_over_n_and_its_part_of_burst_and_slots)
{
    sixmm_throttle t;
    uint32_t a, b, c;

    ck_assert_int_eq(sixmm_throttle_init_share(&t, 10, 3, 3, 1000, 3, 2), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &a), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &b), BUSY); /* 1 slot */
    sixmm_throttle_release_lease(&t, a, 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &a), 300); /* burst 1, 300 ms */
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 1000, &b), BUSY);
    ck_assert_uint_ne(sixmm_throttle_acquire_lease(&t, 1300, &b), BUSY); /* the lease ended */
    /* The Agent quota over 3 hosts: bursts 2, 1, 1; slots 1, 1, 0. */
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 2, 4, 2, 1000, 3, 0), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), 0);
    sixmm_throttle_release(&t, 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), 0);
    sixmm_throttle_release(&t, 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), 1500);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 2, 4, 2, 1000, 3, 1), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &a), 0);
    sixmm_throttle_release_lease(&t, a, 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &a), 1500);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 2, 4, 2, 1000, 3, 2), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 0, &c), BUSY);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 100000), BUSY);
    /* A host with no part of the burst gets nothing either. */
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 10, 2, 10, 1000, 3, 2), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 0), BUSY);
    ck_assert_int_eq(sixmm_throttle_init_share(NULL, 1, 1, 1, 1, 1, 0), -1);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 0, 1, 1, 1, 1, 0), -1);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 1, 0, 1, 1, 1, 0), -1);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 1, 1, 0, 1, 1, 0), -1);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 1, 1, 1, 0, 1, 0), -1);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 1, 1, 1, 1, 0, 0), -1);
    ck_assert_int_eq(sixmm_throttle_init_share(&t, 1, 1, 1, 1, 2, 2), -1);
}
END_TEST

/* ---- A throttle that forwards to another engine -------------------------- */

struct fake_engine {
    int acquires, releases, feedbacks;
    uint32_t last_ticket;
    uint64_t last_now;
};

static uint32_t fake_acquire(void *ctx, uint64_t now_ms, uint32_t *ticket)
{
    struct fake_engine *e = ctx;
    e->acquires++;
    e->last_now = now_ms;
    *ticket = 40 + (uint32_t)e->acquires;
    return 17;
}

static void fake_release(void *ctx, uint32_t ticket, uint64_t now_ms)
{
    struct fake_engine *e = ctx;
    e->releases++;
    e->last_ticket = ticket;
    e->last_now = now_ms;
}

static void fake_feedback(void *ctx, const sixmm_advice *advice, uint64_t now_ms)
{
    struct fake_engine *e = ctx;
    e->feedbacks++;
    e->last_now = now_ms + advice->delay_ms;
}

START_TEST(an_ops_throttle_forwards_every_leased_call)
{
    static const sixmm_quota_ops ops = {fake_acquire, fake_release, fake_feedback};
    static const sixmm_quota_ops half = {fake_acquire, NULL, fake_feedback};
    struct fake_engine e;
    sixmm_throttle t;
    sixmm_advice a;
    uint32_t ticket;

    memset(&e, 0, sizeof e);
    memset(&a, 0, sizeof a);
    ck_assert_int_eq(sixmm_throttle_init_ops(NULL, &ops, &e), -1);
    ck_assert_int_eq(sixmm_throttle_init_ops(&t, NULL, &e), -1);
    ck_assert_int_eq(sixmm_throttle_init_ops(&t, &half, &e), -1);
    ck_assert_int_eq(sixmm_throttle_init_ops(&t, &ops, &e), 0);
    ck_assert_uint_eq(sixmm_throttle_acquire_lease(&t, 5, &ticket), 17);
    ck_assert_uint_eq(ticket, 41);
    ck_assert_uint_eq(e.last_now, 5);
    sixmm_throttle_release_lease(&t, ticket, 9);
    ck_assert_int_eq(e.releases, 1);
    ck_assert_uint_eq(e.last_ticket, 41);
    ck_assert_uint_eq(e.last_now, 9);
    a.delay_ms = 3; /* every advice goes through, backoff or not */
    sixmm_throttle_feedback(&t, &a, 10);
    ck_assert_int_eq(e.feedbacks, 1);
    ck_assert_uint_eq(e.last_now, 13);
    /* Plain calls take nothing from an engine that hands out leases only. */
    ck_assert_uint_eq(sixmm_throttle_acquire(&t, 5), BUSY);
    sixmm_throttle_release(&t, 5);
    ck_assert_int_eq(e.acquires, 1);
    ck_assert_int_eq(e.releases, 1);
}
END_TEST

/* ---- 8 threads over a simulated clock ------------------------------------ */

#define THREADS 8
#define CALLS   300

static struct {
    sixmm_throttle t;
    uint32_t concurrency;
    atomic_uint_fast64_t clock;
    atomic_int max_held, vanished, outlived, stale_releases;
    atomic_uint_fast64_t lease_end[THREADS]; /* 0: the thread holds no lease */
    int calls[THREADS];
} sim;

/* The leases that still run at `now`, besides the caller's own. */
static int held_at(uint64_t now, int self)
{
    int i, n = 0;
    for (i = 0; i < THREADS; i++)
        n += i != self && atomic_load(&sim.lease_end[i]) > now;
    return n;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void advance_to(uint64_t until, uint64_t *rng)
{
    uint64_t now = atomic_load(&sim.clock);
    while (now < until) {
        uint64_t step = 1 + xorshift(rng) % 200;
        uint64_t next = until - now < step ? until : now + step;
        if (atomic_compare_exchange_weak(&sim.clock, &now, next))
            now = next;
        sched_yield();
    }
}

/* Each call holds its lease for a short while and releases it; about one in
 * 40 holders vanishes (never releases) and one in 40 outlives its lease and
 * then releases its stale ticket, after another holder may have taken the
 * slot. */
static void *client(void *arg)
{
    int self = (int)(intptr_t)arg;
    long busy = 0;
    uint64_t rng = 0x9E3779B97F4A7C15u * (uint64_t)(self + 1);

    while (sim.calls[self] < CALLS && busy < 2000000) {
        uint64_t now = atomic_load(&sim.clock), fate;
        uint32_t ticket, w;
        int held, seen;

        w = sixmm_throttle_acquire_lease(&sim.t, now, &ticket);
        if (w == SIXMM_THROTTLE_BUSY) {
            busy++;
            advance_to(atomic_load(&sim.clock) + 1 + xorshift(&rng) % 50, &rng);
            continue;
        }
        busy = 0;
        sim.calls[self]++;
        /* Counted at the clock after the acquire: every lease reclaimed so
         * far ended at or before it. */
        held = held_at(atomic_load(&sim.clock), self) + 1;
        seen = atomic_load(&sim.max_held);
        while (held > seen && !atomic_compare_exchange_weak(&sim.max_held, &seen, held))
            ;
        atomic_store(&sim.lease_end[self], now + w + LEASE_MS);
        fate = xorshift(&rng) % 40;
        if (fate == 0) {
            /* Vanished: the lease is left to expire. */
            atomic_fetch_add(&sim.vanished, 1);
            atomic_store(&sim.lease_end[self], 0);
            continue;
        }
        if (fate == 1) {
            /* Outlived: released well after the lease's end. */
            atomic_fetch_add(&sim.outlived, 1);
            advance_to(now + w + LEASE_MS + 1 + xorshift(&rng) % 2000, &rng);
            atomic_store(&sim.lease_end[self], 0);
            sixmm_throttle_release_lease(&sim.t, ticket, atomic_load(&sim.clock));
            atomic_fetch_add(&sim.stale_releases, 1);
            continue;
        }
        advance_to(now + w + xorshift(&rng) % 300, &rng);
        atomic_store(&sim.lease_end[self], 0);
        sixmm_throttle_release_lease(&sim.t, ticket, atomic_load(&sim.clock));
    }
    return NULL;
}

static void run_clients(uint32_t rate, uint32_t burst, uint32_t concurrency)
{
    pthread_t th[THREADS];
    int i;

    memset(&sim, 0, sizeof sim);
    sim.concurrency = concurrency;
    ck_assert_int_eq(sixmm_throttle_init_custom(&sim.t, rate, burst, concurrency), 0);
    atomic_store(&sim.clock, 1000000);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, client, (void *)(intptr_t)i), 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
}

static void check_run(void)
{
    int i;
    /* Every thread made all its calls: the slots of the vanished holders
     * came back, or the others would have stayed BUSY. */
    for (i = 0; i < THREADS; i++)
        ck_assert_msg(sim.calls[i] == CALLS, "thread %d made %d calls of %d", i, sim.calls[i],
                      CALLS);
    ck_assert_int_gt(atomic_load(&sim.vanished), 20);
    ck_assert_int_gt(atomic_load(&sim.stale_releases), 20);
    /* A stale release that freed a live holder's slot would let one more in. */
    ck_assert_int_le(atomic_load(&sim.max_held), (int)sim.concurrency);
    /* The limit binds (a holder that has not yet registered its lease is
     * not counted, so the count may fall one short). */
    ck_assert_int_ge(atomic_load(&sim.max_held),
                     sim.concurrency > 2 ? (int)sim.concurrency - 1 : (int)sim.concurrency);
}

START_TEST(eight_threads_two_slots_vanished_and_stale_holders)
{
    run_clients(20, 4, 2);
    check_run();
}
END_TEST

START_TEST(eight_threads_five_slots_vanished_and_stale_holders)
{
    run_clients(100, 10, 5);
    check_run();
}
END_TEST

static Suite *lease_suite(void)
{
    Suite *s = suite_create("lease");
    TCase *api = tcase_create("api");
    TCase *threads = tcase_create("threads");

    tcase_add_test(api, a_lease_gives_a_ticket_and_busy_gives_none);
    tcase_add_test(api, a_stale_ticket_changes_nothing);
    tcase_add_test(api, an_unreleased_lease_expires_after_the_spec_lease);
    tcase_add_test(api, a_lease_counts_from_the_start_of_its_turn);
    tcase_add_test(api, plain_and_leased_slots_share_one_limit);
    tcase_add_test(api, more_slots_than_leases_are_counted);
    tcase_add_test(api, an_ops_throttle_forwards_every_leased_call);
    tcase_add_test(api, the_quota_policy_is_the_spec_s);
    tcase_add_test(api, a_share_is_rate_over_n_and_its_part_of_burst_and_slots);
    tcase_add_test(threads, eight_threads_two_slots_vanished_and_stale_holders);
    tcase_add_test(threads, eight_threads_five_slots_vanished_and_stale_holders);
    tcase_set_timeout(threads, 240);
    suite_add_tcase(s, api);
    suite_add_tcase(s, threads);
    return s;
}

int main(void)
{
    return run_suite(lease_suite());
}
