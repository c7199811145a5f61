/*
 * query.c: 6mm-errinfo QUERY... and --version.
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
    size_t described;          /* entries whose description the text is, when several */
};

static int is_letter_word(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n > 16)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
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

/* A name, a message, an identifier or a description: in the domain only
 * when it is fixed, else in each domain in turn (strings do not collide
 * across domains the way numbers do, and the chosen one comes first). Keys
 * before descriptions: a description is what a person pastes, never what a
 * program sends. */
static int resolve_text(struct answer *a, const char *key, size_t len, sixmm_domain domain,
                        int domain_fixed)
{
    sixmm_domain order[SIXMM_DOMAIN_COUNT];
    size_t norder = 0, i;
    int d;

    /* Blanks around a name or a message are not part of it (logs often
     * carry them), as for a code. */
    while (len && (*key == ' ' || *key == '\t'))
        key++, len--;
    while (len && (key[len - 1] == ' ' || key[len - 1] == '\t'))
        len--;
    order[norder++] = domain;
    if (!domain_fixed)
        for (d = 0; d < SIXMM_DOMAIN_COUNT; d++)
            if ((sixmm_domain)d != domain)
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
    for (i = 0; i < norder; i++) {
        size_t count = 0;
        const sixmm_entry *e = sixmm_lookup_description(order[i], key, len, &count);
        if (e) {
            a->e = e;
            a->domain = order[i];
            a->m = SIXMM_MATCH_DESCRIPTION;
            return 0;
        }
        if (count > 1 && !a->described) {
            a->described = count;
            a->domain = order[i];
        }
    }
    if (!a->described)
        suggest(a, key, len, domain_fixed);
    return 1;
}

static int resolve(struct answer *a, const char *arg, const struct errinfo_opts *o)
{
    const char *key = arg, *colon;
    size_t len = strlen(arg), i;
    int domain_fixed = o->domain_set, has_alpha = 0;

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
    /* "agent:6905" and "AGENT:6905" have a domain; "timeout: read failed"
     * (a message) does not, so a blank after the colon rules the prefix
     * out. A word before the colon that is no domain is an error, unless
     * the whole text is a name, message or description. */
    colon = strchr(arg, ':');
    if (colon && is_letter_word(arg, (size_t)(colon - arg)) && colon[1] != ' ') {
        sixmm_domain dom;
        if (errinfo_parse_domain(arg, (size_t)(colon - arg), &dom, a->errbuf,
                                 sizeof a->errbuf) != 0) {
            int rc = resolve_text(a, arg, len, o->domain, o->domain_set);
            if (rc == 0)
                return 0;
            memset(a, 0, sizeof *a);
            a->arg = arg;
            a->domain = o->domain;
            a->m = SIXMM_MATCH_UNKNOWN;
            errinfo_parse_domain(arg, (size_t)(colon - arg), &dom, a->errbuf, sizeof a->errbuf);
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
    return resolve_text(a, key, len, a->domain, domain_fixed);
}

/* ---- Text output -------------------------------------------------------- */

static void print_answer(FILE *out, const struct answer *a, sixmm_lang lang, int ascii)
{
    size_t i;
    char buf[96];

    if (!a->e) {
        if (a->is_code && a->nsuggest) {
            /* Documented, but in another domain (found by resolve()). */
            const char *d = sixmm_domain_name(sixmm_entry_domain(a->suggest[0]));
            fprintf(out, "%lld: unknown code in domain %s (match: unknown)\n"
                         "  %s:%lld is %s: ask for %s:%lld, or give --domain %s.\n"
                         "  In domain %s, treat the outcome as unknown; do not resend blindly.\n",
                    (long long)a->code, sixmm_domain_name(a->domain), d, (long long)a->code,
                    sixmm_entry_name(a->suggest[0]), d, (long long)a->code, d,
                    sixmm_domain_name(a->domain));
            return;
        }
        if (a->is_code) {
            fprintf(out, "%lld: unknown code in domain %s (match: unknown)\n",
                    (long long)a->code, sixmm_domain_name(a->domain));
            fputs("  Not in the catalog and in no documented block of any domain: 6MM never "
                  "documented it.\n"
                  "  Treat the outcome as unknown; do not resend blindly.\n", out);
            return;
        }
        errinfo_fput_clean(out, a->arg, ascii);
        if (a->described) {
            fprintf(out, ": the description of %zu entries in domain %s (match: unknown)\n"
                         "  A description names no single entry here; give the code or the "
                         "name (--search lists them).\n", a->described,
                    sixmm_domain_name(a->domain));
            return;
        }
        fprintf(out, ": no such name, message, identifier or description (match: unknown)\n%s",
                a->nsuggest ? "" : "  Try --search with a word of it.\n");
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
    int status = a->error ? 2 : errinfo_match_status(a->m);

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
            print_answer(out, &a, o->lang, o->ascii);
        }
        if (s > status)
            status = s;
    }
    if (results && errinfo_json_finish(out, errinfo_json_document("query", o->lang), results) != 0)
        return 2;
    return status;
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
