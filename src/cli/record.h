/*
 * record.h: a classified body, and the one text writer and the one JSON
 * writer for it, which --response and --annotate both use. The JSON record
 * is the "record" shape of src/cli/6mm-errinfo.schema.json.
 */
#ifndef SIXMM_CLI_RECORD_H
#define SIXMM_CLI_RECORD_H

#include <sixmm/errinfo.h>

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"
#include "stream.h"

struct errinfo_record {
    const char *mode;             /* "response" or "annotate" */
    unsigned long line;           /* where the body starts */
    int has_code;
    int64_t code;
    const char *message;          /* valid UTF-8 (NUL bytes allowed), or NULL */
    size_t message_len;
    const char *request_id;       /* the same, or NULL */
    size_t request_id_len;
    const char *no_body;          /* classified by the status alone: why, else NULL */
    int json_safe;                /* message and request_id need no escaping in JSON */
    /* Filled by errinfo_record_classify(): */
    sixmm_advice advice;          /* delay_ms drawn from the stream's random source */
    uint32_t delay_max_ms;        /* the top of that draw's range, [0, delay_max_ms] */
    const sixmm_entry *elsewhere; /* an unknown code documented in another domain */
};

/* Classify r with the stream's options (domain, --http, idempotency,
 * attempt). Blanks around the message are ignored for the lookup. */
void errinfo_record_classify(struct errinfo_record *r, struct errinfo_stream *s);

/* The JSON Lines record, with its newline. Returns 0, or -1 when out of
 * memory (then nothing is added to b). */
int errinfo_record_json(struct errinfo_obuf *b, const struct errinfo_record *r,
                        struct errinfo_stream *s);

/* The text of --response: a block of labelled lines, a blank line before
 * every record but the first of the run. */
void errinfo_record_text(struct errinfo_obuf *b, const struct errinfo_record *r,
                         const struct errinfo_stream *s);

/* The text of --annotate: two lines that start with "    -- ". */
void errinfo_record_note(struct errinfo_obuf *b, const struct errinfo_record *r,
                         const struct errinfo_stream *s);

#endif
