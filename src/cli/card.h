/* card.h: the text card of a catalog entry, as queries and --response print it. */
#ifndef SIXMM_CLI_CARD_H
#define SIXMM_CLI_CARD_H

#include <sixmm/errinfo.h>

#include <stdio.h>

/* The card's lines (indented two spaces) that follow its header. With
 * omit_advice, the retry class's advice sentence is left out (the caller
 * printed it already). */
void errinfo_print_entry_body(FILE *out, const sixmm_entry *e, sixmm_match m, sixmm_lang lang,
                              int omit_advice);

/* A code that is unknown in `domain` but documented in another domain:
 * that entry (the first other domain that documents it), else NULL. */
const sixmm_entry *errinfo_other_domain(sixmm_domain domain, int64_t code);

#endif
