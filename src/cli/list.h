/* list.h: 6mm-errinfo --list and --search. */
#ifndef SIXMM_CLI_LIST_H
#define SIXMM_CLI_LIST_H

#include <stddef.h>
#include <stdio.h>

#include "opts.h"

/* Print the catalog entries that pass the filters of *o. */
int errinfo_list(FILE *out, const struct errinfo_opts *o);
/* Print the entries that hold every word of args (each argument may hold
 * several blank-separated words), best first. */
int errinfo_search(FILE *out, const struct errinfo_opts *o, char *const *args, size_t n);

#endif
