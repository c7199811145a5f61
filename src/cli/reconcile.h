/* reconcile.h: --reconcile, the step after a call whose outcome is unknown. */
#ifndef SIXMM_CLI_RECONCILE_H
#define SIXMM_CLI_RECONCILE_H

#include <stdio.h>

#include "opts.h"

/* Ask sixmm_reconcile() with o's --found, --signed-at, --now, --clock-error,
 * --attempt and --domain, and print the step. Returns 0 for done, poll or
 * resend, 1 for escalate, 2 when the output cannot be written. */
int errinfo_reconcile(FILE *out, const struct errinfo_opts *o);

#endif
