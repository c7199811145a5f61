/*
 * Fuzz sixmm_intent_decode(): the record of the order machine, read back
 * after a crash, must never be half-read.
 *
 * Input layout (make_seeds.py writes seeds in it), by the first byte:
 *   even  the rest is a record, decoded as it stands;
 *   odd   the rest is a program that drives a real intent (each byte one
 *         step: its low bits choose the caller's reaction, the rest the
 *         answer), whose record is then changed at the offsets and values
 *         the last bytes name, with the checksum made right again, so that
 *         the field checks behind the checksum are reached.
 * Properties: a refused record leaves the intent exactly as it was; an
 * accepted one encodes back to the same bytes, restarts, and then runs with
 * no step but DONE or ESCALATE when it was done, and with no SEND or QUERY
 * at or past the spec's caps of sends and queries, whatever the counts in
 * the record.
 */
#include <sixmm/errinfo.h>

#include <string.h>

#include "fuzz.h"

#define MAX_SENDS   8  /* spec machine.sends */
#define MAX_QUERIES 32 /* spec machine.queries */
#define OFFSET      INT64_C(1700000000000)

static uint32_t crc32(const unsigned char *p, size_t n)
{
    uint32_t c = UINT32_MAX;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        c ^= p[i];
        for (k = 0; k < 8; k++)
            c = c >> 1 ^ (UINT32_C(0xEDB88320) & (0u - (c & 1u)));
    }
    return ~c;
}

/* Drive an intent with one byte per step. */
static void drive(sixmm_intent *it, sixmm_clock *clock, const uint8_t *p, size_t n,
                  uint64_t *mono)
{
    static const int64_t codes[] = {0, 5001, 5002, 5003, 1002, 3004, 3001, 3005};
    static const char *const statuses[] = {"", "NEW", "FILLED", "CANCELED", "REJECTED",
                                           "PROCESSING", "SUCCESS", "X"};
    size_t i;
    for (i = 0; i < n; i++) {
        sixmm_next out;
        sixmm_call call;
        const char *st = statuses[p[i] >> 5];
        FUZZ_CHECK(sixmm_intent_next(it, clock, NULL, NULL, *mono, p[i] * 0x01010101u, &out) ==
                   0);
        fuzz_touch(out.reason);
        fuzz_touch(out.alert_reason);
        switch (out.todo) {
        case SIXMM_TODO_WAIT:
            *mono += out.wait_ms;
            break;
        case SIXMM_TODO_SYNC:
            sixmm_clock_sample(clock, *mono, (int64_t)*mono + OFFSET + 5, *mono + 10);
            *mono += 10;
            break;
        case SIXMM_TODO_SEND:
            sixmm_intent_sending(it, out.sign_ms);
            if (p[i] & 1) {
                sixmm_intent_not_sent(it);
                break;
            }
            memset(&call, 0, sizeof call);
            call.http_status = p[i] & 2 ? 200 : 0;
            call.has_code = 1;
            call.code = codes[(p[i] >> 2) & 7];
            sixmm_intent_answer(it, &call, *mono);
            break;
        case SIXMM_TODO_QUERY:
            sixmm_intent_querying(it, out.sign_ms);
            sixmm_intent_found(it, (sixmm_found)(p[i] & 3), st, strlen(st));
            break;
        default:
            return;
        }
    }
}

/* An accepted record: canonical, restartable, and safe to run on. */
static void run_decoded(sixmm_intent *it, const unsigned char *rec, size_t len)
{
    unsigned char again[SIXMM_INTENT_RECORD_MAX];
    sixmm_clock clock;
    sixmm_next out;
    uint64_t mono = 1000;
    int step, done;

    FUZZ_CHECK(sixmm_intent_encode(it, again, sizeof again) == len);
    FUZZ_CHECK(memcmp(again, rec, len) == 0);
    FUZZ_CHECK(sixmm_intent_restart(it) == 0);
    done = sixmm_intent_is_done(it);
    sixmm_clock_init(&clock, 0);
    sixmm_clock_sample(&clock, mono, (int64_t)mono + OFFSET, mono + 4);
    for (step = 0; step < 64; step++) {
        FUZZ_CHECK(sixmm_intent_next(it, &clock, NULL, NULL, mono, (uint32_t)step, &out) == 0);
        fuzz_touch(out.reason);
        if (done)
            FUZZ_CHECK(out.todo == SIXMM_TODO_DONE || out.todo == SIXMM_TODO_ESCALATE);
        if (out.todo == SIXMM_TODO_WAIT)
            mono += out.wait_ms;
        else if (out.todo == SIXMM_TODO_SYNC)
            sixmm_clock_sample(&clock, mono, (int64_t)mono + OFFSET, mono + 4);
        else if (out.todo == SIXMM_TODO_QUERY) {
            FUZZ_CHECK(out.queries < MAX_QUERIES);
            sixmm_intent_querying(it, out.sign_ms);
            sixmm_intent_found(it, SIXMM_FOUND_QUERY_FAILED, "", 0);
        } else if (out.todo == SIXMM_TODO_SEND) {
            FUZZ_CHECK(out.sends < MAX_SENDS);
            FUZZ_CHECK(sixmm_intent_sending(it, out.sign_ms) == 0);
            sixmm_intent_not_sent(it);
        } else
            break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char rec[SIXMM_INTENT_RECORD_MAX];
    sixmm_intent it, before;
    size_t len;

    if (size < 1)
        return 0;
    memset(&it, 0x5A, sizeof it);
    before = it;
    if (!(data[0] & 1)) {
        if (sixmm_intent_decode(&it, data + 1, size - 1) != 0)
            FUZZ_CHECK(memcmp(&it, &before, sizeof it) == 0);
        else
            run_decoded(&it, data + 1, size - 1);
        return 0;
    } else {
        sixmm_intent real;
        sixmm_clock clock;
        uint64_t mono = 5000;
        size_t prog = size - 1, edits = 0, i;
        const uint8_t *p = data + 1;

        /* The last bytes, in pairs (offset, value), edit the record. */
        if (prog >= 4) {
            edits = (p[prog - 1] & 3) + 1;
            if (2 * edits + 1 > prog)
                edits = (prog - 1) / 2;
            prog -= 2 * edits + 1;
        }
        sixmm_clock_init(&clock, 0);
        sixmm_clock_sample(&clock, mono, (int64_t)mono + OFFSET, mono + 8);
        FUZZ_CHECK(sixmm_intent_init(&real, (sixmm_domain)(data[0] >> 1 & 1),
                                     (sixmm_intent_kind)(data[0] >> 2 & 3),
                                     (int64_t)mono + OFFSET, data[0] >> 4) == 0);
        drive(&real, &clock, p, prog, &mono);
        len = sixmm_intent_encode(&real, rec, sizeof rec);
        FUZZ_CHECK(len > 0 && len <= SIXMM_INTENT_RECORD_MAX);
        FUZZ_CHECK(sixmm_intent_decode(&it, rec, len) == 0);
        run_decoded(&it, rec, len);
        memset(&it, 0x5A, sizeof it);
        for (i = 0; i < edits; i++)
            rec[p[prog + 2 * i] % (len - 4)] = p[prog + 2 * i + 1];
        if (edits) {
            uint32_t c = crc32(rec, len - 4);
            rec[len - 4] = (unsigned char)c;
            rec[len - 3] = (unsigned char)(c >> 8);
            rec[len - 2] = (unsigned char)(c >> 16);
            rec[len - 1] = (unsigned char)(c >> 24);
        }
        if (sixmm_intent_decode(&it, rec, len) != 0)
            FUZZ_CHECK(memcmp(&it, &before, sizeof it) == 0);
        else
            run_decoded(&it, rec, len);
    }
    return 0;
}
