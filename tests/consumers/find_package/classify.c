/* Classify a 6MM REST error code: what it is, and what to do before resending. */
#include <stdio.h>
#include <stdlib.h>

#include <sixmm/errinfo.h>

int main(int argc, char **argv)
{
    long long code = argc > 1 ? atoll(argv[1]) : 3107;
    sixmm_match match;
    const sixmm_entry *e = sixmm_lookup(SIXMM_DOMAIN_REST, code, &match);

    printf("%lld: %s, %s match, retry class %s\n", code, sixmm_entry_name(e),
           sixmm_match_name(match), sixmm_retry_name(sixmm_entry_retry(e)));
    return match == SIXMM_MATCH_EXACT || match == SIXMM_MATCH_RANGE ? 0 : 1;
}
