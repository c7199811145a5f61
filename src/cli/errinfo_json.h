/*
 * errinfo_json.h: the JSON side of 6mm-errinfo's internals (jansson).
 * Kept apart from errinfo_cli.h so that a plain lookup never needs it.
 * The shapes built here are the ones src/cli/6mm-errinfo.schema.json
 * describes; change both together, and only by adding members.
 */
#ifndef SIXMM_ERRINFO_JSON_H
#define SIXMM_ERRINFO_JSON_H

#include <jansson.h>
#include <string.h>

#include "errinfo_cli.h"

/* A JSON string from n bytes of text; invalid UTF-8 and NUL bytes become
 * U+FFFD, so the result is never NULL for lack of validity. */
json_t *errinfo_json_text(const char *s, size_t n);

/* The "entry" object of the schema, or JSON null for NULL. */
json_t *errinfo_json_entry(const sixmm_entry *e, sixmm_lang lang);

/* {"version": ..., "digest": ...} */
json_t *errinfo_json_catalog(void);

/* The envelope of a one-document mode: schema_version, mode, catalog,
 * lang; the caller adds "results". */
json_t *errinfo_json_document(const char *mode, sixmm_lang lang);

/* Print a document (indented) or a JSON Lines record (compact, one line).
 * Takes the reference. Returns 0, or -1 on a write or memory error. */
int errinfo_json_print(FILE *out, json_t *doc, int one_line);

/* ---- One write per record ----------------------------------------------- */

/* A record of --response is put together here and handed to stdio in one
 * fwrite: a call into stdio for each piece costs more than the pieces. */
struct errinfo_obuf {
    FILE *out;
    int bad;              /* a write to out failed */
    size_t len;
    char buf[16384];
};

/* Hand what is buffered to out. Returns 0, or -1 when any write of this
 * buffer failed. */
int errinfo_obuf_flush(struct errinfo_obuf *b);
void errinfo_obuf_write(struct errinfo_obuf *b, const char *s, size_t n);

static inline void errinfo_obuf_put(struct errinfo_obuf *b, const char *s, size_t n)
{
    if (n <= sizeof b->buf - b->len) {
        memcpy(b->buf + b->len, s, n);
        b->len += n;
    } else {
        errinfo_obuf_write(b, s, n);
    }
}

/* The pieces of a JSON Lines record written without a tree, byte for byte
 * what json_dumps(..., JSON_COMPACT) writes for the same values (the
 * --response fast path; tests/cli/test_cli.py compares the two). */
/* A string; s[0..n) must be valid UTF-8 without NUL bytes. */
void errinfo_json_put_string(struct errinfo_obuf *b, const char *s, size_t n);
/* errinfo_json_entry(e, lang), made once per entry and language, or null.
 * Returns 0, or -1 when out of memory. */
int errinfo_json_put_entry(struct errinfo_obuf *b, const sixmm_entry *e, sixmm_lang lang);

#endif /* SIXMM_ERRINFO_JSON_H */
