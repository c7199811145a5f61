/*
 * output.c: what every mode of 6mm-errinfo prints about an entry, as text
 * and as JSON, and the UTF-8 check that guards every input.
 */
#include "errinfo_cli.h"
#include "errinfo_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void errinfo_opts_init(struct errinfo_opts *o)
{
    memset(o, 0, sizeof *o);
    o->lang = SIXMM_LANG_EN;
    o->domain = SIXMM_DOMAIN_REST;
    o->category = -1;
    o->retry = -1;
    o->http_status = -1;
    o->attempt = 1;
    o->err = stderr;
}

/* Length of the UTF-8 sequence that starts at s[0..n), or 0 when it is
 * invalid (overlong forms, surrogates and code points above U+10FFFF
 * included) or a NUL byte. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned long cp;

    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

size_t errinfo_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k;

    while (i < n) {
        /* ASCII runs are the common case; skip them a byte at a time
         * without the full decoder. */
        if (p[i] >= 0x01 && p[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(p + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

/* ---- Text --------------------------------------------------------------- */

static const char *const field_names[] = {"description", "retry", "remediation"};

void errinfo_print_entry_body(FILE *out, const sixmm_entry *e, sixmm_match m, sixmm_lang lang)
{
    sixmm_retry r = sixmm_entry_retry(e);
    size_t i, n;
    int max;

    fprintf(out, "  match:        %s\n", sixmm_match_name(m));
    fprintf(out, "  description:  %s\n", sixmm_entry_description(e, lang));
    fprintf(out, "  category:     %s\n", sixmm_category_name(sixmm_entry_category(e)));
    max = sixmm_retry_max_attempts(r);
    if (max > 0)
        fprintf(out, "  retry:        %s (at most %d resend%s)\n", sixmm_retry_name(r), max,
                max == 1 ? "" : "s");
    else
        fprintf(out, "  retry:        %s (no automatic resend)\n", sixmm_retry_name(r));
    fprintf(out, "                %s\n", sixmm_retry_advice(r, lang));
    if (sixmm_entry_http_status(e))
        fprintf(out, "  http status:  %d\n", sixmm_entry_http_status(e));
    else
        fprintf(out, "  http status:  none documented\n");
    fprintf(out, "  remediation:  %s\n", sixmm_entry_remediation(e, lang));
    n = sixmm_entry_related_count(e);
    for (i = 0; i < n; i++) {
        const sixmm_entry *rel = sixmm_entry_related(e, i);
        const char *label = i ? "" : sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE ? "codes:" : "messages:";
        fprintf(out, "  %-13s %s (%s)\n", label, sixmm_entry_key(rel), sixmm_entry_name(rel));
    }
    fprintf(out, "  doc:          %s\n", sixmm_entry_doc_url(e));
    for (i = 0; i < 3; i++) {
        sixmm_source s = sixmm_entry_source(e, (sixmm_field)i);
        fprintf(out, "  %-13s %-12s %-10s %s\n", i == 0 ? "provenance:" : "", field_names[i],
                s == SIXMM_SOURCE_DOCUMENTED ? "documented" : "inferred",
                sixmm_entry_source_text(e, (sixmm_field)i));
    }
}

/* ---- JSON --------------------------------------------------------------- */

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
    j = json_pack("{s:s, s:s, s:s, s:s}",
        "domain", sixmm_domain_name(sixmm_entry_domain(e)),
        "kind", sixmm_kind_name(k),
        "key", sixmm_entry_key(e),
        "name", sixmm_entry_name(e));
    if (k == SIXMM_KIND_CODE || k == SIXMM_KIND_RANGE || k == SIXMM_KIND_CLASS) {
        json_object_set_new(j, "code", json_integer((json_int_t)sixmm_entry_code(e)));
        json_object_set_new(j, "code_last", json_integer((json_int_t)sixmm_entry_code_last(e)));
    } else {
        json_object_set_new(j, "code", json_null());
        json_object_set_new(j, "code_last", json_null());
    }
    json_object_set_new(j, "category", json_string(sixmm_category_name(sixmm_entry_category(e))));
    json_object_set_new(j, "http_status", sixmm_entry_http_status(e)
                        ? json_integer(sixmm_entry_http_status(e)) : json_null());
    json_object_set_new(j, "description", json_string(sixmm_entry_description(e, lang)));
    json_object_set_new(j, "retry", json_pack("{s:s, s:s, s:i}",
        "class", sixmm_retry_name(r), "advice", sixmm_retry_advice(r, lang),
        "max_attempts", sixmm_retry_max_attempts(r)));
    json_object_set_new(j, "remediation", json_string(sixmm_entry_remediation(e, lang)));
    json_object_set_new(j, "troubleshooting", json_string(sixmm_entry_troubleshooting(e, lang)));
    json_object_set_new(j, "related", rel);
    json_object_set_new(j, "doc_url", json_string(sixmm_entry_doc_url(e)));
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

/* ---- Records without a tree (the --response fast path) ------------------- */

void errinfo_obuf_write(struct errinfo_obuf *b, const char *s, size_t n)
{
    errinfo_obuf_flush(b);
    if (n <= sizeof b->buf) {
        memcpy(b->buf, s, n);
        b->len = n;
    } else if (fwrite(s, 1, n, b->out) != n) {
        b->bad = 1;
    }
}

int errinfo_obuf_flush(struct errinfo_obuf *b)
{
    if (b->len && fwrite(b->buf, 1, b->len, b->out) != b->len)
        b->bad = 1;
    b->len = 0;
    return b->bad ? -1 : 0;
}

/* What json_dumps(..., JSON_COMPACT) makes of the string s[0..n), which must
 * be valid UTF-8 without NUL bytes: jansson's escapes and no others ('"',
 * '\\', the short forms of \b \f \n \r \t, and \u00XX in upper-case hex
 * for the other control characters); '/' and non-ASCII text stay as they
 * are. */
void errinfo_json_put_string(struct errinfo_obuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i, run = 0;

    errinfo_obuf_put(b, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t k = 2;

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        errinfo_obuf_put(b, s + run, i - run);
        run = i + 1;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        }
        errinfo_obuf_put(b, esc, k);
    }
    errinfo_obuf_put(b, s + run, n - run);
    errinfo_obuf_put(b, "\"", 1);
}

/* The compact JSON text of errinfo_json_entry(e, lang), made by jansson once
 * per entry and language and kept for the life of the process: a stream of
 * records names few entries, and each would otherwise cost a tree and a
 * UTF-8 check of all its texts. The table is bounded (the catalog's entries
 * times the languages, at most CACHE_SLOTS); were it ever full, the text
 * would be made for each call. */
#define CACHE_SLOTS 4096

static struct entry_text {
    const sixmm_entry *e;
    sixmm_lang lang;
    char *text;
    size_t len;
} entry_texts[CACHE_SLOTS];

static char *entry_text_make(const sixmm_entry *e, sixmm_lang lang, size_t *len)
{
    json_t *j = errinfo_json_entry(e, lang);
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

int errinfo_json_put_entry(struct errinfo_obuf *b, const sixmm_entry *e, sixmm_lang lang)
{
    size_t h, i, len = 0;
    char *text;

    if (!e) {
        errinfo_obuf_put(b, "null", 4);
        return 0;
    }
    h = (((size_t)(uintptr_t)e >> 4) * 31u + (size_t)lang) % CACHE_SLOTS;
    for (i = 0; i < CACHE_SLOTS; i++) {
        struct entry_text *t = &entry_texts[(h + i) % CACHE_SLOTS];
        if (t->e == e && t->lang == lang) {
            errinfo_obuf_put(b, t->text, t->len);
            return 0;
        }
        if (!t->e) {
            if (!(text = entry_text_make(e, lang, &len)))
                return -1;
            t->e = e;
            t->lang = lang;
            t->text = text;
            t->len = len;
            errinfo_obuf_put(b, text, len);
            return 0;
        }
    }
    /* The table is full. */
    if (!(text = entry_text_make(e, lang, &len)))
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
