/* rng.h: the simulator's one source of randomness.
 *
 * xoshiro256** seeded through splitmix64: fast, small state, and the same
 * seed gives the same stream on every platform, which is what makes a run
 * reproducible byte for byte. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng { uint64_t s[4]; } sim_rng;

static inline uint64_t sim_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static inline void sim_rng_seed(sim_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = sim_splitmix64(&seed);
}

static inline uint64_t sim_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t sim_rng_next(sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = sim_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sim_rotl(s[3], 45);
    return out;
}

static inline uint32_t sim_rng_u32(sim_rng *r) { return (uint32_t)(sim_rng_next(r) >> 32); }

/* Uniform in [0, n) for n > 0: a multiply for 32-bit n (the bias is below
 * n / 2^32), a remainder above that. */
static inline uint64_t sim_rng_below(sim_rng *r, uint64_t n)
{
    uint64_t x = sim_rng_next(r);
    return n <= UINT32_MAX ? ((x >> 32) * n) >> 32 : x % n;
}

/* Uniform in [lo, hi]. */
static inline uint64_t sim_rng_range(sim_rng *r, uint64_t lo, uint64_t hi)
{
    return lo + sim_rng_below(r, hi - lo + 1);
}

/* True with probability p (p in [0, 1]). */
static inline int sim_rng_chance(sim_rng *r, double p)
{
    return p > 0 && (double)(sim_rng_next(r) >> 11) * 0x1.0p-53 < p;
}

#endif
