/* query.h: 6mm-errinfo QUERY... and --version. */
#ifndef SIXMM_CLI_QUERY_H
#define SIXMM_CLI_QUERY_H

#include <stddef.h>
#include <stdio.h>

#include "opts.h"

/* Answer the queries (codes, names, messages, identifiers, each optionally
 * prefixed with DOMAIN:). */
int errinfo_query(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n);
/* --version. */
int errinfo_version(FILE *out, const struct errinfo_opts *o, const char *tool_version);

#endif
