/*
 * sixmm_lookup_description(): an entry found by its description, for a
 * person who pastes the text a page or a log shows ("Rate limit triggered",
 * "Token 已过期") instead of the code. Descriptions are not keys: two
 * entries may share one, so the count of matches is returned and a caller
 * can say why nothing was chosen. A linear walk of the catalog: this runs
 * once per query typed by a person, never on a request's error path.
 */
#include <sixmm/errinfo.h>

#include <stddef.h>

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Do the n bytes at t equal the text d, ignoring ASCII case and every
 * blank? */
static int same_text(const char *t, size_t n, const char *d)
{
    size_t i = 0;
    for (;;) {
        while (i < n && is_blank((unsigned char)t[i]))
            i++;
        while (*d && is_blank((unsigned char)*d))
            d++;
        if (i == n || !*d)
            return i == n && !*d;
        if (fold((unsigned char)t[i]) != fold((unsigned char)*d))
            return 0;
        i++;
        d++;
    }
}

const sixmm_entry *sixmm_lookup_description(sixmm_domain domain, const char *text, size_t len,
                                            size_t *count)
{
    const sixmm_entry *found = NULL;
    size_t i, n = sixmm_entry_count(), hits = 0, k;

    for (k = 0; text && k < len && is_blank((unsigned char)text[k]); k++)
        ;
    if (text && k < len && (unsigned)domain < SIXMM_DOMAIN_COUNT) {
        for (i = 0; i < n; i++) {
            const sixmm_entry *e = sixmm_entry_at(i);
            if (sixmm_entry_domain(e) != domain)
                continue;
            /* The Chinese text falls back to the English one: count the
             * entry once. */
            if (same_text(text, len, sixmm_entry_description(e, SIXMM_LANG_EN)) ||
                same_text(text, len, sixmm_entry_description(e, SIXMM_LANG_ZH))) {
                found = e;
                hits++;
            }
        }
    }
    if (count)
        *count = hits;
    return hits == 1 ? found : NULL;
}
