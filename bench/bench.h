/*
 * The benchmark's parts, shared by its files: the key sets (keys.c), the
 * hand-written baselines (baselines.c), timing (timing.c) and the budget
 * (budget.c); bench.c holds the measured loops, the report and main.
 */
#ifndef SIXMM_BENCH_H
#define SIXMM_BENCH_H

#include <sixmm/errinfo.h>

#include <stddef.h>
#include <stdint.h>

#define NOINLINE __attribute__((noinline, noipa))
#define NKEYS 4096u /* keys per set: a power of two, small enough for L1/L2 */

/* ---- keys.c: the key sets, from a fixed seed ---- */
struct code_key {
    sixmm_domain domain;
    int64_t code;
};

struct str_key {
    sixmm_domain domain;
    const char *s; /* NUL-terminated, for the libc baselines */
    size_t len;
};

extern struct code_key code_keys[NKEYS];
extern struct str_key name_keys[NKEYS], message_keys[NKEYS], id_keys[NKEYS];
extern int errno_keys[NKEYS];
extern sixmm_call call_keys[NKEYS];

/* Mix of a key set, in percent, reported with the figures. */
struct mix {
    const char *what;
    char text[400];
};
extern struct mix mixes[8];
extern size_t nmixes;

/* Class-fallback blocks: found by asking the library, block by block. */
struct block {
    sixmm_domain domain;
    int64_t first, last;
    const sixmm_entry *entry;
};
extern struct block blocks[64];
extern size_t nblocks;

void *xmalloc(size_t n);
void build_keys(void);

/* ---- baselines.c: what people write by hand, over the same entries ---- */
enum { T_NAME, T_MESSAGE, T_ID, T_COUNT };

/* floor: a dense array of {entry, match} per domain, indexed directly. */
struct floor_slot {
    const sixmm_entry *e;
    sixmm_match m;
};
extern struct floor_slot *floor_tab[SIXMM_DOMAIN_COUNT];
extern uint64_t floor_len[SIXMM_DOMAIN_COUNT];

static inline const sixmm_entry *floor_inline(sixmm_domain d, int64_t code, sixmm_match *m)
{
    uint64_t k = (uint64_t)code;
    if (k < floor_len[d]) {
        *m = floor_tab[d][k].m;
        return floor_tab[d][k].e;
    }
    *m = SIXMM_MATCH_UNKNOWN;
    return NULL;
}

void build_baselines(void);
const sixmm_entry *floor_call(sixmm_domain d, int64_t code, sixmm_match *m);
const sixmm_entry *naive_code(sixmm_domain d, int64_t code, sixmm_match *m);
const sixmm_entry *typical_str(int t, sixmm_domain d, const char *s);
const sixmm_entry *naive_str(int t, sixmm_domain d, const char *s);
/* 0 when every implementation gives the library's answer for every key. */
int check_agreement(void);

/* ---- timing.c ---- */
struct figure {
    const char *op, *impl, *role; /* role: sixmm, floor, naive, typical, reference */
    uint64_t (*loop)(size_t reps);
    size_t reps;                   /* key-set walks per round */
    double *ns;                    /* per round */
    double median, min, max;
    uint64_t checksum;
};

/* Calibrates every figure, then times `rounds` interleaved rounds of all of
 * them and sets each one's median, min and max (ns per operation). */
void time_figures(struct figure *figs, size_t n, int rounds, double round_ms, size_t min_ops);
const struct figure *find(const struct figure *fs, size_t n, const char *op, const char *role);

/* ---- budget.c: the library's budget, checked in this run ---- */
struct check {
    const char *what;
    char detail[96];
    double value, limit;
    int at_most;  /* passes when value <= limit */
    int measured; /* 0: this build cannot measure it (reported, not failed) */
};
#define BUDGET_MAX 8

int passes(const struct check *c);
/* Fills out (at most BUDGET_MAX checks) and returns how many. */
size_t budget(const struct figure *figs, size_t nfig, struct check *out);

#endif
