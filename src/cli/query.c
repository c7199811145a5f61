/*
 * query.c: 6mm-errinfo QUERY..., --list, --search and --version.
 *
 * A plain lookup (the common case, and the one that is benchmarked against
 * /bin/true) never touches jansson: the JSON branches are taken only with
 * --json.
 */
#include "query.h"
#include "card.h"
#include "errinfo_json.h"
#include "utf8.h"

#include <string.h>

enum { MAX_SUGGESTIONS = 3, MAX_SUGGEST_LEN = 64 };

/* One resolved query. */
struct answer {
    const char *arg;           /* the argument as given */
    const sixmm_entry *e;
    sixmm_match m;
    sixmm_domain domain;       /* where it was looked up (or found) */
    int is_code;               /* the key was a number */
    int64_t code;
    const char *error;         /* set for status 2 */
    char errbuf[160];
    const sixmm_entry *suggest[MAX_SUGGESTIONS];
    const char *suggest_word[MAX_SUGGESTIONS];
    size_t nsuggest;
};

static int is_lower_word(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n > 16)
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Edit distance ignoring ASCII case; both strings are at most
 * MAX_SUGGEST_LEN bytes. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[MAX_SUGGEST_LEN + 1], i, j;

    for (j = 0; j <= nb; j++)
        row[j] = j;
    for (i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (fold((unsigned char)a[i - 1]) !=
                                               fold((unsigned char)b[j - 1]));
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

/* "Did you mean": the closest names, messages and widget identifiers over
 * every entry of the catalog, at most a third of the query's length away. */
static void suggest(struct answer *a, const char *key, size_t len, int domain_fixed)
{
    size_t dist[MAX_SUGGESTIONS], i, c, n = sixmm_entry_count(), limit;

    if (len >= 8 && (key[0] == 's' || key[0] == 'S') &&
        edit_distance(key, 8, "sixmm_e_", 8) == 0) {
        key += 8;
        len -= 8;
    }
    if (len == 0 || len > MAX_SUGGEST_LEN)
        return;
    limit = len / 3 > 3 ? 3 : len / 3 < 1 ? 1 : len / 3;
    for (i = 0; i < n; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_kind kind = sixmm_entry_kind(e);
        /* A name; and for messages and identifiers, the text itself. */
        const char *cands[2];
        size_t ncand = 0;

        if (domain_fixed && sixmm_entry_domain(e) != a->domain)
            continue;
        if (kind != SIXMM_KIND_ID)
            cands[ncand++] = sixmm_entry_name(e);
        if (kind == SIXMM_KIND_ID || kind == SIXMM_KIND_MESSAGE)
            cands[ncand++] = sixmm_entry_key(e);
        for (c = 0; c < ncand; c++) {
            size_t clen = strlen(cands[c]), d, k;
            if (clen > MAX_SUGGEST_LEN)
                continue;
            d = edit_distance(key, len, cands[c], clen);
            if (d > limit)
                continue;
            /* Insert in order of distance; equal distances keep spec order. */
            for (k = a->nsuggest; k > 0 && dist[k - 1] > d; k--)
                if (k < MAX_SUGGESTIONS) {
                    dist[k] = dist[k - 1];
                    a->suggest[k] = a->suggest[k - 1];
                    a->suggest_word[k] = a->suggest_word[k - 1];
                }
            if (k < MAX_SUGGESTIONS) {
                dist[k] = d;
                a->suggest[k] = e;
                a->suggest_word[k] = cands[c];
                if (a->nsuggest < MAX_SUGGESTIONS)
                    a->nsuggest++;
            }
            break;   /* one suggestion per entry */
        }
    }
}

/* How a suggestion is typed: the word, prefixed with its domain outside
 * rest; a message in double quotes. */
static void suggestion_text(char *buf, size_t size, const struct answer *a, size_t i)
{
    sixmm_domain d = sixmm_entry_domain(a->suggest[i]);
    const char *q = sixmm_entry_kind(a->suggest[i]) == SIXMM_KIND_MESSAGE &&
                    a->suggest_word[i] == sixmm_entry_key(a->suggest[i]) ? "\"" : "";
    if (d == SIXMM_DOMAIN_REST)
        snprintf(buf, size, "%s%s%s", q, a->suggest_word[i], q);
    else
        snprintf(buf, size, "%s%s:%s%s", q, sixmm_domain_name(d), a->suggest_word[i], q);
}

/* Quote at most 60 bytes of user text in an error message, cut on a UTF-8
 * boundary (the text was checked to be valid UTF-8 without controls). */
static int shown_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= 60)
        return (int)n;
    n = 57;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

/* Set the error "'WHAT' MESSAGE" and return status 2. */
static int fail(struct answer *a, const char *what, const char *message)
{
    snprintf(a->errbuf, sizeof a->errbuf, "'%.*s%s' %s", shown_len(what), what,
             strlen(what) > 60 ? "..." : "", message);
    a->error = a->errbuf;
    return 2;
}

static int resolve(struct answer *a, const char *arg, const struct errinfo_opts *o)
{
    const char *key = arg, *colon;
    size_t len = strlen(arg), i;
    int domain_fixed = o->domain_set, has_alpha = 0, d;
    sixmm_domain order[SIXMM_DOMAIN_COUNT];
    size_t norder = 0;

    memset(a, 0, sizeof *a);
    a->arg = arg;
    a->domain = o->domain;
    a->m = SIXMM_MATCH_UNKNOWN;
    if (len == 0) {
        a->error = "empty argument";
        return 2;
    }
    if (errinfo_utf8_valid(arg, len) != len) {
        a->error = "argument is not valid UTF-8";
        return 2;
    }
    for (i = 0; i < len; i++)
        if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7F) {
            a->error = "argument contains a control character";
            return 2;
        }
    /* "agent:6905" has a domain; "timeout: read failed" (a message) does
     * not, so a blank after the colon rules the prefix out. */
    colon = strchr(arg, ':');
    if (colon && is_lower_word(arg, (size_t)(colon - arg)) && colon[1] != ' ') {
        sixmm_domain dom;
        if (sixmm_domain_parse(arg, (size_t)(colon - arg), &dom) != 0) {
            snprintf(a->errbuf, sizeof a->errbuf,
                     "unknown domain '%.*s' (known: rest, agent, widget)",
                     (int)(colon - arg), arg);
            a->error = a->errbuf;
            return 2;
        }
        a->domain = dom;
        domain_fixed = 1;
        key = colon + 1;
        len = strlen(key);
        if (len == 0)
            return fail(a, arg, "has nothing after the domain");
    }

    /* A number, or something that starts like one. */
    for (i = 0; i < len && key[i] == ' '; i++)
        ;
    if (i < len && ((key[i] >= '0' && key[i] <= '9') ||
                    ((key[i] == '-' || key[i] == '+') && i + 1 < len &&
                     key[i + 1] >= '0' && key[i + 1] <= '9'))) {
        if (sixmm_parse_code(key, len, &a->code) == 0) {
            a->is_code = 1;
            a->e = sixmm_lookup(a->domain, a->code, &a->m);
            if (!a->e && (a->suggest[0] = errinfo_other_domain(a->domain, a->code)) != NULL) {
                a->suggest_word[0] = sixmm_entry_key(a->suggest[0]);
                a->nsuggest = 1;   /* "agent:6905" */
            }
            return a->m == SIXMM_MATCH_EXACT || a->m == SIXMM_MATCH_RANGE ? 0 : 1;
        }
        if (strspn(key, " +-0123456789") == len)
            return fail(a, key, "is out of range: a code is a 64-bit integer");
        return fail(a, key, "is not a code (digits only), a name or a message");
    }
    for (i = 0; i < len; i++)
        if ((key[i] >= 'A' && key[i] <= 'Z') || (key[i] >= 'a' && key[i] <= 'z') ||
            (unsigned char)key[i] >= 0x80)
            has_alpha = 1;
    if (!has_alpha)
        return fail(a, key, "is not a code, a name or a message");

    /* Blanks around a name or a message are not part of it (logs often
     * carry them), as for a code. */
    while (len && (*key == ' ' || *key == '\t'))
        key++, len--;
    while (len && (key[len - 1] == ' ' || key[len - 1] == '\t'))
        len--;
    /* A name, a message or an identifier: the chosen domain only, or each
     * domain in turn (strings do not collide across domains the way numbers
     * do, and rest comes first). */
    order[norder++] = a->domain;
    if (!domain_fixed)
        for (d = 0; d < SIXMM_DOMAIN_COUNT; d++)
            if ((sixmm_domain)d != a->domain)
                order[norder++] = (sixmm_domain)d;
    for (i = 0; i < norder; i++) {
        const sixmm_entry *e = sixmm_lookup_name(order[i], key, len);
        if (!e)
            e = sixmm_lookup_message(order[i], key, len);
        if (!e)
            e = sixmm_lookup_id(order[i], key, len);
        if (e) {
            a->e = e;
            a->domain = order[i];
            /* A name may name a block fallback (UNKNOWN_AUTH): that is the
             * entry itself, so the match is exact. */
            a->m = SIXMM_MATCH_EXACT;
            return 0;
        }
    }
    suggest(a, key, len, domain_fixed);
    return 1;
}

/* ---- Text output -------------------------------------------------------- */

static void print_answer(FILE *out, const struct answer *a, sixmm_lang lang)
{
    size_t i;
    char buf[96];

    if (!a->e) {
        if (a->is_code) {
            fprintf(out, "%lld: unknown code in domain %s (match: unknown)\n",
                    (long long)a->code, sixmm_domain_name(a->domain));
            /* The other domain's entry, found by resolve(): one line. */
            if (a->nsuggest)
                fprintf(out, "  %s:%lld is %s in another domain.\n",
                        sixmm_domain_name(sixmm_entry_domain(a->suggest[0])),
                        (long long)a->code, sixmm_entry_name(a->suggest[0]));
            fputs("  Not in the catalog and in no documented block: 6MM never documented it.\n"
                  "  Treat the outcome as unknown; do not resend blindly.\n", out);
            return;
        }
        fprintf(out, "%s: no such name, message or identifier (match: unknown)\n%s",
                    a->arg, a->nsuggest ? "" : "  Try --search with a word of it.\n");
        for (i = 0; i < a->nsuggest; i++) {
            suggestion_text(buf, sizeof buf, a, i);
            fprintf(out, "%s%s", i ? ", " : "  did you mean: ", buf);
        }
        if (a->nsuggest)
            fputs("?\n", out);
        return;
    }
    if (a->is_code)
        fprintf(out, "%lld  %s  [%s]\n", (long long)a->code, sixmm_entry_name(a->e),
                sixmm_domain_name(sixmm_entry_domain(a->e)));
    else
        fprintf(out, "%s  %s  [%s]\n", sixmm_entry_key(a->e), sixmm_entry_name(a->e),
                sixmm_domain_name(sixmm_entry_domain(a->e)));
    switch (sixmm_entry_kind(a->e)) {
    case SIXMM_KIND_RANGE:
        fprintf(out, "  entry:        %s (a documented range)\n", sixmm_entry_key(a->e));
        break;
    case SIXMM_KIND_CLASS:
        fprintf(out, "  entry:        %s (the block's fallback: %s is not documented)\n",
                sixmm_entry_key(a->e), a->is_code ? "this code" : "a code in it");
        break;
    case SIXMM_KIND_MESSAGE:
        fprintf(out, "  entry:        server message\n");
        break;
    case SIXMM_KIND_ID:
        fprintf(out, "  entry:        widget identifier\n");
        break;
    default:
        break;
    }
    errinfo_print_entry_body(out, a->e, a->m, lang, 0);
}

/* ---- JSON output -------------------------------------------------------- */

static json_t *answer_json(const struct answer *a, sixmm_lang lang)
{
    json_t *j = json_object(), *sugg = json_array();
    size_t i;
    char buf[96];
    int status = a->error ? 2 : a->m == SIXMM_MATCH_EXACT || a->m == SIXMM_MATCH_RANGE ? 0 : 1;

    json_object_set_new(j, "query", errinfo_json_text(a->arg, strlen(a->arg)));
    json_object_set_new(j, "status", json_string(status == 0 ? "found"
                                                 : status == 1 ? "fallback" : "error"));
    json_object_set_new(j, "domain", a->error ? json_null()
                                              : json_string(sixmm_domain_name(a->domain)));
    json_object_set_new(j, "match", a->error ? json_null() : json_string(sixmm_match_name(a->m)));
    json_object_set_new(j, "code", a->is_code ? json_integer((json_int_t)a->code) : json_null());
    json_object_set_new(j, "entry", errinfo_json_entry(a->e, lang));
    for (i = 0; i < a->nsuggest; i++) {
        suggestion_text(buf, sizeof buf, a, i);
        json_array_append_new(sugg, json_string(buf));
    }
    json_object_set_new(j, "suggestions", sugg);
    if (a->error)
        json_object_set_new(j, "error", json_string(a->error));
    return j;
}

static int finish_json(FILE *out, json_t *doc, json_t *results)
{
    json_object_set_new(doc, "results", results);
    return errinfo_json_print(out, doc, 0) == 0 ? 0 : -1;
}

/* ---- Modes -------------------------------------------------------------- */

int errinfo_query(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n)
{
    json_t *results = o->json ? json_array() : NULL;
    int status = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        struct answer a;
        int s = resolve(&a, args[i], o);

        if (s == 2)
            fprintf(o->err, "6mm-errinfo: argument %zu: %s\n", i + 1, a.error);
        if (results)
            json_array_append_new(results, answer_json(&a, o->lang));
        else if (s != 2) {
            if (i > 0)
                fputc('\n', out);
            print_answer(out, &a, o->lang);
        }
        if (s > status)
            status = s;
    }
    if (results && finish_json(out, errinfo_json_document("query", o->lang), results) != 0)
        return 2;
    return status;
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
        json_array_append_new(results, errinfo_json_entry(e, o->lang));
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
    if (results && finish_json(out, errinfo_json_document("list", o->lang), results) != 0)
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
        json_t *doc = errinfo_json_document("search", o->lang), *wj = json_array(),
               *mj = json_array();
        for (j = 0; j < nw; j++)
            json_array_append_new(wj, json_stringn(words[j], wlen[j]));
        json_object_set_new(doc, "words", wj);
        for (i = 0; i < nhits; i++) {
            json_t *f = json_array();
            for (j = 0; j < F_COUNT; j++)
                if (hits[i].fields & (1u << j))
                    json_array_append_new(f, json_string(field_label[j]));
            json_array_append_new(results, errinfo_json_entry(hits[i].e, o->lang));
            json_array_append_new(mj, f);
        }
        json_object_set_new(doc, "matched", mj);
        if (finish_json(out, doc, results) != 0)
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

int errinfo_version(FILE *out, const struct errinfo_opts *o, const char *tool_version)
{
    if (o->json) {
        json_t *doc = json_pack("{s:i, s:s, s:s, s:s, s:o}",
            "schema_version", ERRINFO_JSON_SCHEMA_VERSION, "mode", "version",
            "tool_version", tool_version, "library_version", sixmm_version(),
            "catalog", errinfo_json_catalog());
        return errinfo_json_print(out, doc, 0) == 0 ? 0 : 2;
    }
    fprintf(out, "6mm-errinfo %s (libsixmm-errinfo %s, catalog %s, sha256 %s)\n", tool_version,
            sixmm_version(), sixmm_catalog_version(), sixmm_catalog_digest());
    return 0;
}
