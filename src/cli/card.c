/*
 * card.c: the text card of a catalog entry, and the other-domain hint.
 */
#include "card.h"

#include <stddef.h>

static const char *const field_names[] = {"description", "retry", "remediation"};

void errinfo_print_entry_body(FILE *out, const sixmm_entry *e, sixmm_match m, sixmm_lang lang,
                              int omit_advice)
{
    sixmm_retry r = sixmm_entry_retry(e);
    size_t i, n;
    int max;

    fprintf(out, "  match:        %s\n", sixmm_match_name(m));
    fprintf(out, "  description:  %s\n", sixmm_entry_description(e, lang));
    fprintf(out, "  category:     %s\n", sixmm_category_name(sixmm_entry_category(e)));
    max = sixmm_retry_max_resends(r);
    if (max > 0)
        fprintf(out, "  retry:        %s (at most %d resend%s)\n", sixmm_retry_name(r), max,
                max == 1 ? "" : "s");
    else
        fprintf(out, "  retry:        %s (no automatic resend)\n", sixmm_retry_name(r));
    if (!omit_advice)
        fprintf(out, "                %s\n", sixmm_retry_advice(r, lang));
    if (sixmm_entry_http_status(e))
        fprintf(out, "  http status:  %d (documented)\n", sixmm_entry_http_status(e));
    else
        fprintf(out, "  http status:  none documented\n");
    fprintf(out, "  remediation:  %s\n", sixmm_entry_remediation(e, lang));
    n = sixmm_entry_related_count(e);
    for (i = 0; i < n; i++) {
        const sixmm_entry *rel = sixmm_entry_related(e, i);
        const char *label = i ? "" : sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE ? "codes:" : "messages:";
        fprintf(out, "  %-13s %s (%s)\n", label, sixmm_entry_key(rel), sixmm_entry_name(rel));
    }
    fprintf(out, "  doc:          %s\n", sixmm_entry_doc_url_lang(e, lang));
    for (i = 0; i < 3; i++) {
        sixmm_source s = sixmm_entry_source(e, (sixmm_field)i);
        fprintf(out, "  %-13s %-12s %-10s %s\n", i == 0 ? "provenance:" : "", field_names[i],
                s == SIXMM_SOURCE_DOCUMENTED ? "documented" : "inferred",
                sixmm_entry_source_text(e, (sixmm_field)i));
    }
}

const sixmm_entry *errinfo_other_domain(sixmm_domain domain, int64_t code)
{
    int d;
    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++) {
        sixmm_match m;
        const sixmm_entry *e;
        if ((sixmm_domain)d == domain)
            continue;
        e = sixmm_lookup((sixmm_domain)d, code, &m);
        if (e && (m == SIXMM_MATCH_EXACT || m == SIXMM_MATCH_RANGE))
            return e;
    }
    return NULL;
}
