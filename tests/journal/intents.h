/* intents.h: intents for the journal's tests, made the same way on every
 * call: a fresh one (to send), and a finished one (placed and answered with
 * success), each stamped with a number so that two of them differ. */
#ifndef JOURNAL_TEST_INTENTS_H
#define JOURNAL_TEST_INTENTS_H

#include <stddef.h>
#include <stdint.h>

#include <sixmm/errinfo.h>

/* An intent started at server time BASE + stamp; finished when done != 0.
 * Returns 0, or -1 when the machine did not go where the test expects. */
int test_intent(uint32_t stamp, int done, sixmm_intent *it);

/* The record of it (at most SIXMM_INTENT_RECORD_MAX bytes) and its length. */
size_t test_record(const sixmm_intent *it, unsigned char *buf);

#endif
