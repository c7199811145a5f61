/* response.h: --response, the classification of response bodies. */
#ifndef SIXMM_CLI_RESPONSE_H
#define SIXMM_CLI_RESPONSE_H

#include <stdio.h>

#include "stream.h"

/* Read one JSON object, or a stream of them (JSON Lines, or values that
 * span lines), from `in` and write a record for each body to s->out.
 * Memory stays bounded (ERRINFO_MAX_LINE per value plus the parse budget of
 * jsonbudget.h). Returns the exit status of this input. */
int errinfo_read_responses(struct errinfo_stream *s, FILE *in);

#endif
