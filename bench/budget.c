/*
 * The library's budget (docs/PERFORMANCE.md), every check from this run:
 *   - each string lookup (name, message, widget identifier) costs at most
 *     1.25 times the bsearch() baseline over the same keys;
 *   - a code lookup at most 4 times the floor (a dense array behind a call);
 *   - sixmm_classify() at most 20 times the floor;
 *   - sixmm_intent_next() with its event at most 10 times sixmm_classify()
 *     on the same answers (bench_intent.c's rows);
 *   - no allocation in a pass of every lookup and classify over its keys;
 *   - no load-time relocation into the catalog's data, counted in the
 *     shared library by tests/lib/check_tables.py.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <stdio.h>
#include <string.h>

#include "alloc_counter.h"
#include "bench_config.h"
#include "bench_intent.h"

int passes(const struct check *c)
{
    return !c->measured || (c->at_most ? c->value <= c->limit : c->value > c->limit);
}

static struct check ratio(const char *what, const struct figure *f, const struct figure *base,
                          double limit)
{
    struct check c = {what, "", 0, limit, 1, 1};
    c.value = f->median / base->median;
    snprintf(c.detail, sizeof c.detail, "%.2f ns / %.2f ns", f->median, base->median);
    return c;
}

/* Allocations during one pass of every library loop over its keys. */
static struct check allocations(const struct figure *figs, size_t nfig)
{
    static const char *const ops[] = {"code", "name", "message", "id", "classify", "intent"};
    struct check c = {"allocations in every lookup and classify (at most)", "", 0, 0, 1, 1};
    unsigned long before;
    size_t i, j;

    if (!alloc_counter_install()) {
        c.measured = 0;
        snprintf(c.detail, sizeof c.detail, "not measured: this build cannot count malloc");
        return c;
    }
    before = alloc_count();
    for (i = 0; i < nfig; i++)
        for (j = 0; j < sizeof ops / sizeof ops[0]; j++)
            if (strcmp(figs[i].op, ops[j]) == 0 && strcmp(figs[i].role, "sixmm") == 0)
                (void)figs[i].loop(1);
    c.value = (double)(alloc_count() - before);
    return c;
}

/* tests/lib/check_tables.py's count of relocations into the catalog's data. */
static struct check relocations(void)
{
    struct check c = {"relocations into the catalog's data (at most)", "", 0, 0, 1, 0};
    char line[512];
    long n = -1;
    FILE *p = popen(BENCH_CHECK_RELOCS " 2>/dev/null", "r");

    if (p) {
        while (fgets(line, sizeof line, p))
            if (sscanf(line, "relocations into the catalog's data: %ld", &n) == 1)
                break;
        while (fgets(line, sizeof line, p))
            ;
        pclose(p);
    }
    if (n < 0) {
        snprintf(c.detail, sizeof c.detail, "not measured: check_tables.py or readelf failed");
        return c;
    }
    c.measured = 1;
    c.value = (double)n;
    snprintf(c.detail, sizeof c.detail, "in %s", BENCH_SHARED_LIB);
    return c;
}

size_t budget(const struct figure *figs, size_t nfig, struct check *out)
{
    static const char *const strs[][2] = {{"name", "name lookup / bsearch (at most)"},
                                          {"message", "message lookup / bsearch (at most)"},
                                          {"id", "identifier lookup / bsearch (at most)"}};
    const struct figure *floor_ = find(figs, nfig, "code", "floor");
    const struct figure *classify = find(figs, nfig, "classify", "sixmm");
    const struct figure *intent = find(figs, nfig, "intent", "sixmm");
    size_t n = 0, j;

    for (j = 0; j < 3; j++)
        out[n++] = ratio(strs[j][1], find(figs, nfig, strs[j][0], "sixmm"),
                         find(figs, nfig, strs[j][0], "typical"), 1.25);
    out[n++] = ratio("code lookup / floor (at most)", find(figs, nfig, "code", "sixmm"), floor_,
                     4.0);
    out[n++] = ratio("classify / floor (at most)", classify, floor_, 20.0);
    /* The machine's step beside classify on the same answers (bench_intent.c). */
    if (intent)
        out[n++] = ratio("intent_next + event / classify (at most)", intent,
                         find(figs, nfig, "intent", "classify"), BENCH_INTENT_LIMIT);
    out[n++] = allocations(figs, nfig);
    out[n++] = relocations();
    return n;
}
