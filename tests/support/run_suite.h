/* The main() of a check suite: run every test of s, then exit. */
#ifndef SIXMM_TEST_RUN_SUITE_H
#define SIXMM_TEST_RUN_SUITE_H

#include <check.h>

/* EXIT_SUCCESS when every test of s passed, else EXIT_FAILURE. */
int run_suite(Suite *s);

#endif
