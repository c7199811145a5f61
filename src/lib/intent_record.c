/*
 * The intent's record: what a journal stores before each send, so that a
 * restarted process knows every signature that may be in flight.
 *
 * Layout, little-endian, RECORD_LEN bytes:
 *   0   "SXI" and the version (1)
 *   4   the record's length
 *   5   domain, kind, phase, flags, outcome, status, cause, why_done,
 *       wait_mode, acked, refused_seen, live, alert, next_why, delay_kind
 *   20  sends, queries, round_queries (16 bits each)
 *   26  delay_ms (32 bits)
 *   30  created, deadline, max_signed, not_before, step_sign, query_signed
 *       (server ms, signed 64 bits each)
 *   78  step_error_ms (32 bits)
 *   82  CRC-32 (IEEE 802.3) of bytes 0 to 81
 * Only server times are kept: a monotonic clock does not survive a reboot,
 * and the turn and slot a process held are gone with it (the lease
 * reclaims the slot). A handed-out SEND or QUERY is recorded as READY or
 * RECONCILE: until its event nothing went out. Decoding checks everything
 * it reads (magic, version, length, checksum, every field's range) into a
 * copy, and writes *it only when all of it holds.
 */
#include <sixmm/errinfo.h>

#include "intent_internal.h"

#define VERSION    1u
#define RECORD_LEN 86u
#define BYTES      15u

_Static_assert(RECORD_LEN <= SIXMM_INTENT_RECORD_MAX, "the record fits its bound");

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

static void put(unsigned char *p, uint64_t v, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;
    unsigned i;
    for (i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint8_t *byte_field(struct sixmm__intent *s, unsigned i)
{
    /* The caller writes through the pointer, so the fields cannot be const. */
    // cppcheck-suppress constVariable
    uint8_t *const f[BYTES] = {&s->domain, &s->kind, &s->phase, &s->flags, &s->outcome,
                         &s->status, &s->cause, &s->why_done, &s->wait_mode, &s->acked,
                         &s->refused_seen, &s->live, &s->alert, &s->next_why, &s->delay_kind};
    return f[i];
}

static int64_t *time_field(struct sixmm__intent *s, unsigned i)
{
    // cppcheck-suppress constVariable
    int64_t *const f[6] = {&s->created_ms, &s->deadline_ms, &s->max_signed_ms,
                     &s->not_before_ms, &s->step_sign_ms, &s->query_signed_ms};
    return f[i];
}

size_t sixmm_intent_encode(const sixmm_intent *it, unsigned char *buf, size_t len)
{
    struct sixmm__intent s;
    unsigned i;

    if (!it || !buf || len < RECORD_LEN)
        return 0;
    sixmm__load(it, &s);
    if (!sixmm__intent_valid(&s))
        return 0;
    if (s.phase == SIXMM__SEND)
        s.phase = SIXMM__READY;
    else if (s.phase == SIXMM__QUERY)
        s.phase = SIXMM__RECONCILE;
    buf[0] = 'S';
    buf[1] = 'X';
    buf[2] = 'I';
    buf[3] = VERSION;
    buf[4] = RECORD_LEN;
    for (i = 0; i < BYTES; i++)
        buf[5 + i] = *byte_field(&s, i);
    put(buf + 20, s.sends, 2);
    put(buf + 22, s.queries, 2);
    put(buf + 24, s.round_queries, 2);
    put(buf + 26, s.delay_ms, 4);
    for (i = 0; i < 6; i++)
        put(buf + 30 + 8 * i, (uint64_t)*time_field(&s, i), 8);
    put(buf + 78, s.step_error_ms, 4);
    put(buf + 82, crc32(buf, 82), 4);
    return RECORD_LEN;
}

/* Every byte field within the range the machine ever writes. */
static int fields_valid(const struct sixmm__intent *s)
{
    return s->domain < SIXMM_DOMAIN_COUNT && s->kind < SIXMM_INTENT_KIND_COUNT &&
           s->phase < SIXMM__PHASE_COUNT && s->phase != SIXMM__SEND &&
           s->phase != SIXMM__QUERY && (s->flags & ~SIXMM_INTENT_TRUST_SINGLE_DELIVERY) == 0 &&
           s->outcome < SIXMM_OUTCOME_COUNT && s->status < SIXMM_STATUS_COUNT &&
           s->cause < SIXMM_RETRY_COUNT && s->why_done < SIXMM_INTENT_REASON_COUNT &&
           s->wait_mode <= SIXMM__WAIT_PROOF && s->acked <= 1 && s->refused_seen <= 1 &&
           s->live <= 1 && s->alert < SIXMM_ALERT_COUNT &&
           s->next_why < SIXMM_INTENT_REASON_COUNT && s->delay_kind <= SIXMM__DELAY_JITTER &&
           (s->phase == SIXMM__DONE || s->outcome == SIXMM_OUTCOME_UNKNOWN);
}

int sixmm_intent_decode(sixmm_intent *it, const unsigned char *buf, size_t len)
{
    struct sixmm__intent s;
    unsigned i;

    if (!it || !buf || len != RECORD_LEN || buf[0] != 'S' || buf[1] != 'X' || buf[2] != 'I' ||
        buf[3] != VERSION || buf[4] != RECORD_LEN || get(buf + 82, 4) != crc32(buf, 82))
        return -1;
    memset(&s, 0, sizeof s);
    s.magic = SIXMM__INTENT_MAGIC;
    for (i = 0; i < BYTES; i++)
        *byte_field(&s, i) = buf[5 + i];
    s.sends = (uint16_t)get(buf + 20, 2);
    s.queries = (uint16_t)get(buf + 22, 2);
    s.round_queries = (uint16_t)get(buf + 24, 2);
    s.delay_ms = (uint32_t)get(buf + 26, 4);
    for (i = 0; i < 6; i++)
        *time_field(&s, i) = (int64_t)get(buf + 30 + 8 * i, 8);
    s.step_error_ms = (uint32_t)get(buf + 78, 4);
    if (!fields_valid(&s))
        return -1;
    memset(it, 0, sizeof *it);
    sixmm__store(it, &s);
    return 0;
}
