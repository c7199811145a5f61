/*
 * The lookups: by code (the generated code index), by name, by message and
 * by widget identifier (the generated gperf lookups). No function here
 * allocates, locks or writes global state.
 */
#include <sixmm/errinfo.h>

#include "catalog_internal.h"
#include "code_index.h"

/* ---- By code ------------------------------------------------------------ */

/* A code in no index: the class block that holds it, if any. */
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
    /* One slot gives both the match kind and the entry. */
    unsigned slot = sixmm__code_slot((unsigned)domain, code);
    unsigned index = slot & SIXMM__SLOT_INDEX_MASK;
    sixmm_match m = (sixmm_match)(slot >> SIXMM__SLOT_SHIFT);
    const sixmm_entry *e = NULL;

    if (index != 0) {
        e = &sixmm__entries[index - 1];
    } else if ((unsigned)domain >= 64u || !((SIXMM__BLOCKS_INDEXED >> (unsigned)domain) & 1u)) {
        /* A miss in a domain whose blocks do not all fit in its index: the
         * code may still lie in a block. (Elsewhere a miss is unknown.) */
        e = class_fallback(domain, code);
        m = e ? SIXMM_MATCH_CLASS : SIXMM_MATCH_UNKNOWN;
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
 * upper case, messages to lower case, identifiers as they are. A lookup
 * folds the caller's text the same way into a stack buffer; gperf then
 * hashes it and compares the whole key. */
enum fold { FOLD_UPPER, FOLD_LOWER };

/* The letters that a fold moves: the first of 26, and what is added to
 * each, modulo 256 (so that the whole fold works on bytes). */
struct folding {
    unsigned char first, add;
};

static struct folding folding(enum fold fold)
{
    struct folding f = {'a', (unsigned char)('A' - 'a')};
    if (fold == FOLD_LOWER)
        f.first = 'A', f.add = 'a' - 'A';
    return f;
}

/* The byte c, folded. Written as a select on bytes: letters and other bytes
 * alternate in every key, so a branch on them would mispredict, and the
 * compiler turns the loop over a key into vector code. */
static char fold_char(char c, struct folding f)
{
    unsigned char u = (unsigned char)c;
    unsigned char from_first = (unsigned char)(u - f.first);
    return (char)(from_first < 26 ? (unsigned char)(u + f.add) : u);
}

/* buf (at least n bytes) = s[0..n) folded. */
static void fold_into(char *restrict buf, const char *restrict s, size_t n, enum fold fold)
{
    struct folding f = folding(fold);
    size_t i;
    for (i = 0; i < n; i++)
        buf[i] = fold_char(s[i], f);
}

/* Does s start with the upper-case ASCII prefix p (n bytes), in any case? */
static int has_prefix_nocase(const char *s, const char *p, size_t n)
{
    struct folding upper = folding(FOLD_UPPER);
    size_t i;
    for (i = 0; i < n; i++)
        if (fold_char(s[i], upper) != p[i])
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

    if (!name)
        return NULL;
    /* Accept the C enumerator spelling too: SIXMM_E_TOKEN_EXPIRED. */
    if (len > prefix_len && has_prefix_nocase(name, c_prefix, prefix_len)) {
        name += prefix_len;
        len -= prefix_len;
    }
    if (len == 0 || len > SIXMM__NAME_MAX)
        return NULL;
    fold_into(buf, name, len, FOLD_UPPER);
    return in_domain(sixmm__name_slot(buf, len), domain);
}

const sixmm_entry *sixmm_lookup_message(sixmm_domain domain, const char *text, size_t len)
{
    char buf[SIXMM__MESSAGE_MAX];

    if (!text || len == 0 || len > SIXMM__MESSAGE_MAX)
        return NULL;
    fold_into(buf, text, len, FOLD_LOWER);
    return in_domain(sixmm__message_slot(buf, len), domain);
}

/* Identifiers are exact case: gperf hashes and compares the caller's text. */
const sixmm_entry *sixmm_lookup_id(sixmm_domain domain, const char *id, size_t len)
{
    if (!id || len == 0 || len > SIXMM__ID_MAX)
        return NULL;
    return in_domain(sixmm__id_slot(id, len), domain);
}
