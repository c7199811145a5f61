/*
 * stream.h: what --response and --annotate carry from one input to the next
 * (several files are read in order as one run): the output, the count of
 * records, and the random source of the suggested delays.
 */
#ifndef SIXMM_CLI_STREAM_H
#define SIXMM_CLI_STREAM_H

#include <stdint.h>
#include <stdio.h>

#include "opts.h"
#include "outbuf.h"

struct errinfo_stream {
    const struct errinfo_opts *o;
    FILE *out;
    const char *name;        /* the input's name in the output, or NULL for one input */
    unsigned long records;   /* records written so far, over all inputs */
    uint64_t rng;            /* state of the delay draws */
    struct errinfo_obuf ob;  /* records waiting to be handed to out */
    char call[256];          /* the JSON members that come from o (record.c) */
    size_t call_len;         /* 0 until made */
};

/* With o->seed_set the draws are reproducible; otherwise they are seeded
 * from the system's random source. */
void errinfo_stream_init(struct errinfo_stream *s, FILE *out, const struct errinfo_opts *o);

/* Hand the waiting records to out and flush it: before a read that may
 * block, and at the end. Returns 0, or -1 when a write failed. */
int errinfo_stream_flush(struct errinfo_stream *s);
/* The same, for errinfo_lr_open()'s before_read. */
void errinfo_stream_before_read(void *s);

/* The next uniformly random 32-bit value (splitmix64). */
uint32_t errinfo_stream_random(struct errinfo_stream *s);

#endif
