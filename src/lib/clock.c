/*
 * The server clock: samples of GET /v1/time, each timed with the caller's
 * monotonic clock, and a true bound on the error of the estimate.
 *
 * One sample: sent at monotonic ms s, received at r, server stamp S. The
 * readings are whole milliseconds, so the true instants lie in [s, s + 1)
 * and [r, r + 1), and the server stamped somewhere in [s, r + 1), with a
 * true time in (S - 1, S + 1) (truncated or rounded). With mid = s +
 * floor((r + 1 - s) / 2) the estimate at monotonic n is S + (n - mid), and
 * its error is below
 *     half    = (r + 1 - s) - floor((r + 1 - s) / 2)   the stamp's place in the trip
 *   + 2                                                the stamp's and n's rounding
 *   + ceil(ppm * span / 10^6)                          drift over the span
 * where span = max(n + 1, r + 1) - min(n, s) covers every instant between the
 * stamp and the reading, whichever comes first (a thread may read with an
 * n older than another thread's sample).
 *
 * Storage: word 0 holds the drift bound (and a mark that the clock is
 * initialised), then SLOTS slots of [seq, s, r, S]. A writer claims a slot
 * by moving its seq from even to odd with a compare-and-swap, writes, and
 * makes seq even again; a reader skips a slot whose seq changed while it
 * read. Every word is accessed as an atomic, so readers and writers never
 * race; no thread ever waits for another (a read that finds only slots
 * being written tries a bounded number of times, then reports no sample),
 * so the clock is lock-free.
 */
#include <sixmm/errinfo.h>

#include "atomic_words.h"
#include "machine_policy.h"

#define SLOTS     3
#define SLOT_BASE 1
#define MAGIC     UINT32_C(0x434c4b31) /* "CLK1": the clock was initialised */
#define ROUNDING  2u
#define READ_TRIES 64

enum { SEQ, SENT, RECEIVED, STAMP, SLOT_WORDS };

_Static_assert(SLOT_BASE + SLOTS * SLOT_WORDS <= 16, "the slots fit sixmm_clock");

static _Atomic uint64_t *word(const sixmm_clock *c, unsigned i)
{
    /* Atomic loads only read; the const is the caller's promise, kept. */
    return sixmm__atomic_word((uint64_t *)(uintptr_t)&c->opaque[i]);
}

static _Atomic uint64_t *slot_word(const sixmm_clock *c, unsigned slot, unsigned w)
{
    return word(c, SLOT_BASE + slot * SLOT_WORDS + w);
}

struct sample {
    uint64_t sent, received;
    int64_t stamp;
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The bound of sample x read at monotonic now, saturated. */
static uint64_t bound(const struct sample *x, uint64_t now, uint64_t ppm)
{
    uint64_t trip = sat_add(x->received - x->sent, 1);
    uint64_t half = trip - trip / 2;
    uint64_t hi = sat_add(now > x->received ? now : x->received, 1);
    uint64_t lo = now < x->sent ? now : x->sent;
    uint64_t span = hi - lo, drift;

    if (ppm && span > UINT64_MAX / ppm)
        return UINT64_MAX;
    drift = (span * ppm + 999999u) / 1000000u;
    return sat_add(sat_add(half, ROUNDING), drift);
}

/* The estimate of sample x at monotonic now: S + (n - mid), in 64-bit
 * two's complement (wrapping casts, no signed overflow). */
static int64_t estimate(const struct sample *x, uint64_t now)
{
    uint64_t trip = sat_add(x->received - x->sent, 1);
    uint64_t mid = x->sent + trip / 2;
    return (int64_t)((uint64_t)x->stamp + (now - mid));
}

int sixmm_clock_init(sixmm_clock *c, uint32_t drift_ppm)
{
    unsigned i;

    if (!c)
        return -1;
    for (i = 1; i < 16; i++)
        atomic_store_explicit(word(c, i), 0, memory_order_relaxed);
    /* Word 0: the drift in the high 32 bits, the magic in the low. */
    atomic_store_explicit(word(c, 0),
                          (uint64_t)(drift_ppm ? drift_ppm : sixmm__machine.drift_ppm) << 32 |
                              MAGIC,
                          memory_order_release);
    return 0;
}

/* The drift bound, or -1 when c was not initialised. */
static int64_t ppm_of(const sixmm_clock *c)
{
    uint64_t w0;
    if (!c)
        return -1;
    w0 = atomic_load_explicit(word(c, 0), memory_order_acquire);
    if ((w0 & UINT32_MAX) != MAGIC)
        return -1;
    return (int64_t)(w0 >> 32);
}

/* Read slot i consistently into *x. Returns 1 for a sample, 0 for an empty
 * slot, -1 while a writer holds it. */
static int read_slot(const sixmm_clock *c, unsigned i, struct sample *x)
{
    uint64_t seq, again;

    seq = atomic_load_explicit(slot_word(c, i, SEQ), memory_order_acquire);
    if (seq & 1)
        return -1;
    if (seq == 0)
        return 0;
    x->sent = atomic_load_explicit(slot_word(c, i, SENT), memory_order_relaxed);
    x->received = atomic_load_explicit(slot_word(c, i, RECEIVED), memory_order_relaxed);
    x->stamp = (int64_t)atomic_load_explicit(slot_word(c, i, STAMP), memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    again = atomic_load_explicit(slot_word(c, i, SEQ), memory_order_relaxed);
    return again == seq ? 1 : -1;
}

int sixmm_clock_sample(sixmm_clock *c, uint64_t mono_sent_ms, int64_t server_ms,
                       uint64_t mono_received_ms)
{
    struct sample fresh, x;
    int64_t ppm = ppm_of(c);
    unsigned tries, i;

    if (ppm < 0 || mono_received_ms < mono_sent_ms)
        return -1;
    fresh.sent = mono_sent_ms;
    fresh.received = mono_received_ms;
    fresh.stamp = server_ms;
    /* Each try picks the slot to replace (an empty one, else the one with
     * the largest bound at the sample's receipt, if larger than the new
     * one's) and claims it; a claim lost to another writer tries again. */
    for (tries = 0; tries < 2 * SLOTS; tries++) {
        uint64_t worst = bound(&fresh, mono_received_ms, (uint64_t)ppm), seq;
        int pick = -1;

        for (i = 0; i < SLOTS; i++) {
            int got = read_slot(c, i, &x);
            uint64_t b;
            if (got < 0)
                continue;
            if (got == 0) {
                pick = (int)i;
                break;
            }
            b = bound(&x, mono_received_ms, (uint64_t)ppm);
            if (b > worst) {
                worst = b;
                pick = (int)i;
            }
        }
        if (pick < 0)
            return 0; /* every kept sample is at least as good */
        seq = atomic_load_explicit(slot_word(c, (unsigned)pick, SEQ), memory_order_relaxed);
        if ((seq & 1) || !atomic_compare_exchange_strong_explicit(
                             slot_word(c, (unsigned)pick, SEQ), &seq, seq + 1,
                             memory_order_relaxed, memory_order_relaxed))
            continue;
        atomic_thread_fence(memory_order_release);
        atomic_store_explicit(slot_word(c, (unsigned)pick, SENT), fresh.sent,
                              memory_order_relaxed);
        atomic_store_explicit(slot_word(c, (unsigned)pick, RECEIVED), fresh.received,
                              memory_order_relaxed);
        atomic_store_explicit(slot_word(c, (unsigned)pick, STAMP), (uint64_t)fresh.stamp,
                              memory_order_relaxed);
        atomic_store_explicit(slot_word(c, (unsigned)pick, SEQ), seq + 2, memory_order_release);
        return 0;
    }
    return 0; /* other writers kept every slot busy: this sample is dropped */
}

int sixmm_clock_read(const sixmm_clock *c, uint64_t mono_now_ms, int64_t *server_ms,
                     uint32_t *error_ms)
{
    struct sample x;
    int64_t ppm = ppm_of(c), best_est = 0;
    uint64_t best = UINT64_MAX;
    int found = 0, busy;
    unsigned i, tries = 0;

    if (ppm < 0)
        return -1;
    do {
        busy = 0;
        for (i = 0; i < SLOTS; i++) {
            int got = read_slot(c, i, &x);
            uint64_t b;
            if (got < 0) {
                busy = 1;
                continue;
            }
            if (got == 0)
                continue;
            b = bound(&x, mono_now_ms, (uint64_t)ppm);
            if (!found || b < best) {
                best = b;
                best_est = estimate(&x, mono_now_ms);
                found = 1;
            }
        }
        /* A slot being written is skipped when another slot answered;
         * with none, the writer finishes in a few stores: try again a
         * bounded number of times (never wait on a stalled writer). */
    } while (!found && busy && ++tries < READ_TRIES);
    if (!found)
        return -1;
    if (server_ms)
        *server_ms = best_est;
    if (error_ms)
        *error_ms = best > UINT32_MAX ? UINT32_MAX : (uint32_t)best;
    return 0;
}
