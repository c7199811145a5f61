/* heap.h: the event queue, a binary min-heap ordered by (time, sequence).
 *
 * The sequence number is the order of insertion, so two events at the same
 * virtual millisecond always run in the same order: that is half of the
 * simulator's determinism (the other half is rng.h). */
#ifndef SIM_HEAP_H
#define SIM_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef struct sim_heap {
    sim_event *ev;
    size_t len, cap;
    uint64_t next_seq;
} sim_heap;

/* Room for `cap` events up front; the heap doubles when it must. Returns -1
 * when memory runs out. */
int sim_heap_init(sim_heap *h, size_t cap);
void sim_heap_free(sim_heap *h);
/* Copies *e in, stamping its sequence number. Returns -1 when memory runs out. */
int sim_heap_push(sim_heap *h, const sim_event *e);
/* Removes the earliest event into *out. Returns 0, or -1 when empty. */
int sim_heap_pop(sim_heap *h, sim_event *out);

#endif
