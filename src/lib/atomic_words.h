/*
 * The opaque words of the caller-owned retry-loop structs (sixmm_throttle,
 * sixmm_budget) as C11 atomics. Internal.
 *
 * The public structs are arrays of uint64_t, so that they need no
 * <stdatomic.h> (C99 and C++ callers include the header too); inside the
 * library each word that threads share is accessed only as an
 * _Atomic uint64_t, which must then have the same size and alignment and be
 * lock-free (a lock inside would break the "no locks" contract).
 */
#ifndef SIXMM_ATOMIC_WORDS_H
#define SIXMM_ATOMIC_WORDS_H

#include <stdatomic.h>
#include <stdint.h>

_Static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t), "atomic words are plain words");
_Static_assert(_Alignof(_Atomic uint64_t) <= _Alignof(uint64_t),
               "an opaque uint64_t word is aligned for an atomic one");
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics are lock-free");

static inline _Atomic uint64_t *sixmm__atomic_word(uint64_t *word)
{
    return (_Atomic uint64_t *)word;
}

#endif
