/* heap.c: see heap.h. */
#include "heap.h"

#include <stdlib.h>

static int before(const sim_event *a, const sim_event *b)
{
    return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

int sim_heap_init(sim_heap *h, size_t cap)
{
    h->len = 0;
    h->next_seq = 0;
    h->cap = cap ? cap : 16;
    h->ev = malloc(h->cap * sizeof *h->ev);
    return h->ev ? 0 : -1;
}

void sim_heap_free(sim_heap *h)
{
    free(h->ev);
    h->ev = NULL;
    h->len = h->cap = 0;
}

int sim_heap_push(sim_heap *h, const sim_event *e)
{
    if (h->len == h->cap) {
        sim_event *grown = realloc(h->ev, 2 * h->cap * sizeof *h->ev);
        if (!grown)
            return -1;
        h->ev = grown;
        h->cap *= 2;
    }
    size_t i = h->len++;
    sim_event item = *e;
    item.seq = h->next_seq++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&item, &h->ev[parent]))
            break;
        h->ev[i] = h->ev[parent];
        i = parent;
    }
    h->ev[i] = item;
    return 0;
}

int sim_heap_pop(sim_heap *h, sim_event *out)
{
    if (h->len == 0)
        return -1;
    *out = h->ev[0];
    sim_event last = h->ev[--h->len];
    size_t i = 0, n = h->len;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(&h->ev[child + 1], &h->ev[child]))
            child++;
        if (!before(&h->ev[child], &last))
            break;
        h->ev[i] = h->ev[child];
        i = child;
    }
    if (n > 0)
        h->ev[i] = last;
    return 0;
}
