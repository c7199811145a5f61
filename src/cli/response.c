/*
 * response.c: --response. A line that errinfo_json_scan() reads (the common
 * case) needs no tree; every other value goes to jansson, under its budget,
 * which then decides and reports. Both give the same errinfo_record to the
 * one writer of record.c.
 */
#include "response.h"
#include "jsonbudget.h"
#include "jsonscan.h"
#include "linereader.h"
#include "record.h"
#include "utf8.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* One line on o->err about byte `at` of line `line` that is not valid
 * UTF-8 text. */
static void report_bad_byte(const struct errinfo_stream *s, unsigned long line, const char *p,
                            size_t at)
{
    FILE *err = s->o->err;
    const char *name = s->name ? s->name : "response";
    if (p[at] == '\0')
        fprintf(err, "6mm-errinfo: %s: line %lu, byte %zu: NUL byte: this is binary data, "
                     "not text\n", name, line, at + 1);
    else
        fprintf(err, "6mm-errinfo: %s: line %lu, byte %zu: invalid UTF-8 (byte 0x%02x)\n",
                name, line, at + 1, (unsigned)(unsigned char)p[at]);
}

static const char *where(const struct errinfo_stream *s)
{
    return s->name ? s->name : "response";
}

/* Classify and write one record into the stream's buffer, which is handed
 * to the output when full and before a read that may block. Returns the
 * record's status (0 or 1), or 2 when it cannot be written. */
static int emit(struct errinfo_stream *s, struct errinfo_record *r)
{
    int rc = 0;

    errinfo_record_classify(r, s);
    if (s->o->json)
        rc = errinfo_record_json(&s->ob, r, s);
    else
        errinfo_record_text(&s->ob, r, s);
    if (s->ob.bad || rc != 0) {
        fprintf(s->o->err, "6mm-errinfo: %s: line %lu: cannot write the record\n", where(s),
                r->line);
        return 2;
    }
    s->records++;
    return errinfo_match_status(r->advice.match);
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return "null";
    }
}

/* Parse, classify and write one JSON value that starts at line `line`.
 * Returns 0 or 1 (the record's status) to go on, or 2 to stop. */
static int slow_response(struct errinfo_stream *s, const char *buf, size_t len,
                         unsigned long line)
{
    const struct errinfo_opts *o = s->o;
    json_error_t jerr;
    json_t *root, *v;
    struct errinfo_record r;
    int rc;

    errinfo_json_budget_clear();
    root = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!root) {
        unsigned long at = line + (unsigned long)(jerr.line > 0 ? jerr.line - 1 : 0);
        if (errinfo_json_budget_hit())
            fprintf(o->err, "6mm-errinfo: %s: line %lu: the JSON value is too large to "
                            "classify (its parse tree needs more than %zu MiB)\n",
                    where(s), line, ERRINFO_JSON_BUDGET >> 20);
        else if (jerr.text[0])
            fprintf(o->err, "6mm-errinfo: %s: line %lu, column %d: invalid JSON: %s\n",
                    where(s), at, jerr.column, jerr.text);
        else
            fprintf(o->err, "6mm-errinfo: %s: line %lu, column %d: invalid JSON\n",
                    where(s), at, jerr.column);
        return 2;
    }
    if (!json_is_object(root)) {
        fprintf(o->err, "6mm-errinfo: %s: line %lu: expected a JSON object (a 6MM response "
                        "body), not %s\n", where(s), line, json_kind(root));
        json_decref(root);
        return 2;
    }
    memset(&r, 0, sizeof r);
    r.mode = "response";
    r.line = line;
    v = json_object_get(root, "code");
    if (json_is_integer(v)) {
        r.has_code = 1;
        r.code = (int64_t)json_integer_value(v);
    } else if (json_is_string(v) &&
               sixmm_parse_code(json_string_value(v), json_string_length(v), &r.code) == 0) {
        r.has_code = 1;   /* "code": "1003", as some proxies rewrite it */
    } else if (v && !json_is_null(v)) {
        fprintf(o->err, "6mm-errinfo: %s: line %lu: \"code\" must be an integer\n",
                where(s), line);
        json_decref(root);
        return 2;
    }
    v = json_object_get(root, "message");
    if (json_is_string(v)) {
        r.message = json_string_value(v);
        r.message_len = json_string_length(v);
    }
    v = json_object_get(root, "requestId");
    if (json_is_string(v)) {
        r.request_id = json_string_value(v);
        r.request_id_len = json_string_length(v);
    }
    rc = emit(s, &r);
    json_decref(root);
    return rc;
}

/* A call with no JSON body (empty, or a gateway's error page): the status
 * alone decides. */
static int status_only(struct errinfo_stream *s, unsigned long line, const char *why)
{
    struct errinfo_record r;
    memset(&r, 0, sizeof r);
    r.mode = "response";
    r.line = line;
    r.no_body = why;
    return emit(s, &r);
}

/* Tracks JSON nesting across lines, so that one value may span several
 * lines (a pretty-printed body) while JSON Lines stay one value a line. */
struct depth_scan {
    long depth;
    int in_string, escape, seen;
};

static void scan(struct depth_scan *d, const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (d->in_string) {
            if (d->escape)
                d->escape = 0;
            else if (c == '\\')
                d->escape = 1;
            else if (c == '"')
                d->in_string = 0;
            continue;
        }
        if (c == '"')
            d->in_string = 1;
        else if (c == '{' || c == '[')
            d->depth++;
        else if (c == '}' || c == ']')
            d->depth--;
        if (c != ' ' && c != '\t' && c != '\r')
            d->seen = 1;
    }
}

/* A value is complete at the end of a line when it has started and is
 * closed; an unterminated string cannot continue on the next line in JSON,
 * so it ends the value too (and the parser reports it). */
static int scan_complete(const struct depth_scan *d)
{
    return d->seen && (d->depth <= 0 || d->in_string);
}

/* The fast path: one line that errinfo_json_scan() reads. */
static int fast_response(struct errinfo_stream *s, const struct errinfo_scan *sc,
                         unsigned long line)
{
    struct errinfo_record r;
    memset(&r, 0, sizeof r);
    r.mode = "response";
    r.line = line;
    r.has_code = sc->has_code;
    r.code = sc->code;
    r.message = sc->message;
    r.message_len = sc->message_len;
    r.request_id = sc->request_id;
    r.request_id_len = sc->request_id_len;
    return emit(s, &r);
}

int errinfo_read_responses(struct errinfo_stream *s, FILE *in)
{
    const struct errinfo_opts *o = s->o;
    struct errinfo_lr *r = errinfo_lr_open(in, errinfo_stream_before_read, s, NULL);
    static struct errinfo_scan sc;
    struct depth_scan ds;
    char *rec = NULL;
    size_t rec_len = 0;
    unsigned long rec_line = 0, records = 0;
    int rc = 0, status = 0, first_line = 1, started = 0;
    const int http_error = o->http_status == 0 || o->http_status >= 400;

    if (!r) {
        fprintf(o->err, "6mm-errinfo: out of memory\n");
        return 2;
    }
    errinfo_json_budget_use();
    memset(&ds, 0, sizeof ds);
    for (;;) {
        int k = errinfo_lr_next(r);
        const char *p;
        size_t n, bad;

        if (k == ERRINFO_LR_EOF)
            break;
        if (k == ERRINFO_LR_IOERR) {
            fprintf(o->err, "6mm-errinfo: %s: read error after line %lu: %s\n", where(s),
                    r->lineno, strerror(r->err));
            rc = 2;
            break;
        }
        if (k == ERRINFO_LR_LONG) {
            fprintf(o->err, "6mm-errinfo: %s: line %lu is longer than %zu bytes "
                            "(1 MiB); refusing it\n", where(s), r->lineno, ERRINFO_MAX_LINE);
            rc = 2;
            break;
        }
        p = r->data;
        n = r->len;
        if (first_line) {
            first_line = 0;
            if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
                p += 3;   /* a UTF-8 byte order mark */
                n -= 3;
            }
        }
        if (!started) {
            size_t i = 0;
            while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
                i++;
            started = i < n;
            /* With an error status, a body that is not JSON at all is a
             * gateway's page: classify by status, and do not read on. */
            if (http_error && i < n && p[i] != '{' && p[i] != '[') {
                rc = status_only(s, r->lineno, "the body is not JSON");
                errinfo_stream_flush(s);
                errinfo_lr_close(r);
                return rc;
            }
        }
        if ((bad = errinfo_utf8_valid(p, n)) != n) {
            report_bad_byte(s, r->lineno, p, bad);
            rc = 2;
            break;
        }
        if (rec_len == 0 && errinfo_json_scan(p, n, &sc)) {
            /* ds is clear here: the common line needs no depth scan. */
            int st = fast_response(s, &sc, r->lineno);
            records++;
            if (st == 2) {
                rc = 2;
                break;
            }
            if (st > status)
                status = st;
            continue;
        }
        scan(&ds, p, n);
        if (!ds.seen)
            continue;   /* blank lines between values */
        if (rec_len == 0 && scan_complete(&ds)) {
            rc = slow_response(s, p, n, r->lineno);
        } else {
            if (rec_len == 0)
                rec_line = r->lineno;
            if (rec_len + n + 1 > ERRINFO_MAX_LINE) {
                fprintf(o->err, "6mm-errinfo: %s: the JSON value that starts at line %lu "
                                "is longer than %zu bytes (1 MiB); refusing it\n",
                        where(s), rec_line, ERRINFO_MAX_LINE);
                rc = 2;
                break;
            }
            if (!rec && !(rec = malloc(ERRINFO_MAX_LINE))) {
                fprintf(o->err, "6mm-errinfo: out of memory\n");
                rc = 2;
                break;
            }
            memcpy(rec + rec_len, p, n);
            rec_len += n;
            rec[rec_len++] = '\n';
            if (!scan_complete(&ds))
                continue;
            rc = slow_response(s, rec, rec_len, rec_line);
            rec_len = 0;
        }
        memset(&ds, 0, sizeof ds);
        if (rc != 2)
            records++;
        if (rc > status)
            status = rc;
        if (rc == 2)
            break;
        rc = 0;
    }
    if (rc != 2 && rec_len) {
        /* An unfinished value at the end of the input: drop the newline we
         * added, so the parser's error points into the last line. */
        rc = slow_response(s, rec, rec_len - 1, rec_line);
        if (rc != 2)
            records++;
        if (rc > status)
            status = rc;
    }
    if (rc != 2 && records == 0) {
        if (o->http_status >= 0) {
            rc = status_only(s, r->lineno ? r->lineno : 1, "the body is empty");
        } else {
            fprintf(o->err, "6mm-errinfo: %s: the input holds no response body "
                            "(give --http STATUS to classify an empty body)\n", where(s));
            rc = 2;
        }
        status = rc;
    }
    free(rec);
    errinfo_lr_close(r);
    if (errinfo_stream_flush(s) != 0 && rc != 2) {
        fprintf(o->err, "6mm-errinfo: %s: cannot write the records\n", where(s));
        rc = 2;
    }
    return rc == 2 ? 2 : status;
}
