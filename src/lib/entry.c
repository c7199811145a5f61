/*
 * The accessors of an entry, the names of enum values, and the versions.
 * No function here allocates, locks or writes global state.
 *
 * Safe defaults: every accessor accepts NULL (what a failed lookup returns)
 * and then answers "nothing known", never "success": retry class
 * reconcile (the outcome is unknown), category unknown, code -1, texts "".
 */
#include <sixmm/errinfo.h>

#include <string.h>

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

static int domain_ok(sixmm_domain domain)
{
    return (unsigned)domain < SIXMM_DOMAIN_COUNT;
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
    return e ? e->first : -1;
}

int64_t sixmm_entry_code_last(const sixmm_entry *e)
{
    return e ? e->last : -1;
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
    return e ? (sixmm_category)e->category : SIXMM_CATEGORY_UNKNOWN;
}

sixmm_retry sixmm_entry_retry(const sixmm_entry *e)
{
    return e ? (sixmm_retry)e->retry : SIXMM_RETRY_RECONCILE;
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

const char *sixmm_entry_doc_url_lang(const sixmm_entry *e, sixmm_lang lang)
{
    size_t i;
    if (!e)
        return "";
    i = (size_t)(e - sixmm__entries);
    if (lang == SIXMM_LANG_ZH && i < SIXMM__ENTRY_TOTAL && sixmm__doc_zh[i])
        return (const char *)&sixmm__doc_zh_data + sixmm__doc_zh[i];
    return TEXT(e->doc);
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

int sixmm_retry_max_resends(sixmm_retry retry)
{
    return (unsigned)retry < SIXMM_RETRY_COUNT ? sixmm__retries[retry].max_resends : 0;
}

const char *sixmm_match_name(sixmm_match match)
{
    static const char names[][12] = {"exact", "range", "class", "unknown", "status",
                                     "description"};
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
