/*
 * The lookups: by code (a binary search over the generated spans), by name,
 * by message and by widget identifier (the generated gperf lookups). No function here
 * allocates, locks or writes global state.
 */
#include <sixmm/errinfo.h>

#include "catalog_internal.h"

/* ---- By code ------------------------------------------------------------ */

/* The span of the domain that holds code, if any: a binary search over the
 * domain's codes and ranges, which are sorted and never overlap. A few
 * dozen spans per domain take a handful of steps. */
static const struct sixmm__span *find_span(unsigned domain, int64_t code)
{
    size_t lo = sixmm__span_start[domain], hi = sixmm__span_start[domain + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct sixmm__span *s = &sixmm__spans[mid];
        if (code < s->first)
            hi = mid;
        else if (code > s->last)
            lo = mid + 1;
        else
            return s;
    }
    return NULL;
}

/* A code of no span: the class block that holds it, if any. */
static const sixmm_entry *class_fallback(sixmm_domain domain, int64_t code)
{
    const struct sixmm__block *b;
    for (b = sixmm__blocks; b->domain != 255; b++)
        if (b->domain == (unsigned)domain && code >= b->first && code <= b->last)
            return &sixmm__entries[b->entry];
    return NULL;
}

const sixmm_entry *sixmm_lookup(sixmm_domain domain, int64_t code, sixmm_match *match)
{
    const struct sixmm__span *s = NULL;
    const sixmm_entry *e;
    sixmm_match m = SIXMM_MATCH_UNKNOWN;

    if ((unsigned)domain < SIXMM_DOMAIN_COUNT)
        s = find_span((unsigned)domain, code);
    if (s) {
        e = &sixmm__entries[s->entry];
        m = e->kind == SIXMM_KIND_RANGE ? SIXMM_MATCH_RANGE : SIXMM_MATCH_EXACT;
    } else {
        e = class_fallback(domain, code);
        if (e)
            m = SIXMM_MATCH_CLASS;
    }
    if (match)
        *match = m;
    return e;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int sixmm_parse_code(const char *text, size_t len, int64_t *code)
{
    size_t i = 0, end = len;
    uint64_t v = 0, limit;
    int neg = 0;

    if (!text || !code)
        return -1;
    while (i < end && is_blank(text[i]))
        i++;
    while (end > i && is_blank(text[end - 1]))
        end--;
    if (i < end && (text[i] == '-' || text[i] == '+'))
        neg = text[i++] == '-';
    if (i == end)
        return -1;
    limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (; i < end; i++) {
        unsigned d = (unsigned char)text[i] - (unsigned)'0';
        if (d > 9 || v > (limit - d) / 10u)
            return -1;
        v = v * 10u + d;
    }
    /* Negating through uint64_t avoids the signed overflow of -INT64_MIN. */
    *code = neg ? (int64_t)(0u - v) : (int64_t)v;
    return 0;
}

const sixmm_entry *sixmm_lookup_text(sixmm_domain domain, const char *text, size_t len,
                                     sixmm_match *match)
{
    int64_t code;
    if (sixmm_parse_code(text, len, &code) != 0) {
        if (match)
            *match = SIXMM_MATCH_UNKNOWN;
        return NULL;
    }
    return sixmm_lookup(domain, code, match);
}

const char *sixmm_strerror(sixmm_domain domain, int64_t code)
{
    const sixmm_entry *e = sixmm_lookup(domain, code, NULL);
    return e ? sixmm_entry_description(e, SIXMM_LANG_EN) : "Unknown 6MM error code";
}

/* ---- By text ------------------------------------------------------------ */

/* gperf's keys are texts folded to one case by the generator: names to
 * upper case, messages to lower case (ASCII letters only), identifiers as
 * they are. A lookup folds the caller's text the same way into a stack
 * buffer; gperf then hashes it and compares the whole key. */
static char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does s start with the upper-case ASCII prefix p (n bytes), in any case? */
static int has_prefix_nocase(const char *s, const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (ascii_upper(s[i]) != p[i])
            return 0;
    return 1;
}

/* The entry that gperf's slot names in the domain, if any. */
static const sixmm_entry *in_domain(const struct sixmm__slot *slot, sixmm_domain domain)
{
    unsigned index;
    if (!slot || (unsigned)domain >= SIXMM_DOMAIN_COUNT)
        return NULL;
    index = slot->entry[domain];
    return index ? &sixmm__entries[index - 1] : NULL;
}

const sixmm_entry *sixmm_lookup_name(sixmm_domain domain, const char *name, size_t len)
{
    static const char c_prefix[] = "SIXMM_E_";
    const size_t prefix_len = sizeof c_prefix - 1;
    char buf[SIXMM__NAME_MAX];
    size_t i;

    if (!name)
        return NULL;
    /* Accept the C enumerator spelling too: SIXMM_E_TOKEN_EXPIRED. */
    if (len > prefix_len && has_prefix_nocase(name, c_prefix, prefix_len)) {
        name += prefix_len;
        len -= prefix_len;
    }
    if (len == 0 || len > SIXMM__NAME_MAX)
        return NULL;
    for (i = 0; i < len; i++)
        buf[i] = ascii_upper(name[i]);
    return in_domain(sixmm__name_slot(buf, len), domain);
}

const sixmm_entry *sixmm_lookup_message(sixmm_domain domain, const char *text, size_t len)
{
    char buf[SIXMM__MESSAGE_MAX];
    size_t i;

    if (!text || len == 0 || len > SIXMM__MESSAGE_MAX)
        return NULL;
    for (i = 0; i < len; i++)
        buf[i] = ascii_lower(text[i]);
    return in_domain(sixmm__message_slot(buf, len), domain);
}

/* Identifiers are exact case: gperf hashes and compares the caller's text. */
const sixmm_entry *sixmm_lookup_id(sixmm_domain domain, const char *id, size_t len)
{
    if (!id || len == 0 || len > SIXMM__ID_MAX)
        return NULL;
    return in_domain(sixmm__id_slot(id, len), domain);
}
