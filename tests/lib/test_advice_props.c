/*
 * The retry advisor, property tests: many random inputs from a
 * fixed-seed xorshift generator, so every run checks the same cases.
 *
 * Allocation counting: tests/support/alloc_counter.c counts every
 * allocation in the process, including any inside libc on the library's
 * behalf. A self-test proves the counter sees an allocation, so the
 * no-allocation tests can fail.
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sixmm/errinfo.h>

#include "run_suite.h"

#include "alloc_counter.h"

/* ---- Fixed-seed PRNG ---------------------------------------------------- */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed ? seed : 0x9e3779b97f4a7c15u;
}

/* xorshift64* (Vigna): full period 2^64 - 1, good enough for test inputs. */
static uint64_t rng64(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

static uint32_t rng32(void)
{
    return (uint32_t)(rng64() >> 32);
}

static uint32_t below(uint32_t n)
{
    return (uint32_t)(((uint64_t)rng32() * n) >> 32);
}

/* ---- Random calls ------------------------------------------------------- */

#ifdef ADVICE_ASAN
#  define ROUNDS 20000   /* the sanitizers cost about 5x; the inputs stay the same kind */
#else
#  define ROUNDS 50000
#endif

static const int statuses[] = {0,   100, 199, 200, 201, 204, 299, 301, 302, 307, 399,
                               400, 401, 403, 404, 408, 429, 499, 500, 501, 502, 503,
                               504, 505, 599, 600, -1,  INT_MIN, INT_MAX};
static const unsigned attempts[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 31, 32, 33, 1000,
                                    UINT_MAX - 1, UINT_MAX};
static const int64_t edge_codes[] = {0,    -1,   1,    999,  1000, 1005, 1999, 2000,
                                     2999, 3000, 3002, 3099, 3113, 3999, 4000, 4999,
                                     5000, 5004, 5999, 6000, 6002, 6999, 102000, 102999,
                                     103000, INT64_MIN, INT64_MAX, INT32_MIN, INT32_MAX};

/* A message buffer (message_len says how much of it is the message). */
static char text[600];

struct input {
    sixmm_call call;
    uint32_t random;
};

static const char *random_catalog_key(void)
{
    const sixmm_entry *e = sixmm_entry_at(below((uint32_t)sixmm_entry_count()));
    return sixmm_entry_key(e);
}

static void random_message(sixmm_call *c)
{
    size_t i, n;
    switch (below(6)) {
    case 0:
        c->message = NULL;
        c->message_len = below(4);  /* a length without text is ignored */
        return;
    case 1: case 2: {
        /* A catalog key (message, identifier or code text), random case. */
        const char *k = random_catalog_key();
        n = strlen(k);
        for (i = 0; i < n; i++) {
            char ch = k[i];
            if (below(4) == 0 && ch >= 'a' && ch <= 'z')
                ch = (char)(ch - 'a' + 'A');
            else if (below(4) == 0 && ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            text[i] = ch;
        }
        text[n] = '\0';
        c->message = text;
        c->message_len = below(3) == 0 ? 0 : n;
        return;
    }
    case 3:
        /* Random bytes, NULs included, with an explicit length. */
        n = below(sizeof text - 1);
        for (i = 0; i < n; i++)
            text[i] = (char)rng32();
        text[n] = '\0';
        c->message = text;
        c->message_len = n;
        return;
    case 4:
        /* A long printable text. */
        n = below(sizeof text - 1);
        for (i = 0; i < n; i++)
            text[i] = (char)(' ' + below(95));
        text[n] = '\0';
        c->message = text;
        c->message_len = n;
        return;
    default:
        c->message = "";
        c->message_len = 0;
        return;
    }
}

static int64_t random_code(void)
{
    switch (below(4)) {
    case 0: {
        const sixmm_entry *e = sixmm_entry_at(below((uint32_t)sixmm_entry_count()));
        int64_t lo = sixmm_entry_code(e), hi = sixmm_entry_code_last(e);
        return lo + (int64_t)below((uint32_t)(hi - lo + 1));
    }
    case 1:
        return edge_codes[below(sizeof edge_codes / sizeof edge_codes[0])];
    case 2:
        return (int64_t)below(200000) - 1000;
    default:
        return (int64_t)rng64();
    }
}

static void random_input(struct input *in)
{
    sixmm_call *c = &in->call;
    memset(c, 0, sizeof *c);
    c->domain = below(20) == 0 ? (sixmm_domain)(int)rng32() : (sixmm_domain)below(SIXMM_DOMAIN_COUNT);
    c->http_status = below(5) == 0 ? (int)rng32() : statuses[below(sizeof statuses / sizeof statuses[0])];
    c->has_code = (int)below(3);  /* 0, or a nonzero that is not 1 */
    c->code = random_code();
    random_message(c);
    c->idempotent = (int)below(2) * (int)(1 + below(3));
    c->attempt = below(4) == 0 ? rng32() : attempts[below(sizeof attempts / sizeof attempts[0])];
    in->random = below(8) == 0 ? (below(2) ? 0u : UINT32_MAX) : rng32();
}

/* min(cap, base * 2^(attempt - 1)), the slow and obvious way. */
static uint32_t ceiling_ref(uint32_t base, uint32_t cap, unsigned attempt)
{
    unsigned shift = attempt ? attempt - 1 : 0;
    uint64_t v = base;
    unsigned i;
    for (i = 0; i < shift && v != 0 && v <= cap; i++)
        v *= 2;
    return v < cap ? (uint32_t)v : cap;
}

/* ---- Properties --------------------------------------------------------- */

START_TEST(allocation_counter_sees_an_allocation)
{
    void *(*volatile m)(size_t) = malloc;
    void (*volatile f)(void *) = free;
    unsigned long before = alloc_count();
    void *p = m(64);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_gt(alloc_count(), before);
    f(p);
}
END_TEST

START_TEST(classify_never_allocates)
{
    struct input in;
    sixmm_advice adv;
    unsigned long before;
    long i;
    rng_seed(0x5eed0001u);
    before = alloc_count();
    for (i = 0; i < ROUNDS; i++) {
        random_input(&in);
        (void)sixmm_classify(&in.call, in.random, &adv);
        (void)sixmm_backoff_ms(rng32(), rng32(), rng32(), rng32());
    }
    (void)sixmm_classify(NULL, 0, &adv);
    (void)sixmm_backoff_policy(SIXMM_DOMAIN_AGENT, NULL, NULL);
    ck_assert_uint_eq(alloc_count(), before);
}
END_TEST

START_TEST(advice_is_always_a_defined_action_with_a_reason)
{
    struct input in;
    sixmm_advice adv;
    long i;
    rng_seed(0x5eed0002u);
    for (i = 0; i < ROUNDS; i++) {
        int rc;
        random_input(&in);
        memset(&adv, 0xA5, sizeof adv);
        rc = sixmm_classify(&in.call, in.random, &adv);
        if ((unsigned)in.call.domain >= SIXMM_DOMAIN_COUNT)
            ck_assert_int_eq(rc, -1);
        else
            ck_assert_int_eq(rc, 0);
        ck_assert_msg((unsigned)adv.action < SIXMM_RETRY_COUNT, "round %ld: action %d", i,
                      (int)adv.action);
        ck_assert_msg(sixmm_retry_name(adv.action)[0] != '\0', "round %ld", i);
        ck_assert_ptr_nonnull(adv.reason);
        ck_assert_msg(adv.reason[0] != '\0', "round %ld: empty reason", i);
        ck_assert_msg((unsigned)adv.match <= SIXMM_MATCH_STATUS, "round %ld: match %d", i,
                      (int)adv.match);
        ck_assert_int_eq(adv.entry == NULL,
                         adv.match == SIXMM_MATCH_UNKNOWN || adv.match == SIXMM_MATCH_STATUS);
        if (adv.match == SIXMM_MATCH_CLASS)
            ck_assert_int_eq(sixmm_entry_kind(adv.entry), SIXMM_KIND_CLASS);
        if (adv.entry)
            ck_assert_int_eq(sixmm_entry_domain(adv.entry), in.call.domain);
        ck_assert(adv.resend == 0 || adv.resend == 1);
        if (rc == 0 && in.call.has_code && in.call.code == 0)
            ck_assert_int_eq(adv.action, SIXMM_RETRY_NONE);
        if (adv.action == SIXMM_RETRY_NONE || adv.action == SIXMM_RETRY_FIX_REQUEST ||
            adv.action == SIXMM_RETRY_CHECK_CREDENTIALS || adv.action == SIXMM_RETRY_NEVER)
            ck_assert_int_eq(adv.resend, 0);
    }
}
END_TEST

START_TEST(delay_never_exceeds_the_cap_nor_goes_negative)
{
    struct input in;
    sixmm_advice adv;
    long i;
    rng_seed(0x5eed0003u);
    for (i = 0; i < ROUNDS; i++) {
        uint32_t base, cap;
        random_input(&in);
        if (sixmm_classify(&in.call, in.random, &adv) != 0)
            continue;
        ck_assert_int_eq(sixmm_backoff_policy(in.call.domain, &base, &cap), 0);
        /* uint32_t cannot be negative; as a signed 64-bit value it is >= 0. */
        ck_assert_int_ge((int64_t)adv.delay_ms, 0);
        ck_assert_msg(adv.delay_ms <= cap, "round %ld: delay %u above cap %u", i,
                      (unsigned)adv.delay_ms, (unsigned)cap);
        ck_assert_uint_le(adv.delay_ms, ceiling_ref(base, cap, in.call.attempt));
        if (!adv.resend)
            ck_assert_uint_eq(adv.delay_ms, 0);
    }
}
END_TEST

START_TEST(attempt_limit_is_honoured)
{
    struct input in;
    sixmm_advice adv;
    long i;
    rng_seed(0x5eed0004u);
    for (i = 0; i < ROUNDS / 4; i++) {
        unsigned a, resends = 0, limit;
        int first_resend = -1, stopped = 0;
        random_input(&in);
        if (sixmm_classify(&in.call, in.random, &adv) != 0)
            continue;
        if (adv.resend) {
            unsigned eff = in.call.attempt ? in.call.attempt : 1u;
            ck_assert_int_le(eff, sixmm_retry_max_resends(adv.action));
        }
        /* Walk the attempts of this call: resends stop after the class's
         * maximum and never resume. */
        limit = (unsigned)sixmm_retry_max_resends(adv.action);
        for (a = 1; a <= limit + 5; a++) {
            in.call.attempt = a;
            ck_assert_int_eq(sixmm_classify(&in.call, in.random, &adv), 0);
            if (first_resend < 0)
                first_resend = adv.resend;
            if (adv.resend) {
                ck_assert_msg(!stopped, "round %ld: resend resumed at attempt %u", i, a);
                resends++;
            } else {
                stopped = 1;
            }
        }
        ck_assert_uint_le(resends, limit);
        if (first_resend == 1)
            ck_assert_uint_eq(resends, limit);
        in.call.attempt = UINT_MAX;
        ck_assert_int_eq(sixmm_classify(&in.call, in.random, &adv), 0);
        ck_assert_int_eq(adv.resend, 0);
    }
}
END_TEST

START_TEST(non_idempotent_unknown_outcome_is_never_resent)
{
    struct input in;
    sixmm_advice adv;
    long i;
    rng_seed(0x5eed0005u);
    for (i = 0; i < ROUNDS; i++) {
        random_input(&in);
        in.call.idempotent = 0;
        if (sixmm_classify(&in.call, in.random, &adv) != 0)
            continue;
        ck_assert_int_ne(adv.action, SIXMM_RETRY_RESIGN);
        if (adv.action == SIXMM_RETRY_RECONCILE) {
            ck_assert_int_eq(adv.resend, 0);
            ck_assert_ptr_nonnull(strstr(adv.reason, "clientOrderId"));
        }
        /* An unknown code in a known block is never resent blindly. */
        if (adv.match == SIXMM_MATCH_CLASS)
            ck_assert_int_eq(adv.resend, 0);
    }
}
END_TEST

START_TEST(classify_is_deterministic_and_ignores_random_except_for_delay)
{
    struct input in;
    sixmm_advice a, b;
    long i;
    rng_seed(0x5eed0006u);
    for (i = 0; i < ROUNDS / 2; i++) {
        int ra, rb;
        random_input(&in);
        ra = sixmm_classify(&in.call, in.random, &a);
        rb = sixmm_classify(&in.call, in.random, &b);
        ck_assert_int_eq(ra, rb);
        ck_assert_int_eq(a.action, b.action);
        ck_assert_ptr_eq(a.entry, b.entry);
        ck_assert_int_eq(a.match, b.match);
        ck_assert_int_eq(a.resend, b.resend);
        ck_assert_uint_eq(a.delay_ms, b.delay_ms);
        ck_assert_ptr_eq(a.reason, b.reason);
        rb = sixmm_classify(&in.call, ~in.random, &b);
        ck_assert_int_eq(a.action, b.action);
        ck_assert_ptr_eq(a.entry, b.entry);
        ck_assert_int_eq(a.resend, b.resend);
        ck_assert_ptr_eq(a.reason, b.reason);
    }
}
END_TEST

START_TEST(backoff_stays_within_the_doubling_ceiling)
{
    long i;
    rng_seed(0x5eed0007u);
    for (i = 0; i < ROUNDS * 2; i++) {
        uint32_t base = below(4) ? below(100000) : rng32();
        uint32_t cap = below(4) ? below(10000000) : rng32();
        unsigned attempt = below(2) ? below(70) : rng32();
        uint32_t r = rng32();
        uint32_t ceiling = ceiling_ref(base, cap, attempt);
        uint32_t d = sixmm_backoff_ms(base, cap, attempt, r);
        ck_assert_msg(d <= ceiling, "base %u cap %u attempt %u: %u > %u", (unsigned)base,
                      (unsigned)cap, attempt, (unsigned)d, (unsigned)ceiling);
        ck_assert_uint_le(d, cap);
        ck_assert_uint_eq(sixmm_backoff_ms(base, cap, attempt, UINT32_MAX), ceiling);
        ck_assert_uint_eq(sixmm_backoff_ms(base, cap, attempt, 0), 0);
        /* Monotonic in the random value and in the attempt. */
        ck_assert_uint_le(sixmm_backoff_ms(base, cap, attempt, r / 2), d);
        if (attempt < UINT_MAX)
            ck_assert_uint_le(d, sixmm_backoff_ms(base, cap, attempt + 1, r));
    }
}
END_TEST

static void setup(void)
{
    (void)alloc_counter_install();
}

static Suite *props_suite(void)
{
    Suite *s = suite_create("advice_props");
    TCase *t = tcase_create("properties");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_set_timeout(t, 300); /* a watchdog on a loaded machine, not an assertion */
    tcase_add_test(t, allocation_counter_sees_an_allocation);
    tcase_add_test(t, classify_never_allocates);
    tcase_add_test(t, advice_is_always_a_defined_action_with_a_reason);
    tcase_add_test(t, delay_never_exceeds_the_cap_nor_goes_negative);
    tcase_add_test(t, attempt_limit_is_honoured);
    tcase_add_test(t, non_idempotent_unknown_outcome_is_never_resent);
    tcase_add_test(t, classify_is_deterministic_and_ignores_random_except_for_delay);
    tcase_add_test(t, backoff_stays_within_the_doubling_ceiling);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(props_suite());
}
