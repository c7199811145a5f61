/*
 * Fuzz the lookups by code, name, message and identifier.
 *
 * Input: byte 0 picks the domain (including out-of-range values), bytes 1..8
 * are a code, the rest is the text given to the name, message and identifier
 * lookups, in an exact-size buffer so that ASan sees any over-read.
 *
 * Properties: the match kind agrees with the entry; every string accessor
 * returns a readable string; a found entry belongs to the domain asked for
 * and finds itself again by its own key.
 */
#include <sixmm/errinfo.h>

#include <string.h>

#include "fuzz.h"

static void check_entry(const sixmm_entry *e)
{
    size_t i, n;
    static const sixmm_lang langs[] = {SIXMM_LANG_EN, SIXMM_LANG_ZH, (sixmm_lang)7};

    if (!e)
        return;
    FUZZ_CHECK((unsigned)sixmm_entry_domain(e) < SIXMM_DOMAIN_COUNT);
    FUZZ_CHECK((unsigned)sixmm_entry_category(e) < SIXMM_CATEGORY_COUNT);
    FUZZ_CHECK((unsigned)sixmm_entry_retry(e) < SIXMM_RETRY_COUNT);
    FUZZ_CHECK(sixmm_entry_code(e) <= sixmm_entry_code_last(e));
    FUZZ_CHECK(fuzz_touch(sixmm_entry_name(e)) > 0);
    FUZZ_CHECK(fuzz_touch(sixmm_entry_key(e)) > 0);
    for (i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        fuzz_touch(sixmm_entry_description(e, langs[i]));
        fuzz_touch(sixmm_entry_remediation(e, langs[i]));
        fuzz_touch(sixmm_entry_troubleshooting(e, langs[i]));
    }
    fuzz_touch(sixmm_entry_doc_url(e));
    for (i = 0; i < 4; i++) {
        sixmm_source s = sixmm_entry_source(e, (sixmm_field)i);
        fuzz_touch(sixmm_entry_source_text(e, (sixmm_field)i));
        FUZZ_CHECK(i < 3 ? s != SIXMM_SOURCE_NONE : s == SIXMM_SOURCE_NONE);
    }
    n = sixmm_entry_related_count(e);
    for (i = 0; i < n; i++)
        FUZZ_CHECK(sixmm_entry_related(e, i) != NULL);
    FUZZ_CHECK(sixmm_entry_related(e, n) == NULL);
}

static void check_code(sixmm_domain d, int64_t code)
{
    sixmm_match m = (sixmm_match)99;
    const sixmm_entry *e = sixmm_lookup(d, code, &m);

    FUZZ_CHECK(sixmm_lookup(d, code, NULL) == e);
    fuzz_touch(sixmm_strerror(d, code));
    switch (m) {
    case SIXMM_MATCH_EXACT:
        FUZZ_CHECK(e && sixmm_entry_kind(e) == SIXMM_KIND_CODE && sixmm_entry_code(e) == code);
        break;
    case SIXMM_MATCH_RANGE:
        FUZZ_CHECK(e && sixmm_entry_kind(e) == SIXMM_KIND_RANGE);
        break;
    case SIXMM_MATCH_CLASS:
        FUZZ_CHECK(e && sixmm_entry_kind(e) == SIXMM_KIND_CLASS);
        break;
    case SIXMM_MATCH_UNKNOWN:
        FUZZ_CHECK(e == NULL);
        break;
    default:
        FUZZ_CHECK(!"match kind not set");
    }
    if (e) {
        FUZZ_CHECK(sixmm_entry_domain(e) == d);
        FUZZ_CHECK(sixmm_entry_code(e) <= code && code <= sixmm_entry_code_last(e));
        check_entry(e);
    }
}

static void check_text(sixmm_domain d, const char *s, size_t n)
{
    const sixmm_entry *e;

    if ((e = sixmm_lookup_name(d, s, n)) != NULL) {
        const char *name = sixmm_entry_name(e);
        FUZZ_CHECK(sixmm_entry_domain(e) == d);
        FUZZ_CHECK(sixmm_lookup_name(d, name, strlen(name)) == e);
        check_entry(e);
    }
    if ((e = sixmm_lookup_message(d, s, n)) != NULL) {
        const char *key = sixmm_entry_key(e);
        FUZZ_CHECK(sixmm_entry_domain(e) == d && sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE);
        FUZZ_CHECK(strlen(key) == n);
        FUZZ_CHECK(sixmm_lookup_message(d, key, n) == e);
        check_entry(e);
    }
    if ((e = sixmm_lookup_id(d, s, n)) != NULL) {
        FUZZ_CHECK(sixmm_entry_domain(e) == d && sixmm_entry_kind(e) == SIXMM_KIND_ID);
        FUZZ_CHECK(n == strlen(sixmm_entry_key(e)) && memcmp(sixmm_entry_key(e), s, n) == 0);
        check_entry(e);
    }
    /* Names of enum values with arbitrary numbers. */
    fuzz_touch(sixmm_domain_name(d));
    if (n > 0) {
        unsigned v = (unsigned char)s[0];
        sixmm_domain out;
        fuzz_touch(sixmm_category_name((sixmm_category)v));
        fuzz_touch(sixmm_retry_name((sixmm_retry)v));
        fuzz_touch(sixmm_retry_advice((sixmm_retry)v, (sixmm_lang)(v & 1)));
        fuzz_touch(sixmm_match_name((sixmm_match)v));
        fuzz_touch(sixmm_kind_name((sixmm_kind)v));
        (void)sixmm_retry_max_resends((sixmm_retry)v);
        if (sixmm_domain_parse(s, n, &out) == 0)
            FUZZ_CHECK((unsigned)out < SIXMM_DOMAIN_COUNT && strlen(sixmm_domain_name(out)) == n);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sixmm_domain d;
    int64_t code = 0;
    uint64_t u = 0;
    size_t i, n;
    char *text;

    if (size < 1)
        return 0;
    /* Mostly valid domains, sometimes one past the end or far out. */
    d = (sixmm_domain)(data[0] < 0xF0 ? data[0] % (SIXMM_DOMAIN_COUNT + 1) : data[0]);
    for (i = 1; i < 9 && i < size; i++)
        u = u << 8 | data[i];
    memcpy(&code, &u, sizeof code);
    check_code(d, code);
    /* Small codes near the documented ones matter more than random 64-bit values. */
    check_code(d, (int64_t)(int32_t)(uint32_t)u);
    check_code(d, (int64_t)(u % 200000u));

    n = size > 1 ? size - 1 : 0;
    text = malloc(n ? n : 1);
    if (!text)
        return 0;
    memcpy(text, data + 1, n);
    check_text(d, text, n);
    /* Also the lookups that take NULL. */
    FUZZ_CHECK(sixmm_lookup_name(d, NULL, n) == NULL);
    FUZZ_CHECK(sixmm_lookup_message(d, NULL, n) == NULL);
    FUZZ_CHECK(sixmm_lookup_id(d, NULL, n) == NULL);
    free(text);

    i = (size_t)(u % (sixmm_entry_count() + 2));
    if (i < sixmm_entry_count())
        check_entry(sixmm_entry_at(i));
    else
        FUZZ_CHECK(sixmm_entry_at(i) == NULL);
    return 0;
}
