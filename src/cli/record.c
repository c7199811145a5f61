/*
 * record.c: see record.h. Both writers put the record together in an
 * errinfo_obuf; the texts of catalog entries (the card under a response,
 * the entry object of a JSON record) are made once and kept.
 */
#define _POSIX_C_SOURCE 200809L

#include "record.h"
#include "card.h"
#include "errinfo_json.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LIT ERRINFO_OB_LIT

void errinfo_record_classify(struct errinfo_record *r, struct errinfo_stream *s)
{
    const struct errinfo_opts *o = s->o;
    sixmm_call call;
    sixmm_advice edge;
    const char *m = r->message;
    size_t n = r->message_len;

    while (n && (*m == ' ' || *m == '\t' || *m == '\r'))
        m++, n--;
    while (n && (m[n - 1] == ' ' || m[n - 1] == '\t' || m[n - 1] == '\r'))
        n--;
    memset(&call, 0, sizeof call);
    call.domain = o->domain;
    /* A body arrived, so the connection did not time out: without --http,
     * assume 200 and let the body's code decide. */
    call.http_status = o->http_status >= 0 ? o->http_status : 200;
    call.has_code = r->has_code;
    call.code = r->code;
    call.message = m;
    call.message_len = n;
    call.idempotent = o->idempotent;
    call.attempt = o->attempt;
    sixmm_classify(&call, errinfo_stream_random(s), &r->advice);
    /* The jitter is full (the range starts at 0) and grows with the random
     * input: its top is the advice for the largest one. No resend, no wait. */
    r->delay_max_ms = 0;
    if (r->advice.resend && sixmm_classify(&call, UINT32_MAX, &edge) == 0)
        r->delay_max_ms = edge.delay_ms;
    r->elsewhere = NULL;
    if (r->advice.match == SIXMM_MATCH_UNKNOWN && r->has_code && r->code != 0)
        r->elsewhere = errinfo_other_domain(o->domain, r->code);
}

/* ---- JSON ---------------------------------------------------------------- */

/* A JSON string of text that may hold invalid UTF-8 (a file name): each bad
 * byte becomes U+FFFD; a NUL byte is \u0000. */
static void put_text(struct errinfo_obuf *b, const char *s, size_t n)
{
    size_t i = 0;
    LIT(b, "\"");
    while (i < n) {
        size_t k = errinfo_utf8_valid(s + i, n - i);
        errinfo_ob_json_chars(b, s + i, k);
        i += k;
        if (i < n) {
            if (s[i] == '\0')
                LIT(b, "\\u0000");
            else
                LIT(b, "\xEF\xBF\xBD");
            i++;
        }
    }
    LIT(b, "\"");
}

static void put_call_members(struct errinfo_obuf *b, const struct errinfo_opts *o)
{
    LIT(b, ",\"domain\":");
    errinfo_ob_json_string(b, sixmm_domain_name(o->domain), strlen(sixmm_domain_name(o->domain)));
    LIT(b, ",\"http_status\":");
    errinfo_ob_i(b, o->http_status >= 0 ? o->http_status : 200);
    if (o->http_status >= 0)
        LIT(b, ",\"http_status_given\":true,\"idempotent\":");
    else
        LIT(b, ",\"http_status_given\":false,\"idempotent\":");
    if (o->idempotent)
        LIT(b, "true,\"attempt\":");
    else
        LIT(b, "false,\"attempt\":");
    errinfo_ob_u(b, o->attempt);
}

/* A member of the body: valid UTF-8 by record.h's contract; copied as it
 * is when the record says that it needs no escaping. */
static void put_opt_text(struct errinfo_obuf *b, const char *s, size_t n, int safe)
{
    if (s && safe) {
        LIT(b, "\"");
        errinfo_obuf_put(b, s, n);
        LIT(b, "\"");
    } else if (s) {
        errinfo_ob_json_string(b, s, n);
    } else {
        LIT(b, "null");
    }
}

/* A text of the library (a name, an advice sentence, a reason): static, so
 * its JSON form is made once and kept, in a bounded table keyed by the
 * pointer (open addressing); were the table full, a text would be escaped
 * each time. */
#define LIB_SLOTS 1024

static struct lib_text {
    const char *s;
    char *json;
    size_t len;
} lib_texts[LIB_SLOTS];

static int lib_text_make(struct lib_text *t, const char *s)
{
    size_t n = strlen(s);
    struct errinfo_obuf *tmp;
    /* Escaping at most sextuples a text: it then fits the buffer, which is
     * never flushed (its stream is NULL). */
    if (n >= (sizeof tmp->buf - 2) / 6 || !(tmp = malloc(sizeof *tmp)))
        return -1;
    errinfo_obuf_init(tmp, NULL);
    errinfo_ob_json_string(tmp, s, n);
    if ((t->json = malloc(tmp->len)) != NULL) {
        memcpy(t->json, tmp->buf, tmp->len);
        t->len = tmp->len;
        t->s = s;
    }
    free(tmp);
    return t->json ? 0 : -1;
}

static void put_name(struct errinfo_obuf *b, const char *s)
{
    size_t h = ((uintptr_t)s >> 3) % LIB_SLOTS, i;
    for (i = 0; i < LIB_SLOTS; i++) {
        struct lib_text *t = &lib_texts[(h + i) % LIB_SLOTS];
        if (t->s == s || (!t->s && lib_text_make(t, s) == 0)) {
            errinfo_obuf_put(b, t->json, t->len);
            return;
        }
        if (!t->s)
            break;
    }
    errinfo_ob_json_string(b, s, strlen(s));
}

/* The members that come from the options, from "domain" to "attempt" (with
 * --full): the same for every record of a run, so kept in the stream once
 * made. */
static void put_call(struct errinfo_obuf *b, struct errinfo_stream *s)
{
    size_t start = b->len;
    if (s->call_len) {
        errinfo_obuf_put(b, s->call, s->call_len);
        return;
    }
    put_call_members(b, s->o);
    if (b->len > start && b->len - start <= sizeof s->call) {
        s->call_len = b->len - start;
        memcpy(s->call, b->buf + start, s->call_len);
    }
}

/* Drop what the record added to b since start, when nothing was flushed
 * since (a record that cannot be finished leaves nothing behind). */
static void undo(struct errinfo_obuf *b, size_t start)
{
    if (b->len >= start) {
        b->len = start;
        while (b->nref && b->ref[b->nref - 1].at > start)
            b->nref--;
    }
}

/* The advice object: its identity, and with --full the texts. */
static int put_advice(struct errinfo_obuf *b, const struct errinfo_record *r,
                      const struct errinfo_opts *o)
{
    const sixmm_advice *adv = &r->advice;

    LIT(b, ",\"advice\":{\"action\":");
    put_name(b, sixmm_retry_name(adv->action));
    /* The waits mean something only with a resend. */
    if (adv->resend || o->full) {
        if (adv->resend)
            LIT(b, ",\"resend\":true,\"delay_ms\":");
        else
            LIT(b, ",\"resend\":false,\"delay_ms\":");
        errinfo_ob_u(b, adv->delay_ms);
        LIT(b, ",\"delay_max_ms\":");
        errinfo_ob_u(b, r->delay_max_ms);
    } else {
        LIT(b, ",\"resend\":false");
    }
    LIT(b, ",\"match\":");
    put_name(b, sixmm_match_name(adv->match));
    if (adv->entry || o->full) {
        LIT(b, ",\"entry\":");
        if (errinfo_json_put_entry(b, adv->entry, o->lang, o->full) != 0)
            return -1;
    }
    if (o->full) {
        LIT(b, ",\"action_advice\":");
        put_name(b, sixmm_retry_advice(adv->action, o->lang));
        LIT(b, ",\"reason\":");
        put_name(b, adv->reason);
    }
    LIT(b, "}");
    return 0;
}

int errinfo_record_json(struct errinfo_obuf *b, const struct errinfo_record *r,
                        struct errinfo_stream *s)
{
    const struct errinfo_opts *o = s->o;
    size_t start = b->len;

    LIT(b, "{\"schema_version\":");
    errinfo_ob_i(b, ERRINFO_JSON_SCHEMA_VERSION);
    if (o->full) {   /* the caller knows the mode it ran */
        LIT(b, ",\"mode\":");
        put_name(b, r->mode);
    }
    if (s->name) {
        LIT(b, ",\"file\":");
        put_text(b, s->name, strlen(s->name));
    }
    LIT(b, ",\"line\":");
    errinfo_ob_u(b, r->line);
    /* A stream leaves out the members that would be null (jq reads null
     * for them all the same); --full writes every one. */
    if (r->request_id || o->full) {
        LIT(b, ",\"request_id\":");
        put_opt_text(b, r->request_id, r->request_id_len, r->json_safe);
    }
    if (r->has_code) {
        LIT(b, ",\"code\":");
        errinfo_ob_i(b, (long long)r->code);
    } else if (o->full) {
        LIT(b, ",\"code\":null");
    }
    if (r->message || o->full) {
        LIT(b, ",\"message\":");
        put_opt_text(b, r->message, r->message_len, r->json_safe);
    }
    if (put_advice(b, r, o) != 0) {
        undo(b, start);
        return -1;
    }
    /* Another domain's entry for an unknown code: its identity. */
    if (r->elsewhere) {
        LIT(b, ",\"elsewhere\":");
        if (errinfo_json_put_entry(b, r->elsewhere, o->lang, 0) != 0) {
            undo(b, start);
            return -1;
        }
    } else if (o->full) {
        LIT(b, ",\"elsewhere\":null");
    }
    if (o->full)
        put_call(b, s);
    LIT(b, "}\n");
    return 0;
}

/* ---- Text ---------------------------------------------------------------- */

/* The range of the suggested wait: "0–200 ms (full jitter)". */
static void put_delay(struct errinfo_obuf *b, const struct errinfo_record *r,
                      const struct errinfo_opts *o)
{
    LIT(b, "0");
    errinfo_ob_s(b, errinfo_dash(o));
    errinfo_ob_u(b, r->delay_max_ms);
    LIT(b, " ms (full jitter)");
}

/* "; agent:6905 is QUOTA_EXHAUSTED (try --domain agent)" */
static void put_elsewhere(struct errinfo_obuf *b, const struct errinfo_record *r)
{
    const char *d = sixmm_domain_name(sixmm_entry_domain(r->elsewhere));
    LIT(b, "; ");
    errinfo_ob_s(b, d);
    LIT(b, ":");
    errinfo_ob_i(b, (long long)r->code);
    LIT(b, " is ");
    errinfo_ob_s(b, sixmm_entry_name(r->elsewhere));
    LIT(b, " (try --domain ");
    errinfo_ob_s(b, d);
    LIT(b, ")");
}

/* The "decided by" line and the card of an entry, as printed under a
 * response, made once per entry, match, language and advice choice (a
 * stream names few) and kept for the life of the process in a bounded
 * table; were it ever full, or out of memory, the card is printed directly. */
#define CARD_SLOTS 4096

static struct card_text {
    const sixmm_entry *e;
    sixmm_match match;
    sixmm_lang lang;
    int omit;
    char *text;
    size_t len;
} card_texts[CARD_SLOTS];

static void print_card(FILE *out, const sixmm_entry *e, sixmm_match m, sixmm_lang lang, int omit)
{
    fprintf(out, "  decided by:   %s  %s  [%s]\n", sixmm_entry_key(e), sixmm_entry_name(e),
            sixmm_domain_name(sixmm_entry_domain(e)));
    errinfo_print_entry_body(out, e, m, lang, omit);
}

static void put_card(struct errinfo_obuf *out, const sixmm_entry *e, sixmm_match m,
                     sixmm_lang lang, int omit)
{
    size_t h = (((size_t)(uintptr_t)e >> 4) * 31u + (size_t)m * 7u + (size_t)lang * 2u +
                (size_t)omit) % CARD_SLOTS;
    size_t i;

    for (i = 0; i < CARD_SLOTS; i++) {
        struct card_text *t = &card_texts[(h + i) % CARD_SLOTS];
        if (t->e == e && t->match == m && t->lang == lang && t->omit == omit) {
            errinfo_obuf_ref(out, t->text, t->len);   /* kept for the process */
            return;
        }
        if (!t->e) {
            char *text = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&text, &len);
            if (!mem)
                break;
            print_card(mem, e, m, lang, omit);
            if (fclose(mem) != 0 || !text) {
                free(text);
                break;
            }
            t->e = e;
            t->match = m;
            t->lang = lang;
            t->omit = omit;
            t->text = text;
            t->len = len;
            errinfo_obuf_ref(out, text, len);
            return;
        }
    }
    errinfo_obuf_flush(out);
    print_card(out->out, e, m, lang, omit);
}

static void put_where(struct errinfo_obuf *b, const struct errinfo_record *r,
                      const struct errinfo_stream *s)
{
    if (s->name) {
        errinfo_ob_clean(b, s->name, strlen(s->name));
        LIT(b, ":");
    } else {
        LIT(b, "line ");
    }
    errinfo_ob_u(b, r->line);
}

void errinfo_record_text(struct errinfo_obuf *b, const struct errinfo_record *r,
                         const struct errinfo_stream *s)
{
    const struct errinfo_opts *o = s->o;
    const sixmm_advice *adv = &r->advice;

    if (s->records)
        LIT(b, "\n");
    LIT(b, "response at ");
    put_where(b, r, s);
    if (r->no_body) {
        LIT(b, ": ");
        errinfo_ob_s(b, r->no_body);
        LIT(b, "; classified by the HTTP status");
    } else if (r->request_id) {
        LIT(b, "  requestId: ");
        errinfo_ob_clean(b, r->request_id, r->request_id_len);
    }
    LIT(b, "\n  request:      http ");
    if (o->http_status >= 0) {
        errinfo_ob_i(b, o->http_status);
        if (o->http_status == 0)
            LIT(b, " (no response)");
    } else {
        LIT(b, "200 (assumed; give --http)");
    }
    if (o->idempotent)
        LIT(b, ", idempotent, attempt ");
    else
        LIT(b, ", not idempotent, attempt ");
    errinfo_ob_u(b, o->attempt);
    LIT(b, "\n");
    if (!r->no_body) {
        if (r->has_code) {
            LIT(b, "  code:         ");
            errinfo_ob_i(b, (long long)r->code);
            if (r->elsewhere)
                put_elsewhere(b, r);
            LIT(b, "\n");
        } else {
            LIT(b, "  code:         none in the body\n");
        }
        if (r->message) {
            LIT(b, "  message:      ");
            errinfo_ob_clean(b, r->message, r->message_len);
            LIT(b, "\n");
        }
    }
    LIT(b, "  action:       ");
    errinfo_ob_s(b, sixmm_retry_name(adv->action));
    LIT(b, "\n                ");
    errinfo_ob_s(b, sixmm_retry_advice(adv->action, o->lang));
    if (adv->resend && r->delay_max_ms) {
        LIT(b, "\n  resend:       yes, after the action; wait ");
        put_delay(b, r, s->o);
        LIT(b, ", then send attempt ");
        errinfo_ob_u(b, o->attempt + 1ull);
        LIT(b, "\n");
    } else if (adv->resend) {
        LIT(b, "\n  resend:       yes, after the action (attempt ");
        errinfo_ob_u(b, o->attempt + 1ull);
        LIT(b, ")\n");
    } else {
        LIT(b, "\n  resend:       no\n");
    }
    LIT(b, "  reason:       ");
    errinfo_ob_s(b, adv->reason);
    LIT(b, "\n");
    if (adv->entry) {
        put_card(b, adv->entry, adv->match, o->lang, sixmm_entry_retry(adv->entry) == adv->action);
    } else {
        LIT(b, "  decided by:   the HTTP status (match: ");
        errinfo_ob_s(b, sixmm_match_name(adv->match));
        LIT(b, ")\n");
    }
}

void errinfo_record_note(struct errinfo_obuf *b, const struct errinfo_record *r,
                         const struct errinfo_stream *s)
{
    const struct errinfo_opts *o = s->o;
    const sixmm_advice *a = &r->advice;
    const sixmm_entry *e = a->entry;

    if (s->name) {
        errinfo_ob_clean(b, s->name, strlen(s->name));
        LIT(b, ":");
    }
    LIT(b, "    -- 6MM code ");
    errinfo_ob_i(b, (long long)r->code);
    if (r->message) {
        LIT(b, ", message \"");
        errinfo_ob_clean(b, r->message, r->message_len);
        LIT(b, "\"");
    }
    if (e) {
        LIT(b, ": ");
        errinfo_ob_s(b, sixmm_entry_name(e));
        LIT(b, " [");
        errinfo_ob_s(b, sixmm_domain_name(sixmm_entry_domain(e)));
        LIT(b, ", match ");
        errinfo_ob_s(b, sixmm_match_name(a->match));
        LIT(b, "]: ");
        errinfo_ob_s(b, sixmm_entry_description(e, o->lang));
    } else {
        LIT(b, ": not in the catalog [");
        errinfo_ob_s(b, sixmm_domain_name(o->domain));
        LIT(b, ", match ");
        errinfo_ob_s(b, sixmm_match_name(a->match));
        LIT(b, "]");
        if (r->elsewhere)
            put_elsewhere(b, r);
    }
    LIT(b, "\n");
    if (s->name) {
        errinfo_ob_clean(b, s->name, strlen(s->name));
        LIT(b, ":");
    }
    LIT(b, "    -- ");
    errinfo_ob_s(b, sixmm_retry_name(a->action));
    if (!a->resend) {
        LIT(b, ", do not resend");
    } else if (r->delay_max_ms) {
        LIT(b, ", then resend after ");
        put_delay(b, r, s->o);
    } else {
        LIT(b, ", then resend");
    }
    LIT(b, ": ");
    errinfo_ob_s(b, e ? sixmm_entry_remediation(e, o->lang) : sixmm_retry_advice(a->action, o->lang));
    if (r->request_id) {
        LIT(b, " (requestId ");
        errinfo_ob_clean(b, r->request_id, r->request_id_len);
        LIT(b, ")");
    }
    LIT(b, "\n");
}
