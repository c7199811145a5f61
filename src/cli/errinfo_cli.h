/*
 * errinfo_cli.h: the internals of 6mm-errinfo, shared by main.c and the
 * sixmm_cli_core library (which a fuzzer links too).
 *
 * Every function writes its normal output to `out` and its diagnostics to
 * o->err, and returns an exit status: 0 (every answer came from the catalog,
 * match exact or range), 1 (a fallback: match class or unknown, or nothing
 * matched) or 2 (usage or input error). None of them exits or aborts.
 */
#ifndef SIXMM_ERRINFO_CLI_H
#define SIXMM_ERRINFO_CLI_H

#include <sixmm/errinfo.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The longest input line (and the longest JSON record) the readers accept. */
#define ERRINFO_MAX_LINE ((size_t)1 << 20)

/* The schema_version of every JSON document; bumped only on an incompatible
 * change (members are only ever added). */
#define ERRINFO_JSON_SCHEMA_VERSION 1

struct errinfo_opts {
    sixmm_lang lang;
    int json;              /* nonzero: JSON output */
    int domain_set;        /* nonzero when --domain was given */
    sixmm_domain domain;   /* SIXMM_DOMAIN_REST unless --domain */
    int category;          /* filter for --list/--search; -1 for any */
    int retry;             /* filter for --list/--search; -1 for any */
    int http_status;       /* --http; -1 when not given */
    int idempotent;        /* --idempotent; default 0 (assume the worst) */
    unsigned attempt;      /* --attempt; default 1 */
    FILE *err;             /* diagnostics; stderr in the tool */
};

/* Fill *o with the defaults above (err = stderr). */
void errinfo_opts_init(struct errinfo_opts *o);

/* ---- Queries, --list, --search (query.c) -------------------------------- */

/* Answer the queries (codes, names, messages, identifiers, each optionally
 * prefixed with DOMAIN:). */
int errinfo_query(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n);
/* Print the catalog entries that pass the filters of *o. */
int errinfo_list(FILE *out, const struct errinfo_opts *o);
/* Print the entries whose text contains every word of args (each argument
 * may hold several blank-separated words). */
int errinfo_search(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n);
/* --version. */
int errinfo_version(FILE *out, const struct errinfo_opts *o, const char *tool_version);

/* ---- Reading responses and logs (reader.c) ------------------------------ */

/* What errinfo_classify_line() found in one line of text. Pointers point
 * into the caller's buffer; `message` is still JSON-escaped (the catalog's
 * messages contain no escapes, so a raw compare is exact for them). */
struct errinfo_hit {
    size_t offset;              /* where the "code" key starts */
    int64_t code;
    const char *message;        /* NULL when the line has no "message" */
    size_t message_len;
    const char *request_id;     /* NULL when the line has no "requestId" */
    size_t request_id_len;
    sixmm_advice advice;        /* the library's decision for it */
};

/* Look for a 6MM error body, or a "code":NNNN pair, in buf[0..len) (no
 * terminator needed; NULs allowed) and classify it with the options of *o
 * (domain, --http, idempotency, attempt). Pure: no I/O, no allocation.
 * Returns 1 and fills *hit when a non-zero code was found, else 0. */
int errinfo_classify_line(const char *buf, size_t len, const struct errinfo_opts *o,
                          struct errinfo_hit *hit);

/* --response: read one JSON object or a stream of JSON Lines from `in`;
 * print the classification and advice of each body to `out`. Memory stays
 * bounded (ERRINFO_MAX_LINE per record plus a fixed parse budget). */
int errinfo_read_responses(FILE *in, FILE *out, const struct errinfo_opts *o);

/* --annotate: copy `in` to `out` unchanged, adding an indented explanation
 * after each line that carries a 6MM error. Bad lines (NUL bytes, invalid
 * UTF-8, longer than ERRINFO_MAX_LINE) are still copied, reported once on
 * o->err, and make the status 2. */
int errinfo_annotate(FILE *in, FILE *out, const struct errinfo_opts *o);

/* ---- Shared helpers (output.c) ------------------------------------------ */

/* Length of the valid UTF-8 prefix of s[0..n) that contains no NUL byte;
 * equals n when all of it is valid. */
size_t errinfo_utf8_valid(const char *s, size_t n);

/* Print the text card of an entry (indented two spaces) after its header. */
void errinfo_print_entry_body(FILE *out, const sixmm_entry *e, sixmm_match m, sixmm_lang lang);

#endif /* SIXMM_ERRINFO_CLI_H */
