/*
 * Fuzz the parsing of a code from text: sixmm_parse_code() and
 * sixmm_lookup_text().
 *
 * Input: byte 0 picks the domain, the rest is the text, in an exact-size
 * buffer (no NUL terminator) so that ASan sees any over-read.
 *
 * Property: sixmm_parse_code() agrees with an independent reference that
 * goes through strtoll() on a NUL-terminated copy; on failure *code is
 * untouched; sixmm_lookup_text() equals sixmm_lookup() of the parsed value.
 */
#include <sixmm/errinfo.h>

#include <errno.h>
#include <string.h>

#include "fuzz.h"

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The contract of the header, written the slow and obvious way. */
static int reference_parse(const char *s, size_t n, int64_t *out)
{
    size_t i = 0, end = n, j;
    char *copy, *stop;
    long long v;

    while (i < end && blank(s[i]))
        i++;
    while (end > i && blank(s[end - 1]))
        end--;
    j = i;
    if (j < end && (s[j] == '-' || s[j] == '+'))
        j++;
    if (j == end)
        return -1;
    for (; j < end; j++)
        if (s[j] < '0' || s[j] > '9')
            return -1;
    copy = malloc(end - i + 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, s + i, end - i);
    copy[end - i] = '\0';
    errno = 0;
    v = strtoll(copy, &stop, 10);
    FUZZ_CHECK(*stop == '\0');
    free(copy);
    if (errno == ERANGE)
        return -1;
    *out = (int64_t)v;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sixmm_domain d;
    const int64_t poison = INT64_C(0x5A5A5A5A5A5A5A5A);
    int64_t got = poison, want = poison;
    int rc, ref;
    size_t n;
    char *text;
    sixmm_match m1 = SIXMM_MATCH_EXACT, m2 = SIXMM_MATCH_EXACT;

    if (size < 1)
        return 0;
    d = (sixmm_domain)(data[0] % (SIXMM_DOMAIN_COUNT + 1));
    n = size - 1;
    text = malloc(n ? n : 1);
    if (!text)
        return 0;
    memcpy(text, data + 1, n);

    rc = sixmm_parse_code(text, n, &got);
    ref = reference_parse(text, n, &want);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == ref);
    FUZZ_CHECK(got == want); /* equal values, or both untouched */

    {
        const sixmm_entry *e1 = sixmm_lookup_text(d, text, n, &m1);
        if (rc == 0) {
            const sixmm_entry *e2 = sixmm_lookup(d, got, &m2);
            FUZZ_CHECK(e1 == e2 && m1 == m2);
        } else {
            FUZZ_CHECK(e1 == NULL && m1 == SIXMM_MATCH_UNKNOWN);
        }
        FUZZ_CHECK(sixmm_lookup_text(d, text, n, NULL) == e1);
    }
    FUZZ_CHECK(sixmm_parse_code(NULL, n, &got) == -1);
    FUZZ_CHECK(sixmm_parse_code(text, n, NULL) == -1);
    free(text);
    return 0;
}
