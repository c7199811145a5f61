/* The text-free build (SIXMM_NO_TEXT): codes, names, categories and retry
 * classes work as in the full build; every prose function returns "". */
#include <stdio.h>
#include <string.h>

#include <sixmm/errinfo.h>

static int failures;

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                   \
        }                                                                 \
    } while (0)

static void lookups_still_work(void)
{
    sixmm_match m;
    const sixmm_entry *e = sixmm_lookup(SIXMM_DOMAIN_REST, 1002, &m);
    const char *msg = "Timestamp outside of tolerance window";

    CHECK(e && m == SIXMM_MATCH_EXACT);
    CHECK(strcmp(sixmm_entry_name(e), "TOKEN_EXPIRED") == 0);
    CHECK(strcmp(sixmm_entry_key(e), "1002") == 0);
    CHECK(sixmm_entry_category(e) == SIXMM_CATEGORY_AUTH);
    CHECK(sixmm_entry_retry(e) == SIXMM_RETRY_REAUTHENTICATE);
    CHECK(strcmp(sixmm_category_name(SIXMM_CATEGORY_AUTH), "auth") == 0);
    CHECK(strcmp(sixmm_retry_name(SIXMM_RETRY_REAUTHENTICATE), "reauthenticate") == 0);
    CHECK(sixmm_entry_doc_url(e)[0] != '\0');

    e = sixmm_lookup(SIXMM_DOMAIN_REST, 3107, &m);
    CHECK(e && m == SIXMM_MATCH_RANGE && sixmm_entry_retry(e) == SIXMM_RETRY_FIX_REQUEST);
    e = sixmm_lookup(SIXMM_DOMAIN_REST, 1005, &m);
    CHECK(e && m == SIXMM_MATCH_CLASS);
    e = sixmm_lookup_name(SIXMM_DOMAIN_REST, "token_expired", 13);
    CHECK(e && sixmm_entry_code(e) == 1002);
    e = sixmm_lookup_message(SIXMM_DOMAIN_REST, msg, strlen(msg));
    CHECK(e && sixmm_entry_retry(e) == SIXMM_RETRY_RESYNC_CLOCK);
    CHECK(e && strcmp(sixmm_entry_key(e), msg) == 0);
    e = sixmm_lookup(SIXMM_DOMAIN_AGENT, 6904, &m);
    CHECK(e && sixmm_entry_retry(e) == SIXMM_RETRY_BACKOFF);
}

static void every_prose_function_is_empty(void)
{
    size_t i, n = sixmm_entry_count();
    int r, f;

    CHECK(n > 20);
    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        CHECK(sixmm_entry_name(e)[0] != '\0');
        CHECK(sixmm_entry_key(e)[0] != '\0');
        for (r = SIXMM_LANG_EN; r <= SIXMM_LANG_ZH; r++) {
            CHECK(sixmm_entry_description(e, (sixmm_lang)r)[0] == '\0');
            CHECK(sixmm_entry_remediation(e, (sixmm_lang)r)[0] == '\0');
            CHECK(sixmm_entry_troubleshooting(e, (sixmm_lang)r)[0] == '\0');
        }
        /* Documented provenance is a URL, a fact, and stays; reasoning goes. */
        for (f = SIXMM_FIELD_DESCRIPTION; f <= SIXMM_FIELD_REMEDIATION; f++)
            if (sixmm_entry_source(e, (sixmm_field)f) == SIXMM_SOURCE_INFERRED)
                CHECK(sixmm_entry_source_text(e, (sixmm_field)f)[0] == '\0');
    }
    for (r = 0; r < SIXMM_RETRY_COUNT; r++) {
        CHECK(sixmm_retry_name((sixmm_retry)r)[0] != '\0');
        CHECK(sixmm_retry_advice((sixmm_retry)r, SIXMM_LANG_EN)[0] == '\0');
        CHECK(sixmm_retry_advice((sixmm_retry)r, SIXMM_LANG_ZH)[0] == '\0');
    }
    CHECK(sixmm_strerror(SIXMM_DOMAIN_REST, 1002)[0] == '\0');
}

int main(void)
{
    lookups_still_work();
    every_prose_function_is_empty();
    printf("no-text build: %d failure(s), %u entries\n", failures,
           (unsigned)sixmm_entry_count());
    return failures != 0;
}
