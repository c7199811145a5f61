/*
 * errors.json round-trips: every entry in it equals what the C library
 * returns for the same key, field by field, and the library has no entry
 * that the JSON lacks. Both come from spec/errors.yaml through different
 * templates, so any template (or library) slip shows up here.
 *
 *     test_json_roundtrip ERRORS_JSON [--no-text]
 *
 * --no-text: the library was built with SIXMM_NO_TEXT, so prose is "" in C
 * and is not compared.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sixmm/errinfo.h>

static int passed, failed, no_text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(const char *where, const char *fmt, ...);

static void fail(const char *where, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "FAIL %s: ", where);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failed++;
}

static const char *str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "\x01(missing)";
}

static void same_str(const char *where, const char *field, const char *json, const char *lib)
{
    if (strcmp(json, lib) == 0)
        passed++;
    else
        fail(where, "%s: json \"%s\" != library \"%s\"", field, json, lib);
}

static void same_int(const char *where, const char *field, json_int_t json, int64_t lib)
{
    if ((int64_t)json == lib)
        passed++;
    else
        fail(where, "%s: json %" JSON_INTEGER_FORMAT " != library %" PRId64, field, json, lib);
}

/* A text pair {en, zh}; the library falls back to English for an empty zh. */
static void same_text(const char *where, const char *field, const json_t *pair,
                      const char *(*get)(const sixmm_entry *, sixmm_lang),
                      const sixmm_entry *e)
{
    const char *en = str(pair, "en"), *zh = str(pair, "zh");
    char name[64];
    if (no_text)
        return;
    snprintf(name, sizeof name, "%s.en", field);
    same_str(where, name, en, get(e, SIXMM_LANG_EN));
    snprintf(name, sizeof name, "%s.zh", field);
    same_str(where, name, zh[0] ? zh : en, get(e, SIXMM_LANG_ZH));
}

static void same_prov(const char *where, const char *field, const json_t *prov,
                      const sixmm_entry *e, sixmm_field f)
{
    const char *source = str(prov, "source");
    sixmm_source want = strcmp(source, "documented") == 0 ? SIXMM_SOURCE_DOCUMENTED
                        : strcmp(source, "inferred") == 0 ? SIXMM_SOURCE_INFERRED
                                                           : SIXMM_SOURCE_NONE;
    if (sixmm_entry_source(e, f) == want)
        passed++;
    else
        fail(where, "provenance of %s: json %s, library %d", field, source,
             (int)sixmm_entry_source(e, f));
    if (!no_text || want == SIXMM_SOURCE_DOCUMENTED)
        same_str(where, field, str(prov, "text"), sixmm_entry_source_text(e, f));
}

/* Find the library's entry for a JSON entry by its key, as a user would. */
static const sixmm_entry *find(sixmm_domain d, const json_t *j, sixmm_match *match)
{
    const char *kind = str(j, "kind"), *key = str(j, "key");
    *match = SIXMM_MATCH_EXACT;
    if (!strcmp(kind, "code") || !strcmp(kind, "range") || !strcmp(kind, "class"))
        return sixmm_lookup(d, json_integer_value(json_object_get(j, "first")), match);
    if (!strcmp(kind, "message"))
        return sixmm_lookup_message(d, key, strlen(key));
    if (!strcmp(kind, "id"))
        return sixmm_lookup_id(d, key, strlen(key));
    return NULL;
}

static void check_entry(sixmm_domain d, const char *dname, const json_t *j, int is_block)
{
    char where[160];
    sixmm_match match;
    const sixmm_entry *e = find(d, j, &match);
    const json_t *prov = json_object_get(j, "provenance");
    const json_t *related = json_object_get(j, "related");
    const char *kind = str(j, "kind");
    sixmm_match want_match = is_block ? SIXMM_MATCH_CLASS
                             : !strcmp(kind, "range") ? SIXMM_MATCH_RANGE : SIXMM_MATCH_EXACT;

    snprintf(where, sizeof where, "%s %s", dname, str(j, "key"));
    if (!e) {
        fail(where, "the library does not find this entry");
        return;
    }
    if (match == want_match)
        passed++;
    else
        fail(where, "match kind %s, want %s", sixmm_match_name(match), sixmm_match_name(want_match));
    same_str(where, "domain", dname, sixmm_domain_name(sixmm_entry_domain(e)));
    same_str(where, "kind", kind, sixmm_kind_name(sixmm_entry_kind(e)));
    same_str(where, "key", str(j, "key"), sixmm_entry_key(e));
    same_str(where, "name", str(j, "name"), sixmm_entry_name(e));
    if (!is_block) {
        const char *name = str(j, "name");
        const sixmm_entry *by_name = sixmm_lookup_name(d, name, strlen(name));
        if (by_name == e)
            passed++;
        else
            fail(where, "lookup by name %s gives another entry", name);
    }
    if (json_object_get(j, "first")) {
        same_int(where, "first", json_integer_value(json_object_get(j, "first")),
                 sixmm_entry_code(e));
        same_int(where, "last", json_integer_value(json_object_get(j, "last")),
                 sixmm_entry_code_last(e));
    }
    same_str(where, "category", str(j, "category"), sixmm_category_name(sixmm_entry_category(e)));
    same_str(where, "retry", str(j, "retry"), sixmm_retry_name(sixmm_entry_retry(e)));
    same_int(where, "http", json_is_null(json_object_get(j, "http"))
                                ? 0 : json_integer_value(json_object_get(j, "http")),
             sixmm_entry_http_status(e));
    same_text(where, "description", json_object_get(j, "description"),
              sixmm_entry_description, e);
    same_text(where, "remediation", json_object_get(j, "remediation"),
              sixmm_entry_remediation, e);
    if (!is_block)
        same_text(where, "troubleshooting", json_object_get(j, "troubleshooting"),
                  sixmm_entry_troubleshooting, e);
    same_str(where, "doc", str(j, "doc"), sixmm_entry_doc_url(e));
    same_prov(where, "provenance.description", json_object_get(prov, "description"), e,
              SIXMM_FIELD_DESCRIPTION);
    same_prov(where, "provenance.retry", json_object_get(prov, "retry"), e, SIXMM_FIELD_RETRY);
    same_prov(where, "provenance.remediation", json_object_get(prov, "remediation"), e,
              SIXMM_FIELD_REMEDIATION);
    same_int(where, "related count", (json_int_t)json_array_size(related),
             (int64_t)sixmm_entry_related_count(e));
    for (size_t i = 0; i < json_array_size(related); i++)
        same_str(where, "related", json_string_value(json_array_get(related, i)),
                 sixmm_entry_key(sixmm_entry_related(e, i)));
}

int main(int argc, char **argv)
{
    json_error_t err;
    json_t *root, *domains;
    size_t n_entries = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s ERRORS_JSON [--no-text]\n", argv[0]);
        return 2;
    }
    no_text = argc > 2 && strcmp(argv[2], "--no-text") == 0;
    root = json_load_file(argv[1], 0, &err);
    if (!root) {
        fprintf(stderr, "%s:%d: %s\n", argv[1], err.line, err.text);
        return 2;
    }
    same_str("catalog", "version", str(json_object_get(root, "catalog"), "version"),
             sixmm_catalog_version());
    same_str("catalog", "sha256", str(json_object_get(root, "catalog"), "sha256"),
             sixmm_catalog_digest());

    const json_t *classes = json_object_get(root, "retry_classes");
    same_int("retry_classes", "count", (json_int_t)json_array_size(classes), SIXMM_RETRY_COUNT);
    for (size_t i = 0; i < json_array_size(classes); i++) {
        const json_t *c = json_array_get(classes, i);
        const char *en = str(c, "en"), *zh = str(c, "zh");
        same_str("retry_classes", "name", str(c, "name"), sixmm_retry_name((sixmm_retry)i));
        same_int("retry_classes", "max_resends",
                 json_integer_value(json_object_get(c, "max_resends")),
                 sixmm_retry_max_resends((sixmm_retry)i));
        if (no_text)
            continue;
        same_str("retry_classes", "en", en, sixmm_retry_advice((sixmm_retry)i, SIXMM_LANG_EN));
        same_str("retry_classes", "zh", zh[0] ? zh : en,
                 sixmm_retry_advice((sixmm_retry)i, SIXMM_LANG_ZH));
    }
    const json_t *cats = json_object_get(root, "categories");
    same_int("categories", "count", (json_int_t)json_array_size(cats), SIXMM_CATEGORY_COUNT);
    for (size_t i = 0; i < json_array_size(cats); i++)
        same_str("categories", "name", str(json_array_get(cats, i), "name"),
                 sixmm_category_name((sixmm_category)i));

    domains = json_object_get(root, "domains");
    same_int("domains", "count", (json_int_t)json_array_size(domains), SIXMM_DOMAIN_COUNT);
    for (size_t di = 0; di < json_array_size(domains); di++) {
        const json_t *dj = json_array_get(domains, di);
        const char *dname = str(dj, "name");
        sixmm_domain d;
        if (sixmm_domain_parse(dname, strlen(dname), &d) != 0) {
            fail(dname, "the library does not know this domain");
            continue;
        }
        const json_t *entries = json_object_get(dj, "entries");
        const json_t *blocks = json_object_get(dj, "blocks");
        for (size_t i = 0; i < json_array_size(entries); i++) {
            /* Spec order is library order. */
            const sixmm_entry *at = sixmm_entry_at(n_entries++);
            same_str(dname, "entry order", str(json_array_get(entries, i), "key"),
                     sixmm_entry_key(at));
            check_entry(d, dname, json_array_get(entries, i), 0);
        }
        for (size_t i = 0; i < json_array_size(blocks); i++)
            check_entry(d, dname, json_array_get(blocks, i), 1);
    }
    same_int("catalog", "entry count", (json_int_t)n_entries, (int64_t)sixmm_entry_count());
    json_decref(root);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
