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
#include <stdint.h>
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

/* Does p point into the scanner's buffer of decoded strings? */
static int in_text(const struct errinfo_scan *sc, const char *p)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)sc->text;
    return p && a >= lo && a < lo + sizeof sc->text;
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
    /* A string the scanner did not decode had no escape: no quote, no
     * backslash, no control character, so its bytes are its JSON text. */
    r.json_safe = !in_text(sc, sc->message) && !in_text(sc, sc->request_id);
    return emit(s, &r);
}

/* The reader's state over one input. */
struct reader {
    struct errinfo_stream *s;
    struct errinfo_lr *lr;
    struct depth_scan ds;
    char *rec;               /* a value that spans lines, so far */
    size_t rec_len;
    unsigned long rec_line, records;
    int status;              /* the worst record status so far, 0 or 1 */
    int first_line, started, http_error;
};

/* The next line, checked: 1 with the line in *p, *n; 0 at the end; 2 after
 * reporting a read error, an overlong line or bytes that are not text. */
static int next_line(struct reader *rd, const char **p, size_t *n)
{
    struct errinfo_lr *r = rd->lr;
    FILE *err = rd->s->o->err;
    int k = errinfo_lr_next(r);

    if (k == ERRINFO_LR_EOF)
        return 0;
    if (k == ERRINFO_LR_IOERR) {
        fprintf(err, "6mm-errinfo: %s: read error after line %lu: %s\n", where(rd->s),
                r->lineno, strerror(r->err));
        return 2;
    }
    if (k == ERRINFO_LR_LONG) {
        fprintf(err, "6mm-errinfo: %s: line %lu is longer than %zu bytes (1 MiB); refusing it\n",
                where(rd->s), r->lineno, ERRINFO_MAX_LINE);
        return 2;
    }
    *p = r->data;
    *n = r->len;
    if (rd->first_line) {
        rd->first_line = 0;
        if (*n >= 3 && memcmp(*p, "\xEF\xBB\xBF", 3) == 0) {
            *p += 3;   /* a UTF-8 byte order mark */
            *n -= 3;
        }
    }
    return 1;
}

/* With an error status, a body that is not JSON at all is a gateway's
 * page: is this first line of text one? */
static int gateway_page(struct reader *rd, const char *p, size_t n)
{
    size_t i = 0;
    if (rd->started)
        return 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
        i++;
    rd->started = i < n;
    return rd->http_error && i < n && p[i] != '{' && p[i] != '[';
}

/* Add a line to the value that spans lines. Returns 1 when the value is
 * complete, 0 when it goes on, 2 after reporting that it is too long. */
static int gather(struct reader *rd, const char *p, size_t n)
{
    FILE *err = rd->s->o->err;
    if (rd->rec_len == 0)
        rd->rec_line = rd->lr->lineno;
    if (rd->rec_len + n + 1 > ERRINFO_MAX_LINE) {
        fprintf(err, "6mm-errinfo: %s: the JSON value that starts at line %lu is longer than "
                     "%zu bytes (1 MiB); refusing it\n", where(rd->s), rd->rec_line,
                ERRINFO_MAX_LINE);
        return 2;
    }
    if (!rd->rec && !(rd->rec = malloc(ERRINFO_MAX_LINE))) {
        fprintf(err, "6mm-errinfo: out of memory\n");
        return 2;
    }
    memcpy(rd->rec + rd->rec_len, p, n);
    rd->rec_len += n;
    rd->rec[rd->rec_len++] = '\n';
    return scan_complete(&rd->ds) ? 1 : 0;
}

/* Count a record's status: 0 or 1 to go on, 2 to stop. */
static int counted(struct reader *rd, int rc)
{
    if (rc == 2)
        return 2;
    rd->records++;
    if (rc > rd->status)
        rd->status = rc;
    return rc;
}

/* One checked line of text: the fast path, a value of one line, or a part
 * of a value that spans lines. Returns 0 or 1 to go on, 2 to stop. */
static int feed(struct reader *rd, const char *p, size_t n)
{
    static struct errinfo_scan sc;
    int rc;

    if (rd->rec_len == 0 && errinfo_json_scan(p, n, &sc))
        return counted(rd, fast_response(rd->s, &sc, rd->lr->lineno));   /* ds is clear */
    scan(&rd->ds, p, n);
    if (!rd->ds.seen)
        return 0;   /* blank lines between values */
    if (rd->rec_len == 0 && scan_complete(&rd->ds)) {
        rc = slow_response(rd->s, p, n, rd->lr->lineno);
    } else {
        if ((rc = gather(rd, p, n)) != 1)
            return rc;
        rc = slow_response(rd->s, rd->rec, rd->rec_len, rd->rec_line);
        rd->rec_len = 0;
    }
    memset(&rd->ds, 0, sizeof rd->ds);
    return counted(rd, rc);
}

/* The end of the input: an unfinished value is parsed (for its error), an
 * input without any body is classified by the status when one was given. */
static int finish_input(struct reader *rd)
{
    const struct errinfo_opts *o = rd->s->o;
    if (rd->rec_len) {
        /* Drop the newline gather() added, so the parser's error points
         * into the last line. */
        if (counted(rd, slow_response(rd->s, rd->rec, rd->rec_len - 1, rd->rec_line)) == 2)
            return 2;
    }
    if (rd->records)
        return rd->status;
    if (o->http_status >= 0)
        return status_only(rd->s, rd->lr->lineno ? rd->lr->lineno : 1, "the body is empty");
    fprintf(o->err, "6mm-errinfo: %s: the input holds no response body (give --http STATUS to "
                    "classify an empty body)\n", where(rd->s));
    return 2;
}

int errinfo_read_responses(struct errinfo_stream *s, FILE *in)
{
    const struct errinfo_opts *o = s->o;
    struct reader rd;
    const char *p = NULL;
    size_t n = 0, bad;
    int rc = 0, k;

    memset(&rd, 0, sizeof rd);
    rd.s = s;
    rd.first_line = 1;
    rd.http_error = o->http_status == 0 || o->http_status >= 400;
    if (!(rd.lr = errinfo_lr_open(in, errinfo_stream_before_read, s, NULL))) {
        fprintf(o->err, "6mm-errinfo: out of memory\n");
        return 2;
    }
    errinfo_json_budget_use();
    while ((k = next_line(&rd, &p, &n)) == 1) {
        if (gateway_page(&rd, p, n)) {
            /* Classify by the status, and do not read on. */
            rc = status_only(s, rd.lr->lineno, "the body is not JSON");
            break;
        }
        if ((bad = errinfo_utf8_valid(p, n)) != n) {
            report_bad_byte(s, rd.lr->lineno, p, bad);
            k = 2;
            break;
        }
        if (feed(&rd, p, n) == 2) {
            k = 2;
            break;
        }
    }
    if (k == 2)
        rc = 2;
    else if (k == 0)
        rc = finish_input(&rd);
    free(rd.rec);
    errinfo_lr_close(rd.lr);
    if (errinfo_stream_flush(s) != 0 && rc != 2) {
        fprintf(o->err, "6mm-errinfo: %s: cannot write the records\n", where(s));
        rc = 2;
    }
    return rc;
}
