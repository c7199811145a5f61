/* Write one new intent to a journal and read it back. */
#include <stdio.h>

#include <sixmm/journal.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "record.journal";
    sixmm_journal *j;
    sixmm_intent it, back;

    if (sixmm_journal_open(path, &j) != 0
        || sixmm_intent_init(&it, SIXMM_DOMAIN_REST, SIXMM_INTENT_PLACE, 1800000000000, 0) != 0
        || sixmm_journal_put(j, "order-1", &it) != 0
        || sixmm_journal_get(j, "order-1", &back) != 0) {
        fprintf(stderr, "%s\n", sixmm_journal_errmsg(j));
        sixmm_journal_close(j);
        return 1;
    }
    printf("order-1: %s, done %d\n", sixmm_outcome_name(sixmm_intent_outcome(&back)),
           sixmm_intent_is_done(&back));
    sixmm_journal_close(j);
    return 0;
}
