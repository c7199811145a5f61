/*
 * errinfo_json.h: the JSON side of 6mm-errinfo (jansson). Kept apart so
 * that a plain lookup never needs it. The shapes built here are the ones
 * src/cli/6mm-errinfo.schema.json describes; change both together, and only
 * by adding members.
 */
#ifndef SIXMM_CLI_ERRINFO_JSON_H
#define SIXMM_CLI_ERRINFO_JSON_H

#include <sixmm/errinfo.h>

#include <jansson.h>
#include <stdio.h>

#include "outbuf.h"

/* The schema_version of every JSON document; bumped only on an incompatible
 * change (members are only ever added). */
#define ERRINFO_JSON_SCHEMA_VERSION 2

/* A JSON string from n bytes of text; invalid UTF-8 and NUL bytes become
 * U+FFFD, so the result is never NULL for lack of validity. */
json_t *errinfo_json_text(const char *s, size_t n);

/* The "entry" object of the schema with every member, or JSON null for
 * NULL. */
json_t *errinfo_json_entry(const sixmm_entry *e, sixmm_lang lang);

/* {"version": ..., "digest": ...} */
json_t *errinfo_json_catalog(void);

/* The envelope of a one-document mode: schema_version, mode, catalog,
 * lang; the caller adds "results". */
json_t *errinfo_json_document(const char *mode, sixmm_lang lang);

/* Print a document (indented) or a JSON Lines record (compact, one line).
 * Takes the reference. Returns 0, or -1 on a write or memory error. */
int errinfo_json_print(FILE *out, json_t *doc, int one_line);

/* Set doc's "results" to results and print doc, indented. Takes both
 * references. Returns 0, or -1 on a write or memory error. */
int errinfo_json_finish(FILE *out, json_t *doc, json_t *results);

/* The compact text of the entry object, or null, into b: with full, all of
 * errinfo_json_entry(e, lang); else its identity (domain, key, name,
 * category, retry class, http_status), what a stream's record carries.
 * Made once per entry, language and shape and kept. Returns 0, or -1 when
 * out of memory. */
int errinfo_json_put_entry(struct errinfo_obuf *b, const sixmm_entry *e, sixmm_lang lang,
                           int full);

#endif
