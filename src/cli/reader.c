/*
 * reader.c: --response and --annotate, the two modes that read untrusted
 * input of any size.
 *
 * Both stream: input is read in 64 KiB blocks and split into lines of at
 * most ERRINFO_MAX_LINE bytes, so memory is bounded by one line (or one
 * multi-line JSON value of the same size) plus jansson's parse tree, which
 * runs under an allocation budget. Bad input (NUL bytes, invalid UTF-8,
 * overlong lines, invalid JSON) is reported as one line on o->err that names
 * the line, never by crashing. The functions here take FILE pointers and
 * options only, so a fuzzer can drive them (see errinfo_cli.h).
 *
 * The common line of --response (a small body without escapes) skips
 * jansson: see "the fast path" below. Its output, and that of every other
 * record, is put together in a buffer and written with one fwrite; the
 * texts of catalog entries are made once and kept (bounded tables).
 */
#define _POSIX_C_SOURCE 200809L

#include "errinfo_cli.h"
#include "errinfo_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#  include <malloc.h>
#endif

/* The random value handed to sixmm_classify(): the middle of the jitter
 * window, so the printed delay is the typical one and the output is
 * reproducible. A client draws its own. */
#define ERRINFO_JITTER 0x80000000u

/* jansson's allocations for one record stay under this, counted with a
 * malloc's overhead; a pathological 1 MiB line of tiny values would
 * otherwise build a tree twenty times its size. A real body needs a few KiB;
 * a 1 MiB string value about 2.5 MiB while the parser grows its buffer. */
#define ERRINFO_JSON_BUDGET ((size_t)4 << 20)
#define BUDGET_OVERHEAD 32   /* our header plus malloc's own, roughly */

/* ---- jansson under a budget --------------------------------------------- */

static size_t budget_used;
static int budget_hit;

union budget_header {
    size_t size;
    long double align_ld;
    void *align_p;
    long long align_ll;
};

static void *budget_malloc(size_t n)
{
    union budget_header *h;
    if (n > ERRINFO_JSON_BUDGET - BUDGET_OVERHEAD ||
        n + BUDGET_OVERHEAD > ERRINFO_JSON_BUDGET - budget_used) {
        budget_hit = 1;
        return NULL;
    }
    if (!(h = malloc(sizeof *h + n)))
        return NULL;
    h->size = n + BUDGET_OVERHEAD;
    budget_used += h->size;
    return h + 1;
}

static void budget_free(void *p)
{
    union budget_header *h;
    if (!p)
        return;
    h = (union budget_header *)p - 1;
    budget_used -= h->size;
    free(h);
}

static void use_budget(void)
{
#ifdef __GLIBC__
    /* glibc raises its mmap threshold after the first large free, after
     * which 1 MiB buffers come from the heap and a stream of mixed sizes
     * fragments it; fixed thresholds hand large blocks back at once and keep
     * the peak near one record's worth. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024);
#endif
    json_set_alloc_funcs(budget_malloc, budget_free);
}

/* ---- Bounded line reader ------------------------------------------------ */

enum { LR_LINE, LR_LONG, LR_EOF, LR_IOERR };

struct line_reader {
    FILE *in;
    FILE *flush;             /* flushed before every read that may block */
    int fd;                  /* fileno(in), or -1 to use fread */
    size_t pos, end;
    int eof, err;
    unsigned long lineno;
    const char *data;        /* the current line (no '\n') */
    size_t len;
    int had_newline;
    char *buf;               /* holds a line that spans blocks */
    size_t cap;
    char block[1 << 16];
};

static struct line_reader *lr_open(FILE *in, FILE *flush)
{
    struct line_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->in = in;
    r->flush = flush;
    r->fd = fileno(in);
    return r;
}

static void lr_close(struct line_reader *r)
{
    if (r) {
        free(r->buf);
        free(r);
    }
}

static int lr_fill(struct line_reader *r)
{
    ssize_t n;
    if (r->eof || r->err)
        return 0;
    if (r->flush)
        fflush(r->flush);
    /* read(2) returns what a pipe has, where fread would wait for a full
     * block: `tail -f app.log | 6mm-errinfo --annotate` stays live. */
    if (r->fd >= 0) {
        do
            n = read(r->fd, r->block, sizeof r->block);
        while (n < 0 && errno == EINTR);
    } else {
        n = (ssize_t)fread(r->block, 1, sizeof r->block, r->in);
        if (n == 0 && ferror(r->in))
            n = -1;
    }
    if (n < 0) {
        r->err = errno ? errno : EIO;
        return 0;
    }
    if (n == 0) {
        r->eof = 1;
        return 0;
    }
    r->pos = 0;
    r->end = (size_t)n;
    return 1;
}

static int lr_append(struct line_reader *r, const char *p, size_t n)
{
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        char *b;
        while (cap < r->len + n)
            cap *= 2;
        if (cap > ERRINFO_MAX_LINE)
            cap = ERRINFO_MAX_LINE;
        if (!(b = realloc(r->buf, cap)))
            return -1;
        r->buf = b;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, p, n);
    r->len += n;
    return 0;
}

/* The next line. LR_LONG: the line is longer than ERRINFO_MAX_LINE; data
 * holds its first ERRINFO_MAX_LINE bytes and the rest is still unread (see
 * lr_skip_rest). */
static int lr_next(struct line_reader *r)
{
    int spanning = 0;

    r->len = 0;
    r->had_newline = 0;
    for (;;) {
        const char *start, *nl;
        size_t avail, take;

        if (r->pos == r->end && !lr_fill(r)) {
            if (r->err)
                return LR_IOERR;
            if (!spanning)
                return LR_EOF;
            r->data = r->buf;
            r->lineno++;
            return LR_LINE;
        }
        start = r->block + r->pos;
        avail = r->end - r->pos;
        nl = memchr(start, '\n', avail);
        take = nl ? (size_t)(nl - start) : avail;
        if (!spanning && nl && take <= ERRINFO_MAX_LINE) {
            /* The whole line is in the block: no copy. */
            r->data = start;
            r->len = take;
            r->pos += take + 1;
            r->had_newline = 1;
            r->lineno++;
            return LR_LINE;
        }
        if (r->len + take > ERRINFO_MAX_LINE) {
            size_t room = ERRINFO_MAX_LINE - r->len;
            if (lr_append(r, start, room) != 0) {
                r->err = ENOMEM;
                return LR_IOERR;
            }
            r->pos += room;
            r->data = r->buf;
            r->lineno++;
            return LR_LONG;
        }
        if (lr_append(r, start, take) != 0) {
            r->err = ENOMEM;
            return LR_IOERR;
        }
        spanning = 1;
        r->pos += take;
        if (nl) {
            r->pos++;
            r->had_newline = 1;
            r->data = r->buf;
            r->lineno++;
            return LR_LINE;
        }
    }
}

/* Consume the rest of an overlong line, copying it to `copy` when that is
 * not NULL. Returns 0, or -1 on a read error. */
static int lr_skip_rest(struct line_reader *r, FILE *copy)
{
    for (;;) {
        const char *start, *nl;
        size_t take;
        if (r->pos == r->end && !lr_fill(r))
            return r->err ? -1 : 0;
        start = r->block + r->pos;
        nl = memchr(start, '\n', r->end - r->pos);
        take = nl ? (size_t)(nl - start) + 1 : r->end - r->pos;
        if (copy)
            fwrite(start, 1, take, copy);
        r->pos += take;
        if (nl) {
            r->had_newline = 1;
            return 0;
        }
    }
}

/* One line on o->err about byte `at` of the current line that is not
 * valid UTF-8 text. */
static void report_bad_byte(const struct errinfo_opts *o, const char *what,
                            unsigned long line, const char *s, size_t at, const char *then)
{
    if (s[at] == '\0')
        fprintf(o->err, "6mm-errinfo: %s: line %lu, byte %zu: NUL byte: this is binary data, "
                        "not text%s\n", what, line, at + 1, then);
    else
        fprintf(o->err, "6mm-errinfo: %s: line %lu, byte %zu: invalid UTF-8 (byte 0x%02x)%s\n",
                what, line, at + 1, (unsigned)(unsigned char)s[at], then);
}

/* ---- Printing one classification ---------------------------------------- */

/* Untrusted text on one output line: control characters are escaped and
 * the length is capped. */
static void ob_clean(struct errinfo_obuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0, cap = n > 200 ? 200 : n;
    while (cap < n && cap > 0 && ((unsigned char)s[cap] & 0xC0) == 0x80)
        cap--;   /* do not split a UTF-8 sequence */
    for (i = 0; i < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) {
            char esc[4];
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 15];
            errinfo_obuf_put(out, s + run, i - run);
            errinfo_obuf_put(out, esc, 4);
            run = i + 1;
        }
    }
    errinfo_obuf_put(out, s + run, cap - run);
    if (cap < n)
        errinfo_obuf_put(out, "...", 3);
}

static void obuf_init(struct errinfo_obuf *b, FILE *out)
{
    b->out = out;
    b->bad = 0;
    b->len = 0;
}

static void put_clean(FILE *out, const char *s, size_t n)
{
    struct errinfo_obuf ob;
    obuf_init(&ob, out);
    ob_clean(&ob, s, n);
    errinfo_obuf_flush(&ob);
}

/* printf's %s, %lu and %lld without the format interpreter: these print
 * every record of a stream. ob_s prints "(null)" for NULL, like glibc. */
#define OB_LIT(b, lit) errinfo_obuf_put((b), (lit), sizeof(lit) - 1)

static void ob_s(struct errinfo_obuf *out, const char *s)
{
    if (!s)
        s = "(null)";
    errinfo_obuf_put(out, s, strlen(s));
}

static void ob_u(struct errinfo_obuf *out, unsigned long long v)
{
    char d[24];
    size_t i = sizeof d;
    do
        d[--i] = (char)('0' + v % 10);
    while (v /= 10);
    errinfo_obuf_put(out, d + i, sizeof d - i);
}

static void ob_i(struct errinfo_obuf *out, long long v)
{
    if (v >= 0) {
        ob_u(out, (unsigned long long)v);
    } else {
        OB_LIT(out, "-");
        ob_u(out, 0ull - (unsigned long long)v);
    }
}

struct body {
    unsigned long line;
    int has_code;
    int64_t code;
    const char *message;
    size_t message_len;
    const char *request_id;
    size_t request_id_len;
};

static void classify(const struct body *b, const struct errinfo_opts *o, sixmm_advice *adv)
{
    sixmm_call call;
    memset(&call, 0, sizeof call);
    call.domain = o->domain;
    /* A body arrived, so the connection did not time out: without --http,
     * assume 200 and let the body's code decide. */
    call.http_status = o->http_status >= 0 ? o->http_status : 200;
    call.has_code = b->has_code;
    call.code = b->code;
    call.message = b->message;
    call.message_len = b->message_len;
    call.idempotent = o->idempotent;
    call.attempt = o->attempt;
    sixmm_classify(&call, ERRINFO_JITTER, adv);
}

static int advice_status(const sixmm_advice *adv)
{
    return adv->match == SIXMM_MATCH_EXACT || adv->match == SIXMM_MATCH_RANGE ? 0 : 1;
}

/* The "decided by" line and the card of an entry, as printed under a
 * response, made once per entry, match and language (a stream names few)
 * and kept for the life of the process, in a bounded table; were it ever
 * full, or out of memory, the card is printed directly. */
#define CARD_SLOTS 4096

static struct card_text {
    const sixmm_entry *e;
    sixmm_match match;
    sixmm_lang lang;
    char *text;
    size_t len;
} card_texts[CARD_SLOTS];

static void print_card(FILE *out, const sixmm_entry *e, sixmm_match m, sixmm_lang lang)
{
    fprintf(out, "  decided by:   %s  %s  [%s]\n", sixmm_entry_key(e), sixmm_entry_name(e),
            sixmm_domain_name(sixmm_entry_domain(e)));
    errinfo_print_entry_body(out, e, m, lang);
}

static void put_card(struct errinfo_obuf *out, const sixmm_entry *e, sixmm_match m,
                     sixmm_lang lang)
{
    size_t h = (((size_t)(uintptr_t)e >> 4) * 31u + (size_t)m * 7u + (size_t)lang) % CARD_SLOTS;
    size_t i;

    for (i = 0; i < CARD_SLOTS; i++) {
        struct card_text *t = &card_texts[(h + i) % CARD_SLOTS];
        if (t->e == e && t->match == m && t->lang == lang) {
            errinfo_obuf_put(out, t->text, t->len);
            return;
        }
        if (!t->e) {
            char *text = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&text, &len);
            if (!mem)
                break;
            print_card(mem, e, m, lang);
            if (fclose(mem) != 0 || !text) {
                free(text);
                break;
            }
            t->e = e;
            t->match = m;
            t->lang = lang;
            t->text = text;
            t->len = len;
            errinfo_obuf_put(out, text, len);
            return;
        }
    }
    errinfo_obuf_flush(out);
    print_card(out->out, e, m, lang);
}

static void ob_advice_text(struct errinfo_obuf *out, const sixmm_advice *adv,
                           const struct errinfo_opts *o)
{
    OB_LIT(out, "  action:       ");
    ob_s(out, sixmm_retry_name(adv->action));
    OB_LIT(out, "\n                ");
    ob_s(out, sixmm_retry_advice(adv->action, o->lang));
    if (adv->resend && adv->delay_ms) {
        OB_LIT(out, "\n  resend:       yes, after the action and a wait of about ");
        ob_u(out, (unsigned long)adv->delay_ms);
        OB_LIT(out, " ms (attempt ");
        ob_u(out, o->attempt + 1);
        OB_LIT(out, ")\n");
    } else if (adv->resend) {
        OB_LIT(out, "\n  resend:       yes, after the action (attempt ");
        ob_u(out, o->attempt + 1);
        OB_LIT(out, ")\n");
    } else {
        OB_LIT(out, "\n  resend:       no\n");
    }
    OB_LIT(out, "  reason:       ");
    ob_s(out, adv->reason);
    OB_LIT(out, "\n");
    if (adv->entry) {
        put_card(out, adv->entry, adv->match, o->lang);
    } else {
        OB_LIT(out, "  decided by:   the HTTP status (match: ");
        ob_s(out, sixmm_match_name(adv->match));
        OB_LIT(out, ")\n");
    }
}

static void print_advice_text(FILE *out, const sixmm_advice *adv, const struct errinfo_opts *o)
{
    struct errinfo_obuf ob;
    obuf_init(&ob, out);
    ob_advice_text(&ob, adv, o);
    errinfo_obuf_flush(&ob);
}

static void ob_response_text(struct errinfo_obuf *out, const struct body *b,
                             const sixmm_advice *adv, const struct errinfo_opts *o, int first)
{
    if (first)
        OB_LIT(out, "response at line ");
    else
        OB_LIT(out, "\nresponse at line ");
    ob_u(out, b->line);
    if (b->request_id) {
        OB_LIT(out, "  requestId: ");
        ob_clean(out, b->request_id, b->request_id_len);
    }
    if (o->http_status >= 0) {
        OB_LIT(out, "\n  http status:  ");
        ob_i(out, o->http_status);
        OB_LIT(out, "\n");
    } else {
        OB_LIT(out, "\n  http status:  200 (assumed; give --http)\n");
    }
    if (b->has_code) {
        OB_LIT(out, "  code:         ");
        ob_i(out, (long long)b->code);
        OB_LIT(out, "\n");
    } else {
        OB_LIT(out, "  code:         none in the body\n");
    }
    if (b->message) {
        OB_LIT(out, "  message:      ");
        ob_clean(out, b->message, b->message_len);
        OB_LIT(out, "\n");
    }
    if (o->idempotent)
        OB_LIT(out, "  request:      idempotent, attempt ");
    else
        OB_LIT(out, "  request:      not idempotent, attempt ");
    ob_u(out, o->attempt);
    OB_LIT(out, "\n");
    ob_advice_text(out, adv, o);
}

static void print_response_text(FILE *out, const struct body *b, const sixmm_advice *adv,
                                const struct errinfo_opts *o, int first)
{
    struct errinfo_obuf ob;
    obuf_init(&ob, out);
    ob_response_text(&ob, b, adv, o, first);
    errinfo_obuf_flush(&ob);
}

static json_t *advice_json(const sixmm_advice *adv, const struct errinfo_opts *o)
{
    return json_pack("{s:s, s:s, s:b, s:I, s:s, s:s, s:o}",
        "action", sixmm_retry_name(adv->action),
        "action_advice", sixmm_retry_advice(adv->action, o->lang),
        "resend", adv->resend ? 1 : 0,
        "delay_ms", (json_int_t)adv->delay_ms,
        "reason", adv->reason,
        "match", sixmm_match_name(adv->match),
        "entry", errinfo_json_entry(adv->entry, o->lang));
}

static json_t *record_json(const char *mode, const struct body *b, const sixmm_advice *adv,
                           const struct errinfo_opts *o)
{
    json_t *j = json_pack("{s:i, s:s, s:I}", "schema_version", ERRINFO_JSON_SCHEMA_VERSION,
                          "mode", mode, "line", (json_int_t)b->line);
    json_object_set_new(j, "request_id", b->request_id
                        ? errinfo_json_text(b->request_id, b->request_id_len) : json_null());
    json_object_set_new(j, "domain", json_string(sixmm_domain_name(o->domain)));
    json_object_set_new(j, "http_status", json_integer(o->http_status >= 0 ? o->http_status : 200));
    json_object_set_new(j, "http_status_given", json_boolean(o->http_status >= 0));
    json_object_set_new(j, "idempotent", json_boolean(o->idempotent));
    json_object_set_new(j, "attempt", json_integer((json_int_t)o->attempt));
    json_object_set_new(j, "code", b->has_code ? json_integer((json_int_t)b->code) : json_null());
    json_object_set_new(j, "message", b->message
                        ? errinfo_json_text(b->message, b->message_len) : json_null());
    json_object_set_new(j, "advice", advice_json(adv, o));
    return j;
}

/* ---- --response: the fast path -------------------------------------------
 *
 * Most lines of a stream are small flat bodies such as
 * {"code":1003,"message":"Invalid token","data":null}. fast_scan() reads
 * those without jansson's tree, and accepts only what json_loadb() would
 * read to the very same values; anything else (an escape in any string, a
 * control character, an exponent, an integer of more than 18 digits, nesting
 * deeper than FAST_DEPTH, a repeated "code", "message" or "requestId", a
 * "code" that is neither an integer, a code in a string nor null, a line
 * longer than FAST_MAX, trailing text) makes it return 0, and the line goes
 * the jansson way, which then decides and reports exactly as before. The
 * line is already known to be valid UTF-8 without NUL bytes. */

/* Lines up to this length only: jansson's parse tree of such a line stays
 * far below ERRINFO_JSON_BUDGET, so the budget can never decide. */
#define FAST_MAX 4096
#define FAST_DEPTH 16

static const char *fast_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

/* A string without escapes at p (which is at its opening quote); returns
 * the position after the closing quote and sets *s, *n to its text. */
static const char *fast_string(const char *p, const char *end, const char **s, size_t *n)
{
    const char *q;
    for (q = ++p; q < end; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '"') {
            *s = p;
            *n = (size_t)(q - p);
            return q + 1;
        }
        if (c == '\\' || c < 0x20)
            return NULL;
    }
    return NULL;
}

/* A number as jansson's lexer reads it, without an exponent; *is_int tells
 * whether it has no fraction, and *v holds its value then (at most 18
 * digits, so strtoll cannot overflow). */
static const char *fast_number(const char *p, const char *end, int *is_int, int64_t *v)
{
    int neg = 0;
    size_t digits = 0;
    int64_t x = 0;

    if (p < end && *p == '-')
        neg = 1, p++;
    if (p >= end || *p < '0' || *p > '9')
        return NULL;
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9')
            return NULL;   /* a leading zero: invalid */
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            if (++digits > 18)
                return NULL;
            x = x * 10 + (*p++ - '0');
        }
    }
    *is_int = 1;
    if (p < end && *p == '.') {
        *is_int = 0;
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E'))
        return NULL;
    *v = neg ? -x : x;
    return p;
}

enum { FAST_STRING = 1, FAST_INT, FAST_REAL, FAST_LITERAL_NULL, FAST_LITERAL_BOOL, FAST_NESTED };

/* Any value at p; returns the position after it and its type in *type. */
static const char *fast_value(const char *p, const char *end, int depth, int *type,
                              const char **s, size_t *n, int64_t *v)
{
    if (p >= end)
        return NULL;
    switch (*p) {
    case '"':
        *type = FAST_STRING;
        return fast_string(p, end, s, n);
    case 't':
        *type = FAST_LITERAL_BOOL;
        return end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f':
        *type = FAST_LITERAL_BOOL;
        return end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n':
        *type = FAST_LITERAL_NULL;
        return end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
    case '{':
    case '[': {
        const char close = *p == '{' ? '}' : ']';
        const int object = *p == '{';
        const char *ks;
        size_t kn;
        int t;
        int64_t iv;

        *type = FAST_NESTED;
        if (depth >= FAST_DEPTH)
            return NULL;
        p = fast_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (object) {
                if (p >= end || *p != '"' || !(p = fast_string(p, end, &ks, &kn)))
                    return NULL;
                p = fast_ws(p, end);
                if (p >= end || *p != ':')
                    return NULL;
                p = fast_ws(p + 1, end);
            }
            if (!(p = fast_value(p, end, depth + 1, &t, &ks, &kn, &iv)))
                return NULL;
            p = fast_ws(p, end);
            if (p < end && *p == close)
                return p + 1;
            if (p >= end || *p != ',')
                return NULL;
            p = fast_ws(p + 1, end);
        }
    }
    default: {
        int is_int = 0;
        p = fast_number(p, end, &is_int, v);
        *type = is_int ? FAST_INT : FAST_REAL;
        return p;
    }
    }
}

struct response_state {
    const struct errinfo_opts *o;
    FILE *out;
    const char *what;
    unsigned long records;
    int status;
};

/* Returns 1 and fills *b (but for b->line) when p[0..n) is a JSON object
 * the fast path reads exactly as jansson would, else 0. */
static int fast_scan(const char *p, size_t n, struct body *b)
{
    const char *end = p + n, *ks, *s = NULL;
    size_t kn, sn = 0;
    int seen_code = 0, seen_message = 0, seen_id = 0, type = 0;
    int64_t v = 0;

    if (n > FAST_MAX)
        return 0;
    memset(b, 0, sizeof *b);
    p = fast_ws(p, end);
    if (p >= end || *p != '{')
        return 0;
    p = fast_ws(p + 1, end);
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            int key = 0;   /* 1 code, 2 message, 3 requestId */
            if (p >= end || *p != '"' || !(p = fast_string(p, end, &ks, &kn)))
                return 0;
            if (kn == 4 && memcmp(ks, "code", 4) == 0)
                key = 1;
            else if (kn == 7 && memcmp(ks, "message", 7) == 0)
                key = 2;
            else if (kn == 9 && memcmp(ks, "requestId", 9) == 0)
                key = 3;
            p = fast_ws(p, end);
            if (p >= end || *p != ':')
                return 0;
            p = fast_ws(p + 1, end);
            if (!(p = fast_value(p, end, 1, &type, &s, &sn, &v)))
                return 0;
            if (key == 1) {
                if (seen_code++)
                    return 0;
                if (type == FAST_INT) {
                    b->has_code = 1;
                    b->code = v;
                } else if (type == FAST_STRING) {
                    if (sixmm_parse_code(s, sn, &b->code) != 0)
                        return 0;   /* jansson's way reports it */
                    b->has_code = 1;
                } else if (type != FAST_LITERAL_NULL) {
                    return 0;
                }
            } else if (key == 2) {
                if (seen_message++)
                    return 0;
                if (type == FAST_STRING) {
                    b->message = s;
                    b->message_len = sn;
                }
            } else if (key == 3) {
                if (seen_id++)
                    return 0;
                if (type == FAST_STRING) {
                    b->request_id = s;
                    b->request_id_len = sn;
                }
            }
            p = fast_ws(p, end);
            if (p < end && *p == '}') {
                p++;
                break;
            }
            if (p >= end || *p != ',')
                return 0;
            p = fast_ws(p + 1, end);
        }
    }
    return fast_ws(p, end) == end;
}

static void put_json_text(struct errinfo_obuf *out, const char *s)
{
    errinfo_json_put_string(out, s, strlen(s));
}

/* The JSON Lines record of record_json(), written without a tree; byte for
 * byte what errinfo_json_print() writes for it. The texts of the library
 * must not be NULL. Returns 0, or -1 when out of memory. */
static int put_record_json(struct errinfo_obuf *out, const char *mode, const struct body *b,
                           const sixmm_advice *adv, const struct errinfo_opts *o)
{
    OB_LIT(out, "{\"schema_version\":");
    ob_i(out, ERRINFO_JSON_SCHEMA_VERSION);
    OB_LIT(out, ",\"mode\":");
    put_json_text(out, mode);
    OB_LIT(out, ",\"line\":");
    ob_u(out, b->line);
    OB_LIT(out, ",\"request_id\":");
    if (b->request_id)
        errinfo_json_put_string(out, b->request_id, b->request_id_len);
    else
        OB_LIT(out, "null");
    OB_LIT(out, ",\"domain\":");
    put_json_text(out, sixmm_domain_name(o->domain));
    OB_LIT(out, ",\"http_status\":");
    ob_i(out, o->http_status >= 0 ? o->http_status : 200);
    if (o->http_status >= 0)
        OB_LIT(out, ",\"http_status_given\":true,\"idempotent\":");
    else
        OB_LIT(out, ",\"http_status_given\":false,\"idempotent\":");
    if (o->idempotent)
        OB_LIT(out, "true,\"attempt\":");
    else
        OB_LIT(out, "false,\"attempt\":");
    ob_u(out, o->attempt);
    OB_LIT(out, ",\"code\":");
    if (b->has_code)
        ob_i(out, (long long)b->code);
    else
        OB_LIT(out, "null");
    OB_LIT(out, ",\"message\":");
    if (b->message)
        errinfo_json_put_string(out, b->message, b->message_len);
    else
        OB_LIT(out, "null");
    OB_LIT(out, ",\"advice\":{\"action\":");
    put_json_text(out, sixmm_retry_name(adv->action));
    OB_LIT(out, ",\"action_advice\":");
    put_json_text(out, sixmm_retry_advice(adv->action, o->lang));
    if (adv->resend)
        OB_LIT(out, ",\"resend\":true,\"delay_ms\":");
    else
        OB_LIT(out, ",\"resend\":false,\"delay_ms\":");
    ob_i(out, (long long)adv->delay_ms);
    OB_LIT(out, ",\"reason\":");
    put_json_text(out, adv->reason);
    OB_LIT(out, ",\"match\":");
    put_json_text(out, sixmm_match_name(adv->match));
    OB_LIT(out, ",\"entry\":");
    if (errinfo_json_put_entry(out, adv->entry, o->lang) != 0)
        return -1;
    OB_LIT(out, "}}\n");
    return 0;
}

/* Classify and print a body that fast_scan() read. Returns 0, or 2. */
static int fast_response(struct response_state *st, const struct body *b)
{
    const struct errinfo_opts *o = st->o;
    struct errinfo_obuf ob;
    sixmm_advice adv;
    int s;

    obuf_init(&ob, st->out);
    classify(b, o, &adv);
    if (o->json) {
        /* The library's texts are never NULL; were one, json_pack() would
         * fail, so the tree decides then. */
        int rc = sixmm_domain_name(o->domain) && sixmm_retry_name(adv.action) &&
                 sixmm_retry_advice(adv.action, o->lang) && adv.reason &&
                 sixmm_match_name(adv.match)
            ? put_record_json(&ob, "response", b, &adv, o)
            : errinfo_json_print(st->out, record_json("response", b, &adv, o), 1);
        if (rc != 0)
            ob.len = 0;   /* no half record, as jansson's way writes none */
        if (errinfo_obuf_flush(&ob) != 0 || rc != 0) {
            fprintf(o->err, "6mm-errinfo: %s: line %lu: cannot write the JSON record\n",
                    st->what, b->line);
            return 2;
        }
    } else {
        ob_response_text(&ob, b, &adv, o, st->records == 0);
        errinfo_obuf_flush(&ob);
    }
    st->records++;
    s = advice_status(&adv);
    if (s > st->status)
        st->status = s;
    return 0;
}


/* ---- --response ---------------------------------------------------------- */

/* Tracks JSON nesting across lines, so that one value may span several
 * lines (a pretty-printed body) while JSON Lines stay one value a line. */
struct depth_scan {
    long depth;
    int in_string, escape, seen;
};

static void scan(struct depth_scan *s, const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (s->in_string) {
            if (s->escape)
                s->escape = 0;
            else if (c == '\\')
                s->escape = 1;
            else if (c == '"')
                s->in_string = 0;
            continue;
        }
        if (c == '"')
            s->in_string = 1;
        else if (c == '{' || c == '[')
            s->depth++;
        else if (c == '}' || c == ']')
            s->depth--;
        if (c != ' ' && c != '\t' && c != '\r')
            s->seen = 1;
    }
}

/* A value is complete at the end of a line when it has started and is
 * closed; an unterminated string cannot continue on the next line in JSON,
 * so it ends the value too (and the parser reports it). */
static int scan_complete(const struct depth_scan *s)
{
    return s->seen && (s->depth <= 0 || s->in_string);
}


/* Parse, classify and print one JSON value that starts at line `line`.
 * Returns 0 to go on, or 2 to stop. */
static int one_response(struct response_state *st, const char *buf, size_t len,
                        unsigned long line)
{
    const struct errinfo_opts *o = st->o;
    json_error_t jerr;
    json_t *root, *v;
    struct body b;
    sixmm_advice adv;
    int s;

    budget_hit = 0;
    root = json_loadb(buf, len, 0, &jerr);
    if (!root) {
        if (budget_hit)
            fprintf(o->err, "6mm-errinfo: %s: line %lu: the JSON value is too large to "
                            "classify (its parse tree needs more than %zu MiB)\n",
                    st->what, line, ERRINFO_JSON_BUDGET >> 20);
        else
            fprintf(o->err, "6mm-errinfo: %s: line %lu, column %d: invalid JSON: %s\n",
                    st->what, line + (unsigned long)(jerr.line > 0 ? jerr.line - 1 : 0),
                    jerr.column, jerr.text);
        return 2;
    }
    if (!json_is_object(root)) {
        fprintf(o->err, "6mm-errinfo: %s: line %lu: expected a JSON object (a 6MM response "
                        "body), not an array\n", st->what, line);
        json_decref(root);
        return 2;
    }
    memset(&b, 0, sizeof b);
    b.line = line;
    v = json_object_get(root, "code");
    if (json_is_integer(v)) {
        b.has_code = 1;
        b.code = (int64_t)json_integer_value(v);
    } else if (json_is_string(v) &&
               sixmm_parse_code(json_string_value(v), json_string_length(v), &b.code) == 0) {
        b.has_code = 1;   /* "code": "1003", as some proxies rewrite it */
    } else if (v && !json_is_null(v)) {
        fprintf(o->err, "6mm-errinfo: %s: line %lu: \"code\" must be an integer\n",
                st->what, line);
        json_decref(root);
        return 2;
    }
    v = json_object_get(root, "message");
    if (json_is_string(v)) {
        b.message = json_string_value(v);
        b.message_len = json_string_length(v);
    }
    v = json_object_get(root, "requestId");
    if (json_is_string(v)) {
        b.request_id = json_string_value(v);
        b.request_id_len = json_string_length(v);
    }
    classify(&b, o, &adv);
    if (o->json) {
        if (errinfo_json_print(st->out, record_json("response", &b, &adv, o), 1) != 0) {
            fprintf(o->err, "6mm-errinfo: %s: line %lu: cannot write the JSON record\n",
                    st->what, line);
            json_decref(root);
            return 2;
        }
    } else {
        print_response_text(st->out, &b, &adv, o, st->records == 0);
    }
    json_decref(root);
    st->records++;
    s = advice_status(&adv);
    if (s > st->status)
        st->status = s;
    return 0;
}

/* A call with no JSON body (empty, or a gateway's error page): the status
 * alone decides. */
static int status_only(struct response_state *st, unsigned long line, const char *why)
{
    struct body b;
    sixmm_advice adv;

    memset(&b, 0, sizeof b);
    b.line = line;
    classify(&b, st->o, &adv);
    if (st->o->json) {
        if (errinfo_json_print(st->out, record_json("response", &b, &adv, st->o), 1) != 0)
            return 2;
    } else {
        fprintf(st->out, "response at line %lu: %s; classified by the HTTP status\n",
                line, why);
        fprintf(st->out, "  http status:  %d\n", st->o->http_status);
        fprintf(st->out, "  request:      %s, attempt %u\n",
                st->o->idempotent ? "idempotent" : "not idempotent", st->o->attempt);
        print_advice_text(st->out, &adv, st->o);
    }
    return advice_status(&adv);
}

int errinfo_read_responses(FILE *in, FILE *out, const struct errinfo_opts *o)
{
    struct line_reader *r = lr_open(in, out);
    struct response_state st;
    struct depth_scan ds;
    char *rec = NULL;
    size_t rec_len = 0;
    unsigned long rec_line = 0;
    int rc = 0, first_line = 1, started = 0;
    const int http_error = o->http_status == 0 || o->http_status >= 400;

    if (!r) {
        fprintf(o->err, "6mm-errinfo: out of memory\n");
        return 2;
    }
    use_budget();
    memset(&st, 0, sizeof st);
    st.o = o;
    st.out = out;
    st.what = "response";
    memset(&ds, 0, sizeof ds);
    for (;;) {
        int k = lr_next(r);
        const char *p;
        size_t n, bad;

        if (k == LR_EOF)
            break;
        if (k == LR_IOERR) {
            fprintf(o->err, "6mm-errinfo: response: read error after line %lu: %s\n",
                    r->lineno, strerror(r->err));
            rc = 2;
            break;
        }
        if (k == LR_LONG) {
            fprintf(o->err, "6mm-errinfo: response: line %lu is longer than %zu bytes "
                            "(1 MiB); refusing it\n", r->lineno, ERRINFO_MAX_LINE);
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
                rc = status_only(&st, r->lineno, "the body is not JSON");
                lr_close(r);
                return rc;
            }
        }
        if ((bad = errinfo_utf8_valid(p, n)) != n) {
            report_bad_byte(o, "response", r->lineno, p, bad, "");
            rc = 2;
            break;
        }
        if (rec_len == 0) {
            /* ds is clear here: the common line needs no depth scan. */
            struct body fb;
            if (fast_scan(p, n, &fb)) {
                fb.line = r->lineno;
                if ((rc = fast_response(&st, &fb)) != 0)
                    break;
                continue;
            }
        }
        scan(&ds, p, n);
        if (!ds.seen)
            continue;   /* blank lines between values */
        if (rec_len == 0 && scan_complete(&ds)) {
            rc = one_response(&st, p, n, r->lineno);
        } else {
            if (rec_len == 0)
                rec_line = r->lineno;
            if (rec_len + n + 1 > ERRINFO_MAX_LINE) {
                fprintf(o->err, "6mm-errinfo: response: the JSON value that starts at line %lu "
                                "is longer than %zu bytes (1 MiB); refusing it\n",
                        rec_line, ERRINFO_MAX_LINE);
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
            rc = one_response(&st, rec, rec_len, rec_line);
            rec_len = 0;
        }
        memset(&ds, 0, sizeof ds);
        if (rc)
            break;
    }
    if (!rc && rec_len) {
        /* An unfinished value at the end of the input: drop the newline we
         * added, so the parser's error points into the last line. */
        rc = one_response(&st, rec, rec_len - 1, rec_line);
    }
    if (!rc && st.records == 0) {
        if (o->http_status >= 0)
            rc = status_only(&st, r->lineno ? r->lineno : 1, "the body is empty");
        else {
            fprintf(o->err, "6mm-errinfo: response: the input holds no response body "
                            "(give --http STATUS to classify an empty body)\n");
            rc = 2;
        }
        st.status = rc;
    }
    free(rec);
    lr_close(r);
    return rc ? rc : st.status;
}

/* ---- --annotate ----------------------------------------------------------- */

/* Find `"key"` (or `\"key\"`, for a body logged inside a JSON string)
 * followed by a colon in p[0..end). Returns the position after the colon
 * and blanks, or NULL; *escaped tells which form matched. */
static const char *find_key(const char *begin, const char *end, const char *key, int *escaped)
{
    size_t klen = strlen(key);
    const char *p = begin;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p)), *after;
        if (!q)
            return NULL;
        p = q + 1;
        if ((size_t)(end - p) < klen + 1 || memcmp(p, key, klen) != 0)
            continue;
        after = p + klen;
        *escaped = 0;
        if (*after == '\\' && q > begin && q[-1] == '\\') {
            *escaped = 1;
            after++;
            if (after >= end)
                return NULL;
        }
        if (*after != '"')
            continue;
        after++;
        while (after < end && (*after == ' ' || *after == '\t'))
            after++;
        if (after >= end || *after != ':')
            continue;
        after++;
        while (after < end && (*after == ' ' || *after == '\t'))
            after++;
        return after;
    }
    return NULL;
}

/* A string value at p: sets *s and *n (still escaped) and returns 1. */
static int string_value(const char *p, const char *end, int escaped, const char **s, size_t *n)
{
    const char *q;
    if (escaped) {
        if (end - p < 2 || p[0] != '\\' || p[1] != '"')
            return 0;
        p += 2;
    } else {
        if (p >= end || *p != '"')
            return 0;
        p++;
    }
    for (q = p; q < end; q++) {
        if (*q == '\\') {
            if (escaped && q + 1 < end && q[1] == '"') {
                *s = p;
                *n = (size_t)(q - p);
                return 1;
            }
            q++;
            continue;
        }
        if (*q == '"' && !escaped) {
            *s = p;
            *n = (size_t)(q - p);
            return 1;
        }
    }
    return 0;
}

int errinfo_classify_line(const char *buf, size_t len, const struct errinfo_opts *o,
                          struct errinfo_hit *hit)
{
    const char *end = buf + len, *p = buf, *v;
    int escaped;

    while ((v = find_key(p, end, "code", &escaped)) != NULL) {
        const char *d = v;
        int64_t code;
        int quoted = 0;
        size_t nd;

        p = v;
        if (escaped && end - d >= 2 && d[0] == '\\' && d[1] == '"')
            d += 2, quoted = 1;
        else if (!escaped && d < end && *d == '"')
            d++, quoted = 1;
        nd = (d < end && *d == '-') ? 1 : 0;
        while (d + nd < end && d[nd] >= '0' && d[nd] <= '9' && nd < 20)
            nd++;
        if (nd == 0 || (d + nd < end && d[nd] >= '0' && d[nd] <= '9'))
            continue;
        if (quoted && (d + nd >= end || (d[nd] != '"' && d[nd] != '\\')))
            continue;
        if (sixmm_parse_code(d, nd, &code) != 0 || code == 0)
            continue;   /* junk, overflow, or a success body */
        memset(hit, 0, sizeof *hit);
        hit->offset = (size_t)(v - buf);
        hit->code = code;
        if ((v = find_key(buf, end, "message", &escaped)) != NULL)
            string_value(v, end, escaped, &hit->message, &hit->message_len);
        if ((v = find_key(buf, end, "requestId", &escaped)) != NULL)
            string_value(v, end, escaped, &hit->request_id, &hit->request_id_len);
        {
            struct body b;
            memset(&b, 0, sizeof b);
            b.has_code = 1;
            b.code = code;
            b.message = hit->message;
            b.message_len = hit->message_len;
            classify(&b, o, &hit->advice);
        }
        return 1;
    }
    return 0;
}

static void print_annotation(FILE *out, const struct errinfo_hit *h, const struct errinfo_opts *o)
{
    const sixmm_advice *a = &h->advice;
    const sixmm_entry *e = a->entry;

    fprintf(out, "    -- 6MM code %lld", (long long)h->code);
    if (h->message) {
        fputs(", message \"", out);
        put_clean(out, h->message, h->message_len);
        fputc('"', out);
    }
    if (e)
        fprintf(out, ": %s [%s, match %s]: %s\n", sixmm_entry_name(e),
                sixmm_domain_name(sixmm_entry_domain(e)), sixmm_match_name(a->match),
                sixmm_entry_description(e, o->lang));
    else
        fprintf(out, ": not in the catalog [%s, match %s]\n", sixmm_domain_name(o->domain),
                sixmm_match_name(a->match));
    if (!a->resend)
        fprintf(out, "    -- %s, do not resend", sixmm_retry_name(a->action));
    else if (a->delay_ms)
        fprintf(out, "    -- %s, then resend after about %lu ms", sixmm_retry_name(a->action),
                (unsigned long)a->delay_ms);
    else
        fprintf(out, "    -- %s, then resend", sixmm_retry_name(a->action));
    fprintf(out, ": %s", e ? sixmm_entry_remediation(e, o->lang)
                           : sixmm_retry_advice(a->action, o->lang));
    if (h->request_id) {
        fputs(" (requestId ", out);
        put_clean(out, h->request_id, h->request_id_len);
        fputc(')', out);
    }
    fputc('\n', out);
}

int errinfo_annotate(FILE *in, FILE *out, const struct errinfo_opts *o)
{
    struct line_reader *r = lr_open(in, out);
    int status = 0;

    if (!r) {
        fprintf(o->err, "6mm-errinfo: out of memory\n");
        return 2;
    }
    use_budget();
    for (;;) {
        int k = lr_next(r);
        size_t bad;
        struct errinfo_hit hit;

        if (k == LR_EOF)
            break;
        if (k == LR_IOERR) {
            fprintf(o->err, "6mm-errinfo: annotate: read error after line %lu: %s\n",
                    r->lineno, strerror(r->err));
            status = 2;
            break;
        }
        if (k == LR_LONG) {
            if (!o->json)
                fwrite(r->data, 1, r->len, out);
            if (lr_skip_rest(r, o->json ? NULL : out) != 0) {
                fprintf(o->err, "6mm-errinfo: annotate: read error in line %lu: %s\n",
                        r->lineno, strerror(r->err));
                status = 2;
                break;
            }
            if (status != 2)
                fprintf(o->err, "6mm-errinfo: annotate: line %lu is longer than %zu bytes "
                                "(1 MiB); copied without annotation\n",
                        r->lineno, ERRINFO_MAX_LINE);
            status = 2;
            continue;
        }
        if (!o->json) {
            fwrite(r->data, 1, r->len, out);
            if (r->had_newline)
                fputc('\n', out);
        }
        if ((bad = errinfo_utf8_valid(r->data, r->len)) != r->len) {
            if (status != 2)
                report_bad_byte(o, "annotate", r->lineno, r->data, bad,
                                "; copied without annotation");
            status = 2;
            continue;
        }
        if (!errinfo_classify_line(r->data, r->len, o, &hit))
            continue;
        if (o->json) {
            struct body b;
            memset(&b, 0, sizeof b);
            b.line = r->lineno;
            b.has_code = 1;
            b.code = hit.code;
            b.message = hit.message;
            b.message_len = hit.message_len;
            b.request_id = hit.request_id;
            b.request_id_len = hit.request_id_len;
            if (errinfo_json_print(out, record_json("annotate", &b, &hit.advice, o), 1) != 0) {
                status = 2;
                break;
            }
        } else {
            if (!r->had_newline)
                fputc('\n', out);   /* the last line had none */
            print_annotation(out, &hit, o);
        }
    }
    lr_close(r);
    return status;
}
