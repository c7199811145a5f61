/*
 * Shared by the libFuzzer harnesses (tests/fuzz). Each harness defines
 * LLVMFuzzerTestOneInput(); with clang and -DSIXMM_FUZZ=ON it links libFuzzer,
 * otherwise standalone.c replays the seed corpus and the regressions through it.
 *
 * A harness checks properties, not just "no crash": when one fails it calls
 * FUZZ_CHECK's abort(), which libFuzzer reports as a crash with the input.
 */
#ifndef SIXMM_FUZZ_H
#define SIXMM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                         \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* Read every byte of a returned string: ASan then proves it is a valid,
 * NUL-terminated string owned by the library. Returns its length. */
static inline size_t fuzz_touch(const char *s)
{
    size_t n = 0;
    FUZZ_CHECK(s != NULL);
    while (s[n])
        n++;
    return n;
}

#endif
