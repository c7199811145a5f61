/*
 * A count of the process's heap allocations, for the tests that prove a
 * call never allocates: read it before and after the calls. Link
 * alloc_counter.c into the test executable.
 */
#ifndef SIXMM_TEST_ALLOC_COUNTER_H
#define SIXMM_TEST_ALLOC_COUNTER_H

/* Starts counting. Returns 1, or 0 when this build cannot count
 * (SIXMM_ALLOC_COUNTER_OFF: a sanitizer that owns malloc without hooks). */
int alloc_counter_install(void);

/* Allocations (malloc, calloc, realloc and the aligned ones) so far. */
unsigned long alloc_count(void);

#endif
