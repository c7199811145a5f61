/*
 * Fuzz the retry advisor: sixmm_classify() and sixmm_backoff_ms().
 *
 * Input layout (make_seeds.py writes seeds in it):
 *   [0]      domain (mostly valid, sometimes out of range)
 *   [1..2]   HTTP status, big-endian, used as a signed 16-bit value
 *   [3]      flags: 1 has_code, 2 idempotent, 4 message is NULL
 *   [4..11]  code, big-endian int64
 *   [12]     attempt (0xFF and 0xFE mean UINT_MAX and UINT_MAX - 1)
 *   [13..16] the random value
 *   [17..]   the message, in an exact-size buffer (no NUL terminator)
 *
 * Properties: classify returns 0 with a sane, readable decision; equal input
 * gives equal output; the delay is within the domain's backoff policy; a
 * non-idempotent call whose outcome may be unknown is never resent (and
 * never re-signed); a resend stays within the class's max_resends; NULL
 * arguments give -1; sixmm_backoff_ms() stays within [0, min(cap, base*2^n)].
 */
#include <sixmm/errinfo.h>

#include <limits.h>
#include <string.h>

#include "fuzz.h"

static uint64_t be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void check_backoff(uint32_t base, uint32_t cap, unsigned attempt, uint32_t rnd)
{
    uint32_t d = sixmm_backoff_ms(base, cap, attempt, rnd);
    uint64_t ceiling = base;
    unsigned i;

    for (i = 1; i < attempt && ceiling <= cap && ceiling != 0; i++)
        ceiling *= 2;
    if (ceiling > cap)
        ceiling = cap;
    FUZZ_CHECK(d <= ceiling);
    FUZZ_CHECK(sixmm_backoff_ms(base, cap, attempt, rnd) == d);
    if (rnd == 0)
        FUZZ_CHECK(d == 0);
    if (rnd == UINT32_MAX)
        FUZZ_CHECK(d == ceiling);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sixmm_call call;
    sixmm_advice a, b;
    uint64_t u;
    uint32_t rnd, base = 0, cap = 0;
    char *msg = NULL;
    size_t n;
    int policy;

    if (size < 17)
        return 0;
    memset(&call, 0, sizeof call);
    call.domain = (sixmm_domain)(data[0] < 0xF0 ? data[0] % (SIXMM_DOMAIN_COUNT + 1) : data[0]);
    call.http_status = (int)(int16_t)(uint16_t)be(data + 1, 2);
    call.has_code = data[3] & 1;
    call.idempotent = (data[3] & 2) != 0;
    u = be(data + 4, 8);
    memcpy(&call.code, &u, sizeof call.code);
    call.attempt = data[12] == 0xFF ? UINT_MAX : data[12] == 0xFE ? UINT_MAX - 1 : data[12];
    rnd = (uint32_t)be(data + 13, 4);
    n = size - 17;
    if (!(data[3] & 4)) {
        msg = malloc(n ? n : 1);
        if (!msg)
            return 0;
        memcpy(msg, data + 17, n);
        call.message = msg;
        call.message_len = n;
    } else {
        call.message_len = n; /* a length with a NULL message must be ignored */
    }

    memset(&a, 0xA5, sizeof a);
    if ((unsigned)call.domain >= SIXMM_DOMAIN_COUNT) {
        /* advice.c refuses a domain it has no policy for, with a readable
         * decision that never resends. */
        FUZZ_CHECK(sixmm_classify(&call, rnd, &a) == -1);
        FUZZ_CHECK(!a.resend && a.entry == NULL && fuzz_touch(a.reason) > 0);
        free(msg);
        return 0;
    }
    FUZZ_CHECK(sixmm_classify(&call, rnd, &a) == 0);
    memset(&b, 0x5A, sizeof b);
    FUZZ_CHECK(sixmm_classify(&call, rnd, &b) == 0);
    FUZZ_CHECK(a.action == b.action && a.entry == b.entry && a.match == b.match &&
               a.resend == b.resend && a.delay_ms == b.delay_ms && a.reason == b.reason);

    FUZZ_CHECK((unsigned)a.action < SIXMM_RETRY_COUNT);
    FUZZ_CHECK((unsigned)a.match <= SIXMM_MATCH_STATUS);
    FUZZ_CHECK(a.resend == 0 || a.resend == 1);
    FUZZ_CHECK(fuzz_touch(a.reason) > 0);
    FUZZ_CHECK((a.match == SIXMM_MATCH_UNKNOWN || a.match == SIXMM_MATCH_STATUS) ==
               (a.entry == NULL));
    if (a.entry) {
        FUZZ_CHECK(fuzz_touch(sixmm_entry_name(a.entry)) > 0);
        fuzz_touch(sixmm_entry_remediation(a.entry, SIXMM_LANG_ZH));
    }
    if (a.action == SIXMM_RETRY_NONE)
        FUZZ_CHECK(!a.resend);
    if (!call.idempotent && a.action == SIXMM_RETRY_RECONCILE)
        FUZZ_CHECK(!a.resend);
    if (!call.idempotent)
        FUZZ_CHECK(a.action != SIXMM_RETRY_RESIGN);
    if (a.resend)
        FUZZ_CHECK((call.attempt ? call.attempt : 1u) <=
                   (unsigned)sixmm_retry_max_resends(a.action));
    policy = sixmm_backoff_policy(call.domain, &base, &cap);
    if (policy == 0)
        FUZZ_CHECK(a.delay_ms <= cap);
    else
        FUZZ_CHECK((unsigned)call.domain >= SIXMM_DOMAIN_COUNT);

    FUZZ_CHECK(sixmm_classify(NULL, rnd, &a) == -1);
    FUZZ_CHECK(sixmm_classify(&call, rnd, NULL) == -1);
    FUZZ_CHECK(sixmm_backoff_policy(call.domain, NULL, NULL) == policy);

    /* The backoff arithmetic, with the input's numbers as base and cap. */
    check_backoff((uint32_t)u, (uint32_t)(u >> 32), call.attempt, rnd);
    check_backoff((uint32_t)(u & 0xFFFF), (uint32_t)(u >> 16 & 0xFFFFFF), data[12] % 40u, rnd);
    if (policy == 0)
        check_backoff(base, cap, call.attempt, rnd);

    free(msg);
    return 0;
}
