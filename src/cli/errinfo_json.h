/*
 * errinfo_json.h: the JSON side of 6mm-errinfo's internals (jansson).
 * Kept apart from errinfo_cli.h so that a plain lookup never needs it.
 * The shapes built here are the ones src/cli/6mm-errinfo.schema.json
 * describes; change both together, and only by adding members.
 */
#ifndef SIXMM_ERRINFO_JSON_H
#define SIXMM_ERRINFO_JSON_H

#include <jansson.h>

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

#endif /* SIXMM_ERRINFO_JSON_H */
