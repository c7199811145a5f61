/*
 * json.c: the JSON side of 6mm-errinfo (jansson): the entry object of the
 * schema, the documents of the one-document modes, and the entry's compact
 * text, made once and kept, for the record writer.
 */
#include "errinfo_json.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

json_t *errinfo_json_text(const char *s, size_t n)
{
    size_t ok = errinfo_utf8_valid(s, n), i, o;
    char *copy;
    json_t *j;

    if (ok == n)
        return json_stringn(s, n);
    /* Each bad byte becomes U+FFFD (3 bytes). */
    if (n > (SIZE_MAX - 1) / 3 || !(copy = malloc(3 * n + 1)))
        return json_string("");
    for (i = 0, o = 0; i < n;) {
        size_t k = errinfo_utf8_valid(s + i, n - i);
        memcpy(copy + o, s + i, k);
        o += k;
        i += k;
        if (i < n) {
            memcpy(copy + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    j = json_stringn(copy, o);
    free(copy);
    return j;
}

static json_t *provenance(const sixmm_entry *e, sixmm_field f)
{
    const char *text = sixmm_entry_source_text(e, f);
    if (sixmm_entry_source(e, f) == SIXMM_SOURCE_DOCUMENTED)
        return json_pack("{s:s, s:s}", "source", "documented", "url", text);
    return json_pack("{s:s, s:s}", "source", "inferred", "reasoning", text);
}

json_t *errinfo_json_entry(const sixmm_entry *e, sixmm_lang lang)
{
    json_t *j, *rel;
    sixmm_kind k;
    sixmm_retry r;
    size_t i, n;

    if (!e)
        return json_null();
    k = sixmm_entry_kind(e);
    r = sixmm_entry_retry(e);
    rel = json_array();
    n = sixmm_entry_related_count(e);
    for (i = 0; i < n; i++) {
        const sixmm_entry *x = sixmm_entry_related(e, i);
        json_array_append_new(rel, json_pack("{s:s, s:s, s:s}",
            "kind", sixmm_kind_name(sixmm_entry_kind(x)),
            "key", sixmm_entry_key(x), "name", sixmm_entry_name(x)));
    }
    /* The identity first, as in a stream's entry (errinfo_json_put_entry). */
    j = json_pack("{s:s, s:s, s:s, s:s}",
        "domain", sixmm_domain_name(sixmm_entry_domain(e)),
        "key", sixmm_entry_key(e),
        "name", sixmm_entry_name(e),
        "category", sixmm_category_name(sixmm_entry_category(e)));
    json_object_set_new(j, "retry", json_string(sixmm_retry_name(r)));
    json_object_set_new(j, "http_status", sixmm_entry_http_status(e)
                        ? json_integer(sixmm_entry_http_status(e)) : json_null());
    json_object_set_new(j, "kind", json_string(sixmm_kind_name(k)));
    json_object_set_new(j, "retry_advice", json_string(sixmm_retry_advice(r, lang)));
    json_object_set_new(j, "max_resends", json_integer(sixmm_retry_max_resends(r)));
    if (k == SIXMM_KIND_CODE || k == SIXMM_KIND_RANGE || k == SIXMM_KIND_CLASS) {
        json_object_set_new(j, "code", json_integer((json_int_t)sixmm_entry_code(e)));
        json_object_set_new(j, "code_last", json_integer((json_int_t)sixmm_entry_code_last(e)));
    } else {
        json_object_set_new(j, "code", json_null());
        json_object_set_new(j, "code_last", json_null());
    }
    json_object_set_new(j, "description", json_string(sixmm_entry_description(e, lang)));
    json_object_set_new(j, "remediation", json_string(sixmm_entry_remediation(e, lang)));
    json_object_set_new(j, "troubleshooting", json_string(sixmm_entry_troubleshooting(e, lang)));
    json_object_set_new(j, "related", rel);
    json_object_set_new(j, "doc_url", json_string(sixmm_entry_doc_url_lang(e, lang)));
    json_object_set_new(j, "provenance", json_pack("{s:o, s:o, s:o}",
        "description", provenance(e, SIXMM_FIELD_DESCRIPTION),
        "retry", provenance(e, SIXMM_FIELD_RETRY),
        "remediation", provenance(e, SIXMM_FIELD_REMEDIATION)));
    return j;
}

json_t *errinfo_json_catalog(void)
{
    return json_pack("{s:s, s:s}", "version", sixmm_catalog_version(),
                     "digest", sixmm_catalog_digest());
}

json_t *errinfo_json_document(const char *mode, sixmm_lang lang)
{
    return json_pack("{s:i, s:s, s:o, s:s}",
        "schema_version", ERRINFO_JSON_SCHEMA_VERSION, "mode", mode,
        "catalog", errinfo_json_catalog(), "lang", lang == SIXMM_LANG_ZH ? "zh" : "en");
}

/* Free a string from json_dumps() with jansson's current allocator. */
static void jsonp_free_text(char *text)
{
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    f(text);
}

/* The compact JSON text of an entry, made once per entry, language and
 * shape and kept for the life of the process: a stream of records names
 * few entries, and each would otherwise cost a tree and a UTF-8 check of
 * all its texts. The table is bounded (the catalog's entries times the
 * languages and shapes, at most CACHE_SLOTS); were it ever full, the text
 * would be made for each call. */
#define CACHE_SLOTS 4096

static struct entry_text {
    const sixmm_entry *e;
    sixmm_lang lang;
    int full;
    char *text;
    size_t len;
} entry_texts[CACHE_SLOTS];

/* The identity: the members a stream's entry carries without --full, the
 * first ones of errinfo_json_entry(). The catalog's texts are valid UTF-8. */
static json_t *entry_identity(const sixmm_entry *e)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}",
        "domain", sixmm_domain_name(sixmm_entry_domain(e)),
        "key", sixmm_entry_key(e),
        "name", sixmm_entry_name(e),
        "category", sixmm_category_name(sixmm_entry_category(e)),
        "retry", sixmm_retry_name(sixmm_entry_retry(e)));
    /* Left out when none is documented, as a stream leaves out its nulls. */
    if (j && sixmm_entry_http_status(e))
        json_object_set_new(j, "http_status", json_integer(sixmm_entry_http_status(e)));
    return j;
}

static char *entry_text_make(const sixmm_entry *e, sixmm_lang lang, int full, size_t *len)
{
    json_t *j = full ? errinfo_json_entry(e, lang) : entry_identity(e);
    char *text, *copy;
    if (!j)
        return NULL;
    text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        return NULL;
    *len = strlen(text);
    /* Our own copy: jansson's allocator may be a reader's budget, which
     * counts what is live. */
    if ((copy = malloc(*len + 1)) != NULL)
        memcpy(copy, text, *len + 1);
    jsonp_free_text(text);
    return copy;
}

int errinfo_json_put_entry(struct errinfo_obuf *b, const sixmm_entry *e, sixmm_lang lang,
                           int full)
{
    size_t h, i, len = 0;
    char *text;

    if (!e) {
        ERRINFO_OB_LIT(b, "null");
        return 0;
    }
    full = full != 0;
    if (!full)
        lang = SIXMM_LANG_EN;   /* the identity has no text of a language */
    h = (((size_t)(uintptr_t)e >> 4) * 31u + (size_t)lang * 2u + (size_t)full) % CACHE_SLOTS;
    for (i = 0; i < CACHE_SLOTS; i++) {
        struct entry_text *t = &entry_texts[(h + i) % CACHE_SLOTS];
        if (t->e == e && t->lang == lang && t->full == full) {
            errinfo_obuf_ref(b, t->text, t->len);   /* kept for the process */
            return 0;
        }
        if (!t->e) {
            if (!(text = entry_text_make(e, lang, full, &len)))
                return -1;
            t->e = e;
            t->lang = lang;
            t->full = full;
            t->text = text;
            t->len = len;
            errinfo_obuf_ref(b, text, len);
            return 0;
        }
    }
    /* The table is full. */
    if (!(text = entry_text_make(e, lang, full, &len)))
        return -1;
    errinfo_obuf_put(b, text, len);
    free(text);
    return 0;
}

int errinfo_json_print(FILE *out, json_t *doc, int one_line)
{
    char *text;
    int rc;
    if (!doc)
        return -1;
    /* One string and one write: json_dumpf writes token by token through
     * stdio, which costs ten times more on a stream of records. */
    text = json_dumps(doc, one_line ? JSON_COMPACT : JSON_INDENT(2));
    json_decref(doc);
    if (!text)
        return -1;
    rc = fputs(text, out) == EOF || fputc('\n', out) == EOF ? -1 : 0;
    /* jansson allocated it, possibly under the readers' budget. */
    jsonp_free_text(text);
    return rc;
}

int errinfo_json_finish(FILE *out, json_t *doc, json_t *results)
{
    json_object_set_new(doc, "results", results);
    return errinfo_json_print(out, doc, 0) == 0 ? 0 : -1;
}
