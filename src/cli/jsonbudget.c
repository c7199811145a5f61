/* jsonbudget.c: see jsonbudget.h. */
#include "jsonbudget.h"

#include <jansson.h>
#include <stdlib.h>
#ifdef __GLIBC__
#  include <malloc.h>
#endif

#define BUDGET_OVERHEAD 32   /* our header plus malloc's own, roughly */

static size_t budget_used;
static int budget_hit;

union budget_header {
    size_t size;
    long double align_ld;
    void *align_p;
    long long align_ll;
};

static void *budget_malloc(size_t n)
{
    union budget_header *h;
    if (n > ERRINFO_JSON_BUDGET - BUDGET_OVERHEAD ||
        n + BUDGET_OVERHEAD > ERRINFO_JSON_BUDGET - budget_used) {
        budget_hit = 1;
        return NULL;
    }
    if (!(h = malloc(sizeof *h + n)))
        return NULL;
    h->size = n + BUDGET_OVERHEAD;
    budget_used += h->size;
    return h + 1;
}

static void budget_free(void *p)
{
    union budget_header *h;
    if (!p)
        return;
    h = (union budget_header *)p - 1;
    budget_used -= h->size;
    free(h);
}

void errinfo_json_budget_use(void)
{
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    if (m == budget_malloc)
        return;
#ifdef __GLIBC__
    /* glibc raises its mmap threshold after the first large free, after
     * which 1 MiB buffers come from the heap and a stream of mixed sizes
     * fragments it; fixed thresholds hand large blocks back at once and keep
     * the peak near one record's worth. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024);
#endif
    json_set_alloc_funcs(budget_malloc, budget_free);
}

void errinfo_json_budget_clear(void)
{
    budget_hit = 0;
}

int errinfo_json_budget_hit(void)
{
    return budget_hit;
}
