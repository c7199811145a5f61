/*
 * bench: nanoseconds per lookup, side by side with the alternatives.
 *
 * Every figure is measured in the same run and over the same keys:
 *   sixmm    the library (linked statically, so a call costs what the
 *            floor's call costs; see README "Performance");
 *   floor    a direct index into a dense array, behind a non-inlined call
 *            with the same signature as sixmm_lookup (and, for reference,
 *            the same index inlined into the loop);
 *   naive    a linear scan over the same entries (what a hand-written
 *            table does);
 *   typical  bsearch() with strcmp()/strcasecmp() over sorted keys;
 *   strerror libc's strerror() over errno values, for reference.
 *
 * Each figure is the median of several rounds of many million operations,
 * timed in thread CPU time (CLOCK_THREAD_CPUTIME_ID).
 * Rounds of all figures are interleaved, so that noise from other processes
 * spreads over all of them. Every result feeds a checksum that is printed,
 * so no work can be optimised away. Before timing, every implementation's
 * answer is checked against the library's for every key.
 *
 * usage: bench [--json] [--quick] [--rounds N] [--ms MS]
 */
#define _POSIX_C_SOURCE 200809L

#include <sixmm/errinfo.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bench_config.h"
#include "bench_intent.h"
#include "bench_retry.h"

#ifndef BENCH_CFLAGS
#  define BENCH_CFLAGS "?"
#endif
#define NOINLINE __attribute__((noinline, noipa))
#define NKEYS 4096u /* keys per set: a power of two, small enough for L1/L2 */

/* ---- Random numbers (fixed seed: every run uses the same keys) ---------- */

static uint64_t rng_state = 0x6d6d2d6572726e6full;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rnd_below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* ---- Keys ---------------------------------------------------------------- */

struct code_key {
    sixmm_domain domain;
    int64_t code;
};

struct str_key {
    sixmm_domain domain;
    const char *s; /* NUL-terminated, for the libc baselines */
    size_t len;
};

static struct code_key code_keys[NKEYS];
static struct str_key name_keys[NKEYS], message_keys[NKEYS], id_keys[NKEYS];
static int errno_keys[NKEYS];
static sixmm_call call_keys[NKEYS];

/* Mix of a key set, in percent, reported with the figures. */
struct mix {
    const char *what;
    char text[400];
};
static struct mix mixes[8];
static size_t nmixes;

static void add_mix(const char *what, const char *text)
{
    mixes[nmixes].what = what;
    snprintf(mixes[nmixes].text, sizeof mixes[nmixes].text, "%s", text);
    nmixes++;
}

/* Entries by kind, from the library's own iteration. */
static const sixmm_entry **codes_of_kind(sixmm_kind kind, sixmm_domain domain, size_t *n)
{
    size_t i, count = sixmm_entry_count(), k = 0;
    const sixmm_entry **out = xmalloc(count * sizeof *out);
    for (i = 0; i < count; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        if (sixmm_entry_kind(e) == kind && sixmm_entry_domain(e) == domain)
            out[k++] = e;
    }
    *n = k;
    return out;
}

/* Class-fallback blocks: found by asking the library, block by block. */
struct block {
    sixmm_domain domain;
    int64_t first, last;
    const sixmm_entry *entry;
};
static struct block blocks[64];
static size_t nblocks;

static void find_blocks(void)
{
    unsigned d;
    int64_t b;
    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++)
        for (b = 0; b < 1000; b++) {
            sixmm_match m;
            const sixmm_entry *e = sixmm_lookup((sixmm_domain)d, b * 1000 + 999, &m);
            if (m == SIXMM_MATCH_CLASS && nblocks < sizeof blocks / sizeof blocks[0]) {
                blocks[nblocks].domain = (sixmm_domain)d;
                blocks[nblocks].first = sixmm_entry_code(e);
                blocks[nblocks].last = sixmm_entry_code_last(e);
                blocks[nblocks].entry = e;
                nblocks++;
            }
        }
}

static char *random_case(const char *s, int mode)
{
    char *t = xstrdup(s);
    size_t i;
    for (i = 0; t[i]; i++) {
        char c = t[i];
        int up = mode == 0 ? (int)(rnd() & 1) : mode == 1;
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        else if (!up && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        t[i] = c;
    }
    return t;
}

static void set_str(struct str_key *k, sixmm_domain d, char *s)
{
    k->domain = d;
    k->s = s;
    k->len = strlen(s);
}

static void build_keys(void)
{
    size_t i, nrest, nagent, nrange, nmsg, nid;
    const sixmm_entry **rest = codes_of_kind(SIXMM_KIND_CODE, SIXMM_DOMAIN_REST, &nrest);
    const sixmm_entry **agent = codes_of_kind(SIXMM_KIND_CODE, SIXMM_DOMAIN_AGENT, &nagent);
    const sixmm_entry **ranges = codes_of_kind(SIXMM_KIND_RANGE, SIXMM_DOMAIN_REST, &nrange);
    size_t count = sixmm_entry_count();
    /* Realistic unknowns: what a server or a typo produces. */
    static const int64_t unknown_codes[] = {4001, 4040, 6000, 7002, 9999, -1, 100000, 500, 429,
                                            INT64_MAX, INT64_MIN, 42};
    static const char *const unknown_names[] = {"TOKEN_EXPIRES", "ORDER_NOT_FOUNDX", "TIMEOUT",
                                                "sixmm_e_nope", "NOT_A_NAME", "internal"};
    static const char *const unknown_messages[] = {
        "Internal server error", "Too many requests", "Order not found", "Invalid signature",
        "Bad Gateway", "Timestamp outside of tolerance windows", "invalid tokens",
        "Service temporarily unavailable, please retry later"};
    static const char *const unknown_ids[] = {"token_provider_mising", "network_error",
                                              "TOKEN_PROVIDER_MISSING", "auth_failed"};
    const sixmm_entry **all = xmalloc(count * sizeof *all);
    const sixmm_entry **msgs = xmalloc(count * sizeof *msgs);
    const sixmm_entry **ids = xmalloc(count * sizeof *ids);
    size_t nall = 0;

    find_blocks();
    nmsg = nid = 0;
    for (i = 0; i < count; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        all[nall++] = e;
        if (sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE)
            msgs[nmsg++] = e;
        if (sixmm_entry_kind(e) == SIXMM_KIND_ID)
            ids[nid++] = e;
    }

    /* Codes: 70% documented REST codes, 10% range members, 5% Agent API codes
     * (two-level index), 8% class fallbacks, 7% unknown. */
    add_mix("code", "70% exact REST codes, 10% range members (3100-3112), 5% exact Agent "
                    "API codes, 8% class fallbacks (REST and Agent blocks), 7% unknown");
    for (i = 0; i < NKEYS; i++) {
        unsigned r = rnd_below(100);
        struct code_key *k = &code_keys[i];
        k->domain = SIXMM_DOMAIN_REST;
        if (r < 70) {
            k->code = sixmm_entry_code(rest[rnd_below((unsigned)nrest)]);
        } else if (r < 80) {
            const sixmm_entry *e = ranges[rnd_below((unsigned)nrange)];
            k->code = sixmm_entry_code(e) +
                      rnd_below((unsigned)(sixmm_entry_code_last(e) - sixmm_entry_code(e) + 1));
        } else if (r < 85) {
            k->domain = SIXMM_DOMAIN_AGENT;
            k->code = sixmm_entry_code(agent[rnd_below((unsigned)nagent)]);
        } else if (r < 93) {
            const struct block *b = &blocks[rnd_below((unsigned)nblocks)];
            int64_t c;
            do
                c = b->first + rnd_below((unsigned)(b->last - b->first + 1));
            while (sixmm_lookup(b->domain, c, NULL) != b->entry);
            k->domain = b->domain;
            k->code = c;
        } else {
            k->code = unknown_codes[rnd_below(sizeof unknown_codes / sizeof unknown_codes[0])];
        }
    }

    /* Names: 85% documented names (of every entry and block) in mixed case,
     * 5% with the C prefix SIXMM_E_, 10% unknown. */
    add_mix("name", "45% upper case, 15% lower case, 25% random mixed case, 5% with the "
                    "SIXMM_E_ prefix, 10% unknown; all domains");
    {
        const sixmm_entry **named = xmalloc((count + nblocks) * sizeof *named);
        size_t nnamed = 0;
        for (i = 0; i < nall; i++)
            named[nnamed++] = all[i];
        for (i = 0; i < nblocks; i++)
            named[nnamed++] = blocks[i].entry;
        for (i = 0; i < NKEYS; i++) {
            unsigned r = rnd_below(100);
            const sixmm_entry *e = named[rnd_below((unsigned)nnamed)];
            sixmm_domain d = sixmm_entry_domain(e);
            if (r < 45) {
                set_str(&name_keys[i], d, random_case(sixmm_entry_name(e), 1));
            } else if (r < 60) {
                set_str(&name_keys[i], d, random_case(sixmm_entry_name(e), 2));
            } else if (r < 85) {
                set_str(&name_keys[i], d, random_case(sixmm_entry_name(e), 0));
            } else if (r < 90) {
                char buf[128];
                snprintf(buf, sizeof buf, "%s%s", rnd() & 1 ? "SIXMM_E_" : "sixmm_e_",
                         sixmm_entry_name(e));
                set_str(&name_keys[i], d, random_case(buf, (rnd() & 1) ? 1 : 0));
            } else {
                set_str(&name_keys[i], (sixmm_domain)rnd_below(SIXMM_DOMAIN_COUNT),
                        xstrdup(unknown_names[rnd_below(sizeof unknown_names /
                                                        sizeof unknown_names[0])]));
            }
        }
        free(named);
    }

    /* Messages: 80% documented messages (as sent, or in another case), 20%
     * other server messages. */
    add_mix("message", "50% as documented, 30% in another case, 20% other server messages");
    for (i = 0; i < NKEYS; i++) {
        unsigned r = rnd_below(100);
        const sixmm_entry *e = msgs[rnd_below((unsigned)nmsg)];
        if (r < 50)
            set_str(&message_keys[i], sixmm_entry_domain(e), xstrdup(sixmm_entry_key(e)));
        else if (r < 80)
            set_str(&message_keys[i], sixmm_entry_domain(e),
                    random_case(sixmm_entry_key(e), (int)rnd_below(3)));
        else
            set_str(&message_keys[i], SIXMM_DOMAIN_REST,
                    xstrdup(unknown_messages[rnd_below(sizeof unknown_messages /
                                                       sizeof unknown_messages[0])]));
    }

    /* Widget identifiers: 85% documented, 15% unknown (typos, other case). */
    add_mix("id", "85% documented widget identifiers, 15% unknown (typos, wrong case)");
    for (i = 0; i < NKEYS; i++) {
        if (rnd_below(100) < 85) {
            const sixmm_entry *e = ids[rnd_below((unsigned)nid)];
            set_str(&id_keys[i], sixmm_entry_domain(e), xstrdup(sixmm_entry_key(e)));
        } else {
            set_str(&id_keys[i], SIXMM_DOMAIN_WIDGET,
                    xstrdup(unknown_ids[rnd_below(sizeof unknown_ids / sizeof unknown_ids[0])]));
        }
    }

    add_mix("strerror", "errno values 0-133, uniformly, plus 5% out of range");
    for (i = 0; i < NKEYS; i++)
        errno_keys[i] = rnd_below(100) < 95 ? (int)rnd_below(134) : 1000 + (int)rnd_below(50);

    /* What a trading client sees after a call. */
    add_mix("classify", "55% HTTP 200 with a documented code, 10% a documented message "
                        "with its code, 10% class or unknown codes, 15% HTTP-only failures "
                        "(401, 429, 500, 502, 503, 504), 5% timeouts, 5% success; "
                        "half idempotent, attempts 1-4");
    for (i = 0; i < NKEYS; i++) {
        sixmm_call *c = &call_keys[i];
        unsigned r = rnd_below(100);
        static const int http_only[] = {401, 429, 500, 502, 503, 504};
        memset(c, 0, sizeof *c);
        c->domain = code_keys[i].domain;
        c->idempotent = (int)(rnd() & 1);
        c->attempt = 1 + rnd_below(4);
        if (r < 55) {
            c->http_status = 200;
            c->has_code = 1;
            c->code = sixmm_entry_code(rest[rnd_below((unsigned)nrest)]);
            c->domain = SIXMM_DOMAIN_REST;
        } else if (r < 65) {
            const sixmm_entry *e = msgs[rnd_below((unsigned)nmsg)];
            c->domain = sixmm_entry_domain(e);
            c->http_status = 200;
            c->has_code = 1;
            c->code = sixmm_entry_related_count(e)
                          ? sixmm_entry_code(sixmm_entry_related(e, 0)) : 1003;
            c->message = sixmm_entry_key(e);
            c->message_len = strlen(c->message);
        } else if (r < 75) {
            c->http_status = 200;
            c->has_code = 1;
            c->code = code_keys[rnd_below(NKEYS)].code;
            if (rnd_below(2))
                c->code = blocks[0].first + 500 + rnd_below(400);
        } else if (r < 90) {
            c->http_status = http_only[rnd_below(sizeof http_only / sizeof http_only[0])];
        } else if (r < 95) {
            c->http_status = 0;
        } else {
            c->http_status = 200;
            c->has_code = 1;
            c->code = 0;
        }
    }
    free(rest);
    free(agent);
    free(ranges);
    free(all);
    free(msgs);
    free(ids);
}

/* ---- Baselines ----------------------------------------------------------- */

/* floor: a dense array per domain, built from the library's own answers,
 * indexed directly. */
struct floor_slot {
    const sixmm_entry *e;
    sixmm_match m;
};
static struct floor_slot *floor_tab[SIXMM_DOMAIN_COUNT];
static uint64_t floor_len[SIXMM_DOMAIN_COUNT];

static void build_floor(void)
{
    unsigned d;
    size_t i;
    for (i = 0; i < NKEYS; i++) {
        const struct code_key *k = &code_keys[i];
        if (k->code >= 0 && k->code < 1000000 && (uint64_t)k->code + 1 > floor_len[k->domain])
            floor_len[k->domain] = (uint64_t)k->code + 1;
    }
    for (d = 0; d < SIXMM_DOMAIN_COUNT; d++) {
        uint64_t c;
        floor_tab[d] = xmalloc((floor_len[d] ? floor_len[d] : 1) * sizeof *floor_tab[d]);
        for (c = 0; c < floor_len[d]; c++) {
            floor_tab[d][c].e = sixmm_lookup((sixmm_domain)d, (int64_t)c, &floor_tab[d][c].m);
        }
    }
}

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

/* The floor behind a call, as any library lookup is. */
NOINLINE static const sixmm_entry *floor_call(sixmm_domain d, int64_t code, sixmm_match *m)
{
    return floor_inline(d, code, m);
}

/* naive: one hand-written table of {domain, first, last, entry}, exact codes
 * and ranges first, then class blocks, scanned in order. */
struct naive_row {
    sixmm_domain domain;
    int64_t first, last;
    const sixmm_entry *e;
    sixmm_match m;
};
static struct naive_row *naive_rows;
static size_t naive_n;

static void build_naive_codes(void)
{
    size_t i, count = sixmm_entry_count();
    naive_rows = xmalloc((count + nblocks) * sizeof *naive_rows);
    for (i = 0; i < count; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_kind k = sixmm_entry_kind(e);
        if (k == SIXMM_KIND_CODE || k == SIXMM_KIND_RANGE) {
            struct naive_row *r = &naive_rows[naive_n++];
            r->domain = sixmm_entry_domain(e);
            r->first = sixmm_entry_code(e);
            r->last = sixmm_entry_code_last(e);
            r->e = e;
            r->m = k == SIXMM_KIND_RANGE ? SIXMM_MATCH_RANGE : SIXMM_MATCH_EXACT;
        }
    }
    for (i = 0; i < nblocks; i++) {
        struct naive_row *r = &naive_rows[naive_n++];
        r->domain = blocks[i].domain;
        r->first = blocks[i].first;
        r->last = blocks[i].last;
        r->e = blocks[i].entry;
        r->m = SIXMM_MATCH_CLASS;
    }
}

NOINLINE static const sixmm_entry *naive_code(sixmm_domain d, int64_t code, sixmm_match *m)
{
    size_t i;
    for (i = 0; i < naive_n; i++)
        if (naive_rows[i].domain == d && code >= naive_rows[i].first &&
            code <= naive_rows[i].last) {
            *m = naive_rows[i].m;
            return naive_rows[i].e;
        }
    *m = SIXMM_MATCH_UNKNOWN;
    return NULL;
}

/* String tables. typical: one sorted table per domain and kind, searched
 * with bsearch(). naive: one table per kind in spec order, rows carrying
 * their domain, scanned linearly (as the code table above). */
struct str_row {
    const char *s;
    const sixmm_entry *e;
    sixmm_domain domain;
};
struct str_table {
    struct str_row *rows;
    size_t n;
};
enum { T_NAME, T_MESSAGE, T_ID, T_COUNT };
static struct str_table sorted_tab[T_COUNT][SIXMM_DOMAIN_COUNT];
static struct str_table linear_tab[T_COUNT];

static int cmp_rows_ci(const void *a, const void *b)
{
    return strcasecmp(((const struct str_row *)a)->s, ((const struct str_row *)b)->s);
}

static int cmp_rows(const void *a, const void *b)
{
    return strcmp(((const struct str_row *)a)->s, ((const struct str_row *)b)->s);
}

/* The baselines keep their own copies of the strings, as hand-written tables
 * would: pointing into the library's pool would make their speed depend on
 * where the pool happens to land (glibc's strcmp() takes a slower path for a
 * string that starts near the end of a page, so a change to the library's
 * layout moved the identifier baselines from 7 to 13 ns). */
static const char *own_copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (!c)
        exit(2);
    return memcpy(c, s, n);
}

static void add_row(int t, sixmm_domain d, const char *s, const sixmm_entry *e)
{
    struct str_table *tabs[2] = {&sorted_tab[t][d], &linear_tab[t]};
    int i;
    s = own_copy(s);
    for (i = 0; i < 2; i++) {
        struct str_table *tab = tabs[i];
        struct str_row *rows = realloc(tab->rows, (tab->n + 1) * sizeof *rows);
        if (!rows)
            exit(2);
        rows[tab->n].s = s;
        rows[tab->n].e = e;
        rows[tab->n].domain = d;
        tab->rows = rows;
        tab->n++;
    }
}

static void build_string_tables(void)
{
    size_t i, count = sixmm_entry_count();
    int t;
    unsigned d;
    for (i = 0; i < count; i++) {
        const sixmm_entry *e = sixmm_entry_at(i);
        sixmm_domain d_ = sixmm_entry_domain(e);
        add_row(T_NAME, d_, sixmm_entry_name(e), e);
        if (sixmm_entry_kind(e) == SIXMM_KIND_MESSAGE)
            add_row(T_MESSAGE, d_, sixmm_entry_key(e), e);
        if (sixmm_entry_kind(e) == SIXMM_KIND_ID)
            add_row(T_ID, d_, sixmm_entry_key(e), e);
    }
    for (i = 0; i < nblocks; i++)
        add_row(T_NAME, blocks[i].domain, sixmm_entry_name(blocks[i].entry), blocks[i].entry);
    for (t = 0; t < T_COUNT; t++)
        for (d = 0; d < SIXMM_DOMAIN_COUNT; d++)
            if (sorted_tab[t][d].n)
                qsort(sorted_tab[t][d].rows, sorted_tab[t][d].n, sizeof(struct str_row),
                      t == T_ID ? cmp_rows : cmp_rows_ci);
}

/* Both baselines accept the C spelling of a name, as the library does. */
static const char *strip_prefix(const char *s)
{
    return strncasecmp(s, "sixmm_e_", 8) == 0 && s[8] ? s + 8 : s;
}

static int key_cmp_ci(const void *key, const void *row)
{
    return strcasecmp((const char *)key, ((const struct str_row *)row)->s);
}

static int key_cmp(const void *key, const void *row)
{
    return strcmp((const char *)key, ((const struct str_row *)row)->s);
}

NOINLINE static const sixmm_entry *typical_str(int t, sixmm_domain d, const char *s)
{
    const struct str_table *tab = &sorted_tab[t][d];
    const struct str_row *r;
    if ((unsigned)d >= SIXMM_DOMAIN_COUNT)
        return NULL;
    if (t == T_NAME)
        s = strip_prefix(s);
    r = bsearch(s, tab->rows, tab->n, sizeof *r, t == T_ID ? key_cmp : key_cmp_ci);
    return r ? r->e : NULL;
}

NOINLINE static const sixmm_entry *naive_str(int t, sixmm_domain d, const char *s)
{
    const struct str_table *tab = &linear_tab[t];
    size_t i;
    if (t == T_NAME)
        s = strip_prefix(s);
    for (i = 0; i < tab->n; i++)
        if (tab->rows[i].domain == d &&
            (t == T_ID ? strcmp(s, tab->rows[i].s) : strcasecmp(s, tab->rows[i].s)) == 0)
            return tab->rows[i].e;
    return NULL;
}

/* ---- The measured loops -------------------------------------------------- */

/* Each loop walks the key set `reps` times and returns a checksum of every
 * answer. The checksum is printed, so nothing can be optimised away. */
#define MIX(sum, e, m) ((sum) = (sum) * 31u + (uint64_t)(uintptr_t)(e) + (uint64_t)(m))

/* One function per implementation, each calling it directly (a function
 * pointer would add an indirect call that the library does not pay). */
#define CODE_LOOP(fname, lookup)                                                 \
    NOINLINE static uint64_t fname(size_t reps)                                  \
    {                                                                            \
        uint64_t sum = 0;                                                        \
        size_t r, i;                                                             \
        for (r = 0; r < reps; r++)                                               \
            for (i = 0; i < NKEYS; i++) {                                        \
                sixmm_match m;                                                   \
                const sixmm_entry *e = lookup(code_keys[i].domain, code_keys[i].code, &m); \
                MIX(sum, e, m);                                                  \
            }                                                                    \
        return sum;                                                              \
    }

CODE_LOOP(loop_code_sixmm, sixmm_lookup)
CODE_LOOP(loop_code_floor, floor_call)
CODE_LOOP(loop_code_floor_inline, floor_inline)
CODE_LOOP(loop_code_naive, naive_code)

NOINLINE static uint64_t loop_strerror_sixmm(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < NKEYS; i++)
            MIX(sum, sixmm_strerror(code_keys[i].domain, code_keys[i].code), 0);
    return sum;
}

NOINLINE static uint64_t loop_strerror_libc(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < NKEYS; i++)
            MIX(sum, strerror(errno_keys[i]), 0);
    return sum;
}

#define STR_LOOP(fname, keys, call)                                   \
    NOINLINE static uint64_t fname(size_t reps)                       \
    {                                                                 \
        uint64_t sum = 0;                                             \
        size_t r, i;                                                  \
        for (r = 0; r < reps; r++)                                    \
            for (i = 0; i < NKEYS; i++) {                             \
                const struct str_key *k = &keys[i];                   \
                MIX(sum, call, 0);                                    \
            }                                                         \
        return sum;                                                   \
    }

STR_LOOP(loop_name_sixmm, name_keys, sixmm_lookup_name(k->domain, k->s, k->len))
STR_LOOP(loop_name_typical, name_keys, typical_str(T_NAME, k->domain, k->s))
STR_LOOP(loop_name_naive, name_keys, naive_str(T_NAME, k->domain, k->s))
STR_LOOP(loop_message_sixmm, message_keys, sixmm_lookup_message(k->domain, k->s, k->len))
STR_LOOP(loop_message_typical, message_keys, typical_str(T_MESSAGE, k->domain, k->s))
STR_LOOP(loop_message_naive, message_keys, naive_str(T_MESSAGE, k->domain, k->s))
STR_LOOP(loop_id_sixmm, id_keys, sixmm_lookup_id(k->domain, k->s, k->len))
STR_LOOP(loop_id_typical, id_keys, typical_str(T_ID, k->domain, k->s))
STR_LOOP(loop_id_naive, id_keys, naive_str(T_ID, k->domain, k->s))

NOINLINE static uint64_t loop_classify(size_t reps)
{
    uint64_t sum = 0;
    size_t r, i;
    for (r = 0; r < reps; r++)
        for (i = 0; i < NKEYS; i++) {
            sixmm_advice a;
            sixmm_classify(&call_keys[i], (uint32_t)i * 2654435761u, &a);
            MIX(sum, a.entry, (uint64_t)a.action * 7u + a.delay_ms + (uint64_t)a.resend);
        }
    return sum;
}

/* ---- Correctness: every implementation agrees with the library ----------- */

static int check_agreement(void)
{
    size_t i;
    int bad = 0;
    /* Report a few; one is enough to fail. */
#define REPORT (bad++ < 5)
    for (i = 0; i < NKEYS; i++) {
        const struct code_key *k = &code_keys[i];
        sixmm_match m0, m1, m2;
        const sixmm_entry *e0 = sixmm_lookup(k->domain, k->code, &m0);
        const sixmm_entry *e1 = floor_call(k->domain, k->code, &m1);
        const sixmm_entry *e2 = naive_code(k->domain, k->code, &m2);
        if ((e0 != e1 || m0 != m1 || e0 != e2 || m0 != m2) && REPORT)
            fprintf(stderr, "bench: code %d:%lld: implementations disagree\n", (int)k->domain,
                    (long long)k->code);
    }
#define AGREE(keys, t, fn)                                                              \
    for (i = 0; i < NKEYS; i++) {                                                       \
        const struct str_key *k = &keys[i];                                             \
        const sixmm_entry *e0 = fn(k->domain, k->s, k->len);                            \
        if ((e0 != typical_str(t, k->domain, k->s) ||                                   \
             e0 != naive_str(t, k->domain, k->s)) && REPORT)                            \
            fprintf(stderr, "bench: %s %d:'%s': implementations disagree\n", #t,        \
                    (int)k->domain, k->s);                                              \
    }
    AGREE(name_keys, T_NAME, sixmm_lookup_name)
    AGREE(message_keys, T_MESSAGE, sixmm_lookup_message)
    AGREE(id_keys, T_ID, sixmm_lookup_id)
#undef AGREE
#undef REPORT
    return bad != 0;
}

/* ---- Timing -------------------------------------------------------------- */

struct figure {
    const char *op, *impl, *role; /* role: sixmm, floor, naive, typical, reference */
    uint64_t (*loop)(size_t reps);
    size_t reps;                   /* key-set walks per round */
    double *ns;                    /* per round */
    double median, min, max;
    uint64_t checksum;
};

/* CPU time of this thread, not wall time: on a shared machine the process
 * is often descheduled, and that time is not the lookup's. (Cache and branch
 * predictor pollution by other processes still shows; take the median of
 * several runs.) */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void calibrate(struct figure *f, double target_ns, size_t min_ops)
{
    size_t reps = 1;
    double t;
    for (;;) {
        double t0 = now_ns();
        f->checksum ^= f->loop(reps);
        t = now_ns() - t0;
        if (t > target_ns / 8 || reps > ((size_t)1 << 20))
            break;
        reps *= 2;
    }
    reps = (size_t)((double)reps * target_ns / (t > 1 ? t : 1)) + 1;
    if (reps * NKEYS < min_ops)
        reps = (min_ops + NKEYS - 1) / NKEYS;
    f->reps = reps;
}

static const struct figure *find(const struct figure *fs, size_t n, const char *op,
                                 const char *role)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(fs[i].op, op) == 0 && strcmp(fs[i].role, role) == 0)
            return &fs[i];
    return NULL;
}

/* One check of the library's budget: a ratio measured in this run against
 * its bound. */
struct check {
    const char *what;
    char detail[96];
    double value, limit;
    int at_most; /* passes when value <= limit, else when value > limit */
};

static int passes(const struct check *c)
{
    return c->at_most ? c->value <= c->limit : c->value > c->limit;
}

/* The budget (docs/PERFORMANCE.md): every string lookup faster than the
 * bsearch baseline, a code lookup within 2x the floor, classify within 20x
 * the floor, an order machine step within 10x classify. */
static size_t budget(const struct figure *figs, size_t nfig, struct check *out)
{
    static const char *const ops[] = {"name", "message", "id"};
    const struct figure *floor_ = find(figs, nfig, "code", "floor");
    size_t n = 0, j, len = 0;
    struct check *c = &out[n++];

    *c = (struct check){"string lookups: slowest speed-up over bsearch (x, more than)", "",
                        1e300, 1.0, 0};
    for (j = 0; j < 3; j++) {
        double v = find(figs, nfig, ops[j], "typical")->median /
                   find(figs, nfig, ops[j], "sixmm")->median;
        if (v < c->value)
            c->value = v;
        len += (size_t)snprintf(c->detail + len, sizeof c->detail - len, "%s%s %.2f",
                                j ? ", " : "", ops[j], v);
    }
    c = &out[n++];
    *c = (struct check){"code lookup / floor (x, at most)", "",
                        find(figs, nfig, "code", "sixmm")->median / floor_->median, 2.0, 1};
    c = &out[n++];
    *c = (struct check){"classify / floor (x, at most)", "",
                        find(figs, nfig, "classify", "sixmm")->median / floor_->median, 20.0,
                        1};
    c = &out[n++];
    *c = (struct check){"order machine step / classify (x, at most)", "",
                        find(figs, nfig, "intent", "sixmm")->median /
                            find(figs, nfig, "intent", "classify")->median,
                        BENCH_INTENT_LIMIT, 1};
    return n;
}

int main(int argc, char **argv)
{
    int json = 0, i, rounds = 7;
    double round_ms = 100;
    size_t min_ops = 4000000, n, j;
    struct figure figs[] = {
        {"code", "sixmm_lookup", "sixmm", loop_code_sixmm, 0, 0, 0, 0, 0, 0},
        {"code", "dense array, via a call", "floor", loop_code_floor, 0, 0, 0, 0, 0, 0},
        {"code", "dense array, inlined", "floor_inline", loop_code_floor_inline, 0, 0, 0, 0, 0, 0},
        {"code", "linear scan", "naive", loop_code_naive, 0, 0, 0, 0, 0, 0},
        {"code", "sixmm_strerror", "strerror", loop_strerror_sixmm, 0, 0, 0, 0, 0, 0},
        {"code", "libc strerror", "libc", loop_strerror_libc, 0, 0, 0, 0, 0, 0},
        {"name", "sixmm_lookup_name", "sixmm", loop_name_sixmm, 0, 0, 0, 0, 0, 0},
        {"name", "bsearch+strcasecmp", "typical", loop_name_typical, 0, 0, 0, 0, 0, 0},
        {"name", "linear strcasecmp", "naive", loop_name_naive, 0, 0, 0, 0, 0, 0},
        {"message", "sixmm_lookup_message", "sixmm", loop_message_sixmm, 0, 0, 0, 0, 0, 0},
        {"message", "bsearch+strcasecmp", "typical", loop_message_typical, 0, 0, 0, 0, 0, 0},
        {"message", "linear strcasecmp", "naive", loop_message_naive, 0, 0, 0, 0, 0, 0},
        {"id", "sixmm_lookup_id", "sixmm", loop_id_sixmm, 0, 0, 0, 0, 0, 0},
        {"id", "bsearch+strcmp", "typical", loop_id_typical, 0, 0, 0, 0, 0, 0},
        {"id", "linear strcmp", "naive", loop_id_naive, 0, 0, 0, 0, 0, 0},
        {"classify", "sixmm_classify", "sixmm", loop_classify, 0, 0, 0, 0, 0, 0},
        BENCH_RETRY_FIGURES
        BENCH_INTENT_FIGURES
    };
    size_t nfig = sizeof figs / sizeof figs[0];
    struct check checks[4];
    size_t nchecks;
    const struct figure *floor_;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--quick") == 0) {
            rounds = 3;
            round_ms = 5;
            min_ops = 100000;
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc) {
            round_ms = atof(argv[++i]);
        } else if (strcmp(argv[i], "--min-ops") == 0 && i + 1 < argc) {
            min_ops = (size_t)atof(argv[++i]);
        } else {
            fprintf(stderr, "usage: bench [--json] [--quick] [--rounds N] [--ms MS] "
                            "[--min-ops N]\n");
            return 2;
        }
    }
    if (rounds < 1)
        rounds = 1;

    build_keys();
    bench_retry_setup(NKEYS);
    bench_intent_setup(NKEYS);
    build_floor();
    build_naive_codes();
    build_string_tables();
    if (check_agreement())
        return 1;

    for (j = 0; j < nfig; j++) {
        figs[j].ns = xmalloc((size_t)rounds * sizeof(double));
        calibrate(&figs[j], round_ms * 1e6, min_ops);
    }
    /* Interleave: round r of every figure, then round r + 1. */
    for (i = 0; i < rounds; i++)
        for (j = 0; j < nfig; j++) {
            double t0 = now_ns();
            figs[j].checksum ^= figs[j].loop(figs[j].reps);
            figs[j].ns[i] = (now_ns() - t0) / ((double)figs[j].reps * NKEYS);
        }
    for (j = 0; j < nfig; j++) {
        qsort(figs[j].ns, (size_t)rounds, sizeof(double), cmp_double);
        figs[j].min = figs[j].ns[0];
        figs[j].max = figs[j].ns[rounds - 1];
        figs[j].median = rounds % 2 ? figs[j].ns[rounds / 2]
                                    : (figs[j].ns[rounds / 2 - 1] + figs[j].ns[rounds / 2]) / 2;
    }

    floor_ = find(figs, nfig, "code", "floor");
    nchecks = budget(figs, nfig, checks);

    if (json) {
        printf("{\n  \"unit\": \"ns/op\",\n  \"clock\": \"CLOCK_THREAD_CPUTIME_ID\",\n"
               "  \"statistic\": \"median\",\n");
        printf("  \"rounds\": %d,\n  \"keys_per_set\": %u,\n", rounds, NKEYS);
        printf("  \"compiler\": \"%s\",\n  \"cflags\": \"%s\",\n", __VERSION__, BENCH_CFLAGS);
        printf("  \"results\": [\n");
        for (j = 0; j < nfig; j++) {
            const struct figure *f = &figs[j];
            int ours = strcmp(f->role, "sixmm") == 0;
            const struct figure *base = ours ? find(figs, nfig, f->op, "typical") : NULL;
            const struct figure *nv = ours ? find(figs, nfig, f->op, "naive") : NULL;
            printf("    {\"op\": \"%s\", \"impl\": \"%s\", \"role\": \"%s\", \"ns_per_op\": %.3f, "
                   "\"min\": %.3f, \"max\": %.3f, \"ops_per_round\": %zu, "
                   "\"x_floor\": %.3f",
                   f->op, f->impl, f->role, f->median, f->min, f->max, f->reps * NKEYS,
                   f->median / floor_->median);
            if (nv)
                printf(", \"speedup_vs_naive\": %.3f", nv->median / f->median);
            if (base)
                printf(", \"speedup_vs_typical\": %.3f", base->median / f->median);
            printf(", \"checksum\": \"%016llx\"}%s\n", (unsigned long long)f->checksum,
                   j + 1 < nfig ? "," : "");
        }
        printf("  ],\n  \"budget\": [\n");
        for (j = 0; j < nchecks; j++)
            printf("    {\"check\": \"%s\", \"value\": %.3f, \"limit\": %.3f, "
                   "\"pass\": %s}%s\n",
                   checks[j].what, checks[j].value, checks[j].limit,
                   passes(&checks[j]) ? "true" : "false", j + 1 < nchecks ? "," : "");
        printf("  ],\n  \"key_mix\": {");
        for (j = 0; j < nmixes; j++)
            printf("%s\"%s\": \"%s\"", j ? ", " : "", mixes[j].what, mixes[j].text);
        printf("}\n}\n");
        for (j = 0; j < nfig; j++)
            free(figs[j].ns);
        return 0;
    }

    printf("sixmm-errinfo bench: median of %d rounds, ns (thread CPU time) per operation\n",
           rounds);
    printf("compiler: gcc %s; flags: %s\n\n", __VERSION__, BENCH_CFLAGS);
    printf("%-9s %-24s %8s %8s %9s %9s %12s\n", "op", "implementation", "ns/op", "x floor",
           "vs naive", "vs typical", "ops/round");
    for (j = 0; j < nfig; j++) {
        const struct figure *f = &figs[j];
        int ours = strcmp(f->role, "sixmm") == 0;
        const struct figure *base = ours ? find(figs, nfig, f->op, "typical") : NULL;
        const struct figure *nv = ours ? find(figs, nfig, f->op, "naive") : NULL;
        char vn[16] = "", vt[16] = "";
        if (nv && nv != f)
            snprintf(vn, sizeof vn, "%.1fx", nv->median / f->median);
        if (base && base != f)
            snprintf(vt, sizeof vt, "%.1fx", base->median / f->median);
        printf("%-9s %-24s %8.2f %8.2f %9s %9s %12zu\n", f->op, f->impl, f->median,
               f->median / floor_->median, vn, vt, f->reps * NKEYS);
    }
    printf("\n'vs naive' and 'vs typical' are speed-ups (baseline ns / this ns);\n"
           "'x floor' is this ns / the floor's ns (dense array behind a call).\n\n");
    printf("budget (ratios from this run):\n");
    for (j = 0; j < nchecks; j++) {
        printf("  %-4s %-60s %7.2f  (%s %.1f)\n", passes(&checks[j]) ? "PASS" : "FAIL",
               checks[j].what, checks[j].value, checks[j].at_most ? "<=" : ">",
               checks[j].limit);
        if (checks[j].detail[0])
            printf("       %s\n", checks[j].detail);
    }
    printf("\nkey mix (%u keys per set, fixed seed):\n", NKEYS);
    for (j = 0; j < nmixes; j++)
        printf("  %-9s %s\n", mixes[j].what, mixes[j].text);
    n = 0;
    for (j = 0; j < nfig; j++)
        n ^= (size_t)figs[j].checksum;
    printf("checksum %zx\n", n);
    for (j = 0; j < nfig; j++)
        free(figs[j].ns);
    return 0;
}
