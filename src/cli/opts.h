/*
 * opts.h: the options of 6mm-errinfo that its modes read.
 *
 * Every mode writes its normal output to its stream and its diagnostics to
 * o->err, and returns an exit status: 0 (every answer came from the
 * catalog, match exact or range), 1 (a fallback: match class or unknown, or
 * nothing matched) or 2 (usage or input error). None of them exits.
 */
#ifndef SIXMM_CLI_OPTS_H
#define SIXMM_CLI_OPTS_H

#include <sixmm/errinfo.h>

#include <stdint.h>
#include <stdio.h>

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
    int seed_set;          /* --seed given: reproducible delay_ms */
    uint64_t seed;
    int found;             /* --found, a sixmm_found; -1 when not given */
    int signed_at_set, now_set;
    uint64_t signed_at_ms; /* --signed-at */
    uint64_t now_ms;       /* --now */
    uint32_t clock_error_ms;   /* --clock-error; default SIXMM_CLOCK_ERROR_UNKNOWN */
    int full;              /* --full: stream records carry the whole entry */
    int ascii;             /* text in ASCII only: the locale's charset is not UTF-8 */
    FILE *err;             /* diagnostics; stderr in the tool */
};

/* Fill *o with the defaults above (err = stderr). */
void errinfo_opts_init(struct errinfo_opts *o);

/* The status of an answer with match m: 0 for exact, range or
 * description, else 1. */
int errinfo_match_status(sixmm_match m);

/* Parse a domain name in any case ("AGENT", "agent"). Returns 0 and sets
 * *out, or -1 and writes the one wording of the error into buf:
 * "unknown domain 'X'; known: rest, agent, widget". */
int errinfo_parse_domain(const char *name, size_t len, sixmm_domain *out, char *buf,
                         size_t size);

/* The range sign of the text output: an en dash, or '-' in ASCII. */
const char *errinfo_dash(const struct errinfo_opts *o);

#endif
