/*
 * list.c: 6mm-errinfo --list and --search, which share one row writer.
 *
 * --search matches words (a prefix of a word counts), ranks the entries by
 * the field that matched (name and description before remediation) and
 * says which field that was.
 */
#include "list.h"
#include "errinfo_json.h"
#include "utf8.h"

#include <string.h>

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int passes_filters(const sixmm_entry *e, const struct errinfo_opts *o)
{
    return (!o->domain_set || sixmm_entry_domain(e) == o->domain) &&
           (o->category < 0 || (int)sixmm_entry_category(e) == o->category) &&
           (o->retry < 0 || (int)sixmm_entry_retry(e) == o->retry) &&
           (o->http_status < 0 || sixmm_entry_http_status(e) == o->http_status);
}

/* One line per entry: the format of tests/cli/golden/list.txt. */
static void print_list_line(FILE *out, const sixmm_entry *e, sixmm_lang lang,
                            const char *matched)
{
    sixmm_kind k = sixmm_entry_kind(e);
    char http[8] = "-";

    if (sixmm_entry_http_status(e))
        snprintf(http, sizeof http, "%d", sixmm_entry_http_status(e));
    fprintf(out, "%-6s  %-9s  %-30s  %-10s  %-17s  %-4s  ",
            sixmm_domain_name(sixmm_entry_domain(e)),
            k == SIXMM_KIND_MESSAGE ? "message" : k == SIXMM_KIND_ID ? "id" : sixmm_entry_key(e),
            sixmm_entry_name(e), sixmm_category_name(sixmm_entry_category(e)),
            sixmm_retry_name(sixmm_entry_retry(e)), http);
    if (k == SIXMM_KIND_MESSAGE || k == SIXMM_KIND_ID)
        fprintf(out, "\"%s\": ", sixmm_entry_key(e));
    if (matched)
        fprintf(out, "%s  [matched: %s]\n", sixmm_entry_description(e, lang), matched);
    else
        fprintf(out, "%s\n", sixmm_entry_description(e, lang));
}

static void print_list_header(FILE *out)
{
    fprintf(out, "%-6s  %-9s  %-30s  %-10s  %-17s  %-4s  %s\n", "DOMAIN", "KEY", "NAME",
            "CATEGORY", "RETRY", "HTTP", "DESCRIPTION");
}

/* One row of --list: a JSON entry, or a text line under a header printed
 * before the first row. */
static void emit_row(FILE *out, json_t *results, const sixmm_entry *e,
                     const struct errinfo_opts *o, size_t shown_before)
{
    if (results) {
        json_array_append_new(results, json_pack("{s:o}", "entry", errinfo_json_entry(e, o->lang)));
        return;
    }
    if (!shown_before)
        print_list_header(out);
    print_list_line(out, e, o->lang, NULL);
}

int errinfo_list(FILE *out, const struct errinfo_opts *o)
{
    json_t *results = o->json ? json_array() : NULL;
    size_t i, n = sixmm_entry_count(), shown = 0;

    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        if (!passes_filters(e, o))
            continue;
        emit_row(out, results, e, o, shown++);
    }
    if (results && errinfo_json_finish(out, errinfo_json_document("list", o->lang), results) != 0)
        return 2;
    if (!shown && !results)
        fprintf(o->err, "6mm-errinfo: no entry matches the filters\n");
    return shown ? 0 : 1;
}

/* ---- --search -------------------------------------------------------------
 *
 * A search word matches a word of a field, or the start of one: words are
 * split at anything that is not an ASCII letter or digit, so "rate" finds
 * RATE_LIMITED and "rate_limit" but not "Regenerate" or "callbackRate". A word with non-ASCII bytes
 * (Chinese) matches anywhere, as Chinese has no blanks between words.
 * Entries are ranked by where their words matched: name and key first, then
 * the description, then the classification, then the remediation. */

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Does hay hold w (lower case) at a word start, ignoring ASCII case? */
static int has_word(const char *hay, const char *w, size_t wn, int anywhere)
{
    size_t i, j, hn = strlen(hay);
    if (wn > hn)
        return 0;
    for (i = 0; i + wn <= hn; i++) {
        unsigned char prev = i ? (unsigned char)hay[i - 1] : 0;
        if (!anywhere && i && is_alnum(prev))
            continue;
        for (j = 0; j < wn && fold((unsigned char)hay[i + j]) == (unsigned char)w[j]; j++)
            ;
        if (j == wn)
            return 1;
    }
    return 0;
}

/* The fields a word is looked for in, best rank first. */
enum { F_NAME, F_KEY, F_DESCRIPTION, F_CLASS, F_REMEDIATION, F_COUNT };
static const char *const field_label[F_COUNT] = {"name", "key", "description",
                                                 "classification", "remediation"};

/* The best field (F_*) of e that holds the word, or F_COUNT. */
static int word_field(const sixmm_entry *e, const char *w, size_t wn)
{
    size_t i;
    int anywhere = 0;
    const char *text[F_COUNT][4];

    for (i = 0; i < wn; i++)
        if ((unsigned char)w[i] >= 0x80)
            anywhere = 1;
    memset(text, 0, sizeof text);
    text[F_NAME][0] = sixmm_entry_name(e);
    text[F_KEY][0] = sixmm_entry_key(e);
    text[F_DESCRIPTION][0] = sixmm_entry_description(e, SIXMM_LANG_EN);
    text[F_DESCRIPTION][1] = sixmm_entry_description(e, SIXMM_LANG_ZH);
    text[F_CLASS][0] = sixmm_category_name(sixmm_entry_category(e));
    text[F_CLASS][1] = sixmm_retry_name(sixmm_entry_retry(e));
    text[F_CLASS][2] = sixmm_domain_name(sixmm_entry_domain(e));
    text[F_REMEDIATION][0] = sixmm_entry_remediation(e, SIXMM_LANG_EN);
    text[F_REMEDIATION][1] = sixmm_entry_remediation(e, SIXMM_LANG_ZH);
    text[F_REMEDIATION][2] = sixmm_entry_troubleshooting(e, SIXMM_LANG_EN);
    text[F_REMEDIATION][3] = sixmm_entry_troubleshooting(e, SIXMM_LANG_ZH);
    for (i = 0; i < F_COUNT; i++) {
        size_t k;
        for (k = 0; k < 4 && text[i][k]; k++)
            if (has_word(text[i][k], w, wn, anywhere))
                return (int)i;
    }
    return F_COUNT;
}

enum { MAX_WORDS = 32, MAX_WORD = 256 };

struct hit {
    const sixmm_entry *e;
    unsigned score;       /* the sum of the words' field ranks: lower is better */
    unsigned fields;      /* bit F_* set when a word matched there */
};

/* "name, description" for the fields of h. */
static void fields_text(char *buf, size_t size, unsigned fields)
{
    size_t i, n = 0;
    buf[0] = '\0';
    for (i = 0; i < F_COUNT; i++)
        if (fields & (1u << i))
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? ", " : "",
                                  field_label[i]);
}

int errinfo_search(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n)
{
    static char words[MAX_WORDS][MAX_WORD];
    static struct hit hits[4096];
    size_t wlen[MAX_WORDS], nw = 0, i, j, count = sixmm_entry_count(), nhits = 0;
    json_t *results;

    for (i = 0; i < n; i++) {
        const char *p = args[i];
        size_t len = strlen(p);
        if (errinfo_utf8_valid(p, len) != len) {
            fprintf(o->err, "6mm-errinfo: argument %zu: argument is not valid UTF-8\n", i + 1);
            return 2;
        }
        while (*p) {
            size_t k = 0;
            while (*p == ' ' || *p == '\t')
                p++;
            if (!*p)
                break;
            if (nw == MAX_WORDS) {
                fprintf(o->err, "6mm-errinfo: --search takes at most %d words\n", MAX_WORDS);
                return 2;
            }
            while (p[k] && p[k] != ' ' && p[k] != '\t')
                k++;
            if (k >= MAX_WORD) {
                fprintf(o->err, "6mm-errinfo: a search word is longer than %d bytes\n",
                        MAX_WORD - 1);
                return 2;
            }
            for (j = 0; j < k; j++)
                words[nw][j] = (char)fold((unsigned char)p[j]);
            words[nw][k] = '\0';
            wlen[nw++] = k;
            p += k;
        }
    }
    if (nw == 0) {
        fprintf(o->err, "6mm-errinfo: --search needs at least one word\n");
        return 2;
    }
    for (i = 0; i < count && nhits < sizeof hits / sizeof hits[0]; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        struct hit h;
        if (!passes_filters(e, o))
            continue;
        h.e = e;
        h.score = 0;
        h.fields = 0;
        for (j = 0; j < nw; j++) {
            int f = word_field(e, words[j], wlen[j]);
            if (f == F_COUNT)
                break;
            h.score += (unsigned)f;
            h.fields |= 1u << f;
        }
        if (j < nw)
            continue;
        /* Insertion by score; equal scores keep the catalog's order. */
        for (j = nhits++; j > 0 && hits[j - 1].score > h.score; j--)
            hits[j] = hits[j - 1];
        hits[j] = h;
    }
    results = o->json ? json_array() : NULL;
    if (results) {
        json_t *doc = errinfo_json_document("search", o->lang), *wj = json_array();
        for (j = 0; j < nw; j++)
            json_array_append_new(wj, json_stringn(words[j], wlen[j]));
        json_object_set_new(doc, "words", wj);
        for (i = 0; i < nhits; i++) {
            json_t *f = json_array();
            for (j = 0; j < F_COUNT; j++)
                if (hits[i].fields & (1u << j))
                    json_array_append_new(f, json_string(field_label[j]));
            json_array_append_new(results, json_pack("{s:o, s:o}", "entry",
                                  errinfo_json_entry(hits[i].e, o->lang), "matched", f));
        }
        if (errinfo_json_finish(out, doc, results) != 0)
            return 2;
    } else if (!nhits) {
        fprintf(o->err, "6mm-errinfo: no entry contains all of the words\n");
    } else {
        print_list_header(out);
        for (i = 0; i < nhits; i++) {
            char buf[96];
            fields_text(buf, sizeof buf, hits[i].fields);
            print_list_line(out, hits[i].e, o->lang, buf);
        }
    }
    return nhits ? 0 : 1;
}
