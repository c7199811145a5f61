/*
 * Fuzz the retry loop: the throttle, the budget and the reconcile step,
 * driven by one input as a program over a simulated clock.
 *
 * Input layout (make_seeds.py writes seeds in it):
 *   [0]     domain (mostly valid, sometimes out of range)
 *   [1..3]  rate per second, burst, concurrency of a custom throttle; a rate
 *           of 0 takes the domain's documented quota instead
 *   then operations of 4 bytes [op a b c], op % 6:
 *     0 acquire at the clock, up to 3 ms behind (a & 3)
 *     1 release
 *     2 feedback: action b, delay a * c * 4 ms
 *     3 budget: action a, resend b & 1
 *     4 reconcile: found a % 5 (4 is invalid), signed b * 100 ms before the
 *       clock (after it when c & 1), clock error c * 10 ms, attempt c >> 4
 *     5 advance the clock by a * 16 + b ms
 *
 * Properties: acquire answers BUSY exactly when every slot is held; sends
 * in any window of W ms are at most burst + ceil(rate W / 1000); no turn
 * taken after a feedback starts inside its hold; the budget grants at most
 * 5 resends before its first success and changes only the advice it
 * refuses; reconcile resends only once the REST window has closed, gives
 * DONE exactly for FINAL, never a NULL reason, and -1 with ESCALATE for
 * bad input.
 */
#include <sixmm/errinfo.h>

#include <string.h>

#include "fuzz.h"

#define MAX_STARTS         1024
#define REST_SAFE_AFTER_MS 12000u /* window + lag, spec/errors.yaml policy */

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void check_window_bound(uint64_t *starts, size_t n, uint32_t rate, uint32_t burst)
{
    size_t i, j;
    qsort(starts, n, sizeof starts[0], by_value);
    for (i = 0; i < n; i++)
        for (j = i; j < n; j++)
            FUZZ_CHECK(j - i + 1 <=
                       burst + ((uint64_t)rate * (starts[j] - starts[i]) + 999) / 1000);
}

static void check_reconcile(sixmm_domain domain, const uint8_t *op, uint64_t clock)
{
    sixmm_reconcile_in in;
    sixmm_reconcile_out out;
    int rc, valid;

    memset(&in, 0, sizeof in);
    in.domain = domain;
    in.found = (sixmm_found)(op[1] % 5);
    in.now_ms = clock;
    in.signed_at_ms = op[3] & 1 ? clock + op[2] * 100u : clock - op[2] * 100u;
    in.clock_error_ms = op[3] * 10u;
    in.attempt = op[3] >> 4;
    rc = sixmm_reconcile(&in, (uint32_t)op[1] * op[2] * 0x01010101u, &out);
    valid = (unsigned)domain < SIXMM_DOMAIN_COUNT && in.found <= SIXMM_FOUND_QUERY_FAILED;
    FUZZ_CHECK(rc == (valid ? 0 : -1));
    fuzz_touch(out.reason);
    if (!valid) {
        FUZZ_CHECK(out.step == SIXMM_STEP_ESCALATE);
        return;
    }
    FUZZ_CHECK((out.step == SIXMM_STEP_DONE) == (in.found == SIXMM_FOUND_FINAL));
    if (out.step == SIXMM_STEP_RESEND) {
        FUZZ_CHECK(domain == SIXMM_DOMAIN_REST && in.found == SIXMM_FOUND_NONE);
        FUZZ_CHECK(in.now_ms >= in.clock_error_ms &&
                   in.now_ms - in.clock_error_ms >= in.signed_at_ms + REST_SAFE_AFTER_MS);
    }
    if (out.step != SIXMM_STEP_POLL)
        FUZZ_CHECK(out.delay_ms == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t starts[MAX_STARTS];
    sixmm_throttle t;
    sixmm_budget b;
    sixmm_domain domain;
    uint32_t rate, burst, concurrency, held = 0;
    uint64_t clock = 1000000, hold_end = 0;
    size_t nstarts = 0, i;
    int have_throttle, have_budget, successes = 0, granted = 0;

    if (size < 4)
        return 0;
    domain = (sixmm_domain)(data[0] < 0xF0 ? data[0] % (SIXMM_DOMAIN_COUNT + 1) : data[0]);
    rate = data[1];
    burst = data[2];
    concurrency = data[3];
    if (rate) {
        have_throttle = sixmm_throttle_init_custom(&t, rate, burst, concurrency) == 0;
        FUZZ_CHECK(have_throttle == (burst != 0 && concurrency != 0));
    } else {
        have_throttle = sixmm_throttle_init(&t, domain) == 0;
        FUZZ_CHECK(have_throttle == (domain == SIXMM_DOMAIN_AGENT));
        rate = 2, burst = 4, concurrency = 2; /* the Agent quota */
    }
    have_budget = sixmm_budget_init(&b, domain) == 0;
    FUZZ_CHECK(have_budget == ((unsigned)domain < SIXMM_DOMAIN_COUNT));

    for (i = 4; i + 4 <= size; i += 4) {
        const uint8_t *op = data + i;
        switch (op[0] % 6) {
        case 0:
            if (have_throttle) {
                uint64_t now = clock - (op[1] & 3);
                uint32_t w = sixmm_throttle_acquire(&t, now);
                FUZZ_CHECK((w == SIXMM_THROTTLE_BUSY) == (held == concurrency));
                if (w != SIXMM_THROTTLE_BUSY) {
                    held++;
                    FUZZ_CHECK(now + w >= hold_end);
                    if (nstarts < MAX_STARTS)
                        starts[nstarts++] = now + w;
                }
            }
            break;
        case 1:
            if (have_throttle) {
                sixmm_throttle_release(&t, clock);
                held -= held > 0;
            }
            break;
        case 2:
            if (have_throttle) {
                sixmm_advice a;
                memset(&a, 0, sizeof a);
                a.action = (sixmm_retry)(op[2] % SIXMM_RETRY_COUNT);
                a.delay_ms = (uint32_t)op[1] * op[3] * 4u;
                a.reason = "";
                sixmm_throttle_feedback(&t, &a, clock);
                if (a.action == SIXMM_RETRY_BACKOFF && a.delay_ms > 0 &&
                    clock + a.delay_ms > hold_end)
                    hold_end = clock + a.delay_ms;
            }
            break;
        case 3:
            if (have_budget) {
                sixmm_advice a, before;
                int refused;
                memset(&a, 0, sizeof a);
                a.action = (sixmm_retry)(op[1] % SIXMM_RETRY_COUNT);
                a.resend = op[2] & 1;
                a.delay_ms = op[3];
                a.reason = "classifier";
                before = a;
                refused = sixmm_budget_apply(&b, &a);
                FUZZ_CHECK(refused == 0 || refused == 1);
                if (refused) {
                    FUZZ_CHECK(before.resend && !a.resend && a.delay_ms == 0);
                    fuzz_touch(a.reason);
                } else {
                    FUZZ_CHECK(memcmp(&a, &before, sizeof a) == 0);
                    granted += before.resend && before.action != SIXMM_RETRY_NONE && successes == 0;
                }
                successes += a.action == SIXMM_RETRY_NONE;
                FUZZ_CHECK(granted <= 5);
            }
            break;
        case 4:
            check_reconcile(domain, op, clock);
            break;
        default:
            clock += op[1] * 16u + op[2];
            break;
        }
    }
    if (have_throttle)
        check_window_bound(starts, nstarts, rate, burst);
    /* NULL arguments are harmless. */
    FUZZ_CHECK(sixmm_throttle_acquire(NULL, clock) == SIXMM_THROTTLE_BUSY);
    sixmm_throttle_release(NULL, clock);
    sixmm_throttle_feedback(NULL, NULL, clock);
    FUZZ_CHECK(sixmm_budget_apply(NULL, NULL) == 0);
    FUZZ_CHECK(sixmm_reconcile(NULL, 0, NULL) == -1);
    return 0;
}
