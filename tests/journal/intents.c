/* intents.c: see intents.h. The finished intent takes the machine's happy
 * path: SEND, the bytes go out, a success answer, DONE ACCEPTED. Every time
 * is fixed, so the same stamp gives the same record. */
#include "intents.h"

#include <string.h>

#define BASE_SERVER_MS 1800000000000LL

int test_intent(uint32_t stamp, int done, sixmm_intent *it)
{
    sixmm_clock clock;
    sixmm_next next;
    int64_t now = BASE_SERVER_MS + stamp;
    if (sixmm_intent_init(it, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, now, 0) != 0)
        return -1;
    if (!done)
        return 0;
    /* The server's clock read at monotonic 1000..1002 ms. */
    if (sixmm_clock_init(&clock, 0) != 0 || sixmm_clock_sample(&clock, 1000, now, 1002) != 0)
        return -1;
    if (sixmm_intent_next(it, &clock, NULL, NULL, 1002, 7, &next) != 0
        || next.todo != SIXMM_TODO_SEND || sixmm_intent_sending(it, next.sign_ms) != 0)
        return -1;
    sixmm_call ok;
    memset(&ok, 0, sizeof ok);
    ok.domain = SIXMM_DOMAIN_REST;
    ok.http_status = 200;
    ok.has_code = 1;
    ok.code = 0;
    ok.message = "success";
    ok.message_len = strlen(ok.message);
    if (sixmm_intent_answer(it, &ok, 1010) != 0
        || sixmm_intent_next(it, &clock, NULL, NULL, 1010, 7, &next) != 0
        || next.todo != SIXMM_TODO_DONE || !sixmm_intent_is_done(it))
        return -1;
    return 0;
}

size_t test_record(const sixmm_intent *it, unsigned char *buf)
{
    return sixmm_intent_encode(it, buf, SIXMM_INTENT_RECORD_MAX);
}
