/* query.h: 6mm-errinfo QUERY..., --list, --search and --version. */
#ifndef SIXMM_CLI_QUERY_H
#define SIXMM_CLI_QUERY_H

#include <stddef.h>
#include <stdio.h>

#include "opts.h"

/* Answer the queries (codes, names, messages, identifiers, each optionally
 * prefixed with DOMAIN:). */
int errinfo_query(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n);
/* Print the catalog entries that pass the filters of *o. */
int errinfo_list(FILE *out, const struct errinfo_opts *o);
/* Print the entries that hold every word of args (each argument may hold
 * several blank-separated words), best first. */
int errinfo_search(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n);
/* --version. */
int errinfo_version(FILE *out, const struct errinfo_opts *o, const char *tool_version);

#endif
