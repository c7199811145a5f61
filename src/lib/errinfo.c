/*
 * The hand-written half of the library: lookups and accessors around the
 * generated tables. No function here allocates, locks or writes global state.
 */
#include <sixmm/errinfo.h>

#include <string.h>

/* The gperf lookups are declared (static) below, not by catalog_internal.h. */
#define SIXMM__GPERF_INCLUDED
#include "catalog_internal.h"

#ifndef SIXMM_VERSION_STRING
#  error "SIXMM_VERSION_STRING must be defined by the build"
#endif

#define TEXT(off) (sixmm__pool + (off))

#ifdef SIXMM_NO_TEXT
/* The embedded build keeps names and numbers but drops the prose; the
 * generator still emits it, the linker keeps it only if referenced. */
#  define PROSE(off) ((void)(off), "")
#else
#  define PROSE(off) TEXT(off)
#endif

/* ---- Lookups ------------------------------------------------------------ */

const sixmm_entry *sixmm_lookup(sixmm_domain domain, int64_t code, sixmm_match *match)
{
    return sixmm__lookup_code(domain, code, match);
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

/*
 * gperf keys are "<domain digit><text>", folded to one case. Folding into a
 * small stack buffer once and then comparing exactly is several times faster
 * than gperf's %ignore-case, which folds byte by byte inside its compare.
 * The fold works a word (8 bytes) at a time: a byte is an ASCII letter of
 * the wrong case when, with its top bit clear, it lies in [lo, hi]; adding
 * 0x80 - lo (and 0x80 - hi - 1) to every 7-bit byte at once sets bit 7
 * exactly for the bytes >= lo (and > hi), with no carry between bytes. Bytes
 * with bit 7 set (UTF-8) are never changed.
 */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store64(char *p, uint64_t v)
{
    memcpy(p, &v, sizeof v);
}

/* Flip bit 5 (0x20) of the bytes of w that lie in [lo, hi]. */
static inline uint64_t flip_range(uint64_t w, unsigned lo, unsigned hi)
{
    uint64_t low7 = w & ~HIGH;
    uint64_t ge_lo = low7 + (0x80u - lo) * ONES;
    uint64_t gt_hi = low7 + (0x80u - hi - 1u) * ONES;
    return w ^ (((ge_lo ^ gt_hi) & ~w & HIGH) >> 2);
}

enum { FOLD_NONE, FOLD_UPPER, FOLD_LOWER };

static inline uint64_t fold_word(uint64_t w, int fold)
{
    if (fold == FOLD_UPPER)
        return flip_range(w, 'a', 'z');
    if (fold == FOLD_LOWER)
        return flip_range(w, 'A', 'Z');
    return w;
}

/* Byte order, for the word loads below; a constant after optimisation. */
static inline int little_endian(void)
{
    const union { uint16_t u; unsigned char c[2]; } probe = {1};
    return probe.c[0];
}

/* The last r (1..7) bytes of the word w that ends a string, moved to the
 * low end (the string's order in memory) with zeros above them. */
static inline uint64_t tail64(uint64_t w, size_t r)
{
    if (little_endian()) /* the last bytes are the high ones */
        return w >> (8 * (8 - r));
    return w << (8 * (8 - r));
}

/* The n (1..7) bytes at s as one word, zero-padded, in memory order: two
 * overlapping 4-byte loads, or three byte loads below 4, never outside
 * [s, s + n). One register, so the key is stored with one store. */
static inline uint64_t load_short(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    int little = little_endian();
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + n - 4, 4);
        return little ? (uint64_t)lo | (uint64_t)hi << (8 * (n - 4))
                      : (uint64_t)lo << 32 | (uint64_t)hi << (8 * (8 - n));
    }
    /* 1..3 bytes: the first, the middle and the last (some may coincide). */
    if (little)
        return (uint64_t)p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) |
               (uint64_t)p[n - 1] << (8 * (n - 1));
    return (uint64_t)p[0] << 56 | (uint64_t)p[n / 2] << (56 - 8 * (n / 2)) |
           (uint64_t)p[n - 1] << (56 - 8 * (n - 1));
}

/* buf = domain digit, then s folded: the key that gperf hashes. Only the n
 * (>= 1) bytes of s are read (the last partial word through one load that
 * ends at s + n, shifted down). The key is written as whole,
 * non-overlapping words at buf + 1 + 8i, the last one zero-padded, and
 * key_matches() reads it back with exactly those words, so every load is
 * forwarded from one store (a load that straddles two stores stalls for a
 * dozen cycles). buf must hold 1 + 8 * ceil(n / 8) bytes. */
static inline size_t make_key(char *buf, sixmm_domain domain, const char *s, size_t n,
                              int fold)
{
    size_t i;
    buf[0] = (char)('0' + (int)domain);
    if (n < 8) {
        store64(buf + 1, fold_word(load_short(s, n), fold));
        return n + 1;
    }
    for (i = 0; i + 8 <= n; i += 8)
        store64(buf + 1 + i, fold_word(load64(s + i), fold));
    if (i < n)
        store64(buf + 1 + i, fold_word(tail64(load64(s + n - 8), n - i), fold));
    return n + 1;
}

/* gperf found the one candidate whose length and domain match; does the
 * whole key (make_key()'s buf, len bytes with the digit) equal its row of
 * the padded key table? Both sides are zero past the key, so whole words
 * compare with no tail handling. */
static inline int key_matches(const char *buf, size_t len, const uint64_t *row)
{
    uint64_t d = 0;
    size_t i;
    for (i = 0; i + 1 < len; i += 8)
        d |= load64(buf + 1 + i) ^ row[i / 8];
    return d == 0;
}

/* True when s (at least 8 bytes) starts with "sixmm_e_" in any case. Every
 * name lookup asks, so the common answer (no) costs one OR and one compare:
 * setting bit 5 of each byte maps both cases of a letter to the lower one
 * and '_' (0x5f) to 0x7f, as it does DEL (0x7f); only a word that passes
 * that test is checked exactly. */
static inline int has_c_prefix(const char *s)
{
    uint64_t w = load64(s), want, loose;
    memcpy(&loose, "sixmm\x7f" "e\x7f", 8);
    if ((w | 0x20u * ONES) != loose)
        return 0;
    memcpy(&want, "sixmm_e_", 8);
    return fold_word(w, FOLD_LOWER) == want;
}

/*
 * The gperf lookups (build/generated/src/names.c, messages.c, idents.c) are
 * compiled here, not as their own translation units, so that each one inlines
 * into the lookups below instead of costing a second call. Declared static
 * first, so their definitions (which gperf writes without `static`) get
 * internal linkage: no symbol, no PLT or GOT entry.
 */
#if defined(__GNUC__)
/* Inlined even where they have two callers (the message and identifier
 * lookups are used by the public functions and by classify's helper). */
#  define SIXMM__GPERF_INLINE inline __attribute__((always_inline))
#else
#  define SIXMM__GPERF_INLINE inline
#endif
static SIXMM__GPERF_INLINE const struct sixmm__slot *sixmm__name_slot(const char *str,
                                                                      size_t len);
static SIXMM__GPERF_INLINE const struct sixmm__slot *sixmm__message_slot(const char *str,
                                                                         size_t len);
static SIXMM__GPERF_INLINE const struct sixmm__slot *sixmm__id_slot(const char *str,
                                                                    size_t len);

/* When a key set is told apart by length alone (identifiers), gperf's hash
 * function ignores its string argument: gperf's choice, not a defect here.
 * The warning is silenced for the generated code only. */
#if defined(__GNUC__)
#  pragma GCC diagnostic push
#  pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
#include "names.c"
#include "messages.c"
#include "idents.c"
#if defined(__GNUC__)
#  pragma GCC diagnostic pop
#endif
/* The gperf inputs turn their memcmp() into "equal" (key_matches() does
 * that compare); the rest of this file wants the real memcmp(). */
#undef memcmp

static int domain_ok(sixmm_domain domain)
{
    return (unsigned)domain < SIXMM_DOMAIN_COUNT;
}

/* The entry of gperf's candidate slot, if the whole key matches its row. */
#define FROM_SLOT(slot, buf, len, keys)                                                      \
    ((slot) && key_matches((buf), (len), (keys)[(slot)->key].w) ? &sixmm__entries[(slot)->entry] \
                                                                 : NULL)

const sixmm_entry *sixmm_lookup_name(sixmm_domain domain, const char *name, size_t len)
{
    char buf[1 + 8 * SIXMM__NAME_WORDS];
    const struct sixmm__slot *slot;

    if (!name || !domain_ok(domain))
        return NULL;
    /* Accept the C enumerator spelling too: SIXMM_E_TOKEN_EXPIRED. */
    if (len > 8 && has_c_prefix(name)) {
        name += 8;
        len -= 8;
    }
    if (len == 0 || len > SIXMM__NAME_MAX)
        return NULL;
    len = make_key(buf, domain, name, len, FOLD_UPPER);
    slot = sixmm__name_slot(buf, len);
    return FROM_SLOT(slot, buf, len, sixmm__name_keys);
}

static inline const sixmm_entry *lookup_message(sixmm_domain domain, const char *text,
                                                size_t len)
{
    char buf[1 + 8 * SIXMM__MESSAGE_WORDS];
    const struct sixmm__slot *slot;

    if (!text || !domain_ok(domain) || len == 0 || len > SIXMM__MESSAGE_MAX)
        return NULL;
    len = make_key(buf, domain, text, len, FOLD_LOWER);
    slot = sixmm__message_slot(buf, len);
    return FROM_SLOT(slot, buf, len, sixmm__message_keys);
}

static inline const sixmm_entry *lookup_id(sixmm_domain domain, const char *id, size_t len)
{
    char buf[1 + 8 * SIXMM__ID_WORDS];
    const struct sixmm__slot *slot;

    if (!id || !domain_ok(domain) || len == 0 || len > SIXMM__ID_MAX)
        return NULL;
    len = make_key(buf, domain, id, len, FOLD_NONE);
    slot = sixmm__id_slot(buf, len);
    return FROM_SLOT(slot, buf, len, sixmm__id_keys);
}

const sixmm_entry *sixmm_lookup_message(sixmm_domain domain, const char *text, size_t len)
{
    return lookup_message(domain, text, len);
}

const sixmm_entry *sixmm_lookup_id(sixmm_domain domain, const char *id, size_t len)
{
    return lookup_id(domain, id, len);
}

/* For sixmm_classify() (advice.c), hidden: a message as a catalog message,
 * then, in the widget domain only, as a widget identifier. One call. */
const sixmm_entry *sixmm__lookup_message_or_id(sixmm_domain domain, const char *text,
                                               size_t len)
{
    const sixmm_entry *m = lookup_message(domain, text, len);
    if (!m && domain == SIXMM_DOMAIN_WIDGET)
        m = lookup_id(domain, text, len);
    return m;
}

const char *sixmm_strerror(sixmm_domain domain, int64_t code)
{
    const sixmm_entry *e = sixmm__lookup_code(domain, code, NULL);
    return e ? sixmm_entry_description(e, SIXMM_LANG_EN) : "Unknown 6MM error code";
}

/* ---- Iteration ---------------------------------------------------------- */

size_t sixmm_entry_count(void)
{
    return SIXMM__ENTRY_COUNT;
}

const sixmm_entry *sixmm_entry_at(size_t i)
{
    return i < SIXMM__ENTRY_COUNT ? &sixmm__entries[i] : NULL;
}

/* ---- Accessors ---------------------------------------------------------- */

sixmm_domain sixmm_entry_domain(const sixmm_entry *e)
{
    return e ? (sixmm_domain)e->domain : SIXMM_DOMAIN_REST;
}

sixmm_kind sixmm_entry_kind(const sixmm_entry *e)
{
    return e ? (sixmm_kind)e->kind : SIXMM_KIND_CODE;
}

int64_t sixmm_entry_code(const sixmm_entry *e)
{
    return e ? e->first : 0;
}

int64_t sixmm_entry_code_last(const sixmm_entry *e)
{
    return e ? e->last : 0;
}

const char *sixmm_entry_name(const sixmm_entry *e)
{
    return e ? TEXT(e->name) : "";
}

const char *sixmm_entry_key(const sixmm_entry *e)
{
    return e ? TEXT(e->key) : "";
}

sixmm_category sixmm_entry_category(const sixmm_entry *e)
{
    return e ? (sixmm_category)e->category : SIXMM_CATEGORY_SUCCESS;
}

sixmm_retry sixmm_entry_retry(const sixmm_entry *e)
{
    return e ? (sixmm_retry)e->retry : SIXMM_RETRY_NONE;
}

int sixmm_entry_http_status(const sixmm_entry *e)
{
    return e ? e->http : 0;
}

/* Chinese where upstream has it, else English. */
static const char *bilingual(const uint32_t off[2], sixmm_lang lang)
{
    if (lang == SIXMM_LANG_ZH && TEXT(off[1])[0])
        return PROSE(off[1]);
    return PROSE(off[0]);
}

const char *sixmm_entry_description(const sixmm_entry *e, sixmm_lang lang)
{
    return e ? bilingual(e->description, lang) : "";
}

const char *sixmm_entry_remediation(const sixmm_entry *e, sixmm_lang lang)
{
    return e ? bilingual(e->remediation, lang) : "";
}

const char *sixmm_entry_troubleshooting(const sixmm_entry *e, sixmm_lang lang)
{
    return e ? bilingual(e->troubleshooting, lang) : "";
}

const char *sixmm_entry_doc_url(const sixmm_entry *e)
{
    return e ? TEXT(e->doc) : "";
}

sixmm_source sixmm_entry_source(const sixmm_entry *e, sixmm_field field)
{
    if (!e || (unsigned)field > SIXMM_FIELD_REMEDIATION)
        return SIXMM_SOURCE_NONE;
    return (e->documented >> field) & 1u ? SIXMM_SOURCE_DOCUMENTED : SIXMM_SOURCE_INFERRED;
}

const char *sixmm_entry_source_text(const sixmm_entry *e, sixmm_field field)
{
    if (!e || (unsigned)field > SIXMM_FIELD_REMEDIATION)
        return "";
    /* URLs are kept in the text-free build: they are short and are facts. */
    return (e->documented >> field) & 1u ? TEXT(e->source[field]) : PROSE(e->source[field]);
}

size_t sixmm_entry_related_count(const sixmm_entry *e)
{
    return e ? e->related_count : 0;
}

const sixmm_entry *sixmm_entry_related(const sixmm_entry *e, size_t i)
{
    if (!e || i >= e->related_count)
        return NULL;
    return &sixmm__entries[sixmm__related[e->related_first + i]];
}

/* ---- Names of enum values ----------------------------------------------- */

const char *sixmm_domain_name(sixmm_domain domain)
{
    return domain_ok(domain) ? TEXT(sixmm__domains[domain].name) : "";
}

int sixmm_domain_parse(const char *name, size_t len, sixmm_domain *out)
{
    unsigned d;
    if (!name || !out)
        return -1;
    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++) {
        const char *n = TEXT(sixmm__domains[d].name);
        if (strlen(n) == len && memcmp(n, name, len) == 0) {
            *out = (sixmm_domain)d;
            return 0;
        }
    }
    return -1;
}

const char *sixmm_category_name(sixmm_category category)
{
    return (unsigned)category < SIXMM_CATEGORY_COUNT ? TEXT(sixmm__categories[category].name) : "";
}

const char *sixmm_retry_name(sixmm_retry retry)
{
    return (unsigned)retry < SIXMM_RETRY_COUNT ? TEXT(sixmm__retries[retry].name) : "";
}

const char *sixmm_retry_advice(sixmm_retry retry, sixmm_lang lang)
{
    if ((unsigned)retry >= SIXMM_RETRY_COUNT)
        return "";
    return bilingual(sixmm__retries[retry].text, lang);
}

int sixmm_retry_max_attempts(sixmm_retry retry)
{
    return (unsigned)retry < SIXMM_RETRY_COUNT ? sixmm__retries[retry].max_attempts : 0;
}

const char *sixmm_match_name(sixmm_match match)
{
    static const char names[][8] = {"exact", "range", "class", "unknown"};
    return (unsigned)match < sizeof names / sizeof names[0] ? names[match] : "";
}

const char *sixmm_kind_name(sixmm_kind kind)
{
    static const char names[][8] = {"code", "range", "message", "id", "class"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "";
}

/* ---- Versions ----------------------------------------------------------- */

const char *sixmm_version(void)
{
    return SIXMM_VERSION_STRING;
}

const char *sixmm_catalog_version(void)
{
    return sixmm__catalog_version;
}

const char *sixmm_catalog_digest(void)
{
    return sixmm__catalog_digest;
}
