/*
 * jsonbudget.h: jansson under an allocation budget. A pathological 1 MiB
 * line of tiny values would otherwise build a parse tree twenty times its
 * size; a real body needs a few KiB, a 1 MiB string value about 2.5 MiB
 * while the parser grows its buffer.
 */
#ifndef SIXMM_CLI_JSONBUDGET_H
#define SIXMM_CLI_JSONBUDGET_H

#include <stddef.h>

/* jansson's live allocations stay under this, counted with a malloc's
 * overhead. */
#define ERRINFO_JSON_BUDGET ((size_t)4 << 20)

/* Route jansson's allocations through the budget (once per process). */
void errinfo_json_budget_use(void);
/* Forget an earlier refusal; call before each parse. */
void errinfo_json_budget_clear(void);
/* Nonzero when an allocation was refused since the last clear. */
int errinfo_json_budget_hit(void);

#endif
