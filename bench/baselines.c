/*
 * The baselines the library is measured against, built from the library's
 * own answers over the same entries: the floor (a dense array), naive linear
 * scans, and the typical bsearch() over sorted tables. check_agreement()
 * proves that every one gives the library's answer for every key.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* floor: a dense array per domain, built from the library's own answers,
 * indexed directly. */
struct floor_slot *floor_tab[SIXMM_DOMAIN_COUNT];
uint64_t floor_len[SIXMM_DOMAIN_COUNT];

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

/* The floor behind a call, as any library lookup is. */
NOINLINE const sixmm_entry *floor_call(sixmm_domain d, int64_t code, sixmm_match *m)
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

NOINLINE const sixmm_entry *naive_code(sixmm_domain d, int64_t code, sixmm_match *m)
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

NOINLINE const sixmm_entry *typical_str(int t, sixmm_domain d, const char *s)
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

NOINLINE const sixmm_entry *naive_str(int t, sixmm_domain d, const char *s)
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

int check_agreement(void)
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

void build_baselines(void)
{
    build_floor();
    build_naive_codes();
    build_string_tables();
}
