/*
 * logline.h: find a 6MM error body, or a "code":NNNN pair, in one line of a
 * log, as --annotate does. The body may be logged as is or inside a JSON
 * string (\"code\":1003).
 */
#ifndef SIXMM_CLI_LOGLINE_H
#define SIXMM_CLI_LOGLINE_H

#include <stddef.h>
#include <stdint.h>

struct errinfo_hit {
    size_t offset;              /* where the code's value starts */
    int64_t code;               /* never 0 */
    const char *message;        /* into the line, still escaped; NULL when absent */
    size_t message_len;
    const char *request_id;     /* the same */
    size_t request_id_len;
};

/* Look in buf[0..len) (no terminator needed; NULs allowed). Pure: no I/O,
 * no allocation. Returns 1 and fills *hit when a non-zero code was found,
 * else 0. */
int errinfo_find_body(const char *buf, size_t len, struct errinfo_hit *hit);

#endif
