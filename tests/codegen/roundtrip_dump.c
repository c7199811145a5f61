/*
 * Dump what the library holds, for roundtrip.py: compiled against
 * a catalog generated from a hostile spec, it prints every string of every
 * entry, hex-encoded (so that no escaping of our own can hide a mistake), and
 * what each entry's name, key and code find again.
 *
 * One line per entry, tab-separated:
 *   index domain kind first last
 *   hex(name) hex(key) hex(desc en) hex(desc zh) hex(rem en) hex(rem zh)
 *   hex(trouble en) hex(trouble zh) hex(doc) hex(src desc) hex(src retry) hex(src rem)
 *   found-by-name found-by-lower-name found-by-key found-by-code
 * (found-by-*: the index of the entry found, or -1).
 * Then the catalog version and digest, category and retry texts.
 */
#include <sixmm/errinfo.h>

#include <stdio.h>
#include <string.h>

static void hex(const char *s)
{
    putchar('\t');
    if (!*s)
        putchar('-');
    for (; *s; s++)
        printf("%02x", (unsigned char)*s);
}

static long index_of(const sixmm_entry *e)
{
    size_t i, n = sixmm_entry_count();
    for (i = 0; i < n; i++)
        if (sixmm_entry_at(i) == e)
            return (long)i;
    return -1;
}

int main(void)
{
    size_t i, n = sixmm_entry_count();
    unsigned k;

    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_domain d = sixmm_entry_domain(e);
        const char *name = sixmm_entry_name(e), *key = sixmm_entry_key(e);
        char lower[128];
        const sixmm_entry *by_key = NULL, *by_code = NULL;
        size_t j;

        for (j = 0; name[j] && j + 1 < sizeof lower; j++)
            lower[j] = (char)(name[j] >= 'A' && name[j] <= 'Z' ? name[j] + 32 : name[j]);
        lower[j] = '\0';
        switch (sixmm_entry_kind(e)) {
        case SIXMM_KIND_MESSAGE:
            by_key = sixmm_lookup_message(d, key, strlen(key));
            break;
        case SIXMM_KIND_ID:
            by_key = sixmm_lookup_id(d, key, strlen(key));
            break;
        case SIXMM_KIND_RANGE: /* the key is "first-last": look the first code up */
            by_key = sixmm_lookup(d, sixmm_entry_code(e), NULL);
            by_code = sixmm_lookup(d, sixmm_entry_code_last(e), NULL);
            break;
        default:
            by_key = sixmm_lookup_text(d, key, strlen(key), NULL);
            by_code = sixmm_lookup(d, sixmm_entry_code_last(e), NULL);
            break;
        }
        printf("%zu\t%s\t%s\t%lld\t%lld", i, sixmm_domain_name(d), sixmm_kind_name(sixmm_entry_kind(e)),
               (long long)sixmm_entry_code(e), (long long)sixmm_entry_code_last(e));
        hex(name);
        hex(key);
        hex(sixmm_entry_description(e, SIXMM_LANG_EN));
        hex(sixmm_entry_description(e, SIXMM_LANG_ZH));
        hex(sixmm_entry_remediation(e, SIXMM_LANG_EN));
        hex(sixmm_entry_remediation(e, SIXMM_LANG_ZH));
        hex(sixmm_entry_troubleshooting(e, SIXMM_LANG_EN));
        hex(sixmm_entry_troubleshooting(e, SIXMM_LANG_ZH));
        hex(sixmm_entry_doc_url(e));
        for (k = 0; k < 3; k++)
            hex(sixmm_entry_source_text(e, (sixmm_field)k));
        printf("\t%ld\t%ld\t%ld\t%ld\n", index_of(sixmm_lookup_name(d, name, strlen(name))),
               index_of(sixmm_lookup_name(d, lower, strlen(lower))), index_of(by_key),
               by_code ? index_of(by_code) : -1L);
    }
    printf("version");
    hex(sixmm_catalog_version());
    printf("\ndigest");
    hex(sixmm_catalog_digest());
    putchar('\n');
    for (k = 0; k < SIXMM_CATEGORY_COUNT; k++) {
        printf("category");
        hex(sixmm_category_name((sixmm_category)k));
        putchar('\n');
    }
    for (k = 0; k < SIXMM_RETRY_COUNT; k++) {
        printf("retry");
        hex(sixmm_retry_name((sixmm_retry)k));
        hex(sixmm_retry_advice((sixmm_retry)k, SIXMM_LANG_EN));
        hex(sixmm_retry_advice((sixmm_retry)k, SIXMM_LANG_ZH));
        putchar('\n');
    }
    return 0;
}
