/* stream.c: see stream.h. */
#define _DEFAULT_SOURCE

#include "stream.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void errinfo_stream_init(struct errinfo_stream *s, FILE *out, const struct errinfo_opts *o)
{
    memset(s, 0, sizeof *s);
    s->o = o;
    s->out = out;
    errinfo_obuf_init(&s->ob, out);
    s->ob.ascii = o->ascii;
    if (o->seed_set) {
        s->rng = o->seed;
    } else if (getrandom(&s->rng, sizeof s->rng, 0) != (ssize_t)sizeof s->rng) {
        /* No system source: the clock and the process still differ from
         * run to run, which is all a suggested jitter needs. */
        s->rng = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15u ^ (uint64_t)getpid();
    }
}

int errinfo_stream_flush(struct errinfo_stream *s)
{
    int rc = errinfo_obuf_flush(&s->ob);
    return fflush(s->out) != 0 ? -1 : rc;
}

void errinfo_stream_before_read(void *s)
{
    errinfo_stream_flush(s);
}

uint32_t errinfo_stream_random(struct errinfo_stream *s)
{
    uint64_t z = (s->rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}
