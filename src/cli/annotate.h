/* annotate.h: --annotate, a log copied through with explanations. */
#ifndef SIXMM_CLI_ANNOTATE_H
#define SIXMM_CLI_ANNOTATE_H

#include <stdio.h>

#include "stream.h"

/* Copy `in` to s->out unchanged, adding an indented explanation after each
 * line that carries a 6MM error (or, with --json, write only a record for
 * each such line). With s->name, every line written starts with "NAME:",
 * as grep -H does. Bad lines (NUL bytes, invalid UTF-8, longer than
 * ERRINFO_MAX_LINE) are still copied, reported once on o->err, and make the
 * status 2. Returns the exit status of this input: 2 for bad lines, else 0
 * (an unknown code is annotated, not an error). */
int errinfo_annotate(struct errinfo_stream *s, FILE *in);

#endif
