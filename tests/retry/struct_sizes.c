/*
 * Prints the size and alignment of every caller-owned retry-loop struct,
 * one "name size align" line each, for the record abi/retry-structs.txt:
 * callers embed these structs, so a change of size breaks them.
 */
#include <sixmm/errinfo.h>

#include <stdio.h>

#define ROW(type) printf("%s %zu %zu\n", #type, sizeof(type), _Alignof(type))

int main(void)
{
    ROW(sixmm_throttle);
    ROW(sixmm_budget);
    ROW(sixmm_reconcile_in);
    ROW(sixmm_reconcile_out);
    ROW(sixmm_advice);
    ROW(sixmm_call);
    ROW(sixmm_clock);
    ROW(sixmm_intent);
    ROW(sixmm_next);
    ROW(sixmm_quota_policy);
    return 0;
}
